"""The AI factory: a Scenario in, its capex, annual cost, tokens and break-even out.

Reference model v1 (DESIGN.md), chained from the model's functions::

    it_power        = facility_power / pue                                   model.site
    accelerators    = floor(it_power / it_power_per_accelerator)             (rack-scale: whole racks)
    capex.k         = accelerators x per-accelerator capex_k; facility = it_power x capex per W
    capital charge  = sum_k capex.k x crf(wacc, life_k)                      model.capital
    energy_per_year = accelerators x it_power_per_accelerator x load_factor x pue x 1 year   model.energy
    electricity, fuel, plant O&M                                             model.energy
    site_operations = site_operations_per_it_power x it_power                model.capital
    facility_maint. = facility_maintenance_rate x capex.facility
    hardware_maint. = hardware_maintenance_rate x (capex.compute + capex.network)
    annual_cost     = capital charge + electricity + fuel + plant O&M + the three operations lines
    tokens_per_year = accelerators x tokens_per_second_per_accelerator x utilization x 1 year  model.tokens
    cost_per_million_tokens = annual_cost / tokens_per_year x 1e6 token;  breakeven revenue = annual_cost

One vectorized evaluation: any parameter may be a numpy array and every result broadcasts.
"""

from __future__ import annotations

from typing import Any, Mapping

import attrs
import numpy as np

from .. import catalog
from ..errors import ParameterError
from ..model import capital, energy, site, tokens
from ..parameters import PARAMETERS, Scenario
from ..scenario import GIVEN, Provenance, resolve
from ..units import Q_, jsonable
from .record import Result, envelope
from .throughput import workload_throughput
from .token_kinds import token_kinds_record

__all__ = ["factory", "evaluate", "resolve_scenario", "FactoryResult", "Capex", "AnnualCost"]


def resolve_scenario(overrides: Mapping[str, Any] | None = None) -> tuple[Scenario, Provenance]:
    """Layer defaults < catalog < ``overrides`` into a Scenario, throughput from the workload.

    Returns the Scenario and its :class:`~tokencalc.scenario.Provenance`.
    """
    return resolve(overrides, workload_throughput)


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
    site_operations: Any
    facility_maintenance: Any
    hardware_maintenance: Any
    accelerator_hours: Any = Q_(0.0, "USD/year")  # accelerator-hours bought at a price (cost_per_accelerator_hour)
    total: Any = attrs.field(init=False)

    def __attrs_post_init__(self):
        lines = [getattr(self, f.name) for f in attrs.fields(type(self)) if f.name != "total"]
        object.__setattr__(self, "total", _total(*lines))

    CAPITAL = ("compute_capital", "network_capital", "facility_capital", "power_plant_capital")
    ENERGY = ("electricity", "fuel", "plant_operations")  # what the site's energy costs
    OPERATIONS = ("site_operations", "facility_maintenance", "hardware_maintenance")  # running the site and hardware
    OPERATING = ENERGY + OPERATIONS + ("accelerator_hours",)  # paid each year (the cash flows' operating costs)

    @property
    def capital(self):
        """The capital charge: the capital lines together [USD/year]."""
        return _total(*(getattr(self, name) for name in self.CAPITAL))

    @property
    def operations(self):
        """Operations: site operations and the facility's and hardware's maintenance together [USD/year]."""
        return _total(*(getattr(self, name) for name in self.OPERATIONS))

    @property
    def energy(self):
        """What the site's energy costs: grid electricity, fuel and plant O&M [USD/year]."""
        return _total(*(getattr(self, name) for name in self.ENERGY))

    def lines(self) -> dict[str, Any]:
        """The lines without the total, by name."""
        return {f.name: getattr(self, f.name) for f in attrs.fields(type(self)) if f.name != "total"}


_NOT_IN_BODY = ("scenario", "accelerator_name", "accelerator_status", "form_factor")


