"""The fleet: year-by-year table, economic lives, the decision rule, the policies side by side, the roadmap;
its CSV; and the stacked-area chart of installed MW by generation with the cost per token."""

from __future__ import annotations

import numpy as np

import csv
import io
import math

from rich.console import Group
from rich.text import Text

from .format import human, q
from .plots import _pyplot, _save_figure, subtitle
from .tables import Split, kv_table, rows_table, table

__all__ = ["fleet_renderable", "decision_rule", "fleet_csv", "plot_fleet", "YEAR_LABELS"]

YEAR_LABELS = {"revenue": "revenue", "capex": "capex", "opex": "opex", "tax": "tax", "cash_flow": "cash flow",
               "cumulative_npv": "cum. NPV"}


def _cost(value: float) -> str:
    return f"{human(value)}" if math.isfinite(value) else "no tokens"


def _cell(value) -> str:
    return "" if value is None else (human(value) if value else "0")


def decision_rule(result) -> list[str]:
    """The replacements in words, one line per (from, to, age, year): 'replace h100 in 2026 at age 3 with
    gb300-nvl72, shipping since 2025 (halls 1, 2)'."""
    ships = {g.id: g.first_year for g in result.generations}
    groups: dict[tuple, list] = {}
    for d in result.decisions:
        groups.setdefault((d["from"], d["to"], d["age"], d["year"]), []).append(d["hall"])
    lines = []
    for (old, new, age, year), halls in groups.items():
        which = f"hall {halls[0]}" if len(halls) == 1 else f"halls {', '.join(str(h) for h in halls)}"
        if new not in ships:  # the hall is left without hardware
            lines.append(f"retire {old} in {year} at age {age} and leave the hall dark ({which})")
        elif old not in ships:
            lines.append(f"fill the dark hall in {year} with {new}, shipping since {ships[new]} ({which})")
        else:
            lines.append(f"replace {old} in {year} at age {age} with {new}, shipping since {ships[new]} ({which})")
    return lines


def _price_path(result) -> str:
    """How the token price moves: a steady fall, or the market's (the cheapest tokens on sale) year by year."""
    decline = float(result.scenario.token_price_decline.m_as("1/year"))
    prices = np.asarray(result.prices, dtype=float)
    steady = prices[0] * (1 - decline) ** np.arange(prices.size)
    if np.allclose(prices, steady, rtol=1e-9, atol=0):
        return f"falling {100 * decline:g} %/yr"
    return (f"then the market's (the cheapest tokens on sale: {human(prices[-1])} USD/Mtoken in "
            f"{result.start + prices.size - 1})")


