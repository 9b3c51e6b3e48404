"""Scenarios: files, presets, the template, and the layering defaults < file < --set."""

import pytest

import tokencalc as tc
from tokencalc.scenariofile import presets, template


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
    assert d["provenance"]["electricity_price"] == f"file:{path}"  # the file set it
    assert d["provenance"]["pue"] == "user"  # --set on the command line


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
