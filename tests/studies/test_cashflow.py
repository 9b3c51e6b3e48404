"""The cash-flow and break-even studies: neutral cases against reference model v1, directions, the CLI."""

import csv
import io
import math

import pytest

import tokencalc as tc
from tokencalc.studies.cashflow import breakeven_price, cashflow

NEUTRAL = dict(build_period=0, tax_rate=0, token_price_decline=0)


@pytest.mark.parametrize("lives", [
    dict(accelerator_life=20, network_life=20, facility_life=20, accelerator_book_life=20),
    dict(),  # 4, 5 and 20 years: refreshes inside a 20-year horizon
])
def test_neutral_case_reproduces_v1(lives):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tc.TokencalcWarning)
        v1 = tc.factory(**NEUTRAL, **lives)
        c = cashflow(price=v1.cost_per_million_tokens, **NEUTRAL, **lives)
    assert c.npv.m_as("USD") == pytest.approx(0, abs=1e-6 * v1.capex.total.m_as("USD"))
    assert c.irr == pytest.approx(v1.scenario.wacc.m_as(""), abs=1e-9)
    assert c.breakeven_price_per_million_tokens.m_as("USD/Mtoken") == pytest.approx(
        v1.cost_per_million_tokens.m_as("USD/Mtoken"), rel=1e-9)


def test_neutral_case_with_plant_and_odd_horizon():
    """Assets outliving the horizon are worth their remaining capital charges: still NPV = 0."""
    v1 = tc.factory(power_source="gas-ccgt", horizon=7, **NEUTRAL)
    c = cashflow(price=v1.cost_per_million_tokens, power_source="gas-ccgt", horizon=7, **NEUTRAL)
    assert c.irr == pytest.approx(0.10, abs=1e-9)


def _above_breakeven(factor: float, **parameters):
    """A token price ``factor`` times the break-even price of these parameters (profitable above 1)."""
    return f"{factor * breakeven_price(tc.factory(**parameters)):.6g} USD/Mtoken"


def test_price_and_decline_move_npv_and_irr():
    low = cashflow(price=_above_breakeven(1.2))
    high = cashflow(price=_above_breakeven(1.6))
    falling = cashflow(price=_above_breakeven(1.6), token_price_decline=0.2)
    assert high.npv > low.npv and high.irr > low.irr
    assert falling.npv < high.npv and falling.irr < high.irr
    assert high.payback_period < low.payback_period


def test_taxes_and_build_period_raise_breakeven():
    base = tc.factory(**NEUTRAL)
    assert breakeven_price(tc.factory(build_period=2, tax_rate=0, token_price_decline=0)) > \
        breakeven_price(base)
    assert breakeven_price(tc.factory(build_period=0, tax_rate=0.21, token_price_decline=0)) > \
        breakeven_price(base)


def test_faster_depreciation_lowers_breakeven_with_taxes():
    """Earlier tax deductions are worth more: declining balance beats straight-line."""
    sl = tc.factory(depreciation_method="straight-line")
    ddb = tc.factory(depreciation_method="declining-balance")
    assert breakeven_price(ddb) < breakeven_price(sl)


def test_treadmill_economic_value_falls_faster_than_book():
    c = cashflow(price=_above_breakeven(1.5), token_price_decline=0.5, accelerator_book_life=6, build_period=0)
    year2 = c.years[2]
    assert year2["accelerator_economic_value"] < year2["accelerator_book_value"]


def test_debt_service_schedule():
    c = cashflow(price=_above_breakeven(2.0), debt_share=0.5, cost_of_debt=0.08, debt_term=5, build_period=0)
    debt = 0.5 * c.factory.capex.total.m_as("USD")
    payment = debt * 0.08 / (1 - 1.08 ** -5)
    assert [row["debt_service"] for row in c.years[1:6]] == pytest.approx([payment] * 5)
    assert c.years[6]["debt_service"] == 0
    assert c.equity_irr > c.irr  # leverage at 8 % below the project's return


def test_cashflow_cli(cli):
    r = cli("cashflow", "--price", "2 USD/Mtoken", "--json")
    assert r.code == 0, r.err
    d = r.json()
    for key in ("npv", "irr", "payback_period", "years", "breakeven_price_per_million_tokens"):
        assert key in d
    assert d["years"][0]["year"] == 0 and "cash_flow" in d["years"][1]
    rows = list(csv.reader(io.StringIO(cli("cashflow", "--csv").out)))
    assert rows[0][0] == "year" and len(rows) == len(d["years"]) + 1
    assert "NPV" in cli("cashflow").out


