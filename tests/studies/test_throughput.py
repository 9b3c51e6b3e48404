"""The throughput study: measured curves first, the serving model elsewhere, serving choices, the CLI.

The serving model's efficiencies are refitted whenever the calibration changes (scripts/gen_calibration.py
-> catalog/efficiency.toml), so the tests below check relations (which source answers, that a target
equals the measured curve or the model frontier there, monotonicity, ranges) rather than the model's
numbers; the one place that records the model's values is test_model_against_old_measured_points.
"""

import itertools
import re
import math

import numpy as np
import pytest

import tokencalc as tc
from tokencalc.studies.measured import measured_curve, measured_curves
from tokencalc import catalog
from tokencalc.catalog import llm, measured_points
from tokencalc.studies import throughput
from tokencalc.studies.checks import at_configuration, frontier_under_cap
from tokencalc.studies.throughput import compare_to_measured, estimate, model_frontier
from tokencalc.units import Q_

SERVING = ("aggregated", "disaggregated")
SPEC = ("none", "mtp")
CAP = 1024.0  # the default max_concurrency per engine (vLLM on GPUs of 70 GiB or more)


def _tps(quantity):
    return quantity.m_as("token/s")


def _measured(system, precision, isl, osl, serving, spec, model="deepseek-r1"):
    return measured_curve(system, model, precision, isl, osl, serving, spec)


# --- the default target: measured ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def default():
    return throughput.study({})


def test_default_workload(default):
    w = default.workload
    assert (default.system.id, default.model.id, w["precision"]) == ("gb200-nvl72", "deepseek-r1", "fp4")
    assert (int(w["isl"].m_as("token")), int(w["osl"].m_as("token"))) == (1024, 1024)
    assert w["interactivity"].m_as("token/s") == 90
    assert (w["serving"], w["spec_decode"], w["throughput_source"]) == ("best", "best", "auto")
    # best ranges over both servings and both spec-decodes (DeepSeek-R1 ships an MTP module)
    assert sorted((c.serving, c.spec_decode) for c in default.choices) == sorted(itertools.product(SERVING, SPEC))


def test_default_target_is_the_best_measured_curve_at_90(default):
    t = default.target
    assert t.source == "measured"
    assert _tps(t.interactivity) == 90
    curve = _measured("gb200-nvl72", "fp4", 1024, 1024, t.serving, t.spec_decode)
    assert curve is not None
    assert _tps(t.total_tokens_per_second) == pytest.approx(curve.total_at(90), rel=1e-12)
    assert _tps(t.output_tokens_per_second) == pytest.approx(curve.total_at(90) / 2, rel=1e-12)  # 1k in, 1k out
    assert _tps(t.input_tokens_per_second) == pytest.approx(curve.total_at(90) / 2, rel=1e-12)
    # best: the most tokens per accelerator among the curves measured at 90 tok/s per user
    at_90 = {}
    for s, d in itertools.product(SERVING, SPEC):
        c = _measured("gb200-nvl72", "fp4", 1024, 1024, s, d)
        if c is not None and math.isfinite(c.total_at(90)):
            at_90[(s, d)] = c.total_at(90)
    assert at_90 and max(at_90, key=at_90.get) == (t.serving, t.spec_decode)
    assert "measured for deepseek-r1 fp4" in t.description and "inferencex-dsr1" in t.description
    # the study shows, for each choice, the measured curve where the catalog has one
    for c in default.choices:
        curve = _measured("gb200-nvl72", "fp4", 1024, 1024, c.serving, c.spec_decode)
        assert (c.measured is None) == (curve is None)
        if curve is not None:
            assert c.measured.source == "measured"
            assert np.array_equal(c.measured.interactivity, curve.interactivity)
            assert np.array_equal(c.measured.total, curve.total_tokens_per_second)


def test_source_model_gives_the_model(default):
    s = throughput.study({"throughput_source": "model"})
    t = s.target
    assert t.source == "model"
    assert "model out-of-sample error" in t.description
    system, model = catalog.accelerator("gb200-nvl72"), llm("deepseek-r1")
    best = {}
    for d, c in itertools.product(SPEC, SERVING):
        front = model_frontier(system, model, "fp4", 1024, 1024, c, d, CAP)
        assert front.source == "model"
        best[(c, d)] = front.total_at(90)
    assert max(best, key=best.get) == (t.serving, t.spec_decode)
    assert _tps(t.total_tokens_per_second) == pytest.approx(max(best.values()), rel=1e-12)
    assert _tps(t.interactivity) == 90


# --- reach: an interactivity above every choice's is an error naming the range ---------------------------------

