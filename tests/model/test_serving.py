"""model.serving: the serving model's pieces against hand-computed cases on a made-up accelerator and models.

Every expected value is computed here, from the equations of the module docstring written out with
the toy figures below; no test compares a function of tokencalc.model.serving with itself.
"""

import math
from types import SimpleNamespace

import numpy as np
import pytest

from tokencalc.errors import ParameterError
from tokencalc.model.serving import (Accelerator, Efficiency, Frontier, attention_flops, decode_step,
                                     kv_bytes_per_token, model_frontier, operating_points, prefill_attention_flops,
                                     prefill_pass, prefill_time, replica_sizes, serve, tokens_per_step)
from tokencalc.model.kernels import PREFILL_CHUNK, dense_bytes, dense_parts

# --- a made-up accelerator ------------------------------------------------------------------------
BW = 1e12  # [B/s] HBM
PEAK = 1e15  # [FLOP/s] dense at the serving precision
ATT_PEAK = 5e14  # [FLOP/s] attention
UP = 1e11  # [B/s] scale-up, per accelerator and direction
OUT = 1e10  # [B/s] scale-out
DOMAIN = 8
EFF = Efficiency(memory=0.5, gemm=0.5, gemm_half_rows=1.0, attention=0.5, prefill=0.4, layer_overhead_us=10.0,
                 token_overhead_ns=100.0, collective_latency_us=5.0, alltoall_latency_us=8.0, scale_out_latency_us=20.0,
                 network=0.5)
ACC = Accelerator(id="toy-gpu", hbm_capacity=100e9, hbm_bandwidth=BW, scale_up_bandwidth=UP, scale_out_bandwidth=OUT,
                  peak=PEAK, attention_peak=ATT_PEAK, scale_up_domain=DOMAIN, efficiency=EFF)
# memory time of B bytes: B / (BW x 0.5); GEMM efficiency at m rows: 0.5 x m / (m + 1)
MEM = BW * 0.5
NET_UP, NET_OUT = UP * 0.5, OUT * 0.5
LAT_UP, LAT_OUT = 5e-6, 20e-6  # [s] per collective inside / across the scale-up domain, at 8 ranks
LAT_A2A = 8e-6  # [s] per all-to-all inside the scale-up domain, at 8 ranks (across it: LAT_OUT)


def lat(base, g):
    """A collective's latency over g ranks [s]: the figure at 8 ranks x (g / 8)^0.1 inside the scale-up domain
    (LAT_UP, LAT_A2A) and x log2(g) / 3 across it (LAT_OUT: a tree's depth)."""
    return base * (math.log2(max(g, 2)) / 3 if base == LAT_OUT else (max(g, 2) / 8) ** 0.1)
LAYER = 10e-6  # [s] per layer and step

# --- a toy dense GQA model: 1 B parameters, 10 layers, 2 KV heads of 128 ------------------------------
DENSE = SimpleNamespace(
    id="toy-dense", total_params=1e9, active_params=1e9, layers=10, hidden_size=1024, attention_heads=8, kv_heads=2,
    head_dim=128, attention="gqa", kv_lora_rank=0, qk_rope_head_dim=0, experts=0, experts_per_token=0,
    expert_params=0.0, dense_params=1e9, moe=False, sliding_window=0, sliding_window_layers=0, max_context=8192)
DENSE_KV = 2 * 2 * 128 * 1.0  # [B] per token and layer at an FP8 KV cache: K and V, 2 heads of 128

# --- a toy MoE model with MLA: 8 experts of 1e8 (2 per token), 2e8 dense, 4 layers ---------------------
MOE = SimpleNamespace(
    id="toy-moe", total_params=1e9, active_params=4e8, layers=4, hidden_size=512, attention_heads=4, kv_heads=1,
    head_dim=32, attention="mla", kv_lora_rank=64, qk_rope_head_dim=16, experts=8, experts_per_token=2,
    expert_params=1e8, dense_params=2e8, moe=True, sliding_window=0, sliding_window_layers=0, max_context=8192)
MOE_KV = (64 + 16) * 1.0  # [B] per token and layer: the latent KV and the RoPE key


def test_toy_models_are_consistent():
    assert MOE.dense_params + MOE.experts * MOE.expert_params == MOE.total_params
    assert MOE.dense_params + MOE.experts_per_token * MOE.expert_params == MOE.active_params


def step(llm, g, dp, batch, draft=0, context=1000.0, domain=DOMAIN, eff=EFF, kv_bytes=1.0):
    return decode_step(llm, "fp8", context, g, dp, batch, draft, BW, PEAK, ATT_PEAK, UP, OUT, domain, eff, kv_bytes)


# --- tokens per step, replica sizes, KV and attention ---------------------------------------------------

def test_tokens_per_step():
    assert tokens_per_step(0, 0.8) == pytest.approx(1.0)
    assert tokens_per_step(1, 0.8) == pytest.approx(1.8)
    assert tokens_per_step(3, 0.5) == pytest.approx(1.875)  # 1 + 0.5 + 0.25 + 0.125
    assert tokens_per_step(2, 0.0) == pytest.approx(1.0)
    for d in (0, 1, 2, 5):
        assert tokens_per_step(d, 1.0) == pytest.approx(d + 1)
    assert np.asarray(tokens_per_step(np.array([0, 1, 3, 4]), np.array([0.8, 0.8, 0.5, 1.0]))) \
        == pytest.approx([1.0, 1.8, 1.875, 5.0])


def test_realized_tokens_per_step_takes_a_share_of_the_drafted_gain():
    from tokencalc.model.serving import realized_tokens_per_step
    assert realized_tokens_per_step(1, 0.8, 0.5) == pytest.approx(1.4)  # 1 + 0.5 x 0.8
    assert realized_tokens_per_step(3, 0.5, 2.0) == pytest.approx(2.75)  # 1 + 2 x 0.875
    assert realized_tokens_per_step(0, 0.8, 0.5) == pytest.approx(1.0)  # nothing drafted, nothing gained
    assert realized_tokens_per_step(1, 0.8) == tokens_per_step(1, 0.8)
    assert realized_tokens_per_step(1, 0.95, 1.13) == pytest.approx(2.0)  # a step verifies d + 1 tokens at most


