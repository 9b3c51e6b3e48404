"""Rendering of results: rich tables for people, JSON-ready dicts for programs.

The economics live in the models; this module only formats. Quantities are converted to
display units here, at the edge, and every table's lines add up to its total.
"""

from __future__ import annotations

import math
from typing import Any, Iterable

import attrs
import numpy as np
import pint

from .units import unit_string

__all__ = ["jsonable", "factory_to_dict", "factory_renderable", "human", "SCHEMA_VERSION"]

SCHEMA_VERSION = "1"

# Display units of the parameters (their stored units are the documented ones of DESIGN.md).
DISPLAY_UNITS = {
    "facility_power": "MW",
    "pue": "1",
    "it_power_per_accelerator": "kW",
    "accelerator_capex": "USD",
    "network_capex_per_accelerator": "USD",
    "facility_capex_per_it_power": "USD/W",
    "electricity_price": "USD/MWh",
    "load_factor": "%",
    "utilization": "%",
    "tokens_per_second_per_accelerator": "token/s",
    "accelerator_life": "year",
    "network_life": "year",
    "facility_life": "year",
    "wacc": "%",
    "operations_rate": "%/year",
}


# --- JSON ---------------------------------------------------------------------------------


def _number(value):
    if isinstance(value, np.ndarray):
        return [_number(v) for v in value.tolist()] if value.ndim else _number(value.item())
    if isinstance(value, (list, tuple)):
        return [_number(v) for v in value]
    if isinstance(value, (np.floating, float)):
        value = float(value)
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, np.integer):
        return int(value)
    return value


def jsonable(value: Any, unit: str | None = None) -> Any:
    """A Quantity as {"value": number or list, "unit": text ureg parses}; other values as JSON types."""
    if isinstance(value, pint.Quantity):
        if unit is not None:
            value = value.to(unit)
        magnitude = value.magnitude
        if isinstance(magnitude, np.ndarray):
            number = magnitude.tolist() if magnitude.ndim else float(magnitude)
        else:
            number = float(magnitude)
        return {"value": number, "unit": unit if unit is not None else unit_string(value)}
    return _number(value)


def _serialize(_inst, _field, value):
    return jsonable(value)


def factory_to_dict(result) -> dict[str, Any]:
    """The JSON contract of ``tokencalc factory --json`` (see DESIGN.md)."""
    from . import __version__
    from .scenario import PARAMETERS

    body = attrs.asdict(
        result,
        recurse=True,
        value_serializer=_serialize,
        filter=lambda f, _v: f.name not in ("scenario", "accelerator_name", "accelerator_status"),
    )
    scenario = {
        name: jsonable(getattr(result.scenario, name), spec.unit or None) for name, spec in PARAMETERS.items()
    }
    return {
        "schema_version": SCHEMA_VERSION,
        "tokencalc_version": __version__,
        "accelerator": {
            "id": result.scenario.accelerator,
            "name": result.accelerator_name,
            "status": result.accelerator_status,
        },
        "scenario": scenario,
        **body,
    }


# --- human formatting ------------------------------------------------------------------------

