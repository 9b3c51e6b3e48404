"""Measured throughput curves: the upper envelope of measured points, and monotone interpolation on it.

A serving benchmark sweeps configurations (framework, parallelism, concurrency) and reports, for
each run, the total tokens/s per GPU [token/s per GPU] it reached and the interactivity each user
saw [token/s per user]. What a buyer can get at an interactivity is the best configuration there:
the Pareto frontier (upper-right envelope) of throughput against interactivity,

    envelope = { i : no point j != i has x_j >= x_i and y_j >= y_i }   (x: interactivity, y: throughput)

sorted by rising x, along which y strictly falls. Between two knots the curve is a straight line
in log-log space (a power law):

    log y = log y_k + (log y_(k+1) - log y_k) x (log x - log x_k) / (log x_(k+1) - log x_k)

which is exactly monotone between knots and never extrapolates: outside [x_0, x_n] it is NaN.

References: SemiAnalysis InferenceX methodology (the Pareto frontier of throughput per GPU against
interactivity, https://github.com/SemiAnalysisAI/InferenceX); catalog source ``inferencex-dsr1``.
"""

from __future__ import annotations

import numpy as np

from ..units import Q_

__all__ = ["pareto_envelope", "interpolate_log"]

END_TOLERANCE = 1e-9  # relative: an x this close outside an end knot counts as the end knot


def pareto_envelope(x, y):
    """Indices of the upper-right envelope of points (x [token/s per user], y [token/s per GPU]), by rising x.

    A point is on the envelope when no other point is at least as good in both coordinates
    (x_j >= x_i and y_j >= y_i, not the same point): along the result x strictly rises and y
    strictly falls. Of exact duplicates the first (lowest index) is kept; non-finite points are
    ignored. ``x`` and ``y`` are 1-D sequences of the same length (numbers, or Quantities, whose
    magnitudes are used: the envelope does not depend on the units). Returns an integer array
    ``idx``; ``x[idx]``, ``y[idx]`` are the envelope.

    Sweep from the highest x down (ties: highest y first), keeping a point when its y exceeds
    every y seen so far. O(n log n).

    References: InferenceX methodology (Pareto frontier of throughput per GPU against interactivity).
    """
    xs = np.asarray(getattr(x, "magnitude", x), dtype=float)
    ys = np.asarray(getattr(y, "magnitude", y), dtype=float)
    if xs.ndim != 1 or xs.shape != ys.shape:
        raise ValueError(f"pareto_envelope: x and y must be 1-D of one length, got shapes {xs.shape} and {ys.shape}")
    finite = np.flatnonzero(np.isfinite(xs) & np.isfinite(ys))
    order = finite[np.lexsort((-ys[finite], -xs[finite]))]  # x falling, then y falling; stable for duplicates
    kept = []
    best = -np.inf
    for i in order:
        if ys[i] > best:
            kept.append(i)
            best = ys[i]
    return np.array(kept[::-1], dtype=np.intp)


def interpolate_log(x_knots, y_knots, x):
    """y [token/s per GPU] at x [token/s per user] on a curve through knots, linear in log x vs log y.

        log y = log y_k + (log y_(k+1) - log y_k) x (log x - log x_k) / (log x_(k+1) - log x_k),
        for x_k <= x <= x_(k+1)

    Between knots y is a power law through its two neighbours, so the curve is monotone wherever
    the knots are (falling knots give a falling curve) and passes through every knot exactly. At the
    midpoint in log x, x = sqrt(x_k x_(k+1)), y is the geometric mean sqrt(y_k y_(k+1)). Outside
    [x_0, x_n] the result is NaN (no extrapolation), with a relative tolerance of 1e-9 at either end.

    ``x_knots`` [token/s per user] strictly rising and positive, ``y_knots`` [token/s per GPU]
    positive, of one length >= 1; ``x`` a number or array of any shape (vectorized). Plain numbers,
    or Quantities: then ``x`` is converted to the unit of ``x_knots`` and the result carries the
    unit of ``y_knots``. Any other unit pair works too (the equation is unit-free in log-log space).

    References: InferenceX methodology (Pareto frontier of throughput per GPU against interactivity).
    """
    x_unit = getattr(x_knots, "units", None)
    if (x_unit is None) != (getattr(x, "units", None) is None):
        raise TypeError("interpolate_log: give x_knots and x both as Quantities or both as numbers")
    xk = np.asarray(getattr(x_knots, "magnitude", x_knots), dtype=float)
    xv = np.asarray(x.m_as(x_unit) if x_unit is not None else x, dtype=float)
    yk = np.asarray(getattr(y_knots, "magnitude", y_knots), dtype=float)
    if xk.ndim != 1 or xk.shape != yk.shape or xk.size == 0:
        raise ValueError(f"interpolate_log: knots must be 1-D of one length >= 1, got {xk.shape} and {yk.shape}")
    if not (np.all(np.isfinite(xk)) and np.all(np.isfinite(yk)) and np.all(xk > 0) and np.all(yk > 0)):
        raise ValueError("interpolate_log: knots must be finite and positive")
    if np.any(np.diff(xk) <= 0):
        raise ValueError("interpolate_log: x_knots must be strictly rising")
    low, high = xk[0], xk[-1]
    inside = (xv >= low * (1 - END_TOLERANCE)) & (xv <= high * (1 + END_TOLERANCE))
    clipped = np.clip(np.where(inside, xv, low), low, high)
    out = np.exp(np.interp(np.log(clipped), np.log(xk), np.log(yk)))
    at = np.minimum(np.searchsorted(xk, clipped), xk.size - 1)
    out = np.where(xk[at] == clipped, yk[at], out)  # on a knot: its y exactly (no exp(log y) rounding)
    out = np.where(inside, out, np.nan)
    if out.ndim == 0:
        out = float(out)
    y_unit = getattr(y_knots, "units", None)
    return out if y_unit is None else Q_(out, y_unit)
