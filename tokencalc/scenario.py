"""Build a Scenario: catalog defaults < the accelerator's figures < a file or preset < overrides.

:func:`resolve` layers the values and records where each came from in a :class:`Provenance`
(an :class:`Origin` per parameter, with the catalog figures behind it). Throughput is not
computed here: the caller passes the function that estimates it (the studies floor does), so
this module depends on no study.

Scenario files and presets live in :mod:`tokencalc.scenariofile`; their values reach
:func:`resolve` as :class:`FileText`, so that a value equal to its default keeps the default's source.
"""

from __future__ import annotations

import warnings
from typing import Any, Callable, Mapping

import attrs
import numpy as np

from . import catalog
from .catalog import Figure, suggest
from .catalog.once import once
from .errors import ParameterError, TokencalcError, TokencalcWarning, UnknownNameError
from .model.finance import weighted_average_cost_of_capital
from .model.sampling import DISTRIBUTIONS
from .parameters import PARAMETERS, WORKLOAD, Scenario
from .units import Q_, as_quantity, jsonable

__all__ = ["Origin", "Provenance", "FileText", "GIVEN", "check_names", "resolve", "resolve_workload",
           "default_figure", "wacc_from_financing", "DISTRIBUTIONS"]


# --- provenance -----------------------------------------------------------------------------


@attrs.frozen
class Origin:
    """Where one parameter's value came from.

    kind: "user" (set by you, on the command line or in Python), "file" or "preset" (a scenario file or
    preset set it; key = its path or name; a value equal to the default keeps the default's origin), "default"
    (defaults.toml), "catalog" (the accelerator's figures; key = its id), "cooling" or "power"
    (the cooling type or power source; key = its id), "throughput" (the throughput model or
    measured points; key = "model" or "measured"), "parameter" (follows another parameter; key
    = its name). ``figures`` are the catalog figures behind the value.
    """

    kind: str
    key: str = ""
    figures: tuple[Figure, ...] = ()

    @property
    def tag(self) -> str:
        """The compact text of the JSON contract: "user", "default", "catalog:gb200-nvl72", ..."""
        if self.kind in ("user", "default"):
            return self.kind
        if self.kind == "parameter":
            return self.key
        return f"{self.kind}:{self.key}"

    @property
    def estimate(self) -> bool:
        return any(f.estimate for f in self.figures)


USER = Origin("user")
GIVEN = ("user", "file", "preset")  # kinds of origin whose value someone gave, not a default or the catalog


@attrs.frozen
class Provenance:
    """Per parameter, its :class:`Origin`; and how the throughput was obtained, in words."""

    origins: Mapping[str, Origin] = attrs.field(factory=dict)
    throughput: str = ""
    throughput_choice: Mapping[str, Any] = attrs.field(factory=dict)  # source, serving, spec_decode, interactivity

    def __getitem__(self, name: str) -> Origin:
        return self.origins[name]

    def get(self, name: str, default: Origin | None = None) -> Origin | None:
        return self.origins.get(name, default)

    def to_dict(self) -> dict[str, str]:
        """{parameter: tag} and, when measured curves or the model gave it, {"throughput": how,
        "throughput_choice": {source, serving, spec_decode, interactivity served}}."""
        out: dict[str, Any] = {name: origin.tag for name, origin in self.origins.items()}
        if self.throughput:
            out["throughput"] = self.throughput
        if self.throughput_choice:
            out["throughput_choice"] = {k: jsonable(v) for k, v in self.throughput_choice.items()}
        return out


# --- resolution ----------------------------------------------------------------------------


# Parameters of earlier versions, and what replaced them.
_REPLACED = {"gpu": "the parameter is accelerator (accelerator='h100'); --gpu and --accelerator on the command line",
             "operations_rate": "it was split into site_operations_per_it_power, facility_maintenance_rate and "
                                "hardware_maintenance_rate (operations_rate = r is the same as 0, r and r)"}


