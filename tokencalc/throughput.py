"""Tokens per second per accelerator for a workload: measured points and a roofline model.

A throughput is a point on a curve. Serving more users at once (a larger batch) raises the
tokens each accelerator makes per second and lowers the tokens each user sees per second
(interactivity). :func:`model_frontier` computes that curve from first principles; measured
points (``catalog/measured.toml``) anchor it where they exist.

The analytical model, per replica of ``G`` accelerators sharing one copy of the weights by
tensor or expert parallelism inside the scale-up domain (8 on HGX, 72 on NVL72):

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

The frontier is the upper envelope of all (G, B) points. References: Williams, Waterman &
Patterson, "Roofline" (CACM 2009); Pope et al., "Efficiently Scaling Transformer Inference"
(MLSys 2023); Kwon et al., "vLLM / PagedAttention" (SOSP 2023) for KV-cache-limited batching.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any, Mapping

import attrs
import numpy as np

from .errors import CatalogError, ParameterError, UnknownNameError

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "LLM",
    "MeasuredPoint",
    "Frontier",
    "ThroughputEstimate",
    "models",
    "llm",
    "measured_points",
    "model_frontier",
    "point_at_batch",
    "frontier",
    "estimate",
    "PRECISIONS",
    "SOURCES",
]

PRECISIONS = ("fp16", "fp8", "fp4")
SOURCES = ("auto", "model", "measured")
_BYTES_PER_PARAM = {"fp16": 2.0, "fp8": 1.0, "fp4": 0.5625}  # fp4: 4 bits + an FP8 scale per 16 values
_KV_BYTES = {"fp16": 2.0, "fp8": 1.0, "fp4": 1.0}  # KV cache in FP8 for fp8 and fp4 serving
_ACTIVATION_BYTES = 2.0  # bf16 activations in collectives
_BATCH_POINTS = 48
_MAX_BATCH_PER_ACCELERATOR = 2048  # beyond this the curve is flat (compute-bound) anyway


def _read(name: str) -> dict:
    text = resources.files("tokencalc.catalog").joinpath(name).read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"catalog file {name}: {exc}") from None


def _read_user(path: str) -> dict:
    from pathlib import Path

    p = Path(path)
    if not p.is_file():
        raise ParameterError("model", f"{path!r} is not a file; give a catalog id or a TOML file")
    try:
        return tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path}: {exc}") from None


@attrs.frozen
class LLM:
    """An LLM architecture: what the throughput model needs to know of it."""

    id: str
    name: str
    total_params: float
    active_params: float
    layers: int
    hidden_size: int
    attention_heads: int
    kv_heads: int
    head_dim: int
    attention: str = attrs.field(validator=attrs.validators.in_(("gqa", "mla")))
    max_context: int = 131072
    kv_lora_rank: int = 0
    qk_rope_head_dim: int = 0
    experts: int = 0
    experts_per_token: int = 0
    sliding_window: int = 0
    sliding_window_layers: int = 0
    default_precision: str = "fp8"
    source: str = ""
    date: str = ""

    def __attrs_post_init__(self):
        if not 0 < self.active_params <= self.total_params:
            raise CatalogError(f"model {self.id}: need 0 < active_params <= total_params")
        if self.experts and not 0 < self.experts_per_token < self.experts:
            raise CatalogError(f"model {self.id}: need 0 < experts_per_token < experts")

    @property
    def moe(self) -> bool:
        return self.experts > 0 and self.active_params < self.total_params

    @property
    def expert_params(self) -> float:
        """Parameters of one routed expert (all layers)."""
        if not self.moe:
            return 0.0
        return (self.total_params - self.active_params) / (self.experts - self.experts_per_token)

    @property
    def dense_params(self) -> float:
        """Parameters every token uses: attention, embeddings, shared experts, dense layers."""
        return self.total_params - self.experts * self.expert_params

    def kv_elements_per_token_layer(self) -> int:
        if self.attention == "mla":
            return self.kv_lora_rank + self.qk_rope_head_dim
        return 2 * self.kv_heads * self.head_dim

    def attended_tokens(self, context):
        """Sum over layers of the tokens each layer attends to (and caches) at ``context``."""
        context = np.asarray(context, dtype=float)
        full = self.layers - self.sliding_window_layers
        windowed = np.minimum(context, self.sliding_window) if self.sliding_window_layers else 0.0
        return full * context + self.sliding_window_layers * windowed

    def attention_flops_per_token(self, context):
        """Attention FLOPs of one new token at ``context`` (QK^T and AV), all layers."""
        width = (2 * self.kv_lora_rank + self.qk_rope_head_dim) if self.attention == "mla" else 2 * self.head_dim
        return 2.0 * self.attention_heads * width * self.attended_tokens(context)


@functools.cache
def models() -> Mapping[str, LLM]:
    """The LLM catalog, by id."""
    return {key: _llm(key, entry) for key, entry in _read("models.toml").items()}


def _llm(key: str, entry: Mapping[str, Any]) -> LLM:
    try:
        return LLM(id=key, **entry)
    except TypeError as exc:
        raise CatalogError(f"model {key}: {exc}") from None


def llm(model_id: str) -> LLM:
    """A catalog model by id, or a user's model from a TOML file (one table, or top-level keys)."""
    key = str(model_id).strip()
    catalog = models()
    if key.lower() in catalog:
        return catalog[key.lower()]
    if key.endswith(".toml"):
        data = _read_user(key)
        if len(data) == 1 and isinstance(next(iter(data.values())), dict):
            name, entry = next(iter(data.items()))
        else:
            name, entry = key, data
        return _llm(name, entry)
    from .catalog import suggest

    raise UnknownNameError(
        f"model: unknown id {model_id!r}{suggest(key.lower(), catalog)}; known ids: {', '.join(catalog)} "
        "(or a TOML file describing your model)"
    )


