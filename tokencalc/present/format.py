"""Readable numbers with their units, one way everywhere: three significant figures, large values with
one multiplier (k, M, B, T, P, E: '38.1 B USD', '88.8 P tokens/yr', '12.7 M tokens'), energy and power with
an SI prefix on the unit ('7.01 TWh/yr', '6.67 GWh/yr', '833 MW'), counts whole ('489,672'), and a value that
is zero within the rounding of the figure it belongs to ('reference') as 0. Tables round; JSON and CSV keep
every digit.

Quantities are converted to display units here, at the edge; a parameter's display unit is its
ParameterSpec's.
"""

from __future__ import annotations

import math
from typing import Mapping

from ..parameters import PARAMETERS
from ..units import Q_, unit_string

__all__ = ["human", "q", "si", "share", "display_unit", "param_text", "claim_value", "origin_text", "DIGITS"]

DIGITS = 3  # significant figures in tables
_SCALES = ((1e18, "E"), (1e15, "P"), (1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))
_PREFIXES = ((1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1.0, ""))
_LABELS = {"%": "%", "1": "", "%/year": "%/yr", "USD/year": "USD/yr"}
ZERO = 1e-9  # a value below this share of its reference is zero within rounding


def _figures(value: float, digits: int) -> str:
    text = f"{value:.{digits}g}"
    if "e+" in text:  # 999.6 at 3 figures: 1,000, not 1e+03
        return f"{value:,.0f}"
    return text


def human(value: float, unit: str = "", digits: int = DIGITS, scale: bool = True, reference: float | None = None) -> str:
    """'38.1 B USD', '0.127 USD/Mtoken', '454,536', '88.8 P tokens/yr': readable numbers with their unit.

    ``reference``: the magnitude the value is a difference of (an NPV: the capex); below ``ZERO`` of it the
    value is 0 within rounding and prints as 0 (an NPV of -1.24e-05 USD at the break-even price)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    suffix = f" {unit}" if unit else ""
    if value == 0 or (reference is not None and abs(value) <= ZERO * abs(reference)):
        return f"0{suffix}"
    if scale:
        for factor, name in _SCALES:
            if abs(value) >= (factor * 10 if name == "k" else factor):
                return f"{_figures(value / factor, digits)} {name}{suffix}"
    if abs(value) >= 1000:
        return f"{value:,.0f}{suffix}"
    return f"{_figures(value, digits)}{suffix}"


def q(quantity, unit: str, **kwargs) -> str:
    """A quantity in ``unit``, readable: percentages to three figures, others through :func:`human`."""
    magnitude = quantity.m_as(unit)
    label = _LABELS.get(unit, unit)
    if unit in ("%", "%/year"):
        return f"{_figures(magnitude, DIGITS)} {label}"
    return human(float(magnitude), label, **kwargs)


def si(quantity, unit: str, label: str | None = None) -> str:
    """Energy or power with an SI prefix on ``unit`` (Wh/year, W): '7.01 TWh/yr', '6.67 GWh/yr', '833 MW'."""
    value = float(quantity.m_as(unit))
    shown = _LABELS.get(unit, label or unit).replace("/year", "/yr")
    for factor, prefix in _PREFIXES:
        if abs(value) >= factor:
            return human(value / factor, prefix + shown, scale=False)
    return human(value, shown, scale=False)


def share(part, total) -> str:
    """'12.3 %': ``part`` as a share of ``total`` (same dimension)."""
    t = float(total.magnitude)
    return f"{100 * float(part.to(total.units).magnitude) / t:.1f} %" if t else "n/a"


def display_unit(name: str, quantity=None) -> str:
    """The unit a parameter is shown in (its ParameterSpec's), else the quantity's own."""
    spec = PARAMETERS.get(name)
    if spec is not None:
        return spec.display
    return unit_string(quantity)


def distribution_text(name: str, kind: str, args: Mapping[str, float]) -> str:
    """A Monte Carlo distribution (``kind`` with ``args`` in the parameter's working unit, as drawn) as the tables
    show its parameter: in its display unit (``%``, ``USD/MWh``), four significant figures, thousands grouped,
    no unit when it has none: ``triangular(low=7, mode=10, high=15) %``."""
    shown, factor = PARAMETERS[name].display, PARAMETERS[name].display_factor

    def number(key: str, value: float) -> str:
        v = value if key == "sigma" else value * factor  # sigma: of the log, unitless
        return f"{v:,.0f}" if abs(v) >= 1_000 else f"{v:.4g}"

    text = f"{kind}({', '.join(f'{a}={number(a, v)}' for a, v in args.items())})"
    return text if shown == "1" else f"{text} {shown}"


def param_text(name: str, value) -> str:
    """A parameter's value as tables show it: ids as they are, quantities in the display unit."""
    return value if isinstance(value, str) else q(value, display_unit(name))


def claim_value(value: float, unit: str, kind: str = "") -> str:
    """A claim's figure with its unit: a cost ratio as '10.5x', other plain numbers (shares, margins, changes)
    as percentages, GUSD and MUSD as 'B USD' and 'M USD', energy with an SI prefix ('10.1 PWh')."""
    if unit in ("1", ""):
        return f"{_figures(value, DIGITS)}x" if kind.endswith("ratio") else f"{_figures(100 * value, DIGITS)} %"
    if unit in ("GUSD", "MUSD"):
        return human(value * (1e9 if unit == "GUSD" else 1e6), "USD")
    if unit.endswith("Wh"):
        return si(Q_(value, unit), "Wh")
    return human(value, unit)


def origin_text(origin) -> str:
    """Where a value came from, for the 'from' column: 'you', 'catalog gb200-nvl72: src (estimate)', ..."""
    if origin is None:
        return ""
    mark = " (estimate)" if origin.estimate else ""
    sources = " + ".join(dict.fromkeys(f.source for f in origin.figures))  # each source once
    if origin.kind == "user":
        return "you"
    if origin.kind == "throughput":
        return f"throughput {origin.key} (see note below)"
    if origin.kind in ("cooling", "power"):
        label = f"{'cooling type' if origin.kind == 'cooling' else 'power source'} {origin.key}"
        return f"{label}: {sources}{mark}" if origin.figures else label
    if origin.kind == "catalog":
        return f"catalog {origin.key}: {sources}{mark}"
    if origin.kind == "default" and origin.figures:
        return f"default: {sources}{mark}"
    if origin.kind in ("file", "preset"):
        return f"{origin.kind} {origin.key}"
    return origin.tag