def check_names(names) -> None:
    """Raise UnknownNameError for a name that is not a parameter, suggesting the closest."""
    for name in names:
        if name in _REPLACED:
            raise UnknownNameError(f"unknown parameter {name!r}: {_REPLACED[name]}")
        if name not in PARAMETERS:
            raise UnknownNameError(
                f"unknown parameter {name!r}{suggest(name, PARAMETERS)}; "
                f"parameters: {', '.join(PARAMETERS)}"
            )


def _default(name: str) -> Origin:
    fig = catalog.defaults().get(name)
    return Origin("default", "", (fig,) if fig is not None else ())


_COOLING_FIGURES = {"pue": "pue", "facility_capex_per_it_power": "capex", "water_per_energy": "water"}
_PLANT = {"plant_capex_per_power": ("capex", "USD/kW"), "plant_fixed_om": ("fixed_om", "USD/kW/year"),
          "plant_variable_om": ("variable_om", "USD/MWh"), "heat_rate": ("heat_rate", "Btu/kWh"),
          "fuel_price": ("fuel_price", "USD/MMBtu"), "fuel_per_energy": ("fuel_per_energy", "USD/MWh"),
          "plant_energy_share": ("availability", ""), "plant_life": ("life", "year")}
_GRID_PLANT_LIFE = Q_(30.0, "year")  # neutral: a grid site has no plant to charge for


def _layered(overrides: Mapping[str, Any]) -> dict[str, tuple[Any, Origin]]:
    """Values the cooling type, the power source and other parameters set: name -> (value, origin)."""
    defaults = catalog.defaults()
    cooling_id = PARAMETERS["cooling"].convert(overrides.get("cooling", defaults["cooling"].value))
    cooling = catalog.cooling_type(cooling_id)
    out: dict[str, tuple[Any, Origin]] = {"cooling": (cooling.id, _default("cooling"))}
    for name, figure_name in _COOLING_FIGURES.items():
        out[name] = (None, Origin("cooling", cooling.id, (cooling.figures[figure_name],)))
    out["pue"] = (cooling.value("pue", ""), out["pue"][1])
    out["facility_capex_per_it_power"] = (
        defaults["building_capex_per_it_power"].value.to("USD/W") + cooling.value("capex", "USD/W"),
        out["facility_capex_per_it_power"][1])
    out["water_per_energy"] = (cooling.value("water", "L/kWh"), out["water_per_energy"][1])

    option_id = PARAMETERS["power_source"].convert(overrides.get("power_source", defaults["power_source"].value))
    option = catalog.power_option(option_id)
    out["power_source"] = (option.id, _default("power_source"))
    if option.kind == "grid":
        out["electricity_price"] = (option.value("price", "USD/MWh"), Origin("power", option.id,
                                                                           (option.figure("price"),)))
        for name, (_, unit) in _PLANT.items():
            out[name] = (Q_(0.0, unit), Origin("power", option.id))
        out["plant_life"] = (_GRID_PLANT_LIFE, Origin("power", option.id))
    else:  # the share of energy the plant does not supply comes from the grid, at the default grid price
        grid = catalog.power_option(defaults["power_source"].value)
        out["electricity_price"] = (grid.value("price", "USD/MWh"), Origin("default", "", (grid.figure("price"),)))
        for name, (figure_name, unit) in _PLANT.items():
            fig = option.figure(figure_name)
            out[name] = (option.value(figure_name, unit), Origin("power", option.id, (fig,) if fig else ()))
    if "horizon" not in overrides:  # the cash flows cover the facility's life unless told otherwise
        out["horizon"] = (overrides.get("facility_life", defaults["facility_life"].value),
                          Origin("parameter", "facility_life"))
    return out


class FileText(str):
    """A parameter's value as a scenario file or preset gave it (text), remembering where it came from."""

    source: str = ""

    @classmethod
    def of(cls, value, source: str) -> "FileText":
        text = cls(value if isinstance(value, str) else repr(value))
        text.source = source
        return text


_FROM_ACCELERATOR = ("it_power_per_accelerator", "accelerator_capex", "network_capex_per_accelerator")
_NOT_REPLAYED = ("tokens_per_second_per_accelerator", "horizon")  # set by the workload or another parameter


