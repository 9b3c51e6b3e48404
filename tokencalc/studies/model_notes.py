"""Notes that model answers carry: the model's out-of-sample error, and where an answer lies outside the
data the model was fitted on (a system or a workload no measured curve covers)."""

from __future__ import annotations

import functools

import numpy as np

from .. import catalog
from .checks import compare_to_measured
from .measured import measured_curve, measured_curves

__all__ = ["model_error_note", "coverage_note", "deployment_note", "reach_note", "unmeasured_kind",
           "later_runs_note"]


def model_error_note() -> str:
    """The model's out-of-sample error as every model answer quotes it (efficiency.toml: at the default
    concurrency where the file has it)."""
    cal = catalog.calibration()
    kind = catalog.model_error_kind(cal)
    return (f"model out-of-sample error (leave one measured curve out): median {100 * cal[kind + '_median']:.0f} %, "
            f"90th percentile {100 * cal[kind + '_p90']:.0f} %")


def coverage_note(system, model, isl: int, osl: int, precision: str) -> str:
    """Where the model answers outside its calibration data: a model, a system or a workload (isl/osl) no
    measured curve covers (a system's family figures answer for it)."""
    every = measured_curves().values()
    curves = [c for c in every if c.model == model.id]
    if not curves:
        fitted = sorted({c.model for c in every})
        return f"; no measured curve of {model.id}: the efficiencies are fitted on {', '.join(fitted)}"
    family = system.serving_family
    notes = []
    if not any(c.system == system.id for c in curves):
        fitted = sorted({c.system for c in curves if catalog.accelerator(c.system).serving_family == family})
        notes.append(f"{system.id} has no measured curve in tokencalc's data: the figures of its family ({family}) are "
                     f"fitted on {', '.join(fitted) or 'no measured system'}" + _unmeasured_error(system, fitted))
        notes.append(_held_out_text(system.id, model.id, precision))
    elif (own := catalog.system_model_error(system.id)) is not None:
        notes.append(f"on {system.id}'s own measured curves: median {100 * own['median']:.0f} %, 90th percentile "
                     f"{100 * own['p90']:.0f} %")
    workloads = sorted({(c.isl, c.osl) for c in curves})
    if (isl, osl) not in workloads:
        notes.append(f"no measured curve at {isl}/{osl} (measured: {', '.join(f'{i}/{o}' for i, o in workloads)})")
    return "".join(f"; {n}" for n in notes if n)


@functools.lru_cache(maxsize=64)
def _held_out_text(system_id: str, model_id: str, precision: str) -> str:
    """The measured runs of a system without curves, held out of the fit, that match the answer's model and
    precision: their setup and the model's error at their configurations and as its frontier ("" if none)."""
    checks = [c for c in (compare_to_measured(p) for p in catalog.measured_points()
                          if (p.system, p.model, p.precision) == (system_id, model_id, precision)
                          and p.replica is not None) if c.configuration_error is not None]
    if not checks:
        return ""
    at = [abs(c.configuration_error) for c in checks]
    front = [abs(c.error) for c in checks if np.isfinite(c.error)]
    speed = sorted(c.point.interactivity for c in checks)
    requests = sorted(c.point.max_concurrency for c in checks)
    servers = " or ".join(f"{g:g}" for g in sorted({c.point.replica for c in checks}))
    frontier = f", its frontier {100 * float(np.median(front)):.0f} % off at the median" if front else ""
    pages = sum(c.point.from_page for c in checks)  # a results page's values: not runs, their configuration assumed
    what = f"{len(checks) - pages} {precision.upper()} runs" + (
        f" and {pages} values of a results page (configuration assumed)" if pages else "")
    return (f"{what} on {system_id} held out of the fit (one server of "
            f"{servers} accelerators, aggregated, no speculative decoding, {requests[0]}-{requests[-1]} requests, "
            f"{speed[0]:.0f}-{speed[-1]:.0f} tok/s per user; docs/validation.md): the model at their configurations "
            f"{100 * float(np.median(at)):.0f} % off at the median ({100 * max(at):.0f} % at most){frontier}")


def unmeasured_kind(system) -> str:
    """How far the fit is from a system: "" measured; "generation": not measured, but its family has measured a
    system of its generation (H200 beside H100); "carried": its family's figures come from another generation (an
    announced part, Rubin on Blackwell's). The kind of out-of-sample range its model answers carry."""
    measured = list(catalog.unmeasured_system_error().get("system", {}))
    if not measured or system.id in measured:
        return ""
    family = [catalog.accelerator(s) for s in measured if catalog.accelerator(s).serving_family == system.serving_family]
    return "generation" if system.generation in {s.generation for s in family} else "carried"


