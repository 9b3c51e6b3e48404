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
    "isl": "token",
    "osl": "token",
    "interactivity": "token/s",
    "max_concurrency": "1",
    "input_output_price_ratio": "1",
    "servers_per_rack": "1",
    "water_per_energy": "L/kWh",
    "plant_capex_per_power": "USD/kW",
    "plant_capacity_margin": "%",
    "plant_fixed_om": "USD/kW/year",
    "plant_variable_om": "USD/MWh",
    "heat_rate": "Btu/kWh",
    "fuel_price": "USD/MMBtu",
    "fuel_per_energy": "USD/MWh",
    "plant_energy_share": "%",
    "plant_life": "year",
    "horizon": "year",
    "build_period": "year",
    "token_price_decline": "%/year",
    "tax_rate": "%",
    "accelerator_book_life": "year",
    "debt_share": "%",
    "cost_of_debt": "%",
    "debt_term": "year",
}

# Parameters the factory table leaves out: they move only the cash flows, or only on-site plants.
FINANCE_ONLY = ("horizon", "build_period", "token_price_decline", "tax_rate", "depreciation_method",
                "accelerator_book_life", "debt_share", "cost_of_debt", "debt_term")
PLANT_ONLY = ("plant_capex_per_power", "plant_capacity_margin", "plant_fixed_om", "plant_variable_om", "heat_rate",
              "fuel_price", "fuel_per_energy", "plant_energy_share", "plant_life")


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
    if origin.startswith("throughput:"):
        return f"throughput {origin.split(':', 1)[1]} (see note below)"
    if origin.startswith(("cooling:", "power:")):
        kind, key = origin.split(":", 1)
        figure_names = {"pue": "pue", "facility_capex_per_it_power": "capex", "water_per_energy": "water",
                        "electricity_price": "price", "plant_capex_per_power": "capex", "plant_fixed_om": "fixed_om",
                        "plant_variable_om": "variable_om", "heat_rate": "heat_rate", "fuel_price": "fuel_price",
                        "fuel_per_energy": "fuel_per_energy", "plant_energy_share": "availability",
                        "plant_life": "life"}
        if kind == "cooling":
            from .cooling import cooling_type

            fig = cooling_type(key).figures.get(figure_names.get(name, ""))
            label = f"cooling type {key}"
        else:
            from .power import power_option

            fig = power_option(key).figure(figure_names.get(name, ""))
            label = f"power source {key}"
        if fig is None:
            return label
        return f"{label}: {fig.source}{' (estimate)' if fig.estimate else ''}"
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
    on_grid = not float(np.max(s.plant_energy_share.m_as("")))
    for name, spec in PARAMETERS.items():
        if name == "accelerator" or name in FINANCE_ONLY or (on_grid and name in PLANT_ONLY):
            continue
        value = getattr(s, name)
        text = value if isinstance(value, str) else _q(value, DISPLAY_UNITS.get(name, spec.unit))
        assumptions.add_row(name, text, _origin(result, name))

    capex = Table(title="Capital expenditure", box=box.SIMPLE_HEAD, title_justify="left", show_footer=True)
    capex.add_column("line", footer="Total")
    capex.add_column("amount", justify="right", footer=_q(result.capex.total, "USD"))
    capex.add_column("per accelerator", justify="right",
                     footer=_q(result.capex.total / result.accelerators, "USD"))
    capex.add_column("share", justify="right", footer="100.0 %")
    for label, field in (("Compute (accelerator systems)", "compute"), ("Network and storage", "network"),
                         ("Facility (building, power, cooling)", "facility"), ("On-site power plant", "power_plant")):
        line = getattr(result.capex, field)
        if field == "power_plant" and not float(line.magnitude):
            continue
        capex.add_row(label, _q(line, "USD"), _q(line / result.accelerators, "USD"), _share(line, result.capex.total))

    annual = Table(title="Annual cost", box=box.SIMPLE_HEAD, title_justify="left", show_footer=True)
    total = result.annual_cost.total
    annual.add_column("line", footer="Total")
    annual.add_column("per year", justify="right", footer=_q(total, "USD/year"))
    annual.add_column("per Mtoken", justify="right", footer=_q(result.cost_per_million_tokens, "USD/Mtoken"))
    annual.add_column("share", justify="right", footer="100.0 %")
    for label, field in (("Capital charge: compute", "compute_capital"), ("Capital charge: network", "network_capital"),
                         ("Capital charge: facility", "facility_capital"),
                         ("Capital charge: power plant", "power_plant_capital"), ("Electricity", "electricity"),
                         ("Fuel", "fuel"), ("Power plant O&M", "plant_operations"), ("Operations", "operations")):
        line = getattr(result.annual_cost, field)
        if field in ("power_plant_capital", "fuel", "plant_operations") and not float(line.magnitude):
            continue
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
        ("Water per year", _q(result.water_per_year, "m**3/year").replace("m**3/year", "m³/yr")),
        ("Tokens per year", _q(result.tokens_per_year, "token/year").replace("token/year", "tokens/yr")),
        ("Tokens per kWh", _q(result.tokens_per_energy, "token/kWh").replace("token/kWh", "tokens")),
        ("Cost per accelerator-hour", _q(result.cost_per_accelerator_hour, "USD/hour").replace("USD/hour", "USD")),
        ("Cost per million tokens", _q(result.cost_per_million_tokens, "USD/Mtoken").replace("USD/Mtoken", "USD")),
        ("Break-even revenue per year", _q(result.breakeven_revenue_per_year, "USD/year")),
        ("Break-even price per million tokens",
         _q(result.breakeven_price_per_million_tokens, "USD/Mtoken").replace("USD/Mtoken", "USD")),
        ("Cost per million output tokens (all cost on output)",
         _q(result.cost_per_million_output_tokens, "USD/Mtoken").replace("USD/Mtoken", "USD")),
        (f"Break-even price per Mtoken, input / output (ratio {float(s.input_output_price_ratio.m):g})",
         f"{_q(result.breakeven_input_price_per_million_tokens, 'USD/Mtoken').replace(' USD/Mtoken', '')} / "
         f"{_q(result.breakeven_output_price_per_million_tokens, 'USD/Mtoken').replace('USD/Mtoken', 'USD')}"),
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
        for name in ("it_power_per_accelerator", "accelerator_capex", "network_capex_per_accelerator"):
            value = getattr(system, name)
            row[name] = None if value is None else jsonable(value)
        rows.append(row)
    return rows


