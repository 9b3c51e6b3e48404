"""The fleet study: it reduces to `tokencalc cashflow` for one generation, reports economic lives, and is fast."""

import time

import pytest

import tokencalc as tc
from tokencalc.errors import ParameterError
from tokencalc.model.finance import net_present_value
from tokencalc.present.fleet import decision_rule
from tokencalc.studies.cashflow import cashflow

pytestmark = pytest.mark.filterwarnings("ignore::tokencalc.TokencalcWarning")


@pytest.mark.parametrize("gpu, book_life, build, tolerance", [
    ("gb200-nvl72", 4, 1, 1e-9),   # book life = economic life: the same flows, exactly
    ("gb200-nvl72", 5, 1, 0.005),  # book life 5: the fleet writes the last year's book value off at retirement
    ("h100", 5, 0, 0.005),         # cashflow keeps depreciating retired hardware a year longer; within 0.5 %
    ("mi355x", 5, 2, 0.005),
])
def test_one_generation_life_n_equals_cashflow(gpu, book_life, build, tolerance):
    """Done-when: a one-generation roadmap under life=N, N the accelerator life, has the NPV of `cashflow` for the
    same site and price path (network replaced with the compute, so network_life = accelerator_life in both)."""
    common = dict(accelerator_life=4, network_life=4, token_price_decline=0.3, accelerator_book_life=book_life,
                  build_period=build, facility_power="400 MW")
    expected = cashflow(price=0.5, accelerator=gpu, horizon=10, **common).npv.m_as("USD")
    got = tc.fleet(policy="life=4", gpu=gpu, start=2025, years=10, halls=1, price=0.5, roadmap=[gpu],
                   extrapolate=False, street_price_decline=0, **common).npv.m_as("USD")
    assert got == pytest.approx(expected, rel=tolerance)


def test_h100_from_2023_reports_its_economic_life():
    """Done-when: on defaults from 2023 with H100 the economic life of H100 under the power cap is reported."""
    r = tc.fleet(start=2023, gpu="h100")
    life, censored = r.economic_life["h100"]
    assert 1 <= life <= 7 and not censored
    d = r.to_dict()
    assert set(d) >= {"policy", "npv", "years", "economic_life", "book_loss", "policies"}
    assert d["economic_life"]["h100"] == {"value": life, "unit": "yr"}
    assert set(d["policies"]) == {"life=3", "life=4", "life=5", "life=6", "life=7", "never", "optimal"}
    assert {"year", "installed", "tokens", "revenue", "cost", "cash_flow"} <= set(d["years"][-1])


def test_the_yearly_cash_flows_are_the_npv_and_optimal_is_best():
    r = tc.fleet(start=2024, years=8, halls=4, ramp="500 MW/yr", price=1.0, token_price_decline=0.4)
    cash = [row["cash_flow"] for row in r.rows]
    assert net_present_value(r.scenario.wacc.m_as(""), cash) == pytest.approx(r.npv.m_as("USD"), rel=1e-9)
    assert r.rows[-1]["cumulative_npv"] == pytest.approx(r.npv.m_as("USD"), rel=1e-9)
    assert all(r.policies["optimal"]["npv"] >= p["npv"] - 1e-6 for p in r.policies.values())
    assert r.online == (2024, 2024, 2025, 2025)
    installed = [sum(row["installed"].values()) for row in r.rows if row["tokens"]]
    assert installed[0] == pytest.approx(500) and installed[-1] == pytest.approx(1000)


def test_later_halls_are_first_built_with_what_is_on_sale_then():
    r = tc.fleet(policy="life=4", start=2024, gpu="h100", years=6, ramp="250 MW/yr", price=1.0)
    firsts = [next(d for d in r.decisions if d["hall"] == h) for h in (1,)]
    assert firsts[0]["from"] == "h100"
    year_2025 = next(row for row in r.rows if row["year"] == 2025)
    assert "h100" in year_2025["installed"] and len(year_2025["installed"]) == 2  # the 2025 hall: newest shipping


def test_errors_name_the_parameter():
    with pytest.raises(ParameterError, match="^policy: 'life=0' is not allowed"):
        tc.fleet(policy="life=0")
    with pytest.raises(ParameterError, match="^gpu: vr200-nvl144 ships in volume from 2026"):
        tc.fleet(start=2024, gpu="vr200-nvl144")
    with pytest.raises(ParameterError, match="^halls:"):
        tc.fleet(halls=2.5)
    with pytest.raises(ParameterError, match="^ramp:"):
        tc.fleet(ramp="1 MW/yr", years=3)


def test_to_dataframe_when_pandas_is_installed():
    pytest.importorskip("pandas")
    frame = tc.fleet(years=4).to_dataframe()
    assert "cash_flow" in frame.columns and len(frame) >= 4


def test_optimal_for_ten_years_four_halls_and_the_full_roadmap_is_fast():
    """Issue 19: optimal for 10 years, 4 halls and the full roadmap in <= 2 s (measured after the first call,
    which also imports and caches the catalog and the serving model)."""
    tc.fleet(years=10, halls=4)
    start = time.perf_counter()
    tc.fleet(policy="optimal", years=10, halls=4, ramp="250 MW/yr")
    assert time.perf_counter() - start < 2.0


def test_a_fleet_left_dark_still_answers_in_json():
    """When tokens stop paying for the energy, optimal may leave every hall dark: years without tokens have no
    cost per token (null in JSON), not NaN."""
    import json

    r = tc.fleet(start=2024, years=6, price=0.05, token_price_decline=0.9)
    assert any(row["tokens"] == 0 for row in r.rows[2:])
    d = json.loads(json.dumps(r.to_dict(), allow_nan=False))
    assert None in d["policies"]["optimal"]["cost_per_million_tokens"]
    assert any("leave the hall dark" in line for line in decision_rule(r))


def test_systems_a_hall_cannot_host_are_left_out_unless_asked_for():
    r = tc.fleet(start=2023, gpu="h100", cooling="air", years=3, price=1)
    assert "gb200-nvl72" in r.excluded and r.excluded["gb200-nvl72"].startswith("cooling: air cooling handles")
    assert "gb200-nvl72" not in [g.id for g in r.generations] and "h100" in r.economic_life
    with pytest.raises(ParameterError, match="^cooling: air cooling handles racks up to"):
        tc.fleet(start=2025, gpu="gb200-nvl72", cooling="air", years=3, price=1)
    with pytest.raises(ParameterError, match="^ramp:"):
        tc.fleet(ramp=1, years=3)  # a bare number is MW/yr: 1 MW/yr cannot build 1 GW in 3 years
