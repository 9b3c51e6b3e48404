"""The catalog floor: sourced data files and the one reader that turns them into frozen values.

Data lives in TOML files (and one CSV of benchmark rows) beside this package, loaded once through
``importlib.resources``.
Every figure carries a ``source`` (an id of ``sources.toml``) and a ``date``; estimates say so.

* :mod:`.reader`: the TOML reader, :class:`Source`, :class:`Figure`, :func:`lookup`;
* :mod:`.defaults`: default parameter values and derivation rules;
* :mod:`.hardware`: accelerator systems;
* :mod:`.llms`: LLM architectures, measured throughput points, efficiency factors;
* :mod:`.measured`: measured benchmark rows (InferenceX DeepSeek-R1, a CSV) and their throughput curves;
* :mod:`.sites`: power options, cooling types, energy presets;
* :mod:`.claims`: published claims;
* :mod:`.deals`: vendor deals (warrants, vendor investment).

The catalog imports nothing from the model, the studies or the presentation.
"""

from __future__ import annotations

from .claims import BASES, Claim, claims
from .deals import Deal, deal, deals
from .defaults import defaults, relative_ranges, throughput_ranges
from .hardware import Accelerator, accelerator, accelerators
from .llms import LLM, MeasuredPoint, calibration, efficiency, efficiency_families, first_token_latency, llm, \
    measured_points, model_error_kind, models, system_model_error, unmeasured_system_error
from .measured import BenchmarkRow, CurveKey, benchmark_rows
from .reader import Figure, Source, lookup, read_toml, sources, suggest
from .sites import (CoolingType, PowerOption, cooling_type, cooling_types, energy_preset, energy_presets,
                    lcoe_checks, power_option, power_options)

__all__ = ["Source", "Figure", "Accelerator", "LLM", "MeasuredPoint", "Claim", "CoolingType", "PowerOption",
           "sources", "accelerators", "accelerator", "defaults", "relative_ranges", "throughput_ranges", "models", "llm",
           "measured_points", "efficiency", "efficiency_families", "first_token_latency", "calibration", "model_error_kind",
           "system_model_error", "unmeasured_system_error", "power_options", "power_option", "lcoe_checks", "cooling_types",
           "cooling_type", "energy_presets", "energy_preset", "claims", "BASES", "suggest", "lookup", "read_toml",
           "BenchmarkRow", "CurveKey", "benchmark_rows", "Deal", "deal", "deals"]
