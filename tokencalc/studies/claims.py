"""Claims check: published statements about AI token economics as reproducible checks.

Each claim (``catalog/claims.toml``) states what it asserts as a range of numbers, the scenario
that tests it (a ``kind`` of computation and its parameters), other scenarios (``conditions``)
under which it might hold, and the inputs (``drivers``) that move the answer. The verdict
(:func:`tokencalc.model.claims.verdict`): consistent; consistent only under stated conditions
(named, and for ratios the interactivity band); inconsistent.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import attrs
import numpy as np

from .. import catalog
from ..catalog import Claim, claims
from ..errors import ParameterError
from ..model.claims import CONDITIONAL, CONSISTENT, INCONSISTENT, verdict
from ..units import Q_, as_quantity, jsonable
from .compare import compare, interactivity_sweep
from .deals import deal
from .factory import factory, resolve_scenario
from .record import Result, envelope
from .uncertainty import uncertain_parameters

__all__ = ["Claim", "ClaimCheck", "ClaimChecks", "claims", "check", "check_claim", "check_all", "verdict", "KINDS",
           "CONSISTENT", "CONDITIONAL", "INCONSISTENT"]


# --- the computations, one per kind: params -> value in the claim's unit --------------------

def _split(params: Mapping[str, Any], *names: str) -> tuple[dict, dict]:
    own = {k: params[k] for k in names if k in params}
    rest = {k: v for k, v in params.items() if k not in names}
    return own, rest


def _capex(params, unit):
    return float(factory(**params).capex.total.m_as(unit))


def _cost_ratio(params, unit):
    own, rest = _split(params, "baseline", "system")
    c = compare([own["baseline"], own["system"]], **rest)
    return float(c.systems[1].ratio)


def _revenue_per_year(result, input_price, output_price):
    p_in = as_quantity(input_price, "USD/Mtoken", "input_price")
    p_out = as_quantity(output_price, "USD/Mtoken", "output_price")
    return result.input_tokens_per_year * p_in + result.output_tokens_per_year * p_out


def _rack_revenue(params, unit):
    own, rest = _split(params, "years", "input_price", "output_price")
    r = factory(**rest)
    revenue = _revenue_per_year(r, own["input_price"], own["output_price"]) / r.systems * Q_(float(own["years"]),
                                                                                           "year")
    return float(revenue.m_as(unit))


def _margin(params, unit):
    own, rest = _split(params, "input_price", "output_price")
    r = factory(**rest)
    revenue = _revenue_per_year(r, own["input_price"], own["output_price"])
    return float((1 - r.annual_cost.total / revenue).m_as(""))


def _cost_share(params, unit):
    own, rest = _split(params, "lines")
    r = factory(**rest)
    part = sum(getattr(r.annual_cost, line) for line in own["lines"])
    return float((part / r.annual_cost.total).m_as(""))


def _cost_change(params, unit):
    shocked = factory(**params).cost_per_million_tokens
    base = factory(**{**params, "power_source": "grid"}).cost_per_million_tokens
    return float((shocked / base).m_as("")) - 1


def _cost_per_hour(params, unit):
    return float(factory(**params).cost_per_accelerator_hour.m_as(unit))


def _energy(params, unit):
    return float(catalog.energy_preset(params["preset"]).value.m_as(unit))


def _deal_round_trip(params, unit):
    own, rest = _split(params, "deal")
    return float(deal(own["deal"], **rest).round_trip_share)


def _deal_rebate_share(params, unit):
    """The vendor's money over its revenue from the whole deal, not capped at 1."""
    own, rest = _split(params, "deal")
    r = deal(own["deal"], **rest)
    return float((r.vendor_money / (r.vendor_revenue_per_gw * r.gigawatts)).m_as(unit))


def _warrant_stake(params, unit):
    """Warrant shares over the vendor's shares outstanding (or, after exercise, over both)."""
    warrant = catalog.deal(params["deal"]).warrant
    shares, outstanding = float(warrant.shares.value), float(warrant.shares_outstanding.value)
    return shares / (outstanding + shares) if params.get("after_exercise") else shares / outstanding


