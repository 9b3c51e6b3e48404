"""Tables of the catalog: systems, one system with its sources, parameters, sources, models, presets."""

from __future__ import annotations

import pint
from rich.console import Group
from rich.text import Text

from .. import catalog
from ..units import unit_string
from .format import human, param_text
from .tables import Split, rows_table, table

__all__ = ["hardware_table", "hardware_detail", "parameters_table", "sources_table", "models_table",
           "presets_table"]


def _cell(fig, unit: str, fmt: str = "{:,.4g}") -> str:
    if fig is None:
        return "—"
    return fmt.format(fig.value.m_as(unit)) + ("*" if fig.estimate else "")


def _throughput_cell(listing, system) -> str:
    found = listing.default_throughput(system)
    if found is None:
        return "—"
    value, source = found
    return f"{value:,.0f}{'' if source == 'measured' else '°'}"


def hardware_table(listing):
    """The accelerator catalog: one row per system."""
    columns = ("id", "generation", "status", "acc.\n/sys.", "HBM\nGB", "HBM\nTB/s", "FP8\nPFLOP/s",
               "FP4\nPFLOP/s", "IT kW\n/acc.", "USD\n/acc.", "tok/s\n/acc.")
    rows = []
    for s in listing.systems:
        f = s.figures
        it, capex = s.it_power_per_accelerator, s.accelerator_capex
        rows.append((
            s.id, s.generation, s.status, str(s.accelerators_per_system),
            _cell(f.get("hbm_capacity"), "GB"), _cell(f.get("hbm_bandwidth"), "TB/s"),
            _cell(f.get("dense_fp8"), "PFLOP/s"), _cell(f.get("dense_fp4"), "PFLOP/s"),
            "—" if it is None else f"{it.m_as('kW'):.3g}" + ("*" if _power_figure(f).estimate else ""),
            "—" if capex is None else f"{capex.m_as('USD'):,.0f}" + ("*" if f["system_price"].estimate else ""),
            _throughput_cell(listing, s),
        ))

    def build(shown):
        out = table("Accelerator systems", pad_edge=False)
        out.add_column(columns[0], no_wrap=True)
        for i in shown:
            out.add_column(columns[i], justify="left" if i < 3 else "right", no_wrap=True)
        for row in rows:
            out.add_row(row[0], *[row[i] for i in shown])
        return out

    out = Split(build, range(1, len(columns)))
    note = Text("* estimate. Compute is dense (no sparsity). IT kW/acc. includes the host, network and storage "
                "share (SemiAnalysis' all-in kW / 1.234 where published); USD/acc. is the system price per accelerator; tok/s/acc. is for the default workload "
                "(input + output tokens; ° from the serving model, else from a measured curve). "
                "'tokencalc hardware show ID' gives every figure with its source.",
                style="dim")
    return Group(out, note)


def _power_figure(figures):
    """The figure IT power per accelerator is derived from: SemiAnalysis' all-in power, else the system's."""
    return figures.get("power_all_in") or figures["system_power"]


def _fig_text(fig, digits: int = 4) -> str:
    if not isinstance(fig.value, pint.Quantity):
        return f"{fig.value}{'*' if fig.estimate else ''}"
    return human(float(fig.value.magnitude), unit_string(fig.value), digits=digits) + ("*" if fig.estimate else "")


def hardware_detail(detail):
    """One system: every figure with its source, and the per-accelerator parameters derived from them."""
    system, known = detail.system, catalog.sources()
    head = Text.assemble((f"{system.name} [{system.id}]\n", "bold cyan"),
                         f"{system.vendor} {system.generation}, {system.status}; {system.form_factor} of "
                         f"{system.accelerators_per_system} accelerators; scale-up domain {system.scale_up_domain}")
    figures = table(None)
    figures.add_column("figure", no_wrap=True)
    figures.add_column("value", justify="right", no_wrap=True)
    figures.add_column("source, date, note")
    for name, fig in system.figures.items():
        src = known[fig.source]
        text = f"{src.id} ({fig.date}, {src.confidence})" + (" ESTIMATE" if fig.estimate else "")
        if fig.note:
            text += f"\n{fig.note}"
        figures.add_row(name, _fig_text(fig), text)
    derived = table("Per-accelerator parameters of the factory model")
    derived.add_column("parameter", no_wrap=True)
    derived.add_column("value", justify="right")
    derived.add_column("derivation")
    n = system.accelerators_per_system
    for name, unit, how in (
        ("it_power_per_accelerator", "kW",
         f"power_all_in / {detail.rules['all_in_power_ratio'].value.m:g}" if "power_all_in" in system.figures
         else f"system_power / {n} x (1 + {detail.rules['it_overhead_share'].value.m:g})"),
        ("accelerator_capex", "USD", f"system_price / {n}"),
        ("network_capex_per_accelerator", "USD", f"{detail.rules['network_capex_share'].value.m:g} x accelerator_capex"),
    ):
        value = getattr(system, name)
        derived.add_row(name, "not in catalog: set it" if value is None else human(value.m_as(unit), unit), how)
    return Group(head, figures, derived)


def parameters_table(listing):
    """Every parameter: unit, default, allowed range and where the default comes from."""
    rows = [(name, spec.bare_unit or "id", param_text(name, getattr(listing.scenario, name)),
             spec.allowed_text, listing.source(name))
            for name, spec in listing.specs.items()]
    return rows_table("Parameters (--set NAME=QUANTITY; a bare number is read in the unit shown). Defaults for "
                      "the default system, cooling and power source",
                      ("name", "unit", "default", "allowed", "default set by"), rows)


def sources_table(listing):
    return rows_table("Sources (confidence: H primary, M secondary, L estimate)",
                      ("id", "date", "conf.", "title and address"),
                      [(s.id, s.date, s.confidence, f"{s.title}\n{s.url}") for s in listing.sources])


def models_table(listing):
    rows = [(m.id, m.name, f"{m.total_params / 1e9:,.1f} B", f"{m.active_params / 1e9:,.1f} B", m.layers,
             m.attention.upper(), f"{m.experts_per_token}/{m.experts}" if m.experts else "dense",
             f"{m.max_context:,}", m.default_precision, m.source) for m in listing.models]
    return rows_table("LLM catalog (add your own: --model my-model.toml)",
                      ("id", "name", "total", "active", "layers", "attention", "experts", "context", "precision",
                       "source"), rows)


def presets_table(listing):
    return rows_table("Scenario presets (--scenario NAME)", ("name", "description", "sets"),
                      [(k, v.description, ", ".join(v.parameters)) for k, v in listing.presets.items()])