def test_unreachable_interactivity_names_the_reachable_range(default):
    top = max(max(c.model.max_interactivity, c.measured.max_interactivity if c.measured is not None else 0.0)
              for c in default.choices)
    with pytest.raises(tc.ParameterError) as exc:
        throughput.study({"interactivity": 500})
    text = str(exc.value)
    assert exc.value.parameter == "interactivity"
    assert text.startswith("interactivity: 500 token/s per user is not reachable for deepseek-r1 (fp4, 1024/1024) "
                           "on gb200-nvl72 with serving best and spec-decode best")
    low = min(c.model.min_interactivity for c in default.choices)  # a slower target is served at the lowest
    assert text.endswith(f"allowed: up to {top:.0f} token/s per user (reachable: {low:.3g} to {top:.0f}; slower is "
                         "served at the lowest)")
    # just below the top answers, just above does not
    assert throughput.study({"interactivity": top * 0.99}).target.total_tokens_per_second.m_as("token/s") > 0
    with pytest.raises(tc.ParameterError, match="not reachable"):
        throughput.study({"interactivity": top * 1.01})


def test_unreachable_interactivity_exits_2_in_the_cli(cli):
    r = cli("throughput", "--interactivity", "500")
    assert r.code == 2 and r.out == ""
    assert "interactivity: 500 token/s per user is not reachable" in r.err and "allowed: up to " in r.err
    for system in ("h100", "mi355x", "b200"):
        r = cli("throughput", "--gpu", system, "--interactivity", "500", "--json")
        assert r.code == 2 and "allowed: up to " in r.err


def _beyond_the_model():
    """A measured curve (system, precision, isl, osl, serving, spec) reaching above the model's frontier, or None."""
    for k, c in measured_curves().items():
        front = model_frontier(catalog.accelerator(k.system), llm(k.model), k.precision, k.isl, k.osl, k.serving,
                               k.spec_decode, CAP)
        if c.interactivity_range[1] > front.max_interactivity * 1.02:
            return k, c, front
    return None


def test_unreachable_error_names_the_measured_reach_too():
    found = _beyond_the_model()
    if found is None:
        pytest.skip("no measured curve reaches above the model with this calibration")
    k, curve, front = found
    system = catalog.accelerator(k.system)
    top = curve.interactivity_range[1]
    answered = estimate(system, k.model, k.precision, k.isl, k.osl, top, max_concurrency=CAP, serving=k.serving,
                        spec_decode=k.spec_decode)
    assert answered.source == "measured"
    with pytest.raises(tc.ParameterError) as exc:
        estimate(system, k.model, k.precision, k.isl, k.osl, top * 1.05, max_concurrency=CAP, serving=k.serving,
                 spec_decode=k.spec_decode)
    assert f"allowed: up to {top:.0f} token/s per user (reachable: " in str(exc.value)


# --- every system, the "Done when" ---------------------------------------------------------------------

def _has_figures(system, precision):
    needed = ("hbm_capacity", "hbm_bandwidth", "scale_up_bandwidth", "scale_out_bandwidth")
    compute = ("dense_fp8",) if precision == "fp8" else ("dense_fp4", "dense_fp8")  # fp4 weights on fp8 compute
    return all(system.figure(n) is not None for n in needed) and any(system.figure(n) is not None for n in compute)


SYSTEMS = tuple(catalog.accelerators())
DONE_WHEN = [("fp8", 1024, 1024, 30, "aggregated", "none"), ("fp4", 8192, 1024, 50, "disaggregated", "mtp"),
             ("fp8", 8192, 1024, 20, "disaggregated", "none"), ("fp4", 1024, 1024, 60, "aggregated", "mtp")]


@pytest.mark.parametrize("workload", DONE_WHEN, ids=["-".join(map(str, w)) for w in DONE_WHEN])
@pytest.mark.parametrize("system", SYSTEMS)
def test_every_system_answers_the_done_when_command(cli, system, workload):
    precision, isl, osl, inter, serving, spec = workload
    r = cli("throughput", "--gpu", system, "--model", "deepseek-r1", "--precision", precision, "--isl", str(isl),
            "--osl", str(osl), "--interactivity", str(inter), "--serving", serving, "--spec-decode", spec, "--json")
    if not _has_figures(catalog.accelerator(system), precision):
        assert r.code == 2 and f"for {system}" in r.err  # a clear error naming what the catalog lacks
        return
    assert r.code == 0, r.err
    d = r.json()
    t = d["target"]
    assert t["total_tokens_per_second_per_accelerator"]["value"] > 0
    assert t["interactivity"]["unit"] == "token/s" and t["interactivity"]["value"] >= inter  # served, >= asked
    assert (t["serving"], t["spec_decode"]) == (serving, spec)
    assert t["source"] in ("measured", "model")
    curve = _measured(system, precision, isl, osl, serving, spec)
    measured_here = curve is not None and inter <= curve.interactivity_range[1]
    assert t["source"] == ("measured" if measured_here else "model")
    if measured_here:  # below the measured range the slowest measured point answers, at its interactivity
        served = max(inter, curve.interactivity_range[0])
        assert t["interactivity"]["value"] == pytest.approx(served)
        assert t["total_tokens_per_second_per_accelerator"]["value"] == pytest.approx(curve.total_at(served))


