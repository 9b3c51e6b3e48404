"""The factory model against hand-computed cases of reference model v1 (DESIGN.md)."""

import numpy as np
import pytest

import tokencalc as tc

HOURS_PER_YEAR = 8766.0  # pint's year: 365.25 days
SECONDS_PER_YEAR = HOURS_PER_YEAR * 3600


def case_one(**extra):
    """10 MW, PUE 1.25, server-scale h100 entry with round numbers, wacc = 0."""
    params = dict(
        accelerator="h100",
        facility_power="10 MW",
        pue=1.25,
        it_power_per_accelerator="1000 W",
        accelerator_capex="30000 USD",
        network_capex_per_accelerator="5000 USD",
        facility_capex_per_it_power="10 USD/W",
        electricity_price="100 USD/MWh",
        load_factor=0.5,
        utilization=0.5,
        tokens_per_second_per_accelerator="1000 token/s",
        accelerator_life="4 year",
        network_life="5 year",
        facility_life="20 year",
        wacc=0,
        site_operations_per_it_power=0,  # v1: operations = 2 % of compute, network and facility capex
        facility_maintenance_rate="0.02 1/year",
        hardware_maintenance_rate="0.02 1/year",
    )
    params.update(extra)
    return params


def test_hand_computed_case_wacc_zero():
    r = tc.factory(**case_one())
    # it_power = 10 MW / 1.25 = 8 MW; accelerators = 8e6 W / 1000 W = 8000
    assert r.it_power.m_as("MW") == pytest.approx(8.0)
    assert r.accelerators == 8000
    # capex: 8000 x 30,000 = 240 M; 8000 x 5,000 = 40 M; 8 MW x 10 USD/W = 80 M
    assert r.capex.compute.m_as("USD") == pytest.approx(240e6)
    assert r.capex.network.m_as("USD") == pytest.approx(40e6)
    assert r.capex.facility.m_as("USD") == pytest.approx(80e6)
    assert r.capex.total.m_as("USD") == pytest.approx(360e6)
    # capital charge with wacc = 0: 240/4 + 40/5 + 80/20 = 60 + 8 + 4 = 72 M/yr
    assert r.annual_cost.compute_capital.m_as("USD/year") == pytest.approx(60e6)
    assert r.capital_charge.m_as("USD/year") == pytest.approx(72e6)
    # energy: 8000 x 1 kW x 0.5 x 1.25 x 8766 h = 43,830 MWh; x 100 USD/MWh = 4.383 M
    assert r.energy_per_year.m_as("MWh/year") == pytest.approx(43_830)
    assert r.annual_cost.electricity.m_as("USD/year") == pytest.approx(4.383e6)
    # operations: 0.02 x 360 M = 7.2 M
    assert r.annual_cost.operations.m_as("USD/year") == pytest.approx(7.2e6)
    annual = 72e6 + 4.383e6 + 7.2e6
    assert r.annual_cost.total.m_as("USD/year") == pytest.approx(annual)
    # tokens: 8000 x 1000 tok/s x 0.5 x 31,557,600 s = 1.262304e14
    tokens = 8000 * 1000 * 0.5 * SECONDS_PER_YEAR
    assert r.tokens_per_year.m_as("token/year") == pytest.approx(tokens)
    assert r.cost_per_million_tokens.m_as("USD/Mtoken") == pytest.approx(annual / tokens * 1e6)
    assert r.cost_per_million_tokens.m_as("USD/Mtoken") == pytest.approx(0.6621464, rel=1e-6)  # 83.583 M / 126.2304 Mtoken
    assert r.breakeven_revenue_per_year.m_as("USD/year") == pytest.approx(annual)
    assert r.cost_per_accelerator_hour.m_as("USD/hour") == pytest.approx(annual / 8000 / HOURS_PER_YEAR)


def test_operations_split_hand_computed():
    r = tc.factory(**case_one(site_operations_per_it_power="200 USD/kW/year", facility_maintenance_rate=0.01,
                              hardware_maintenance_rate="3 %/year"))
    # site: 200 USD/kW/yr x 8,000 kW of IT = 1.6 M; facility: 1 % x 80 M = 0.8 M; hardware: 3 % x (240 + 40) M = 8.4 M
    assert r.annual_cost.site_operations.m_as("USD/year") == pytest.approx(1.6e6)
    assert r.annual_cost.facility_maintenance.m_as("USD/year") == pytest.approx(0.8e6)
    assert r.annual_cost.hardware_maintenance.m_as("USD/year") == pytest.approx(8.4e6)
    assert r.annual_cost.operations.m_as("USD/year") == pytest.approx(10.8e6)
    assert r.annual_cost.total.m_as("USD/year") == pytest.approx(72e6 + 4.383e6 + 10.8e6)
    # site operations follow the site, not the hardware's price
    dear = tc.factory(**case_one(site_operations_per_it_power=200, accelerator_capex=60000))
    assert dear.annual_cost.site_operations == r.annual_cost.site_operations