def _cell(fig, unit: str, fmt: str = "{:,.4g}") -> str:
    if fig is None:
        return "—"
    return fmt.format(fig.value.m_as(unit)) + ("*" if fig.estimate else "")


def _default_throughput(system) -> str:
    """Total tokens/s per accelerator for the default workload, or '—' where the catalog lacks figures."""
    from .errors import TokencalcError
    from .throughput import study

    try:
        target = study({"accelerator": system.id}).target
    except TokencalcError:
        return "—"
    if target is None:
        return "—"
    mark = "" if target.source == "measured" else "°"
    return f"{target.total_tokens_per_second.m_as('token/s'):,.0f}{mark}"


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
            _default_throughput(s),
        )
    note = Text("* estimate. Compute is dense (no sparsity). IT kW/acc. includes the host, network and storage "
                "share; USD/acc. is the system price per accelerator; tok/s/acc. is for the default workload "
                "(input + output tokens; ° from the roofline model, else anchored to a measured point). "
                "'tokencalc hardware show ID' gives every figure with its source.",
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
    ):
        value = getattr(system, name)
        derived.add_row(name, "not in catalog: set it" if value is None else human(value.m_as(unit), unit), how)
    return Group(head, table, derived)


# --- throughput ------------------------------------------------------------------------------

_LEVELS = (5, 10, 20, 30, 50, 75, 90, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000)


def _frontier_rows(study):
    """Frontier points at round interactivity levels (and the frontier's ends)."""
    front = study.frontier
    levels = [x for x in _LEVELS if front.interactivity[0] < x < front.max_interactivity]
    levels = [float(front.interactivity[0])] + levels + [front.max_interactivity]
    out = front.output_at(levels)
    total = out * (front.isl + front.osl) / front.osl
    return levels, out, total, front.batch_at(levels)


def frontier_dict(study) -> dict[str, Any]:
    from . import __version__

    front = study.frontier
    per_mw = None
    if study.it_power_per_accelerator is not None:
        per_mw = 1e6 / study.it_power_per_accelerator.m_as("W")
    points = []
    for i in range(len(front.interactivity)):
        point = {
            "interactivity": {"value": float(front.interactivity[i]), "unit": "token/s"},
            "output_tokens_per_second_per_accelerator": {"value": float(front.output_tokens_per_second[i]),
                                                         "unit": "token/s"},
            "total_tokens_per_second_per_accelerator": {"value": float(front.total_tokens_per_second[i]),
                                                        "unit": "token/s"},
            "batch": int(front.batch[i]),
            "accelerators_per_replica": int(front.parallel[i]),
        }
        if per_mw is not None:
            point["total_tokens_per_second_per_it_megawatt"] = {
                "value": float(front.total_tokens_per_second[i] * per_mw), "unit": "token/s/MW"}
        points.append(point)
    w = study.workload
    target = None
    if study.target is not None:
        t = study.target
        target = {
            "interactivity": jsonable(w["interactivity"]),
            "output_tokens_per_second_per_accelerator": jsonable(t.output_tokens_per_second),
            "input_tokens_per_second_per_accelerator": jsonable(t.input_tokens_per_second),
            "total_tokens_per_second_per_accelerator": jsonable(t.total_tokens_per_second),
            "batch": float(t.batch),
            "source": t.source,
        }
    return {
        "schema_version": SCHEMA_VERSION,
        "tokencalc_version": __version__,
        "accelerator": study.system.id,
        "model": study.model.id,
        "precision": w["precision"],
        "isl": int(w["isl"].m_as("token")),
        "osl": int(w["osl"].m_as("token")),
        "max_concurrency": float(w["max_concurrency"].m_as("")),
        "source": study.frontier.source,
        "note": study.frontier.note,
        "target": target,
        "frontier": points,
        "measured": [_measured_row(c) for c in study.measured],
    }


def _measured_row(comparison) -> dict[str, Any]:
    p = comparison.point
    return {
        "system": p.system, "model": p.model, "precision": p.precision, "isl": p.isl, "osl": p.osl,
        "interactivity": None if p.interactivity is None else {"value": p.interactivity, "unit": "token/s"},
        "max_concurrency": p.max_concurrency,
        "output_tokens_per_second_per_accelerator": {"value": p.output, "unit": "token/s"},
        "total_tokens_per_second_per_accelerator": {"value": p.total, "unit": "token/s"},
        "model_output_tokens_per_second_per_accelerator": {"value": comparison.model_output_tokens_per_second,
                                                           "unit": "token/s"},
        "model_error": comparison.error,
        "stack": p.stack, "source": p.source, "date": p.date, "note": p.note,
    }


