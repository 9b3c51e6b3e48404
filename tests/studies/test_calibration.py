"""Calibration pieces that can be checked by hand: the benchmark's concurrency, the frontier as the benchmark
ran it, and families that take figures from another (tokencalc/studies/calibration.py, calibration_ranges.py)."""

import attrs
import numpy as np
import pytest

from tokencalc import catalog
from tokencalc.studies import calibration as cal
from tokencalc.studies.measured import measured_curves

LLM = catalog.llm("deepseek-r1")
EFF = catalog.read_toml("efficiency.toml")


def _theta(family):
    return tuple(EFF[family][name] for name in cal.PARAMETERS)


def _curve(system, precision, isl, serving, spec):
    return next(c for c in measured_curves().values()
                if (c.system, c.precision, c.isl, c.serving, c.spec_decode) == (system, precision, isl, serving, spec))


def test_benchmark_concurrency_is_the_most_requests_per_decode_accelerator():
    # MI300X ran 4 to 64 requests on one 8-GPU server: at most 64 / 8 = 8 per GPU
    assert cal.benchmark_concurrency(_curve("mi300x", "fp8", 1024, "aggregated", "none")) == 8
    curve = _curve("gb200-nvl72", "fp4", 1024, "disaggregated", "mtp")
    assert cal.benchmark_concurrency(curve) == max(r.concurrency / r.decode_gpus for r in curve.rows)
    # B200 FP4 1k/1k aggregated: 256 requests on a 4-GPU replica (tp 4, ep 4) that the row lists as 16 decode GPUs
    assert cal.benchmark_concurrency(_curve("b200", "fp4", 1024, "aggregated", "none")) == 64


def test_an_aggregated_runs_accelerators_are_its_replica():
    """Client concurrency x interactivity / output tokens/s per GPU counts the GPUs a run's throughput is over: for
    every aggregated run it is the replica (tensor x expert parallelism), whatever decode GPU count the row lists."""
    rows = [r for r in catalog.benchmark_rows() if r.serving == "aggregated"]
    implied = np.array([r.concurrency * r.interactivity / (r.total_tokens_per_second * r.osl / (r.isl + r.osl))
                        for r in rows])
    replica = np.array([cal.replica_size(r) for r in rows])
    assert np.median(np.abs(implied / replica - 1)) < 0.1
    assert sum(r.decode_gpus != cal.replica_size(r) for r in rows) > 100  # the rows listing g^2 decode GPUs


@pytest.mark.parametrize("key", [("b200", "fp8", 8192, "aggregated", "none"),
                                 ("mi355x", "fp4", 1024, "disaggregated", "mtp")])
def test_the_frontier_as_run_stays_below_the_frontier_at_the_default_concurrency(key):
    """Fewer operating points: never above, but for the sweep's resolution (40 batches per replica size, joined
    log-log: up to about 12 % between two of them)."""
    curve = _curve(*key)
    theta = _theta(catalog.accelerator(curve.system).serving_family)
    as_run = cal.frontier_ratios(curve, LLM, theta, 1, 0.875, 1024, as_run=True)
    free = cal.frontier_ratios(curve, LLM, theta, 1, 0.875, 1024, as_run=False)
    both = np.isfinite(as_run) & np.isfinite(free)
    assert both.any() and np.all(as_run[both] <= free[both] * 1.15)


def test_the_benchmarks_concurrency_binds_at_the_low_interactivity_end():
    # B200 FP8 8k/1k aggregated ran at most 256 requests on 8 GPUs; the model alone holds twice as many
    curve = _curve("b200", "fp8", 8192, "aggregated", "none")
    theta = _theta("nvidia-blackwell")
    as_run = cal.frontier_ratios(curve, LLM, theta, 1, 0.875, 1024, as_run=True)
    free = cal.frontier_ratios(curve, LLM, theta, 1, 0.875, 1024, as_run=False)
    assert as_run[0] < 0.8 * free[0]


