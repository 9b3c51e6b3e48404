"""The AI-factory model: facility sizing, capex, annual cost, tokens, cost per token, break-even.

Reference model v1 (``docs/model.md`` has the equations with their sources)::

    it_power        = facility_power / pue
    accelerators    = floor(it_power / it_power_per_accelerator)     (rack-scale: whole racks)
    capex.compute   = accelerators * accelerator_capex
    capex.network   = accelerators * network_capex_per_accelerator
    capex.facility  = it_power * facility_capex_per_it_power
    capital charge  = sum_k capex.k * crf(wacc, life_k)
    energy_per_year = accelerators * it_power_per_accelerator * load_factor * pue * 1 year
    electricity     = energy_per_year * electricity_price
    operations      = operations_rate * capex.total

With an on-site plant (``power_source``; all its parameters are zero for grid power, where
v1 holds unchanged)::

    plant_capacity    = facility_power * (1 + plant_capacity_margin)
    capex.power_plant = plant_capacity * plant_capex_per_power      (joins the capital charge)
    electricity       = energy_per_year * (1 - plant_energy_share) * electricity_price
    fuel              = energy_per_year * plant_energy_share * (fuel_price * heat_rate + fuel_per_energy)
    plant_operations  = energy_per_year * plant_energy_share * plant_variable_om + plant_capacity * plant_fixed_om
    operations        = operations_rate * (capex.compute + capex.network + capex.facility)
    annual_cost     = capital charge + electricity + operations
    tokens_per_year = accelerators * tokens_per_second_per_accelerator * utilization * 1 year
    cost_per_million_tokens    = annual_cost / tokens_per_year * 1e6 token
    breakeven_revenue_per_year = annual_cost

Each step is a small pure function on pint Quantities that works on numpy arrays as well as
scalars; :func:`factory` resolves the parameters and chains them, one vectorized evaluation.
"""

from __future__ import annotations

from typing import Any, Mapping

import attrs
import numpy as np

from .errors import ParameterError, TokencalcError
from .finance import capital_recovery_factor
from .scenario import Scenario, resolve_scenario
from .units import Q_

__all__ = [
    "factory",
    "evaluate",
    "FactoryResult",
    "Capex",
    "AnnualCost",
    "it_power",
    "accelerator_count",
    "capital_charge",
    "energy_per_year",
    "tokens_per_year",
]

_YEAR = Q_(1.0, "year")


# --- the model, one function per step -------------------------------------------------------


def it_power(facility_power, pue):
    """IT power of the site [W]: facility_power [W] / pue [1]."""
    return facility_power / pue


def accelerator_count(it_power, it_power_per_accelerator, accelerators_per_system=1, rack_scale=False):
    """Accelerators the IT power supports [count, float array or float].

    ``floor(it_power / it_power_per_accelerator)``; rack-scale systems deploy whole racks of
    ``accelerators_per_system``. A relative tolerance of 1e-12 keeps an exact fit from
    rounding down one unit through floating-point error.
    """
    ratio = np.asarray((it_power / it_power_per_accelerator).m_as(""), dtype=float) * (1 + 1e-12)
    unit = accelerators_per_system if rack_scale else 1
    count = np.floor(ratio / unit) * unit
    return count if count.ndim else float(count)


def capital_charge(capex, wacc, life):
    """Level annual charge that repays ``capex`` [USD] over ``life`` [year] at ``wacc`` [1/year]."""
    if _is_zero(capex):
        return Q_(0.0, "USD/year")
    periods = (life / _YEAR).to("")
    return capex * capital_recovery_factor(wacc.m_as(""), periods.magnitude) / _YEAR


def energy_per_year(accelerators, it_power_per_accelerator, load_factor, pue):
    """Energy the site draws per year [MWh/year]: accelerators x IT power x load factor x PUE."""
    return (accelerators * it_power_per_accelerator * load_factor * pue).to("MWh/year")


def tokens_per_year(accelerators, tokens_per_second_per_accelerator, utilization):
    """Tokens produced per year [token/year]."""
    return (accelerators * tokens_per_second_per_accelerator * utilization).to("token/year")


def _is_zero(quantity) -> bool:
    """True for a scalar zero (a cost line switched off): its arithmetic can be skipped."""
    magnitude = quantity.magnitude
    return np.ndim(magnitude) == 0 and magnitude == 0


def plant_capacity(facility_power, margin, plant_energy_share):
    """Capacity of an on-site plant [W]: facility power x (1 + margin); zero when the plant supplies nothing."""
    if _is_zero(plant_energy_share):
        return Q_(0.0, "W")
    return facility_power * (1 + margin) * (np.asarray(plant_energy_share.m_as("")) > 0)


def output_share(isl, osl):
    """Share of output tokens among all tokens of a request [1]: osl / (isl + osl)."""
    return (osl / (isl + osl)).to("")


