import csv
import io
import time

import numpy as np
import pytest

import tokencalc as tc
from tokencalc.scenario import presets, template
from tokencalc.studies.uncertainty import montecarlo, sensitivity


def _without_provenance(d):
    return {k: v for k, v in d.items() if k not in ("provenance", "throughput_source")}


def test_template_loads_back_to_the_default_answer(cli, tmp_path):
    path = tmp_path / "s.toml"
    r = cli("scenario", "template")
    assert r.code == 0
    path.write_text(r.out)
    default = cli("factory", "--json").json()
    loaded = cli("factory", "--scenario", str(path), "--json").json()
    assert _without_provenance(loaded) == _without_provenance(default)
    assert loaded["cost_per_million_tokens"] == default["cost_per_million_tokens"]


def test_every_parameter_is_in_the_template():
    from tokencalc.studies import resolve_scenario

    text = template(*resolve_scenario({}))
    for name in tc.PARAMETERS:
        assert f"{name} = " in text


def test_layering_file_then_set(cli, tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('[parameters]\npue = 1.4\nelectricity_price = "120 USD/MWh"\n')
    d = cli("factory", "--scenario", str(path), "--set", "pue=1.3", "--json").json()
    assert d["scenario"]["pue"]["value"] == 1.3  # --set wins over the file
    assert d["scenario"]["electricity_price"]["value"] == pytest.approx(0.12)
    assert d["provenance"]["electricity_price"] == "user"


def test_presets(cli):
    assert {"hyperscaler", "neocloud", "sovereign"} <= set(presets())
    d = cli("factory", "--scenario", "neocloud", "--json").json()
    assert d["scenario"]["wacc"]["value"] == pytest.approx(0.13)
    assert cli("scenario", "list").code == 0
    show = cli("scenario", "show", "hyperscaler", "--json").json()
    assert show["parameters"]["wacc"] == "0.08"
    assert "Capital expenditure" in cli("scenario", "show", "sovereign").out
    # a cheaper cost of capital makes cheaper tokens
    assert tc.factory(**presets()["hyperscaler"].parameters).cost_per_million_tokens < \
        tc.factory(**presets()["neocloud"].parameters).cost_per_million_tokens


@pytest.mark.parametrize("content, fragment", [
    ('[parameters]\npuee = 1.2\n', "did you mean 'pue'"),
    ('[parameters]\nelectricity_price = "80 USD/fish"\n', "fish is not a known unit"),
    ('[parameters]\npue = 0.5\n', "pue: 0.5 is not allowed"),
    ('[parameters]\npue = \n', "invalid TOML"),
    ('[parameters]\npue = [1, 2]\n', "got a list"),
    ('[parameters]\npue = true\n', "got bool"),
    ('[parameter]\npue = 1.2\n', "did you mean 'parameters'"),
    ('parameters = 3\n', "must be a table"),
    ('[distributions]\npue = { dist = "beta", a = 1 }\n', "allowed: uniform"),
    ('[distributions]\npue = { dist = "uniform", low = 1.1 }\n', "missing high"),
    ('[ranges]\npue = [1.1]\n', "expected [low, high]"),
    ('[parameters.x.y.z]\na = 1\n', "unknown parameter"),
])
def test_scenario_file_errors(cli, tmp_path, content, fragment):
    path = tmp_path / "bad.toml"
    path.write_text(content)
    r = cli("factory", "--scenario", str(path))
    assert r.code == 2, r.out
    assert fragment in r.err and r.err.count("\n") == 1


def test_malformed_toml_names_line_and_column(cli, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[parameters]\npue = 1.2\nwacc = = 3\n')
    r = cli("factory", "--scenario", str(path))
    assert r.code == 2 and "line 3" in r.err


@pytest.mark.parametrize("make, fragment", [
    (lambda p: (p.mkdir(), p)[1], "is a directory"),
    (lambda p: (p.write_bytes(b"\x00\xff\xfe binary"), p)[1], "not a text"),
    (lambda p: p, "no file or preset"),
])
def test_scenario_path_errors(cli, tmp_path, make, fragment):
    path = make(tmp_path / "x.toml")
    r = cli("factory", "--scenario", str(path))
    assert r.code == 2 and fragment in r.err


def test_sensitivity_hand_check():
    result = sensitivity({}, {"electricity_price": ("40 USD/MWh", "160 USD/MWh")})
    row = next(r for r in result.rows if r.name == "electricity_price")
    assert row.cost_at_low == pytest.approx(
        tc.factory(electricity_price="40 USD/MWh").cost_per_million_tokens.m_as("USD/Mtoken"), rel=1e-12)
    assert row.cost_at_high > row.cost_at_low
    swings = [r.swing for r in result.rows]
    assert swings == sorted(swings, reverse=True)
    for r in result.rows:  # the base lies between the two ends (monotone models)
        assert min(r.cost_at_low, r.cost_at_high) <= result.base_cost * (1 + 1e-9)


def test_sensitivity_cli(cli, tmp_path):
    d = cli("sensitivity", "--json").json()
    names = [p["name"] for p in d["parameters"]]
    assert "electricity_price" in names and "utilization" in names
    rows = list(csv.reader(io.StringIO(cli("sensitivity", "--csv").out)))
    assert rows[0][0] == "parameter" and len(rows) == len(names) + 1
    path = tmp_path / "r.toml"
    path.write_text('[ranges]\npue = ["1.05", "2.0"]\n')
    ranged = cli("sensitivity", "--scenario", str(path), "--json").json()
    pue = next(p for p in ranged["parameters"] if p["name"] == "pue")
    assert pue["high"]["value"] == 2.0


def test_montecarlo_reproducible_and_ordered():
    a = montecarlo({}, None, 20_000, seed=7)
    b = montecarlo({}, None, 20_000, seed=7)
    c = montecarlo({}, None, 20_000, seed=8)
    assert np.array_equal(a.cost_per_million_tokens, b.cost_per_million_tokens)
    assert not np.array_equal(a.cost_per_million_tokens, c.cost_per_million_tokens)
    q = a.quantiles(a.cost_per_million_tokens)
    assert q["p5"] < q["p50"] < q["p95"]
    assert np.all(np.isfinite(a.cost_per_million_tokens))


def test_montecarlo_matches_scalar_runs():
    m = montecarlo({}, None, 5, seed=1)
    for i in range(5):
        params = {k: tc.Q_(float(v[i]), m.units[k]) for k, v in m.inputs.items()}
        base = tc.resolve_scenario({})[0]
        params.setdefault("tokens_per_second_per_accelerator", base.tokens_per_second_per_accelerator)
        assert tc.factory(**params).cost_per_million_tokens.m_as("USD/Mtoken") == pytest.approx(
            m.cost_per_million_tokens[i], rel=1e-12)


def test_montecarlo_million_samples_is_fast():
    start = time.perf_counter()
    m = montecarlo({}, None, 1_000_000, seed=0)
    assert m.samples == 1_000_000 and time.perf_counter() - start < 20  # a few seconds on 2 cores


def test_montecarlo_file_distributions(cli, tmp_path):
    path = tmp_path / "mc.toml"
    path.write_text('[distributions]\nelectricity_price = { dist = "uniform", low = "40 USD/MWh", high = "160 USD/MWh" }\n'
                    'utilization = { dist = "triangular", low = 0.5, mode = 0.7, high = 0.9 }\n')
    d = cli("montecarlo", "--samples", "5000", "--seed", "2", "--scenario", str(path), "--json").json()
    assert set(d["distributions"]) == {"electricity_price", "utilization"}
    for key in ("p5", "p50", "p95", "mean"):
        assert d["cost_per_million_tokens"][key]["unit"] == "USD/Mtoken"
    rows = list(csv.reader(io.StringIO(cli("montecarlo", "--samples", "100", "--scenario", str(path), "--csv").out)))
    assert len(rows) == 101 and rows[0][-1].startswith("cost_per_million_tokens")
    bad = tmp_path / "bad.toml"
    bad.write_text('[distributions]\nutilization = { dist = "normal", mean = 0.7, sd = 0.5 }\n')
    r = cli("montecarlo", "--samples", "1000", "--scenario", str(bad))
    assert r.code == 2 and "utilization" in r.err and "not allowed" in r.err


@pytest.mark.parametrize("args, fragment", [
    (["montecarlo", "--samples", "0"], "samples"),
    (["montecarlo", "--samples", "1.5"], "samples"),
    (["montecarlo", "--samples", "lots"], "samples"),
    (["montecarlo", "--samples", "1e9"], "samples"),
])
def test_montecarlo_cli_errors(cli, args, fragment):
    r = cli(*args)
    assert r.code == 2 and fragment in r.err
