"""Power sources side by side (``tokencalc power``) and energy budgets (``tokencalc energy``):
tokens from an amount of energy, or the power a number of tokens per day needs."""

from __future__ import annotations

from typing import Any, Mapping

import attrs

from .. import catalog
from ..errors import ParameterError
from ..model.energy import lcoe
from ..parameters import PARAMETERS
from ..scenario import check_names
from ..units import jsonable, parse_quantity
from .factory import FactoryResult, factory
from .record import Result, envelope

__all__ = ["PowerStudy", "power_study", "option_lcoe", "EnergyStudy", "energy_study", "EnergyPresets",
           "energy_presets"]


def option_lcoe(option: catalog.PowerOption, wacc):
    """The option's cost of energy [USD/MWh]: the grid price, or the plant's LCOE at its availability."""
    if option.kind == "grid":
        return option.value("price", "USD/MWh")
    return lcoe(
        option.value("capex", "USD/kW"),
        option.value("fixed_om", "USD/kW/year"),
        option.value("variable_om", "USD/MWh"),
        option.value("heat_rate", "Btu/kWh"),
        option.value("fuel_price", "USD/MMBtu"),
        option.value("availability", ""),
        option.value("life", "year"),
        wacc,
        option.value("fuel_per_energy", "USD/MWh"),
    )


def _figure_dict(f) -> dict[str, Any]:
    return {"value": jsonable(f.value), "source": f.source, "date": f.date, "estimate": f.estimate, "note": f.note}


@attrs.frozen
class PowerRow(Result):
    option: Any  # PowerOption
    lcoe: Any  # Quantity USD/MWh
    check: Mapping[str, Any] | None  # published range

    def to_dict(self) -> dict[str, Any]:
        o = self.option
        entry = {"id": o.id, "name": o.name, "kind": o.kind, "lcoe": jsonable(self.lcoe, "USD/MWh"),
                 "figures": {n: _figure_dict(f) for n, f in o.figures.items()}}
        if self.check is not None:
            entry["published_range"] = {"low": {"value": self.check["low"], "unit": "USD/MWh"},
                                        "high": {"value": self.check["high"], "unit": "USD/MWh"},
                                        "source": self.check["source"]}
        return entry


@attrs.frozen
class PowerStudy(Result):
    _RENDERER = ("energy", "power_renderable")
    wacc: Any
    rows: tuple[PowerRow, ...]

    def to_dict(self) -> dict[str, Any]:
        return envelope({"wacc": jsonable(self.wacc, "1"), "options": [r.to_dict() for r in self.rows]})


def power_study(overrides: Mapping[str, Any] | None = None) -> PowerStudy:
    """LCOE of every power option at the scenario's cost of capital (``wacc`` may be overridden)."""
    overrides = dict(overrides or {})
    check_names(overrides)
    other = set(overrides) - {"wacc"}
    if other:
        raise ParameterError(sorted(other)[0], "tokencalc power takes only wacc; plant parameters are per option")
    wacc = PARAMETERS["wacc"].convert(overrides.get("wacc", catalog.defaults()["wacc"].value))
    checks = catalog.lcoe_checks()
    return PowerStudy(wacc, tuple(PowerRow(o, option_lcoe(o, wacc), checks.get(o.id))
                                  for o in catalog.power_options().values()))


@attrs.frozen
class EnergyStudy(Result):
    """An energy budget: the site model's tokens per kWh applied to an amount of energy, or the reverse."""

    _RENDERER = ("energy", "energy_renderable")

    result: FactoryResult
    energy: Any  # Quantity (Wh) or None
    energy_name: str
    tokens: Any  # Quantity token, or None
    tokens_per_day: Any  # Quantity token/day, or None
    facility_power_needed: Any  # Quantity W, or None
    energy_per_year_needed: Any  # Quantity Wh/year, or None
    source: str

    def to_dict(self) -> dict[str, Any]:
        r = self.result
        out = envelope({
            "accelerator": r.scenario.accelerator,
            "model": r.scenario.model,
            "tokens_per_energy": jsonable(r.tokens_per_energy, "token/kWh"),
            "throughput_source": r.throughput_source,
        })
        if self.energy is not None:
            out.update({"energy": jsonable(self.energy, "TWh"), "energy_name": self.energy_name,
                        "energy_source": self.source, "tokens": jsonable(self.tokens, "token")})
        else:
            out.update({"tokens_per_day": jsonable(self.tokens_per_day, "token/day"),
                        "facility_power_needed": jsonable(self.facility_power_needed, "GW"),
                        "energy_per_year_needed": jsonable(self.energy_per_year_needed, "TWh/year")})
        return out


def _parse_energy(text: str):
    stripped = str(text).strip()
    if stripped and stripped[0].isalpha():
        preset = catalog.energy_preset(stripped)
        return preset.value.to("TWh"), f"{preset.note} ({preset.name}; {preset.source}, {preset.date})", preset.source
    quantity = parse_quantity(stripped, "TWh", "energy")
    if quantity.magnitude <= 0:
        raise ParameterError("energy", f"{stripped!r} is not allowed; allowed: > 0 TWh")
    return quantity, f"{quantity:~P} (given)", "user"


def energy_study(energy: str | None = None, tokens_per_day: str | None = None, **overrides: Any) -> EnergyStudy:
    """Tokens from ``energy`` (a quantity or a preset), or the power ``tokens_per_day`` needs."""
    if (energy is None) == (tokens_per_day is None):
        raise ParameterError("energy", "give one of --energy (e.g. '10000 TWh' or china-2024) or --tokens-per-day")
    result = factory(**overrides)
    per_kwh = result.tokens_per_energy  # tokens per kWh of facility energy
    if energy is not None:
        amount, name, source = _parse_energy(energy)
        tokens = (amount * per_kwh).to("token")
        return EnergyStudy(result, amount.to("TWh"), name, tokens, None, None, None, source)
    rate = parse_quantity(str(tokens_per_day), "token/day", "tokens_per_day")
    if rate.magnitude <= 0:
        raise ParameterError("tokens_per_day", f"{tokens_per_day!r} is not allowed; allowed: > 0 token/day")
    tokens_per_watt = (result.tokens_per_year / result.facility_power).to("token/day/W")
    power_needed = (rate / tokens_per_watt).to("GW")
    energy_needed = (rate / per_kwh).to("TWh/year")
    return EnergyStudy(result, None, "", None, rate.to("token/day"), power_needed, energy_needed, "user")


@attrs.frozen
class EnergyPresets(Result):
    """The named amounts of energy of the catalog."""

    _RENDERER = ("energy", "presets_renderable")

    presets: Mapping[str, Any]  # id -> Figure

    def to_dict(self) -> dict[str, Any]:
        return envelope({"presets": {
            k: {"name": f.note, "energy": jsonable(f.value, "TWh"), "source": f.source, "date": f.date}
            for k, f in self.presets.items()}}, version=False)


def energy_presets() -> EnergyPresets:
    return EnergyPresets(dict(catalog.energy_presets()))
