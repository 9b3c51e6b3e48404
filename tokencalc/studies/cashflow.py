"""Cash flows of an AI factory over its life: NPV, IRR, payback and the break-even token price.

A factory result (reference model v1) gives the capex by asset, the yearly operating costs and
the tokens; :mod:`tokencalc.model.cashflow` turns them into yearly flows at a price. Debt is
for reporting: NPV and IRR are of the project's (unlevered) flows at the cost of capital
``wacc``, which already carries the financing mix; the equity IRR adds the debt.
"""

from __future__ import annotations

from typing import Any, Sequence

import attrs
import numpy as np
import pint

from ..errors import ParameterError, TokencalcError
from ..model import cashflow as flows_model
from ..model.tokens import hourly_price_of_token_price, token_price_of_hourly_price
from ..model.finance import internal_rate_of_return, net_present_value, payback_period
from ..units import Q_, as_quantity, is_bare, jsonable
from .factory import AnnualCost, FactoryResult, factory
from .record import Result, envelope
from .token_kinds import (complete_kind_prices, kind_price_record, kind_prices_blended, parse_kind_prices,
                          token_kinds_record)

__all__ = ["CashflowResult", "cashflow", "breakeven_price", "BreakevenResult", "breakeven", "COLUMNS"]

_ASSETS = (  # capex line, economic life parameter, book life parameter
    ("compute", "accelerator_life", "accelerator_book_life"),
    ("network", "network_life", "network_life"),
    ("facility", "facility_life", "facility_life"),
    ("power_plant", "plant_life", "plant_life"),
)
COLUMNS = ("year", "capex", "revenue", "operating_costs", "depreciation", "tax", "residual_value", "cash_flow",
           "cumulative_cash_flow", "discounted_cash_flow", "debt_service", "accelerator_book_value",
           "accelerator_economic_value")


def _whole_years(quantity, name: str) -> int:
    value = float(quantity.m_as("year"))
    whole = round(value)
    if abs(value - whole) > 1e-9:
        raise ParameterError(name, f"{value:g} year is not allowed here; allowed: whole years for cash flows")
    return int(whole)


def _token_price(value, result, name: str) -> float:
    """A price the user gave per million tokens, per token kind (``"input=0.5,cached=0.05,output=2 USD/Mtoken"``:
    the one price of the factory's token mix), or per accelerator-hour (rented GPU-hours, the neocloud
    business), as USD/Mtoken of this factory's throughput; a bare number is USD/Mtoken."""
    by_kind = parse_kind_prices(value, name)
    if by_kind is not None:
        return float(kind_prices_blended(by_kind, result).m_as("USD/Mtoken"))
    hourly = None
    if isinstance(value, pint.Quantity) or (isinstance(value, str) and not is_bare(value)):  # bare: USD/Mtoken
        try:
            hourly = as_quantity(value, "USD/hour", name)
        except ParameterError:
            hourly = None
    try:
        quantity = (token_price_of_hourly_price(hourly, result.scenario.tokens_per_second_per_accelerator)
                    if hourly is not None else as_quantity(value, "USD/Mtoken", name))
    except ParameterError:
        raise ParameterError(name, f"{str(value)[:40]!r} is not a price; give one per million tokens "
                                   "(e.g. '0.5 USD/Mtoken'), per token kind (e.g. 'input=0.5,cached=0.05,output=2 "
                                   "USD/Mtoken') or per accelerator-hour (e.g. '2.1 USD/h')") from None
    price = float(quantity.m_as("USD/Mtoken"))
    if price < 0 or (hourly is not None and hourly.magnitude < 0):
        raise ParameterError(name, f"{str(value)[:40]} is not allowed; allowed: >= 0")
    return price


def _kinds(result: FactoryResult, breakeven_price) -> dict[str, Any]:
    """The token kinds' record with the break-even price per kind, scaled from the blended break-even price."""
    scale = (Q_(breakeven_price, "USD/Mtoken") / result.cost_per_million_tokens).m_as("")
    return token_kinds_record(result, result.breakeven_input_price_per_million_tokens * scale)


