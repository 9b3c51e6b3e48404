"""Kernel physics shared by the serving model's decode steps and prefills (:mod:`tokencalc.model.serving`):
bytes per parameter, KV cache and attention FLOPs, the roofline of one kernel, and a prompt's prefill.

A kernel takes max(bytes / (BW x e_mem), FLOPs / (peak x e(m))), e(m) = e x m / (m + m_half) rising with its
GEMM rows m (Williams, Waterman & Patterson, "Roofline", CACM 2009). Units: bytes [B], bandwidths [B/s],
compute [FLOP/s], times [s]; plain floats and numpy arrays.

References: DeepSeek-AI, "DeepSeek-V3 Technical Report" (2024; MLA, its absorbed decode and multi-head
prefill forms); Dao et al., FlashAttention-3 (2024); Pope et al., "Efficiently Scaling Transformer Inference"
(MLSys 2023).
"""

from __future__ import annotations

import numpy as np

__all__ = ["BYTES_PER_PARAM", "ACTIVATION_BYTES", "DISPATCH_BYTES", "ATTENTION_TILE", "PREFILL_CHUNK",
           "kv_bytes_per_token", "attention_flops", "prefill_attention_flops", "dense_precision", "prefill_time",
           "attended", "roof", "weight_shares", "dense_parts", "dense_bytes", "part_peak"]

BYTES_PER_PARAM = {"fp16": 2.0, "fp8": 1.0, "fp4": 0.5625}  # fp4: 4 bits + an FP8 scale per 16 values
ACTIVATION_BYTES = 2.0  # BF16 activations: all-reduce and combine
DISPATCH_BYTES = 1.0  # FP8 dispatch of tokens to experts (DeepEP)
# query rows of a decode attention tile: MLA 64 (FlashMLA's 64-row warpgroup MMA over the heads that share
# the latent KV); GQA 16 (FlashInfer's decode packs a KV head's query group into the 16 rows of an MMA)
ATTENTION_TILE = {"mla": 64, "gqa": 16}
# tokens of prompts per prefill pass when prompts are chunked: vLLM's default max_num_batched_tokens for its
# OpenAI server on GPUs of 70 GiB or more (vllm-engine-args)
PREFILL_CHUNK = 8192

def kv_bytes_per_token(llm, kv_bytes: float) -> float:
    """KV cache per token and layer [B]: (2 x kv_heads x head_dim) (GQA) or (kv_lora_rank +
    qk_rope_head_dim) (MLA) elements x ``kv_bytes`` [B per element]."""
    elements = (llm.kv_lora_rank + llm.qk_rope_head_dim) if llm.attention == "mla" else 2 * llm.kv_heads * llm.head_dim
    return elements * kv_bytes


def attended(llm, context):
    """Token positions a new token attends to, summed over the layers [token]: the whole ``context`` [token]
    in full-attention layers, at most the window in sliding-window layers."""
    context = np.asarray(context, dtype=float)
    full = llm.layers - llm.sliding_window_layers
    windowed = np.minimum(context, llm.sliding_window) if llm.sliding_window_layers else 0.0
    return full * context + llm.sliding_window_layers * windowed


def attention_flops(llm, context):
    """Attention FLOPs of one new token at ``context`` [token] (QK^T and AV), all layers [FLOP]."""
    width = (2 * llm.kv_lora_rank + llm.qk_rope_head_dim) if llm.attention == "mla" else 2 * llm.head_dim
    return 2.0 * llm.attention_heads * width * attended(llm, context)


def dense_precision(llm, precision: str) -> str:
    """Precision of the weights every token uses (attention, shared experts, embeddings) when serving at
    ``precision``: FP4 checkpoints of MoE models quantize the routed experts only and keep the rest at
    ``llm.fp4_dense_precision`` (gpt-oss MXFP4: BF16); dense models quantize every linear layer. Their
    bytes per parameter [B] are ``BYTES_PER_PARAM`` of the precision returned."""
    return llm.fp4_dense_precision if (precision == "fp4" and llm.moe) else precision


