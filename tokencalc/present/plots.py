"""Charts (PNG or SVG, written atomically): the compare sweep, the tornado, the Monte Carlo histogram.
Needs matplotlib (``pip install 'tokencalc[plot]'``)."""

from __future__ import annotations

import os
import tempfile

from ..errors import TokencalcError

__all__ = ["plot_sweep", "plot_tornado", "plot_histogram"]


def _pyplot():
    try:
        import matplotlib  # lazy: an optional extra, loaded only to draw

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt  # lazy: an optional extra, loaded only to draw
    except ImportError:
        raise TokencalcError("--plot needs matplotlib: pip install 'tokencalc[plot]'") from None
    return plt


def _save_figure(plt, fig, path: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    suffix = os.path.splitext(path)[1] or ".png"
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=suffix)
    except OSError as exc:
        plt.close(fig)
        raise TokencalcError(f"--plot: cannot write {path[:80]!r}: {exc.strerror or exc}") from None
    os.close(fd)
    try:
        fig.savefig(tmp, format=suffix.lstrip(".").lower())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        raise TokencalcError(f"--plot: cannot write {path[:80]!r}: {exc.strerror or exc}") from None
    finally:
        plt.close(fig)
        if os.path.exists(tmp):
            os.unlink(tmp)


def plot_sweep(comparison, path: str) -> None:
    """Write the ratio-vs-interactivity chart to ``path`` (PNG or SVG) atomically."""
    plt = _pyplot()
    sw = comparison.sweep
    fig, ax = plt.subplots(figsize=(8, 4.8))
    for k, v in sw.ratio.items():
        ax.plot(sw.interactivity, v, label=k, marker="o", markersize=3)
    if comparison.transistor_gain_per_generation:
        for s in comparison.systems[1:]:
            ax.axhline(s.transistor_yardstick, color="grey", linewidth=0.6, linestyle=":")
    ax.axhspan(10, 20, color="tab:green", alpha=0.08, label="10-20x (claimed)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("interactivity [output tokens/s per user]")
    ax.set_ylabel(f"cost per token: {comparison.baseline} / system")
    ax.set_title(f"Cost-per-token ratio to {comparison.baseline}")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    _save_figure(plt, fig, path)


def plot_tornado(result, path: str) -> None:
    plt = _pyplot()
    rows = list(reversed(result.rows))
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(rows) + 1.5))
    for i, r in enumerate(rows):
        lo, hi = sorted((r.cost_at_low, r.cost_at_high))
        ax.barh(i, hi - lo, left=lo, color="tab:blue", alpha=0.7)
    ax.axvline(result.base_cost, color="black", linewidth=0.8)
    ax.set_yticks(range(len(rows)), [r.name for r in rows], fontsize=8)
    ax.set_xlabel("cost per million tokens [USD]")
    ax.set_title("Sensitivity (each parameter over its range)")
    fig.tight_layout()
    _save_figure(plt, fig, path)


def plot_histogram(result, path: str) -> None:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.hist(result.cost_per_million_tokens, bins=60, color="tab:blue", alpha=0.75)
    qs = result.quantiles(result.cost_per_million_tokens)
    for key, style in (("p5", ":"), ("p50", "-"), ("p95", ":")):
        ax.axvline(qs[key], color="black", linestyle=style, linewidth=0.9, label=f"{key} {qs[key]:.4g}")
    ax.set_xlabel("cost per million tokens [USD]")
    ax.set_ylabel("samples")
    ax.set_title(f"Monte Carlo, {result.samples:,} samples")
    ax.legend(fontsize=8)
    fig.tight_layout()
    _save_figure(plt, fig, path)
