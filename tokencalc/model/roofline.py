"""Throughput against interactivity: a roofline model of LLM decode and prefill.

A throughput is a point on a curve. Serving more users at once (a larger batch) raises the
tokens each accelerator makes per second and lowers the tokens each user sees per second
(interactivity). :func:`model_frontier` computes that curve from first principles.

Per replica of ``G`` accelerators sharing one copy of the weights by tensor or expert
parallelism inside the scale-up domain (8 on HGX, 72 on NVL72):

    weights      W  = total_params x bytes_per_param(precision)
    KV per token    = 2 x kv_heads x head_dim x layers x kv_bytes        (GQA)
                    = (kv_lora_rank + qk_rope_head_dim) x layers x kv_bytes  (MLA)
    batch limit  B <= (G x HBM x usable_memory - W) / ((isl + osl) x KV per token)
    decode step  t  = max(bytes_read / (G x BW x e_mem), flops / (G x peak x e_compute))
                      + layers x (overhead + 2 x collective(G))
        bytes_read = dense + experts x (1 - (1 - k/E)^B) weights + B x KV(isl + osl/2)
        flops      = 2 x active_params x B + attention(isl + osl/2) x B
    prefill      tp = (2 x active_params x isl + attention(isl)) / (G x peak x e_prefill)
    interactivity   = 1 / (t + B x tp / osl)           output tokens/s each user sees
    output tokens/s per accelerator = B x interactivity / G
    total tokens/s per accelerator  = output x (isl + osl) / osl

The frontier is the upper envelope of all (G, B) points. Units: bytes [B], bandwidths [B/s],
compute [FLOP/s], times [s], interactivity [token/s per user], throughput [token/s per
accelerator]; plain floats and numpy arrays in those units.

The ``llm`` argument is any object with the architecture fields of ``catalog/models.toml``
(total_params, active_params, layers, hidden_size, attention_heads, kv_heads, head_dim,
attention, kv_lora_rank, qk_rope_head_dim, experts, experts_per_token, expert_params,
dense_params, moe, sliding_window, sliding_window_layers, max_context, id).

References: Williams, Waterman & Patterson, "Roofline" (CACM 2009); Pope et al., "Efficiently
Scaling Transformer Inference" (MLSys 2023); Kwon et al., "vLLM / PagedAttention" (SOSP 2023)
for KV-cache-limited batching.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import attrs
import numpy as np

from ..errors import ParameterError

__all__ = ["Hardware", "Frontier", "PRECISIONS", "kv_elements_per_token_layer", "attended_tokens",
           "attention_flops_per_token", "operating_points", "model_frontier", "point_at_batch", "anchored"]

PRECISIONS = ("fp16", "fp8", "fp4")
BYTES_PER_PARAM = {"fp16": 2.0, "fp8": 1.0, "fp4": 0.5625}  # fp4: 4 bits + an FP8 scale per 16 values
KV_BYTES = {"fp16": 2.0, "fp8": 1.0, "fp4": 1.0}  # KV cache in FP8 for fp8 and fp4 serving
ACTIVATION_BYTES = 2.0  # bf16 activations in collectives
BATCH_POINTS = 48
MAX_BATCH_PER_ACCELERATOR = 2048  # beyond this the curve is flat (compute-bound) anyway


@attrs.frozen
class Hardware:
    """What the roofline needs of an accelerator serving at one precision.

    Efficiencies are achieved / peak shares [1] (``catalog/efficiency.toml``); overheads in
    microseconds [us].
    """

    id: str
    hbm_capacity: float  # [B] per accelerator
    hbm_bandwidth: float  # [B/s] per accelerator
    scale_up_bandwidth: float  # [B/s] per accelerator
    peak: float  # [FLOP/s] dense, at the serving precision
    scale_up_domain: int
    memory_efficiency: float
    compute_efficiency: float
    prefill_efficiency: float
    usable_memory: float
    layer_overhead_us: float
    collective_latency_us: float
    network_efficiency: float
    note: str = ""


@attrs.frozen
class Frontier:
    """Throughput against interactivity for one (system, model, precision, isl, osl).

    Arrays are sorted by rising interactivity; throughput falls along them. Quantities per
    accelerator; ``source`` is "model", or "measured" once anchored to measured points.
    """

    system: str
    model: str
    precision: str
    isl: int
    osl: int
    interactivity: np.ndarray  # output tokens/s per user
    output_tokens_per_second: np.ndarray  # per accelerator
    batch: np.ndarray
    parallel: np.ndarray
    source: str = "model"
    note: str = ""

    @property
    def total_tokens_per_second(self) -> np.ndarray:
        return self.output_tokens_per_second * (self.isl + self.osl) / self.osl

    @property
    def max_interactivity(self) -> float:
        return float(self.interactivity[-1])

    def output_at(self, interactivity) -> np.ndarray:
        """Output tokens/s per accelerator at a target interactivity (vectorized).

        Linear interpolation along the frontier; a target below the frontier's lowest
        interactivity gets the maximum throughput; above its highest is an error.
        """
        target = np.asarray(interactivity, dtype=float)
        if (target > self.max_interactivity * (1 + 1e-9)).any():
            raise ParameterError(
                "interactivity",
                f"{float(np.max(target)):g} token/s per user is beyond what {self.system} serves for {self.model} "
                f"({self.precision}, {self.isl}/{self.osl}); allowed: up to {self.max_interactivity:.0f}",
            )
        return np.interp(target, self.interactivity, self.output_tokens_per_second)

    def batch_at(self, interactivity) -> np.ndarray:
        return np.interp(np.asarray(interactivity, dtype=float), self.interactivity, self.batch)


def kv_elements_per_token_layer(llm) -> int:
    """KV-cache elements one token holds in one layer [1]: 2 x kv_heads x head_dim (GQA), or
    kv_lora_rank + qk_rope_head_dim (MLA)."""
    if llm.attention == "mla":
        return llm.kv_lora_rank + llm.qk_rope_head_dim
    return 2 * llm.kv_heads * llm.head_dim


def attended_tokens(llm, context):
    """Sum over layers of the tokens each layer attends to (and caches) at ``context`` [token]."""
    context = np.asarray(context, dtype=float)
    full = llm.layers - llm.sliding_window_layers
    windowed = np.minimum(context, llm.sliding_window) if llm.sliding_window_layers else 0.0
    return full * context + llm.sliding_window_layers * windowed


def attention_flops_per_token(llm, context):
    """Attention FLOPs of one new token at ``context`` (QK^T and AV), all layers [FLOP]."""
    width = (2 * llm.kv_lora_rank + llm.qk_rope_head_dim) if llm.attention == "mla" else 2 * llm.head_dim
    return 2.0 * llm.attention_heads * width * attended_tokens(llm, context)


def _parallel_sizes(domain: int) -> list[int]:
    sizes = [g for g in (1, 2, 4, 8, 16, 32, 64) if g <= domain]
    if domain not in sizes:
        sizes.append(domain)
    return sizes


def operating_points(hw: Hardware, llm, precision: str, isl: int, osl: int,
                     batches: Callable[[int, int], Any]):
    """Decode operating points for each replica size G (see the module docstring).

    ``batches(g, b_max)`` gives the batches to evaluate for replica size g. Returns arrays of
    (interactivity [token/s per user], output tokens/s per accelerator, batch per replica, G).
    """
    if precision not in PRECISIONS:
        raise ParameterError("precision", f"{precision!r} is not allowed; allowed: {', '.join(PRECISIONS)}")
    for name, value in (("isl", isl), ("osl", osl)):
        if not value >= 1:
            raise ParameterError(name, f"{value!r} is not allowed; allowed: >= 1 token")
    if isl + osl > llm.max_context:
        raise ParameterError("isl", f"isl + osl = {isl + osl} exceeds {llm.id}'s context of {llm.max_context}")
    weight_bytes = llm.total_params * BYTES_PER_PARAM[precision]
    kv_token_layer = kv_elements_per_token_layer(llm) * KV_BYTES[precision]
    kv_request = kv_token_layer * attended_tokens(llm, isl + osl)  # bytes held at the end of a request
    kv_read_per_seq = kv_token_layer * attended_tokens(llm, isl + osl / 2)  # average per decode step
    decode_flops_per_seq = 2 * llm.active_params + attention_flops_per_token(llm, isl + osl / 2)
    prefill_flops = 2 * llm.active_params * isl + 0.5 * isl * attention_flops_per_token(llm, isl)
    overhead = llm.layers * hw.layer_overhead_us * 1e-6

    rows = []
    for g in _parallel_sizes(hw.scale_up_domain):
        room = g * hw.hbm_capacity * hw.usable_memory - weight_bytes
        if room < kv_request:
            continue
        batch = np.asarray(batches(g, min(int(room // kv_request), MAX_BATCH_PER_ACCELERATOR * g)), dtype=float)
        if batch.size == 0:
            continue
        if llm.moe:
            touched = 1 - (1 - llm.experts_per_token / llm.experts) ** batch
            weights_read = (llm.dense_params + llm.experts * llm.expert_params * touched) * BYTES_PER_PARAM[precision]
        else:
            weights_read = np.full_like(batch, weight_bytes)
        t_memory = (weights_read + batch * kv_read_per_seq) / (g * hw.hbm_bandwidth * hw.memory_efficiency)
        t_compute = batch * decode_flops_per_seq / (g * hw.peak * hw.compute_efficiency)
        if g > 1:
            per_collective = 2 * (g - 1) / g * batch * llm.hidden_size * ACTIVATION_BYTES
            t_comm = llm.layers * 2 * (hw.collective_latency_us * 1e-6
                                       + per_collective / (hw.scale_up_bandwidth * hw.network_efficiency))
        else:
            t_comm = 0.0
        t_step = np.maximum(t_memory, t_compute) + t_comm + overhead
        t_prefill = prefill_flops / (g * hw.peak * hw.prefill_efficiency)
        cycle = t_step + batch * t_prefill / osl
        rows.append((1 / cycle, batch / cycle / g, batch, np.full_like(batch, g)))
    if not rows:
        need = weight_bytes / (hw.hbm_capacity * hw.usable_memory)
        raise ParameterError(
            "model",
            f"{llm.id} ({precision}) needs about {need:.1f} x {hw.id}'s HBM for its weights (or its KV "
            f"cache does not fit at this batch); its scale-up domain is {hw.scale_up_domain} accelerators",
        )
    inter, out, batch, par = (np.concatenate(c) for c in zip(*rows))
    return inter, out, batch, par


def model_frontier(hw: Hardware, llm, precision: str, isl: int, osl: int,
                   max_concurrency: float | None = None, server_concurrency: int | None = None) -> Frontier:
    """The analytical throughput-interactivity frontier: the upper envelope of the operating points
    [token/s per user against token/s per accelerator].

    ``max_concurrency`` caps the requests in flight per accelerator (a replica of G
    accelerators serves at most G x max_concurrency); ``server_concurrency`` caps them per
    replica (how benchmarks such as InferenceMAX sweep "max concurrency"). None: only the KV
    cache (and 2,048 per accelerator) limits the batch.
    """
    def batches(g: int, b_max: int):
        if max_concurrency is not None:
            b_max = min(b_max, max(1, int(max_concurrency * g)))
        if server_concurrency is not None:
            b_max = min(b_max, int(server_concurrency))
        return np.unique(np.round(np.geomspace(1, b_max, BATCH_POINTS)))

    inter, out, batch, par = operating_points(hw, llm, precision, isl, osl, batches)
    # upper envelope: walking from high to low interactivity, keep points that raise throughput
    order = np.argsort(-inter, kind="stable")
    inter, out, batch, par = inter[order], out[order], batch[order], par[order]
    keep = out >= np.maximum.accumulate(out)
    keep &= np.concatenate(([True], out[1:] > np.maximum.accumulate(out)[:-1]))
    inter, out, batch, par = (a[keep][::-1] for a in (inter, out, batch, par))
    return Frontier(hw.id, llm.id, precision, int(isl), int(osl), inter, out, batch, par, "model", hw.note)


def point_at_batch(hw: Hardware, llm, precision: str, isl: int, osl: int, batch_per_accelerator: float):
    """The best operating point with ``batch_per_accelerator`` [1] requests in flight per accelerator:
    (interactivity [token/s per user], output [token/s per accelerator], batch per replica [1],
    accelerators per replica [1])."""
    def batches(g: int, b_max: int):
        b = round(batch_per_accelerator * g)
        return [b] if 1 <= b <= b_max else []

    inter, out, batch, par = operating_points(hw, llm, precision, isl, osl, batches)
    best = int(np.argmax(out))
    return float(inter[best]), float(out[best]), float(batch[best]), int(par[best])


def anchored(front: Frontier, anchors: Mapping[float, float] | list, note: str) -> Frontier:
    """The frontier scaled to pass through measured points.

    ``anchors``: (interactivity [token/s per user], measured / model [1]) pairs, offline points at 0.
    Scales are interpolated linearly along interactivity and applied to the throughput.
    """
    anchors = sorted(anchors)
    xs = np.array([a[0] for a in anchors])
    ks = np.array([a[1] for a in anchors])
    scale = np.interp(front.interactivity, xs, ks)
    return attrs.evolve(
        front,
        output_tokens_per_second=front.output_tokens_per_second * scale,
        source="measured",
        note=(front.note + "; " if front.note else "") + note + f"; scale {', '.join(f'{k:.2f}' for k in ks)}",
    )