_SCALES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def human(value: float, unit: str = "", digits: int = 4, scale: bool = True) -> str:
    """'38.12 B USD', '0.1805 USD/Mtoken', '454,536': readable numbers with their unit."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    suffix = f" {unit}" if unit else ""
    if scale:
        if abs(value) >= 1e15:
            return f"{value:.{digits - 1}e}{suffix}"
        for factor, name in _SCALES:
            if abs(value) >= (factor * 10 if name == "k" else factor):
                return f"{value / factor:.{digits}g} {name}{suffix}"
    if abs(value) >= 1000:
        return f"{value:,.0f}{suffix}"
    return f"{value:.{digits}g}{suffix}"


def _q(quantity, unit: str, **kwargs) -> str:
    magnitude = quantity.m_as(unit)
    label = {"%": "%", "1": "", "%/year": "%/yr", "USD/year": "USD/yr"}.get(unit, unit)
    if unit in ("%", "%/year"):
        return f"{magnitude:.4g} {label}"
    return human(float(magnitude), label, **kwargs)


def _share(part, total) -> str:
    t = float(total.magnitude)
    return f"{100 * float(part.to(total.units).magnitude) / t:.1f} %" if t else "n/a"


def _scalar(result) -> None:
    if np.ndim(result.cost_per_million_tokens.magnitude):
        raise ValueError("tables render scalar results; use to_dict() for arrays")


def _origin(result, name: str) -> str:
    from . import catalog

    origin = result.provenance.get(name, "")
    if origin == "user":
        return "you"
    if origin.startswith("catalog:"):
        system = catalog.accelerator(origin.split(":", 1)[1])
        figs = system.parameter_figures().get(name, [])
        mark = " (estimate)" if any(f.estimate for f in figs) else ""
        return f"catalog {system.id}: {' + '.join(f.source for f in figs)}{mark}"
    fig = catalog.defaults().get(name)
    if fig is None:
        return origin
    return f"default: {fig.source}{' (estimate)' if fig.estimate else ''}"


def factory_renderable(result):
    """A rich renderable of a scalar factory result: assumptions, capex, annual cost, headline."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from .scenario import PARAMETERS

    _scalar(result)
    s = result.scenario
    title = Text.assemble(
        ("AI factory: ", "bold"),
        (f"{human(result.facility_power.m_as('MW'), 'MW')} facility power", "bold cyan"),
        (" with ", "bold"),
        (f"{result.accelerator_name} [{s.accelerator}]", "bold cyan"),
        (" (announced, vendor figures)" if result.accelerator_status == "announced" else "", "yellow"),
    )

    assumptions = Table(title="Assumptions", box=box.SIMPLE_HEAD, title_justify="left")
    assumptions.add_column("parameter", no_wrap=True)
    assumptions.add_column("value", justify="right")
    assumptions.add_column("from")
    for name in PARAMETERS:
        if name == "accelerator":
            continue
        value = getattr(s, name)
        assumptions.add_row(name, _q(value, DISPLAY_UNITS[name]), _origin(result, name))

    capex = Table(title="Capital expenditure", box=box.SIMPLE_HEAD, title_justify="left", show_footer=True)
    capex.add_column("line", footer="Total")
    capex.add_column("amount", justify="right", footer=_q(result.capex.total, "USD"))
    capex.add_column("per accelerator", justify="right",
                     footer=_q(result.capex.total / result.accelerators, "USD"))
    capex.add_column("share", justify="right", footer="100.0 %")
    for label, field in (("Compute (accelerator systems)", "compute"), ("Network and storage", "network"),
                         ("Facility (building, power, cooling)", "facility")):
        line = getattr(result.capex, field)
        capex.add_row(label, _q(line, "USD"), _q(line / result.accelerators, "USD"), _share(line, result.capex.total))

    annual = Table(title="Annual cost", box=box.SIMPLE_HEAD, title_justify="left", show_footer=True)
    total = result.annual_cost.total
    annual.add_column("line", footer="Total")
    annual.add_column("per year", justify="right", footer=_q(total, "USD/year"))
    annual.add_column("per Mtoken", justify="right", footer=_q(result.cost_per_million_tokens, "USD/Mtoken"))
    annual.add_column("share", justify="right", footer="100.0 %")
    for label, field in (("Capital charge: compute", "compute_capital"), ("Capital charge: network", "network_capital"),
                         ("Capital charge: facility", "facility_capital"), ("Electricity", "electricity"),
                         ("Operations", "operations")):
        line = getattr(result.annual_cost, field)
        annual.add_row(label, _q(line, "USD/year"), _q((line / result.tokens_per_year), "USD/Mtoken"),
                       _share(line, total))

    headline = Table(title="Headline", box=box.SIMPLE_HEAD, title_justify="left", show_header=False)
    headline.add_column("quantity")
    headline.add_column("value", justify="right", style="bold")
    unit = "racks" if result.systems is not None and "rack" in _form(result) else "servers"
    rows = [
        ("Accelerators", f"{result.accelerators:,.0f} ({result.systems:,.0f} {unit})"),
        ("IT power", _q(result.it_power, "MW")),
        ("Energy per year", _q(result.energy_per_year, "TWh/year", scale=False).replace("TWh/year", "TWh/yr")),
        ("Tokens per year", _q(result.tokens_per_year, "token/year").replace("token/year", "tokens/yr")),
        ("Tokens per kWh", _q(result.tokens_per_energy, "token/kWh").replace("token/kWh", "tokens")),
        ("Cost per accelerator-hour", _q(result.cost_per_accelerator_hour, "USD/hour").replace("USD/hour", "USD")),
        ("Cost per million tokens", _q(result.cost_per_million_tokens, "USD/Mtoken").replace("USD/Mtoken", "USD")),
        ("Break-even revenue per year", _q(result.breakeven_revenue_per_year, "USD/year")),
        ("Break-even price per million tokens",
         _q(result.breakeven_price_per_million_tokens, "USD/Mtoken").replace("USD/Mtoken", "USD")),
    ]
    for label, value in rows:
        headline.add_row(label, value)
    note = Text(f"Throughput: {result.throughput_source}.\n"
                "Break-even: revenue that pays every cost line, the cost of capital included (v1 model).",
                style="dim")
    return Group(title, assumptions, capex, annual, headline, note)