def test_every_system_has_the_figures_for_fp4_or_fp8():
    # the catalog gap the parametrized test above tolerates: name it, so that a new gap is seen
    lacking = sorted(s for s in SYSTEMS if not _has_figures(catalog.accelerator(s), "fp8"))
    assert lacking == []  # every system has the figures for both precisions
    assert all(_has_figures(catalog.accelerator(s), "fp4") for s in SYSTEMS)


def test_h100_deepseek_r1_fp8_answers_with_a_multi_node_replica(cli):
    r = cli("throughput", "--gpu", "h100", "--model", "deepseek-r1", "--precision", "fp8", "--json")
    assert r.code == 0, r.err
    d = r.json()
    assert d["target"]["total_tokens_per_second_per_accelerator"]["value"] > 0
    model_fronts = [f for f in d["frontiers"] if f["source"] == "model"]
    assert len(model_fronts) == 4
    for f in model_fronts:
        # DeepSeek-R1's 671 B parameters at FP8 do not fit one 8 x 80 GB H100 server
        assert all(p["accelerators_per_replica"] > 8 for p in f["points"])
    s = throughput.study({"accelerator": "h100", "model": "deepseek-r1", "precision": "fp8"})
    assert all(np.all(c.model.gpus > 8) for c in s.choices)


# --- measured never extrapolates; measured beats modelled ------------------------------------------------------

def _a_curve_the_model_reaches_beyond():
    """The first measured curve (in catalog order) whose model frontier reaches above it: which one depends on
    the calibration."""
    model = llm("deepseek-r1")
    for c in measured_curves().values():
        system = catalog.accelerator(c.system)
        front = model_frontier(system, model, c.precision, c.isl, c.osl, c.serving, c.spec_decode, CAP)
        if front.max_interactivity > c.interactivity_range[1]:
            return system, c, front
    pytest.skip("the model reaches above no measured curve with this calibration")


def test_measured_never_extrapolates():
    system, curve, front = _a_curve_the_model_reaches_beyond()
    isl = curve.isl
    low, high = curve.interactivity_range
    # below the measured range: the slowest measured point answers, serving users faster than asked
    below = low / 2
    e = estimate(system, "deepseek-r1", curve.precision, isl, curve.osl, below, max_concurrency=CAP,
                 serving=curve.serving, spec_decode=curve.spec_decode)
    assert e.source == "measured"
    assert _tps(e.total_tokens_per_second) == pytest.approx(curve.total_at(low), rel=1e-12)
    assert _tps(e.interactivity) == pytest.approx(low)  # the interactivity actually served
    inside = math.sqrt(low * high)
    e = estimate(system, "deepseek-r1", curve.precision, isl, curve.osl, inside, max_concurrency=CAP,
                 serving=curve.serving, spec_decode=curve.spec_decode)
    assert e.source == "measured"
    assert _tps(e.total_tokens_per_second) == pytest.approx(curve.total_at(inside), rel=1e-12)
    # above the measured range: the model, labelled so
    above = (high + front.max_interactivity) / 2
    assert front.max_interactivity > high
    e = estimate(system, "deepseek-r1", curve.precision, isl, curve.osl, above, max_concurrency=CAP,
                 serving=curve.serving, spec_decode=curve.spec_decode)
    assert e.source == "model" and e.description.startswith(f"model for deepseek-r1 {curve.precision}")
    assert _tps(e.total_tokens_per_second) == pytest.approx(front.total_at(above), rel=1e-12)
    # --source measured beyond the measured range: an error naming the measured range
    with pytest.raises(tc.ParameterError) as exc:
        estimate(system, "deepseek-r1", curve.precision, isl, curve.osl, above, "measured", CAP,
                 serving=curve.serving, spec_decode=curve.spec_decode)
    assert "token/s per user" in str(exc.value) and f"{high:.0f}" in str(exc.value)


def test_best_picks_a_measured_choice_when_one_is_measured_at_the_target():
    # MI300X: only aggregated serving without MTP is measured; the model ranks other choices higher, yet the
    # measured one answers (measured beats modelled)
    system, model = catalog.accelerator("mi300x"), llm("deepseek-r1")
    curve = _measured("mi300x", "fp8", 1024, 1024, "aggregated", "none")
    target = math.sqrt(curve.interactivity_range[0] * curve.interactivity_range[1])
    e = estimate(system, "deepseek-r1", "fp8", 1024, 1024, target, max_concurrency=CAP)
    assert (e.source, e.serving, e.spec_decode) == ("measured", "aggregated", "none")
    assert _tps(e.total_tokens_per_second) == pytest.approx(curve.total_at(target), rel=1e-12)
    modelled = {(s, d): model_frontier(system, model, "fp8", 1024, 1024, s, d, CAP).total_at(target)
                for s, d in itertools.product(SERVING, SPEC) if (s, d) != ("aggregated", "none")}
    assert all(_measured("mi300x", "fp8", 1024, 1024, s, d) is None for s, d in modelled)
    assert max(modelled.values()) > curve.total_at(target)  # the rule matters here
    # with the model only, best picks the model's best
    m = estimate(system, "deepseek-r1", "fp8", 1024, 1024, target, "model", CAP)
    assert m.source == "model" and (m.serving, m.spec_decode) != ("aggregated", "none")


