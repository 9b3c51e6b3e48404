"""Sensitivity and uncertainty: how the cost of a token moves with the assumptions.

* :func:`sensitivity` moves each parameter alone over its low-high range (the scenario file's
  ``[ranges]``, else the catalog's) and records the cost per million tokens at both ends: a
  tornado, sorted by swing. All non-workload parameters are evaluated in one vectorized call.
* :func:`montecarlo` draws every uncertain parameter from a distribution (the scenario file's
  ``[distributions]``, else triangular over the catalog's low, default and high) and evaluates
  the factory in chunks of 200,000 samples. The same seed gives the same answer. Memory: the
  samples (8 bytes per parameter per sample) and results (16 bytes per sample), plus about
  200 bytes per sample of the chunk being evaluated.

In reference model v1 the break-even price equals the cost per million tokens; both are reported.
"""

from __future__ import annotations

import time
from typing import Any, Mapping

import attrs
import numpy as np

from .errors import ParameterError

__all__ = ["Sensitivity", "sensitivity", "MonteCarlo", "montecarlo", "uncertain_parameters", "CHUNK"]

CHUNK = 200_000
# Parameters whose change needs a new throughput estimate: evaluated one scenario at a time.
_WORKLOAD_SWEEPS = ("interactivity", "max_concurrency")
_SKIP = ("facility_power", "isl", "osl", "input_output_price_ratio", "servers_per_rack", "water_per_energy",
         "plant_capacity_margin", "horizon", "build_period", "token_price_decline", "tax_rate",
         "accelerator_book_life", "debt_share", "cost_of_debt", "debt_term")


def _base(overrides: Mapping[str, Any]):
    from .scenario import resolve_scenario

    return resolve_scenario(overrides)


def uncertain_parameters(scenario) -> dict[str, tuple[Any, Any]]:
    """Catalog (low, high) of each uncertain numeric parameter around the scenario's value, in its unit."""
    from . import catalog
    from .scenario import PARAMETERS
    from .units import Q_

    defaults = catalog.defaults()
    relative = catalog.relative_ranges()
    on_grid = not float(scenario.plant_energy_share.m_as(""))
    out = {}
    for name, spec in PARAMETERS.items():
        if not spec.unit or name in _SKIP:
            continue
        if on_grid and name.startswith(("plant_", "heat_rate", "fuel_")):
            continue
        value = getattr(scenario, name)
        fig = defaults.get(name)
        if name in relative:
            low, high, _ = relative[name]
            out[name] = (value * low, value * high)
        elif fig is not None and fig.low is not None:
            low, high = fig.low.to(spec.unit), fig.high.to(spec.unit)
            if low <= value <= high:
                out[name] = (low, high)
            elif fig.value.m:  # the user moved the value: keep the catalog's relative spread
                out[name] = (value * float(low / fig.value), value * float(high / fig.value))
    return {k: (Q_(float(lo.m_as(PARAMETERS[k].unit)), PARAMETERS[k].unit),
                Q_(float(hi.m_as(PARAMETERS[k].unit)), PARAMETERS[k].unit)) for k, (lo, hi) in out.items()}


@attrs.frozen
class SensitivityRow:
    name: str
    low: Any
    high: Any
    cost_at_low: float
    cost_at_high: float

    @property
    def swing(self) -> float:
        return abs(self.cost_at_high - self.cost_at_low)


@attrs.frozen
class Sensitivity:
    base_cost: float  # USD/Mtoken
    rows: tuple[SensitivityRow, ...]  # sorted by swing, largest first
    scenario: Any


def sensitivity(overrides: Mapping[str, Any] | None = None,
                ranges: Mapping[str, tuple[Any, Any]] | None = None) -> Sensitivity:
    """Cost per million tokens with each parameter at the low and the high end of its range."""
    from .factory_model import factory
    from .scenario import PARAMETERS
    from .units import as_quantity

    overrides = dict(overrides or {})
    scenario, _ = _base(overrides)
    base_cost = float(factory(**overrides).cost_per_million_tokens.m_as("USD/Mtoken"))
    bounds = uncertain_parameters(scenario)
    for name, (low, high) in (ranges or {}).items():
        unit = PARAMETERS[name].unit
        if not unit:
            raise ParameterError(name, "ranges take numeric parameters only")
        bounds[name] = (as_quantity(low, unit, name), as_quantity(high, unit, name))
    vector = [n for n in bounds if n not in _WORKLOAD_SWEEPS]
    rows = []
    if vector:
        size = 2 * len(vector)
        arrays = {}
        for i, name in enumerate(vector):
            unit = PARAMETERS[name].unit
            base = float(getattr(scenario, name).m_as(unit))
            values = np.full(size, base)
            values[2 * i], values[2 * i + 1] = bounds[name][0].m_as(unit), bounds[name][1].m_as(unit)
            arrays[name] = values
        if "tokens_per_second_per_accelerator" not in arrays:
            arrays["tokens_per_second_per_accelerator"] = scenario.tokens_per_second_per_accelerator
        params = {**overrides, **{k: as_quantity(v, PARAMETERS[k].unit, k) for k, v in arrays.items()}}
        cost = factory(**params).cost_per_million_tokens.m_as("USD/Mtoken")
        for i, name in enumerate(vector):
            rows.append(SensitivityRow(name, bounds[name][0], bounds[name][1], float(cost[2 * i]), float(cost[2 * i + 1])))
    for name in (n for n in bounds if n in _WORKLOAD_SWEEPS):
        ends = [float(factory(**{**overrides, name: v}).cost_per_million_tokens.m_as("USD/Mtoken"))
                for v in bounds[name]]
        rows.append(SensitivityRow(name, bounds[name][0], bounds[name][1], *ends))
    rows.sort(key=lambda r: r.swing, reverse=True)
    return Sensitivity(base_cost, tuple(rows), scenario)


