"""The server's latency in the time to first token, measured (tokencalc/studies/first_token.py)."""

import numpy as np
import pytest

from tokencalc import catalog
from tokencalc.studies import first_token as ft
from tokencalc.studies.throughput import model_frontier


def test_the_fit_recovers_a_known_latency():
    """Runs whose TTFT is the GPU time + 80 ms + 12 us per input token (and two queued runs 5x slower, which the
    soft-L1 loss discounts): the fit finds the latency."""
    rng = np.random.default_rng(0)
    isl = np.repeat([1024.0, 8192.0], 20)
    gpu = rng.uniform(0.01, 0.1, isl.size) * isl / 1024
    measured = gpu + 0.08 + 12e-6 * isl
    fixed, token = ft.fit_latency(gpu, isl, measured)
    assert fixed == pytest.approx(0.08, rel=1e-3) and token == pytest.approx(12e-6, rel=1e-3)
    measured[:2] *= 5  # two runs whose prompts queued: squares would follow them, soft-L1 barely moves
    fixed, token = ft.fit_latency(gpu, isl, measured)
    assert fixed == pytest.approx(0.08, rel=0.1) and token == pytest.approx(12e-6, rel=0.1)


def test_leaving_a_curve_out_predicts_it_from_the_others():
    """Two curves, each with its own latency: left out, each is predicted with the other's."""
    runs = ft.FirstTokenRuns(
        serving=np.array(["aggregated"] * 4, dtype=object), key=("a", "a", "b", "b"),
        isl=np.array([1024.0, 8192.0, 1024.0, 8192.0]), gpu=np.array([0.02, 0.1, 0.02, 0.1]),
        measured=np.array([0.12, 0.2, 0.22, 0.3]), load=np.array([0.5, 0.5, 1.0, 2.0]),
        family=np.array(["x"] * 4, dtype=object))
    got = ft.leave_one_curve_out(runs, "aggregated")
    assert len(got) == 3  # the run at 2 requests per GPU is loaded: not a queue-free run
    # curve a (latency 100 ms) predicted from b's one queue-free run (200 ms, and the per-token part is free)
    assert np.all(got[:2] > 0.3) and got[2] < 0  # a is rated slow, b fast


def test_answers_carry_the_catalogs_latency():
    """The model's TTFT in an answer carries efficiency.toml's latency for its serving mode: a recorded fit that
    brings the GPU time up to the measured at low load."""
    fixed, token = catalog.first_token_latency("aggregated")
    assert 0.02 < fixed < 0.5 and 0 <= token < 1e-4
    table = catalog.read_toml("efficiency.toml")["first_token"]
    assert table["aggregated"]["loco_median"] < table["aggregated"]["gpu_only_median"]
    assert table["disaggregated"]["loco_median"] < table["disaggregated"]["gpu_only_median"]
    front = model_frontier(catalog.accelerator("b200"), catalog.llm("deepseek-r1"), "fp4", 8192, 1024)
    assert np.all(front.ttft > fixed + token * 8192)
    assert catalog.first_token_latency("nonsense") == (0.0, 0.0)
