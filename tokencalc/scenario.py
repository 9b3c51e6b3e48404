"""Parameters of the factory model and the Scenario that holds one resolved set of them.

Each parameter is declared once, as a field of :class:`Scenario` with its unit, its allowed
range and its meaning; ``PARAMETERS`` is derived from those fields. A Scenario is frozen and
validated at construction: an impossible PUE never exists as an object. Every quantity is
converted to the parameter's documented unit once, here, at the boundary.

Layering: catalog defaults < the accelerator's catalog figures < the user's overrides.
"""

from __future__ import annotations

import warnings
from typing import Any, Mapping

import attrs
import numpy as np

from .errors import ParameterError, UnknownNameError

__all__ = ["ParameterSpec", "Scenario", "PARAMETERS", "resolve_scenario", "TokencalcWarning"]


class TokencalcWarning(UserWarning):
    """An accepted but unusual input value (e.g. electricity above 500 USD/MWh)."""


@attrs.frozen
class ParameterSpec:
    """What a parameter means, its documented unit, and the values it may take."""

    name: str
    unit: str  # "" for an id
    description: str
    lower: float | None = None
    upper: float | None = None
    lower_open: bool = False  # True: the lower bound itself is not allowed
    upper_open: bool = False
    warn_above: float | None = None
    warn_below: float | None = None

    @property
    def allowed(self) -> str:
        """The allowed range in words, e.g. '> 0 and <= 1'."""
        parts = []
        if self.lower is not None:
            parts.append(f"{'>' if self.lower_open else '>='} {self.lower:g}")
        if self.upper is not None:
            parts.append(f"{'<' if self.upper_open else '<='} {self.upper:g}")
        unit = "" if self.unit in ("", "1") else f" {self.unit}"
        return (" and ".join(parts) + unit) if parts else "any finite value"

    def check(self, magnitude) -> None:
        """Raise ParameterError if any element of ``magnitude`` (in ``unit``) is out of range."""
        values = np.asarray(magnitude, dtype=float)
        bad = np.zeros(values.shape, dtype=bool)
        if self.lower is not None:
            bad |= values <= self.lower if self.lower_open else values < self.lower
        if self.upper is not None:
            bad |= values >= self.upper if self.upper_open else values > self.upper
        if bad.any():
            first = values[bad].flat[0]
            where = "" if values.ndim == 0 else f" (and {int(bad.sum()) - 1} more)" if bad.sum() > 1 else ""
            unit = "" if self.unit in ("", "1") else f" {self.unit}"
            raise ParameterError(self.name, f"{first:g}{unit}{where} is not allowed; allowed: {self.allowed}")
        unit = "" if self.unit in ("", "1") else f" {self.unit}"
        if self.warn_above is not None and (values > self.warn_above).any():
            warnings.warn(
                f"{self.name}: {values.max():g}{unit} is unusually high (above {self.warn_above:g}); "
                "check the value and its unit",
                TokencalcWarning,
                stacklevel=4,
            )
        if self.warn_below is not None and (values < self.warn_below).any():
            warnings.warn(
                f"{self.name}: {values.min():g}{unit} is unusually low (below {self.warn_below:g}); "
                "check the value and its unit",
                TokencalcWarning,
                stacklevel=4,
            )


def _param(unit: str, description: str, **bounds) -> Any:
    return attrs.field(metadata={"spec": (unit, description, bounds)})


def _convert_fields(cls, fields):
    """attrs field transformer: give each parameter field its spec and a unit converter."""
    out = []
    for field in fields:
        unit, description, bounds = field.metadata["spec"]
        spec = ParameterSpec(name=field.name, unit=unit, description=description, **bounds)
        if unit:
            converter = _quantity_converter(spec)
        else:
            converter = _id_converter(spec)
        out.append(field.evolve(converter=converter, metadata={"spec": spec}))
    return out


def _quantity_converter(spec: ParameterSpec):
    def convert(value):
        from .units import as_quantity

        quantity = as_quantity(value, spec.unit, spec.name)
        spec.check(quantity.magnitude)
        return quantity

    return convert


_CHOICES = {"precision": ("auto", "best", "fp16", "fp8", "fp4"),
            "cooling": ("air", "rear-door", "liquid", "immersion"),
            "depreciation_method": ("straight-line", "declining-balance", "sum-of-years", "custom"), "throughput_source": ("auto", "model", "measured")}


