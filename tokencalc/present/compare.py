"""Comparison tables: systems side by side, the factors of each ratio, the sweep along interactivity."""

from __future__ import annotations

import numpy as np
from rich.console import Group
from rich.text import Text

from .format import human, q
from .tables import Split, table

__all__ = ["comparison_renderable", "sweep_renderable", "ranking_renderable", "FACTOR_LABELS"]

FACTOR_LABELS = {
    "throughput_per_accelerator": "throughput per accelerator",
    "compute_and_network_capital": "compute + network capital",
    "facility_capital": "facility capital",
    "energy": "energy (power and fuel)",
    "operations": "operations",
}

def _origin(s) -> str:
    """Where a system's throughput comes from: measured, model, or measured and model (the note says more)."""
    return s.result.throughput_source.split(" for ")[0].split(",")[0]


_ROWS = (
    ("accelerators", lambda s: f"{s.result.accelerators:,.0f}"),
    ("capex", lambda s: q(s.result.capex.total, "USD")),
    ("tok/s per accelerator", lambda s: f"{s.tokens_per_second_per_accelerator.m_as('token/s'):,.0f}"),
    ("  throughput from", lambda s: _origin(s)),
    ("tok/s per facility MW", lambda s: human(s.tokens_per_second_per_megawatt.m_as("token/s/MW"))),
    ("tokens per joule", lambda s: f"{s.result.tokens_per_energy.m_as('token/J'):.3g}"),
    ("USD per accelerator-hour", lambda s: human(s.result.cost_per_accelerator_hour.m_as("USD/h"))),
    ("levelized USD per Mtoken", lambda s: human(s.result.cost_per_million_tokens.m_as("USD/Mtoken"))),
    ("ratio to baseline", lambda s: "1 (baseline)" if s.ratio is None else f"{s.ratio:.2f}x"),
)


def comparison_renderable(comparison):
    systems = comparison.systems
    s0 = systems[0].result.scenario
    head = Text.assemble(
        ("Comparison at ", "bold"),
        (f"{human(systems[0].result.facility_power.m_as('MW'), 'MW')} facility power", "bold cyan"),
        f", {s0.model} ({s0.precision}), {s0.isl.m_as('token'):,.0f} in / {s0.osl.m_as('token'):,.0f} out, "
        f"{s0.interactivity.m_as('token/s'):g} tok/s per user; baseline ",
        (comparison.baseline, "bold"),
    )
    parts = [head, Split(lambda some: _systems_table(comparison, some), systems)]
    sources = "; ".join(f"{s.id}: {s.result.throughput_source.split('; ')[0]}" for s in systems)
    note = Text("Ratio = baseline cost per token / this system's; the factors multiply to it (above 1: this system "
                f"is cheaper on that count). Throughput: {sources}.", style="dim")
    parts.append(note)
    if comparison.sweep is not None:
        parts.append(sweep_renderable(comparison))
    return Group(*parts)


def _systems_table(comparison, systems):
    out = table(None, pad_edge=False)
    out.add_column("")
    for s in systems:
        out.add_column(s.id + (" (ann.)" if s.result.accelerator_status == "announced" else ""), justify="right")
    for label, fn in _ROWS:
        out.add_row(label, *[fn(s) for s in systems])
    out.add_section()
    for name, label in FACTOR_LABELS.items():
        out.add_row(f"  x {label}", *["" if s.factors is None else f"{s.factors[name]:.3f}" for s in systems])
    out.add_section()
    out.add_row(f"transistors alone ({100 * comparison.transistor_gain_per_generation:g} %/generation)",
                *["" if s.transistor_yardstick is None else
                  f"{s.transistor_yardstick:.2f}x ({s.generations_from_baseline:+g})" for s in systems])
    return out


_CHART_WIDTH = 30


