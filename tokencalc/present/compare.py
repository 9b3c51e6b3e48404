"""Comparison tables: systems side by side, the factors of each ratio, the sweep along interactivity."""

from __future__ import annotations

import numpy as np
from rich.console import Group
from rich.text import Text

from .format import human, q
from .tables import table

__all__ = ["comparison_renderable", "sweep_renderable", "FACTOR_LABELS"]

FACTOR_LABELS = {
    "throughput_per_accelerator": "throughput per accelerator",
    "compute_and_network_capital": "compute + network capital",
    "facility_capital": "facility capital",
    "energy": "energy (power and fuel)",
    "operations": "operations",
}

_ROWS = (
    ("accelerators", lambda s: f"{s.result.accelerators:,.0f}"),
    ("capex", lambda s: q(s.result.capex.total, "USD")),
    ("tok/s per accelerator", lambda s: f"{s.tokens_per_second_per_accelerator.m_as('token/s'):,.0f}"),
    ("tok/s per MW", lambda s: human(s.tokens_per_second_per_megawatt.m_as("token/s/MW"))),
    ("tokens per joule", lambda s: f"{s.result.tokens_per_energy.m_as('token/J'):.3g}"),
    ("USD per accelerator-hour", lambda s: f"{s.result.cost_per_accelerator_hour.m_as('USD/h'):.3f}"),
    ("levelized USD per Mtoken", lambda s: f"{s.result.cost_per_million_tokens.m_as('USD/Mtoken'):.4g}"),
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
    out = table(None, pad_edge=False)
    out.add_column("", no_wrap=True)
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
    sources = "; ".join(f"{s.id}: {s.result.throughput_source.split('; ')[0]}" for s in systems)
    note = Text("Ratio = baseline cost per token / this system's; the factors multiply to it (above 1: this system "
                f"is cheaper on that count). Throughput: {sources}.", style="dim")
    parts = [head, out, note]
    if comparison.sweep is not None:
        parts.append(sweep_renderable(comparison))
    return Group(*parts)


def sweep_renderable(comparison):
    sw = comparison.sweep
    others = list(sw.ratio)
    out = table(f"Ratio to {comparison.baseline} along interactivity (cost per token, baseline / system)",
                pad_edge=False)
    out.add_column("tok/s/user", justify="right")
    for k in others:
        out.add_column(k, justify="right")
    top = max(float(np.max(v)) for v in sw.ratio.values())
    width = 30
    chart_key = max(others, key=lambda k: float(np.max(sw.ratio[k])))
    out.add_column(f"{chart_key} (chart)", justify="left", no_wrap=True)
    for i, x in enumerate(sw.interactivity):
        bar = "█" * max(1, int(round(width * sw.ratio[chart_key][i] / top)))
        out.add_row(f"{x:,.0f}", *[f"{sw.ratio[k][i]:.1f}x" for k in others], bar)
    return Group(out, Text("Below a system's maximum-throughput point its cost is flat; "
                           "the ratio there is the low-interactivity ratio.", style="dim"))
