"""Measured throughput curves: for every (system, model, precision, isl, osl, serving, spec_decode)
of the measured benchmarks (``catalog.benchmark_rows``), the upper envelope (Pareto frontier) of
total tokens/s per GPU against interactivity across all frameworks and configurations of that key
(:func:`tokencalc.model.curves.pareto_envelope`), interpolated linearly in log-log space between
its points and never extrapolated (:func:`tokencalc.model.curves.interpolate_log`).
"""

from __future__ import annotations

from typing import Mapping

import attrs
import numpy as np

from ..catalog import BenchmarkRow, CurveKey, benchmark_rows
from ..catalog.measured import SOURCE
from ..catalog.once import once
from ..model.curves import interpolate_log, pareto_envelope

__all__ = ["MeasuredCurve", "measured_curves", "measured_curve"]


@attrs.frozen(eq=False)
class MeasuredCurve:
    """The upper envelope of measured total tokens/s per GPU against interactivity for one :class:`CurveKey`.

    ``interactivity`` [token/s per user] rises and ``total_tokens_per_second`` [token/s per GPU]
    falls along the knots (read-only numpy arrays); ``rows`` are the benchmark rows behind each
    knot (aligned with the arrays), ``frameworks`` every framework measured for the key, ``points``
    the number of rows of the key, ``dates`` the first and last of their dates.
    """

    system: str
    model: str
    precision: str
    isl: int
    osl: int
    serving: str
    spec_decode: str
    interactivity: np.ndarray
    total_tokens_per_second: np.ndarray
    rows: tuple[BenchmarkRow, ...]
    frameworks: tuple[str, ...]
    points: int
    dates: tuple[str, str]
    source: str = SOURCE

    @property
    def key(self) -> CurveKey:
        return CurveKey(self.system, self.model, self.precision, self.isl, self.osl, self.serving, self.spec_decode)

    @property
    def interactivity_range(self) -> tuple[float, float]:
        """The lowest and highest measured interactivity on the envelope [token/s per user]."""
        return float(self.interactivity[0]), float(self.interactivity[-1])

    def total_at(self, interactivity):
        """Total tokens/s per GPU on the envelope at ``interactivity`` [token/s per user]; NaN outside the range."""
        return interpolate_log(self.interactivity, self.total_tokens_per_second, interactivity)


@once
def measured_curves() -> Mapping[CurveKey, MeasuredCurve]:
    """Every measured curve, by (system, model, precision, isl, osl, serving, spec_decode), in first-row order."""
    groups: dict[CurveKey, list[BenchmarkRow]] = {}
    for row in benchmark_rows():
        groups.setdefault(row.key, []).append(row)
    return {key: _curve(key, rows) for key, rows in groups.items()}


def measured_curve(system: str, model: str, precision: str, isl: int, osl: int, serving: str,
                   spec_decode: str) -> MeasuredCurve | None:
    """The measured curve of one key (ids compared case-insensitively), or None where nothing was measured."""
    key = CurveKey(str(system).strip().lower(), str(model).strip().lower(), str(precision).strip().lower(),
                   int(isl), int(osl), str(serving).strip().lower(), str(spec_decode).strip().lower())
    return measured_curves().get(key)


def _curve(key: CurveKey, rows: list[BenchmarkRow]) -> MeasuredCurve:
    x = np.array([r.interactivity for r in rows])
    y = np.array([r.total_tokens_per_second for r in rows])
    idx = pareto_envelope(x, y)
    xs, ys = x[idx], y[idx]
    xs.flags.writeable = False
    ys.flags.writeable = False
    dates = sorted(r.date for r in rows)
    return MeasuredCurve(*key, interactivity=xs, total_tokens_per_second=ys, rows=tuple(rows[i] for i in idx),
                         frameworks=tuple(sorted({r.framework for r in rows})), points=len(rows),
                         dates=(dates[0], dates[-1]))
