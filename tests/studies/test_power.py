"""Power and energy studies: plant LCOE from the catalog, on-site plants in the factory, cooling, energy budgets."""

import pytest

import tokencalc as tc
from tokencalc.catalog import power_option
from tokencalc.studies.energy import option_lcoe

HOURS = 8766.0


def test_lcoe_hand_computed_ccgt():
    # capex 1,500 USD/kW, crf(10 %, 30) = 0.1 / (1 - 1.1^-30) = 0.1060792
    # (1,500 x 0.1060792 + 15) / (8,766 h x 0.9) = 174.119 / 7,889.4 = 0.0220700 USD/kWh = 22.070 USD/MWh
    # fuel 3.5 USD/MMBtu x 6,400 Btu/kWh = 22.400 USD/MWh; variable O&M 2.5  ->  46.970 USD/MWh
    value = option_lcoe(power_option("gas-ccgt"), tc.Q_(0.10, ""))
    assert value.m_as("USD/MWh") == pytest.approx(46.970, rel=1e-4)


def test_smr_lcoe_inside_published_range():
    from tokencalc.catalog import lcoe_checks

    check = lcoe_checks()["smr"]
    assert check["low"] <= option_lcoe(power_option("smr"), tc.Q_(0.10, "")).m_as("USD/MWh") <= check["high"]


PLANT = dict(accelerator="h100", facility_power="10 MW", pue=1.25, it_power_per_accelerator="1000 W",
             accelerator_capex=30000, network_capex_per_accelerator=5000, facility_capex_per_it_power=10,
             electricity_price="100 USD/MWh", load_factor=0.5, utilization=0.5,
             tokens_per_second_per_accelerator=1000, accelerator_life=4, network_life=5, facility_life=20,
             wacc=0, site_operations_per_it_power=0,
             facility_maintenance_rate=0.02, hardware_maintenance_rate=0.02)


def test_factory_with_onsite_plant_hand_computed():
    r = tc.factory(power_source="gas-ccgt", plant_capex_per_power="1000 USD/kW", plant_capacity_margin=0.2,
                   plant_fixed_om="20 USD/kW/year", plant_variable_om="3 USD/MWh", heat_rate="7000 Btu/kWh",
                   fuel_price="4 USD/MMBtu", plant_energy_share=0.9, plant_life=25, **PLANT)
    energy = 8000 * 1.0 * 0.5 * 1.25 * HOURS / 1000  # MWh/yr = 43,830
    capacity_kw = 10_000 * 1.2  # 12 MW
    assert r.capex.power_plant.m_as("USD") == pytest.approx(capacity_kw * 1000)  # 12 M USD
    assert r.annual_cost.power_plant_capital.m_as("USD/year") == pytest.approx(12e6 / 25)  # wacc 0
    assert r.annual_cost.electricity.m_as("USD/year") == pytest.approx(energy * 0.1 * 100)
    # fuel: 90 % of 43,830 MWh x 7,000 Btu/kWh x 4 USD/MMBtu = 39,447 MWh x 28 USD/MWh
    assert r.annual_cost.fuel.m_as("USD/year") == pytest.approx(energy * 0.9 * 28.0)
    assert r.annual_cost.plant_operations.m_as("USD/year") == pytest.approx(energy * 0.9 * 3 + capacity_kw * 20)
    # operations stay on the v1 capex (the plant has its own O&M)
    assert r.annual_cost.operations.m_as("USD/year") == pytest.approx(0.02 * 360e6)
    lines = ("compute_capital", "network_capital", "facility_capital", "power_plant_capital", "electricity",
             "fuel", "plant_operations", "site_operations", "facility_maintenance", "hardware_maintenance")
    assert sum(getattr(r.annual_cost, k).m_as("USD/year") for k in lines) == pytest.approx(
        r.annual_cost.total.m_as("USD/year"))


def test_grid_power_keeps_v1():
    grid = tc.factory(power_source="grid", **PLANT)
    assert grid.capex.power_plant.m_as("USD") == 0
    assert grid.annual_cost.total.m_as("USD/year") == pytest.approx(72e6 + 4.383e6 + 7.2e6)


