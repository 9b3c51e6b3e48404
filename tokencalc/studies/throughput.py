"""Throughput per accelerator for a workload: measured curves first, the serving model elsewhere.

For each serving choice (aggregated or disaggregated prefill/decode; speculative decoding none or MTP) there is a
frontier of throughput against interactivity: the measured curve where the catalog has one (InferenceX), the serving
model (:mod:`tokencalc.model.serving`, efficiencies fitted by ``scripts/gen_calibration.py``) everywhere. ``source``
auto answers from the measured curve where the target lies inside its measured range, else from the model (labelled
model, with its out-of-sample error); nothing extrapolated is called measured. ``best`` serving or speculative
decoding picks, at the target, the choice with the most tokens per accelerator (the cheapest per token) and says
which; where any choice is measured at the target, it ranges over the measured ones only (measured beats modelled).
"""

from __future__ import annotations

from typing import Any, Mapping

import attrs
import numpy as np

from .. import catalog
from ..catalog import LLM, llm
from ..errors import ParameterError
from ..model import serving as serving_model
from ..model.serving import PRECISIONS, Frontier
from ..parameters import WORKLOAD
from ..scenario import resolve_workload
from ..units import Q_, jsonable
from .measured import measured_curve
from .model_notes import (coverage_note as _coverage_note, deployment_note as _deployment_note,
                          later_runs_note as _later_runs_note, model_error_note as _model_error_note,
                          reach_note as _reach_note, unmeasured_kind)
from .checks import MeasuredComparison, MeasuredListing, compare_to_measured, measured
from .serving_inputs import _kv_bytes, accelerator, model_frontier
from .record import Result, envelope

__all__ = ["accelerator", "choices", "model_frontier", "measured_frontier", "frontiers", "estimate",
           "resolve_precision", "ThroughputEstimate", "MeasuredComparison", "compare_to_measured", "ThroughputStudy",
           "study", "MeasuredListing", "measured", "workload_throughput", "reachable_interactivity", "SOURCES",
           "PRECISIONS", "WORKLOAD"]

SOURCES = ("auto", "model", "measured")


def choices(model: LLM, serving: str, spec_decode: str) -> list[tuple[str, str]]:
    """The (serving, spec_decode) pairs ``best`` ranges over, or the one asked for."""
    servings = serving_model.SERVING if serving == "best" else (serving,)
    if spec_decode == "mtp" and not model.mtp_modules:
        raise ParameterError("spec_decode", f"{model.id} has no multi-token prediction module; allowed: none, best")
    specs = (("none", "mtp") if model.mtp_modules else ("none",)) if spec_decode == "best" else (spec_decode,)
    return [(s, d) for s in servings for d in specs]


def measured_frontier(system_id: str, model_id: str, precision: str, isl: int, osl: int, serving: str,
                      spec_decode: str) -> Frontier | None:
    """The measured curve of this workload and serving choice as a frontier, or None."""
    curve = measured_curve(system_id, model_id, precision, isl, osl, serving, spec_decode)
    if curve is None:
        return None
    x, total = np.asarray(curve.interactivity, dtype=float), np.asarray(curve.total_tokens_per_second, dtype=float)
    nan = np.full_like(x, np.nan)
    frameworks = ", ".join(curve.frameworks)
    ttft = np.array([r.ttft for r in curve.rows], dtype=float)  # each point's measured median TTFT
    return Frontier(system_id, model_id, precision, isl, osl, serving, spec_decode, x, total,
                    total * osl / (isl + osl), nan, nan, np.zeros(x.shape, bool), ttft, "measured",
                    f"{curve.source}: {curve.points} runs ({frameworks}), "
                    + (curve.dates[0] if curve.dates[0] == curve.dates[1] else f"{curve.dates[0]} to {curve.dates[1]}"))


@attrs.frozen
class Choice:
    """One serving choice's frontiers: the model's and, where measured, the measured curve."""

    serving: str
    spec_decode: str
    model: Frontier
    measured: Frontier | None


