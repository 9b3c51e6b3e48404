import json
import subprocess
import sys
from pathlib import Path

import pytest

import tokencalc as tc

ROOT = Path(__file__).resolve().parents[1]


def test_factory_default_table(cli):
    r = cli("factory", "--gw", "1")
    assert r.code == 0, r.err
    for text in ("Capital expenditure", "Annual cost", "Levelized cost per million tokens", "Revenue that pays every cost line",
                 "Accelerators", "USD/Mtoken", "Total"):
        assert text in r.out
    assert r.err == ""


def test_factory_json_contract(cli):
    r = cli("factory", "--gw", "1", "--json")
    assert r.code == 0, r.err
    d = r.json()
    for key in ("scenario", "accelerators", "it_power", "facility_power", "capex", "annual_cost", "energy_per_year",
                "tokens_per_year", "cost_per_million_tokens", "breakeven_revenue_per_year", "schema_version"):
        assert key in d, key
    assert {"compute", "network", "facility", "total"} <= set(d["capex"])
    assert "total" in d["annual_cost"]
    assert isinstance(d["accelerators"], int)
    # every quantity parses back with tokencalc.ureg
    def walk(node):
        if isinstance(node, dict):
            if set(node) == {"value", "unit"}:
                tc.Q_(node["value"], node["unit"])
                return 1
            return sum(walk(v) for v in node.values())
        return 0
    assert walk(d) > 20
    # breakdown adds up
    lines = [v["value"] for k, v in d["annual_cost"].items() if k != "total"]
    assert sum(lines) == pytest.approx(d["annual_cost"]["total"]["value"])
    # JSON matches the library
    lib = tc.factory(facility_power="1 GW")
    assert d["cost_per_million_tokens"]["value"] == pytest.approx(lib.cost_per_million_tokens.m_as("USD/Mtoken"))


def test_json_scenario_round_trips_through_set(cli):
    d = cli("factory", "--mw", "300", "--gpu", "h200", "--json").json()
    sets = []
    for name, value in d["scenario"].items():
        text = value if isinstance(value, str) else f"{value['value']!r} {value['unit']}"
        sets += ["--set", f"{name}={text}"]
    again = cli("factory", *sets, "--json").json()
    assert again["cost_per_million_tokens"] == d["cost_per_million_tokens"]


def test_set_reproduces_hand_computed_case(cli):
    r = cli(
        "factory", "--mw", "10", "--gpu", "h100",
        "--set", "pue=1.25", "--set", "it_power_per_accelerator=1 kW", "--set", "accelerator_capex=30000",
        "--set", "network_capex_per_accelerator=5000 USD", "--set", "facility_capex_per_it_power=10 USD/W",
        "--set", "electricity_price=100 USD/MWh", "--set", "load_factor=0.5", "--set", "utilization=50 %",
        "--set", "tokens_per_second_per_accelerator=1000", "--set", "accelerator_life=4",
        "--set", "network_life=60 month", "--set", "facility_life=20 year", "--set", "wacc=0",
        "--set", "site_operations_per_it_power=0", "--set", "facility_maintenance_rate=0.02",
        "--set", "hardware_maintenance_rate=0.02", "--json",
    )
    assert r.code == 0, r.err
    # hand-computed in test_factory.py: 83.583 M USD/yr over 126.2304 M Mtoken
    assert r.json()["cost_per_million_tokens"]["value"] == pytest.approx(0.6621464, rel=0.005)