def test_a_stacks_mtp_gain_moves_mtp_answers_only():
    import attrs
    half = attrs.evolve(ACC, efficiency=attrs.evolve(ACC.efficiency, mtp_gain=0.5))
    for draft, acceptance in ((1, 0.875), (0, 0.0)):
        full = operating_points(ACC, MOE, "fp8", 1000, 1000, "disaggregated", draft, acceptance)
        low = operating_points(half, MOE, "fp8", 1000, 1000, "disaggregated", draft, acceptance)
        ratio = low.interactivity / full.interactivity
        # disaggregated: the same steps, fewer tokens each, 1.4375 / 1.875
        assert ratio == pytest.approx(np.full(ratio.shape, 1.4375 / 1.875 if draft else 1.0))


def test_replica_sizes():
    assert replica_sizes(8, 1) == [1, 2, 4, 8, 16, 32, 64]  # powers of two to 64, 2 x domain = 16 among them
    assert replica_sizes(8, 3.2) == [4, 8, 16, 32, 64]  # the smallest that holds the weights, and up
    assert replica_sizes(8, 1, largest=8) == [1, 2, 4, 8]
    assert replica_sizes(72, 10) == [16, 32, 64, 72]  # the NVL72 domain; 144 lies beyond the largest
    assert replica_sizes(72, 10, largest=144) == [16, 32, 64, 72, 144]
    assert replica_sizes(8, 1000) == [64]  # nothing holds it: the largest, and the caller finds out


def test_kv_bytes_and_attention_flops():
    assert kv_bytes_per_token(DENSE, 1.0) == 512.0
    assert kv_bytes_per_token(DENSE, 2.0) == 1024.0
    assert kv_bytes_per_token(MOE, 1.0) == 80.0
    # GQA: 2 x heads x 2 head_dim per attended token and layer; MLA: 2 x heads x (2 rank + rope)
    assert attention_flops(DENSE, 1000) == pytest.approx(2 * 8 * 256 * 10 * 1000)
    assert attention_flops(MOE, 1000) == pytest.approx(2 * 4 * 144 * 4 * 1000)
    windowed = SimpleNamespace(**{**vars(DENSE), "sliding_window": 256, "sliding_window_layers": 5})
    # 5 layers see 1,000 tokens, 5 see the last 256
    assert attention_flops(windowed, 1000) == pytest.approx(2 * 8 * 256 * (5 * 1000 + 5 * 256))
    assert attention_flops(windowed, 100) == pytest.approx(2 * 8 * 256 * 10 * 100)  # inside the window


# --- the decode step ---------------------------------------------------------------------------------------

def test_single_accelerator_dense_batch_one_is_weights_plus_kv_plus_layer_overhead():
    weights = 1e9 * 1.0  # [B] at FP8
    kv = DENSE_KV * 10 * 1000  # [B] one request, 10 layers, 1,000 tokens of context
    expected = weights / MEM + kv / MEM + 10 * LAYER  # 2e-3 + 1.024e-5 + 1e-4 s
    assert expected == pytest.approx(2.11024e-3)
    # memory-bound: the GEMM takes 2e9 FLOP / (1e15 x 0.5 x 1/2) = 8 us, attention 0.33 us (x 4: a tile of 16
    # rows holds the 4 query heads of a KV head)
    assert 2e9 / (PEAK * 0.25) < weights / MEM and 2 * 8 * 256 * 10 * 1000 / (ATT_PEAK * 0.5 * 0.25) < kv / MEM
    assert step(DENSE, 1, False, 1) == pytest.approx(expected, rel=1e-12)
    # an FP16 KV cache reads twice the KV bytes
    assert step(DENSE, 1, False, 1, kv_bytes=2.0) == pytest.approx(expected + kv / MEM, rel=1e-12)


def test_large_batch_dense_gemm_is_compute_bound_with_its_row_efficiency():
    b = 4096
    gemm = 2 * 1e9 * b / (PEAK * 0.5 * b / (b + 1))  # 0.016388 s > 2e-3 s of weights
    kv = b * DENSE_KV * 10 * 1000 / MEM  # 0.041943 s > 0.67 ms of attention FLOPs
    assert gemm > 1e9 / MEM and kv > 2 * 8 * 256 * 1e4 * b / (ATT_PEAK * 0.5 * 0.25)
    assert step(DENSE, 1, False, b) == pytest.approx(gemm + kv + 10 * LAYER, rel=1e-12)


def test_decode_attention_fills_its_tile():
    # MLA: 4 heads share the latent KV; a 64-row tile holds 4 x (1 + drafts) query rows on one accelerator,
    # 4 / 4 x 1 with tensor parallelism over 4. Attention FLOPs per token: 2 x 4 x (2 x 64 + 16) x 1000 x 4 layers
    flops = 2 * 4 * (2 * 64 + 16) * 1000 * 4
    assert flops == 4.608e6

    def attention(g, dp, b, draft, peak):
        return decode_step(MOE, "fp8", 1000.0, g, dp, b, draft, BW, PEAK, peak, UP, OUT, DOMAIN, EFF)

    for g, dp, draft, fill in ((1, False, 0, 4 / 64), (1, False, 1, 8 / 64), (4, False, 0, 1 / 64), (4, True, 0, 4 / 64)):
        b = 16  # compute-bound at both attention peaks: the difference is the attention compute alone
        tokens = b * (1 + draft)
        expected = flops * tokens / g / (0.5 * fill) * (1 / 1e11 - 1 / 1e12) * (1 + draft / 4)
        assert attention(g, dp, b, draft, 1e11) - attention(g, dp, b, draft, 1e12) == pytest.approx(expected, rel=1e-9)