def frontiers(system, model: LLM, precision: str, isl: int, osl: int, serving: str, spec_decode: str,
              max_concurrency: float | None, draft_tokens: float, acceptance: float,
              kv_cache_precision: str, cache_hit_rate: float = 0.0) -> list[Choice]:
    """Each serving choice ``best`` ranges over, with its model and measured frontiers; with a prompt-cache hit
    rate, measured curves (measured without caching) are scaled by the model's gain (model.serving.cache_adjusted)."""
    out = []
    for s, d in choices(model, serving, spec_decode):
        args = (system, model, precision, isl, osl, s, d, max_concurrency, draft_tokens, acceptance, kv_cache_precision)
        front, measured_front = model_frontier(*args, cache_hit_rate), measured_frontier(system.id, model.id, precision,
                                                                                         isl, osl, s, d)
        if cache_hit_rate and measured_front is not None:
            measured_front = serving_model.cache_adjusted(measured_front, model_frontier(*args), front, cache_hit_rate)
        out.append(Choice(s, d, front, measured_front))
    return out


@attrs.frozen
class ThroughputEstimate(Result):
    """Throughput per accelerator at a target, where it came from, and the serving choice made."""

    output_tokens_per_second: Any  # Quantity token/s
    total_tokens_per_second: Any
    input_tokens_per_second: Any
    batch: Any
    source: str  # "measured", "model", or "measured and model" (an array of targets)
    description: str
    interactivity: Any = None  # Quantity token/s: the interactivity actually served
    serving: str = ""
    spec_decode: str = ""
    time_to_first_token: Any = None  # Quantity s (model), or None
    unmeasured: str = ""  # model_notes.unmeasured_kind of the system: which out-of-sample range a model answer has

    @property
    def total_range(self):
        """(low, high) total tokens/s per accelerator: the out-of-sample range of the answer's source (model: of the
        system's kind, catalog.throughput_ranges; measured: of interpolation), the model's where sources mix."""
        model, measured = catalog.throughput_ranges(self.unmeasured)
        band = measured if self.source == "measured" else model
        if band is None:
            return None
        return self.total_tokens_per_second * band[0], self.total_tokens_per_second * band[1]

    def to_dict(self) -> dict[str, Any]:
        band = self.total_range
        return {"interactivity": jsonable(self.interactivity),
                "output_tokens_per_second_per_accelerator": jsonable(self.output_tokens_per_second),
                "input_tokens_per_second_per_accelerator": jsonable(self.input_tokens_per_second),
                "total_tokens_per_second_per_accelerator": jsonable(self.total_tokens_per_second),
                "total_tokens_per_second_range": None if band is None else
                {"low": jsonable(band[0]), "high": jsonable(band[1])},
                "batch": jsonable(self.batch), "source": self.source, "serving": self.serving,
                "spec_decode": self.spec_decode, "time_to_first_token": jsonable(self.time_to_first_token),
                "description": self.description}


def _at_target(choice: Choice, target: np.ndarray, source: str):
    """(total, output, from_measured) at each target for one choice; NaN where unreachable."""
    model_total, model_output = choice.model.total_at(target), choice.model.output_at(target)
    if source == "measured" and choice.measured is None:  # --source measured: a choice not measured answers nothing
        nothing = np.full(np.shape(target), np.nan)
        return nothing, nothing, np.zeros(np.shape(target), bool)
    if source == "model" or choice.measured is None:
        return np.asarray(model_total), np.asarray(model_output), np.zeros(np.shape(target), bool)
    m_total, m_output = np.asarray(choice.measured.total_at(target)), np.asarray(choice.measured.output_at(target))
    use = np.isfinite(m_total)
    if source == "measured":
        return m_total, m_output, use
    return np.where(use, m_total, model_total), np.where(use, m_output, model_output), use