def break_even_input_price(annual_cost, input_tokens_per_year, output_tokens_per_year, price_ratio):
    """Input price [USD/Mtoken] that, with output priced ``price_ratio`` times higher, pays ``annual_cost``.

    annual_cost = p_in x input + ratio x p_in x output, so p_in = annual_cost / (input + ratio x output).
    """
    return (annual_cost / (input_tokens_per_year + price_ratio * output_tokens_per_year)).to("USD/Mtoken")


# --- result objects -------------------------------------------------------------------------


def _total(*lines):
    total = lines[0]
    for line in lines[1:]:
        total = total + line
    return total


@attrs.frozen
class Capex:
    """Capital expenditure by line [USD]; ``total`` is the sum of the lines."""

    compute: Any
    network: Any
    facility: Any
    power_plant: Any
    total: Any = attrs.field(init=False)

    def __attrs_post_init__(self):
        object.__setattr__(self, "total", _total(self.compute, self.network, self.facility, self.power_plant))


@attrs.frozen
class AnnualCost:
    """Annual cost by line [USD/year]; ``total`` is the sum of the lines."""

    compute_capital: Any
    network_capital: Any
    facility_capital: Any
    power_plant_capital: Any
    electricity: Any
    fuel: Any
    plant_operations: Any
    operations: Any
    total: Any = attrs.field(init=False)

    def __attrs_post_init__(self):
        lines = [getattr(self, f.name) for f in attrs.fields(type(self)) if f.name != "total"]
        object.__setattr__(self, "total", _total(*lines))

    @property
    def capital(self):
        """The capital charge: the capital lines together [USD/year]."""
        return self.compute_capital + self.network_capital + self.facility_capital + self.power_plant_capital

    @property
    def energy(self):
        """What the site's energy costs: grid electricity, fuel and plant O&M [USD/year]."""
        return self.electricity + self.fuel + self.plant_operations