def _form(result) -> str:
    from . import catalog

    return catalog.accelerator(result.scenario.accelerator).form_factor


def factory_html(result) -> str:
    """HTML for Jupyter: the rich rendering exported as HTML."""
    from rich.console import Console

    import io

    console = Console(record=True, width=110, file=io.StringIO())
    console.print(factory_renderable(result))
    return console.export_html(inline_styles=True)


def render(renderable, file=None, width: int | None = None) -> None:
    """Print a rich renderable (to stdout by default)."""
    from rich.console import Console

    Console(file=file, highlight=False, width=width).print(renderable)


def rows_table(title: str, columns: Iterable[str], rows: Iterable[Iterable[Any]]):
    """A simple rich table from rows of text."""
    from rich import box
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
    for i, column in enumerate(columns):
        table.add_column(column, no_wrap=i == 0)
    for row in rows:
        table.add_row(*[str(c) for c in row])
    return table


# --- hardware catalog ------------------------------------------------------------------------


def _fig_text(fig, unit: str | None = None, digits: int = 4) -> str:
    if fig is None:
        return "—"
    if not isinstance(fig.value, pint.Quantity):
        return f"{fig.value}{'*' if fig.estimate else ''}"
    value = fig.value.to(unit) if unit else fig.value
    text = human(float(value.magnitude), unit_string(value), digits=digits)
    return text + ("*" if fig.estimate else "")


def hardware_rows(systems) -> list[dict[str, Any]]:
    """One JSON-ready row per system: identity and the per-accelerator parameters."""
    rows = []
    for system in systems:
        row = {
            "id": system.id,
            "name": system.name,
            "vendor": system.vendor,
            "generation": system.generation,
            "status": system.status,
            "form_factor": system.form_factor,
            "accelerators_per_system": system.accelerators_per_system,
            "scale_up_domain": system.scale_up_domain,
        }
        for name, fig in system.figures.items():
            row[name] = jsonable(fig.value)
        for name in ("it_power_per_accelerator", "accelerator_capex", "network_capex_per_accelerator",
                     "tokens_per_second_per_accelerator"):
            value = getattr(system, name)
            row[name] = None if value is None else jsonable(value)
        rows.append(row)
    return rows


