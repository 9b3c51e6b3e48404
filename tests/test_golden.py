"""Golden outputs: what the commands print stays the same unless changed on purpose.

Every command of tests/golden/commands.py runs in-process; its JSON (compared as numbers with a
relative tolerance of 1e-9), its rendered text at 100 columns and its CSV (compared exactly)
must match the recorded files. The version string and timings are masked. After a deliberate
change to a figure, rerecord in the same commit:

    TOKENCALC_UPDATE_GOLDEN=1 pytest tests/test_golden.py
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "golden"))
from commands import COMMANDS, ERRORS, FILE_WRITERS, TEXT_ONLY  # noqa: E402

HERE = Path(__file__).parent / "golden"
UPDATE = bool(os.environ.get("TOKENCALC_UPDATE_GOLDEN"))
WIDTH = 100


@pytest.fixture
def run(capsys, monkeypatch):
    """Run tokencalc in-process with tables rendered at WIDTH columns (piped output follows COLUMNS);
    return (code, out, err). ``go(args, width=80)`` renders at another width."""
    from tokencalc.cli import main

    def go(args, width=WIDTH):
        monkeypatch.setenv("COLUMNS", str(width))
        with pytest.raises(SystemExit) as exc:
            main(list(args))
        captured = capsys.readouterr()
        return exc.value.code, captured.out, captured.err

    return go


def _mask_text(text: str) -> str:
    from tokencalc import __version__

    text = text.replace(__version__, "<version>")
    text = re.sub(r"\(\d+\.\d\d s\)", "(<seconds> s)", text)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def _mask_json(data):
    if isinstance(data, dict):
        return {k: ("<masked>" if k in ("tokencalc_version", "seconds") else _mask_json(v)) for k, v in data.items()}
    if isinstance(data, list):
        return [_mask_json(v) for v in data]
    return data


def _close(a, b, path="$"):
    """Assert a == b, numbers to a relative 1e-9; the message names the first path that differs."""
    if isinstance(a, dict) and isinstance(b, dict):
        assert list(a) == list(b), f"{path}: keys {list(a)} != {list(b)}"
        for k in a:
            _close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), f"{path}: length {len(a)} != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            _close(x, y, f"{path}[{i}]")
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), f"{path}: {a!r} != {b!r}"
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def _check_text(path: Path, actual: str) -> None:
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"{path.name} is not recorded: TOKENCALC_UPDATE_GOLDEN=1 pytest tests/test_golden.py"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        import difflib

        diff = "".join(list(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                                 "recorded", "now"))[:60])
        pytest.fail(f"{path.name} changed:\n{diff}")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_json(run, name):
    code, out, err = run([*COMMANDS[name], "--json"])
    assert code == 0, err
    actual = _mask_json(json.loads(out))
    path = HERE / f"{name}.json"
    if UPDATE:  # rewrite only what moved beyond the tolerance: float noise leaves no diff
        try:
            _close(actual, json.loads(path.read_text(encoding="utf-8")))
        except (AssertionError, OSError, ValueError):
            path.write_text(json.dumps(actual, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return
    _close(actual, json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("name", sorted(COMMANDS) + sorted(TEXT_ONLY))
def test_text(run, name):
    args = COMMANDS.get(name) or TEXT_ONLY[name]
    code, out, err = run(args)
    assert code == 0, err
    _check_text(HERE / f"{name}.txt", _mask_text(out) + ("" if not err else f"--- stderr\n{_mask_text(err)}"))


DATA = {"scenario-template", "cashflow-csv", "sensitivity-csv", "montecarlo-csv"}  # TOML and CSV: not tables


@pytest.mark.parametrize("width", (80, 120))
@pytest.mark.parametrize("name", sorted(COMMANDS) + sorted(set(TEXT_ONLY) - DATA))
def test_text_fits_the_width(run, name, width):
    """Every table at 80 and 120 columns: nothing cut ('…'), no line wider than the width, no trailing
    space; the text is recorded under tests/golden/w80 and w120."""
    args = COMMANDS.get(name) or TEXT_ONLY[name]
    code, out, err = run(args, width=width)
    assert code == 0, err
    lines = out.splitlines()
    assert "…" not in out, [line for line in lines if "…" in line]
    assert max(len(line) for line in lines) <= width, max(lines, key=len)
    assert all(line == line.rstrip() for line in lines)
    _check_text(HERE / f"w{width}" / f"{name}.txt", _mask_text(out))


def test_sources_show_every_address_whole(run):
    """At 80 columns an address longer than its column folds onto the next lines, every character kept."""
    from tokencalc import catalog

    code, out, _ = run(["sources"], width=80)
    assert code == 0
    joined = "".join(out.split())
    urls = [s.url for s in catalog.sources().values() if s.url]
    assert urls and any(len(u) > 60 for u in urls)
    assert [u for u in urls if "".join(u.split()) not in joined] == []


@pytest.mark.parametrize("width", (80, 120))
def test_the_factorys_assumptions_keep_every_source_id_whole(run, width):
    """`factory --gw 1`, the README's first command: each source id of the assumptions on one line, never folded
    mid-word (at 80 columns each source goes under its parameter)."""
    from tokencalc import catalog

    code, out, _ = run(["factory", "--gw", "1"], width=width)
    assert code == 0
    words = set(re.findall(r"[\w.+-]+", out))
    shown = [s for s in catalog.sources() if s in "".join(out.split())]
    assert len(shown) >= 8  # the assumptions cite the catalog's sources
    assert [s for s in shown if s not in words] == []


def test_claims_keep_every_claim_id_whole_at_80_columns(run):
    from tokencalc import catalog

    code, out, _ = run(["claims"], width=80)
    assert code == 0
    table = out.split("\n\n")[1]  # after the title; the details below repeat the ids
    assert "verdict" in table and "inconsistent" in table
    words = set(re.findall(r"[\w.+-]+", table))
    assert max(len(c) for c in catalog.claims()) > 24  # ids longer than the claim column's share of 80 columns
    assert [c for c in catalog.claims() if c not in words] == []


def test_claims_keep_each_claimed_bound_whole_and_details_indented_at_80_columns(run):
    """A claimed range's bounds each stay on one line with their unit ("367 %", not "367" over "%"), and a
    claim's detail lines keep their two-column indent when they wrap."""
    from tokencalc import catalog
    from tokencalc.present.format import claim_value

    code, out, _ = run(["claims"], width=80)
    assert code == 0
    table, details = out.split("\n\n")[1], out.split("\n\n", 2)[2]
    bounds = {claim_value(v, c.unit, c.kind) for c in catalog.claims().values() for v in (c.low, c.high)}
    assert "367 %" in bounds
    assert [b for b in bounds if b not in table] == []
    ids = tuple(f"{c}: " for c in catalog.claims())
    assert max(len(line) for line in details.splitlines()) <= 80
    assert [line for line in details.splitlines() if line and not line.startswith(("  ",) + ids)] == []
    lines = out.splitlines()  # and no line ends with a number whose unit starts the next ("at 18" over "USD/W")
    assert [(a, b) for a, b in zip(lines, lines[1:])
            if re.search(r"\d$", a) and re.match(r"\s*(%|USD|[kMBGT] |token|years?\b)", b)] == []


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_error(run, name):
    code, out, err = run(ERRORS[name])
    assert out == ""
    _check_text(HERE / f"{name}.txt", f"exit {code}\n{_mask_text(err)}")


def test_at_least_thirty_commands_cover_every_subcommand():
    from tokencalc.cli import cli

    everything = {**COMMANDS, **TEXT_ONLY}
    assert len(COMMANDS) >= 30
    used = {args[0] for args in everything.values()}
    assert set(cli.commands) - FILE_WRITERS <= used, set(cli.commands) - FILE_WRITERS - used
    assert FILE_WRITERS <= {args[0] for args in ERRORS.values()}, "a file-writing command without its error line"