def frontier_renderable(study):
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    front, w = study.frontier, study.workload
    head = Text.assemble(
        ("Throughput: ", "bold"), (f"{study.model.name} [{study.model.id}]", "bold cyan"), " on ",
        (f"{study.system.name} [{study.system.id}]", "bold cyan"),
        f"\n{w['precision']}, {front.isl:,} input / {front.osl:,} output tokens per request, at most "
        f"{w['max_concurrency'].m_as(''):,.0f} requests in flight per accelerator; source: {front.source}",
    )
    table = Table(box=box.SIMPLE_HEAD, title="Frontier (per accelerator)", title_justify="left")
    for column in ("interactivity\ntok/s/user", "output\ntok/s", "total\ntok/s", "total tok/s\nper IT MW",
                   "batch per\nreplica"):
        table.add_column(column, justify="right")
    levels, out, total, batch = _frontier_rows(study)
    per_mw = None if study.it_power_per_accelerator is None else 1e6 / study.it_power_per_accelerator.m_as("W")
    for x, o, t, b in zip(levels, out, total, batch):
        table.add_row(f"{x:,.0f}", f"{o:,.0f}", f"{t:,.0f}", "—" if per_mw is None else human(t * per_mw),
                      f"{b:,.0f}")
    parts = [head, table]
    if study.target is not None:
        t = study.target
        where = (f"batch {w['batch'].m_as(''):g} per accelerator ({t.description.split('-> ')[-1].split(' on ')[0]}): "
                 if w["batch"].m_as("") > 0 else f"{w['interactivity'].m_as('token/s'):g} tok/s per user: ")
        parts.append(Text.assemble(
            ("At ", "bold"), (where, "bold"),
            (f"{t.output_tokens_per_second.m_as('token/s'):,.0f} output + "
             f"{t.input_tokens_per_second.m_as('token/s'):,.0f} input = "
             f"{t.total_tokens_per_second.m_as('token/s'):,.0f} tokens/s per accelerator", "bold green")))
    else:
        parts.append(Text(f"{w['interactivity'].m_as('token/s'):g} tok/s per user is beyond this frontier "
                          f"(max {front.max_interactivity:,.0f}).", style="yellow"))
    if study.measured:
        m = Table(box=box.SIMPLE_HEAD, title="Measured points of this workload", title_justify="left")
        for column in ("interactivity", "measured output tok/s", "model", "model error", "stack", "source"):
            m.add_column(column, justify="right" if column != "stack" and column != "source" else "left")
        for c in study.measured:
            p = c.point
            m.add_row("offline max" if p.interactivity is None else f"{p.interactivity:g}", f"{p.output:,.0f}",
                      f"{c.model_output_tokens_per_second:,.0f}", f"{100 * c.error:+.0f} %", p.stack, p.source)
        parts.append(m)
    if front.note:
        parts.append(Text(f"Note: {front.note}.", style="dim"))
    return Group(*parts)


def measured_dict() -> dict[str, Any]:
    from .throughput import compare_to_measured, measured_points

    return {"schema_version": SCHEMA_VERSION, "measured": [_measured_row(compare_to_measured(p))
                                                           for p in measured_points()]}


def measured_renderable():
    from rich import box
    from rich.table import Table

    from .throughput import compare_to_measured, measured_points

    table = Table(box=box.SIMPLE_HEAD, title="Measured throughput points, and the roofline model's error",
                  title_justify="left")
    for column in ("system", "model", "prec.", "isl/osl", "interactivity", "output tok/s/acc.", "model",
                   "error", "source"):
        table.add_column(column, justify="right" if column in ("output tok/s/acc.", "model", "error") else "left")
    for p in measured_points():
        c = compare_to_measured(p)
        table.add_row(p.system, p.model, p.precision, f"{p.isl}/{p.osl}",
                      "offline max" if p.interactivity is None else f"{p.interactivity:g}", f"{p.output:,.0f}",
                      f"{c.model_output_tokens_per_second:,.0f}", f"{100 * c.error:+.0f} %", p.source)
    return table


# --- compare ---------------------------------------------------------------------------------

FACTOR_LABELS = {
    "throughput_per_accelerator": "throughput per accelerator",
    "compute_and_network_capital": "compute + network capital",
    "facility_capital": "facility capital",
    "energy": "energy (power and fuel)",
    "operations": "operations",
}


def _system_quantities(s) -> dict[str, Any]:
    r = s.result
    return {
        "accelerators": jsonable(r.accelerators),
        "capex": jsonable(r.capex.total, "USD"),
        "tokens_per_second_per_accelerator": jsonable(s.tokens_per_second_per_accelerator, "token/s"),
        "tokens_per_second_per_megawatt": jsonable(s.tokens_per_second_per_megawatt, "token/s/MW"),
        "tokens_per_joule": jsonable(r.tokens_per_energy, "token/J"),
        "cost_per_accelerator_hour": jsonable(r.cost_per_accelerator_hour, "USD/h"),
        "cost_per_million_tokens": jsonable(r.cost_per_million_tokens, "USD/Mtoken"),
        "breakeven_price_per_million_tokens": jsonable(r.breakeven_price_per_million_tokens, "USD/Mtoken"),
        "throughput_source": r.throughput_source,
    }


def comparison_dict(comparison) -> dict[str, Any]:
    from . import __version__

    systems = []
    for s in comparison.systems:
        row = {"id": s.id, "name": s.result.accelerator_name, "status": s.result.accelerator_status,
               **_system_quantities(s)}
        if s.ratio is not None:
            row["ratio"] = s.ratio
            row["factors"] = dict(s.factors)
            row["generations_from_baseline"] = s.generations_from_baseline
            row["transistor_yardstick"] = s.transistor_yardstick
        systems.append(row)
    out = {
        "schema_version": SCHEMA_VERSION,
        "tokencalc_version": __version__,
        "baseline": comparison.baseline,
        "transistor_gain_per_generation": comparison.transistor_gain_per_generation,
        "scenario": comparison.systems[0].result.scenario.to_dict(),
        "systems": systems,
    }
    if comparison.sweep is not None:
        sw = comparison.sweep
        out["sweep"] = {
            "interactivity": {"value": sw.interactivity.tolist(), "unit": "token/s"},
            "cost_per_million_tokens": {k: {"value": v.tolist(), "unit": "USD/Mtoken"}
                                        for k, v in sw.cost_per_million_tokens.items()},
            "ratio": {k: v.tolist() for k, v in sw.ratio.items()},
        }
    return out


