"""The serving model against published measured points (``measured.toml``): out-of-sample checks.

Each point is compared twice where its run's configuration is known:

- as a user meets the model: its frontier (the model picking replica size, attention parallelism and
  batch) under the benchmark's cap on requests per server, at the point's interactivity;
- at the run's own configuration (``replica`` accelerators, tensor-parallel attention, its client
  concurrency as the batch): the physics of one configuration, whatever the model would have picked.

Split from :mod:`tokencalc.studies.throughput`, which re-exports it.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np

from .. import catalog
from ..catalog import MeasuredPoint, llm
from ..model import serving as serving_model
from .record import Result, envelope
from .serving_inputs import accelerator, model_frontier

__all__ = ["MeasuredComparison", "compare_to_measured", "at_configuration", "frontier_under_cap", "MeasuredListing",
           "measured"]


@attrs.frozen
class MeasuredComparison(Result):
    """A measured point and the pure model's value at its conditions (and at its run's configuration)."""

    point: MeasuredPoint
    model_output_tokens_per_second: float
    configuration_output: float | None = None  # [token/s per accelerator] at the run's own configuration
    configuration_interactivity: float | None = None  # [token/s per user] there

    @property
    def error(self) -> float:
        """Model / measured - 1 (output tokens/s per accelerator); NaN beyond the model's reach."""
        return self.model_output_tokens_per_second / self.point.output - 1

    @property
    def configuration_error(self) -> float | None:
        """Model at the run's configuration / measured - 1 (output tokens/s per accelerator); None if unknown."""
        return None if self.configuration_output is None else self.configuration_output / self.point.output - 1

    def to_dict(self) -> dict[str, Any]:
        p = self.point
        known = self.configuration_output is not None
        return {
            "system": p.system, "model": p.model, "precision": p.precision, "isl": p.isl, "osl": p.osl,
            "interactivity": None if p.interactivity is None else {"value": p.interactivity, "unit": "token/s"},
            "max_concurrency": p.max_concurrency,
            "output_tokens_per_second_per_accelerator": {"value": p.output, "unit": "token/s"},
            "total_tokens_per_second_per_accelerator": {"value": p.total, "unit": "token/s"},
            # null beyond the model's reach (faster per user than the model serves: an answer there is an error)
            "model_output_tokens_per_second_per_accelerator": {"value": _finite(self.model_output_tokens_per_second),
                                                               "unit": "token/s"},
            "model_error": _finite(self.error),
            # the run's own configuration where the source gives it (else nulls): the model there, and its error
            "configuration": {"accelerators_per_replica": p.replica, "requests_per_replica": p.requests if known
                              else None},
            "model_at_configuration": {
                "interactivity": {"value": self.configuration_interactivity, "unit": "token/s"},
                "output_tokens_per_second_per_accelerator": {"value": self.configuration_output, "unit": "token/s"},
                "model_error": self.configuration_error,
            },
            "stack": p.stack, "source": p.source, "date": p.date, "note": p.note,
            "kind": p.kind,  # "run", or "comparison page": a value a results page gives between its runs
        }


def _finite(x: float) -> float | None:
    return x if np.isfinite(x) else None


def at_configuration(point: MeasuredPoint) -> tuple[float, float] | None:
    """(interactivity [token/s per user], output [token/s per accelerator]) of the serving model (aggregated, no
    speculative decoding) at a run's own configuration: a replica of ``point.replica`` accelerators with
    tensor-parallel attention holding ``point.requests`` requests. None where the point does not say, or
    the replica cannot hold the model."""
    if point.replica is None or point.requests is None:
        return None
    hw = accelerator(catalog.accelerator(point.system), point.precision)
    points = serving_model.operating_points(hw, llm(point.model), point.precision, point.isl, point.osl, "aggregated",
                                            batches={point.replica: np.array([float(point.requests)])},
                                            largest_replica=max(point.replica, 1))
    mine = np.flatnonzero((points.gpus == point.replica) & ~points.data_parallel_attention)
    if not mine.size:
        return None
    return float(points.interactivity[mine[0]]), float(points.output[mine[0]])


def frontier_under_cap(point: MeasuredPoint):
    """The model's frontier under a point's cap: its client concurrency per server (InferenceMAX v1, MLPerf: per
    replica); where the run's server is known (``replica`` accelerators), that many requests per ``replica``
    accelerators of any replica the model picks (a 4-GPU replica holds half of an 8-GPU server's)."""
    per_server = point.replica is not None and point.max_concurrency is not None
    return model_frontier(catalog.accelerator(point.system), llm(point.model), point.precision, point.isl, point.osl,
                          "aggregated", "none", replica_concurrency=None if per_server else point.max_concurrency,
                          accelerator_concurrency=point.max_concurrency / point.replica if per_server else None)


def compare_to_measured(point: MeasuredPoint) -> MeasuredComparison:
    """The serving model (aggregated, no speculative decoding) at a measured point's conditions: its
    concurrency cap (:func:`frontier_under_cap`) and its interactivity (offline points: the model's maximum; NaN
    beyond the model's reach, where an answer is an error); and at the run's own configuration where the point
    gives it (:func:`at_configuration`)."""
    front = frontier_under_cap(point)
    if point.interactivity is None:
        value = float(front.output.max())
    elif point.interactivity > front.max_interactivity:  # beyond the model's reach: an answer there is an error
        value = float("nan")
    else:
        value = float(front.output_at(point.interactivity))
    at = at_configuration(point)
    return MeasuredComparison(point, value, None if at is None else at[1], None if at is None else at[0])


@attrs.frozen
class MeasuredListing(Result):
    """Every measured point of the catalog with the model's value there."""

    _RENDERER = ("throughput", "measured_renderable")

    comparisons: tuple[MeasuredComparison, ...]

    def to_dict(self) -> dict[str, Any]:
        return envelope({"measured": [c.to_dict() for c in self.comparisons]}, version=False)


def measured() -> MeasuredListing:
    """Every measured point, compared with the serving model."""
    return MeasuredListing(tuple(compare_to_measured(p) for p in catalog.measured_points()))