def test_gw_accepts_a_unit(cli):
    a = cli("factory", "--gw", "1GW", "--json").json()
    b = cli("factory", "--facility-power", "1000 MW", "--json").json()
    assert a["accelerators"] == b["accelerators"]


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["factory", "--set", "pue=0.9"], "pue: 0.9 is not allowed"),
        (["factory", "--set", "utilization=1.5"], "utilization"),
        (["factory", "--gpu", "h1000"], "unknown id 'h1000'"),
        (["factory", "--set", "puee=1.2"], "did you mean 'pue'"),
        (["factory", "--set", "electricity_price=80 USD/fish"], "fish is not a known unit"),
        (["factory", "--set", "electricity_price=1,00"], "thousands separators group by three"),
        (["factory", "--set", "pue"], "--set: expected NAME=QUANTITY"),
        (["factory", "--gw", "-1"], "facility_power"),
        (["factory", "--gw", "1 USD"], "does not fit"),
        (["factory", "--mw", "0.01"], "too small for one rack"),
        (["factory", "--gw", "1", "--mw", "5"], "give the site size once"),
        (["factory", "--set", "electricity_price=-5"], "electricity_price: -5"),
        (["factory", "--set", "wacc=nan"], "finite"),
        (["factory", "--bogus"], "No such option"),
        (["nonsense"], "No such command"),
        (["hardware", "show", "nope"], "unknown id"),
        (["factory", "--gpu", "mi450-helios"], "announced"),
    ],
)
def test_bad_input_one_line_exit_2(cli, args, fragment):
    r = cli(*args)
    assert r.code == 2
    assert r.out == ""
    assert fragment in r.err
    assert r.err.count("\n") == 1 and r.err.startswith("tokencalc: error: ")
    assert "Traceback" not in r.err


def test_warning_is_one_line_and_result_still_printed(cli):
    r = cli("factory", "--set", "electricity_price=600 USD/MWh", "--json")
    assert r.code == 0
    assert r.err.startswith("tokencalc: warning: electricity_price")
    json.loads(r.out)


def test_announced_system_is_marked(cli):
    r = cli("factory", "--gpu", "vr200-nvl144")
    assert r.code == 0 and "announced" in r.out


def test_hardware_list_and_show(cli):
    r = cli("hardware")
    assert r.code == 0 and "gb300-nvl72" in r.out and "announced" in r.out
    d = cli("hardware", "--json").json()
    assert {s["id"] for s in d["systems"]} >= {"h100", "h200", "b200", "gb200-nvl72", "gb300-nvl72", "mi300x", "mi355x"}
    show = cli("hardware", "show", "h100")
    assert show.code == 0 and "nvidia-dgx-h100-guide" in show.out
    detail = cli("hardware", "show", "gb200-nvl72", "--json").json()
    assert detail["figures"]["system_price"]["source"] == "inferencex-v2-blog"


def test_sources_and_parameters(cli):
    assert "eia-industrial-2023" in cli("sources").out
    d = cli("parameters", "--json").json()["parameters"]
    assert d["pue"]["default"]["value"] == 1.2 and d["pue"]["set_by"] == "cooling:liquid"
    assert cli("parameters").code == 0


def test_bare_command_prints_help(cli):
    r = cli()
    assert r.code == 0 and "Commands:" in r.out and r.err == ""


def test_version_and_help(cli):
    assert cli("--version").out.strip().endswith(tc.__version__)
    assert "factory" in cli("--help").out


def test_python_m_and_console_script():
    out = subprocess.run([sys.executable, "-m", "tokencalc", "factory", "--gw", "1", "--json"],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out)["accelerators"] > 0


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    test_lines = [line for line in ci.splitlines() if "pytest" in line]
    assert test_lines and all(line.strip() in readme for line in test_lines)


def test_a_replaced_parameter_says_what_replaced_it(cli):
    r = cli("factory", "--set", "operations_rate=0.03")
    assert r.code == 2
    assert r.err.count("\n") == 1
    assert "operations_rate" in r.err and "site_operations_per_it_power" in r.err and "0, r and r" in r.err


@pytest.mark.parametrize("args, named", [
    (("throughput", "--measured", "--gpu", "h200"), "--gpu"),  # a listing would ignore them: refused, named
    (("throughput", "--measured", "--interactivity", "40", "--plot", "x.png"), "--interactivity, --plot"),
    (("factory", "--gw", "1", "--csv", "--json"), "--csv and --json"),
    (("throughput", "--measured", "--json", "--csv"), "--csv and --json"),
    (("compare",), "tokencalc compare --all"),  # no system: names how to list them and how to rank all
])
def test_options_that_would_be_ignored_or_conflict_fail_in_one_line(cli, args, named):
    r = cli(*args)
    assert r.code == 2 and r.out == ""
    assert named in r.err and len(r.err.strip().splitlines()) == 1