def dense_parts(llm, precision: str) -> list[tuple[float, str]]:
    """The weights every token uses as (parameters [1], precision) parts: one part, or two where an MoE model's
    FP4 checkpoint keeps its attention projections at another precision (``llm.fp4_attention_precision``; NVIDIA's
    and AMD's DeepSeek-R1 FP4 checkpoints leave attention out of the quantization: modelopt-deepseek-ptq,
    amd-dsr1-mxfp4). Each part runs as its own GEMMs."""
    dense = llm.dense_params if llm.moe else llm.total_params
    wide = getattr(llm, "fp4_attention_precision", None)
    rest = dense_precision(llm, precision)
    if precision == "fp4" and llm.moe and wide and wide != rest and 0 < llm.attention_params < dense:
        return [(llm.attention_params, wide), (dense - llm.attention_params, rest)]
    return [(dense, rest)]


def dense_bytes(llm, precision: str) -> float:
    """Bytes of the weights every token uses [B] (:func:`dense_parts`)."""
    return sum(n * BYTES_PER_PARAM[p] for n, p in dense_parts(llm, precision))


def part_peak(serving_precision: str, part_precision: str, peak, attention_peak):
    """Tensor throughput [FLOP/s] of GEMMs over weights at ``part_precision`` when serving at
    ``serving_precision``: the serving precision's peak, FP8's (``attention_peak``), or half of it for BF16."""
    if part_precision == serving_precision:
        return peak
    return attention_peak if part_precision == "fp8" else np.asarray(attention_peak) / 2


def weight_shares(llm, eff, precision: str, compute):
    """(memory, compute) shares [1] a GEMM over weights stored at ``precision`` reaches: ``eff.memory`` and
    ``compute`` (``eff.gemm`` in decode, ``eff.prefill`` in prefill), times ``eff.fp8_block_kernels`` for FP8
    weights with a scale per block (``llm.fp8_block_scaled``: DeepSeek's 128 x 128 blocks), whose kernels load
    and apply the scales (a property of a stack's kernels, at most 1)."""
    if precision != "fp8" or not getattr(llm, "fp8_block_scaled", False):  # a model object may not say: per tensor
        return eff.memory, compute
    return eff.memory * eff.fp8_block_kernels, compute * eff.fp8_block_kernels


def roof(bytes_, flops, bandwidth, peak, rows, memory, e_peak, half_rows):
    """One kernel's time [s] = max(bytes [B] / (bandwidth [B/s] x memory [1]), flops [FLOP] / (peak [FLOP/s] x
    e_peak [1] x rows / (rows + half_rows))): the roofline, its compute share rising with its GEMM rows [1]."""
    e_compute = e_peak * rows / (rows + half_rows)
    return np.maximum(bytes_ / (bandwidth * memory), flops / (peak * e_compute))


def prefill_attention_flops(llm, context):
    """Attention FLOPs of one prompt token at ``context`` [token] in prefill, all layers [FLOP].

    GQA as in decode. MLA prefill runs as multi-head attention on the decompressed keys and values
    (DeepSeek-V3 report, section 2.1.1; FlashMLA runs the absorbed form in decode only): per head
    QK^T over head_dim + qk_rope_head_dim (192) and AV over head_dim (128), not over the 576-wide latent.
    """
    if llm.attention != "mla":
        return attention_flops(llm, context)
    width = 2 * llm.head_dim + llm.qk_rope_head_dim
    return 2.0 * llm.attention_heads * width * attended(llm, context)


