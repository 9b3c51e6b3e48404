"""sensitivity_renderable and montecarlo_renderable against the sensitivity rows and the samples."""

import re

import numpy as np
import pytest

from tokencalc.parameters import PARAMETERS
from tokencalc.present.format import distribution_text
from tokencalc.present.uncertainty import montecarlo_renderable, sensitivity_renderable
from tokencalc.studies import uncertainty as study
from tokencalc.studies.factory import factory

from .expect import body, cells, flat, human, number, row, section, text

UNIT_LABELS = {"1": "", "%/year": "%/yr", "year": "yr"}


@pytest.fixture(scope="module")
def sensitivity():
    s = study.sensitivity()
    return s, text(sensitivity_renderable(s))


def test_sensitivity_title_has_the_base_cost(sensitivity):
    s, out = sensitivity
    assert s.base_cost == pytest.approx(factory().cost_per_million_tokens.m_as("USD/Mtoken"))
    assert flat(out).startswith(f"Sensitivity of the cost per million tokens (base {s.base_cost:.3g} USD/Mtoken)")


def test_sensitivity_row_of_each_parameter(sensitivity):
    s, out = sensitivity
    assert len(s.rows) >= 10
    for r in s.rows:
        unit = PARAMETERS[r.name].display_unit or PARAMETERS[r.name].unit
        low, high = (human(float(x.m_as(unit))) for x in (r.low, r.high))
        swing = abs(r.cost_at_high - r.cost_at_low)
        expected = [low, high, UNIT_LABELS.get(unit, unit), f"{r.cost_at_low:.3g}", f"{r.cost_at_high:.3g}",
                    f"{swing:.3g}"]
        shown = [c for c in row(out, r.name) if "│" not in c]
        assert shown == [e for e in expected if e], r.name


def test_sensitivity_rows_sorted_by_swing(sensitivity):
    s, out = sensitivity
    names = [cells(line)[0] for line in body(out)]
    assert names == [r.name for r in s.rows]
    swings = [abs(r.cost_at_high - r.cost_at_low) for r in s.rows]
    assert swings == sorted(swings, reverse=True)


def test_sensitivity_values_written_out(sensitivity):
    s, out = sensitivity
    by_name = {r.name: r for r in s.rows}
    u = by_name["utilization"]
    assert row(out, "utilization")[:3] == [f"{100 * u.low.m_as(''):g}", f"{100 * u.high.m_as(''):g}", "%"]
    e = by_name["electricity_price"]
    assert row(out, "electricity_price")[:3] == [f"{e.low.m_as('USD/MWh'):g}", f"{e.high.m_as('USD/MWh'):g}",
                                                 "USD/MWh"]


def test_sensitivity_bars_span_the_two_ends_around_the_base(sensitivity):
    s, out = sensitivity
    top = max(abs(r.cost_at_high - r.cost_at_low) for r in s.rows)
    for line, r in zip(body(out), s.rows):
        bar = re.search(r"(█*)│(█*)", line)
        left = int(round(10 * max(0.0, s.base_cost - min(r.cost_at_low, r.cost_at_high)) / top))
        right = int(round(10 * max(0.0, max(r.cost_at_low, r.cost_at_high) - s.base_cost) / top))
        assert (len(bar.group(1)), len(bar.group(2))) == (left, right), r.name


@pytest.fixture(scope="module")
def montecarlo():
    m = study.montecarlo(samples=2000, seed=1)
    return m, text(montecarlo_renderable(m))


def test_montecarlo_summary(montecarlo):
    m, out = montecarlo
    cost = np.asarray(m.cost_per_million_tokens)
    assert len(cost) == 2000
    block = section(out, "Monte Carlo", "Distribution of")
    assert block.splitlines()[0].strip() == f"Monte Carlo: 2,000 samples, seed 1 ({m.seconds:.2f} s)"
    expected = {
        "Cost per million tokens at the defaults": m.base_cost,
        "5th percentile": np.percentile(cost, 5),
        "median": np.median(cost),
        "mean": np.mean(cost),
        "95th percentile": np.percentile(cost, 95),
    }
    for label, value in expected.items():
        assert row(block, label) == [f"{value:.3g} USD"], label
    p5, p50, p95 = (number(row(block, k)[0]) for k in ("5th percentile", "median", "95th percentile"))
    assert p5 < p50 < p95


def test_montecarlo_histogram(montecarlo):
    m, out = montecarlo
    cost = np.asarray(m.cost_per_million_tokens)
    counts, edges = np.histogram(cost, bins=16)
    lines = [line for line in section(out, "Distribution of", "Distributions").splitlines()[1:] if line.strip()]
    assert len(lines) == 16
    top = counts.max()
    shares = []
    for line, c, lo, hi in zip(lines, counts, edges[:-1], edges[1:]):
        bar = "█" * int(round(40 * c / top))
        expected = [f"{lo:.4g}-{hi:.4g}", bar, f"{100 * c / 2000:.1f} %"]
        assert cells(line) == [e for e in expected if e]
        shares.append(number(cells(line)[-1]))
    assert sum(shares) == pytest.approx(100, abs=0.05 * 16)
    assert lines[0].split()[0].startswith(f"{cost.min():.4g}-")
    assert lines[-1].split()[0].endswith(f"-{cost.max():.4g}")


def test_montecarlo_distributions(montecarlo):
    m, out = montecarlo
    block = section(out, "Distributions")
    assert [cells(line)[0] for line in body(block)] == sorted(m.inputs)
    for name, description in m.distributions.items():
        # the JSON's, in working units; the throughput is a lognormal through its out-of-sample band
        assert description.startswith("lognormal(median=" if name == "tokens_per_second_per_accelerator"
                                      else "triangular(low="), name
        spec = dict(m.specs)[name]
        assert row(block, name) == [distribution_text(name, *spec)]
    # the table shows each parameter in its display unit, as the assumptions do (a person types it back so)
    assert row(block, "wacc") == ["triangular(low=7, mode=10, high=15) %"]
    assert row(block, "electricity_price")[0].endswith(" USD/MWh")
    assert row(block, "pue")[0].endswith(")")  # a plain number: no unit "1"


def test_distribution_text_by_hand():
    assert distribution_text("wacc", "normal", {"mean": 0.1, "sd": 0.02}) == "normal(mean=10, sd=2) %"
    assert distribution_text("electricity_price", "lognormal", {"median": 0.08, "sigma": 0.3}) == \
        "lognormal(median=80, sigma=0.3) USD/MWh"  # sigma is of the log: not converted
    assert distribution_text("accelerator_capex", "uniform", {"low": 41666.7, "high": 55555.6}) == \
        "uniform(low=41,667, high=55,556) USD"
