"""The studies floor: orchestrators. A scenario (or overrides) in, a frozen result out.

Each study resolves a Scenario, calls the model's functions and the catalog, and returns an
attrs result with ``to_dict()`` (the JSON contract); it has no algorithm of its own and knows
nothing of how results are shown.

* :mod:`.factory`: one AI factory (reference model v1);
* :mod:`.throughput`: tokens per second against interactivity, measured points;
* :mod:`.compare`: systems side by side and why;
* :mod:`.cashflow`: yearly cash flows, NPV, IRR, break-even;
* :mod:`.fleet`: a power-capped site across hardware generations (:mod:`.fleet_inputs`: its roadmap per hall);
* :mod:`.uncertainty`: sensitivity and Monte Carlo;
* :mod:`.energy`: power sources and energy budgets;
* :mod:`.claims`: published claims, checked;
* :mod:`.deals`: vendor deals priced per accelerator, gigawatt and token;
* :mod:`.catalog`: listings of the catalog;
* :mod:`.report`: every study of one scenario's page, gathered (``tokencalc report``).
"""

from __future__ import annotations

from . import catalog, cashflow, claims, compare, deals, energy, factory, fleet, report, throughput, uncertainty
from .factory import FactoryResult, evaluate, resolve_scenario

__all__ = ["catalog", "cashflow", "claims", "compare", "deals", "energy", "factory", "fleet", "report",
           "throughput", "uncertainty",
           "FactoryResult", "evaluate", "resolve_scenario"]
