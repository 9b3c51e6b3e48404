"""The compare study: systems side by side, factors that multiply to the ratio, the sweep, the CLI."""

import math

import pytest

import tokencalc as tc
from tokencalc import catalog
from tokencalc.errors import ParameterError
from tokencalc.studies.compare import compare, rank

SIX = ["h100", "h200", "b200", "gb200-nvl72", "gb300-nvl72", "mi355x"]

COMMON = dict(facility_power="10 MW", pue=1.25, it_power_per_accelerator="1000 W", network_capex_per_accelerator=5000,
              facility_capex_per_it_power=10, electricity_price="100 USD/MWh", load_factor=0.5, utilization=0.5,
              accelerator_life=4, network_life=5, facility_life=20, wacc=0, site_operations_per_it_power=0,
              facility_maintenance_rate=0.02, hardware_maintenance_rate=0.02)


def test_factory_reproduces_the_hand_computed_pair():
    """The pair of tests/model/test_decompose.py through the factory: 30,000 USD and 1,000 tok/s per
    accelerator against 45,000 USD and 3,000 tok/s; the cost-per-token ratio is 2.16195."""
    base = tc.factory(accelerator="h100", accelerator_capex=30_000, tokens_per_second_per_accelerator=1000, **COMMON)
    other = tc.factory(accelerator="h200", accelerator_capex=45_000, tokens_per_second_per_accelerator=3000, **COMMON)
    # annual cost: 8,000 accelerators x 10,447.875 (baseline) and x 14,497.875 USD/year (other)
    assert base.annual_cost.total.m_as("USD/year") == pytest.approx(8000 * 10447.875)
    assert other.annual_cost.total.m_as("USD/year") == pytest.approx(8000 * 14497.875)
    ratio = (10447.875 / 1000) / (14497.875 / 3000)
    assert (base.cost_per_million_tokens / other.cost_per_million_tokens).m_as("") == pytest.approx(ratio)


def test_compare_pins_a_hand_computed_pair_through_the_api():
    """h100 and h200 on the same round-number site and throughput, each at its own catalog price.

    Only the accelerator capex differs (a and b per accelerator), so per accelerator and year:
    C = a/4 + 5,000/5 + 1 kW x 10 USD/W / 20 + 547.875 (electricity) + 0.02 x (a + 5,000 + 10,000),
    the throughput factor is 1, and the LMDI factors are exp(dC_line / L(C_b, C_x)).
    """
    a = catalog.accelerator("h100").accelerator_capex.m_as("USD")  # 325,000 / 8 = 40,625
    b = catalog.accelerator("h200").accelerator_capex.m_as("USD")
    assert a != b  # else this pair would pin nothing

    def annual(capex):
        return capex / 4 + 1000 + 500 + 547.875 + 0.02 * (capex + 15_000)

    c_b, c_x = annual(a), annual(b)
    mean = (c_b - c_x) / math.log(c_b / c_x)
    c = compare(["h100", "h200"], tokens_per_second_per_accelerator=1000, **COMMON)
    h200 = c.systems[1]
    assert h200.ratio == pytest.approx(c_b / c_x, rel=1e-9)
    assert h200.factors["throughput_per_accelerator"] == pytest.approx(1.0)
    assert h200.factors["compute_and_network_capital"] == pytest.approx(math.exp((a - b) / 4 / mean), rel=1e-9)
    assert h200.factors["operations"] == pytest.approx(math.exp(0.02 * (a - b) / mean), rel=1e-9)
    assert h200.factors["facility_capital"] == pytest.approx(1.0)
    assert h200.factors["energy"] == pytest.approx(1.0)
    if a == 40_625 and b == 44_625:  # the catalog prices of 2025: 13,316.625 / 14,396.625
        assert h200.ratio == pytest.approx(0.9249824, rel=1e-6)


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
    sw = interactivity_sweep(c, levels=[15, 90])
    low, high = sw.ratio["gb200-nvl72"]
    assert high > 2 * low  # InferenceX: H100 serving DeepSeek-R1 falls off far faster with interactivity


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



def test_rank_orders_every_catalog_system_and_says_why_the_others_cannot_serve():
    """compare --all: each catalog system once, cheapest per token first, the ratios and factors taken from
    the cheapest; at 200 tok/s per user h100 cannot serve (its reach is about 134) and mi450-helios lacks its
    IT power: both are listed with the reason, neither aborts the ranking."""
    from tokencalc.studies.compare import rank

    r = rank(interactivity=200)
    ids = [s.id for s in r.systems]
    excluded = {i: why for i, _, why in r.excluded}
    assert sorted(ids + list(excluded)) == sorted(catalog.accelerators())
    costs = [s.result.cost_per_million_tokens.m_as("USD/Mtoken") for s in r.systems]
    assert costs == sorted(costs) and len(costs) >= 5
    assert "not reachable" in excluded["h100"] and "it_power_per_accelerator" in excluded["mi450-helios"]
    assert r.systems[0].ratio is None
    for s in r.systems[1:]:
        assert s.ratio == pytest.approx(costs[0] / s.result.cost_per_million_tokens.m_as("USD/Mtoken"))
        assert math.prod(s.factors.values()) == pytest.approx(s.ratio, rel=1e-9)
    shipping = rank(status="shipping", interactivity=200)
    assert {s.result.accelerator_status for s in shipping.systems} == {"shipping"}
    assert "mi450-helios" not in {i for i, _, _ in shipping.excluded}
    data = shipping.to_dict()
    assert data["ranked"] == [s.id for s in shipping.systems] and data["excluded"][0]["reason"]


def test_rank_lists_the_cooling_that_cannot_serve():
    """Under air cooling the rack-scale systems cannot be installed: they are excluded with the cooling reason."""
    from tokencalc.studies.compare import rank

    r = rank(cooling="air")
    excluded = {i: why for i, _, why in r.excluded}
    assert "cooling" in excluded["gb200-nvl72"] and "h100" in [s.id for s in r.systems]


def test_cli_compare_all(cli):
    r = cli("compare", "--all", "--status", "announced", "--json")
    assert r.code == 0, r.err
    data = r.json()
    assert data["ranked"] == ["vr200-nvl144"] and [e["id"] for e in data["excluded"]] == ["mi450-helios"]
    bad = cli("compare", "--all", "h100")
    assert bad.code == 2 and bad.err.count("\n") == 1 and "--all" in bad.err


@pytest.mark.parametrize("bad, name", [({"isl": 0}, "isl"), ({"max_concurrency": 0}, "max_concurrency"),
                                       ({"max_concurrency": 2.5}, "max_concurrency")])
def test_rank_with_a_bad_input_says_so_once(bad, name):
    # no system serves because the input is wrong: the input's error, once, not one per system
    with pytest.raises(ParameterError) as info:
        rank(**bad)
    assert info.value.parameter == name
    assert str(info.value).count(f"{name}:") == 1 and "no catalog system" not in str(info.value)
