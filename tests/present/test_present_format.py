"""The helpers every renderer shares: number formats, table helpers, JSON records, the console."""

import json
import math
import sys

import numpy as np
import pytest

from tokencalc import catalog
from tokencalc.present import console, records
from tokencalc.present.format import claim_value, display_unit, human, origin_text, param_text, q, share, si
from tokencalc.present.tables import kv_table, rows_table
from tokencalc.scenario import Origin
from tokencalc.studies.factory import factory
from tokencalc.units import Q_

from .expect import body, cells, row, text


@pytest.mark.parametrize("value, unit, expected", [
    (38.124467e9, "USD", "38.1 B USD"),
    (1.2e12, "", "1.2 T"),
    (4.792e6, "USD", "4.79 M USD"),
    (45833.33, "USD", "45.8 k USD"),
    (9344.4, "USD", "9,344 USD"),  # below 10,000: no k
    (1000, "MW", "1,000 MW"),
    (999.94, "", "1,000"),  # three figures round up to 1,000, written out
    (123.44, "", "123"),
    (0.034039712, "USD/Mtoken", "0.034 USD/Mtoken"),
    (3.2349e17, "tokens/yr", "323 P tokens/yr"),  # one style for tokens: 323 P, not 3.235e+17
    (3.075e14, "tokens/yr", "308 T tokens/yr"),
    (1.2e20, "tokens", "120 E tokens"),
    (-38.12e9, "", "-38.1 B"),
    (0, "", "0"),
    (float("nan"), "USD", "n/a"),
    (None, "USD", "n/a"),
])
def test_human(value, unit, expected):
    assert human(value, unit) == expected


def test_human_digits_and_unscaled():
    assert human(38.124467e9, "USD", digits=4) == "38.12 B USD"
    assert human(454536.0, scale=False) == "454,536"
    assert human(7.0129, "TWh/yr", scale=False) == "7.01 TWh/yr"


def test_zero_within_rounding_prints_0():
    # an NPV of -1.24e-05 USD at the break-even price of a 37 B USD factory is 0; a real one is not
    assert human(-1.24e-05, "USD", reference=37e9) == "0 USD"
    assert human(-40.0, "USD", reference=37e9) == "-40 USD"
    assert human(-1.24e-05, "USD") == "-1.24e-05 USD"  # without a reference, nothing is rounded away


def test_energy_and_power_carry_an_si_prefix():
    assert si(Q_(6.665e9, "Wh/year"), "Wh/year") == "6.67 GWh/yr"  # not 0.006665 TWh/yr
    assert si(Q_(7.013e12, "Wh/year"), "Wh/year") == "7.01 TWh/yr"
    assert si(Q_(833.3e6, "W"), "W") == "833 MW"
    assert si(Q_(1.0087e16, "Wh"), "Wh") == "10.1 PWh"


def test_q_converts_to_the_unit_asked():
    assert q(Q_(1e9, "W"), "MW") == "1,000 MW"
    assert q(Q_(0.0806, "USD/kWh"), "USD/MWh") == "80.6 USD/MWh"
    assert q(Q_(0.12345, ""), "%") == "12.3 %"
    assert q(Q_(0.03, "1/year"), "%/year") == "3 %/yr"
    assert q(Q_(11.01e9, "USD/year"), "USD/year") == "11 B USD/yr"
    assert q(Q_(1.2, ""), "1") == "1.2"


def test_share():
    assert share(Q_(20.83e9, "USD"), Q_(38.12e9, "USD")) == "54.6 %"
    assert share(Q_(1, "MUSD"), Q_(4e6, "USD")) == "25.0 %"  # converted to the total's unit first
    assert share(Q_(1, "USD"), Q_(0, "USD")) == "n/a"


def test_claim_value():
    assert claim_value(38.124467, "GUSD") == "38.1 B USD"
    assert claim_value(57.96, "MUSD") == "58 M USD"
    assert claim_value(4.6405, "1", "cost_ratio") == "4.64x"  # a ratio says it is one
    assert claim_value(0.193, "1", "cost_share") == "19.3 %"  # a share too
    assert claim_value(10087.0, "TWh") == "10.1 PWh"
    assert claim_value(2.3766, "USD/h") == "2.38 USD/h"


