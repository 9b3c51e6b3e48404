"""The report's charts (plotly figures) and the table behind each one, from a report's results.

Each builder returns a :class:`Chart`: a title, a sentence saying what it shows, the figure (plotly's
figure format as plain data, which plotly.js draws; plotly's Python package only writes it into the page)
and the table of the same figures (the chart's text alternative). Colours: the Okabe-Ito palette, safe for
the common colour-vision deficiencies. Numbers are formatted by :mod:`.format`; nothing is computed
here that the results do not hold.
"""

from __future__ import annotations

import attrs
import numpy as np

from .factory import ANNUAL_LABELS, CAPEX_LABELS
from .format import distribution_text, human, q, share

__all__ = ["Chart", "PALETTE", "capex_chart", "annual_chart", "frontier_chart", "factors_chart", "systems_chart",
           "tornado_chart", "montecarlo_chart", "cashflow_chart", "fleet_chart"]

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
_PLANT = ("power_plant", "power_plant_capital", "fuel", "plant_operations", "accelerator_hours")  # shown if not 0


@attrs.frozen
class Chart:
    """One chart of the page: its anchor, title, what it shows, the figure and its data table."""

    id: str
    title: str
    caption: str
    figure: dict  # a plotly figure as data: {"data": [...], "layout": {...}}
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _axis(title: str, **extra) -> dict:
    return dict(title=dict(text=title), automargin=True, gridcolor="#e5e5e5", zerolinecolor="#bbbbbb",
                linecolor="#bbbbbb", **extra)


def _figure(data: list, xaxis: str, yaxis: str, height: int = 420, xlog: bool = False, ylog: bool = False,
            lines: tuple = (), **extra) -> dict:
    """A plotly figure as plain data (drawn by plotly.js as it is: no Python-side validation, so a page is fast):
    white background, the palette, ``lines`` = (x, text, dash) vertical markers."""
    layout = dict(colorway=list(PALETTE), height=height, autosize=True, paper_bgcolor="white", plot_bgcolor="white",
                  margin=dict(l=10, r=10, t=30, b=10), font=dict(family="system-ui, sans-serif", size=13,
                                                                  color="#1b1b1b"),
                  xaxis=_axis(xaxis, **({"type": "log"} if xlog else {})),
                  yaxis=_axis(yaxis, **({"type": "log"} if ylog else {})),
                  legend=dict(orientation="h", y=-0.2), hoverlabel=dict(namelength=-1), hovermode="closest", **extra)
    layout["shapes"] = [dict(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1,
                             line=dict(color=PALETTE[7], width=1.5, dash=dash)) for x, _, dash in lines]
    layout["annotations"] = [dict(x=x, xref="x", y=1, yref="paper", text=text, showarrow=False, yanchor="bottom")
                             for x, text, _ in lines]
    return {"data": data, "layout": layout}


def _lines(result, labels: dict, what):
    """(label, quantity) of each line of a cost stack; the on-site plant's and bought hours' lines only if not 0."""
    return [(label, getattr(what, name)) for name, label in labels.items()
            if name not in _PLANT or float(getattr(what, name).magnitude)]


def _bars(lines, unit: str, texts: list[str]) -> list[dict]:
    labels = [label for label, _ in lines][::-1]
    values = [float(v.m_as(unit)) for _, v in lines][::-1]
    return [dict(type="bar", x=values, y=labels, orientation="h", marker=dict(color=PALETTE[0]), text=texts[::-1],
                 textposition="auto", customdata=texts[::-1], hovertemplate="%{y}: %{customdata}<extra></extra>")]


def capex_chart(result) -> Chart:
    capex, count = result.capex, result.accelerators
    lines = _lines(result, CAPEX_LABELS, capex)
    texts = [f"{q(v, 'USD')} ({share(v, capex.total)})" for _, v in lines]
    fig = _figure(_bars(lines, "GUSD", texts), "billion USD", "", height=300)
    rows = [(label, q(v, "USD"), q(v / count, "USD"), share(v, capex.total)) for label, v in lines]
    rows.append(("Total", q(capex.total, "USD"), q(capex.total / count, "USD"), "100.0 %"))
    return Chart("capex", "Capital expenditure", f"What the site costs to build, line by line: {q(capex.total, 'USD')}.",
                 fig, ("line", "amount", "per accelerator", "share"), tuple(rows))


