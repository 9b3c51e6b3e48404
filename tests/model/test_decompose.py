"""model.decompose: the LMDI factors of a cost-per-token ratio, against a hand-computed pair."""

import math

import pytest

from tokencalc.errors import ParameterError
from tokencalc.model.decompose import decompose, log_mean

# the groups compare uses, written out here so that this test needs nothing above the model floor
GROUPS = {
    "compute_and_network_capital": ("compute_capital", "network_capital"),
    "facility_capital": ("facility_capital",),
    "energy": ("electricity", "fuel", "plant_operations", "power_plant_capital"),
    "operations": ("operations",),
}

# Baseline: 30,000 USD and 1,000 tok/s per accelerator; other: 45,000 USD and 3,000 tok/s.
# annual cost per accelerator (wacc 0): compute 30,000/4 = 7,500; network 5,000/5 = 1,000;
# facility 1 kW x 10 USD/W / 20 = 500; electricity 1 kW x 0.5 x 1.25 x 8,766 h x 0.1 = 547.875;
# operations 0.02 x (30,000 + 5,000 + 10,000) = 900  -> 10,447.875 (other: 11,250 and 1,200 -> 14,497.875)
LINES_B = {"compute_capital": 7500, "network_capital": 1000, "facility_capital": 500, "electricity": 547.875,
           "operations": 900, "fuel": 0, "plant_operations": 0, "power_plant_capital": 0}
LINES_O = {**LINES_B, "compute_capital": 11250, "operations": 1200}
RATIO = (10447.875 / 1000) / (14497.875 / 3000)  # 2.16195


def test_hand_computed_pair():
    factors = decompose(LINES_B, LINES_O, 1000, 3000, GROUPS)
    # L = (10,447.875 - 14,497.875) / ln(10,447.875 / 14,497.875) = 12,362.8
    assert list(factors) == ["throughput_per_accelerator", *GROUPS]
    assert factors["throughput_per_accelerator"] == pytest.approx(3.0)
    assert factors["compute_and_network_capital"] == pytest.approx(math.exp(-3750 / 12362.8), rel=1e-5)
    assert factors["operations"] == pytest.approx(math.exp(-300 / 12362.8), rel=1e-5)
    assert factors["facility_capital"] == factors["energy"] == 1.0
    assert RATIO == pytest.approx(2.16195, rel=1e-5)
    assert math.prod(factors.values()) == pytest.approx(RATIO, rel=1e-12)


def test_swapping_the_systems_inverts_every_factor():
    forward = decompose(LINES_B, LINES_O, 1000, 3000, GROUPS)
    backward = decompose(LINES_O, LINES_B, 3000, 1000, GROUPS)
    for name in forward:
        assert forward[name] * backward[name] == pytest.approx(1.0, rel=1e-12), name
    assert math.prod(backward.values()) == pytest.approx(1 / 2.16195, rel=1e-5)


def test_log_mean_hand_computed():
    assert log_mean(2.0, 1.0) == pytest.approx(1 / math.log(2))  # 1.4426950
    assert log_mean(1.0, 2.0) == pytest.approx(1.4426950, rel=1e-7)
    assert log_mean(5.0, 5.0) == 5.0  # L(a, a) = a, no 0/0
    # -4,050 / ln(0.7206487) = -4,050 / -0.3276035 = 12,362.51
    assert log_mean(10447.875, 14497.875) == pytest.approx(12362.51, rel=1e-6)
    with pytest.raises(ParameterError, match="positive"):
        log_mean(0.0, 1.0)
