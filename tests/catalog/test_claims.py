"""The claims catalog: the required published claims are there, each with a source, a date and a range."""

from tokencalc import catalog


def test_required_claims_present():
    ids = set(catalog.claims())
    for required in ("gw-cost", "hopper-blackwell-10-20x", "gb200-5m-75m", "tokens-profitable",
                     "power-267-passes-through", "china-10000-twh", "colo-power-under-20", "h100-rental-floor",
                     "unit-garbling-1e12-wh"):
        assert required in ids


def test_every_claim_is_cited_and_has_a_range():
    known = catalog.sources()
    for claim in catalog.claims().values():
        assert claim.source in known and claim.date, claim.id
        assert claim.low <= claim.high, claim.id


def test_china_claim_is_the_published_figure():
    """Energy Institute, Statistical Review of World Energy 2025: China generated about 10,000 TWh in 2024."""
    claim = catalog.claims()["china-10000-twh"]
    assert claim.unit == "TWh" and claim.low <= 10_000 <= claim.high
