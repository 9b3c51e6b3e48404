import math

import pytest

import tokencalc as tc
from tokencalc.model.decompose import decompose
from tokencalc.studies.compare import FACTOR_LINES, compare

SIX = ["h100", "h200", "b200", "gb200-nvl72", "gb300-nvl72", "mi355x"]

COMMON = dict(facility_power="10 MW", pue=1.25, it_power_per_accelerator="1000 W", network_capex_per_accelerator=5000,
              facility_capex_per_it_power=10, electricity_price="100 USD/MWh", load_factor=0.5, utilization=0.5,
              accelerator_life=4, network_life=5, facility_life=20, wacc=0, operations_rate=0.02)


def test_hand_computed_pair():
    """Baseline: 30,000 USD and 1,000 tok/s per accelerator; other: 45,000 USD and 3,000 tok/s."""
    base = tc.factory(accelerator="h100", accelerator_capex=30_000, tokens_per_second_per_accelerator=1000, **COMMON)
    other = tc.factory(accelerator="h200", accelerator_capex=45_000, tokens_per_second_per_accelerator=3000, **COMMON)
    # annual cost per accelerator (wacc 0): compute 30,000/4 = 7,500; network 5,000/5 = 1,000;
    # facility 1 kW x 10 USD/W / 20 = 500; electricity 1 kW x 0.5 x 1.25 x 8,766 h x 0.1 = 547.875;
    # operations 0.02 x (30,000 + 5,000 + 10,000) = 900  -> 10,447.875 (other: 11,250 and 1,200 -> 14,497.875)
    lines_b = {"compute_capital": 7500, "network_capital": 1000, "facility_capital": 500,
               "electricity": 547.875, "operations": 900, "fuel": 0, "plant_operations": 0,
               "power_plant_capital": 0}
    lines_o = {**lines_b, "compute_capital": 11250, "operations": 1200}
    ratio = (10447.875 / 1000) / (14497.875 / 3000)  # 2.16195
    factors = decompose(lines_b, lines_o, 1000, 3000, FACTOR_LINES)
    # L = (10,447.875 - 14,497.875) / ln(10,447.875 / 14,497.875) = 12,362.8
    assert factors["throughput_per_accelerator"] == pytest.approx(3.0)
    assert factors["compute_and_network_capital"] == pytest.approx(math.exp(-3750 / 12362.8), rel=1e-5)
    assert factors["operations"] == pytest.approx(math.exp(-300 / 12362.8), rel=1e-5)
    assert factors["facility_capital"] == factors["energy"] == 1.0
    assert math.prod(factors.values()) == pytest.approx(ratio, rel=1e-12)
    assert (base.cost_per_million_tokens / other.cost_per_million_tokens).m_as("") == pytest.approx(ratio)


def test_compare_pins_hand_computed_pair_through_the_api():
    c = compare(["h100", "h200"], accelerator_capex=30_000, tokens_per_second_per_accelerator=1000, **COMMON)
    # same parameters on both: the ratio is 1 and every factor is 1
    assert c.systems[1].ratio == pytest.approx(1.0)
    assert all(v == pytest.approx(1.0) for v in c.systems[1].factors.values())


def test_six_systems_on_defaults():
    c = compare(SIX)
    assert [s.id for s in c.systems] == SIX and c.baseline == "h100"
    for s in c.systems:
        own = tc.factory(accelerator=s.id)
        assert s.result.cost_per_million_tokens.m_as("USD/Mtoken") == pytest.approx(
            own.cost_per_million_tokens.m_as("USD/Mtoken"), rel=1e-12)
        if s.ratio is not None:
            assert math.prod(s.factors.values()) == pytest.approx(s.ratio, rel=1e-9)
            assert s.ratio > 1  # every newer system makes cheaper tokens than H100 on defaults


def test_baseline_option_and_yardstick():
    c = compare(["gb200-nvl72", "h100"], baseline="h100", transistor_gain=0.2)
    assert c.baseline == "h100" and c.systems[0].id == "h100"
    assert c.systems[1].transistor_yardstick == pytest.approx(1.2)  # one generation, Hopper to Blackwell


def test_ratio_grows_with_interactivity_for_hopper_to_blackwell():
    from tokencalc.studies.compare import interactivity_sweep

    c = compare(["h100", "gb200-nvl72"])
    sw = interactivity_sweep(c, levels=[20, 180])
    low, high = sw.ratio["gb200-nvl72"]
    assert high > 2 * low


@pytest.mark.parametrize("args, fragment", [
    (["compare", "h100", "h1000"], "unknown id"),
    (["compare", "h100", "h100"], "each accelerator id once"),
    (["compare", "h100", "b200", "--plot", "x.pdf"], ".png or .svg"),
    (["compare", "h100", "b200", "--gpu", "b200"], "as arguments"),
])
def test_compare_cli_errors(cli, args, fragment):
    r = cli(*args)
    assert r.code == 2 and fragment in r.err


def test_compare_cli_json(cli):
    r = cli("compare", *SIX, "--json")
    assert r.code == 0, r.err
    d = r.json()
    ids = [s["id"] for s in d["systems"]]
    assert ids == SIX
    for s in d["systems"][1:]:
        assert math.prod(s["factors"].values()) == pytest.approx(s["ratio"], rel=1e-9)
        assert s["cost_per_million_tokens"]["unit"] == "USD/Mtoken"
    assert "ratio" not in d["systems"][0]
    assert len(d["sweep"]["interactivity"]["value"]) == 20
    table = cli("compare", "h100", "gb200-nvl72")
    assert table.code == 0 and "throughput per accelerator" in table.out


def test_plot(cli, tmp_path):
    target = tmp_path / "ratio.png"
    r = cli("compare", "h100", "gb200-nvl72", "--plot", str(target))
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert r.code == 2 and "pip install 'tokencalc[plot]'" in r.err
        assert not target.exists()
    else:
        assert r.code == 0 and target.stat().st_size > 1000
        assert not [p for p in tmp_path.iterdir() if p != target]  # no temporary file left behind