def test_tensor_parallelism_adds_two_all_reduces_per_layer():
    g = 2
    reduce_bytes = 2 * (g - 1) / g * 1 * 1024 * 2.0  # ring all-reduce of one token's BF16 activations: 2,048 B
    all_reduces = 10 * 2 * (lat(LAT_UP, 2) + reduce_bytes / NET_UP)  # 10 layers x 2 x (5 x 0.25^0.1 us + 41 ns)
    weights = 1e9 / g / MEM  # split over the replica
    kv = DENSE_KV * 10 * 1000 / 2 / MEM  # 2 KV heads over 2 accelerators
    assert step(DENSE, g, False, 1) == pytest.approx(weights + kv + 10 * LAYER + all_reduces, rel=1e-12)
    assert all_reduces == pytest.approx(20 * (5e-6 * 0.25 ** 0.1 + 2048 / 5e10)) == pytest.approx(8.78749e-5, rel=1e-5)
    # 16 accelerators, twice the scale-up domain: the all-reduces run over the scale-out network
    g = 16
    reduce_bytes = 2 * 15 / 16 * 1024 * 2.0
    all_reduces = 10 * 2 * (lat(LAT_OUT, 16) + reduce_bytes / NET_OUT)
    expected = 1e9 / 16 / MEM + DENSE_KV * 10 * 1000 / 2 / MEM + 10 * LAYER + all_reduces  # KV: only 2 heads
    assert step(DENSE, g, False, 1) == pytest.approx(expected, rel=1e-12)


def test_multi_token_prediction_verifies_the_drafts_and_runs_the_mtp_module():
    # one draft: 2 tokens per request in the GEMMs (still memory-bound), the KV read once; x (1 + 1/10 layers)
    weights, kv = 1e9 / MEM, DENSE_KV * 10 * 1000 / MEM
    assert 2 * 2e9 / (PEAK * 0.5 * 2 / 3) < weights
    assert step(DENSE, 1, False, 1, draft=1) == pytest.approx((weights + kv + 10 * LAYER) * 1.1, rel=1e-12)


def _moe_attention(b, split):
    return b * MOE_KV * 4 * 1000 / split / MEM  # latent KV of b requests at 1,000 tokens, 4 layers


def test_moe_reads_the_experts_its_tokens_touch():
    # 3 tokens, 2 of 8 experts each: E (1 - (1 - k/E)^T) = 8 (1 - 0.75^3) = 4.625 experts read
    touched = 8 * (1 - 0.75 ** 3)
    assert touched == pytest.approx(4.625)
    experts = touched * 1e8 / MEM
    dense = 2e8 / MEM
    routing = 4 * 3 * 2 * 100e-9  # 4 layers x 3 tokens x 2 assignments x 100 ns
    expected = dense + experts + _moe_attention(3, 1) + 4 * LAYER + routing
    assert step(MOE, 1, False, 3) == pytest.approx(expected, rel=1e-12)
    # one token reads k = 2 experts; 200 tokens read nearly all 8
    assert step(MOE, 1, False, 1) == pytest.approx(
        dense + 2 * 1e8 / MEM + _moe_attention(1, 1) + 4 * LAYER + 4 * 2 * 100e-9, rel=1e-12)
    # one request with one MTP draft: 2 tokens touch 8 (1 - 0.75^2) = 3.5 experts; x (1 + 1/4 layers)
    assert step(MOE, 1, False, 1, draft=1) == pytest.approx(
        (dense + 3.5 * 1e8 / MEM + _moe_attention(1, 1) + 4 * LAYER + 4 * 2 * 2 * 100e-9) * 1.25, rel=1e-12)
    many = 8 * (1 - 0.75 ** 200)
    assert many == pytest.approx(8.0)
    expert_gemm = 2 * 2 * 1e8 * 200 / (PEAK * 0.5 * 50 / 51)  # 50 rows per expert: 0.163 ms < 1.6 ms of reading
    assert expert_gemm < many * 1e8 / MEM
    dense_200 = max(2e8 / MEM, 2 * 2e8 * 200 / (PEAK * 0.5 * 200 / 201))
    assert step(MOE, 1, False, 200) == pytest.approx(
        dense_200 + many * 1e8 / MEM + _moe_attention(200, 1) + 4 * LAYER + 4 * 200 * 2 * 100e-9, rel=1e-12)


def test_block_scaled_fp8_weights_read_at_their_share():
    """FP8 weights with a scale per block (fp8_block_kernels = 0.5): every weight GEMM reaches half the shares, so at
    one request (weights memory-bound) the weight reads take twice as long; the KV cache read and the fixed times do not
    move, and neither does an FP4 step (its weights carry no block scales of FP8)."""
    import attrs
    from types import SimpleNamespace as NS

    scaled = NS(**{**vars(MOE), "fp8_block_scaled": True, "fp4_dense_precision": "fp4"})
    half = attrs.evolve(EFF, fp8_block_kernels=0.5)
    touched = 8 * (1 - 0.75 ** 1)  # one token touches 2 of 8 experts
    weights = (2e8 + touched * 1e8) / MEM  # dense + experts read at the HBM share
    assert step(scaled, 1, False, 1, eff=half) - step(scaled, 1, False, 1) == pytest.approx(weights, rel=1e-9)
    assert step(MOE, 1, False, 1, eff=half) == step(MOE, 1, False, 1)  # per-tensor FP8: no block scales
    fp4 = (lambda llm, eff: decode_step(llm, "fp4", 1000.0, 1, False, 1, 0, BW, PEAK, ATT_PEAK, UP, OUT, DOMAIN, eff))
    assert fp4(scaled, half) == fp4(scaled, EFF)


