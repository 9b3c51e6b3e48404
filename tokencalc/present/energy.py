"""Power sources with their LCOE, energy budgets and energy presets."""

from __future__ import annotations

from rich.console import Group
from rich.markup import escape
from rich.text import Text

from .format import human, si
from .tables import Split, rows_table, table

__all__ = ["power_renderable", "energy_renderable", "presets_renderable"]

def power_renderable(study):
    columns = (("id", "left"), ("kind", "left"), ("LCOE\nUSD/MWh", "right"), ("capex\nUSD/kW", "right"),
               ("heat rate\nBtu/kWh", "right"), ("fuel", "right"), ("avail.", "right"), ("published\nrange", "right"),
               ("sources", "left"))
    rows = []
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
        rows.append((o.id, o.kind, f"{row.lcoe.m_as('USD/MWh'):.1f}", *cells, check, sources))

    def build(shown):
        out = table(f"Power sources (LCOE at a cost of capital of {100 * study.wacc.m_as(''):g} %)", pad_edge=False)
        for i in (0, *shown):
            out.add_column(columns[i][0], justify=columns[i][1], no_wrap=i == 0 or None)
        for cells in rows:
            out.add_row(*[cells[i] for i in (0, *shown)])
        return out

    out = Split(build, range(1, len(columns)))
    note = Text("LCOE = (capex x crf(wacc, life) + fixed O&M) / (8,766 h x availability) + fuel x heat rate + "
                "variable O&M (NREL simple LCOE). * marks estimates. Use one in the factory: "
                "tokencalc factory --power-source gas-ccgt", style="dim")
    return Group(out, note)


def energy_renderable(study):
    r = study.result
    out = table(escape(f"Energy budget: {r.accelerator_name.strip()} [{r.scenario.accelerator}] serving "
                       f"{r.scenario.model}"), show_header=False)
    out.add_column("quantity")
    out.add_column("value", justify="right", style="bold", no_wrap=False)
    out.add_row("Tokens per kWh of facility energy", human(r.tokens_per_energy.m_as("token/kWh"), "tokens"))
    if study.energy is not None:
        e = study.energy
        out.add_row("Energy", study.energy_name)
        out.add_row("  = ", f"{si(e, 'Wh')} = {human(e.m_as('kWh'), 'kWh')}")
        out.add_row("  as average power over a year", si(e, "W*year", "W"))
        out.add_row("Tokens", human(study.tokens.m_as("token"), "tokens"))
    else:
        out.add_row("Tokens per day", human(study.tokens_per_day.m_as("token/day"), "tokens"))
        out.add_row("Facility power to build", si(study.facility_power_needed, "W"))
        out.add_row("Energy per year", si(study.energy_per_year_needed, "Wh/year"))
    out.caption = (f"Throughput: {r.throughput_source}. Site model: PUE {r.scenario.pue.m:g}, load factor "
                   f"{r.scenario.load_factor.m:g}, utilization {r.scenario.utilization.m:g}.")
    return out


def presets_renderable(listing):
    return rows_table("Energy presets (--energy NAME)", ("name", "energy", "what", "source"),
                      [(k, si(f.value, "Wh"), f.note, f"{f.source} ({f.date})")
                       for k, f in listing.presets.items()])
