"""JSON records: a result's ``to_dict()`` as text (strict JSON: no NaN, UTF-8 kept)."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["dumps"]


def dumps(record: Any) -> str:
    """The JSON text of a record (a dict, or an object with ``to_dict()``), indented by 2."""
    data = record.to_dict() if hasattr(record, "to_dict") else record
    return json.dumps(data, indent=2, allow_nan=False, ensure_ascii=False)