def test_an_inheriting_family_keeps_its_parents_figures():
    rows = tuple(r for c in measured_curves().values() for r in c.rows if c.system == "mi300x")
    start = {f: _theta(f) for f in cal.FAMILIES}
    changed = list(start["amd-cdna3"])
    changed[cal.PARAMETERS.index("collective_latency_us")] = 55.0  # not CDNA 3's to fit: CDNA 4's comes back
    start["amd-cdna3"] = tuple(changed)
    scale_out = {s.id: s.figure("scale_out_bandwidth").value.m_as("B/s") for s in catalog.accelerators().values()
                 if s.figure("scale_out_bandwidth") is not None}
    fit = cal.fit(rows, LLM, scale_out, 1, 0.875, start=start, max_nfev=2, families=["amd-cdna3"])
    parent, own = cal.INHERITS["amd-cdna3"]
    held = cal.HELD.get("amd-cdna3", {})
    for name in cal.PARAMETERS:
        if name in held:
            assert fit.efficiency("amd-cdna3")[name] == held[name]
        elif name not in own:
            assert fit.efficiency("amd-cdna3")[name] == pytest.approx(start[parent][cal.PARAMETERS.index(name)])


def test_model_answers_say_where_they_lie_outside_the_calibration_data():
    from tokencalc.studies.model_notes import coverage_note

    def note(system, model="deepseek-r1", isl=1024, osl=1024, precision="fp8"):
        return coverage_note(catalog.accelerator(system), catalog.llm(model), isl, osl, precision)

    own = catalog.system_model_error("b200")  # measured system and workload: only the system's own error
    assert note("b200") == (f"; on b200's own measured curves: median {100 * own['median']:.0f} %, 90th percentile "
                            f"{100 * own['p90']:.0f} %")
    assert "mi325x has no measured curve" in note("mi325x") and "fitted on mi300x" in note("mi325x")
    assert "fitted on h100" in note("h200")
    # held-out runs of the answer's precision are quoted; none of another precision
    assert "FP8 runs on h200 held out of the fit" in note("h200") and "held out" not in note("h200", precision="fp4")
    # a results page's values are counted apart from runs (their configuration is assumed)
    assert "7 FP8 runs and 3 values of a results page (configuration assumed) on mi325x" in note("mi325x")
    assert "no measured curve at 1024/8192 (measured: 1024/1024, 8192/1024)" in note("b200", osl=8192)
    # an unmeasured system quotes the error on hardware the fit never saw: within a measured generation, or
    # figures carried across generations (Rubin on Blackwell's)
    loso = catalog.unmeasured_system_error()
    assert (f"on a system its family's fit never saw (each of b200, b300, gb200-nvl72, gb300-nvl72 left out in turn): "
            f"median {100 * loso['default_median']:.0f} %, 90th percentile {100 * loso['default_p90']:.0f} %") in note("h200")
    moved = sorted(v["ratio_median"] for v in loso["system"].values() if v["borrowed"])
    assert moved[0] < 1 < moved[-1]  # carried figures miss in either direction: said as ratios, not |error|
    assert (f"Rubin is another generation than Blackwell and Blackwell Ultra: figures carried from one generation to "
            f"another came out {moved[0]:.2g}x to {moved[-1]:.2g}x the measured throughput at the median") \
        in note("vr200-nvl144")
    assert note("b200", "gpt-oss-120b") == "; no measured curve of gpt-oss-120b: the efficiencies are fitted on deepseek-r1"


