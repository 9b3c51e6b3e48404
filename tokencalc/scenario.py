"""Build a Scenario: catalog defaults < the accelerator's figures < a file or preset < overrides.

:func:`resolve` layers the values and records where each came from in a :class:`Provenance`
(an :class:`Origin` per parameter, with the catalog figures behind it). Throughput is not
computed here: the caller passes the function that estimates it (the studies floor does), so
this module depends on no study.

Scenario files and presets (``[parameters]``, ``[ranges]``, ``[distributions]`` in TOML) are
parsed into :class:`ScenarioFile` objects whose validators check every key and type; values are
parsed later by the Scenario itself, so a wrong unit or an impossible value fails with the same
message as on the command line. :func:`template` writes every parameter back as such a file.
"""

from __future__ import annotations

import functools
import warnings
from pathlib import Path
from typing import Any, Callable, Mapping

import attrs
import numpy as np

from . import catalog
from .catalog import Figure, suggest
from .catalog.reader import tomllib
from .errors import CatalogError, ParameterError, TokencalcWarning, UnknownNameError
from .model.finance import weighted_average_cost_of_capital
from .model.sampling import DISTRIBUTIONS
from .parameters import PARAMETERS, WORKLOAD, Scenario
from .units import Q_, as_quantity, jsonable

__all__ = ["Origin", "Provenance", "check_names", "resolve", "resolve_workload", "default_figure", "wacc_from_financing", "ScenarioFile",
           "Distribution", "load", "presets", "template", "DISTRIBUTIONS"]


# --- provenance -----------------------------------------------------------------------------


