"""The fleet model: vintage values against hand-computed cases, the dynamic programme against brute force,
the yearly flows against the values they sum to."""

import itertools

import numpy as np
import pytest

from tokencalc.model import fleet as fm
from tokencalc.model.finance import net_present_value


def _gens(tokens, cost, installable=None, life=(3,), opex=None, network=None, T=3):
    G = len(tokens)
    return fm.Generations(
        tokens=np.array(tokens, float), operating_cost=np.array(opex or [0.0] * G, float),
        compute_cost=np.array(cost, float).reshape(G, T), network_cost=np.array(network or [0.0] * G, float),
        installable=np.ones((G, T), bool) if installable is None else np.array(installable),
        life_limit=np.array(life * G if len(life) == 1 else life), newness=np.arange(G, dtype=float))


def _fin(wacc=0.1, tax=0.0, build=0, maint=0.0, book=2, T=3):
    sl = np.zeros(T)
    sl[:book] = 1.0 / book
    return fm.Finance(wacc, tax, build, maint, sl, sl.copy())


def test_one_vintage_by_hand_without_tax():
    # 100 USD of hardware for years 0-1, 60 USD of margin a year, 10 %: -100 + 60/1.1 + 60/1.21
    gens = _gens([1.0], [[100.0, 100.0]], T=2, life=(5,))
    table = fm.segment_table(gens, np.array([60.0, 60.0]), _fin(T=2), np.array([2.0]))
    assert table["value"][0, 0, 2] == pytest.approx(-100 + 60 / 1.1 + 60 / 1.21)
    # retired after one year: nothing is recovered (no tax shield at 0 % tax)
    assert table["value"][0, 0, 1] == pytest.approx(-100 + 60 / 1.1)
    assert table["book_loss"][0, 0, 1] == pytest.approx(50.0)  # straight line over 2 years, half left


def test_tax_book_loss_and_the_value_at_the_horizon_by_hand():
    gens = _gens([1.0], [[100.0, 100.0]], T=2, life=(5,))
    fin = _fin(wacc=0.1, tax=0.5, T=2)
    table = fm.segment_table(gens, np.array([60.0, 60.0]), fin, np.array([4.0]))
    # year 1: after-tax margin 30 + tax shield of 50 of depreciation 25, at t = 1; book loss 50 written off at t = 1
    assert table["value"][0, 0, 1] == pytest.approx(-100 + (30 + 25) / 1.1 + 0.5 * 50 / 1.1)
    # kept to the horizon (2 of a 4-year policy life): worth crf(10 %, 4) x annuity(10 %, 2) of its cost,
    # taxed on the gain over its book value (0 after 2 years)
    crf = 0.1 / (1 - 1.1 ** -4)
    residual = 100 * crf * (1 - 1.1 ** -2) / 0.1
    expected = -100 + 55 / 1.1 + 55 / 1.21 + (0.5 * residual) / 1.21
    assert table["value"][0, 0, 2] == pytest.approx(expected)


def test_vintages_longer_than_the_life_limit_are_not_allowed():
    gens = _gens([1.0], [[1.0, 1.0, 1.0]], life=(2,))
    table = fm.segment_table(gens, np.ones(3), _fin(), np.array([2.0]))
    assert table["value"][0, 0, 3] == -np.inf and np.isfinite(table["value"][0, 0, 2])


def _all_plans(gens, online, first, T):
    """Every chain of vintages from ``online`` to T (brute force)."""
    G = len(gens.tokens)

    def chains(t, allowed_first):
        if t == T:
            yield []
            return
        for g in allowed_first:
            for t1 in range(t + 1, min(t + int(gens.life_limit[g]), T) + 1):
                for rest in chains(t1, [h for h in range(G) if gens.installable[h, t1]] if t1 < T else []):
                    yield [(g, t, t1), *rest]

    return list(chains(online, [first]))


