"""cashflow_renderable and breakeven_renderable against the cash flows and the break-even result."""

import math

import numpy as np
import pytest

from tokencalc.present.finance import breakeven_renderable, cashflow_renderable
from tokencalc.studies import cashflow as study

from .expect import body, cells, flat, human, number, row, section, text

COLUMNS = {"year": "year", "capex": "capex", "revenue": "revenue", "operating_costs": "opex", "tax": "tax",
           "residual_value": "residual", "cash_flow": "cash flow", "cumulative_cash_flow": "cumulative",
           "debt_service": "debt service", "accelerator_book_value": "GPU book value",
           "accelerator_economic_value": "GPU economic value"}

CASES = {
    "breakeven": {},
    "debt": {"price": 0.3, "debt_share": 0.5, "token_price_decline": 0.1},  # above break-even: IRR > cost of debt
    "loss": {"price": 0.02},
}


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request):
    c = study.cashflow(**CASES[request.param])
    return request.param, c, text(cashflow_renderable(c))


def _summary(out):
    return section(out, "NPV at the cost of capital", "Year by year")


def _cell(value):
    if not np.isfinite(value):
        return ""
    return human(value) if value else "0"


def test_head(case):
    _, c, out = case
    s = c.factory.scenario
    assert flat(out).startswith(
        f"Cash flows at {c.price.m_as('USD/Mtoken'):.3g} USD per million tokens (= "
        f"{c.price_per_accelerator_hour.m_as('USD/hour'):.3g} USD per rented accelerator-hour) (falling "
        f"{100 * s.token_price_decline.m_as('1/year'):g} %/yr), {human(c.factory.facility_power.m_as('MW'), 'MW')} "
        f"{s.accelerator}, horizon {s.horizon.m_as('year'):g} yr after {s.build_period.m_as('year'):g} yr of "
        f"construction, tax {100 * s.tax_rate.m_as(''):g} %, {s.depreciation_method} over "
        f"{s.accelerator_book_life.m_as('year'):g} yr")


def test_npv_irr_payback_and_breakeven(case):
    name, c, out = case
    s = c.factory.scenario
    block = _summary(out)
    wacc = s.wacc.m_as("")
    flows = np.array([y["cash_flow"] for y in c.years])
    years = np.array([y["year"] for y in c.years])
    npv = float(np.sum(flows / (1 + wacc) ** years))
    assert c.npv.m_as("USD") == pytest.approx(npv, rel=1e-9, abs=1e-9 * abs(flows).max())
    assert row(block, f"NPV at the cost of capital ({100 * wacc:g} %)") == [
        human(c.npv.m_as("USD"), "USD", reference=c.factory.capex.total.m_as("USD"))]
    if c.irr is None:
        assert row(block, "IRR (project)") == ["none"]
    else:
        assert float(np.sum(flows / (1 + c.irr) ** years)) == pytest.approx(0, abs=1e-6 * abs(flows).max())
        assert row(block, "IRR (project)") == [f"{100 * c.irr:.2f} %"]
    equity = f"IRR (equity, {100 * s.debt_share.m_as(''):g} % debt)"
    if name == "debt":
        assert c.equity_irr is not None and abs(c.equity_irr - c.irr) > 1e-3
        assert row(block, equity) == [f"{100 * c.equity_irr:.2f} %"]
    else:
        assert c.equity_irr is None
        assert "IRR (equity" not in block
    payback = "never" if c.payback_period is None else f"{c.payback_period.m_as('year'):.2f} yr"
    assert row(block, "Payback (from the start of construction)") == [payback]
    assert row(block, "Break-even price (NPV = 0)") == [
        f"{c.breakeven_price_per_million_tokens.m_as('USD/Mtoken'):.3g} USD/Mtoken"]
    # per rented hour: the token price x tokens per accelerator-hour
    tph = s.tokens_per_second_per_accelerator.m_as("token/s") * 3600 / 1e6
    assert row(block, "Break-even price per rented accelerator-hour") == [
        f"{c.breakeven_price_per_million_tokens.m_as('USD/Mtoken') * tph:.3g} USD/h"]


