"""Scenario files and presets: parameters, sensitivity ranges and Monte Carlo distributions in TOML.

A scenario file has up to three tables::

    [parameters]                    # overrides: numbers (in the documented unit) or "number unit" text
    electricity_price = "120 USD/MWh"
    [ranges]                        # tokencalc sensitivity: low and high
    pue = ["1.1", "1.5"]
    [distributions]                 # tokencalc montecarlo
    electricity_price = { dist = "triangular", low = "40 USD/MWh", mode = "80 USD/MWh", high = "180 USD/MWh" }

Layering on the command line: catalog defaults < preset or file (--scenario) < --set and flags.
The file is structured into attrs objects whose validators check every key and type; values are
parsed later by the Scenario itself, so a wrong unit or an impossible value fails with the
same message as on the command line.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Mapping

import attrs

from .errors import CatalogError, ParameterError, UnknownNameError

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover
    import tomli as tomllib

__all__ = ["ScenarioFile", "Distribution", "load", "presets", "template", "DISTRIBUTIONS"]

DISTRIBUTIONS = {"uniform": ("low", "high"), "triangular": ("low", "mode", "high"), "normal": ("mean", "sd"),
                 "lognormal": ("median", "sigma")}
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
    from .catalog import suggest
    from .scenario import PARAMETERS

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
        from .catalog import suggest

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
    from .catalog import _read_toml

    out = {}
    for name, entry in _read_toml("scenarios.toml").items():
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
    from .catalog import suggest

    shown = spec if len(spec) <= 80 else spec[:77] + "..."
    raise ParameterError("scenario", f"no file or preset named {shown!r}{suggest(spec.strip().lower(), known)}; "
                         f"presets: {', '.join(known)}")


def _text(value, unit: str) -> str:
    magnitude = float(value.m_as(unit))
    unit_text = "" if unit in ("", "1") else f" {unit}"
    return f'"{magnitude!r}{unit_text}"'


def template() -> str:
    """Every parameter with its default, unit and source, as a TOML file that loads back unchanged.

    Parameters set by the accelerator, the cooling type, the power source or the workload are
    written commented out, so that changing those still changes them.
    """
    from . import catalog
    from .scenario import PARAMETERS, resolve_scenario

    scenario, provenance = resolve_scenario({})
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
        origin = provenance.get(name, "default")
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
