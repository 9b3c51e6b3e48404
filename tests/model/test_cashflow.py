"""model.cashflow: project cash flows on plain numbers, the neutral case and the break-even price.

The running case: one asset of 1,000 USD living 5 years, 50 USD/year of operating costs,
100 Mtoken/year, wacc 10 %. Reference model v1 charges 1,000 x crf(10 %, 5) = 263.7975 USD/year
(crf = 0.1 / (1 - 1.1^-5) = 0.1 / 0.3790787 = 0.2637975), so its cost per token is
(263.7975 + 50) / 100 = 3.137975 USD/Mtoken.
"""

import pytest

from tokencalc.model.cashflow import Asset, book_value, breakeven_price, debt_service, project_flows
from tokencalc.model.finance import net_present_value

WACC = 0.10
V1_PRICE = (1000 * 0.2637975 + 50) / 100  # 3.137975 USD/Mtoken


def flows(price, assets=(Asset(1000, 5, 5),), horizon=5, build=0, decline=0.0, tax=0.0):
    return project_flows(list(assets), build, horizon, WACC, decline, tax, operating_costs=50.0, tokens=100.0,
                         price=price)


def test_neutral_case_price_at_v1_cost_gives_npv_zero():
    f = flows(V1_PRICE)
    assert f["capex"].tolist() == [1000, 0, 0, 0, 0, 0]
    assert f["revenue"][1:] == pytest.approx([313.7975] * 5, rel=1e-6)
    assert f["cash_flow"] == pytest.approx([-1000] + [263.7975] * 5, rel=1e-6)
    assert net_present_value(WACC, f["cash_flow"]) == pytest.approx(0.0, abs=1e-3)


def test_neutral_case_with_a_refresh_and_a_residual_value():
    """A 2-year asset over 5 years: bought at 0, 2 and 4; the last is worth one remaining charge."""
    # crf(10 %, 2) = 0.1 / (1 - 1.1^-2) = 0.5761905; v1 price = (576.1905 + 50) / 100 = 6.261905
    asset = Asset(1000, 2, 2)
    f = flows(6.261905, assets=[asset])
    assert f["capex"].tolist() == [1000, 0, 1000, 0, 1000, 0]
    # residual at year 5: 576.1905 / 1.1 = 523.8095
    assert f["residual_value"][5] == pytest.approx(523.8095, rel=1e-6)
    assert net_present_value(WACC, f["cash_flow"]) == pytest.approx(0.0, abs=1e-3)
    assert breakeven_price(WACC, lambda p: flows(p, assets=[asset])["cash_flow"]) == pytest.approx(6.261905,
                                                                                                  rel=1e-6)


def test_breakeven_price_of_the_neutral_case_is_the_v1_cost():
    assert breakeven_price(WACC, lambda p: flows(p)["cash_flow"]) == pytest.approx(V1_PRICE, rel=1e-6)


def test_breakeven_price_is_exact_for_linear_flows():
    # NPV(p) = -100 + p x (60 / 1.1 + 60 / 1.21) = -100 + 104.13223 p  ->  p* = 0.9603175
    assert breakeven_price(0.10, lambda p: [-100, 60 * p, 60 * p]) == pytest.approx(0.9603175, rel=1e-6)
    # the cash flows are linear in the price, with tax and a falling price too: equal steps of NPV
    npv = [net_present_value(WACC, flows(p, decline=0.2, tax=0.21)["cash_flow"]) for p in (0.0, 1.0, 2.0, 5.0)]
    assert npv[2] - npv[1] == pytest.approx(npv[1] - npv[0], rel=1e-9)
    assert npv[3] - npv[0] == pytest.approx(5 * (npv[1] - npv[0]), rel=1e-9)
    with pytest.raises(ValueError, match="no revenue"):
        breakeven_price(0.10, lambda p: [-100, 60, 60])


def test_tax_on_profit_after_depreciation():
    # price 5: revenue 500, operating 50, straight-line depreciation 200 -> taxable 250, tax at 20 % = 50
    f = flows(5.0, tax=0.2)
    assert f["depreciation"][1:] == pytest.approx([200] * 5)
    assert f["tax"][1:] == pytest.approx([50] * 5)
    assert f["cash_flow"][1:] == pytest.approx([500 - 50 - 50] * 5)


def test_build_period_and_price_decline():
    f = flows(4.0, build=2, decline=0.5)
    # construction spread over the two build years (end-of-year outlays), revenue from year 3
    assert f["capex"].tolist() == [0, 500, 500, 0, 0, 0, 0, 0]
    assert f["revenue"].tolist() == [0, 0, 0, 400, 200, 100, 50, 25]


def test_debt_service_is_a_level_annuity():
    # 1,000 at 8 % over 5 years: 1,000 x 0.08 / (1 - 1.08^-5) = 250.4565 a year, after a 1-year build
    payments = debt_service(1000, 5, 0.08, 8, 1)
    assert payments[:2].tolist() == [0, 0]
    assert payments[2:7] == pytest.approx([250.4565] * 5, rel=1e-6)
    assert payments[7] == 0
    assert not debt_service(0, 5, 0.08, 8, 1).any()


def test_book_value_falls_with_depreciation():
    # straight-line over 4 years: 100, 75, 50, 25, 0 at the end of years 0..4
    values = book_value(100, 4, "straight-line", 4, 6, 0, 5)
    assert values[:5].tolist() == [100, 75, 50, 25, 0]
