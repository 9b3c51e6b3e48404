"""model.claims.verdict: consistent, consistent only under stated conditions, inconsistent."""

from tokencalc.model.claims import CONDITIONAL, CONSISTENT, INCONSISTENT, verdict


def test_verdict_logic():
    assert verdict(10, 20, 15, {}) == (CONSISTENT, [])
    assert verdict(10, 20, 5, {"fast": 12, "slow": 4}) == (CONDITIONAL, ["fast"])
    assert verdict(10, 20, 5, {"slow": 4}) == (INCONSISTENT, [])
    assert verdict(10, 20, 10, {}) == (CONSISTENT, [])  # the ends belong to the range
    assert verdict(10, 20, 20.000001, {}) == (INCONSISTENT, [])


def test_consistent_still_lists_the_conditions_that_hold():
    assert verdict(10, 20, 15, {"a": 11, "b": 30, "c": 20}) == (CONSISTENT, ["a", "c"])


def test_verdict_words_are_the_json_contract():
    # `tokencalc claims --json` prints these words; scripts and docs match on them
    assert (CONSISTENT, CONDITIONAL, INCONSISTENT) == (
        "consistent", "consistent only under stated conditions", "inconsistent")