def comparison_renderable(comparison):
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    systems = comparison.systems
    s0 = systems[0].result.scenario
    head = Text.assemble(
        ("Comparison at ", "bold"),
        (f"{human(systems[0].result.facility_power.m_as('MW'), 'MW')} facility power", "bold cyan"),
        f", {s0.model} ({s0.precision}), {s0.isl.m_as('token'):,.0f} in / {s0.osl.m_as('token'):,.0f} out, "
        f"{s0.interactivity.m_as('token/s'):g} tok/s per user; baseline ",
        (comparison.baseline, "bold"),
    )
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("", no_wrap=True)
    for s in systems:
        table.add_column(s.id + (" (ann.)" if s.result.accelerator_status == "announced" else ""), justify="right")
    rows = [
        ("accelerators", lambda s: f"{s.result.accelerators:,.0f}"),
        ("capex", lambda s: _q(s.result.capex.total, "USD")),
        ("tok/s per accelerator", lambda s: f"{s.tokens_per_second_per_accelerator.m_as('token/s'):,.0f}"),
        ("tok/s per MW", lambda s: human(s.tokens_per_second_per_megawatt.m_as("token/s/MW"))),
        ("tokens per joule", lambda s: f"{s.result.tokens_per_energy.m_as('token/J'):.3g}"),
        ("USD per accelerator-hour", lambda s: f"{s.result.cost_per_accelerator_hour.m_as('USD/h'):.3f}"),
        ("USD per Mtoken", lambda s: f"{s.result.cost_per_million_tokens.m_as('USD/Mtoken'):.4g}"),
        ("break-even USD per Mtoken", lambda s: f"{s.result.breakeven_price_per_million_tokens.m_as('USD/Mtoken'):.4g}"),
        ("ratio to baseline", lambda s: "1 (baseline)" if s.ratio is None else f"{s.ratio:.2f}x"),
    ]
    for label, fn in rows:
        table.add_row(label, *[fn(s) for s in systems])
    table.add_section()
    for name, label in FACTOR_LABELS.items():
        table.add_row(f"  x {label}", *["" if s.factors is None else f"{s.factors[name]:.3f}" for s in systems])
    table.add_section()
    table.add_row(f"transistors alone ({100 * comparison.transistor_gain_per_generation:g} %/generation)",
                  *["" if s.transistor_yardstick is None else
                    f"{s.transistor_yardstick:.2f}x ({s.generations_from_baseline:+g})" for s in systems])
    sources = "; ".join(f"{s.id}: {s.result.throughput_source.split(' on ')[0]}" for s in systems)
    note = Text("Ratio = baseline cost per token / this system's; the factors multiply to it (above 1: this system "
                f"is cheaper on that count). Throughput: {sources}.", style="dim")
    parts = [head, table, note]
    if comparison.sweep is not None:
        parts.append(sweep_renderable(comparison))
    return Group(*parts)


