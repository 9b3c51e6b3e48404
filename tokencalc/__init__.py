"""tokencalc: unit-aware AI token economics.

What an AI factory of a given power costs to build and run, what a million tokens cost from
it, and how hardware generations, power, cooling and finance move those answers.

    >>> import tokencalc as tc
    >>> r = tc.factory(facility_power=tc.Q_(1, "GW"), accelerator="gb200-nvl72")
    >>> r.cost_per_million_tokens          # a pint Quantity in USD/Mtoken

Names are imported lazily so that ``tokencalc --help`` starts fast.
"""

from __future__ import annotations

import importlib

__version__ = "0.2.0"

_LAZY = {
    "ureg": "units",
    "Q_": "units",
    "Quantity": "units",
    "parse_quantity": "units",
    "factory": "studies.factory",
    "FactoryResult": "studies.factory",
    "Capex": "studies.factory",
    "AnnualCost": "studies.factory",
    "resolve_scenario": "studies.factory",
    "compare": "studies.compare",
    "cashflow": "studies.cashflow",
    "breakeven": "studies.cashflow",
    "fleet": "studies.fleet",
    "FleetResult": "studies.fleet",
    "sensitivity": "studies.uncertainty",
    "montecarlo": "studies.uncertainty",
    "deal": "studies.deals",
    "sweep": "studies.sweep",
    "report": "studies.report",
    "ReportResult": "studies.report",
    "compare_deals": "studies.deals",
    "Scenario": "parameters",
    "PARAMETERS": "parameters",
    "Provenance": "scenario",
    "capital_recovery_factor": "model.finance",
    "catalog": None,
    "TokencalcError": "errors",
    "TokencalcWarning": "errors",
    "ParameterError": "errors",
    "UnknownNameError": "errors",
    "CatalogError": "errors",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'tokencalc' has no attribute {name!r}")
    module_name = _LAZY[name]
    if module_name is None:
        value = importlib.import_module(f".{name}", __name__)
    else:
        value = getattr(importlib.import_module(f".{module_name}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(__all__)
