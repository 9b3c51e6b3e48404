"""LLM serving throughput from first principles: kernels summed per decode step.

One replica (engine) of ``G`` accelerators serves ``B`` requests at once. Each decode step
every request advances by ``tau`` tokens (1 without speculative decoding). The step's time is
the SUM of its kernels, each bound by memory or by compute on its own (a roofline per kernel,
not one for the whole step):

    t_step = t_dense + t_experts + t_attention + t_communication + t_overhead + t_draft

    t_k           = max(bytes_k / (BW x e_mem), flops_k / (peak_k x e_gemm(m_k)))     per kernel class k
    e_gemm(m)     = e_gemm x m / (m + m_half)              GEMM efficiency rises with its rows m
                  GEMMs over FP8 weights scaled per block (DeepSeek's 128 x 128) reach e_block x both
                  shares: their kernels load and apply the scales (:func:`weight_shares`)
    dense         weights every token uses (attention projections, shared experts, dense layers);
                  an MoE model's FP4 checkpoint may keep them wider (:func:`dense_precision`), its
                  attention projections wider still (:func:`dense_parts`: DeepSeek-R1's stay FP8);
                  tensor-parallel attention splits them over G, attention data-parallel (DP)
                  replicates them and splits the requests
    experts       routed MoE experts, split over G by expert parallelism; the experts the step's
                  tokens touch are read: E x (1 - (1 - k/E)^tokens); with data-parallel attention the
                  step waits for the busiest of the G ranks: its expert FLOPs, routing and all-to-all
                  traffic scale by 1 + sqrt(2 ln G (s^2 G / E + 1 / mu)): experts differ in popularity
                  (s: the coefficient of variation of their loads; E / G of them per rank), and a step's
                  mu = tokens x k / G assignments per rank land at random (balls into bins); the two
                  spreads add as variances, and the busiest of G ranks sits sqrt(2 ln G) of them above
                  the mean
    attention     KV cache read at the mean context isl + osl/2; MLA's latent KV cannot be split
                  by heads, so tensor-parallel attention reads it on every rank; its FLOPs run in tiles
                  of 64 (MLA) or 16 (GQA) query rows that share a KV head, filled by the query heads per
                  KV head on the accelerator x (1 + drafts): MLA over 8-way tensor parallelism fills 16
                  of 64 rows (DP attention fills them with all 128 heads)
    communication tensor parallelism: 2 all-reduces per layer; expert parallelism: dispatch (FP8)
                  and combine (BF16) all-to-all per layer; traffic beyond the scale-up domain
                  goes over the scale-out network (multi-node replicas); each collective's latency
                  (all-reduce and all-to-all apart inside the domain, one figure across it) is the
                  fitted one at 8 ranks, x (G / 8)^0.1 inside an NVLink domain (every rank writes to
                  its peers at once: GB200 NVL72's one-sided all-to-all rises 1.2x from 8 to 64 ranks)
                  and x log2(G) / 3 across the scale-out network (a tree's depth; DeepEP's dispatch
                  over RDMA rises 2.2x from 8 to 64 ranks)
    overhead      a fixed time per layer (launches, synchronisation, sampling) and, for MoE models, a time
                  per token-to-expert assignment and layer (gating, permutation, quantization for dispatch)
    draft         multi-token prediction: d draft tokens each run the MTP module (about one layer)

Multi-token prediction with d draft tokens accepted with probability a each (a chain):
tau = 1 + a + a^2 + ... + a^d tokens per step; every step verifies d + 1 tokens per request. A stack
realizes 1 + g (tau - 1) of them, at most d + 1 (g: its ``mtp_gain``, measured from runs with and without MTP at one
configuration; :func:`realized_tokens_per_step`): tau below is the realized value.

Prefill of isl tokens sums the same kernels with the prompt's tokens as GEMM rows (:func:`prefill_time`):
dense models' prefill is compute-bound GEMMs; an MoE prompt also pays routing per token-to-expert
assignment and the all-to-all, and its experts see isl k / E rows each.
Aggregated serving interleaves prefill: per step, B x tau / osl requests finish and as many
prefills of isl tokens run on the replica, so the cycle is t_step + (B tau / osl) x t_prefill. The
prompts that arrive during a step share one pass after it (:func:`prefill_pass`: B tau / osl x isl
tokens, at least one prompt, at most 8,192 tokens, vLLM's default max_num_batched_tokens), which reads
the weights and pays the fixed time per layer once: at small batches a prompt arrives every few steps
and its pass pays them whole. Disaggregated serving runs prefill on its own pool, sized to the input
rate, its engines batching the waiting prompts into full passes of 8,192 tokens; throughput per
accelerator counts both pools (as InferenceX does):

    interactivity            = tau / cycle                            [token/s per user]
    output per accelerator   = B x tau / cycle / G                    [token/s]
    total per accelerator    = output x (isl + osl) / osl             (aggregated)
                             = output x (1 + isl/osl) / (1 + P/D)     (disaggregated; P/D prefill per decode GPU)

HBM caps the batch: it holds the weights and the KV cache of B requests at the mean context
isl + osl/2 (paged KV cache blocks are allocated as tokens arrive, and in continuous batching the
requests in flight are spread over their outputs); one request at its full isl + osl must fit.

References: Williams, Waterman & Patterson, "Roofline" (CACM 2009); Pope et al., "Efficiently
Scaling Transformer Inference" (MLSys 2023); DeepSeek-AI, "DeepSeek-V3 Technical Report" (2024;
MLA, MoE, multi-token prediction); Zhong et al., "DistServe" (OSDI 2024; disaggregated prefill
and decode); Leviathan et al., "Fast Inference from Transformers via Speculative Decoding" (ICML
2023; expected tokens per step); Kwon et al., "Efficient Memory Management for Large Language
Model Serving with PagedAttention" (SOSP 2023; KV cache blocks allocated as tokens arrive);
DeepSeek-AI, DeepEP (2025; all-to-all latency by rank count) and
"DeepSeek-V3/R1 Inference System Overview" (2025; prefill efficiency in production); Raab & Steger, "Balls into Bins - A Simple and Tight Analysis" (RANDOM
1998; the busiest rank's load); SemiAnalysis InferenceX methodology (throughput per GPU counts
prefill and decode GPUs).

Units: bytes [B], bandwidths [B/s], compute [FLOP/s], times [s], interactivity [token/s per
user], throughput [token/s per accelerator]; plain floats and numpy arrays in those units.
"""

