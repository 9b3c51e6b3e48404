"""comparison_renderable and sweep_renderable against the comparison's factory results."""

import math

import numpy as np
import pytest

from tokencalc import catalog
from tokencalc.present.compare import comparison_renderable, sweep_renderable
from tokencalc.studies import compare as study

from .expect import body, cells, flat, human, lines_with, row, section, text

FACTORS = {
    "throughput_per_accelerator": "throughput per accelerator",
    "compute_and_network_capital": "compute + network capital",
    "facility_capital": "facility capital",
    "energy": "energy (power and fuel)",
    "operations": "operations",
}
SYSTEMS = ["h100", "b200", "gb200-nvl72", "vr200-nvl144"]


@pytest.fixture(scope="module")
def comparison():
    c = study.compare(SYSTEMS)
    return c, text(comparison_renderable(c))


def _table(out):
    return section(out, "accelerators")


def test_head_and_columns(comparison):
    c, out = comparison
    r0 = c.systems[0].result
    s0 = r0.scenario
    assert flat(out).startswith(
        f"Comparison at {human(r0.facility_power.m_as('MW'), 'MW')} facility power, {s0.model} ({s0.precision}), "
        f"{s0.isl.m_as('token'):,.0f} in / {s0.osl.m_as('token'):,.0f} out, {s0.interactivity.m_as('token/s'):g} "
        f"tok/s per user; baseline {c.baseline}")
    header = [line for line in out.splitlines() if "h100" in line and "b200" in line and "───" not in line][0]
    expected = [i + (" (ann.)" if catalog.accelerator(i).status == "announced" else "") for i in SYSTEMS]
    assert cells(header) == expected
    assert "vr200-nvl144 (ann.)" in expected


def test_figure_rows_per_system(comparison):
    c, out = comparison
    block = _table(out)
    rs = [s.result for s in c.systems]
    assert [s.id for s in c.systems] == SYSTEMS
    base_cost = rs[0].cost_per_million_tokens.m_as("USD/Mtoken")
    tps = [r.scenario.tokens_per_second_per_accelerator.m_as("token/s") for r in rs]
    expected = {
        "accelerators": [f"{float(r.accelerators):,.0f}" for r in rs],
        "capex": [human(r.capex.total.m_as("USD"), "USD") for r in rs],
        "tok/s per accelerator": [f"{t:,.0f}" for t in tps],
        "tok/s per facility MW": [human(float(r.accelerators) * t / r.facility_power.m_as("MW")) for r, t in zip(rs, tps)],
        "tokens per joule": [f"{r.tokens_per_energy.m_as('token/J'):.3g}" for r in rs],
        "USD per accelerator-hour": [f"{r.cost_per_accelerator_hour.m_as('USD/h'):.3g}" for r in rs],
        "levelized USD per Mtoken": [f"{r.cost_per_million_tokens.m_as('USD/Mtoken'):.3g}" for r in rs],
        "ratio to baseline": ["1 (baseline)"] + [f"{base_cost / r.cost_per_million_tokens.m_as('USD/Mtoken'):.2f}x"
                                                 for r in rs[1:]],
    }
    for label, values in expected.items():
        assert row(block, label) == values, label


def test_factor_rows_multiply_to_the_ratio(comparison):
    c, out = comparison
    block = _table(out)
    shown = {name: row(block, f"x {label}") for name, label in FACTORS.items()}
    for name, values in shown.items():
        assert values == [f"{s.factors[name]:.3f}" for s in c.systems[1:]], name
    ratios = [float(v[:-1]) for v in row(block, "ratio to baseline")[1:]]
    for i, ratio in enumerate(ratios):
        product = math.prod(float(values[i]) for values in shown.values())
        assert product == pytest.approx(ratio, rel=5e-3)
    # throughput factor: this system's tokens per second over the baseline's
    tps = [s.result.scenario.tokens_per_second_per_accelerator.m_as("token/s") for s in c.systems]
    assert shown["throughput_per_accelerator"] == [f"{t / tps[0]:.3f}" for t in tps[1:]]


def test_transistor_yardstick(comparison):
    c, out = comparison
    gain = c.transistor_gain_per_generation
    label = f"transistors alone ({100 * gain:g} %/generation)"
    base_gen = catalog.accelerator(c.baseline).generation_index
    expected = []
    for s in c.systems[1:]:
        gens = catalog.accelerator(s.id).generation_index - base_gen
        expected.append(f"{(1 + gain) ** gens:.2f}x ({gens:+g})")
    assert row(_table(out), label) == expected


def test_note_names_each_systems_throughput_source(comparison):
    c, out = comparison
    for s in c.systems:
        assert f"{s.id}: {s.result.throughput_source.split(' on ')[0]}" in flat(out)


@pytest.fixture(scope="module")
def swept():
    c = study.compare(["h100", "b200", "gb200-nvl72"])
    c = c.with_sweep(study.interactivity_sweep(c, levels=[10, 30, 50, 90, 120]))
    return c, text(sweep_renderable(c)), text(comparison_renderable(c))


def test_sweep_rows(swept):
    c, out, _ = swept
    sw = c.sweep
    others = [s.id for s in c.systems[1:]]
    assert list(sw.ratio) == others
    costs = {k: np.asarray(v, dtype=float) for k, v in sw.cost_per_million_tokens.items()}
    ratios = {k: costs[c.baseline] / costs[k] for k in others}
    top = max(float(np.max(v)) for v in ratios.values())
    chart = max(others, key=lambda k: float(np.max(ratios[k])))
    assert f"{chart} (chart)" in out
    header = [line for line in out.splitlines() if "tok/s/user" in line][0]
    assert cells(header) == ["tok/s/user", *others, f"{chart} (chart)"]
    lines = body(out)
    assert len(lines) == len(sw.interactivity)
    for i, (line, x) in enumerate(zip(lines, sw.interactivity)):
        bar = "█" * max(1, int(round(30 * ratios[chart][i] / top)))
        assert cells(line) == [f"{x:,.0f}", *[f"{ratios[k][i]:.1f}x" for k in others], bar]
    assert flat(f"Ratio to {c.baseline} along interactivity") in flat(out)


def test_comparison_includes_the_sweep(swept):
    c, sweep_text, full = swept
    assert lines_with(full, "tok/s/user")
    assert body(section(full, "tok/s/user")) == body(sweep_text)
