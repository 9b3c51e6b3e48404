"""The time to first token's serving latency, measured: what a server adds to the model's prefill and first step.

The serving model's time to first token is GPU time: the prompt's prefill (its pass) and one decode step
(:func:`tokencalc.model.serving.operating_points`). A measured one also holds the request's way through the
server (HTTP, tokenizing, scheduling, streaming the token back) and, disaggregated, the KV cache's transfer to
the decode pool and the prefill engines' own queue. On InferenceX's runs with at most one request per decode
accelerator, where little waits in a queue, the measured median TTFT is 2.6-9x the model's GPU time (medians by
serving mode and input length). The calibration fits what they add, per serving mode, as

    TTFT = t_gpu + L_fixed + L_token x isl

by least squares in log space with a soft-L1 loss (scale 0.3: a run whose requests still queue is discounted,
not followed), bounded to 0-5 s and 0-1 ms per input token; leave one measured curve out gives its error.
Above one request per decode accelerator, measured TTFTs hold queueing (seconds at high load) that the model
does not model.

References: SemiAnalysis InferenceX DeepSeek-R1 results (catalog source ``inferencex-dsr1``; median TTFT per run).
"""

from __future__ import annotations

from typing import Mapping, Sequence

import attrs
import numpy as np

from .. import catalog
from ..errors import ParameterError
from ..model import serving
from .calibration import (_key, data_parallel_attention, decode_replicas, efficiency, family_of, replica_size,
                          requests_per_decode_accelerator, usable)
from .run_quality import hardware

__all__ = ["QUEUE_FREE", "FirstTokenRuns", "first_token_runs", "fit_latency", "leave_one_curve_out"]

QUEUE_FREE = 1.0  # [requests per decode accelerator] at most: the runs whose TTFT the fit takes (little queueing)
LOWER, UPPER = (0.0, 0.0), (5.0, 1e-3)  # [s], [s per input token]
START = (0.1, 1e-5)
LOSS_SCALE = 0.3  # soft-L1 scale in log space


@attrs.frozen
class FirstTokenRuns:
    """Measured runs with the model's GPU time to first token at their configurations (arrays of one length)."""

    serving: np.ndarray  # "aggregated" / "disaggregated"
    key: tuple  # each run's curve key
    isl: np.ndarray  # [token]
    gpu: np.ndarray  # [s] the model's prefill and first step
    measured: np.ndarray  # [s] median TTFT
    load: np.ndarray  # [requests per decode accelerator]
    family: np.ndarray
    # serving -> runs at a configuration the model cannot hold (no TTFT to compare)
    skipped: Mapping[str, int] = attrs.field(factory=dict)


def first_token_runs(rows: Sequence, llm, thetas: Mapping[str, Sequence[float]], draft_tokens: float,
                     acceptance: float, exclude: frozenset = frozenset(),
                     gains: Mapping[str, float] | None = None) -> FirstTokenRuns:
    """Each usable run with a measured TTFT (not in ``exclude``) and the model's GPU time to first token at its
    configuration (replica, attention mode, requests per replica) with the efficiency figures ``thetas`` (family ->
    figures in the order of ``PARAMETERS``) and each family's MTP gain (``gains``; 1 where it gives none). A run
    at a configuration the model cannot hold (its replica too small for the weights, or an attention mode the
    model has not at that size) is counted in ``skipped``."""
    out, skipped = [], {}
    for r in rows:
        if not usable(r) or r in exclude or not np.isfinite(r.ttft) or r.ttft <= 0:
            continue
        family = family_of(catalog.accelerator(r.system))
        hw = attrs.evolve(hardware(r.system, r.precision),
                          efficiency=efficiency(thetas[family], (gains or {}).get(family, 1.0)))
        g = replica_size(r)
        mtp = r.spec_decode == "mtp"
        try:
            p = serving.operating_points(hw, llm, r.precision, r.isl, r.osl, r.serving, int(draft_tokens) if mtp else 0,
                                         acceptance if mtp else 0.0, 1.0, largest_replica=max(g, 72),
                                         batches={g: np.array([float(max(1, round(r.concurrency / decode_replicas(r))))])})
        except ParameterError:  # a configuration the model cannot hold has no TTFT to compare
            skipped[r.serving] = skipped.get(r.serving, 0) + 1
            continue
        mine = np.flatnonzero((p.gpus == g) & (p.data_parallel_attention == data_parallel_attention(r)))
        skipped[r.serving] = skipped.get(r.serving, 0) + (not mine.size)
        if mine.size:
            out.append((r.serving, _key(r), r.isl, float(p.ttft[mine[0]]), r.ttft,
                        requests_per_decode_accelerator(r), family))
    cols = list(zip(*out)) if out else [()] * 7
    return FirstTokenRuns(np.array(cols[0], dtype=object), tuple(cols[1]), np.array(cols[2], dtype=float),
                          np.array(cols[3], dtype=float), np.array(cols[4], dtype=float),
                          np.array(cols[5], dtype=float), np.array(cols[6], dtype=object), skipped)


def fit_latency(gpu: np.ndarray, isl: np.ndarray, measured: np.ndarray) -> tuple[float, float]:
    """(L_fixed [s], L_token [s per input token]): least squares of ln((gpu + L_fixed + L_token isl) / measured),
    soft-L1 loss (module docstring)."""
    from scipy.optimize import least_squares  # lazy: scipy costs 0.2 s at import; only calibration needs it

    def residuals(x):
        return np.log((gpu + x[0] + x[1] * isl) / measured)

    found = least_squares(residuals, START, bounds=(LOWER, UPPER), loss="soft_l1", f_scale=LOSS_SCALE,
                          x_scale=(0.1, 1e-5))
    return float(found.x[0]), float(found.x[1])


def leave_one_curve_out(runs: FirstTokenRuns, mode: str) -> np.ndarray:
    """Model / measured - 1 [1] of each queue-free run of serving ``mode``, its latency fitted without its curve."""
    keep = (runs.serving == mode) & (runs.load <= QUEUE_FREE)
    keys = [k for k, m in zip(runs.key, keep) if m]
    gpu, isl, measured = runs.gpu[keep], runs.isl[keep], runs.measured[keep]
    out = np.empty(len(keys))
    for key in sorted(set(keys)):
        mine = np.array([k == key for k in keys])
        fixed, token = fit_latency(gpu[~mine], isl[~mine], measured[~mine])
        out[mine] = (gpu[mine] + fixed + token * isl[mine]) / measured[mine] - 1
    return out
