"""The InferenceX DeepSeek-R1 rows (catalog.measured) and the measured curves built on them (studies.measured)."""

import configparser
import math
from pathlib import Path

import numpy as np
import pytest

from tokencalc.studies.measured import measured_curve, measured_curves
from tokencalc import catalog
from tokencalc.catalog import measured
from tokencalc.errors import CatalogError
from tokencalc.model.curves import interpolate_log, pareto_envelope

ROOT = Path(__file__).resolve().parents[2]
SEVEN = {"b200", "b300", "gb200-nvl72", "gb300-nvl72", "h100", "mi300x", "mi355x"}
HEADER = ("hardware,framework,model,precision,spec_method,disagg,is_multinode,prefill_tp,prefill_ep,"
          "prefill_dp_attention,num_prefill_gpu,decode_tp,decode_ep,decode_dp_attention,num_decode_gpu,isl,osl,conc,"
          "date,tput_per_gpu,input_tput_per_gpu,output_tput_per_gpu,median_intvty,median_ttft,median_tpot,median_e2el\n")
ROW = "{hw},sglang,dsr1,fp8,none,false,false,8,1,false,8,8,1,false,8,1024,1024,4,2026-02-27,{tput},,,40.9,0.1,0.0244,25\n"


def _by_line():
    return {r.line: r for r in catalog.benchmark_rows()}


def test_every_row_is_loaded_with_catalog_ids_and_its_source():
    rows = catalog.benchmark_rows()
    assert len(rows) == 1296
    assert {r.system for r in rows} == SEVEN
    assert SEVEN <= set(catalog.accelerators())
    assert {r.model for r in rows} == {"deepseek-r1"} and "deepseek-r1" in catalog.models()
    assert {r.source for r in rows} == {"inferencex-dsr1"}
    source = catalog.sources()["inferencex-dsr1"]
    assert source.confidence == "H" and source.date == "2026-05" and "InferenceX-app" in source.url
    assert {r.serving for r in rows} == {"aggregated", "disaggregated"}
    assert {r.spec_decode for r in rows} == {"none", "mtp"}
    assert sum(r.serving == "disaggregated" for r in rows) == 928  # disagg = true in the CSV
    assert sum(r.spec_decode == "mtp" for r in rows) == 505
    assert sum(r.input_tokens_per_second_per_prefill_gpu is None for r in rows) == 5  # empty in 5 early rows
    assert catalog.benchmark_rows() is rows  # read once


def test_spot_check_two_rows_by_hand():
    rows = _by_line()
    # line 2: mi355x,sglang,dsr1,fp4,none,false,false,4,1,false,4,4,1,false,4,1024,1024,4,2026-02-27,180.657...
    r = rows[2]
    assert (r.system, r.framework, r.model, r.precision, r.spec_decode, r.serving, r.multinode) == \
        ("mi355x", "sglang", "deepseek-r1", "fp4", "none", "aggregated", False)
    assert (r.prefill_tp, r.prefill_ep, r.prefill_dp_attention, r.prefill_gpus) == (4, 1, False, 4)
    assert (r.decode_tp, r.decode_ep, r.decode_dp_attention, r.decode_gpus) == (4, 1, False, 4)
    assert (r.isl, r.osl, r.concurrency, r.date) == (1024, 1024, 4, "2026-02-27")
    assert r.total_tokens_per_second == 180.65719659379948
    assert r.input_tokens_per_second_per_prefill_gpu == 90.76813862503164
    assert r.output_tokens_per_second_per_decode_gpu == 89.88905796876784
    assert (r.interactivity, r.ttft, r.tpot, r.e2el) == \
        (93.93187520667296, 0.10738262953236699, 0.01064601337724555, 9.95336338551715)
    # line 261: gb200,dynamo-sglang,dsr1,fp8,none,true,true,1,1,true,24,1,1,true,48,1024,1024,4096,2025-12-21,...
    r = rows[261]
    assert (r.system, r.framework, r.serving, r.multinode) == ("gb200-nvl72", "dynamo-sglang", "disaggregated", True)
    assert (r.prefill_dp_attention, r.prefill_gpus, r.decode_dp_attention, r.decode_gpus) == (True, 24, True, 48)
    assert (r.concurrency, r.date, r.total_tokens_per_second) == (4096, "2025-12-21", 3889.490161926362)
    # total per GPU over both pools: (input x prefill GPUs + output x decode GPUs) / all GPUs
    assert r.total_tokens_per_second == pytest.approx(
        (r.input_tokens_per_second_per_prefill_gpu * 24 + r.output_tokens_per_second_per_decode_gpu * 48) / 72)
    assert rows[3].input_tokens_per_second_per_prefill_gpu is None  # 8k/1k, 2025-10-06: left empty in the source