def test_the_dynamic_programme_finds_the_best_plan_brute_force_finds():
    rng = np.random.default_rng(3)
    T = 6
    for _ in range(20):
        G = 3
        gens = _gens(rng.uniform(1, 10, G), rng.uniform(10, 60, (G, T)), installable=rng.random((G, T)) < 0.7,
                     life=tuple(rng.integers(1, 5, G)), opex=list(rng.uniform(0, 5, G)), T=T)
        fin = _fin(wacc=0.08, tax=0.25, build=1, maint=0.02, book=3, T=T)
        price = rng.uniform(1, 12, T)
        table = fm.segment_table(gens, price, fin, gens.life_limit.astype(float))["value"]
        best = fm.optimal_plan(table, gens, 0, 0, fin)
        values = [fm.plan_value(table, p, gens, fin) for p in _all_plans(gens, 0, 0, T)]
        assert fm.plan_value(table, best, gens, fin) == pytest.approx(max(values))


def test_yearly_flows_sum_to_the_plan_value():
    rng = np.random.default_rng(7)
    T = 8
    gens = _gens([2.0, 5.0, 9.0], rng.uniform(20, 40, (3, T)), life=(5,), opex=[1.0, 1.5, 2.0], network=[3.0, 4, 5],
                 T=T)
    fin = fm.Finance(0.09, 0.21, 2, 0.02, np.array([0.4, 0.3, 0.2, 0.1, 0, 0, 0, 0]), np.full(T, 0.0) + 0.125)
    price = fm.price_path(8.0, 0.2, T)
    terminal = fm.terminal_lives(gens, 3)
    table = fm.segment_table(gens, price, fin, terminal)["value"]
    for plan in (fm.policy_plan(gens, 0, 0, 3), fm.policy_plan(gens, 2, None, None),
                 fm.optimal_plan(table, gens, 1, None, fin)):
        flows = fm.plan_flows(plan, gens, price, fin, terminal)
        assert net_present_value(0.09, flows["cash_flow"]) == pytest.approx(fm.plan_value(table, plan, gens, fin))


def test_life_n_takes_the_newest_on_sale_and_never_runs_to_the_limit():
    gens = _gens([1.0, 2.0, 3.0], np.ones((3, 6)), installable=[[1] * 6, [0, 0, 1, 1, 1, 1], [0] * 5 + [1]],
                 life=(4,), T=6)
    assert fm.policy_plan(gens, 0, 0, 2) == [(0, 0, 2), (1, 2, 4), (1, 4, 6)]
    assert fm.policy_plan(gens, 0, 0, None) == [(0, 0, 4), (1, 4, 6)]
    assert fm.policy_plan(gens, 0, 0, 9) == [(0, 0, 4), (1, 4, 6)]  # capped by the life limit


def test_helpers():
    assert fm.price_path(2.0, 0.5, 3).tolist() == [2.0, 1.0, 0.5]
    assert fm.street_price(100.0, 0.1, 2026, [2025, 2027]) == pytest.approx([100 / 0.9, 90])
    assert fm.hall_online_years(4, 250e6, 250e6).tolist() == [0, 1, 2, 3]
    assert fm.hall_online_years(4, 250e6, 500e6).tolist() == [0, 0, 1, 1]
    assert fm.hall_online_years(3, 1.0, None).tolist() == [0, 0, 0]
    tokens, cost = fm.extrapolate(100.0, 50.0, 0.26, 0.39, 2)
    assert tokens == pytest.approx(100 * 1.26 ** 2) and cost == pytest.approx(50 * (1.26 / 1.39) ** 2)
    lives = fm.economic_lives([[(0, 0, 2), (1, 2, 5)], [(0, 0, 3), (1, 3, 5)]], 5)
    assert lives == {0: (2.5, False), 1: (2.5, True)}


def test_brute_force_helper_counts_plans():
    gens = _gens([1.0], np.ones((1, 3)), life=(3,))
    assert len(_all_plans(gens, 0, 0, 3)) == 4  # compositions of 3 years into vintages
    assert list(itertools.chain.from_iterable(_all_plans(gens, 2, 0, 3))) == [(0, 2, 3)]
