"""model.roofline on a toy accelerator and a toy model, operating points computed by hand.

Toy model: dense GQA, 1e9 parameters, 10 layers, 8 heads, 2 KV heads of 128, served at fp16
(2 bytes per parameter and per KV element). Toy accelerator: 80 GB, 2 TB/s, 1 PFLOP/s, every
efficiency 0.5, 10 us overhead per layer, a scale-up domain of one (no collectives).
Workload: isl = osl = 100 tokens.
"""

import attrs
import numpy as np
import pytest

from tokencalc.errors import ParameterError
from tokencalc.model.roofline import (Hardware, attended_tokens, attention_flops_per_token,
                                      kv_elements_per_token_layer, model_frontier, point_at_batch)


@attrs.frozen
class Toy:
    """The architecture fields the roofline reads (catalog/models.toml has the same)."""

    id: str = "toy-1b"
    total_params: float = 1e9
    active_params: float = 1e9
    layers: int = 10
    hidden_size: int = 1024
    attention_heads: int = 8
    kv_heads: int = 2
    head_dim: int = 128
    attention: str = "gqa"
    max_context: int = 4096
    kv_lora_rank: int = 0
    qk_rope_head_dim: int = 0
    experts: int = 0
    experts_per_token: int = 0
    expert_params: float = 0.0
    dense_params: float = 1e9
    moe: bool = False
    sliding_window: int = 0
    sliding_window_layers: int = 0


HW = Hardware(id="toy", hbm_capacity=80e9, hbm_bandwidth=2e12, scale_up_bandwidth=450e9, peak=1e15,
              scale_up_domain=1, memory_efficiency=0.5, compute_efficiency=0.5, prefill_efficiency=0.5,
              usable_memory=0.9, layer_overhead_us=10.0, collective_latency_us=5.0, network_efficiency=0.8)

# KV per token and layer: 2 x 2 heads x 128 = 512 elements x 2 B = 1,024 B; read per decode step at the
# mean context isl + osl/2 = 150: 1,024 B x 10 layers x 150 = 1.536e6 B per sequence
KV_READ = 1.536e6
WEIGHTS = 2e9  # B
DECODE_FLOPS = 2e9 + 2 * 8 * 256 * 1500  # 2 x params + attention at 150 x 10 layers = 2.006144e9 FLOP
PREFILL = (2e9 * 100 + 0.5 * 100 * 2 * 8 * 256 * 1000) / (1e15 * 0.5)  # 2.002048e11 FLOP -> 4.004096e-4 s
OVERHEAD = 10 * 10e-6  # 1e-4 s


def cycle(batch):
    memory = (WEIGHTS + batch * KV_READ) / (2e12 * 0.5)
    compute = batch * DECODE_FLOPS / (1e15 * 0.5)
    return max(memory, compute) + OVERHEAD + batch * PREFILL / 100


def test_kv_elements_and_attended_tokens():
    assert kv_elements_per_token_layer(Toy()) == 512
    assert kv_elements_per_token_layer(Toy(attention="mla", kv_lora_rank=512, qk_rope_head_dim=64)) == 576
    assert attended_tokens(Toy(), 150) == 1500
    # gpt-oss style: 18 of 36 layers see a 128-token window: 18 x 1,000 + 18 x 128 = 20,304
    windowed = Toy(layers=36, sliding_window=128, sliding_window_layers=18)
    assert attended_tokens(windowed, 1000) == 20_304
    assert attended_tokens(windowed, np.array([100, 1000])).tolist() == [3600, 20_304]
    # QK^T and AV over 1,000 tokens in 10 layers: 2 x 8 heads x 256 x 10,000 = 4.096e7 FLOP
    assert attention_flops_per_token(Toy(), 1000) == pytest.approx(4.096e7)


def test_single_sequence_point_by_hand():
    # memory-bound: (2e9 + 1.536e6) B / 1e12 B/s = 2.001536e-3 s (compute: 4.0e-6 s); + 1e-4 s overhead
    # + 4.004096e-6 s of prefill per output token = 2.1055401e-3 s per token  ->  474.9375 token/s
    assert cycle(1) == pytest.approx(2.1055401e-3, rel=1e-7)
    inter, out, batch, parallel = point_at_batch(HW, Toy(), "fp16", 100, 100, 1)
    assert (batch, parallel) == (1.0, 1)
    assert inter == pytest.approx(474.9375, rel=1e-6)
    assert out == pytest.approx(474.9375, rel=1e-6)


def test_batch_of_four_by_hand():
    # memory (2e9 + 4 x 1.536e6) / 1e12 = 2.006144e-3 s; + 1e-4 + 4 x 4.004096e-6 = 2.1221604e-3 s
    inter, out, batch, _ = point_at_batch(HW, Toy(), "fp16", 100, 100, 4)
    assert inter == pytest.approx(1 / 2.1221604e-3, rel=1e-7)  # 471.21
    assert out == pytest.approx(4 / 2.1221604e-3, rel=1e-7)  # 1,884.87 per accelerator
    assert batch == 4


def test_frontier_tops_out_at_the_single_sequence_point():
    front = model_frontier(HW, Toy(), "fp16", 100, 100)
    assert front.max_interactivity == pytest.approx(1 / cycle(1), rel=1e-9)
    assert np.all(np.diff(front.interactivity) > 0)
    assert np.all(np.diff(front.output_tokens_per_second) < 0)
    # total tokens count input and output: (100 + 100) / 100 = 2 x output
    assert front.total_tokens_per_second == pytest.approx(2 * front.output_tokens_per_second)
    # capped concurrency: at most 4 in flight
    capped = model_frontier(HW, Toy(), "fp16", 100, 100, max_concurrency=4)
    assert capped.batch.max() == 4
    assert capped.output_at(0) == pytest.approx(4 / cycle(4), rel=1e-9)


@pytest.mark.parametrize("change, precision, isl, fragment", [
    ({}, "int3", 100, "precision"),
    ({}, "fp16", 0, "isl"),
    ({}, "fp16", 4000, "context"),
    ({"total_params": 40e9, "active_params": 40e9, "dense_params": 40e9}, "fp16", 100, "HBM"),
])
def test_errors(change, precision, isl, fragment):
    with pytest.raises(ParameterError, match=fragment):
        point_at_batch(HW, Toy(**change), precision, isl, 100, 1)