def fleet_renderable(result):
    s = result.scenario
    head = Text.assemble(
        ("Fleet: ", "bold"), (f"{human(result.hall_power.m_as('MW') * result.halls, 'MW')}", "bold cyan"),
        f" in {result.halls} halls of {human(result.hall_power.m_as('MW'), 'MW')} (first operating "
        f"{', '.join(str(y) for y in sorted(set(result.online)))}), {result.start}-{result.start + result.years - 1}, "
        f"first built with {result.first}; policy ", (result.policy, "bold"),
        f"; token price {human(result.prices[0])} USD/Mtoken in {result.start}, {_price_path(result)}; "
        f"wacc {100 * s.wacc.m:g} %, tax {100 * s.tax_rate.m:g} %",
    )
    summary = kv_table(None, [(f"NPV at the cost of capital ({100 * s.wacc.m:g} %)", q(result.npv, "USD")),
                              ("Book loss written off (hardware retired before fully depreciated)",
                               human(result.book_loss.get("total", 0.0), "USD"))])
    ids = list(dict.fromkeys(g for row in result.rows for g in row["installed"]))
    installed = table("Installed (MW of facility power)", pad_edge=False)
    for label in ("year", *ids):
        installed.add_column(label, justify="right")
    year_rows = []
    for row in result.rows:
        if not any(row[k] for k in ("capex", "cash_flow", "tokens")):
            continue  # before construction
        cost = row["cost_per_million_tokens"]
        cells = {**row, "opex": row["operating_cost"] + row["maintenance"]}
        year_rows.append((str(row["year"]), _cell(row["tokens"]), *[_cell(cells[k]) for k in YEAR_LABELS],
                          "" if cost is None else f"{human(cost)}"))
        if row["installed"]:
            installed.add_row(str(row["year"]), *[f"{row['installed'][g]:,.0f}" if g in row["installed"] else ""
                                                  for g in ids])
    labels = ("year", "Mtoken", *YEAR_LABELS.values(), "USD/Mtoken")

    def build(shown):
        out = table("Year by year (USD, end of year; opex: energy, operations, maintenance)", pad_edge=False)
        for i in (0, *shown):
            out.add_column(labels[i], justify="right", no_wrap=True)
        for cells in year_rows:
            out.add_row(cells[0], *[cells[i] for i in shown])
        return out

    years = Split(build, range(1, len(labels)))
    lives = rows_table(
        f"Economic life under {result.policy} (book life {q(result.book_life, 'year')})",
        ("generation", "economic life", "book loss written off"),
        [(g, (">= " if censored else "") + f"{life:.3g} yr", human(result.book_loss.get(g, 0.0), "USD"))
         for g, (life, censored) in result.economic_life.items()])
    rule = Text("\n".join(["Decision rule:"] + [f"  {line}" for line in decision_rule(result)]
                          or ["Decision rule: no replacement within the horizon"]))
    costs = list(result.policies.items())
    marks = sorted({0, result.years // 2, result.years - 1})
    policies = rows_table("Policies side by side", ("policy", "NPV", *[f"USD/Mtoken {result.start + k}" for k in marks]),
                          [(("* " if name == result.policy else "") + name, human(p["npv"], "USD"),
                            *[_cost(p["cost_per_million_tokens"][k]) for k in marks]) for name, p in costs])
    roadmap = rows_table(
        "Roadmap (per hall)", ("generation", "status", "first volume", "Mtoken/yr", "launch price", "price fall",
                               "life limit"),
        [(g.id, g.status, g.first_year, human(g.tokens),
          human(g.compute_cost * (1 - g.price_decline) ** (g.first_year - g.price_year) + g.network_cost, "USD"),
          f"{100 * g.price_decline:.0f} %/yr", f"{g.life_limit} yr") for g in result.generations])
    note = Text("Economic life: mean years a generation ran before its hall was refilled (>= : still running at the "
                "horizon). At the horizon hardware in use is worth its remaining level capital charges over the life "
                "the policy gives it. Cost per Mtoken: level capital charges over the lives run, plus energy and "
                "operations, per token made that year.", style="dim")
    parts = [head, summary, years, installed, lives, rule, policies, roadmap, note]
    if result.excluded:
        parts.append(Text("Left out, a hall cannot host them: " + ", ".join(
            f"{g} ({why.split(':', 1)[0]})" for g, why in result.excluded.items()) + " (JSON: excluded, with why).",
            style="dim"))
    return Group(*parts)


def fleet_csv(result) -> str:
    """The yearly rows as CSV: figures in USD, Mtoken, USD/Mtoken; installed MW per generation as columns."""
    ids = list(dict.fromkeys(g for row in result.rows for g in row["installed"]))
    keys = ("year", "tokens", "revenue", "capex", "operating_cost", "maintenance", "tax", "residual_value",
            "book_loss", "cash_flow", "discounted_cash_flow", "cumulative_npv", "cost_per_million_tokens")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*keys, *[f"installed_mw:{g}" for g in ids]])
    for row in result.rows:
        writer.writerow([row["year"]] + ["" if row[k] is None else repr(float(row[k])) for k in keys[1:]]
                        + [repr(float(row['installed'].get(g, 0.0))) for g in ids])
    return buffer.getvalue()


def plot_fleet(result, path: str) -> None:
    """Stacked area of installed MW by generation, with the cost per million tokens on a second axis."""
    plt = _pyplot()
    rows = [r for r in result.rows if r["cost_per_million_tokens"] is not None]
    years = [r["year"] for r in rows]
    ids = list(dict.fromkeys(g for r in rows for g in r["installed"]))
    fig, ax = plt.subplots(figsize=(9, 4.8))
    ax.stackplot(years, [[r["installed"].get(g, 0.0) for r in rows] for g in ids], labels=ids, step="mid", alpha=0.8)
    ax.set_xlabel("year")
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_ylabel("installed [MW of facility power]")
    cost = ax.twinx()
    cost.plot(years, [r["cost_per_million_tokens"] for r in rows], color="black", marker="o", markersize=3,
              label="cost per Mtoken")
    cost.set_yscale("log")
    cost.set_ylabel("cost per million tokens [USD]")
    fig.suptitle(f"Fleet under {result.policy}: NPV {human(result.npv.m_as('USD'), 'USD')}", fontsize=12,
                 fontweight="bold")
    if result.scenario is not None:
        ax.set_title(subtitle(result.scenario, f"{result.halls} halls from {result.start}"), fontsize=7.5,
                     color="dimgray")
    ax.legend(fontsize=7, loc="upper left")
    cost.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    _save_figure(plt, fig, path)
