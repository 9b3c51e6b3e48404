"""CSV of the yearly cash flows, the sensitivity table and every Monte Carlo sample."""

from __future__ import annotations

import csv
import io
from typing import Iterator

import numpy as np

from ..units import unit_string
from .records import check_finite

__all__ = ["cashflow_csv", "sensitivity_csv", "montecarlo_csv", "montecarlo_csv_pieces"]


def cashflow_csv(c) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    keys = list(c.years[0])
    writer.writerow([k if k == "year" else f"{k} [USD]" for k in keys])
    for row in c.years:
        writer.writerow([int(row["year"]) if k == "year" else ("" if not np.isfinite(row[k]) else f"{row[k]:.6g}")
                         for k in keys])
    return buffer.getvalue()


def sensitivity_csv(result) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["parameter", "low", "high", "unit", "cost_at_low [USD/Mtoken]", "cost_at_high [USD/Mtoken]",
                     "swing [USD/Mtoken]"])
    for r in result.rows:
        writer.writerow([r.name, f"{float(r.low.magnitude):.6g}", f"{float(r.high.magnitude):.6g}", unit_string(r.low),
                         f"{r.cost_at_low:.6g}", f"{r.cost_at_high:.6g}", f"{r.swing:.6g}"])
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
            buffer = io.StringIO()
            np.savetxt(buffer, columns, delimiter=",", fmt="%.6g")
            yield buffer.getvalue()
        if progress is not None:
            progress(end, len(result.cost_per_million_tokens))