def annual_chart(result) -> Chart:
    annual, made = result.annual_cost, result.tokens_per_year
    lines = _lines(result, ANNUAL_LABELS, annual)
    texts = [f"{q(v, 'USD/year')} ({share(v, annual.total)})" for _, v in lines]
    fig = _figure(_bars(lines, "MUSD/year", texts), "million USD per year", "", height=380)
    rows = [(label, q(v, "USD/year"), q(v / made, "USD/Mtoken"), share(v, annual.total)) for label, v in lines]
    rows.append(("Total", q(annual.total, "USD/year"), q(result.cost_per_million_tokens, "USD/Mtoken"), "100.0 %"))
    return Chart("annual", "Annual cost", "What the site costs each year, the cost of capital included (capital "
                 f"charge): {q(annual.total, 'USD/year')}.", fig, ("line", "per year", "per Mtoken", "share"),
                 tuple(rows))


def frontier_chart(study, factory) -> Chart:
    data, rows = [], []
    for i, choice in enumerate(study.choices):
        name = f"{choice.serving}, spec-decode {choice.spec_decode}"
        for front, dash in ((choice.model, "solid"), (choice.measured, "dot")):
            if front is None:
                continue
            label = f"{name} ({front.source})"
            data.append(dict(type="scatter", x=front.interactivity, y=front.total, name=label,
                             mode="lines+markers" if front.source == "measured" else "lines",
                             line=dict(color=PALETTE[i % 6], dash=dash),
                             hovertemplate=f"{label}<br>%{{x:.4g}} tok/s per user: %{{y:,.0f}} tok/s<extra></extra>"))
            rows += [(label, f"{x:.4g}", f"{y:,.0f}") for x, y in zip(front.interactivity, front.total)]
    points = [c.point for c in study.measured if c.point.interactivity is not None]
    if points:
        data.append(dict(type="scatter", x=[p.interactivity for p in points], y=[p.total for p in points],
                         mode="markers", name="measured points", marker=dict(symbol="diamond", size=9, color=PALETTE[7]),
                         hovertemplate="measured: %{x:.4g} tok/s per user, %{y:,.0f} tok/s<extra></extra>"))
        rows += [(f"measured point ({p.source})", f"{p.interactivity:.4g}", f"{p.total:,.0f}") for p in points]
    y = float(factory.scenario.tokens_per_second_per_accelerator.m_as("token/s"))
    if study.target.interactivity is not None:
        x = float(study.target.interactivity.m_as("token/s"))
        data.append(dict(type="scatter", x=[x], y=[y], mode="markers", name="operating point",
                         marker=dict(symbol="star", size=18, color=PALETTE[3], line=dict(width=1, color="#000")),
                         hovertemplate="operating point: %{x:.4g} tok/s per user, %{y:,.0f} tok/s<extra></extra>"))
        rows.append(("operating point", f"{x:.4g}", f"{y:,.0f}"))
    fig = _figure(data, "interactivity [output tokens/s per user]", "throughput [tokens/s per accelerator]",
                  height=460, xlog=True, ylog=True)
    return Chart("frontier", "Throughput against interactivity",
                 f"{study.system.id} serving {study.model.id}: each serving choice's frontier (model: solid; measured "
                 "curve: dotted), measured points and the operating point (star). "
                 f"Throughput: {factory.throughput_source}.", fig,
                 ("curve", "interactivity [tok/s per user]", "tokens/s per accelerator"), tuple(rows))


def _comparison(comparison):
    return getattr(comparison, "comparison", comparison)  # a Ranking holds its Comparison


def factors_chart(comparison) -> Chart:
    c = _comparison(comparison)
    others = [s for s in c.systems if s.ratio is not None]
    names = list(others[0].factors) if others else []
    ids = [s.id for s in others]
    data = [dict(type="bar", x=ids, y=[s.factors[factor] for s in others], name=factor.replace("_", " "),
                 marker=dict(color=PALETTE[i % len(PALETTE)]),
                 hovertemplate=f"%{{x}}: {factor.replace('_', ' ')} x%{{y:.3g}}<extra></extra>")
            for i, factor in enumerate(names)]
    data.append(dict(type="scatter", x=ids, y=[s.ratio for s in others], mode="markers", name="ratio (the product)",
                     marker=dict(symbol="line-ew-open", size=40, color="#000", line=dict(width=3, color="#000")),
                     hovertemplate="%{x}: cost ratio x%{y:.3g}<extra></extra>"))
    fig = _figure(data, "", "factor (log scale)", height=440, ylog=True,
                  barmode="group")
    rows = tuple((s.id, f"{s.ratio:.3g}", *(f"{s.factors[f]:.3g}" for f in names)) for s in others)
    return Chart("factors", "Why the cost per token differs: factor decomposition",
                 f"The ratio of {c.baseline}'s cost per token to each system's, split into factors that multiply to "
                 "it (above 1: the system is cheaper on that factor; log scale). The black mark is the ratio itself.", fig,
                 ("system", "ratio", *(n.replace("_", " ") for n in names)), rows)