def sweep_renderable(comparison):
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    sw = comparison.sweep
    others = list(sw.ratio)
    table = Table(title=f"Ratio to {comparison.baseline} along interactivity (cost per token, baseline / system)",
                  box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    table.add_column("tok/s/user", justify="right")
    for k in others:
        table.add_column(k, justify="right")
    top = max(float(np.max(v)) for v in sw.ratio.values())
    width = 30
    chart_key = max(others, key=lambda k: float(np.max(sw.ratio[k])))
    table.add_column(f"{chart_key} (chart)", justify="left", no_wrap=True)
    for i, x in enumerate(sw.interactivity):
        bar = "█" * max(1, int(round(width * sw.ratio[chart_key][i] / top)))
        table.add_row(f"{x:,.0f}", *[f"{sw.ratio[k][i]:.1f}x" for k in others], bar)
    return Group(table, Text("Below a system's maximum-throughput point its cost is flat; "
                             "the ratio there is the low-interactivity ratio.", style="dim"))


def plot_sweep(comparison, path: str) -> None:
    """Write the ratio-vs-interactivity chart to ``path`` (PNG or SVG) atomically. Needs matplotlib."""
    plt = _pyplot()
    sw = comparison.sweep
    fig, ax = plt.subplots(figsize=(8, 4.8))
    for k, v in sw.ratio.items():
        ax.plot(sw.interactivity, v, label=k, marker="o", markersize=3)
    if comparison.transistor_gain_per_generation:
        for s in comparison.systems[1:]:
            ax.axhline(s.transistor_yardstick, color="grey", linewidth=0.6, linestyle=":")
    ax.axhspan(10, 20, color="tab:green", alpha=0.08, label="10-20x (claimed)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("interactivity [output tokens/s per user]")
    ax.set_ylabel(f"cost per token: {comparison.baseline} / system")
    ax.set_title(f"Cost-per-token ratio to {comparison.baseline}")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    _save_figure(fig, path)


# --- power and energy ------------------------------------------------------------------------


def power_dict(study) -> dict[str, Any]:
    from . import __version__

    options = []
    for row in study.rows:
        o = row.option
        entry = {"id": o.id, "name": o.name, "kind": o.kind, "lcoe": jsonable(row.lcoe, "USD/MWh"),
                 "figures": {n: {"value": jsonable(f.value), "source": f.source, "date": f.date,
                                 "estimate": f.estimate, "note": f.note} for n, f in o.figures.items()}}
        if row.check is not None:
            entry["published_range"] = {"low": {"value": row.check["low"], "unit": "USD/MWh"},
                                        "high": {"value": row.check["high"], "unit": "USD/MWh"},
                                        "source": row.check["source"]}
        options.append(entry)
    return {"schema_version": SCHEMA_VERSION, "tokencalc_version": __version__, "wacc": jsonable(study.wacc, "1"),
            "options": options}


def power_renderable(study):
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Power sources (LCOE at a cost of capital of {100 * study.wacc.m_as(''):g} %)",
                  box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    for column, justify in (("id", "left"), ("kind", "left"), ("LCOE\nUSD/MWh", "right"), ("capex\nUSD/kW", "right"),
                            ("heat rate\nBtu/kWh", "right"), ("fuel", "right"), ("avail.", "right"),
                            ("published\nrange", "right"), ("sources", "left")):
        table.add_column(column, justify=justify, no_wrap=column in ("id",))
    for row in study.rows:
        o = row.option
        if o.kind == "grid":
            cells = ["—", "—", "—", "—"]
        else:
            fuel = (f"{o.value('fuel_price', 'USD/MMBtu').m:g} USD/MMBtu" if o.value("heat_rate", "Btu/kWh").m
                    else f"{o.value('fuel_per_energy', 'USD/MWh').m:g} USD/MWh")
            cells = [f"{o.value('capex', 'USD/kW').m:,.0f}", f"{o.value('heat_rate', 'Btu/kWh').m:,.0f}", fuel,
                     f"{100 * o.value('availability', '').m:.0f} %"]
        check = "" if row.check is None else f"{row.check['low']}-{row.check['high']}"
        sources = ", ".join(sorted({f.source + ("*" if f.estimate else "") for f in o.figures.values()}))
        table.add_row(o.id, o.kind, f"{row.lcoe.m_as('USD/MWh'):.1f}", *cells, check, sources)
    note = Text("LCOE = (capex x crf(wacc, life) + fixed O&M) / (8,766 h x availability) + fuel x heat rate + "
                "variable O&M (NREL simple LCOE). * marks estimates. Use one in the factory: "
                "tokencalc factory --power-source gas-ccgt", style="dim")
    return Group(table, note)


def energy_dict(study) -> dict[str, Any]:
    from . import __version__
    from .power import energy_presets

    if study is None:
        return {"schema_version": SCHEMA_VERSION, "presets": {
            k: {"name": f.note, "energy": jsonable(f.value, "TWh"), "source": f.source, "date": f.date}
            for k, f in energy_presets().items()}}
    r = study.result
    out = {
        "schema_version": SCHEMA_VERSION,
        "tokencalc_version": __version__,
        "accelerator": r.scenario.accelerator,
        "model": r.scenario.model,
        "tokens_per_energy": jsonable(r.tokens_per_energy, "token/kWh"),
        "throughput_source": r.throughput_source,
    }
    if study.energy is not None:
        out.update({"energy": jsonable(study.energy, "TWh"), "energy_name": study.energy_name,
                    "energy_source": study.source, "tokens": jsonable(study.tokens, "token")})
    else:
        out.update({"tokens_per_day": jsonable(study.tokens_per_day, "token/day"),
                    "facility_power_needed": jsonable(study.facility_power_needed, "GW"),
                    "energy": jsonable(study.energy_per_year_needed, "TWh/year")})
    return out


def energy_renderable(study):
    from rich import box
    from rich.table import Table

    r = study.result
    table = Table(title=f"Energy budget: {r.accelerator_name.strip()} [{r.scenario.accelerator}] serving "
                        f"{r.scenario.model}",
                  box=box.SIMPLE_HEAD, title_justify="left", show_header=False)
    table.add_column("quantity")
    table.add_column("value", justify="right", style="bold")
    table.add_row("Tokens per kWh of facility energy", f"{r.tokens_per_energy.m_as('token/kWh'):,.0f}")
    if study.energy is not None:
        e = study.energy
        table.add_row("Energy", study.energy_name)
        table.add_row("  = ", f"{e.m_as('TWh'):,.6g} TWh = {e.m_as('Wh'):.4e} Wh = {e.m_as('kWh') / 1e12:,.4g} "
                              "trillion kWh")
        table.add_row("  as average power over a year", f"{e.m_as('GW*year'):,.1f} GW")
        table.add_row("Tokens", f"{study.tokens.m_as('token'):.4e}")
    else:
        table.add_row("Tokens per day", f"{study.tokens_per_day.m_as('token/day'):.4e}")
        table.add_row("Facility power to build", f"{study.facility_power_needed.m_as('GW'):,.4g} GW")
        table.add_row("Energy per year", f"{study.energy_per_year_needed.m_as('TWh/year'):,.4g} TWh/yr")
    table.caption = (f"Throughput: {r.throughput_source}. Site model: PUE {r.scenario.pue.m:g}, load factor "
                     f"{r.scenario.load_factor.m:g}, utilization {r.scenario.utilization.m:g}.")
    return table


def presets_renderable():
    from .power import energy_presets

    return rows_table("Energy presets (--energy NAME)", ("name", "energy", "what", "source"),
                      [(k, f"{f.value.m_as('TWh'):,.0f} TWh", f.note, f"{f.source} ({f.date})")
                       for k, f in energy_presets().items()])


# --- cash flows ------------------------------------------------------------------------------

CASHFLOW_UNITS = {"year": None, "accelerator_book_value": "USD", "accelerator_economic_value": "USD"}


def cashflow_dict(c) -> dict[str, Any]:
    from . import __version__

    years = []
    for row in c.years:
        out = {"year": int(row["year"])}
        for key, value in row.items():
            if key == "year":
                continue
            out[key] = None if not np.isfinite(value) else {"value": value, "unit": "USD"}
        years.append(out)
    return {
        "schema_version": SCHEMA_VERSION,
        "tokencalc_version": __version__,
        "scenario": c.factory.scenario.to_dict(),
        "price": jsonable(c.price, "USD/Mtoken"),
        "tokens_per_year": jsonable(c.factory.tokens_per_year, "token/year"),
        "npv": jsonable(c.npv, "USD"),
        "irr": c.irr,
        "equity_irr": c.equity_irr,
        "payback_period": None if c.payback_period is None else jsonable(c.payback_period, "year"),
        "breakeven_price_per_million_tokens": jsonable(c.breakeven_price_per_million_tokens, "USD/Mtoken"),
        "years": years,
    }


def cashflow_csv(c) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    keys = list(c.years[0])
    writer.writerow([k if k == "year" else f"{k} [USD]" for k in keys])
    for row in c.years:
        writer.writerow([int(row["year"]) if k == "year" else ("" if not np.isfinite(row[k]) else f"{row[k]:.6g}")
                         for k in keys])
    return buffer.getvalue()


def cashflow_renderable(c):
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    s = c.factory.scenario
    head = Text.assemble(
        ("Cash flows at ", "bold"), (f"{c.price.m_as('USD/Mtoken'):.4g} USD per million tokens", "bold cyan"),
        f" (falling {100 * s.token_price_decline.m_as('1/year'):g} %/yr), {human(c.factory.facility_power.m_as('MW'), 'MW')}"
        f" {s.accelerator}, horizon {s.horizon.m_as('year'):g} yr after {s.build_period.m_as('year'):g} yr of "
        f"construction, tax {100 * s.tax_rate.m:g} %, {s.depreciation_method} over {s.accelerator_book_life.m:g} yr",
    )
    summary = Table(box=box.SIMPLE_HEAD, show_header=False)
    summary.add_column("quantity")
    summary.add_column("value", justify="right", style="bold")
    summary.add_row(f"NPV at the cost of capital ({100 * s.wacc.m:g} %)", _q(c.npv, "USD"))
    summary.add_row("IRR (project)", "none" if c.irr is None else f"{100 * c.irr:.2f} %")
    if c.equity_irr is not None:
        summary.add_row(f"IRR (equity, {100 * s.debt_share.m:g} % debt)", f"{100 * c.equity_irr:.2f} %")
    summary.add_row("Payback (from the start of construction)",
                    "never" if c.payback_period is None else f"{c.payback_period.m_as('year'):.2f} yr")
    summary.add_row("Break-even price (NPV = 0)", f"{c.breakeven_price_per_million_tokens.m_as('USD/Mtoken'):.4g} "
                    "USD/Mtoken")
    table = Table(title="Year by year (USD; end of year)", box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    columns = (("year", "year"), ("capex", "capex"), ("revenue", "revenue"), ("operating_costs", "opex"),
               ("tax", "tax"), ("residual_value", "residual"), ("cash_flow", "cash flow"),
               ("cumulative_cash_flow", "cumulative"), ("debt_service", "debt service"),
               ("accelerator_book_value", "GPU book value"), ("accelerator_economic_value", "GPU economic value"))
    for _, label in columns:
        table.add_column(label, justify="right")
    for row in c.years:
        table.add_row(*[f"{int(row[k])}" if k == "year" else ("" if not np.isfinite(row[k]) else
                        (human(row[k]) if row[k] else "0")) for k, _ in columns])
    note = Text("GPU book value: the first accelerators under the book depreciation; economic value: what they "
                "still earn, their margin falling with the token price. NPV and IRR are of the project's cash "
                "flows; debt service is shown for the financing view.", style="dim")
    return Group(head, summary, table, note)


def breakeven_dict(b) -> dict[str, Any]:
    from . import __version__

    out = {
        "schema_version": SCHEMA_VERSION,
        "tokencalc_version": __version__,
        "scenario": b["result"].scenario.to_dict(),
        "rate": b["rate"],
        "rate_kind": b["rate_kind"],
        "breakeven_price_per_million_tokens": jsonable(b["price"], "USD/Mtoken"),
        "breakeven_revenue_per_year": jsonable(b["revenue"], "USD/year"),
        "v1_cost_per_million_tokens": jsonable(b["result"].cost_per_million_tokens, "USD/Mtoken"),
    }
    if b.get("market_price") is not None:
        out["market_price"] = jsonable(b["market_price"], "USD/Mtoken")
        out["margin"] = b["margin"]
        out["profitable"] = b["margin"] > 0
    return out


def breakeven_renderable(b):
    from rich import box
    from rich.table import Table

    table = Table(title=f"Break-even ({b['rate_kind']} {100 * b['rate']:g} %)", box=box.SIMPLE_HEAD,
                  title_justify="left", show_header=False)
    table.add_column("quantity")
    table.add_column("value", justify="right", style="bold")
    table.add_row("Break-even price per million tokens", f"{b['price'].m_as('USD/Mtoken'):.4g} USD")
    table.add_row("Break-even revenue in the first year", _q(b["revenue"], "USD/year"))
    table.add_row("Reference model v1 cost per million tokens",
                  f"{b['result'].cost_per_million_tokens.m_as('USD/Mtoken'):.4g} USD")
    if b.get("market_price") is not None:
        table.add_row("Market price per million tokens", f"{b['market_price'].m_as('USD/Mtoken'):.4g} USD")
        verdict = "profitable" if b["margin"] > 0 else "not profitable"
        table.add_row("Margin (market - break-even) / market", f"{100 * b['margin']:+.1f} % ({verdict})")
    return table


# --- scenarios, sensitivity, Monte Carlo ----------------------------------------------------


def scenario_renderable(name, loaded, result):
    from rich.console import Group
    from rich.text import Text

    sets = rows_table(f"Scenario {name}: {loaded.description}", ("parameter", "value"),
                      [(k, str(v)) for k, v in loaded.parameters.items()])
    return Group(sets, Text(""), factory_renderable(result))


def sensitivity_dict(result) -> dict[str, Any]:
    from . import __version__

    return {
        "schema_version": SCHEMA_VERSION,
        "tokencalc_version": __version__,
        "base": {"cost_per_million_tokens": {"value": result.base_cost, "unit": "USD/Mtoken"}},
        "parameters": [
            {"name": r.name, "low": jsonable(r.low), "high": jsonable(r.high),
             "cost_per_million_tokens_at_low": {"value": r.cost_at_low, "unit": "USD/Mtoken"},
             "cost_per_million_tokens_at_high": {"value": r.cost_at_high, "unit": "USD/Mtoken"},
             "swing": {"value": r.swing, "unit": "USD/Mtoken"}}
            for r in result.rows
        ],
    }


def sensitivity_csv(result) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["parameter", "low", "high", "unit", "cost_at_low [USD/Mtoken]", "cost_at_high [USD/Mtoken]",
                     "swing [USD/Mtoken]"])
    for r in result.rows:
        writer.writerow([r.name, f"{float(r.low.magnitude):.6g}", f"{float(r.high.magnitude):.6g}", unit_string(r.low),
                         f"{r.cost_at_low:.6g}", f"{r.cost_at_high:.6g}", f"{r.swing:.6g}"])
    return buffer.getvalue()


def sensitivity_renderable(result):
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Sensitivity of the cost per million tokens (base {result.base_cost:.4g} USD/Mtoken)",
                  box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    for column, justify in (("parameter", "left"), ("low", "right"), ("high", "right"), ("unit", "left"),
                            ("cost\nat low", "right"), ("cost\nat high", "right"), ("swing", "right"), ("", "left")):
        table.add_column(column, justify=justify, no_wrap=True)
    top = max((r.swing for r in result.rows), default=1.0) or 1.0
    width = 10
    for r in result.rows:
        left = int(round(width * max(0.0, result.base_cost - min(r.cost_at_low, r.cost_at_high)) / top))
        right = int(round(width * max(0.0, max(r.cost_at_low, r.cost_at_high) - result.base_cost) / top))
        bar = " " * (width - left) + "█" * left + "│" + "█" * right
        unit = DISPLAY_UNITS.get(r.name, unit_string(r.low))
        label = {"1": "", "%/year": "%/yr", "year": "yr"}.get(unit, unit)
        low, high = (human(float(x.m_as(unit)), "") for x in (r.low, r.high))
        table.add_row(r.name, low, high, label, f"{r.cost_at_low:.4g}",
                      f"{r.cost_at_high:.4g}", f"{r.swing:.3g}", bar)
    note = Text("Each parameter moves alone over its range (the scenario's [ranges], else the catalog's low and high); "
                "costs in USD per million tokens; the bar spans the two ends around the base.", style="dim")
    return Group(table, note)


def _save_figure(fig, path: str) -> None:
    import os
    import tempfile

    import matplotlib.pyplot as plt

    directory = os.path.dirname(os.path.abspath(path))
    suffix = os.path.splitext(path)[1] or ".png"
    fd, tmp = tempfile.mkstemp(dir=directory, suffix=suffix)
    os.close(fd)
    try:
        fig.savefig(tmp, format=suffix.lstrip(".").lower())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    finally:
        plt.close(fig)
        if os.path.exists(tmp):
            os.unlink(tmp)


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        from .errors import TokencalcError

        raise TokencalcError("--plot needs matplotlib: pip install 'tokencalc[plot]'") from None
    return plt


def plot_tornado(result, path: str) -> None:
    plt = _pyplot()
    rows = list(reversed(result.rows))
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(rows) + 1.5))
    for i, r in enumerate(rows):
        lo, hi = sorted((r.cost_at_low, r.cost_at_high))
        ax.barh(i, hi - lo, left=lo, color="tab:blue", alpha=0.7)
    ax.axvline(result.base_cost, color="black", linewidth=0.8)
    ax.set_yticks(range(len(rows)), [r.name for r in rows], fontsize=8)
    ax.set_xlabel("cost per million tokens [USD]")
    ax.set_title("Sensitivity (each parameter over its range)")
    fig.tight_layout()
    _save_figure(fig, path)


