"""The catalog: accelerator systems, default parameter values and their sources.

Data lives in TOML files beside this module (``accelerators.toml``, ``defaults.toml``,
``sources.toml``), loaded once through ``importlib.resources``. Every figure carries a
``source`` (an id of ``sources.toml``) and a ``date``; estimates say so.
"""

from __future__ import annotations

import difflib
import functools
from importlib import resources
from typing import Any, Mapping

import attrs

from ..errors import CatalogError, UnknownNameError

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = [
    "Source",
    "Figure",
    "Accelerator",
    "sources",
    "accelerators",
    "accelerator",
    "defaults",
    "suggest",
    "lookup",
]


@attrs.frozen
class Source:
    """A publication a catalog figure cites."""

    id: str
    title: str
    url: str
    date: str
    confidence: str


@attrs.frozen
class Figure:
    """One catalog figure: a Quantity with its source, date and whether it is an estimate."""

    name: str
    value: Any  # pint.Quantity, or a plain number for counts and years
    source: str
    date: str
    estimate: bool = False
    note: str = ""
    low: Any = None
    high: Any = None

    @property
    def citation(self) -> Source:
        return sources()[self.source]


def _read_toml(name: str) -> dict:
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"catalog file {name}: {exc}") from None


@functools.cache
def sources() -> Mapping[str, Source]:
    """Every source the catalog cites, by id."""
    data = {**_read_toml("sources.toml"), **_extra_catalog().get("sources", {})}
    out = {}
    for key, entry in data.items():
        try:
            out[key] = Source(id=key, **entry)
        except TypeError as exc:
            raise CatalogError(f"sources.toml [{key}]: {exc}") from None
    return out


def _figure(where: str, name: str, entry: Mapping[str, Any], quantity: bool = True) -> Figure:
    from ..units import Q_, parse_unit

    if not isinstance(entry, Mapping) or "value" not in entry:
        raise CatalogError(f"{where}: {name} must be a table with value, unit, source and date")
    missing = [k for k in ("source", "date") if not entry.get(k)]
    if missing:
        raise CatalogError(f"{where}: {name} has no {' and no '.join(missing)}")
    if entry["source"] not in sources():
        raise CatalogError(f"{where}: {name} cites unknown source {entry['source']!r}")
    unit = entry.get("unit")
    if quantity:
        if unit is None:
            raise CatalogError(f"{where}: {name} has no unit")
        parsed = parse_unit(unit, name)
        value = Q_(float(entry["value"]), parsed)
        low = Q_(float(entry["low"]), parsed) if "low" in entry else None
        high = Q_(float(entry["high"]), parsed) if "high" in entry else None
    else:
        value, low, high = entry["value"], None, None
    return Figure(
        name=name,
        value=value,
        source=entry["source"],
        date=str(entry["date"]),
        estimate=bool(entry.get("estimate", False)),
        note=entry.get("note", ""),
        low=low,
        high=high,
    )


_SPEC_FIGURES = ("scale_up_bandwidth", "hbm_capacity", "hbm_bandwidth", "dense_bf16", "dense_fp8", "dense_fp4", "chip_power")
_ECONOMIC_FIGURES = ("system_power", "system_price")


@attrs.frozen
class Accelerator:
    """An accelerator system of the catalog: an HGX-style server or a rack-scale system.

    Per-accelerator parameters of the factory model are derived from the system figures:
    ``it_power_per_accelerator = system_power / accelerators_per_system * (1 + it_overhead_share)``,
    ``accelerator_capex = system_price / accelerators_per_system``,
    ``network_capex_per_accelerator = network_capex_share * accelerator_capex``.
    A figure the catalog does not have (announced systems) is None, never zero.
    """

    id: str
    name: str
    vendor: str
    generation: str
    generation_index: float
    status: str
    form_factor: str
    accelerators_per_system: int
    rack_scale: bool
    scale_up_domain: int
    figures: Mapping[str, Figure]

    @property
    def announced(self) -> bool:
        return self.status == "announced"

    def figure(self, name: str) -> Figure | None:
        return self.figures.get(name)

    def _per_accelerator(self, name: str, unit: str):
        fig = self.figures.get(name)
        return None if fig is None else (fig.value / self.accelerators_per_system).to(unit)

    @property
    def it_power_per_accelerator(self):
        per_system = self._per_accelerator("system_power", "kW")
        if per_system is None:
            return None
        return per_system * (1 + defaults()["it_overhead_share"].value.m_as(""))

    @property
    def accelerator_capex(self):
        return self._per_accelerator("system_price", "USD")

    @property
    def network_capex_per_accelerator(self):
        capex = self.accelerator_capex
        return None if capex is None else capex * defaults()["network_capex_share"].value.m_as("")

    def parameter_figures(self) -> dict[str, list[Figure]]:
        """The catalog figures (and derivation rules) behind each per-accelerator parameter."""
        rules = defaults()
        found = {
            "it_power_per_accelerator": [self.figures.get("system_power"), rules["it_overhead_share"]],
            "accelerator_capex": [self.figures.get("system_price")],
            "network_capex_per_accelerator": [self.figures.get("system_price"), rules["network_capex_share"]],
        }
        return {name: [f for f in figs if f is not None] for name, figs in found.items()}


