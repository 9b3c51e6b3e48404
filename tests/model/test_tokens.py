"""model.tokens: tokens per year, cost per token and the input/output split, computed by hand."""

import numpy as np
import pytest

from tokencalc.model.tokens import (break_even_input_price, cost_per_accelerator_hour, cost_per_million_tokens,
                                    output_share, tokens_per_energy, tokens_per_year)
from tokencalc.units import Q_

SECONDS_PER_YEAR = 8766 * 3600  # pint's Julian year: 31,557,600 s


def test_tokens_per_year_hand_computed():
    # 8,000 x 1,000 tok/s x 0.5 x 31,557,600 s = 1.262304e14 tokens
    tokens = tokens_per_year(8000, Q_(1000, "token/s"), Q_(0.5, ""))
    assert tokens.m_as("token/year") == pytest.approx(1.262304e14)
    assert tokens.m_as("Mtoken/year") == pytest.approx(1.262304e8)
    assert tokens_per_year(1, Q_(1, "token/s"), Q_(1.0, "")).m_as("token/year") == pytest.approx(SECONDS_PER_YEAR)


def test_cost_per_million_tokens_hand_computed():
    # 83.583 M USD/year over 126.2304 M Mtoken/year = 0.6621464 USD/Mtoken
    cost = cost_per_million_tokens(Q_(83.583e6, "USD/year"), Q_(1.262304e14, "token/year"))
    assert cost.m_as("USD/Mtoken") == pytest.approx(0.6621464, rel=1e-6)
    costs = cost_per_million_tokens(Q_(np.array([1e6, 2e6]), "USD/year"), Q_(1e12, "token/year"))
    assert costs.m_as("USD/Mtoken") == pytest.approx([1.0, 2.0])


def test_cost_per_accelerator_hour_and_tokens_per_energy():
    # 8,766 USD a year is 1 USD an hour
    assert cost_per_accelerator_hour(Q_(8766e3, "USD/year"), 1000).m_as("USD/hour") == pytest.approx(1.0)
    # 1.262304e14 tokens / 43,830 MWh (4.383e7 kWh) = 2.88e6 token/kWh
    assert tokens_per_energy(Q_(1.262304e14, "token/year"), Q_(43_830, "MWh/year")).m_as("token/kWh") == \
        pytest.approx(2.88e6, rel=1e-9)


def test_output_share():
    assert output_share(Q_(1024, "token"), Q_(8192, "token")).m_as("") == pytest.approx(8 / 9)
    assert output_share(Q_(1000, "token"), Q_(1000, "token")).m_as("") == pytest.approx(0.5)
    assert output_share(Q_(8192, "token"), Q_(1024, "token")).m_as("") == pytest.approx(1 / 9)


def test_break_even_input_price_pays_the_annual_cost():
    # 1 M USD/year over 1e11 input + 4 x 5e10 output tokens: p_in = 1e6 / 3e11 USD = 3.3333 USD/Mtoken
    annual = Q_(1e6, "USD/year")
    inputs, outputs, ratio = Q_(1e11, "token/year"), Q_(5e10, "token/year"), Q_(4.0, "")
    p_in = break_even_input_price(annual, inputs, outputs, ratio)
    assert p_in.m_as("USD/Mtoken") == pytest.approx(10 / 3)
    # annual = p_in x input + ratio x p_in x output
    revenue = p_in * inputs + ratio * p_in * outputs
    assert revenue.m_as("USD/year") == pytest.approx(1e6)
    # ratio 1: one price for every token = the plain cost per token (1e6 / 1.5e11 = 6.6667 USD/Mtoken)
    assert break_even_input_price(annual, inputs, outputs, Q_(1.0, "")).m_as("USD/Mtoken") == pytest.approx(20 / 3)
