"""model.site: IT power, accelerator count, plant capacity, rack power and water, computed by hand."""

import numpy as np
import pytest

from tokencalc.model.site import accelerator_count, it_power, plant_capacity, rack_power, water_per_year
from tokencalc.units import Q_


def test_it_power_is_facility_power_over_pue():
    assert it_power(Q_(10, "MW"), Q_(1.25, "")).m_as("MW") == pytest.approx(8.0)
    assert it_power(Q_(1, "GW"), 1.2).m_as("MW") == pytest.approx(833.3333, rel=1e-6)
    assert it_power(Q_(10, "MW"), Q_(np.array([1.0, 1.25, 2.0]), "")).m_as("MW") == pytest.approx([10, 8, 5])


def test_accelerator_count_server_scale():
    # 8 MW / 1,000 W = 8,000; 1 MW / 1.5 kW = 666.7 -> 666 whole accelerators
    assert accelerator_count(Q_(8, "MW"), Q_(1000, "W")) == 8000
    assert accelerator_count(Q_(1, "MW"), Q_(1.5, "kW")) == 666
    assert isinstance(accelerator_count(Q_(1, "MW"), Q_(1.5, "kW")), float)
    # rack_scale False ignores the system size
    assert accelerator_count(Q_(1, "MW"), Q_(1.5, "kW"), 72, rack_scale=False) == 666


def test_accelerator_count_rack_scale_deploys_whole_racks():
    # 666.7 accelerators' worth of power: 9 whole racks of 72 = 648
    assert accelerator_count(Q_(1, "MW"), Q_(1.5, "kW"), 72, rack_scale=True) == 648
    # 83.333 MW / 2 kW = 41,666.7 -> 578 racks of 72 = 41,616 (reference model v1's rack-scale case)
    assert accelerator_count(Q_(100 / 1.2, "MW"), Q_(2, "kW"), 72, rack_scale=True) == 41_616
    # less than one rack's power: none
    assert accelerator_count(Q_(100, "kW"), Q_(1.5, "kW"), 72, rack_scale=True) == 0


def test_accelerator_count_exact_fit_is_not_rounded_down():
    # 0.7 / 0.1 is 6.999999999999999 in floating point: still 7 accelerators
    assert 0.7 / 0.1 < 7
    assert accelerator_count(Q_(0.7, "kW"), Q_(0.1, "kW")) == 7
    # exactly one rack's power: one rack
    assert accelerator_count(Q_(72 * 1.5, "kW"), Q_(1.5, "kW"), 72, rack_scale=True) == 72


def test_accelerator_count_vectorized():
    counts = accelerator_count(Q_(np.array([8, 16, 0.0005]), "MW"), Q_(1000, "W"))
    assert counts.tolist() == [8000, 16000, 0]


def test_plant_capacity():
    # 10 MW x (1 + 15 %) = 11.5 MW when the plant supplies anything
    assert plant_capacity(Q_(10, "MW"), Q_(0.15, ""), Q_(0.9, "")).m_as("MW") == pytest.approx(11.5)
    assert plant_capacity(Q_(10, "MW"), Q_(0.15, ""), Q_(0.01, "")).m_as("MW") == pytest.approx(11.5)
    # a share of 0: no plant at all
    assert plant_capacity(Q_(10, "MW"), Q_(0.15, ""), Q_(0.0, "")).m_as("W") == 0
    shares = Q_(np.array([0.0, 0.5, 1.0]), "")
    assert plant_capacity(Q_(10, "MW"), Q_(0.15, ""), shares).m_as("MW") == pytest.approx([0.0, 11.5, 11.5])


def test_rack_power_takes_out_the_overhead_in_other_racks():
    # h100: 8 GPUs x 1,402.5 W all-in / (1 + 10 % network and storage) = 10.2 kW per server
    assert rack_power(8, Q_(1402.5, "W"), Q_(0.10, "")).m_as("kW") == pytest.approx(10.2)
    # 72 x 2 kW / 1.2 = 120 kW
    assert rack_power(72, Q_(2, "kW"), Q_(0.2, "")).m_as("kW") == pytest.approx(120.0)


def test_water_per_year_on_it_energy():
    # 43,830 MWh/year / PUE 1.25 = 35,064 MWh of IT energy = 35,064,000 kWh x 0.5 L/kWh = 17,532 m3/year
    water = water_per_year(Q_(43_830, "MWh/year"), Q_(1.25, ""), Q_(0.5, "L/kWh"))
    assert water.m_as("m**3/year") == pytest.approx(17_532)
    assert water_per_year(Q_(43_830, "MWh/year"), Q_(1.25, ""), Q_(0, "L/kWh")).m_as("m**3/year") == 0