def test_breakeven_cli(cli):
    d = cli("breakeven", "--json").json()
    v1 = tc.factory()
    assert d["breakeven_price_per_million_tokens"]["value"] > 0
    assert d["breakeven_revenue_per_year"]["value"] == pytest.approx(
        d["breakeven_price_per_million_tokens"]["value"] * v1.tokens_per_year.m_as("Mtoken/year"))
    higher = cli("breakeven", "--target-irr", "0.2", "--json").json()
    assert higher["breakeven_price_per_million_tokens"]["value"] > d["breakeven_price_per_million_tokens"]["value"]
    market = cli("breakeven", "--market-price", "1 USD/Mtoken", "--json").json()
    assert market["profitable"] and 0 < market["margin"] < 1
    cheap = cli("breakeven", "--market-price", "0.001 USD/Mtoken", "--json").json()
    assert not cheap["profitable"]
    financed = cli("breakeven", "--debt-share", "0.6", "--cost-of-debt", "0.08", "--cost-of-equity", "0.15",
                   "--json").json()
    assert financed["scenario"]["wacc"]["value"] == pytest.approx(0.09792)


@pytest.mark.parametrize("args, fragment", [
    (["cashflow", "--horizon", "7.5"], "whole years"),
    (["cashflow", "--depreciation", "custom"], "residual curve"),
    (["cashflow", "--depreciation", "custom", "--residual-curve", "0.5,0.7"], "do not increase"),
    (["cashflow", "--residual-curve", "a,b"], "fractions separated by commas"),
    (["cashflow", "--price", "-1"], "price"),
    (["cashflow", "--price-decline", "1.5"], "token_price_decline"),
    (["breakeven", "--market-price", "0"], "market_price"),
    (["breakeven", "--target-irr", "abc"], "target_irr"),
])
def test_finance_cli_errors(cli, args, fragment):
    r = cli(*args)
    assert r.code == 2 and fragment in r.err, r.err


def test_custom_depreciation_runs(cli):
    r = cli("cashflow", "--depreciation", "custom", "--residual-curve", "0.5,0.25,0.1", "--json")
    assert r.code == 0, r.err
    assert not math.isnan(r.json()["npv"]["value"])



def test_a_price_per_rented_accelerator_hour_is_the_token_price_of_the_same_revenue():
    import tokencalc as tc

    base = dict(accelerator="h100", facility_power="100 MW")
    r = tc.factory(**base)
    tps = r.scenario.tokens_per_second_per_accelerator.m_as("token/s")
    hourly = tc.cashflow(price="2.1 USD/h", **base)
    # 2.1 USD per hour / (tps tokens/s x 3,600 s) x 1e6
    assert hourly.price.m_as("USD/Mtoken") == pytest.approx(2.1 / (tps * 3600) * 1e6, rel=1e-12)
    per_token = tc.cashflow(price=hourly.price, **base)
    assert per_token.npv.m_as("USD") == pytest.approx(hourly.npv.m_as("USD"), rel=1e-12)
    assert hourly.price_per_accelerator_hour.m_as("USD/hour") == pytest.approx(2.1)
    # the first-year revenue is what renting the busy hours earns: price x accelerators x utilization x hours
    revenue = next(y["revenue"] for y in hourly.years if y["revenue"])  # the first operating year
    assert revenue == pytest.approx(2.1 * r.accelerators * r.scenario.utilization.m_as("") * 8766, rel=1e-9)
    # the break-even per hour and per token are one price
    assert hourly.breakeven_price_per_accelerator_hour.m_as("USD/hour") == pytest.approx(
        hourly.breakeven_price_per_million_tokens.m_as("USD/Mtoken") * tps * 3600 / 1e6, rel=1e-12)


def test_breakeven_takes_a_market_price_per_hour():
    import tokencalc as tc

    b = tc.breakeven(market_price="2.1 USD/h", accelerator="h100", facility_power="100 MW")
    assert b.market_price_per_accelerator_hour.m_as("USD/hour") == pytest.approx(2.1)
    assert (b.margin > 0) == (2.1 > b.price_per_accelerator_hour.m_as("USD/hour"))
    with pytest.raises(tc.TokencalcError, match="per accelerator-hour"):
        tc.breakeven(market_price="2 USD/kg", accelerator="h100", facility_power="100 MW")
