"""Which measured runs the calibration can learn the hardware from (:mod:`tokencalc.studies.calibration`).

Two filters: rows whose configuration fields are placeholders (:func:`usable`), and runs slower than the same
framework and configuration on hardware they match or beat in every figure the serving model uses
(:func:`dominated`): the stack's doing, not the hardware's. The fit leaves both out; the out-of-sample errors keep
the second. And how a run's configuration reads: its decode replica, attention mode, replicas and requests per
decode accelerator (:func:`replica_size`, :func:`data_parallel_attention`, :func:`decode_replicas`,
:func:`requests_per_decode_accelerator`), one reading for the fit, the MTP pairs and the time to first token.
"""

from __future__ import annotations

import functools
from typing import Sequence

from .. import catalog
from .serving_inputs import accelerator

__all__ = ["usable", "dominated", "SLOWER", "hardware", "replica_size", "data_parallel_attention", "decode_replicas",
           "requests_per_decode_accelerator"]


def usable(row) -> bool:
    """False for rows whose configuration fields are placeholders: disaggregated rows listing the whole
    deployment as both pools with no expert parallelism (GB200, 2025-12-01 to 05), so the prefill and
    decode split behind their (correct) throughput is unknown. They stay in the measured curves."""
    placeholder = (row.serving == "disaggregated" and row.prefill_gpus == row.decode_gpus == row.decode_tp
                   and row.prefill_ep <= 1 and row.decode_ep <= 1 and row.decode_tp > 8)
    return not placeholder


@functools.lru_cache(maxsize=None)
def hardware(system: str, precision: str):
    """The serving model's figures of a system at a precision (unit conversions are a fifth of a fit's time)."""
    return accelerator(catalog.accelerator(system), precision)


# a run this far below the same configuration on hardware it dominates is the stack's, not the hardware's. Not fitted:
# the left-out set barely moves with it (InferenceX DeepSeek-R1: 32 runs at 0.9, 28 at 0.75-0.8, all B300 with SGLang,
# 2026-04-17, most of them 2-3x below B200); the data's two repeated configurations differ by 11-15 %, so a run
# between 0.85 and 0.9 may be noise
SLOWER = 0.9
_FIGURES = ("hbm_bandwidth", "hbm_capacity", "peak", "attention_peak", "scale_up_bandwidth", "scale_out_bandwidth",
            "scale_up_domain")


def _config(row) -> tuple:
    return (row.framework, row.model, row.precision, row.spec_decode, row.serving, row.isl, row.osl, row.prefill_tp,
            row.prefill_ep, row.prefill_dp_attention, row.prefill_gpus, row.decode_tp, row.decode_ep,
            row.decode_dp_attention, row.decode_gpus, row.concurrency)


def dominated(rows: Sequence, every: Sequence) -> frozenset:
    """The rows that ran slower than physics allows: below ``SLOWER`` x the best run in ``every`` of the same
    framework and configuration (model, precision, serving, parallelism, accelerators, concurrency) on another
    system that this one matches or beats in every figure the serving model uses (HBM bandwidth and capacity,
    peaks, scale-up and scale-out bandwidth, scale-up domain). The serving model cannot slow a system down for a
    young software release (B300 with SGLang, 2026-04: times to first token 1.9-3.4 s where B200 took 0.3-0.6 s
    at the same configuration), so the fit leaves them out; the validation still counts them."""
    best: dict[tuple, dict[str, float]] = {}
    for r in every:
        at = best.setdefault(_config(r), {})
        at[r.system] = max(at.get(r.system, 0.0), r.total_tokens_per_second)

    def covers(a: str, b: str, precision: str) -> bool:  # a matches or beats b in every figure
        fa, fb = hardware(a, precision), hardware(b, precision)
        return all(getattr(fa, n) >= getattr(fb, n) for n in _FIGURES)

    out = set()
    for r in rows:
        others = best.get(_config(r), {})
        if any(system != r.system and r.total_tokens_per_second < SLOWER * value and covers(r.system, system, r.precision)
               for system, value in others.items()):
            out.add(r)
    return frozenset(out)


def replica_size(row) -> int:
    """A row's decode replica (engine) [accelerators]: tensor x expert parallelism, or, with data-parallel attention
    and neither, the decode pool (SGLang on GB200, tp = ep = 1 over 4-48 decode GPUs: one accelerator cannot hold
    DeepSeek-R1's weights)."""
    if row.decode_dp_attention and max(row.decode_tp, row.decode_ep) <= 1:
        return max(row.decode_gpus, 1)
    return max(row.decode_tp, row.decode_ep, 1)


def data_parallel_attention(row) -> bool:
    """Whether a row's decode replica runs attention data-parallel (replicated per accelerator): as it says, or as it
    shows: a decode "tensor parallel" size above 8 with no expert parallelism is wide expert parallelism with
    attention data parallelism (TensorRT-LLM's world size; no engine runs DeepSeek-R1 attention tensor-parallel
    over 16-72 GPUs), and expert parallelism wider than tensor parallelism replicates attention over ep / tp groups."""
    return bool(row.decode_dp_attention) or (row.decode_tp > 8 and row.decode_ep <= 1) or row.decode_tp < row.decode_ep


def decode_replicas(row) -> float:
    """A row's decode replicas [1]: its decode pool over its replica size (disaggregated), else one."""
    return max(1.0, round(row.decode_gpus / replica_size(row))) if row.serving == "disaggregated" else 1.0


def requests_per_decode_accelerator(row) -> float:
    """A run's client concurrency over its decode accelerators [1]. An aggregated run's are its replica's: 114 of the
    368 aggregated rows list g^2 decode GPUs for a replica of g (16 for tp 4, 64 for tp 8), while their throughput
    per GPU is over g (client concurrency x interactivity / output per GPU = g)."""
    return row.concurrency / (max(row.decode_gpus, 1) if row.serving == "disaggregated" else replica_size(row))
