"""Shared by the scripts that generate docs pages from tokencalc's own output."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

DOCS = Path(__file__).resolve().parents[1] / "docs"


def main(name: str, render: Callable[[], str], argv: list[str] | None = None) -> int:
    """Write docs/NAME from ``render()``; with --check, exit 1 if the page is out of date instead."""
    argv = sys.argv[1:] if argv is None else argv
    target = DOCS / name
    text = render()
    if "--check" in argv:
        if not target.exists() or target.read_text() != text:
            script = Path(sys.argv[0]).name
            print(f"docs/{name} is out of date: run python scripts/{script}", file=sys.stderr)
            return 1
        return 0
    target.write_text(text)
    print(f"wrote {target}")
    return 0