@attrs.frozen
class Origin:
    """Where one parameter's value came from.

    kind: "user" (set by you, on the command line, in Python or in a scenario file), "default"
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
_REPLACED = {"operations_rate": "it was split into site_operations_per_it_power, facility_maintenance_rate and "
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


_FROM_ACCELERATOR = ("it_power_per_accelerator", "accelerator_capex", "network_capex_per_accelerator")
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

    layered = _layered(overrides)
    values: dict[str, Any] = {}
    origins: dict[str, Origin] = {}
    for name in PARAMETERS:
        if name == "tokens_per_second_per_accelerator" and name not in overrides:
            continue  # resolved below, from the workload
        if name in overrides:
            values[name], origins[name] = overrides[name], USER
        elif name in layered:
            values[name], origins[name] = layered[name]
        elif name in _FROM_ACCELERATOR:
            value = getattr(system, name)
            if value is None:
                status = " (announced)" if system.announced else ""
                raise ParameterError(
                    name,
                    f"the catalog has no figure for {system.id}{status}; "
                    f"set it, e.g. --set {name}=<value in {PARAMETERS[name].unit}>",
                )
            values[name] = value
            origins[name] = Origin("catalog", system.id, tuple(system.parameter_figures().get(name, ())))
        else:
            values[name], origins[name] = defaults[name].value, _default(name)
    values["accelerator"] = system.id
    basis = PARAMETERS["cost_basis"].convert(values["cost_basis"])
    if basis != "build-up" and "cost_per_accelerator_hour" not in overrides:  # a published price per hour
        fig = system.figure(basis.replace("-", "_"))
        if fig is None:
            raise ParameterError("cost_basis", f"the catalog has no {basis} price for {system.id}; allowed here: "
                                 "build-up, or --set cost_per_accelerator_hour=...")
        values["cost_per_accelerator_hour"] = fig.value
        origins["cost_per_accelerator_hour"] = Origin("catalog", system.id, (fig,))
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
        ignored = [n for n in _MODEL_ONLY if n in overrides]
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


@functools.cache
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


# --- scenario files and presets ---------------------------------------------------------------

_MAX_BYTES = 1_000_000
_SCALAR = (str, int, float)


def _where(origin: str, *keys: str) -> str:
    return f"scenario {origin}: {'.'.join(keys)}"


def _check_scalar(origin: str, keys: tuple[str, ...], value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, _SCALAR):
        kind = {list: "a list", dict: "a table"}.get(type(value), type(value).__name__)
        raise CatalogError(f"{_where(origin, *keys)}: expected a number or a quantity such as \"80 USD/MWh\", got {kind}")
    return value


def _check_names(origin: str, table: str, names) -> None:
    for name in names:
        if name not in PARAMETERS:
            raise UnknownNameError(f"{_where(origin, table, name)}: unknown parameter{suggest(name, PARAMETERS)}")


@attrs.frozen
class Distribution:
    """A probability distribution of one parameter: kind and its arguments (values as given)."""

    kind: str
    args: Mapping[str, Any]

    @classmethod
    def structure(cls, origin: str, name: str, entry: Any) -> "Distribution":
        if not isinstance(entry, dict):
            raise CatalogError(f"{_where(origin, 'distributions', name)}: expected a table such as "
                               "{ dist = \"triangular\", low = ..., mode = ..., high = ... }")
        kind = entry.get("dist")
        if kind not in DISTRIBUTIONS:
            raise CatalogError(f"{_where(origin, 'distributions', name, 'dist')}: {kind!r} is not allowed; allowed: "
                               f"{', '.join(DISTRIBUTIONS)}")
        needed = DISTRIBUTIONS[kind]
        extra = set(entry) - set(needed) - {"dist"}
        missing = [k for k in needed if k not in entry]
        if missing or extra:
            raise CatalogError(f"{_where(origin, 'distributions', name)}: {kind} takes {', '.join(needed)}"
                               + (f"; missing {', '.join(missing)}" if missing else "")
                               + (f"; unknown {', '.join(sorted(extra))}" if extra else ""))
        args = {k: _check_scalar(origin, ("distributions", name, k), entry[k]) for k in needed}
        return cls(kind, args)


@attrs.frozen
class ScenarioFile:
    """A parsed scenario file or preset."""

    origin: str
    parameters: Mapping[str, Any] = attrs.field(factory=dict)
    ranges: Mapping[str, tuple[Any, Any]] = attrs.field(factory=dict)
    distributions: Mapping[str, Distribution] = attrs.field(factory=dict)
    description: str = ""

    @classmethod
    def structure(cls, origin: str, data: Mapping[str, Any]) -> "ScenarioFile":
        known = ("parameters", "ranges", "distributions", "description")
        for key in data:
            if key not in known:
                raise CatalogError(f"scenario {origin}: unknown table {key!r}{suggest(key, known)}; "
                                   f"allowed: {', '.join(known)}")
        tables = {}
        for key in known[:3]:
            table = data.get(key, {})
            if not isinstance(table, dict):
                raise CatalogError(f"scenario {origin}: {key} must be a table ([{key}])")
            _check_names(origin, key, table)
            tables[key] = table
        parameters = {k: _check_scalar(origin, ("parameters", k), v) for k, v in tables["parameters"].items()}
        ranges = {}
        for name, pair in tables["ranges"].items():
            if isinstance(pair, dict) and set(pair) == {"low", "high"}:
                pair = [pair["low"], pair["high"]]
            if not isinstance(pair, list) or len(pair) != 2:
                raise CatalogError(f"{_where(origin, 'ranges', name)}: expected [low, high]")
            ranges[name] = tuple(_check_scalar(origin, ("ranges", name), v) for v in pair)
        distributions = {n: Distribution.structure(origin, n, e) for n, e in tables["distributions"].items()}
        description = data.get("description", "")
        if not isinstance(description, str):
            raise CatalogError(f"scenario {origin}: description must be text")
        return cls(origin, parameters, ranges, distributions, description)


@functools.cache
def presets() -> Mapping[str, ScenarioFile]:
    """The catalog's named presets (catalog/scenarios.toml)."""
    out = {}
    for name, entry in catalog.read_toml("scenarios.toml").items():
        params = {}
        for key, fig in entry.items():
            if key == "description":
                continue
            if not isinstance(fig, dict) or "value" not in fig or not fig.get("source") or not fig.get("date"):
                raise CatalogError(f"scenarios.toml [{name}] {key}: needs value, source and date")
            params[key] = fig["value"]
        out[name] = ScenarioFile.structure(f"preset {name}", {"parameters": params,
                                                                "description": entry.get("description", "")})
    return out


