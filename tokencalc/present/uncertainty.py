"""Sensitivity (tornado) and Monte Carlo tables."""

from __future__ import annotations

import numpy as np
from rich.console import Group
from rich.text import Text

from .format import display_unit, distribution_text, human
from .tables import Split, kv_table, rows_table, table

__all__ = ["sensitivity_renderable", "montecarlo_renderable"]

_LABELS = {"1": "", "%/year": "%/yr", "year": "yr"}


def sensitivity_renderable(result):
    top = max((r.swing for r in result.rows), default=1.0) or 1.0
    width = 10
    cells = []
    for r in result.rows:
        left = int(round(width * max(0.0, result.base_cost - min(r.cost_at_low, r.cost_at_high)) / top))
        right = int(round(width * max(0.0, max(r.cost_at_low, r.cost_at_high) - result.base_cost) / top))
        bar = " " * (width - left) + "█" * left + "│" + "█" * right
        unit = display_unit(r.name, r.low)
        low, high = (human(float(x.m_as(unit)), "") for x in (r.low, r.high))
        cells.append((r.name, low, high, _LABELS.get(unit, unit), f"{human(r.cost_at_low)}", f"{human(r.cost_at_high)}",
                      f"{r.swing:.3g}", bar))
    columns = (("low", "right"), ("high", "right"), ("unit", "left"), ("cost\nat low", "right"),
               ("cost\nat high", "right"), ("swing", "right"), ("", "left"))

    def build(shown):
        out = table(f"Sensitivity of the cost per million tokens (base {human(result.base_cost)} USD/Mtoken)",
                    pad_edge=False)
        out.add_column("parameter")
        for i in shown:
            out.add_column(columns[i][0], justify=columns[i][1], no_wrap=True)
        for row in cells:
            out.add_row(row[0], *[row[i + 1] for i in shown])
        return out

    out = Split(build, range(len(columns)))
    note = Text("Each parameter moves alone over its range (the scenario's [ranges], else the catalog's low and high; "
                "the throughput's: the 10th to 90th percentile of the model's out-of-sample error, wider for a system "
                "no curve measures, see docs/validation.md); costs in USD per million tokens; the bar spans the two "
                "ends around the base.", style="dim")
    return Group(out, note)


def montecarlo_renderable(result):
    qs = result.quantiles(result.cost_per_million_tokens)
    rows = [("Cost per million tokens at the defaults", f"{human(result.base_cost)} USD")]
    rows += [(f"  {label}", f"{human(qs[key])} USD") for key, label in
             (("p5", "5th percentile"), ("p50", "median"), ("mean", "mean"), ("p95", "95th percentile"))]
    summary = kv_table(f"Monte Carlo: {result.samples:,} samples, seed {result.seed} ({result.seconds:.2f} s)", rows)
    counts, edges = np.histogram(result.cost_per_million_tokens, bins=16)
    hist = table("Distribution of the cost per million tokens (USD)", show_header=False, pad_edge=False)
    hist.add_column("bin", justify="right")
    hist.add_column("bar")
    hist.add_column("share", justify="right")
    top = counts.max() or 1
    for c, lo, hi in zip(counts, edges[:-1], edges[1:]):
        # bin edges to 4 figures, so that neighbouring edges differ
        hist.add_row(f"{human(lo, digits=4)}-{human(hi, digits=4)}", "█" * max(0, int(round(40 * c / top))),
                     f"{100 * c / result.samples:.1f} %")
    shown = {name: distribution_text(name, kind, args) for name, (kind, args) in result.specs} or result.distributions
    dists = rows_table("Distributions", ("parameter", "distribution"), shown.items())
    note = Text("In reference model v1 the break-even price per million tokens equals the cost per million tokens.",
                style="dim")
    return Group(summary, hist, dists, note)
