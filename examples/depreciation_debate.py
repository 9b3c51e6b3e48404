"""The depreciation debate: books say 5-6 years, critics say 2-3. What does each mean for a token?

Run: python examples/depreciation_debate.py
"""

import tokencalc as tc
from tokencalc.studies.cashflow import breakeven_price, cashflow


def main() -> dict:
    out = {}
    for life in (2, 3, 4, 6):
        r = tc.factory(accelerator_life=life)
        out[life] = r.cost_per_million_tokens.m_as("USD/Mtoken")
        print(f"economic life {life} years: {out[life]:.4f} USD per million tokens")
    price = 1.5 * breakeven_price(tc.factory())
    for book in (3, 6):
        c = cashflow(price=price, accelerator_book_life=book, token_price_decline=0.3)
        print(f"book life {book} years, price falling 30 %/yr: NPV {c.npv.to('GUSD'):.1f~P}, "
              f"IRR {'none' if c.irr is None else f'{100 * c.irr:.1f} %'}")
    return out


if __name__ == "__main__":
    main()
