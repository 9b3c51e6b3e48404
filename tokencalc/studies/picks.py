"""Which configuration the model's frontier picks against the one behind each measured envelope point.

The model's frontier is the best of every configuration it can run (replica size, attention parallelism, batch,
prefill pool); a measured envelope is the best of the configurations someone ran. Where the two pick differently,
the frontier's error adds the model's judgement of a configuration no run measured to its physics. Grouping the
leave-one-curve-out frontier errors by the run's configuration and the model's pick shows where that happens.

A configuration's class: its attention tensor-parallel over the replica or data-parallel (one request per rank,
the experts expert-parallel), and its replica within one 8-GPU server or wider (tokencalc.studies.run_quality
reads a run's replica and attention from its recorded parallelism, as the fit does; H100's two-node runs, TP 16
with EP 16 and no data-parallel attention, count as tensor-parallel over 16). A pick is the configuration of the
frontier's point that serves the interactivity (the next at or above it); the frontier's throughput there
interpolates between that point and the one below it, which may be of another kind.

References: SemiAnalysis InferenceX (the envelope: the best of the runs' configurations at each interactivity);
catalog source ``inferencex-dsr1``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import numpy as np

from .calibration import curve_frontier, curve_key
from .run_quality import data_parallel_attention, replica_size

__all__ = ["configuration_class", "frontier_picks", "pick_groups", "SERVER"]

SERVER = 8  # accelerators in one server (HGX, MI300X/MI355X platforms): replicas beyond it span servers or NVL72


def configuration_class(gpus, data_parallel: bool) -> str:
    """``"tp <= 8"``, ``"tp > 8"``, ``"dp <= 8"`` or ``"dp > 8"``: attention tensor- or data-parallel, over a
    replica of ``gpus`` [accelerators] within one server (``SERVER``) or wider."""
    return f"{'dp' if data_parallel else 'tp'} {'<=' if int(gpus) <= SERVER else '>'} {SERVER}"


def frontier_picks(curve, llm, theta, draft_tokens: float, acceptance: float, max_concurrency: float,
                   gain: float | None = None) -> list:
    """The class (:func:`configuration_class`) of the configuration the model's frontier serves at each of the
    measured curve's interactivities (the frontier under the benchmark's concurrency, as
    ``calibration.frontier_ratios`` compares it, with figures ``theta`` and MTP gain ``gain``, None: the family's
    recorded one); None beyond the model's reach."""
    front = curve_frontier(curve, llm, theta, draft_tokens, acceptance, max_concurrency, gain=gain)
    picks = []
    for x in np.asarray(curve.interactivity, dtype=float):
        if x > front.max_interactivity * (1 + 1e-9):
            picks.append(None)
            continue
        i = front.nearest(x)  # the point serving x: the frontier's next point at or above it
        picks.append(configuration_class(front.gpus[i], bool(front.data_parallel_attention[i])))
    return picks


def pick_groups(frontier: Mapping, thetas: Mapping, curves, llm, draft_tokens: float, acceptance: float,
                max_concurrency: float) -> dict[tuple[str, str], tuple[tuple, np.ndarray]]:
    """Leave-one-curve-out frontier ratios (``frontier``: curve key -> model / measured at each envelope point)
    grouped by (the run's class, the model's pick), the pick made with each curve's own refitted figures and MTP
    gain (``thetas``: curve key -> (figures, gain), as ``calibration.HeldOut`` keeps them): per group, the envelope points' runs and their ratios. Points beyond the
    model's reach are left out."""
    by_key = {curve_key(c): c for c in curves}
    groups = defaultdict(list)
    for key, ratios in frontier.items():
        if key not in thetas:
            continue
        curve = by_key[key]
        theta, gain = thetas[key]
        picks = frontier_picks(curve, llm, theta, draft_tokens, acceptance, max_concurrency, gain)
        for row, ratio, pick in zip(curve.rows, ratios, picks):
            if pick is None or not np.isfinite(ratio):
                continue
            groups[(configuration_class(replica_size(row), data_parallel_attention(row)), pick)].append((row, ratio))
    return {k: (tuple(r for r, _ in v), np.array([x for _, x in v], dtype=float)) for k, v in sorted(groups.items())}
