"""A 1 GW AI factory on defaults: capex, annual cost and cost per million tokens.

Run: python examples/gigawatt_factory.py
"""

import tokencalc as tc


def main() -> dict:
    r = tc.factory(facility_power=tc.Q_(1, "GW"), accelerator="gb200-nvl72")
    print(f"accelerators:            {r.accelerators:,.0f} ({r.systems:,.0f} racks)")
    print(f"capex:                   {r.capex.total.to('GUSD'):.1f~P}")
    for line in ("compute", "network", "facility"):
        print(f"  {line:22s} {getattr(r.capex, line).to('GUSD'):.2f~P}")
    print(f"annual cost:             {r.annual_cost.total.to('GUSD/year'):.2f~P}")
    print(f"cost per million tokens: {r.cost_per_million_tokens:.3f~P}")
    print(f"break-even revenue:      {r.breakeven_revenue_per_year.to('GUSD/year'):.2f~P}")
    return r.to_dict()


if __name__ == "__main__":
    main()
