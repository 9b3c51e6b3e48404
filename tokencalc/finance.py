"""Finance: capital recovery and related functions.

Functions take a rate per period and a count of periods (plain numbers or dimensionless
Quantities, scalars or arrays); the caller converts durations to periods explicitly.
"""

from __future__ import annotations

import numpy as np

__all__ = ["capital_recovery_factor"]


def capital_recovery_factor(rate, periods):
    """Capital recovery factor: the level payment per period that repays 1 over ``periods``.

    crf(r, n) = r / (1 - (1 + r)^-n), and crf(0, n) = 1 / n (the limit as r -> 0).

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
    with np.errstate(divide="ignore", invalid="ignore"):
        # -expm1(-n*log1p(r)) = 1 - (1+r)^-n, accurate for small r
        annuity = r / -np.expm1(-n * np.log1p(r))
    result = np.where(r == 0, 1.0 / n, annuity)
    return result if result.ndim else float(result)