@attrs.frozen
class FactoryResult(Result):
    """What :func:`factory` computes. Quantities are pint Quantities (arrays when inputs are)."""

    _RENDERER = ("factory", "factory_renderable")

    scenario: Scenario
    provenance: Provenance
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
    plant_cost_per_energy: Any  # USD/MWh the on-site plant's energy costs as run here (0 on grid power)
    plant_lcoe: Any  # USD/MWh its levelized cost at its own availability (0 on grid power)
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
    cached_input_tokens_per_year: Any  # the share of input_tokens_per_year served from the prompt cache
    breakeven_cached_input_price_per_million_tokens: Any
    throughput_source: str
    form_factor: str = ""

    @property
    def scalar(self) -> bool:
        """True when every input was a single value (tables render scalar results only)."""
        return np.ndim(self.cost_per_million_tokens.magnitude) == 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract as a dict: quantities as {"value", "unit"}, counts as numbers."""
        body: dict[str, Any] = {}
        for field in attrs.fields(type(self)):
            if field.name in _NOT_IN_BODY:
                continue
            value = getattr(self, field.name)
            if isinstance(value, Provenance):
                body[field.name] = value.to_dict()
            elif attrs.has(type(value)):
                body[field.name] = {k: jsonable(v) for k, v in attrs.asdict(value, recurse=False).items()}
            else:
                body[field.name] = jsonable(value)
        scenario = {name: jsonable(getattr(self.scenario, name), spec.unit or None)
                    for name, spec in PARAMETERS.items()}
        accelerator = {"id": self.scenario.accelerator, "name": self.accelerator_name,
                       "status": self.accelerator_status}
        return envelope({"accelerator": accelerator, "scenario": scenario, **body,
                         "token_kinds": self.token_kinds()})

    def token_kinds(self) -> dict[str, Any]:
        """Per token kind (uncached input, cached input, output, and all input together): tokens per year, the
        price ratio to input, the annual cost it carries at those ratios, and its cost per million tokens
        (the price that pays it: the break-even price of reference model v1)."""
        return token_kinds_record(self, self.breakeven_input_price_per_million_tokens)

    def __rich__(self):
        from ..present.factory import factory_renderable  # lazy: the rich display protocol, on demand

        return factory_renderable(self)


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
    if scenario is not None and not isinstance(scenario, Scenario):
        raise ParameterError("scenario", f"expected a Scenario (tokencalc.resolve_scenario(...)[0]), got "
                             f"{type(scenario).__name__}; a preset's or file's values: tokencalc.scenariofile.load(name)"
                             ".parameters as keyword parameters")
    if scenario is not None:
        base = {name: getattr(scenario, name) for name in attrs.fields_dict(Scenario)}
        scenario, provenance = resolve_scenario({**base, **parameters})
    else:
        scenario, provenance = resolve_scenario(parameters)
    return evaluate(scenario, provenance)


def evaluate(scenario: Scenario, provenance: Provenance | None = None) -> FactoryResult:
    """Evaluate the model on a resolved Scenario.

    Floating-point overflow in extreme inputs is not warned about by numpy: the results are
    checked for finiteness and an overflow is a TokencalcError.
    """
    with np.errstate(over="ignore", divide="ignore", invalid="ignore", under="ignore"):
        return _evaluate(scenario, provenance or Provenance())


def _evaluate(s: Scenario, provenance: Provenance) -> FactoryResult:
    system = catalog.accelerator(s.accelerator)
    _check_rack_power(s, system)
    site_it_power = site.it_power(s.facility_power, s.pue)
    count = site.accelerator_count(site_it_power, s.it_power_per_accelerator, system.accelerators_per_system,
                                   system.rack_scale)
    _check_site_fits(s, system, count)

    capacity = site.plant_capacity(s.facility_power, s.plant_capacity_margin, s.plant_energy_share)
    capex = Capex(
        compute=(count * s.accelerator_capex).to("USD"),
        network=(count * s.network_capex_per_accelerator).to("USD"),
        facility=(site_it_power * s.facility_capex_per_it_power).to("USD"),
        power_plant=(capacity * s.plant_capex_per_power).to("USD"),
    )
    energy_year = energy.energy_per_year(count, s.it_power_per_accelerator, s.load_factor, s.pue)
    annual = AnnualCost(
        compute_capital=capital.capital_charge(capex.compute, s.wacc, s.accelerator_life),
        network_capital=capital.capital_charge(capex.network, s.wacc, s.network_life),
        facility_capital=capital.capital_charge(capex.facility, s.wacc, s.facility_life),
        power_plant_capital=capital.capital_charge(capex.power_plant, s.wacc, s.plant_life),
        electricity=energy.electricity_cost(energy_year, s.electricity_price, s.plant_energy_share),
        fuel=energy.fuel_cost(energy_year, s.plant_energy_share, s.fuel_price, s.heat_rate, s.fuel_per_energy),
        plant_operations=energy.plant_operations_cost(energy_year, s.plant_energy_share, s.plant_variable_om,
                                                      capacity, s.plant_fixed_om),
        site_operations=capital.site_operations_cost(s.site_operations_per_it_power, site_it_power),
        facility_maintenance=capital.maintenance_cost(s.facility_maintenance_rate, capex.facility),
        hardware_maintenance=capital.maintenance_cost(s.hardware_maintenance_rate, capex.compute + capex.network),
    )
    annual, capex = _priced_per_hour(annual, capex, count, s.cost_per_accelerator_hour)
    made = tokens.tokens_per_year(count, s.tokens_per_second_per_accelerator, s.utilization)
    cost_per_mtok = tokens.cost_per_million_tokens(annual.total, made)
    uncached, cached, output = tokens.token_kinds(made, s.isl, s.osl, s.cache_hit_rate)
    price_in = tokens.break_even_input_price(annual.total, uncached, output, s.input_output_price_ratio, cached,
                                             s.cached_input_price_ratio)
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
        energy_per_year=energy_year,
        plant_capacity=capacity.to("MW"),
        plant_cost_per_energy=_plant_cost(annual, energy_year, s),
        plant_lcoe=_plant_lcoe(s),
        water_per_year=site.water_per_year(energy_year, s.pue, s.water_per_energy),
        tokens_per_year=made,
        tokens_per_energy=tokens.tokens_per_energy(made, energy_year),
        cost_per_accelerator_hour=tokens.cost_per_accelerator_hour(annual.total, count),
        cost_per_million_tokens=cost_per_mtok,
        breakeven_revenue_per_year=annual.total,
        breakeven_price_per_million_tokens=cost_per_mtok,
        output_tokens_per_year=output,
        input_tokens_per_year=made - output,
        cost_per_million_output_tokens=tokens.cost_per_million_tokens(annual.total, output),
        breakeven_input_price_per_million_tokens=price_in,
        breakeven_output_price_per_million_tokens=price_in * s.input_output_price_ratio,
        cached_input_tokens_per_year=cached,
        breakeven_cached_input_price_per_million_tokens=price_in * s.cached_input_price_ratio,
        throughput_source=_throughput_source(provenance),
        form_factor=system.form_factor,
    )
    _check_finite(result, provenance)
    return result


def _plant_cost(annual: AnnualCost, energy_year, s: Scenario):
    """What the plant's energy costs as the site runs it [USD/MWh]: (plant capital + fuel + plant O&M) / plant
    energy. Above the LCOE when the plant is sized with a margin and runs below its availability."""
    if not np.any(s.plant_energy_share.magnitude):
        return Q_(0.0, "USD/MWh")
    plant = annual.power_plant_capital + annual.fuel + annual.plant_operations
    return (plant / energy.plant_energy(energy_year, s.plant_energy_share)).to("USD/MWh")


def _plant_lcoe(s: Scenario):
    """The plant's levelized cost of energy at its own availability [USD/MWh] (model.energy.lcoe)."""
    if not np.any(s.plant_energy_share.magnitude):
        return Q_(0.0, "USD/MWh")
    return energy.lcoe(s.plant_capex_per_power, s.plant_fixed_om, s.plant_variable_om, s.heat_rate, s.fuel_price,
                       s.plant_energy_share, s.plant_life, s.wacc, s.fuel_per_energy)


