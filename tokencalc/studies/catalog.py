"""What the catalog commands show: systems, one system, parameters, sources, models, presets.

Each listing is a frozen result with ``to_dict()`` (the JSON of ``--json``); the tables are
drawn by ``tokencalc.present``.
"""

from __future__ import annotations

from typing import Any, Mapping

import attrs

from .. import catalog
from ..errors import TokencalcError
from ..parameters import PARAMETERS, ParameterSpec, Scenario
from ..scenario import FileText, Origin, Provenance
from ..scenariofile import ScenarioFile, load, presets
from ..units import jsonable
from .factory import FactoryResult, factory, resolve_scenario
from .record import Result, envelope
from .throughput import study

__all__ = ["HardwareListing", "hardware", "HardwareDetail", "hardware_detail", "ParameterListing", "parameters",
           "SourceListing", "sources", "ModelListing", "models", "PresetListing", "scenario_presets",
           "ScenarioShow", "scenario_show"]

PER_ACCELERATOR = ("it_power_per_accelerator", "accelerator_capex", "network_capex_per_accelerator")


def _system_row(system) -> dict[str, Any]:
    row = {
        "id": system.id, "name": system.name, "vendor": system.vendor, "generation": system.generation,
        "status": system.status, "form_factor": system.form_factor,
        "accelerators_per_system": system.accelerators_per_system, "scale_up_domain": system.scale_up_domain,
    }
    for name, fig in system.figures.items():
        row[name] = jsonable(fig.value)
    for name in PER_ACCELERATOR:
        value = getattr(system, name)
        row[name] = None if value is None else jsonable(value)
    return row


@attrs.frozen
class HardwareListing(Result):
    """The accelerator catalog."""

    _RENDERER = ("catalog", "hardware_table")

    systems: tuple[catalog.Accelerator, ...]

    def default_throughput(self, system) -> tuple[float, str] | None:
        """Total tokens/s per accelerator for the default workload and its source, or None where the
        catalog lacks figures or the system cannot serve it."""
        try:
            target = study({"accelerator": system.id}).target
        except TokencalcError:
            return None
        if target is None:
            return None
        return float(target.total_tokens_per_second.m_as("token/s")), target.source

    def to_dict(self) -> dict[str, Any]:
        return envelope({"systems": [_system_row(s) for s in self.systems]}, version=False)


def hardware() -> HardwareListing:
    return HardwareListing(tuple(catalog.accelerators().values()))


@attrs.frozen
class HardwareDetail(Result):
    """One accelerator system with every figure, its source, and the derivation rules."""

    _RENDERER = ("catalog", "hardware_detail")

    system: catalog.Accelerator
    rules: Mapping[str, Any]  # it_overhead_share, all_in_power_ratio, network_capex_share figures

    def to_dict(self) -> dict[str, Any]:
        row = _system_row(self.system)
        known = catalog.sources()
        row["figures"] = {
            name: {"value": jsonable(fig.value), "source": fig.source, "source_title": known[fig.source].title,
                   "source_url": known[fig.source].url, "date": fig.date, "estimate": fig.estimate,
                   "note": fig.note}
            for name, fig in self.system.figures.items()
        }
        return envelope(row, version=False)


def hardware_detail(system_id: str) -> HardwareDetail:
    rules = catalog.defaults()
    return HardwareDetail(catalog.accelerator(system_id),
                          {k: rules[k] for k in ("it_overhead_share", "all_in_power_ratio", "network_capex_share")})


@attrs.frozen
class ParameterListing(Result):
    """Every parameter with its default for the default system, cooling and power source."""

    _RENDERER = ("catalog", "parameters_table")

    specs: Mapping[str, ParameterSpec]
    scenario: Scenario
    provenance: Provenance

    def source(self, name: str) -> str:
        """Where the default comes from: a catalog source id (and whether it is an estimate), or a tag."""
        origin = self.provenance.get(name, Origin("default"))
        fig = catalog.defaults().get(name)
        if origin.kind == "default" and fig is not None:
            return fig.source + (" (estimate)" if fig.estimate else "")
        return origin.tag

    def to_dict(self) -> dict[str, Any]:
        return envelope({"parameters": {
            name: {
                "unit": spec.unit or None,
                "description": spec.description,
                "allowed": spec.allowed_text,
                "warn_above": spec.warn_above,
                "default": jsonable(getattr(self.scenario, name)),
                "set_by": self.provenance.get(name, Origin("default")).tag,
                "source": self.source(name),
            }
            for name, spec in self.specs.items()
        }}, version=False)


def parameters() -> ParameterListing:
    scenario, provenance = resolve_scenario({})
    return ParameterListing(PARAMETERS, scenario, provenance)


@attrs.frozen
class SourceListing(Result):
    """Every publication the catalog cites."""

    _RENDERER = ("catalog", "sources_table")

    sources: tuple[catalog.Source, ...]

    def to_dict(self) -> dict[str, Any]:
        return envelope({"sources": [attrs.asdict(s) for s in self.sources]}, version=False)


def sources() -> SourceListing:
    return SourceListing(tuple(catalog.sources().values()))


@attrs.frozen
class ModelListing(Result):
    """The LLM catalog."""

    _RENDERER = ("catalog", "models_table")

    models: tuple[catalog.LLM, ...]

    def to_dict(self) -> dict[str, Any]:
        return envelope({"models": [attrs.asdict(m) for m in self.models]}, version=False)


def models() -> ModelListing:
    return ModelListing(tuple(catalog.models().values()))


@attrs.frozen
class PresetListing(Result):
    """The named scenario presets."""

    _RENDERER = ("catalog", "presets_table")

    presets: Mapping[str, ScenarioFile]

    def to_dict(self) -> dict[str, Any]:
        return envelope({"presets": {k: {"description": v.description, "parameters": dict(v.parameters)}
                                     for k, v in self.presets.items()}}, version=False)


def scenario_presets() -> PresetListing:
    return PresetListing(dict(presets()))


@attrs.frozen
class ScenarioShow(Result):
    """A preset or scenario file, and the factory's answer under it."""

    _RENDERER = ("factory", "scenario_renderable")

    name: str
    loaded: ScenarioFile
    factory: FactoryResult

    def to_dict(self) -> dict[str, Any]:
        return envelope({"name": self.name, "description": self.loaded.description,
                         "parameters": dict(self.loaded.parameters), "sources": self.sources(),
                         "factory": self.factory.to_dict()}, version=False)

    def sources(self) -> dict[str, str]:
        """Where each value the preset or file sets comes from: its cited source, or the file."""
        return {k: self.loaded.sources.get(k, f"file {self.loaded.origin}") for k in self.loaded.parameters}


def scenario_show(name: str) -> ScenarioShow:
    loaded = load(name)
    return ScenarioShow(name, loaded, factory(**{k: FileText.of(v, loaded.origin) for k, v in
                                                 loaded.parameters.items()}))