@attrs.frozen
class FactoryResult:
    """What :func:`factory` computes. Quantities are pint Quantities (arrays when inputs are)."""

    scenario: Scenario
    provenance: Mapping[str, str]
    accelerator_name: str
    accelerator_status: str
    accelerators: Any  # count (float or float array)
    systems: Any  # servers or racks
    facility_power: Any
    it_power: Any
    capex: Capex
    annual_cost: AnnualCost
    capital_charge: Any
    energy_per_year: Any
    plant_capacity: Any
    water_per_year: Any
    tokens_per_year: Any
    tokens_per_energy: Any
    cost_per_accelerator_hour: Any
    cost_per_million_tokens: Any
    breakeven_revenue_per_year: Any
    breakeven_price_per_million_tokens: Any
    output_tokens_per_year: Any
    input_tokens_per_year: Any
    cost_per_million_output_tokens: Any
    breakeven_input_price_per_million_tokens: Any
    breakeven_output_price_per_million_tokens: Any
    throughput_source: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract as a dict: quantities as {"value", "unit"}, counts as numbers."""
        from .report import factory_to_dict

        return factory_to_dict(self)

    def __rich__(self):
        from .report import factory_renderable

        return factory_renderable(self)

    def _repr_html_(self) -> str:
        from .report import factory_html

        return factory_html(self)


# --- the orchestrator -----------------------------------------------------------------------


def factory(scenario: Scenario | None = None, **parameters: Any) -> FactoryResult:
    """Cost of an AI factory and of its tokens (reference model v1).

    Parameters
    ----------
    scenario : Scenario, optional
        A resolved scenario; keyword parameters override its values.
    **parameters
        Any parameter of :data:`tokencalc.PARAMETERS` by name: a Quantity, a text such as
        ``"80 USD/MWh"``, or a plain number in the parameter's documented unit. Any of them may
        be an array; the result broadcasts.

    Returns
    -------
    FactoryResult

    Raises
    ------
    tokencalc.TokencalcError
        (a ValueError) naming the parameter and what is allowed.
    """
    if scenario is not None:
        base = {name: getattr(scenario, name) for name in attrs.fields_dict(Scenario)}
        scenario, provenance = resolve_scenario({**base, **parameters})
    else:
        scenario, provenance = resolve_scenario(parameters)
    return evaluate(scenario, provenance)


def evaluate(scenario: Scenario, provenance: Mapping[str, str] | None = None) -> FactoryResult:
    """Evaluate the model on a resolved Scenario.

    Floating-point overflow in extreme inputs is not warned about by numpy: the results are
    checked for finiteness and an overflow is a TokencalcError.
    """
    with np.errstate(over="ignore", divide="ignore", invalid="ignore", under="ignore"):
        return _evaluate(scenario, provenance)


def _evaluate(scenario: Scenario, provenance: Mapping[str, str] | None) -> FactoryResult:
    from . import catalog

    from .cooling import check_rack_power, cooling_type

    system = catalog.accelerator(scenario.accelerator)
    s = scenario
    check_rack_power(cooling_type(s.cooling), system, s.it_power_per_accelerator, s.servers_per_rack)
    site_it_power = it_power(s.facility_power, s.pue)
    count = accelerator_count(site_it_power, s.it_power_per_accelerator, system.accelerators_per_system,
                              system.rack_scale)
    _check_site_fits(s, system, count)

    capacity = plant_capacity(s.facility_power, s.plant_capacity_margin, s.plant_energy_share)
    capex = Capex(
        compute=(count * s.accelerator_capex).to("USD"),
        network=(count * s.network_capex_per_accelerator).to("USD"),
        facility=(site_it_power * s.facility_capex_per_it_power).to("USD"),
        power_plant=(capacity * s.plant_capex_per_power).to("USD"),
    )
    energy = energy_per_year(count, s.it_power_per_accelerator, s.load_factor, s.pue)
    on_grid = _is_zero(s.plant_energy_share)
    plant_energy = Q_(0.0, "MWh/year") if on_grid else energy * s.plant_energy_share
    annual = AnnualCost(
        compute_capital=capital_charge(capex.compute, s.wacc, s.accelerator_life).to("USD/year"),
        network_capital=capital_charge(capex.network, s.wacc, s.network_life).to("USD/year"),
        facility_capital=capital_charge(capex.facility, s.wacc, s.facility_life).to("USD/year"),
        power_plant_capital=capital_charge(capex.power_plant, s.wacc, s.plant_life).to("USD/year"),
        electricity=((energy if on_grid else energy - plant_energy) * s.electricity_price).to("USD/year"),
        fuel=Q_(0.0, "USD/year") if on_grid else
        (plant_energy * (s.fuel_price * s.heat_rate + s.fuel_per_energy)).to("USD/year"),
        plant_operations=Q_(0.0, "USD/year") if on_grid else
        (plant_energy * s.plant_variable_om + capacity * s.plant_fixed_om).to("USD/year"),
        operations=(s.operations_rate * (capex.compute + capex.network + capex.facility)).to("USD/year"),
    )
    tokens = tokens_per_year(count, s.tokens_per_second_per_accelerator, s.utilization)
    cost_per_mtok = (annual.total / tokens).to("USD/Mtoken")
    output_tokens = tokens * output_share(s.isl, s.osl)
    price_in = break_even_input_price(annual.total, tokens - output_tokens, output_tokens, s.input_output_price_ratio)
    provenance = dict(provenance or {})
    result = FactoryResult(
        scenario=s,
        provenance=provenance,
        accelerator_name=system.name,
        accelerator_status=system.status,
        accelerators=count,
        systems=count / system.accelerators_per_system,
        facility_power=s.facility_power.to("MW"),
        it_power=site_it_power.to("MW"),
        capex=capex,
        annual_cost=annual,
        capital_charge=annual.capital,
        energy_per_year=energy,
        plant_capacity=capacity.to("MW"),
        water_per_year=(energy / s.pue * s.water_per_energy).to("m**3/year"),
        tokens_per_year=tokens,
        tokens_per_energy=(tokens / energy).to("token/kWh"),
        cost_per_accelerator_hour=(annual.total / count).to("USD/hour"),
        cost_per_million_tokens=cost_per_mtok,
        breakeven_revenue_per_year=annual.total,
        breakeven_price_per_million_tokens=cost_per_mtok,
        output_tokens_per_year=output_tokens,
        input_tokens_per_year=tokens - output_tokens,
        cost_per_million_output_tokens=(annual.total / output_tokens).to("USD/Mtoken"),
        breakeven_input_price_per_million_tokens=price_in,
        breakeven_output_price_per_million_tokens=price_in * s.input_output_price_ratio,
        throughput_source=_throughput_source(provenance),
    )
    _check_finite(result)
    return result


def _throughput_source(provenance: Mapping[str, str]) -> str:
    if provenance.get("tokens_per_second_per_accelerator") == "user":
        return "set by the user (tokens_per_second_per_accelerator)"
    return provenance.get("throughput", "")


def _check_finite(result) -> None:
    # every other output is a sum, part or ratio of these: if they are finite, so are the rest
    quantities = (result.capex.total, result.annual_cost.total, result.tokens_per_year, result.energy_per_year,
                  result.tokens_per_energy, result.cost_per_million_tokens, result.cost_per_accelerator_hour,
                  result.cost_per_million_output_tokens, result.breakeven_input_price_per_million_tokens)
    for quantity in quantities:
        if hasattr(quantity, "magnitude") and not np.isfinite(quantity.magnitude).all():
            raise TokencalcError(
                "the inputs are too extreme: a result overflows the range of floating-point numbers; "
                "check the units of the values you set"
            )


def _check_site_fits(s: Scenario, system, count) -> None:
    too_small = np.asarray(count) < system.accelerators_per_system
    if too_small.any():
        unit = "rack" if system.rack_scale else "server"
        need = (system.accelerators_per_system * s.it_power_per_accelerator * s.pue).to("kW")
        need_min = float(np.min(need.magnitude)) if np.ndim(need.magnitude) else need.magnitude
        raise ParameterError(
            "facility_power",
            f"the site is too small for one {unit} of {system.id} "
            f"({system.accelerators_per_system} accelerators); allowed: at least {need_min:,.1f} kW "
            "of facility power at this PUE",
        )