KINDS: Mapping[str, Callable[[Mapping[str, Any], str], float]] = {
    "capex": _capex, "cost_ratio": _cost_ratio, "rack_revenue": _rack_revenue, "margin": _margin,
    "cost_share": _cost_share, "cost_change": _cost_change, "cost_per_hour": _cost_per_hour, "energy": _energy,
    "deal_round_trip": _deal_round_trip, "deal_rebate_share": _deal_rebate_share, "warrant_stake": _warrant_stake,
}


@attrs.frozen
class Driver:
    name: str
    low: Any
    high: Any
    value_at_low: float
    value_at_high: float


@attrs.frozen
class ClaimCheck(Result):
    claim: Claim
    value: float
    verdict: str
    holding: tuple[str, ...]  # conditions under which the claim holds
    condition_values: Mapping[str, float]
    drivers: tuple[Driver, ...]
    band: tuple[float, float] | None  # interactivity band where a ratio claim holds (token/s per user)

    def to_dict(self) -> dict[str, Any]:
        claim = self.claim
        src = catalog.sources()[claim.source]
        return {
            "id": claim.id, "statement": claim.statement, "who": claim.who, "date": claim.date,
            "source": {"id": src.id, "title": src.title, "url": src.url},
            "kind": claim.kind, "basis": claim.basis,
            "claimed": {"low": {"value": claim.low, "unit": claim.unit},
                        "high": {"value": claim.high, "unit": claim.unit}},
            "tokencalc": {"value": self.value, "unit": claim.unit},
            "scenario": {k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in claim.params.items()},
            "verdict": self.verdict,
            "holds_under": list(self.holding),
            "conditions": {k: {"value": v if np.isfinite(v) else None, "unit": claim.unit}
                           for k, v in self.condition_values.items()},
            "drivers": [{"parameter": d.name, "low": jsonable(d.low), "high": jsonable(d.high),
                         "value_at_low": d.value_at_low, "value_at_high": d.value_at_high} for d in self.drivers],
            "interactivity_band": None if self.band is None else
            {"low": {"value": self.band[0], "unit": "token/s"}, "high": {"value": self.band[1], "unit": "token/s"}},
            "note": claim.note,
        }


@attrs.frozen
class ClaimChecks(Result):
    """The checks of several claims (``tokencalc claims``)."""

    _RENDERER = ("claims", "claims_renderable")

    checks: tuple[ClaimCheck, ...]

    def __iter__(self):
        return iter(self.checks)

    def __len__(self) -> int:
        return len(self.checks)

    def __getitem__(self, index):
        return self.checks[index]

    def to_dict(self) -> dict[str, Any]:
        return envelope({"claims": [c.to_dict() for c in self.checks]})


def _drivers(claim: Claim) -> tuple[Driver, ...]:
    if claim.kind in ("energy", "cost_ratio") or not claim.drivers:
        return ()
    compute = KINDS[claim.kind]
    factory_params = {k: v for k, v in claim.params.items()
                      if k not in ("years", "input_price", "output_price", "lines")}
    ranges = uncertain_parameters(*resolve_scenario(factory_params))
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


def _or_nan(compute, params, unit) -> float:
    """A condition's value, or NaN where its scenario cannot be served (e.g. an unreachable interactivity)."""
    try:
        return compute(params, unit)
    except ParameterError as exc:
        if exc.parameter != "interactivity":
            raise
        return float("nan")


def check(claim_id: str) -> ClaimCheck:
    """Evaluate a claim of the catalog by id."""
    return check_claim(catalog.lookup(claims(), claim_id, "claim"))


def check_claim(claim: Claim) -> ClaimCheck:
    """Evaluate one claim: tokencalc's figure, the verdict and its conditions."""
    if claim.kind not in KINDS:
        raise ParameterError("claim", f"{claim.id}: unknown kind {claim.kind!r}; kinds: {', '.join(KINDS)}")
    compute = KINDS[claim.kind]
    value = compute(claim.params, claim.unit)
    condition_values = {name: _or_nan(compute, params, claim.unit) for name, params in claim.conditions.items()}
    label, holding = verdict(claim.low, claim.high, value, condition_values)
    if not np.isfinite(value):
        raise ParameterError("claim", f"{claim.id}: the computation gave no finite value")
    return ClaimCheck(claim, value, label, tuple(holding), condition_values, _drivers(claim), _band(claim))


def check_all(ids=None) -> ClaimChecks:
    """Check the claims ``ids`` (default: every claim of the catalog)."""
    return ClaimChecks(tuple(check(i) for i in (ids or claims())))
