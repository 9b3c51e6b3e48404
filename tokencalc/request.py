"""What a command asks for, from its options: parameter overrides, the residual curve, the number of
samples and output paths, each checked, so that the command line only parses and presents.

Scenario file < ``--set`` and flags. Errors are TokencalcErrors naming the option given, which the
command line prints as one line (exit status 2).
"""

from __future__ import annotations

import importlib.util
import math
import os
import shlex
from typing import Any

from .errors import ParameterError, TokencalcError
from .parameters import PARAMETERS
from .scenario import FileText, wacc_from_financing
from .scenariofile import load
from .units import parse_quantity

__all__ = ["parse_sets", "request", "residual_curve", "check_output_path", "compare_request", "report_options",
           "check_report_output"]

_SIZES = (("--gw", "gw", "GW", "facility_power"), ("--mw", "mw", "MW", "facility_power"),
          ("--facility-power", "facility_power", "W", "facility_power"), ("--it-power", "it_power", "MW", "it_power"))


def parse_sets(pairs) -> dict[str, str]:
    """``--set NAME=QUANTITY`` pairs as {name: text}; a malformed or repeated pair is an error."""
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


def request(options: dict) -> tuple[dict, list | None, Any]:
    """Parameter overrides from the options a command received: scenario file < --set and flags.

    Returns (overrides, residual curve or None, the ScenarioFile or None). Consumes the option
    keys it knows from ``options``; a flag and --set naming the same parameter is an error.
    """
    flags: dict = parse_sets(options.pop("sets", ()) or ())
    sizes = [(flag, options.pop(key, None), unit, name) for flag, key, unit, name in _SIZES]
    sizes = [s for s in sizes if s[1] is not None]
    if len(sizes) + ("facility_power" in flags) > 1:
        raise ParameterError("facility_power", "give the site size once (--gw, --mw, --facility-power, --it-power "
                             "or --set)")
    if sizes:
        flag, text, unit, name = sizes[0]
        parse_quantity(text, unit, f"{name} ({flag})")  # the option named in its errors
        flags[name] = f"{text.strip()} {unit}" if _bare(text) else text  # as typed: the Scenario converts it to W
    gpu = options.pop("gpu", None)
    if gpu is not None:
        options["accelerator"] = gpu
    for name, spec in PARAMETERS.items():
        value = options.pop(name, None) if spec.flag else None
        if value is None:
            continue
        if name in flags:
            raise ParameterError(name, f"give it once ({spec.flag} or --set {name}=)")
        flags[name] = value
    curve = residual_curve(options.pop("residual_curve", None))
    cost_of_equity = options.pop("cost_of_equity", None)
    scenario_file = None
    spec = options.pop("scenario", None)
    overrides = dict(flags)
    if spec is not None:
        scenario_file = load(spec)
        overrides = {**{name: value if name in scenario_file.set_by_user else FileText.of(value, scenario_file.origin)
                        for name, value in scenario_file.parameters.items()}, **flags}
    if cost_of_equity is not None:
        if "wacc" in flags:
            raise ParameterError("wacc", "give either --set wacc= or --cost-of-equity with --debt-share and "
                                 "--cost-of-debt")
        overrides["wacc"] = wacc_from_financing(overrides, cost_of_equity)
    return overrides, curve, scenario_file


