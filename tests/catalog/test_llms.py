"""The LLM catalog: required models, published architecture figures, the MoE split, measured points."""

import pytest

from tokencalc import catalog
from tokencalc.catalog import llm, measured_points, models
from tokencalc.errors import UnknownNameError


def test_models_catalog():
    ids = set(models())
    assert {"llama-2-70b", "llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "deepseek-r1", "gpt-oss-120b"} <= ids
    r1 = llm("deepseek-r1")
    assert r1.moe and r1.attention == "mla"
    assert r1.dense_params + r1.experts * r1.expert_params == pytest.approx(r1.total_params)
    assert r1.dense_params + r1.experts_per_token * r1.expert_params == pytest.approx(r1.active_params)


def test_published_architecture_figures():
    """Figures from the models' own cards and reports (Meta's Llama 3.1 config, the DeepSeek-V3 report)."""
    l70 = llm("llama-3.1-70b")
    assert (l70.layers, l70.hidden_size, l70.attention_heads, l70.kv_heads, l70.head_dim) == (80, 8192, 64, 8, 128)
    assert l70.attention == "gqa" and not l70.moe
    r1 = llm("deepseek-r1")
    assert (r1.total_params, r1.active_params) == (671e9, 37e9)
    assert (r1.layers, r1.kv_lora_rank, r1.qk_rope_head_dim, r1.experts, r1.experts_per_token) == (61, 512, 64, 256, 8)
    # one routed expert (all layers): (671 - 37) B / (256 - 8) = 2.5565 B parameters
    assert r1.expert_params == pytest.approx(634e9 / 248)


def test_every_model_and_measured_point_is_cited():
    known = catalog.sources()
    for m in models().values():
        assert m.source in known and m.date, m.id
    for p in measured_points():
        assert p.source in known and p.date, (p.system, p.model)
        assert p.system in catalog.accelerators() and p.model in models(), (p.system, p.model)


def test_unknown_model_suggests():
    with pytest.raises(UnknownNameError, match="unknown id 'gpt-5'"):
        llm("gpt-5")
