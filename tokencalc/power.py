"""Power: where the watts come from, what they cost, and how many tokens an amount of energy makes.

Power options (``catalog/power.toml``) are either a grid price or an on-site plant, described
by its capital cost, fixed and variable O&M, heat rate, fuel price, availability and life.
A plant's levelized cost of energy follows NREL's simple LCOE:

    LCOE = (capex * crf(wacc, life) + fixed_om) / (8766 h * capacity_factor)
           + fuel_price * heat_rate + fuel_per_energy + variable_om

References: NREL, "Simple Levelized Cost of Energy (LCOE) Calculator Documentation";
Lazard, "Levelized Cost of Energy+" v18 (2025) for published ranges.
"""

from __future__ import annotations

import functools
from typing import Any, Mapping

import attrs

from .catalog import Figure, _figure, _read_toml, lookup
from .errors import CatalogError
from .finance import capital_recovery_factor

__all__ = ["PowerOption", "power_options", "power_option", "lcoe", "option_lcoe", "energy_presets",
           "energy_preset", "PLANT_FIGURES"]

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
        from .units import Q_

        fig = self.figures.get(name)
        return Q_(default, unit) if fig is None else fig.value.to(unit)


@functools.cache
def power_options() -> Mapping[str, PowerOption]:
    data = _read_toml("power.toml")
    out = {}
    for key, entry in data.items():
        if key == "checks":
            continue
        where = f"power.toml [{key}]"
        kind = entry.get("kind")
        if kind not in ("grid", "plant"):
            raise CatalogError(f"{where}: kind must be grid or plant")
        names = ("price",) if kind == "grid" else PLANT_FIGURES
        figures = {n: _figure(where, n, entry[n]) for n in names if n in entry}
        missing = [n for n in names if n not in figures and n != "fuel_per_energy"]
        if missing:
            raise CatalogError(f"{where}: missing {', '.join(missing)}")
        out[key] = PowerOption(key, entry["name"], kind, figures)
    return out


@functools.cache
def lcoe_checks() -> Mapping[str, Mapping[str, Any]]:
    """Published LCOE ranges (USD/MWh) to compare computed values with."""
    return _read_toml("power.toml").get("checks", {})


def power_option(option_id: str) -> PowerOption:
    return lookup(power_options(), option_id, "power_source")


def lcoe(capex, fixed_om, variable_om, heat_rate, fuel_price, capacity_factor, life, wacc, fuel_per_energy=None):
    """Levelized cost of energy of a plant [USD/MWh] (NREL simple LCOE); vectorized.

    Parameters
    ----------
    capex : Quantity [USD/kW]        overnight capital cost per kW of capacity
    fixed_om : Quantity [USD/kW/year]
    variable_om : Quantity [USD/MWh]
    heat_rate : Quantity [Btu/kWh]   fuel energy per unit of electricity
    fuel_price : Quantity [USD/MMBtu]
    capacity_factor : Quantity [1]   average output / capacity
    life : Quantity [year]
    wacc : Quantity [1]              cost of capital per year
    fuel_per_energy : Quantity [USD/MWh], optional   fuel priced per MWh (nuclear)

    References
    ----------
    NREL, Simple Levelized Cost of Energy (LCOE) Calculator Documentation.
    """
    from .units import Q_

    crf = capital_recovery_factor(wacc.m_as(""), life.m_as("year"))
    fixed = (capex * crf / Q_(1, "year") + fixed_om) / capacity_factor
    total = fixed.to("USD/MWh") + (fuel_price * heat_rate).to("USD/MWh") + variable_om.to("USD/MWh")
    if fuel_per_energy is not None:
        total = total + fuel_per_energy.to("USD/MWh")
    return total.to("USD/MWh")


def option_lcoe(option: PowerOption, wacc):
    """The option's cost of energy [USD/MWh]: the grid price, or the plant's LCOE at its availability."""
    if option.kind == "grid":
        return option.value("price", "USD/MWh")
    return lcoe(
        option.value("capex", "USD/kW"),
        option.value("fixed_om", "USD/kW/year"),
        option.value("variable_om", "USD/MWh"),
        option.value("heat_rate", "Btu/kWh"),
        option.value("fuel_price", "USD/MMBtu"),
        option.value("availability", ""),
        option.value("life", "year"),
        wacc,
        option.value("fuel_per_energy", "USD/MWh"),
    )


@functools.cache
def energy_presets() -> Mapping[str, Figure]:
    """Named amounts of energy (national generation and others), by id."""
    out = {}
    for key, entry in _read_toml("energy.toml").items():
        fig = _figure(f"energy.toml [{key}]", "energy", entry["energy"])
        out[key] = attrs.evolve(fig, name=key, note=entry.get("name", ""))
    return out


def energy_preset(name: str) -> Figure:
    return lookup(energy_presets(), name, "energy", "preset", " (or a quantity such as '10000 TWh')")