def _bare(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def residual_curve(text) -> list[float] | None:
    """``--residual-curve 0.6,0.35,0.2``: book value fractions, between 0 and 1, not increasing."""
    if text is None:
        return None
    try:
        curve = [float(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise ParameterError("--residual-curve", f"expected fractions separated by commas, e.g. 0.6,0.35,0.2; got "
                             f"{text[:60]!r}") from None
    if not curve or len(curve) > 1000 or any(not (math.isfinite(x) and 0 <= x <= 1) for x in curve) \
            or any(b > a for a, b in zip(curve, curve[1:])):
        raise ParameterError("--residual-curve", "fractions between 0 and 1 that do not increase (at most 1,000), "
                             "e.g. 0.6,0.35,0.2,0.1")
    return curve


def check_output_path(path: str | None, option: str = "--plot", suffixes=(".png", ".svg")) -> None:
    """Refuse, before any work, an output file that cannot be written: its suffix, a directory, a missing or
    read-only directory, a name too long."""
    if not path:
        return
    shown = path if len(path) <= 80 else path[:77] + "..."
    if not path.lower().endswith(suffixes):
        raise ParameterError(option, f"{shown!r} must end in {' or '.join(suffixes)}")
    if "\x00" in path:
        raise ParameterError(option, f"{shown!r} is not allowed; allowed: a file name without NUL characters")
    directory = os.path.dirname(os.path.abspath(path))
    name = os.path.basename(path)
    try:
        limit = os.pathconf(directory if os.path.isdir(directory) else "/", "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = 255
    if len(os.fsencode(name)) > limit - 12:  # room for the temporary file written first
        raise ParameterError(option, f"the file name {shown!r} is too long; allowed: up to {limit - 12} bytes")
    if os.path.isdir(path):
        raise ParameterError(option, f"{shown!r} is a directory; allowed: a file name ending in "
                             f"{' or '.join(suffixes)}")
    if not os.path.isdir(directory):
        raise ParameterError(option, f"the directory of {shown!r} does not exist; allowed: a file in an existing "
                             "directory")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise ParameterError(option, f"the directory of {shown!r} is not writable; allowed: a file in a writable "
                             "directory")


def compare_request(options: dict, systems, rank_all: bool, baseline, plot_path, request_of) -> dict:
    """``tokencalc compare``'s overrides (``request_of``: the command line's request, which keeps --save), checked:
    the systems are arguments, not --gpu; --all takes no ids, --baseline or --plot; a scenario's accelerator
    is replaced by the systems given."""
    if options.get("gpu") is not None:
        raise ParameterError("accelerator", "give the systems as arguments (tokencalc compare h100 gb200-nvl72), "
                             "not --gpu")
    check_output_path(plot_path, "--plot")
    overrides, _, _ = request_of(options)
    overrides.pop("accelerator", None)  # a scenario file's accelerator: the systems given replace it
    if rank_all and (systems or baseline or plot_path):
        raise TokencalcError("compare --all ranks every catalog system: give no ids, --baseline or --plot with it")
    return overrides


def report_options(options: dict, requested: tuple, argv) -> tuple[dict, dict]:
    """``tokencalc report``'s overrides and its own options as :func:`tokencalc.studies.report.report_study`
    keywords, from the options left after ``requested`` = (overrides, residual curve, scenario file): --compare
    IDS or --all (not both), --fleet, the Monte Carlo's --samples and --seed, the scenario file's ranges and
    distributions, and the command that made the page (``argv``)."""
    overrides, curve, scenario_file = requested
    compare, rank_all = options.pop("compare_ids", None), options.pop("compare_all", False)
    if compare is not None and rank_all:
        raise ParameterError("--compare", "give either --compare ID,ID,... or --all, not both")
    if compare is not None and not [i for i in compare.split(",") if i.strip()]:
        raise ParameterError("--compare", f"{compare[:60]!r} names no system; allowed: catalog ids separated by "
                             "commas, e.g. h100,b200 (tokencalc hardware)")
    return overrides, {
        "compare": "all" if rank_all else compare, "fleet": bool(options.pop("with_fleet", False)),
        "samples": options.pop("samples"), "seed": options.pop("seed"), "residual_curve": curve,
        "ranges": dict(getattr(scenario_file, "ranges", {})),
        "distributions": dict(getattr(scenario_file, "distributions", {})),
        "command": "tokencalc " + shlex.join(argv)}


def check_report_output(path: str) -> None:
    """Refuse, before any work, a report's output that cannot be written, and a report without plotly (the
    report extra): one line, nothing written."""
    check_output_path(path, "--output", (".html",))
    if importlib.util.find_spec("plotly") is None:
        raise TokencalcError("the report needs plotly: pip install 'tokencalc[report]'")


_FLAGS = {"throughput_source": "--source", "save_path": "--save", "plot_path": "--plot"}  # option names unlike the flag


def check_alone(flag: str, options: dict, **others) -> None:
    """Refuse options a listing flag would ignore (``tokencalc throughput --measured --gpu h200``): one line naming
    them. ``options`` are the command's click options by name; ``others``, further ones given as keyword."""
    given = [_FLAGS.get(name, f"--{name.replace('_', '-')}") for name, value in {**options, **others}.items()
             if value not in (None, (), False, "")]
    if given:
        raise TokencalcError(f"{flag} lists every point and takes no {', '.join(given)}; allowed with it: --json or "
                             "--csv")