@attrs.frozen
class MeasuredPoint:
    """One published throughput measurement."""

    system: str
    model: str
    precision: str
    isl: int
    osl: int
    source: str
    date: str
    stack: str = ""
    note: str = ""
    interactivity: float | None = None  # output tokens/s per user; None: offline maximum
    max_concurrency: int | None = None  # the benchmark's cap on concurrent requests per server (replica)
    output_tokens_per_second: float | None = None
    total_tokens_per_second: float | None = None

    @property
    def output(self) -> float:
        if self.output_tokens_per_second is not None:
            return self.output_tokens_per_second
        return self.total_tokens_per_second * self.osl / (self.isl + self.osl)

    @property
    def total(self) -> float:
        return self.output * (self.isl + self.osl) / self.osl


@functools.cache
def measured_points() -> tuple[MeasuredPoint, ...]:
    """Every measured point of the catalog."""
    points = []
    for entry in _read("measured.toml").get("points", []):
        try:
            points.append(MeasuredPoint(**entry))
        except TypeError as exc:
            raise CatalogError(f"measured.toml: {exc}") from None
    return tuple(points)


@functools.cache
def _efficiency() -> Mapping[str, Mapping[str, float]]:
    return _read("efficiency.toml")


def efficiency_for(system) -> Mapping[str, float]:
    table = _efficiency()
    return table["amd" if system.vendor.upper() == "AMD" else "nvidia"]


