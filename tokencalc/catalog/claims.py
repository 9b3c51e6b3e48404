"""Published claims about AI token economics (``claims.toml``): what each asserts as a range of
numbers, the scenario that tests it, conditions under which it might hold, and its drivers."""

from __future__ import annotations

from typing import Any, Mapping

import attrs

from ..errors import CatalogError
from .reader import check_cited, read_toml
from .once import once

__all__ = ["Claim", "claims", "KINDS", "BASES"]

# The computations a claim can name (studies/claims.py implements each).
KINDS = ("capex", "cost_ratio", "rack_revenue", "margin", "cost_share", "cost_change", "cost_per_hour", "energy",
         "deal_round_trip", "deal_rebate_share", "warrant_stake")
# Which gigawatt a claim speaks of: facility power (what the site draws), IT power, a basis the source does not
# state, or none (a ratio, a per-hour or per-token figure that does not depend on the site's size).
BASES = {"facility": "per GW of facility power (what the site draws)", "it": "per GW of IT power",
         "unstated": "per GW, the source does not say of what", "none": "does not depend on the site's size"}


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
    basis: str = "none"  # a key of BASES


@once
def claims() -> Mapping[str, Claim]:
    """Every claim of the catalog, by id."""
    out = {}
    for key, entry in read_toml("claims.toml").items():
        try:
            claim = Claim(
                id=key, statement=entry["statement"], who=entry["who"], source=entry["source"], date=entry["date"],
                kind=entry["kind"], unit=entry["unit"], low=float(entry["claimed"]["low"]),
                high=float(entry["claimed"]["high"]), params=dict(entry.get("params", {})),
                conditions={k: dict(v) for k, v in entry.get("conditions", {}).items()},
                drivers=tuple(entry.get("drivers", ())), note=entry.get("note", ""), basis=entry["basis"],
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CatalogError(f"claims.toml [{key}]: {exc}") from None
        check_cited(f"claims.toml [{key}]", entry)
        if claim.kind not in KINDS:
            raise CatalogError(f"claims.toml [{key}]: unknown kind {claim.kind!r}")
        if claim.basis not in BASES:
            raise CatalogError(f"claims.toml [{key}]: basis {claim.basis!r} is not one of {', '.join(BASES)}")
        out[key] = claim
    return out