def load(spec: str) -> ScenarioFile:
    """A scenario file by path, or a preset by name."""
    path = Path(spec)
    try:
        is_dir, is_file = path.is_dir(), path.is_file()
    except (OSError, ValueError):  # a name too long, or with a NUL byte, is no file
        is_dir = is_file = False
    if is_dir:
        raise ParameterError("scenario", f"{spec!r} is a directory; give a TOML file or a preset name")
    if is_file:
        if path.stat().st_size > _MAX_BYTES:
            raise ParameterError("scenario", f"{spec!r} is larger than {_MAX_BYTES:,} bytes; a scenario is a short "
                                 "TOML file")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ParameterError("scenario", f"{spec!r} is not a text (UTF-8) file") from None
        except OSError as exc:
            raise ParameterError("scenario", f"cannot read {spec!r}: {exc.strerror}") from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise CatalogError(f"scenario {spec}: invalid TOML: {exc}") from None
        except RecursionError:
            raise CatalogError(f"scenario {spec}: invalid TOML: nested too deeply") from None
        except ValueError as exc:  # e.g. an integer too long to convert
            raise CatalogError(f"scenario {spec}: invalid TOML: {exc}") from None
        return ScenarioFile.structure(spec, data)
    known = presets()
    if spec.strip().lower() in known:
        return known[spec.strip().lower()]
    shown = spec if len(spec) <= 80 else spec[:77] + "..."
    raise ParameterError("scenario", f"no file or preset named {shown!r}{suggest(spec.strip().lower(), known)}; "
                         f"presets: {', '.join(known)}")


def _text(value, unit: str) -> str:
    magnitude = float(value.m_as(unit))
    unit_text = "" if unit in ("", "1") else f" {unit}"
    return f'"{magnitude!r}{unit_text}"'


def template(scenario: Scenario, provenance: Provenance) -> str:
    """Every parameter with its value, unit and source, as a TOML file that loads back unchanged.

    Give it the default scenario (``studies.resolve_scenario({})``). Parameters set by the
    accelerator, the cooling type, the power source or the workload are written commented out,
    so that changing those still changes them.
    """
    defaults = catalog.defaults()
    lines = [
        "# tokencalc scenario file: every parameter with its default, unit and source.",
        "# Use it with --scenario FILE on any command; --set and flags on the command line override it.",
        "# Quantities are \"number unit\" text; a bare number is in the parameter's unit [shown].",
        "# Commented-out parameters follow the accelerator, cooling type, power source or workload:",
        "# uncomment one to fix its value.",
        "",
        "[parameters]",
    ]
    for name, spec in PARAMETERS.items():
        value = getattr(scenario, name)
        origin = provenance.get(name, Origin("default")).tag
        fig = defaults.get(name)
        where = (f"{fig.source}, {fig.date}{', estimate' if fig.estimate else ''}" if origin == "default" and fig
                 else f"set by {origin}")
        lines.append(f"# {spec.description} [{spec.unit or 'id'}]; {where}")
        text = f'"{value}"' if isinstance(value, str) else _text(value, spec.unit)
        prefix = "" if origin == "default" else "# "
        lines.append(f"{prefix}{name} = {text}")
    lines += [
        "",
        "# [ranges]          tokencalc sensitivity: low and high of any parameter, e.g.",
        '# pue = ["1.1", "1.5"]',
        "# [distributions]   tokencalc montecarlo: uniform (low, high), triangular (low, mode, high),",
        "#                   normal (mean, sd), lognormal (median, sigma), e.g.",
        '# electricity_price = { dist = "triangular", low = "40 USD/MWh", mode = "80.6 USD/MWh", high = "180 USD/MWh" }',
        "",
    ]
    return "\n".join(lines)


# --- command-line text (cli.py's --set and --residual-curve; tokencalc.request after the cli refactor) ------------

def parse_sets(pairs) -> dict[str, str]:
    """``--set NAME=QUANTITY`` pairs as {name: text}; a malformed or repeated pair is a ParameterError."""
    overrides: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ParameterError("--set", "expected NAME=QUANTITY, e.g. --set pue=1.3 or --set "
                                 f"electricity_price='80 USD/MWh'; got {pair!r}")
        if name in overrides:
            raise ParameterError("--set", f"{name} is given twice")
        overrides[name] = value
    return overrides


def residual_curve(text):
    """``--residual-curve F1,F2,...`` as a list of fractions that do not increase, or None."""
    if text is None:
        return None
    try:
        curve = [float(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise ParameterError("--residual-curve", "expected fractions separated by commas, e.g. 0.6,0.35,0.2; "
                             f"got {text!r}") from None
    if not curve or any(not 0 <= x <= 1 for x in curve) or any(b > a for a, b in zip(curve, curve[1:])):
        raise ParameterError("--residual-curve", "fractions between 0 and 1 that do not increase, e.g. "
                             "0.6,0.35,0.2,0.1")
    return curve