def _per_hour(price_per_million_tokens: float, result):
    """A token price as the price per accelerator-hour that earns the same [USD/hour]."""
    return hourly_price_of_token_price(Q_(price_per_million_tokens, "USD/Mtoken"),
                                       result.scenario.tokens_per_second_per_accelerator)


def _curve(curve) -> list[float] | None:
    """A residual curve: book value fractions of cost at the end of each year, between 0 and 1, not increasing."""
    if curve is None:
        return None
    try:
        values = [float(x) for x in curve] if not isinstance(curve, (str, bytes)) else None
    except (TypeError, ValueError):
        values = None
    if not values or len(values) > 1000 or not all(np.isfinite(values)) or any(not 0 <= x <= 1 for x in values) \
            or any(b > a for a, b in zip(values, values[1:])):
        raise ParameterError("residual_curve", f"{str(curve)[:60]} is not allowed; allowed: 1 to 1,000 fractions "
                             "between 0 and 1 that do not increase, e.g. [0.6, 0.35, 0.2]")
    return values


def _scalar(result) -> None:
    if not result.scalar:
        raise ParameterError("parameters", "cash flows take single values; run one scenario at a time")


def _flows_at(result: FactoryResult, residual_curve=None):
    """A function price -> the project's yearly arrays, for this factory."""
    s = result.scenario
    assets = []
    for line, life_name, book_name in _ASSETS:
        cost = float(getattr(result.capex, line).m_as("USD"))
        if cost == 0:
            continue
        assets.append(flows_model.Asset(cost, _whole_years(getattr(s, life_name), life_name),
                                        float(getattr(s, book_name).m_as("year")),
                                        s.depreciation_method if line == "compute" else "straight-line"))
    build = _whole_years(s.build_period, "build_period")
    horizon = _whole_years(s.horizon, "horizon")
    opex = sum(float(getattr(result.annual_cost, k).m_as("USD/year")) for k in AnnualCost.OPERATING)
    tokens = float(result.tokens_per_year.m_as("Mtoken/year"))
    args = (assets, build, horizon, float(s.wacc.m_as("")), float(s.token_price_decline.m_as("1/year")),
            float(s.tax_rate.m_as("")), opex, tokens)
    return lambda price: flows_model.project_flows(*args, price, residual_curve)


def breakeven_price(result: FactoryResult, rate: float | None = None, residual_curve=None) -> float:
    """Price per million tokens [USD] (first operating year) at which NPV at ``rate`` (default wacc) is zero."""
    r = float(result.scenario.wacc.m_as("")) if rate is None else float(rate)
    flows_at = _flows_at(result, residual_curve)
    try:
        return flows_model.breakeven_price(r, lambda price: flows_at(price)["cash_flow"])
    except ValueError as exc:
        if "no revenue" in str(exc):
            raise ParameterError("tokens_per_year", "no revenue to break even with") from None
        raise


@attrs.frozen
class CashflowResult(Result):
    """The yearly table and the summary of an AI factory's cash flows at a token price."""

    _RENDERER = ("finance", "cashflow_renderable")

    factory: FactoryResult
    price: Any  # Quantity USD/Mtoken (first operating year)
    years: tuple[dict[str, float], ...]
    npv: Any  # Quantity USD
    irr: float | None
    payback_period: Any  # Quantity year, or None (from the start of construction)
    breakeven_price_per_million_tokens: Any
    equity_irr: float | None
    price_per_accelerator_hour: Any = None  # the same prices per rented accelerator-hour [USD/hour]
    breakeven_price_per_accelerator_hour: Any = None
    price_by_kind: Any = None  # {kind: Quantity USD/Mtoken} when the price was given per token kind

    def to_dict(self) -> dict[str, Any]:
        years = []
        for row in self.years:
            out = {"year": int(row["year"])}
            for key, value in row.items():
                if key != "year":
                    out[key] = None if not np.isfinite(value) else {"value": value, "unit": "USD"}
            years.append(out)
        return envelope({
            "scenario": self.factory.scenario.to_dict(),
            "price": jsonable(self.price, "USD/Mtoken"),
            "tokens_per_year": jsonable(self.factory.tokens_per_year, "token/year"),
            "npv": jsonable(self.npv, "USD"),
            "irr": self.irr,
            "equity_irr": self.equity_irr,
            "payback_period": None if self.payback_period is None else jsonable(self.payback_period, "year"),
            "breakeven_price_per_million_tokens": jsonable(self.breakeven_price_per_million_tokens, "USD/Mtoken"),
            "price_per_accelerator_hour": jsonable(self.price_per_accelerator_hour, "USD/hour"),
            "breakeven_price_per_accelerator_hour": jsonable(self.breakeven_price_per_accelerator_hour, "USD/hour"),
            **kind_price_record("price_by_kind", self.price_by_kind),
            "token_kinds": _kinds(self.factory, float(self.breakeven_price_per_million_tokens.m_as("USD/Mtoken"))),
            "years": years,
        })


