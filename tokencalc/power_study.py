"""What `tokencalc power` and `tokencalc energy` compute: power options side by side, and
energy budgets (tokens from an amount of energy, or power for a number of tokens)."""

from __future__ import annotations

from typing import Any, Mapping

import attrs

from .errors import ParameterError

__all__ = ["PowerStudy", "power_study", "EnergyStudy", "energy_study"]


@attrs.frozen
class PowerRow:
    option: Any  # PowerOption
    lcoe: Any  # Quantity USD/MWh
    check: Mapping[str, Any] | None  # published range


@attrs.frozen
class PowerStudy:
    wacc: Any
    rows: tuple[PowerRow, ...]


def power_study(overrides: Mapping[str, Any] | None = None) -> PowerStudy:
    """LCOE of every power option at the scenario's cost of capital (``wacc`` may be overridden)."""
    from .catalog import defaults
    from .power import lcoe_checks, option_lcoe, power_options
    from .scenario import Scenario, check_names

    overrides = dict(overrides or {})
    check_names(overrides)
    other = set(overrides) - {"wacc"}
    if other:
        raise ParameterError(sorted(other)[0], "tokencalc power takes only wacc; plant parameters are per option")
    wacc = attrs.fields_dict(Scenario)["wacc"].converter(overrides.get("wacc", defaults()["wacc"].value))
    checks = lcoe_checks()
    rows = tuple(PowerRow(o, option_lcoe(o, wacc), checks.get(o.id)) for o in power_options().values())
    return PowerStudy(wacc, rows)


@attrs.frozen
class EnergyStudy:
    """An energy budget: the site model's tokens per kWh applied to an amount of energy, or the reverse."""

    result: Any  # FactoryResult of the site model
    energy: Any  # Quantity (Wh) or None
    energy_name: str
    tokens: Any  # Quantity token, or None
    tokens_per_day: Any  # Quantity token/day, or None
    facility_power_needed: Any  # Quantity W, or None
    energy_per_year_needed: Any  # Quantity Wh/year, or None
    source: str


def _parse_energy(text: str):
    from .power import energy_preset
    from .units import parse_quantity

    stripped = str(text).strip()
    if stripped and (stripped[0].isalpha()):
        preset = energy_preset(stripped)
        return preset.value.to("TWh"), f"{preset.note} ({preset.name}; {preset.source}, {preset.date})", preset.source
    quantity = parse_quantity(stripped, "TWh", "energy")
    if quantity.magnitude <= 0:
        raise ParameterError("energy", f"{stripped!r} is not allowed; allowed: > 0 TWh")
    return quantity, f"{quantity:~P} (given)", "user"


def energy_study(energy: str | None = None, tokens_per_day: str | None = None, **overrides: Any) -> EnergyStudy:
    """Tokens from ``energy`` (a quantity or a preset), or the power ``tokens_per_day`` needs."""
    from .factory_model import factory
    from .units import parse_quantity

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


