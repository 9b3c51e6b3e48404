"""The table of a JSON record: one row per item of its list (systems, years, ...) or the record as one row,
one column per leaf with its unit ('capex.total', 'USD'); what ``--csv``, ``to_dataframe()`` and the notebook
display share. Pure data: no rich, no pandas (a result's ``to_dataframe()`` hands :func:`columns` to pandas).
"""

from __future__ import annotations

from typing import Any, Iterator

__all__ = ["ROW_KEYS", "FRAME_ROW_KEYS", "flatten", "record_rows", "columns", "PANDAS_MISSING"]

# The list in a record that is its table, one row per item (the first found); else the record is one row.
ROW_KEYS = ("systems", "options", "frontier", "parameters", "models", "sources", "claims", "presets", "measured")
FRAME_ROW_KEYS = ROW_KEYS + ("years", "rows", "frontiers")  # a DataFrame also takes the yearly and fleet tables
_ENVELOPE = ("schema_version", "tokencalc_version")
PANDAS_MISSING = ("to_dataframe() and tokencalc.sweep() need pandas, an optional extra: "
                  "pip install 'tokencalc[dataframe]' (or pip install pandas)")


def flatten(data, prefix: str = "") -> Iterator[tuple[str, str, object]]:
    """(column, unit, value) of every leaf: a {"value", "unit"} pair is one column, nested keys joined by '.'."""
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and set(value) == {"value", "unit"}:
            yield name, value["unit"], value["value"]
        elif isinstance(value, dict) and value:
            yield from flatten(value, f"{name}.")
        else:
            yield name, "", value


def record_rows(record, keys=ROW_KEYS) -> list[dict]:
    """The rows of a record's table: the items of its first ``keys`` list (a dict of records: one row each,
    its key as 'name', or 'id' when it has a name), then any 'excluded' items; else the whole record (without
    the envelope) as one row."""
    for key in keys:
        items = record.get(key)
        if isinstance(items, dict) and items and all(isinstance(v, dict) for v in items.values()):
            return [{("id" if "name" in v else "name"): k, **v} for k, v in items.items()]
        if isinstance(items, list) and items and all(isinstance(v, dict) for v in items):
            return list(items) + list(record.get("excluded") or [])
    return [{k: v for k, v in record.items() if k not in _ENVELOPE}]


def columns(record, keys=FRAME_ROW_KEYS, limit: int | None = None) -> dict[str, list]:
    """The record's table as {'name [unit]': values}: one entry per row; a record whose values are arrays
    (a factory evaluated on arrays) is one row per element. Lists that are not arrays of numbers stay cells.
    ``limit``: at most that many rows (a display's first rows)."""
    rows = [list(flatten(row)) for row in record_rows(record, keys)]
    if len(rows) == 1:
        lengths = {len(v) for _, _, v in rows[0] if _numbers(v)}
        if len(lengths) == 1 and (n := lengths.pop()) > 1:  # one row of arrays: a row per element
            arrays = [_numbers(value) and len(value) == n for _, _, value in rows[0]]  # once, not per element
            rows = [[(name, unit, value[i] if array else value) for (name, unit, value), array in zip(rows[0], arrays)]
                    for i in range(n if limit is None else min(n, limit))]
    rows = rows if limit is None else rows[:limit]
    names: dict[str, None] = {}
    for row in rows:
        for name, unit, value in row:
            names.setdefault(f"{name} [{unit}]" if unit else name)
    out: dict[str, list] = {name: [] for name in names}
    for row in rows:
        cells = {f"{name} [{unit}]" if unit else name: value for name, unit, value in row}
        for name in names:
            out[name].append(cells.get(name))
    return out


def _numbers(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                          for v in value)
