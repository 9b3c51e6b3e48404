"""Cash flows of an AI factory over its life: NPV, IRR, payback and the break-even token price.

Year by year (end-of-year convention), for a scalar scenario:

* construction: the initial capex, spread evenly over ``build_period`` years (all at t = 0 when
  it is zero); operation runs for ``horizon`` years after it;
* refresh: each asset class (accelerators, network, facility, power plant) is bought again at
  the end of its economic life while the horizon lasts; at the horizon the assets still in use
  are worth the present value of their remaining level capital charges (so reference model v1's
  capital charge and these cash flows agree);
* revenue: ``price x (1 - token_price_decline)^(k-1) x tokens_per_year`` in operating year k;
* operating costs: the factory's electricity, fuel, plant O&M and operations lines;
* tax: ``tax_rate x (revenue - operating costs - book depreciation)``; a negative tax is a loss
  offset against other income of the owner; book depreciation follows
  ``depreciation_method`` over ``accelerator_book_life`` (other assets: their economic lives);
* debt (reporting only): ``debt_share`` of the initial capex, repaid in level payments over
  ``debt_term`` at ``cost_of_debt``. NPV and IRR are of the project's (unlevered) cash flows at
  the cost of capital ``wacc``, which already carries the financing mix.

In the neutral case (lives equal to the horizon, no tax, no build period, no price decline)
selling at reference model v1's cost per million tokens gives NPV = 0 and IRR = wacc.
Revenue and tax are linear in the price, so the break-even price is exact:
``price* = -NPV(0) / (NPV(1) - NPV(0))`` at the wacc or at a target IRR.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import attrs
import numpy as np

from .errors import ParameterError
from .finance import (capital_recovery_factor, depreciation_schedule, internal_rate_of_return, net_present_value,
                      payback_period)

__all__ = ["CashflowResult", "cashflow", "breakeven_price", "breakeven_study"]

_ASSETS = (  # capex line, economic life parameter, book life parameter
    ("compute", "accelerator_life", "accelerator_book_life"),
    ("network", "network_life", "network_life"),
    ("facility", "facility_life", "facility_life"),
    ("power_plant", "plant_life", "plant_life"),
)
_COLUMNS = ("year", "capex", "revenue", "operating_costs", "depreciation", "tax", "residual_value", "cash_flow",
            "cumulative_cash_flow", "discounted_cash_flow", "debt_service", "accelerator_book_value",
            "accelerator_economic_value")


def _whole_years(quantity, name: str) -> int:
    value = float(quantity.m_as("year"))
    whole = round(value)
    if abs(value - whole) > 1e-9:
        raise ParameterError(name, f"{value:g} year is not allowed here; allowed: whole years for cash flows")
    return int(whole)


def _scalar(result) -> None:
    if np.ndim(result.cost_per_million_tokens.magnitude):
        raise ParameterError("parameters", "cash flows take single values; run one scenario at a time")


@attrs.frozen
class _Flows:
    """Per-year arrays (index = year t) for a given price."""

    columns: Mapping[str, np.ndarray]


def _flows(result, price_per_mtok: float, residual_curve=None) -> dict[str, np.ndarray]:
    s = result.scenario
    build = _whole_years(s.build_period, "build_period")
    horizon = _whole_years(s.horizon, "horizon")
    wacc = float(s.wacc.m_as(""))
    decline = float(s.token_price_decline.m_as("1/year"))
    tax_rate = float(s.tax_rate.m_as(""))
    n_years = build + horizon + 1
    t = np.arange(n_years)
    capex = np.zeros(n_years)
    residual = np.zeros(n_years)
    depreciation = np.zeros(n_years)
    book_remaining_at_end = 0.0

    start = 0 if build == 0 else 1  # construction outlays at the end of each build year
    for line, life_name, book_name in _ASSETS:
        cost = float(getattr(result.capex, line).m_as("USD"))
        if cost == 0:
            continue
        life = _whole_years(getattr(s, life_name), life_name)
        book_life = float(getattr(s, book_name).m_as("year"))
        method = s.depreciation_method if line == "compute" else "straight-line"
        purchases = []  # (operating year after which it is bought, t of payment)
        if build == 0:
            capex[0] += cost
        else:
            capex[start:start + build] += cost / build
        purchases.append(0)
        k = life
        while k < horizon:
            capex[build + k] += cost
            purchases.append(k)
            k += life
        crf = capital_recovery_factor(wacc, life)
        for k0 in purchases:
            schedule = depreciation_schedule(cost, book_life, method, years=horizon - k0,
                                             residual_curve=residual_curve if method == "custom" else None)
            depreciation[build + k0 + 1: build + k0 + 1 + len(schedule)] += schedule
            used = horizon - k0
            if used < life:  # still in use at the horizon: worth its remaining level charges
                remaining = life - used
                annuity = remaining if wacc == 0 else (1 - (1 + wacc) ** -remaining) / wacc
                residual[build + horizon] += cost * crf * annuity
                book_remaining_at_end += cost - schedule[:used].sum()

    operating = np.zeros(n_years)
    revenue = np.zeros(n_years)
    a = result.annual_cost
    opex = sum(float(getattr(a, k).m_as("USD/year")) for k in ("electricity", "fuel", "plant_operations",
                                                                  "operations"))
    tokens = float(result.tokens_per_year.m_as("Mtoken/year"))
    k = np.arange(1, horizon + 1)
    revenue[build + 1:] = price_per_mtok * tokens * (1 - decline) ** (k - 1)
    operating[build + 1:] = opex
    taxable = revenue - operating - depreciation
    taxable[-1] += residual[-1] - book_remaining_at_end  # gain (or loss) on the residual value
    tax = tax_rate * taxable
    cash = -capex + revenue - operating - tax + residual
    return {"t": t, "capex": capex, "revenue": revenue, "operating_costs": operating, "depreciation": depreciation,
            "tax": tax, "residual_value": residual, "cash_flow": cash, "build": build, "horizon": horizon}


@attrs.frozen
class CashflowResult:
    """The yearly table and the summary of an AI factory's cash flows at a token price."""

    factory: Any  # FactoryResult
    price: Any  # Quantity USD/Mtoken (first operating year)
    years: tuple[dict[str, float], ...]
    npv: Any  # Quantity USD
    irr: float | None
    payback_period: Any  # Quantity year, or None (from the start of construction)
    breakeven_price_per_million_tokens: Any
    equity_irr: float | None

    def to_dict(self) -> dict[str, Any]:
        from .report import cashflow_dict

        return cashflow_dict(self)