def test_repeated_runs_are_both_kept():
    rows = _by_line()
    a, b = rows[1138], rows[1172]  # mi355x mori-sglang fp8 mtp 1k/1k conc 1024, both 2026-03-03
    assert attrs_config(a) == attrs_config(b)
    assert (a.total_tokens_per_second, b.total_tokens_per_second) == (1840.0818848018334, 2184.8820961446586)


def attrs_config(r):
    return (r.system, r.framework, r.precision, r.spec_decode, r.serving, r.prefill_tp, r.prefill_gpus, r.decode_tp,
            r.decode_ep, r.decode_gpus, r.isl, r.osl, r.concurrency, r.date)


def test_curves_are_strict_envelopes_made_of_actual_rows():
    curves = measured_curves()
    rows = catalog.benchmark_rows()
    assert len(curves) == 68
    assert sum(c.points for c in curves.values()) == len(rows)
    by_key = {}
    for r in rows:
        by_key.setdefault(r.key, []).append(r)
    assert set(curves) == set(by_key)
    for key, c in curves.items():
        assert c.key == key and c.source == "inferencex-dsr1"
        x, y = c.interactivity, c.total_tokens_per_second
        assert len(x) == len(y) == len(c.rows) >= 4
        assert np.all(np.diff(x) > 0), key
        assert np.all(np.diff(y) < 0), key
        for xi, yi, r in zip(x, y, c.rows):  # every knot is a row of this key, unchanged
            assert r in by_key[key] and (r.interactivity, r.total_tokens_per_second) == (xi, yi)
        group = by_key[key]
        gx = np.array([r.interactivity for r in group])
        gy = np.array([r.total_tokens_per_second for r in group])
        for r in group:  # no row above the envelope; every row under some knot
            assert np.any((x >= r.interactivity) & (y >= r.total_tokens_per_second))
        for xi, yi in zip(x, y):
            assert np.sum((gx >= xi) & (gy >= yi)) == 1
        assert c.interactivity_range == (x[0], x[-1]) and x[-1] == gx.max() and y[0] == gy.max()
        assert c.points == len(group)
        assert c.frameworks == tuple(sorted({r.framework for r in group}))
        assert c.dates == (min(r.date for r in group), max(r.date for r in group))
        # the curve is model.curves' envelope of its key's rows
        assert [group[i] for i in pareto_envelope(gx, gy)] == list(c.rows)
        grid = np.geomspace(x[0] * 0.9, x[-1] * 1.1, 41)
        np.testing.assert_allclose(c.total_at(grid), interpolate_log(x, y, grid), rtol=1e-12)


def test_curves_are_read_only():
    c = next(iter(measured_curves().values()))
    with pytest.raises(ValueError):
        c.interactivity[0] = 1.0
    with pytest.raises(AttributeError):
        c.points = 3


def test_gb200_disaggregated_fp4_8k1k_curve_by_hand():
    c = measured_curve("gb200-nvl72", "deepseek-r1", "fp4", 8192, 1024, "disaggregated", "none")
    assert c.points == 57 and c.frameworks == ("dynamo-sglang", "dynamo-trt")
    assert c.dates == ("2025-12-05", "2026-03-23")
    assert c.interactivity_range == (23.602435612559834, 167.30442556077372)
    # line 293 (dynamo-trt, conc 2253) is a knot: the curve gives its throughput at its interactivity
    knot = _by_line()[293]
    assert knot in c.rows
    assert c.total_at(37.53164500618155) == 13352.782270728028
    assert c.total_at(knot.interactivity) == knot.total_tokens_per_second
    # between its two neighbouring knots (lines 541 and 293): the power law through them
    x0, y0, x1, y1 = 23.602435612559834, 13977.154179823427, 37.53164500618155, 13352.782270728028
    mid = math.sqrt(x0 * x1)
    assert c.total_at(mid) == pytest.approx(math.sqrt(y0 * y1), rel=1e-12)
    # never extrapolated
    assert math.isnan(c.total_at(167.30442556077372 * 1.001)) and math.isnan(c.total_at(23.0))
    assert math.isnan(c.total_at(500.0))
    out = c.total_at([30.0, 200.0])
    assert out.shape == (2,) and np.isfinite(out[0]) and np.isnan(out[1])