def _id_converter(spec: ParameterSpec):
    def convert(value):
        if not isinstance(value, str) or not value.strip():
            raise ParameterError(spec.name, f"expected a catalog id (text), got {value!r}")
        text = value.strip()
        if spec.name == "model" and text.endswith(".toml"):
            return text  # a user's model file: keep the path as given
        text = text.lower()
        choices = _CHOICES.get(spec.name)
        if choices and text not in choices:
            raise ParameterError(spec.name, f"{value!r} is not allowed; allowed: {', '.join(choices)}")
        return text

    return convert


@attrs.frozen(field_transformer=_convert_fields)
class Scenario:
    """One complete, validated set of factory parameters (pint Quantities in documented units)."""

    accelerator: str = _param("", "catalog id of the accelerator system (--gpu)")
    facility_power: Any = _param(
        "W", "power the site draws from the grid (or its own plant) at full load; --gw sets it",
        lower=0, lower_open=True, warn_above=2e10,
    )
    pue: Any = _param("1", "power usage effectiveness: facility power / IT power", lower=1, warn_above=2.5)
    it_power_per_accelerator: Any = _param(
        "W", "all-in IT power per accelerator: its share of host CPUs, NICs, switches, fans",
        lower=0, lower_open=True, warn_above=20_000,
    )
    accelerator_capex: Any = _param(
        "USD", "all-in system price per accelerator (its share of the server or rack)", lower=0, warn_above=1e6
    )
    network_capex_per_accelerator: Any = _param(
        "USD", "scale-out network, optics and storage per accelerator", lower=0, warn_above=1e6
    )
    facility_capex_per_it_power: Any = _param(
        "USD/W", "building, electrical and cooling plant per watt of IT capacity", lower=0, warn_above=50
    )
    electricity_price: Any = _param(
        "USD/(kW*h)", "price of energy delivered to the site", lower=0, warn_above=0.5
    )
    load_factor: Any = _param(
        "1", "average IT draw / nameplate IT power of the deployed accelerators", lower=0, upper=1, lower_open=True
    )
    utilization: Any = _param(
        "1", "share of the year spent producing tokens at the stated throughput", lower=0, upper=1, lower_open=True
    )
    tokens_per_second_per_accelerator: Any = _param(
        "token/s", "throughput per accelerator (input + output tokens); by default from the throughput model "
        "for the workload below", lower=0, lower_open=True, warn_above=1e6
    )
    model: str = _param("", "LLM served: a catalog id (tokencalc models) or a TOML file describing one")
    precision: str = _param(
        "", "fp16, fp8, fp4; auto: the model's usual serving precision; best: fp4 where the system has FP4 "
        "tensor cores, else fp8"
    )
    isl: Any = _param("token", "input tokens per request", lower=1, warn_above=1e6)
    osl: Any = _param("token", "output tokens per request", lower=1, warn_above=1e6)
    interactivity: Any = _param(
        "token/s", "output tokens per second each user sees (the serving target)", lower=0, lower_open=True,
        warn_above=5000,
    )
    batch: Any = _param(
        "1", "requests in flight per accelerator; 0 (default): serve at the interactivity target instead",
        lower=0, warn_above=10_000,
    )
    max_concurrency: Any = _param(
        "1", "most requests in flight per accelerator (a serving engine's maximum batch)", lower=0,
        lower_open=True, warn_above=10_000
    )
    throughput_source: str = _param("", "where throughput comes from: auto, model or measured")
    cooling: str = _param("", "cooling type: air, rear-door, liquid, immersion (sets pue and cooling capex defaults)")
    servers_per_rack: Any = _param("1", "servers per rack, for the rack-power check of server systems", lower=1,
                                   warn_above=16)
    water_per_energy: Any = _param("L/kWh", "on-site water per kWh of IT energy (WUE)", lower=0, warn_above=10)
    power_source: str = _param("", "grid, a grid price scenario, or an on-site plant (tokencalc power)")
    plant_capex_per_power: Any = _param("USD/kW", "on-site plant capital cost per kW of plant capacity", lower=0,
                                        warn_above=20_000)
    plant_capacity_margin: Any = _param("1", "plant capacity above facility power (redundancy)", lower=0,
                                        warn_above=1)
    plant_fixed_om: Any = _param("USD/kW/year", "plant fixed operations and maintenance", lower=0, warn_above=500)
    plant_variable_om: Any = _param("USD/MWh", "plant variable operations and maintenance", lower=0, warn_above=100)
    heat_rate: Any = _param("Btu/kWh", "plant fuel energy per kWh of electricity", lower=0, warn_above=20_000)
    fuel_price: Any = _param("USD/MMBtu", "fuel price (gas)", lower=0, warn_above=50)
    fuel_per_energy: Any = _param("USD/MWh", "fuel cost per MWh where priced that way (nuclear)", lower=0,
                                  warn_above=200)
    plant_energy_share: Any = _param("1", "share of the site's energy the plant supplies; the rest from the grid",
                                     lower=0, upper=1)
    plant_life: Any = _param("year", "economic life of the plant for its capital charge", lower=0, lower_open=True,
                             warn_above=80)
    horizon: Any = _param("year", "years of operation the cash flows cover (default: the facility life)", lower=1,
                          warn_above=60)
    build_period: Any = _param("year", "years of construction before operation starts (capex spread over them)",
                               lower=0, warn_above=10)
    token_price_decline: Any = _param("1/year", "yearly fall of the token price (0.3 = 30 % a year)", lower=0,
                                      upper=1, upper_open=True)
    tax_rate: Any = _param("1", "income tax rate", lower=0, upper=1, upper_open=True)
    depreciation_method: str = _param("", "book depreciation: straight-line, declining-balance, sum-of-years, custom")
    accelerator_book_life: Any = _param("year", "book (tax) life of the accelerators; other assets use their "
                                        "economic lives", lower=0, lower_open=True, warn_above=15)
    debt_share: Any = _param("1", "share of the initial capex financed by debt", lower=0, upper=1)
    cost_of_debt: Any = _param("1", "interest rate of the debt per year", lower=0, upper=1)
    debt_term: Any = _param("year", "years to repay the debt (level payments)", lower=0, lower_open=True,
                            warn_above=40)
    input_output_price_ratio: Any = _param(
        "1", "output token price / input token price, for break-even prices per input and output token",
        lower=0, lower_open=True, warn_above=100,
    )
    accelerator_life: Any = _param(
        "year", "economic life of the accelerator systems for the capital charge", lower=0, lower_open=True,
        warn_above=15,
    )
    network_life: Any = _param(
        "year", "economic life of the network for the capital charge", lower=0, lower_open=True, warn_above=20
    )
    facility_life: Any = _param(
        "year", "economic life of the facility for the capital charge", lower=0, lower_open=True, warn_above=60
    )
    wacc: Any = _param("1", "cost of capital per year (a fraction: 0.1 = 10 %)", lower=0, upper=1, warn_above=0.4)
    operations_rate: Any = _param(
        "1/year", "maintenance, staff, insurance, software: share of capex per year", lower=0, upper=1,
        warn_above=0.2,
    )

    def to_dict(self) -> dict[str, Any]:
        """Every parameter: ids as text, quantities as {"value", "unit"} (the JSON contract)."""
        from .report import jsonable

        return {name: jsonable(getattr(self, name)) for name in PARAMETERS}