from __future__ import annotations

from typing import Mapping

import attrs
import numpy as np

from ..errors import ParameterError
from .kernels import (ACTIVATION_BYTES, ATTENTION_TILE, BYTES_PER_PARAM, DISPATCH_BYTES, PREFILL_CHUNK, attended,
                      attention_flops, dense_bytes, dense_parts, dense_precision, kv_bytes_per_token, part_peak,
                      prefill_attention_flops, prefill_time, roof, weight_shares)
from .speculative import realized_tokens_per_step, tokens_per_step

__all__ = ["Efficiency", "Accelerator", "Points", "Frontier", "model_frontier", "PRECISIONS", "SERVING", "tokens_per_step", "realized_tokens_per_step", "replica_sizes",
           "kv_bytes_per_token", "attention_flops", "dense_precision", "decode_step", "prefill_attention_flops", "prefill_time", "serve", "operating_points"]

PRECISIONS = ("fp16", "fp8", "fp4")
SERVING = ("aggregated", "disaggregated")
BATCH_POINTS = 40
# growth of a collective's latency with its ranks inside one NVLink domain, latency ~ (G / 8) ^ 0.1: GB200 NVL72's
# one-sided all-to-all, dispatch + combine from 8 to 64 ranks, ln(60.4 / 49.9) / ln 8 = 0.092 at 1 token per rank
# and ln(86.1 / 69.8) / ln 8 = 0.101 at 128 (catalog serving.toml, trtllm-nvlink-alltoall)
NVLINK_RANK_EXPONENT = 0.1
MAX_BATCH_PER_ACCELERATOR = 2048


