"""The one unit registry of tokencalc, and the parsing of quantities typed by users.

``ureg`` is built once per process from ``units.txt`` (a few milliseconds). Every quantity
that crosses a public boundary of tokencalc is a ``ureg.Quantity``. ``USD`` (currency) and
``token`` are base units of their own, so ``USD/Mtoken``, ``token/s``, ``USD/(kW*h)`` and
``GW`` all parse.

User input is parsed by a strict grammar, *number [unit]*: the number by ``float`` after a
regular expression, the unit by pint's unit parser. Nothing is evaluated as Python.

:func:`jsonable` is the one serializer of the JSON contract: a Quantity becomes
``{"value": number or list, "unit": text that ureg parses}``, numpy numbers plain numbers.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

import numpy as np
import pint

from .errors import ParameterError

__all__ = ["ureg", "Q_", "Quantity", "parse_quantity", "parse_unit", "as_quantity", "is_bare", "unit_string",
           "jsonable"]


def _build_registry() -> pint.UnitRegistry:
    definitions = resources.files("tokencalc").joinpath("units.txt")
    with resources.as_file(definitions) as path:
        registry = pint.UnitRegistry(str(path), autoconvert_offset_to_baseunit=True)
    registry.formatter.default_format = "~P"
    return registry


ureg: pint.UnitRegistry = _build_registry()
pint.set_application_registry(ureg)
Q_ = ureg.Quantity
Quantity = ureg.Quantity

_NUMBER = re.compile(r"^\s*([+-]?(?:\d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(.*?)\s*$")
# Multipliers as tokencalc prints them ("45.83 k USD", "38.1 B USD", "307.5 T tokens/yr"): a word of its own
# after the number, followed by a unit (or, but for B, nothing). "B" alone after a number is bytes.
_MULTIPLIER = re.compile(r"^(k|K|thousand|M|million|mn|B|bn|billion|T|trillion|P)(?:\s+(.*)|$)")
_MULTIPLIERS = {"k": 1e3, "K": 1e3, "thousand": 1e3, "M": 1e6, "million": 1e6, "mn": 1e6, "B": 1e9, "bn": 1e9,
                "billion": 1e9, "T": 1e12, "trillion": 1e12, "P": 1e15}
_UNIT_CHARS = re.compile(r"^[A-Za-z0-9_µμ%*/^(). ]*$")
_NON_FINITE = re.compile(r"^\s*[+-]?(nan|inf|infinity)\b", re.IGNORECASE)


def unit_string(unit: Any) -> str:
    """The compact text of a unit (``"USD/MWh"``), which ``ureg`` parses back."""
    units = unit.units if hasattr(unit, "units") else ureg.Unit(unit)
    text = f"{units:~C}"
    return text or "1"


def _describe_dimension(unit: str) -> str:
    return "dimensionless (a plain number)" if unit in ("", "1") else f"a quantity convertible to {unit}"


def parse_unit(text: str, parameter: str = "quantity") -> pint.Unit:
    """Parse a unit expression such as ``USD/MWh``, ``kW·h`` or ``token/s``."""
    cleaned = text.replace("·", "*").replace("⋅", "*").replace("^", "**").replace("$", "USD").strip()
    if not cleaned:
        return ureg.dimensionless
    if not _UNIT_CHARS.match(cleaned) or len(cleaned) > 80:
        raise ParameterError(parameter, f"cannot read the unit {text!r}; write units like USD/MWh, kW, token/s, year")
    try:
        return ureg.parse_units(cleaned)
    except Exception as exc:  # pint raises many kinds (even AssertionError) on malformed units
        names = getattr(exc, "unit_names", None) if isinstance(exc, pint.errors.UndefinedUnitError) else None
        if isinstance(names, str):
            names = [names]
        detail = f" ({', '.join(map(str, names))} is not a known unit)" if names else ""
        raise ParameterError(
            parameter, f"cannot read the unit {text!r}{detail}; write units like USD/MWh, kW, token/s, year"
        ) from None


def parse_quantity(text: str, unit: str | None = None, parameter: str = "quantity") -> pint.Quantity:
    """Parse ``"80 USD/MWh"``, ``"80USD/MWh"``, ``"1.4 kW"`` or ``"5"`` into a Quantity.

    Also read as tokencalc prints them: multipliers as a word of their own (``"45.83 k USD"``,
    ``"12.5 B USD"``, ``"1.2 T token"``), thousands separators (``"45,830 USD"``), ``%``
    (``"30%"``; a fraction given for a rate per year is per year), ``"0.03/year"`` and ``$``.
    A bare number takes ``unit`` (the parameter's documented unit). With ``unit`` given, the
    result is converted to it, and a dimension mismatch is a ParameterError naming ``parameter``.
    """
    if not isinstance(text, str):
        raise ParameterError(parameter, f"expected text such as '80 USD/MWh', got {type(text).__name__}")
    if _NON_FINITE.match(text):
        raise ParameterError(parameter, f"{text.strip()!r} is not allowed; give a finite number")
    match = _NUMBER.match(text)
    if not match:
        hint = ""
        if "," in text:
            hint = " (use '.' for decimals; thousands separators group by three, e.g. 45,830.5)"
        if not text.strip():
            raise ParameterError(parameter, "the value is empty; give a number with an optional unit, e.g. '80 USD/MWh'")
        raise ParameterError(parameter, f"cannot read {text.strip()[:40]!r} as a number with an optional unit{hint}")
    magnitude = float(match.group(1).replace(",", ""))  # thousands separators, grouped by three
    unit_text = match.group(2)
    multiplier = _MULTIPLIER.match(unit_text)
    if multiplier and not (multiplier.group(1) == "B" and multiplier.group(2) is None):
        magnitude *= _MULTIPLIERS[multiplier.group(1)]
        unit_text = (multiplier.group(2) or "").strip()
    if unit_text.startswith("/"):  # "0.03/year"
        unit_text = "1" + unit_text
    if "," in unit_text:
        raise ParameterError(
            parameter, f"cannot read {text.strip()!r}: use '.' for decimals; thousands separators group by "
            "three (45,830.5)"
        )
    if unit_text:
        quantity = Q_(magnitude, parse_unit(unit_text, parameter))
    else:
        quantity = Q_(magnitude, unit if unit is not None else ureg.dimensionless)
    return _convert(quantity, unit, parameter) if unit is not None else quantity


def is_bare(value: Any) -> bool:
    """True for a number without a unit: a plain number or array, or text such as ``"1.8"`` or ``"1.2 k"``."""
    if isinstance(value, pint.Quantity) or isinstance(value, bool) or value is None:
        return False
    if isinstance(value, str):
        match = _NUMBER.match(value)
        if not match:
            return False
        rest = _MULTIPLIER.match(match.group(2))
        return not match.group(2) or bool(rest and rest.group(2) is None and rest.group(1) != "B")
    return True


def _convert(quantity: pint.Quantity, unit: str, parameter: str) -> pint.Quantity:
    target = ureg.Unit(unit) if isinstance(unit, str) else unit
    if quantity.dimensionless and target.dimensionality == ureg.Unit("1/year").dimensionality:
        quantity = quantity / ureg.year  # a fraction for a rate per year: "30%" is 30 % a year
    try:
        return quantity.to(unit)
    except pint.errors.DimensionalityError:
        raise ParameterError(
            parameter,
            f"{unit_string(quantity) or 'a plain number'} does not fit; expected {_describe_dimension(unit)}",
        ) from None


def as_quantity(value: Any, unit: str, parameter: str = "quantity") -> pint.Quantity:
    """Turn user input (text, number, array or Quantity) into a Quantity in ``unit``.

    Plain numbers and arrays take ``unit``; Quantities are converted (dimension-checked);
    text is parsed with :func:`parse_quantity`. The magnitude becomes float (or a float array).
    Non-finite values (NaN, infinities) are refused.
    """
    if isinstance(value, pint.Quantity):
        if value._REGISTRY is not ureg:
            raise ParameterError(parameter, "the quantity comes from another unit registry; use tokencalc.ureg")
        quantity = _convert(value, unit, parameter)
        _check_overflow(value, quantity, unit, parameter)
    elif isinstance(value, str):
        quantity = parse_quantity(value, unit, parameter)
        _check_overflow(value, quantity, unit, parameter)
    elif isinstance(value, bool) or value is None:
        raise ParameterError(parameter, f"expected a number or a quantity, got {value!r}")
    else:
        try:
            magnitude = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise ParameterError(parameter, f"expected a number or a quantity, got {type(value).__name__}") from None
        quantity = Q_(magnitude if magnitude.ndim else float(magnitude), unit)
    magnitude = quantity.magnitude
    if isinstance(magnitude, np.ndarray):
        if magnitude.dtype != float:
            magnitude = magnitude.astype(float)
            quantity = Q_(magnitude, quantity.units)
        if not np.isfinite(magnitude).all():
            raise ParameterError(parameter, "contains NaN or infinite values; give finite numbers")
    else:
        try:
            magnitude = float(magnitude)
        except (TypeError, ValueError):
            raise ParameterError(parameter, f"expected a number, got {magnitude!r}") from None
        if not np.isfinite(magnitude):
            raise ParameterError(parameter, f"{magnitude} is not allowed; give a finite number")
        quantity = Q_(magnitude, quantity.units)
    return quantity


def _check_overflow(given, quantity, unit: str, parameter: str) -> None:
    """A finite value that overflows on conversion to ``unit`` is refused as typed ('1e308 GW is too large')."""
    with np.errstate(invalid="ignore", over="ignore"):
        converted = np.isfinite(np.asarray(quantity.magnitude, dtype=float)).all()
        original = np.isfinite(np.asarray(getattr(given, "magnitude", 0.0), dtype=float)).all()
    if converted or not original:
        return
    if isinstance(given, str):
        typed = given.strip() if len(given.strip()) <= 40 else given.strip()[:37] + "..."
    else:
        typed = f"{np.max(np.abs(given.magnitude)):g} {unit_string(given)}"
    raise ParameterError(parameter, f"{typed!r} is too large: it overflows in {unit_string(Q_(1.0, unit)) or unit}")


def _number(value):
    if isinstance(value, np.ndarray):
        return [_number(v) for v in value.tolist()] if value.ndim else _number(value.item())
    if isinstance(value, (list, tuple)):
        return [_number(v) for v in value]
    if isinstance(value, (np.floating, float)):
        value = float(value)
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, np.integer):
        return int(value)
    return value


def jsonable(value: Any, unit: str | None = None) -> Any:
    """A Quantity as {"value": number or list, "unit": text ureg parses}; other values as JSON types.

    With ``unit`` the quantity is converted to it first. Counts (floats that are whole) become
    integers; numpy arrays become lists.
    """
    if isinstance(value, pint.Quantity):
        if unit is not None:
            value = value.to(unit)
        magnitude = value.magnitude
        if isinstance(magnitude, np.ndarray):
            number = magnitude.tolist() if magnitude.ndim else float(magnitude)
        else:
            number = float(magnitude)
        return {"value": number, "unit": unit if unit is not None else unit_string(value)}
    return _number(value)
