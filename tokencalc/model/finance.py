"""Finance: capital recovery, discounting, NPV, IRR, payback and the cost of capital.

Functions take a rate per period and a count of periods (plain numbers or dimensionless
Quantities, scalars or arrays); the caller converts durations to periods explicitly.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "capital_recovery_factor",
    "present_value_factors",
    "annuity_factor",
    "net_present_value",
    "internal_rate_of_return",
    "payback_period",
    "weighted_average_cost_of_capital",
]

_SMALL_RATE = 1e-9  # below this the series of crf in r is exact to double precision


def capital_recovery_factor(rate, periods):
    """Capital recovery factor: the level payment per period that repays 1 over ``periods``.

    crf(r, n) = r / (1 - (1 + r)^-n), and crf(0, n) = 1 / n (the limit as r -> 0). For
    |r| < 1e-9 the first-order series 1/n x (1 + (n + 1) r / 2) is used: the closed form would
    divide two subnormal numbers there (r = 5e-324 over 2.5 periods gives 0.5, not 0.4).

    Parameters
    ----------
    rate : numeric or dimensionless Quantity
        Cost of capital per period [1]; ``rate > -1``.
    periods : numeric or dimensionless Quantity
        Number of periods [1]; ``periods > 0``.

    Returns
    -------
    numpy.ndarray or float
        Payment per period per unit of capital [1].

    References
    ----------
    .. [1] Brealey, Myers & Allen, *Principles of Corporate Finance*, ch. 2 (annuity factor);
       NREL, "Simple Levelized Cost of Energy (LCOE) Calculator Documentation" (CRF).
    """
    r = np.asarray(getattr(rate, "magnitude", rate), dtype=float)
    n = np.asarray(getattr(periods, "magnitude", periods), dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        # -expm1(-n*log1p(r)) = 1 - (1+r)^-n, accurate for small r
        result = r / -np.expm1(-n * np.log1p(r))
        small = np.abs(r) < _SMALL_RATE
        if small.any():
            result = np.where(small, (1.0 + (n + 1.0) * r / 2.0) / n, result)
    return result if result.ndim else float(result)


def present_value_factors(rate, years):
    """Discount factors (1 + rate)^-t for t in ``years`` (end-of-year convention) [1]."""
    r = np.asarray(getattr(rate, "magnitude", rate), dtype=float)
    t = np.asarray(years, dtype=float)
    return (1.0 + r) ** -t


def annuity_factor(rate: float, periods: float) -> float:
    """Present value of 1 per period for ``periods`` periods at ``rate`` [1]: (1 - (1 + r)^-n) / r; n at r = 0."""
    return periods if rate == 0 else (1 - (1 + rate) ** -periods) / rate


def net_present_value(rate, cash_flows, years=None):
    """NPV of ``cash_flows`` at ``rate`` per period; cash_flows[t] occurs at the end of period t.

    NPV = sum_t CF_t (1 + r)^-t. ``rate`` may be an array: the result has its shape (one NPV per rate).
    """
    flows = np.asarray(cash_flows, dtype=float)
    t = np.arange(flows.shape[-1]) if years is None else np.asarray(years, dtype=float)
    r = np.asarray(getattr(rate, "magnitude", rate), dtype=float)
    return np.sum(flows * (1.0 + r[..., None]) ** -t, axis=-1) if r.ndim else float(np.sum(flows * (1.0 + r) ** -t))


def internal_rate_of_return(cash_flows, low: float = -0.99, high: float = 10.0):
    """The rate [1 per period] at which NPV is zero, or None when NPV does not change sign on [low, high].

    Root found with Brent's method (scipy.optimize.brentq). With conventional flows (outlays
    first, then inflows) the root is unique.

    References
    ----------
    Brent, R. P., *Algorithms for Minimization without Derivatives* (1973), ch. 4.
    """
    flows = np.asarray(cash_flows, dtype=float)
    f_low, f_high = net_present_value(low, flows), net_present_value(high, flows)
    if not (np.isfinite(f_low) and np.isfinite(f_high)) or f_low * f_high > 0:
        return None
    from scipy.optimize import brentq  # lazy: scipy costs 0.2 s at import, and only IRR needs it

    return float(brentq(lambda r: net_present_value(r, flows), low, high, xtol=1e-12, rtol=1e-12, maxiter=200))


def payback_period(cash_flows):
    """Periods [1] until cumulative cash flow [USD] turns non-negative for good (linear within the period), or None.

    Counted from period 0; a cumulative flow that is never negative pays back at 0.
    """
    flows = np.asarray(cash_flows, dtype=float)
    cumulative = np.cumsum(flows)
    if cumulative[-1] < 0:
        return None
    negative = np.nonzero(cumulative < 0)[0]
    if negative.size == 0:
        return 0.0
    last = int(negative[-1])
    return float(last + (-cumulative[last] / flows[last + 1]))


def weighted_average_cost_of_capital(debt_share, cost_of_debt, cost_of_equity, tax_rate=0.0):
    """WACC = (1 - D/V) x cost of equity + D/V x cost of debt x (1 - tax rate) (interest is deductible).

    All arguments [1] (fractions; rates per year).

    References
    ----------
    Modigliani & Miller (1963); Brealey, Myers & Allen, *Principles of Corporate Finance*, ch. 19.
    """
    d = np.asarray(debt_share, dtype=float)
    return (1 - d) * cost_of_equity + d * cost_of_debt * (1 - tax_rate)