def estimate(system, model_id: str, precision: str | None, isl, osl, interactivity, source: str = "auto",
             max_concurrency: float | None = 1024.0, batch: float = 0.0, serving: str = "best",
             spec_decode: str = "best", draft_tokens: float = 1.0, acceptance: float = 0.875,
             kv_cache_precision: str = "auto", cache_hit_rate: float = 0.0) -> ThroughputEstimate:
    """Throughput per accelerator for a workload at ``interactivity`` [token/s per user] (arrays allowed), or,
    when ``batch`` > 0, with ``batch`` requests in flight per accelerator (the model; interactivity follows)."""
    model = llm(model_id)
    precision = resolve_precision(precision, model, system)
    isl_n, osl_n = int(round(_scalar(isl, "isl"))), int(round(_scalar(osl, "osl")))
    if source not in SOURCES:
        raise ParameterError("throughput_source", f"{source!r} is not allowed; allowed: {', '.join(SOURCES)}")
    options = frontiers(system, model, precision, isl_n, osl_n, serving, spec_decode, max_concurrency, draft_tokens,
                        acceptance, kv_cache_precision, cache_hit_rate)
    if batch and batch > 0:
        return _at_batch(system, model, precision, isl_n, osl_n, options, batch, draft_tokens, acceptance,
                         kv_cache_precision, max_concurrency, cache_hit_rate)
    target = np.asarray(interactivity.m_as("token/s") if hasattr(interactivity, "m_as") else interactivity, float)
    if source == "measured" and not any(c.measured is not None for c in options):
        raise ParameterError("throughput_source", f"no measured curve for {system.id}, {model.id}, {precision}, "
                             f"isl {isl_n}, osl {osl_n}; use --source model or auto ('tokencalc throughput "
                             "--measured' lists the measured data)")
    results = [_at_target(c, target, source) for c in options]
    totals = np.stack([np.where(np.isfinite(t), t, -np.inf) for t, _, _ in results])
    measured_totals = np.stack([np.where(m & np.isfinite(t), t, -np.inf) for t, _, m in results])
    # measured beats modelled: where a choice is measured at the target, best ranges over measured choices only
    any_measured = np.isfinite(np.max(measured_totals, axis=0))
    best = np.where(any_measured, np.argmax(measured_totals, axis=0), np.argmax(totals, axis=0))
    reached = np.isfinite(np.max(totals, axis=0))
    if not np.all(reached):
        top = max(_reach(c, source) for c in options if source != "measured" or c.measured is not None)
        reach = min(c.measured.min_interactivity if source == "measured" else c.model.min_interactivity
                    for c in options if source != "measured" or c.measured is not None)
        allowed = f"{reach:.0f} to {top:.0f} token/s per user" if source == "measured" else (  # slower: at the lowest
            f"up to {top:.0f} token/s per user (reachable: {reach:.3g} to {top:.0f}; slower is served at the lowest)")
        raise ParameterError(
            "interactivity", f"{float(np.max(target[~reached] if np.ndim(target) else target)):g} token/s per user "
            f"is not reachable for {model.id} ({precision}, {isl_n}/{osl_n}) on {system.id} with serving {serving} "
            f"and spec-decode {spec_decode}; allowed: {allowed}")
    pick = lambda k: np.choose(best, [r[k] for r in results])  # noqa: E731
    total, output, measured_here = pick(0), pick(1), pick(2)
    chosen = [options[i] for i in np.unique(best)]
    kind = "measured" if np.all(measured_here) else "model" if not np.any(measured_here) else "measured and model"
    first = chosen[0]
    front = first.measured if kind == "measured" else first.model
    idx = first.model.nearest(target)
    lows_measured = [c.measured.min_interactivity if c.measured is not None else 0.0 for c in options]
    lows_model = [c.model.min_interactivity for c in options]
    lowest = np.where(measured_here, np.choose(best, lows_measured), np.choose(best, lows_model))
    served = np.maximum(target, lowest)  # below a frontier's lowest point, its configuration serves faster
    target_text = f"{np.min(target):g}" if np.ndim(target) == 0 else f"{np.min(target):g}-{np.max(target):g}"
    slower = np.ndim(target) == 0 and float(served) > float(target)  # served at the lowest, faster than asked
    picked = "; ".join(f"{c.serving}, spec-decode {c.spec_decode}" for c in chosen)
    cached = f" ({100 * cache_hit_rate:g} % from the prompt cache)" if cache_hit_rate else ""
    adjusted = ", model-adjusted for prompt caching" if cache_hit_rate and kind != "model" else ""
    description = (f"{kind}{adjusted} for {model.id} {precision}, {isl_n} in{cached} / {osl_n} out, "
                   f"{f'{float(served):.3g}' if slower else target_text} tok/s per user on {system.id} ({picked})" +
                   (f"; the slowest served: a target of {float(target):g} is served faster" if slower else ""))
    if kind != "model" and first.measured is not None:
        description += (f"; measured curve: {first.measured.note}"
                        f"{_later_runs_note(first.measured, float(target) if np.ndim(target) == 0 else None)}")
    if kind != "measured":
        description += f"; {_model_error_note()}{_coverage_note(system, model, isl_n, osl_n, precision)}"
    if front.note and front.source == "model":
        description += f"; {front.note}"
    if np.ndim(target) == 0:
        args = (system.id, model.id, precision, isl_n, osl_n, options[int(best)], float(target))
        description += _steepness(options[int(best)], float(target), source) + (
            _deployment_note(*args) if kind != "model" else _reach_note(*args))
    model_only = kind == "model"
    ttft = (first.model if model_only else first.measured if kind == "measured" else None)
    ttft = None if ttft is None else Q_(float(ttft.ttft[ttft.nearest(target)]), "s")
    return ThroughputEstimate(
        output_tokens_per_second=Q_(output, "token/s"), total_tokens_per_second=Q_(total, "token/s"),
        input_tokens_per_second=Q_(total - output, "token/s"),
        batch=float(first.model.batch[idx]) if model_only else None, source=kind, description=description,
        interactivity=Q_(served if np.ndim(served) else float(served), "token/s"), serving=first.serving,
        spec_decode=first.spec_decode, time_to_first_token=ttft, unmeasured=unmeasured_kind(system))


