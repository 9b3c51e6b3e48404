"""factory_renderable and scenario_renderable against the factory result's own quantities."""

import numpy as np
import pytest

from tokencalc import catalog
from tokencalc.parameters import PARAMETERS
from tokencalc.present.factory import factory_renderable, scenario_renderable
from tokencalc.present.format import origin_text
from tokencalc.studies import catalog as catalog_study
from tokencalc.studies.factory import factory

from .expect import flat, human, lines_with, number, param_value, percent, row, section, si, text

CAPEX_LABELS = {"compute": "Compute (accelerator systems)", "network": "Network and storage",
                "facility": "Facility (building, power, cooling)", "power_plant": "On-site power plant"}
ANNUAL_LABELS = {"compute_capital": "Capital charge: compute", "network_capital": "Capital charge: network",
                 "facility_capital": "Capital charge: facility", "power_plant_capital": "Capital charge: power plant",
                 "electricity": "Electricity", "fuel": "Fuel", "plant_operations": "Power plant O&M",
                 "site_operations": "Site operations", "facility_maintenance": "Facility maintenance",
                 "hardware_maintenance": "Hardware maintenance"}
PLANT_LINES = {"power_plant", "power_plant_capital", "fuel", "plant_operations"}

CASES = {
    "grid": dict(facility_power="1 GW"),
    "plant": dict(facility_power="500 MW", power_source="gas-ccgt", accelerator="h100"),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request):
    result = factory(**CASES[request.param])
    return request.param, result, text(factory_renderable(result))


def _capex(out):
    return section(out, "Capital expenditure", "Annual cost")


def _annual(out):
    return section(out, "Annual cost", "Headline")


def _headline(out):
    return section(out, "Headline", "Throughput:")


def test_title_names_power_and_system(case):
    _, r, out = case
    s = r.scenario
    mw = s.facility_power.m_as("MW")
    assert out.splitlines()[0].startswith(
        f"AI factory: {human(mw, 'MW')} facility power with {catalog.accelerator(s.accelerator).name} "
        f"[{s.accelerator}]")


def test_capex_lines_amount_per_accelerator_and_share(case):
    name, r, out = case
    block = _capex(out)
    total = r.capex.total.m_as("USD")
    count = float(r.accelerators)
    shown = 0
    for field, label in CAPEX_LABELS.items():
        value = getattr(r.capex, field).m_as("USD")
        if field in PLANT_LINES and value == 0:
            assert not lines_with(block, label), f"{label} is zero and must be hidden"
            continue
        shown += 1
        assert row(block, label) == [human(value, "USD"), human(value / count, "USD"), percent(value, total)]
    assert shown == (4 if name == "plant" else 3)


def test_capex_total_row_and_lines_add_up(case):
    _, r, out = case
    block = _capex(out)
    total = r.capex.total.m_as("USD")
    count = float(r.accelerators)
    assert row(block, "Total") == [human(total, "USD"), human(total / count, "USD"), "100.0 %"]
    lines = [row(block, label) for field, label in CAPEX_LABELS.items() if lines_with(block, label)]
    assert sum(number(c[0]) for c in lines) == pytest.approx(number(human(total, "USD")), rel=2e-3)
    assert sum(number(c[2]) for c in lines) == pytest.approx(100.0, abs=0.05 * len(lines))
    # the total is the sum of the lines of the result, and the compute line is accelerators x capex each
    assert total == pytest.approx(sum(getattr(r.capex, f).m_as("USD") for f in CAPEX_LABELS))
    assert r.capex.compute.m_as("USD") == pytest.approx(count * r.scenario.accelerator_capex.m_as("USD"))


def test_annual_lines_per_year_per_mtoken_and_share(case):
    name, r, out = case
    block = _annual(out)
    total = r.annual_cost.total.m_as("USD/year")
    tokens = r.tokens_per_year.m_as("token/year")
    shown = 0
    for field, label in ANNUAL_LABELS.items():
        value = getattr(r.annual_cost, field).m_as("USD/year")
        if field in PLANT_LINES and value == 0:
            assert not lines_with(block, label), f"{label} is zero and must be hidden"
            continue
        shown += 1
        assert row(block, label) == [human(value, "USD/yr"), human(value / tokens * 1e6, "USD/Mtoken"),
                                     percent(value, total)], label
    assert shown == (10 if name == "plant" else 7)