def test_hand_computed_case_rack_scale_with_wacc():
    r = tc.factory(
        accelerator="gb200-nvl72",
        facility_power="100 MW",
        pue=1.2,
        it_power_per_accelerator="2 kW",
        accelerator_capex=50_000,
        network_capex_per_accelerator=10_000,
        facility_capex_per_it_power=12,
        electricity_price="0.06 USD/kWh",
        load_factor=0.8,
        utilization=0.7,
        tokens_per_second_per_accelerator=5000,
        accelerator_life=4,
        network_life=6,
        facility_life=25,
        wacc=0.08,
        site_operations_per_it_power=0,
        facility_maintenance_rate=0.03,
        hardware_maintenance_rate=0.03,
    )
    # IT 83.333 MW / 2 kW = 41,666.7 -> 578 whole racks of 72 = 41,616 accelerators
    assert r.accelerators == 41_616
    assert r.systems == 578
    compute, network, facility = 41_616 * 50_000, 41_616 * 10_000, 100e6 / 1.2 * 12
    # crf(8 %, n) = 0.08 / (1 - 1.08^-n): n=4 0.3019208, n=6 0.2163154, n=25 0.0936788
    capital = compute * 0.3019208 + network * 0.2163154 + facility * 0.0936788
    electricity = 41_616 * 2 * 0.8 * 1.2 * HOURS_PER_YEAR * 0.06
    operations = 0.03 * (compute + network + facility)
    annual = capital + electricity + operations
    tokens = 41_616 * 5000 * 0.7 * SECONDS_PER_YEAR
    assert r.capital_charge.m_as("USD/year") == pytest.approx(capital, rel=1e-6)
    assert r.annual_cost.total.m_as("USD/year") == pytest.approx(annual, rel=1e-6)
    assert r.cost_per_million_tokens.m_as("USD/Mtoken") == pytest.approx(annual / tokens * 1e6, rel=1e-6)


def test_units_are_equivalent():
    a = tc.factory(electricity_price="80 USD/MWh")
    b = tc.factory(electricity_price="0.08 USD/kWh")
    c = tc.factory(electricity_price=tc.Q_(8, "cent/kWh"))
    d = tc.factory(electricity_price=80)  # a bare number is read in the unit tables show: USD/MWh
    for other in (b, c, d):
        assert other.cost_per_million_tokens.m_as("USD/Mtoken") == pytest.approx(
            a.cost_per_million_tokens.m_as("USD/Mtoken"), rel=1e-12
        )
    assert tc.factory(facility_power="1 GW").accelerators == tc.factory(facility_power="1000 MW").accelerators


def test_doubling_throughput_halves_cost_per_token():
    base = tc.factory(tokens_per_second_per_accelerator=3000)
    double = tc.factory(tokens_per_second_per_accelerator=6000)
    assert double.cost_per_million_tokens.m_as("USD/Mtoken") == pytest.approx(
        base.cost_per_million_tokens.m_as("USD/Mtoken") / 2
    )


@pytest.mark.parametrize("gpu", ["h100", "gb200-nvl72", "mi355x"])
def test_cost_per_token_times_tokens_is_annual_cost(gpu):
    r = tc.factory(accelerator=gpu)
    assert (r.cost_per_million_tokens * r.tokens_per_year).m_as("USD/year") == pytest.approx(
        r.annual_cost.total.m_as("USD/year")
    )


def test_breakdowns_add_up():
    r = tc.factory()
    assert (r.capex.compute + r.capex.network + r.capex.facility).m_as("USD") == pytest.approx(r.capex.total.m_as("USD"))
    lines = ("compute_capital", "network_capital", "facility_capital", "electricity", "site_operations",
             "facility_maintenance", "hardware_maintenance")
    assert sum(getattr(r.annual_cost, k).m_as("USD/year") for k in lines) == pytest.approx(
        r.annual_cost.total.m_as("USD/year")
    )


