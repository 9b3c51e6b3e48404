"""Sensitivity and uncertainty: how the cost of a token moves with the assumptions.

* :func:`sensitivity` moves each parameter alone over its low-high range (the scenario file's
  ``[ranges]``, else the catalog's) and records the cost per million tokens at both ends: a
  tornado, sorted by swing. All non-workload parameters are evaluated in one vectorized call.
* :func:`montecarlo` draws every uncertain parameter from a distribution (the scenario file's
  ``[distributions]``, else triangular over the catalog's low, default and high) and evaluates
  the factory in chunks of 200,000 samples. The same seed gives the same answer. Memory: the
  samples (8 bytes per parameter per sample) and results (16 bytes per sample), plus about
  200 bytes per sample of the chunk being evaluated.

Which parameters move is declared on each ParameterSpec (``ranged``; the ``plant`` group only
with an on-site plant; the ``workload`` group re-estimates throughput, one scenario at a time).
In reference model v1 the break-even price equals the cost per million tokens; both are reported.
"""

from __future__ import annotations

import math
import time
import warnings
from typing import Any, Callable, Iterator, Mapping

import attrs
import numpy as np

from .. import catalog
from ..errors import ParameterError, TokencalcError, TokencalcWarning
from ..model.sampling import sample
from ..parameters import PARAMETERS, WORKLOAD
from ..scenario import check_names, default_figure
from ..scenariofile import Distribution
from ..units import Q_, as_quantity, jsonable
from .factory import factory, resolve_scenario
from .model_notes import unmeasured_kind
from .throughput import reachable_interactivity
from .record import Result, envelope

__all__ = ["Sensitivity", "sensitivity", "MonteCarlo", "montecarlo", "uncertain_parameters", "CHUNK",
           "whole_samples", "MAX_SAMPLES"]

CHUNK = 200_000


def _moves(name: str, scenario) -> bool:
    spec = PARAMETERS[name]
    if not spec.unit or not spec.ranged:
        return False
    return spec.group != "plant" or bool(float(np.max(scenario.plant_energy_share.m_as(""))))


def _re_estimates(name: str) -> bool:
    """True for parameters whose change needs a new throughput estimate (one scenario at a time)."""
    return PARAMETERS[name].group == "workload"


def _system_price(scenario):
    """The catalog's system price figure of the scenario's accelerator, or None."""
    try:
        return catalog.accelerator(str(scenario.accelerator)).figure("system_price")
    except TokencalcError:  # a system of the user's own without a price
        return None


def uncertain_parameters(scenario, provenance=None) -> dict[str, tuple[Any, Any]]:
    """Catalog (low, high) of each uncertain numeric parameter around the scenario's value, in its unit.

    The throughput's range is the serving model's out-of-sample error, or, where the provenance says a
    measured curve gave it, the error of interpolating between measured points.
    """
    relative = dict(catalog.relative_ranges())
    price = _system_price(scenario)
    if price is not None and price.low is not None and price.value.m:  # the system's own reported price range
        relative["accelerator_capex"] = (float(price.low / price.value), float(price.high / price.value), price.source)
    origin = provenance.get("tokens_per_second_per_accelerator") if provenance is not None else None
    if origin is not None and origin.kind == "throughput" and origin.key == "measured":
        measured = catalog.throughput_ranges()[1]
        if measured is not None:
            relative["tokens_per_second_per_accelerator"] = measured
    elif origin is not None and origin.kind == "throughput":  # the model: wider on a system no curve measures
        model = catalog.throughput_ranges(unmeasured_kind(catalog.accelerator(str(scenario.accelerator))))[0]
        if model is not None:
            relative["tokens_per_second_per_accelerator"] = model
    out = {}
    for name, spec in PARAMETERS.items():
        if not _moves(name, scenario):
            continue
        value = getattr(scenario, name)
        fig = default_figure(name)
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
    cost_at_low: float  # USD/Mtoken
    cost_at_high: float

    @property
    def swing(self) -> float:
        return abs(self.cost_at_high - self.cost_at_low)