def _debt_service(result, n_years: int, build: int) -> np.ndarray:
    s = result.scenario
    share = float(s.debt_share.m_as(""))
    out = np.zeros(n_years)
    if share == 0:
        return out
    debt = share * float(result.capex.total.m_as("USD"))
    term = _whole_years(s.debt_term, "debt_term")
    rate = float(s.cost_of_debt.m_as(""))
    payment = debt * capital_recovery_factor(rate, term)
    out[build + 1: build + 1 + term] = payment
    return out


def _economic_value(result, n_years: int, build: int, horizon: int) -> np.ndarray:
    """Value of the first accelerators at the end of each year: the present value of what they still earn,
    their margin falling with the token price (the treadmill)."""
    s = result.scenario
    life = _whole_years(s.accelerator_life, "accelerator_life")
    wacc = float(s.wacc.m_as(""))
    decline = float(s.token_price_decline.m_as("1/year"))
    cost = float(result.capex.compute.m_as("USD"))
    margins = (1 - decline) ** np.arange(life)  # relative earnings in years 1..life
    def pv_from(k):
        j = np.arange(k + 1, life + 1)
        return float(np.sum(margins[j - 1] * (1 + wacc) ** -(j - k)))
    total = pv_from(0)
    out = np.full(n_years, np.nan)
    for k in range(0, min(life, horizon) + 1):
        out[build + k] = cost * pv_from(k) / total
    return out


def _book_value(result, n_years: int, build: int, horizon: int, residual_curve) -> np.ndarray:
    s = result.scenario
    cost = float(result.capex.compute.m_as("USD"))
    life = _whole_years(s.accelerator_life, "accelerator_life")
    schedule = depreciation_schedule(cost, float(s.accelerator_book_life.m_as("year")), s.depreciation_method,
                                     years=max(life, 1), residual_curve=residual_curve)
    out = np.full(n_years, np.nan)
    for k in range(0, min(life, horizon) + 1):
        out[build + k] = cost - schedule[:k].sum()
    return out


def breakeven_price(result, rate: float | None = None, residual_curve=None) -> float:
    """Price per million tokens [USD] (first operating year) at which NPV at ``rate`` (default wacc) is zero."""
    r = float(result.scenario.wacc.m_as("")) if rate is None else float(rate)
    npv0 = net_present_value(r, _flows(result, 0.0, residual_curve)["cash_flow"])
    npv1 = net_present_value(r, _flows(result, 1.0, residual_curve)["cash_flow"])
    if npv1 - npv0 <= 0:
        raise ParameterError("tokens_per_year", "no revenue to break even with")
    return -npv0 / (npv1 - npv0)


