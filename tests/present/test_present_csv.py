"""The CSV writers against the cash flows, the sensitivity rows and the Monte Carlo samples."""

import csv
import io

import numpy as np
import pytest

from tokencalc.present.csv import cashflow_csv, montecarlo_csv, sensitivity_csv
from tokencalc.studies import cashflow as cashflow_study
from tokencalc.studies import uncertainty
from tokencalc.units import Q_


def _read(text):
    assert text.endswith("\n") and "\r" not in text
    return list(csv.reader(io.StringIO(text)))


def test_cashflow_csv_every_year_and_column():
    c = cashflow_study.cashflow(price=0.05, debt_share=0.3)
    rows = _read(cashflow_csv(c))
    keys = list(c.years[0])
    assert keys[0] == "year" and "cash_flow" in keys and "discounted_cash_flow" in keys
    assert rows[0] == ["year"] + [f"{k} [USD]" for k in keys[1:]]
    assert len(rows) == 1 + len(c.years)
    for line, year in zip(rows[1:], c.years):
        assert len(line) == len(keys)
        assert line[0] == str(int(year["year"]))
        for k, cell in zip(keys[1:], line[1:]):
            value = year[k]
            if not np.isfinite(value):
                assert cell == ""
                continue
            assert cell == f"{value:.6g}", (year["year"], k)
            assert float(cell) == pytest.approx(value, rel=1e-5, abs=1e-9)
    # the cumulative column adds up the cash flows
    flows = [float(line[keys.index("cash_flow")]) for line in rows[1:]]
    cumulative = [float(line[keys.index("cumulative_cash_flow")]) for line in rows[1:]]
    assert cumulative == pytest.approx(np.cumsum(flows), rel=1e-4, abs=1e-4 * max(map(abs, flows)))


def test_sensitivity_csv_every_row():
    s = uncertainty.sensitivity()
    rows = _read(sensitivity_csv(s))
    assert rows[0] == ["parameter", "low", "high", "unit", "cost_at_low [USD/Mtoken]", "cost_at_high [USD/Mtoken]",
                       "swing [USD/Mtoken]"]
    assert [line[0] for line in rows[1:]] == [r.name for r in s.rows]
    for line, r in zip(rows[1:], s.rows):
        name, low, high, unit, at_low, at_high, swing = line
        assert Q_(float(low), unit).to(r.low.units).magnitude == pytest.approx(r.low.magnitude, rel=1e-5)
        assert Q_(float(high), unit).to(r.high.units).magnitude == pytest.approx(r.high.magnitude, rel=1e-5)
        assert [low, high] == [f"{float(r.low.magnitude):.6g}", f"{float(r.high.magnitude):.6g}"]
        assert [at_low, at_high] == [f"{r.cost_at_low:.6g}", f"{r.cost_at_high:.6g}"]
        assert swing == f"{abs(r.cost_at_high - r.cost_at_low):.6g}"


def test_montecarlo_csv_every_sample():
    m = uncertainty.montecarlo(samples=500, seed=3)
    text = montecarlo_csv(m)
    header = text.splitlines()[0].split(",")
    names = list(m.inputs)
    assert header == [f"{n} [{m.units[n]}]" for n in names] + ["cost_per_million_tokens [USD/Mtoken]"]
    values = np.loadtxt(io.StringIO(text), delimiter=",", skiprows=1)
    assert values.shape == (500, len(names) + 1)
    for i, n in enumerate(names):
        np.testing.assert_allclose(values[:, i], m.inputs[n], rtol=1e-5)
    np.testing.assert_allclose(values[:, -1], m.cost_per_million_tokens, rtol=1e-5)
    assert text.splitlines()[1].split(",")[-1] == f"{m.cost_per_million_tokens[0]:.6g}"
