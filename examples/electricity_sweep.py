"""Sweep the electricity price from 40 to 160 USD/MWh in one vectorized evaluation.

How much does a power-price shock (Bloomberg: wholesale prices near data centers up to 267 %
in five years) move the cost of a token? Run: python examples/electricity_sweep.py
"""

import numpy as np

import tokencalc as tc


def main() -> dict:
    prices = tc.Q_(np.linspace(40, 160, 1_000_001), "USD/MWh")
    r = tc.factory(facility_power="1 GW", electricity_price=prices)  # one evaluation, no Python loop
    cost = r.cost_per_million_tokens.m_as("USD/Mtoken")
    shock = tc.factory(facility_power="1 GW", electricity_price=tc.Q_([80.6, 80.6 * 3.67], "USD/MWh"))
    before, after = shock.cost_per_million_tokens.m_as("USD/Mtoken")
    print(f"{len(cost):,} prices: {cost[0]:.4f} .. {cost[-1]:.4f} USD/Mtoken")
    print(f"a 267 % rise from 80.6 USD/MWh raises the cost per token by {100 * (after / before - 1):.1f} %")
    return {"min": float(cost[0]), "max": float(cost[-1]), "shock_increase": after / before - 1}


if __name__ == "__main__":
    main()
