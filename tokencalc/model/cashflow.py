"""Year-by-year cash flows of an AI factory (end-of-year convention), on plain numbers [USD].

* construction: each asset's initial cost, spread evenly over ``build`` years (all at t = 0
  when it is zero); operation runs for ``horizon`` years after it;
* refresh: each asset is bought again at the end of its economic life while the horizon lasts;
  at the horizon the assets still in use are worth the present value of their remaining level
  capital charges (so reference model v1's capital charge and these cash flows agree);
* revenue: ``price x (1 - decline)^(k-1) x tokens`` in operating year k;
* tax: ``tax_rate x (revenue - operating costs - book depreciation)`` (and on the gain or loss
  of the residual value at the horizon); a negative tax is a loss offset against other income.

In the neutral case (lives equal to the horizon, no tax, no build period, no price decline)
selling at reference model v1's cost per token gives NPV = 0 and IRR = wacc. Revenue and tax
are linear in the price, so the break-even price is exact:
``price* = -NPV(0) / (NPV(1) - NPV(0))``.

References: Brealey, Myers & Allen, *Principles of Corporate Finance*, ch. 6 (project cash
flows); IRS Publication 946 (depreciation).
"""

from __future__ import annotations

from typing import Sequence

import attrs
import numpy as np

from .capital import depreciation_schedule
from .finance import annuity_factor, capital_recovery_factor, net_present_value

__all__ = ["Asset", "project_flows", "breakeven_price", "debt_service", "book_value", "economic_value"]


@attrs.frozen
class Asset:
    """An asset class of the factory: its cost [USD], economic life [whole years], book life [year]
    and book depreciation method."""

    cost: float
    life: int
    book_life: float
    method: str = "straight-line"


def project_flows(assets: Sequence[Asset], build: int, horizon: int, wacc: float, decline: float, tax_rate: float,
                  operating_costs: float, tokens: float, price: float, residual_curve=None) -> dict[str, np.ndarray]:
    """The project's yearly arrays (index = year t, 0..build + horizon) at a first-year ``price``.

    ``operating_costs`` [USD/year] (energy and operations), ``tokens`` [Mtoken/year], ``price``
    [USD/Mtoken]. Returns t, capex, revenue, operating_costs, depreciation, tax, residual_value
    and cash_flow [USD].
    """
    n_years = build + horizon + 1
    t = np.arange(n_years)
    capex = np.zeros(n_years)
    residual = np.zeros(n_years)
    depreciation = np.zeros(n_years)
    book_remaining_at_end = 0.0
    start = 0 if build == 0 else 1  # construction outlays at the end of each build year
    for asset in assets:
        cost, life = asset.cost, asset.life
        if cost == 0:
            continue
        purchases = [0]  # operating year after which it is bought
        if build == 0:
            capex[0] += cost
        else:
            capex[start:start + build] += cost / build
        k = life
        while k < horizon:
            capex[build + k] += cost
            purchases.append(k)
            k += life
        crf = capital_recovery_factor(wacc, life)
        span = _book_years(asset.book_life, asset.method, residual_curve)
        for k0 in purchases:  # each schedule as long as the book life, not the horizon: linear in the horizon
            schedule = depreciation_schedule(cost, asset.book_life, asset.method, years=min(horizon - k0, span),
                                             residual_curve=residual_curve if asset.method == "custom" else None)
            depreciation[build + k0 + 1: build + k0 + 1 + len(schedule)] += schedule
            used = horizon - k0
            if used < life:  # still in use at the horizon: worth its remaining level charges
                residual[build + horizon] += cost * crf * annuity_factor(wacc, life - used)
                book_remaining_at_end += cost - schedule[:used].sum()
    operating = np.zeros(n_years)
    revenue = np.zeros(n_years)
    k = np.arange(1, horizon + 1)
    revenue[build + 1:] = price * tokens * (1 - decline) ** (k - 1)
    operating[build + 1:] = operating_costs
    taxable = revenue - operating - depreciation
    taxable[-1] += residual[-1] - book_remaining_at_end  # gain (or loss) on the residual value
    tax = tax_rate * taxable
    cash = -capex + revenue - operating - tax + residual
    return {"t": t, "capex": capex, "revenue": revenue, "operating_costs": operating, "depreciation": depreciation,
            "tax": tax, "residual_value": residual, "cash_flow": cash}


def _book_years(book_life: float, method: str, residual_curve=None) -> int:
    """Years in which a depreciation schedule can charge anything [whole years]: the book life, rounded
    up, or for ``custom`` the curve's years and the year its last fraction is written off."""
    if method == "custom" and residual_curve is not None:
        return max(1, len(residual_curve) + 1)
    return max(1, int(np.ceil(book_life)))


def breakeven_price(rate: float, flows_at) -> float:
    """First-year price [USD/Mtoken] at which NPV at ``rate`` is zero; ``flows_at(price)`` gives the cash flows.

    Exact because the cash flows are linear in the price: price* = -NPV(0) / (NPV(1) - NPV(0)).
    Raises ValueError when revenue does not grow with the price.
    """
    npv0 = net_present_value(rate, flows_at(0.0))
    npv1 = net_present_value(rate, flows_at(1.0))
    if npv1 - npv0 <= 0:
        raise ValueError("no revenue to break even with")
    return -npv0 / (npv1 - npv0)


def debt_service(debt: float, term: int, rate: float, n_years: int, build: int) -> np.ndarray:
    """Level debt payments [USD] = debt x crf(rate, term) in the ``term`` years after construction."""
    out = np.zeros(n_years)
    if debt == 0:
        return out
    out[build + 1: build + 1 + term] = debt * capital_recovery_factor(rate, term)
    return out


def economic_value(cost: float, life: int, wacc: float, decline: float, n_years: int, build: int,
                   horizon: int) -> np.ndarray:
    """Value of the first accelerators at the end of each year [USD]: the present value of what they
    still earn, their margin falling with the token price (the treadmill); NaN outside their life.

    With q = 1 - decline and g = q / (1 + wacc), the value after k years is
    cost x q^k x (1 - g^(life - k)) / (1 - g^life)  (cost x (life - k) / life when g = 1).
    """
    k = np.arange(0, min(life, horizon) + 1, dtype=float)
    q, g = 1.0 - decline, (1.0 - decline) / (1.0 + wacc)
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        if abs(1.0 - g) < 1e-12:
            share = (life - k) / life
        else:
            share = q ** k * -np.expm1((life - k) * np.log(g)) / -np.expm1(life * np.log(g))
    out = np.full(n_years, np.nan)
    out[build + k.astype(int)] = cost * share
    return out


def book_value(cost: float, book_life: float, method: str, life: int, n_years: int, build: int, horizon: int,
               residual_curve=None) -> np.ndarray:
    """Book value of the first accelerators at the end of each year [USD]; NaN outside their life."""
    years = min(life, horizon)
    schedule = depreciation_schedule(cost, book_life, method, years=max(years, 1), residual_curve=residual_curve)
    out = np.full(n_years, np.nan)
    out[build: build + years + 1] = cost - np.concatenate(([0.0], np.cumsum(schedule)[:years]))
    return out
