"""studies.deals and the deal catalog: the done-when cases of issue 22 and the identities the study keeps."""

import pytest

from tokencalc import catalog
from tokencalc.errors import CatalogError, ParameterError, UnknownNameError
from tokencalc.studies import deals


@pytest.fixture(scope="module")
def amd():
    return deals.deal("amd-openai")


@pytest.fixture(scope="module")
def nvidia():
    return deals.deal("nvidia-openai")


def test_every_deal_figure_is_sourced_and_dated():
    for d in catalog.deals().values():
        assert d.source in catalog.sources() and d.date
        for name, fig in d.figures().items():
            assert fig.source in catalog.sources(), (d.id, name)
            assert fig.date, (d.id, name)


def test_amd_first_tranche_brings_the_price_below_list(amd):
    # at 204 USD the first tranche (target 200) vests: 26.67 M x 203.99 USD over one GW of accelerators
    first = amd.tranches[0]
    assert first["vested"] and not any(t["vested"] for t in amd.tranches[1:])
    assert first["rebate"].m_as("USD") == pytest.approx(160e6 / 6 * 203.99)
    expected = 43500 - first["rebate"].m_as("USD") / amd.accelerators_per_gw
    assert amd.effective_price_after_first_tranche.m_as("USD") == pytest.approx(expected)
    assert amd.effective_price_after_first_tranche < amd.list_price
    assert amd.effective_price < amd.list_price
    assert amd.cost_per_million_tokens < amd.without.cost_per_million_tokens
    assert amd.wacc_with_vendor == pytest.approx(0.10)  # a rebate, not financing
    assert 0 < amd.round_trip_share < 1


def test_amd_below_the_first_target_no_rebate():
    r = deals.deal("amd-openai", share_price="150 USD")
    assert r.effective_price == r.list_price and r.round_trip_share == 0
    assert r.cost_per_million_tokens.m_as("USD/Mtoken") == pytest.approx(r.without.cost_per_million_tokens.m_as(
        "USD/Mtoken"))


def test_amd_at_600_every_tranche_vests_worth_96_b():
    r = deals.deal("amd-openai", share_price=600)
    assert all(t["vested"] for t in r.tranches)
    assert r.vendor_money.m_as("GUSD") == pytest.approx(160e6 * 599.99 / 1e9)


def test_rising_share_prices_give_larger_rebates():
    money = [deals.deal("amd-openai", share_price=p).vendor_money.m_as("USD") for p in (150, 204, 300, 450, 600, 900)]
    assert all(b >= a for a, b in zip(money, money[1:])) and money[-1] > money[0]


def test_share_price_per_tranche():
    r = deals.deal("amd-openai", share_price="210,290,300,300,300,300")
    assert [t["vested"] for t in r.tranches] == [True, True, False, False, False, False]
    with pytest.raises(ParameterError, match="share_price"):
        deals.deal("amd-openai", share_price="210,290")


def test_samples_give_seeded_quantiles_of_the_rebate():
    a = deals.deal("amd-openai", samples=4000, seed=5)
    b = deals.deal("amd-openai", samples=4000, seed=5)
    q = a.samples["rebate"]
    values = [q[k]["value"] for k in ("p5", "p25", "p50", "p75", "p95")]
    assert values == sorted(values) and values[-1] > 0
    assert a.samples == b.samples
    assert len(a.samples["vesting_probability"]) == 6
    # the probabilities fall tranche by tranche (higher targets), and the first is well inside (0, 1)
    p = a.samples["vesting_probability"]
    assert all(y <= x + 0.02 for x, y in zip(p, p[1:])) and 0.2 < p[0] < 0.8
    # no volatility and no drift: every path is today's price, the deterministic answer
    flat = deals.deal("amd-openai", samples=10, volatility=0)
    assert flat.samples["rebate"]["p50"]["value"] == pytest.approx(deals.deal("amd-openai").vendor_money.m_as("USD"))


