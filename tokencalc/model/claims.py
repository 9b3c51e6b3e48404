"""The verdict on a published claim, given tokencalc's figure and its figures under conditions.

* consistent: the figure lies in the claimed range [low, high];
* consistent only under stated conditions: it does not, but under one or more conditions it does;
* inconsistent: under no listed condition does it.
"""

from __future__ import annotations

from typing import Mapping

__all__ = ["CONSISTENT", "CONDITIONAL", "INCONSISTENT", "verdict"]

CONSISTENT = "consistent"
CONDITIONAL = "consistent only under stated conditions"
INCONSISTENT = "inconsistent"


def verdict(low: float, high: float, value: float, conditions: Mapping[str, float]) -> tuple[str, list[str]]:
    """(verdict, the conditions under which the claim holds).

    ``low``, ``high``, ``value`` and the condition values are in the claim's unit [as claims.toml states it].
    """
    holding = [name for name, v in conditions.items() if low <= v <= high]
    if low <= value <= high:
        return CONSISTENT, holding
    return (CONDITIONAL, holding) if holding else (INCONSISTENT, [])