def test_an_fp4_checkpoint_may_keep_its_attention_wider():
    """DeepSeek-R1's FP4 checkpoints leave attention out of the quantization: of the toy MoE's 2e8 dense weights,
    5e7 attention weights stay FP8 (1 B) beside 1.5e8 FP4 ones (0.5625 B). One request on one accelerator reads
    both parts at the HBM share, each its own GEMM; at FP8 (or with no attention split) one part."""
    from types import SimpleNamespace as NS

    mixed = NS(**{**vars(MOE), "fp4_dense_precision": "fp4", "attention_params": 5e7, "fp4_attention_precision": "fp8"})
    assert dense_parts(mixed, "fp4") == [(5e7, "fp8"), (1.5e8, "fp4")]
    assert dense_bytes(mixed, "fp4") == pytest.approx(5e7 * 1.0 + 1.5e8 * 0.5625)
    assert dense_parts(mixed, "fp8") == [(2e8, "fp8")]
    plain = NS(**{**vars(mixed), "fp4_attention_precision": None})
    assert dense_parts(plain, "fp4") == [(2e8, "fp4")]
    fp4 = (lambda llm: decode_step(llm, "fp4", 1000.0, 1, False, 1, 0, BW, PEAK, ATT_PEAK, UP, OUT, DOMAIN, EFF))
    # one token: every GEMM is memory-bound; the attention part reads 5e7 x (1 - 0.5625) B more
    assert fp4(mixed) - fp4(plain) == pytest.approx(5e7 * (1.0 - 0.5625) / MEM, rel=1e-9)


def test_data_parallel_attention_reads_the_dense_weights_on_every_rank():
    g, b = 4, 8  # 8 requests, 2 per attention rank
    experts = 8 * (1 - 0.75 ** 8) * 1e8 / g / MEM  # 7.199 experts, spread over 4 ranks
    # data-parallel attention: every rank reads all 2e8 dense weights and the KV of its own 2 requests;
    # dispatch (1 B) and combine (2 B) all-to-all of each rank's 2 tokens to 2 experts, 3/4 of them remote
    a2a = 2 * 2 * 512 * 3.0 * 3 / 4
    # the busiest of 4 ranks: mu = 8 tokens x 2 / 4 = 4 assignments, x (1 + sqrt(2 ln 4 / 4)) = 1.8326
    busiest = 1 + math.sqrt(2 * math.log(4) / 4)
    assert busiest == pytest.approx(1.83255, abs=1e-5)
    dp = (2e8 / MEM + experts + _moe_attention(b, g) + 4 * (2 * lat(LAT_A2A, 4) + a2a * busiest / NET_UP)
          + 4 * (LAYER + 2 * busiest * 2 * 100e-9))
    assert step(MOE, g, True, b) == pytest.approx(dp, rel=1e-12)
    # tensor-parallel attention: a quarter of the dense weights each, MLA's latent KV read whole on every
    # rank, two all-reduces of the 8 tokens' activations, and routing of all 8 tokens on each rank
    reduce_bytes = 2 * 3 / 4 * 8 * 512 * 2.0
    tp = (2e8 / g / MEM + experts + _moe_attention(b, 1) + 4 * 2 * (lat(LAT_UP, 4) + reduce_bytes / NET_UP)
          + 4 * (LAYER + 8 * 2 * 100e-9))
    assert step(MOE, g, False, b) == pytest.approx(tp, rel=1e-12)


def test_popular_experts_load_the_busiest_rank_more():
    """Experts differ in popularity (expert_skew s, the spread of their loads): with expert parallelism the ranks'
    loads vary by s sqrt(g / E) on top of random routing's 1 / sqrt(mu), the spreads add as variances, and the
    busiest of g ranks carries 1 + sqrt(2 ln g (s^2 g / E + 1 / mu)) of the mean. It scales the experts' FLOPs, the
    all-to-all traffic and the routing time, not the weights read; tensor-parallel attention splits every expert
    over the ranks (no rank holds the popular ones): no busiest rank."""
    import attrs

    skewed = attrs.evolve(EFF, expert_skew=0.5)
    spread = 2 * math.log(4)
    # 8 tokens on 4 ranks, mu = 4: memory-bound experts, so only the all-to-all bytes and the routing time grow
    busiest, even = 1 + math.sqrt(spread * (0.25 * 4 / 8 + 1 / 4)), 1 + math.sqrt(spread / 4)
    # 2 ln 4 = 2.77259: 1 + sqrt(2.77259 x 0.375) = 2.01967 against 1 + sqrt(2.77259 / 4) = 1.83255
    assert busiest - even == pytest.approx(0.18711, abs=1e-5)
    a2a = 2 * 2 * 512 * 3.0 * 3 / 4  # bytes each rank sends, as above
    per_step = 4 * (busiest - even) * (a2a / NET_UP + 2 * 2 * 100e-9)  # 4 layers: all-to-all, 2 x 2 assignments
    assert step(MOE, 4, True, 8, eff=skewed) - step(MOE, 4, True, 8) == pytest.approx(per_step, rel=1e-9)
    # 4,096 tokens, mu = 2,048: the experts' GEMMs are compute-bound (1,024 rows each at 0.5 x 1024/1025 of PEAK:
    # 0.82 ms x the busiest rank's share, against 0.4 ms to read the 2e8 expert bytes of a rank), so they grow too
    busiest, even = 1 + math.sqrt(spread * (0.25 * 4 / 8 + 1 / 2048)), 1 + math.sqrt(spread / 2048)
    experts = 2 * 2 * 1e8 * 4096 / 4 / (PEAK * 0.5 * 1024 / 1025)
    assert experts * even > 2e8 / MEM
    a2a = 1024 * 2 * 512 * 3.0 * 3 / 4
    per_step = (busiest - even) * (experts + 4 * (a2a / NET_UP + 1024 * 2 * 100e-9))
    assert step(MOE, 4, True, 4096, eff=skewed) - step(MOE, 4, True, 4096) == pytest.approx(per_step, rel=1e-9)
    assert step(MOE, 4, False, 4096, eff=skewed) == step(MOE, 4, False, 4096)  # compute-bound, tensor-parallel
    assert step(MOE, 1, True, 8, eff=skewed) == step(MOE, 1, True, 8)  # one rank: nothing to wait for


