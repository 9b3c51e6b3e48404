"""Library results: every result displays in Jupyter (_repr_html_), turns into a pandas DataFrame with units in
its column names (pandas optional: a clear ImportError naming the extra), and tc.sweep() evaluates a grid."""

import builtins

import numpy as np
import pytest

import tokencalc as tc
from tokencalc import studies
from tokencalc.studies.record import Result


def _results():
    s = studies
    small = {"facility_power": "10 MW"}
    return {
        "factory": s.factory.factory(**small),
        "factory-arrays": s.factory.factory(facility_power="100 MW",
                                           electricity_price=tc.Q_(np.array([40.0, 80.0, 160.0]), "USD/MWh")),
        "throughput": s.throughput.study({}),
        "throughput-measured": s.throughput.measured(),
        "compare": s.compare.compare(["h100", "gb200-nvl72"], None, None, **small),
        "rank": s.compare.rank("shipping", None, **small),
        "power": s.energy.power_study({}),
        "energy": s.energy.energy_study(energy="china-2024"),
        "energy-presets": s.energy.energy_presets(),
        "cashflow": s.cashflow.cashflow(**small),
        "breakeven": s.cashflow.breakeven(market_price="input=0.5,cached=0.05,output=2", **small),
        "sensitivity": s.uncertainty.sensitivity({"facility_power": "10 MW"}, {}),
        "montecarlo": s.uncertainty.montecarlo({"facility_power": "10 MW"}, {}, 200, 1),
        "fleet": s.fleet.fleet(**s.fleet.fleet_request({"facility_power": "100 MW"}, dict(years="3", start="2024"))),
        "deal": s.deals.deal_request(("amd-openai",), False, {}),
        "claims": s.claims.check_all(["gw-cost"]),
        "hardware": s.catalog.hardware(),
        "hardware-show": s.catalog.hardware_detail("h100"),
        "parameters": s.catalog.parameters(),
        "models": s.catalog.models(),
        "sources": s.catalog.sources(),
        "presets": s.catalog.scenario_presets(),
        "scenario-show": s.catalog.scenario_show("neocloud"),
    }


@pytest.fixture(scope="module")
def results():
    return _results()


def test_every_result_is_a_result_with_html(results):
    for name, result in results.items():
        assert isinstance(result, Result), name
        html = result._repr_html_()
        assert isinstance(html, str) and "<" in html and len(html) > 200, name


def test_an_array_result_displays_as_its_table(results):
    html = results["factory-arrays"]._repr_html_()  # raised ValueError before (tables render scalar results)
    assert html.startswith("<table>") and "cost_per_million_tokens [USD/Mtoken]" in html
    assert html.count("<tr>") == 1 + 3  # the header and one row per electricity price


def test_sub_records_display_too(results):
    sub = [results["claims"].checks[0], results["compare"].systems[0], results["throughput"].target]
    for record in sub:
        assert isinstance(record, Result) and record._repr_html_().startswith("<table>")


def test_to_dataframe_rows_and_units(results):
    pytest.importorskip("pandas")
    frame = results["factory-arrays"].to_dataframe()
    assert len(frame) == 3
    assert list(frame["scenario.electricity_price [USD/(kW*h)]"]) == pytest.approx([0.04, 0.08, 0.16])
    cost = results["factory-arrays"].cost_per_million_tokens.m_as("USD/Mtoken")
    assert list(frame["cost_per_million_tokens [USD/Mtoken]"]) == list(cost)  # every digit
    years = results["cashflow"].to_dataframe()
    assert len(years) == len(results["cashflow"].years) and "revenue [USD]" in years.columns
    assert len(results["compare"].to_dataframe()) == 2
    assert len(results["parameters"].to_dataframe()) == len(tc.PARAMETERS)
    for name, result in results.items():
        assert len(result.to_dataframe()) >= 1, name


def test_to_dataframe_without_pandas_names_the_extra(monkeypatch, results):
    real = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError("No module named 'pandas'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match=r"tokencalc\[dataframe\]"):
        results["factory"].to_dataframe()
    with pytest.raises(ImportError, match=r"tokencalc\[dataframe\]"):
        tc.sweep(pue=[1.1, 1.2])


def test_sweep_is_a_tidy_grid_equal_to_single_runs():
    pytest.importorskip("pandas")
    frame = tc.sweep(electricity_price=[40, 160], pue=[1.1, 1.3], accelerator=["h100", "gb200-nvl72"],
                     facility_power="100 MW")
    assert len(frame) == 8
    assert list(frame.columns[:3]) == ["electricity_price [USD/MWh]", "pue [1]", "accelerator"]
    row = frame[(frame["electricity_price [USD/MWh]"] == 160) & (frame["pue [1]"] == 1.3)
                & (frame["accelerator"] == "h100")]
    single = tc.factory(electricity_price="160 USD/MWh", pue=1.3, accelerator="h100", facility_power="100 MW")
    assert row["cost_per_million_tokens [USD/Mtoken]"].item() == pytest.approx(
        single.cost_per_million_tokens.m_as("USD/Mtoken"), rel=1e-12)
    assert row["capex.total [USD]"].item() == pytest.approx(single.capex.total.m_as("USD"), rel=1e-12)
    cached = tc.sweep(cache_hit_rate=[0, 0.5])  # a workload parameter: one throughput estimate per value
    tps = cached["tokens_per_second_per_accelerator [token/s]"]
    assert tps[1] > tps[0]


def test_sweep_refuses_what_it_cannot_do():
    pytest.importorskip("pandas")
    with pytest.raises(tc.ParameterError, match="sweep"):
        tc.sweep(pue=1.2)
    with pytest.raises(tc.UnknownNameError):
        tc.sweep(puee=[1.2])
    with pytest.raises(tc.ParameterError, match="pue"):
        tc.sweep(pue=[0.5, 1.2])


def test_a_large_sweep_displays_its_first_rows_at_once():
    # 50,000 electricity prices: the display builds its first 200 rows only (it took minutes before)
    import time

    import numpy as np

    sweep = tc.factory(facility_power="100 MW", electricity_price=tc.Q_(np.linspace(40, 160, 50_000), "USD/MWh"))
    start = time.perf_counter()
    html = sweep._repr_html_()
    assert time.perf_counter() - start < 5.0
    assert html.count("<tr>") == 201 and "The first 200 rows" in html  # the header row and 200 rows

