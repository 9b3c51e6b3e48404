"""serving.toml: every serving-technique default is sourced, dated and in a plausible range; MI325X loads."""

from importlib import resources

import pint
import pytest

from tokencalc import catalog
from tokencalc.catalog.reader import figure, tomllib
from tokencalc.units import parse_unit


def _serving() -> dict:
    text = resources.files("tokencalc.catalog").joinpath("serving.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _entries(table: dict, where: str = "serving.toml"):
    """Every figure of a (possibly nested) table: a table with a ``value`` is a figure."""
    for key, entry in table.items():
        assert isinstance(entry, dict), f"{where}.{key} is not a table"
        if "value" in entry:
            yield f"{where}.{key}", key, entry
        else:
            yield from _entries(entry, f"{where}.{key}")


SERVING = _serving()
ENTRIES = list(_entries(SERVING))


def test_sections_present():
    for section in ("mtp", "kv_cache", "network"):
        assert section in SERVING, section
    assert len(ENTRIES) >= 40


@pytest.mark.parametrize("where,name,entry", ENTRIES, ids=[e[0] for e in ENTRIES])
def test_every_entry_has_value_unit_known_source_and_date(where, name, entry):
    known = catalog.sources()
    for field in ("value", "unit", "source", "date"):
        assert field in entry and entry[field] not in ("", None), f"{where}: no {field}"
    assert entry["source"] in known, f"{where} cites unknown source {entry['source']!r}"
    parse_unit(entry["unit"], name)  # a unit tokencalc's registry reads
    assert isinstance(entry.get("estimate", False), bool), where
    if entry.get("estimate"):
        assert entry.get("note"), f"{where} is an estimate without a note saying how it was derived"
    fig = figure(where, name, entry)  # the catalog's own reader accepts it
    assert isinstance(fig.value, pint.Quantity)
    if fig.low is not None:
        assert fig.low <= fig.value, where
    if fig.high is not None:
        assert fig.value <= fig.high, where


def test_mtp_ranges():
    mtp = SERVING["mtp"]
    # acceptance probabilities lie in (0, 1); draft lengths are whole tokens, at least one
    for name, entry in mtp.items():
        if "acceptance" in name:
            assert 0 < entry["value"] < 1, name
            assert 0 < entry.get("low", entry["value"]) <= entry["value"] <= entry.get("high", entry["value"]) < 1, name
        if "draft_tokens" in name:
            assert entry["value"] >= 1 and entry["value"] == int(entry["value"]), name
            assert entry["unit"] == "token", name
    assert mtp["modules"]["value"] >= 1
    assert mtp["decode_speedup"]["value"] > 1
    # the MTP module is small next to the main model: 14B of a 685B checkpoint
    share = mtp["module_params"]["value"] / mtp["main_model_params"]["value"]
    assert share == pytest.approx(mtp["module_share"]["value"], rel=0.01)
    assert 0 < share < 0.05
    assert mtp["module_params"]["value"] + mtp["main_model_params"]["value"] == pytest.approx(685e9)


def test_kv_cache_ranges():
    kv = SERVING["kv_cache"]
    assert kv["bytes_per_element"]["value"] in (1, 2)
    assert 0 < kv["fp8_throughput_gain"]["value"] < 1


NETWORK = [e for e in ENTRIES if e[0].startswith("serving.toml.network")]


@pytest.mark.parametrize("where,name,entry", NETWORK, ids=[e[0] for e in NETWORK])
def test_network_figures_positive_and_plausible(where, name, entry):
    value = figure(where, name, entry).value
    assert value.magnitude > 0, where
    if value.check("[time]"):
        assert 1 <= value.m_as("us") <= 10_000, where
    else:
        assert 1 <= value.m_as("GB/s") <= 2_000, where


def test_scale_out_bandwidth_for_every_system():
    systems = catalog.accelerators()
    for system_id, system in systems.items():
        fig = system.figure("scale_out_bandwidth")
        assert fig is not None and fig.source in catalog.sources(), system_id
        assert 10 <= fig.value.m_as("GB/s") <= 1000, system_id
        # scale-out is slower than the system's scale-up fabric (NVLink / Infinity Fabric)
        assert fig.value < system.figure("scale_up_bandwidth").value, system_id
    # one 400 Gb/s NIC per GPU on the 8-GPU servers of the InferenceX specifications
    assert systems["h100"].figure("scale_out_bandwidth").value.m_as("GB/s") == pytest.approx(50)


def test_mi325x_loads():
    mi325x = catalog.accelerator("mi325x")
    assert mi325x.figure("hbm_capacity").value.m_as("GB") == pytest.approx(256)
    assert mi325x.figure("hbm_bandwidth").value.m_as("TB/s") == pytest.approx(6)
    assert mi325x.figure("chip_power").value.m_as("W") == pytest.approx(1000)
    assert mi325x.figure("dense_fp4") is None  # CDNA 3 has no FP4 tensor cores
    assert mi325x.generation == "CDNA 3" and mi325x.generation_index == catalog.accelerator("mi300x").generation_index
    assert mi325x.status == "shipping" and mi325x.accelerators_per_system == 8 and not mi325x.rack_scale
    assert mi325x.figure("system_price").estimate and mi325x.figure("system_power").estimate


@pytest.mark.parametrize("ranks", [16, 32, 64])
def test_collective_latency_grows_with_the_log_of_the_ranks_as_deepep_measured(ranks):
    """Across the scale-out network the serving model scales a collective's latency from 8 ranks by log2(ranks) / 3
    (model/serving.py); DeepEP's low-latency kernels over RDMA on H800 (deepep-v1) rise 1.5-2.8x from 8 to 16-64
    ranks: within 40 %."""
    import math

    table = SERVING["network"]["deepep_low_latency_h800"]
    for kind in ("dispatch", "combine"):
        measured = table[f"{kind}_latency_ep{ranks}"]["value"] / table[f"{kind}_latency_ep8"]["value"]
        assert math.log2(ranks) / 3 == pytest.approx(measured, rel=0.4), kind


@pytest.mark.parametrize("tokens", [1, 128])
def test_inside_nvlink_latency_grows_as_the_one_sided_alltoall_measured(tokens):
    """Inside one NVLink domain the model scales a collective's latency by (ranks / 8) ^ NVLINK_RANK_EXPONENT:
    GB200 NVL72's one-sided all-to-all (dispatch + combine, trtllm-nvlink-alltoall) from 8 to 64 ranks, within 5 %;
    the tree's log2(64) / 3 = 2 would be 50 % too steep."""
    from tokencalc.model.serving import NVLINK_RANK_EXPONENT

    table = SERVING["network"]["gb200_nvl72_alltoall"]
    both = {ranks: sum(table[f"{k}_latency_ep{ranks}_t{tokens}"]["value"] for k in ("dispatch", "combine"))
            for ranks in (8, 64)}
    assert 8 ** NVLINK_RANK_EXPONENT == pytest.approx(both[64] / both[8], rel=0.05)
    assert 2 > 1.5 * both[64] / both[8]