def _at_batch(system, model, precision, isl, osl, options, batch, draft_tokens, acceptance, kv_cache_precision,
              max_concurrency, cache_hit_rate=0.0) -> ThroughputEstimate:
    """The model's best operating point with ``batch`` requests in flight per accelerator."""
    best = None
    for c in options:
        mtp = c.spec_decode == "mtp"
        hw = accelerator(system, precision)
        sizes = serving_model.replica_sizes(hw.scale_up_domain, 1)
        try:
            p = serving_model.operating_points(hw, model, precision, isl, osl, c.serving,
                                               int(draft_tokens) if mtp else 0, acceptance if mtp else 0.0,
                                               _kv_bytes(kv_cache_precision, precision),
                                               concurrency_per_engine=max_concurrency,
                                               batches={g: [round(batch * g)] for g in sizes},
                                               cache_hit_rate=cache_hit_rate,
                                               first_token_latency=catalog.first_token_latency(c.serving))
        except ParameterError as exc:
            if exc.parameter != "model":
                raise
            continue
        if len(p) and (best is None or p.total.max() > best[1].total.max()):
            best = (c, p)
    if best is None:
        if max_concurrency is not None and batch > max_concurrency:
            raise ParameterError("batch", f"{batch:,g} requests per accelerator exceed max_concurrency, "
                                 f"{max_concurrency:,g} per engine (with data-parallel attention an engine is one "
                                 f"accelerator); allowed: up to {max_concurrency:,g} (or raise --max-concurrency)")
        raise ParameterError("batch", f"{batch:g} requests per accelerator do not fit {system.id}'s memory for "
                             f"{model.id} ({precision}, {isl}/{osl})")
    c, p = best
    i = int(np.argmax(p.total))
    description = (f"model for {model.id} {precision}, {isl} in / {osl} out, batch {batch:g} per accelerator "
                   f"({p.batch[i]:g} per {p.gpus[i]:g}-accelerator replica) -> {p.interactivity[i]:.0f} tok/s per "
                   f"user on {system.id} ({c.serving}, spec-decode {c.spec_decode}); {_model_error_note()}"
                   f"{_coverage_note(system, model, isl, osl, precision)}")
    return ThroughputEstimate(Q_(p.output[i], "token/s"), Q_(p.total[i], "token/s"),
                              Q_(p.total[i] - p.output[i], "token/s"), float(p.batch[i]), "model", description,
                              Q_(float(p.interactivity[i]), "token/s"), c.serving, c.spec_decode,
                              Q_(float(p.ttft[i]), "s"), unmeasured_kind(system))


