"""The site: IT power, how many accelerators it holds, an on-site plant's capacity, rack power
and water.

References: The Green Grid, "PUE: a comprehensive examination of the metric" (2012) for
PUE = facility power / IT power; LBNL, "2024 United States Data Center Energy Usage Report"
(lbnl-water-2024) for water per kWh of IT energy.
"""

from __future__ import annotations

import numpy as np

from ..units import Q_
from ._util import is_zero

__all__ = ["it_power", "accelerator_count", "plant_capacity", "rack_power", "water_per_year"]


def it_power(facility_power, pue):
    """IT power of the site [W] = facility_power [W] / pue [1]."""
    return facility_power / pue


def accelerator_count(it_power, it_power_per_accelerator, accelerators_per_system=1, rack_scale=False):
    """Accelerators the IT power supports [count, float array or float].

    count = floor(it_power [W] / it_power_per_accelerator [W]); rack-scale systems deploy whole
    racks of ``accelerators_per_system``. A relative tolerance of 1e-12 keeps an exact fit from
    rounding down one unit through floating-point error.
    """
    ratio = np.asarray((it_power / it_power_per_accelerator).m_as(""), dtype=float) * (1 + 1e-12)
    unit = accelerators_per_system if rack_scale else 1
    count = np.floor(ratio / unit) * unit
    return count if count.ndim else float(count)


def plant_capacity(facility_power, margin, plant_energy_share):
    """Capacity of an on-site plant [W] = facility_power [W] x (1 + margin [1]); zero when the
    plant supplies nothing (plant_energy_share [1] = 0)."""
    if is_zero(plant_energy_share):
        return Q_(0.0, "W")
    return facility_power * (1 + margin) * (np.asarray(plant_energy_share.m_as("")) > 0)


def rack_power(accelerators_per_rack, it_power_per_accelerator, it_overhead_share):
    """Power of one rack [kW] = accelerators per rack [1] x IT power per accelerator [W] / (1 + overhead share [1]).

    The IT power per accelerator includes the site's share of network and storage
    (``it_overhead_share``), which sits in other racks; it is taken out here.
    """
    return (accelerators_per_rack * it_power_per_accelerator / (1 + it_overhead_share)).to("kW")


def water_per_year(energy_per_year, pue, water_per_energy):
    """On-site water per year [m³/year] = IT energy (facility energy [MWh/year] / pue) x WUE [L/kWh]."""
    return (energy_per_year / pue * water_per_energy).to("m**3/year")
