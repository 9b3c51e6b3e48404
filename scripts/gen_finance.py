"""Write docs/finance.md: the finance model, the depreciation debate and the price-decline study,
with every number from tokencalc itself.

    python scripts/gen_finance.py           # rewrite the page
    python scripts/gen_finance.py --check   # exit 1 if it is out of date (a test runs this)
"""

from __future__ import annotations

import _pages  # noqa: I001 - the scripts folder is on sys.path when a script runs

import sys


import tokencalc as tc
from tokencalc.studies.cashflow import breakeven_price, cashflow



def max_decline(markup: float) -> float | None:
    """Largest yearly price fall at which a factory starting at markup x break-even still has NPV >= 0."""
    from scipy.optimize import brentq

    base = tc.factory()
    price = markup * breakeven_price(base)

    def npv(decline: float) -> float:
        return cashflow(price=price, token_price_decline=decline).npv.m_as("USD")

    if npv(0.0) < 0:
        return None
    if npv(0.95) > 0:
        return 0.95
    return brentq(npv, 0.0, 0.95, xtol=1e-6)


def render() -> str:
    base = tc.factory()
    be = breakeven_price(base)
    lives = []
    for life in (2, 3, 4, 5, 6):
        r = tc.factory(accelerator_life=life)
        lives.append(f"| {life} | {r.cost_per_million_tokens.m_as('USD/Mtoken'):.4f} | "
                     f"{r.annual_cost.compute_capital.m_as('GUSD/year'):.2f} | "
                     f"{r.cost_per_accelerator_hour.m_as('USD/h'):.2f} |")
    books = []
    for book in (3, 5, 6):
        c = cashflow(price=be * 1.5, accelerator_book_life=book)
        books.append(f"| {book} | {c.npv.m_as('GUSD'):.2f} | {100 * c.irr:.1f} % | "
                     f"{breakeven_price(tc.factory(accelerator_book_life=book)):.4f} |")
    declines = []
    for markup in (1.0, 1.25, 1.5, 2.0, 3.0, 5.0):
        d = max_decline(markup)
        declines.append(f"| {markup:g}x | {markup * be:.4f} | "
                        + ("none" if d is None else f"{100 * d:.0f} %") + " |")
    tenx = cashflow(price=be * 5, token_price_decline=0.9)
    lines = [
        "# Finance: depreciation, financing and break-even over the factory's life",
        "",
        "Reference model v1 turns capital into one level yearly charge. `tokencalc cashflow` and",
        "`tokencalc breakeven` follow the years instead (`tokencalc/cashflow.py`): construction over",
        "`build_period`, refreshes of each asset at the end of its economic life, revenue at a token",
        "price that may fall every year (`token_price_decline`), operating costs, income tax on",
        "revenue less book depreciation, the value still in use at the horizon, and a debt schedule.",
        "NPV is at the cost of capital (`wacc`), end-of-year convention; IRR by Brent's method",
        "(scipy); the break-even price is exact because NPV is linear in the price:",
        "",
        "```",
        "price* = -NPV(price = 0) / (NPV(price = 1) - NPV(price = 0))",
        "WACC   = E/V x cost_of_equity + D/V x cost_of_debt x (1 - tax_rate)      (--cost-of-equity)",
        "```",
        "",
        "**Neutral case.** With every life equal to the horizon (or dividing it), no tax, no build period",
        "and no price decline, selling at v1's cost per million tokens gives NPV = 0 and IRR = wacc, and",
        "`tokencalc breakeven` returns the v1 cost (`tests/test_finance.py` pins it).",
        "",
        "**Defaults** (catalog, with sources): build period 1 year (Epoch: ~2 years for Stargate",
        "Abilene), tax 21 % (US federal), straight-line book depreciation over 5 years (Amazon 2025;",
        "Microsoft and Alphabet 6, Meta 5.5), no price decline, no project debt (cost of debt 8 %",
        "over 5 years when set). On defaults the break-even price is "
        f"{be:.4f} USD per million tokens, against v1's {base.cost_per_million_tokens.m_as('USD/Mtoken'):.4f}: "
        "the build year and taxes add to it.",
        "",
        "## The depreciation debate",
        "",
        "Hyperscalers book servers over 5-6 years; critics (Michael Burry, November 2025) argue that",
        "accelerators replaced every year or two have an economic life of 2-3 years. In tokencalc the",
        "*economic* life (`accelerator_life`) sets the capital charge and the refresh cycle, so it",
        "drives the cost of a token; the *book* life (`accelerator_book_life`) only moves taxes.",
        "",
        "Economic life against the cost of a token (v1, 1 GW on defaults):",
        "",
        "| accelerator life (years) | USD per Mtoken | compute capital charge (USD B/yr) | USD per accelerator-hour |",
        "| ---: | ---: | ---: | ---: |",
        *lives,
        "",
        "Book life against the owner's return (cash flows at 1.5x the default break-even price):",
        "",
        "| book life (years) | NPV (USD B) | IRR | break-even USD per Mtoken |",
        "| ---: | ---: | ---: | ---: |",
        *books,
        "",
        "A two-year economic life roughly doubles the capital charge of the accelerators; a longer book",
        "life changes the return far less, and slightly for the worse (later tax deductions). Books",
        "that say 6 years while the hardware earns for 3 overstate profits, not the cost of a token.",
        "`tokencalc cashflow` prints both curves for the first accelerators: the book value under the",
        "chosen method and the economic value (what they still earn as the token price falls).",
        "",
        "## How fast can token prices fall?",
        "",
        "a16z ('LLMflation', 2024) and Epoch AI (2025) report prices at constant capability falling",
        "about 10x a year (9x-900x by milestone). A factory sells the capability of its day, whose price",
        "falls more slowly, but the question is how much decline its margin can absorb. Largest yearly",
        "price fall at which NPV stays >= 0, by starting price (defaults otherwise):",
        "",
        "| starting price / break-even | starting USD per Mtoken | largest yearly decline |",
        "| ---: | ---: | ---: |",
        *declines,
        "",
        f"At 10x a year (a 90 % fall) even a starting price of 5x break-even gives NPV "
        f"{tenx.npv.m_as('GUSD'):.1f} B USD: the first two years must pay for the hardware. The",
        "`accelerator_economic_value` column of `tokencalc cashflow --price-decline 0.9` shows the",
        "treadmill: the value of this year's accelerators collapses with the price of what they make.",
        "",
        "Generated by `python scripts/gen_finance.py`; a test fails when it no longer matches the tool.",
        "Sources: the catalog (`tokencalc sources`): amazon-10k-2024, burry-depreciation, a16z-llmflation,",
        "epoch-price-trends, irs-corporate-rate, gpuloans-coc, epoch-capex-per-gw.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(_pages.main("finance.md", render))