@attrs.frozen
class Efficiency:
    """Achieved / peak shares [1] and fixed times [us] of a family of serving stacks (fitted on
    measured curves by scripts/gen_calibration.py; catalog/efficiency.toml)."""

    memory: float = 0.75  # HBM bandwidth in decode kernels
    gemm: float = 0.6  # tensor throughput of large GEMMs
    gemm_half_rows: float = 64.0  # [1] GEMM rows at which half of ``gemm`` is reached
    attention: float = 0.4  # tensor throughput of attention kernels
    prefill: float = 0.5  # tensor throughput of prefill
    layer_overhead_us: float = 10.0  # [us] per layer per step
    token_overhead_ns: float = 50.0  # [ns] per token-to-expert assignment, layer and accelerator (MoE routing)
    collective_latency_us: float = 10.0  # [us] per all-reduce in the scale-up domain
    alltoall_latency_us: float = 20.0  # [us] per all-to-all (expert dispatch or combine) in the scale-up domain
    scale_out_latency_us: float = 50.0  # [us] per collective that crosses the scale-out network
    network: float = 0.7  # scale-up and scale-out bandwidth in collectives
    prefill_utilization: float = 1.0  # busy share of a disaggregated prefill pool (the rest: headroom for TTFT)
    fp8_block_kernels: float = 1.0  # [1] shares of GEMMs over block-scaled FP8 weights relative to the others'
    expert_skew: float = 0.0  # [1] coefficient of variation of the routed experts' loads (their popularity)
    mtp_gain: float = 1.0  # [1] share of multi-token prediction's drafted gain a stack realizes (realized_tokens_per_step)


@attrs.frozen
class Accelerator:
    """What the serving model needs of an accelerator at one serving precision."""

    id: str
    hbm_capacity: float  # [B]
    hbm_bandwidth: float  # [B/s]
    scale_up_bandwidth: float  # [B/s] per accelerator, one direction
    scale_out_bandwidth: float  # [B/s] per accelerator, one direction
    peak: float  # [FLOP/s] dense at the serving precision
    attention_peak: float  # [FLOP/s] dense at the attention precision (FP8 at most)
    scale_up_domain: int
    efficiency: Efficiency
    usable_memory: float = 0.9  # share of HBM for weights and KV cache
    note: str = ""


@attrs.frozen
class Points:
    """Operating points (arrays of one length): one per (replica size, attention mode, batch)."""

    interactivity: np.ndarray  # [token/s per user]
    output: np.ndarray  # [token/s per accelerator], output tokens
    total: np.ndarray  # [token/s per accelerator], input + output, all pools counted
    batch: np.ndarray  # [1] requests per replica
    gpus: np.ndarray  # [1] decode replica size
    data_parallel_attention: np.ndarray  # bool
    ttft: np.ndarray  # [s] time to first token (prefill of one request on the replica, a step, the server's latency)
    serving: str

    def __len__(self) -> int:
        return len(self.interactivity)


def replica_sizes(domain: int, minimum: float, largest: int = 72) -> list[int]:
    """Replica sizes [1] to consider: powers of two and the scale-up domain, from the smallest that
    holds the weights (``minimum`` [1]) up to ``largest`` (multi-node beyond the domain)."""
    sizes = sorted({g for g in (1, 2, 4, 8, 16, 32, 64, domain, 2 * domain) if g <= max(largest, domain)})
    return [g for g in sizes if g >= min(minimum, sizes[-1])] or [sizes[-1]]