def test_all_to_all_beyond_the_scale_up_domain_goes_over_scale_out():
    g, b = 16, 32  # 2 tokens per rank
    a2a = 2 * 2 * 512 * 3.0 * 15 / 16  # bytes each rank sends: 5,760
    local = DOMAIN / g  # half the traffic stays in the scale-up domain, 1 - 8/16 crosses scale-out
    beyond = 2 * lat(LAT_OUT, 16) + a2a * local / NET_UP + a2a * (1 - local) / NET_OUT
    inside = 2 * lat(LAT_A2A, 16) + a2a / NET_UP  # the same replica in a 16-wide scale-up domain
    busiest = 1 + math.sqrt(2 * math.log(16) / 4)  # mu = 32 x 2 / 16 = 4 assignments per rank
    difference = 4 * (2 * (lat(LAT_OUT, 16) - lat(LAT_A2A, 16)) + busiest * (a2a * local / NET_UP + a2a * (1 - local) / NET_OUT
                                                          - a2a / NET_UP))
    latencies = 2 * (20e-6 * 4 / 3 - 8e-6 * 2 ** 0.1)  # 2 x (20 us x log2(16) / 3 - 8 us x (16 / 8)^0.1)
    assert latencies == pytest.approx(36.18496e-6, rel=1e-6)
    assert beyond - inside == pytest.approx(latencies + 2880 / 5e9 - 2880 / 5e10)
    assert difference == pytest.approx(4 * (latencies + 2.17741 * (2880 / 5e9 - 2880 / 5e10)), rel=1e-5)
    assert step(MOE, g, True, b, domain=8) - step(MOE, g, True, b, domain=16) == pytest.approx(difference, rel=1e-9)


def test_vectorized_over_replicas_and_batches():
    g = np.array([1, 2, 16])
    b = np.array([1, 1, 1])
    one = [step(DENSE, int(gi), False, int(bi)) for gi, bi in zip(g, b)]
    assert step(DENSE, g, np.zeros(3, bool), b) == pytest.approx(one, rel=1e-12)


def prefill(llm, isl, g, eff=EFF):
    return prefill_time(llm, "fp8", isl, g, BW, PEAK, ATT_PEAK, UP, OUT, DOMAIN, eff)


def test_prefill_of_a_dense_model_is_compute_bound_gemms():
    # 1,000 prompt tokens on 2 accelerators: the GEMMs' 2 x 1e9 x 1,000 FLOP split in 2 at 0.4 x 1000/1001 of
    # PEAK (2.5025 ms; reading the 0.5 GB of weights each would take 1 ms), two all-reduces of the prompt's
    # BF16 activations per layer (2 x 2 x 1/2 x 1,000 x 1,024 x 2 B = 4.096 MB at 5e10 B/s, x 10 layers), causal
    # attention (1,000/2 x 4.096e7 FLOP) at 0.4 of ATT_PEAK, and 10 x 10 us per layer
    gemms = 2e9 * 1000 / 2 / (PEAK * 0.4 * 1000 / 1001)
    assert gemms == pytest.approx(2.5025e-3)
    comm = 10 * 2 * 2 * 0.5 * 1000 * 1024 * 2.0 / NET_UP
    attention = 0.5 * 1000 * (2 * 8 * 256 * 10 * 1000) / 2 / (ATT_PEAK * 0.4)
    assert prefill(DENSE, 1000, 2) == pytest.approx(gemms + comm + attention + 10 * LAYER, rel=1e-12)
    assert gemms + comm + attention + 10 * LAYER == pytest.approx(3.47290e-3, rel=1e-5)


def test_chunked_prompts_share_a_pass():
    # full passes of PREFILL_CHUNK = 8,192 tokens (a prefill engine's batches): a 1,000-token prompt pays
    # 1,000 / 8,192 of the weights' read and of the fixed time per layer, and all of its FLOPs, attention and
    # traffic. Its GEMMs are compute-bound either way, so it saves (1 - 1,000 / 8,192) x 10 x 10 us
    assert PREFILL_CHUNK == 8192
    chunked = prefill_time(DENSE, "fp8", 1000, 2, BW, PEAK, ATT_PEAK, UP, OUT, DOMAIN, EFF, chunked=True)
    assert chunked == pytest.approx(prefill(DENSE, 1000, 2) - (1 - 1000 / 8192) * 10 * LAYER, rel=1e-12)
    # one token: alone, the prompt reads the 0.5 GB of weights per accelerator (1 ms); chunked, 1/8,192 of that
    # (0.12 us) is below its 2e9 FLOP over 2 accelerators at 0.4 x 1/2 of PEAK: compute, all-reduces, attention
    # and 1/8,192 of the 10 x 10 us
    gemm = 2e9 / 2 / (PEAK * 0.4 * 1 / 2)
    assert 0.5e9 / 8192 / MEM < gemm
    comm = 10 * 2 * 2 * 0.5 * 1 * 1024 * 2.0 / NET_UP
    attention = 0.5 * 1 * (2 * 8 * 256 * 10 * 1) / 2 / (ATT_PEAK * 0.4)
    one = prefill_time(DENSE, "fp8", 1, 2, BW, PEAK, ATT_PEAK, UP, OUT, DOMAIN, EFF, chunked=True)
    assert one == pytest.approx(gemm + comm + attention + 10 * LAYER / 8192, rel=1e-12)
    assert one < prefill(DENSE, 1, 2) - 0.9e-3  # the weights' read (1 ms) is shared
    # a prompt of a whole chunk or more pays it all, as alone
    assert prefill_time(DENSE, "fp8", 8192, 2, BW, PEAK, ATT_PEAK, UP, OUT, DOMAIN, EFF, chunked=True) == \
        pytest.approx(prefill(DENSE, 8192, 2), rel=1e-12)


