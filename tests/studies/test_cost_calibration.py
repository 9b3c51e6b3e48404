"""The built-up cost of an accelerator-hour against published TCO models (issue 16), and the
gigawatt against published bottom-up models. Reference figures are read from the catalog where it
holds them (SemiAnalysis' TCO per GPU-hour) and written out here where it does not."""

import pytest

import tokencalc as tc
from tokencalc import catalog
from tokencalc.scenariofile import presets

OWNERS = {"hyperscaler": "tco_hyperscaler", "neocloud": "tco_neocloud"}
DONE_WHEN = ("h100", "b200", "gb200-nvl72", "mi300x", "mi355x")


def _per_hour(system, **params):
    return tc.factory(accelerator=system, **params).cost_per_accelerator_hour.m_as("USD/hour")


def _preset(name):
    return dict(presets()[name].parameters)


@pytest.mark.parametrize("owner", OWNERS)
@pytest.mark.parametrize("system", DONE_WHEN)
def test_presets_reproduce_semianalysis_within_15_percent(owner, system):
    theirs = catalog.accelerator(system).figure(OWNERS[owner]).value.m_as("USD/hour")
    assert _per_hour(system, **_preset(owner)) == pytest.approx(theirs, rel=0.15)


@pytest.mark.parametrize("owner", OWNERS)
def test_h200_gap_stays_where_the_validation_page_explains_it(owner):
    # SemiAnalysis' H200 is only 3-8 % above its H100; street prices put it 20-25 % above: +17-18 % here
    theirs = catalog.accelerator("h200").figure(OWNERS[owner]).value.m_as("USD/hour")
    assert 1.0 < _per_hour("h200", **_preset(owner)) / theirs < 1.2


@pytest.mark.parametrize("owner", [None, *OWNERS])
def test_b200_below_gb200_per_gpu_hour_as_published(owner):
    params = _preset(owner) if owner else {}
    assert _per_hour("b200", **params) < _per_hour("gb200-nvl72", **params)


def test_hyperscaler_below_neocloud_for_every_system():
    for system in catalog.accelerators().values():
        if system.accelerator_capex is None:
            continue
        assert _per_hour(system.id, **_preset("hyperscaler")) < _per_hour(system.id, **_preset("neocloud")), system.id


def test_an_owned_site_costs_about_wholesale_colocation_rent():
    # CBRE H2 2024: USD 184.06 per kW of IT a month, 250-500 kW, before power
    r = tc.factory()
    a = r.annual_cost
    monthly = ((a.facility_capital + a.site_operations + a.facility_maintenance) / r.it_power).m_as("USD/kW/month")
    assert monthly == pytest.approx(184.06, rel=0.15)


def test_gigawatt_of_it_power_inside_published_bottom_up_range():
    # Bernstein ~35 B, Epoch AI 38 B (1 GW IT, GB200 NVL72), Jensen Huang 50-60 B
    r = tc.factory(accelerator="gb200-nvl72", it_power="1 GW")
    assert r.it_power.m_as("GW") == pytest.approx(1.0)
    assert 35 <= r.capex.total.m_as("GUSD") <= 60


@pytest.mark.parametrize("life, epoch", [(3, 12.0), (5, 8.5), (7, 7.0)])
def test_gigawatt_annual_cost_on_epochs_basis(life, epoch):
    # Epoch AI 2026: capex spread straight-line over the IT life and a 14-year facility life
    r = tc.factory(accelerator="gb200-nvl72", it_power="1 GW", wacc=0, accelerator_life=life, network_life=life,
                   facility_life=14)
    assert r.annual_cost.total.m_as("GUSD/year") == pytest.approx(epoch, rel=0.10)


def test_operations_split_is_far_below_three_percent_of_capex():
    # tokencalc 0.2: 3 % of all capex, USD 1.1-1.4 B a year at 1 GW; published opex excl. energy ~0.3 B (Epoch)
    r = tc.factory(accelerator="gb200-nvl72", facility_power="1 GW")
    assert r.annual_cost.operations.m_as("GUSD/year") < 0.03 * r.capex.total.m_as("GUSD")
    assert 0.4 < r.annual_cost.operations.m_as("GUSD/year") < 1.1
