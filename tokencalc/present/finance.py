"""Cash-flow and break-even tables."""

from __future__ import annotations

import numpy as np
from rich.console import Group
from rich.text import Text

from .format import human, q
from .tables import Split, kv_table, table

__all__ = ["cashflow_renderable", "breakeven_renderable", "CASHFLOW_LABELS", "SHOWN_YEARS"]

SHOWN_YEARS = 60  # a longer table shows the first 50 and the last 10 years (a table of 1,000 rows takes seconds)

CASHFLOW_LABELS = {"year": "year", "capex": "capex", "revenue": "revenue", "operating_costs": "opex", "tax": "tax",
                   "residual_value": "residual", "cash_flow": "cash flow", "cumulative_cash_flow": "cumulative",
                   "debt_service": "debt service", "accelerator_book_value": "GPU book value",
                   "accelerator_economic_value": "GPU economic value"}


def _cell(value: float, reference: float) -> str:
    if not np.isfinite(value):
        return ""
    return human(value, reference=reference)


def cashflow_renderable(c):
    s = c.factory.scenario
    head = Text.assemble(
        ("Cash flows at ", "bold"), (f"{human(c.price.m_as('USD/Mtoken'))} USD per million tokens", "bold cyan"),
        f" (= {human(c.price_per_accelerator_hour.m_as('USD/hour'))} USD per rented accelerator-hour)",
        _kinds_text(c.price_by_kind, " from input / cached input / output at ", " on this token mix"),
        f" (falling {100 * s.token_price_decline.m_as('1/year'):g} %/yr), "
        f"{human(c.factory.facility_power.m_as('MW'), 'MW')} {s.accelerator}, horizon {s.horizon.m_as('year'):g} yr "
        f"after {s.build_period.m_as('year'):g} yr of construction, tax {100 * s.tax_rate.m:g} %, "
        f"{s.depreciation_method} over {s.accelerator_book_life.m:g} yr",
    )
    capex = float(c.factory.capex.total.m_as("USD"))  # an NPV or flow below 1e-9 of it is 0 within rounding
    rows = [(f"NPV at the cost of capital ({100 * s.wacc.m:g} %)", q(c.npv, "USD", reference=capex)),
            ("IRR (project)", "none" if c.irr is None else f"{100 * c.irr:.2f} %")]
    if c.equity_irr is not None:
        rows.append((f"IRR (equity, {100 * s.debt_share.m:g} % debt)", f"{100 * c.equity_irr:.2f} %"))
    rows += [("Payback (from the start of construction)",
              "never" if c.payback_period is None else f"{c.payback_period.m_as('year'):.2f} yr"),
             ("Break-even price (NPV = 0)", f"{human(c.breakeven_price_per_million_tokens.m_as('USD/Mtoken'))} USD/Mtoken"),
             ("Break-even price per rented accelerator-hour",
              f"{human(c.breakeven_price_per_accelerator_hour.m_as('USD/hour'))} USD/h")]
    summary = kv_table(None, rows)
    shown = c.years if len(c.years) <= SHOWN_YEARS else c.years[:SHOWN_YEARS - 10] + c.years[-10:]

    def build(keys):
        out = table("Year by year (USD; end of year)", pad_edge=False)
        for key in ("year", *keys):
            out.add_column(CASHFLOW_LABELS[key], justify="right")
        for i, row in enumerate(shown):
            if len(shown) < len(c.years) and i == SHOWN_YEARS - 10:
                out.add_row(*(["..."] * (len(keys) + 1)))
            out.add_row(f"{int(row['year'])}", *[_cell(row[k], capex) for k in keys])
        return out

    years = Split(build, [k for k in CASHFLOW_LABELS if k != "year"])
    hidden = (f" {len(c.years) - len(shown)} years are not shown (--csv or --json lists every year)."
              if len(shown) < len(c.years) else "")
    note = Text("GPU book value: the first accelerators under the book depreciation; economic value: what they "
                "still earn, their margin falling with the token price. NPV and IRR are of the project's cash "
                "flows; debt service is shown for the financing view." + hidden, style="dim")
    return Group(head, summary, years, note)


def _kinds_text(prices, before: str = "", after: str = "") -> str:
    """'0.0545 / 0.00545 / 0.218 USD/Mtoken' of prices per kind (input, cached input, output), or ''."""
    if not prices:
        return ""
    shown = " / ".join(human(float(prices[k].m_as("USD/Mtoken"))) for k in ("input", "cached_input", "output"))
    return f"{before}{shown} USD/Mtoken{after}"


def breakeven_renderable(b):
    rows = [("Break-even price per million tokens", f"{human(b.price.m_as('USD/Mtoken'))} USD"),
            ("  per million input / cached input / output tokens", _kinds_text(b.price_by_kind)),
            ("Break-even price per rented accelerator-hour",
             f"{human(b.price_per_accelerator_hour.m_as('USD/hour'))} USD"),
            ("Break-even revenue in the first year", q(b.revenue, "USD/year")),
            ("Levelized cost per million tokens (v1: no build period, no tax)",
             f"{human(b.factory.cost_per_million_tokens.m_as('USD/Mtoken'))} USD")]
    if b.market_price is not None:
        verdict = "profitable" if b.margin > 0 else "not profitable"
        rows += [("Market price per million tokens", f"{human(b.market_price.m_as('USD/Mtoken'))} USD"
                  + _kinds_text(b.market_price_by_kind, " (", " per kind on this token mix)")),
                 ("Market price per rented accelerator-hour", f"{human(b.market_price_per_accelerator_hour.m_as('USD/hour'))} USD"),
                 ("Margin (market - break-even) / market", f"{100 * b.margin:+.1f} % ({verdict})")]
    return kv_table(f"Break-even ({b.rate_kind} {100 * b.rate:g} %)", rows)
