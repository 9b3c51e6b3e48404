"""Throughput per accelerator for a workload: measured points first, the roofline where none exist.

Builds the roofline's :class:`~tokencalc.model.roofline.Hardware` from a catalog system,
anchors the model frontier to measured points of the same workload (``source`` auto or
measured), and answers at a target interactivity or batch. ``tokencalc throughput`` shows
:func:`study`.
"""

from __future__ import annotations

import functools
from typing import Any, Mapping

import attrs
import numpy as np

from .. import catalog
from ..catalog import LLM, MeasuredPoint, llm
from ..errors import ParameterError
from ..model import roofline
from ..model.roofline import PRECISIONS, Frontier
from ..parameters import WORKLOAD
from ..scenario import resolve_workload
from ..units import Q_, jsonable
from .record import envelope

__all__ = ["hardware", "model_frontier", "point_at_batch", "matching_points", "anchored", "frontier", "estimate",
           "resolve_precision", "ThroughputEstimate", "MeasuredComparison", "compare_to_measured", "ThroughputStudy",
           "study", "MeasuredListing", "measured", "workload_throughput", "SOURCES", "PRECISIONS", "WORKLOAD"]

SOURCES = ("auto", "model", "measured")
_PEAKS = {"fp16": "dense_bf16", "fp8": "dense_fp8", "fp4": "dense_fp4"}


def hardware(system, precision: str) -> roofline.Hardware:
    """What the roofline needs of a catalog system serving at ``precision``."""
    if precision not in PRECISIONS:
        raise ParameterError("precision", f"{precision!r} is not allowed; allowed: {', '.join(PRECISIONS)}")
    missing = [n for n in ("hbm_capacity", "hbm_bandwidth", "scale_up_bandwidth") if system.figure(n) is None]
    if missing:
        raise ParameterError("accelerator", f"the catalog has no {', '.join(missing)} for {system.id}")
    eff = catalog.efficiency(system.vendor)
    fig, note = system.figure(_PEAKS[precision]), ""
    if fig is None and precision == "fp4":
        fig, note = system.figure("dense_fp8"), f"{system.id} has no FP4 tensor cores: FP4 weights, FP8 compute"
    if fig is None:
        raise ParameterError("precision", f"the catalog has no {precision} compute figure for {system.id}")
    e_memory, e_compute = eff["memory"], eff["compute"][precision]
    if note:  # FP4 weights without FP4 tensor cores: dequantizing kernels
        e_memory, e_compute = e_memory * eff["fp4_weight_only"], e_compute * eff["fp4_weight_only"]
    return roofline.Hardware(
        id=system.id, hbm_capacity=system.figure("hbm_capacity").value.m_as("B"),
        hbm_bandwidth=system.figure("hbm_bandwidth").value.m_as("B/s"),
        scale_up_bandwidth=system.figure("scale_up_bandwidth").value.m_as("B/s"), peak=fig.value.m_as("FLOP/s"),
        scale_up_domain=system.scale_up_domain, memory_efficiency=e_memory, compute_efficiency=e_compute,
        prefill_efficiency=eff["prefill"][precision], usable_memory=eff["usable_memory"],
        layer_overhead_us=eff["layer_overhead_us"], collective_latency_us=eff["collective_latency_us"],
        network_efficiency=eff["network"], note=note,
    )


def model_frontier(system, model: LLM, precision: str, isl: int, osl: int,
                   max_concurrency: float | None = None, server_concurrency: int | None = None) -> Frontier:
    """The roofline frontier of a catalog system (see :func:`tokencalc.model.roofline.model_frontier`)."""
    if precision not in PRECISIONS:
        raise ParameterError("precision", f"{precision!r} is not allowed; allowed: {', '.join(PRECISIONS)}")
    return roofline.model_frontier(hardware(system, precision), model, precision, isl, osl, max_concurrency,
                                   server_concurrency)


def point_at_batch(system, model: LLM, precision: str, isl: int, osl: int, batch_per_accelerator: float):
    """The best operating point at ``batch_per_accelerator`` requests per accelerator (see the model)."""
    return roofline.point_at_batch(hardware(system, precision), model, precision, isl, osl, batch_per_accelerator)


