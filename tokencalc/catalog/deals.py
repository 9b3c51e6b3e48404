"""Vendor deals (``deals.toml``, or a TOML file of the user's own): what the vendor sells, on which
hardware and schedule, and what it pays back in its own money: a warrant on its shares (a contingent
rebate) or an investment in the buyer (a financing tranche).

Every figure is a sourced table (:func:`~tokencalc.catalog.reader.figure`); a user's file passes the
same checks (units of the right dimension, allowed ranges, known sources) and a failure names the
file, the deal and the key.
"""

from __future__ import annotations

from typing import Any, Mapping

import attrs

from ..errors import CatalogError
from .reader import Figure, figure, lookup, read_toml, read_user_toml
from .once import once

__all__ = ["Deal", "Warrant", "Investment", "deals", "deal", "BASES", "LINES"]

BASES = ("it", "facility")  # which gigawatt the deal counts
LINES = ("compute", "network", "facility")  # capex lines a vendor can sell

# key -> (a unit its unit must convert to, or None for a plain number; the test its value must pass; what is allowed)
_DEAL = {
    "gigawatts": ("W", lambda v: v > 0, "a power above 0, e.g. '6 GW'"),
    "announced_year": (None, lambda v: 1990 <= v <= 2100, "a calendar year from 1990 to 2100"),
    "first_gw_year": (None, lambda v: 1990 <= v <= 2100, "a calendar year from 1990 to 2100"),
    "last_gw_year": (None, lambda v: 1990 <= v <= 2100, "a calendar year from 1990 to 2100"),
}
_WARRANT = {
    "shares": (None, lambda v: v > 0, "a number of shares above 0"),
    "strike": ("USD", lambda v: v >= 0, "a price per share of 0 or more, e.g. '0.01 USD'"),
    "share_price": ("USD", lambda v: v > 0, "a price per share above 0"),
    "volatility": ("", lambda v: 0 <= v <= 5, "a volatility per square root of a year from 0 to 5"),
    "drift": ("", lambda v: -1 < v < 2, "a growth rate per year between -1 and 2"),
    "tranches": (None, lambda v: float(v).is_integer() and 1 <= v <= 100, "a whole number from 1 to 100"),
    "first_threshold": ("USD", lambda v: v >= 0, "a share price of 0 or more"),
    "final_threshold": ("USD", lambda v: v >= 0, "a share price of 0 or more"),
}
_WARRANT_OPTIONAL = {"shares_outstanding": (None, lambda v: v > 0, "a number of shares above 0")}
_INVESTMENT = {
    "per_gigawatt": ("USD/W", lambda v: v >= 0, "an amount per power of 0 or more, e.g. '10 GUSD/GW'"),
    "cap": ("USD", lambda v: v >= 0, "an amount of 0 or more"),
    "valuation": ("USD", lambda v: v > 0, "an amount above 0"),
    "vendor_return": ("", lambda v: -1 < v <= 1, "a rate per year above -1 and at most 1"),
}


@attrs.frozen
class Warrant:
    """A warrant the vendor grants the buyer: ``shares`` at ``strike``, vesting in equal tranches."""

    shares: Figure
    strike: Figure
    share_price: Figure
    volatility: Figure
    drift: Figure
    tranches: Figure
    first_threshold: Figure
    final_threshold: Figure
    shares_outstanding: Figure | None = None


@attrs.frozen
class Investment:
    """The vendor's investment in the buyer: an amount per deployed gigawatt, up to a cap, as equity."""

    per_gigawatt: Figure
    cap: Figure
    valuation: Figure
    vendor_return: Figure


@attrs.frozen
class Deal:
    """A vendor deal: hardware and schedule, and the vendor's money in it (a warrant, an investment or both)."""

    id: str
    name: str
    vendor: str
    buyer: str
    announced: str
    status: str
    source: str
    date: str
    gigawatt_basis: Figure
    vendor_lines: Figure
    gigawatts: Figure
    announced_year: Figure
    first_gw_year: Figure
    last_gw_year: Figure
    scenario: Mapping[str, Figure] = attrs.field(factory=dict)
    warrant: Warrant | None = None
    investment: Investment | None = None
    origin: str = "catalog"  # "catalog", or the path of the user's file

    def figures(self) -> dict[str, Figure]:
        """Every figure of the deal by a dotted name (``warrant.shares``, ``scenario.accelerator``, ...)."""
        out = {name: getattr(self, name) for name in ("gigawatt_basis", "vendor_lines", "gigawatts",
                                                      "announced_year", "first_gw_year", "last_gw_year")}
        out.update({f"scenario.{k}": v for k, v in self.scenario.items()})
        for part in ("warrant", "investment"):
            value = getattr(self, part)
            if value is not None:
                out.update({f"{part}.{k}": v for k, v in attrs.asdict(value, recurse=False).items() if v is not None})
        return out