def montecarlo_dict(result) -> dict[str, Any]:
    from . import __version__

    def q(values):
        return {k: {"value": v, "unit": "USD/Mtoken"} for k, v in result.quantiles(values).items()}

    return {
        "schema_version": SCHEMA_VERSION,
        "tokencalc_version": __version__,
        "samples": result.samples,
        "seed": result.seed,
        "distributions": dict(result.distributions),
        "base_cost_per_million_tokens": {"value": result.base_cost, "unit": "USD/Mtoken"},
        "cost_per_million_tokens": q(result.cost_per_million_tokens),
        "breakeven_price_per_million_tokens": q(result.breakeven_price_per_million_tokens),
        "seconds": result.seconds,
    }


def montecarlo_csv(result) -> str:
    import io

    names = list(result.inputs)
    buffer = io.StringIO()
    buffer.write(",".join([f"{n} [{result.units[n]}]" for n in names] + ["cost_per_million_tokens [USD/Mtoken]"])
                 + "\n")
    columns = np.column_stack([result.inputs[n] for n in names] + [result.cost_per_million_tokens])
    np.savetxt(buffer, columns, delimiter=",", fmt="%.6g")
    return buffer.getvalue()


def montecarlo_renderable(result):
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    qs = result.quantiles(result.cost_per_million_tokens)
    summary = Table(title=f"Monte Carlo: {result.samples:,} samples, seed {result.seed} "
                          f"({result.seconds:.2f} s)", box=box.SIMPLE_HEAD, title_justify="left", show_header=False)
    summary.add_column("quantity")
    summary.add_column("value", justify="right", style="bold")
    summary.add_row("Cost per million tokens at the defaults", f"{result.base_cost:.4g} USD")
    for key, label in (("p5", "5th percentile"), ("p50", "median"), ("mean", "mean"), ("p95", "95th percentile")):
        summary.add_row(f"  {label}", f"{qs[key]:.4g} USD")
    counts, edges = np.histogram(result.cost_per_million_tokens, bins=16)
    hist = Table(title="Distribution of the cost per million tokens (USD)", box=box.SIMPLE_HEAD,
                 title_justify="left", show_header=False, pad_edge=False)
    hist.add_column("bin", justify="right")
    hist.add_column("bar")
    hist.add_column("share", justify="right")
    top = counts.max() or 1
    for c, lo, hi in zip(counts, edges[:-1], edges[1:]):
        hist.add_row(f"{lo:.4g}-{hi:.4g}", "█" * max(0, int(round(40 * c / top))), f"{100 * c / result.samples:.1f} %")
    dists = rows_table("Distributions", ("parameter", "distribution"), result.distributions.items())
    note = Text("In reference model v1 the break-even price per million tokens equals the cost per million tokens.",
                style="dim")
    return Group(summary, hist, dists, note)


