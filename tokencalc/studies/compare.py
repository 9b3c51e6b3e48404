"""Hardware generations side by side: the same site and workload on each system, the ratio of
their costs per token split into factors that multiply to it (:mod:`tokencalc.model.decompose`),
and the transistor yardstick: (1 + g)^(generations between the two systems), with g about 20 %
per generation (Nvidia's CEO, CNBC, October 2025; catalog rule ``transistor_gain_per_generation``).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import attrs
import numpy as np

from .. import catalog
from ..errors import ParameterError, TokencalcError
from ..model.decompose import decompose
from ..parameters import WORKLOAD
from ..scenario import resolve_workload
from ..units import jsonable
from .factory import AnnualCost, FactoryResult, factory
from .record import Result, envelope
from .throughput import reachable_interactivity

__all__ = ["Comparison", "SystemComparison", "InteractivitySweep", "Ranking", "compare", "rank",
           "interactivity_sweep", "FACTOR_NAMES", "FACTOR_LINES", "STATUSES"]

STATUSES = ("shipping", "announced")

# The factors of the ratio after throughput, and the annual cost lines each one gathers.
FACTOR_LINES: Mapping[str, tuple[str, ...]] = {
    "compute_and_network_capital": ("compute_capital", "network_capital", "accelerator_hours"),  # hours: the hardware
    "facility_capital": ("facility_capital",),
    "energy": AnnualCost.ENERGY + ("power_plant_capital",),  # an on-site plant's capital is a cost of energy
    "operations": AnnualCost.OPERATIONS,
}
FACTOR_NAMES = ("throughput_per_accelerator", *FACTOR_LINES)


@attrs.frozen
class SystemComparison(Result):
    """One system of a comparison: its factory result and, but for the baseline, ratio and factors."""

    id: str
    result: FactoryResult
    ratio: float | None
    factors: Mapping[str, float] | None
    generations_from_baseline: float
    transistor_yardstick: float | None

    @property
    def tokens_per_second_per_accelerator(self):
        return self.result.scenario.tokens_per_second_per_accelerator

    @property
    def tokens_per_second_per_megawatt(self):
        r = self.result
        return (r.accelerators * self.tokens_per_second_per_accelerator / r.facility_power).to("token/s/MW")

    def to_dict(self) -> dict[str, Any]:
        r = self.result
        row = {
            "id": self.id, "name": r.accelerator_name, "status": r.accelerator_status,
            "accelerators": jsonable(r.accelerators),
            "capex": jsonable(r.capex.total, "USD"),
            "tokens_per_second_per_accelerator": jsonable(self.tokens_per_second_per_accelerator, "token/s"),
            "tokens_per_second_per_megawatt": jsonable(self.tokens_per_second_per_megawatt, "token/s/MW"),
            "tokens_per_joule": jsonable(r.tokens_per_energy, "token/J"),
            "cost_per_accelerator_hour": jsonable(r.cost_per_accelerator_hour, "USD/h"),
            "cost_per_million_tokens": jsonable(r.cost_per_million_tokens, "USD/Mtoken"),
            "breakeven_price_per_million_tokens": jsonable(r.breakeven_price_per_million_tokens, "USD/Mtoken"),
            "throughput_source": r.throughput_source,
        }
        if self.ratio is not None:
            row["ratio"] = self.ratio
            row["factors"] = dict(self.factors)
            row["generations_from_baseline"] = self.generations_from_baseline
            row["transistor_yardstick"] = self.transistor_yardstick
        return row


@attrs.frozen
class InteractivitySweep(Result):
    """Cost per million tokens of each system at interactivity levels, and the ratio to the baseline."""

    interactivity: np.ndarray  # token/s per user
    cost_per_million_tokens: Mapping[str, np.ndarray]  # USD/Mtoken per system
    ratio: Mapping[str, np.ndarray]  # baseline cost / this system's cost

    def to_dict(self) -> dict[str, Any]:
        return {
            "interactivity": {"value": self.interactivity.tolist(), "unit": "token/s"},
            "cost_per_million_tokens": {k: {"value": np.asarray(v).tolist(), "unit": "USD/Mtoken"}
                                        for k, v in self.cost_per_million_tokens.items()},
            "ratio": {k: np.asarray(v).tolist() for k, v in self.ratio.items()},
        }


@attrs.frozen
class Comparison(Result):
    """Systems compared on the same site and workload; ``systems[0]`` is the baseline."""

    _RENDERER = ("compare", "comparison_renderable")

    systems: tuple[SystemComparison, ...]
    baseline: str
    transistor_gain_per_generation: float
    sweep: InteractivitySweep | None = None

    def with_sweep(self, sweep: InteractivitySweep) -> "Comparison":
        """The same comparison with its sweep along interactivity."""
        return attrs.evolve(self, sweep=sweep)

    def to_dict(self) -> dict[str, Any]:
        out = envelope({
            "baseline": self.baseline,
            "transistor_gain_per_generation": self.transistor_gain_per_generation,
            "scenario": self.systems[0].result.scenario.to_dict(),
            "systems": [s.to_dict() for s in self.systems],
        })
        if self.sweep is not None:
            out["sweep"] = self.sweep.to_dict()
        return out


def _lines_per_accelerator(result: FactoryResult) -> dict[str, float]:
    return {k: float(v.m_as("USD/year")) / float(result.accelerators) for k, v in result.annual_cost.lines().items()}


def compare(systems: Sequence[str], baseline: str | None = None, transistor_gain: float | None = None,
            **parameters: Any) -> Comparison:
    """Run the factory for each system with the same ``parameters`` and compare with the baseline.

    The baseline is ``baseline`` if given (it joins the list if absent), else the first system.
    """
    if isinstance(systems, str) or not hasattr(systems, "__iter__"):
        raise ParameterError("systems", f"expected a list of catalog ids, e.g. ['h100', 'gb200-nvl72'], got "
                             f"{systems!r}"[:200])
    ids = [catalog.accelerator(s).id for s in systems]
    if not ids:
        raise ParameterError("systems", "give at least one accelerator id, e.g. h100 gb200-nvl72 (`tokencalc hardware` "
                             "lists them; `tokencalc compare --all` ranks every one)")
    if len(set(ids)) != len(ids):
        raise ParameterError("systems", "each accelerator id once")
    base = catalog.accelerator(baseline).id if baseline else ids[0]
    if base in ids:
        ids.remove(base)
    ids.insert(0, base)
    if "accelerator" in parameters:
        raise ParameterError("accelerator", "the systems are the ids given to compare; do not set accelerator")
    gain = _gain(transistor_gain)
    results = [factory(accelerator=i, **parameters) for i in ids]
    return _comparison(ids, results, gain)


def _gain(transistor_gain: float | None) -> float:
    gain = catalog.defaults()["transistor_gain_per_generation"].value.m_as("") if transistor_gain is None \
        else float(transistor_gain)
    if not -1 < gain < 10:
        raise ParameterError("transistor_gain", f"{gain:g} is not allowed; allowed: > -1 and < 10 (0.2 = 20 %)")
    return gain


def _comparison(ids: list[str], results: list[FactoryResult], gain: float) -> Comparison:
    """The comparison of factory ``results`` (of systems ``ids``), the first the baseline."""
    if not results[0].scalar:
        raise ParameterError("parameters", "compare takes single values; use the library for array sweeps")
    base, b = ids[0], results[0]
    b_lines = _lines_per_accelerator(b)
    b_tps = float(b.scenario.tokens_per_second_per_accelerator.m_as("token/s"))
    b_gen = catalog.accelerator(base).generation_index
    out = []
    for i, r in zip(ids, results):
        gens = catalog.accelerator(i).generation_index - b_gen
        if i == base:
            out.append(SystemComparison(i, r, None, None, 0.0, None))
            continue
        ratio = float((b.cost_per_million_tokens / r.cost_per_million_tokens).m_as(""))
        factors = decompose(b_lines, _lines_per_accelerator(r), b_tps,
                            float(r.scenario.tokens_per_second_per_accelerator.m_as("token/s")), FACTOR_LINES)
        out.append(SystemComparison(i, r, ratio, factors, gens, (1 + gain) ** gens))
    return Comparison(tuple(out), base, gain)


@attrs.frozen
class Ranking(Result):
    """Every catalog system (of a status) on the same site and workload, cheapest per token first; the
    comparison's baseline is the cheapest, so each ratio is at most 1. ``excluded``: (id, status, reason)
    of the systems that cannot serve the workload (a figure missing, the interactivity out of reach, ...)."""

    _RENDERER = ("compare", "ranking_renderable")

    comparison: Comparison
    excluded: tuple[tuple[str, str, str], ...]
    status: str | None = None

    @property
    def systems(self) -> tuple[SystemComparison, ...]:
        return self.comparison.systems

    def to_dict(self) -> dict[str, Any]:
        out = self.comparison.to_dict()
        out["status"] = self.status
        out["ranked"] = [s.id for s in self.systems]
        out["excluded"] = [{"id": i, "status": st, "reason": reason} for i, st, reason in self.excluded]
        return out


def rank(status: str | None = None, transistor_gain: float | None = None, **parameters: Any) -> Ranking:
    """Rank every catalog system (``status``: only shipping or announced ones) by cost per million tokens
    for the same site and workload; systems whose factory run fails are listed with the reason instead."""
    if status is not None and status not in STATUSES:
        raise ParameterError("status", f"{status!r} is not a status; allowed: {', '.join(STATUSES)}")
    if "accelerator" in parameters:
        raise ParameterError("accelerator", "--all ranks every catalog system; do not set accelerator")
    gain = _gain(transistor_gain)
    served, excluded, errors = [], [], []
    for system in catalog.accelerators().values():
        if status is not None and system.status != status:
            continue
        try:
            served.append((system.id, factory(accelerator=system.id, **parameters)))
        except TokencalcError as exc:  # this system cannot serve the workload: say why, rank the others
            excluded.append((system.id, system.status, " ".join(str(exc).splitlines())))
            errors.append(exc)
    given = [e for e in errors if isinstance(e, ParameterError) and e.parameter in parameters]
    if not served and given:
        raise given[0]  # the input, not a system, is wrong (an isl of 0): say it once
    if not served:
        raise ParameterError("systems", "no catalog system can serve this workload: "
                             + "; ".join(f"{i}: {why}" for i, _, why in excluded)[:400])
    if not served[0][1].scalar:
        raise ParameterError("parameters", "compare takes single values; use the library for array sweeps")
    served.sort(key=lambda item: float(item[1].cost_per_million_tokens.m_as("USD/Mtoken")))
    ids, results = [i for i, _ in served], [r for _, r in served]
    return Ranking(_comparison(ids, results, gain), tuple(excluded), status)


def interactivity_sweep(comparison: Comparison, levels: Sequence[float] | None = None,
                        **parameters: Any) -> InteractivitySweep:
    """The comparison along interactivity: one vectorized factory run per system.

    Levels default to 20 points, geometric from 10 tok/s per user to the highest interactivity
    every system reaches.
    """
    if "tokens_per_second_per_accelerator" in parameters:
        raise ParameterError("tokens_per_second_per_accelerator", "the sweep along interactivity estimates the "
                             "throughput at each level; with the throughput set it would not move (compare "
                             "--no-sweep)")
    workload = {k: v for k, v in parameters.items() if k in WORKLOAD and k not in ("interactivity", "batch")}
    if levels is None:
        top = min(reachable_interactivity({**workload, "accelerator": s.id}) for s in comparison.systems)
        levels = np.geomspace(10, top * 0.98, 20)
    levels = np.asarray(levels, dtype=float)
    resolve_workload(workload)  # validates names before the runs
    params = {k: v for k, v in parameters.items() if k != "interactivity"}
    costs = {s.id: factory(accelerator=s.id, interactivity=levels, **params).cost_per_million_tokens.m_as("USD/Mtoken")
             for s in comparison.systems}
    base = costs[comparison.baseline]
    ratios = {k: base / v for k, v in costs.items() if k != comparison.baseline}
    return InteractivitySweep(levels, costs, ratios)