def test_scaling_the_site_scales_cost_and_tokens():
    # whole-server counts are exact here: 8 MW / 1 kW = 8000 and 16000
    small = tc.factory(**case_one())
    big = tc.factory(**case_one(facility_power="20 MW"))
    assert big.annual_cost.total.m_as("USD/year") == pytest.approx(2 * small.annual_cost.total.m_as("USD/year"))
    assert big.tokens_per_year.m_as("token/year") == pytest.approx(2 * small.tokens_per_year.m_as("token/year"))
    assert big.cost_per_million_tokens.m_as("USD/Mtoken") == pytest.approx(
        small.cost_per_million_tokens.m_as("USD/Mtoken")
    )


def test_arrays_broadcast_like_scalars():
    prices = np.array([40.0, 80.0, 160.0])
    vec = tc.factory(facility_power="100 MW", electricity_price=tc.Q_(prices, "USD/MWh"), wacc=np.array([0.05, 0.1, 0.0]))
    for i, (price, wacc) in enumerate(zip(prices, [0.05, 0.1, 0.0])):
        one = tc.factory(facility_power="100 MW", electricity_price=f"{price} USD/MWh", wacc=wacc)
        assert vec.cost_per_million_tokens.m_as("USD/Mtoken")[i] == pytest.approx(
            one.cost_per_million_tokens.m_as("USD/Mtoken"), rel=1e-12
        )
    d = vec.to_dict()
    assert len(d["cost_per_million_tokens"]["value"]) == 3


def test_default_gigawatt_lands_in_published_range():
    """Epoch AI (~30 B/GW facility power), Bernstein (~35 B) to Nvidia's CEO (50-60 B)."""
    r = tc.factory(facility_power="1 GW")
    assert 30 <= r.capex.total.m_as("GUSD") <= 60


def test_each_cost_line_can_be_zeroed():
    r = tc.factory(accelerator_capex=0, network_capex_per_accelerator=0, facility_capex_per_it_power=0,
                   electricity_price=0, site_operations_per_it_power=0,
                   facility_maintenance_rate=0, hardware_maintenance_rate=0)
    assert r.annual_cost.total.m_as("USD/year") == 0


def test_scenario_object_round_trip():
    s, _ = tc.resolve_scenario({"pue": 1.3})
    r1 = tc.factory(s)
    r2 = tc.factory(pue=1.3)
    assert r1.cost_per_million_tokens == r2.cost_per_million_tokens
    assert tc.factory(s, pue=1.4).scenario.pue.magnitude == 1.4


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"pue": 0.9}, "pue: 0.9 is not allowed; allowed: >= 1"),
        ({"utilization": 1.5}, "utilization: 1.5 is not allowed"),
        ({"utilization": 0}, "allowed: > 0 and <= 1"),
        ({"load_factor": 1.2}, "load_factor"),
        ({"electricity_price": -1}, "electricity_price: -1"),
        ({"accelerator_life": 0}, "accelerator_life: 0"),
        ({"wacc": -0.1}, "wacc"),
        ({"facility_power": "1 kW"}, "too small for one rack"),
        ({"accelerator": "h1000"}, "unknown id 'h1000'"),
        ({"pu": 1.2}, "did you mean 'pue'"),
        ({"pue": "1.2 kW"}, "pue: kW does not fit"),
        ({"accelerator": "mi450-helios"}, "announced"),
        ({"facility_power": float("nan")}, "finite"),
    ],
)
def test_bad_input_raises_tokencalc_error(params, fragment):
    with pytest.raises(tc.TokencalcError) as exc:
        tc.factory(**params)
    assert isinstance(exc.value, ValueError)
    assert fragment in str(exc.value)


def test_unusual_value_warns():
    with pytest.warns(tc.TokencalcWarning, match="electricity_price"):
        tc.factory(electricity_price="600 USD/MWh")


def test_announced_system_runs_when_figures_are_set():
    r = tc.factory(accelerator="mi450-helios", it_power_per_accelerator="2.8 kW", accelerator_capex=90_000,
                   network_capex_per_accelerator=15_000, tokens_per_second_per_accelerator=20_000)
    assert r.accelerator_status == "announced"
    assert r.accelerators % 72 == 0


