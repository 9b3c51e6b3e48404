"""Cooling: PUE, cooling plant capex, water and the rack power each cooling type can remove.

Cooling types are in ``catalog/cooling.toml``. The cooling type sets the defaults of ``pue``
and of ``facility_capex_per_it_power`` (building and electrical plant plus the cooling
plant), and refuses racks denser than it can cool.
"""

from __future__ import annotations

import functools
from typing import Mapping

import attrs

from .catalog import Figure, _figure, _read_toml, lookup
from .errors import ParameterError

__all__ = ["CoolingType", "cooling_types", "cooling_type", "rack_power", "check_rack_power"]


@attrs.frozen
class CoolingType:
    id: str
    name: str
    figures: Mapping[str, Figure]

    def value(self, name: str, unit: str):
        return self.figures[name].value.to(unit)


@functools.cache
def cooling_types() -> Mapping[str, CoolingType]:
    out = {}
    for key, entry in _read_toml("cooling.toml").items():
        where = f"cooling.toml [{key}]"
        figures = {n: _figure(where, n, entry[n]) for n in ("pue", "capex", "water", "max_rack_power")}
        out[key] = CoolingType(key, entry["name"], figures)
    return out


def cooling_type(cooling_id: str) -> CoolingType:
    return lookup(cooling_types(), cooling_id, "cooling", "type")


def rack_power(system, it_power_per_accelerator, servers_per_rack):
    """Power of one rack [kW]: its accelerators x IT power per accelerator, less the site's share of
    network and storage (``it_overhead_share``), which sits in other racks."""
    from .catalog import defaults

    overhead = defaults()["it_overhead_share"].value.m_as("")
    per_rack = system.accelerators_per_system * (1 if system.rack_scale else servers_per_rack)
    return (per_rack * it_power_per_accelerator / (1 + overhead)).to("kW")


def check_rack_power(cooling: CoolingType, system, it_power_per_accelerator, servers_per_rack) -> None:
    """Refuse a rack denser than the cooling type can cool, naming the types that can."""
    import numpy as np

    power = rack_power(system, it_power_per_accelerator, servers_per_rack)
    limit = cooling.value("max_rack_power", "kW")
    if (np.asarray(power.magnitude) > limit.magnitude).any():
        able = [c.id for c in cooling_types().values()
                if (np.asarray(power.magnitude) <= c.value("max_rack_power", "kW").magnitude).all()]
        what = "rack" if system.rack_scale else f"rack of {float(np.max(servers_per_rack)):g} servers"
        raise ParameterError(
            "cooling",
            f"{cooling.id} cooling handles racks up to {limit.magnitude:g} kW; a {system.id} {what} draws "
            f"{float(np.max(power.magnitude)):.0f} kW; allowed here: {', '.join(able) or 'none'}"
            + ("" if system.rack_scale else " (or fewer servers_per_rack)"),
        )