@attrs.frozen
class Sensitivity(Result):
    _RENDERER = ("uncertainty", "sensitivity_renderable")
    base_cost: float  # USD/Mtoken
    rows: tuple[SensitivityRow, ...]  # sorted by swing, largest first
    scenario: Any

    def to_dict(self) -> dict[str, Any]:
        return envelope({
            "base": {"cost_per_million_tokens": {"value": self.base_cost, "unit": "USD/Mtoken"}},
            "parameters": [
                {"name": r.name, "low": jsonable(r.low), "high": jsonable(r.high),
                 "cost_per_million_tokens_at_low": {"value": r.cost_at_low, "unit": "USD/Mtoken"},
                 "cost_per_million_tokens_at_high": {"value": r.cost_at_high, "unit": "USD/Mtoken"},
                 "swing": {"value": r.swing, "unit": "USD/Mtoken"}}
                for r in self.rows
            ],
        })


def _cost(quiet: bool = False, **parameters) -> Any:
    """Cost per million tokens [USD/Mtoken]; ``quiet``: no warnings (the study's own moves of the parameters)."""
    with warnings.catch_warnings():
        if quiet:
            warnings.simplefilter("ignore", TokencalcWarning)
        return factory(**parameters).cost_per_million_tokens.m_as("USD/Mtoken")


def sensitivity(overrides: Mapping[str, Any] | None = None,
                ranges: Mapping[str, tuple[Any, Any]] | None = None) -> Sensitivity:
    """Cost per million tokens with each parameter at the low and the high end of its range."""
    overrides = dict(overrides or {})
    ranges = _mapping(ranges, "ranges")
    check_names(ranges)
    scenario, provenance = resolve_scenario(overrides)
    base_cost = float(_cost(**overrides))
    bounds = uncertain_parameters(scenario, provenance)
    for name, pair in ranges.items():
        unit = PARAMETERS[name].unit
        if not unit:
            raise ParameterError(name, "ranges take numeric parameters only")
        _not_cashflow(name)
        if isinstance(pair, (str, bytes, Mapping)) or not hasattr(pair, "__len__") or len(pair) != 2:
            raise ParameterError(name, f"the range {pair!r} is not allowed; allowed: (low, high)")
        low, high = pair
        bounds[name] = (as_quantity(low, unit, f"{name} (low)"), as_quantity(high, unit, f"{name} (high)"))
        PARAMETERS[name].check(bounds[name][0].magnitude)
        PARAMETERS[name].check(bounds[name][1].magnitude)
    vector = [n for n in bounds if not _re_estimates(n)]
    rows = []
    if vector:
        size = 2 * len(vector)
        arrays = {}
        for i, name in enumerate(vector):
            unit = PARAMETERS[name].unit
            values = np.full(size, float(getattr(scenario, name).m_as(unit)))
            values[2 * i], values[2 * i + 1] = bounds[name][0].m_as(unit), bounds[name][1].m_as(unit)
            arrays[name] = values
        if "tokens_per_second_per_accelerator" not in arrays:
            arrays["tokens_per_second_per_accelerator"] = scenario.tokens_per_second_per_accelerator
        cost = _cost(True, **{**overrides, **{k: as_quantity(v, PARAMETERS[k].unit, k) for k, v in arrays.items()}})
        for i, name in enumerate(vector):
            rows.append(SensitivityRow(name, *bounds[name], float(cost[2 * i]), float(cost[2 * i + 1])))
    for name in (n for n in bounds if _re_estimates(n)):
        if name == "interactivity":  # the high end no faster than the system serves the workload
            top = reachable_interactivity({k: v for k, v in overrides.items() if k in WORKLOAD})
            low, high = bounds[name]
            bounds[name] = (Q_(min(low.m_as("token/s"), top), "token/s"), Q_(min(high.m_as("token/s"), top), "token/s"))
        ends = [float(_cost(True, **{**overrides, name: v})) for v in bounds[name]]
        rows.append(SensitivityRow(name, bounds[name][0], bounds[name][1], *ends))
    rows.sort(key=lambda r: r.swing, reverse=True)
    return Sensitivity(base_cost, tuple(rows), scenario)


MAX_SAMPLES = 10_000_000


