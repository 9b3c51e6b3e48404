"""The fleet: a power-capped site across hardware generations, and each generation's economic life.

A site of ``facility_power`` is split into ``halls`` (the unit of replacement), built at ``ramp`` W/year,
first filled with ``gpu`` (default: the newest generation shipping at ``start``) and refilled from the
roadmap (``catalog/roadmap.toml``) under a replacement policy: ``life=N``, ``never`` (run to the physical
life limit) or ``optimal`` (dynamic programming per hall, :mod:`tokencalc.model.fleet`; it may also retire
hardware and leave a hall dark when tokens stop paying for its energy). Tokens sell at a
price path (``price`` and the scenario's ``token_price_decline``, or a list ``prices``); costs, taxes and
finance come from the same scenario as ``tokencalc factory`` and ``tokencalc cashflow``. Every policy of
:data:`POLICIES` is valued beside the chosen one.
"""

from __future__ import annotations

from typing import Any, Sequence

import attrs
import numpy as np

from ..errors import ParameterError
from ..model import fleet as fleet_model
from ..model.capital import depreciation_schedule
from ..model.finance import net_present_value
from ..units import Q_, as_quantity, jsonable
from .cashflow import _whole_years
from .factory import resolve_scenario
from .fleet_inputs import (POLICIES, GenerationFigures, check_horizon, hall_generations, model_generations,
                           parse_policy)
from ..tidy import PANDAS_MISSING
from .record import Result, envelope

__all__ = ["fleet", "fleet_request", "FleetResult", "POLICIES"]

DARK = "dark"
COLUMNS = ("year", "tokens", "revenue", "capex", "operating_cost", "maintenance", "tax", "residual_value",
           "cash_flow", "discounted_cash_flow", "cumulative_npv", "book_loss", "cost_per_million_tokens")