# --- batch mode: the interactivity served --------------------------------------------------------------------------

def test_batch_mode_reports_the_interactivity_served(cli):
    r = cli("throughput", "--batch", "64", "--json")
    assert r.code == 0, r.err
    t = r.json()["target"]
    served = t["interactivity"]["value"]
    assert served != 90  # the requested default does not apply in batch mode
    assert t["source"] == "model"
    # Little's law: 64 requests in flight per (decode) accelerator, each served `served` tokens/s; with
    # disaggregated serving the prefill pool shares the output among more accelerators
    output = t["output_tokens_per_second_per_accelerator"]["value"]
    if t["serving"] == "aggregated":
        assert output == pytest.approx(64 * served, rel=1e-9)
    else:
        assert output < 64 * served
    assert t["batch"] % 64 == 0  # requests per replica: 64 per accelerator
    assert "batch 64 per accelerator" in t["description"]
    s = throughput.study({"batch": 16, "serving": "aggregated"})
    assert s.target.serving == "aggregated"
    assert _tps(s.target.output_tokens_per_second) == pytest.approx(16 * _tps(s.target.interactivity), rel=1e-9)


# --- output and input per accelerator ----------------------------------------------------------------------

LLAMA = {"accelerator": "h200", "model": "llama-2-70b", "isl": 300, "osl": 294, "interactivity": 20}


@pytest.mark.parametrize("overrides", [
    {**LLAMA, "serving": "aggregated"}, {**LLAMA, "serving": "disaggregated", "throughput_source": "model"},
    {}, {"isl": 8192}, {"isl": 8192, "throughput_source": "model", "serving": "disaggregated"}],
    ids=["aggregated-model", "disaggregated-model", "measured", "measured-8k", "disaggregated-model-8k"])
def test_output_and_input_split_the_total_as_osl_and_isl(overrides):
    # per accelerator, prefill and decode pools together (as InferenceX counts): a measured curve's total, and
    # the model's for both servings
    s = throughput.study(overrides)
    t, w = s.target, s.workload
    isl, osl = w["isl"].m_as("token"), w["osl"].m_as("token")
    total = _tps(t.total_tokens_per_second)
    assert _tps(t.output_tokens_per_second) == pytest.approx(total * osl / (isl + osl), rel=1e-12)
    assert _tps(t.input_tokens_per_second) == pytest.approx(total * isl / (isl + osl), rel=1e-12)
    for c in s.choices:
        assert c.model.output == pytest.approx(c.model.total * osl / (isl + osl), rel=1e-12)


# --- arrays of targets --------------------------------------------------------------------------------------------

TARGETS = np.array([20.0, 30.0, 50.0, 75.0, 90.0, 120.0, 150.0, 200.0, 250.0])


@pytest.mark.parametrize("source", ["auto", "model"])
def test_array_interactivity_is_vectorized_and_monotone(source):
    system = catalog.accelerator("gb200-nvl72")
    e = estimate(system, "deepseek-r1", "fp4", 1024, 1024, Q_(TARGETS, "token/s"), source, CAP)
    total = _tps(e.total_tokens_per_second)
    assert total.shape == TARGETS.shape
    assert np.all(np.diff(total) <= 0)  # throughput falls as interactivity rises
    assert np.all(total > 0)
    one_by_one = [_tps(estimate(system, "deepseek-r1", "fp4", 1024, 1024, float(x), source, CAP)
                  .total_tokens_per_second)
                  for x in TARGETS]
    assert total == pytest.approx(one_by_one, rel=1e-12)
    assert np.all(_tps(e.interactivity) >= TARGETS * (1 - 1e-12))  # served: at least as fast as asked
    assert e.source == ("model" if source == "model" else "measured")


def test_auto_throughput_does_not_rise_across_the_lower_end_of_a_measured_curve():
    system = catalog.accelerator("gb200-nvl72")
    e = estimate(system, "deepseek-r1", "fp4", 1024, 1024, Q_(np.array([10.0, 20.0]), "token/s"), max_concurrency=CAP)
    assert e.source == "measured"  # 10 is below the measured range: its slowest point answers, serving faster
    total = _tps(e.total_tokens_per_second)
    assert total[0] >= total[1]


# --- the model against the old measured points -----------------------------------------------------------------

def _point(system, model):
    return next(p for p in measured_points() if p.system == system and p.model == model)


# model / measured output tokens/s at the InferenceMAX v1 (gpt-oss-120b, 1k/8k at 90 tok/s per user, 64 per
# server) and MLPerf (llama-2-70b offline) points, recorded with the calibration of catalog/efficiency.toml
# fitted on DeepSeek-R1 InferenceX curves only; docs/validation.md reports these errors. The band is wide on
# purpose (a factor of 3 either way): it catches a broken model, not a recalibration.
RECORDED_RATIOS = {
    ("h100", "gpt-oss-120b"): 1.27,
    ("b200", "gpt-oss-120b"): 1.41,
    ("mi300x", "gpt-oss-120b"): 0.45,
    ("mi355x", "gpt-oss-120b"): 1.26,
    ("h200", "llama-2-70b"): 1.09,
    ("b200", "llama-2-70b"): 0.75,
    ("gb200-nvl72", "llama-2-70b"): 0.88,
    ("mi355x", "llama-2-70b"): 0.89,
}