def test_aggregated_prefill_passes_hold_the_prompts_of_one_step():
    # B tau / osl prompts arrive per decode step and share one pass after it, between one prompt and 8,192 tokens
    assert prefill_pass(1000, 1000, 4, 1.0) == pytest.approx(1000)  # one prompt every 250 steps: alone
    assert prefill_pass(1000, 1000, 3000, 1.0) == pytest.approx(3000)  # 3 prompts a step
    assert prefill_pass(1000, 1000, 3000, 2.0) == pytest.approx(6000)  # MTP: twice the tokens, twice the prompts
    assert prefill_pass(1000, 1000, 100_000, 1.0) == pytest.approx(PREFILL_CHUNK)  # a full pass
    assert prefill_pass(10_000, 1000, 100_000, 1.0) == pytest.approx(10_000)  # a prompt above the chunk: its own
    assert np.allclose(prefill_pass(1000, 1000, np.array([4.0, 3000.0]), 1.0), [1000, 3000])
    # a pass of 2,000 tokens: a 1,000-token prompt pays half of the weights' read and of the fixed time per layer
    two = prefill_time(DENSE, "fp8", 1000, 2, BW, PEAK, ATT_PEAK, UP, OUT, DOMAIN, EFF, chunked=2000.0)
    assert two == pytest.approx(prefill(DENSE, 1000, 2) - 0.5 * 10 * LAYER, rel=1e-12)
    # a number below the prompt is the prompt alone; True is a full pass of PREFILL_CHUNK
    assert prefill_time(DENSE, "fp8", 1000, 2, BW, PEAK, ATT_PEAK, UP, OUT, DOMAIN, EFF, chunked=10.0) == \
        pytest.approx(prefill(DENSE, 1000, 2), rel=1e-12)
    assert prefill_time(DENSE, "fp8", 1000, 2, BW, PEAK, ATT_PEAK, UP, OUT, DOMAIN, EFF, chunked=float(PREFILL_CHUNK)) \
        == pytest.approx(prefill_time(DENSE, "fp8", 1000, 2, BW, PEAK, ATT_PEAK, UP, OUT, DOMAIN, EFF, chunked=True))


def test_a_prompt_cache_prefills_only_the_new_tokens():
    # half of the 1,000 prompt tokens from the cache: 500 new tokens through the GEMMs and all-reduces, each
    # attending to a mean context of 750: (1 - 0.5)(1 + 0.5)/2 = 0.375 of the 1,000 x A(1,000) pairs
    gemms = 2e9 * 500 / 2 / (PEAK * 0.4 * 500 / 501)
    comm = 10 * 2 * 2 * 0.5 * 500 * 1024 * 2.0 / NET_UP
    attention = 0.375 * 1000 * (2 * 8 * 256 * 10 * 1000) / 2 / (ATT_PEAK * 0.4)
    cached = prefill_time(DENSE, "fp8", 1000, 2, BW, PEAK, ATT_PEAK, UP, OUT, DOMAIN, EFF, 0.5)
    assert cached == pytest.approx(gemms + comm + attention + 10 * LAYER, rel=1e-12)
    assert cached < prefill(DENSE, 1000, 2)
    assert prefill_time(DENSE, "fp8", 1000, 2, BW, PEAK, ATT_PEAK, UP, OUT, DOMAIN, EFF, 1.0) == 0  # no pass


def test_prefill_of_an_moe_model_pays_routing_and_the_all_to_all():
    # 100 tokens on 4 accelerators: the dense weights' read (2e8 B / 4 at 5e11 B/s = 0.1 ms) outlasts their
    # GEMMs; all 8 experts are touched (8 (1 - 0.75^100)), their read (8e8 B / 4: 0.4 ms) outlasts their GEMMs
    # at 25 rows each; dispatch and combine of 100 x 2 assignments x 512 x 3 B x 3/4 remote over 4 ranks per
    # layer; routing 100 x 2 x 100 ns / 4 per layer; MLA attention in multi-head form (2 x 4 x 80 x 4 x context)
    dense, experts = 2e8 / 4 / MEM, 8 * (1 - 0.75 ** 100) * 1e8 / 4 / MEM
    assert 2 * 2e8 * 100 / 4 / (PEAK * 0.4 * 100 / 101) < dense
    assert 2 * 2 * 1e8 * 100 / 4 / (PEAK * 0.4 * 25 / 26) < experts
    comm = 4 * 100 * 2 * 512 * 3.0 * 3 / 4 / 4 / NET_UP
    attention = 0.5 * 100 * (2 * 4 * 80 * 4 * 100) / 4 / (ATT_PEAK * 0.4)
    overhead = 4 * (LAYER + 100 * 2 * 100e-9 / 4)
    assert prefill(MOE, 100, 4) == pytest.approx(dense + experts + comm + attention + overhead, rel=1e-12)
    assert dense + experts + comm + attention + overhead == pytest.approx(5.64624e-4, rel=1e-5)


def test_mla_prefill_runs_multi_head_attention_on_decompressed_keys():
    # decode (absorbed): QK over the 64 + 16 latent and AV over 64 per head: 2 x 4 heads x 144 x 4 layers x ctx;
    # prefill: QK over head_dim + rope = 48 and AV over head_dim = 32: 2 x 4 x 80 x 4 x ctx
    assert attention_flops(MOE, 1000) == pytest.approx(2 * 4 * 144 * 4 * 1000)
    assert prefill_attention_flops(MOE, 1000) == pytest.approx(2 * 4 * 80 * 4 * 1000)
    assert prefill_attention_flops(DENSE, 1000) == attention_flops(DENSE, 1000)  # GQA: the same in both phases


# --- serving: aggregated and disaggregated ----------------------------------------------------------------

def test_serve_aggregated():
    isl, osl, g, b, tau, t_step, t_prefill = 300, 100, 2, 4, 1.8, 0.02, 0.1
    cycle = 0.02 + 4 * 1.8 / 100 * 0.1  # 0.0272 s: the step and the prefills of the requests it finishes
    inter, out, total = serve(DENSE, isl, osl, "aggregated", g, b, tau, t_step, t_prefill)
    assert inter == pytest.approx(1.8 / 0.0272)
    assert out == pytest.approx(4 * 1.8 / cycle / 2)
    assert total == pytest.approx(out * (isl + osl) / osl)
    assert total == pytest.approx(4 * out)