def systems_chart(comparison) -> Chart:
    c = _comparison(comparison)
    ids = [s.id for s in c.systems]
    costs = [float(s.result.cost_per_million_tokens.m_as("USD/Mtoken")) for s in c.systems]
    spread = max(costs) / min(costs) > 10 if costs and min(costs) > 0 else False  # a tenfold range: bars on a log axis
    fig = _figure([dict(type="bar", x=ids, y=costs, marker=dict(color=PALETTE[4]), text=[f"{v:.4g}" for v in costs],
                        textposition="auto", hovertemplate="%{x}: %{y:.4g} USD/Mtoken<extra></extra>")],
                  "", "levelized cost [USD per million tokens]" + (" (log scale)" if spread else ""), height=380,
                  ylog=spread)
    rows = tuple((s.id, s.result.accelerator_status, f"{s.result.accelerators:,.0f}", q(s.result.capex.total, "USD"),
                  f"{float(s.tokens_per_second_per_accelerator.m_as('token/s')):,.0f}",
                  q(s.result.cost_per_accelerator_hour, "USD/hour"), f"{cost:.4g}") for s, cost in zip(c.systems, costs))
    excluded = getattr(comparison, "excluded", ())
    note = f" Not ranked: {'; '.join(f'{i} ({why})' for i, _, why in excluded)}." if excluded else ""
    return Chart("systems", "Systems side by side", f"The same site and workload on each system; baseline "
                 f"{c.baseline}.{note}", fig, ("system", "status", "accelerators", "capex", "tokens/s per accelerator",
                                               "USD per accelerator-hour", "USD/Mtoken"), rows)


def tornado_chart(sensitivity, shown: int = 15) -> Chart:
    rows = list(sensitivity.rows[:shown])[::-1]
    low = [min(r.cost_at_low, r.cost_at_high) for r in rows]
    high = [max(r.cost_at_low, r.cost_at_high) for r in rows]
    custom = [[r.name, f"{r.cost_at_low:.4g}", f"{r.cost_at_high:.4g}", human(float(r.low.magnitude)),
               human(float(r.high.magnitude)), f"{r.low.units:~P}"] for r in rows]
    bars = dict(type="bar", x=[h - lo for lo, h in zip(low, high)], base=low, y=[r.name for r in rows],
                orientation="h", marker=dict(color=PALETTE[0]), customdata=custom,
                hovertemplate="%{customdata[0]}: %{customdata[1]} USD/Mtoken at %{customdata[3]}, %{customdata[2]} "
                              "at %{customdata[4]} %{customdata[5]}<extra></extra>")
    fig = _figure([bars], "levelized cost [USD per million tokens]", "", height=max(320, 28 * len(rows) + 120),
                  lines=((sensitivity.base_cost, f"base {sensitivity.base_cost:.4g}", "solid"),), showlegend=False)
    table = tuple((r.name, f"{human(float(r.low.magnitude))} .. {human(float(r.high.magnitude))} {r.low.units:~P}",
                   f"{r.cost_at_low:.4g}", f"{r.cost_at_high:.4g}", f"{r.swing:.4g}") for r in sensitivity.rows)
    return Chart("tornado", "Sensitivity (tornado)", f"The levelized cost per million tokens as each parameter moves "
                 f"alone over its low-high range (the {min(shown, len(sensitivity.rows))} largest swings drawn; all in "
                 "the table).", fig, ("parameter", "range", "at low [USD/Mtoken]", "at high", "swing"), table)