def test_the_answers_range_is_its_sources_out_of_sample_band():
    from tokencalc.studies import throughput

    cal_, loso = catalog.calibration(), catalog.unmeasured_system_error()
    # a measured system where the model answers (above its measured range): the leave-one-curve-out band
    model = throughput.study({"accelerator": "b200", "throughput_source": "model"}).target
    low, high = (x.m_as("token/s") for x in model.total_range)
    value = model.total_tokens_per_second.m_as("token/s")
    assert model.source == "model" and model.unmeasured == ""
    assert low / value == pytest.approx(1 / cal_["default_concurrency_ratio_p90"])
    assert high / value == pytest.approx(1 / cal_["default_concurrency_ratio_p10"])
    # H200, not measured, of Hopper's measured generation: the leave-one-system-out band; Rubin, another
    # generation than Blackwell's measured systems: the band of figures carried across generations, far wider
    for system, kind, prefix in (("h200", "generation", "default_"), ("vr200-nvl144", "carried", "carried_default_")):
        target = throughput.study({"accelerator": system}).target
        low, high = (x.m_as("token/s") for x in target.total_range)
        value = target.total_tokens_per_second.m_as("token/s")
        assert target.source == "model" and target.unmeasured == kind
        assert (low / value, high / value) == pytest.approx((1 / loso[f"{prefix}ratio_p90"],
                                                              1 / loso[f"{prefix}ratio_p10"]))
    assert loso["carried_default_ratio_p90"] / loso["carried_default_ratio_p10"] > \
        2 * loso["default_ratio_p90"] / loso["default_ratio_p10"]
    measured = throughput.study({}).target  # GB200 at the default workload: a measured curve answers
    low, high = (x.m_as("token/s") for x in measured.total_range)
    value = measured.total_tokens_per_second.m_as("token/s")
    assert measured.source == "measured" and low < value < high
    assert high / value == pytest.approx(1 / cal_["interp_ratio_p10"])
    assert measured.to_dict()["total_tokens_per_second_range"]["high"]["unit"] == "token/s"


def _run(system, total, concurrency=16, framework="sglang"):
    row = next(r for r in catalog.benchmark_rows() if r.system == "b200" and r.serving == "aggregated")
    return attrs.evolve(row, system=system, total_tokens_per_second=total, concurrency=concurrency,
                        framework=framework)


def test_a_run_slower_than_the_same_configuration_on_hardware_it_outdoes_is_left_out():
    # B300 matches or beats B200 in every figure the model uses; not the other way round
    every = [_run("b200", 1000.0), _run("b300", 850.0), _run("b300", 950.0, concurrency=32),
             _run("b200", 2000.0, concurrency=32, framework="trt")]
    slow = cal.dominated(every, every)
    assert slow == {every[1]}  # 850 < 0.9 x 1000; 950 at 32 requests has no B200 run of its framework to face
    # the rule runs one way: a B200 run far below B300's is the older hardware's, not a broken stack
    assert not cal.dominated([_run("b200", 100.0)], [_run("b200", 100.0), _run("b300", 1000.0)])
    # a run within 10 % of the slower hardware's is noise
    assert not cal.dominated([_run("b300", 910.0)], [_run("b200", 1000.0), _run("b300", 910.0)])


def test_the_left_out_runs_are_b300s_young_sglang_stack():
    every = catalog.benchmark_rows()
    slow = cal.dominated(every, every)
    assert {(r.system, r.framework, r.serving) for r in slow} == {("b300", "sglang", "aggregated")}


def test_a_family_of_fp8_runs_holds_its_block_scale_share_at_one():
    """H100's DeepSeek-R1 runs are all FP8: a share of block-scaled FP8 GEMMs could not be told from the HBM share,
    so Hopper holds it at 1 (DeepGEMM is Hopper's own) whatever it starts from, and fits the rest."""
    rows = tuple(r for c in measured_curves().values() for r in c.rows if c.system == "h100")
    start = {f: _theta(f) for f in cal.FAMILIES}
    changed = list(start["nvidia-hopper"])
    changed[cal.PARAMETERS.index("fp8_block_kernels")] = 0.5
    start["nvidia-hopper"] = tuple(changed)
    scale_out = {s.id: s.figure("scale_out_bandwidth").value.m_as("B/s") for s in catalog.accelerators().values()
                 if s.figure("scale_out_bandwidth") is not None}
    fit = cal.fit(rows, LLM, scale_out, 1, 0.875, start=start, max_nfev=2, families=["nvidia-hopper"])
    assert fit.efficiency("nvidia-hopper")["fp8_block_kernels"] == 1.0
    assert cal.HELD["amd-cdna3"] == {"fp8_block_kernels": 1.0}
    # Blackwell, with FP4 and FP8 runs, fits it below 1: its block-scaled FP8 kernels trail its FP4 ones
    assert catalog.efficiency("nvidia-blackwell")["fp8_block_kernels"] < 0.9


