"""What the serving model needs of a catalog system and a workload: the system at a serving precision, the
KV-cache bytes per element (split from :mod:`tokencalc.studies.throughput`, which re-exports them)."""

from __future__ import annotations

import attrs

from .. import catalog
from ..errors import ParameterError
from ..model import serving as serving_model
from ..model.serving import PRECISIONS

__all__ = ["accelerator"]

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