def _checked(where: str, key: str, entry: Any, dimension: str | None, test, allowed: str) -> Figure:
    if not isinstance(entry, Mapping):
        raise CatalogError(f"{where}: {key} must be a table with value, source and date (and a unit where it has one)")
    quantity = dimension is not None
    fig = figure(where, key, entry if quantity else {**entry, "value": entry.get("value")}, quantity=quantity)
    value = fig.value
    if quantity:
        if dimension and not value.is_compatible_with(dimension):
            raise CatalogError(f"{where}: {key} has unit {entry.get('unit')!r}; allowed: {allowed}")
        if not dimension and not value.dimensionless:
            raise CatalogError(f"{where}: {key} has unit {entry.get('unit')!r}; allowed: a plain fraction (unit '1')")
        number = float(value.to_base_units().magnitude) if dimension else float(value.m_as(""))
    else:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise CatalogError(f"{where}: {key} = {value!r}; allowed: {allowed}")
        number = float(value)
    if not number == number or not test(number):
        raise CatalogError(f"{where}: {key} = {entry.get('value')!r}; allowed: {allowed}")
    return fig


def _part(where: str, data: Any, spec: Mapping, optional: Mapping = {}) -> dict[str, Figure]:
    if not isinstance(data, Mapping):
        raise CatalogError(f"{where}: must be a table")
    unknown = sorted(set(data) - set(spec) - set(optional))
    if unknown:
        raise CatalogError(f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(list(spec) + list(optional))}")
    missing = [k for k in spec if k not in data]
    if missing:
        raise CatalogError(f"{where}: missing {', '.join(missing)}")
    return {k: _checked(where, k, data[k], *rule) for k, rule in {**spec, **optional}.items() if k in data}


def _deal(where: str, key: str, entry: Any, origin: str) -> Deal:
    if not isinstance(entry, Mapping):
        raise CatalogError(f"{where}: must be a table of the deal's figures")
    text = {k: entry.get(k) for k in ("name", "vendor", "buyer", "announced", "status", "source", "date")}
    missing = [k for k, v in text.items() if not isinstance(v, str) or not v]
    if missing:
        raise CatalogError(f"{where}: {missing[0]} must be a text")
    figure(where, "deal", {"value": 0, "source": text["source"], "date": text["date"]}, quantity=False)  # cited
    known = set(text) | set(_DEAL) | {"gigawatt_basis", "vendor_lines", "scenario", "warrant", "investment"}
    unknown = sorted(set(entry) - known)
    if unknown:
        raise CatalogError(f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(known))}")
    basis = figure(where, "gigawatt_basis", entry.get("gigawatt_basis"), quantity=False)
    if basis.value not in BASES:
        raise CatalogError(f"{where}: gigawatt_basis = {basis.value!r}; allowed: {', '.join(BASES)}")
    lines = figure(where, "vendor_lines", entry.get("vendor_lines"), quantity=False)
    if not isinstance(lines.value, list) or not lines.value or not set(lines.value) <= set(LINES):
        raise CatalogError(f"{where}: vendor_lines = {lines.value!r}; allowed: a list of {', '.join(LINES)}")
    dated = _part(where, {k: entry.get(k) for k in _DEAL if k in entry}, _DEAL)
    if not dated["announced_year"].value <= dated["first_gw_year"].value <= dated["last_gw_year"].value:
        raise CatalogError(f"{where}: needs announced_year <= first_gw_year <= last_gw_year")
    scenario_data = entry.get("scenario", {})
    if not isinstance(scenario_data, Mapping):
        raise CatalogError(f"{where}: scenario must be a table of parameters")
    scenario = {}
    for name, value in scenario_data.items():
        has_unit = isinstance(value, Mapping) and "unit" in value
        scenario[name] = figure(f"{where} scenario", name, value, quantity=has_unit)
    warrant = investment = None
    if "warrant" in entry:
        parts = _part(f"{where} warrant", entry["warrant"], _WARRANT, _WARRANT_OPTIONAL)
        if parts["first_threshold"].value > parts["final_threshold"].value:
            raise CatalogError(f"{where} warrant: needs first_threshold <= final_threshold")
        warrant = Warrant(**parts)
    if "investment" in entry:
        investment = Investment(**_part(f"{where} investment", entry["investment"], _INVESTMENT))
    if warrant is None and investment is None:
        raise CatalogError(f"{where}: a deal needs a [warrant] or an [investment] table (or both)")
    return Deal(id=key, **text, gigawatt_basis=basis, vendor_lines=lines, **dated, scenario=scenario,
                warrant=warrant, investment=investment, origin=origin)


@once
def deals() -> Mapping[str, Deal]:
    """Every deal of the catalog, by id."""
    return {key: _deal(f"deals.toml [{key}]", key, entry, "catalog") for key, entry in read_toml("deals.toml").items()}


def deal(deal_id: str) -> Deal:
    """A deal of the catalog by id, or the one deal of a user's TOML file (``my-deal.toml``)."""
    key = str(deal_id).strip()
    if key.lower() in deals():
        return deals()[key.lower()]
    if key.endswith(".toml"):
        data = read_user_toml(key, "deal")
        if len(data) != 1 or not isinstance(next(iter(data.values())), Mapping):
            raise CatalogError(f"{key}: expected one table [your-deal-id] with the deal's figures")
        name, entry = next(iter(data.items()))
        return _deal(f"{key} [{name}]", name, entry, key)
    return lookup(deals(), key, "deal", hint=" (or a TOML file describing your deal)")
