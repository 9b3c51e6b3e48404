"""power_renderable, energy_renderable and presets_renderable against the power and energy studies."""

import pytest

from tokencalc import catalog
from tokencalc.present.energy import energy_renderable, power_renderable, presets_renderable
from tokencalc.studies import energy as study

from .expect import body, cells, flat, human, row, si, text


@pytest.fixture(scope="module", params=[None, 0.05])
def power(request):
    p = study.power_study(None if request.param is None else {"wacc": request.param})
    return request.param, p, text(power_renderable(p))


def test_power_title_names_the_cost_of_capital(power):
    wacc, p, out = power
    expected = catalog.defaults()["wacc"].value.m_as("") if wacc is None else wacc
    assert p.wacc.m_as("") == pytest.approx(expected)
    assert flat(out).startswith(f"Power sources (LCOE at a cost of capital of {100 * expected:g} %)")


def test_power_row_of_each_option(power):
    _, p, out = power
    assert [cells(line)[0] for line in body(out)] == [r.option.id for r in p.rows]
    for r in p.rows:
        o = r.option
        if o.kind == "grid":
            middle = ["—"] * 4
        else:
            heat = o.figure("heat_rate").value.m_as("Btu/kWh")
            if heat:
                fuel = f"{o.figure('fuel_price').value.m_as('USD/MMBtu'):g} USD/MMBtu"
            else:
                fig = o.figure("fuel_per_energy")
                fuel = f"{0.0 if fig is None else fig.value.m_as('USD/MWh'):g} USD/MWh"
            middle = [f"{o.figure('capex').value.m_as('USD/kW'):,.0f}", f"{heat:,.0f}", fuel,
                      f"{100 * o.figure('availability').value.m_as(''):.0f} %"]
        check = "" if r.check is None else f"{r.check['low']}-{r.check['high']}"
        sources = ", ".join(sorted({f.source + ("*" if f.estimate else "") for f in o.figures.values()}))
        expected = [o.kind, f"{r.lcoe.m_as('USD/MWh'):.1f}", *middle, check, sources]
        assert row(out, o.id) == [e for e in expected if e], o.id


def test_power_grid_lcoe_is_its_price(power):
    _, p, out = power
    for r in p.rows:
        if r.option.kind == "grid":
            price = r.option.figure("price").value.m_as("USD/MWh")
            assert row(out, r.option.id)[1] == f"{price:.1f}"


def test_power_lcoe_rises_with_the_cost_of_capital():
    low = study.power_study({"wacc": 0.05})
    high = study.power_study({"wacc": 0.15})
    low_out, high_out = text(power_renderable(low)), text(power_renderable(high))
    for r in low.rows:
        if r.option.kind == "plant":
            assert float(row(high_out, r.option.id)[1]) > float(row(low_out, r.option.id)[1])


@pytest.fixture(scope="module")
def china():
    e = study.energy_study(energy="china-2024")
    return e, text(energy_renderable(e))


def test_energy_budget_of_a_preset(china):
    e, out = china
    r = e.result
    per_kwh = r.tokens_per_year.m_as("token/year") / r.energy_per_year.m_as("kWh/year")
    twh = catalog.energy_preset("china-2024").value.m_as("TWh")
    assert e.energy.m_as("TWh") == pytest.approx(twh)
    assert e.tokens.m_as("token") == pytest.approx(twh * 1e9 * per_kwh)
    assert row(out, "Tokens per kWh of facility energy") == [human(per_kwh, "tokens")]  # as factory shows it
    assert row(out, "Energy") == [e.energy_name]
    assert row(out, "=") == [f"{twh / 1e3:.3g} PWh = {human(twh * 1e9, 'kWh')}"]
    assert row(out, "as average power over a year") == [f"{twh / 8766:.3g} TW"]
    assert row(out, "Tokens") == [human(twh * 1e9 * per_kwh, "tokens")]
    assert row(out, "=")[0] == "10.1 PWh = 10.1 T kWh"  # 10,087 TWh, three figures


def test_energy_budget_names_system_model_and_site(china):
    e, out = china
    r, s = e.result, e.result.scenario
    assert flat(out).startswith(f"Energy budget: {r.accelerator_name.strip()} [{s.accelerator}] serving {s.model}")
    assert (f"Site model: PUE {s.pue.m_as(''):g}, load factor {s.load_factor.m_as(''):g}, utilization "
            f"{s.utilization.m_as(''):g}.") in flat(out)
    assert f"Throughput: {flat(r.throughput_source)}." in flat(out)


def test_energy_budget_title_shows_the_system_id(china):
    e, out = china
    assert f"[{e.result.scenario.accelerator}] serving" in out.splitlines()[0]


def test_energy_for_tokens_per_day():
    e = study.energy_study(tokens_per_day="1e15")
    out = text(energy_renderable(e))
    r = e.result
    per_kwh = r.tokens_per_year.m_as("token/year") / r.energy_per_year.m_as("kWh/year")
    tokens_per_watt_day = r.tokens_per_year.m_as("token/year") / 365.25 / r.facility_power.m_as("W")
    assert row(out, "Tokens per kWh of facility energy") == [human(per_kwh, "tokens")]
    assert row(out, "Tokens per day") == ["1 P tokens"]
    assert row(out, "Facility power to build") == [f"{1e15 / tokens_per_watt_day / 1e9:,.3g} GW"]
    assert row(out, "Energy per year") == [f"{1e15 * 365.25 / per_kwh / 1e9:,.3g} TWh/yr"]
    assert "Tokens  " not in out and "trillion kWh" not in out


def test_energy_presets():
    listing = study.energy_presets()
    out = text(presets_renderable(listing))
    assert [cells(line)[0] for line in body(out)] == list(listing.presets)
    for key, f in listing.presets.items():
        assert row(out, key) == [si(f.value, "Wh"), f.note, f"{f.source} ({f.date})"]
    assert row(out, "china-2024")[0] == "10.1 PWh"
