"""Multi-token prediction's realized gain per family of serving stacks, measured: runs with and without MTP at
one configuration set against each other (the InferenceX rows hold both for many configurations).

At one configuration and concurrency the batch is the same, so the ratio of interactivities with and without
MTP, R = I_mtp / I_none, with the serving model's step times, gives the tokens per step the stack realized. An
interactivity is tau over the cycle: the decode step t, and in aggregated serving the prompts that arrive per step
prefilled on the replica, B tau / osl x t_prefill = c tau (:func:`tokencalc.model.serving.serve`). Then

    R = tau (t_none + c) / (t_mtp + c tau)   =>   tau = R t_mtp / (t_none + c (1 - R)),     1 + a + ... + a^d = tau

(disaggregated: c = 0, tau = R t_mtp / t_none). One c serves both runs of a pair, the MTP run's (its prefill pass
holds the prompts that arrive per step at its tau): at these data's concurrencies a pass holds one prompt either
way, and the exact form, tau = R t_mtp / (t_none + c(1) - R c(tau)), agrees to three decimals.

References: SemiAnalysis InferenceX DeepSeek-R1 results (catalog source ``inferencex-dsr1``); Leviathan et al.
(ICML 2023; tokens per step).
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from .. import catalog
from ..model import serving
from .calibration import FAMILIES, INHERITS, _efficiency_arrays, decode_steps, family_of, row_arrays, usable

__all__ = ["mtp_pairs", "mtp_gains", "implied_acceptance", "family_gains", "realized_tau"]


def _pair_key(row) -> tuple:
    """A run's configuration but for speculative decoding (system, stack, workload, pools, parallelism, concurrency)
    and its date (one version of the stack)."""
    return (row.system, row.framework, row.precision, row.serving, row.prefill_tp, row.prefill_ep, row.prefill_gpus,
            row.decode_tp, row.decode_ep, row.decode_dp_attention, row.decode_gpus, row.isl, row.osl, row.concurrency,
            row.date)


def mtp_pairs(rows: Sequence, llm, scale_out: Mapping[str, float], thetas: Mapping[str, Sequence[float]],
              draft_tokens: float) -> list[tuple[str, str, float]]:
    """Runs with and without MTP at one configuration set against each other: (family, stack, implied acceptance)
    per pair. At one configuration and concurrency the batch is the same, and

        I_mtp / I_none = tau x (t_none + c) / (t_mtp + c tau),    tau = 1 + a + ... + a^d

    (interactivity I = tau / t_step; in aggregated serving the cycle adds the prefill of the prompts that arrive per
    step, solved for as the module docstring says): the measured ratio of interactivities and the model's step times
    (:func:`serving.decode_step` with ``thetas``, the drafts' extra tokens and MTP module; aggregated, its prefill
    pass) give the tokens per step the stack realized, and the acceptance a that gives them at ``draft_tokens`` d
    (at d = 1, a = tau - 1; above 1, the stack drafted more tokens than d). A stack: framework and serving mode."""
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
        tau = realized_tau(ratio, steps[0], steps[1])
        if with_mtp.serving == "aggregated":  # the prefill the cycle adds: its pass holds the prompts of a step
            a = row_arrays([without], without.precision, 0.0, scale_out)
            for _ in range(4):  # the pass grows with tau; a few rounds settle it
                tau = realized_tau(ratio, steps[0], steps[1], _prefill_per_token(llm, a, _efficiency_arrays(a, thetas),
                                                                                 tau))
        out.append((family_of(catalog.accelerator(with_mtp.system)), f"{with_mtp.framework} {with_mtp.serving}",
                    implied_acceptance(tau, draft_tokens)))
    return out


def realized_tau(ratio: float, t_mtp: float, t_none: float, prefill: float = 0.0) -> float:
    """The tokens per step [1] a stack realized, from the ratio of interactivities with and without MTP at one
    batch ``ratio`` [1], the step times ``t_mtp`` and ``t_none`` [s] and an aggregated cycle's prefill per realized
    token ``prefill`` c [s] (0: disaggregated)::

        ratio = tau (t_none + c) / (t_mtp + c tau)   =>   tau = ratio t_mtp / (t_none + c (1 - ratio))

    A denominator at or below 0 (MTP more than removes the cycle's prefill share: not physical) gives inf."""
    below = t_none + prefill * (1 - ratio)
    return ratio * t_mtp / below if below > 0 else float("inf")


def _prefill_per_token(llm, a, eff, tau: float) -> float:
    """c [s]: an aggregated cycle's prefill per realized token per request, B / osl x t_prefill, for the one row of
    ``a`` at ``tau`` tokens per step (its pass: the prompts that arrive per step, :func:`serving.prefill_pass`)."""
    hardware = (a.hbm_bandwidth, a.peak, a.attention_peak, a.scale_up_bandwidth, a.scale_out_bandwidth, a.domain)
    b, isl, osl = a.batch[0], a.isl[0], a.osl[0]
    t_prefill = serving.prefill_time(llm, a.precision, isl, a.g[0], *(x[0] for x in hardware), eff,
                                     chunked=serving.prefill_pass(isl, osl, b, tau))
    return float(np.asarray(b / osl * t_prefill).reshape(-1)[0])


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


def family_gains(rows: Sequence, llm, scale_out: Mapping[str, float], thetas: Mapping[str, Sequence[float]],
                 draft_tokens: float, acceptance: float) -> tuple[dict[str, float], dict[str, dict]]:
    """Every family's MTP gain from ``rows`` (:func:`mtp_gains` of their :func:`mtp_pairs`, on the step times of
    ``thetas``); a family with no pairs of its own takes the one it inherits its figures from (``INHERITS``), else
    1. Returns (family -> gain, the measured families' :func:`mtp_gains` records)."""
    measured = mtp_gains(mtp_pairs(rows, llm, scale_out, thetas, draft_tokens), acceptance, draft_tokens)
    gains = {f: m["gain"] for f, m in measured.items()}
    for family in FAMILIES:
        if family not in gains:
            gains[family] = gains.get(INHERITS.get(family, (None,))[0], 1.0)
    return gains, measured
