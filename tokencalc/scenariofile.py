"""Scenario files and presets: reading them (TOML, or a command's JSON output), writing a run's
scenario back (``--save``, ``tokencalc scenario template``), and the catalog's named presets.

A file's values enter :func:`tokencalc.scenario.resolve` as :class:`~tokencalc.scenario.FileText`, so that
a value equal to its default keeps the default's source; ``[saved] set_by_user`` lists the values a saved
run's user set, which stay "user".
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from pathlib import Path
from typing import Any, Mapping

import attrs

from . import catalog
from .catalog import suggest
from .catalog.once import once
from .catalog.validate import line_of, read_data_file
from .errors import CatalogError, ParameterError, TokencalcWarning, UnknownNameError
from .model.sampling import DISTRIBUTIONS
from .parameters import PARAMETERS, Scenario
from .scenario import Origin, Provenance
from .units import Q_

__all__ = ["ScenarioFile", "Distribution", "load", "presets", "template", "save"]

# --- scenario files and presets ---------------------------------------------------------------

_SCALAR = (str, int, float)


class _Located(str):
    """A scenario file's name that carries its text, so that errors can name the line."""

    text = ""


def _where(origin: str, *keys: str) -> str:
    line = line_of(origin.text, keys) if getattr(origin, "text", "") else None
    return f"scenario {origin}: " + (f"line {line}: " if line else "") + ".".join(keys)


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
    set_by_user: tuple[str, ...] = ()  # parameters a saved run says the user set (its [saved] table)
    sources: Mapping[str, str] = attrs.field(factory=dict)  # a preset's figures: name -> "source, date (estimate)"

    @classmethod
    def structure(cls, origin: str, data: Mapping[str, Any]) -> "ScenarioFile":
        known = ("parameters", "ranges", "distributions", "description", "saved")
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
        saved = data.get("saved", {})
        users = saved.get("set_by_user", []) if isinstance(saved, dict) else None
        if not isinstance(users, list) or not all(isinstance(n, str) and n in parameters for n in users):
            raise CatalogError(f"scenario {origin}: [saved] set_by_user must list parameters of [parameters]")
        return cls(str(origin), parameters, ranges, distributions, description, tuple(users))


@once
def presets() -> Mapping[str, ScenarioFile]:
    """The catalog's named presets (catalog/scenarios.toml)."""
    out = {}
    for name, entry in catalog.read_toml("scenarios.toml").items():
        params, cited = {}, {}
        for key, fig in entry.items():
            if key == "description":
                continue
            if not isinstance(fig, dict) or "value" not in fig or not fig.get("source") or not fig.get("date"):
                raise CatalogError(f"scenarios.toml [{name}] {key}: needs value, source and date")
            params[key] = fig["value"]
            cited[key] = f"{fig['source']}, {fig['date']}" + (" (estimate)" if fig.get("estimate") else "")
        loaded = ScenarioFile.structure(f"preset {name}", {"parameters": params,
                                                           "description": entry.get("description", "")})
        out[name] = attrs.evolve(loaded, sources=cited)
    return out


def _checked_values(origin: "_Located", scenario_file: ScenarioFile) -> ScenarioFile:
    """Each value of a scenario file parsed as its parameter parses it, so that a bad one names the line."""
    values = [(("parameters", name), name, value) for name, value in scenario_file.parameters.items()]
    values += [(("ranges", name), name, value) for name, pair in scenario_file.ranges.items() for value in pair]
    for keys, name, value in values:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", TokencalcWarning)  # warned once, where the value is used
                PARAMETERS[name].convert(value)
        except ParameterError as exc:
            raise ParameterError(name, f"{_where(origin, *keys)}: {str(exc).split(': ', 1)[-1]}") from None
    return scenario_file


