"""model.deals: warrant tranches and rebates, effective prices, vendor money in the WACC, round trips,
against hand-computed figures, and the rebate's monotonicity in the share price (a property)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokencalc import Q_
from tokencalc.model import deals as m


def test_tranche_schedule_equal_shares_linear_thresholds():
    # 160 M shares in 6 tranches: 26.667 M each, at 1..6 GW; targets 200, 280, 360, 440, 520, 600
    shares, gw, thresholds = m.tranche_schedule(160e6, 6, Q_(6, "GW"), Q_(200, "USD"), Q_(600, "USD"))
    assert shares == pytest.approx([160e6 / 6] * 6)
    assert gw.m_as("GW") == pytest.approx([1, 2, 3, 4, 5, 6])
    assert thresholds.m_as("USD") == pytest.approx([200, 280, 360, 440, 520, 600])
    one = m.tranche_schedule(10.0, 1, Q_(2, "GW"), Q_(100, "USD"), Q_(300, "USD"))
    assert one[1].m_as("GW") == pytest.approx([2]) and one[2].m_as("USD") == pytest.approx([300])


def test_vesting_years_are_spread_evenly():
    assert m.vesting_years(2026.75, 2030.75, 5) == pytest.approx([2026.75, 2027.75, 2028.75, 2029.75, 2030.75])
    assert m.vesting_years(2026.0, 2030.0, 1) == pytest.approx([2030.0])


def test_vesting_needs_the_gigawatts_and_the_price():
    shares = np.array([10.0, 10.0, 10.0])
    gw, thresholds = Q_([1.0, 2.0, 3.0], "GW"), Q_([100.0, 200.0, 300.0], "USD")
    prices = Q_([150.0, 250.0, 250.0], "USD")
    # 2 GW deployed: tranche 3 lacks its gigawatts; tranche 2's price 250 >= 200 vests; tranche 1 too
    assert m.vested_shares(shares, gw, thresholds, Q_(2, "GW"), prices) == pytest.approx([10, 10, 0])
    # all deployed, a price of 150 everywhere: only the first target (100) is met
    assert m.vested_shares(shares, gw, thresholds, Q_(3, "GW"), Q_([150.0] * 3, "USD")) == pytest.approx([10, 0, 0])
    # exactly at the target vests
    assert m.vested_shares(shares, gw, thresholds, Q_(3, "GW"), thresholds) == pytest.approx([10, 10, 10])


def test_rebate_and_effective_price_hand_computed():
    # AMD's first tranche at 204 USD: 26.667 M x (204 - 0.01) = 5.4397 B USD
    rebate = m.warrant_rebate(np.array([160e6 / 6]), Q_([204.0], "USD"), Q_(0.01, "USD"))
    assert rebate.m_as("USD") == pytest.approx([5.4397333e9], rel=1e-6)
    # spread over 344,808 accelerators bought at 43,500 USD: 43,500 - 15,776.1 = 27,723.9 USD
    price = m.effective_price(Q_(43500, "USD"), rebate[0], 344808)
    assert price.m_as("USD") == pytest.approx(27723.9, rel=1e-5)
    # a strike above the price pays nothing (never a negative rebate)
    assert m.warrant_rebate(np.array([1.0]), Q_([5.0], "USD"), Q_(10.0, "USD")).m_as("USD") == pytest.approx([0.0])


def test_vendor_money_in_the_capital_stack():
    # 10 B USD of 56.42 B capex: f = 0.17724; wacc 10 % -> 0.82276 x 0.10 + 0.17724 x 0.15 = 0.108862
    f = m.vendor_funded_share(Q_(10, "GUSD"), Q_(56.42, "GUSD"))
    assert f == pytest.approx(0.177242, rel=1e-5)
    assert m.wacc_with_vendor(0.10, f, 0.15) == pytest.approx(0.108862, rel=1e-5)
    assert m.wacc_with_vendor(Q_(0.1, "1"), 0.0, 0.5) == pytest.approx(0.1)  # no vendor money: unchanged
    assert m.vendor_funded_share(Q_(80, "GUSD"), Q_(50, "GUSD")) == 1.0  # capped at the capex
    # 10 B at a 500 B valuation buys 10 / 510 = 1.96 %; 100 B: 100 / 600 = 16.7 %
    assert m.equity_stake(Q_(10, "GUSD"), Q_(500, "GUSD")) == pytest.approx(0.0196078, rel=1e-5)
    assert m.equity_stake(Q_(100, "GUSD"), Q_(500, "GUSD")) == pytest.approx(1 / 6)


def test_round_trip_shares_per_gigawatt_and_cumulative():
    # New Street: 10 B invested per 35 B of GPUs bought -> 28.6 %
    assert m.round_trip_share(Q_(10, "GUSD"), Q_(35, "GUSD")) == pytest.approx(0.285714, rel=1e-5)
    assert m.round_trip_share(Q_(50, "GUSD"), Q_(35, "GUSD")) == 1.0
    # 6, 0, 0 against 15 each: 40 %, 20 %, 13.3 %
    cumulative = m.cumulative_round_trip_share(Q_([6.0, 0.0, 0.0], "GUSD"), Q_(15.0, "GUSD"))
    assert cumulative == pytest.approx([0.4, 0.2, 0.133333], rel=1e-5)


def test_investment_by_gigawatt_stops_at_the_cap():
    per_gw = m.investment_by_gigawatt(Q_(10, "GUSD/GW"), Q_(25, "GUSD"), 4)
    assert per_gw.m_as("GUSD") == pytest.approx([10, 10, 5, 0])


def test_lognormal_paths_hand_computed_and_deterministic_without_volatility():
    # sigma 0, mu 0.1: 100 x exp(0.1 t)
    flat = m.lognormal_share_prices(Q_(100, "USD"), 0.0, [1.0, 2.0], np.zeros((1, 2)), drift=0.1)
    assert flat.m_as("USD")[0] == pytest.approx([110.51709, 122.14028], rel=1e-6)
    # sigma 0.5, z = (1, -1) at t = 1 and 4 years: W = 1, 1 - sqrt(3); S = 100 exp(-0.125 t + 0.5 W)
    path = m.lognormal_share_prices(Q_(100, "USD"), 0.5, [1.0, 4.0], np.array([[1.0, -1.0]]))
    expected = [100 * np.exp(-0.125 + 0.5), 100 * np.exp(-0.5 + 0.5 * (1 - np.sqrt(3)))]
    assert path.m_as("USD")[0] == pytest.approx(expected, rel=1e-9)


def test_lognormal_mean_is_todays_price_without_drift():
    rng = np.random.default_rng(7)
    paths = m.lognormal_share_prices(Q_(200, "USD"), 0.5, [1.0, 3.0], rng.standard_normal((200_000, 2)))
    assert paths.m_as("USD").mean(axis=0) == pytest.approx([200, 200], rel=0.02)


@settings(max_examples=60)
@given(low=st.floats(1.0, 1000.0), rise=st.floats(0.0, 1000.0), sigma=st.floats(0.0, 1.5),
       seed=st.integers(0, 2**16))
def test_a_higher_share_price_never_gives_a_smaller_rebate(low, rise, sigma, seed):
    """Monotone: for the same shocks, raising today's price raises every path, so the vested shares and
    their value can only grow (tranche by tranche and in total)."""
    shares, gw, thresholds = m.tranche_schedule(160e6, 6, Q_(6, "GW"), Q_(200, "USD"), Q_(600, "USD"))
    shocks = np.random.default_rng(seed).standard_normal((8, 6))
    years = m.vesting_years(1.0, 5.0, 6)
    rebates = []
    for price in (low, low + rise):
        paths = m.lognormal_share_prices(Q_(price, "USD"), sigma, years, shocks)
        vested = m.vested_shares(shares, gw, thresholds, Q_(6, "GW"), paths)
        rebates.append(m.warrant_rebate(vested, paths, Q_(0.01, "USD")).m_as("USD"))
    assert np.all(rebates[1] >= rebates[0] * (1 - 1e-12))