@attrs.frozen
class FleetResult(Result):
    """What :func:`fleet` computes. Figures in rows are plain numbers: USD, Mtoken, USD/Mtoken, MW."""

    _RENDERER = ("fleet", "fleet_renderable")

    policy: str
    start: int
    years: int
    halls: int
    hall_power: Any  # Quantity W (facility power per hall)
    online: tuple[int, ...]  # each hall's first operating year (calendar)
    first: str
    generations: tuple[GenerationFigures, ...]
    prices: tuple[float, ...]  # USD/Mtoken by operating year
    rows: tuple[dict, ...]  # one per year, construction included (see COLUMNS, plus installed)
    npv: Any  # Quantity USD
    economic_life: dict  # id -> (years, censored)
    book_life: Any  # Quantity year
    book_loss: dict  # id -> USD written off when retired before fully depreciated
    decisions: tuple[dict, ...]  # replacements: hall, year, from, age, to
    policies: dict  # policy -> {"npv": USD, "cost_per_million_tokens": (USD/Mtoken by operating year)}
    scenario: Any = None
    excluded: dict = attrs.field(factory=dict)  # generation -> why a hall cannot host it

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: policy, npv, years[...], economic_life, book_loss, policies, and the context."""
        years = []
        for row in self.rows:
            years.append({
                "year": row["year"],
                "installed": {k: {"value": v, "unit": "MW"} for k, v in row["installed"].items()},
                "tokens": {"value": row["tokens"], "unit": "Mtoken"},
                "revenue": {"value": row["revenue"], "unit": "USD"},
                "cost": {k: {"value": row[k], "unit": "USD"} for k in ("capex", "operating_cost", "maintenance",
                                                                      "tax")},
                "residual_value": {"value": row["residual_value"], "unit": "USD"},
                "book_loss": {"value": row["book_loss"], "unit": "USD"},
                "cash_flow": {"value": row["cash_flow"], "unit": "USD"},
                "cumulative_npv": {"value": row["cumulative_npv"], "unit": "USD"},
                "cost_per_million_tokens": None if row["cost_per_million_tokens"] is None else
                {"value": row["cost_per_million_tokens"], "unit": "USD/Mtoken"},
            })
        return envelope({
            "policy": self.policy,
            "npv": jsonable(self.npv, "USD"),
            "start": self.start,
            "halls": self.halls,
            "hall_power": jsonable(self.hall_power, "MW"),
            "first_generation": self.first,
            "prices": [{"year": self.start + k, "price": {"value": p, "unit": "USD/Mtoken"}}
                       for k, p in enumerate(self.prices)],
            "years": years,
            "economic_life": {g: {"value": life, "unit": "year"} for g, (life, _) in self.economic_life.items()},
            "economic_life_censored": [g for g, (_, censored) in self.economic_life.items() if censored],
            "book_life": jsonable(self.book_life, "year"),
            "book_loss": {g: {"value": v, "unit": "USD"} for g, v in self.book_loss.items()},
            "decisions": [dict(d) for d in self.decisions],
            "policies": {name: {"npv": {"value": p["npv"], "unit": "USD"},
                                "cost_per_million_tokens": [{"value": c, "unit": "USD/Mtoken"} if np.isfinite(c)
                                                            else None for c in p["cost_per_million_tokens"]]}
                         for name, p in self.policies.items()},
            "generations": [_generation_dict(g) for g in self.generations],
            "excluded": dict(self.excluded),
        })

    def to_dataframe(self):
        """The yearly rows as a pandas DataFrame (installed MW by generation as columns); needs pandas."""
        try:
            import pandas as pd  # lazy: pandas is optional, only for this conversion
        except ImportError:
            raise ImportError(PANDAS_MISSING) from None
        records = [{**{k: r[k] for k in COLUMNS}, **{f"installed_mw:{g}": mw for g, mw in r["installed"].items()}}
                   for r in self.rows]
        return pd.DataFrame.from_records(records).set_index("year")

    def __rich__(self):
        from ..present.fleet import fleet_renderable  # lazy: the rich display protocol, on demand

        return fleet_renderable(self)


def _generation_dict(g: GenerationFigures) -> dict:
    return {"id": g.id, "name": g.name, "status": g.status, "first_volume": g.first_year,
            "price_decline": {"value": g.price_decline, "unit": "1/year"},
            "life_limit": {"value": g.life_limit, "unit": "year"},
            "tokens_per_hall": {"value": g.tokens, "unit": "Mtoken/year"},
            "launch_price_per_hall": {"value": g.compute_cost * (1 - g.price_decline) ** (g.first_year - g.price_year)
                                      + g.network_cost, "unit": "USD"},
            "sources": list(g.sources)}


def _finance(s, years: int, residual_curve) -> fleet_model.Finance:
    method = s.depreciation_method
    if method == "custom" and not residual_curve:
        raise ParameterError("depreciation_method", "custom needs a residual curve (--residual-curve 0.6,0.35,...)")
    return fleet_model.Finance(
        wacc=float(s.wacc.m_as("")), tax_rate=float(s.tax_rate.m_as("")),
        build=_whole_years(s.build_period, "build_period"),
        maintenance_rate=float(s.hardware_maintenance_rate.m_as("1/year")),
        compute_book=depreciation_schedule(1.0, float(s.accelerator_book_life.m_as("year")), method, years=years,
                                           residual_curve=residual_curve),
        network_book=depreciation_schedule(1.0, float(s.network_life.m_as("year")), "straight-line", years=years))


def _prices(price, prices, decline: float, years: int, default: float) -> np.ndarray:
    if prices is not None:
        values = np.asarray([float(as_quantity(p, "USD/Mtoken", "prices").magnitude) for p in prices])
        if values.size == 0 or (values < 0).any():
            raise ParameterError("prices", "give one price >= 0 USD/Mtoken per year, e.g. 2,1.4,1")
        return np.concatenate([values, np.full(max(0, years - values.size), values[-1])])[:years]
    start = default if price is None else float(as_quantity(price, "USD/Mtoken", "price").magnitude)
    if start < 0:
        raise ParameterError("price", f"{start:g} USD/Mtoken is not allowed; allowed: >= 0")
    return fleet_model.price_path(start, decline, years)


def fleet(policy: str = "optimal", gpu: str | None = None, start: Any = 2024, years: Any = 10, halls: Any = 4,
          ramp: Any = None, price: Any = None, prices: Sequence[Any] | None = None,
          roadmap: Sequence[str] | None = None, extrapolate: bool = True, street_price_decline: Any = None,
          tokens_per_watt_gain: Any = None, tokens_per_dollar_gain: Any = None, residual_curve=None,
          **parameters: Any) -> FleetResult:
    """A power-capped site over ``years`` from ``start``, refilled with hardware generations under ``policy``.

    Parameters
    ----------
    policy : "optimal", "never" or "life=N"
    gpu : the generation the site is first built with (default: the newest shipping at ``start``); halls
        opening later are first built with the newest on sale then (fixed policies) or the best (optimal)
    start, years : the first operating year and the number of operating years
    halls : halls of equal power, the unit of replacement; ramp : facility power built per year [MW/year
        for a bare number]; systems a hall cannot host (cooling, rack size) are left out (``excluded``)
    price : token price in the first year [USD/Mtoken] (default: the market's price each year, the lowest v1
        cost per Mtoken of the systems on sale that year, whatever the site is built with; with only
        ``token_price_decline`` given, that path starts at the market's price in ``start``),
        falling by the scenario's ``token_price_decline``; or ``prices``: one per year (the last one repeats)
    roadmap : generation ids to use (default: the whole roadmap); extrapolate : add generations beyond the
        last announced one by the roadmap's rule; street_price_decline : the yearly fall of every system's
        street price [1/year] (default: each generation's from the roadmap); tokens_per_watt_gain,
        tokens_per_dollar_gain : the extrapolation rule's yearly gains [1/year] (default: the roadmap's)
    **parameters : any factory or cash-flow parameter (facility_power, pue, wacc, tax_rate, workload, ...)

    Returns
    -------
    FleetResult
    """
    name = str(policy).strip().lower().replace(" ", "")
    kind = parse_policy(name)
    s0, n = check_horizon(start, years)
    hall_count = float(as_quantity(halls, "", "halls").magnitude)
    if hall_count != int(hall_count) or not 1 <= hall_count <= 100:
        raise ParameterError("halls", f"{halls!r} is not allowed; allowed: a whole number from 1 to 100")
    hall_count = int(hall_count)
    if "accelerator" in parameters:
        raise ParameterError("accelerator", "the fleet takes its generations from the roadmap; give the first with gpu")
    site, _ = resolve_scenario({**parameters, "accelerator": "h100"})
    hall_power = (site.facility_power / hall_count).to("W")
    ramp_w = None if ramp is None else float(as_quantity(ramp, "MW/year", "ramp").m_as("W/year"))
    if ramp_w is not None and ramp_w <= 0:
        raise ParameterError("ramp", f"{ramp!r} is not allowed; allowed: > 0 W/year, e.g. '250 MW/yr'")
    overrides = {k: v for k, v in parameters.items() if k not in ("facility_power", "it_power")}
    gens, results, excluded = hall_generations(overrides, hall_power, roadmap, s0, n, extrapolate,
                                     {"tokens_per_watt_gain": tokens_per_watt_gain,
                                      "tokens_per_dollar_gain": tokens_per_dollar_gain})
    if street_price_decline is not None:
        decline = float(as_quantity(street_price_decline, "1/year", "street_price_decline").m_as("1/year"))
        if not 0 <= decline < 1:
            raise ParameterError("street_price_decline", f"{decline:g} is not allowed; allowed: >= 0 and < 1 per year")
        gens = [attrs.evolve(g, price_decline=decline) for g in gens]
    ids = [g.id for g in gens]
    if gpu is not None and str(gpu).strip().lower() in excluded:
        raise excluded[str(gpu).strip().lower()]
    shipping = [g for g in gens if g.first_year <= s0]
    if not shipping:
        raise ParameterError("start", f"{s0} is before the roadmap's first volume ({min(g.first_year for g in gens)})")
    if gpu is None:
        first = max(shipping, key=lambda g: (g.first_year, g.tokens)).id
    else:
        first = str(gpu).strip().lower()
        if first not in ids:
            raise ParameterError("gpu", f"unknown generation {gpu!r}; allowed: {', '.join(ids)}")
        if first not in [g.id for g in shipping]:
            raise ParameterError("gpu", f"{first} ships in volume from {gens[ids.index(first)].first_year}; "
                                 f"allowed at start {s0}: {', '.join(g.id for g in shipping)}")
    any_result = next(iter(results.values()))
    gens.append(_dark_hall(any_result, s0))  # the optimal plan may leave a hall without hardware
    ids = [g.id for g in gens]
    if first not in results and price is None and prices is None:
        raise ParameterError("price", f"give a price: {first} is extrapolated and has no v1 cost per Mtoken")
    g0 = ids.index(first)
    arrays = model_generations(gens, s0, n)
    fin = _finance(site, n, residual_curve)
    online = fleet_model.hall_online_years(hall_count, float(hall_power.m_as("W")), ramp_w)
    if online.max() >= n:
        raise ParameterError("ramp", f"the last hall would start after the {n} years; allowed: a faster ramp")
    # the market price starts at the cheapest tokens on sale at the start (v1 cost per Mtoken), not at the cost of
    # whatever the site is first built with: an H100 site in 2024 sells at Blackwell's price, not at its own
    def market(year: int) -> float:
        costs = [float(results[g.id].cost_per_million_tokens.m_as("USD/Mtoken")) for g in gens
                 if g.id in results and g.first_year <= year]
        return min(costs) if costs else 0.0

    decline = float(site.token_price_decline.m_as("1/year"))
    if price is None and prices is None and decline == 0:  # no price path given: the market's, year by year
        price_path = np.array([market(s0 + t) for t in range(n)])
    else:
        price_path = _prices(price, prices, decline, n, market(s0))
    site_part = _site(any_result, fin, online, n)
    compared = {p: _run(parse_policy(p), arrays, price_path, fin, online, g0, site_part) for p in POLICIES}
    chosen = compared[name] if name in compared else _run(kind, arrays, price_path, fin, online, g0, site_part)
    return attrs.evolve(_result(name, chosen, compared, gens, arrays, fin, s0, n, hall_power, online, first,
                                price_path, site), excluded={k: str(v) for k, v in excluded.items()})


def _dark_hall(result, start: int) -> GenerationFigures:
    """A hall left without hardware: no tokens, no hardware; its building still costs site operations and
    facility maintenance [USD/year]. Always on offer, never the newest (fixed policies never pick it)."""
    lines = result.annual_cost
    fixed = float((lines.site_operations + lines.facility_maintenance).m_as("USD/year"))
    return GenerationFigures(id=DARK, name="hall left dark (no hardware)", status="dark", first_year=-10_000,
                             price_year=start, price_decline=0.0, life_limit=100, sale_years=100_000, tokens=0.0,
                             operating_cost=fixed, compute_cost=0.0, network_cost=0.0, accelerators=0.0, it_power=0.0)


def _site(result, fin: fleet_model.Finance, online: np.ndarray, n: int) -> dict:
    """Each hall's building and plant flows (by first operating year) and its level capital charge [USD/year]."""
    s = result.scenario
    facility, plant = float(result.capex.facility.m_as("USD")), float(result.capex.power_plant.m_as("USD"))
    lives = _whole_years(s.facility_life, "facility_life"), _whole_years(s.plant_life, "plant_life")
    flows = {int(o): fleet_model.site_flows(facility, lives[0], plant, lives[1], int(o), n, fin)
             for o in set(online.tolist())}
    charge = fleet_model.level_capital_charge(facility, lives[0], fin.wacc) \
        + fleet_model.level_capital_charge(plant, lives[1], fin.wacc)
    return {"flows": flows, "charge": charge}


def _run(kind, arrays, price_path, fin, online, g0, site_part) -> dict:
    """One policy: each hall's plan, the fleet's NPV [USD] and its cost per Mtoken by operating year."""
    life = kind if isinstance(kind, int) else None
    terminal = fleet_model.terminal_lives(arrays, life)
    table = fleet_model.segment_table(arrays, price_path, fin, terminal)
    plans, cache = [], {}
    for o in online.tolist():
        if o not in cache:  # halls opening later are first built with what is on sale then
            first = g0 if o == 0 else None
            cache[o] = (fleet_model.optimal_plan(table["value"], arrays, o, first, fin) if kind == "optimal"
                        else fleet_model.policy_plan(arrays, o, first, life))
        plans.append(cache[o])
    value = sum(fleet_model.plan_value(table["value"], p, arrays, fin) for p in plans)
    value += sum(net_present_value(fin.wacc, site_part["flows"][o]["cash_flow"]) for o in online.tolist())
    cost = fleet_model.fleet_cost_per_token(plans, arrays, terminal, fin, site_part["charge"])
    return {"plans": plans, "npv": float(value), "cost_per_million_tokens": cost, "terminal": terminal,
            "book_loss": table["book_loss"], "sites": site_part["flows"]}


def _result(name, chosen, compared, gens, arrays, fin, s0, n, hall_power, online, first, price_path, site):
    ids = [g.id for g in gens]
    flows = fleet_model.fleet_flows(chosen["plans"], arrays, price_path, fin, chosen["terminal"], chosen["sites"])
    t = np.arange(len(flows["cash_flow"]))
    discounted = flows["cash_flow"] * (1 + fin.wacc) ** -t
    cumulative = np.cumsum(discounted)
    hall_mw = float(hall_power.m_as("MW"))
    cost = chosen["cost_per_million_tokens"]
    rows = []
    for i in t:
        k = i - fin.build - 1
        row = {"year": int(s0 + k), **{c: float(flows[c][i]) for c in ("tokens", "revenue", "capex", "operating_cost",
                                                                       "maintenance", "tax", "residual_value",
                                                                       "cash_flow", "book_loss")},
               "discounted_cash_flow": float(discounted[i]), "cumulative_npv": float(cumulative[i]),
               "cost_per_million_tokens": float(cost[k]) if k >= 0 and np.isfinite(cost[k]) else None,
               "installed": {ids[g]: float(flows["halls"][g, i] * hall_mw) for g in range(len(ids))
                             if flows["halls"][g, i] > 0 and ids[g] != DARK}}
        rows.append(row)
    lives = {ids[g]: v for g, v in sorted(fleet_model.economic_lives(chosen["plans"], n).items()) if ids[g] != DARK}
    loss: dict[str, float] = {}
    decisions = []
    for h, plan in enumerate(chosen["plans"]):
        for (g, t0, t1), nxt in zip(plan, list(plan[1:]) + [None]):
            if t1 < n and ids[g] != DARK:
                loss[ids[g]] = loss.get(ids[g], 0.0) + float(chosen["book_loss"][g, t0, t1])
            if nxt is not None and not ids[g] == ids[nxt[0]] == DARK:
                decisions.append({"hall": h + 1, "year": s0 + t1, "from": ids[g], "age": t1 - t0, "to": ids[nxt[0]]})
    loss["total"] = sum(loss.values())
    policies = {p: {"npv": r["npv"], "cost_per_million_tokens": tuple(float(c) for c in r["cost_per_million_tokens"])}
                for p, r in compared.items()}
    if name not in policies:
        policies[name] = {"npv": chosen["npv"], "cost_per_million_tokens": tuple(float(c) for c in cost)}
    return FleetResult(
        policy=name, start=s0, years=n, halls=len(online), hall_power=hall_power.to("MW"),
        online=tuple(int(s0 + o) for o in online), first=first, generations=tuple(g for g in gens if g.id != DARK),
        prices=tuple(float(p) for p in price_path), rows=tuple(rows), npv=Q_(chosen["npv"], "USD"),
        economic_life=lives, book_life=site.accelerator_book_life.to("year"), book_loss=loss,
        decisions=tuple(decisions), policies=policies, scenario=site)


def fleet_request(overrides: dict, options: dict) -> dict:
    """The command line's fleet options as :func:`fleet` keyword arguments: ``--gpu`` (the parameter
    ``accelerator``) becomes the first generation, ``--prices`` and ``--roadmap`` are comma lists, ``--horizon``
    is refused (the fleet counts ``--years``), ``--price-decline 30%`` reads as 30 %/yr. ``overrides``: the parsed scenario parameters."""
    args = {k: v for k, v in options.items() if v is not None}
    params = dict(overrides)
    decline = params.get("token_price_decline")
    if isinstance(decline, str) and decline.strip().endswith("%") and "/" not in decline:
        params["token_price_decline"] = f"{decline.strip()}/yr"  # --price-decline 30%: a yearly fall
    if "horizon" in params:
        raise ParameterError("horizon", "the fleet counts its operating years with --years")
    gpu = params.pop("accelerator", None)
    if gpu is not None:
        args["gpu"] = gpu
    if "prices" in args:
        args["prices"] = [p for p in str(args["prices"]).split(",") if p.strip()]
        if "price" in args:
            raise ParameterError("price", "give either --price (with --price-decline) or --prices, not both")
    if "roadmap" in args:
        args["roadmap"] = [g.strip() for g in str(args["roadmap"]).split(",") if g.strip()]
    return {**params, **args}
