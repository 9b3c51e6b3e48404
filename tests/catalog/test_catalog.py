"""The hardware catalog and defaults: every figure sourced, dated, in a sane range; derivation rules."""

import pint
import pytest

from tokencalc import catalog
from tokencalc.errors import UnknownNameError

REQUIRED = (None, "h100", "h200", "b200", "gb200-nvl72", "gb300-nvl72", "mi300x", "mi355x")


def test_required_systems_present_and_announced_flagged():
    systems = catalog.accelerators()
    for key in REQUIRED[1:]:
        assert key in systems and systems[key].status == "shipping"
    assert systems["vr200-nvl144"].announced
    assert systems["mi450-helios"].announced


@pytest.mark.parametrize("system", list(catalog.accelerators().values()), ids=lambda s: s.id)
def test_every_figure_has_unit_source_and_date(system):
    known = catalog.sources()
    for name, fig in system.figures.items():
        assert fig.source in known, name
        assert fig.date, name
        if name != "availability_year":
            assert isinstance(fig.value, pint.Quantity), name


# sane ranges per figure (catches unit slips such as W for kW or a price per rack per GPU)
RANGES = {
    "hbm_capacity": (16, 1000, "GB"),
    "hbm_bandwidth": (1, 50, "TB/s"),
    "dense_bf16": (100, 20_000, "TFLOP/s"),
    "dense_fp8": (500, 60_000, "TFLOP/s"),
    "dense_fp4": (1000, 100_000, "TFLOP/s"),
    "chip_power": (300, 3000, "W"),
    "scale_up_bandwidth": (100, 5000, "GB/s"),
}


@pytest.mark.parametrize("system", list(catalog.accelerators().values()), ids=lambda s: s.id)
def test_figures_in_sane_ranges(system):
    for name, (low, high, unit) in RANGES.items():
        fig = system.figure(name)
        if fig is not None:
            assert low <= fig.value.m_as(unit) <= high, (system.id, name)
    if system.it_power_per_accelerator is not None:
        assert 0.8 <= system.it_power_per_accelerator.m_as("kW") <= 4
        # all-in IT power exceeds the chip's own power
        assert system.it_power_per_accelerator > system.figure("chip_power").value
    if system.accelerator_capex is not None:
        assert 10_000 <= system.accelerator_capex.m_as("USD") <= 200_000


def test_shipping_systems_have_every_economic_figure():
    for system in catalog.accelerators().values():
        if system.status == "shipping":
            for name in ("it_power_per_accelerator", "accelerator_capex", "network_capex_per_accelerator"):
                assert getattr(system, name) is not None, (system.id, name)


def test_defaults_have_sources_ranges_and_units():
    defaults = catalog.defaults()
    for name, fig in defaults.items():
        assert fig.source in catalog.sources(), name
        assert fig.date, name
        if isinstance(fig.value, pint.Quantity) and fig.low is not None:
            assert fig.low <= fig.value <= fig.high, name


def test_derivation_rules():
    h100 = catalog.accelerator("h100")
    # SemiAnalysis' all-in 1.73 kW per GPU over the facility overhead it carries (1.234)
    assert h100.it_power_per_accelerator.m_as("W") == pytest.approx(1730 / 1.234)
    # ... which is where the vendor basis puts it: 10.2 kW per 8-GPU server plus 10 % network, storage
    assert h100.it_power_per_accelerator.m_as("W") == pytest.approx(10_200 / 8 * 1.10, rel=1e-3)
    assert h100.accelerator_capex.m_as("USD") == pytest.approx(238_000 / 8)
    assert h100.network_capex_per_accelerator.m_as("USD") == pytest.approx(0.11 * 238_000 / 8)
    # a system SemiAnalysis does not cover keeps the vendor basis
    rubin = catalog.accelerator("vr200-nvl144")
    assert "power_all_in" not in rubin.figures
    assert rubin.it_power_per_accelerator.m_as("kW") == pytest.approx(
        rubin.figure("system_power").value.m_as("kW") / rubin.accelerators_per_system * 1.10)


def test_one_power_basis_for_every_system_semianalysis_covers():
    # every system with a SemiAnalysis TCO figure also has its all-in power, so all are on one basis
    for system in catalog.accelerators().values():
        if system.figure("tco_hyperscaler") is not None:
            assert system.figure("power_all_in") is not None, system.id
    # GB300 NVL72 is no longer taken at its 132 kW power-shelf capacity (2.02 kW per GPU)
    assert catalog.accelerator("gb300-nvl72").it_power_per_accelerator.m_as("kW") == pytest.approx(2.10 / 1.234)


def test_volume_prices_keep_the_published_order():
    # SemiAnalysis: B200 below GB200 per GPU-hour; per GPU the HGX B200 must not cost more than a GB200 slot
    b200, gb200 = catalog.accelerator("b200"), catalog.accelerator("gb200-nvl72")
    assert b200.accelerator_capex < gb200.accelerator_capex
    # every price the catalog gives a range has its value inside it
    for system in catalog.accelerators().values():
        price = system.figure("system_price")
        if price is not None and price.low is not None:
            assert price.low <= price.value <= price.high, system.id


def test_unknown_id_suggests():
    with pytest.raises(UnknownNameError, match="did you mean 'gb200-nvl72'"):
        catalog.accelerator("gb200-nvl")


def test_docs_explain_every_default():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "model.md").read_text()
    for name in catalog.defaults():
        assert name in text, f"docs/model.md does not explain the default {name}"


def test_every_claim_states_which_gigawatt():
    from tokencalc.catalog import BASES

    for claim in catalog.claims().values():
        assert claim.basis in BASES, claim.id
        if claim.kind == "capex":  # a gigawatt cost must say whose gigawatt, or that the source does not
            assert claim.basis != "none", claim.id
    assert catalog.claims()["gw-cost-epoch"].basis == "facility"


def test_roadmap_generations_are_sourced_and_reuse_the_accelerator_catalog():
    from tokencalc.catalog.roadmap import roadmap

    r = roadmap()
    ids = [g.id for g in r.generations]
    for required in ("h100", "h200", "b200", "gb200-nvl72", "gb300-nvl72", "vr200-nvl144", "rubin-ultra-nvl576",
                     "mi300x", "mi355x", "mi450-helios"):
        assert required in ids
    years = [g.first_year for g in r.generations]
    assert years == sorted(years)
    for g in r.generations:
        assert g.system in catalog.accelerators()
        for name, fig in g.figures().items():
            assert fig.source in catalog.sources() and fig.date, (g.id, name)
        if g.id in catalog.accelerators():  # first volume and price are the accelerator catalog's own figures
            assert g.first_volume is catalog.accelerator(g.id).figure("availability_year")
            assert "accelerator_capex" not in g.overrides or catalog.accelerator(g.id).figure("system_price") is None
    by_id = r.by_id()
    assert by_id["rubin-ultra-nvl576"].announced and by_id["vr200-nvl144"].announced
    assert by_id["mi450-helios"].announced and not by_id["h100"].announced
    assert by_id["h100"].price_year == 2026  # h100's system_price is its 2026 street price
    for name in ("tokens_per_watt_gain", "tokens_per_dollar_gain"):
        fig = r.extrapolation[name]
        assert fig.estimate and fig.low <= fig.value <= fig.high
