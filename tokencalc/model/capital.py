"""Capital: the level capital charge of an investment, operations and maintenance, and
book depreciation schedules.

References: Brealey, Myers & Allen, *Principles of Corporate Finance* (annuities); IRS
Publication 946 (MACRS); Kieso, Weygandt & Warfield, *Intermediate Accounting*, ch. 11.
"""

from __future__ import annotations

import numpy as np

from ..units import Q_
from ._util import is_zero
from .finance import capital_recovery_factor

__all__ = ["capital_charge", "site_operations_cost", "maintenance_cost", "depreciation_schedule", "DEPRECIATION_METHODS"]

_YEAR = Q_(1.0, "year")
DEPRECIATION_METHODS = ("straight-line", "declining-balance", "sum-of-years", "custom")


def capital_charge(capex, wacc, life):
    """Level annual charge that repays ``capex`` over ``life`` at ``wacc`` [USD/year].

    charge = capex x crf(wacc, life / 1 year) / 1 year

    Parameters
    ----------
    capex : Quantity [USD]
    wacc : Quantity [1]      cost of capital per year
    life : Quantity [year]   economic life

    References
    ----------
    DESIGN.md reference model v1; Brealey, Myers & Allen, ch. 2 (annuity factor).
    """
    if is_zero(capex):
        return Q_(0.0, "USD/year")
    periods = (life / _YEAR).to("")
    return (capex * capital_recovery_factor(wacc.m_as(""), periods.magnitude) / _YEAR).to("USD/year")


def site_operations_cost(site_operations_per_it_power, it_power):
    """Site operations per year [USD/year] = site_operations_per_it_power [USD/kW/year] x it_power [kW].

    Staff, security, insurance and property tax: costs that grow with the size of the site (its IT
    power), not with the price of the hardware in it.

    References
    ----------
    CBRE, North America Data Center Trends H2 2024 (wholesale colocation rent, which covers a
    landlord's capital and these costs: USD 184 per kW per month); catalog defaults.toml.
    """
    return (site_operations_per_it_power * it_power).to("USD/year")


def maintenance_cost(maintenance_rate, capex):
    """Maintenance per year [USD/year] = maintenance_rate [1/year] x capex [USD].

    The facility's (building, electrical and cooling plant) at a share of facility capex, the
    hardware's (repairs, spares, support of accelerators and network) at a share of their capex.
    With ``site_operations_per_it_power = 0`` and both rates equal to r, the three operations lines
    are v1's ``operations = r x (capex.compute + capex.network + capex.facility)``.

    References
    ----------
    DESIGN.md reference model v1 (operations as a share of capex); CTWatch Quarterly 2(2), 2006
    (vendor maintenance 4-8 % of the purchase price a year after the first).
    """
    return (maintenance_rate * capex).to("USD/year")


def depreciation_schedule(cost: float, life: float, method: str = "straight-line", years: int | None = None,
                          residual_curve=None) -> np.ndarray:
    """Depreciation charged in each year 1..``years`` of an asset bought at the start of year 1 [USD].

    ``cost`` [USD], ``life`` [year]. Methods: ``straight-line`` (cost / life), ``declining-balance``
    (double declining balance, switching to straight-line when that is larger), ``sum-of-years``
    (sum-of-the-years'-digits), and ``custom`` (``residual_curve``: book value as a fraction of
    cost at the end of each year; depreciation is the fall). A fractional life charges the last
    part-year.

    References
    ----------
    IRS Publication 946 (MACRS: declining balance with a switch to straight-line); Kieso,
    Weygandt & Warfield, *Intermediate Accounting*, ch. 11 (sum-of-the-years'-digits).
    """
    n = int(np.ceil(life))
    years = n if years is None else int(years)
    out = np.zeros(years)
    if method == "straight-line":
        for t in range(min(years, n)):
            out[t] = cost * min(1.0, life - t) / life
    elif method == "declining-balance":
        book, rate = cost, 2.0 / life
        for t in range(min(years, n)):
            remaining = life - t
            charge = max(book * rate, book / remaining if remaining >= 1 else book)
            charge = min(charge, book)
            out[t], book = charge, book - charge
    elif method == "sum-of-years":
        digits = n * (n + 1) / 2
        for t in range(min(years, n)):
            out[t] = cost * (n - t) / digits
    elif method == "custom":
        curve = np.clip(np.asarray(residual_curve, dtype=float), 0.0, 1.0)
        if curve.ndim != 1 or curve.size == 0 or np.any(np.diff(curve) > 0):
            raise ValueError("residual_curve: fractions of cost at the end of each year, non-increasing")
        values = np.concatenate(([1.0], curve, np.zeros(max(0, years - curve.size))))
        out = cost * -np.diff(values)[:years]
    else:
        raise ValueError(f"depreciation_method: {method!r} is not allowed")
    return out
