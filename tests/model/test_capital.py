"""model.capital: the level capital charge, operations and depreciation schedules, computed by hand."""

import numpy as np
import pytest

from tokencalc.model.capital import capital_charge, depreciation_schedule, maintenance_cost, site_operations_cost
from tokencalc.units import Q_


def test_capital_charge_against_a_hand_computed_crf():
    # crf(8 %, 4) = 0.08 / (1 - 1.08^-4) = 0.08 / (1 - 0.7350299) = 0.3019208
    charge = capital_charge(Q_(1e6, "USD"), Q_(0.08, ""), Q_(4, "year"))
    assert charge.m_as("USD/year") == pytest.approx(301_920.8, rel=1e-6)
    # the life in months is the same life
    assert capital_charge(Q_(1e6, "USD"), Q_(0.08, ""), Q_(48, "month")).m_as("USD/year") == pytest.approx(
        301_920.8, rel=1e-6)
    # crf(8 %, 25) = 0.0936788: 80 M USD of facility -> 7.494 M USD/year
    assert capital_charge(Q_(80, "MUSD"), Q_(0.08, ""), Q_(25, "year")).m_as("MUSD/year") == pytest.approx(
        80 * 0.0936788, rel=1e-6)


def test_capital_charge_at_zero_wacc_is_straight_line():
    # 240 M USD over 4 years, 80 M USD over 20 years
    assert capital_charge(Q_(240e6, "USD"), Q_(0.0, ""), Q_(4, "year")).m_as("USD/year") == pytest.approx(60e6)
    assert capital_charge(Q_(80e6, "USD"), Q_(0.0, ""), Q_(20, "year")).m_as("USD/year") == pytest.approx(4e6)


def test_capital_charge_zero_capex_and_arrays():
    assert capital_charge(Q_(0.0, "USD"), Q_(0.08, ""), Q_(4, "year")).m_as("USD/year") == 0
    charges = capital_charge(Q_(1e6, "USD"), Q_(np.array([0.0, 0.08]), ""), Q_(4, "year"))
    assert charges.m_as("USD/year") == pytest.approx([250_000, 301_920.8], rel=1e-6)


def test_maintenance_is_a_share_of_capex():
    # 2 % a year of 360 M USD = 7.2 M USD/year
    assert maintenance_cost(Q_(0.02, "1/year"), Q_(360e6, "USD")).m_as("USD/year") == pytest.approx(7.2e6)
    assert maintenance_cost(Q_(0.0, "1/year"), Q_(360e6, "USD")).m_as("USD/year") == 0


def test_site_operations_scale_with_it_power():
    # 200 USD/kW/year x 833.3 MW of IT = 166.7 M USD/year; in W the same
    cost = site_operations_cost(Q_(200, "USD/kW/year"), Q_(833.3, "MW"))
    assert cost.m_as("USD/year") == pytest.approx(166.66e6)
    assert site_operations_cost(Q_(0.2, "USD/W/year"), Q_(1, "kW")).m_as("USD/year") == pytest.approx(200)
    arr = site_operations_cost(Q_(np.array([100.0, 400.0]), "USD/kW/year"), Q_(2, "kW"))
    assert arr.m_as("USD/year").tolist() == pytest.approx([200, 800])


def test_depreciation_schedules_hand_computed():
    assert depreciation_schedule(100, 5).tolist() == [20, 20, 20, 20, 20]
    # double declining balance 40 %: 40, 24, 14.4, then straight-line on 21.6 over 2 years
    assert depreciation_schedule(100, 5, "declining-balance") == pytest.approx([40, 24, 14.4, 10.8, 10.8])
    # sum of the years' digits 15: 5/15, 4/15, ...
    assert depreciation_schedule(150, 5, "sum-of-years") == pytest.approx([50, 40, 30, 20, 10])
    assert depreciation_schedule(100, 3, "custom", 4, [0.6, 0.3, 0.1]) == pytest.approx([40, 30, 20, 10])
    assert depreciation_schedule(100, 2.5).tolist() == [40, 40, 20]
    for method in ("straight-line", "declining-balance", "sum-of-years"):
        assert depreciation_schedule(1234.0, 6, method).sum() == pytest.approx(1234.0)


def test_depreciation_schedule_horizon_and_errors():
    # beyond the life nothing more is charged; a shorter horizon cuts the schedule
    assert depreciation_schedule(100, 4, years=6).tolist() == [25, 25, 25, 25, 0, 0]
    assert depreciation_schedule(100, 4, years=2).tolist() == [25, 25]
    with pytest.raises(ValueError, match="not allowed"):
        depreciation_schedule(100, 4, "sideways")
    with pytest.raises(ValueError, match="non-increasing"):
        depreciation_schedule(100, 3, "custom", residual_curve=[0.5, 0.7])
