"""The one validation layer of the data files a user can pass: model files (``--model FILE.toml``)
and the extra catalog (``TOKENCALC_EXTRA_CATALOG``).

Every value is checked for its type, its allowed choices, a positive size, finiteness and its
unit's dimension before the catalog builds objects from it; a CatalogError names the file, the
line and the key (``my.toml: line 12: systems.x.layers: ...``). Files are read by
:func:`read_data_file`: regular files only, at most :data:`MAX_BYTES`, UTF-8 TOML.
"""

from __future__ import annotations

import math
import os
import re
import stat
from typing import Any, Mapping

from ..errors import CatalogError, ParameterError
from ..units import parse_unit

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["MAX_BYTES", "read_data_file", "line_of", "check_model", "check_extra_catalog", "MODEL_FIELDS",
           "SYSTEM_FIGURES"]

MAX_BYTES = 1_000_000  # the limit of scenario files too: these are short TOML files
_MAX_COUNT = 2**53  # whole numbers beyond this are not counts of anything

# model field -> (kind, allowed): kind "count" (whole number >= 1), "count0" (>= 0), "number" (> 0, finite),
# "choice" (one of allowed), "text"
MODEL_FIELDS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "name": ("text", ()), "total_params": ("number", ()), "active_params": ("number", ()),
    "layers": ("count", ()), "hidden_size": ("count", ()), "attention_heads": ("count", ()),
    "kv_heads": ("count", ()), "head_dim": ("count", ()), "attention": ("choice", ("gqa", "mla")),
    "max_context": ("count", ()), "kv_lora_rank": ("count0", ()), "qk_rope_head_dim": ("count0", ()),
    "experts": ("count0", ()), "experts_per_token": ("count0", ()), "sliding_window": ("count0", ()),
    "sliding_window_layers": ("count0", ()), "default_precision": ("choice", ("fp16", "fp8", "fp4")),
    "mtp_modules": ("count0", ()), "source": ("text", ()), "date": ("text", ()),
}
_MODEL_REQUIRED = ("total_params", "active_params", "layers", "hidden_size", "attention_heads", "kv_heads",
                   "head_dim", "attention")

SYSTEM_FIGURES: Mapping[str, str] = {  # figure -> the unit its value must convert to
    "scale_up_bandwidth": "B/s", "scale_out_bandwidth": "B/s", "hbm_capacity": "B", "hbm_bandwidth": "B/s",
    "dense_bf16": "FLOP/s", "dense_fp8": "FLOP/s", "dense_fp4": "FLOP/s", "chip_power": "W",
    "system_power": "W", "power_all_in": "W", "system_price": "USD", "tco_hyperscaler": "USD/hour",
    "tco_neocloud": "USD/hour",
    "rental_3yr": "USD/hour",
}
_SYSTEM_FIELDS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "name": ("text", ()), "vendor": ("text", ()), "generation": ("text", ()), "generation_index": ("real", ()),
    "status": ("choice", ("shipping", "announced")), "form_factor": ("choice", ("server", "rack")),
    "accelerators_per_system": ("count", ()), "rack_scale": ("bool", ()), "scale_up_domain": ("count", ()),
}
_SOURCE_FIELDS = {"title": ("text", ()), "url": ("text", ()), "date": ("text", ()),
                  "confidence": ("choice", ("H", "M", "L"))}
_FIGURE_KEYS = ("value", "unit", "source", "date", "estimate", "note", "low", "high")