def cashflow(price=None, scenario=None, residual_curve: Sequence[float] | None = None, **parameters: Any):
    """Year-by-year cash flows at a token ``price`` (USD/Mtoken; default: the break-even price).

    ``parameters`` are factory parameters (including the finance ones: horizon, build_period,
    token_price_decline, tax_rate, depreciation_method, accelerator_book_life, debt_share,
    cost_of_debt, debt_term). ``residual_curve``: book value fractions for ``custom`` depreciation.
    """
    from .factory_model import factory
    from .units import Q_, as_quantity

    result = factory(scenario, **parameters)
    _scalar(result)
    if result.scenario.depreciation_method == "custom" and not residual_curve:
        raise ParameterError("depreciation_method", "custom needs a residual curve (--residual-curve 0.6,0.35,...)")
    try:
        be = breakeven_price(result, residual_curve=residual_curve)
    except ValueError as exc:
        raise ParameterError("residual_curve", str(exc).split(": ", 1)[-1]) from None
    if price is None:
        price_value = be
    else:
        price_value = float(as_quantity(price, "USD/Mtoken", "price").magnitude)
        if price_value < 0:
            raise ParameterError("price", f"{price_value:g} USD/Mtoken is not allowed; allowed: >= 0")
    flows = _flows(result, price_value, residual_curve)
    s = result.scenario
    wacc = float(s.wacc.m_as(""))
    cash = flows["cash_flow"]
    n = len(cash)
    debt = _debt_service(result, n, flows["build"])
    debt_in = np.zeros(n)
    debt_in[0 if flows["build"] == 0 else 1] = float(s.debt_share.m_as("")) * float(result.capex.total.m_as("USD"))
    equity = cash + debt_in - debt
    columns = {
        "year": flows["t"].astype(float),
        "capex": flows["capex"],
        "revenue": flows["revenue"],
        "operating_costs": flows["operating_costs"],
        "depreciation": flows["depreciation"],
        "tax": flows["tax"],
        "residual_value": flows["residual_value"],
        "cash_flow": cash,
        "cumulative_cash_flow": np.cumsum(cash),
        "discounted_cash_flow": cash * (1 + wacc) ** -flows["t"],
        "debt_service": debt,
        "accelerator_book_value": _book_value(result, n, flows["build"], flows["horizon"], residual_curve),
        "accelerator_economic_value": _economic_value(result, n, flows["build"], flows["horizon"]),
    }
    years = tuple({k: float(columns[k][i]) for k in _COLUMNS} for i in range(n))
    payback = payback_period(cash)
    return CashflowResult(
        factory=result,
        price=Q_(price_value, "USD/Mtoken"),
        years=years,
        npv=Q_(net_present_value(wacc, cash), "USD"),
        irr=internal_rate_of_return(cash),
        payback_period=None if payback is None else Q_(payback, "year"),
        breakeven_price_per_million_tokens=Q_(be, "USD/Mtoken"),
        equity_irr=internal_rate_of_return(equity) if float(s.debt_share.m_as("")) > 0 else None,
    )


def breakeven_study(target_irr=None, market_price=None, residual_curve=None, **parameters: Any) -> dict[str, Any]:
    """Break-even price and first-year revenue at the wacc (or ``target_irr``), and the margin at a market price."""
    from .factory_model import factory
    from .units import Q_, as_quantity

    result = factory(**parameters)
    _scalar(result)
    if target_irr is None:
        rate, kind = float(result.scenario.wacc.m_as("")), "NPV = 0 at the cost of capital"
    else:
        rate = float(as_quantity(target_irr, "1", "target_irr").magnitude)
        if not -0.99 < rate < 10:
            raise ParameterError("target_irr", f"{rate:g} is not allowed; allowed: > -0.99 and < 10")
        kind = "NPV = 0 at the target IRR"
    price = Q_(breakeven_price(result, rate, residual_curve), "USD/Mtoken")
    out = {"result": result, "rate": rate, "rate_kind": kind, "price": price,
           "revenue": (price * result.tokens_per_year).to("USD/year")}
    if market_price is not None:
        market = as_quantity(market_price, "USD/Mtoken", "market_price")
        if market.magnitude <= 0:
            raise ParameterError("market_price", f"{market.magnitude:g} USD/Mtoken is not allowed; allowed: > 0")
        out["market_price"] = market
        out["margin"] = float(((market - price) / market).m_as(""))
    return out