def test_every_old_measured_point_is_recorded():
    assert {(p.system, p.model) for p in measured_points() if p.replica is None} == set(RECORDED_RATIOS)


# --- held out: DeepSeek-R1 InferenceX runs on systems the calibration data never measured ----------------------

def test_held_out_runs_are_at_their_configuration():
    held = [p for p in measured_points() if p.replica is not None]
    assert {p.system for p in held} >= {"h200", "mi325x", "b200", "b300"}
    calibrated = {(r.system, r.isl, r.osl) for r in catalog.benchmark_rows()}
    last = max(r.date for r in catalog.benchmark_rows())
    for point in held:
        # held out: a system no calibration row measures, lengths none of its rows has, or a run after them all
        assert (point.system, point.isl, point.osl) not in calibrated or point.date > last
        inter, output = at_configuration(point)
        # aggregated serving: output per accelerator = batch x interactivity / replica, the run's batch and replica
        assert output == pytest.approx(point.requests * inter / point.replica, rel=1e-9)
        c = compare_to_measured(point)
        assert c.configuration_error == pytest.approx(output / point.output - 1)
        # the frontier holds the run's requests per server: per accelerator, whatever replica the model picks (a
        # replica holds at least one request)
        front = frontier_under_cap(point)
        assert np.all(front.batch <= np.maximum(point.max_concurrency / point.replica * front.gpus, 1.0) + 1e-9)
    cookbook = [p for p in held if p.batch is not None]
    assert cookbook and all(p.requests == p.batch < p.max_concurrency for p in cookbook)  # the mean in flight


# model at the run's configuration / measured - 1, 2026-11-29 (docs/validation.md): H200 took Hopper's figures
# from two-node H100 runs and Blackwell's per-layer times, and came within 17 % of InferenceX's runs (the 2026-03
# experiments, 1k/1k, 1k/8k and 8k/1k; the published curve of 2026-05), all but one run on a runner twice as slow
# per token as the others. The band catches a broken model or a refit that loses H200, not a small move.
def test_h200_held_out_runs_within_a_quarter():
    runs = [p for p in measured_points() if p.system == "h200" and p.model == "deepseek-r1" and p.replica is not None
            and "h200-nv_0" not in p.note]
    assert len(runs) >= 15
    for point in runs:
        assert abs(compare_to_measured(point).configuration_error) <= 0.25, point.note


@pytest.mark.parametrize("system, model", sorted(RECORDED_RATIOS))
def test_model_against_old_measured_points(system, model):
    point = _point(system, model)
    c = compare_to_measured(point)
    assert math.isfinite(c.error) and c.model_output_tokens_per_second > 0
    assert c.error == pytest.approx(c.model_output_tokens_per_second / point.output - 1)
    ratio = 1 + c.error
    recorded = RECORDED_RATIOS[(system, model)]
    assert recorded / 3 <= ratio <= recorded * 3, f"model / measured = {ratio:.2f}, recorded {recorded:.2f}"


def test_compare_to_measured_uses_the_point_conditions():
    # InferenceMAX v1: 64 requests per server, at 90 tok/s per user: the model's frontier there; the cap is the
    # benchmark's client concurrency, per replica (data-parallel attention too), not per attention rank
    point = _point("b200", "gpt-oss-120b")
    assert (point.interactivity, point.max_concurrency) == (90, 64)
    front = model_frontier(catalog.accelerator("b200"), llm("gpt-oss-120b"), point.precision, point.isl, point.osl,
                           "aggregated", "none", replica_concurrency=64)
    assert front.batch.max() <= 64
    per_rank = model_frontier(catalog.accelerator("b200"), llm("gpt-oss-120b"), point.precision, point.isl,
                              point.osl, "aggregated", "none", 64)
    assert per_rank.batch.max() > 64  # 64 per attention rank: more per replica
    expected = front.output_at(min(90.0, front.max_interactivity))
    assert compare_to_measured(point).model_output_tokens_per_second == pytest.approx(expected, rel=1e-12)
    # MLPerf offline: the model's maximum output
    point = _point("h200", "llama-2-70b")
    assert point.interactivity is None
    front = model_frontier(catalog.accelerator("h200"), llm("llama-2-70b"), "fp8", 300, 294, "aggregated", "none",
                           point.max_concurrency)
    assert compare_to_measured(point).model_output_tokens_per_second == pytest.approx(front.output.max(), rel=1e-12)


# --- workloads, errors, user models ---------------------------------------------------------------------------

