"""The one reader of the catalog's TOML files: sources, sourced figures, and lookups by id.

Every figure is a table with ``value``, ``unit`` (for quantities), ``source`` (an id of
``sources.toml``) and ``date``; optional ``estimate``, ``note``, ``low`` and ``high``. A figure
without a known source or a date is a CatalogError. Files are read once per process through
``importlib.resources``; ``TOKENCALC_EXTRA_CATALOG`` names a TOML file of your own systems and
sources that joins the catalog.
"""

from __future__ import annotations

import difflib
import os
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import attrs

from ..errors import CatalogError, ParameterError, UnknownNameError
from ..units import Q_, parse_unit
from .once import once
from .validate import check_extra_catalog, read_data_file

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["Source", "Figure", "read_toml", "read_user_toml", "sources", "figure", "check_cited", "extra_catalog",
           "extra_catalog_path", "suggest",
           "lookup", "tomllib"]


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


@once
def read_toml(name: str) -> Mapping[str, Any]:
    """A catalog file of this package, parsed (once per process)."""
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"catalog file {name}: {exc}") from None


def read_user_toml(path: str, parameter: str) -> dict:
    """A user's TOML file (a model or a system of their own), read by the validation layer's reader
    (regular files of at most 1 MB); errors name ``parameter``."""
    return read_data_file(path, parameter)[1]


def extra_catalog_path() -> str:
    """The file ``TOKENCALC_EXTRA_CATALOG`` names, or ''."""
    return os.environ.get("TOKENCALC_EXTRA_CATALOG", "")


@once
def extra_catalog() -> Mapping[str, Any]:
    """The file ``TOKENCALC_EXTRA_CATALOG`` names, parsed and validated ({} when unset).

    Read once per process, only if it is a regular file of at most 1 MB; every value is checked
    by :mod:`.validate` (a CatalogError names the line and the key).
    """
    path = extra_catalog_path()
    if not path:
        return {}
    text, data = read_data_file(path, "TOKENCALC_EXTRA_CATALOG")
    check_extra_catalog(f"TOKENCALC_EXTRA_CATALOG {path}", text, data)
    return data


@once
def sources() -> Mapping[str, Source]:
    """Every source the catalog cites, by id."""
    data = dict(read_toml("sources.toml"))
    for key, entry in extra_catalog().get("sources", {}).items():
        if key in data:  # a citation must not change under the catalog's figures unannounced
            raise CatalogError(f"TOKENCALC_EXTRA_CATALOG {extra_catalog_path()}: sources.{key}: the catalog has a "
                               "source of this id; allowed: a new id")
        data[key] = entry
    out = {}
    for key, entry in data.items():
        try:
            out[key] = Source(id=key, **entry)
        except TypeError as exc:
            raise CatalogError(f"sources.toml [{key}]: {exc}") from None
    return out


def check_cited(where: str, entry: Mapping[str, Any]) -> None:
    """A catalog entry must cite a known source and give a date: else a CatalogError naming ``where``."""
    missing = [k for k in ("source", "date") if not entry.get(k)]
    if missing:
        raise CatalogError(f"{where}: no {' and no '.join(missing)}")
    if entry["source"] not in sources():
        raise CatalogError(f"{where}: cites unknown source {entry['source']!r}")


def figure(where: str, name: str, entry: Mapping[str, Any], quantity: bool = True) -> Figure:
    """A sourced figure from its TOML table; ``where`` names the file and table in errors."""
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


def suggest(name: str, choices) -> str:
    """' (did you mean X?)' for the shortest of ``choices`` that begins with or contains ``name`` (gb200 ->
    gb200-nvl72), else the closest by spelling, or ''."""
    text, options = str(name).strip().lower(), list(choices)
    for found in ([c for c in options if c.lower().startswith(text)], [c for c in options if text in c.lower()]):
        if text and found:
            return f" (did you mean {min(found, key=len)!r}?)"
    close = difflib.get_close_matches(str(name), options, n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


def lookup(table: Mapping[str, Any], name: str, parameter: str, what: str = "id", hint: str = ""):
    """``table[name]`` (case-insensitive); an UnknownNameError names the parameter, suggests and lists."""
    key = str(name).strip().lower()
    if key not in table:
        raise UnknownNameError(
            f"{parameter}: unknown {what} {name!r}{suggest(key, table)}; known: {', '.join(table)}{hint}"
        )
    return table[key]
