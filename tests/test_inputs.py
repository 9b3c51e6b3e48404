"""Inputs as people write them (issue 17): the forms tokencalc prints read back, bare numbers in the
unit tables show, a run saved and rerun exactly, conflicts refused, suggestions that contain what was typed."""

import json

import numpy as np
import pytest

import tokencalc as tc
from tokencalc.units import parse_quantity


@pytest.mark.parametrize("text, unit, expected", [
    ("45.83 k USD", "USD", 45_830),
    ("12.5 B USD/GW", "USD/W", 12.5),
    ("2.1 M USD", "USD", 2.1e6),
    ("1.2 T token", "token", 1.2e12),
    ("45,830 USD", "USD", 45_830),
    ("1,234,567.5 token", "token", 1_234_567.5),
    ("0.03/year", "1/year", 0.03),
    ("3 %/yr", "1/year", 0.03),
    ("30%", "1/year", 0.30),  # a fraction given for a rate per year is per year
    ("8%", "1", 0.08),
    ("80 $/MWh", "USD/MWh", 80),
    ("1.5 k", "1", 1500),
])
def test_printed_forms_read_back(text, unit, expected):
    assert parse_quantity(text, unit).m_as(unit) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("text", ["1,5 USD", "12,34 token", "1,2345 USD"])
def test_ambiguous_commas_are_refused(text):
    with pytest.raises(tc.ParameterError, match="group by three"):
        parse_quantity(text, "USD" if "USD" in text else "token")


def test_twelve_point_five_bytes_stay_bytes():
    assert parse_quantity("12.5 B", "B").m_as("B") == 12.5


def test_what_the_tables_print_reads_back():
    r = tc.factory(accelerator="h100")
    from tokencalc.present.format import human

    for name, unit in (("accelerator_capex", "USD"), ("facility_power", "MW")):
        printed = human(getattr(r.scenario, name).m_as(unit), unit)
        assert parse_quantity(printed, unit).m_as(unit) == pytest.approx(getattr(r.scenario, name).m_as(unit),
                                                                          rel=5e-3), printed  # three figures: within half of the third


@pytest.mark.parametrize("name, bare, expected", [
    ("it_power_per_accelerator", 1.8, tc.Q_(1.8, "kW")),
    ("electricity_price", 80, tc.Q_(80, "USD/MWh")),
    ("facility_power", 100, tc.Q_(100, "MW")),
    ("wacc", 0.08, tc.Q_(0.08, "")),  # fractions stay fractions
])
def test_a_bare_number_is_read_in_the_unit_tables_show(name, bare, expected):
    s, _ = tc.resolve_scenario({name: bare, "tokens_per_second_per_accelerator": 1000})
    assert getattr(s, name).m_as(str(expected.units)) == pytest.approx(expected.magnitude)


@pytest.mark.parametrize("name, bare, unit", [
    ("it_power_per_accelerator", "1800", "kW"),     # meant W: 1,800 kW is no accelerator
    ("electricity_price", "0.08", "USD/MWh"),       # meant USD/kWh
])
def test_an_implausible_bare_number_is_refused_naming_the_unit_assumed(cli, name, bare, unit):
    r = cli("factory", "--set", f"{name}={bare}")
    assert r.code == 2 and r.err.count("\n") == 1
    assert f"{bare} is read as {unit}" in r.err and name in r.err


def test_save_and_rerun_reproduce_the_json_exactly(cli, tmp_path):
    saved = tmp_path / "s.toml"
    first = cli("factory", "--gpu", "h100", "--set", "wacc=8%", "--save", str(saved), "--json")
    assert first.code == 0, first.err
    again = cli("factory", "--scenario", str(saved), "--json")
    assert again.code == 0, again.err
    assert again.out == first.out  # provenance included: untouched parameters keep their sources
    text = saved.read_text()
    assert 'accelerator = "h100"' in text and 'wacc = "0.08"' in text and "set by you" in text
    assert "0.08059999999999999" not in text and '"1000 MW"' in text


def test_the_json_output_is_a_scenario_too(cli, tmp_path):
    out = tmp_path / "run.json"
    out.write_text(cli("factory", "--gpu", "b200", "--json").out)
    again = cli("factory", "--scenario", str(out), "--json")
    assert again.code == 0, again.err
    a, b = json.loads(out.read_text()), json.loads(again.out)
    assert a["cost_per_million_tokens"] == b["cost_per_million_tokens"]
    assert a["scenario"] == b["scenario"]


def test_template_takes_the_options_and_loads_back(cli, tmp_path):
    t = cli("scenario", "template", "--gpu", "mi355x", "--set", "pue=1.3")
    assert t.code == 0 and 'accelerator = "mi355x"' in t.out and 'pue = "1.3"' in t.out
    (tmp_path / "t.toml").write_text(t.out)
    assert cli("factory", "--scenario", str(tmp_path / "t.toml"), "--json").json()["scenario"]["pue"]["value"] == 1.3


def test_save_refuses_a_bad_path_before_any_work(cli, tmp_path):
    r = cli("factory", "--save", str(tmp_path / "nowhere" / "s.toml"))
    assert r.code == 2 and "--save" in r.err and not (tmp_path / "nowhere").exists()
    r = cli("factory", "--save", str(tmp_path / "s.txt"))
    assert r.code == 2 and ".toml" in r.err


def test_batch_and_interactivity_together_are_refused(cli):
    r = cli("factory", "--batch", "64", "--interactivity", "50")
    assert r.code == 2 and "batch" in r.err and "interactivity" in r.err


def test_suggestions_contain_what_was_typed(cli):
    assert "did you mean 'gb200-nvl72'" in cli("factory", "--gpu", "gb200").err
    with pytest.raises(tc.TokencalcError, match="accelerator"):
        tc.factory(gpu="h100")
    assert cli("factory", "--accelerator", "h100", "--json").json()["accelerator"]["id"] == "h100"


def test_a_file_value_equal_to_the_default_keeps_its_source(cli, tmp_path):
    from tokencalc.scenario import FileText

    _, provenance = tc.resolve_scenario({"wacc": FileText.of(0.10, "site.toml"), "pue": FileText.of("1.2", "site.toml"),
                                         "utilization": FileText.of("0.6", "site.toml"), "load_factor": 0.8})
    assert provenance["wacc"].kind == "default"
    assert provenance["pue"].kind == "cooling"
    assert provenance["utilization"].tag == "file:site.toml"
    assert provenance["load_factor"].kind == "user"  # typed on the command line or in Python: yours
    # the untouched template loads back with every source intact
    (tmp_path / "t.toml").write_text(cli("scenario", "template").out)
    a = cli("factory", "--json").json()["provenance"]
    b = cli("factory", "--scenario", str(tmp_path / "t.toml"), "--json").json()["provenance"]
    assert a == b


@pytest.mark.parametrize("args, allowed", [
    (("--cache-hit-rate", "abc"), "allowed: >= 0 and < 1"),
    (("--set", "pue=abc"), "allowed: >= 1 and <= 10"),
    (("--set", "wacc=1,2"), "allowed: >= 0 and <= 1"),
])
def test_text_that_is_no_number_is_told_what_is_allowed(cli, args, allowed):
    r = cli("factory", *args)
    assert r.code == 2 and allowed in r.err and r.err.count("\n") == 1 and "Traceback" not in r.err


def test_an_implausible_value_is_warned_of_in_the_unit_tables_show():
    from tokencalc.errors import TokencalcWarning

    with pytest.warns(TokencalcWarning, match=r"facility_power: 1e\+12 MW is unusually high \(above 20,000 MW\)"):
        tc.factory(facility_power="1e9 GW")
