"""model.energy: energy, grid electricity, fuel, plant O&M and LCOE against hand-computed figures.

The running case: 8,000 accelerators at 1 kW, load factor 0.5, PUE 1.25: 5 MW on average,
x 8,766 h (pint's Julian year) = 43,830 MWh/year.
"""

import numpy as np
import pytest

from tokencalc.model.energy import (electricity_cost, energy_per_year, fuel_cost, lcoe, plant_energy,
                                    plant_operations_cost)
from tokencalc.units import Q_

ENERGY = Q_(43_830, "MWh/year")
NO_PLANT = Q_(0.0, "")
PLANT = Q_(0.9, "")  # 90 % from the plant: 39,447 MWh/year


def test_energy_per_year_hand_computed():
    e = energy_per_year(8000, Q_(1, "kW"), Q_(0.5, ""), Q_(1.25, ""))
    assert e.m_as("MWh/year") == pytest.approx(43_830)
    assert e.m_as("GWh/year") == pytest.approx(43.83)
    # vectorized over the load factor
    e = energy_per_year(8000, Q_(1000, "W"), Q_(np.array([0.5, 1.0]), ""), Q_(1.25, ""))
    assert e.m_as("MWh/year") == pytest.approx([43_830, 87_660])


def test_electricity_cost_without_a_plant():
    # 43,830 MWh x 100 USD/MWh = 4.383 M USD; the price in any unit
    assert electricity_cost(ENERGY, Q_(100, "USD/MWh"), NO_PLANT).m_as("USD/year") == pytest.approx(4.383e6)
    assert electricity_cost(ENERGY, Q_(10, "cent/kWh"), NO_PLANT).m_as("USD/year") == pytest.approx(4.383e6)


def test_electricity_cost_with_a_plant_share():
    # only the 10 % the plant does not supply comes from the grid: 4,383 MWh x 100 = 438,300 USD
    assert electricity_cost(ENERGY, Q_(100, "USD/MWh"), PLANT).m_as("USD/year") == pytest.approx(438_300)
    shares = Q_(np.array([0.0, 0.5, 1.0]), "")
    assert electricity_cost(ENERGY, Q_(100, "USD/MWh"), shares).m_as("USD/year") == pytest.approx(
        [4.383e6, 2.1915e6, 0.0])


def test_plant_energy():
    assert plant_energy(ENERGY, PLANT).m_as("MWh/year") == pytest.approx(39_447)
    assert plant_energy(ENERGY, NO_PLANT).m_as("MWh/year") == 0


def test_fuel_cost_hand_computed():
    # 7,000 Btu/kWh x 4 USD/MMBtu = 28 USD/MWh; 39,447 MWh x 28 = 1,104,516 USD
    fuel = fuel_cost(ENERGY, PLANT, Q_(4, "USD/MMBtu"), Q_(7000, "Btu/kWh"), Q_(0, "USD/MWh"))
    assert fuel.m_as("USD/year") == pytest.approx(1_104_516)
    # nuclear: fuel priced per MWh, no heat rate: 39,447 x 10 = 394,470 USD
    nuclear = fuel_cost(ENERGY, PLANT, Q_(0, "USD/MMBtu"), Q_(10_000, "Btu/kWh"), Q_(10, "USD/MWh"))
    assert nuclear.m_as("USD/year") == pytest.approx(394_470)
    # no plant, no fuel
    assert fuel_cost(ENERGY, NO_PLANT, Q_(4, "USD/MMBtu"), Q_(7000, "Btu/kWh"),
                     Q_(0, "USD/MWh")).m_as("USD/year") == 0


def test_plant_operations_cost_hand_computed():
    # variable 39,447 MWh x 3 USD/MWh = 118,341; fixed 12 MW = 12,000 kW x 20 USD/kW/year = 240,000
    om = plant_operations_cost(ENERGY, PLANT, Q_(3, "USD/MWh"), Q_(12, "MW"), Q_(20, "USD/kW/year"))
    assert om.m_as("USD/year") == pytest.approx(358_341)
    assert plant_operations_cost(ENERGY, NO_PLANT, Q_(3, "USD/MWh"), Q_(12, "MW"),
                                 Q_(20, "USD/kW/year")).m_as("USD/year") == 0


def test_lcoe_function_units_and_vectorized():
    # capex 1,500 USD/kW, crf(10 %, 30) = 0.1060792: (1,500 x 0.1060792 + 15) / (8,766 h x 0.9) = 22.070 USD/MWh;
    # fuel 6.4 MMBtu/MWh x 3.5 USD/MMBtu = 22.4 USD/MWh; variable O&M 2.5  ->  46.970 USD/MWh
    q = Q_
    value = lcoe(q(1500, "USD/kW"), q(15, "USD/kW/year"), q(2.5, "USD/MWh"), q(6.4, "MMBtu/MWh"),
                 q(3.5, "USD/MMBtu"), q(np.array([0.9, 0.45]), ""), q(30, "year"), q(0.1, ""))
    assert value.m_as("USD/MWh")[0] == pytest.approx(46.970, rel=1e-4)
    # halving the capacity factor doubles the fixed part: 22.070 -> 44.140
    assert value.m_as("USD/MWh")[1] == pytest.approx(44.140 + 22.4 + 2.5, rel=1e-4)


def test_lcoe_with_fuel_priced_per_energy_and_no_cost_of_capital():
    # wacc 0: crf = 1/40; (6,000 / 40 + 120) / (8,766 h x 0.9) = 270 / 7,889.4 kWh = 34.223 USD/MWh;
    # + 10 USD/MWh fuel + 2 USD/MWh variable O&M = 46.223 USD/MWh
    value = lcoe(Q_(6000, "USD/kW"), Q_(120, "USD/kW/year"), Q_(2, "USD/MWh"), Q_(0, "Btu/kWh"),
                 Q_(0, "USD/MMBtu"), Q_(0.9, ""), Q_(40, "year"), Q_(0.0, ""), Q_(10, "USD/MWh"))
    assert value.m_as("USD/MWh") == pytest.approx(46.223, rel=1e-4)