def test_user_model_from_toml(tmp_path):
    path = tmp_path / "tiny.toml"
    path.write_text('[tiny-7b]\nname = "Tiny 7B"\ntotal_params = 7e9\nactive_params = 7e9\nlayers = 32\n'
                    'hidden_size = 4096\nattention_heads = 32\nkv_heads = 8\nhead_dim = 128\nattention = "gqa"\n'
                    'max_context = 32768\n')
    s = throughput.study({"model": str(path), "isl": 512, "osl": 512, "interactivity": 30})
    assert s.model.id == "tiny-7b" and s.target.source == "model"
    assert [(c.serving, c.spec_decode) for c in s.choices] == [("aggregated", "none"), ("disaggregated", "none")]
    assert _tps(s.target.total_tokens_per_second) > 0
    r = tc.factory(model=str(path), isl=512, osl=512, interactivity=30)
    assert r.tokens_per_year.m_as("token/year") > 0
    assert "tiny-7b" in r.throughput_source


def test_a_model_no_replica_holds(tmp_path):
    path = tmp_path / "giant.toml"
    path.write_text('[giant]\nname = "Giant"\ntotal_params = 1e14\nactive_params = 1e12\nlayers = 100\n'
                    'hidden_size = 16384\nattention_heads = 128\nkv_heads = 8\nhead_dim = 128\nattention = "gqa"\n')
    with pytest.raises(tc.ParameterError, match=r"giant \(fp8\) needs about .* x h100's HBM for its weights and KV "
                                                r"cache; no replica of up to 72 accelerators holds it"):
        throughput.study({"model": str(path), "accelerator": "h100", "precision": "fp8"})


@pytest.mark.parametrize("params, fragment", [
    ({"model": "gpt-5"}, "model: unknown id 'gpt-5'"),
    ({"precision": "int3"}, "precision: 'int3' is not allowed; allowed: auto, best, fp16, fp8, fp4"),
    ({"interactivity": 4000}, "interactivity: 4000 token/s per user is not reachable for deepseek-r1"),
    ({"isl": 200000}, "isl: isl + osl = 201,024 exceeds deepseek-r1's context; allowed: isl + osl <= 163,840 tokens"),
    ({"throughput_source": "measured", "model": "llama-3.1-70b"},
     "throughput_source: no measured curve for gb200-nvl72, llama-3.1-70b, fp4, isl 1024, osl 1024"),
    ({"model": "/nonexistent/model.toml"}, "model: '/nonexistent/model.toml' is not a file"),
    ({"serving": "both"}, "serving: 'both' is not allowed; allowed: best, aggregated, disaggregated"),
    ({"spec_decode": "eagle"}, "spec_decode: 'eagle' is not allowed; allowed: best, none, mtp"),
    ({"spec_decode": "mtp", "model": "llama-3.1-70b"},
     "spec_decode: llama-3.1-70b has no multi-token prediction module; allowed: none, best"),
    ({"kv_cache_precision": "fp4"}, "kv_cache_precision: 'fp4' is not allowed; allowed: auto, fp8, fp16"),
    ({"mtp_acceptance": 1.5}, "mtp_acceptance: 1.5 is not allowed"),
    ({"max_concurrency": 0}, "max_concurrency: 0 is not allowed"),
    ({"batch": np.array([16.0, 32.0])}, "batch: must be a single number"),
    ({"isl": np.array([512.0, 1024.0])}, "isl: must be a single number"),
])
def test_workload_errors(params, fragment):
    with pytest.raises(tc.TokencalcError) as exc:
        throughput.study(params)
    assert fragment in str(exc.value)


def test_kv_cache_precision_and_concurrency_move_the_model():
    base = {"throughput_source": "model", "accelerator": "h200", "model": "llama-3.1-70b", "interactivity": 20}
    fp8 = throughput.study({**base, "kv_cache_precision": "fp8"}).target
    fp16 = throughput.study({**base, "kv_cache_precision": "fp16"}).target
    assert _tps(fp16.total_tokens_per_second) < _tps(fp8.total_tokens_per_second)  # twice the KV bytes to read
    few = throughput.study({**base, "max_concurrency": 4}).target
    assert _tps(few.total_tokens_per_second) < _tps(fp8.total_tokens_per_second)


# --- the CLI -----------------------------------------------------------------------------------------------------

def test_throughput_cli_json(cli):
    r = cli("throughput", "--gpu", "h200", "--model", "llama-2-70b", "--isl", "300", "--osl", "294",
            "--interactivity", "40", "--json")
    assert r.code == 0, r.err
    d = r.json()
    assert (d["accelerator"], d["model"], d["precision"], d["isl"], d["osl"]) == ("h200", "llama-2-70b", "fp8", 300,
                                                                                   294)
    assert (d["serving"], d["spec_decode"]) == ("best", "best")
    # llama-2-70b has no MTP module: two serving choices, model frontiers only
    assert [(f["serving"], f["spec_decode"], f["source"]) for f in d["frontiers"]] == [
        ("aggregated", "none", "model"), ("disaggregated", "none", "model")]
    point = d["frontiers"][0]["points"][0]
    for key in ("interactivity", "output_tokens_per_second_per_accelerator", "total_tokens_per_second_per_accelerator",
                "batch", "accelerators_per_replica", "data_parallel_attention", "time_to_first_token",
                "total_tokens_per_second_per_it_megawatt"):
        assert key in point
    for f in d["frontiers"]:
        x = [p["interactivity"]["value"] for p in f["points"]]
        y = [p["total_tokens_per_second_per_accelerator"]["value"] for p in f["points"]]
        assert np.all(np.diff(x) > 0) and np.all(np.diff(y) < 0)
    assert d["measured"] and d["measured"][0]["source"] == "nvidia-h200-mlperf-v40"
    assert d["target"]["source"] == "model" and d["target"]["interactivity"]["value"] == 40