def plot_histogram(result, path: str) -> None:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.hist(result.cost_per_million_tokens, bins=60, color="tab:blue", alpha=0.75)
    qs = result.quantiles(result.cost_per_million_tokens)
    for key, style in (("p5", ":"), ("p50", "-"), ("p95", ":")):
        ax.axvline(qs[key], color="black", linestyle=style, linewidth=0.9, label=f"{key} {qs[key]:.4g}")
    ax.set_xlabel("cost per million tokens [USD]")
    ax.set_ylabel("samples")
    ax.set_title(f"Monte Carlo, {result.samples:,} samples")
    ax.legend(fontsize=8)
    fig.tight_layout()
    _save_figure(fig, path)


# --- claims ----------------------------------------------------------------------------------


def _claim_value(value: float, unit: str) -> str:
    if unit == "1":
        return f"{value:.3g}"
    if unit in ("GUSD", "MUSD"):
        return f"{value:,.4g} {unit[0].replace('G', 'B')} USD"
    return f"{value:,.4g} {unit}"


def claims_dict(checks) -> dict[str, Any]:
    from . import __version__
    from .catalog import sources

    out = []
    for c in checks:
        claim = c.claim
        src = sources()[claim.source]
        out.append({
            "id": claim.id, "statement": claim.statement, "who": claim.who, "date": claim.date,
            "source": {"id": src.id, "title": src.title, "url": src.url},
            "kind": claim.kind,
            "claimed": {"low": {"value": claim.low, "unit": claim.unit}, "high": {"value": claim.high, "unit": claim.unit}},
            "tokencalc": {"value": c.value, "unit": claim.unit},
            "scenario": {k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in claim.params.items()},
            "verdict": c.verdict,
            "holds_under": list(c.holding),
            "conditions": {k: {"value": v, "unit": claim.unit} for k, v in c.condition_values.items()},
            "drivers": [{"parameter": d.name, "low": jsonable(d.low), "high": jsonable(d.high),
                         "value_at_low": d.value_at_low, "value_at_high": d.value_at_high} for d in c.drivers],
            "interactivity_band": None if c.band is None else
            {"low": {"value": c.band[0], "unit": "token/s"}, "high": {"value": c.band[1], "unit": "token/s"}},
            "note": claim.note,
        })
    return {"schema_version": SCHEMA_VERSION, "tokencalc_version": __version__, "claims": out}


