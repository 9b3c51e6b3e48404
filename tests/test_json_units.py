"""One unit per JSON key: every --json command writes a quantity under a given key in the same unit
(issue 18: ``electricity_price`` was ``USD/(kW*h)`` in factory and ``USD/h/kW`` in breakeven)."""

import collections
import contextlib
import io
import json
import sys
from pathlib import Path

import pytest

from tokencalc import catalog
from tokencalc.studies.record import canonical

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))
from commands import COMMANDS, TEXT_ONLY  # noqa: E402

# keys whose unit belongs to the row they sit in, not to the key: a parameter's default/low/high (put in the
# parameter's own unit by the record layer), a claim's figures, quantiles of whatever is sampled, a generic value
GENERIC = {"value", "low", "high", "default", "mean", "p5", "p25", "p50", "p75", "p95", "tokencalc", "claimed"}
QUALIFIED = {"total"}  # capex.total (USD) and annual_cost.total (USD/yr): named with their parent
JSON_COMMANDS = {name: args for name, args in COMMANDS.items() if name not in TEXT_ONLY}


def _units(node, where, key=None, parent=None, out=None):
    out = collections.defaultdict(set) if out is None else out
    if isinstance(node, dict):
        if len(node) == 2 and "value" in node and "unit" in node:
            ids = set(catalog.accelerators()) | set(catalog.roadmap.roadmap().by_id())  # keys that are ids
            if key not in GENERIC and key not in ids and not str(key).startswith("next-"):
                out[f"{parent}.{key}" if key in QUALIFIED else key].add((node["unit"], where))
            return out
        for k, v in node.items():
            _units(v, where, k, key, out)
    elif isinstance(node, list):
        for v in node:
            _units(v, where, key, parent, out)
    return out


@pytest.fixture(scope="module")
def outputs():
    from tokencalc.cli import main

    records = {}
    for name, args in JSON_COMMANDS.items():
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer), pytest.raises(SystemExit) as done:
            main([*args, "--json"])
        if done.value.code == 0 and buffer.getvalue().lstrip().startswith("{"):
            records[name] = json.loads(buffer.getvalue())
    return records


def test_every_json_command_is_covered(outputs):
    commands = {args[0] for args in (JSON_COMMANDS[n] for n in outputs)}
    assert {"factory", "compare", "throughput", "cashflow", "breakeven", "sensitivity", "montecarlo", "energy",
            "power", "fleet", "deal", "claims", "hardware", "parameters"} <= commands


def test_the_same_key_carries_the_same_unit_in_every_command(outputs):
    seen = collections.defaultdict(set)
    for name, record in outputs.items():
        for key, pairs in _units(record, name).items():
            seen[key] |= pairs
    mixed = {key: sorted({unit for unit, _ in pairs}) for key, pairs in seen.items()
             if len({unit for unit, _ in pairs}) > 1}
    assert not mixed, "keys with more than one unit: " + "; ".join(
        f"{k}: {', '.join(u)} ({', '.join(sorted({w for unit, w in seen[k]})[:3])})" for k, u in mixed.items())


def test_the_record_layer_puts_a_key_in_its_unit():
    # a parameter's key carries its working unit, converted; another key its unit written one way
    out = canonical({"electricity_price": {"value": 80.0, "unit": "USD/MWh"},
                     "facility_power": {"value": 1.0, "unit": "GW"},
                     "annual": {"value": 2.0, "unit": "USD/year"},
                     "rows": [{"name": "pue", "low": {"value": 110.0, "unit": "%"}}]})
    assert out["electricity_price"] == {"value": pytest.approx(0.08), "unit": "USD/(kW*h)"}
    assert out["facility_power"] == {"value": 1e9, "unit": "W"}
    assert out["annual"] == {"value": 2.0, "unit": "USD/yr"}
    assert out["rows"][0]["low"]["unit"] == "1" and out["rows"][0]["low"]["value"] == pytest.approx(1.1)
