"""Every script in examples/ runs, and what it reports agrees with the library."""

import runpy
from pathlib import Path

import pytest

import tokencalc as tc

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.py"))


def _cost(**params):
    return tc.factory(**params).cost_per_million_tokens.m_as("USD/Mtoken")


def _depreciation_debate(result):
    assert sorted(result) == [2, 3, 4, 6]
    for life, cost in result.items():
        assert cost == pytest.approx(_cost(accelerator_life=life), rel=1e-12), life
    assert result[2] > result[3] > result[4] > result[6]  # a longer economic life, a cheaper token


def _electricity_sweep(result):
    assert result["min"] == pytest.approx(_cost(facility_power="1 GW", electricity_price="40 USD/MWh"), rel=1e-12)
    assert result["max"] == pytest.approx(_cost(facility_power="1 GW", electricity_price="160 USD/MWh"), rel=1e-12)


def _gigawatt_factory(result):
    lib = tc.factory(facility_power="1 GW", accelerator="gb200-nvl72")
    assert result["cost_per_million_tokens"]["value"] == pytest.approx(lib.cost_per_million_tokens.m_as("USD/Mtoken"))
    assert result["accelerators"] == lib.accelerators and result["accelerators"] % 72 == 0  # whole NVL72 racks
    assert result["scenario"]["accelerator"] == "gb200-nvl72"


def _hopper_vs_blackwell(result):
    from tokencalc.studies.compare import compare

    assert result["ratio"] == pytest.approx(compare(["h100", "gb200-nvl72"]).systems[1].ratio, rel=1e-12)
    assert result["ratio"] > 1  # Blackwell makes cheaper tokens
    assert list(result["sweep"]) == [10, 15, 20, 30, 50, 90]
    assert result["sweep"][90] > result["sweep"][10]  # H100 falls off faster as users are served faster


def _national_energy_budget(result):
    site = tc.factory()
    # 10,087 TWh = 1.0087e13 kWh x the default site's tokens per kWh
    assert result["tokens"] == pytest.approx(1.0087e13 * site.tokens_per_energy.m_as("token/kWh"), rel=1e-9)
    per_watt_day = site.tokens_per_year.m_as("token/day") / site.facility_power.m_as("W")
    assert result["power_gw"] == pytest.approx(1e15 / per_watt_day / 1e9, rel=1e-9)


CHECKS = {"depreciation_debate.py": _depreciation_debate, "electricity_sweep.py": _electricity_sweep,
          "gigawatt_factory.py": _gigawatt_factory, "hopper_vs_blackwell.py": _hopper_vs_blackwell,
          "national_energy_budget.py": _national_energy_budget}


def test_every_example_has_a_check():
    assert sorted(CHECKS) == sorted(p.name for p in EXAMPLES)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_runs_and_agrees_with_the_library(path, capsys):
    namespace = runpy.run_path(str(path))
    result = namespace["main"]()
    assert capsys.readouterr().out.strip()
    CHECKS[path.name](result)


def test_power_shock_moves_cost_less_than_proportionally():
    namespace = runpy.run_path(str(EXAMPLES[0].parent / "electricity_sweep.py"))
    result = namespace["main"]()
    # electricity is ~5 % of annual cost on defaults, so +267 % power adds well under 30 %
    assert 0.05 < result["shock_increase"] < 0.3
    assert result["min"] < result["max"]


def test_notebook_cells_run():
    """Every code cell of examples/tour.ipynb runs in order (no kernel needed)."""
    import json

    path = EXAMPLES[0].parent / "tour.ipynb"
    notebook = json.loads(path.read_text())
    namespace: dict = {}
    cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert cells
    for cell in cells:
        source = "".join(cell["source"])
        exec(compile(source, f"{path.name}:{cell['id']}", "exec"), namespace)  # noqa: S102 - our own notebook
    # the tour's figures are the library's
    assert namespace["r"].cost_per_million_tokens == tc.factory(facility_power="1 GW",
                                                                accelerator="gb200-nvl72").cost_per_million_tokens
    sweep = namespace["sweep"].cost_per_million_tokens.m_as("USD/Mtoken")
    assert sweep.shape == (7,) and (sweep[1:] > sweep[:-1]).all()  # dearer power, dearer tokens
    assert [s.id for s in namespace["c"].systems] == ["h100", "h200", "gb200-nvl72"]
    mc = namespace["mc"]
    q = mc.quantiles(mc.cost_per_million_tokens)
    assert mc.samples == 100_000 and q["p5"] < q["p50"] < q["p95"]