def prefill_time(llm, precision: str, isl, g, hbm_bandwidth, peak, attention_peak, scale_up_bandwidth,
                 scale_out_bandwidth, scale_up_domain, eff, cache_hit_rate=0.0, chunked=False):
    """One request's prefill of ``isl`` tokens on a replica of ``g`` accelerators [s], kernels summed as in a
    decode step, with the prompt's isl tokens as the GEMMs' rows (tensor parallelism for the dense weights
    and attention, expert parallelism for the routed experts):

        t = t_dense + t_experts + t_attention + t_communication + layers x (t_layer + isl k t_token / G)

        t_dense      = max(dense bytes / (G BW e_mem), 2 N_dense isl / (G peak_dense e_p(isl)))
        t_experts    = max(experts touched x bytes / (G BW e_mem), 2 k N_expert isl / (G peak e_p(isl k / E)))
        t_attention  = isl/2 x A(isl) / (G peak_attention e_prefill)       causal: half of the isl x isl pairs
        e_p(m)       = e_prefill x m / (m + m_half)                        GEMM share at m rows

    A: :func:`prefill_attention_flops` (MLA in multi-head form). Communication: two all-reduces of the
    prompt's activations per layer (dense models) or the dispatch and combine all-to-all of its
    token-to-expert assignments (MoE), over the scale-up network inside the domain. The per-token
    routing time t_token (gating, permutation) is the decode step's, spread over the G ranks: an MoE
    prompt pays it isl x k times per layer, a dense one never.

    With a prompt-cache hit rate h (``cache_hit_rate`` [1], the share of the input served from a prefix
    cache) only the (1 - h) isl new tokens run through the weights and the routing, and each attends to
    the cached prefix and the new tokens before it, a mean context of (1 + h) isl / 2: the attention term is
    (1 - h)(1 + h)/2 x isl x A(isl) (A linear in the context). h = 0 is the whole prompt.

    ``chunked``: prompts share a pass, which reads the weights once and pays the fixed time per layer once; a
    prompt of isl tokens pays isl / P of both (P the pass's tokens, at least isl), and all of its FLOPs,
    attention and traffic. True: full passes of ``PREFILL_CHUNK`` tokens (a disaggregated prefill engine
    batches the prompts waiting for it; sglang-prefill-batch, vllm-engine-args); a number or array: passes
    of that many tokens (aggregated serving: the prompts that arrive per decode step, ``prefill_pass`` in
    :mod:`tokencalc.model.serving`); False: the prompt alone pays both whole. The GEMMs' rows stay the
    prompt's own tokens (the fit keeps them so: a pass's rows made prefill faster and the fit worse).
    The weights every token uses come in the parts of :func:`dense_parts`, each its own GEMMs.

    Units as :func:`decode_step`; ``eff`` as :class:`Efficiency`; arrays broadcast.

    References: Zheng et al., "SGLang: Efficient Execution of Structured Language Model Programs" (NeurIPS
    2024; RadixAttention prefix reuse); Kwon et al., "vLLM / PagedAttention" (SOSP 2023; prefix caching).
    """
    g = np.asarray(g, dtype=float)
    h = float(cache_hit_rate)
    prompt = np.asarray(isl, dtype=float)
    if h >= 1:  # the whole prompt from the cache: no prefill pass
        return np.zeros(np.broadcast(g, prompt).shape)
    isl = (1 - h) * prompt  # the new tokens: the GEMMs' rows
    moe = llm.moe
    half = eff.gemm_half_rows
    # prompts share a pass: one read of the weights, one fixed time per layer
    if isinstance(chunked, (bool, np.bool_)):
        pass_tokens = np.maximum(isl, PREFILL_CHUNK) if chunked else isl
    else:  # the tokens of prompts in the pass, at least this prompt's
        pass_tokens = np.maximum(isl, np.asarray(chunked, dtype=float))
    weights = isl / pass_tokens
    t_dense = sum(roof(weights * n * BYTES_PER_PARAM[p] / g, 2 * n * isl / g, hbm_bandwidth,
                       part_peak(precision, p, peak, attention_peak), isl, *weight_shares(llm, eff, p, eff.prefill), half)
                  for n, p in dense_parts(llm, precision))
    if moe:
        touched = llm.experts * (1 - (1 - llm.experts_per_token / llm.experts) ** isl)
        t_expert = roof(weights * touched * llm.expert_params * BYTES_PER_PARAM[precision] / g,
                         2 * llm.experts_per_token * llm.expert_params * isl / g, hbm_bandwidth, peak,
                         np.maximum(isl * llm.experts_per_token / llm.experts, 1.0),
                         *weight_shares(llm, eff, precision, eff.prefill), half)
        moved = isl * llm.experts_per_token * llm.hidden_size * (DISPATCH_BYTES + ACTIVATION_BYTES) * (g - 1) / g / g
        per_token = isl * llm.experts_per_token * eff.token_overhead_ns * 1e-9 / g
    else:
        t_expert, per_token = 0.0, 0.0
        moved = 2 * 2 * (g - 1) / g * isl * llm.hidden_size * ACTIVATION_BYTES
    t_attn = (1 - h) * (1 + h) / 2 * prompt * prefill_attention_flops(llm, prompt) / g / (attention_peak * eff.prefill)
    local = np.minimum(1.0, scale_up_domain / g)
    t_comm = llm.layers * np.where(g > 1, moved * local / (scale_up_bandwidth * eff.network)
                                   + moved * (1 - local) / (scale_out_bandwidth * eff.network), 0.0)
    return t_dense + t_expert + t_attn + t_comm + llm.layers * (weights * eff.layer_overhead_us * 1e-6 + per_token)
