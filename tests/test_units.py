import numpy as np
import pytest

import tokencalc as tc
from tokencalc.units import as_quantity, parse_quantity, unit_string


@pytest.mark.parametrize(
    "text, unit, expected",
    [
        ("80 USD/MWh", "USD/(kW*h)", 0.08),
        ("80USD/MWh", "USD/(kW*h)", 0.08),
        ("0.08 USD/kWh", "USD/MWh", 80.0),
        ("8.06 cent/kWh", "USD/MWh", 80.6),
        ("1.4 kW", "W", 1400.0),
        ("1GW", "MW", 1000.0),
        ("5 year", "month", 60.0),
        ("5", "year", 5.0),
        ("10 %", "1", 0.1),
        ("1e3 token/s", "token/s", 1000.0),
        ("2 USD/Mtoken", "USD/token", 2e-6),
        ("10000 TWh", "Wh", 1e16),
        ("1 kW·h", "J", 3.6e6),
        ("1.5e-3 MW", "W", 1500.0),
    ],
)
def test_parse_quantity(text, unit, expected):
    assert parse_quantity(text, unit, "p").magnitude == pytest.approx(expected, rel=1e-12)


def test_registry_is_one_and_has_own_dimensions():
    assert tc.Q_(1, "USD").dimensionality != tc.Q_(1, "token").dimensionality
    assert str(tc.Q_(1, "USD/Mtoken").to("USD/token").magnitude) == "1e-06"
    assert tc.ureg is tc.Q_(1, "W")._REGISTRY
    # a year is the Julian year
    assert tc.Q_(1, "GW*year").m_as("TWh") == pytest.approx(8.766)


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("1,00", "thousands separators group by three"),
        ("nan", "finite"),
        ("inf USD/MWh", "finite"),
        ("", "empty"),
        ("abc", "cannot read"),
        ("80 USD/fish", "fish is not a known unit"),
        ("80 kW", "does not fit"),
        ("__import__('os').system('true')", "cannot read"),
        ("1 USD/MWh; import os", "cannot read the unit"),
    ],
)
def test_parse_quantity_errors_name_the_parameter(text, fragment):
    with pytest.raises(tc.ParameterError) as exc:
        parse_quantity(text, "USD/MWh", "electricity_price")
    message = str(exc.value)
    assert message.startswith("electricity_price: ")
    assert fragment in message
    assert "\n" not in message


def test_as_quantity_accepts_numbers_arrays_and_quantities():
    assert as_quantity(3, "W").magnitude == 3.0
    arr = as_quantity(np.array([1, 2]), "W")
    assert arr.magnitude.dtype == float
    assert as_quantity(tc.Q_(2, "kW"), "W").magnitude == 2000.0
    with pytest.raises(tc.ParameterError):
        as_quantity(np.array([1.0, np.nan]), "W", "x")
    with pytest.raises(tc.ParameterError):
        as_quantity(True, "W", "x")


def test_unit_strings_parse_back():
    for unit in ("USD/Mtoken", "USD/yr", "token/s", "MWh/yr", "token/kWh", "USD/h"):
        q = tc.Q_(1.0, unit)
        assert tc.Q_(1.0, unit_string(q)) == q
