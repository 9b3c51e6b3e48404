"""CSV of any answer's table (from its JSON record), the yearly cash flows, the sensitivity table and every
Monte Carlo sample: lossless (floats as their shortest round-trip repr), units in the header."""

from __future__ import annotations

import csv
import io
import json
from typing import Iterator

import numpy as np

from ..tidy import ROW_KEYS, flatten, record_rows
from ..units import unit_string
from .records import check_finite

__all__ = ["record_csv", "record_rows", "cell", "cashflow_csv", "sensitivity_csv", "montecarlo_csv",
           "montecarlo_csv_pieces", "ROW_KEYS"]


def cell(value) -> str:
    """A JSON value as CSV text that reads back to the same value: floats as repr (shortest round trip)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, allow_nan=False, ensure_ascii=False, separators=(",", ":"))
    return str(value)


_flatten = flatten


def record_csv(record) -> str:
    """The table of a JSON record as CSV: a column per leaf, 'name [unit]' in the header (a column whose unit
    differs between rows gets its unit in a 'name unit' column instead), values exactly the JSON's."""
    rows = [list(_flatten(row)) for row in record_rows(record)]
    units: dict[str, set] = {}
    for row in rows:
        for name, unit, value in row:
            seen = units.setdefault(name, set())
            if value is not None:  # a missing value (an offline point's interactivity) claims no unit
                seen.add(unit)
    header, keys = [], []  # the header's text, and the key of each column in a row's cells
    for name, seen in units.items():
        if len(seen) <= 1:
            unit = next(iter(seen), "")
            header.append(f"{name} [{unit}]" if unit else name)
            keys.append(name)
        else:
            header += [name, f"{name} unit"]
            keys += [name, f"{name} unit"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        cells = {}
        for name, unit, value in row:
            cells[name], cells[f"{name} unit"] = cell(value), unit
        writer.writerow([cells.get(key, "") for key in keys])
    return buffer.getvalue()


def cashflow_csv(c) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    keys = list(c.years[0])
    writer.writerow([k if k == "year" else f"{k} [USD]" for k in keys])
    for row in c.years:
        writer.writerow([int(row["year"]) if k == "year" else ("" if not np.isfinite(row[k]) else repr(float(row[k])))
                         for k in keys])
    return buffer.getvalue()


def sensitivity_csv(result) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["parameter", "low", "high", "unit", "cost_at_low [USD/Mtoken]", "cost_at_high [USD/Mtoken]",
                     "swing [USD/Mtoken]"])
    for r in result.rows:
        writer.writerow([r.name, repr(float(r.low.magnitude)), repr(float(r.high.magnitude)), unit_string(r.low),
                         repr(float(r.cost_at_low)), repr(float(r.cost_at_high)), repr(float(r.swing))])
    return buffer.getvalue()


def montecarlo_csv(result) -> str:
    """Every Monte Carlo sample as CSV text (for large runs write :func:`montecarlo_csv_pieces` one by one)."""
    return "".join(montecarlo_csv_pieces(result))


def montecarlo_csv_pieces(result, rows: int = 50_000, progress=None) -> Iterator[str]:
    """The Monte Carlo CSV in pieces of at most ``rows`` rows: memory bounded by a piece, not by the samples.

    The inputs come chunk by chunk from ``result.input_chunks()`` (drawn again when not kept);
    ``progress(samples written, samples)`` after each chunk, if given.
    """
    names = list(result.units)
    yield ",".join([f"{n} [{result.units[n]}]" for n in names] + ["cost_per_million_tokens [USD/Mtoken]"]) + "\n"
    for begin, end, inputs in result.input_chunks():
        n = end - begin
        for first in range(0, n, rows):
            last = min(first + rows, n)
            columns = np.column_stack([inputs[k][first:last] for k in names]
                                      + [result.cost_per_million_tokens[begin + first: begin + last]])
            check_finite(columns, "cost_per_million_tokens")
            yield "".join(",".join(map(repr, row)) + "\n" for row in columns.tolist())  # floats: shortest round trip
        if progress is not None:
            progress(end, len(result.cost_per_million_tokens))