def test_throughput_cli_default_json_has_measured_frontiers(cli):
    r = cli("throughput", "--json")
    assert r.code == 0, r.err
    d = r.json()
    measured = [f for f in d["frontiers"] if f["source"] == "measured"]
    keys = {(f["serving"], f["spec_decode"]) for f in measured}
    assert keys == {(s, p) for s, p in itertools.product(SERVING, SPEC)
                    if _measured("gb200-nvl72", "fp4", 1024, 1024, s, p) is not None}
    for f in measured:
        assert "batch" not in f["points"][0] and f["note"].startswith("inferencex-dsr1: ")
    assert d["target"]["source"] == "measured" and d["target"]["interactivity"]["value"] == 90


def test_throughput_cli_text_and_measured_listing(cli):
    table = cli("throughput", "--gpu", "b200")
    assert table.code == 0, table.err
    assert "aggregated, spec-decode none: model" in table.out and "At 90 tok/s per user:" in table.out
    listing = cli("throughput", "--measured")
    assert listing.code == 0 and "Measured throughput points, and the serving model's error" in listing.out
    assert "inferencemax" in listing.out
    d = cli("throughput", "--measured", "--json").json()
    assert len(d["measured"]) == len(measured_points())
    for row, p in zip(d["measured"], measured_points()):
        assert (row["system"], row["model"]) == (p.system, p.model)
        # null only beyond the model's reach (the point faster per user than the model serves)
        assert row["model_error"] is None or math.isfinite(row["model_error"])
        assert (row["model_error"] is None) == (p.interactivity is not None and row[
            "model_output_tokens_per_second_per_accelerator"]["value"] is None)
    assert any(row["model_error"] is None for row in d["measured"])
    assert "deepseek-r1" in cli("models").out


def test_factory_uses_the_throughput_estimate():
    r = tc.factory()
    t = throughput.study({}).target
    assert "measured for deepseek-r1 fp4" in r.throughput_source
    assert r.scenario.tokens_per_second_per_accelerator.m_as("token/s") == pytest.approx(
        _tps(t.total_tokens_per_second), rel=1e-12)


def test_token_accounting_adds_up():
    r = tc.factory()
    assert (r.input_tokens_per_year + r.output_tokens_per_year).m_as("token/year") == pytest.approx(
        r.tokens_per_year.m_as("token/year"))
    s = r.scenario
    assert (r.output_tokens_per_year / r.tokens_per_year).m_as("") == pytest.approx(
        s.osl.m_as("token") / (s.isl + s.osl).m_as("token"))
    revenue = (r.breakeven_input_price_per_million_tokens * r.input_tokens_per_year
               + r.breakeven_output_price_per_million_tokens * r.output_tokens_per_year)
    assert revenue.m_as("USD/year") == pytest.approx(r.annual_cost.total.m_as("USD/year"))


def test_factory_cli_with_workload(cli):
    r = cli("factory", "--gw", "1", "--model", "deepseek-r1", "--interactivity", "50", "--isl", "8192",
            "--osl", "1024", "--json")
    assert r.code == 0, r.err
    d = r.json()
    assert d["scenario"]["model"] == "deepseek-r1"
    assert "deepseek-r1" in d["throughput_source"]
    bad = cli("factory", "--interactivity", "1e6")
    assert bad.code == 2 and "interactivity" in bad.err and "allowed: up to" in bad.err


def test_factory_batch_instead_of_interactivity():
    small = tc.factory(batch=16)
    large = tc.factory(batch=256)
    assert large.tokens_per_year > small.tokens_per_year
    assert "batch 256 per accelerator" in large.throughput_source


def test_source_measured_never_answers_with_the_model():
    # MI300X is measured only aggregated without MTP (19-41 tok/s per user); 'best' also ranges over choices
    # that only the model answers: with --source measured they answer nothing, and 50 is out of reach
    system = catalog.accelerator("mi300x")
    with pytest.raises(tc.ParameterError) as exc:
        estimate(system, "deepseek-r1", "fp8", 1024, 1024, 50.0, "measured")
    assert "not reachable" in str(exc.value) and "allowed: 19 to 41" in str(exc.value)
    e = estimate(system, "deepseek-r1", "fp8", 1024, 1024, 30.0, "measured")
    assert e.source == "measured" and (e.serving, e.spec_decode) == ("aggregated", "none")


