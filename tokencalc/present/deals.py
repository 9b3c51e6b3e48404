"""A vendor deal as tables (price per accelerator, WACC, round trip, cost per token, the vesting schedule,
Monte Carlo quantiles), deals side by side, and the schedule as CSV."""

from __future__ import annotations

import csv
import io

from rich.console import Group
from rich.text import Text

from .format import human, q
from .tables import kv_table, rows_table, table

__all__ = ["deal_renderable", "comparison_renderable", "deal_csv"]


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def _summary_rows(r) -> list[tuple[str, str]]:
    w = r.without
    cost = r.without.cost_per_million_tokens
    rows = [
        ("hardware", f"{w.accelerator_name} ({w.accelerator_status})"),
        ("site priced", f"{q(w.it_power, 'MW')} IT, {q(w.facility_power, 'MW')} facility = "
                        f"{human(r.site_gigawatts)} deal GW ({r.deal.gigawatt_basis.value} basis)"),
        ("accelerators per deal GW", f"{r.accelerators_per_gw:,.0f}"),
        ("deal gigawatts", str(r.gigawatts)),
        ("list price per accelerator", q(r.list_price, "USD")),
        ("effective price per accelerator, after the first tranche", q(r.effective_price_after_first_tranche, "USD")),
        ("effective price per accelerator, whole deal", q(r.effective_price, "USD")),
        ("vendor revenue per GW", q(r.vendor_revenue_per_gw, "USD")),
        ("vendor's money in the deal", q(r.vendor_money, "USD")),
        ("vendor-funded share of capex", _pct(r.vendor_funded_share)),
        ("round-trip share of the vendor's revenue", _pct(r.round_trip_share)),
        ("WACC without / with vendor money", f"{_pct(float(w.scenario.wacc.m_as('')))} / {_pct(r.wacc_with_vendor)}"),
        ("cost per Mtoken without / with the deal",
         f"{q(cost, 'USD/Mtoken')} / {q(r.cost_per_million_tokens, 'USD/Mtoken')}"),
    ]
    if r.equity_stake is not None:
        rows.append(("vendor's stake in the buyer after the deal", _pct(r.equity_stake)))
    return rows


def _tranches_table(r):
    rows = [(t["tranche"], q(t["gigawatts_deployed"], "GW"), _year(t["year"]), human(t["shares"]),
             q(t["price_threshold"], "USD"), q(t["share_price"], "USD"), "yes" if t["vested"] else "no",
             q(t["rebate"], "USD"), q(t["effective_price"], "USD"), _pct(t["cumulative_round_trip_share"]))
            for t in r.tranches]
    return rows_table("Warrant tranches (split and thresholds: see the deal's figures)",
                      ["tranche", "at GW", "year", "shares", "target", "price", "vests", "rebate",
                       "price/accel.", "round trip"], rows)


def _investment_table(r):
    rows = [(row["gigawatt"], q(row["investment"], "USD"), _pct(row["equity_stake"]), _pct(row["round_trip_share"]),
             _pct(row["cumulative_round_trip_share"])) for row in r.investment]
    return rows_table("Vendor investment by gigawatt", ["GW", "invested", "stake bought", "round trip",
                                                         "cumulative"], rows)


def _samples_table(r):
    s = r.samples
    keys = ("p5", "p25", "p50", "p75", "p95", "mean")
    units = {"rebate": "USD", "effective_price_after_first_tranche": "USD", "effective_price_per_accelerator": "USD",
             "cost_per_million_tokens": "USD/Mtoken"}
    rows = [(f"{name.replace('_', ' ')} [{unit}]", *(human(s[name][k]["value"], digits=3) for k in keys))
            for name, unit in units.items()]
    title = (f"{s['samples']:,} lognormal share-price paths (volatility {s['volatility']:g}, seed {s['seed']}); "
             "vesting probability by tranche: " + ", ".join(f"{p:.0%}" for p in s["vesting_probability"]))
    return rows_table(title, ["quantity", *keys], rows)


def _year(year: float) -> str:
    """A decimal year as a quarter: 2026.75 -> 2026-Q4."""
    whole = int(year)
    return f"{whole}-Q{min(4, int((year - whole) * 4 + 1e-9) + 1)}"


def deal_renderable(r):
    """One deal's tables, or deals side by side (a comparison)."""
    if hasattr(r, "deals"):
        return comparison_renderable(r)
    d = r.deal
    parts = [kv_table(f"{d.name}", _summary_rows(r)),
             Text(f"status: {d.status}", style="dim")]
    if r.tranches:
        parts.append(_tranches_table(r))
    if r.investment:
        parts.append(_investment_table(r))
    if r.samples:
        parts.append(_samples_table(r))
    estimates = [name for name, f in d.figures().items() if f.estimate]
    if estimates:
        parts.append(Text(f"estimates (not in the deal's documents): {', '.join(estimates)}; "
                          f"'tokencalc deal {d.id} --json' lists every figure's source", style="dim"))
    return Group(*parts)


def comparison_renderable(c):
    out = table("Deals side by side, per gigawatt")
    out.add_column("")
    for r in c.deals:
        out.add_column(r.deal.id, justify="right", no_wrap=False)
    labels = [label for label, _ in _summary_rows(c.deals[0])]
    values = [dict(_summary_rows(r)) for r in c.deals]
    for label in labels:
        out.add_row(label, *(v.get(label, "") for v in values))
    if any(r.equity_stake is not None for r in c.deals):
        label = "vendor's stake in the buyer after the deal"
        if label not in labels:
            out.add_row(label, *(v.get(label, "") for v in values))
    return out


def deal_csv(r) -> str:
    """The vesting schedule (a warrant) or the investment by gigawatt, one row each (each deal of a comparison)."""
    if hasattr(r, "deals"):
        return "".join(f"# {one.deal.id}\n" + deal_csv(one) for one in r.deals)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if r.tranches:
        writer.writerow(["tranche", "gigawatts_deployed [GW]", "year", "shares", "price_threshold [USD]",
                         "share_price [USD]", "vested", "rebate [USD]", "effective_price [USD]", "round_trip_share",
                         "cumulative_round_trip_share"])
        for t in r.tranches:
            writer.writerow([t["tranche"], repr(float(t['gigawatts_deployed'].m_as('GW'))), f"{t['year']:.2f}",
                             repr(float(t['shares'])), repr(float(t['price_threshold'].m_as('USD'))),
                             repr(float(t['share_price'].m_as('USD'))), int(t["vested"]), repr(float(t['rebate'].m_as('USD'))),
                             repr(float(t['effective_price'].m_as('USD'))), repr(float(t['round_trip_share'])),
                             repr(float(t['cumulative_round_trip_share']))])
    if r.investment:
        writer.writerow(["gigawatt", "investment [USD]", "equity_stake", "round_trip_share",
                         "cumulative_round_trip_share"])
        for row in r.investment:
            writer.writerow([row["gigawatt"], repr(float(row['investment'].m_as('USD'))), repr(float(row['equity_stake'])),
                             repr(float(row['round_trip_share'])), repr(float(row['cumulative_round_trip_share']))])
    return buffer.getvalue()