def test_serve_disaggregated():
    isl, osl, g, b, tau, t_step, t_prefill = 300, 100, 2, 4, 1.8, 0.02, 0.1
    decode = 4 * 1.8 / 0.02 / 2  # 180 output tokens/s per decode accelerator
    for p in (0.0, 0.25, 1.0):
        inter, out, total = serve(DENSE, isl, osl, "disaggregated", g, b, tau, t_step, t_prefill, p)
        assert inter == pytest.approx(90.0)  # tau / t_step: prefill runs elsewhere
        # p prefill accelerators per decode accelerator: total = decode output x (1 + isl/osl) / (1 + p)
        assert total == pytest.approx(decode * (1 + isl / osl) / (1 + p))
        # output per accelerator of both pools: the total's osl share
        assert out == pytest.approx(decode / (1 + p))
        assert out == pytest.approx(total * osl / (isl + osl))
    # the prefill pool sized to the input rate: 180 x 3 = 540 input tokens/s per decode accelerator, one
    # accelerator prefills 300 tokens in 0.1 x 2 s: 0.36 prefill accelerators per decode accelerator
    _, out, total = serve(DENSE, isl, osl, "disaggregated", g, b, tau, t_step, t_prefill)
    assert total == pytest.approx(180 * 4 / 1.36)
    assert out == pytest.approx(180 / 1.36)
    # busy 60 % of the time (headroom for the time to first token): 0.36 / 0.6 = 0.6 prefill per decode
    _, _, total = serve(DENSE, isl, osl, "disaggregated", g, b, tau, t_step, t_prefill, prefill_utilization=0.6)
    assert total == pytest.approx(180 * 4 / 1.6)


# --- operating points -------------------------------------------------------------------------------------

def test_operating_points_batch_limited_by_memory():
    small = Accelerator(id="small", hbm_capacity=2e9, hbm_bandwidth=BW, scale_up_bandwidth=UP, scale_out_bandwidth=OUT,
                        peak=PEAK, attention_peak=ATT_PEAK, scale_up_domain=DOMAIN, efficiency=EFF)
    p = operating_points(small, DENSE, "fp8", 1024, 1024)
    # one accelerator: 0.9 x 2 GB - 1 GB of weights = 0.8 GB for KV; a request holds 512 B x 10 layers x its
    # mean context, 1,024 + 1,024 / 2 = 1,536 tokens (paged KV: the requests in flight are spread over their outputs)
    kv_request = 512 * 10 * 1536
    assert (2e9 * 0.9 - 1e9) / kv_request == pytest.approx(101.73, abs=0.01)
    one = p.batch[p.gpus == 1]
    assert one.max() == 101 and one.min() == 1
    assert sorted(set(p.gpus.tolist())) == [1, 2, 4, 8, 16, 32, 64]
    assert not p.data_parallel_attention.any()  # dense: tensor parallelism only
    assert np.all(p.output * p.gpus == pytest.approx(p.interactivity * p.batch))  # Little's law, per replica
    assert np.all(p.total == pytest.approx(p.output * 2))


def test_one_request_at_its_full_context_must_fit():
    # 9 MB for KV on one accelerator: a request's mean context (7.9 MB) fits, its full 2,048 tokens (10.5 MB) do not
    tight = Accelerator(id="tight", hbm_capacity=(1e9 + 9e6) / 0.9, hbm_bandwidth=BW, scale_up_bandwidth=UP,
                        scale_out_bandwidth=OUT, peak=PEAK, attention_peak=ATT_PEAK, scale_up_domain=DOMAIN,
                        efficiency=EFF)
    p = operating_points(tight, DENSE, "fp8", 1024, 1024)
    assert 1 not in set(p.gpus.tolist()) and 2 in set(p.gpus.tolist())


def test_operating_points_concurrency_per_accelerator():
    free = operating_points(ACC, MOE, "fp8", 1024, 1024)
    p = operating_points(ACC, MOE, "fp8", 1024, 1024, concurrency_per_accelerator=3)
    assert np.all(p.batch <= 3 * p.gpus) and p.batch.max() == 3 * p.gpus.max()
    assert free.batch.max() > p.batch.max()


def test_operating_points_concurrency_per_engine():
    p = operating_points(ACC, MOE, "fp8", 1024, 1024, concurrency_per_engine=16)
    tp, dp = ~p.data_parallel_attention, p.data_parallel_attention
    assert p.batch[tp].max() == 16  # a tensor-parallel replica is one engine
    for g in (2, 4, 8):  # with data-parallel attention each rank is an engine
        assert p.batch[dp & (p.gpus == g)].max() == 16 * g
    capped = operating_points(ACC, MOE, "fp8", 1024, 1024, max_concurrency=10, concurrency_per_engine=16)
    assert capped.batch.max() == 10


def test_operating_points_errors():
    with pytest.raises(ParameterError, match="precision"):
        operating_points(ACC, DENSE, "int4", 1024, 1024)
    with pytest.raises(ParameterError, match="serving"):
        operating_points(ACC, DENSE, "fp8", 1024, 1024, serving="both")
    with pytest.raises(ParameterError, match=r"exceeds toy-dense's context; allowed: isl \+ osl <= 8,192 tokens"):
        operating_points(ACC, DENSE, "fp8", 8000, 1024)
    with pytest.raises(ParameterError, match="osl"):
        operating_points(ACC, DENSE, "fp8", 1024, 0)
    huge = SimpleNamespace(**{**vars(DENSE), "id": "huge", "total_params": 1e14, "active_params": 1e14,
                              "dense_params": 1e14})
    with pytest.raises(ParameterError, match="no replica of up to 72 accelerators holds it"):
        operating_points(ACC, huge, "fp8", 1024, 1024)


# --- the frontier ----------------------------------------------------------------------------------------

def _frontier(source):
    x = np.array([10.0, 40.0, 160.0])
    total = np.array([1000.0, 250.0, 100.0])
    nan = np.full(3, np.nan)
    return Frontier("toy-gpu", "toy-dense", "fp8", 1000, 1000, "aggregated", "none", x, total, total / 2,
                    np.array([64.0, 8.0, 1.0]), np.ones(3), np.zeros(3, bool), nan, source)


