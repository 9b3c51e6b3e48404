"""Accelerator systems (``accelerators.toml``): HGX-style servers and rack-scale systems, each
figure with its source and date. Announced systems are marked; a figure the catalog does not
have is None, never zero.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Mapping

import attrs

from ..errors import CatalogError
from .defaults import defaults
from .reader import Figure, extra_catalog, extra_catalog_path, figure, lookup, read_toml
from .once import once

__all__ = ["Accelerator", "accelerators", "accelerator", "SPEC_FIGURES"]

SPEC_FIGURES = ("scale_up_bandwidth", "scale_out_bandwidth", "hbm_capacity", "hbm_bandwidth", "dense_bf16", "dense_fp8", "dense_fp4", "chip_power")
_ECONOMIC_FIGURES = ("system_power", "power_all_in", "system_price", "tco_hyperscaler", "tco_neocloud", "rental_3yr")


@attrs.frozen
class Accelerator:
    """An accelerator system of the catalog: an HGX-style server or a rack-scale system.

    Per-accelerator parameters of the factory model are derived from the system figures:
    ``it_power_per_accelerator = power_all_in / all_in_power_ratio`` where SemiAnalysis publishes the
    system's all-in provisioned kW per GPU (the basis InferenceX's tokens per MW use), else
    ``system_power / accelerators_per_system * (1 + it_overhead_share)``,
    ``accelerator_capex = system_price / accelerators_per_system``,
    ``network_capex_per_accelerator = network_capex_share * accelerator_capex``.
    A figure the catalog does not have (announced systems) is None, never zero.
    """

    id: str
    name: str
    vendor: str
    generation: str
    generation_index: float
    status: str
    form_factor: str
    accelerators_per_system: int
    rack_scale: bool
    scale_up_domain: int
    figures: Mapping[str, Figure]
    origin: str = ""  # the TOKENCALC_EXTRA_CATALOG file a system of your own comes from; "" for the catalog's
    replaces_builtin: bool = False  # True: it replaces the catalog's system of the same id

    @property
    def origin_note(self) -> str:
        """'' for a catalog system; else where it comes from, for warnings and provenance."""
        if not self.origin:
            return ""
        replaced = ", replacing the built-in system" if self.replaces_builtin else ""
        return f"from TOKENCALC_EXTRA_CATALOG {self.origin}{replaced}"

    @property
    def announced(self) -> bool:
        return self.status == "announced"

    @property
    def serving_family(self) -> str:
        """The family of serving stacks whose fitted efficiencies the system shares (efficiency.toml), by
        architecture, whose kernels differ: AMD CDNA 3 (MI300X, MI325X: gfx942) or
        CDNA 4 (MI355X: gfx950, which announced CDNA 5 parts inherit); NVIDIA Hopper or Blackwell (which
        announced Rubin parts inherit)."""
        if self.vendor.upper() == "AMD":
            return "amd-cdna3" if self.generation.upper().startswith("CDNA 3") else "amd-cdna4"
        return "nvidia-hopper" if self.generation.lower().startswith("hopper") else "nvidia-blackwell"

    def figure(self, name: str) -> Figure | None:
        return self.figures.get(name)

    def _per_accelerator(self, name: str, unit: str):
        fig = self.figures.get(name)
        return None if fig is None else (fig.value / self.accelerators_per_system).to(unit)

    @property
    def it_power_per_accelerator(self):
        all_in = self.figures.get("power_all_in")
        if all_in is not None:
            return (all_in.value / defaults()["all_in_power_ratio"].value.m_as("")).to("kW")
        per_system = self._per_accelerator("system_power", "kW")
        if per_system is None:
            return None
        return per_system * (1 + defaults()["it_overhead_share"].value.m_as(""))

    @property
    def accelerator_capex(self):
        return self._per_accelerator("system_price", "USD")

    @property
    def network_capex_per_accelerator(self):
        capex = self.accelerator_capex
        return None if capex is None else capex * defaults()["network_capex_share"].value.m_as("")

    def parameter_figures(self) -> dict[str, list[Figure]]:
        """The catalog figures (and derivation rules) behind each per-accelerator parameter."""
        rules = defaults()
        found = {
            "it_power_per_accelerator": ([self.figures["power_all_in"], rules["all_in_power_ratio"]]
                                         if "power_all_in" in self.figures
                                         else [self.figures.get("system_power"), rules["it_overhead_share"]]),
            "accelerator_capex": [self.figures.get("system_price")],
            "network_capex_per_accelerator": [self.figures.get("system_price"), rules["network_capex_share"]],
        }
        return {name: [f for f in figs if f is not None] for name, figs in found.items()}


def _accelerator(key: str, entry: Mapping[str, Any], origin: str = "", replaces: bool = False) -> Accelerator:
    where = f"{origin or 'accelerators.toml'} [systems.{key}]"
    figures = {}
    for name in SPEC_FIGURES + _ECONOMIC_FIGURES:
        if name in entry:
            figures[name] = figure(where, name, entry[name])
    if "availability_year" in entry:
        figures["availability_year"] = figure(where, "availability_year", entry["availability_year"], quantity=False)
    unknown = set(entry) - set(figures) - ({f.name for f in attrs.fields(Accelerator)} - {"origin", "replaces_builtin"})
    if unknown:
        raise CatalogError(f"{where}: unknown fields {sorted(unknown)}")
    try:
        return Accelerator(
            id=key,
            name=entry["name"],
            vendor=entry["vendor"],
            generation=entry["generation"],
            generation_index=float(entry["generation_index"]),
            status=entry["status"],
            form_factor=entry["form_factor"],
            accelerators_per_system=int(entry["accelerators_per_system"]),
            rack_scale=bool(entry["rack_scale"]),
            scale_up_domain=int(entry["scale_up_domain"]),
            figures=MappingProxyType(figures),
            origin=origin,
            replaces_builtin=replaces,
        )
    except KeyError as exc:
        raise CatalogError(f"{where}: missing field {exc}") from None


@once
def accelerators() -> Mapping[str, Accelerator]:
    """Every accelerator system of the catalog, by id, in catalog order.

    Systems of your own: set ``TOKENCALC_EXTRA_CATALOG`` to a TOML file with ``[systems.ID]``
    tables in the format of ``accelerators.toml`` (and, optionally, ``[sources.ID]`` tables for
    the sources they cite); they join the catalog. One that replaces an entry of the same id says so: a warning
    on each use and its provenance name the file.
    """
    data = read_toml("accelerators.toml")
    systems = {key: _accelerator(key, entry) for key, entry in data.get("systems", {}).items()}
    extra = extra_catalog()
    for key, entry in extra.get("systems", {}).items():
        key = key.lower()
        systems[key] = _accelerator(key, entry, extra_catalog_path(), key in systems)
    return systems


def accelerator(system_id: str) -> Accelerator:
    """The catalog entry ``system_id``; an UnknownNameError lists the known ids."""
    return lookup(accelerators(), system_id, "accelerator")