def _json_parameters(spec: str, text: str) -> dict[str, str]:
    """The parameters of a command's JSON output (its "scenario" object) as "number unit" texts."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise CatalogError(f"scenario {spec}: invalid JSON: {str(exc)[:80]}") from None
    scenario = data.get("scenario") if isinstance(data, dict) else None
    if not isinstance(scenario, dict):
        raise CatalogError(f"scenario {spec}: a JSON scenario is a tokencalc --json output with a \"scenario\" "
                           "object")
    out = {}
    for name, value in scenario.items():
        if name not in PARAMETERS:
            raise CatalogError(f"scenario {spec}: scenario.{name}: unknown parameter{suggest(name, PARAMETERS)}")
        if isinstance(value, dict) and set(value) == {"value", "unit"} and isinstance(value["value"], (int, float)):
            out[name] = f"{float(value['value'])!r} {value['unit']}" if value["unit"] not in ("", "1") else \
                repr(float(value["value"]))
        elif isinstance(value, str):
            out[name] = value
        else:
            raise CatalogError(f"scenario {spec}: scenario.{name}: expected text or {{\"value\", \"unit\"}}")
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
    if is_file:  # a regular file: read by the one reader of the files users pass (at most 1 MB, UTF-8)
        if path.suffix.lower() == ".json":  # a command's --json output: its scenario
            text, _ = read_data_file(spec, "scenario", parse=False)
            return ScenarioFile.structure(spec, {"parameters": _json_parameters(spec, text)})
        text, data = read_data_file(spec, "scenario")
        origin = _Located(spec)
        origin.text = text
        return _checked_values(origin, ScenarioFile.structure(origin, data))
    known = presets()
    if spec.strip().lower() in known:
        return known[spec.strip().lower()]
    shown = spec if len(spec) <= 80 else spec[:77] + "..."
    raise ParameterError("scenario", f"no file or preset named {shown!r}{suggest(spec.strip().lower(), known)}; "
                         f"presets: {', '.join(known)}")


def _text(value, spec) -> str:
    """A value as "number unit" in the unit a person reads it in, with the fewest digits that read back to the
    very same value (80.6 USD/MWh, not 0.08059999999999999 USD/(kW*h))."""
    exact = float(value.m_as(spec.unit))
    for unit in (spec.bare_unit, spec.unit):
        magnitude = float(value.m_as(unit))
        for digits in range(6, 18):
            short = float(f"{magnitude:.{digits}g}")
            if float(Q_(short, unit).m_as(spec.unit)) == exact:
                number = f"{short:.{digits}g}"
                unit_text = "" if unit in ("", "1") else f" {unit}"
                return f'"{number}{unit_text}"'
    return f'"{exact!r} {spec.unit}"'  # pragma: no cover - the working unit always reads back


def save(result, path: str) -> None:
    """Write the scenario of a command's result (a factory result, or one that holds one) to ``path`` as a
    scenario file; written to a temporary file first and renamed, so nothing is half-written."""
    found = _factory_of(result)
    if found is None:
        raise ParameterError("--save", "this command has no single scenario to save")
    command = "tokencalc " + " ".join(sys.argv[1:]) if sys.argv and sys.argv[0].endswith("tokencalc") else "tokencalc"
    text = template(found.scenario, found.provenance, command)
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except OSError as exc:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise ParameterError("--save", f"cannot write {path!r}: {exc.strerror}") from None


def _factory_of(result):
    """The factory result inside a command's result (itself, .factory, .result, a comparison's baseline), or None."""
    for candidate in (result, getattr(result, "factory", None), getattr(result, "result", None)):
        if candidate is not None and hasattr(candidate, "provenance") and hasattr(candidate, "scenario"):
            return candidate
    systems = getattr(result, "systems", None)
    if systems:
        return _factory_of(systems[0])
    return None


def template(scenario: Scenario, provenance: Provenance, command: str | None = None) -> str:
    """Every parameter with its value, unit and source, as a TOML file that loads back unchanged.

    Give it a resolved scenario (``studies.resolve_scenario({...})``): defaults and the values the user
    set are written as values; parameters the accelerator, the cooling type, the power source or the
    workload set are written commented out, so that changing those still changes them. ``command``:
    the run it records (``--save``).
    """
    defaults = catalog.defaults()
    lines = [
        "# tokencalc scenario file: every parameter with its value, unit and source.",
        *([f"# Saved from: {command}"] if command else []),
        "# Use it with --scenario FILE on any command; --set and flags on the command line override it.",
        "# Quantities are \"number unit\" text; a bare number is in the unit shown in brackets.",
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
        where = "set by you" if origin == "user" else f"set in {origin.replace(':', ' ', 1)}" \
            if origin.startswith(("file:", "preset:")) else where
        lines.append(f"# {spec.description} [{spec.bare_unit or 'id'}]; {where}")
        text = f'"{value}"' if isinstance(value, str) else _text(value, spec)
        prefix = "" if origin in ("default", "user") or origin.startswith(("file:", "preset:")) else "# "
        lines.append(f"{prefix}{name} = {text}")
    users = [name for name in PARAMETERS if provenance.get(name, Origin("default")).tag == "user"]
    if command:  # a saved run: which values the user set, so that a rerun says so too
        lines += ["", "[saved]", f"set_by_user = [{', '.join(json.dumps(n) for n in users)}]"]
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