def _kept_origin(name: str, given, base) -> Origin | None:
    """The origin a value keeps when it equals what the catalog or defaults give anyway (a saved scenario read
    back, a template left untouched): their source, not "you"."""
    try:
        value, origin = base(name)
        if value is None:
            return None
        spec = PARAMETERS[name]
        mine, theirs = spec.convert(given), spec.convert(value)
    except (TokencalcError, ValueError, TypeError):
        return None
    if isinstance(mine, str):
        return origin if mine == theirs else None
    same = np.ndim(mine.magnitude) == 0 and np.ndim(theirs.magnitude) == 0 and \
        float(mine.magnitude) == float(theirs.m_as(spec.unit))
    return origin if same else None
_MODEL_ONLY = ("mtp_draft_tokens", "mtp_acceptance", "kv_cache_precision", "max_concurrency")  # move the model only

Throughput = Callable[[Mapping[str, Any], Any], Any]


def resolve(overrides: Mapping[str, Any] | None, throughput: Throughput) -> tuple[Scenario, Provenance]:
    """Layer defaults < accelerator figures < ``overrides`` into a validated Scenario.

    ``throughput(workload, system)`` estimates the throughput when the overrides do not set
    ``tokens_per_second_per_accelerator``; it returns an object with ``total_tokens_per_second``,
    ``source`` and ``description`` (``studies.throughput.workload_throughput``).
    """
    overrides = dict(overrides or {})
    check_names(overrides)
    defaults = catalog.defaults()
    accelerator_id = overrides.get("accelerator", defaults["accelerator"].value)
    system = catalog.accelerator(PARAMETERS["accelerator"].convert(accelerator_id))

    catalog_key = system.id if not system.origin else f"{system.id} ({system.origin_note})"
    if system.replaces_builtin:
        warnings.warn(f"accelerator: {system.id} is the system {system.origin_note}; its figures, not the catalog's, "
                      "answer", TokencalcWarning, stacklevel=3)
    layered = _layered(overrides)
    values: dict[str, Any] = {}
    origins: dict[str, Origin] = {}
    def base(name: str) -> tuple[Any, Origin]:
        """The value and origin of a parameter that the overrides do not set."""
        if name in layered:
            return layered[name]
        if name in _FROM_ACCELERATOR:
            value = getattr(system, name)
            if value is None:
                status = " (announced)" if system.announced else ""
                raise ParameterError(
                    name,
                    f"the catalog has no figure for {system.id}{status}; "
                    f"set it, e.g. --set {name}=<value in {PARAMETERS[name].bare_unit}>",
                )
            return value, Origin("catalog", catalog_key, tuple(system.parameter_figures().get(name, ())))
        return defaults[name].value, _default(name)

    for name in PARAMETERS:
        if name == "tokens_per_second_per_accelerator" and name not in overrides:
            continue  # resolved below, from the workload
        if name in overrides:
            given = overrides[name]
            values[name], origins[name] = given, USER
            if isinstance(given, FileText):  # from a scenario file or preset: its default keeps its source
                kept = None if name in _NOT_REPLAYED else _kept_origin(name, given, base)
                preset = given.source.startswith("preset ")
                origins[name] = kept or Origin("preset" if preset else "file",
                                               given.source[len("preset "):] if preset else given.source)
        else:
            values[name], origins[name] = base(name)
    values["accelerator"] = system.id
    if origins["batch"].kind in GIVEN and origins["interactivity"].kind in GIVEN and \
            np.any(PARAMETERS["batch"].convert(values["batch"]).magnitude > 0):
        raise ParameterError("batch", "give either --batch (requests per accelerator) or --interactivity (the "
                             "tokens/s each user sees), not both")
    basis = PARAMETERS["cost_basis"].convert(values["cost_basis"])
    priced = "cost_per_accelerator_hour" in overrides and \
        np.any(PARAMETERS["cost_per_accelerator_hour"].convert(overrides["cost_per_accelerator_hour"]).magnitude > 0)
    if priced and "cost_basis" in overrides:
        raise ParameterError("cost_basis", "give either --cost-basis or a price per accelerator-hour "
                             "(--set cost_per_accelerator_hour=...), not both")
    if priced:  # the price replaces the build-up: say so where the basis is shown
        origins["cost_basis"] = Origin("parameter", "cost_per_accelerator_hour")
    if basis != "build-up" and "cost_per_accelerator_hour" not in overrides:  # a published price per hour
        fig = system.figure(basis.replace("-", "_"))
        if fig is None:
            raise ParameterError("cost_basis", f"the catalog has no {basis} price for {system.id}; allowed here: "
                                 "build-up, or --set cost_per_accelerator_hour=...")
        values["cost_per_accelerator_hour"] = fig.value
        origins["cost_per_accelerator_hour"] = Origin("catalog", catalog_key, (fig,))
    it_power = PARAMETERS["it_power"].convert(values["it_power"])
    if np.any(it_power.magnitude > 0):  # the site sized by IT power: facility power follows from the pue
        if "facility_power" in overrides:
            raise ParameterError("facility_power", "give the site size once: facility power (--gw, --mw, "
                                 "--facility-power) or IT power (--it-power)")
        values["facility_power"] = (it_power * PARAMETERS["pue"].convert(values["pue"])).to("W")
        origins["facility_power"] = Origin("parameter", "it_power x pue")
    description, choice = "", {}
    if "tokens_per_second_per_accelerator" not in overrides:
        workload = {name: PARAMETERS[name].convert(values[name]) for name in WORKLOAD}
        estimate = throughput(workload, system)
        values["tokens_per_second_per_accelerator"] = estimate.total_tokens_per_second
        origins["tokens_per_second_per_accelerator"] = Origin("throughput", estimate.source)
        description = estimate.description
        ignored = [n for n in _MODEL_ONLY if n in overrides and origins[n].kind in GIVEN]
        if ignored and estimate.source == "measured":
            warnings.warn(f"{ignored[0]}: the throughput is measured (a measured curve answers), which the serving "
                          "model's parameters do not move; add --source model to apply it", TokencalcWarning,
                          stacklevel=3)
        choice = {"source": estimate.source, "serving": getattr(estimate, "serving", ""),
                  "spec_decode": getattr(estimate, "spec_decode", ""),
                  "interactivity": getattr(estimate, "interactivity", None)}
    return Scenario(**values), Provenance(origins, description, choice)


