"""The claims study: tokencalc's figure for a published claim, its verdict, conditions, drivers and band."""

import math

import pytest

from tokencalc.studies.claims import CONDITIONAL, CONSISTENT, INCONSISTENT, Claim, check, check_claim, claims


def _claim(**kw):
    base = dict(id="test", statement="s", who="w", source="energy-institute-2025", date="2025", kind="energy",
                unit="TWh", low=9000, high=11000, params={"preset": "china-2024"})
    return Claim(**{**base, **kw})


def test_hand_made_claim_that_must_pass():
    result = check_claim(_claim())
    assert result.verdict == CONSISTENT and result.value == pytest.approx(10087)


def test_hand_made_claim_that_must_fail():
    result = check_claim(_claim(unit="Wh", low=0.9e12, high=1.1e12))  # "10,000 TWh is 1 trillion Wh"
    assert result.verdict == INCONSISTENT and result.value == pytest.approx(1.0087e16)


def test_hand_made_conditional_claim():
    result = check_claim(_claim(kind="capex", unit="GUSD", low=45, high=49, params={"facility_power": "1 GW"},
                                conditions={"Rubin": {"accelerator": "vr200-nvl144", "facility_power": "1 GW"}}))
    assert result.verdict == CONDITIONAL and result.holding == ("Rubin",)


@pytest.mark.parametrize("claim_id", list(claims()))
def test_every_catalog_claim_runs_and_its_verdict_matches_its_figures(claim_id):
    """The verdict agrees with tokencalc's figure and the claimed range, read here independently."""
    result = check(claim_id)
    claim = result.claim
    assert claim.id == claim_id and math.isfinite(result.value)
    inside = claim.low <= result.value <= claim.high
    holding = tuple(name for name, v in result.condition_values.items() if claim.low <= v <= claim.high)
    assert set(result.condition_values) == set(claim.conditions)
    assert result.holding == holding
    if inside:
        assert result.verdict == CONSISTENT
    elif holding:
        assert result.verdict == CONDITIONAL
    else:
        assert result.verdict == INCONSISTENT


def test_ratio_claim_reports_its_band():
    result = check("hopper-blackwell-10-20x")
    assert result.band is not None and result.band[0] < result.band[1]


def test_claims_cli(cli):
    d = cli("claims", "--json").json()
    assert len(d["claims"]) == len(claims())
    first = d["claims"][0]
    for key in ("statement", "source", "claimed", "tokencalc", "verdict", "holds_under", "drivers"):
        assert key in first
    one = cli("claims", "gw-cost").out
    assert "gw-cost" in one and "holds under" in one
    bad = cli("claims", "nope")
    assert bad.code == 2 and "unknown id 'nope'" in bad.err

