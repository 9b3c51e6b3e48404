"""The fleet study's inputs: the roadmap's generations priced and sized for one hall, each through the factory.

Each roadmap generation is one :func:`tokencalc.studies.factory.factory` evaluation at the hall's power with
the user's overrides: its throughput comes from the throughput study (so it moves with the workload and the
interactivity), its power, price and operating costs from the catalog. Beyond the last announced year the
extrapolation rule of ``roadmap.toml`` adds one generation per cadence (:func:`tokencalc.model.fleet.extrapolate`).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import attrs
import numpy as np

from .. import catalog
from ..catalog.roadmap import Generation, roadmap
from ..errors import ParameterError
from ..model import fleet as fleet_model
from ..units import as_quantity
from .factory import AnnualCost, factory

__all__ = ["GenerationFigures", "hall_generations", "parse_policy", "POLICIES"]

POLICIES = ("life=3", "life=4", "life=5", "life=6", "life=7", "never", "optimal")


@attrs.frozen
class GenerationFigures:
    """A generation as one hall sees it: plain numbers in the units named."""

    id: str
    name: str
    status: str  # shipping, announced, extrapolated
    first_year: int
    price_year: int
    price_decline: float  # 1/year
    life_limit: int  # years
    sale_years: int
    tokens: float  # Mtoken/year per hall
    operating_cost: float  # USD/year per hall (energy, site operations, facility maintenance)
    compute_cost: float  # USD per hall at the price of price_year
    network_cost: float  # USD per hall
    accelerators: float  # per hall
    it_power: float  # W of accelerators' IT power per hall
    sources: tuple[str, ...] = ()


def parse_policy(text: str) -> int | None | str:
    """``life=N`` -> N, ``never`` -> None, ``optimal`` -> "optimal"; anything else is a ParameterError."""
    value = str(text).strip().lower().replace(" ", "")
    if value in ("never", "optimal"):
        return None if value == "never" else "optimal"
    if value.startswith("life="):
        try:
            n = int(value[5:])
        except ValueError:
            n = 0
        if 1 <= n <= 30:
            return n
    raise ParameterError("policy", f"{text!r} is not allowed; allowed: optimal, never, life=N (N whole years 1-30)")


def _whole(value: float, name: str, low: int, high: int) -> int:
    whole = int(round(value))
    if abs(value - whole) > 1e-9 or not low <= whole <= high:
        raise ParameterError(name, f"{value:g} is not allowed; allowed: a whole number from {low} to {high}")
    return whole


def _figures(gen: Generation, result) -> GenerationFigures:
    lines = result.annual_cost
    operating = sum(float(getattr(lines, k).m_as("USD/year")) for k in AnnualCost.OPERATING) \
        - float(lines.hardware_maintenance.m_as("USD/year"))
    return GenerationFigures(
        id=gen.id, name=gen.name, status=gen.status, first_year=gen.first_year, price_year=gen.price_year,
        price_decline=float(gen.price_decline.value.m_as("1/year")),
        life_limit=int(round(gen.life_limit.value.m_as("year"))),
        sale_years=int(round(gen.sale_years.value.m_as("year"))),
        tokens=float(result.tokens_per_year.m_as("Mtoken/year")), operating_cost=operating,
        compute_cost=float(result.capex.compute.m_as("USD")), network_cost=float(result.capex.network.m_as("USD")),
        accelerators=float(result.accelerators),
        it_power=float((result.accelerators * result.scenario.it_power_per_accelerator).m_as("W")),
        sources=tuple(sorted({f.source for f in gen.figures().values()})),
    )


def _evaluate(gen: Generation, overrides: Mapping[str, Any], hall_power) -> Any:
    """The factory for one hall of ``gen``: its system, the roadmap's figures where it fills them in."""
    args = {**overrides, "facility_power": hall_power, "it_power": 0, "accelerator": gen.system}
    for name, fig in gen.overrides.items():
        args.setdefault(name, fig.value)
    if "accelerator_capex" in gen.overrides and "network_capex_per_accelerator" not in overrides:
        share = catalog.defaults()["network_capex_share"].value.m_as("")
        args["network_capex_per_accelerator"] = args["accelerator_capex"] * share
    if gen.throughput_ratio is not None and "tokens_per_second_per_accelerator" not in overrides:
        base = factory(**{**args, "accelerator": gen.system})
        args["tokens_per_second_per_accelerator"] = (base.scenario.tokens_per_second_per_accelerator
                                                     * gen.throughput_ratio.value.m_as(""))
    return factory(**args)


# cash-flow parameters the factory does not use: a fleet evaluates its generations without them (the fleet
# reads them from its own scenario), so runs that differ only in them share the generations' evaluations
_NOT_FOR_THE_FACTORY = frozenset(("token_price_decline", "tax_rate", "accelerator_book_life", "depreciation_method",
                                  "build_period", "horizon", "debt_share", "cost_of_debt", "debt_term"))
_CACHE: dict = {}
_CACHE_SIZE = 16