def montecarlo_chart(mc) -> Chart:
    values = np.asarray(mc.cost_per_million_tokens, dtype=float)
    qs = mc.quantiles(values)
    histogram = dict(type="histogram", x=values, nbinsx=50, marker=dict(color=PALETTE[4]), name="samples",
                     hovertemplate="%{x} USD/Mtoken: %{y} samples<extra></extra>")
    fig = _figure([histogram], "levelized cost [USD per million tokens]", "samples", height=400, bargap=0.02,
                  showlegend=False, lines=tuple((qs[k], f"{k} {qs[k]:.4g}", dash) for k, dash in
                                                (("p5", "dot"), ("p50", "solid"), ("p95", "dot"))))
    rows = tuple((k, f"{v:.4g}") for k, v in qs.items()) + tuple((f"input: {k}", distribution_text(k, kind, args))
                                                                  for k, (kind, args) in mc.specs)
    return Chart("montecarlo", "How sure: Monte Carlo", f"{mc.samples:,} samples drawn with seed {mc.seed} (the same "
                 "seed gives the same page): every uncertain parameter at once, triangular over the catalog's "
                 "low-default-high range (the throughput lognormal through its out-of-sample band) unless a "
                 "scenario file gives distributions.", fig, ("statistic", "value"), rows)


def cashflow_chart(flows) -> Chart:
    years = [int(r["year"]) for r in flows.years]
    cash = [r["cash_flow"] / 1e9 for r in flows.years]
    data = [dict(type="bar", x=years, y=cash, name="cash flow",
                 marker=dict(color=[PALETTE[0] if v >= 0 else PALETTE[3] for v in cash]),
                 hovertemplate="year %{x}: %{y:.4g} B USD<extra>cash flow</extra>"),
            dict(type="scatter", x=years, y=[r["cumulative_cash_flow"] / 1e9 for r in flows.years], name="cumulative",
                 mode="lines+markers", line=dict(color=PALETTE[7]),
                 hovertemplate="year %{x}: %{y:.4g} B USD<extra>cumulative</extra>")]
    fig = _figure(data, "year (0: start of construction)", "billion USD", height=420)
    keys = ("capex", "revenue", "operating_costs", "tax", "cash_flow", "cumulative_cash_flow")
    rows = tuple((str(int(r["year"])), *(human(r[k]) for k in keys)) for r in flows.years)
    irr = "n/a" if flows.irr is None else f"{100 * flows.irr:.2f} %"
    return Chart("cashflow", "Cash flows at the break-even price",
                 f"Year by year at {q(flows.price, 'USD/Mtoken')} (the break-even price: NPV = 0 at the cost of "
                 f"capital); IRR {irr}. Bars: each year's cash flow (orange: negative); line: cumulative.", fig,
                 ("year", *(k.replace("_", " ") for k in keys)), rows)


def fleet_chart(fleet) -> Chart:
    years = [r["year"] for r in fleet.rows]
    generations = list(dict.fromkeys(g for r in fleet.rows for g in r["installed"]))
    data = [dict(type="scatter", x=years, y=[r["installed"].get(g, 0.0) for r in fleet.rows], name=g, mode="lines",
                 stackgroup="installed", line=dict(color=PALETTE[i % 7], shape="hv"),
                 hovertemplate=f"%{{x}}: {g} %{{y:,.0f}} MW<extra></extra>") for i, g in enumerate(generations)]
    data.append(dict(type="scatter", x=years, y=[r["cost_per_million_tokens"] for r in fleet.rows],
                     name="cost per Mtoken", yaxis="y2", mode="lines+markers",
                     line=dict(color=PALETTE[7], dash="dash", shape="hv"),
                     hovertemplate="%{x}: %{y:.4g} USD/Mtoken<extra></extra>"))
    fig = _figure(data, "year", "installed facility power [MW]", height=460,
                  yaxis2=_axis("cost [USD per million tokens]", overlaying="y", side="right", rangemode="tozero",
                               showgrid=False))
    rows = tuple((str(r["year"]), *(f"{r['installed'].get(g, 0.0):,.0f}" for g in generations),
                  "n/a" if r["cost_per_million_tokens"] is None else f"{r['cost_per_million_tokens']:.4g}")
                 for r in fleet.rows)
    return Chart("fleet", "The treadmill: a power-capped site across generations",
                 f"{fleet.halls} halls of {q(fleet.hall_power, 'MW')} from {fleet.start}, first built with "
                 f"{fleet.first}, policy {fleet.policy}: installed MW by generation (areas) and the cost per token "
                 f"(dashed, right axis); NPV {q(fleet.npv, 'USD')}.", fig,
                 ("year", *(f"{g} [MW]" for g in generations), "USD/Mtoken"), rows)