def _steepness(choice: Choice, target: float, source: str) -> str:
    """A warning where throughput moves by more than 25 % within 5 % of the target interactivity."""
    xs = (0.95 * target, target, 1.05 * target)
    low, mid, high = (float(np.asarray(_at_target(choice, np.asarray(x), source)[0])) for x in xs)
    ends = [(v, x) for v, x in ((low, xs[0]), (high, xs[2])) if np.isfinite(v)]
    if not (np.isfinite(mid) and mid > 0 and ends) or max(abs(v / mid - 1) for v, _ in ends) <= 0.25:
        return ""
    shown = ", ".join(f"{v:,.0f} at {x:.3g}" for v, x in ends)
    return f"; steep here: {shown} tok/s per user (within 5 % of the target)"


def _reach(choice: Choice, source: str) -> float:
    """The highest interactivity a choice answers for [token/s per user] under ``source``."""
    measured = choice.measured.max_interactivity if choice.measured is not None else 0.0
    if source == "measured":
        return measured
    return choice.model.max_interactivity if source == "model" else max(choice.model.max_interactivity, measured)


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


def _single(quantity, name: str) -> float:
    if np.ndim(value := np.asarray(quantity.m_as(""))):
        raise ParameterError(name, "must be a single number (one serving configuration at a time)")
    return float(value)


def workload_throughput(workload: Mapping[str, Any], system) -> ThroughputEstimate:
    """Throughput per accelerator of a validated workload (the scenario's throughput estimator)."""
    return estimate(
        system, workload["model"], None if workload["precision"] == "auto" else workload["precision"],
        workload["isl"], workload["osl"], workload["interactivity"], workload["throughput_source"],
        max_concurrency=_single(workload["max_concurrency"], "max_concurrency"),
        batch=_single(workload["batch"], "batch"), serving=workload["serving"], spec_decode=workload["spec_decode"],
        draft_tokens=_single(workload["mtp_draft_tokens"], "mtp_draft_tokens"),
        acceptance=_single(workload["mtp_acceptance"], "mtp_acceptance"),
        kv_cache_precision=workload["kv_cache_precision"],
        cache_hit_rate=_single(workload["cache_hit_rate"], "cache_hit_rate"),
    )


def _frontier_dict(front: Frontier, per_mw: float | None) -> dict[str, Any]:
    points = []
    for i in range(len(front.interactivity)):
        point = {
            "interactivity": {"value": float(front.interactivity[i]), "unit": "token/s"},
            "output_tokens_per_second_per_accelerator": {"value": float(front.output[i]), "unit": "token/s"},
            "total_tokens_per_second_per_accelerator": {"value": float(front.total[i]), "unit": "token/s"},
        }
        if front.source == "model":
            point.update({"batch": int(front.batch[i]), "accelerators_per_replica": int(front.gpus[i]),
                          "data_parallel_attention": bool(front.data_parallel_attention[i]),
                          "time_to_first_token": {"value": float(front.ttft[i]), "unit": "s"}})
        if per_mw is not None:
            point["total_tokens_per_second_per_it_megawatt"] = {"value": float(front.total[i] * per_mw),
                                                               "unit": "token/s/MW"}
        points.append(point)
    return {"serving": front.serving, "spec_decode": front.spec_decode, "source": front.source,
            "note": front.note, "points": points}