def test_power_shock_raises_cost():
    base = tc.factory()
    shock = tc.factory(power_source="grid-shock-267")
    assert shock.scenario.electricity_price.m_as("USD/MWh") == pytest.approx(80.6 * 3.67, rel=1e-4)
    assert shock.cost_per_million_tokens > base.cost_per_million_tokens


@pytest.mark.parametrize("source", ["gas-ccgt", "gas-scgt", "gas-recip", "smr", "solar-storage"])
def test_every_plant_runs_on_defaults(source):
    r = tc.factory(power_source=source)
    assert r.capex.power_plant.m_as("USD") > 0
    assert r.plant_capacity.m_as("MW") == pytest.approx(1000 * 1.15)


def test_cooling_types():
    air_h100 = tc.factory(accelerator="h100", cooling="air")
    assert air_h100.scenario.pue.m_as("") == 1.5
    assert air_h100.scenario.facility_capex_per_it_power.m_as("USD/W") == pytest.approx(12.5 + 1.5)
    liquid = tc.factory(accelerator="h100")
    assert liquid.scenario.facility_capex_per_it_power.m_as("USD/W") == pytest.approx(15.0)
    assert air_h100.water_per_year > liquid.water_per_year
    with pytest.raises(tc.ParameterError, match="air cooling handles racks up to 50 kW.*gb200-nvl72"):
        tc.factory(cooling="air")
    with pytest.raises(tc.ParameterError, match="fewer servers_per_rack"):
        tc.factory(accelerator="b200", cooling="air")
    assert tc.factory(accelerator="b200", cooling="air", servers_per_rack=3).accelerators > 0
    # a user's facility capex is kept as given whatever the cooling
    assert tc.factory(cooling="immersion", facility_capex_per_it_power=10).scenario.facility_capex_per_it_power \
        .m_as("USD/W") == 10


def test_energy_budget_china(cli):
    r = cli("energy", "--energy", "china-2024", "--json")
    assert r.code == 0, r.err
    d = r.json()
    assert d["energy"] == {"value": 10087.0, "unit": "TWh"}
    assert tc.Q_(d["energy"]["value"], d["energy"]["unit"]).m_as("Wh") == pytest.approx(1.0087e16)
    expected = 10087e9 * d["tokens_per_energy"]["value"]  # kWh x token/kWh
    assert d["tokens"]["value"] == pytest.approx(expected)
    same = cli("energy", "--energy", "10087 TWh", "--json").json()
    assert same["tokens"]["value"] == pytest.approx(d["tokens"]["value"])
    assert cli("energy", "--energy", "china-2024").code == 0


def test_energy_reverse(cli):
    d = cli("energy", "--tokens-per-day", "1e15", "--json").json()
    site = tc.factory()
    per_watt_day = site.tokens_per_year.m_as("token/day") / site.facility_power.m_as("W")
    assert d["facility_power_needed"]["value"] == pytest.approx(1e15 / per_watt_day / 1e9)


@pytest.mark.parametrize("args, fragment", [
    (["energy"], "give one of --energy"),
    (["energy", "--energy", "mars-2024"], "unknown preset"),
    (["energy", "--energy", "5 kW"], "does not fit"),
    (["energy", "--energy", "-5 TWh"], "> 0"),
    (["factory", "--power-source", "coal"], "unknown id 'coal'"),
    (["factory", "--cooling", "air"], "air cooling handles racks"),
    (["power", "--set", "pue=1.2"], "only wacc"),
])
def test_power_cli_errors(cli, args, fragment):
    r = cli(*args)
    assert r.code == 2 and fragment in r.err, r.err


def test_power_cli(cli):
    d = cli("power", "--json").json()
    ids = {o["id"] for o in d["options"]}
    assert {"grid", "gas-ccgt", "gas-scgt", "gas-recip", "smr", "solar-storage"} <= ids
    assert all(o["lcoe"]["unit"] == "USD/MWh" for o in d["options"])
    assert "gas-ccgt" in cli("power").out
    f = cli("factory", "--power-source", "gas-ccgt", "--json").json()
    assert f["capex"]["power_plant"]["value"] > 0 and f["annual_cost"]["fuel"]["value"] > 0
    assert cli("energy", "--presets").code == 0
