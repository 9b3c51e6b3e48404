"""Shared fixtures (``cli``) and the Hypothesis profiles for every test directory.

Layout: tests/model, tests/catalog, tests/studies and tests/present mirror the package's floors;
the command line, properties, fuzzing, docs, examples, schema, units, scenarios, performance and
golden outputs stay at the top. The floor directories are packages (an empty ``__init__.py``)
because they share module names (model/test_claims.py and studies/test_claims.py, ...); tests/
itself is not, so pytest's default import mode puts tests/ on sys.path, not the checkout, and
CI tests the installed tokencalc rather than the source tree.
"""

import json
import os

import pytest
from hypothesis import settings

from tokencalc.cli import main

# Hypothesis profiles. Under CI (the CI variable set, as CI services do: CI=true) the "ci"
# profile is loaded: derandomized (each property test draws the same examples on every run,
# seeded from the test itself) and without the example database, so the suite is repeatable
# and a red build fails the same way again; run `HYPOTHESIS_PROFILE=ci pytest` to reproduce it
# locally. Elsewhere the default profile stays random on purpose: every local run explores new
# inputs, and a failure it finds is saved in .hypothesis/ and replayed on the next run.
# Per-test @settings(...) in test_properties.py and test_fuzz.py set only max_examples,
# deadline and health checks, so they inherit derandomize and database from the loaded profile
# (tests there check this).
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)


def _profile() -> str:
    chosen = os.environ.get("HYPOTHESIS_PROFILE")
    if chosen:
        return chosen
    return "ci" if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no") else "default"


settings.load_profile(_profile())


class Run:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def cli(capsys):
    """Run the tokencalc command in-process: cli('factory', '--gw', '1') -> Run(code, out, err)."""

    def run(*args):
        with pytest.raises(SystemExit) as exc:
            main(list(args))
        captured = capsys.readouterr()
        return Run(exc.value.code, captured.out, captured.err)

    return run
