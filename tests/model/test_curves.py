"""model.curves: the Pareto envelope and log-log interpolation, against hand-computed cases."""

import math

import numpy as np
import pytest

from tokencalc.model.curves import interpolate_log, pareto_envelope
from tokencalc.units import Q_


def test_envelope_of_a_hand_made_point_set():
    # (15, 70) and (20, 60) lie under (20, 80); (5, 90) under (10, 100): the frontier is the other four
    x = [10, 20, 30, 15, 20, 40, 5]
    y = [100, 80, 50, 70, 60, 10, 90]
    idx = pareto_envelope(x, y)
    assert idx.tolist() == [0, 1, 2, 5]
    assert np.asarray(x)[idx].tolist() == [10, 20, 30, 40]
    assert np.asarray(y)[idx].tolist() == [100, 80, 50, 10]


def test_envelope_ties_duplicates_and_non_finite_points():
    assert pareto_envelope([1, 1], [5, 7]).tolist() == [1]  # same x: the higher y
    assert pareto_envelope([1, 2], [5, 5]).tolist() == [1]  # same y: the higher x
    assert pareto_envelope([3, 3, 3], [4, 4, 4]).tolist() == [0]  # exact duplicates: the first
    assert pareto_envelope([1, np.nan, 2], [9, 100, np.inf]).tolist() == [0]
    assert pareto_envelope([], []).tolist() == []
    assert pareto_envelope([7], [3]).tolist() == [0]
    with pytest.raises(ValueError):
        pareto_envelope([1, 2], [1])


def test_envelope_ignores_units_and_is_strictly_monotone_on_random_points():
    rng = np.random.default_rng(7)
    x, y = rng.uniform(1, 200, 300), rng.uniform(10, 2e4, 300)
    idx = pareto_envelope(Q_(x, "1/s"), Q_(y, "1/s"))
    assert np.all(np.diff(x[idx]) > 0) and np.all(np.diff(y[idx]) < 0)
    for i in range(len(x)):  # nothing beats an envelope point, and an envelope point covers every point
        beaten = (x >= x[i]) & (y >= y[i])
        beaten[i] = False
        assert (i in idx) == (not beaten.any())


KX = np.array([10.0, 40.0, 160.0])  # token/s per user
KY = np.array([1000.0, 250.0, 100.0])  # token/s per GPU


def test_log_interpolation_at_knots_and_between_them():
    assert interpolate_log(KX, KY, KX).tolist() == pytest.approx(KY.tolist(), rel=1e-12)
    assert interpolate_log(KX, KY, 40.0) == pytest.approx(250.0, rel=1e-12)
    # midpoint in log x, sqrt(10 x 40) = 20: the geometric mean sqrt(1000 x 250) = 500
    assert interpolate_log(KX, KY, 20.0) == pytest.approx(500.0, rel=1e-12)
    # sqrt(40 x 160) = 80: sqrt(250 x 100) = 158.113883
    assert interpolate_log(KX, KY, 80.0) == pytest.approx(158.113883, rel=1e-8)
    # a quarter of the way in log x, 10 x 4^0.25 = 14.1421: 1000 x (1/4)^0.25 = 707.10678
    assert interpolate_log(KX, KY, 10 * 4 ** 0.25) == pytest.approx(707.10678, rel=1e-7)
    # knots on a power law y = 1e4 / x: the curve is that power law, e.g. 400 at x = 25
    assert interpolate_log([10, 100], [1000, 100], 25.0) == pytest.approx(400.0, rel=1e-12)


def test_log_interpolation_is_vectorized_and_nan_outside_the_range():
    grid = np.array([[9.99, 10.0, 20.0], [80.0, 160.0, 160.1]])
    out = interpolate_log(KX, KY, grid)
    assert out.shape == (2, 3)
    assert np.isnan(out[0, 0]) and np.isnan(out[1, 2])
    assert out[0, 1:].tolist() == pytest.approx([1000.0, 500.0])
    assert isinstance(interpolate_log(KX, KY, 20.0), float)
    assert math.isnan(interpolate_log(KX, KY, 0.0)) and math.isnan(interpolate_log(KX, KY, np.nan))
    assert math.isnan(interpolate_log(KX, KY, -5.0))
    # a relative 1e-9 at the ends counts as the end knot; beyond it, NaN
    assert interpolate_log(KX, KY, 10 * (1 - 1e-10)) == pytest.approx(1000.0)
    assert interpolate_log(KX, KY, 160 * (1 + 1e-10)) == pytest.approx(100.0)
    assert math.isnan(interpolate_log(KX, KY, 10 * (1 - 1e-8)))
    assert math.isnan(interpolate_log(KX, KY, 160 * (1 + 1e-8)))
    assert interpolate_log([50.0], [7.0], 50.0) == 7.0 and math.isnan(interpolate_log([50.0], [7.0], 51.0))


def test_log_interpolation_is_monotone_between_random_knots():
    rng = np.random.default_rng(2026)
    for _ in range(50):
        n = int(rng.integers(2, 12))
        xk = np.cumsum(rng.uniform(0.1, 50, n)) + 1
        yk = np.sort(rng.uniform(1, 2e4, n))[::-1].copy()
        if np.any(np.diff(yk) == 0):
            continue
        x = np.geomspace(xk[0], xk[-1], 997)
        y = interpolate_log(xk, yk, x)
        assert np.all(np.isfinite(y))
        assert np.all(np.diff(y) <= 1e-9 * y[:-1])  # falling knots: a falling curve, no overshoot
        assert yk.min() * (1 - 1e-12) <= y.min() and y.max() <= yk.max() * (1 + 1e-12)
        rising = interpolate_log(xk, yk[::-1].copy(), x)
        assert np.all(np.diff(rising) >= -1e-9 * rising[1:])


def test_log_interpolation_with_quantities_and_bad_knots():
    y = interpolate_log(Q_([10.0, 40.0], "1/s"), Q_([1000.0, 250.0], "1/s"), Q_(1200.0, "1/min"))
    assert y.m_as("1/s") == pytest.approx(500.0)  # 1200 per minute = 20 per second
    with pytest.raises(TypeError):
        interpolate_log(Q_([10.0, 40.0], "1/s"), [1000.0, 250.0], 20.0)
    with pytest.raises(ValueError):
        interpolate_log([10.0, 10.0], [1.0, 2.0], 10.0)  # not strictly rising
    with pytest.raises(ValueError):
        interpolate_log([10.0, 20.0], [1.0, 0.0], 10.0)  # not positive
    with pytest.raises(ValueError):
        interpolate_log([], [], 10.0)