@attrs.frozen
class ThroughputStudy(Result):
    """What ``tokencalc throughput`` shows: each serving choice's frontiers, measured points, the target."""

    _RENDERER = ("throughput", "frontier_renderable")

    system: Any
    model: LLM
    workload: Mapping[str, Any]
    choices: tuple[Choice, ...]
    measured: tuple[MeasuredComparison, ...]
    target: ThroughputEstimate
    it_power_per_accelerator: Any  # Quantity W, or None

    @property
    def max_interactivity(self) -> float:
        """The highest interactivity any serving choice reaches [token/s per user], measured or modelled."""
        return max(_reach(c, self.workload["throughput_source"]) for c in self.choices)

    @property
    def per_it_megawatt(self) -> float | None:
        """Accelerators per MW of IT power, or None where the catalog has no power figure."""
        if self.it_power_per_accelerator is None:
            return None
        return 1e6 / self.it_power_per_accelerator.m_as("W")

    def to_dict(self) -> dict[str, Any]:
        w = self.workload
        fronts = []
        for c in self.choices:
            fronts.append(_frontier_dict(c.model, self.per_it_megawatt))
            if c.measured is not None:
                fronts.append(_frontier_dict(c.measured, self.per_it_megawatt))
        chosen = next(c for c in self.choices
                      if (c.serving, c.spec_decode) == (self.target.serving, self.target.spec_decode))
        return envelope({
            "accelerator": self.system.id, "model": self.model.id, "precision": w["precision"],
            "isl": int(w["isl"].m_as("token")), "osl": int(w["osl"].m_as("token")),
            "max_concurrency": float(w["max_concurrency"].m_as("")), "serving": w["serving"],
            "spec_decode": w["spec_decode"], "source": self.target.source,
            "target": self.target.to_dict(),
            "frontier": _frontier_dict(chosen.model, self.per_it_megawatt)["points"],  # the model's, of the choice made
            "frontiers": fronts, "measured": [c.to_dict() for c in self.measured],
        })


def reachable_interactivity(overrides: Mapping[str, Any] | None = None) -> float:
    """The highest interactivity any serving choice reaches for a workload [token/s per user]."""
    w = resolve_workload(overrides)
    system, model = catalog.accelerator(w["accelerator"]), llm(w["model"])
    precision = resolve_precision(w["precision"], model, system)
    single = {k: _single(w[k], k) for k in ("max_concurrency", "mtp_draft_tokens", "mtp_acceptance")}
    options = frontiers(system, model, precision, int(round(_scalar(w["isl"], "isl"))),
                        int(round(_scalar(w["osl"], "osl"))), w["serving"], w["spec_decode"], *single.values(),
                        w["kv_cache_precision"], _single(w["cache_hit_rate"], "cache_hit_rate"))
    return max(_reach(c, w["throughput_source"]) for c in options)


def study(overrides: Mapping[str, Any] | None = None) -> ThroughputStudy:
    """The frontiers of a system for a workload (defaults < overrides), measured points and the target."""
    w = resolve_workload(overrides)
    system, model = catalog.accelerator(w["accelerator"]), llm(w["model"])
    precision = resolve_precision(w["precision"], model, system)
    isl, osl = int(round(_scalar(w["isl"], "isl"))), int(round(_scalar(w["osl"], "osl")))
    cap, draft, acceptance = (_single(w[k], k) for k in ("max_concurrency", "mtp_draft_tokens", "mtp_acceptance"))
    hit = _single(w["cache_hit_rate"], "cache_hit_rate")
    options = frontiers(system, model, precision, isl, osl, w["serving"], w["spec_decode"], cap, draft, acceptance,
                        w["kv_cache_precision"], hit)
    target = estimate(system, w["model"], precision, isl, osl, w["interactivity"], w["throughput_source"], cap,
                      _single(w["batch"], "batch"), w["serving"], w["spec_decode"], draft, acceptance,
                      w["kv_cache_precision"], hit)
    points = tuple(compare_to_measured(p) for p in catalog.measured_points()
                   if (p.system, p.model, p.precision, p.isl, p.osl) == (system.id, model.id, precision, isl, osl))
    return ThroughputStudy(system, model, {**w, "precision": precision}, tuple(options), points, target,
                           system.it_power_per_accelerator)