def _cell(fig, unit: str, fmt: str = "{:,.4g}") -> str:
    if fig is None:
        return "—"
    return fmt.format(fig.value.m_as(unit)) + ("*" if fig.estimate else "")


def hardware_table(systems):
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Accelerator systems", box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    columns = ("id", "generation", "status", "acc.\n/sys.", "HBM\nGB", "HBM\nTB/s", "FP8\nPFLOP/s",
               "FP4\nPFLOP/s", "IT kW\n/acc.", "USD\n/acc.", "tok/s\n/acc.")
    for column in columns:
        table.add_column(column, justify="left" if column in columns[:3] else "right", no_wrap=True)
    for s in systems:
        f = s.figures
        it, capex = s.it_power_per_accelerator, s.accelerator_capex
        table.add_row(
            s.id, s.generation, s.status, str(s.accelerators_per_system),
            _cell(f.get("hbm_capacity"), "GB"), _cell(f.get("hbm_bandwidth"), "TB/s"),
            _cell(f.get("dense_fp8"), "PFLOP/s"), _cell(f.get("dense_fp4"), "PFLOP/s"),
            "—" if it is None else f"{it.m_as('kW'):.3g}" + ("*" if f["system_power"].estimate else ""),
            "—" if capex is None else f"{capex.m_as('USD'):,.0f}" + ("*" if f["system_price"].estimate else ""),
            _cell(f.get("throughput"), "token/s", "{:,.0f}"),
        )
    note = Text("* estimate. Compute is dense (no sparsity). IT kW/acc. includes the host, network and storage "
                "share; USD/acc. is the system price per accelerator; tok/s/acc. is for the default workload "
                "(input + output tokens). 'tokencalc hardware show ID' gives every figure with its source.",
                style="dim")
    return Group(table, note)


def hardware_detail_dict(system) -> dict[str, Any]:
    from . import catalog

    row = hardware_rows([system])[0]
    row["figures"] = {
        name: {
            "value": jsonable(fig.value),
            "source": fig.source,
            "source_title": catalog.sources()[fig.source].title,
            "source_url": catalog.sources()[fig.source].url,
            "date": fig.date,
            "estimate": fig.estimate,
            "note": fig.note,
        }
        for name, fig in system.figures.items()
    }
    return row


def hardware_detail(system):
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from . import catalog

    head = Text.assemble((f"{system.name} [{system.id}]\n", "bold cyan"),
                         f"{system.vendor} {system.generation}, {system.status}; {system.form_factor} of "
                         f"{system.accelerators_per_system} accelerators; scale-up domain {system.scale_up_domain}")
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("figure", no_wrap=True)
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("source, date, note")
    for name, fig in system.figures.items():
        src = catalog.sources()[fig.source]
        detail = f"{src.id} ({fig.date}, {src.confidence})" + (" ESTIMATE" if fig.estimate else "")
        if fig.note:
            detail += f"\n{fig.note}"
        table.add_row(name, _fig_text(fig), detail)
    derived = Table(title="Per-accelerator parameters of the factory model", box=box.SIMPLE_HEAD,
                    title_justify="left")
    derived.add_column("parameter", no_wrap=True)
    derived.add_column("value", justify="right")
    derived.add_column("derivation")
    rules = catalog.defaults()
    for name, unit, how in (
        ("it_power_per_accelerator", "kW",
         f"system_power / {system.accelerators_per_system} x (1 + {rules['it_overhead_share'].value.m:g})"),
        ("accelerator_capex", "USD", f"system_price / {system.accelerators_per_system}"),
        ("network_capex_per_accelerator", "USD",
         f"{rules['network_capex_share'].value.m:g} x accelerator_capex"),
        ("tokens_per_second_per_accelerator", "token/s", "throughput (default workload)"),
    ):
        value = getattr(system, name)
        derived.add_row(name, "not in catalog: set it" if value is None else human(value.m_as(unit), unit), how)
    return Group(head, table, derived)
