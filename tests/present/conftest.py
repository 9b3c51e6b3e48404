"""Renderer tests: one result per study, computed once per session.

When ``TOKENCALC_PRESENT_UNDER_TEST`` names a directory (test_present_mutations.py runs these
tests against a mutated copy of the package there), the tokencalc imported must come from it.
"""

import os
from pathlib import Path

import pytest

_ROOT = os.environ.get("TOKENCALC_PRESENT_UNDER_TEST")
if _ROOT:
    import tokencalc

    if not Path(tokencalc.__file__).resolve().is_relative_to(Path(_ROOT).resolve()):
        raise pytest.UsageError(f"tokencalc imported from {tokencalc.__file__}, not from the copy under {_ROOT}")