def read_data_file(path: str, parameter: str, parse: bool = True) -> tuple[str, dict]:
    """The text and parsed TOML of a user's data file (``parse=False``: the text only, for JSON); errors name
    ``parameter`` and the file.

    Only a regular file is opened (a FIFO would block, ``/dev/zero`` never ends), and only one of
    at most :data:`MAX_BYTES`.
    """
    shown = path if len(path) <= 120 else path[:117] + "..."
    try:
        info = os.stat(path)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or "not a valid path"
        raise ParameterError(parameter, f"{shown!r} is not a file ({reason}); allowed: a TOML file") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise ParameterError(parameter, f"{shown!r} is {kind}; allowed: a regular TOML file")
    if info.st_size > MAX_BYTES:
        raise ParameterError(parameter, f"{shown!r} is larger than {MAX_BYTES:,} bytes; allowed: a short TOML file")
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ParameterError(parameter, f"cannot read {shown!r}: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise ParameterError(parameter, f"{shown!r} is larger than {MAX_BYTES:,} bytes; allowed: a short TOML file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ParameterError(parameter, f"{shown!r} is not a text (UTF-8) file; allowed: a TOML file") from None
    if not parse:
        return text, {}
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{parameter} {shown}: invalid TOML: {exc}") from None
    except RecursionError:
        raise CatalogError(f"{parameter} {shown}: invalid TOML: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of 5,000 digits
        raise CatalogError(f"{parameter} {shown}: invalid TOML: {exc}") from None


def line_of(text: str, keys: tuple[str, ...]) -> int | None:
    """The line (1-based) where ``keys`` (a table path and a key) is written, best effort: after the deepest
    ``[table]`` header naming a prefix of the keys, each further key at its first ``key =`` in turn."""
    lines = text.splitlines()
    start, depth = 0, 0
    for d in range(len(keys) - 1, 0, -1):
        pattern = r"\[\s*" + r"\s*\.\s*".join(rf'"?{re.escape(k)}"?' for k in keys[:d]) + r"\s*\]"
        found = next((i for i, line in enumerate(lines) if re.match(rf"^\s*{pattern}\s*(#.*)?$", line)), None)
        if found is not None:
            start, depth = found, d
            break
    line = start + 1 if depth else None
    for key in keys[depth:]:
        assignment = re.compile(rf'(^|[{{,\s])"?{re.escape(key)}"?\s*=')
        found = next((i for i in range(start, len(lines)) if assignment.search(lines[i])), None)
        if found is None:
            break
        start, line = found, found + 1
    return line


class _Checker:
    def __init__(self, origin: str, text: str):
        self.origin, self.text = origin, text

    def fail(self, keys: tuple[str, ...], message: str):
        line = line_of(self.text, keys)
        where = f"{self.origin}: " + (f"line {line}: " if line else "") + ".".join(keys)
        raise CatalogError(f"{where}: {message}")

    def table(self, keys, value) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            self.fail(keys, f"expected a table, got {_kind(value)}")
        return value

    def field(self, keys, value, kind: str, allowed: tuple[str, ...] = ()) -> None:
        shown = _shown(value)
        if kind == "text":
            if not isinstance(value, str) or not value.strip() or len(value) > 1000:
                self.fail(keys, f"{shown} is not allowed; allowed: text (1 to 1,000 characters)")
        elif kind == "choice":
            if value not in allowed:
                self.fail(keys, f"{shown} is not allowed; allowed: {', '.join(allowed)}")
        elif kind == "bool":
            if not isinstance(value, bool):
                self.fail(keys, f"{shown} is not allowed; allowed: true or false")
        elif kind in ("count", "count0"):
            low = 1 if kind == "count" else 0
            whole = isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)
                                               and value.is_integer())
            if isinstance(value, bool) or not whole or not low <= value <= _MAX_COUNT:
                self.fail(keys, f"{shown} is not allowed; allowed: a whole number >= {low} and <= 2**53")
        elif kind in ("number", "real"):
            number = self.finite(keys, value)
            if kind == "number" and number <= 0:
                self.fail(keys, f"{shown} is not allowed; allowed: a finite number > 0")

    def finite(self, keys, value) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(keys, f"{_shown(value)} is not allowed; allowed: a finite number")
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            self.fail(keys, f"{_shown(value)} is not allowed; allowed: a finite number")
        return number

    def known(self, keys, entry: Mapping[str, Any], allowed) -> None:
        unknown = [k for k in entry if k not in allowed]
        if unknown:
            self.fail(keys + (unknown[0],), f"unknown key; allowed: {', '.join(allowed)}")

    def figure(self, keys, entry, unit: str | None) -> None:
        entry = self.table(keys, entry)
        self.known(keys, entry, _FIGURE_KEYS)
        for required in ("value", "source", "date") + (("unit",) if unit else ()):
            if required not in entry:
                self.fail(keys, f"no {required}; a figure is a table with value, unit, source and date")
        if unit is None:  # a year
            self.field(keys + ("value",), entry["value"], "count")
        else:
            self.field(keys + ("value",), entry["value"], "number")
            if not isinstance(entry["unit"], str):
                self.fail(keys + ("unit",), f"{_shown(entry['unit'])} is not allowed; allowed: a unit of {unit}")
            try:
                parsed = parse_unit(entry["unit"], ".".join(keys))
                factor = (1.0 * parsed).to(unit).magnitude
            except ParameterError as exc:
                self.fail(keys + ("unit",), str(exc).split(": ", 1)[-1])
            except Exception:  # pint's DimensionalityError and kin
                self.fail(keys + ("unit",), f"{entry['unit']!r} is not allowed; allowed: a unit of {unit}")
            for bound in ("low", "high"):
                if bound in entry:
                    self.field(keys + (bound,), entry[bound], "number")
            if not math.isfinite(float(entry["value"]) * factor):
                self.fail(keys + ("value",), f"{_shown(entry['value'])} {entry['unit']} is not allowed; allowed: "
                                             f"a finite number of {unit}")
        for key in ("source", "date"):
            self.field(keys + (key,), entry[key], "text")
        if "estimate" in entry:
            self.field(keys + ("estimate",), entry["estimate"], "bool")
        if "note" in entry and not isinstance(entry["note"], str):
            self.fail(keys + ("note",), f"{_shown(entry['note'])} is not allowed; allowed: text")