def matching_points(system_id: str, model_id: str, precision: str, isl: int, osl: int) -> list[MeasuredPoint]:
    """Measured points of this workload (system, model, precision and sequence lengths)."""
    return [
        p for p in catalog.measured_points()
        if (p.system, p.model, p.precision, p.isl, p.osl) == (system_id, model_id, precision, isl, osl)
    ]


def anchored(front: Frontier, points: list[MeasuredPoint]) -> Frontier:
    """The model frontier scaled to pass through measured points.

    Each point gives a scale, measured / model under the point's own conditions (its
    concurrency cap; offline points: the model's maximum), at its interactivity (offline: 0).
    """
    anchors = [(0.0 if p.interactivity is None else p.interactivity,
                p.output / compare_to_measured(p).model_output_tokens_per_second) for p in points]
    sources = ", ".join(sorted({p.source for p in points}))
    return roofline.anchored(front, anchors, f"model frontier anchored to {len(points)} measured point(s) ({sources})")


def frontier(system, model: LLM, precision: str, isl: int, osl: int, source: str = "auto",
             max_concurrency: float | None = None) -> Frontier:
    """The frontier from ``source``: "model", "measured" (anchored; needs a matching point) or "auto".

    Frontiers are immutable and cached per (system, model, precision, isl, osl, source, cap), so a
    Python loop over the scalar API does not recompute them.
    """
    return _frontier(system.id if catalog.accelerators().get(system.id) is system else system, model, precision,
                     isl, osl, source, max_concurrency)


@functools.lru_cache(maxsize=256)
def _frontier(system, model: LLM, precision: str, isl: int, osl: int, source: str,
              max_concurrency: float | None) -> Frontier:
    if isinstance(system, str):
        system = catalog.accelerator(system)
    if source not in SOURCES:
        raise ParameterError("throughput_source", f"{source!r} is not allowed; allowed: {', '.join(SOURCES)}")
    front = model_frontier(system, model, precision, isl, osl, max_concurrency)
    if source == "model":
        return front
    points = matching_points(system.id, model.id, precision, isl, osl)
    if points:
        return anchored(front, points)
    if source == "measured":
        raise ParameterError(
            "throughput_source",
            f"no measured point for {system.id}, {model.id}, {precision}, isl {isl}, osl {osl}; "
            "use --source model or auto ('tokencalc throughput --measured' lists the points)",
        )
    return front


@attrs.frozen
class ThroughputEstimate:
    """Throughput per accelerator at a target interactivity, with where it came from."""

    output_tokens_per_second: Any  # Quantity token/s
    total_tokens_per_second: Any
    input_tokens_per_second: Any
    batch: Any
    source: str
    description: str

    def to_dict(self) -> dict[str, Any]:
        return {"output_tokens_per_second_per_accelerator": jsonable(self.output_tokens_per_second),
                "input_tokens_per_second_per_accelerator": jsonable(self.input_tokens_per_second),
                "total_tokens_per_second_per_accelerator": jsonable(self.total_tokens_per_second),
                "batch": jsonable(self.batch), "source": self.source, "description": self.description}


def _kind(front: Frontier) -> str:
    return f"{front.source} ({'anchored roofline' if front.source == 'measured' else 'roofline model'})"


