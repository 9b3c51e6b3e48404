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


def _pair(serving, system="b200"):
    """A run with MTP and its twin without, at one configuration and date, from the measured data."""
    from tokencalc.catalog import benchmark_rows
    from tokencalc.studies import calibration as cal
    from tokencalc.studies.mtp_gain import _pair_key

    by_key = {}
    for r in benchmark_rows():
        if cal.usable(r) and (r.serving, r.system) == (serving, system):
            by_key.setdefault(_pair_key(r), {})[r.spec_decode] = r
    return next((v["mtp"], v["none"]) for v in by_key.values() if len(v) == 2)


def _setup():
    from tokencalc import catalog
    from tokencalc.studies import calibration as cal

    eff = catalog.read_toml("efficiency.toml")
    thetas = {f: tuple(eff[f][n] for n in cal.PARAMETERS) for f in cal.FAMILIES}
    scale_out = {s.id: s.figure("scale_out_bandwidth").value.m_as("B/s") for s in catalog.accelerators().values()
                 if s.figure("scale_out_bandwidth") is not None}
    return catalog.llm("deepseek-r1"), scale_out, thetas


def test_an_aggregated_pair_counts_the_prefill_its_cycle_adds(monkeypatch):
    """An aggregated pair's tokens per step solve the cycle with its prefill; without it (c = 0) the same
    interactivities imply a lower acceptance (MTP's gain diluted by the prefill looks smaller)."""
    from tokencalc.studies import mtp_gain

    llm, scale_out, thetas = _setup()
    pair = _pair("aggregated")
    [(_, _, with_prefill)] = mtp_gain.mtp_pairs(list(pair), llm, scale_out, thetas, 1.0)
    monkeypatch.setattr(mtp_gain, "_prefill_per_token", lambda *args: 0.0)
    [(_, _, without)] = mtp_gain.mtp_pairs(list(pair), llm, scale_out, thetas, 1.0)
    assert pair[0].interactivity > pair[1].interactivity and with_prefill > without


def test_a_pair_is_two_runs_of_one_date():
    """Runs of one configuration on two dates (two versions of a stack) make no pair."""
    import attrs

    from tokencalc.studies import mtp_gain

    llm, scale_out, thetas = _setup()
    with_mtp, without = _pair("disaggregated")
    assert len(mtp_gain.mtp_pairs([with_mtp, without], llm, scale_out, thetas, 1.0)) == 1
    later = attrs.evolve(with_mtp, date="2099-01-01")
    assert mtp_gain.mtp_pairs([later, without], llm, scale_out, thetas, 1.0) == []


def test_family_gains_fill_a_family_without_pairs_from_its_parent():
    """A family with no pairs of its own takes the gain of the family it inherits from (Hopper from Blackwell),
    else 1 (CDNA 4, and CDNA 3 from it)."""
    from tokencalc.studies import mtp_gain

    llm, scale_out, thetas = _setup()
    with_mtp, without = _pair("disaggregated", "b200")
    gains, measured = mtp_gain.family_gains([with_mtp, without], llm, scale_out, thetas, 1.0, 0.875)
    assert list(measured) == ["nvidia-blackwell"] and measured["nvidia-blackwell"]["pairs"] == 1
    assert gains["nvidia-hopper"] == gains["nvidia-blackwell"] == measured["nvidia-blackwell"]["gain"]
    assert gains["amd-cdna4"] == gains["amd-cdna3"] == 1.0