def test_nvidia_vendor_share_round_trip_and_wacc(nvidia):
    w = nvidia.without
    assert 0 <= nvidia.vendor_funded_share <= 1
    assert nvidia.vendor_funded_share == pytest.approx(10e9 / w.capex.total.m_as("USD"))
    revenue = (w.capex.compute + w.capex.network).m_as("USD")
    assert nvidia.round_trip_share == pytest.approx(10e9 / revenue)
    # WACC = (1 - f) x 10 % + f x 15 % and the factory re-evaluated at it
    f = nvidia.vendor_funded_share
    assert nvidia.wacc_with_vendor == pytest.approx((1 - f) * 0.10 + f * 0.15)
    assert nvidia.cost_per_million_tokens > w.cost_per_million_tokens
    again = deals.factory(**{**{k: v.value for k, v in nvidia.deal.scenario.items()}, "it_power": "1 GW",
                             "wacc": nvidia.wacc_with_vendor})
    assert nvidia.cost_per_million_tokens.m_as("USD/Mtoken") == pytest.approx(
        again.cost_per_million_tokens.m_as("USD/Mtoken"))
    assert nvidia.equity_stake == pytest.approx(100 / 600)


def test_cheap_vendor_money_lowers_the_cost_and_neutral_money_leaves_it():
    cheap = deals.deal("nvidia-openai", vendor_return=0.05)
    assert cheap.wacc_with_vendor < 0.10 and cheap.cost_per_million_tokens < cheap.without.cost_per_million_tokens
    neutral = deals.deal("nvidia-openai", vendor_return="10 %")
    assert neutral.cost_per_million_tokens.m_as("USD/Mtoken") == pytest.approx(
        neutral.without.cost_per_million_tokens.m_as("USD/Mtoken"))


def test_compare_side_by_side():
    c = deals.compare_deals(["amd-openai", "nvidia-openai"], share_price=300)
    assert [r.deal.id for r in c.deals] == ["amd-openai", "nvidia-openai"]
    assert c.to_dict()["deals"][0]["deal"]["id"] == "amd-openai"
    with pytest.raises(ParameterError, match="compare"):
        deals.compare_deals(["amd-openai"])


def test_options_that_do_not_apply_fail_clearly():
    with pytest.raises(ParameterError, match="share_price: nvidia-openai has no warrant"):
        deals.deal("nvidia-openai", share_price=200)
    with pytest.raises(ParameterError, match="vendor_return"):
        deals.deal("amd-openai", vendor_return=0.1)
    with pytest.raises(ParameterError, match="samples"):
        deals.deal("amd-openai", samples="2.5")
    with pytest.raises(UnknownNameError, match="did you mean 'amd-openai'"):
        deals.deal("amd-opnai")


_USER_DEAL = """
[my-deal]
name = "A vendor invests 2 B per GW"
vendor = "V"
buyer = "B"
announced = "2026-01-01"
status = "hypothetical"
source = "tokencalc-estimate"
date = "2026-11"
gigawatt_basis = { value = "facility", source = "tokencalc-estimate", date = "2026-11" }
vendor_lines = { value = ["compute"], source = "tokencalc-estimate", date = "2026-11" }
gigawatts = { value = 2, unit = "GW", source = "tokencalc-estimate", date = "2026-11" }
announced_year = { value = 2026, source = "tokencalc-estimate", date = "2026-11" }
first_gw_year = { value = 2027, source = "tokencalc-estimate", date = "2026-11" }
last_gw_year = { value = 2028, source = "tokencalc-estimate", date = "2026-11" }
[my-deal.scenario]
accelerator = { value = "gb200-nvl72", source = "tokencalc-estimate", date = "2026-11" }
[my-deal.investment]
per_gigawatt = { value = 2, unit = "GUSD/GW", source = "tokencalc-estimate", date = "2026-11" }
cap = { value = 4, unit = "GUSD", source = "tokencalc-estimate", date = "2026-11" }
valuation = { value = 100, unit = "GUSD", source = "tokencalc-estimate", date = "2026-11" }
vendor_return = { value = 0.10, unit = "1", source = "tokencalc-estimate", date = "2026-11" }
"""


def test_a_users_deal_file(tmp_path):
    path = tmp_path / "deal.toml"
    path.write_text(_USER_DEAL)
    r = deals.deal(str(path))
    assert r.deal.id == "my-deal" and r.deal.origin == str(path)
    assert r.without.facility_power.m_as("GW") == pytest.approx(1.0)  # basis: facility
    assert [row["investment"].m_as("GUSD") for row in r.investment] == pytest.approx([2, 2])
    assert r.cost_per_million_tokens.m_as("USD/Mtoken") == pytest.approx(r.without.cost_per_million_tokens.m_as(
        "USD/Mtoken"))  # vendor_return = wacc: no change