def estimate(system, model_id: str, precision: str | None, isl, osl, interactivity, source: str = "auto",
             max_concurrency: float | None = None, batch: float = 0.0) -> ThroughputEstimate:
    """Throughput per accelerator for a workload at ``interactivity`` (token/s per user; arrays allowed),
    or, when ``batch`` > 0, with ``batch`` requests in flight per accelerator (interactivity follows)."""
    model = llm(model_id)
    precision = resolve_precision(precision, model, system)
    isl_n, osl_n = int(round(_scalar(isl, "isl"))), int(round(_scalar(osl, "osl")))
    front = frontier(system, model, precision, isl_n, osl_n, source, max_concurrency)
    note = f"; {front.note}" if front.note else ""
    if batch and batch > 0:
        target, model_out, per_replica, g = point_at_batch(system, model, precision, isl_n, osl_n, batch)
        pure = front if front.source == "model" else model_frontier(system, model, precision, isl_n, osl_n,
                                                                    max_concurrency)
        scale = float(front.output_at(min(target, front.max_interactivity))
                      / pure.output_at(min(target, pure.max_interactivity)))
        output = np.asarray(model_out * scale)
        total = output * (isl_n + osl_n) / osl_n
        description = (f"{_kind(front)} for {model.id} {precision}, {isl_n} in / {osl_n} out, batch {batch:g} per "
                       f"accelerator ({per_replica:g} per {g}-accelerator replica) -> {target:.0f} tok/s per user on "
                       f"{system.id}")
        return ThroughputEstimate(Q_(output, "token/s"), Q_(total, "token/s"), Q_(total - output, "token/s"),
                                  per_replica, front.source, description + note)
    target = interactivity.m_as("token/s") if hasattr(interactivity, "m_as") else interactivity
    output = front.output_at(target)
    total = output * (isl_n + osl_n) / osl_n
    target_text = f"{np.min(target):g}" if np.ndim(target) == 0 else f"{np.min(target):g}-{np.max(target):g}"
    description = (f"{_kind(front)} for {model.id} {precision}, {isl_n} in / {osl_n} out, {target_text} tok/s per "
                   f"user on {system.id}")
    return ThroughputEstimate(
        output_tokens_per_second=Q_(output, "token/s"),
        total_tokens_per_second=Q_(total, "token/s"),
        input_tokens_per_second=Q_(total - output, "token/s"),
        batch=front.batch_at(target),
        source=front.source,
        description=description + note,
    )


def resolve_precision(precision: str | None, model: LLM, system) -> str:
    """'auto' (or None): the model's usual precision; 'best': fp4 where the system has FP4 tensor cores, else fp8."""
    if precision in (None, "auto"):
        return model.default_precision
    if precision == "best":
        return "fp4" if system.figure("dense_fp4") is not None else "fp8"
    return precision


def _scalar(value, name: str) -> float:
    magnitude = value.m_as("token") if hasattr(value, "m_as") else value
    if np.ndim(magnitude):
        raise ParameterError(name, "must be a single number (arrays are not supported for sequence lengths)")
    return float(magnitude)


def workload_throughput(workload: Mapping[str, Any], system) -> ThroughputEstimate:
    """Throughput per accelerator of a validated workload (the scenario's throughput estimator)."""
    batch = np.asarray(workload["batch"].m_as(""))
    if batch.ndim:
        raise ParameterError("batch", "must be a single number (one serving configuration at a time)")
    return estimate(
        system,
        workload["model"],
        None if workload["precision"] == "auto" else workload["precision"],
        workload["isl"],
        workload["osl"],
        workload["interactivity"],
        workload["throughput_source"],
        max_concurrency=float(np.min(workload["max_concurrency"].m_as(""))),
        batch=float(batch),
    )


@attrs.frozen
class MeasuredComparison:
    """A measured point and the pure model's value at its conditions."""

    point: MeasuredPoint
    model_output_tokens_per_second: float

    @property
    def error(self) -> float:
        """Model / measured - 1 (output tokens/s per accelerator)."""
        return self.model_output_tokens_per_second / self.point.output - 1

    def to_dict(self) -> dict[str, Any]:
        p = self.point
        return {
            "system": p.system, "model": p.model, "precision": p.precision, "isl": p.isl, "osl": p.osl,
            "interactivity": None if p.interactivity is None else {"value": p.interactivity, "unit": "token/s"},
            "max_concurrency": p.max_concurrency,
            "output_tokens_per_second_per_accelerator": {"value": p.output, "unit": "token/s"},
            "total_tokens_per_second_per_accelerator": {"value": p.total, "unit": "token/s"},
            "model_output_tokens_per_second_per_accelerator": {"value": self.model_output_tokens_per_second,
                                                               "unit": "token/s"},
            "model_error": self.error,
            "stack": p.stack, "source": p.source, "date": p.date, "note": p.note,
        }


def compare_to_measured(point: MeasuredPoint) -> MeasuredComparison:
    """The pure model's value at a measured point's conditions."""
    front = model_frontier(catalog.accelerator(point.system), llm(point.model), point.precision, point.isl,
                           point.osl, server_concurrency=point.max_concurrency)
    if point.interactivity is None:
        value = float(front.output_tokens_per_second.max())
    else:
        value = float(front.output_at(min(point.interactivity, front.max_interactivity)))
    return MeasuredComparison(point, value)


