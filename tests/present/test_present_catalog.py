"""The catalog tables (hardware, one system, parameters, sources, models, presets) against the catalog."""

import pint
import pytest

from tokencalc import catalog
from tokencalc.present.catalog import (hardware_detail, hardware_table, models_table, parameters_table,
                                       presets_table, sources_table)
from tokencalc.studies import catalog as study
from tokencalc.units import unit_string

from .expect import body, cells, flat, human, lines_with, param_value, row, section, squeezed, text


@pytest.fixture(scope="module")
def hardware():
    listing = study.hardware()
    return listing, text(hardware_table(listing))


def _cell(fig, unit):
    if fig is None:
        return "—"
    return f"{fig.value.m_as(unit):,.4g}" + ("*" if fig.estimate else "")


def test_hardware_row_of_each_system(hardware):
    listing, out = hardware
    assert len(listing.systems) >= 8
    overhead = catalog.defaults()["it_overhead_share"].value.m_as("")
    for s in listing.systems:
        f = s.figures
        n = s.accelerators_per_system
        power, price, all_in = f.get("system_power"), f.get("system_price"), f.get("power_all_in")
        ratio = catalog.defaults()["all_in_power_ratio"].value.m_as("")
        if all_in is not None:  # SemiAnalysis' all-in kW per GPU over its facility overhead
            it = f"{all_in.value.m_as('kW') / ratio:.3g}" + ("*" if all_in.estimate else "")
        else:
            it = "—" if power is None else (f"{power.value.m_as('kW') / n * (1 + overhead):.3g}"
                                             + ("*" if power.estimate else ""))
        capex = "—" if price is None else f"{price.value.m_as('USD') / n:,.0f}" + ("*" if price.estimate else "")
        found = listing.default_throughput(s)
        tput = "—" if found is None else f"{found[0]:,.0f}" + ("" if found[1] == "measured" else "°")
        expected = [s.generation, s.status, str(n), _cell(f.get("hbm_capacity"), "GB"),
                    _cell(f.get("hbm_bandwidth"), "TB/s"), _cell(f.get("dense_fp8"), "PFLOP/s"),
                    _cell(f.get("dense_fp4"), "PFLOP/s"), it, capex, tput]
        assert row(out, s.id) == expected, s.id


def test_hardware_rows_in_catalog_order_and_spot_values(hardware):
    listing, out = hardware
    ids = [cells(line)[0] for line in body(out)]
    assert ids == [s.id for s in listing.systems]
    h100 = row(out, "h100")
    assert h100[3:6] == ["80", "3.35", "1.979"]  # HBM GB, HBM TB/s, FP8 PFLOP/s of the H100 datasheet
    b200 = row(out, "b200")
    assert [float(b200[5]), float(b200[6])] == [4.5, 9.0]  # FP8 then FP4


@pytest.fixture(scope="module", params=["h100", "gb200-nvl72", "mi450-helios"])
def detail(request):
    shown = study.hardware_detail(request.param)
    return shown, text(hardware_detail(shown))


def test_detail_head(detail):
    shown, out = detail
    s = shown.system
    assert out.splitlines()[0] == f"{s.name} [{s.id}]"
    assert (f"{s.vendor} {s.generation}, {s.status}; {s.form_factor} of {s.accelerators_per_system} accelerators; "
            f"scale-up domain {s.scale_up_domain}") in flat(out)


def test_detail_every_figure_with_value_source_and_date(detail):
    shown, out = detail
    block = section(out, "figure", "Per-accelerator parameters")
    known = catalog.sources()
    for name, fig in shown.system.figures.items():
        if isinstance(fig.value, pint.Quantity):
            value = human(float(fig.value.magnitude), unit_string(fig.value))
        else:
            value = f"{fig.value}"
        value += "*" if fig.estimate else ""
        src = known[fig.source]
        where = f"{src.id} ({fig.date}, {src.confidence})" + (" ESTIMATE" if fig.estimate else "")
        assert row(block, name) == [value, where], name
        if fig.note:
            assert flat(fig.note) in flat(block)