@attrs.frozen
class Frontier:
    """Throughput against interactivity for one (system, model, precision, isl, osl).

    Arrays are sorted by rising interactivity; throughput falls along them. Quantities per
    accelerator; ``scale`` > 1 or < 1 when the frontier was anchored to measured points.
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


def _compute_peak(system, precision: str):
    names = {"fp16": "dense_bf16", "fp8": "dense_fp8", "fp4": "dense_fp4"}
    fig = system.figure(names[precision])
    note = ""
    if fig is None and precision == "fp4":
        fig, note = system.figure("dense_fp8"), f"{system.id} has no FP4 tensor cores: FP4 weights, FP8 compute"
    if fig is None:
        raise ParameterError("precision", f"the catalog has no {precision} compute figure for {system.id}")
    return fig.value.m_as("FLOP/s"), note


def _parallel_sizes(domain: int) -> list[int]:
    sizes = [g for g in (1, 2, 4, 8, 16, 32, 64) if g <= domain]
    if domain not in sizes:
        sizes.append(domain)
    return sizes


def _operating_points(system, model: LLM, precision: str, isl: int, osl: int, batches):
    """Decode operating points for each replica size G: ``batches(g, b_max)`` gives the batches to
    evaluate. Returns (interactivity, output tokens/s per accelerator, batch, G) arrays and a note."""
    if precision not in PRECISIONS:
        raise ParameterError("precision", f"{precision!r} is not allowed; allowed: {', '.join(PRECISIONS)}")
    for name, value in (("isl", isl), ("osl", osl)):
        if not value >= 1:
            raise ParameterError(name, f"{value!r} is not allowed; allowed: >= 1 token")
    if isl + osl > model.max_context:
        raise ParameterError("isl", f"isl + osl = {isl + osl} exceeds {model.id}'s context of {model.max_context}")
    missing = [n for n in ("hbm_capacity", "hbm_bandwidth", "scale_up_bandwidth") if system.figure(n) is None]
    if missing:
        raise ParameterError("accelerator", f"the catalog has no {', '.join(missing)} for {system.id}")
    eff = efficiency_for(system)
    peak, note = _compute_peak(system, precision)
    e_memory, e_compute, e_prefill = eff["memory"], eff["compute"][precision], eff["prefill"][precision]
    if note:  # FP4 weights without FP4 tensor cores: dequantizing kernels
        e_memory, e_compute = e_memory * eff["fp4_weight_only"], e_compute * eff["fp4_weight_only"]
    hbm = system.figure("hbm_capacity").value.m_as("B")
    bandwidth = system.figure("hbm_bandwidth").value.m_as("B/s")
    link = system.figure("scale_up_bandwidth").value.m_as("B/s")
    weight_bytes = model.total_params * _BYTES_PER_PARAM[precision]
    kv_token_layer = model.kv_elements_per_token_layer() * _KV_BYTES[precision]
    kv_request = kv_token_layer * model.attended_tokens(isl + osl)  # bytes held at the end of a request
    kv_read_per_seq = kv_token_layer * model.attended_tokens(isl + osl / 2)  # average per decode step
    decode_flops_per_seq = 2 * model.active_params + model.attention_flops_per_token(isl + osl / 2)
    prefill_flops = 2 * model.active_params * isl + 0.5 * isl * model.attention_flops_per_token(isl)
    overhead = model.layers * eff["layer_overhead_us"] * 1e-6

    rows = []
    for g in _parallel_sizes(system.scale_up_domain):
        room = g * hbm * eff["usable_memory"] - weight_bytes
        if room < kv_request:
            continue
        batch = np.asarray(batches(g, min(int(room // kv_request), _MAX_BATCH_PER_ACCELERATOR * g)), dtype=float)
        if batch.size == 0:
            continue
        if model.moe:
            touched = 1 - (1 - model.experts_per_token / model.experts) ** batch
            weights_read = (model.dense_params + model.experts * model.expert_params * touched) * _BYTES_PER_PARAM[precision]
        else:
            weights_read = np.full_like(batch, weight_bytes)
        t_memory = (weights_read + batch * kv_read_per_seq) / (g * bandwidth * e_memory)
        t_compute = batch * decode_flops_per_seq / (g * peak * e_compute)
        if g > 1:
            per_collective = 2 * (g - 1) / g * batch * model.hidden_size * _ACTIVATION_BYTES
            t_comm = model.layers * 2 * (eff["collective_latency_us"] * 1e-6 + per_collective / (link * eff["network"]))
        else:
            t_comm = 0.0
        t_step = np.maximum(t_memory, t_compute) + t_comm + overhead
        t_prefill = prefill_flops / (g * peak * e_prefill)
        cycle = t_step + batch * t_prefill / osl
        rows.append((1 / cycle, batch / cycle / g, batch, np.full_like(batch, g)))
    if not rows:
        need = weight_bytes / (hbm * eff["usable_memory"])
        raise ParameterError(
            "model",
            f"{model.id} ({precision}) needs about {need:.1f} x {system.id}'s HBM for its weights (or its KV "
            f"cache does not fit at this batch); its scale-up domain is {system.scale_up_domain} accelerators",
        )
    inter, out, batch, par = (np.concatenate(c) for c in zip(*rows))
    return inter, out, batch, par, note


def model_frontier(system, model: LLM, precision: str, isl: int, osl: int,
                   max_concurrency: float | None = None, server_concurrency: int | None = None) -> Frontier:
    """The analytical throughput-interactivity frontier (see the module docstring).

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
        return np.unique(np.round(np.geomspace(1, b_max, _BATCH_POINTS)))

    inter, out, batch, par, note = _operating_points(system, model, precision, isl, osl, batches)
    # upper envelope: walking from high to low interactivity, keep points that raise throughput
    order = np.argsort(-inter, kind="stable")
    inter, out, batch, par = inter[order], out[order], batch[order], par[order]
    keep = out >= np.maximum.accumulate(out)
    keep &= np.concatenate(([True], out[1:] > np.maximum.accumulate(out)[:-1]))
    inter, out, batch, par = (a[keep][::-1] for a in (inter, out, batch, par))
    return Frontier(system.id, model.id, precision, int(isl), int(osl), inter, out, batch, par, "model", note)


def point_at_batch(system, model: LLM, precision: str, isl: int, osl: int, batch_per_accelerator: float):
    """The best operating point with ``batch_per_accelerator`` requests in flight per accelerator:
    (interactivity, output tokens/s per accelerator, batch per replica, accelerators per replica)."""
    def batches(g: int, b_max: int):
        b = round(batch_per_accelerator * g)
        return [b] if 1 <= b <= b_max else []

    inter, out, batch, par, _ = _operating_points(system, model, precision, isl, osl, batches)
    best = int(np.argmax(out))
    return float(inter[best]), float(out[best]), float(batch[best]), int(par[best])


