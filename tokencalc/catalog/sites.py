"""Where a site's watts come from and how it is cooled: power options (``power.toml``: grid
prices and on-site plants), cooling types (``cooling.toml``) and named amounts of energy
(``energy.toml``)."""

from __future__ import annotations

from typing import Any, Mapping

import attrs

from ..errors import CatalogError
from ..units import Q_
from .reader import Figure, figure, lookup, read_toml
from .once import once

__all__ = ["PowerOption", "power_options", "power_option", "lcoe_checks", "PLANT_FIGURES", "CoolingType",
           "cooling_types", "cooling_type", "energy_presets", "energy_preset"]

PLANT_FIGURES = ("capex", "fixed_om", "variable_om", "heat_rate", "fuel_price", "fuel_per_energy",
                 "availability", "life")


@attrs.frozen
class PowerOption:
    """A way to power the site: the grid at a price, or an on-site plant."""

    id: str
    name: str
    kind: str  # "grid" or "plant"
    figures: Mapping[str, Figure]

    def figure(self, name: str) -> Figure | None:
        return self.figures.get(name)

    def value(self, name: str, unit: str, default: float = 0.0):
        fig = self.figures.get(name)
        return Q_(default, unit) if fig is None else fig.value.to(unit)


@once
def power_options() -> Mapping[str, PowerOption]:
    """Every power option, by id."""
    out = {}
    for key, entry in read_toml("power.toml").items():
        if key == "checks":
            continue
        where = f"power.toml [{key}]"
        kind = entry.get("kind")
        if kind not in ("grid", "plant"):
            raise CatalogError(f"{where}: kind must be grid or plant")
        names = ("price",) if kind == "grid" else PLANT_FIGURES
        figures = {n: figure(where, n, entry[n]) for n in names if n in entry}
        missing = [n for n in names if n not in figures and n != "fuel_per_energy"]
        if missing:
            raise CatalogError(f"{where}: missing {', '.join(missing)}")
        out[key] = PowerOption(key, entry["name"], kind, figures)
    return out


@once
def lcoe_checks() -> Mapping[str, Mapping[str, Any]]:
    """Published LCOE ranges (USD/MWh) to compare computed values with."""
    return read_toml("power.toml").get("checks", {})


def power_option(option_id: str) -> PowerOption:
    return lookup(power_options(), option_id, "power_source")


@attrs.frozen
class CoolingType:
    """A cooling type: its PUE, cooling plant capex, water and the rack power it can remove."""

    id: str
    name: str
    figures: Mapping[str, Figure]

    def value(self, name: str, unit: str):
        return self.figures[name].value.to(unit)


@once
def cooling_types() -> Mapping[str, CoolingType]:
    """Every cooling type, by id."""
    out = {}
    for key, entry in read_toml("cooling.toml").items():
        where = f"cooling.toml [{key}]"
        figures = {n: figure(where, n, entry[n]) for n in ("pue", "capex", "water", "max_rack_power")}
        out[key] = CoolingType(key, entry["name"], figures)
    return out


def cooling_type(cooling_id: str) -> CoolingType:
    return lookup(cooling_types(), cooling_id, "cooling", "type")


@once
def energy_presets() -> Mapping[str, Figure]:
    """Named amounts of energy (national generation and others), by id."""
    out = {}
    for key, entry in read_toml("energy.toml").items():
        fig = figure(f"energy.toml [{key}]", "energy", entry["energy"])
        out[key] = attrs.evolve(fig, name=key, note=entry.get("name", ""))
    return out


def energy_preset(name: str) -> Figure:
    return lookup(energy_presets(), name, "energy", "preset", " (or a quantity such as '10000 TWh')")
