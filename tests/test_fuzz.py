"""Fuzzing the command line and the scenario loader with random and hostile input.

Every input must give either a valid answer (exit 0) or one clear line and exit 2: never a
traceback, never NaN in the output, never code execution.
"""

import contextlib
import io
import json
import math
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tokencalc.cli import main

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
SENTINEL = "TOKENCALC_FUZZ_EXECUTED"

hostile = st.sampled_from([
    "nan", "NaN USD/MWh", "inf", "-inf", "1e309", "-1e309", "1e-320", "0", "-0", "", " ", "1,5", "1.000,5",
    "__import__('builtins').print('" + SENTINEL + "')", "eval('1')", "$(echo hi)", "`id`", "; rm -rf /",
    "../../etc/passwd", "/dev/zero", "1 USD/MWh/MWh/MWh", "1 W**99", "1 (((W)))", "1 kW·h", "１０ MW", "10 ＭＷ",
    "1e400 GW", "0x10", "1_000", "1 2 3", "80 USD / MWh", "80USD/MWh", "3.0e+2 MW", "∞", "1 µW", "1 μW",
    "\x00", "\u202e1", "9" * 400, "1" + "0" * 30 + " W",
])
text = st.one_of(hostile, st.text(alphabet=string.printable, max_size=40), st.text(max_size=20))
names = st.sampled_from(["pue", "electricity_price", "utilization", "load_factor", "wacc", "facility_power",
                         "accelerator", "model", "interactivity", "isl", "accelerator_life", "cooling",
                         "power_source", "precision", "tax_rate", "nonsense", "", "pue=pue"])


def run(args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def check(code, out, err):
    assert "Traceback" not in err and "Traceback" not in out
    # hostile inputs are echoed in error messages, but never run: print() would emit the sentinel alone
    assert SENTINEL not in out.splitlines() and SENTINEL not in err.splitlines()
    assert code in (0, 2), (code, err)
    if code == 2:
        assert out == ""
        assert err.startswith("tokencalc: error: ") and err.count("\n") == 1, err
    else:
        lines = [line for line in err.splitlines() if line]
        assert all(line.startswith("tokencalc: warning: ") for line in lines), err


@SETTINGS
@given(names, text)
def test_fuzz_set(name, value):
    code, out, err = run(["factory", "--set", f"{name}={value}", "--json"])
    check(code, out, err)
    if code == 0:
        data = json.loads(out)  # valid JSON: no NaN or infinity (json.dumps(allow_nan=False))
        assert math.isfinite(data["cost_per_million_tokens"]["value"])


@SETTINGS
@given(st.sampled_from(["--gw", "--mw", "--facility-power", "--gpu", "--model", "--isl", "--interactivity",
                        "--power-source", "--scenario"]), text)
def test_fuzz_options(option, value):
    check(*run(["factory", option, value, "--json"]))


@SETTINGS
@given(st.sampled_from(["factory", "compare", "energy", "cashflow", "breakeven", "throughput", "sensitivity"]),
       st.lists(text, max_size=3))
def test_fuzz_arguments(command, args):
    check(*run([command, *args]))


toml_values = st.recursive(
    st.one_of(st.integers(-10**12, 10**12), st.floats(allow_nan=True), st.booleans(), text),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(names, children, max_size=3)),
    max_leaves=8,
)


def to_toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if math.isfinite(value) else ("nan" if value != value else ("inf" if value > 0 else "-inf"))
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(to_toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {to_toml(v)}" for k, v in value.items()) + "}"


@SETTINGS
@given(table=st.sampled_from(["parameters", "ranges", "distributions", "other"]),
       entries=st.dictionaries(names, toml_values, max_size=4))
def test_fuzz_scenario_structures(tmp_path_factory, table, entries):
    path = tmp_path_factory.mktemp("fuzz") / "s.toml"
    body = "\n".join(f"{json.dumps(k)} = {to_toml(v)}" for k, v in entries.items())
    path.write_text(f"[{table}]\n{body}\n")
    check(*run(["factory", "--scenario", str(path), "--json"]))


@SETTINGS
@given(data=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
def test_fuzz_scenario_bytes(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "s.toml"
    path.write_bytes(data)
    check(*run(["factory", "--scenario", str(path)]))


@pytest.mark.parametrize("content", [
    "[parameters]\n" + "a = " + "[" * 5000 + "]" * 5000 + "\n",
    "[" + "a." * 2000 + "b]\nx = 1\n",
    "[parameters]\npue = " + "9" * 5000 + "\n",
    "x = 1\n" * 100_000,
])
def test_hostile_scenario_files(tmp_path, content):
    path = tmp_path / "s.toml"
    path.write_text(content)
    check(*run(["factory", "--scenario", str(path)]))


def test_huge_file_is_refused(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("# padding\n" * 200_000)
    code, out, err = run(["factory", "--scenario", str(path)])
    assert code == 2 and "larger than" in err