def sweep_renderable(comparison):
    sw = comparison.sweep
    others = list(sw.ratio)
    top = max(float(np.max(v)) for v in sw.ratio.values())
    chart_key = max(others, key=lambda k: float(np.max(sw.ratio[k])))
    chart = object()  # the bar chart's column, after the systems

    def build(columns):
        out = table(f"Ratio to {comparison.baseline} along interactivity (cost per token, baseline / system)",
                    pad_edge=False)
        out.add_column("tok/s/user", justify="right")
        for k in columns:
            out.add_column(f"{chart_key} (chart)" if k is chart else k, justify="left" if k is chart else "right",
                           no_wrap=True)
        for i, x in enumerate(sw.interactivity):
            bar = "█" * max(1, int(round(_CHART_WIDTH * sw.ratio[chart_key][i] / top)))
            out.add_row(f"{x:,.0f}", *[bar if k is chart else f"{sw.ratio[k][i]:.1f}x" for k in columns])
        return out

    out = Split(build, [*others, chart])
    return Group(out, Text("Below a system's maximum-throughput point its cost is flat; "
                           "the ratio there is the low-interactivity ratio.", style="dim"))


_RANK_COLUMNS = (
    ("status", "left", lambda s: s.result.accelerator_status),
    ("USD per\nMtoken", "right", lambda s: human(s.result.cost_per_million_tokens.m_as("USD/Mtoken"))),
    ("tok/s per\nfacility MW", "right", lambda s: human(s.tokens_per_second_per_megawatt.m_as("token/s/MW"))),
    ("tok/s per\naccelerator", "right", lambda s: f"{s.tokens_per_second_per_accelerator.m_as('token/s'):,.0f}"),
    ("tok/s\nfrom", "left", lambda s: _origin(s)),
    ("ratio to\nthe first", "right", lambda s: "1" if s.ratio is None else f"{s.ratio:.3g}"),
    *((header, "right", lambda s, name=name: "" if s.factors is None else f"{s.factors[name]:.3f}")
      for name, header in zip(FACTOR_LABELS, ("x\nthroughput", "x compute\n+ network", "x\nfacility", "x\nenergy",
                                              "x oper-\nations"))),
)


def ranking_renderable(ranking):
    """Every catalog system ranked by cost per million tokens; below, the ones that cannot serve and why."""
    systems = ranking.systems
    s0 = systems[0].result.scenario
    which = f"{ranking.status} systems" if ranking.status else "catalog systems"
    head = Text.assemble(
        (f"All {which} ranked by cost per million tokens at ", "bold"),
        (f"{human(systems[0].result.facility_power.m_as('MW'), 'MW')} facility power", "bold cyan"),
        f", {s0.model} ({s0.precision}), {s0.isl.m_as('token'):,.0f} in / {s0.osl.m_as('token'):,.0f} out, "
        f"{s0.interactivity.m_as('token/s'):g} tok/s per user")

    def build(shown):
        out = table(None, pad_edge=False)
        out.add_column("#", justify="right")
        out.add_column("system", no_wrap=True)
        for i in shown:
            out.add_column(_RANK_COLUMNS[i][0], justify=_RANK_COLUMNS[i][1])
        for n, s in enumerate(systems, 1):
            out.add_row(str(n), s.id, *[_RANK_COLUMNS[i][2](s) for i in shown])
        return out

    origins = {_origin(s) for s in systems}
    mixed = (" Throughput is measured for some systems and modelled for others: a ratio between the two carries the "
             "model's error (tokencalc throughput --gpu ID says how large)." if len(origins) > 1 else "")
    parts = [head, Split(build, range(len(_RANK_COLUMNS))),
             Text("Ratio = the first system's cost per token / this one's; the factors multiply to it (below 1: "
                  "this system is dearer on that count)." + mixed, style="dim")]
    if ranking.excluded:
        out = table("\nNot ranked", pad_edge=False)
        for column in ("system", "status", "reason"):
            out.add_column(column)
        for row in ranking.excluded:
            out.add_row(*row)
        parts.append(out)
    return Group(*parts)
