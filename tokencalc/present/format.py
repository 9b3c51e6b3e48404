"""Readable numbers with their units: '38.12 B USD', '0.1805 USD/Mtoken', '454,536', '80 %'.

Quantities are converted to display units here, at the edge; a parameter's display unit is its
ParameterSpec's.
"""

from __future__ import annotations

import math

from ..parameters import PARAMETERS
from ..units import unit_string

__all__ = ["human", "q", "share", "display_unit", "param_text", "claim_value", "origin_text"]

_SCALES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))
_LABELS = {"%": "%", "1": "", "%/year": "%/yr", "USD/year": "USD/yr"}


def human(value: float, unit: str = "", digits: int = 4, scale: bool = True) -> str:
    """'38.12 B USD', '0.1805 USD/Mtoken', '454,536': readable numbers with their unit."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    suffix = f" {unit}" if unit else ""
    if scale:
        if abs(value) >= 1e15:
            return f"{value:.{digits - 1}e}{suffix}"
        for factor, name in _SCALES:
            if abs(value) >= (factor * 10 if name == "k" else factor):
                return f"{value / factor:.{digits}g} {name}{suffix}"
    if abs(value) >= 1000:
        return f"{value:,.0f}{suffix}"
    return f"{value:.{digits}g}{suffix}"


def q(quantity, unit: str, **kwargs) -> str:
    """A quantity in ``unit``, readable: percentages to 4 digits, others through :func:`human`."""
    magnitude = quantity.m_as(unit)
    label = _LABELS.get(unit, unit)
    if unit in ("%", "%/year"):
        return f"{magnitude:.4g} {label}"
    return human(float(magnitude), label, **kwargs)


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


def param_text(name: str, value) -> str:
    """A parameter's value as tables show it: ids as they are, quantities in the display unit."""
    return value if isinstance(value, str) else q(value, display_unit(name))


def claim_value(value: float, unit: str) -> str:
    """A claim's figure in its unit: ratios plain, GUSD and MUSD as 'B USD' and 'M USD'."""
    if unit == "1":
        return f"{value:.3g}"
    if unit in ("GUSD", "MUSD"):
        return f"{value:,.4g} {unit[0].replace('G', 'B')} USD"
    return f"{value:,.4g} {unit}"


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
