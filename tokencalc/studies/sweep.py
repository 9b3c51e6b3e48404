"""A grid of parameters, evaluated: ``tc.sweep(electricity_price=[40, 80, 160], pue=[1.1, 1.3])`` is a tidy
DataFrame with one row per combination, the swept parameters and the factory's headline figures as columns,
units in the column names.

Parameters that only move the cost (prices, lives, rates, powers) are swept in one vectorized factory
evaluation; those that move the throughput or name something (workload parameters, ids) one evaluation per
value, since throughput is estimated for one workload at a time.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from ..errors import ParameterError
from ..parameters import PARAMETERS, WORKLOAD
from ..scenario import check_names
from ..tidy import PANDAS_MISSING
from ..units import Q_, jsonable
from .factory import factory
from .record import canonical_unit

__all__ = ["sweep", "OUTPUTS", "MAX_POINTS"]

MAX_POINTS = 1_000_000
# the factory's figures each row carries (keys of its record; nested keys joined by '.')
OUTPUTS = ("accelerators", "tokens_per_second_per_accelerator", "tokens_per_year", "energy_per_year", "capex.total",
           "annual_cost.total", "cost_per_accelerator_hour", "cost_per_million_tokens",
           "breakeven_input_price_per_million_tokens", "breakeven_cached_input_price_per_million_tokens",
           "breakeven_output_price_per_million_tokens")


def _is_axis(value) -> bool:
    return isinstance(value, (list, tuple, range, np.ndarray)) and not isinstance(value, str)


def _field(result, key: str):
    value = result.scenario if key == "tokens_per_second_per_accelerator" else result
    for part in key.split("."):
        value = getattr(value, part)
    return value


def sweep(**parameters: Any):
    """Evaluate the factory on every combination of the parameters given as lists (the others fixed).

    Each swept parameter is a column in the unit a bare number is read in (``electricity_price [USD/MWh]``,
    as typed); each figure of ``OUTPUTS`` a column in its JSON unit (``cost_per_million_tokens
    [USD/Mtoken]``). Needs pandas (``pip install 'tokencalc[dataframe]'``).

    >>> tc.sweep(electricity_price=[40, 80, 160], accelerator=["h100", "gb200-nvl72"])   # 6 rows
    """
    try:
        import pandas  # lazy: pandas is an optional extra (tokencalc[dataframe]), only for a DataFrame
    except ImportError:
        raise ImportError(PANDAS_MISSING) from None
    check_names(parameters)
    axes = {name: list(values) for name, values in parameters.items() if _is_axis(values)}
    fixed = {name: value for name, value in parameters.items() if name not in axes}
    if not axes or any(not values for values in axes.values()):
        raise ParameterError("sweep", "give at least one parameter as a non-empty list of values, e.g. "
                             "tc.sweep(electricity_price=[40, 80, 160])")
    points = int(np.prod([len(v) for v in axes.values()], dtype=float))
    if points > MAX_POINTS:
        raise ParameterError("sweep", f"{points:,} combinations is not allowed; allowed: up to {MAX_POINTS:,}")
    looped = [n for n in axes if n in WORKLOAD or not PARAMETERS[n].unit]  # one evaluation per value
    vector = [n for n in axes if n not in looped]
    shown = {n: PARAMETERS[n].bare_unit for n in axes if PARAMETERS[n].unit}
    converted = {n: [PARAMETERS[n].convert(v).m_as(shown[n]) for v in axes[n]] for n in vector}
    frames = []
    for combo in itertools.product(*(axes[n] for n in looped)):
        grid = list(itertools.product(*(converted[n] for n in vector))) or [()]
        arrays = {n: Q_(np.array([g[i] for g in grid], dtype=float), shown[n]) for i, n in enumerate(vector)}
        result = factory(**fixed, **dict(zip(looped, combo)), **arrays)
        columns: dict[str, Any] = {}
        for i, n in enumerate(looped):
            value = PARAMETERS[n].convert(combo[i])
            columns[f"{n} [{shown[n]}]" if n in shown else n] = (
                [float(value.m_as(shown[n]))] * len(grid) if n in shown else [value] * len(grid))
        for i, n in enumerate(vector):
            columns[f"{n} [{shown[n]}]"] = [g[i] for g in grid]
        for key in OUTPUTS:
            record = jsonable(_field(result, key))
            if not isinstance(record, dict):  # a count
                columns[key] = np.broadcast_to(np.asarray(record, dtype=float), (len(grid),)).tolist()
                continue
            unit, factor = canonical_unit(key.split(".")[-1], record["unit"])  # as the JSON writes it
            values = np.broadcast_to(np.asarray(record["value"], dtype=float) * factor, (len(grid),))
            columns[f"{key} [{unit}]"] = values.tolist()
        frames.append(pandas.DataFrame(columns))
    out = pandas.concat(frames, ignore_index=True)
    order = [c for n in axes for c in out.columns if c == n or c.startswith(f"{n} [")]
    return out[order + [c for c in out.columns if c not in order]]
