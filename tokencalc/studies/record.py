"""The envelope of every JSON record tokencalc writes, and the result base class.

Every ``to_dict()`` of a study result is ``{"schema_version": "1", "tokencalc_version": ...,
...its own keys}``; quantities inside are ``{"value", "unit"}`` (:func:`tokencalc.units.jsonable`).
"""

from __future__ import annotations

from typing import Any

from .. import __version__

__all__ = ["SCHEMA_VERSION", "envelope"]

SCHEMA_VERSION = "1"


def envelope(body: dict[str, Any], version: bool = True) -> dict[str, Any]:
    """``body`` under the schema version (and, unless ``version`` is False, tokencalc's version)."""
    head: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    if version:
        head["tokencalc_version"] = __version__
    return {**head, **body}
