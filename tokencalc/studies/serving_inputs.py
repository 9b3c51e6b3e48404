"""What the serving model needs of a catalog system and a workload: the system at a serving precision, the
KV-cache bytes per element, and the model's frontier for a catalog system, cached (split from
:mod:`tokencalc.studies.throughput`, which re-exports them)."""

from __future__ import annotations

import functools

import attrs
import numpy as np

from .. import catalog
from ..catalog import LLM
from ..errors import ParameterError
from ..model import serving as serving_model
from ..model.serving import PRECISIONS, Frontier

__all__ = ["accelerator", "model_frontier"]

_PEAKS = {"fp16": "dense_bf16", "fp8": "dense_fp8", "fp4": "dense_fp4"}
_KV_BYTES = {"fp16": 2.0, "fp8": 1.0}


def accelerator(system, precision: str) -> serving_model.Accelerator:
    """What the serving model needs of a catalog system serving at ``precision``."""
    if precision not in PRECISIONS:
        raise ParameterError("precision", f"{precision!r} is not allowed; allowed: {', '.join(PRECISIONS)}")
    missing = [n for n in ("hbm_capacity", "hbm_bandwidth", "scale_up_bandwidth", "scale_out_bandwidth")
               if system.figure(n) is None]
    if missing:
        raise ParameterError("accelerator", f"the catalog has no {', '.join(missing)} for {system.id}")
    fig, note = system.figure(_PEAKS[precision]), ""
    if fig is None and precision == "fp4":  # weight-only FP4 kernels (Marlin, Triton MXFP4) compute in BF16
        fig = system.figure("dense_bf16") or system.figure("dense_fp8")
        note = f"{system.id} has no FP4 tensor cores: FP4 weights dequantized in the kernels, BF16 compute"
    if fig is None:
        raise ParameterError("precision", f"the catalog has no {precision} compute figure for {system.id}")
    attention = system.figure("dense_fp8") or fig
    eff = catalog.efficiency(system.serving_family)
    return serving_model.Accelerator(
        id=system.id, hbm_capacity=system.figure("hbm_capacity").value.m_as("B"),
        hbm_bandwidth=system.figure("hbm_bandwidth").value.m_as("B/s"),
        scale_up_bandwidth=system.figure("scale_up_bandwidth").value.m_as("B/s"),
        scale_out_bandwidth=system.figure("scale_out_bandwidth").value.m_as("B/s"),
        peak=fig.value.m_as("FLOP/s"), attention_peak=min(attention.value.m_as("FLOP/s"), fig.value.m_as("FLOP/s")),
        scale_up_domain=system.scale_up_domain,
        efficiency=serving_model.Efficiency(**{k: float(eff[k]) for k in attrs.fields_dict(serving_model.Efficiency)
                                               if k in eff}),
        note=note,
    )


def _kv_bytes(kv_cache_precision: str, precision: str) -> float:
    if kv_cache_precision == "auto":
        return _KV_BYTES["fp16" if precision == "fp16" else "fp8"]
    return _KV_BYTES[kv_cache_precision]


def model_frontier(system, model: LLM, precision: str, isl: int, osl: int, serving: str = "aggregated",
                   spec_decode: str = "none", max_concurrency: float | None = None, draft_tokens: float = 1.0,
                   acceptance: float = 0.875, kv_cache_precision: str = "auto",
                   cache_hit_rate: float = 0.0, replica_concurrency: float | None = None,
                   accelerator_concurrency: float | None = None) -> Frontier:
    """The serving model's frontier for a catalog system and one serving choice (cached), with a share
    ``cache_hit_rate`` of the input served from a prompt cache; ``max_concurrency`` caps the requests per
    engine, ``replica_concurrency`` those per replica, ``accelerator_concurrency`` those per accelerator."""
    args = (model, precision, int(isl), int(osl), serving, spec_decode, max_concurrency, float(draft_tokens),
            float(acceptance), kv_cache_precision, float(cache_hit_rate), replica_concurrency,
            accelerator_concurrency)  # a catalog system is cached by id (no object is hashed)
    return _model_frontier(system.id, *args) if catalog.accelerators().get(system.id) is system else \
        _frontier(system, *args)


@functools.lru_cache(maxsize=512)
def _model_frontier(system_id: str, *args) -> Frontier:
    front = _frontier(catalog.accelerator(system_id), *args)
    [v.setflags(write=False) for v in attrs.astuple(front, recurse=False) if isinstance(v, np.ndarray)]  # shared
    return front


def _frontier(system, model, precision, isl, osl, serving, spec_decode, max_concurrency, draft_tokens,
              acceptance, kv_cache_precision, cache_hit_rate=0.0, replica_concurrency=None,
              accelerator_concurrency=None) -> Frontier:
    mtp = spec_decode == "mtp"
    return serving_model.model_frontier(accelerator(system, precision), model, precision, isl, osl, serving,
                                        int(draft_tokens) if mtp else 0, acceptance if mtp else 0.0,
                                        _kv_bytes(kv_cache_precision, precision), max_concurrency,
                                        cache_hit_rate=cache_hit_rate, replica_concurrency=replica_concurrency,
                                        accelerator_concurrency=accelerator_concurrency,
                                        first_token_latency=catalog.first_token_latency(serving))
