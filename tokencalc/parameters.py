"""Every parameter of tokencalc, declared once, and the frozen Scenario that holds one set of them.

Each parameter is a field of :class:`Scenario` with its :class:`ParameterSpec`: working unit
(every quantity is converted to it once, here, at the boundary), display unit, allowed range,
group, allowed choices (ids), command-line flag and meaning. ``PARAMETERS`` is derived from
those fields. A Scenario is validated at construction: an impossible PUE never exists as an
object.

Groups: ``system`` (the accelerator and what it costs and draws), ``site``, ``energy``,
``plant`` (an on-site power plant), ``workload`` (what is served and how fast),
``throughput``, ``finance`` (capital charge and operations), ``cashflow`` (only the yearly cash
flows use them).
"""

from __future__ import annotations

import warnings
from typing import Any, Mapping

import attrs
import numpy as np

from .errors import ParameterError, TokencalcWarning
from .units import as_quantity, is_bare, jsonable, ureg

__all__ = ["ParameterSpec", "Scenario", "PARAMETERS", "WORKLOAD", "GROUPS", "names_in"]

GROUPS = ("system", "site", "energy", "plant", "workload", "throughput", "finance", "cashflow")


@attrs.frozen
class ParameterSpec:
    """What a parameter means, its units, and the values it may take."""

    name: str
    unit: str  # working unit; "" for an id
    description: str
    group: str = attrs.field(validator=attrs.validators.in_(GROUPS))
    display_unit: str = ""  # how tables show it ("" = the working unit)
    choices: tuple[str, ...] = ()  # allowed ids (empty: any catalog id)
    flag: str | None = None  # the command-line option that sets it, besides --set
    ranged: bool = True  # moves in sensitivity and Monte Carlo when the catalog gives it a range
    integer: bool = False  # whole numbers only
    lower: float | None = None
    upper: float | None = None
    lower_open: bool = False  # True: the lower bound itself is not allowed
    upper_open: bool = False
    warn_above: float | None = None
    warn_below: float | None = None

    @property
    def display(self) -> str:
        """The unit tables show the parameter in."""
        return self.display_unit or self.unit

    @property
    def display_factor(self) -> float:
        """A working-unit value x this = the value in the display unit (a fraction x 100 = %)."""
        return 1.0 if self.display == self.unit else float(ureg.Quantity(1.0, self.unit).m_as(self.display))

    @property
    def allowed_text(self) -> str:
        """What the parameter allows, for people: its range, its choices, or a catalog id."""
        if self.unit:
            return self.allowed
        return ", ".join(self.choices) if self.choices else "a catalog id"

    @property
    def allowed(self) -> str:
        """The allowed range in words, e.g. '> 0 and <= 1'."""
        def number(x: float) -> str:
            return f"{int(x):,}" if float(x).is_integer() and abs(x) < 1e15 else f"{x:g}"

        def shown(x: float) -> float:  # a bound in the unit a person types (bare_unit)
            return float(ureg.Quantity(x, self.unit).m_as(self.bare_unit)) if self.bare_unit != self.unit else x

        parts = []
        if self.lower is not None:
            parts.append(f"{'>' if self.lower_open else '>='} {number(shown(self.lower))}")
        if self.upper is not None:
            parts.append(f"{'<' if self.upper_open else '<='} {number(shown(self.upper))}")
        unit = "" if self.bare_unit in ("", "1") else f" {self.bare_unit}"
        whole = "a whole number " if self.integer else ""
        return (whole + " and ".join(parts) + unit) if parts else "any finite value"

    def check(self, magnitude, typed: str | None = None) -> None:
        """Raise ParameterError if any element of ``magnitude`` (in ``unit``) is out of range; the message
        shows ``typed`` (the value as the user wrote it), if given, for a single value."""
        values = np.asarray(magnitude, dtype=float)
        bad = np.zeros(values.shape, dtype=bool)
        if self.lower is not None:
            bad |= values <= self.lower if self.lower_open else values < self.lower
        if self.upper is not None:
            bad |= values >= self.upper if self.upper_open else values > self.upper
        unit = "" if self.unit in ("", "1") else f" {self.unit}"
        if self.integer:
            bad |= values != np.round(values)
        if bad.any():
            first = values[bad].flat[0]
            where = "" if values.ndim == 0 else f" (and {int(bad.sum()) - 1} more)" if bad.sum() > 1 else ""
            shown = typed if typed is not None and values.ndim == 0 else f"{first:g}{unit}"
            raise ParameterError(self.name, f"{shown}{where} is not allowed; allowed: {self.allowed}")
        for limit, test, word, extreme in ((self.warn_above, np.greater, "high (above", np.max),
                                           (self.warn_below, np.less, "low (below", np.min)):
            if limit is not None and (test(values, limit) & (values != 0)).any():  # 0 switches a line off
                scale, shown_unit = self._display_scale()
                warnings.warn(f"{self.name}: {extreme(values) * scale:,.6g}{shown_unit} is unusually {word} "
                              f"{limit * scale:,.6g}{shown_unit}); check the value and its unit", TokencalcWarning,
                              stacklevel=4)

    def _display_scale(self) -> tuple[float, str]:
        """(factor, " unit") to show a working-unit value in the unit tables show it in (fractions stay as typed)."""
        if self.display in ("", "1") or "%" in self.display:
            return 1.0, "" if self.unit in ("", "1") else f" {self.unit}"
        return self.display_factor, f" {self.display}"

    @property
    def bare_unit(self) -> str:
        """The unit a bare number is read in: the unit tables show it in (kW, USD/MWh, MW), but fractions
        shown as % stay fractions (0.1 = 10 %; "10%" reads too)."""
        return self.unit if "%" in self.display else self.display

    def _check_bare(self, quantity, typed) -> None:
        """A bare number read in ``bare_unit`` that is implausible there is refused, naming the unit assumed."""
        if self.bare_unit == self.unit:
            return
        values = np.asarray(quantity.m_as(self.unit), dtype=float)
        shown = np.asarray(quantity.m_as(self.bare_unit), dtype=float)
        for limit, test, word in ((self.warn_above, np.greater, "above"), (self.warn_below, np.less, "below")):
            bad = (test(values, limit) & (values > 0)) if limit is not None else None  # 0 is 0 in any unit
            if bad is not None and bad.any():
                plausible = f"{ureg.Quantity(limit, self.unit).m_as(self.bare_unit):g} {self.bare_unit}"
                number = (typed or "").split(" ")[0] or f"{float(shown[bad].flat[0]):g}"
                raise ParameterError(self.name, f"{number} is read as {self.bare_unit}, "
                                     f"{word} the plausible {plausible}; write the unit you mean, "
                                     f"e.g. '{number} {self.unit.replace('(kW*h)', 'kWh')}'")

    def convert(self, value):
        """The value as this parameter holds it: a Quantity in ``unit`` (range-checked), or an id.
        A bare number is read in ``bare_unit``."""
        if self.unit:
            typed, bare = _typed(value), is_bare(value)
            if typed is None and self.bare_unit != self.unit and np.ndim(value) == 0 and bare:
                typed = f"{float(value):g} {self.bare_unit}"  # a bare number, said in the unit it was read in
            try:
                quantity = (as_quantity(value, self.bare_unit, self.name).to(self.unit) if bare
                            else as_quantity(value, self.unit, self.name))
                if bare:
                    self._check_bare(quantity, typed)
            except ParameterError as exc:
                detail = str(exc).split(": ", 1)[-1]
                # overflows in the working unit, or text that is no number: say what is allowed
                if ("too large" in detail or detail.startswith("cannot read '")) and "allowed:" not in detail \
                        and self.allowed:
                    raise ParameterError(self.name, f"{detail}; allowed: {self.allowed}") from None
                raise
            self.check(quantity.magnitude, typed)
            return quantity
        if not isinstance(value, str) or not value.strip():
            raise ParameterError(self.name, f"expected a catalog id (text), got {value!r}")
        text = value.strip()
        if self.name == "model" and text.endswith(".toml"):
            return text  # a user's model file: keep the path as given
        text = text.lower()
        if self.choices and text not in self.choices:
            raise ParameterError(self.name, f"{value!r} is not allowed; allowed: {', '.join(self.choices)}")
        return text