def resolve_workload(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Defaults < ``overrides`` for the workload parameters only, each validated like a Scenario field."""
    overrides = dict(overrides or {})
    check_names(overrides)
    other = [name for name in overrides if name not in WORKLOAD]
    if other:
        raise UnknownNameError(f"{other[0]} is not a workload parameter; workload parameters: {', '.join(WORKLOAD)}")
    defaults = catalog.defaults()
    values = {name: PARAMETERS[name].convert(overrides.get(name, defaults[name].value)) for name in WORKLOAD}
    values["accelerator"] = catalog.accelerator(values["accelerator"]).id
    return values


def wacc_from_financing(overrides: Mapping[str, Any], cost_of_equity) -> float:
    """The wacc of a financing mix: E/V x Re + D/V x Rd x (1 - tax rate) (model.finance), with the
    debt share, cost of debt and tax rate from ``overrides`` or their catalog defaults."""
    defaults = catalog.defaults()

    def value(name: str) -> float:
        return float(PARAMETERS[name].convert(overrides.get(name, defaults[name].value)).m_as(""))

    equity = float(as_quantity(cost_of_equity, "1", "cost_of_equity").magnitude)
    return float(weighted_average_cost_of_capital(value("debt_share"), value("cost_of_debt"), equity,
                                                  value("tax_rate")))


@once
def default_figure(name: str) -> Figure | None:
    """The catalog figure behind a parameter's default value (defaults.toml, else the default cooling
    type or power source), or None. Its ``low`` and ``high`` are the parameter's range."""
    fig = catalog.defaults().get(name)
    if fig is not None:
        return fig
    layered = _layered({})
    if name in layered and layered[name][1].figures:
        return layered[name][1].figures[0]
    return None
