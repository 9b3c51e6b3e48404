"""The envelope of every JSON record tokencalc writes, and the result base class.

Every ``to_dict()`` of a study result is ``{"schema_version": "1", "tokencalc_version": ...,
...its own keys}``; quantities inside are ``{"value", "unit"}`` (:func:`tokencalc.units.jsonable`).

One unit per key: the envelope puts every quantity in the one unit its key carries in every command
(:func:`canonical_unit`): a key that names a parameter carries the parameter's working unit
(``electricity_price``: ``USD/(kW*h)``, ``facility_power``: ``W``); a key in ``CANONICAL_UNITS`` that
unit; any other key its unit written the one compact way (``USD/yr``, not ``USD/year``).
"""

from __future__ import annotations

import functools
from typing import Any

from .. import __version__
from ..parameters import PARAMETERS
from ..tidy import PANDAS_MISSING, columns
from ..units import unit_string, ureg

__all__ = ["SCHEMA_VERSION", "envelope", "canonical_unit", "CANONICAL_UNITS", "canonical", "Result"]

SCHEMA_VERSION = "1"
# keys that are not parameters and carry the same quantity in several commands, at different scales
CANONICAL_UNITS = {"tokens": "token", "energy": "TWh"}


@functools.lru_cache(maxsize=1024)
def canonical_unit(key: str | None, unit: str) -> tuple[str, float]:
    """(the unit a quantity under ``key`` is written in, the factor from ``unit`` to it)."""
    spec = PARAMETERS.get(key) if key is not None else None
    target = spec.unit if spec is not None and spec.unit else CANONICAL_UNITS.get(key or "")
    if target is None:
        return unit_string(unit), 1.0
    if target == unit:
        return target, 1.0
    source = ureg.Quantity(1.0, unit)
    if source.dimensionality != ureg.Quantity(1.0, target).dimensionality:
        return unit_string(unit), 1.0  # another quantity under the same name: left as it is (a test finds it)
    return target, float(source.m_as(target))


_OF_A_PARAMETER = ("default", "low", "high", "value")  # keys that hold a value of the parameter they describe


def canonical(node: Any, key: str | None = None, owner: str | None = None) -> Any:
    """``node`` with every {"value", "unit"} in its key's one unit (:func:`canonical_unit`); the default, low and
    high of a parameter (a row named after it, or a record under its name) in the parameter's unit."""
    if isinstance(node, dict):
        if len(node) == 2 and "value" in node and isinstance(node.get("unit"), str):
            unit, factor = canonical_unit(owner if owner and key in _OF_A_PARAMETER else key, node["unit"])
            value = node["value"]
            if factor != 1.0:
                value = [_scaled(v, factor) for v in value] if isinstance(value, list) else _scaled(value, factor)
            return {"value": value, "unit": unit}
        name = node.get("name")
        inner = name if isinstance(name, str) and name in PARAMETERS else key if key in PARAMETERS else None
        return {k: canonical(v, k if isinstance(k, str) else key, inner) for k, v in node.items()}
    if isinstance(node, (list, tuple)) and node and isinstance(node[0], (dict, list, tuple)):
        return [canonical(v, key, owner) for v in node]
    return node


def _scaled(value, factor):
    if isinstance(value, list):
        return [_scaled(v, factor) for v in value]
    return value * factor if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def envelope(body: dict[str, Any], version: bool = True) -> dict[str, Any]:
    """``body`` under the schema version (and, unless ``version`` is False, tokencalc's version)."""
    head: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    if version:
        head["tokencalc_version"] = __version__
    return {**head, **canonical(body)}


class Result:
    """What every study result offers besides ``to_dict()``: ``to_dataframe()`` (pandas, an optional extra) and
    Jupyter's display (``_repr_html_``): the rich rendering named by ``_RENDERER`` (a module of present/ and a
    function), or the table of its record."""

    __slots__ = ()
    _RENDERER: tuple[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:  # pragma: no cover - every result defines it
        raise NotImplementedError

    def to_dataframe(self):
        """The result's table as a pandas DataFrame (units in the column names): one row per item of its list
        (systems, years, parameters, ...), one row per element of an array result, else one row. Needs
        pandas (``pip install 'tokencalc[dataframe]'``); the values are the JSON's, every digit."""
        try:
            import pandas  # lazy: pandas is an optional extra (tokencalc[dataframe]), only for a DataFrame
        except ImportError:
            raise ImportError(PANDAS_MISSING) from None
        return pandas.DataFrame(columns(self.to_dict()))

    def _repr_html_(self) -> str:
        from ..present.notebook import result_html  # lazy: Jupyter's display protocol, on demand

        return result_html(self, self._RENDERER)
