"""frontier_renderable and measured_renderable against the throughput study and the measured points."""

import numpy as np
import pytest

from tokencalc.present.throughput import frontier_renderable, measured_renderable
from tokencalc.studies import throughput

from .expect import body, cells, flat, human, section, text


def _pct(x: float) -> str:
    """A signed whole percentage as the measured tables print it (-0.4 % as +0 %)."""
    return f"{round(100 * x) or 0:+d} %"

ROUND_LEVELS = (5, 10, 20, 30, 50, 75, 90, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000)

CASES = {
    "default": {},  # gb200-nvl72, DeepSeek-R1 fp4 1k/1k at 90: measured curves for the disaggregated choices
    "h100-multi-node": {"accelerator": "h100", "interactivity": 30},
    "no-power-figure": {"accelerator": "mi450-helios"},
    "fp4-on-fp8-compute": {"accelerator": "mi300x", "precision": "fp4", "interactivity": 30},
    # B200 (MLPerf v5.1, FP4): its model error (-22 %) tells a percentage from a tenth of one
    "llama-mlperf": {"accelerator": "b200", "model": "llama-2-70b", "precision": "fp4", "isl": 300, "osl": 294,
                     "interactivity": 40},
    "batch": {"batch": 64},
    "model-source": {"throughput_source": "model", "isl": 8192, "serving": "aggregated", "spec_decode": "mtp"},
}


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request):
    study = throughput.study(CASES[request.param])
    return request.param, study, text(frontier_renderable(study))


def _title(front):
    return f"{front.serving}, spec-decode {front.spec_decode}: {front.source}"


def _table(out, front):
    return body(section(out, _title(front)))


def _fronts(study):
    for c in study.choices:
        yield c.model
        if c.measured is not None:
            yield c.measured


def test_head(case):
    _, study, out = case
    w = study.workload
    head = flat(out.split(_title(study.choices[0].model))[0])
    assert head.startswith(f"Throughput: {study.model.name} [{study.model.id}] on {study.system.name} "
                           f"[{study.system.id}] ")
    assert (f"{w['precision']}, {int(w['isl'].m_as('token')):,} input / {int(w['osl'].m_as('token')):,} output tokens "
            f"per request, at most {w['max_concurrency'].m_as(''):,.0f} requests in flight per engine (a replica, or "
            f"each attention rank with data-parallel attention); source "
            f"{w['throughput_source']}, serving {w['serving']}, spec-decode {w['spec_decode']}") in head


def test_target_line(case):
    name, study, out = case
    t, w = study.target, study.workload
    flat_out = flat(out)
    out_s, in_s, total = (float(x.m_as("token/s")) for x in
                          (t.output_tokens_per_second, t.input_tokens_per_second, t.total_tokens_per_second))
    assert out_s + in_s == pytest.approx(total)
    figures = (f"{out_s:,.0f} output + {in_s:,.0f} input = {total:,.0f} tokens/s per accelerator "
               f"({t.source}; {t.serving}, spec-decode {t.spec_decode})")
    served = t.interactivity.m_as("token/s")
    if name == "batch":
        assert f"At batch {w['batch'].m_as(''):g} per accelerator ({served:.3g} tok/s per user): {figures}" in flat_out
    else:
        assert served == w["interactivity"].m_as("token/s")
        assert f"At {served:g} tok/s per user: {figures}" in flat_out
    assert f"Where it came from: {flat(t.description)}." in flat_out


def test_target_line_source_serving_and_spec(case):
    name, study, out = case
    t = study.target
    expected = {"default": "measured", "llama-mlperf": "model", "model-source": "model", "batch": "model"}
    if name in expected:
        assert t.source == expected[name]
    if name == "model-source":
        assert (t.serving, t.spec_decode) == ("aggregated", "mtp")
    line = flat(out)[flat(out).index("At "):]
    assert line.split(" tokens/s per accelerator ")[1].startswith(f"({t.source}; {t.serving}, spec-decode "
                                                                   f"{t.spec_decode})")


def _titles(out):
    return [line.strip() for line in out.splitlines() if line.strip().endswith((": model", ": measured"))]


def test_a_table_per_choice_model_and_measured(case):
    _, study, out = case
    expected = []
    for c in study.choices:
        expected.append(f"{c.serving}, spec-decode {c.spec_decode}: model")
        if c.measured is not None:
            expected.append(f"{c.serving}, spec-decode {c.spec_decode}: measured")
            assert f"Measured: {flat(c.measured.note)}." in flat(out)
    assert _titles(out) == expected


def test_default_case_shows_measured_tables():
    study = throughput.study({})
    assert any(c.measured is not None for c in study.choices)
    assert any(c.measured is None for c in study.choices)


