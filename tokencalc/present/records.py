"""JSON records: a result's ``to_dict()`` as text (strict JSON: no NaN, UTF-8 kept), and the one
finiteness check of every answer (table, JSON or CSV) before anything is written."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

from ..errors import TokencalcError

__all__ = ["dumps", "checked", "check_finite"]


def _refuse(where: str, value) -> None:
    raise TokencalcError(f"{where}: the result is {value} (not a finite number): the inputs are too extreme for "
                         "the model; check the values and units you set")


def check_finite(value: Any, where: str = "result") -> None:
    """Raise a TokencalcError naming the first number in ``value`` (a record, array or number) that is NaN or
    infinite; ``where`` names it (the record's keys are added)."""
    if isinstance(value, dict):
        for key, item in value.items():
            inner = where if key in ("value",) else (str(key) if where == "result" else f"{where}.{key}")
            check_finite(item, inner)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            if isinstance(item, (dict, list, tuple)):
                check_finite(item, f"{where}[{i}]")
            elif isinstance(item, float) and not math.isfinite(item):
                _refuse(f"{where}[{i}]", item)
    elif isinstance(value, np.ndarray):
        if value.dtype.kind in "fc" and not np.isfinite(value).all():
            _refuse(where, value[~np.isfinite(value)].flat[0])
    elif isinstance(value, (float, np.floating)) and not math.isfinite(value):
        _refuse(where, value)


def checked(record: Any) -> Any:
    """``record.to_dict()`` (or the record), checked finite: every answer passes here before it is written."""
    data = record.to_dict() if hasattr(record, "to_dict") else record
    check_finite(data)
    return data


def dumps(record: Any, ascii_only: bool = False) -> str:
    """The JSON text of a record (a dict, or an object with ``to_dict()``), indented by 2; with ``ascii_only``
    other characters are escaped (``\\u00b3``: the same JSON, for a terminal that shows ASCII only)."""
    return json.dumps(checked(record), indent=2, allow_nan=False, ensure_ascii=ascii_only)