def test_display_unit_and_param_text():
    assert display_unit("electricity_price") == "USD/MWh"
    assert display_unit("not-a-parameter", Q_(1, "kW")) == "kW"
    assert param_text("facility_power", Q_(1e9, "W")) == "1,000 MW"
    assert param_text("wacc", Q_(0.1, "")) == "10 %"
    assert param_text("accelerator", "h100") == "h100"


def test_origin_text_each_kind():
    figure = catalog.accelerator("h100").figure("system_price")
    assert figure.estimate
    assert origin_text(None) == ""
    assert origin_text(Origin("user")) == "you"
    assert origin_text(Origin("throughput", "measured")) == "throughput measured (see note below)"
    assert origin_text(Origin("catalog", "h100", (figure,))) == f"catalog h100: {figure.source} (estimate)"
    assert origin_text(Origin("default", "", (figure,))) == f"default: {figure.source} (estimate)"
    assert origin_text(Origin("cooling", "air")) == "cooling type air"
    assert origin_text(Origin("power", "grid", (figure,))) == f"power source grid: {figure.source} (estimate)"
    assert origin_text(Origin("parameter", "facility_life")) == "facility_life"


def test_rows_table_keeps_every_row_in_order():
    out = text(rows_table("Title", ("a", "b"), [("one", 1), ("two", 2.5), ("three", "x")]))
    assert out.splitlines()[0].strip() == "Title"
    assert [cells(line) for line in body(out)] == [["one", "1"], ["two", "2.5"], ["three", "x"]]


def test_kv_table_label_left_value_right():
    out = text(kv_table("KV", [("alpha", "1 USD"), ("beta", "2 USD")]))
    assert row(out, "alpha") == ["1 USD"]
    assert row(out, "beta") == ["2 USD"]
    alpha = [line for line in out.splitlines() if "alpha" in line][0]
    assert alpha.index("alpha") < alpha.index("1 USD")


def test_dumps_is_the_records_dict_as_strict_json():
    result = factory(facility_power="100 MW")
    data = json.loads(records.dumps(result))
    assert data == json.loads(json.dumps(result.to_dict()))
    assert data["capex"]["total"]["value"] == pytest.approx(result.capex.total.m_as("USD"))
    assert records.dumps({"a": "m³"}) == '{\n  "a": "m³"\n}'
    with pytest.raises(ValueError):
        records.dumps({"a": math.nan})
    with pytest.raises(ValueError):
        records.dumps({"a": np.inf})


def test_every_answer_is_checked_finite_naming_the_result():
    """One check before anything is written (table, JSON, CSV): the first non-finite number, by its key."""
    from tokencalc.errors import TokencalcError

    assert records.checked({"a": {"value": 1.0, "unit": "W"}, "b": [1.0, None]}) == {
        "a": {"value": 1.0, "unit": "W"}, "b": [1.0, None]}
    with pytest.raises(TokencalcError, match=r"^water_per_year: the result is inf"):
        records.checked({"water_per_year": {"value": math.inf, "unit": "L"}})
    with pytest.raises(TokencalcError, match=r"^years\[1\]\.npv: the result is nan"):
        records.checked({"years": [{"npv": 1.0}, {"npv": math.nan}]})
    with pytest.raises(TokencalcError, match=r"^cost: the result is -inf"):
        records.check_finite(np.array([1.0, -np.inf]), "cost")


def test_render_plain_text_at_120_columns_when_piped(monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False, raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)
    wide = rows_table("Wide", ("a",), [("x" * 300,)])
    out = console.render(wide)
    assert "\x1b[" not in out
    assert 118 <= max(len(line) for line in out.splitlines()) <= 120  # the table's edge padding is stripped
    assert console.PIPED_WIDTH == 120
    narrow = console.render(rows_table("Narrow", ("a",), [("x",)]))
    assert all(line == line.rstrip() for line in narrow.splitlines())  # no padding to 120
    monkeypatch.setenv("COLUMNS", "80")
    assert 78 <= max(len(line) for line in console.render(wide).splitlines()) <= 80
    monkeypatch.setenv("COLUMNS", "wide")  # not a width: the default
    assert 118 <= max(len(line) for line in console.render(wide).splitlines()) <= 120