@attrs.frozen
class MeasuredListing:
    """Every measured point of the catalog with the model's value there."""

    comparisons: tuple[MeasuredComparison, ...]

    def to_dict(self) -> dict[str, Any]:
        return envelope({"measured": [c.to_dict() for c in self.comparisons]}, version=False)


def measured() -> MeasuredListing:
    """Every measured point, compared with the roofline model."""
    return MeasuredListing(tuple(compare_to_measured(p) for p in catalog.measured_points()))


@attrs.frozen
class ThroughputStudy:
    """What ``tokencalc throughput`` shows: the frontier, the model's, and measured points."""

    system: Any
    model: LLM
    workload: Mapping[str, Any]
    frontier: Frontier
    model_frontier: Frontier
    measured: tuple[MeasuredComparison, ...]
    target: ThroughputEstimate | None
    it_power_per_accelerator: Any  # Quantity W, or None

    @property
    def per_it_megawatt(self) -> float | None:
        """Accelerators per MW of IT power, or None where the catalog has no power figure."""
        if self.it_power_per_accelerator is None:
            return None
        return 1e6 / self.it_power_per_accelerator.m_as("W")

    def to_dict(self) -> dict[str, Any]:
        front, w, per_mw = self.frontier, self.workload, self.per_it_megawatt
        points = []
        for i in range(len(front.interactivity)):
            point = {
                "interactivity": {"value": float(front.interactivity[i]), "unit": "token/s"},
                "output_tokens_per_second_per_accelerator": {"value": float(front.output_tokens_per_second[i]),
                                                             "unit": "token/s"},
                "total_tokens_per_second_per_accelerator": {"value": float(front.total_tokens_per_second[i]),
                                                            "unit": "token/s"},
                "batch": int(front.batch[i]),
                "accelerators_per_replica": int(front.parallel[i]),
            }
            if per_mw is not None:
                point["total_tokens_per_second_per_it_megawatt"] = {
                    "value": float(front.total_tokens_per_second[i] * per_mw), "unit": "token/s/MW"}
            points.append(point)
        target = None
        if self.target is not None:
            t = self.target
            target = {
                "interactivity": jsonable(w["interactivity"]),
                "output_tokens_per_second_per_accelerator": jsonable(t.output_tokens_per_second),
                "input_tokens_per_second_per_accelerator": jsonable(t.input_tokens_per_second),
                "total_tokens_per_second_per_accelerator": jsonable(t.total_tokens_per_second),
                "batch": float(t.batch),
                "source": t.source,
            }
        return envelope({
            "accelerator": self.system.id,
            "model": self.model.id,
            "precision": w["precision"],
            "isl": int(w["isl"].m_as("token")),
            "osl": int(w["osl"].m_as("token")),
            "max_concurrency": float(w["max_concurrency"].m_as("")),
            "source": front.source,
            "note": front.note,
            "target": target,
            "frontier": points,
            "measured": [c.to_dict() for c in self.measured],
        })


def study(overrides: Mapping[str, Any] | None = None) -> ThroughputStudy:
    """Frontier of a system for a workload (defaults < overrides), with measured points and the target."""
    w = resolve_workload(overrides)
    system = catalog.accelerator(w["accelerator"])
    model = llm(w["model"])
    precision = resolve_precision(w["precision"], model, system)
    isl, osl = int(round(_scalar(w["isl"], "isl"))), int(round(_scalar(w["osl"], "osl")))
    cap = float(w["max_concurrency"].m_as(""))
    front = frontier(system, model, precision, isl, osl, w["throughput_source"], cap)
    pure = front if front.source == "model" else model_frontier(system, model, precision, isl, osl, cap)
    target = None
    batch = float(w["batch"].m_as(""))
    if batch > 0 or w["interactivity"].m_as("token/s") <= front.max_interactivity:
        target = estimate(system, model.id if not w["model"].endswith(".toml") else w["model"], precision, isl, osl,
                          w["interactivity"], w["throughput_source"], cap, batch)
    points = tuple(compare_to_measured(p) for p in matching_points(system.id, model.id, precision, isl, osl))
    return ThroughputStudy(system, model, {**w, "precision": precision}, front, pure, points, target,
                           system.it_power_per_accelerator)
