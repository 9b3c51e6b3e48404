"""Energy: what the site draws per year, and what grid power, fuel and plant O&M cost; the
levelized cost of energy of a plant.

With an on-site plant supplying ``plant_energy_share`` of the energy (all zero on grid power,
where reference model v1 holds unchanged)::

    energy_per_year  = accelerators x it_power_per_accelerator x load_factor x pue x 1 year
    electricity      = energy_per_year x (1 - plant_energy_share) x electricity_price
    fuel             = energy_per_year x plant_energy_share x (fuel_price x heat_rate + fuel_per_energy)
    plant_operations = energy_per_year x plant_energy_share x plant_variable_om + plant_capacity x plant_fixed_om

References: DESIGN.md reference model v1; NREL, "Simple Levelized Cost of Energy (LCOE)
Calculator Documentation" (nrel-lcoe); Lazard LCOE+ v18 (2025) for published ranges.
"""

from __future__ import annotations

from ..units import Q_
from ._util import is_zero
from .finance import capital_recovery_factor

__all__ = ["energy_per_year", "plant_energy", "electricity_cost", "fuel_cost", "plant_operations_cost", "lcoe"]


def energy_per_year(accelerators, it_power_per_accelerator, load_factor, pue):
    """Energy the site draws per year [MWh/year] = accelerators [1] x IT power [W] x load factor [1] x PUE [1]."""
    return (accelerators * it_power_per_accelerator * load_factor * pue).to("MWh/year")


def plant_energy(energy_per_year, plant_energy_share):
    """Energy an on-site plant supplies [MWh/year] = energy_per_year x plant_energy_share [1]."""
    if is_zero(plant_energy_share):
        return Q_(0.0, "MWh/year")
    return energy_per_year * plant_energy_share


def electricity_cost(energy_per_year, electricity_price, plant_energy_share):
    """Grid electricity per year [USD/year] = (energy_per_year - plant energy) [MWh/year] x price [USD/(kW*h)]."""
    if is_zero(plant_energy_share):
        return (energy_per_year * electricity_price).to("USD/year")
    return ((energy_per_year - plant_energy(energy_per_year, plant_energy_share)) * electricity_price).to("USD/year")


def fuel_cost(energy_per_year, plant_energy_share, fuel_price, heat_rate, fuel_per_energy):
    """Fuel per year [USD/year] = plant energy [MWh/year] x (fuel_price [USD/MMBtu] x heat_rate [Btu/kWh]
    + fuel_per_energy [USD/MWh])."""
    if is_zero(plant_energy_share):
        return Q_(0.0, "USD/year")
    return (plant_energy(energy_per_year, plant_energy_share) * (fuel_price * heat_rate + fuel_per_energy)
            ).to("USD/year")


def plant_operations_cost(energy_per_year, plant_energy_share, plant_variable_om, plant_capacity, plant_fixed_om):
    """Plant O&M per year [USD/year] = plant energy [MWh/year] x variable O&M [USD/MWh]
    + plant capacity [W] x fixed O&M [USD/kW/year]."""
    if is_zero(plant_energy_share):
        return Q_(0.0, "USD/year")
    return (plant_energy(energy_per_year, plant_energy_share) * plant_variable_om
            + plant_capacity * plant_fixed_om).to("USD/year")


def lcoe(capex, fixed_om, variable_om, heat_rate, fuel_price, capacity_factor, life, wacc, fuel_per_energy=None):
    """Levelized cost of energy of a plant [USD/MWh] (NREL simple LCOE); vectorized.

    LCOE = (capex x crf(wacc, life) + fixed_om) / (8766 h x capacity_factor)
           + fuel_price x heat_rate + fuel_per_energy + variable_om

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
    NREL, Simple Levelized Cost of Energy (LCOE) Calculator Documentation (nrel-lcoe).
    """
    crf = capital_recovery_factor(wacc.m_as(""), life.m_as("year"))
    fixed = (capex * crf / Q_(1, "year") + fixed_om) / capacity_factor
    total = fixed.to("USD/MWh") + (fuel_price * heat_rate).to("USD/MWh") + variable_om.to("USD/MWh")
    if fuel_per_energy is not None:
        total = total + fuel_per_energy.to("USD/MWh")
    return total.to("USD/MWh")