def decode_step(llm, precision: str, context: float, g, dp, batch, draft_tokens, hbm_bandwidth, peak,
                attention_peak, scale_up_bandwidth, scale_out_bandwidth, scale_up_domain, eff, kv_bytes: float = 1.0):
    """Time of one decode step of a replica [s], kernels summed (see the module docstring).

    Vectorized: ``g`` (replica size [1]), ``dp`` (data-parallel attention, bool), ``batch``
    (requests per replica [1]), ``draft_tokens`` [1], the hardware figures ([B/s], [FLOP/s],
    scale-up domain [1]) and the efficiency figures (``eff``: an object with the fields of
    :class:`Efficiency`, each a number or an array) broadcast together. ``context`` [token] is
    the mean context a step attends to (isl + osl / 2).
    """
    g = np.asarray(g, dtype=float)
    dp = np.asarray(dp, dtype=bool)
    b = np.asarray(batch, dtype=float)
    bpp = BYTES_PER_PARAM[precision]
    moe = llm.moe
    tokens = b * (1 + np.asarray(draft_tokens, dtype=float))
    layers = llm.layers
    # dense weights: tensor-parallel attention splits them, data-parallel attention replicates them
    t_dense = sum(roof(n * BYTES_PER_PARAM[p] / np.where(dp, 1.0, g), 2 * n * tokens / g, hbm_bandwidth,
                       part_peak(precision, p, peak, attention_peak), np.where(dp, tokens / g, tokens),
                       *weight_shares(llm, eff, p, eff.gemm), eff.gemm_half_rows)
                  for n, p in dense_parts(llm, precision))
    # expert parallelism waits for its busiest rank (balls into bins): the g ranks hold E / g experts each, whose
    # loads vary by a coefficient of variation s (some experts are more popular than others), so the ranks' loads
    # vary by s sqrt(g / E); a step's assignments land at random, mu per rank, varying by 1 / sqrt(mu) more; the
    # busiest of g ranks is about sqrt(2 ln g) of their combined spread above the mean
    mu = np.maximum(tokens * llm.experts_per_token / g, 1e-9)
    spread = 2 * np.log(np.maximum(g, 1.0))
    imbalance = (np.where(dp & (g > 1), 1 + np.sqrt(spread * (eff.expert_skew ** 2 * g / llm.experts + 1 / mu)),
                          1.0) if moe else 1.0)
    if moe:  # routed experts, split over the replica; the step reads the experts its tokens touch
        touched = llm.experts * (1 - (1 - llm.experts_per_token / llm.experts) ** tokens)
        rows = np.maximum(tokens * llm.experts_per_token / llm.experts, 1.0)
        t_expert = roof(touched * llm.expert_params * bpp / g,
                         2 * llm.experts_per_token * llm.expert_params * tokens / g * imbalance,
                         hbm_bandwidth, peak, rows, *weight_shares(llm, eff, precision, eff.gemm), eff.gemm_half_rows)
    else:
        t_expert = 0.0
    kv_read = kv_bytes_per_token(llm, kv_bytes) * attended(llm, context)
    split = np.where(dp, g, 1.0 if llm.attention == "mla" else np.minimum(g, llm.kv_heads))
    # decode attention tiles take ATTENTION_TILE query rows that share one KV head: a request's tokens x the
    # query heads per KV head on this accelerator (MLA: all of its heads share the latent KV)
    group = (np.where(dp, llm.attention_heads, llm.attention_heads / g) if llm.attention == "mla"
             else llm.attention_heads / llm.kv_heads)
    fill = np.minimum(1.0, group * (1 + np.asarray(draft_tokens, dtype=float)) / ATTENTION_TILE[llm.attention])
    t_attn = roof(b * kv_read / split, attention_flops(llm, context) * tokens / g / fill, hbm_bandwidth,
                   attention_peak, 1.0, eff.memory, eff.attention, 0.0)
    local = np.minimum(1.0, scale_up_domain / g)
    # a collective's latency grows with the log of its ranks (tree all-reduce; DeepEP's low-latency dispatch:
    # 77 / 118 / 155 / 173 us over 8 / 16 / 32 / 64 ranks, deepep-v1): the figures are at 8 ranks. An
    # all-to-all (each rank sends its tokens to the ranks of their experts, and gets them back) is its own
    # kernel, slower to start than an all-reduce: its own latency
    inside = g <= scale_up_domain
    # across the scale-out network a collective is a tree of RDMA hops (log2 G / 3: 1 at 8 ranks); inside one
    # NVLink domain every rank writes to its peers at once, and the latency barely grows with the ranks
    # (one-sided all-to-all on GB200 NVL72: dispatch + combine 49.9 -> 60.4 us from 8 to 64 ranks at 1 token
    # per rank, 69.8 -> 86.1 us at 128 tokens; trtllm-nvlink-alltoall): (G / 8) ^ NVLINK_RANK_EXPONENT
    depth = np.where(inside, (np.maximum(g, 2.0) / 8) ** NVLINK_RANK_EXPONENT, np.log2(np.maximum(g, 2.0)) / 3)
    latency = np.where(inside, eff.collective_latency_us, eff.scale_out_latency_us) * 1e-6 * depth
    latency_a2a = np.where(inside, eff.alltoall_latency_us, eff.scale_out_latency_us) * 1e-6 * depth
    # expert parallelism: dispatch (FP8) and combine (BF16) all-to-all of each rank's tokens to k experts
    a2a = (tokens / g * llm.experts_per_token * llm.hidden_size * (DISPATCH_BYTES + ACTIVATION_BYTES) * (g - 1) / g
           * imbalance)
    t_a2a = 2 * latency_a2a + a2a * local / (scale_up_bandwidth * eff.network) + \
        a2a * (1 - local) / (scale_out_bandwidth * eff.network)
    # tensor parallelism: two all-reduces of the step's activations
    reduce = 2 * (g - 1) / g * tokens * llm.hidden_size * ACTIVATION_BYTES
    link = np.where(g <= scale_up_domain, scale_up_bandwidth, scale_out_bandwidth)
    t_reduce = 2 * (latency + reduce / (link * eff.network))
    t_comm = layers * np.where(g > 1, np.where(dp, t_a2a, t_reduce), 0.0)
    # MoE routing: per token-to-expert assignment on each accelerator (gating, permutation, quantization of
    # dispatched tokens); dense models have none
    per_token = (np.where(dp, tokens / g * imbalance, tokens) * llm.experts_per_token * eff.token_overhead_ns * 1e-9
                 if moe else 0.0)
    t_main = t_dense + t_expert + t_attn + t_comm + layers * (eff.layer_overhead_us * 1e-6 + per_token)
    return t_main * (1 + np.asarray(draft_tokens, dtype=float) / layers)  # each draft runs the MTP module


