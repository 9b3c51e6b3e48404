"""Claims check: published statements about AI token economics as reproducible checks.

Each claim (``catalog/claims.toml``) states what it asserts as a range of numbers, the scenario
that tests it (a ``kind`` of computation and its parameters), other scenarios (``conditions``)
under which it might hold, and the inputs (``drivers``) that move the answer. The verdict:

* **consistent**: tokencalc's figure under the stated scenario lies in the claimed range;
* **consistent only under stated conditions**: it does not, but under one or more of the
  listed conditions it does (the verdict names them, and for ratios the interactivity band);
* **inconsistent**: under no listed condition does it.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Mapping

import attrs
import numpy as np

from .errors import CatalogError, ParameterError

__all__ = ["Claim", "ClaimCheck", "claims", "check", "check_claim", "check_all", "verdict", "KINDS", "CONSISTENT", "CONDITIONAL", "INCONSISTENT"]

CONSISTENT = "consistent"
CONDITIONAL = "consistent only under stated conditions"
INCONSISTENT = "inconsistent"


@attrs.frozen
class Claim:
    id: str
    statement: str
    who: str
    source: str
    date: str
    kind: str
    unit: str
    low: float
    high: float
    params: Mapping[str, Any]
    conditions: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict)
    drivers: tuple[str, ...] = ()
    note: str = ""


@functools.cache
def claims() -> Mapping[str, Claim]:
    from .catalog import _read_toml, sources

    out = {}
    for key, entry in _read_toml("claims.toml").items():
        try:
            claim = Claim(
                id=key, statement=entry["statement"], who=entry["who"], source=entry["source"], date=entry["date"],
                kind=entry["kind"], unit=entry["unit"], low=float(entry["claimed"]["low"]),
                high=float(entry["claimed"]["high"]), params=dict(entry.get("params", {})),
                conditions={k: dict(v) for k, v in entry.get("conditions", {}).items()},
                drivers=tuple(entry.get("drivers", ())), note=entry.get("note", ""),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CatalogError(f"claims.toml [{key}]: {exc}") from None
        if claim.source not in sources():
            raise CatalogError(f"claims.toml [{key}]: unknown source {claim.source!r}")
        if claim.kind not in KINDS:
            raise CatalogError(f"claims.toml [{key}]: unknown kind {claim.kind!r}")
        out[key] = claim
    return out


def verdict(low: float, high: float, value: float, conditions: Mapping[str, float]) -> tuple[str, list[str]]:
    """The verdict on a claimed range given tokencalc's value and its values under conditions."""
    holding = [name for name, v in conditions.items() if low <= v <= high]
    if low <= value <= high:
        return CONSISTENT, holding
    return (CONDITIONAL, holding) if holding else (INCONSISTENT, [])


# --- the computations, one per kind: params -> value in the claim's unit --------------------

def _split(params: Mapping[str, Any], *names: str) -> tuple[dict, dict]:
    own = {k: params[k] for k in names if k in params}
    rest = {k: v for k, v in params.items() if k not in names}
    return own, rest


def _factory(params):
    from .factory_model import factory

    return factory(**params)


def _capex(params, unit):
    return float(_factory(params).capex.total.m_as(unit))


def _cost_ratio(params, unit):
    from .compare import compare

    own, rest = _split(params, "baseline", "system")
    c = compare([own["baseline"], own["system"]], **rest)
    return float(c.systems[1].ratio)


def _revenue_per_year(result, input_price, output_price):
    from .units import as_quantity

    p_in = as_quantity(input_price, "USD/Mtoken", "input_price")
    p_out = as_quantity(output_price, "USD/Mtoken", "output_price")
    return result.input_tokens_per_year * p_in + result.output_tokens_per_year * p_out


def _rack_revenue(params, unit):
    from .units import Q_

    own, rest = _split(params, "years", "input_price", "output_price")
    r = _factory(rest)
    revenue = _revenue_per_year(r, own["input_price"], own["output_price"]) / r.systems * Q_(float(own["years"]),
                                                                                           "year")
    return float(revenue.m_as(unit))


def _margin(params, unit):
    own, rest = _split(params, "input_price", "output_price")
    r = _factory(rest)
    revenue = _revenue_per_year(r, own["input_price"], own["output_price"])
    return float((1 - r.annual_cost.total / revenue).m_as(""))