@attrs.frozen
class MonteCarlo:
    samples: int
    seed: int
    distributions: Mapping[str, str]  # name -> description
    inputs: Mapping[str, np.ndarray]  # name -> samples in the documented unit
    units: Mapping[str, str]
    cost_per_million_tokens: np.ndarray  # USD/Mtoken
    breakeven_price_per_million_tokens: np.ndarray
    base_cost: float
    seconds: float

    def quantiles(self, values: np.ndarray) -> dict[str, float]:
        p5, p50, p95 = np.percentile(values, [5, 50, 95])
        return {"p5": float(p5), "p50": float(p50), "p95": float(p95), "mean": float(np.mean(values)),
                "std": float(np.std(values))}


def _sample(rng, kind: str, args: Mapping[str, float], n: int) -> np.ndarray:
    if kind == "uniform":
        if not args["low"] <= args["high"]:
            raise ValueError("needs low <= high")
        return rng.uniform(args["low"], args["high"], n)
    if kind == "triangular":
        if not args["low"] <= args["mode"] <= args["high"] or args["low"] == args["high"]:
            raise ValueError("needs low <= mode <= high and low < high")
        return rng.triangular(args["low"], args["mode"], args["high"], n)
    if kind == "normal":
        if not args["sd"] >= 0:
            raise ValueError("needs sd >= 0")
        return rng.normal(args["mean"], args["sd"], n)
    if kind == "lognormal":
        if not (args["median"] > 0 and args["sigma"] >= 0):
            raise ValueError("needs median > 0 and sigma >= 0")
        return args["median"] * np.exp(args["sigma"] * rng.standard_normal(n))
    raise ValueError(f"unknown distribution {kind!r}")


def montecarlo(overrides: Mapping[str, Any] | None = None, distributions: Mapping[str, Any] | None = None,
               samples: int = 10_000, seed: int = 0, progress: bool = False) -> MonteCarlo:
    """Draw ``samples`` scenarios and evaluate the factory on them, in chunks (see the module docstring)."""
    from .factory_model import factory
    from .scenario import PARAMETERS
    from .units import as_quantity

    if not 1 <= int(samples) <= 10_000_000:
        raise ParameterError("samples", f"{samples} is not allowed; allowed: 1 to 10,000,000")
    start = time.perf_counter()
    overrides = dict(overrides or {})
    scenario, _ = _base(overrides)
    base_cost = float(factory(**overrides).cost_per_million_tokens.m_as("USD/Mtoken"))
    specs: dict[str, tuple[str, dict[str, float]]] = {}
    if distributions:
        for name, dist in distributions.items():
            unit = PARAMETERS[name].unit
            if not unit or name in ("isl", "osl", "max_concurrency"):
                raise ParameterError(name, "distributions take numeric, non-workload parameters "
                                     "(isl, osl and max_concurrency are fixed per run)")
            args = {}
            for key, value in dist.args.items():
                as_unit = "1" if key == "sigma" else unit
                args[key] = float(as_quantity(value, as_unit, f"{name}.{key}").magnitude)
            specs[name] = (dist.kind, args)
    else:
        for name, (low, high) in uncertain_parameters(scenario).items():
            if name in _WORKLOAD_SWEEPS:
                continue
            unit = PARAMETERS[name].unit
            mode = float(getattr(scenario, name).m_as(unit))
            specs[name] = ("triangular", {"low": float(low.m_as(unit)), "mode": mode, "high": float(high.m_as(unit))})
    rng = np.random.default_rng(seed)
    inputs = {}
    for name in sorted(specs):
        kind, args = specs[name]
        try:
            inputs[name] = _sample(rng, kind, args, int(samples))
        except ValueError as exc:
            raise ParameterError(name, f"{kind} distribution {args}: {exc}") from None
    fixed = {} if "tokens_per_second_per_accelerator" in inputs or "interactivity" in inputs else {
        "tokens_per_second_per_accelerator": scenario.tokens_per_second_per_accelerator}
    cost = np.empty(int(samples))
    chunks = range(0, int(samples), CHUNK)
    bar = _progress(len(chunks)) if progress and samples > 4 * CHUNK else None
    try:
        for begin in chunks:
            end = min(begin + CHUNK, int(samples))
            params = {**overrides, **fixed,
                      **{k: as_quantity(v[begin:end], PARAMETERS[k].unit, k) for k, v in inputs.items()}}
            cost[begin:end] = factory(**params).cost_per_million_tokens.m_as("USD/Mtoken")
            if bar is not None:
                bar[0].advance(bar[1])
    finally:
        if bar is not None:
            bar[0].stop()
    described = {k: f"{kind}({', '.join(f'{a}={v:g}' for a, v in args.items())}) {PARAMETERS[k].unit}"
                 for k, (kind, args) in sorted(specs.items())}
    return MonteCarlo(int(samples), int(seed), described, inputs, {k: PARAMETERS[k].unit for k in inputs}, cost,
                      cost, base_cost, time.perf_counter() - start)


def _progress(total: int):
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("Monte Carlo"), BarColumn(), TextColumn("{task.completed}/{task.total} chunks"),
                        TimeElapsedColumn(), console=Console(stderr=True), transient=True)
    progress.start()
    return progress, progress.add_task("mc", total=total)