def _accelerator(key: str, entry: Mapping[str, Any]) -> Accelerator:
    where = f"accelerators.toml [systems.{key}]"
    figures = {}
    for name in _SPEC_FIGURES + _ECONOMIC_FIGURES:
        if name in entry:
            figures[name] = _figure(where, name, entry[name])
    if "availability_year" in entry:
        figures["availability_year"] = _figure(where, "availability_year", entry["availability_year"], quantity=False)
    unknown = set(entry) - set(figures) - {f.name for f in attrs.fields(Accelerator)}
    if unknown:
        raise CatalogError(f"{where}: unknown fields {sorted(unknown)}")
    try:
        return Accelerator(
            id=key,
            name=entry["name"],
            vendor=entry["vendor"],
            generation=entry["generation"],
            generation_index=float(entry["generation_index"]),
            status=entry["status"],
            form_factor=entry["form_factor"],
            accelerators_per_system=int(entry["accelerators_per_system"]),
            rack_scale=bool(entry["rack_scale"]),
            scale_up_domain=int(entry["scale_up_domain"]),
            figures=figures,
        )
    except KeyError as exc:
        raise CatalogError(f"{where}: missing field {exc}") from None


@functools.cache
def accelerators() -> Mapping[str, Accelerator]:
    """Every accelerator system of the catalog, by id, in catalog order.

    Systems of your own: set ``TOKENCALC_EXTRA_CATALOG`` to a TOML file with ``[systems.ID]``
    tables in the format of ``accelerators.toml`` (and, optionally, ``[sources.ID]`` tables for
    the sources they cite); they join the catalog, and may replace an entry of the same id.
    """
    data = _read_toml("accelerators.toml")
    systems = {key: _accelerator(key, entry) for key, entry in data.get("systems", {}).items()}
    extra = _extra_catalog()
    for key, entry in extra.get("systems", {}).items():
        systems[key.lower()] = _accelerator(key.lower(), entry)
    return systems


@functools.cache
def _extra_catalog() -> Mapping[str, Any]:
    import os
    from pathlib import Path

    path = os.environ.get("TOKENCALC_EXTRA_CATALOG")
    if not path:
        return {}
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"TOKENCALC_EXTRA_CATALOG {path!r}: cannot read it ({exc})") from None
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
        raise CatalogError(f"TOKENCALC_EXTRA_CATALOG {path!r}: invalid TOML: {exc}") from None


def suggest(name: str, choices) -> str:
    """' (did you mean X?)' for the closest of ``choices``, or ''."""
    close = difflib.get_close_matches(str(name), list(choices), n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


@functools.cache
def relative_ranges() -> Mapping[str, tuple[float, float, str]]:
    """Sensitivity ranges of derived parameters as (low factor, high factor, source), by parameter."""
    data = _read_toml("defaults.toml").get("relative_ranges", {})
    out = {}
    for name, entry in data.items():
        if entry.get("source") not in sources() or not entry.get("date"):
            raise CatalogError(f"defaults.toml [relative_ranges.{name}]: needs a known source and a date")
        out[name] = (float(entry["low"]), float(entry["high"]), entry["source"])
    return out


def lookup(table: Mapping[str, Any], name: str, parameter: str, what: str = "id", hint: str = ""):
    """``table[name]`` (case-insensitive); an UnknownNameError names the parameter, suggests and lists."""
    key = str(name).strip().lower()
    if key not in table:
        raise UnknownNameError(
            f"{parameter}: unknown {what} {name!r}{suggest(key, table)}; known: {', '.join(table)}{hint}"
        )
    return table[key]


def accelerator(system_id: str) -> Accelerator:
    """The catalog entry ``system_id``; an UnknownNameError lists the known ids."""
    return lookup(accelerators(), system_id, "accelerator")


@functools.cache
def defaults() -> Mapping[str, Figure]:
    """Default value of every numeric parameter (and the catalog's derivation rules), with sources."""
    data = _read_toml("defaults.toml")
    out: dict[str, Figure] = {}
    for key, entry in data.items():
        if "id" in entry:  # catalog ids: accelerator, model, precision, throughput_source
            out[key] = _figure("defaults.toml", key, {**entry, "value": entry["id"]}, quantity=False)
        elif key == "rules":
            for rule, rule_entry in entry.items():
                out[rule] = _figure("defaults.toml [rules]", rule, rule_entry)
        elif key == "relative_ranges":
            continue
        else:
            out[key] = _figure("defaults.toml", key, entry)
    return out