def test_annual_total_row_and_lines_add_up(case):
    _, r, out = case
    block = _annual(out)
    total = r.annual_cost.total.m_as("USD/year")
    per_mtoken = total / r.tokens_per_year.m_as("token/year") * 1e6
    assert r.cost_per_million_tokens.m_as("USD/Mtoken") == pytest.approx(per_mtoken)
    assert row(block, "Total") == [human(total, "USD/yr"), human(per_mtoken, "USD/Mtoken"), "100.0 %"]
    lines = [row(block, label) for label in ANNUAL_LABELS.values() if lines_with(block, label)]
    assert sum(number(c[0]) for c in lines) == pytest.approx(total, rel=2e-3)
    assert sum(number(c[1]) for c in lines) == pytest.approx(per_mtoken, rel=2e-3)
    assert sum(number(c[2]) for c in lines) == pytest.approx(100.0, abs=0.05 * len(lines))


def test_headline_figures(case):
    _, r, out = case
    block = _headline(out)
    s = r.scenario
    system = catalog.accelerator(s.accelerator)
    count = float(r.accelerators)
    total = r.annual_cost.total.m_as("USD/year")
    tokens = r.tokens_per_year.m_as("token/year")
    energy_kwh = r.energy_per_year.m_as("kWh/year")
    assert count == float(np.floor(count))
    systems = count / system.accelerators_per_system
    unit = "racks" if system.rack_scale else "servers"
    cpm = total / tokens * 1e6
    output_share = s.osl.m_as("token") / (s.isl.m_as("token") + s.osl.m_as("token"))
    ratio = float(s.input_output_price_ratio.m_as(""))
    price_in = r.breakeven_input_price_per_million_tokens.m_as("USD/Mtoken")
    price_out = r.breakeven_output_price_per_million_tokens.m_as("USD/Mtoken")
    # the result's figures, checked against the model's definitions before they are used as expectations
    assert r.it_power.m_as("MW") == pytest.approx(s.facility_power.m_as("MW") / s.pue.m_as(""))
    assert r.cost_per_accelerator_hour.m_as("USD/hour") == pytest.approx(total / count / 8766)
    assert r.cost_per_million_output_tokens.m_as("USD/Mtoken") == pytest.approx(cpm / output_share)
    assert price_out == pytest.approx(ratio * price_in)
    revenue = (tokens * (1 - output_share) * price_in + tokens * output_share * price_out) / 1e6
    assert revenue == pytest.approx(total)
    expected = {
        "Accelerators": f"{count:,.0f} ({systems:,.0f} {unit})",
        "IT power": human(r.it_power.m_as("MW"), "MW"),
        "Energy per year": si(r.energy_per_year, "Wh/year"),
        "Water per year": human(r.water_per_year.m_as("m**3/year"), "m³/yr"),
        "Tokens per year": human(tokens, "tokens/yr"),
        "Tokens per kWh": human(tokens / energy_kwh, "tokens"),
        "Cost per accelerator-hour": human(r.cost_per_accelerator_hour.m_as("USD/hour"), "USD"),
        "Levelized cost per million tokens": human(cpm, "USD"),
        "Revenue that pays every cost line, per year": human(total, "USD/yr"),
        "Cost per Mtoken of output, all cost on output": human(cpm / output_share, "USD"),
        f"Price per Mtoken, in/cached/out (1:0.1:{ratio:g})":
            f"{human(price_in)} / {human(0.1 * price_in)} / {human(price_out, 'USD')}",
    }
    for label, value in expected.items():
        assert row(block, label) == [value], label


UNSET = {"it_power": "from facility power", "batch": "from interactivity",
         "cost_per_accelerator_hour": "built up below"}