def _factory_results(overrides: Mapping[str, Any], hall_power, chosen: Sequence[Generation]) -> tuple:
    """One factory evaluation per generation, remembered for the last few sites and workloads (by the text of
    their parameters; arrays are not remembered); and the generations a hall cannot host, with the error that
    says why (too dense for the cooling, a rack bigger than the hall)."""
    used = {k: v for k, v in overrides.items() if k not in _NOT_FOR_THE_FACTORY}
    key = None
    if not any(isinstance(v, np.ndarray) or np.ndim(getattr(v, "magnitude", 0)) for v in used.values()):
        key = (repr(sorted((k, repr(v)) for k, v in used.items())), repr(hall_power), tuple(g.id for g in chosen))
        if key in _CACHE:
            return _CACHE[key]
    results, excluded = [], {}
    for gen in chosen:
        try:
            results.append((gen, _evaluate(gen, used, hall_power)))
        except ParameterError as exc:  # a system the site cannot host: its racks too dense or too big
            if exc.parameter not in ("cooling", "facility_power"):
                raise
            excluded[gen.id] = exc
    results = (results, excluded)
    if key is not None:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = results
    return results


def hall_generations(overrides: Mapping[str, Any], hall_power, ids: Sequence[str] | None, start: int, years: int,
                     extrapolate: bool, gains: Mapping[str, Any] | None = None) -> tuple[list[GenerationFigures], dict,
                                                                                         dict]:
    """The generations (roadmap order, then extrapolated ones) as one hall of ``hall_power`` sees them, and the
    factory result of each roadmap generation by id (the site's building and plant, the default price), and the
    generations a hall cannot host (id: the ParameterError saying why), left out.
    ``gains``: tokens_per_watt_gain and tokens_per_dollar_gain [1/year] in place of the roadmap's."""
    if "accelerator" in overrides:
        raise ParameterError("accelerator", "the fleet takes its generations from the roadmap; give the first with --gpu")
    known = roadmap().by_id()
    chosen = list(known.values()) if not ids else [catalog.lookup(known, i, "roadmap", "generation") for i in ids]
    results, excluded = _factory_results(overrides, hall_power, chosen)
    if not results:
        raise next(iter(excluded.values()))
    for gen, result in results:
        if not result.scalar:
            raise ParameterError("parameters", "the fleet takes single values; run one scenario at a time")
    gens = [_figures(gen, result) for gen, result in results]
    end = start + years - 1
    if extrapolate and gens:
        rule = roadmap().extrapolation
        last = max(g.first_year for g in gens)
        base = max((g for g in gens if g.first_year == last), key=lambda g: g.tokens)
        cadence = _whole(rule["cadence"].value.m_as("year"), "cadence", 1, 10)
        gain_w, gain_d = (_gain(name, (gains or {}).get(name), rule[name].value)
                          for name in ("tokens_per_watt_gain", "tokens_per_dollar_gain"))
        hardware = base.compute_cost * (1 - base.price_decline) ** (last - base.price_year) + base.network_cost
        for year in range(last + cadence, end + 1, cadence):
            tokens, cost = fleet_model.extrapolate(base.tokens, hardware, gain_w, gain_d, year - last)
            share = base.network_cost / (base.compute_cost + base.network_cost)
            gens.append(attrs.evolve(
                base, id=f"next-{year}", name=f"extrapolated {year} ({base.id}, tokens/W +{100 * gain_w:.0f} %/yr, "
                f"tokens/USD +{100 * gain_d:.0f} %/yr)", status="extrapolated", first_year=year, price_year=year,
                tokens=float(tokens), compute_cost=float(cost) * (1 - share), network_cost=float(cost) * share,
                sources=tuple(sorted({rule[k].source for k in rule}))))
    return gens, {gen.id: result for gen, result in results}, excluded


def _gain(name: str, value: Any, default) -> float:
    gain = float(as_quantity(default if value is None else value, "1/year", name).m_as("1/year"))
    if not -0.5 < gain < 10:
        raise ParameterError(name, f"{gain:g} is not allowed; allowed: > -0.5 and < 10 per year")
    return gain


def check_horizon(start: Any, years: Any) -> tuple[int, int]:
    """``start`` (a calendar year) and ``years`` (operating years) as whole numbers within range."""
    s = _whole(float(as_quantity(start, "", "start").magnitude), "start", 2015, 2060)
    n = _whole(float(as_quantity(years, "", "years").magnitude), "years", 1, 40)
    return s, n


def model_generations(gens: Sequence[GenerationFigures], start: int, years: int) -> fleet_model.Generations:
    """The model's per-hall arrays: street prices by operating year, what is on sale when, the order of newness."""
    calendar = start + np.arange(years)
    first = np.array([g.first_year for g in gens])
    compute = np.array([fleet_model.street_price(g.compute_cost, g.price_decline, g.price_year, calendar)
                        for g in gens])
    newest_first = np.array([first[first <= y].max() if (first <= y).any() else -1 for y in calendar])
    sale_end = np.array([g.first_year + g.sale_years for g in gens])
    installable = (first[:, None] <= calendar[None, :]) & ((calendar[None, :] < sale_end[:, None])
                                                          | (first[:, None] == newest_first[None, :]))
    tokens = np.array([g.tokens for g in gens])
    order = np.lexsort((tokens, first))  # newer first-volume year, then more tokens per hall
    newness = np.empty(len(gens))
    newness[order] = np.arange(len(gens))
    return fleet_model.Generations(
        tokens=tokens, operating_cost=np.array([g.operating_cost for g in gens]), compute_cost=compute,
        network_cost=np.array([g.network_cost for g in gens]), installable=installable,
        life_limit=np.array([g.life_limit for g in gens]), newness=newness)
