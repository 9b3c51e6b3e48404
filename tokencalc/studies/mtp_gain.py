"""Multi-token prediction's realized gain per family of serving stacks, measured: runs with and without MTP at
one configuration set against each other (the InferenceX rows hold both for many configurations).

At one configuration and concurrency the batch is the same, so the ratio of interactivities (tau / t_step) with
and without MTP, with the serving model's ratio of step times, gives the tokens per step the stack realized:

    tau = (I_mtp / I_none) x t_mtp / t_none,     1 + a + ... + a^d = tau

References: SemiAnalysis InferenceX DeepSeek-R1 results (catalog source ``inferencex-dsr1``); Leviathan et al.
(ICML 2023; tokens per step).
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from .. import catalog
from ..model import serving
from .calibration import _efficiency_arrays, decode_steps, family_of, row_arrays, usable

__all__ = ["mtp_pairs", "mtp_gains", "implied_acceptance"]


def _pair_key(row) -> tuple:
    """A run's configuration but for speculative decoding: system, stack, workload, pools, parallelism, concurrency."""
    return (row.system, row.framework, row.precision, row.serving, row.prefill_tp, row.prefill_ep, row.prefill_gpus,
            row.decode_tp, row.decode_ep, row.decode_dp_attention, row.decode_gpus, row.isl, row.osl, row.concurrency)


def mtp_pairs(rows: Sequence, llm, scale_out: Mapping[str, float], thetas: Mapping[str, Sequence[float]],
              draft_tokens: float) -> list[tuple[str, str, float]]:
    """Runs with and without MTP at one configuration set against each other: (family, stack, implied acceptance)
    per pair. At one configuration and concurrency the batch is the same, and

        I_mtp / I_none = tau x t_none / t_mtp,    tau = 1 + a + ... + a^d

    (interactivity I = tau / t_step; exact for disaggregated serving, while an aggregated cycle adds prefill, which
    this leaves out and so understates an aggregated pair's acceptance): the measured ratio of interactivities
    and the model's ratio of step times (:func:`serving.decode_step` with ``thetas``, the drafts' extra tokens
    and MTP module) give the tokens per step the stack realized, and the acceptance a that gives them at ``draft_tokens`` d (at d = 1, a = tau - 1;
    above 1, the stack drafted more tokens than d). A stack: framework and serving mode."""
    groups: dict = {}
    for r in rows:
        if usable(r):
            groups.setdefault(_pair_key(r), {}).setdefault(r.spec_decode, []).append(r)
    out = []
    for runs in groups.values():
        if "mtp" not in runs or "none" not in runs:
            continue
        with_mtp, without = runs["mtp"][0], runs["none"][0]
        ratio = (np.median([r.interactivity for r in runs["mtp"]]) / np.median([r.interactivity for r in runs["none"]]))
        steps = []
        for r, d in ((with_mtp, draft_tokens), (without, 0.0)):
            a = row_arrays([r], r.precision, d, scale_out)
            steps.append(float(decode_steps(llm, a, _efficiency_arrays(a, thetas), a.batch[:, None])[0, 0]))
        tau = ratio * steps[0] / steps[1]
        out.append((family_of(catalog.accelerator(with_mtp.system)), f"{with_mtp.framework} {with_mtp.serving}",
                    implied_acceptance(tau, draft_tokens)))
    return out


def implied_acceptance(tau: float, draft_tokens: float) -> float:
    """The acceptance a [1] with 1 + a + ... + a^d = tau (d = ``draft_tokens``); above 1 where tau > d + 1."""
    if draft_tokens == 1:
        return tau - 1.0
    lo, hi = 0.0, 4.0
    for _ in range(60):  # bisection: tau rises with a
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if serving.tokens_per_step(draft_tokens, mid) < tau else (lo, mid)
    return (lo + hi) / 2


def mtp_gains(pairs: Sequence[tuple[str, str, float]], acceptance: float, draft_tokens: float) -> dict[str, dict]:
    """Each family's realized MTP gain g [1] from its :func:`mtp_pairs`: g = (tau(a_m) - 1) / (tau(a) - 1), a_m
    the median implied acceptance over the family's pairs, a the model's ``acceptance``. A family one of whose
    stacks has a median implied acceptance at or above 1 drafts more tokens than ``draft_tokens`` there (the data
    do not record draft lengths): its pairs cannot say what one drafted token realizes, and it keeps g = 1.
    Returns family -> {"gain", "pairs", "acceptance" (a_m), "stacks" (stack -> its median)}."""
    out = {}
    for family in sorted({p[0] for p in pairs}):
        mine = [p for p in pairs if p[0] == family]
        stacks = {s: float(np.median([p[2] for p in mine if p[1] == s])) for s in sorted({p[1] for p in mine})}
        implied = float(np.median([p[2] for p in mine]))
        more = max(stacks.values()) >= 1.0
        gain = 1.0 if more else ((serving.tokens_per_step(draft_tokens, implied) - 1)
                                 / (serving.tokens_per_step(draft_tokens, acceptance) - 1))
        out[family] = {"gain": gain, "pairs": len(mine), "acceptance": implied, "stacks": stacks}
    return out
