"""The renderer tests can fail: each of a sample of deliberate errors in ``tokencalc/present/`` is caught.

For every mutation, the package is copied to a temporary directory with one textual change, and
the renderer tests of tests/present (copied beside it, this module excepted) run against the copy
in a subprocess; they must fail (exit code 1: a test failed, not a collection error). A control
run of the unmutated copy must pass. ``TOKENCALC_PRESENT_UNDER_TEST`` makes the copied conftest
check that the tokencalc imported is the copy's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import attrs
import pytest

if os.environ.get("TOKENCALC_PRESENT_UNDER_TEST"):  # never run inside a mutation run
    pytest.skip("inside a mutation run", allow_module_level=True)

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PACKAGE = REPO / "tokencalc"
RENDERER_TESTS = sorted(p.name for p in HERE.glob("test_present_*.py") if p.name != Path(__file__).name)


@attrs.frozen
class Mutation:
    id: str
    file: str  # under tokencalc/present/
    changes: tuple[tuple[str, str], ...]  # (original text, which must occur exactly once; replacement)
    tests: tuple[str, ...]  # the renderer test modules that must catch it


def _m(id, file, changes, *tests):
    return Mutation(id, file, tuple(changes), tuple(f"test_present_{t}.py" for t in tests))


MUTATIONS = (
    _m("human-3-significant-digits", "format.py",
       [('return f"{_figures(value / factor, digits)} {name}{suffix}"',
         'return f"{_figures(value / factor, digits - 1)} {name}{suffix}"')], "factory"),
    _m("share-10-not-100", "format.py",
       [("f\"{100 * float(part.to(total.units).magnitude) / t:.1f} %\"",
         "f\"{10 * float(part.to(total.units).magnitude) / t:.1f} %\"")], "factory"),
    _m("percent-3-digits", "format.py",
       [('return f"{_figures(magnitude, DIGITS)} {label}"', 'return f"{_figures(magnitude, 4)} {label}"')], "format"),
    _m("claim-giga-not-billion", "format.py",
       [('human(value * (1e9 if unit == "GUSD" else 1e6), "USD")', 'human(value * 1e6, "USD")')], "claims"),
    _m("origin-user-not-you", "format.py",
       [('        return "you"', '        return "user"')], "factory"),
    _m("annual-labels-swapped", "factory.py",
       [('"electricity": "Electricity"', '"electricity": "Site operations"'),
        ('"site_operations": "Site operations",', '"site_operations": "Electricity",')], "factory"),
    _m("annual-share-of-capital-charge", "factory.py",
       [("share(line, total))", "share(line, result.annual_cost.capital))")], "factory"),
    _m("capex-share-of-compute", "factory.py",
       [("share(line, capex.total))", "share(line, capex.compute))")], "factory"),
    _m("headline-cost-per-gtoken", "factory.py",
       [('("Levelized cost per million tokens", _usd(result.cost_per_million_tokens, "USD/Mtoken"))',
         '("Levelized cost per million tokens", _usd(result.cost_per_million_tokens, "USD/Gtoken"))')], "factory"),
    _m("capex-plant-line-filter-inverted", "factory.py",
       [("line = getattr(capex, field)\n        if field in _PLANT_LINES and not float(line.magnitude):",
         "line = getattr(capex, field)\n        if field in _PLANT_LINES and float(line.magnitude):")], "factory"),
    _m("hardware-fp8-fp4-swapped", "catalog.py",
       [('_cell(f.get("dense_fp8"), "PFLOP/s"), _cell(f.get("dense_fp4"), "PFLOP/s")',
         '_cell(f.get("dense_fp4"), "PFLOP/s"), _cell(f.get("dense_fp8"), "PFLOP/s")')], "catalog"),
    _m("models-active-shows-total", "catalog.py",
       [('f"{m.active_params / 1e9:,.1f} B"', 'f"{m.total_params / 1e9:,.1f} B"')], "catalog"),
    _m("rows-table-drops-first-row", "tables.py",
       [("    for row in rows:\n", "    for row in list(rows)[1:]:\n")], "catalog"),
    _m("frontier-levels-off-by-one", "throughput.py",
       [("return [ends[0]] + inner + [ends[1]]", "return [ends[0]] + inner[1:] + [ends[1]]")], "throughput"),
    _m("frontier-total-one-decimal", "throughput.py",
       [('f"{t:,.0f}", "—" if per_mw is None', 'f"{t:,.1f}", "—" if per_mw is None')], "throughput"),
    _m("frontier-replica-drops-dp", "throughput.py",
       [("{' DP' if front.data_parallel_attention[i] else ''}", "{''}")], "throughput"),
    _m("measured-curve-table-dropped", "throughput.py",
       [("            parts.append(_frontier_table(c.measured, per_mw))\n", "")], "throughput"),
    _m("target-output-input-swapped", "throughput.py",
       [("(f\"{rate(t.output_tokens_per_second.m_as('token/s'))} output + \"",
         "(f\"{rate(t.input_tokens_per_second.m_as('token/s'))} output + \""),
        (" f\"{rate(t.input_tokens_per_second.m_as('token/s'))} input = \"",
         " f\"{rate(t.output_tokens_per_second.m_as('token/s'))} input = \"")], "throughput"),
    _m("batch-target-shows-requested-interactivity", "throughput.py",
       [("served = f\"{t.interactivity.m_as('token/s'):.3g}\"",
         "served = f\"{w['interactivity'].m_as('token/s'):.3g}\"")], "throughput"),
    _m("head-cap-per-accelerator", "throughput.py",
       [("requests in flight per engine (a replica", "requests in flight per accelerator (a replica")], "throughput"),
    _m("measured-error-10-not-100", "throughput.py",  # both measured tables print the error with _error
       [('return f"{round(100 * x) or 0:+d} %"', 'return f"{round(10 * x) or 0:+d} %"')],
       "throughput"),
    _m("configuration-error-10-not-100", "throughput.py",
       [('"—" if c.configuration_error is None else _error(c.configuration_error)]',
         '"—" if c.configuration_error is None else _error(c.configuration_error / 10)]')],
       "throughput"),
    _m("ratio-inverted", "compare.py",
       [('f"{s.ratio:.2f}x"', 'f"{1 / s.ratio:.2f}x"')], "compare"),
    _m("factor-row-dropped", "compare.py",
       [('    "facility_capital": "facility capital",\n', "")], "compare"),
    _m("irr-1-decimal", "finance.py",
       [('f"{100 * c.irr:.2f} %"', 'f"{100 * c.irr:.1f} %"')], "finance"),
    _m("verdict-inverted", "finance.py",
       [('"profitable" if b.margin > 0 else', '"profitable" if b.margin < 0 else')], "finance"),
    _m("trillion-kwh-by-1e9", "energy.py",
       [("human(e.m_as('kWh'), 'kWh')", "human(e.m_as('MWh'), 'kWh')")], "energy"),
    _m("lcoe-per-kwh", "energy.py",
       [("f\"{row.lcoe.m_as('USD/MWh'):.1f}\"", "f\"{row.lcoe.m_as('USD/kWh'):.1f}\"")], "energy"),
    _m("sensitivity-low-high-swapped", "uncertainty.py",
       [("for x in (r.low, r.high))", "for x in (r.high, r.low))")], "uncertainty"),
    _m("histogram-counts-off-by-one", "uncertainty.py",
       [("zip(counts, edges[:-1], edges[1:])", "zip(counts[1:], edges[:-1], edges[1:])")], "uncertainty"),
    _m("quantile-labels-swapped", "uncertainty.py",
       [('(("p5", "5th percentile"), ("p50", "median")', '(("p50", "5th percentile"), ("p5", "median")')],
       "uncertainty"),
    _m("claimed-range-swapped", "claims.py",
       [("{claim_value(claim.low, claim.unit, claim.kind)} to\\n{claim_value(claim.high, claim.unit, claim.kind)}",
         "{claim_value(claim.high, claim.unit, claim.kind)} to\\n{claim_value(claim.low, claim.unit, claim.kind)}")],
       "claims"),
    _m("cashflow-csv-6-digits", "csv.py",
       [('repr(float(row[k]))', 'f"{row[k]:.6g}"')], "csv"),
    _m("record-csv-6-digits", "csv.py",
       [('        return repr(value)', '        return f"{value:.6g}"')], "csv"),
    _m("record-csv-unit-dropped", "csv.py",
       [('header.append(f"{name} [{unit}]" if unit else name)', 'header.append(name)')], "csv"),
    _m("sensitivity-csv-costs-swapped", "csv.py",
       [('repr(float(r.cost_at_low)), repr(float(r.cost_at_high))', 'repr(float(r.cost_at_high)), repr(float(r.cost_at_low))')],
       "csv"),
    _m("answers-not-checked-finite", "records.py",
       [("    check_finite(data)\n    return data", "    return data")], "format"),
    _m("piped-width-100", "console.py",
       [("PIPED_WIDTH = 120", "PIPED_WIDTH = 100")], "format"),
    _m("deal-share-10-not-100", "deals.py",
       [('return f"{100 * x:.1f} %"', 'return f"{10 * x:.1f} %"')], "deals"),
)


def _apply(root: Path, mutation: Mutation | None) -> str | None:
    """Copy the package and the renderer tests under ``root``, with ``mutation`` applied; an error text or None."""
    shutil.copytree(PACKAGE, root / "tokencalc", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    tests = root / "tests" / "present"
    tests.mkdir(parents=True)
    (root / "tests" / "__init__.py").write_text("")
    for name in ["__init__.py", "conftest.py", "expect.py", *RENDERER_TESTS]:
        shutil.copy(HERE / name, tests / name)
    shutil.copy(REPO / "setup.cfg", root / "setup.cfg")  # the same pytest options (warnings as errors)
    if mutation is None:
        return None
    path = root / "tokencalc" / "present" / mutation.file
    source = path.read_text()
    for old, new in mutation.changes:
        if source.count(old) != 1:
            return f"{mutation.file}: the text to mutate occurs {source.count(old)} times (expected once): {old!r}"
        source = source.replace(old, new)
    path.write_text(source)
    return None


def _run(root: Path, tests: tuple[str, ...]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(PYTHONPATH=str(root), TOKENCALC_PRESENT_UNDER_TEST=str(root), PYTHONDONTWRITEBYTECODE="1",
               PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")  # no plugin is needed; loading hypothesis's costs 0.7 s a run
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--rootdir", str(root),
               *[f"tests/present/{t}" for t in tests]]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Exit code and output of the control run ('control') and of each mutation's run, by id."""
    jobs = {"control": (None, tuple(RENDERER_TESTS))}
    jobs.update({m.id: (m, m.tests) for m in MUTATIONS})
    prepared = {}
    for key, (mutation, tests) in jobs.items():
        root = tmp_path_factory.mktemp(f"mutant-{key}")
        prepared[key] = (root, _apply(root, mutation), tests)

    def run(key):
        root, error, tests = prepared[key]
        if error is not None:
            return key, (None, error)
        done = _run(root, tests)
        return key, (done.returncode, done.stdout[-4000:] + done.stderr[-4000:])

    with ThreadPoolExecutor(max_workers=max(2, min(4, os.cpu_count() or 2))) as pool:
        return dict(pool.map(run, jobs))


def test_sample_is_broad():
    assert len(MUTATIONS) >= 8
    assert len({m.id for m in MUTATIONS}) == len(MUTATIONS)
    files = {m.file for m in MUTATIONS}
    renderers = {"factory.py", "catalog.py", "throughput.py", "compare.py", "finance.py", "energy.py",
                 "uncertainty.py", "claims.py", "csv.py"}
    assert renderers <= files
    assert all(set(m.tests) <= set(RENDERER_TESTS) for m in MUTATIONS)


def test_unmutated_copy_passes(runs):
    code, output = runs["control"]
    assert code == 0, output
    assert " passed" in output


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.id for m in MUTATIONS])
def test_mutation_is_caught(runs, mutation):
    code, output = runs[mutation.id]
    assert code is not None, output  # the text to mutate is still in the source
    assert code == 1, f"{mutation.id} was not caught by {', '.join(mutation.tests)}:\n{output}"
    assert " failed" in output