def test_disaggregated_gb200_tops_aggregated_b200_at_fp4_8k1k():
    for spec in ("none", "mtp"):
        gb200 = measured_curve("gb200-nvl72", "deepseek-r1", "fp4", 8192, 1024, "disaggregated", spec)
        b200 = measured_curve("b200", "deepseek-r1", "fp4", 8192, 1024, "aggregated", spec)
        assert gb200.total_tokens_per_second[0] > b200.total_tokens_per_second[0]
    b200 = measured_curve("b200", "deepseek-r1", "fp4", 8192, 1024, "aggregated", "none")
    assert b200.total_tokens_per_second[0] == 9234.611348191735  # line 144: trt, conc 256
    assert measured_curve("gb200-nvl72", "deepseek-r1", "fp4", 8192, 1024, "disaggregated",
                                  "none").total_tokens_per_second[0] == 13977.154179823427  # line 541


def test_lookup_of_a_curve():
    assert measured_curve("B200", "DeepSeek-R1", "FP4", 8192, 1024, "Aggregated", "None") is \
        measured_curve("b200", "deepseek-r1", "fp4", 8192, 1024, "aggregated", "none")
    assert measured_curve("h100", "deepseek-r1", "fp4", 1024, 1024, "disaggregated", "none") is None
    assert measured_curve("gb200-nvl72", "deepseek-r1", "fp8", 1024, 1024, "aggregated", "none") is None
    assert measured_curve("h100", "deepseek-r1", "fp8", 1024, 1024, "disaggregated", "mtp") is not None


def test_parse_rows_names_a_bad_row():
    systems, model_ids = {"h100": 1, "h200": 1}, {"deepseek-r1": 1}
    good = measured.parse_rows(HEADER + ROW.format(hw="h200", tput=299.0), systems, model_ids)
    assert len(good) == 1 and good[0].system == "h200" and good[0].line == 2
    with pytest.raises(CatalogError, match=r"line 3 .*unknown hardware 'tpu'"):
        measured.parse_rows(HEADER + ROW.format(hw="h100", tput=1) + ROW.format(hw="tpu", tput=1), systems, model_ids)
    with pytest.raises(CatalogError, match=r"line 2 .*'mi300x' is not in the accelerator catalog"):
        measured.parse_rows(HEADER + ROW.format(hw="mi300x", tput=1), systems, model_ids)
    with pytest.raises(CatalogError, match=r"line 2 .*tput_per_gpu"):
        measured.parse_rows(HEADER + ROW.format(hw="h100", tput=-3), systems, model_ids)
    with pytest.raises(CatalogError, match="unknown model"):
        measured.parse_rows(HEADER + ROW.format(hw="h100", tput=1).replace("dsr1", "llama"), systems, model_ids)
    with pytest.raises(CatalogError, match="missing columns"):
        measured.parse_rows("hardware,framework\nh100,trt\n", systems, model_ids)


def test_mi325x_rows_wait_for_the_catalog():
    text = HEADER + ROW.format(hw="mi325x", tput=500.0) + ROW.format(hw="h100", tput=400.0)
    without = measured.parse_rows(text, {"h100": 1}, {"deepseek-r1": 1})
    assert [r.system for r in without] == ["h100"]
    with_it = measured.parse_rows(text, {"h100": 1, "mi325x": 1}, {"deepseek-r1": 1})
    assert [r.system for r in with_it] == ["mi325x", "h100"]


def test_the_measured_toml_points_are_still_there():
    points = catalog.measured_points()
    assert points and all(p.source != "inferencex-dsr1" for p in points)


def test_the_csv_ships_with_the_package():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    patterns = [p.strip() for p in cfg["options.package_data"]["tokencalc.catalog"].split(",")]
    assert "*.csv" in patterns
    assert (ROOT / "tokencalc" / "catalog" / "inferencex-dsr1.csv").is_file()