def test_cost_per_accelerator_hour_prices_tokens_as_inferencex_does():
    """Issue 16: cost per Mtoken = price per hour / (tokens per second x 3,600) x 1e6, exactly, with no capex."""
    r = tc.factory(accelerator="b200", model="deepseek-r1", cost_per_accelerator_hour=2, utilization=1)
    tps = r.scenario.tokens_per_second_per_accelerator.m_as("token/s")
    assert r.cost_per_million_tokens.m_as("USD/Mtoken") == pytest.approx(2 / (tps * 3600) * 1e6, rel=1e-12)
    assert r.capex.total.m_as("USD") == 0
    assert r.annual_cost.total.m_as("USD/year") == pytest.approx(r.accelerators * 2 * 8766, rel=1e-12)
    assert r.cost_per_accelerator_hour.m_as("USD/hour") == pytest.approx(2, rel=1e-12)
    # every hour is paid for: half the utilization, twice the cost per token
    half = tc.factory(accelerator="b200", model="deepseek-r1", cost_per_accelerator_hour=2, utilization=0.5)
    assert half.cost_per_million_tokens.m_as("USD/Mtoken") == pytest.approx(
        2 * r.cost_per_million_tokens.m_as("USD/Mtoken"), rel=1e-12)


def test_cost_per_accelerator_hour_array_mixes_build_up_and_price():
    r = tc.factory(cost_per_accelerator_hour=np.array([0.0, 3.0]))
    built = tc.factory()
    assert r.cost_per_million_tokens.m_as("USD/Mtoken")[0] == pytest.approx(
        built.cost_per_million_tokens.m_as("USD/Mtoken"), rel=1e-12)
    assert r.cost_per_accelerator_hour.m_as("USD/hour")[1] == pytest.approx(3.0, rel=1e-12)
    assert r.capex.total.m_as("USD")[1] == 0 and r.capex.total.m_as("USD")[0] > 0


def test_site_sized_by_it_power(cli):
    """Issue 16: --it-power sizes the site by IT power; facility power = IT power x pue."""
    r = tc.factory(it_power="1 GW", pue=1.3)
    assert r.it_power.m_as("MW") == pytest.approx(1000, rel=1e-12)
    assert r.facility_power.m_as("MW") == pytest.approx(1300, rel=1e-12)
    assert r.accelerators == tc.factory(facility_power="1.3 GW", pue=1.3).accelerators
    both = cli("factory", "--it-power", "1 GW", "--gw", "1")
    assert both.code == 2 and "give the site size once" in both.err
    assert cli("factory", "--it-power", "1 GW", "--json").json()["provenance"]["facility_power"] == "it_power x pue"


def test_cost_basis_takes_semianalysis_price_per_hour(cli):
    """--cost-basis tco-hyperscaler: SemiAnalysis' TCO per GPU-hour (catalog inferencex-tco) replaces the build-up."""
    r = tc.factory(accelerator="h100", cost_basis="tco-hyperscaler")
    assert r.cost_per_accelerator_hour.m_as("USD/hour") == pytest.approx(1.30, rel=1e-12)
    assert r.provenance["cost_per_accelerator_hour"].figures[0].source == "inferencex-tco"
    neo = tc.factory(accelerator="gb200-nvl72", cost_basis="tco-neocloud")
    assert neo.cost_per_accelerator_hour.m_as("USD/hour") == pytest.approx(2.75, rel=1e-12)
    # a price and a basis together are a contradiction, refused naming both
    with pytest.raises(tc.ParameterError, match="cost_basis: give either --cost-basis or a price"):
        tc.factory(accelerator="h100", cost_basis="rental-3yr", cost_per_accelerator_hour=3)
    assert tc.factory(accelerator="h100", cost_per_accelerator_hour=3).provenance["cost_basis"].tag == \
        "cost_per_accelerator_hour"
    r = cli("factory", "--gpu", "vr200-nvl144", "--cost-basis", "tco-neocloud")
    assert r.code == 2 and "cost_basis: the catalog has no tco-neocloud price for vr200-nvl144" in r.err


def test_plant_energy_cost_as_run_beside_its_lcoe():
    """Issue 16: the plant's energy as the site runs it (sized with a margin, at the site's load) costs more than
    its LCOE at its own availability; both shown, and the first is the plant lines over the plant's energy."""
    r = tc.factory(power_source="gas-ccgt")
    a, s = r.annual_cost, r.scenario
    plant_energy = r.energy_per_year.m_as("MWh/year") * s.plant_energy_share.m_as("")
    lines = (a.power_plant_capital + a.fuel + a.plant_operations).m_as("USD/year")
    assert r.plant_cost_per_energy.m_as("USD/MWh") == pytest.approx(lines / plant_energy, rel=1e-12)
    assert r.plant_cost_per_energy > r.plant_lcoe > tc.Q_(0, "USD/MWh")
    assert tc.factory().plant_lcoe.m_as("USD/MWh") == 0  # on grid power there is no plant
