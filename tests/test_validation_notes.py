"""Figures docs/validation.md derives from the data, checked by hand (scripts/gen_validation.py)."""

import importlib.util
import sys
from pathlib import Path

import pytest

from tokencalc import catalog

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def gen_validation():
    sys.path.insert(0, str(ROOT / "scripts"))  # the script imports its sibling _pages
    try:
        spec = importlib.util.spec_from_file_location("gen_validation", ROOT / "scripts" / "gen_validation.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path.remove(str(ROOT / "scripts"))


def test_tensor_parallel_width_pairs_by_hand(gen_validation):
    """B200, TensorRT-LLM, FP4 1k/1k at 128 requests: the best TP 4 run served 34.7 tok/s per user (TP 4 / EP 1 and
    EP 4 ran), the best TP 8 run 40.0, so a TP 8 step is 34.7 / 40.0 = 0.87 of a TP 4 step; the model's is shorter."""
    rows = [r for r in catalog.benchmark_rows() if (r.system, r.framework, r.precision, r.isl, r.osl, r.serving,
            r.spec_decode, r.concurrency) == ("b200", "trt", "fp4", 1024, 1024, "aggregated", "none", 128)
            and not r.decode_dp_attention]
    x4 = max(r.interactivity for r in rows if r.decode_tp == 4)
    x8 = max(r.interactivity for r in rows if r.decode_tp == 8)
    assert (round(x4, 1), round(x8, 1)) == (34.7, 40.0)
    pairs = gen_validation._tp_width_pairs()
    c, measured, model = next(p for p in pairs[("b200", "trt", "fp4")] if p[0] == 128)
    assert measured == pytest.approx(x4 / x8)
    assert model < measured < 1
    assert ("mi355x", "sglang", "fp4") in pairs  # AMD's pairs, where the model's ratios come out as measured