def whole_samples(samples) -> int:
    """The number of samples as typed (``10000``, ``1e7``, ``"1e5"``), checked: a whole number from 1 to 10,000,000."""
    shown = str(samples).strip()
    shown = shown if len(shown) <= 40 else shown[:20] + f"... ({len(shown)} characters)"
    refused = ParameterError("samples", f"{shown!r} is not allowed; allowed: a whole number from 1 to "
                                        f"{MAX_SAMPLES:,}")
    if isinstance(samples, bool) or samples is None:
        raise refused
    try:
        value = float(samples) if not isinstance(samples, (int, np.integer)) else samples
    except (TypeError, ValueError, OverflowError):
        raise refused from None
    if not (isinstance(value, (int, np.integer)) or np.isfinite(value)) or not 1 <= value <= MAX_SAMPLES \
            or value != int(value):
        raise refused
    return int(value)


def _seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**63:
        raise ParameterError("seed", f"{seed!r} is not allowed; allowed: a whole number from 0 to 2**63 - 1")
    return int(seed)


@attrs.frozen
class MonteCarlo(Result):
    _RENDERER = ("uncertainty", "montecarlo_renderable")
    samples: int
    seed: int
    distributions: Mapping[str, str]  # name -> description
    inputs: Mapping[str, np.ndarray]  # name -> samples in the working unit
    units: Mapping[str, str]
    cost_per_million_tokens: np.ndarray  # USD/Mtoken
    breakeven_price_per_million_tokens: np.ndarray
    base_cost: float
    seconds: float
    specs: tuple = ()  # (name, (kind, args)) drawn, to draw the inputs again by chunk
    scenario: Any = None  # the scenario at the defaults (the base cost's), for titles

    def input_chunks(self) -> Iterator[tuple[int, int, dict[str, np.ndarray]]]:
        """(first sample, end, {name: its draws}) chunk by chunk: the kept inputs, or drawn again, the same."""
        for index, begin in enumerate(range(0, self.samples, CHUNK)):
            end = min(begin + CHUNK, self.samples)
            if self.inputs or not self.specs:
                yield begin, end, {k: v[begin:end] for k, v in self.inputs.items()}
            else:
                yield begin, end, _draw(dict(self.specs), self.seed, index, end - begin)

    @staticmethod
    def quantiles(values: np.ndarray) -> dict[str, float]:
        p5, p50, p95 = np.percentile(values, [5, 50, 95])
        return {"p5": float(p5), "p50": float(p50), "p95": float(p95), "mean": float(np.mean(values)),
                "std": float(np.std(values))}

    def to_dict(self) -> dict[str, Any]:
        def q(values):
            return {k: {"value": v, "unit": "USD/Mtoken"} for k, v in self.quantiles(values).items()}

        return envelope({
            "samples": self.samples,
            "seed": self.seed,
            "distributions": dict(self.distributions),
            "base_cost_per_million_tokens": {"value": self.base_cost, "unit": "USD/Mtoken"},
            "cost_per_million_tokens": q(self.cost_per_million_tokens),
            "breakeven_price_per_million_tokens": q(self.breakeven_price_per_million_tokens),
            "seconds": self.seconds,
        })


def _not_cashflow(name: str) -> None:
    """The studies report the cost per million tokens, which the cash-flow parameters do not move: refused."""
    if PARAMETERS[name].group == "cashflow":
        raise ParameterError(name, "a cash-flow parameter does not move the cost per million tokens these studies "
                             "report; allowed: parameters outside the cashflow group (tokencalc cashflow takes it)")