def claims_renderable(checks):
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from .catalog import sources

    colors = {"consistent": "green", "inconsistent": "red"}
    table = Table(title="Claims checked against tokencalc", box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    table.add_column("claim", ratio=5)
    table.add_column("claimed", justify="right", ratio=2)
    table.add_column("tokencalc", justify="right", ratio=1)
    table.add_column("verdict", ratio=2)
    details = []
    for c in checks:
        claim = c.claim
        claimed = (f"{_claim_value(claim.low, claim.unit)} to {_claim_value(claim.high, claim.unit)}")
        table.add_row(f"{claim.id}\n[dim]{claim.statement} ({claim.who})[/dim]", claimed,
                      _claim_value(c.value, claim.unit),
                      Text(c.verdict, style=colors.get(c.verdict, "yellow")))
        lines = [Text.assemble((f"{claim.id}: ", "bold"), c.verdict)]
        if c.holding:
            lines.append(Text(f"  holds under: {'; '.join(c.holding)}"))
        for name, value in c.condition_values.items():
            lines.append(Text(f"  {name}: {_claim_value(value, claim.unit)}", style="dim"))
        if c.band is not None:
            lines.append(Text(f"  the ratio is in the claimed range from {c.band[0]:,.0f} to {c.band[1]:,.0f} "
                              "tok/s per user"))
        for d in c.drivers:
            lines.append(Text(f"  driver {d.name}: {_claim_value(d.value_at_low, claim.unit)} at "
                              f"{_q(d.low, DISPLAY_UNITS.get(d.name, unit_string(d.low)))}, "
                              f"{_claim_value(d.value_at_high, claim.unit)} at "
                              f"{_q(d.high, DISPLAY_UNITS.get(d.name, unit_string(d.high)))}", style="dim"))
        if claim.note:
            lines.append(Text(f"  note: {claim.note}", style="dim"))
        src = sources()[claim.source]
        lines.append(Text(f"  source: {src.title} ({src.date}) {src.url}", style="dim"))
        details.extend(lines)
    return Group(table, *details)