def prefill_pass(isl, osl, batch, tau):
    """Tokens of prompts per prefill pass [token] in aggregated serving: the prompts that arrive per decode step,
    ``batch`` [1] x ``tau`` [token per step] / ``osl`` [token] of them (as many as finish), run in one pass after the
    step, up to PREFILL_CHUNK tokens; at least one whole prompt of ``isl`` [token] (fewer than one a step: a pass
    of one prompt every few steps)::

        P = clip(B tau / osl x isl, isl, max(isl, PREFILL_CHUNK))

    Vectorized over ``batch`` and ``tau``."""
    n = np.asarray(batch, dtype=float) * tau / osl
    return np.clip(n * isl, isl, np.maximum(isl, PREFILL_CHUNK))


def serve(llm, isl: int, osl: int, serving: str, g, batch, tau, t_step, t_prefill, prefill_per_decode=None,
          prefill_utilization=1.0):
    """(interactivity [token/s per user], output [token/s per accelerator], total [token/s per accelerator]);
    per accelerator of both pools for disaggregated serving.

    Aggregated: cycle = t_step + batch x tau / osl x t_prefill. Disaggregated: cycle = t_step, and
    total counts ``prefill_per_decode`` prefill accelerators per decode accelerator (None: the
    prefill pool sized to the input rate, t_prefill x input rate per accelerator).
    """
    b = np.asarray(batch, dtype=float)
    if serving == "aggregated":
        cycle = t_step + b * tau / osl * t_prefill
        out = b * tau / cycle / g
        return tau / cycle, out, out * (isl + osl) / osl
    out = b * tau / t_step / g  # per decode accelerator
    if prefill_per_decode is None:  # input rate / what one prefill accelerator serves at its utilization
        prefill_per_decode = out * isl / osl * (t_prefill * g / isl) / prefill_utilization
    total = out * (1 + isl / osl) / (1 + prefill_per_decode)  # per accelerator of both pools
    return tau / t_step, total * osl / (isl + osl), total