def _unmeasured_error(system, fitted) -> str:
    """The error the model makes on a system its fit never saw (efficiency.toml [loso], each measured system left
    out in turn): of a generation its family has measured, the error within a family; of another generation
    (an announced part on its predecessor's figures), the error of figures carried across a generation."""
    loso = catalog.unmeasured_system_error()
    if not loso:
        return ""
    within = [s for s, v in loso.get("system", {}).items() if not v.get("borrowed")]
    if unmeasured_kind(system) == "generation":
        return (f"; on a system its family's fit never saw (each of {', '.join(within)} left out in turn): median "
                f"{100 * loso['default_median']:.0f} %, 90th percentile {100 * loso['default_p90']:.0f} %")
    moved = [v["ratio_median"] for v in loso.get("system", {}).values() if v.get("borrowed")]
    measured = " and ".join(sorted({catalog.accelerator(s).generation for s in fitted})) or "any measured"
    return (f"; {system.generation} is another generation than {measured}: figures carried from one generation to "
            f"another came out {min(moved):.2g}x to {max(moved):.2g}x the measured throughput at the median (leaving "
            "one system out)" if moved else "")


def deployment_note(system_id: str, model_id: str, precision: str, isl: int, osl: int, choice, target: float) -> str:
    """Where a measured answer is read across a gap (its neighbours more than 2x apart in interactivity), and where
    it rests on a run with fewer requests than accelerators in a disaggregated deployment (prefill and decode pools
    mostly idle; the high-interactivity ends of InferenceX's disaggregated curves): the run and the model's answer
    for a deployment whose pools are sized to its load."""
    curve = measured_curve(system_id, model_id, precision, isl, osl, choice.serving, choice.spec_decode)
    if curve is None or not curve.interactivity[0] <= target <= curve.interactivity[-1]:
        return ""
    j = int(np.searchsorted(curve.interactivity, target))
    low, high = max(j - 1, 0), min(j, len(curve.rows) - 1)
    x = curve.interactivity
    gap = (f"; interpolated between measured points at {x[low]:.0f} and {x[high]:.0f} tok/s per user"
           if x[high] > 2 * x[low] and x[low] < target < x[high] else "")
    near = min((low, high), key=lambda i: abs(np.log(x[i] / target)))  # the run the answer rests on most
    r = curve.rows[near]
    if not (r.serving == "disaggregated" and r.concurrency < r.decode_gpus + r.prefill_gpus):
        return gap
    model = float(choice.model.total_at(target))
    at_scale = f"; the model, pools sized to the load, answers {model:,.0f} total tok/s per GPU" if np.isfinite(model) else ""
    return (f"{gap}; measured here on a small deployment: at {x[near]:.0f} tok/s per user, {r.concurrency} requests on "
            f"{r.prefill_gpus} prefill + {r.decode_gpus} decode GPUs ({r.framework}, {r.date}), mostly idle{at_scale}")


def reach_note(system_id: str, model_id: str, precision: str, isl: int, osl: int, choice, target: float) -> str:
    """Where the model answers above the highest interactivity measured on the system for the same workload (any
    serving choice): how far beyond the measurements the answer lies."""
    tops = [float(c.interactivity[-1]) for c in measured_curves().values()
            if (c.system, c.model, c.precision, c.isl, c.osl) == (system_id, model_id, precision, isl, osl)]
    if not tops or target <= max(tops):
        return ""
    top = max(tops)
    return (f"; {target / top:.1f}x the highest interactivity measured on {system_id} for this workload "
            f"({top:.0f} tok/s per user)")


def later_runs_note(front, target: float | None = None) -> str:
    """Runs of a measured frontier's system and workload (aggregated, no speculative decoding, as the held-out runs
    are) published after its curve's last run (held out of the fit, ``measured.toml``): their dates and what they
    reached, so that a measured answer from an older stack says a later one was measured ("" if none)."""
    curve = measured_curve(front.system, front.model, front.precision, front.isl, front.osl, front.serving,
                           front.spec_decode)
    if curve is None or (front.serving, front.spec_decode) != ("aggregated", "none"):
        return ""
    later = [p for p in catalog.measured_points() if (p.system, p.model, p.precision, p.isl, p.osl) ==
             (curve.system, curve.model, curve.precision, curve.isl, curve.osl) and p.date > curve.dates[1]
             and p.interactivity is not None]
    if not later:
        return ""
    near = min(later, key=lambda p: abs(np.log(p.interactivity / target))) if target else \
        max(later, key=lambda p: p.output * p.interactivity)  # the run nearest the target, else the fastest overall
    runs, pages = [p for p in later if not p.from_page], [p for p in later if p.from_page]
    what = ([f"{len(runs)} later runs ({', '.join(sorted({p.date for p in runs}))}"] if runs else []) + \
        ([f"{len(pages)} values of a results page (read {', '.join(sorted({p.date for p in pages}))}, run dates not "
          "shown"] if pages else [])
    return (f"; {'), '.join(what)}; held out of the fit, docs/validation.md) reached up to "
            f"{max(p.interactivity for p in later):.0f} tok/s per user, e.g. {near.output:,.0f} output tok/s per GPU at "
            f"{near.interactivity:.0f} ({near.stack})")
