"""LLM architectures (``models.toml``), measured throughput points (``measured.toml``) and the
serving model's fitted efficiency factors (``efficiency.toml``)."""

from __future__ import annotations

from typing import Any, Mapping

import attrs

from ..errors import CatalogError, UnknownNameError
from .reader import check_cited, read_toml, suggest
from .validate import check_model, read_data_file
from .once import once

__all__ = ["LLM", "MeasuredPoint", "models", "llm", "measured_points", "efficiency", "efficiency_families",
           "calibration", "model_error_kind", "system_model_error"]


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
    mtp_modules: int = 0  # multi-token prediction modules shipped with the weights (speculative decoding)
    # precision of the non-expert weights of an MoE model's FP4 checkpoint (its routed experts are FP4)
    fp4_dense_precision: str = attrs.field(default="fp4", validator=attrs.validators.in_(("fp4", "fp8", "fp16")))
    # attention projections (all layers) [1], and their precision in the FP4 checkpoint of an MoE model when it
    # differs from the other non-expert weights' (None: the same as fp4_dense_precision)
    attention_params: float = 0.0
    fp4_attention_precision: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.in_(("fp4", "fp8", "fp16"))))
    fp8_block_scaled: bool = False  # FP8 weights carry a scale per block (DeepSeek: 128 x 128), not per tensor
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


@once
def models() -> Mapping[str, LLM]:
    """The LLM catalog, by id."""
    out = {}
    for key, entry in read_toml("models.toml").items():
        check_cited(f"models.toml [{key}]", entry)
        out[key] = _llm(key, entry)
    return out


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
        text, data = read_data_file(key, "model")
        if len(data) == 1 and isinstance(next(iter(data.values())), dict):
            name, entry = next(iter(data.items()))
            check_model(f"model {key}", text, name, entry, (name,))
        else:
            name, entry = key, data
            check_model(f"model {key}", text, name, entry)
        return _llm(name, entry)
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
    replica: int | None = None  # accelerators per replica of the run (tensor-parallel attention), where known
    batch: float | None = None  # requests in flight per replica on average, where below max_concurrency
    output_tokens_per_second: float | None = None
    total_tokens_per_second: float | None = None
    kind: str = "run"  # "run": a published run; "comparison page": a value a results page interpolates between runs

    @property
    def from_page(self) -> bool:
        """A value a results page gives between its runs (configuration assumed, run date not shown)."""
        return self.kind == "comparison page"

    @property
    def output(self) -> float:
        """Output tokens/s per accelerator: as published, else from the total by the lengths."""
        if self.output_tokens_per_second is not None:
            return self.output_tokens_per_second
        return self.total_tokens_per_second * self.osl / (self.isl + self.osl)

    @property
    def total(self) -> float:
        """Input + output tokens/s per accelerator: as published, else from the output by the lengths."""
        if self.total_tokens_per_second is not None:
            return self.total_tokens_per_second
        return self.output * (self.isl + self.osl) / self.osl

    @property
    def requests(self) -> float | None:
        """Requests per replica at the run's configuration: the mean in flight where given, else the cap."""
        return self.batch if self.batch is not None else self.max_concurrency


@once
def measured_points() -> tuple[MeasuredPoint, ...]:
    """Every measured point of the catalog."""
    points = []
    for i, entry in enumerate(read_toml("measured.toml").get("points", [])):
        check_cited(f"measured.toml point {i + 1}", entry)
        try:
            points.append(MeasuredPoint(**entry))
        except TypeError as exc:
            raise CatalogError(f"measured.toml: {exc}") from None
        if points[-1].kind not in ("run", "comparison page"):
            raise CatalogError(f"measured.toml point {i + 1}: kind {points[-1].kind!r}; allowed: run, comparison page")
    return tuple(points)


# efficiency.toml's tables that are no family
_SUMMARIES = ("calibration", "loco", "frontier", "default_concurrency", "loso", "first_token")


def efficiency_families() -> list[str]:
    """The families of serving stacks efficiency.toml has fitted figures for."""
    return [k for k in read_toml("efficiency.toml") if k not in _SUMMARIES]


def efficiency(family: str) -> Mapping[str, Any]:
    """The serving model's fitted efficiency figures for a family of serving stacks (efficiency.toml)."""
    if family not in efficiency_families():
        raise CatalogError(f"efficiency.toml has no [{family}]; families: {', '.join(efficiency_families())}")
    entry = read_toml("efficiency.toml")[family]
    check_cited(f"efficiency.toml [{family}]", entry)
    return entry


def calibration() -> Mapping[str, Any]:
    """How efficiency.toml was fitted: data, its hash, date, and the out-of-sample error of the model."""
    entry = read_toml("efficiency.toml").get("calibration", {})
    check_cited("efficiency.toml [calibration]", entry)
    return entry


def first_token_latency(serving: str) -> tuple[float, float]:
    """(L_fixed [s], L_token [s per input token]): what a server adds to the model's time to first token in a serving
    mode, measured (efficiency.toml ``[first_token.<serving>]``, tokencalc.studies.first_token); (0, 0) for a file
    without it."""
    entry = read_toml("efficiency.toml").get("first_token", {}).get(serving)
    if not entry:
        return 0.0, 0.0
    check_cited(f"efficiency.toml [first_token.{serving}]", entry)
    return float(entry["fixed_ms"]) * 1e-3, float(entry["per_input_token_us"]) * 1e-6


def system_model_error(system_id: str) -> Mapping[str, Any] | None:
    """The model's leave-one-curve-out error at the default concurrency on one system's measured curves
    (efficiency.toml ``[default_concurrency.system]``: median, p90, rows), or None for a system not measured."""
    return read_toml("efficiency.toml").get("default_concurrency", {}).get("system", {}).get(system_id)


def unmeasured_system_error() -> Mapping[str, Any]:
    """The model's error on hardware the fit never saw (efficiency.toml ``[loso]``: each measured system left out of
    its family's fit in turn; median, p90 and, per system, ``system``), or an empty mapping for a file without it."""
    return read_toml("efficiency.toml").get("loso", {})


def model_error_kind(fitted: Mapping[str, Any]) -> str:
    """Which out-of-sample error of a calibration (``[calibration]`` of efficiency.toml) a model answer carries:
    its frontier at the default concurrency (what the CLI runs), else as the benchmarks ran, else each row at
    its own configuration (files written before those figures)."""
    return next((k for k in ("default_concurrency", "frontier") if f"{k}_ratio_p10" in fitted), "loco")