def cashflow(price=None, scenario=None, residual_curve: Sequence[float] | None = None,
             **parameters: Any) -> CashflowResult:
    """Year-by-year cash flows at a token ``price`` (USD/Mtoken; default: the break-even price), or at a
    price per rented accelerator-hour (``"2.1 USD/h"``: the neocloud business), the same revenue as the
    token price ``p_hour / tokens per accelerator-hour`` (:func:`~tokencalc.model.tokens.token_price_of_hourly_price`).

    ``parameters`` are factory parameters (including the cash-flow ones: horizon, build_period,
    token_price_decline, tax_rate, depreciation_method, accelerator_book_life, debt_share,
    cost_of_debt, debt_term). ``residual_curve``: book value fractions for ``custom`` depreciation.
    """
    residual_curve = _curve(residual_curve)
    result = factory(scenario, **parameters)
    _scalar(result)
    s = result.scenario
    if s.depreciation_method == "custom" and not residual_curve:
        raise ParameterError("depreciation_method", "custom needs a residual curve (--residual-curve 0.6,0.35,...)")
    try:
        be = breakeven_price(result, residual_curve=residual_curve)
    except TokencalcError:  # names its own parameter (horizon, build_period, ...)
        raise
    except ValueError as exc:
        raise ParameterError("residual_curve", str(exc).split(": ", 1)[-1]) from None
    if price is None:
        price_value = be
    else:
        price_value = _token_price(price, result, "price")
    flows = _flows_at(result, residual_curve)(price_value)
    build, horizon = _whole_years(s.build_period, "build_period"), _whole_years(s.horizon, "horizon")
    wacc = float(s.wacc.m_as(""))
    cash = flows["cash_flow"]
    if not np.isfinite(cash).all():
        raise ParameterError("price" if price is not None else "parameters", "the cash flows overflow at this price; "
                             "allowed: prices and values that keep them finite (check the units)")
    n = len(cash)
    share = float(s.debt_share.m_as(""))
    debt_amount = share * float(result.capex.total.m_as("USD"))
    debt = flows_model.debt_service(debt_amount, _whole_years(s.debt_term, "debt_term") if share else 0,
                                    float(s.cost_of_debt.m_as("")), n, build)
    debt_in = np.zeros(n)
    debt_in[0 if build == 0 else 1] = debt_amount
    life = _whole_years(s.accelerator_life, "accelerator_life")
    compute = float(result.capex.compute.m_as("USD"))
    columns = {
        "year": flows["t"].astype(float),
        **{k: flows[k] for k in ("capex", "revenue", "operating_costs", "depreciation", "tax", "residual_value")},
        "cash_flow": cash,
        "cumulative_cash_flow": np.cumsum(cash),
        "discounted_cash_flow": cash * (1 + wacc) ** -flows["t"],
        "debt_service": debt,
        "accelerator_book_value": flows_model.book_value(compute, float(s.accelerator_book_life.m_as("year")),
                                                         s.depreciation_method, life, n, build, horizon,
                                                         residual_curve),
        "accelerator_economic_value": flows_model.economic_value(compute, life, wacc,
                                                                 float(s.token_price_decline.m_as("1/year")), n,
                                                                 build, horizon),
    }
    years = tuple({k: float(columns[k][i]) for k in COLUMNS} for i in range(n))
    payback = payback_period(cash)
    return CashflowResult(
        factory=result,
        price=Q_(price_value, "USD/Mtoken"),
        years=years,
        npv=Q_(net_present_value(wacc, cash), "USD"),
        irr=internal_rate_of_return(cash),
        payback_period=None if payback is None else Q_(payback, "year"),
        breakeven_price_per_million_tokens=Q_(be, "USD/Mtoken"),
        equity_irr=internal_rate_of_return(cash + debt_in - debt) if share > 0 else None,
        price_per_accelerator_hour=_per_hour(price_value, result),
        breakeven_price_per_accelerator_hour=_per_hour(be, result),
        price_by_kind=complete_kind_prices(parse_kind_prices(price, "price"), result),
    )


