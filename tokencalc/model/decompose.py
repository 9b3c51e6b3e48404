"""Why one system makes tokens cheaper than another: an exact multiplicative decomposition.

The cost of a token is the cost of an accelerator-hour divided by the tokens an accelerator
makes in an hour. The ratio of two systems' costs per token (baseline / other) splits exactly
into a throughput factor and a cost-per-accelerator-hour factor; the second splits over groups
of annual cost lines by the multiplicative logarithmic-mean Divisia index (LMDI), so the
factors multiply to the ratio exactly:

    ratio = cost_b / cost_x = (tps_x / tps_b) * (C_b / C_x)
    C_b / C_x = prod_i exp((C_i,b - C_i,x) / L(C_b, C_x)),   L(a, b) = (a - b) / ln(a / b)

where C is the annual cost per accelerator and C_i its lines.

References: Ang, "The LMDI approach to decomposition analysis", Energy Policy 33 (2005) 867-871.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

from ..errors import ParameterError

__all__ = ["log_mean", "decompose"]


def log_mean(a: float, b: float) -> float:
    """Logarithmic mean L(a, b) = (a - b) / ln(a / b); L(a, a) = a. Both > 0, in one unit [USD/year]."""
    if a <= 0 or b <= 0:
        raise ParameterError("annual_cost", "cost per accelerator must be positive to decompose a ratio")
    if math.isclose(a, b, rel_tol=1e-12):
        return a
    return (a - b) / math.log(a / b)


def decompose(baseline_lines: Mapping[str, float], other_lines: Mapping[str, float], baseline_tps: float,
              other_tps: float, groups: Mapping[str, Sequence[str]]) -> dict[str, float]:
    """Factors (name -> number > 0) whose product is baseline cost per token / other cost per token.

    ``*_lines`` are annual cost lines per accelerator [USD/year] (same unit), ``*_tps`` the
    throughput per accelerator [token/s] (only their ratio matters), ``groups`` the factor
    name of each group of lines (every line in exactly one group). The first factor is
    ``throughput_per_accelerator``. A factor above 1 says the other system is cheaper on that count.
    """
    total_b = sum(baseline_lines.values())
    total_o = sum(other_lines.values())
    mean = log_mean(total_b, total_o)
    factors = {"throughput_per_accelerator": other_tps / baseline_tps}
    for name, lines in groups.items():
        delta = sum(baseline_lines[k] - other_lines[k] for k in lines)
        factors[name] = math.exp(delta / mean)
    return factors