def _kind(value) -> str:
    return {dict: "a table", list: "a list", str: "text", bool: "true/false"}.get(type(value), "a number")


def _shown(value) -> str:
    if isinstance(value, (dict, list)):
        return _kind(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**20:
        return f"a {len(str(abs(value)))}-digit number"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_model(origin: str, text: str, name: str, entry: Any, keys: tuple[str, ...] = ()) -> None:
    """Check a model description (the fields of ``catalog.LLM``); a CatalogError names line and key."""
    c = _Checker(origin, text)
    entry = c.table(keys or (name,), entry)
    c.known(keys, entry, MODEL_FIELDS)
    for field in _MODEL_REQUIRED:
        if field not in entry:
            c.fail(keys + (field,), "missing; a model needs " + ", ".join(_MODEL_REQUIRED))
    for field, value in entry.items():
        kind, allowed = MODEL_FIELDS[field]
        c.field(keys + (field,), value, kind, allowed)
    if entry["active_params"] > entry["total_params"]:
        c.fail(keys + ("active_params",), f"{_shown(entry['active_params'])} is not allowed; allowed: > 0 and <= "
                                          "total_params")
    experts, chosen = entry.get("experts", 0), entry.get("experts_per_token", 0)
    if experts and not 0 < chosen < experts:
        c.fail(keys + ("experts_per_token",), f"{_shown(chosen)} is not allowed; allowed: > 0 and < experts "
                                              f"({experts:g})")


def check_extra_catalog(origin: str, text: str, data: Mapping[str, Any]) -> None:
    """Check an extra catalog: ``[sources.ID]`` and ``[systems.ID]`` tables in the format of the catalog's."""
    c = _Checker(origin, text)
    c.known((), data, ("sources", "systems"))
    for key, entry in c.table(("sources",), data.get("sources", {})).items():
        entry = c.table(("sources", key), entry)
        c.known(("sources", key), entry, _SOURCE_FIELDS)
        for field, (kind, allowed) in _SOURCE_FIELDS.items():
            if field not in entry:
                c.fail(("sources", key, field), "missing; a source has title, url, date and confidence")
            c.field(("sources", key, field), entry[field], kind, allowed)
    for key, entry in c.table(("systems",), data.get("systems", {})).items():
        keys = ("systems", key)
        entry = c.table(keys, entry)
        c.known(keys, entry, tuple(_SYSTEM_FIELDS) + tuple(SYSTEM_FIGURES) + ("availability_year",))
        for field, (kind, allowed) in _SYSTEM_FIELDS.items():
            if field not in entry:
                c.fail(keys + (field,), "missing; a system needs " + ", ".join(_SYSTEM_FIELDS))
            c.field(keys + (field,), entry[field], kind, allowed)
        for figure, unit in SYSTEM_FIGURES.items():
            if figure in entry:
                c.figure(keys + (figure,), entry[figure], unit)
        if "availability_year" in entry:
            c.figure(keys + ("availability_year",), entry["availability_year"], None)