@attrs.frozen
class BreakevenResult(Result):
    """The break-even price and first-year revenue, and the margin at a market price."""

    _RENDERER = ("finance", "breakeven_renderable")

    factory: FactoryResult
    rate: float
    rate_kind: str
    price: Any  # Quantity USD/Mtoken
    revenue: Any  # Quantity USD/year
    market_price: Any = None  # Quantity USD/Mtoken, or None
    margin: float | None = None
    market_price_by_kind: Any = None  # {kind: Quantity USD/Mtoken} when the market price was given per kind

    @property
    def price_per_accelerator_hour(self):
        """The break-even price per rented (busy) accelerator-hour [USD/hour]."""
        return _per_hour(float(self.price.m_as("USD/Mtoken")), self.factory)

    @property
    def price_by_kind(self) -> dict[str, Any]:
        """The break-even price per million tokens of each kind (input, cached_input, output) at the price ratios
        [USD/Mtoken]: the factory's levelized prices per kind scaled by break-even price / levelized cost."""
        f = self.factory
        scale = (self.price / f.cost_per_million_tokens).m_as("")
        return {"input": f.breakeven_input_price_per_million_tokens * scale,
                "cached_input": f.breakeven_cached_input_price_per_million_tokens * scale,
                "output": f.breakeven_output_price_per_million_tokens * scale}

    @property
    def market_price_per_accelerator_hour(self):
        """The market price per rented accelerator-hour [USD/hour], or None."""
        return None if self.market_price is None else _per_hour(float(self.market_price.m_as("USD/Mtoken")),
                                                               self.factory)

    def to_dict(self) -> dict[str, Any]:
        out = envelope({
            "scenario": self.factory.scenario.to_dict(),
            "rate": self.rate,
            "rate_kind": self.rate_kind,
            "breakeven_price_per_million_tokens": jsonable(self.price, "USD/Mtoken"),
            "breakeven_revenue_per_year": jsonable(self.revenue, "USD/year"),
            "breakeven_price_per_accelerator_hour": jsonable(self.price_per_accelerator_hour, "USD/hour"),
            "v1_cost_per_million_tokens": jsonable(self.factory.cost_per_million_tokens, "USD/Mtoken"),
            "token_kinds": _kinds(self.factory, float(self.price.m_as("USD/Mtoken"))),
        })
        if self.market_price is not None:
            out["market_price"] = jsonable(self.market_price, "USD/Mtoken")
            out["market_price_per_accelerator_hour"] = jsonable(self.market_price_per_accelerator_hour, "USD/hour")
            out.update(kind_price_record("market_price_by_kind", self.market_price_by_kind))
            out["margin"] = self.margin
            out["profitable"] = self.margin > 0
        return out


def breakeven(target_irr=None, market_price=None, residual_curve=None, **parameters: Any) -> BreakevenResult:
    """Break-even price and first-year revenue at the wacc (or ``target_irr``), and the margin at a market price."""
    residual_curve = _curve(residual_curve)
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
    revenue = (price * result.tokens_per_year).to("USD/year")
    if market_price is None:
        return BreakevenResult(result, rate, kind, price, revenue)
    market = Q_(_token_price(market_price, result, "market_price"), "USD/Mtoken")
    if market.magnitude <= 0:
        raise ParameterError("market_price", f"{str(market_price)[:40]} is not allowed; allowed: > 0")
    return BreakevenResult(result, rate, kind, price, revenue, market, float(((market - price) / market).m_as("")),
                           complete_kind_prices(parse_kind_prices(market_price, "market_price"), result))
