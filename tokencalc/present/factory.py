"""The factory's tables: assumptions with their sources, capex, annual cost, headline figures.
Every table's lines add up to its total."""

from __future__ import annotations

import io

import numpy as np
from rich.console import Console, Group
from rich.padding import Padding
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ..parameters import PARAMETERS
from .format import human, origin_text, param_text, q, share, si
from .tables import Either, kv_table, rows_table, table

__all__ = ["factory_renderable", "factory_html", "scenario_renderable", "CAPEX_LABELS", "ANNUAL_LABELS"]

CAPEX_LABELS = {"compute": "Compute (accelerator systems)", "network": "Network and storage",
                "facility": "Facility (building, power, cooling)", "power_plant": "On-site power plant"}
ANNUAL_LABELS = {"compute_capital": "Capital charge: compute", "network_capital": "Capital charge: network",
                 "facility_capital": "Capital charge: facility", "power_plant_capital": "Capital charge: power plant",
                 "electricity": "Electricity", "fuel": "Fuel", "plant_operations": "Power plant O&M",
                 "site_operations": "Site operations", "facility_maintenance": "Facility maintenance",
                 "hardware_maintenance": "Hardware maintenance",
                 "accelerator_hours": "Accelerator-hours (at a price per hour)"}
_PLANT_LINES = ("power_plant", "power_plant_capital", "fuel", "plant_operations", "accelerator_hours")  # shown if not 0


def _scalar(result) -> None:
    if not result.scalar:
        raise ValueError("tables render scalar results; use to_dict() for arrays")


def _assumptions(result) -> Either:
    """Parameter, value and where it came from in three columns; where the width would fold a source id, the
    source on a line of its own under the parameter (two columns)."""
    s = result.scenario
    wide, narrow = table("Assumptions"), table("Assumptions")
    wide.add_column("parameter", no_wrap=True)
    wide.add_column("value", justify="right")
    wide.add_column("from")
    narrow.add_column("parameter, and where its value came from")
    narrow.add_column("value", justify="right")
    on_grid = not float(np.max(s.plant_energy_share.m_as("")))
    for name, spec in PARAMETERS.items():
        if name == "accelerator" or spec.group == "cashflow" or (on_grid and spec.group == "plant"):
            continue
        value = getattr(s, name)
        unset = name in _ZERO_MEANS_UNSET and not float(np.max(np.abs(value.magnitude)))
        shown = _ZERO_MEANS_UNSET[name] if unset else param_text(name, value)
        origin = "" if unset else origin_text(result.provenance.get(name))  # the value says where it comes from
        wide.add_row(name, shown, origin)
        narrow.add_row(Group(Text(name), Padding(Text(f"from {origin}", style="dim"), (0, 0, 0, 2))) if origin
                       else name, shown)
    return Either(wide, narrow)


# parameters whose 0 means "not given": what the table says instead (the JSON keeps the 0)
_ZERO_MEANS_UNSET = {"it_power": "from facility power", "batch": "from interactivity",
                     "cost_per_accelerator_hour": "built up below"}


def _capex(result) -> Table:
    capex, count = result.capex, result.accelerators
    out = table("Capital expenditure", show_footer=True)
    out.add_column("line", footer="Total")
    out.add_column("amount", justify="right", footer=q(capex.total, "USD"))
    out.add_column("per accelerator", justify="right", footer=q(capex.total / count, "USD"))
    out.add_column("share", justify="right", footer="100.0 %")
    for field, label in CAPEX_LABELS.items():
        line = getattr(capex, field)
        if field in _PLANT_LINES and not float(line.magnitude):
            continue
        out.add_row(label, q(line, "USD"), q(line / count, "USD"), share(line, capex.total))
    return out


def _annual(result, bought: bool = False) -> Table:
    total = result.annual_cost.total
    out = table("Annual cost", show_footer=True)
    out.add_column("line", footer="Total")
    out.add_column("per year", justify="right", footer=q(total, "USD/year"))
    out.add_column("per Mtoken", justify="right", footer=q(result.cost_per_million_tokens, "USD/Mtoken"))
    out.add_column("share", justify="right", footer="100.0 %")
    for field, label in ANNUAL_LABELS.items():
        line = getattr(result.annual_cost, field)
        if (field in _PLANT_LINES or bought) and not float(line.magnitude):
            continue
        out.add_row(label, q(line, "USD/year"), q(line / result.tokens_per_year, "USD/Mtoken"), share(line, total))
    return out


def _usd(quantity, unit: str) -> str:
    return q(quantity, unit).replace(unit, "USD")


