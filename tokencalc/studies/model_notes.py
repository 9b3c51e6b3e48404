"""Notes that model answers carry: the model's out-of-sample error, and where an answer lies outside the
data the model was fitted on (a system or a workload no measured curve covers)."""

from __future__ import annotations

from .. import catalog
from .measured import measured_curves

__all__ = ["model_error_note", "coverage_note"]


def model_error_note() -> str:
    """The model's out-of-sample error as every model answer quotes it (efficiency.toml: at the default
    concurrency where the file has it)."""
    cal = catalog.calibration()
    kind = catalog.model_error_kind(cal)
    return (f"model out-of-sample error (leave one measured curve out): median {100 * cal[kind + '_median']:.0f} %, "
            f"90th percentile {100 * cal[kind + '_p90']:.0f} %")


def coverage_note(system, model, isl: int, osl: int) -> str:
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
        notes.append(f"{system.id} is not measured: the figures of its family ({family}) are fitted on "
                     f"{', '.join(fitted) or 'no measured system'}")
    workloads = sorted({(c.isl, c.osl) for c in curves})
    if (isl, osl) not in workloads:
        notes.append(f"no measured curve at {isl}/{osl} (measured: {', '.join(f'{i}/{o}' for i, o in workloads)})")
    return "".join(f"; {n}" for n in notes)