def test_leaving_a_system_out_refits_its_family_or_borrows_the_other_generations():
    """Two B200 curves and one H100 curve: B200 left out of a Blackwell fit that keeps GB200 is refitted without
    it; H100, alone in Hopper, is answered by Blackwell's figures (and Hopper's held block-scale share)."""
    keys = [("b200", "fp8", 1024, "disaggregated", "none"), ("gb200-nvl72", "fp8", 1024, "disaggregated", "none"),
            ("h100", "fp8", 1024, "disaggregated", "none")]
    curves = {cal.curve_key(c): c for c in (_curve(*k) for k in keys)}
    rows = tuple(r for c in curves.values() for r in c.rows)
    full = cal.Fit({f: _theta(f) for f in cal.FAMILIES}, np.array([]), rows, 0.875, 1)
    scale_out = {s.id: s.figure("scale_out_bandwidth").value.m_as("B/s") for s in catalog.accelerators().values()
                 if s.figure("scale_out_bandwidth") is not None}
    out = cal.leave_one_system_out(rows, LLM, scale_out, 1, 0.875, full, curves, max_nfev=2)
    assert sorted(out) == ["b200", "gb200-nvl72", "h100"]
    assert out["b200"][1] == "" and out["gb200-nvl72"][1] == ""
    assert out["h100"][1] == "nvidia-blackwell" == cal.TRANSFER["nvidia-hopper"]
    borrowed = tuple(cal.HELD["nvidia-hopper"].get(n, v) for n, v in zip(cal.PARAMETERS, _theta("nvidia-blackwell")))
    h100 = curves[("h100", "fp8", 1024, 1024, "disaggregated", "none")]
    assert np.allclose(out["h100"][0], cal.frontier_ratios(h100, LLM, borrowed, 1, 0.875, 1024.0), equal_nan=True)
    # and at the default concurrency, as answers run (another cap on the requests: other ratios)
    default = cal.frontier_ratios(h100, LLM, borrowed, 1, 0.875, 1024.0, as_run=False)
    assert np.allclose(out["h100"][2], default, equal_nan=True) and not np.allclose(default, out["h100"][0])
    assert len(out["b200"][0]) == len(curves[("b200", "fp8", 1024, 1024, "disaggregated", "none")].interactivity)


def test_efficiency_records_the_error_on_hardware_the_fit_never_saw():
    loso = catalog.unmeasured_system_error()
    measured = {c.system for c in measured_curves().values()}
    assert set(loso["system"]) == measured and "loso" not in catalog.efficiency_families()
    within = [s for s, v in loso["system"].items() if not v["borrowed"]]
    assert sorted(within) == ["b200", "b300", "gb200-nvl72", "gb300-nvl72"] and loso["systems"] == 4
    assert 0 < loso["median"] < loso["p90"]