def _typed(value) -> str | None:
    """A value as the user typed it, short enough for one line; None when it was not text."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    return text if len(text) <= 40 else f"{text[:20]}... ({len(text)} characters)"


def _broadcast(a: tuple, b: tuple) -> bool:
    try:
        np.broadcast_shapes(a, b)
        return True
    except ValueError:
        return False


def _param(unit: str, description: str, group: str, **spec) -> Any:
    return attrs.field(metadata={"spec": (unit, description, group, spec)})


def _convert_fields(cls, fields):
    """attrs field transformer: give each parameter field its spec and converter."""
    out = []
    for field in fields:
        unit, description, group, options = field.metadata["spec"]
        spec = ParameterSpec(name=field.name, unit=unit, description=description, group=group, **options)
        out.append(field.evolve(converter=spec.convert, metadata={"spec": spec}))
    return out


_NOT_RANGED = {"ranged": False}


@attrs.frozen(field_transformer=_convert_fields)
class Scenario:
    """One complete, validated set of factory parameters (pint Quantities in their working units)."""

    accelerator: str = _param("", "catalog id of the accelerator system (--gpu)", "system", flag="--gpu")
    facility_power: Any = _param(
        "W", "power the site draws from the grid (or its own plant) at full load; --gw sets it", "site",
        display_unit="MW", lower=0, lower_open=True, warn_above=2e10, **_NOT_RANGED,
    )
    it_power: Any = _param(
        "W", "IT power of the site, when the site is sized by it (--it-power): facility power = IT power x pue; "
        "0 (default): sized by facility_power", "site", display_unit="MW", lower=0, warn_above=2e10, **_NOT_RANGED,
    )
    pue: Any = _param("1", "power usage effectiveness: facility power / IT power", "site", lower=1, upper=10,
                      warn_above=2.5)
    it_power_per_accelerator: Any = _param(
        "W", "all-in IT power per accelerator: its share of host CPUs, NICs, switches, fans", "system",
        display_unit="kW", lower=0, lower_open=True, warn_above=20_000, warn_below=50,
    )
    accelerator_capex: Any = _param(
        "USD", "all-in system price per accelerator (its share of the server or rack)", "system", lower=0,
        warn_above=1e6,
    )
    network_capex_per_accelerator: Any = _param(
        "USD", "scale-out network, optics and storage per accelerator", "system", lower=0, warn_above=1e6
    )
    facility_capex_per_it_power: Any = _param(
        "USD/W", "building, electrical and cooling plant per watt of IT capacity", "site", lower=0, warn_above=50
    )
    electricity_price: Any = _param(
        "USD/(kW*h)", "price of energy delivered to the site", "energy", display_unit="USD/MWh", lower=0,
        warn_above=0.5, warn_below=0.005,
    )
    load_factor: Any = _param(
        "1", "average IT draw / nameplate IT power of the deployed accelerators", "site", display_unit="%", lower=0,
        upper=1, lower_open=True,
    )
    utilization: Any = _param(
        "1", "share of the year spent producing tokens at the stated throughput", "site", display_unit="%", lower=0,
        upper=1, lower_open=True,
    )
    tokens_per_second_per_accelerator: Any = _param(
        "token/s", "throughput per accelerator (input + output tokens); by default from the throughput model "
        "for the workload below", "throughput", lower=0, lower_open=True, warn_above=1e6
    )
    model: str = _param("", "LLM served: a catalog id (tokencalc models) or a TOML file describing one", "workload",
                        flag="--model")
    precision: str = _param(
        "", "fp16, fp8, fp4; auto: the model's usual serving precision; best: fp4 where the system has FP4 "
        "tensor cores, else fp8", "workload", choices=("auto", "best", "fp16", "fp8", "fp4"), flag="--precision",
    )
    isl: Any = _param("token", "input tokens per request", "workload", flag="--isl", lower=1, upper=1e8, warn_above=1e6,
                      integer=True, **_NOT_RANGED)
    osl: Any = _param("token", "output tokens per request", "workload", flag="--osl", lower=1, upper=1e8, warn_above=1e6,
                      integer=True, **_NOT_RANGED)
    interactivity: Any = _param(
        "token/s", "output tokens per second each user sees (the serving target)", "workload",
        flag="--interactivity", lower=0, lower_open=True, warn_above=5000,
    )
    batch: Any = _param(
        "1", "requests in flight per accelerator; 0 (default): serve at the interactivity target instead",
        "workload", flag="--batch", lower=0, upper=1e7, warn_above=10_000,
    )
    serving: str = _param("", "aggregated, disaggregated (prefill and decode on separate accelerators), or best",
                          "workload", choices=("best", "aggregated", "disaggregated"), flag="--serving")
    spec_decode: str = _param("", "speculative decoding: none, mtp (multi-token prediction), or best", "workload",
                              choices=("best", "none", "mtp"), flag="--spec-decode")
    mtp_draft_tokens: Any = _param("1", "tokens drafted per decode step by multi-token prediction", "workload",
                                   lower=1, upper=8, integer=True, **_NOT_RANGED)
    mtp_acceptance: Any = _param("1", "probability that a drafted token is accepted", "workload", display_unit="%",
                                 lower=0, upper=1, upper_open=True)
    kv_cache_precision: str = _param("", "KV-cache precision: auto (fp8 for fp8 and fp4 serving, else fp16), fp8, "
                                     "fp16", "workload", choices=("auto", "fp8", "fp16"))
    cache_hit_rate: Any = _param(
        "1", "share of input tokens served from the prompt cache (0 to below 1: a request brings new tokens): they "
        "skip prefill compute and are priced as cached input", "workload", display_unit="%", flag="--cache-hit-rate",
        lower=0, upper=1, upper_open=True, **_NOT_RANGED,
    )
    max_concurrency: Any = _param(
        "1", "most requests in flight per engine (a replica, or each attention rank with data-parallel "
        "attention), as vLLM's max_num_seqs", "workload", flag="--max-concurrency", lower=1, integer=True,
        upper=1e7, warn_above=10_000
    )
    throughput_source: str = _param("", "where throughput comes from: auto, model or measured", "workload",
                                    choices=("auto", "model", "measured"), flag="--source")
    cooling: str = _param("", "cooling type: air, rear-door, liquid, immersion (sets pue and cooling capex defaults)",
                          "site", choices=("air", "rear-door", "liquid", "immersion"), flag="--cooling")
    servers_per_rack: Any = _param("1", "servers per rack, for the rack-power check of server systems", "site",
                                   lower=1, warn_above=16, **_NOT_RANGED)
    water_per_energy: Any = _param("L/kWh", "on-site water per kWh of IT energy (WUE)", "site", lower=0,
                                   warn_above=10, **_NOT_RANGED)
    power_source: str = _param("", "grid, a grid price scenario, or an on-site plant (tokencalc power)", "energy",
                               flag="--power-source")
    plant_capex_per_power: Any = _param("USD/kW", "on-site plant capital cost per kW of plant capacity", "plant",
                                        lower=0, warn_above=20_000)
    plant_capacity_margin: Any = _param("1", "plant capacity above facility power (redundancy)", "plant",
                                        display_unit="%", lower=0, warn_above=1, **_NOT_RANGED)
    plant_fixed_om: Any = _param("USD/kW/year", "plant fixed operations and maintenance", "plant", lower=0,
                                 warn_above=500)
    plant_variable_om: Any = _param("USD/MWh", "plant variable operations and maintenance", "plant", lower=0,
                                    warn_above=100)
    heat_rate: Any = _param("Btu/kWh", "plant fuel energy per kWh of electricity", "plant", lower=0,
                            warn_above=20_000)
    fuel_price: Any = _param("USD/MMBtu", "fuel price (gas)", "plant", lower=0, warn_above=50)
    fuel_per_energy: Any = _param("USD/MWh", "fuel cost per MWh where priced that way (nuclear)", "plant", lower=0,
                                  warn_above=200)
    plant_energy_share: Any = _param("1", "share of the site's energy the plant supplies; the rest from the grid",
                                     "plant", display_unit="%", lower=0, upper=1)
    plant_life: Any = _param("year", "economic life of the plant for its capital charge", "plant", lower=0,
                             lower_open=True, warn_above=80)
    horizon: Any = _param("year", "years of operation the cash flows cover (default: the facility life)",
                          "cashflow", flag="--horizon", lower=1, upper=1000, warn_above=60, **_NOT_RANGED)
    build_period: Any = _param("year", "years of construction before operation starts (capex spread over them)",
                               "cashflow", flag="--build-period", lower=0, upper=100, warn_above=10, **_NOT_RANGED)
    token_price_decline: Any = _param("1/year", "yearly fall of the token price (0.3 = 30 % a year)", "cashflow",
                                      display_unit="%/year", flag="--price-decline", lower=0, upper=1,
                                      upper_open=True, **_NOT_RANGED)
    tax_rate: Any = _param("1", "income tax rate", "cashflow", display_unit="%", flag="--tax-rate", lower=0, upper=1,
                           upper_open=True, **_NOT_RANGED)
    depreciation_method: str = _param(
        "", "book depreciation: straight-line, declining-balance, sum-of-years, custom", "cashflow",
        choices=("straight-line", "declining-balance", "sum-of-years", "custom"), flag="--depreciation",
    )
    accelerator_book_life: Any = _param("year", "book (tax) life of the accelerators; other assets use their "
                                        "economic lives", "cashflow", flag="--book-life", lower=0, lower_open=True,
                                        warn_above=15, **_NOT_RANGED)
    debt_share: Any = _param("1", "share of the initial capex financed by debt", "cashflow", display_unit="%",
                             flag="--debt-share", lower=0, upper=1, **_NOT_RANGED)
    cost_of_debt: Any = _param("1", "interest rate of the debt per year", "cashflow", display_unit="%",
                               flag="--cost-of-debt", lower=0, upper=1, **_NOT_RANGED)
    debt_term: Any = _param("year", "years to repay the debt (level payments)", "cashflow", lower=0, lower_open=True,
                            warn_above=40, **_NOT_RANGED)
    input_output_price_ratio: Any = _param(
        "1", "output token price / input token price, for break-even prices per input and output token", "finance",
        lower=1e-6, upper=1e6, warn_above=100, **_NOT_RANGED,
    )
    cached_input_price_ratio: Any = _param(
        "1", "cached input token price / input token price, for break-even prices per token kind", "finance",
        lower=0, upper=1, **_NOT_RANGED,
    )
    accelerator_life: Any = _param(
        "year", "economic life of the accelerator systems for the capital charge", "finance", lower=0,
        lower_open=True, warn_above=15,
    )
    network_life: Any = _param(
        "year", "economic life of the network for the capital charge", "finance", lower=0, lower_open=True,
        warn_above=20
    )
    facility_life: Any = _param(
        "year", "economic life of the facility for the capital charge", "finance", lower=0, lower_open=True,
        warn_above=60
    )
    wacc: Any = _param("1", "cost of capital per year (a fraction: 0.1 = 10 %)", "finance", display_unit="%",
                       lower=0, upper=1, warn_above=0.4)
    cost_basis: str = _param(
        "", "build-up (capex, energy, operations), or a SemiAnalysis price per accelerator-hour of the system: "
        "tco-hyperscaler, tco-neocloud (owning, 4-year life), rental-3yr", "finance",
        choices=("build-up", "tco-hyperscaler", "tco-neocloud", "rental-3yr"), flag="--cost-basis",
    )
    cost_per_accelerator_hour: Any = _param(
        "USD/hour", "all-in price of an accelerator-hour (rented, or a TCO figure); 0 (default): build the cost "
        "up from capex, energy and operations", "finance", lower=0, warn_above=100, **_NOT_RANGED,
    )
    site_operations_per_it_power: Any = _param(
        "USD/kW/year", "site operations per kW of IT per year: staff, security, insurance, property tax",
        "finance", lower=0, warn_above=5000,
    )
    facility_maintenance_rate: Any = _param(
        "1/year", "maintenance of the building, electrical and cooling plant per year, as a share of facility capex",
        "finance", display_unit="%/year", lower=0, upper=0.5, warn_above=0.2,
    )
    hardware_maintenance_rate: Any = _param(
        "1/year", "maintenance of the accelerators and network per year (repairs, spares, support), as a share of "
        "their capex", "finance", display_unit="%/year", lower=0, upper=0.5, warn_above=0.2,
    )

    def __attrs_post_init__(self):
        shapes = {}
        for field in attrs.fields(type(self)):
            shape = np.shape(getattr(getattr(self, field.name), "magnitude", 0.0))
            if shape:
                try:
                    np.broadcast_shapes(*shapes.values(), shape)
                except ValueError:
                    other = next(n for n, s in shapes.items() if not _broadcast(s, shape))
                    raise ParameterError(field.name, f"an array of shape {shape} does not match {other}'s {shapes[other]}"
                                         "; allowed: arrays that broadcast together (the same shape, or one value)"
                                         ) from None
                shapes[field.name] = shape

    def to_dict(self) -> dict[str, Any]:
        """Every parameter: ids as text, quantities as {"value", "unit"} (the JSON contract)."""
        return {name: jsonable(getattr(self, name)) for name in PARAMETERS}


PARAMETERS: Mapping[str, ParameterSpec] = {f.name: f.metadata["spec"] for f in attrs.fields(Scenario)}


def names_in(*groups: str) -> tuple[str, ...]:
    """The parameters of the given groups, in declaration order."""
    return tuple(name for name, spec in PARAMETERS.items() if spec.group in groups)


# The workload: what throughput depends on (the system and what it serves).
WORKLOAD = ("accelerator",) + names_in("workload")
