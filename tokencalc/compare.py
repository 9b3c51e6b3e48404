"""Hardware generations side by side: the same site and workload on each system, and why
one makes tokens cheaper than another.

The cost of a token is the cost of an accelerator-hour divided by the tokens an accelerator
makes in an hour. The ratio of two systems' costs per token (baseline / other) therefore
splits exactly into a throughput factor and a cost-per-accelerator-hour factor; the second
splits further over the lines of the annual cost (capital of compute and network, capital of
the facility, energy (grid power, fuel, plant O&M and plant capital), operations) by the multiplicative logarithmic-mean Divisia index
(LMDI), so the named factors multiply to the ratio exactly:

    ratio = cost_b / cost_x = (tps_x / tps_b) * (C_b / C_x)
    C_b / C_x = prod_i exp((C_i,b - C_i,x) / L(C_b, C_x)),   L(a, b) = (a - b) / ln(a / b)

where C is the annual cost per accelerator and C_i its lines (Ang, "LMDI decomposition
approach", Energy Policy 33 (2005) 867-871).

The transistor yardstick: (1 + g)^(generations between the two systems), with g about 20 %
per generation (Nvidia's CEO, CNBC, October 2025), beside each ratio.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

import attrs
import numpy as np

from .errors import ParameterError

__all__ = ["Comparison", "SystemComparison", "compare", "decompose", "interactivity_sweep", "FACTOR_NAMES"]

FACTOR_NAMES = (
    "throughput_per_accelerator",
    "compute_and_network_capital",
    "facility_capital",
    "energy",
    "operations",
)

_LINES = {
    "compute_and_network_capital": ("compute_capital", "network_capital"),
    "facility_capital": ("facility_capital",),
    "energy": ("electricity", "fuel", "plant_operations", "power_plant_capital"),
    "operations": ("operations",),
}


def _log_mean(a: float, b: float) -> float:
    """Logarithmic mean L(a, b) = (a - b) / ln(a / b); L(a, a) = a."""
    if a <= 0 or b <= 0:
        raise ParameterError("annual_cost", "cost per accelerator must be positive to decompose a ratio")
    if math.isclose(a, b, rel_tol=1e-12):
        return a
    return (a - b) / math.log(a / b)


def decompose(baseline_lines: Mapping[str, float], other_lines: Mapping[str, float],
              baseline_tps: float, other_tps: float) -> dict[str, float]:
    """Factors (name -> number > 0) whose product is baseline cost per token / other cost per token.

    ``*_lines`` are annual cost lines per accelerator (same unit), ``*_tps`` the tokens per
    accelerator-year (or per second: only their ratio matters). A factor above 1 says the
    other system is cheaper on that count.
    """
    total_b = sum(baseline_lines.values())
    total_o = sum(other_lines.values())
    mean = _log_mean(total_b, total_o)
    factors = {"throughput_per_accelerator": other_tps / baseline_tps}
    for name, lines in _LINES.items():
        delta = sum(baseline_lines[k] - other_lines[k] for k in lines)
        factors[name] = math.exp(delta / mean)
    return factors


@attrs.frozen
class SystemComparison:
    """One system of a comparison: its factory result and, but for the baseline, ratio and factors."""

    id: str
    result: Any  # FactoryResult
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


@attrs.frozen
class Comparison:
    """Systems compared on the same site and workload; ``systems[0]`` is the baseline."""

    systems: tuple[SystemComparison, ...]
    baseline: str
    transistor_gain_per_generation: float
    sweep: Any = None  # InteractivitySweep or None


def _annual_lines_per_accelerator(result) -> dict[str, float]:
    lines = attrs.asdict(result.annual_cost, recurse=False)
    lines.pop("total")
    return {k: float(v.m_as("USD/year")) / float(result.accelerators) for k, v in lines.items()}


def compare(systems: Sequence[str], baseline: str | None = None, transistor_gain: float | None = None,
            **parameters: Any) -> Comparison:
    """Run the factory for each system with the same ``parameters`` and compare with the baseline.

    The baseline is ``baseline`` if given (it joins the list if absent), else the first system.
    """
    from . import catalog
    from .factory_model import factory

    ids = [catalog.accelerator(s).id for s in systems]
    if not ids:
        raise ParameterError("systems", "give at least one accelerator id")
    if len(set(ids)) != len(ids):
        raise ParameterError("systems", "each accelerator id once")
    base = catalog.accelerator(baseline).id if baseline else ids[0]
    if base in ids:
        ids.remove(base)
    ids.insert(0, base)
    if "accelerator" in parameters:
        raise ParameterError("accelerator", "the systems are the ids given to compare; do not set accelerator")
    gain = catalog.defaults()["transistor_gain_per_generation"].value.m_as("") if transistor_gain is None \
        else float(transistor_gain)
    if not -1 < gain < 10:
        raise ParameterError("transistor_gain", f"{gain:g} is not allowed; allowed: > -1 and < 10 (0.2 = 20 %)")
    results = [factory(accelerator=i, **parameters) for i in ids]
    if np.ndim(results[0].cost_per_million_tokens.magnitude):
        raise ParameterError("parameters", "compare takes single values; use the library for array sweeps")
    b = results[0]
    b_lines = _annual_lines_per_accelerator(b)
    b_tps = float(b.scenario.tokens_per_second_per_accelerator.m_as("token/s"))
    b_gen = catalog.accelerator(base).generation_index
    out = []
    for i, r in zip(ids, results):
        gens = catalog.accelerator(i).generation_index - b_gen
        if i == base:
            out.append(SystemComparison(i, r, None, None, 0.0, None))
            continue
        ratio = float((b.cost_per_million_tokens / r.cost_per_million_tokens).m_as(""))
        factors = decompose(b_lines, _annual_lines_per_accelerator(r), b_tps,
                            float(r.scenario.tokens_per_second_per_accelerator.m_as("token/s")))
        out.append(SystemComparison(i, r, ratio, factors, gens, (1 + gain) ** gens))
    return Comparison(tuple(out), base, gain)


@attrs.frozen
class InteractivitySweep:
    """Cost per million tokens of each system at interactivity levels, and the ratio to the baseline."""

    interactivity: np.ndarray  # token/s per user
    cost_per_million_tokens: Mapping[str, np.ndarray]  # USD/Mtoken per system
    ratio: Mapping[str, np.ndarray]  # baseline cost / this system's cost


def interactivity_sweep(comparison: Comparison, levels: Sequence[float] | None = None,
                        **parameters: Any) -> InteractivitySweep:
    """The comparison along interactivity: one vectorized factory run per system.

    Levels default to 20 points, geometric from 10 tok/s per user to the highest interactivity
    every system reaches.
    """
    from . import catalog
    from .scenario import resolve_workload
    from .throughput import study

    workload = {k: v for k, v in parameters.items() if k in ("model", "precision", "isl", "osl",
                                                              "max_concurrency", "throughput_source")}
    if levels is None:
        top = min(study({**workload, "accelerator": s.id}).frontier.max_interactivity for s in comparison.systems)
        levels = np.geomspace(10, top * 0.98, 20)
    levels = np.asarray(levels, dtype=float)
    resolve_workload(workload)  # validates names before the runs
    from .factory_model import factory

    params = {k: v for k, v in parameters.items() if k != "interactivity"}
    costs = {}
    for s in comparison.systems:
        catalog.accelerator(s.id)
        r = factory(accelerator=s.id, interactivity=levels, **params)
        costs[s.id] = r.cost_per_million_tokens.m_as("USD/Mtoken")
    base = costs[comparison.baseline]
    ratios = {k: base / v for k, v in costs.items() if k != comparison.baseline}
    return InteractivitySweep(levels, costs, ratios)
