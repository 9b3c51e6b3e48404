"""Charts (PNG or SVG by the file's suffix, written atomically): the compare sweep, the tornado, the Monte Carlo
histogram, the throughput frontiers. Each stands alone: a title, a subtitle naming the system(s), model,
workload and site, and every line labelled. Needs matplotlib (``pip install 'tokencalc[plot]'``)."""

from __future__ import annotations

import os

from ..errors import TokencalcError
from .files import write_file
from .format import human, q

__all__ = ["plot_sweep", "plot_tornado", "plot_histogram", "plot_frontiers", "subtitle"]


def subtitle(scenario, systems: str | None = None) -> str:
    """'gb200-nvl72 | deepseek-r1, 1024 in / 1024 out, 90 tok/s per user | 1,000 MW, liquid, grid 80.6 USD/MWh'."""
    s = scenario
    cached = float(s.cache_hit_rate.m_as(""))
    workload = (f"{s.model}, {s.isl.m_as('token'):.0f} in / {s.osl.m_as('token'):.0f} out, "
                f"{s.interactivity.m_as('token/s'):g} tok/s per user" + (f", {100 * cached:g} % cached" if cached else ""))
    site = (f"{q(s.facility_power, 'MW')}, {s.cooling} cooling, {s.power_source} "
            f"{q(s.electricity_price, 'USD/MWh')}, PUE {s.pue.m_as(''):g}")
    return f"{systems or s.accelerator} | {workload} | {site}"


def _titles(fig, ax, title: str, sub: str) -> None:
    fig.suptitle(title, fontsize=12, fontweight="bold")
    ax.set_title(sub, fontsize=7.5, color="dimgray")


def _pyplot():
    try:
        import matplotlib  # lazy: an optional extra, loaded only to draw

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt  # lazy: an optional extra, loaded only to draw
    except ImportError:
        raise TokencalcError("--plot needs matplotlib: pip install 'tokencalc[plot]'") from None
    return plt


def _save_figure(plt, fig, path: str) -> None:
    suffix = os.path.splitext(path)[1] or ".png"
    try:
        write_file(path, lambda tmp: fig.savefig(tmp, format=suffix.lstrip(".").lower()), "--plot", suffix)
    finally:
        plt.close(fig)