def test_detail_derived_parameters(detail):
    shown, out = detail
    block = section(out, "Per-accelerator parameters")
    s = shown.system
    n = s.accelerators_per_system
    overhead = shown.rules["it_overhead_share"].value.m_as("")
    share = shown.rules["network_capex_share"].value.m_as("")
    power, price, all_in = s.figure("system_power"), s.figure("system_price"), s.figure("power_all_in")
    ratio = shown.rules["all_in_power_ratio"].value.m_as("")
    it = ((human(all_in.value.m_as("kW") / ratio, "kW"), f"power_all_in / {ratio:g}") if all_in is not None else
          (None if power is None else human(power.value.m_as("kW") / n * (1 + overhead), "kW"),
           f"system_power / {n} x (1 + {overhead:g})"))
    rows = {
        "it_power_per_accelerator": it,
        "accelerator_capex": (None if price is None else human(price.value.m_as("USD") / n, "USD"),
                              f"system_price / {n}"),
        "network_capex_per_accelerator": (None if price is None else human(share * price.value.m_as("USD") / n, "USD"),
                                          f"{share:g} x accelerator_capex"),
    }
    for name, (value, how) in rows.items():
        assert row(block, name) == [value or "not in catalog: set it", how], name


def test_detail_h100_figures_written_out():
    out = text(hardware_detail(study.hardware_detail("h100")))
    derived = section(out, "Per-accelerator parameters")
    # 1.73 kW / 1.234 = 1.402 kW; 238,000 USD / 8 = 29,750 USD; x 0.11 = 3,272.5 USD (three figures in tables)
    assert row(derived, "it_power_per_accelerator") == ["1.4 kW", "power_all_in / 1.234"]
    assert row(derived, "accelerator_capex")[0] == "29.8 k USD"
    assert row(derived, "network_capex_per_accelerator")[0] == "3,272 USD"


@pytest.fixture(scope="module")
def parameters():
    listing = study.parameters()
    return listing, text(parameters_table(listing))


def test_parameters_every_row(parameters):
    listing, out = parameters
    assert len(listing.specs) > 30
    for name, spec in listing.specs.items():
        allowed = spec.allowed if spec.unit else (", ".join(spec.choices) if spec.choices else "a catalog id")
        expected = [spec.bare_unit or "id", param_value(spec, getattr(listing.scenario, name)), allowed,
                    listing.source(name)]
        assert row(out, name) == expected, name
    names = [cells(line)[0] for line in body(out)]
    assert names == list(listing.specs)


def test_parameters_defaults_in_display_units(parameters):
    listing, out = parameters
    s = listing.scenario
    # the unit column is the unit a bare number is read in: what the tables show
    assert row(out, "electricity_price")[0] == "USD/MWh" and row(out, "it_power_per_accelerator")[0] == "kW"
    assert row(out, "electricity_price")[2] == ">= 0 USD/MWh"
    assert row(out, "facility_power")[1] == human(s.facility_power.m_as("MW"), "MW")
    assert row(out, "electricity_price")[1] == f"{s.electricity_price.m_as('USD/MWh'):.4g} USD/MWh"
    assert row(out, "utilization")[1] == f"{100 * s.utilization.m_as(''):.4g} %"
    assert row(out, "accelerator")[1] == s.accelerator


@pytest.fixture(scope="module")
def sources():
    listing = study.sources()
    return listing, text(sources_table(listing))


def test_sources_every_source_with_date_confidence_title_and_address(sources):
    listing, out = sources
    squeezed_out = squeezed(out)
    positions = []
    for s in listing.sources:
        cells_ = row(out, s.id)
        assert cells_[:2] == [s.date, s.confidence], s.id
        assert flat(s.title).startswith(cells_[2]), s.id
        start = squeezed_out.index(squeezed(f"{s.id} {s.date} {s.confidence}"))
        assert squeezed(s.title + s.url) in squeezed_out[start:start + 4 * len(s.title + s.url) + 200]
        positions.append(start)
    assert positions == sorted(positions)  # in catalog order, each address under its own title
    assert all(squeezed(s.url) in squeezed_out for s in listing.sources)


@pytest.fixture(scope="module")
def models():
    listing = study.models()
    return listing, text(models_table(listing))


def test_models_every_row(models):
    listing, out = models
    for m in listing.models:
        experts = f"{m.experts_per_token}/{m.experts}" if m.experts else "dense"
        expected = [m.name, f"{m.total_params / 1e9:,.1f} B", f"{m.active_params / 1e9:,.1f} B", str(m.layers),
                    m.attention.upper(), experts, f"{m.max_context:,}", m.default_precision, m.source]
        assert row(out, m.id) == expected, m.id
    assert row(out, "gpt-oss-120b")[1:3] == ["116.8 B", "5.1 B"]  # total and active parameters of the model card


def test_presets_every_preset_with_what_it_sets():
    listing = study.scenario_presets()
    out = text(presets_table(listing))
    assert listing.presets
    for name, preset in listing.presets.items():
        found = lines_with(out, name)
        assert len(found) == 1
        first = cells(found[0])
        assert first[0] == name
        assert flat(preset.description).startswith(first[1])
        assert first[2] == ", ".join(preset.parameters)
