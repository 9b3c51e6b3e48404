"""The hardware roadmap (``roadmap.toml``): when each generation ships in volume, how its street price
falls, how long it may physically run, and the extrapolation rule beyond the last announced system.

Power, price, throughput and status are not repeated here: they come from ``accelerators.toml`` (and
the throughput study). A generation's first-volume year is its system's ``availability_year`` unless
the roadmap gives one; its price is the system's ``system_price`` in the year of that figure's date.
Every figure the roadmap adds carries its source, date and estimate flag.
"""

from __future__ import annotations

from typing import Any, Mapping

import attrs

from ..errors import CatalogError
from .hardware import accelerator, accelerators
from .reader import Figure, figure, lookup, read_toml
from .once import once

__all__ = ["Generation", "Roadmap", "roadmap", "generation"]

_OVERRIDES = ("it_power_per_accelerator", "accelerator_capex")
_QUANTITIES = ("price_decline", "life_limit", "sale_years", "throughput_ratio") + _OVERRIDES


@attrs.frozen
class Generation:
    """One system of the roadmap.

    ``system`` is the accelerators.toml id whose serving model (and, unless ``overrides`` give them,
    power and price) the generation uses; ``throughput_ratio`` scales that system's throughput per
    accelerator (None: 1). ``overrides`` maps factory parameters to figures the roadmap fills in.
    """

    id: str
    name: str
    vendor: str
    system: str
    status: str
    first_volume: Figure  # value: a year (int)
    price_year: int
    price_decline: Figure  # 1/year
    life_limit: Figure  # year
    sale_years: Figure  # year
    throughput_ratio: Figure | None = None
    overrides: Mapping[str, Figure] = attrs.field(factory=dict)

    @property
    def announced(self) -> bool:
        return self.status == "announced"

    @property
    def first_year(self) -> int:
        return int(self.first_volume.value)

    def figures(self) -> dict[str, Figure]:
        """Every figure of the generation, by name (for listings and provenance)."""
        out = {"first_volume": self.first_volume, "price_decline": self.price_decline,
               "life_limit": self.life_limit, "sale_years": self.sale_years, **self.overrides}
        if self.throughput_ratio is not None:
            out["throughput_ratio"] = self.throughput_ratio
        return out


@attrs.frozen
class Roadmap:
    """The generations in order of first volume, and the extrapolation rule's figures by name
    (cadence, tokens_per_watt_gain, tokens_per_dollar_gain)."""

    generations: tuple[Generation, ...]
    extrapolation: Mapping[str, Figure]

    def by_id(self) -> dict[str, Generation]:
        return {g.id: g for g in self.generations}


def _price_year(date: str, where: str) -> int:
    head = str(date)[:4]
    if not head.isdigit():
        raise CatalogError(f"{where}: the price's date {date!r} does not start with a year; give price_year")
    return int(head)


def _generation(key: str, entry: Mapping[str, Any], defaults: Mapping[str, Figure]) -> Generation:
    where = f"roadmap.toml [generations.{key}]"
    known = set(_QUANTITIES) | {"system", "name", "status", "first_volume", "price_year"}
    unknown = set(entry) - known
    if unknown:
        raise CatalogError(f"{where}: unknown fields {sorted(unknown)}")
    system_id = entry.get("system", key)
    if system_id not in accelerators():
        raise CatalogError(f"{where}: system {system_id!r} is not in accelerators.toml")
    system = accelerator(system_id)
    figures = {name: figure(where, name, entry[name]) for name in _QUANTITIES if name in entry}
    if "first_volume" in entry:
        first = figure(where, "first_volume", entry["first_volume"], quantity=False)
    elif system.figure("availability_year") is not None and system_id == key:
        first = system.figure("availability_year")
    else:
        raise CatalogError(f"{where}: no first_volume (and no availability_year in accelerators.toml)")
    price = figures.get("accelerator_capex") or system.figure("system_price")
    if price is None:
        raise CatalogError(f"{where}: no price: accelerators.toml has no system_price; give accelerator_capex")
    power_known = "it_power_per_accelerator" in figures or system.it_power_per_accelerator is not None
    if not power_known:
        raise CatalogError(f"{where}: no power: accelerators.toml has none; give it_power_per_accelerator")
    price_year = int(entry["price_year"]) if "price_year" in entry else _price_year(price.date, where)
    return Generation(
        id=key,
        name=entry.get("name", system.name),
        vendor=system.vendor,
        system=system_id,
        status=entry.get("status", system.status),
        first_volume=first,
        price_year=price_year,
        price_decline=figures.get("price_decline", defaults["price_decline"]),
        life_limit=figures.get("life_limit", defaults["life_limit"]),
        sale_years=figures.get("sale_years", defaults["sale_years"]),
        throughput_ratio=figures.get("throughput_ratio"),
        overrides={name: figures[name] for name in _OVERRIDES if name in figures},
    )


@once
def roadmap() -> Roadmap:
    """The roadmap of ``roadmap.toml``, generations in order of first volume (then file order)."""
    data = read_toml("roadmap.toml")
    defaults = {name: figure("roadmap.toml [defaults]", name, entry)
                for name, entry in data.get("defaults", {}).items()}
    for name in ("price_decline", "life_limit", "sale_years"):
        if name not in defaults:
            raise CatalogError(f"roadmap.toml [defaults]: no {name}")
    extrapolation = {name: figure("roadmap.toml [extrapolation]", name, entry)
                     for name, entry in data.get("extrapolation", {}).items()}
    for name in ("cadence", "tokens_per_watt_gain", "tokens_per_dollar_gain"):
        if name not in extrapolation:
            raise CatalogError(f"roadmap.toml [extrapolation]: no {name}")
    generations = [_generation(key, entry, defaults) for key, entry in data.get("generations", {}).items()]
    generations.sort(key=lambda g: g.first_year)  # stable: file order within a year
    return Roadmap(tuple(generations), extrapolation)


def generation(generation_id: str) -> Generation:
    """The roadmap's generation ``generation_id``; an UnknownNameError lists the known ids."""
    return lookup(roadmap().by_id(), generation_id, "gpu", "generation")
