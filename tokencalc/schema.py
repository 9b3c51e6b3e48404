"""The JSON schema of the ``--json`` outputs (``tokencalc/schemas/outputs.schema.json``): all of it, or one output's.

Light on purpose: ``tokencalc schema`` loads neither pint nor numpy.
"""

from __future__ import annotations

import json
from importlib import resources

from .errors import ParameterError

__all__ = ["schema", "schema_text"]


def schema(name: str | None = None) -> dict:
    """The whole schema, or the one of output ``name`` (factory, compare, throughput, ...) with its definitions."""
    data = json.loads(resources.files("tokencalc").joinpath("schemas/outputs.schema.json").read_text())
    if name is not None and name not in data["$defs"]:
        raise ParameterError("schema", f"unknown output {name!r}; outputs: "
                             f"{', '.join(k for k in data['$defs'] if 'quantity' not in k)}")
    return data if name is None else {"$schema": data["$schema"], "$defs": data["$defs"], "$ref": f"#/$defs/{name}"}


def schema_text(name: str | None = None) -> str:
    """:func:`schema` as the JSON text ``tokencalc schema`` prints."""
    return json.dumps(schema(name), indent=2, allow_nan=False, ensure_ascii=False)