def _headline(result) -> Table:
    s = result.scenario
    unit = "racks" if "rack" in result.form_factor else "servers"
    ratio, cached = float(s.input_output_price_ratio.m), float(s.cached_input_price_ratio.m)
    rows = [
        ("Accelerators", f"{result.accelerators:,.0f} ({result.systems:,.0f} {unit})"),
        ("IT power", q(result.it_power, "MW")),
        ("Energy per year", si(result.energy_per_year, "Wh/year")),
        ("Water per year", q(result.water_per_year, "m**3/year").replace("m**3/year", "m³/yr")),
        ("Tokens per year", q(result.tokens_per_year, "token/year").replace("token/year", "tokens/yr")),
        ("Tokens per kWh", q(result.tokens_per_energy, "token/kWh").replace("token/kWh", "tokens")),
        ("Cost per accelerator-hour", _usd(result.cost_per_accelerator_hour, "USD/hour")),
        ("Levelized cost per million tokens", _usd(result.cost_per_million_tokens, "USD/Mtoken")),
        ("Revenue that pays every cost line, per year", q(result.breakeven_revenue_per_year, "USD/year")),
        ("Cost per Mtoken of output, all cost on output",
         _usd(result.cost_per_million_output_tokens, "USD/Mtoken")),
        (f"Price per Mtoken, in/cached/out (1:{cached:g}:{ratio:g})",
         f"{q(result.breakeven_input_price_per_million_tokens, 'USD/Mtoken').replace(' USD/Mtoken', '')} / "
         f"{q(result.breakeven_cached_input_price_per_million_tokens, 'USD/Mtoken').replace(' USD/Mtoken', '')} / "
         f"{_usd(result.breakeven_output_price_per_million_tokens, 'USD/Mtoken')}"),
    ]
    hit = float(s.cache_hit_rate.m_as(""))
    if hit:
        every_input = result.input_tokens_per_year
        average = (result.breakeven_input_price_per_million_tokens * (1 - hit)
                   + result.breakeven_cached_input_price_per_million_tokens * hit)
        rows += [(f"Input tokens from the prompt cache ({100 * hit:g} %)",
                  f"{q(result.cached_input_tokens_per_year, 'token/year').replace('token/year', 'tokens/yr')} of "
                  f"{q(every_input, 'token/year').replace('token/year', 'tokens/yr')}"),
                 ("Levelized price of an input token, cached or not, per Mtoken", _usd(average, "USD/Mtoken"))]
    if float(np.max(result.plant_cost_per_energy.magnitude)):
        rows.append(("On-site plant: its energy as run here / its LCOE",
                     f"{q(result.plant_cost_per_energy, 'USD/MWh').replace(' USD/MWh', '')} / "
                     f"{q(result.plant_lcoe, 'USD/MWh')}"))
    return kv_table("Headline", rows)


def factory_renderable(result):
    """A rich renderable of a scalar factory result: assumptions, capex, annual cost, headline."""
    _scalar(result)
    s = result.scenario
    title = Text.assemble(
        ("AI factory: ", "bold"),
        (f"{human(result.facility_power.m_as('MW'), 'MW')} facility power", "bold cyan"),
        (" with ", "bold"),
        (f"{result.accelerator_name} [{s.accelerator}]", "bold cyan"),
        (" (announced, vendor figures)" if result.accelerator_status == "announced" else "", "yellow"),
    )
    plant = ("\nOn-site plant: sized at facility power x (1 + plant_capacity_margin) and run at the site's load, it "
             "delivers less energy per kW than at its availability, so its energy costs more than its LCOE "
             "(tokencalc power)." if float(np.max(result.plant_cost_per_energy.magnitude)) else "")
    note = Text(f"Throughput: {result.throughput_source}.{plant}\n"
                "Levelized cost: what a token must sell for to pay every cost line, the cost of capital "
                "included (reference model v1). The break-even price with a build period, tax and financing: "
                "tokencalc breakeven.",
                style="dim")
    bought = bool(float(result.annual_cost.accelerator_hours.magnitude))
    capex = Text("Capital expenditure: none (the accelerator-hours are bought at a price per hour that includes "
                 "them).", style="dim") if bought else _capex(result)
    return Group(title, _assumptions(result), capex, _annual(result, bought), _headline(result), note)


def factory_html(result) -> str:
    """HTML for Jupyter: the rich rendering exported as HTML."""
    console = Console(record=True, width=110, file=io.StringIO())
    console.print(factory_renderable(result))
    return console.export_html(inline_styles=True)


def scenario_renderable(show):
    """A preset or scenario file: what it sets, then the factory's answer under it."""
    cited = show.sources()
    sets = rows_table(escape(f"Scenario {show.name}: {show.loaded.description}"), ("parameter", "value", "source"),
                      [(k, str(v), cited[k]) for k, v in show.loaded.parameters.items()])
    return Group(sets, Text(""), factory_renderable(show.factory))