def matching_points(system_id: str, model_id: str, precision: str, isl: int, osl: int) -> list[MeasuredPoint]:
    """Measured points of this workload (system, model, precision and sequence lengths)."""
    return [
        p for p in measured_points()
        if (p.system, p.model, p.precision, p.isl, p.osl) == (system_id, model_id, precision, isl, osl)
    ]


def anchored(front: Frontier, points: list[MeasuredPoint]) -> Frontier:
    """The model frontier scaled to pass through measured points.

    Each point gives a scale, measured / model under the point's own conditions (its
    concurrency cap; offline points: the model's maximum). Scales are interpolated along
    interactivity (offline points sit at the low-interactivity end) and applied to ``front``.
    """
    anchors = sorted(
        (0.0 if p.interactivity is None else p.interactivity, p.output / compare_to_measured(p).model_output_tokens_per_second)
        for p in points
    )
    xs = np.array([a[0] for a in anchors])
    ks = np.array([a[1] for a in anchors])
    scale = np.interp(front.interactivity, xs, ks)
    sources = ", ".join(sorted({p.source for p in points}))
    return attrs.evolve(
        front,
        output_tokens_per_second=front.output_tokens_per_second * scale,
        source="measured",
        note=(front.note + "; " if front.note else "") + f"model frontier anchored to {len(points)} measured "
        f"point(s) ({sources}); scale {', '.join(f'{k:.2f}' for k in ks)}",
    )


def frontier(system, model: LLM, precision: str, isl: int, osl: int, source: str = "auto",
             max_concurrency: float | None = None) -> Frontier:
    """The frontier from ``source``: "model", "measured" (anchored; needs a matching point) or "auto".

    Frontiers are immutable and cached per (system, model, precision, isl, osl, source, cap), so a
    Python loop over the scalar API does not recompute them.
    """
    from . import catalog

    return _frontier(system.id if catalog.accelerators().get(system.id) is system else system, model, precision,
                     isl, osl, source, max_concurrency)


@functools.lru_cache(maxsize=256)
def _frontier(system, model: LLM, precision: str, isl: int, osl: int, source: str,
              max_concurrency: float | None) -> Frontier:
    if isinstance(system, str):
        from . import catalog

        system = catalog.accelerator(system)
    if source not in SOURCES:
        raise ParameterError("throughput_source", f"{source!r} is not allowed; allowed: {', '.join(SOURCES)}")
    front = model_frontier(system, model, precision, isl, osl, max_concurrency)
    if source == "model":
        return front
    points = matching_points(system.id, model.id, precision, isl, osl)
    if points:
        return anchored(front, points)
    if source == "measured":
        raise ParameterError(
            "throughput_source",
            f"no measured point for {system.id}, {model.id}, {precision}, isl {isl}, osl {osl}; "
            "use --source model or auto ('tokencalc throughput --measured' lists the points)",
        )
    return front


@attrs.frozen
class ThroughputEstimate:
    """Throughput per accelerator at a target interactivity, with where it came from."""

    output_tokens_per_second: Any  # Quantity token/s
    total_tokens_per_second: Any
    input_tokens_per_second: Any
    batch: Any
    source: str
    description: str