def plot_sweep(comparison, path: str) -> None:
    """Write the ratio-vs-interactivity chart to ``path`` (PNG or SVG) atomically."""
    plt = _pyplot()
    sw = comparison.sweep
    fig, ax = plt.subplots(figsize=(8.5, 5.2))
    colors = {}
    for k, v in sw.ratio.items():
        (line,) = ax.plot(sw.interactivity, v, label=f"{k}: {comparison.baseline} / {k}", marker="o", markersize=3)
        colors[k] = line.get_color()
    if comparison.transistor_gain_per_generation:
        gain = comparison.transistor_gain_per_generation
        for s in comparison.systems[1:]:
            ax.axhline(s.transistor_yardstick, color=colors.get(s.id, "grey"), linewidth=0.8, linestyle=":",
                       label=f"{s.id}: transistors alone ({100 * gain:g} % per generation, "
                             f"{s.generations_from_baseline:+g} gen.): {s.transistor_yardstick:.2f}x")
    ax.axhspan(10, 20, color="tab:green", alpha=0.08, label="10-20x (claimed)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("interactivity [output tokens/s per user]")
    ax.set_ylabel(f"cost per token: {comparison.baseline} / system")
    systems = ", ".join(s.id for s in comparison.systems)
    _titles(fig, ax, f"Cost-per-token ratio to {comparison.baseline}",
            subtitle(comparison.systems[0].result.scenario, systems))
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    _save_figure(plt, fig, path)


def plot_tornado(result, path: str) -> None:
    """The tornado: each parameter's bar from the cost at its low end (one colour) to its high end (another),
    each end labelled with the parameter's value there."""
    plt = _pyplot()
    rows = list(reversed(result.rows))
    fig, ax = plt.subplots(figsize=(9, 0.4 * len(rows) + 2))
    base = result.base_cost
    for i, r in enumerate(rows):
        ax.barh(i, r.cost_at_low - base, left=base, color="tab:blue", alpha=0.75,
                label="cost at the parameter's low end" if i == 0 else None)
        ax.barh(i, r.cost_at_high - base, left=base, color="tab:orange", alpha=0.75,
                label="cost at its high end" if i == 0 else None)
        for cost, end in ((r.cost_at_low, r.low), (r.cost_at_high, r.high)):
            ax.annotate(f"{human(float(end.magnitude))}", (cost, i), xytext=(3 if cost >= base else -3, 0),
                        textcoords="offset points", va="center", ha="left" if cost >= base else "right",
                        fontsize=6.5)
    ax.axvline(base, color="black", linewidth=0.8, label=f"defaults: {human(base)} USD/Mtoken")
    ax.set_yticks(range(len(rows)), [r.name for r in rows], fontsize=8)
    ax.set_xlabel("cost per million tokens [USD]")
    _titles(fig, ax, "Sensitivity: each parameter from its low to its high end", subtitle(result.scenario))
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    _save_figure(plt, fig, path)


def plot_histogram(result, path: str) -> None:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8.5, 5))
    ax.hist(result.cost_per_million_tokens, bins=60, color="tab:blue", alpha=0.75, label="samples")
    qs = result.quantiles(result.cost_per_million_tokens)
    for key, style, name in (("p5", ":", "5th percentile"), ("p50", "-", "median"), ("p95", "--", "95th percentile")):
        ax.axvline(qs[key], color="black", linestyle=style, linewidth=0.9, label=f"{name}: {human(qs[key])} USD")
    ax.set_xlabel("cost per million tokens [USD]")
    ax.set_ylabel("samples")
    title = f"Monte Carlo: cost per million tokens, {result.samples:,} samples (seed {result.seed})"
    _titles(fig, ax, title, subtitle(result.scenario) if result.scenario is not None else "")
    ax.legend(fontsize=8)
    fig.tight_layout()
    _save_figure(plt, fig, path)


def plot_frontiers(study, path: str) -> None:
    """Throughput against interactivity: each serving choice's model frontier (a line) and measured curve
    (markers), and the target the factory uses (a star)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8.5, 5.2))
    w = study.workload
    cached = float(w["cache_hit_rate"].m_as(""))
    adjusted = ", scaled for prompt caching by the model" if cached else ""
    for c in study.choices:
        (line,) = ax.plot(c.model.interactivity, c.model.total, label=f"model: {c.serving}, spec-decode "
                          f"{c.spec_decode}")
        if c.measured is not None:
            ax.plot(c.measured.interactivity, c.measured.total, linestyle="none", marker="o", markersize=4,
                    color=line.get_color(), label=f"measured{adjusted}: {c.serving}, spec-decode {c.spec_decode}")
    t = study.target
    ax.plot([float(t.interactivity.m_as("token/s"))], [float(t.total_tokens_per_second.m_as("token/s"))],
            marker="*", markersize=14, color="black", linestyle="none",
            label=f"target ({t.source}{adjusted if t.source != 'model' else ''}): "
                  f"{human(float(t.total_tokens_per_second.m_as('token/s')))} tok/s")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("interactivity [output tokens/s per user]")
    ax.set_ylabel("throughput [input + output tokens/s per accelerator]")
    sub = (f"{study.system.id} | {study.model.id} {w['precision']}, {w['isl'].m_as('token'):.0f} in / "
           f"{w['osl'].m_as('token'):.0f} out" + (f", {100 * cached:g} % cached" if cached else "")
           + f" | target {w['interactivity'].m_as('token/s'):g} tok/s per user, at most "
           f"{w['max_concurrency'].m_as(''):g} requests per engine")
    _titles(fig, ax, f"Throughput against interactivity: {study.system.id}", sub)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    _save_figure(plt, fig, path)