PARAMETERS: Mapping[str, ParameterSpec] = {f.name: f.metadata["spec"] for f in attrs.fields(Scenario)}

_FROM_ACCELERATOR = (
    "it_power_per_accelerator",
    "accelerator_capex",
    "network_capex_per_accelerator",
)


def _cooling_and_power_defaults(overrides: Mapping[str, Any], defaults) -> dict[str, tuple[Any, str]]:
    """Defaults set by the cooling type and the power source: name -> (value, provenance)."""
    from .cooling import cooling_type
    from .power import PLANT_FIGURES, power_option
    from .units import Q_

    cooling = cooling_type(_id_converter(PARAMETERS["cooling"])(overrides.get("cooling", defaults["cooling"].value)))
    tag = f"cooling:{cooling.id}"
    out = {
        "cooling": (cooling.id, "default" if "cooling" not in overrides else "user"),
        "pue": (cooling.value("pue", ""), tag),
        "facility_capex_per_it_power": (
            defaults["building_capex_per_it_power"].value.to("USD/W") + cooling.value("capex", "USD/W"), tag),
        "water_per_energy": (cooling.value("water", "L/kWh"), tag),
    }
    option = power_option(_id_converter(PARAMETERS["power_source"])(
        overrides.get("power_source", defaults["power_source"].value)))
    tag = f"power:{option.id}"
    out["power_source"] = (option.id, "default" if "power_source" not in overrides else "user")
    if option.kind == "grid":
        out["electricity_price"] = (option.value("price", "USD/MWh"), tag)
        neutral = {"plant_capex_per_power": "USD/kW", "plant_fixed_om": "USD/kW/year", "plant_variable_om": "USD/MWh",
                   "heat_rate": "Btu/kWh", "fuel_price": "USD/MMBtu", "fuel_per_energy": "USD/MWh",
                   "plant_energy_share": ""}
        for name, unit in neutral.items():
            out[name] = (Q_(0.0, unit), tag)
        out["plant_life"] = (Q_(30.0, "year"), tag)
    else:
        names = dict(zip(PLANT_FIGURES, ("plant_capex_per_power", "plant_fixed_om", "plant_variable_om", "heat_rate",
                                         "fuel_price", "fuel_per_energy", "plant_energy_share", "plant_life")))
        units = ("USD/kW", "USD/kW/year", "USD/MWh", "Btu/kWh", "USD/MMBtu", "USD/MWh", "", "year")
        for (figure, name), unit in zip(names.items(), units):
            out[name] = (option.value(figure, unit), tag)
    return out