@pytest.mark.parametrize("old, new, message", [
    ('unit = "GUSD/GW"', 'unit = "GW"', "per_gigawatt has unit 'GW'"),
    ('value = 100, unit = "GUSD"', 'value = -1, unit = "GUSD"', "valuation = -1"),
    ('source = "tokencalc-estimate", date = "2026-11" }\ncap', 'source = "nowhere", date = "2026-11" }\ncap',
     "unknown source 'nowhere'"),
    ('value = "facility"', 'value = "site"', "gigawatt_basis = 'site'"),
    ('[my-deal.investment]', '[my-deal.investment]\nbonus = 1', "unknown key 'bonus'"),
    ('first_gw_year = { value = 2027', 'first_gw_year = { value = 2029', "announced_year <= first_gw_year"),
])
def test_a_bad_user_deal_names_the_file_and_the_key(tmp_path, old, new, message):
    assert old in _USER_DEAL
    path = tmp_path / "bad.toml"
    path.write_text(_USER_DEAL.replace(old, new, 1))
    with pytest.raises(CatalogError, match="bad.toml") as exc:
        deals.deal(str(path))
    assert message in str(exc.value)



def test_the_deal_claims_are_checked():
    from tokencalc.studies.claims import CONDITIONAL, CONSISTENT, check

    stake = check("amd-warrant-10pct")
    assert stake.value == pytest.approx(160 / 1622) and stake.verdict == CONSISTENT
    assert stake.condition_values["share of the enlarged company after exercise"] == pytest.approx(160 / 1782)
    paid = check("amd-warrant-pays-for-hardware")  # 96 B over AMD's 6 x 15 B
    r = deals.deal("amd-openai", share_price=600)
    assert paid.value == pytest.approx(160e6 * 599.99 / (6 * r.vendor_revenue_per_gw.m_as("USD")))
    ferragu = check("nvidia-invests-29pct")  # 29 % only when a deal GW is facility power
    assert ferragu.verdict == CONDITIONAL and ferragu.holding == ("1 GW of facility power per deal gigawatt",)
    assert check("circular-vs-lucent").verdict == CONSISTENT


def test_per_gigawatt_figures_do_not_depend_on_the_site_size(amd):
    small = deals.deal("amd-openai", it_power="100 MW")  # whole racks: within a rack's share of 100 MW
    assert small.site_gigawatts == pytest.approx(small.without.it_power.m_as("GW"))
    assert small.accelerators_per_gw == pytest.approx(amd.accelerators_per_gw, rel=0.01)
    assert small.effective_price.m_as("USD") == pytest.approx(amd.effective_price.m_as("USD"), rel=0.01)
    assert small.cost_per_million_tokens.m_as("USD/Mtoken") == pytest.approx(
        amd.cost_per_million_tokens.m_as("USD/Mtoken"), rel=0.01)
    facility = deals.deal("amd-openai", gigawatt_basis="facility")  # a deal GW of facility power: fewer accelerators
    assert facility.accelerators_per_gw == pytest.approx(amd.accelerators_per_gw / 1.2, rel=0.01)


def test_other_hardware_drops_the_deals_own_figures():
    r = deals.deal("amd-openai", accelerator="gb200-nvl72")
    assert r.list_price.m_as("USD") == pytest.approx(catalog.accelerator("gb200-nvl72").accelerator_capex.m_as("USD"))


def test_degenerate_inputs_stay_finite_or_fail_clearly():
    free = deals.deal("amd-openai", accelerator_capex=0)  # no revenue: the vendor's money is all of it
    assert free.round_trip_share == 1.0 and 0 <= free.vendor_funded_share <= 1
    with pytest.raises(ParameterError, match="seed"):
        deals.deal("amd-openai", samples=5, seed=-1)
    with pytest.raises(ParameterError, match="gigawatt_basis"):
        deals.deal("amd-openai", gigawatt_basis="chip")


def test_the_docs_example_deal_file_runs(tmp_path):
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "deals.md").read_text()
    example = page.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "my-deal.toml"
    path.write_text(example)
    r = deals.deal(str(path))
    assert [t["vested"] for t in r.tranches] == [True, False]  # 150 meets the first target, not the second (250)
    assert r.effective_price < r.list_price