def operating_points(hw: Accelerator, llm, precision: str, isl: int, osl: int, serving: str = "aggregated",
                     draft_tokens: int = 0, acceptance: float = 0.0, kv_bytes: float = 1.0,
                     max_concurrency: float | None = None, concurrency_per_engine: float | None = None,
                     largest_replica: int = 72, concurrency_per_accelerator: float | None = None,
                     batches: Mapping[int, np.ndarray] | None = None, cache_hit_rate: float = 0.0,
                     first_token_latency: tuple[float, float] = (0.0, 0.0)) -> Points:
    """Every operating point of a workload on an accelerator (see the module docstring).

    ``concurrency_per_engine`` [1] caps the requests per engine, as vLLM's ``max_num_seqs``: an engine
    is the replica, or, with data-parallel attention, each attention rank (one accelerator);
    ``max_concurrency`` [1] caps the requests per replica in any case, ``concurrency_per_accelerator`` [1] those
    per accelerator of the (decode) replica (a benchmark's client concurrency over the accelerators that held
    it). ``batches`` (replica size -> batches) replaces the default geometric sweep up to the memory limit.
    ``cache_hit_rate`` [1]: the share of input tokens served from a prompt cache, which skip prefill compute
    (:func:`prefill_time`); their KV is still attended and held in HBM while the request runs (the KV per
    request is unchanged), and kept between requests in host memory or spare HBM, which this model does not
    charge. ``first_token_latency`` (L_fixed [s], L_token [s per input token]): what a server adds to the time to
    first token beyond the prefill and the first step, TTFT = t_prefill + t_step + L_fixed + L_token x isl (measured:
    :mod:`tokencalc.studies.first_token`).
    """
    if precision not in PRECISIONS:
        raise ParameterError("precision", f"{precision!r} is not allowed; allowed: {', '.join(PRECISIONS)}")
    if serving not in SERVING:
        raise ParameterError("serving", f"{serving!r} is not allowed; allowed: {', '.join(SERVING)}")
    for name, value in (("isl", isl), ("osl", osl)):
        if not value >= 1:
            raise ParameterError(name, f"{value!r} is not allowed; allowed: >= 1 token")
    if isl + osl > llm.max_context:
        raise ParameterError("osl" if osl > isl else "isl", f"isl + osl = {isl + osl:,} exceeds {llm.id}'s context; "
                             f"allowed: isl + osl <= {llm.max_context:,} tokens")
    eff = hw.efficiency
    bpp = BYTES_PER_PARAM[precision]
    moe = llm.moe
    dense_weights = dense_bytes(llm, precision)
    expert_bytes = llm.experts * llm.expert_params * bpp if moe else 0.0
    kv_token = kv_bytes_per_token(llm, kv_bytes)
    kv_request = kv_token * attended(llm, isl + osl)  # held at the end of a request
    kv_mean = kv_token * attended(llm, isl + osl / 2)  # held on average over a request's life (paged KV)
    capacity = hw.hbm_capacity * hw.usable_memory
    tau = realized_tokens_per_step(draft_tokens, acceptance, eff.mtp_gain)
    minimum = (dense_weights + expert_bytes) / capacity
    # every (replica size, attention mode) that holds the weights and one request at its full context, with
    # its batch limit; then all their batches in one evaluation of the step (vectorized over configurations)
    configs = []  # (g, dp, b_max)
    for g in replica_sizes(hw.scale_up_domain, minimum, largest_replica):
        for dp in ((False, True) if moe and g > 1 else (False,)):
            weights = (dense_weights + expert_bytes / g) if dp else (dense_weights + expert_bytes) / g
            split = g if dp else (1 if llm.attention == "mla" else min(g, llm.kv_heads))
            room = capacity - weights
            if room < kv_request / split:  # one request at its full context must fit
                continue
            b_max = min(room / (kv_mean / split), MAX_BATCH_PER_ACCELERATOR * g)
            if max_concurrency is not None:
                b_max = min(b_max, max(1.0, max_concurrency))
            if concurrency_per_engine is not None:
                b_max = min(b_max, max(1.0, concurrency_per_engine * (g if dp else 1)))
            if concurrency_per_accelerator is not None:
                b_max = min(b_max, max(1.0, concurrency_per_accelerator * g))
            configs.append((g, dp, b_max))
    if batches is not None:
        chosen = [np.asarray(batches.get(g, []), dtype=float) for g, _, _ in configs]
        chosen = [b[(b >= 1) & (b <= b_max)] for b, (_, _, b_max) in zip(chosen, configs)]
    elif configs:  # a geometric sweep of whole batches from 1 to each limit, repeats dropped
        top = np.maximum(1.0, np.array([c[2] for c in configs]))
        grid = np.minimum(np.round(np.geomspace(1.0, top, BATCH_POINTS)), np.maximum(1.0, np.floor(top))).T
        fresh = np.ones(grid.shape, dtype=bool)
        fresh[:, 1:] = grid[:, 1:] != grid[:, :-1]  # rounded batches rise: a repeat follows its twin
        chosen = [row[keep] for row, keep in zip(grid, fresh)]
    else:
        chosen = []
    kept = [(c, b) for c, b in zip(configs, chosen) if b.size]
    if not kept:
        raise ParameterError(
            "model", f"{llm.id} ({precision}) needs about {minimum:.1f} x {hw.id}'s HBM for its weights and KV "
                     f"cache; no replica of up to {largest_replica} accelerators holds it")
    b = np.concatenate([x for _, x in kept])
    counts = [x.size for _, x in kept]
    g = np.repeat(np.array([c[0] for c, _ in kept], dtype=float), counts)
    dp = np.repeat(np.array([c[1] for c, _ in kept], dtype=bool), counts)
    figures = (hw.hbm_bandwidth, hw.peak, hw.attention_peak, hw.scale_up_bandwidth, hw.scale_out_bandwidth,
               hw.scale_up_domain, eff, cache_hit_rate)
    if serving == "aggregated":  # a prompt's share of a pass of the prompts that arrive per step (prefill_pass)
        new = max(isl * (1.0 - cache_hit_rate), 1e-9)  # the tokens a prompt puts through the weights
        passed = prefill_pass(new, osl, b, tau)
        t_prefill = prefill_time(llm, precision, isl, g, *figures, chunked=passed)
        t_first = t_prefill * passed / new  # the first token waits for the whole pass
    else:  # a prefill engine batches prompts into full passes; per replica size
        sizes = np.unique(g)
        t_prefill = np.broadcast_to(prefill_time(llm, precision, isl, sizes, *figures, chunked=True),
                                    sizes.shape)[np.searchsorted(sizes, g)]
        t_first = t_prefill
    t_step = decode_step(llm, precision, isl + osl / 2, g, dp, b, draft_tokens, hw.hbm_bandwidth, hw.peak,
                         hw.attention_peak, hw.scale_up_bandwidth, hw.scale_out_bandwidth, hw.scale_up_domain, eff,
                         kv_bytes)
    inter, out, total = serve(llm, isl, osl, serving, g, b, tau, t_step, t_prefill,
                              prefill_utilization=eff.prefill_utilization)
    shape = b.shape
    return Points(*(np.broadcast_to(v, shape) for v in (inter, out, total, b, g)), dp,
                  np.broadcast_to(t_first + t_step + first_token_latency[0] + first_token_latency[1] * isl, shape),
                  serving)