def estimate(system, model_id: str, precision: str | None, isl, osl, interactivity, source: str = "auto",
             max_concurrency: float | None = None, batch: float = 0.0):
    """Throughput per accelerator for a workload at ``interactivity`` (token/s per user; arrays allowed),
    or, when ``batch`` > 0, with ``batch`` requests in flight per accelerator (interactivity follows)."""
    from .units import Q_

    model = llm(model_id)
    precision = resolve_precision(precision, model, system)
    isl_n, osl_n = int(round(_scalar(isl, "isl"))), int(round(_scalar(osl, "osl")))
    front = frontier(system, model, precision, isl_n, osl_n, source, max_concurrency)
    if batch and batch > 0:
        target, model_out, per_replica, g = point_at_batch(system, model, precision, isl_n, osl_n, batch)
        pure = front if front.source == "model" else model_frontier(system, model, precision, isl_n, osl_n,
                                                                    max_concurrency)
        scale = float(front.output_at(min(target, front.max_interactivity))
                      / pure.output_at(min(target, pure.max_interactivity)))
        output = np.asarray(model_out * scale)
        total = output * (isl_n + osl_n) / osl_n
        description = (f"{front.source} ({'anchored roofline' if front.source == 'measured' else 'roofline model'}) "
                       f"for {model.id} {precision}, {isl_n} in / {osl_n} out, batch {batch:g} per accelerator "
                       f"({per_replica:g} per {g}-accelerator replica) -> {target:.0f} tok/s per user on {system.id}")
        return ThroughputEstimate(Q_(output, "token/s"), Q_(total, "token/s"), Q_(total - output, "token/s"),
                                  per_replica, front.source, description + (f"; {front.note}" if front.note else ""))
    target = interactivity.m_as("token/s") if hasattr(interactivity, "m_as") else interactivity
    output = front.output_at(target)
    total = output * (isl_n + osl_n) / osl_n
    target_text = f"{np.min(target):g}" if np.ndim(target) == 0 else f"{np.min(target):g}-{np.max(target):g}"
    description = (
        f"{front.source} ({'anchored roofline' if front.source == 'measured' else 'roofline model'}) for "
        f"{model.id} {precision}, {isl_n} in / {osl_n} out, {target_text} tok/s per user on {system.id}"
    )
    if front.note:
        description += f"; {front.note}"
    return ThroughputEstimate(
        output_tokens_per_second=Q_(output, "token/s"),
        total_tokens_per_second=Q_(total, "token/s"),
        input_tokens_per_second=Q_(total - output, "token/s"),
        batch=front.batch_at(target),
        source=front.source,
        description=description,
    )


def resolve_precision(precision: str | None, model: LLM, system) -> str:
    """'auto' (or None): the model's usual precision; 'best': fp4 where the system has FP4 tensor cores, else fp8."""
    if precision in (None, "auto"):
        return model.default_precision
    if precision == "best":
        return "fp4" if system.figure("dense_fp4") is not None else "fp8"
    return precision


def _scalar(value, name: str) -> float:
    magnitude = value.m_as("token") if hasattr(value, "m_as") else value
    if np.ndim(magnitude):
        raise ParameterError(name, "must be a single number (arrays are not supported for sequence lengths)")
    return float(magnitude)


@attrs.frozen
class MeasuredComparison:
    point: MeasuredPoint
    model_output_tokens_per_second: float

    @property
    def error(self) -> float:
        """Model / measured - 1 (output tokens/s per accelerator)."""
        return self.model_output_tokens_per_second / self.point.output - 1


def compare_to_measured(point: MeasuredPoint) -> MeasuredComparison:
    """The pure model's value at a measured point's conditions."""
    from . import catalog

    front = model_frontier(catalog.accelerator(point.system), llm(point.model), point.precision, point.isl,
                           point.osl, server_concurrency=point.max_concurrency)
    if point.interactivity is None:
        value = float(front.output_tokens_per_second.max())
    else:
        value = float(front.output_at(min(point.interactivity, front.max_interactivity)))
    return MeasuredComparison(point, value)


@attrs.frozen
class ThroughputStudy:
    """What ``tokencalc throughput`` shows: the frontier, the model's, and measured points."""

    system: Any
    model: LLM
    workload: Mapping[str, Any]
    frontier: Frontier
    model_frontier: Frontier
    measured: tuple[MeasuredComparison, ...]
    target: ThroughputEstimate | None
    it_power_per_accelerator: Any  # Quantity W, or None


def study(overrides: Mapping[str, Any] | None = None) -> ThroughputStudy:
    """Frontier of a system for a workload (defaults < overrides), with measured points and the target."""
    from . import catalog
    from .scenario import resolve_workload

    w = resolve_workload(overrides)
    system = catalog.accelerator(w["accelerator"])
    model = llm(w["model"])
    precision = resolve_precision(w["precision"], model, system)
    isl, osl = int(round(_scalar(w["isl"], "isl"))), int(round(_scalar(w["osl"], "osl")))
    cap = float(w["max_concurrency"].m_as(""))
    front = frontier(system, model, precision, isl, osl, w["throughput_source"], cap)
    pure = front if front.source == "model" else model_frontier(system, model, precision, isl, osl, cap)
    target = None
    batch = float(w["batch"].m_as(""))
    if batch > 0 or w["interactivity"].m_as("token/s") <= front.max_interactivity:
        target = estimate(system, model.id if not w["model"].endswith(".toml") else w["model"], precision, isl, osl,
                          w["interactivity"], w["throughput_source"], cap, batch)
    points = tuple(compare_to_measured(p) for p in matching_points(system.id, model.id, precision, isl, osl))
    return ThroughputStudy(system, model, {**w, "precision": precision}, front, pure, points, target,
                           system.it_power_per_accelerator)