@pytest.mark.parametrize("source", ["model", "measured"])
def test_frontier_total_at_interpolates_in_log_log(source):
    f = _frontier(source)
    assert f.total_at(40.0) == pytest.approx(250.0)
    assert f.total_at(20.0) == pytest.approx(math.sqrt(1000 * 250))  # midpoint in log x: the geometric mean
    assert f.total_at(80.0) == pytest.approx(math.sqrt(250 * 100))
    assert f.output_at(20.0) == pytest.approx(math.sqrt(500 * 125))
    assert math.isnan(f.total_at(161.0)) and math.isnan(f.output_at(500.0))  # never beyond the top
    assert f.total_at(160.0) == pytest.approx(100.0)
    got = f.total_at(np.array([10.0, 20.0, 160.0, 200.0]))
    assert got[:3] == pytest.approx([1000.0, 500.0, 100.0]) and math.isnan(got[3])
    assert (f.min_interactivity, f.max_interactivity) == (10.0, 160.0)
    assert f.nearest(30.0) == 1 and f.nearest(5.0) == 0 and f.nearest(1000.0) == 2


def test_frontier_below_the_lowest_point():
    # below the lowest point its configuration answers, serving users faster than asked (no extrapolation):
    # for the model the largest batch allowed, for a measured curve its slowest measured point
    for source in ("model", "measured"):
        f = _frontier(source)
        assert f.total_at(5.0) == pytest.approx(1000.0)
        assert f.output_at(1.0) == pytest.approx(500.0)
        assert f.served(5.0) == 10.0 and f.served(30.0) == 30.0
        assert math.isnan(f.total_at(200.0))  # beyond the highest: nothing


@pytest.mark.parametrize("llm, serving, draft", [(DENSE, "aggregated", 0), (MOE, "aggregated", 0),
                                                 (MOE, "disaggregated", 0), (MOE, "aggregated", 1)])
def test_model_frontier_is_the_upper_envelope(llm, serving, draft):
    acceptance = 0.8 if draft else 0.0
    front = model_frontier(ACC, llm, "fp8", 1024, 1024, serving, draft, acceptance, max_concurrency=64)
    points = operating_points(ACC, llm, "fp8", 1024, 1024, serving, draft, acceptance, concurrency_per_engine=64)
    assert front.spec_decode == ("mtp" if draft else "none") and front.source == "model"
    assert np.all(np.diff(front.interactivity) > 0)  # throughput falls as interactivity rises
    assert np.all(np.diff(front.total) < 0)
    assert len(front.interactivity) >= 3
    # every operating point lies on or below it: some frontier point is at least as good in both
    for x, y in zip(points.interactivity, points.total):
        assert np.any((front.interactivity >= x * (1 - 1e-12)) & (front.total >= y * (1 - 1e-12)))
    # and each frontier point is an operating point, with its replica and batch
    for x, y, b, g in zip(front.interactivity, front.total, front.batch, front.gpus):
        match = (points.interactivity == x) & (points.total == y)
        assert match.any()
        assert points.batch[match][0] == b and points.gpus[match][0] == g
    assert front.total_at(front.interactivity) == pytest.approx(front.total)


def test_the_servers_latency_adds_to_the_first_token_only():
    """TTFT = prefill + step + L_fixed + L_token x isl: 50 ms + 20 us x 1,000 tokens = 70 ms more, in both serving
    modes; interactivity and throughput do not move."""
    for mode in ("aggregated", "disaggregated"):
        bare = operating_points(ACC, MOE, "fp8", 1000, 100, mode, batches={1: np.array([1.0, 8.0])})
        served = operating_points(ACC, MOE, "fp8", 1000, 100, mode, batches={1: np.array([1.0, 8.0])},
                                  first_token_latency=(0.05, 20e-6))
        assert served.ttft - bare.ttft == pytest.approx([0.07, 0.07], rel=1e-9)
        assert served.total == pytest.approx(bare.total) and served.interactivity == pytest.approx(bare.interactivity)


def test_aggregated_first_token_waits_for_its_pass_of_new_tokens():
    """Aggregated serving: a prompt's first token waits for the step and its whole prefill pass. At one request
    per replica the pass is the prompt alone (its prefill as a lone prompt); a prompt cache halves the new
    tokens, so the pass and the wait shrink; and a larger batch fills larger passes, so each prompt's share of
    the weights' read falls and the throughput per request rises."""
    one = operating_points(ACC, MOE, "fp8", 1000, 100, "aggregated", batches={1: np.array([1.0])})
    alone = prefill_time(MOE, "fp8", 1000, 1, BW, PEAK, ATT_PEAK, UP, OUT, DOMAIN, EFF)
    step1 = decode_step(MOE, "fp8", 1050.0, 1, False, 1, 0, BW, PEAK, ATT_PEAK, UP, OUT, DOMAIN, EFF)
    assert float(one.ttft[0]) == pytest.approx(alone + step1, rel=1e-9)
    cached = operating_points(ACC, MOE, "fp8", 1000, 100, "aggregated", batches={1: np.array([1.0])},
                              cache_hit_rate=0.5)
    assert float(cached.ttft[0]) < float(one.ttft[0])
    # 400 requests, 100 output tokens each: 4 prompts arrive per step and share a pass of 4,000 tokens, a quarter
    # of which is this prompt's share; its first token waits for all of it
    many = operating_points(ACC, MOE, "fp8", 1000, 100, "aggregated", batches={1: np.array([400.0])})
    share = prefill_time(MOE, "fp8", 1000, 1, BW, PEAK, ATT_PEAK, UP, OUT, DOMAIN, EFF, chunked=4000.0)
    step400 = decode_step(MOE, "fp8", 1050.0, 1, False, 400, 0, BW, PEAK, ATT_PEAK, UP, OUT, DOMAIN, EFF)
    assert share < alone
    assert float(many.ttft[0]) == pytest.approx(4 * share + step400, rel=1e-9)
