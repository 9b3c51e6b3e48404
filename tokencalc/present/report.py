"""One scenario's page: a self-contained HTML file (styles, the plotting script, data inline; nothing fetched).

Sections: the headline, the cost stack, the throughput frontier, the comparison (when asked for), the
tornado, the Monte Carlo, the cash flows, the fleet (when asked for), the assumptions with their sources,
and a footer with the version, the command and the scenario as TOML. Each chart is a plotly figure with
its data table one click away; plotly's JavaScript is inlined once. Needs the report extra
(``pip install 'tokencalc[report]'``). Written to a temporary file and renamed: nothing is half-written.
"""

from __future__ import annotations

import html
import re

import numpy as np

from ..errors import TokencalcError
from ..parameters import PARAMETERS
from .files import write_file
from .format import display_unit, human, origin_text
from .report_charts import (annual_chart, capex_chart, cashflow_chart, factors_chart, fleet_chart, frontier_chart,
                            montecarlo_chart, systems_chart, tornado_chart)
from .report_style import CSS, SCRIPT

__all__ = ["write_page", "page_html", "headline", "require_plotly", "DIGITS"]

DIGITS = 4  # significant digits of the figures shown; each figure's exact value is in its data-value attribute
MISSING = "the report needs plotly: pip install 'tokencalc[report]'"


def require_plotly():
    """plotly's offline module, or one line saying how to install it (TokencalcError)."""
    try:
        import plotly.offline as offline  # lazy: the report extra, loaded only to draw a page
        import plotly.io  # noqa: F401  # lazy: the report extra, loaded only to draw a page
    except ImportError:
        raise TokencalcError(MISSING) from None
    return offline


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def headline(report) -> list[tuple[str, str, float, str, str]]:
    """(key, label, exact value, unit, note) of each headline figure; the keys and labels are the JSON keys and
    the labels of ``tokencalc factory`` and ``tokencalc breakeven``."""
    f, flows = report.factory, report.cashflow
    ratio = float(f.scenario.input_output_price_ratio.m)

    def v(quantity, unit):
        return float(quantity.m_as(unit))

    return [
        ("cost_per_million_tokens", "Levelized cost per million tokens", v(f.cost_per_million_tokens, "USD/Mtoken"),
         "USD/Mtoken", "every cost line, the cost of capital included (reference model v1)"),
        ("breakeven_price_per_million_tokens", "Break-even price per million tokens",
         v(flows.breakeven_price_per_million_tokens, "USD/Mtoken"), "USD/Mtoken",
         "NPV = 0 at the cost of capital, with build period and tax (tokencalc breakeven)"),
        ("breakeven_input_price_per_million_tokens", "Levelized price per Mtoken, input",
         v(f.breakeven_input_price_per_million_tokens, "USD/Mtoken"), "USD/Mtoken", f"output priced {ratio:g} x input"),
        ("breakeven_output_price_per_million_tokens", "Levelized price per Mtoken, output",
         v(f.breakeven_output_price_per_million_tokens, "USD/Mtoken"), "USD/Mtoken", f"{ratio:g} x the input price"),
        ("cost_per_million_output_tokens", "Cost per million output tokens (all cost on output)",
         v(f.cost_per_million_output_tokens, "USD/Mtoken"), "USD/Mtoken", ""),
        ("cost_per_accelerator_hour", "Cost per accelerator-hour", v(f.cost_per_accelerator_hour, "USD/hour"),
         "USD/hour", ""),
        ("breakeven_price_per_accelerator_hour", "Break-even price per rented accelerator-hour",
         v(flows.breakeven_price_per_accelerator_hour, "USD/hour"), "USD/hour", "tokencalc breakeven"),
        ("tokens_per_megawatt_year", "Tokens per MW of facility power, per year",
         v(report.tokens_per_megawatt_year, "token/(MW*year)"), "token/(MW*year)", "utilization and PUE included"),
        ("tokens_per_year", "Tokens per year", v(f.tokens_per_year, "token/year"), "token/year", ""),
        ("capex", "Capital expenditure", v(f.capex.total, "USD"), "USD", "capex.total"),
        ("annual_cost", "Annual cost", v(f.annual_cost.total, "USD/year"), "USD/year", "annual_cost.total"),
    ]


