"""MTP's realized gain per family, measured from runs with and without MTP at one configuration."""

import pytest

from tokencalc.model.speculative import tokens_per_step
from tokencalc.studies.mtp_gain import implied_acceptance, mtp_gains, realized_tau


def test_implied_acceptance_inverts_tokens_per_step():
    assert implied_acceptance(1.653, 1) == pytest.approx(0.653)
    for d, a in ((2, 0.6), (3, 0.8), (3, 0.3)):
        assert implied_acceptance(tokens_per_step(d, a), d) == pytest.approx(a, abs=1e-9)
    assert implied_acceptance(2.5, 1) == pytest.approx(1.5)  # above 1: more drafted tokens than d


def test_gain_is_the_median_acceptance_over_the_models():
    pairs = [("amd", "atom aggregated", 0.6), ("amd", "atom aggregated", 0.7), ("amd", "sglang disaggregated", 0.65)]
    got = mtp_gains(pairs, acceptance=0.875, draft_tokens=1)["amd"]
    assert got["gain"] == pytest.approx(0.65 / 0.875)
    assert got["pairs"] == 3 and got["acceptance"] == pytest.approx(0.65)
    assert got["stacks"] == {"atom aggregated": pytest.approx(0.65), "sglang disaggregated": pytest.approx(0.65)}
    # two drafted tokens: the gain is in tokens per step, (tau(a_m) - 1) / (tau(a) - 1)
    two = mtp_gains(pairs, acceptance=0.875, draft_tokens=2)["amd"]["gain"]
    assert two == pytest.approx((0.65 + 0.65 ** 2) / (0.875 + 0.875 ** 2))


def test_a_family_whose_stack_drafts_more_keeps_the_models_acceptance():
    pairs = [("nv", "trt aggregated", 0.57), ("nv", "trt aggregated", 0.6), ("nv", "sglang disaggregated", 1.1)]
    got = mtp_gains(pairs, acceptance=0.875, draft_tokens=1)["nv"]
    assert got["gain"] == 1.0 and got["acceptance"] == pytest.approx(0.6)
    # just under 1 everywhere: measured
    assert mtp_gains([("x", "s", 0.99)], 0.875, 1)["x"]["gain"] == pytest.approx(0.99 / 0.875)


def test_realized_tokens_per_step_solve_the_cycle_by_hand():
    # disaggregated (no prefill in the cycle): tau = ratio x t_mtp / t_none
    assert realized_tau(1.5, 12e-3, 10e-3) == pytest.approx(1.8)
    # aggregated, c = 2 ms of prefill per realized token: 1.5 x 12 / (10 + 2 (1 - 1.5)) = 2.0; and back, the cycle
    # gives the ratio: tau (t_none + c) / (t_mtp + c tau) = 2 x 12 / (12 + 4) = 1.5
    tau = realized_tau(1.5, 12e-3, 10e-3, 2e-3)
    assert tau == pytest.approx(2.0)
    assert tau * (10e-3 + 2e-3) / (12e-3 + 2e-3 * tau) == pytest.approx(1.5)
    # the prefill the cycle adds dilutes MTP's gain: left out, the same ratio implies fewer tokens
    assert realized_tau(1.5, 12e-3, 10e-3, 2e-3) > realized_tau(1.5, 12e-3, 10e-3)
    assert realized_tau(3.0, 10e-3, 10e-3, 6e-3) == float("inf")  # more than the prefill's share: not physical
