"""frontier_renderable and measured_renderable against the frontier and the measured points."""

import numpy as np
import pytest

from tokencalc.present.throughput import frontier_renderable, measured_renderable
from tokencalc.studies import throughput

from .expect import body, cells, flat, human, section, text

ROUND_LEVELS = (5, 10, 20, 30, 50, 75, 90, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000)

CASES = {
    "default": {},
    "h100-measured": {"accelerator": "h100"},
    "no-power-figure": {"accelerator": "mi450-helios"},
    "beyond": {"interactivity": "5000 token/s"},
    "batch": {"batch": 64},
}


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request):
    study = throughput.study(CASES[request.param])
    return request.param, study, text(frontier_renderable(study))


def _frontier_table(out):
    return section(out, "Frontier (per accelerator)")


def test_head(case):
    _, study, out = case
    front, w = study.frontier, study.workload
    head = flat(out.split("Frontier (per accelerator)")[0])
    assert head.startswith(f"Throughput: {study.model.name} [{study.model.id}] on {study.system.name} "
                           f"[{study.system.id}]")
    assert (f"{w['precision']}, {front.isl:,} input / {front.osl:,} output tokens per request, at most "
            f"{w['max_concurrency'].m_as(''):,.0f} requests in flight per accelerator; source: {front.source}") in head


def test_frontier_rows_at_round_levels_and_both_ends(case):
    _, study, out = case
    front = study.frontier
    first, last = float(front.interactivity[0]), float(front.max_interactivity)
    levels = [first] + [x for x in ROUND_LEVELS if first < x < last] + [last]
    output = np.asarray(front.output_at(levels), dtype=float)
    total = output * (front.isl + front.osl) / front.osl
    batch = np.asarray(front.batch_at(levels), dtype=float)
    power = study.system.it_power_per_accelerator
    expected = []
    for x, o, t, b in zip(levels, output, total, batch):
        per_mw = "—" if power is None else human(t * 1e6 / power.m_as("W"))
        expected.append([f"{x:,.0f}", f"{o:,.0f}", f"{t:,.0f}", per_mw, f"{b:,.0f}"])
    shown = [cells(line) for line in body(_frontier_table(out))]
    assert shown == expected
    assert len(shown) >= 3


def test_frontier_first_row_is_the_maximum_throughput(case):
    _, study, out = case
    front = study.frontier
    first = cells(body(_frontier_table(out))[0])
    assert first[1] == f"{float(np.max(front.output_tokens_per_second)):,.0f}"
    assert first[0] == f"{float(front.interactivity[0]):,.0f}"


def test_target_line(case):
    name, study, out = case
    w, t = study.workload, study.target
    flat_out = flat(out)
    if name == "beyond":
        assert t is None
        assert (f"{w['interactivity'].m_as('token/s'):g} tok/s per user is beyond this frontier "
                f"(max {study.frontier.max_interactivity:,.0f}).") in flat_out
        return
    out_s, in_s, total = (float(x.m_as("token/s")) for x in
                          (t.output_tokens_per_second, t.input_tokens_per_second, t.total_tokens_per_second))
    assert out_s + in_s == pytest.approx(total)
    figures = f"{out_s:,.0f} output + {in_s:,.0f} input = {total:,.0f} tokens/s per accelerator"
    if name == "batch":
        assert f"At batch {w['batch'].m_as(''):g} per accelerator (" in flat_out
        assert f"tok/s per user): {figures}" in flat_out
    else:
        level = w["interactivity"].m_as("token/s")
        assert f"At {level:g} tok/s per user: {figures}" in flat_out
        # the frontier row at the target's interactivity shows the same output
        for line in body(_frontier_table(out)):
            if cells(line)[0] == f"{level:,.0f}":
                assert cells(line)[1] == f"{out_s:,.0f}"


def test_measured_points_of_the_workload(case):
    name, study, out = case
    if not study.measured:
        assert "Measured points of this workload" not in out
        assert name != "h100-measured"
        return
    lines = body(section(out, "Measured points of this workload"))
    assert len(lines) == len(study.measured)
    for line, c in zip(lines, study.measured):
        p = c.point
        error = c.model_output_tokens_per_second / p.output - 1
        inter = "offline max" if p.interactivity is None else f"{p.interactivity:g}"
        assert cells(line) == [inter, f"{p.output:,.0f}", f"{c.model_output_tokens_per_second:,.0f}",
                               f"{100 * error:+.0f} %", p.stack, p.source]


def test_note(case):
    _, study, out = case
    if study.frontier.note:
        assert f"Note: {flat(study.frontier.note)}." in flat(out)


@pytest.fixture(scope="module")
def measured():
    listing = throughput.measured()
    return listing, text(measured_renderable(listing))


def test_measured_every_point_with_the_model_error(measured):
    listing, out = measured
    lines = body(out)
    assert len(lines) == len(listing.comparisons) >= 5
    for line, c in zip(lines, listing.comparisons):
        p = c.point
        error = c.model_output_tokens_per_second / p.output - 1
        inter = "offline max" if p.interactivity is None else f"{p.interactivity:g}"
        assert cells(line) == [p.system, p.model, p.precision, f"{p.isl}/{p.osl}", inter, f"{p.output:,.0f}",
                               f"{c.model_output_tokens_per_second:,.0f}", f"{100 * error:+.0f} %", p.source]