def _mapping(value, what: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ParameterError(what, f"expected a mapping of parameter names, got {type(value).__name__}")
    return dict(value)


def _specs(scenario, provenance, distributions) -> dict[str, tuple[str, dict[str, float]]]:
    specs: dict[str, tuple[str, dict[str, float]]] = {}
    distributions = _mapping(distributions, "distributions")
    check_names(distributions)
    if distributions:
        for name, dist in distributions.items():
            if not isinstance(dist, Distribution):
                dist = Distribution.structure("(distributions)", name, dist)
            unit = PARAMETERS[name].unit
            _not_cashflow(name)
            if not unit or (_re_estimates(name) and name != "interactivity"):
                workload = ", ".join(n for n in WORKLOAD if PARAMETERS[n].unit and n != "interactivity")
                raise ParameterError(name, "distributions take numeric parameters; of the workload only "
                                     f"interactivity ({workload} are fixed per run: the throughput is estimated "
                                     "once; tokencalc sensitivity moves them one at a time)")
            args = {}
            for key, value in dist.args.items():
                args[key] = float(as_quantity(value, "1" if key == "sigma" else unit, f"{name}.{key}").magnitude)
            specs[name] = (dist.kind, args)
        return specs
    for name, (low, high) in uncertain_parameters(scenario, provenance).items():
        if _re_estimates(name):
            continue
        unit = PARAMETERS[name].unit
        mode = float(getattr(scenario, name).m_as(unit))
        lo, hi = float(low.m_as(unit)), float(high.m_as(unit))
        if name == "tokens_per_second_per_accelerator" and 0 < lo < hi:
            # the throughput's range is the 10th to 90th percentile of an out-of-sample ratio: a lognormal through
            # both (z = 1.2816), not a triangle that takes them for hard limits (a 0.18-4.8x range drew a median
            # 1.8x the answer)
            specs[name] = ("lognormal", {"median": math.sqrt(lo * hi), "sigma": math.log(hi / lo) / (2 * 1.2816)})
        else:
            specs[name] = ("triangular", {"low": lo, "mode": mode, "high": hi})
    return specs


def _draw(specs, seed: int, index: int, n: int) -> dict[str, np.ndarray]:
    """Chunk ``index``'s ``n`` draws of every parameter: chunk 0 from the generator seeded with ``seed``
    (so runs of up to one chunk are as before), chunk i from the one seeded with (seed, i); any chunk can be
    drawn again alone, the same."""
    rng = np.random.default_rng(seed if index == 0 else [seed, index])
    out = {}
    for name in sorted(specs):
        kind, args = specs[name]
        try:
            out[name] = sample(rng, kind, args, n)
        except ValueError as exc:
            raise ParameterError(name, f"{kind} distribution {args}: {exc}") from None
    return out


def montecarlo(overrides: Mapping[str, Any] | None = None, distributions: Mapping[str, Any] | None = None,
               samples: int = 10_000, seed: int = 0,
               progress: Callable[[int, int], None] | None = None, keep_inputs: bool = True) -> MonteCarlo:
    """Draw ``samples`` scenarios and evaluate the factory on them, in chunks (see the module docstring).

    ``progress(done, total)`` is called after each chunk (counts of chunks), if given. With
    ``keep_inputs`` False the drawn inputs are not kept (8 bytes per parameter per sample less):
    :meth:`MonteCarlo.input_chunks` draws them again, chunk by chunk, the same.
    """
    samples, seed = whole_samples(samples), _seed(seed)
    start = time.perf_counter()
    overrides = dict(overrides or {})
    scenario, provenance = resolve_scenario(overrides)
    base_cost = float(_cost(**overrides))
    specs = _specs(scenario, provenance, distributions)
    fixed = {} if "tokens_per_second_per_accelerator" in specs or "interactivity" in specs else {
        "tokens_per_second_per_accelerator": scenario.tokens_per_second_per_accelerator}
    cost = np.empty(samples)
    kept: dict[str, list[np.ndarray]] = {name: [] for name in sorted(specs)}
    chunks = range(0, samples, CHUNK)
    for index, begin in enumerate(chunks):
        end = min(begin + CHUNK, samples)
        drawn = _draw(specs, seed, index, end - begin)
        chunk = {k: as_quantity(v, PARAMETERS[k].unit, k) for k, v in drawn.items()}
        values = np.asarray(_cost(True, **{**overrides, **fixed, **chunk}), dtype=float)
        if not np.isfinite(values).all():
            raise TokencalcError("cost_per_million_tokens: a Monte Carlo sample is not finite; the distributions "
                                 "reach values too extreme for the model; narrow them")
        cost[begin:end] = values
        if keep_inputs:
            for name, v in drawn.items():
                kept[name].append(v)
        if progress is not None:
            progress(index + 1, len(chunks))
    inputs = {name: np.concatenate(parts) for name, parts in kept.items()} if keep_inputs else {}
    for v in (cost, *inputs.values()):
        v.flags.writeable = False
    described = {k: f"{kind}({', '.join(f'{a}={v:g}' for a, v in args.items())}) {PARAMETERS[k].unit}"
                 for k, (kind, args) in sorted(specs.items())}
    return MonteCarlo(samples, seed, described, inputs, {k: PARAMETERS[k].unit for k in sorted(specs)}, cost,
                      cost, base_cost, time.perf_counter() - start, tuple(sorted(specs.items())), scenario)
