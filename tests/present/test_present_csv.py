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
            assert cell == repr(float(value)), (year["year"], k)  # lossless: the shortest round-trip text
            assert float(cell) == value
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
        assert Q_(float(low), unit).to(r.low.units).magnitude == pytest.approx(r.low.magnitude, rel=1e-12)
        assert Q_(float(high), unit).to(r.high.units).magnitude == pytest.approx(r.high.magnitude, rel=1e-12)
        assert [low, high] == [repr(float(r.low.magnitude)), repr(float(r.high.magnitude))]
        assert [at_low, at_high] == [repr(float(r.cost_at_low)), repr(float(r.cost_at_high))]
        assert float(swing) == abs(r.cost_at_high - r.cost_at_low)


def test_montecarlo_csv_every_sample():
    m = uncertainty.montecarlo(samples=500, seed=3)
    text = montecarlo_csv(m)
    header = text.splitlines()[0].split(",")
    names = list(m.inputs)
    assert header == [f"{n} [{m.units[n]}]" for n in names] + ["cost_per_million_tokens [USD/Mtoken]"]
    values = np.loadtxt(io.StringIO(text), delimiter=",", skiprows=1)
    assert values.shape == (500, len(names) + 1)
    for i, n in enumerate(names):
        np.testing.assert_array_equal(values[:, i], m.inputs[n])  # lossless
    np.testing.assert_array_equal(values[:, -1], m.cost_per_million_tokens)
    assert text.splitlines()[1].split(",")[-1] == repr(float(m.cost_per_million_tokens[0]))


def test_record_csv_exact_values_and_units_in_the_header():
    """A record's table: one row per item, 'path [unit]' headers, floats that read back exactly; a column whose
    unit differs between rows carries the unit beside it; the 'excluded' items follow the rows."""
    from tokencalc.present.csv import record_csv

    record = {"schema_version": "1", "systems": [
        {"id": "a", "cost": {"value": 0.1 + 0.2, "unit": "USD/Mtoken"}, "n": 3, "ok": True,
         "f": {"x": 1234567.891, "w": {"value": 1.5, "unit": "kW"}}},
        {"id": "b", "cost": {"value": 38124467000.123, "unit": "USD/Mtoken"}, "n": 4, "ok": False,
         "f": {"x": 2.0, "w": {"value": 2.5, "unit": "W"}}}],
        "excluded": [{"id": "c", "status": "announced", "reason": "no figure, sorry"}]}
    rows = _read(record_csv(record))
    assert rows[0] == ["id", "cost [USD/Mtoken]", "n", "ok", "f.x", "f.w", "f.w unit", "status", "reason"]
    assert rows[1] == ["a", "0.30000000000000004", "3", "true", "1234567.891", "1.5", "kW", "", ""]
    assert rows[2] == ["b", "38124467000.123", "4", "false", "2.0", "2.5", "W", "", ""]
    assert rows[3] == ["c", "", "", "", "", "", "", "announced", "no figure, sorry"]
    single = _read(record_csv({"schema_version": "1", "tokencalc_version": "x", "a": {"value": 1e-05, "unit": "s"}}))
    assert single == [["a [s]"], ["1e-05"]]