def test_assumptions_show_each_model_parameter_in_its_display_unit(case):
    name, r, out = case
    block = section(out, "Assumptions", "Capital expenditure")
    s = r.scenario
    for param, spec in PARAMETERS.items():
        hidden = param == "accelerator" or spec.group == "cashflow" or (name == "grid" and spec.group == "plant")
        if hidden:
            assert not lines_with(block, param), f"{param} must not be in the assumptions"
            continue
        value = param_value(spec, getattr(s, param))
        if param in UNSET and not float(getattr(s, param).magnitude):
            value = UNSET[param]  # 0 means not given: the table says where the value comes from
        cells = row(block, param)
        assert cells[0] == value, param
    # a few values written out, so that a wrong display unit cannot hide behind the spec
    assert row(block, "facility_power")[0] == human(s.facility_power.m_as("MW"), "MW")
    assert row(block, "wacc")[0] == f"{100 * s.wacc.m_as(''):.4g} %"
    assert row(block, "load_factor")[0] == f"{100 * s.load_factor.m_as(''):.4g} %"
    assert row(block, "hardware_maintenance_rate")[0] == f"{100 * s.hardware_maintenance_rate.m_as('1/year'):.4g} %/yr"
    assert row(block, "site_operations_per_it_power")[0] == human(s.site_operations_per_it_power.m_as("USD/kW/year"),
                                                                  "USD/kW/year")
    assert row(block, "electricity_price")[0] == human(s.electricity_price.m_as("USD/MWh"), "USD/MWh")


def test_assumptions_say_where_each_value_came_from(case):
    name, r, out = case
    block = section(out, "Assumptions", "Capital expenditure")
    s = r.scenario
    assert row(block, "facility_power")[1] == "you"
    capex = row(block, "accelerator_capex")[1]
    assert capex.startswith(f"catalog {s.accelerator}: ")
    assert catalog.accelerator(s.accelerator).figure("system_price").source in capex
    origin = r.provenance.get("tokens_per_second_per_accelerator")
    assert row(block, "tokens_per_second_per_accelerator")[1] == f"throughput {origin.key} (see note below)"
    if name == "plant":
        assert row(block, "power_source")[1] == "you"
        assert row(block, "heat_rate")[1].startswith("power source gas-ccgt: ")


def test_note_names_the_throughput_source(case):
    _, r, out = case
    assert f"Throughput: {r.throughput_source}." in flat(out)


def test_tables_refuse_array_results():
    result = factory(facility_power=np.array([500.0, 1000.0]))  # MW, the unit a bare number is read in
    with pytest.raises(ValueError):
        factory_renderable(result)


@pytest.fixture(scope="module")
def show():
    shown = catalog_study.scenario_show("hyperscaler")
    return shown, text(scenario_renderable(shown))


def test_scenario_lists_what_the_preset_sets(show):
    shown, out = show
    head, _, _ = out.partition("AI factory:")
    assert flat(f"Scenario {shown.name}: {shown.loaded.description}") in flat(head)
    assert shown.loaded.parameters
    cited = shown.sources()
    for key, value in shown.loaded.parameters.items():
        assert row(head, key) == [str(value), cited[key]]
        assert cited[key].split(",")[0] in catalog.sources() or cited[key].startswith("file ")


def test_scenario_shows_the_factory_under_it(show):
    shown, out = show
    r = shown.factory
    _, _, factory_part = out.partition("AI factory:")
    block = section(factory_part, "Capital expenditure", "Annual cost")
    assert row(block, "Total")[0] == human(r.capex.total.m_as("USD"), "USD")
    headline = section(factory_part, "Headline", "Throughput:")
    assert row(headline, "Levelized cost per million tokens") == [human(r.cost_per_million_tokens.m_as("USD/Mtoken"), "USD")]
    assumptions = section(factory_part, "Assumptions", "Capital expenditure")
    for key, value in shown.loaded.parameters.items():
        if key in PARAMETERS and PARAMETERS[key].group != "cashflow":
            origin = r.provenance[key]  # the preset's value, or the default's source where they are the same
            expected = f"preset {shown.name}" if origin.kind == "preset" else origin_text(origin)
            assert row(assumptions, key) == [param_value(PARAMETERS[key], getattr(r.scenario, key)), expected]
            unit = PARAMETERS[key].unit
            assert getattr(r.scenario, key).m_as(unit) == pytest.approx(PARAMETERS[key].convert(value).m_as(unit))
