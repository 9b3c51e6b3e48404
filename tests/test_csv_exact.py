"""--csv on every command that prints a table: the CSV's values are the JSON's, exactly.

The check walks the JSON record itself (not the writer's flattening): each CSV column 'a.b [unit]' names a
path into a row of the record's table and the unit of the value there; a float cell must read back to the
very float of the JSON (the writer prints repr, the shortest text that round-trips), never a rounding of it.
"""

import csv
import io
import math

import pytest

ROW_KEYS = ("systems", "options", "frontier", "parameters", "models", "sources", "claims", "presets", "measured")
COMMANDS = [
    ["factory", "--mw", "100"],
    ["compare", "h100", "gb200-nvl72", "--no-sweep"],
    ["compare", "--all", "--interactivity", "200"],
    ["throughput", "--gpu", "h200", "--model", "llama-2-70b", "--isl", "1024", "--osl", "1024"],
    ["hardware"],
    ["parameters"],
    ["power"],
    ["energy", "--energy", "china-2024"],
    ["models"],
    ["sources"],
    ["breakeven", "--market-price", "0.05"],
    ["claims", "gw-cost", "hopper-blackwell-10-20x"],
    ["scenario", "list"],
    ["scenario", "show", "hyperscaler"],
    ["hardware", "show", "h100"],
    ["energy", "--presets"],
    ["throughput", "--measured"],
]


def _rows(record):
    for key in ROW_KEYS:
        items = record.get(key)
        if isinstance(items, dict) and items and all(isinstance(v, dict) for v in items.values()):
            return [{("id" if "name" in v else "name"): k, **v} for k, v in items.items()]
        if isinstance(items, list) and items:
            return items + record.get("excluded", [])
    return [{k: v for k, v in record.items() if k not in ("schema_version", "tokencalc_version")}]


def _find(row, path):
    value = row
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _same(text, value):
    if value is None or value == {}:
        return text == ""
    if isinstance(value, bool):
        return text == ("true" if value else "false")
    if isinstance(value, float):
        return float(text) == value and text == repr(value) and math.isfinite(value)
    if isinstance(value, (list, dict)):
        import json
        return json.loads(text) == value
    return text == str(value)


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_csv_values_equal_json(cli, args):
    as_json, as_csv = cli(*args, "--json"), cli(*args, "--csv")
    assert as_json.code == 0 and as_csv.code == 0, as_csv.err
    rows = _rows(as_json.json())
    table = list(csv.reader(io.StringIO(as_csv.out)))
    header, body = table[0], table[1:]
    assert len(body) == len(rows) and len(set(header)) == len(header)
    checked = 0
    for line, row in zip(body, rows):
        assert len(line) == len(header)
        for column, text in zip(header, line):
            if column.endswith(" unit"):
                continue
            name, _, unit = column.partition(" [")
            value = _find(row, name)
            if isinstance(value, dict) and set(value) == {"value", "unit"}:
                assert unit == value["unit"] + "]" or line[header.index(f"{name} unit")] == value["unit"], column
                value = value["value"]
            if isinstance(value, dict) and value and text == "":  # a record here, None in another row:
                assert any(h.startswith(f"{name}.") for h in header), column  # its leaves have their columns
                continue
            assert _same(text, value), (column, text, value)
            checked += isinstance(value, float)
    assert checked > 0 or args in (["sources"], ["scenario", "list"])  # text only


def test_csv_keeps_digits_the_old_writer_rounded(cli):
    """The 100 MW factory's capex (about 3.7 B USD) has more than six significant digits; the CSV keeps them all."""
    record = cli("factory", "--mw", "100", "--json").json()
    text = cli("factory", "--mw", "100", "--csv").out
    total = record["capex"]["total"]["value"]
    assert f"{total:.6g}" != repr(total) and repr(total) in text