def check_names(names) -> None:
    """Raise UnknownNameError for a name that is not a parameter, suggesting the closest."""
    from .catalog import suggest

    for name in names:
        if name not in PARAMETERS:
            raise UnknownNameError(
                f"unknown parameter {name!r}{suggest(name, PARAMETERS)}; "
                f"parameters: {', '.join(PARAMETERS)}"
            )


def resolve_scenario(overrides: Mapping[str, Any] | None = None) -> tuple[Scenario, dict[str, str]]:
    """Layer defaults < accelerator figures < ``overrides`` into a validated Scenario.

    Returns the Scenario and, per parameter, where its value came from ("default",
    "catalog:<id>", or "user").
    """
    from . import catalog

    overrides = dict(overrides or {})
    check_names(overrides)
    defaults = catalog.defaults()
    accelerator_id = overrides.get("accelerator", defaults["accelerator"].value)
    system = catalog.accelerator(_id_converter(PARAMETERS["accelerator"])(accelerator_id))

    layered = _cooling_and_power_defaults(overrides, defaults)
    if "horizon" not in overrides:  # the cash flows cover the facility's life unless told otherwise
        layered["horizon"] = (overrides.get("facility_life", defaults["facility_life"].value), "facility_life")
    values: dict[str, Any] = {}
    provenance: dict[str, str] = {}
    for name in PARAMETERS:
        if name == "tokens_per_second_per_accelerator" and name not in overrides:
            continue  # resolved below, from the workload
        if name in overrides:
            values[name], provenance[name] = overrides[name], "user"
        elif name in layered:
            values[name], provenance[name] = layered[name]
        elif name in _FROM_ACCELERATOR:
            value = getattr(system, name)
            if value is None:
                status = " (announced)" if system.announced else ""
                raise ParameterError(
                    name,
                    f"the catalog has no figure for {system.id}{status}; "
                    f"set it, e.g. --set {name}=<value in {PARAMETERS[name].unit}>",
                )
            values[name], provenance[name] = value, f"catalog:{system.id}"
        else:
            values[name], provenance[name] = defaults[name].value, "default"
    values["accelerator"] = system.id
    if "tokens_per_second_per_accelerator" not in overrides:
        fields = attrs.fields_dict(Scenario)
        workload = {name: fields[name].converter(values[name]) for name in WORKLOAD}
        estimate = workload_throughput(workload, system)
        values["tokens_per_second_per_accelerator"] = estimate.total_tokens_per_second
        provenance["tokens_per_second_per_accelerator"] = f"throughput:{estimate.source}"
        provenance["throughput"] = estimate.description
    return Scenario(**values), provenance


WORKLOAD = ("accelerator", "model", "precision", "isl", "osl", "interactivity", "batch", "max_concurrency",
            "throughput_source")


def resolve_workload(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Defaults < ``overrides`` for the workload parameters only, each validated like a Scenario field."""
    from . import catalog

    overrides = dict(overrides or {})
    check_names(overrides)
    other = [name for name in overrides if name not in WORKLOAD]
    if other:
        raise UnknownNameError(f"{other[0]} is not a workload parameter; workload parameters: {', '.join(WORKLOAD)}")
    fields = attrs.fields_dict(Scenario)
    defaults = catalog.defaults()
    values = {name: fields[name].converter(overrides.get(name, defaults[name].value)) for name in WORKLOAD}
    values["accelerator"] = catalog.accelerator(values["accelerator"]).id
    return values


def workload_throughput(workload: Mapping[str, Any], system):
    """Throughput per accelerator of a validated workload (throughput model, measured points)."""
    from .throughput import estimate

    return estimate(
        system,
        workload["model"],
        None if workload["precision"] == "auto" else workload["precision"],
        workload["isl"],
        workload["osl"],
        workload["interactivity"],
        workload["throughput_source"],
        max_concurrency=float(np.min(workload["max_concurrency"].m_as(""))),
        batch=_scalar_batch(workload["batch"]),
    )


def _scalar_batch(batch) -> float:
    value = np.asarray(batch.m_as(""))
    if value.ndim:
        raise ParameterError("batch", "must be a single number (one serving configuration at a time)")
    return float(value)