@attrs.frozen
class Frontier:
    """Throughput against interactivity for one workload and serving choice: the upper envelope.

    Arrays by rising interactivity [token/s per user]; ``total`` and ``output`` [token/s per
    accelerator] fall along them. ``source`` is "model" (this module) or "measured" (a measured
    envelope, which never extrapolates: outside its range it answers NaN).
    """

    system: str
    model: str
    precision: str
    isl: int
    osl: int
    serving: str
    spec_decode: str
    interactivity: np.ndarray
    total: np.ndarray
    output: np.ndarray
    batch: np.ndarray
    gpus: np.ndarray
    data_parallel_attention: np.ndarray
    ttft: np.ndarray
    source: str = "model"
    note: str = ""

    @property
    def min_interactivity(self) -> float:
        return float(self.interactivity[0])

    @property
    def max_interactivity(self) -> float:
        return float(self.interactivity[-1])

    def _at(self, values, interactivity):
        x = np.asarray(interactivity, dtype=float)
        lo, hi = self.interactivity[0], self.interactivity[-1]
        tolerance = 1e-9
        inside = x <= hi * (1 + tolerance)
        clipped = np.clip(x, lo, hi)  # below the lowest point: its configuration, serving users faster
        out = np.exp(np.interp(np.log(clipped), np.log(self.interactivity), np.log(values)))
        out = np.where(inside, out, np.nan)
        return float(out) if out.ndim == 0 else out

    def total_at(self, interactivity):
        """Total tokens/s per accelerator at ``interactivity`` [token/s per user] (log-log interpolation); NaN
        beyond the highest interactivity. Below the lowest point the answer is that point's: its
        configuration serves users faster than asked (``served`` says how fast); nothing is extrapolated."""
        return self._at(self.total, interactivity)

    def output_at(self, interactivity):
        """Output tokens/s per accelerator at ``interactivity`` [token/s per user]; NaN where ``total_at`` is."""
        return self._at(self.output, interactivity)

    def served(self, interactivity):
        """The interactivity actually served for a target [token/s per user]: at least the lowest point's."""
        x = np.maximum(np.asarray(interactivity, dtype=float), self.interactivity[0])
        return float(x) if x.ndim == 0 else x

    def nearest(self, interactivity) -> int:
        """Index of the envelope point at or just above ``interactivity`` [token/s per user]."""
        return int(min(np.searchsorted(self.interactivity, float(np.min(interactivity))), len(self.interactivity) - 1))