def test_frontier_rows_at_round_levels_and_both_ends(case):
    _, study, out = case
    power = study.system.it_power_per_accelerator
    for front in _fronts(study):
        first, last = float(front.interactivity[0]), float(front.interactivity[-1])
        text = (lambda x: f"{x:,.0f}" if x >= 10 else f"{x:.2g}")  # noqa: E731
        # a round level that prints as an end does is left out (29.8 and 30 both print "30")
        levels = [first] + [x for x in ROUND_LEVELS if first < x < last and text(x) not in (text(first), text(last))]
        levels += [last]
        totals, outputs = front.total_at(levels), front.output_at(levels)
        expected = []
        for x, o, t in zip(levels, outputs, totals):
            per_mw = "—" if power is None else human(t * 1e6 / power.m_as("W"))
            row = [f"{x:,.0f}" if x >= 10 else f"{x:.2g}", f"{o:,.0f}", f"{t:,.0f}", per_mw]  # 4.6 beside 5
            if front.source == "model":
                i = min(int(np.searchsorted(front.interactivity, x)), len(front.interactivity) - 1)
                replica = f"{front.gpus[i]:g}" + (" DP" if front.data_parallel_attention[i] else "")
                row += [f"{front.batch[i]:,.0f}", replica, f"{front.ttft[i]:.2g}"]
            expected.append(row)
        shown = [cells(line) for line in _table(out, front)]
        assert shown == expected, _title(front)
        assert len(shown) >= 2
        # the first row is the most throughput, the last the highest interactivity
        assert shown[0][2] == f"{float(np.max(front.total)):,.0f}"
        assert shown[-1][0] == f"{float(front.interactivity[-1]):,.0f}"


def test_per_megawatt_column(case):
    name, study, out = case
    if name == "no-power-figure":
        assert study.system.it_power_per_accelerator is None
        rows = _table(out, study.choices[0].model)
        assert all(cells(line)[3] == "—" for line in rows)
    else:
        assert study.system.it_power_per_accelerator is not None


def test_target_row_agrees_with_the_table(case):
    """Where the target's own source and choice has a row at the target's interactivity, it shows the same total."""
    name, study, out = case
    t = study.target
    if name == "batch":
        return
    level = t.interactivity.m_as("token/s")
    chosen = next(c for c in study.choices if (c.serving, c.spec_decode) == (t.serving, t.spec_decode))
    front = chosen.measured if t.source == "measured" else chosen.model
    rows = {cells(line)[0]: cells(line) for line in _table(out, front)}
    if f"{level:,.0f}" in rows and level in ROUND_LEVELS:
        assert rows[f"{level:,.0f}"][2] == f"{t.total_tokens_per_second.m_as('token/s'):,.0f}"


def test_measured_points_of_the_workload(case):
    name, study, out = case
    if not study.measured:
        assert "Measured points of this workload" not in out
        assert name != "llama-mlperf"
        return
    lines = body(section(out, "Measured points of this workload"))
    assert len(lines) == len(study.measured)
    for line, c in zip(lines, study.measured):
        p = c.point
        error = c.model_output_tokens_per_second / p.output - 1
        inter = "offline max" if p.interactivity is None else f"{p.interactivity:g}"
        at = "—" if p.replica is None else _pct(c.configuration_output / p.output - 1)
        reached = np.isfinite(c.model_output_tokens_per_second)
        cap = "—" if p.max_concurrency is None else f"{p.max_concurrency:,}"
        gpus = "—" if p.replica is None else f"{p.replica:g}"
        assert cells(line) == [inter, cap, gpus, f"{p.output:,.0f}",
                               f"{c.model_output_tokens_per_second:,.0f}" if reached else "—",
                               _pct(error) if reached else "—", at, p.stack, p.source]


def test_notes(case):
    name, study, out = case
    notes = sorted({c.model.note for c in study.choices if c.model.note})
    for note in notes:
        assert f"Note: {flat(note)}." in flat(out)
    assert (name == "fp4-on-fp8-compute") == bool(notes)
    if not notes:
        assert "Note: " not in out


@pytest.fixture(scope="module")
def measured():
    listing = throughput.measured()
    return listing, text(measured_renderable(listing))


def test_measured_every_point_with_the_model_error(measured):
    listing, out = measured
    assert out.lstrip().startswith("Measured throughput points, and the serving model's error")
    lines = body(out)
    assert len(lines) == len(listing.comparisons) >= 8
    for n, (line, c) in enumerate(zip(lines, listing.comparisons), start=1):
        p = c.point
        error = c.model_output_tokens_per_second / p.output - 1
        inter = "offline max" if p.interactivity is None else f"{p.interactivity:g}"
        cap = "—" if p.max_concurrency is None else f"{p.max_concurrency:,}"
        # the model at the run's own replica and requests, where the point gives them
        at = "—" if p.replica is None else _pct(c.configuration_output / p.output - 1)
        reached = np.isfinite(c.model_output_tokens_per_second)  # beyond the model's reach: dashes
        assert cells(line) == [str(n), p.system, p.model, p.precision, f"{p.isl}/{p.osl}", cap, inter,
                               f"{p.output:,.0f}", f"{c.model_output_tokens_per_second:,.0f}" if reached else "—",
                               _pct(error) if reached else "—", at, p.source]
    assert not all(np.isfinite(c.error) for c in listing.comparisons)  # B300's fastest runs
    assert any(c.point.replica is not None for c in listing.comparisons)


@pytest.mark.parametrize("width", [60, 70])
def test_narrow_terminal_splits_tables_and_keeps_numbers_whole(width):
    # below the model table's width its columns spread over two tables, each led by the interactivity: no cell is
    # cut to "12,2…" (a cut number reads as another number)
    study = throughput.study(CASES["default"])
    out = text(frontier_renderable(study), width=width)
    assert "…" not in out
    wide = text(frontier_renderable(study))
    model = study.choices[0].model
    assert f"{_title(model)} (continued)" not in wide
    assert "(continued)" in out
    levels = [row.split()[0] for row in _table(wide, model)]
    assert [row.split()[0] for row in body(section(out, _title(model)))] == levels  # every level, the first part
