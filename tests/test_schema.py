"""Every --json output validates against its JSON schema and carries schema_version."""

import json
from importlib import resources

import pytest

jsonschema = pytest.importorskip("jsonschema")

SCHEMA = json.loads(resources.files("tokencalc").joinpath("schemas/outputs.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(SCHEMA)

CASES = [
    ("factory", ["factory", "--gw", "1"]),
    ("factory", ["factory", "--power-source", "gas-ccgt", "--gpu", "mi355x"]),
    ("throughput", ["throughput", "--gpu", "h200", "--model", "llama-2-70b", "--isl", "1024", "--osl", "1024"]),
    ("compare", ["compare", "h100", "gb200-nvl72"]),
    ("compare", ["compare", "--all", "--interactivity", "200"]),
    ("power", ["power"]),
    ("energy", ["energy", "--energy", "china-2024"]),
    ("energy", ["energy", "--tokens-per-day", "1e15"]),
    ("cashflow", ["cashflow", "--price", "0.05 USD/Mtoken"]),
    ("breakeven", ["breakeven", "--market-price", "0.05"]),
    ("fleet", ["fleet", "--years", "4", "--price", "1", "--ramp", "500 MW/yr"]),
    ("sensitivity", ["sensitivity"]),
    ("montecarlo", ["montecarlo", "--samples", "1000"]),
    ("claims", ["claims", "china-10000-twh"]),
    ("deal", ["deal", "amd-openai", "--samples", "200"]),
    ("deal", ["deal", "nvidia-openai"]),
    ("deal", ["deal", "--compare", "amd-openai", "nvidia-openai"]),
    ("catalog", ["hardware"]),
    ("catalog", ["hardware", "show", "h100"]),
    ("catalog", ["models"]),
    ("catalog", ["parameters"]),
    ("catalog", ["sources"]),
    ("catalog", ["scenario", "list"]),
]


@pytest.mark.parametrize("name, args", CASES, ids=[" ".join(a) for _, a in CASES])
def test_output_matches_schema(cli, name, args):
    r = cli(*args, "--json")
    assert r.code == 0, r.err
    data = r.json()
    assert data["schema_version"] == "1"
    validator = jsonschema.Draft202012Validator({**SCHEMA, "$ref": f"#/$defs/{name}"})
    errors = sorted(validator.iter_errors(data), key=str)
    assert not errors, errors[0]


def test_schema_command(cli):
    whole = cli("schema").json()
    assert "factory" in whole["$defs"]
    one = cli("schema", "factory").json()
    assert one["$ref"] == "#/$defs/factory"
    assert cli("schema", "nope").code == 2


def test_library_arrays_validate():
    import numpy as np

    import tokencalc as tc

    d = tc.factory(electricity_price=tc.Q_(np.array([50.0, 90.0]), "USD/MWh")).to_dict()
    validator = jsonschema.Draft202012Validator({**SCHEMA, "$ref": "#/$defs/factory"})
    assert not list(validator.iter_errors(json.loads(json.dumps(d))))