def _headline_html(report) -> str:
    cards = []
    for key, label, value, unit, note in headline(report):
        shown = human(value, "", digits=DIGITS)
        cards.append(f'<div class="card"><dt>{_e(label)}</dt><dd class="figure" data-key="{key}" '
                     f'data-value="{value!r}" data-unit="{_e(unit)}"><span class="number">{_e(shown)}</span> '
                     f'<small>{_e(unit)}</small></dd>' + (f'<dd class="note">{_e(note)}</dd>' if note else "")
                     + "</div>")
    f = report.factory
    return (f'<section id="headline"><h2>Headline</h2><p class="caption">{f.accelerators:,.0f} accelerators, '
            f'{human(float(f.it_power.m_as("MW")), "MW")} of IT power. Figures to {DIGITS} significant digits; the '
            f'exact value of each is in its data-value attribute (the same as <code>--json</code>).</p>'
            f'<dl class="cards">{"".join(cards)}</dl></section>')


def _table(headers, rows, numeric=None) -> str:
    """A table whose cells are HTML already; ``numeric``: the columns aligned right (default: all but the first)."""
    numeric = set(range(1, len(headers))) if numeric is None else set(numeric)
    head = "".join(f'<th scope="col"{" class=num" if i in numeric else ""}>{_e(h)}</th>'
                   for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{cell}</td>'
                                    for i, cell in enumerate(row)) + "</tr>" for row in rows)
    return f'<div class="table-box"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _chart_html(chart, include_js: bool) -> str:
    import plotly.io as pio  # lazy: the report extra, loaded only to draw a page

    div = pio.to_html(chart.figure, validate=False, full_html=False, include_plotlyjs=include_js, div_id=f"plot-{chart.id}",
                      default_width="100%", config={"responsive": True, "displaylogo": False,
                                                    "toImageButtonOptions": {"filename": f"tokencalc-{chart.id}"}})
    rows = [tuple(_e(c) for c in row) for row in chart.rows]
    return (f'<section class="chart" id="{chart.id}"><h2>{_e(chart.title)}</h2><p class="caption">{_e(chart.caption)}'
            f'</p><div class="plot" role="img" aria-label="{_e(chart.title)}: chart; its data table follows">{div}'
            f'</div><details><summary>Data table: {_e(chart.title)}</summary>{_table(chart.headers, rows)}</details>'
            "</section>")


def _source_ids(report, name: str, origin) -> list[str]:
    ids = [fig.source for fig in origin.figures] if origin is not None else []
    if name == "tokens_per_second_per_accelerator":  # the throughput note names its measured curves' sources
        ids += [i for i in re.findall(r"[a-z0-9][a-z0-9.-]+", report.factory.provenance.throughput or "")
                if i in report.sources]
    return list(dict.fromkeys(ids))


def _link(report, source_id: str) -> str:
    source = report.sources.get(source_id)
    if source is None:
        return _e(source_id)
    title = _e(f"{source.title} ({source.date})")
    if source.url.startswith(("http://", "https://")):
        return f'<a href="{_e(source.url)}" title="{title}" rel="noopener">{_e(source_id)}</a>'
    return f'<span title="{title}">{_e(source_id)}</span>'


def _assumptions_html(report) -> str:
    f = report.factory
    rows = []
    for name, spec in PARAMETERS.items():
        value, origin = getattr(f.scenario, name), f.provenance.get(name)
        if isinstance(value, str):
            shown, unit = value, "id"
        else:
            unit = display_unit(name)
            magnitude = float(np.asarray(value.m_as(unit)))
            shown = f"{magnitude:,.6g}" if abs(magnitude) < 1e15 else f"{magnitude:.6g}"
        links = ", ".join(_link(report, i) for i in _source_ids(report, name, origin))
        dates = "; ".join(dict.fromkeys(f"{fig.date}{' (estimate)' if fig.estimate else ''}"
                                        for fig in (origin.figures if origin else ())))
        rows.append((f"<code>{_e(name)}</code>", _e(spec.group), _e(shown), _e(unit if unit != "1" else ""),
                     _e(origin_text(origin)), links, _e(dates)))
    table = _table(("parameter", "group", "value", "unit", "from", "sources", "date"), rows, numeric=(2,))
    return ('<section id="assumptions" class="long"><h2>Assumptions</h2><p class="caption">Every parameter, its value, '
            'unit and where it came from; each source links to its publication (nothing is fetched). Throughput: '
            f'{_e(f.throughput_source)}.</p>{table}</section>')