def _cost_share(params, unit):
    own, rest = _split(params, "lines")
    r = _factory(rest)
    part = sum(getattr(r.annual_cost, line) for line in own["lines"])
    return float((part / r.annual_cost.total).m_as(""))


def _cost_change(params, unit):
    shocked = _factory(params).cost_per_million_tokens
    base = _factory({**params, "power_source": "grid"}).cost_per_million_tokens
    return float((shocked / base).m_as("")) - 1


def _cost_per_hour(params, unit):
    return float(_factory(params).cost_per_accelerator_hour.m_as(unit))


def _energy(params, unit):
    from .power import energy_preset

    return float(energy_preset(params["preset"]).value.m_as(unit))


KINDS: Mapping[str, Callable[[Mapping[str, Any], str], float]] = {
    "capex": _capex, "cost_ratio": _cost_ratio, "rack_revenue": _rack_revenue, "margin": _margin,
    "cost_share": _cost_share, "cost_change": _cost_change, "cost_per_hour": _cost_per_hour, "energy": _energy,
}


@attrs.frozen
class Driver:
    name: str
    low: Any
    high: Any
    value_at_low: float
    value_at_high: float


@attrs.frozen
class ClaimCheck:
    claim: Claim
    value: float
    verdict: str
    holding: tuple[str, ...]  # conditions under which the claim holds
    condition_values: Mapping[str, float]
    drivers: tuple[Driver, ...]
    band: tuple[float, float] | None  # interactivity band where a ratio claim holds (token/s per user)


def _drivers(claim: Claim) -> tuple[Driver, ...]:
    from .scenario import resolve_scenario
    from .uncertainty import uncertain_parameters

    if claim.kind in ("energy", "cost_ratio") or not claim.drivers:
        return ()
    compute = KINDS[claim.kind]
    factory_params = {k: v for k, v in claim.params.items()
                      if k not in ("years", "input_price", "output_price", "lines")}
    ranges = uncertain_parameters(resolve_scenario(factory_params)[0])
    out = []
    for name in claim.drivers:
        if name not in ranges:
            continue
        low, high = ranges[name]
        out.append(Driver(name, low, high, compute({**claim.params, name: low}, claim.unit),
                          compute({**claim.params, name: high}, claim.unit)))
    return tuple(out)


def _band(claim: Claim) -> tuple[float, float] | None:
    if claim.kind != "cost_ratio":
        return None
    from .compare import compare, interactivity_sweep

    own, rest = _split(claim.params, "baseline", "system")
    rest = {k: v for k, v in rest.items() if k != "interactivity"}
    c = compare([own["baseline"], own["system"]], **rest)
    sweep = interactivity_sweep(c, **rest)
    ratio = sweep.ratio[c.systems[1].id]
    inside = (ratio >= claim.low) & (ratio <= claim.high)
    if not inside.any():
        return None
    first = int(inside.argmax())
    last = first
    while last + 1 < len(inside) and inside[last + 1]:
        last += 1
    return float(sweep.interactivity[first]), float(sweep.interactivity[last])


def check(claim_id: str) -> ClaimCheck:
    """Evaluate a claim of the catalog by id."""
    from .catalog import lookup

    return check_claim(lookup(claims(), claim_id, "claim"))


def check_claim(claim: Claim) -> ClaimCheck:
    """Evaluate one claim: tokencalc's figure, the verdict and its conditions."""
    if claim.kind not in KINDS:
        raise ParameterError("claim", f"{claim.id}: unknown kind {claim.kind!r}; kinds: {', '.join(KINDS)}")
    compute = KINDS[claim.kind]
    value = compute(claim.params, claim.unit)
    condition_values = {name: compute(params, claim.unit) for name, params in claim.conditions.items()}
    label, holding = verdict(claim.low, claim.high, value, condition_values)
    if not np.isfinite(value):
        raise ParameterError("claim", f"{claim.id}: the computation gave no finite value")
    return ClaimCheck(claim, value, label, tuple(holding), condition_values, _drivers(claim), _band(claim))


def check_all(ids=None) -> list[ClaimCheck]:
    return [check(i) for i in (ids or claims())]