def _priced_per_hour(annual: AnnualCost, capex: Capex, count, price) -> tuple[AnnualCost, Capex]:
    """With a price per accelerator-hour the hours are the whole cost: no capex, energy or operations lines
    (the price includes them); elementwise where ``price`` is an array mixing 0 (build up) and prices."""
    magnitude = np.asarray(price.m_as("USD/hour"))
    if magnitude.ndim == 0 and magnitude == 0:
        return annual, capex
    bought = magnitude > 0

    def keep(q):
        return q * np.where(bought, 0.0, 1.0) if magnitude.ndim else (q * 0.0 if bought else q)

    lines = {k: keep(v) for k, v in annual.lines().items() if k != "accelerator_hours"}
    lines["accelerator_hours"] = tokens.accelerator_hours_cost(count, price)
    return AnnualCost(**lines), Capex(**{f: keep(getattr(capex, f)) for f in ("compute", "network", "facility",
                                                                           "power_plant")})


def _throughput_source(provenance: Provenance) -> str:
    origin = provenance.get("tokens_per_second_per_accelerator")
    if origin is not None and origin.kind in GIVEN:
        return "set by the user (tokens_per_second_per_accelerator)"
    return provenance.throughput


def _check_finite(result, provenance: Provenance) -> None:
    # every other output is a sum, part or ratio of these: if they are finite, so are the rest; a price that
    # underflows to 0 (or a subnormal) while the cost is not 0 has lost its meaning
    names = ("capex", "annual_cost", "tokens_per_year", "energy_per_year", "tokens_per_energy",
             "cost_per_million_tokens", "cost_per_accelerator_hour", "cost_per_million_output_tokens",
             "breakeven_input_price_per_million_tokens", "breakeven_output_price_per_million_tokens")
    cost = np.asarray(result.annual_cost.total.magnitude) > 0
    for name in names:
        value = getattr(result, name)
        value = np.asarray((value.total if isinstance(value, (Capex, AnnualCost)) else value).magnitude)
        ratio = "price" in name or name.startswith("cost_per")
        lost = ~np.isfinite(value) | (ratio & cost & (np.abs(value) < np.finfo(float).tiny))
        if lost.any():
            given = [n for n, o in provenance.origins.items()
                     if o.kind in GIVEN and PARAMETERS[n].unit]
            raise ParameterError(
                ", ".join(given) or "parameters",
                f"{name} {'overflows' if not np.isfinite(value).all() else 'underflows to 0'}: the values set are "
                "too extreme for floating-point numbers; allowed: values that keep every result finite and non-zero "
                "(check their units)")


def _check_rack_power(s: Scenario, system) -> None:
    """Refuse a rack denser than the cooling type can cool, naming the types that can."""
    cooling = catalog.cooling_type(s.cooling)
    overhead = catalog.defaults()["it_overhead_share"].value.m_as("")
    per_rack = system.accelerators_per_system * (1 if system.rack_scale else s.servers_per_rack)
    power = np.asarray(site.rack_power(per_rack, s.it_power_per_accelerator, overhead).magnitude)
    limit = cooling.value("max_rack_power", "kW")
    if (power > limit.magnitude).any():
        able = [c.id for c in catalog.cooling_types().values()
                if (power <= c.value("max_rack_power", "kW").magnitude).all()]
        what = "rack" if system.rack_scale else f"rack of {float(np.max(s.servers_per_rack)):g} servers"
        raise ParameterError(
            "cooling",
            f"{cooling.id} cooling handles racks up to {limit.magnitude:g} kW; a {system.id} {what} draws "
            f"{float(np.max(power)):.0f} kW; allowed here: {', '.join(able) or 'none'}"
            + ("" if system.rack_scale else " (or fewer servers_per_rack)"),
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
