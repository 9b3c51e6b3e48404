"""model.finance: capital recovery, NPV, IRR, payback and WACC against hand-computed figures."""

import numpy as np
import pytest

from tokencalc.model.finance import (annuity_factor, capital_recovery_factor, internal_rate_of_return,
                                     net_present_value, payback_period, present_value_factors,
                                     weighted_average_cost_of_capital)


def test_npv_irr_payback_hand_computed():
    flows = [-100, 60, 60]
    # NPV at 10 %: -100 + 60/1.1 + 60/1.21 = 4.13223
    assert net_present_value(0.10, flows) == pytest.approx(4.132231, rel=1e-6)
    # IRR: 60/(1+r) + 60/(1+r)^2 = 100  ->  r = 0.1306624
    assert internal_rate_of_return(flows) == pytest.approx(0.1306624, rel=1e-6)
    # payback: -100, -40, +20: 1 + 40/60
    assert payback_period(flows) == pytest.approx(1 + 40 / 60)
    assert payback_period([-100, 10, 10]) is None
    assert internal_rate_of_return([-100, 10, 10]) < 0
    assert internal_rate_of_return([100, 10]) is None
    rates = np.array([0.0, 0.1])
    assert net_present_value(rates, flows) == pytest.approx([20.0, 4.132231], rel=1e-6)


def test_payback_of_flows_never_negative_is_zero():
    assert payback_period([0, 10, 10]) == 0.0


def test_wacc_from_financing():
    # 40 % equity at 15 % + 60 % debt at 8 % after 21 % tax = 0.06 + 0.03792
    assert weighted_average_cost_of_capital(0.6, 0.08, 0.15, 0.21) == pytest.approx(0.09792)
    # no debt: the cost of equity; vectorized over the debt share
    assert weighted_average_cost_of_capital(np.array([0.0, 1.0]), 0.08, 0.15) == pytest.approx([0.15, 0.08])


@pytest.mark.parametrize("rate, periods, expected", [
    (0.08, 4, 0.3019208),    # 0.08 / (1 - 1.08^-4) = 0.08 / 0.2649701
    (0.08, 6, 0.2163154),    # 0.08 / (1 - 1.08^-6) = 0.08 / 0.3698303
    (0.08, 25, 0.0936788),   # 0.08 / (1 - 1.08^-25) = 0.08 / 0.8539821
    (0.10, 30, 0.1060792),   # 0.1 / (1 - 1.1^-30) = 0.1 / 0.9426922
    (0.0, 4, 0.25),          # the limit 1 / n
    (0.0, 2.5, 0.4),
])
def test_crf_hand_computed(rate, periods, expected):
    assert capital_recovery_factor(rate, periods) == pytest.approx(expected, rel=1e-6)


def test_crf_tiny_rate_is_the_limit_not_half():
    """5e-324 (the smallest subnormal) over 2.5 periods: 1 / 2.5 = 0.4 (the closed form gave 0.5)."""
    assert capital_recovery_factor(5e-324, 2.5) == pytest.approx(0.4)
    assert capital_recovery_factor(-5e-324, 2.5) == pytest.approx(0.4)
    assert capital_recovery_factor(1e-300, 3) == pytest.approx(1 / 3)


@pytest.mark.parametrize("periods", [0.5, 1, 2.5, 4, 30, 1000])
@pytest.mark.parametrize("threshold", [1e-9, -1e-9])
def test_crf_continuous_at_the_series_threshold(periods, threshold):
    """Just below |r| = 1e-9 the series is used, just above it the closed form: they agree to 1e-12."""
    inside = np.nextafter(threshold, 0.0)
    outside = np.nextafter(threshold, 2 * threshold)
    below, above = capital_recovery_factor(inside, periods), capital_recovery_factor(outside, periods)
    assert below == pytest.approx(above, rel=1e-12)
    # and both are the first-order value 1/n x (1 + (n + 1) r / 2) computed here by hand
    by_hand = (1 + (periods + 1) * threshold / 2) / periods
    assert below == pytest.approx(by_hand, rel=1e-12)
    assert above == pytest.approx(by_hand, rel=1e-12)


def test_crf_arrays_mix_zero_tiny_and_ordinary_rates():
    rates = np.array([0.0, 1e-12, 0.08])
    assert capital_recovery_factor(rates, 4) == pytest.approx([0.25, 0.25 * (1 + 5 * 1e-12 / 2), 0.3019208],
                                                              rel=1e-7)
    # and broadcast against periods
    assert capital_recovery_factor(rates, np.array([4, 5, 6])) == pytest.approx([0.25, 0.2, 0.2163154], rel=1e-6)
    assert np.all(np.isfinite(capital_recovery_factor(rates, np.array([4, 5, 6]))))


def test_present_value_and_annuity_factors():
    # 1.1^-1 = 0.9090909, 1.1^-2 = 0.8264463
    assert present_value_factors(0.1, [0, 1, 2]) == pytest.approx([1.0, 0.9090909, 0.8264463], rel=1e-6)
    # (1 - 1.1^-2) / 0.1 = 1.7355372; at r = 0 the count of periods
    assert annuity_factor(0.1, 2) == pytest.approx(1.7355372, rel=1e-6)
    assert annuity_factor(0.0, 3) == 3
    # the annuity factor is the reciprocal of the crf
    assert annuity_factor(0.08, 4) == pytest.approx(1 / 0.3019208, rel=1e-6)