def _gen_calibration():
    import importlib.util
    from pathlib import Path
    path = Path(__file__).resolve().parents[2] / "scripts" / "gen_calibration.py"
    spec = importlib.util.spec_from_file_location("gen_calibration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_far_frontier_points_are_sorted_by_cause():
    """Each frontier point more than 50 % off counts once: a run the fit leaves out, a run of no known
    configuration, the model within 50 % at the run's configuration (a choice), or off there too (physics);
    unreached points count in neither the far points nor the tenth of reached points allowed."""
    every = catalog.benchmark_rows()
    slow = cal.dominated(every, every)
    b300 = _curve("b300", "fp4", 1024, "aggregated", "none")  # one of its 7 runs left out of the fit
    gb200 = next(c for c in measured_curves().values() if cal.curve_key(c) ==
                 ("gb200-nvl72", "fp8", 1024, 1024, "disaggregated", "none"))  # one run of no known configuration
    frontier, rows = {}, {}
    for curve in (b300, gb200):
        ratio = np.ones(len(curve.rows))
        usable = [r for r in curve.rows if cal.usable(r)]
        at_config = np.zeros(len(usable))
        for i, row in enumerate(curve.rows):
            if row in slow or not cal.usable(row):
                ratio[i] = 3.0  # far: dominated, or unconfigured
        frontier[cal.curve_key(curve)], rows[cal.curve_key(curve)] = ratio, at_config
    key = cal.curve_key(gb200)
    assert all(cal.usable(r) for r in gb200.rows[:9])  # its first 9 runs: the row errors' first 9, in order
    frontier[key][0] = 2.0  # far as the frontier, exact at its configuration: a choice
    frontier[key][1] = 0.4  # far below, and 0.45x at its configuration: physics
    rows[key][1] = np.log(0.45)
    frontier[key][2:8] = np.nan  # beyond reach (6 points): not counted
    frontier[key][8] = 1.5  # exactly 50 % off: not far
    lines = _gen_calibration()._far_summary(cal.HeldOut(rows, frontier))
    got = dict(line.split(" = ") for line in lines)
    assert len(b300.rows) + len(gb200.rows) - 6 == 19  # reached: a tenth of them, 1, may be far
    assert got == {"far_threshold": "0.5", "far_points": "4", "far_allowed": "1",
                   "far_dominated": "1", "far_unconfigured": "1", "far_choice": "1", "far_physics": "1"}


def test_the_held_mtp_gain_moves_a_familys_mtp_rows_and_frontier_only(monkeypatch):
    """The fit holds each family's measured MTP gain (cal.MTP_GAIN): a lower gain slows its MTP answers, at the
    runs' configurations and as the frontier, and leaves its runs without MTP and the other families as they were."""
    rows = [r for r in catalog.benchmark_rows() if cal.usable(r) and (r.precision, r.isl) == ("fp4", 1024)
            and r.system in ("mi355x", "b200")]
    a = cal.row_arrays(rows, "fp4", 1.0, {s: catalog.accelerator(s).figure("scale_out_bandwidth").value.m_as("B/s")
                                          for s in ("mi355x", "b200")})
    thetas = {f: _theta(f) for f in ("amd-cdna4", "nvidia-blackwell")}
    curve = _curve("mi355x", "fp4", 1024, "disaggregated", "mtp")
    monkeypatch.setattr(cal, "MTP_GAIN", {})
    before = cal.row_errors(LLM, a, thetas, 0.875)
    front = cal.frontier_ratios(curve, LLM, thetas["amd-cdna4"], 1, 0.875, 1024)
    monkeypatch.setattr(cal, "MTP_GAIN", {"amd-cdna4": 0.5})
    after = cal.row_errors(LLM, a, thetas, 0.875)
    moved = (a.family == "amd-cdna4") & (a.draft > 0)
    # never faster; slower but where the prefill pool, not the decode steps, sets the rate
    assert moved.any() and np.all(after[moved] <= before[moved] + 1e-12)
    assert np.mean(after[moved] < before[moved] - 0.05) > 0.8
    assert after[~moved] == pytest.approx(before[~moved])
    slower = cal.frontier_ratios(curve, LLM, thetas["amd-cdna4"], 1, 0.875, 1024)
    both = np.isfinite(front) & np.isfinite(slower)
    assert both.any() and np.all(slower[both] <= front[both] + 1e-12) and np.median(slower[both] / front[both]) < 0.95


def test_leaving_a_curve_out_measures_the_mtp_gain_again_without_it(monkeypatch):
    """Held out, the MTP gains come from the rows without the left-out curve (``gains``), hold for its refit and
    prediction, and are restored after."""
    keys = [("mi355x", "fp4", 1024, "disaggregated", "mtp"), ("mi355x", "fp4", 1024, "disaggregated", "none")]
    curves = {cal.curve_key(c): c for c in (_curve(*k) for k in keys)}
    rows = tuple(r for c in curves.values() for r in c.rows)
    full = cal.Fit({f: _theta(f) for f in cal.FAMILIES}, np.array([]), rows, 0.875, 1)
    scale_out = {"mi355x": catalog.accelerator("mi355x").figure("scale_out_bandwidth").value.m_as("B/s")}
    held_key = cal.curve_key(curves[("mi355x", "fp4", 1024, 1024, "disaggregated", "mtp")])
    seen = []

    def gains(rest):
        seen.append(rest)
        return {"amd-cdna4": 0.5}

    monkeypatch.setattr(cal, "MTP_GAIN", {"amd-cdna4": 1.0})
    kept = cal.leave_one_curve_out(rows, LLM, scale_out, 1, 0.875, full, curves, keys=[held_key], max_nfev=1)
    lower = cal.leave_one_curve_out(rows, LLM, scale_out, 1, 0.875, full, curves, keys=[held_key], max_nfev=1,
                                    gains=gains)
    assert cal.MTP_GAIN == {"amd-cdna4": 1.0}  # restored
    assert len(seen) == 1 and seen[0] and all(r.spec_decode == "none" for r in seen[0])
    assert len(seen[0]) == sum(cal.usable(r) for r in rows if r.spec_decode == "none")
    a, b = kept.frontier[held_key], lower.frontier[held_key]
    both = np.isfinite(a) & np.isfinite(b)
    assert both.any() and np.median(b[both] / a[both]) < 0.95  # half the gain: slower MTP answers
    # each held-out curve keeps the figures and the gain its frontier was scored with (the picks read them)
    assert lower.thetas[held_key][1] == 0.5 and kept.thetas[held_key][1] == 1.0
    np.testing.assert_allclose(cal.frontier_ratios(curves[held_key], LLM, kept.thetas[held_key][0], 1, 0.875, 1024),
                               kept.frontier[held_key])  # MTP_GAIN is 1.0 here, as it was for that refit
    front = cal.curve_frontier(curves[held_key], LLM, lower.thetas[held_key][0], 1, 0.875, 1024, gain=0.5)
    np.testing.assert_allclose(np.asarray(front.total_at(curves[held_key].interactivity), dtype=float)
                               / np.asarray(curves[held_key].total_tokens_per_second), lower.frontier[held_key])


def test_the_pick_table_counts_far_points_and_the_runs_the_fit_leaves_out():
    """[frontier.pick]: per (run's class | model's pick), the reached points, those more than 50 % off and, of them,
    the runs the fit leaves out (B300's SGLang runs slower than B200's at the same configuration)."""
    import tomllib
    every = catalog.benchmark_rows()
    slow = cal.dominated(every, every)
    curve = _curve("b300", "fp4", 1024, "aggregated", "none")
    key = cal.curve_key(curve)
    ratio = np.where([r in slow for r in curve.rows], 3.0, 1.2)  # the left-out runs far, the others 20 % high
    held = cal.HeldOut({key: np.zeros(len(curve.rows))}, {key: ratio},
                       thetas={key: (_theta("nvidia-blackwell"), 1.0)})
    table = tomllib.loads("\n".join(_gen_calibration()._pick_table(held, 1.0, 0.875)))["frontier"]["pick"]
    assert sum(v["rows"] for v in table.values()) == len(curve.rows)
    assert sum(v["far"] for v in table.values()) == sum(v["far_dominated"] for v in table.values()) \
        == sum(r in slow for r in curve.rows) >= 1
    near = [v for v in table.values() if v["far"] == 0]
    assert near and all(v["median"] == v["signed_median"] == pytest.approx(0.2) for v in near)