def model_frontier(hw: Accelerator, llm, precision: str, isl: int, osl: int, serving: str = "aggregated",
                   draft_tokens: int = 0, acceptance: float = 0.0, kv_bytes: float = 1.0,
                   max_concurrency: float | None = None, largest_replica: int = 72,
                   cache_hit_rate: float = 0.0, replica_concurrency: float | None = None,
                   accelerator_concurrency: float | None = None,
                   first_token_latency: tuple[float, float] = (0.0, 0.0)) -> Frontier:
    """The model's frontier [token/s per accelerator against token/s per user]: the upper envelope of every
    operating point (replica size, attention parallelism, batch) of :func:`operating_points`, with a share
    ``cache_hit_rate`` [1] of the input served from a prompt cache. ``max_concurrency`` [1] caps the
    requests per engine (vLLM's ``max_num_seqs``), ``replica_concurrency`` [1] those per replica (a
    benchmark's client concurrency) and ``accelerator_concurrency`` [1] those per decode accelerator (the most a
    benchmark ever ran); ``first_token_latency`` as :func:`operating_points`."""
    p = operating_points(hw, llm, precision, isl, osl, serving, draft_tokens, acceptance, kv_bytes,
                         max_concurrency=replica_concurrency, concurrency_per_engine=max_concurrency,
                         largest_replica=largest_replica, cache_hit_rate=cache_hit_rate,
                         concurrency_per_accelerator=accelerator_concurrency, first_token_latency=first_token_latency)
    order = np.argsort(-p.interactivity, kind="stable")
    total = p.total[order]  # from the highest interactivity down, keep points that raise throughput
    best_before = np.concatenate(([-np.inf], np.maximum.accumulate(total)[:-1]))
    idx = order[total > best_before][::-1]
    return Frontier(hw.id, llm.id, precision, int(isl), int(osl), serving, "mtp" if draft_tokens else "none",
                    p.interactivity[idx], p.total[idx], p.output[idx], p.batch[idx], p.gpus[idx],
                    p.data_parallel_attention[idx], p.ttft[idx], "model", hw.note)


def cache_adjusted(measured: Frontier, uncached: Frontier, cached: Frontier, cache_hit_rate: float) -> Frontier:
    """A measured frontier (measured without prompt caching) moved to a prompt-cache hit rate by the model's gain.

    total_h(x) = total_measured(x) x model_h(x) / model_0(x)     at each measured interactivity x [token/s per
    user], the model's ratio taken within both model frontiers' range (clipped to it). The answer is then
    measured at hit rate 0 and model-adjusted for the rest, and its note says so.
    """
    x = np.asarray(measured.interactivity, dtype=float)
    top = min(uncached.max_interactivity, cached.max_interactivity)
    at = np.clip(x, max(uncached.min_interactivity, cached.min_interactivity), top)
    gain = np.asarray(cached.total_at(at)) / np.asarray(uncached.total_at(at))
    total = measured.total * gain
    note = (f"{measured.note}; measured without prompt caching, scaled by the serving model's gain at a "
            f"prompt-cache hit rate of {100 * cache_hit_rate:g} % (median gain x{float(np.median(gain)):.3g} along the curve)")
    return attrs.evolve(measured, total=total, output=total * measured.osl / (measured.isl + measured.osl),
                        note=note)