def test_a_measured_answer_from_a_small_deployment_says_so():
    """H100 at 90 tok/s per user rests on a disaggregated run with fewer requests than GPUs: the answer names the
    run and the model's answer for pools sized to the load (higher); a measured answer mid-curve says nothing."""
    h100 = catalog.accelerator("h100")
    at90 = estimate(h100, "deepseek-r1", "fp8", 1024, 1024, 90.0)
    assert at90.source == "measured" and "small deployment" in at90.description
    run = re.search(r"at (\d+) tok/s per user, (\d+) requests on (\d+) prefill \+ (\d+) decode GPUs", at90.description)
    assert abs(int(run[1]) / 90 - 1) < 0.1  # the run nearest the target, the one the answer rests on
    assert int(run[2]) < int(run[3]) + int(run[4])
    # where the model has no answer, the note still reads whole
    far = estimate(h100, "deepseek-r1", "fp8", 1024, 1024, 125.0, serving="disaggregated", spec_decode="mtp")
    assert "mostly idle" in far.description and "idle tok/s" not in far.description
    model = float(re.search(r"answers ([\d,]+) total tok/s per GPU", at90.description)[1].replace(",", ""))
    assert model > at90.total_tokens_per_second.m_as("token/s")
    assert "small deployment" not in estimate(h100, "deepseek-r1", "fp8", 1024, 1024, 30.0).description


def test_a_model_answer_beyond_the_measured_interactivity_says_how_far():
    mi300x = catalog.accelerator("mi300x")
    top = max(c.interactivity[-1] for c in measured_curves().values() if c.system == "mi300x" and c.isl == 1024)
    beyond = estimate(mi300x, "deepseek-r1", "fp8", 1024, 1024, 2 * top)
    assert beyond.source == "model" and f"{2.0:.1f}x the highest interactivity measured on mi300x" in beyond.description
    assert "the highest interactivity measured" not in estimate(mi300x, "deepseek-r1", "fp8", 1024, 1024,
                                                                 0.9 * top).description


def test_a_model_answer_on_a_measured_system_quotes_that_systems_own_error():
    own = catalog.system_model_error("mi300x")
    assert own is not None and own["rows"] == sum(len(c.interactivity) for c in measured_curves().values()
                                                   if c.system == "mi300x")
    text = estimate(catalog.accelerator("mi300x"), "deepseek-r1", "fp8", 1024, 1024, 90.0).description
    assert f"on mi300x's own measured curves: median {100 * own['median']:.0f} %" in text
    assert catalog.system_model_error("h200") is None  # not measured: the note names the family's systems instead
    assert "own measured curves" not in estimate(catalog.accelerator("h200"), "deepseek-r1", "fp8", 1024, 1024,
                                                 50.0).description


def test_a_measured_answer_names_later_runs_of_its_workload():
    # B300's aggregated FP4 1k/1k curve is SGLang of 2026-04-17; InferenceX published later runs (2026-05-22, held
    # out of the fit): a measured answer from the older curve says so, with the later run nearest its target
    b300 = estimate(catalog.accelerator("b300"), "deepseek-r1", "fp4", 1024, 1024, Q_(100.0, "token/s"),
                    serving="aggregated", spec_decode="none")
    assert b300.source == "measured"
    assert "12 later runs (2026-05-22; held out of the fit" in b300.description
    assert "at 105 (InferenceX, SGLang v0.5.12, TP 8 / EP 8)" in b300.description  # the nearest to 100
    b200 = estimate(catalog.accelerator("b200"), "deepseek-r1", "fp4", 1024, 1024, Q_(100.0, "token/s"),
                    serving="aggregated", spec_decode="none")
    assert b200.source == "measured" and "later runs" not in b200.description


def test_a_results_pages_values_are_named_as_such_not_as_dated_runs():
    # InferenceX's comparison page gives MI300X 8k/1k values faster than the calibration data's runs of 2026-02-27,
    # with no run dates: the measured answer names them as a page's values and the day it was read
    mi300x = estimate(catalog.accelerator("mi300x"), "deepseek-r1", "fp8", 8192, 1024, Q_(23.0, "token/s"),
                      serving="aggregated", spec_decode="none")
    assert mi300x.source == "measured"
    assert "3 values of a results page (read 2026-11-29, run dates not shown; held out of the fit" in mi300x.description
    assert "later runs" not in mi300x.description


def test_a_measured_points_kind_is_checked(monkeypatch):
    from tokencalc.catalog import llms
    from tokencalc.errors import CatalogError
    real = llms.read_toml
    monkeypatch.setattr(llms, "read_toml", lambda name: {"points": [dict(real(name)["points"][0], kind="blog")]}
                        if name == "measured.toml" else real(name))
    with pytest.raises(CatalogError, match="kind 'blog'; allowed: run, comparison page"):
        llms.measured_points.__wrapped__()  # uncached (catalog.once keeps the function under functools.wraps)