def test_at_the_breakeven_price_npv_is_nil_and_irr_is_the_wacc():
    c = study.cashflow()
    out = text(cashflow_renderable(c))
    block = _summary(out)
    wacc = c.factory.scenario.wacc.m_as("")
    assert row(block, "IRR (project)") == [f"{100 * wacc:.2f} %"]
    assert row(block, f"NPV at the cost of capital ({100 * wacc:g} %)") == ["0 USD"]  # zero within rounding
    assert abs(c.npv.m_as("USD")) < 1e-9 * c.factory.capex.total.m_as("USD")
    assert row(block, "Break-even price (NPV = 0)")[0] == f"{c.price.m_as('USD/Mtoken'):.3g} USD/Mtoken"


def test_year_by_year_table(case):
    _, c, out = case
    block = section(out, "Year by year")
    header = [line for line in block.splitlines() if line.strip().startswith("year")][0]
    assert cells(header) == list(COLUMNS.values())
    lines = body(block)
    assert len(lines) == len(c.years)
    for line, y in zip(lines, c.years):
        expected = [f"{int(y['year'])}"] + [_cell(y[k]) for k in COLUMNS if k != "year"]
        assert cells(line) == [e for e in expected if e], y["year"]


def test_cumulative_column_adds_up_the_cash_flows(case):
    _, c, out = case
    lines = body(section(out, "Year by year"))
    keys = list(COLUMNS)
    flow, cumulative = keys.index("cash_flow"), keys.index("cumulative_cash_flow")
    shown_flows = [number(cells(line)[flow]) for line in lines]
    shown_cum = [number(cells(line)[cumulative]) for line in lines]
    scale = max(abs(x) for x in shown_flows)
    for i in range(len(lines)):
        assert shown_cum[i] == pytest.approx(sum(shown_flows[:i + 1]), abs=2e-3 * scale * (i + 1))
    # the capex column shows the capex of the factory in the construction year
    build = int(c.factory.scenario.build_period.m_as("year"))
    assert cells(lines[build])[1] == human(c.factory.capex.total.m_as("USD"))


@pytest.mark.parametrize("options", [dict(market_price=0.05), dict(market_price=0.02), dict(target_irr=0.15), {}])
def test_breakeven(options):
    b = study.breakeven(**options)
    out = text(breakeven_renderable(b))
    assert flat(out).startswith(f"Break-even ({b.rate_kind} {100 * b.rate:g} %)")
    if "target_irr" in options:
        assert b.rate == options["target_irr"]
    else:
        assert b.rate == b.factory.scenario.wacc.m_as("")
    price = b.price.m_as("USD/Mtoken")
    assert b.revenue.m_as("USD/year") == pytest.approx(price * b.factory.tokens_per_year.m_as("Mtoken/year"))
    assert row(out, "Break-even price per million tokens") == [f"{price:.3g} USD"]
    assert row(out, "Break-even revenue in the first year") == [human(b.revenue.m_as("USD/year"), "USD/yr")]
    tph = b.factory.scenario.tokens_per_second_per_accelerator.m_as("token/s") * 3600 / 1e6
    assert row(out, "Break-even price per rented accelerator-hour") == [f"{price * tph:.3g} USD"]
    assert row(out, "Levelized cost per million tokens (v1: no build period, no tax)") == [
        f"{b.factory.cost_per_million_tokens.m_as('USD/Mtoken'):.3g} USD"]
    if "market_price" not in options:
        assert "Market price" not in out and "Margin" not in out
        return
    market = options["market_price"]
    margin = (market - price) / market
    verdict = "profitable" if margin > 0 else "not profitable"
    assert row(out, "Market price per million tokens") == [f"{market:.3g} USD"]
    assert row(out, "Market price per rented accelerator-hour") == [f"{market * tph:.3g} USD"]
    assert row(out, "Margin (market - break-even) / market") == [f"{100 * margin:+.1f} % ({verdict})"]
    assert math.copysign(1, number(row(out, "Margin (market - break-even) / market")[0])) == math.copysign(1, margin)