def _sources_html(report) -> str:
    f = report.factory
    cited = list(dict.fromkeys(i for name in PARAMETERS
                               for i in _source_ids(report, name, f.provenance.get(name))))
    items = "".join(f"<li>{_link(report, i)}: {_e(report.sources[i].title)}, {_e(report.sources[i].date)}</li>"
                    for i in cited if i in report.sources)
    return f'<section id="sources" class="long"><h2>Sources cited</h2><ul>{items}</ul></section>'


def _footer_html(report) -> str:
    command = report.command or "tokencalc report"
    return (f'<footer><p>Made by tokencalc {_e(report.version)} with <code id="command">{_e(command)}</code>. '
            "Every default figure is from the catalog, with its source above.</p>"
            '<details><summary>The scenario as TOML (save as site.toml; rerun with --scenario site.toml)</summary>'
            '<button type="button" onclick="tokencalcCopy(\'scenario-toml\', this)">Copy</button>'
            f'<pre id="scenario-toml">{_e(report.scenario_toml)}</pre></details></footer>')


def _charts(report) -> list:
    f = report.factory
    bought = bool(float(f.annual_cost.accelerator_hours.magnitude))
    charts = ([] if bought else [capex_chart(f)]) + [annual_chart(f), frontier_chart(report.throughput, f)]
    if report.comparison is not None:
        charts += [systems_chart(report.comparison)]
        if len(getattr(report.comparison, "systems", ())) > 1:
            charts.append(factors_chart(report.comparison))
    charts += [tornado_chart(report.sensitivity), montecarlo_chart(report.montecarlo), cashflow_chart(report.cashflow)]
    if report.fleet is not None:
        charts.append(fleet_chart(report.fleet))
    return charts


def page_html(report) -> str:
    """The whole page as one HTML text (plotly's JavaScript inline once, before the first chart)."""
    require_plotly()
    f = report.factory
    charts = _charts(report)
    title = (f"tokencalc report: {human(float(f.facility_power.m_as('MW')), 'MW')} with {f.accelerator_name} "
             f"[{f.scenario.accelerator}]")
    status = " (announced: vendor figures)" if f.accelerator_status == "announced" else ""
    nav = "".join(f'<li><a href="#{i}">{_e(t)}</a></li>' for i, t in
                  [("headline", "Headline"), *((c.id, c.title) for c in charts), ("assumptions", "Assumptions"),
                   ("sources", "Sources")])
    body = "".join(_chart_html(c, i == 0) for i, c in enumerate(charts))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="generator" content="tokencalc {_e(report.version)}"><title>{_e(title)}</title>'
            f"<style>{CSS}</style><script>{SCRIPT}</script></head><body>"
            f"<header><h1>{_e(title)}{_e(status)}</h1><p class=\"sub\">{_e(f.scenario.model)}, "
            f"{int(f.scenario.isl.m_as('token'))} in / {int(f.scenario.osl.m_as('token'))} out at "
            f"{float(f.scenario.interactivity.m_as('token/s')):g} tokens/s per user; {_e(f.scenario.power_source)} "
            f"power, {_e(f.scenario.cooling)} cooling.</p><nav aria-label=\"Sections\"><ul>{nav}</ul></nav></header>"
            f"<main>{_headline_html(report)}{body}{_assumptions_html(report)}{_sources_html(report)}</main>"
            f"{_footer_html(report)}</body></html>\n")


def write_page(report, path: str) -> None:
    """Write the page to ``path``: a temporary file in the same directory, renamed when whole."""
    text = page_html(report)

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)

    write_file(path, write, "--output", ".html.tmp")
