"""Small helpers shared by the model's functions (no economics here)."""

from __future__ import annotations

import numpy as np


def is_zero(quantity) -> bool:
    """True for a scalar zero (a cost line switched off): its arithmetic can be skipped."""
    magnitude = getattr(quantity, "magnitude", quantity)
    return np.ndim(magnitude) == 0 and magnitude == 0
