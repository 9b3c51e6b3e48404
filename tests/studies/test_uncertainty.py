"""The uncertainty studies: one-at-a-time sensitivity and Monte Carlo, library and CLI."""

import csv
import io
import time

import numpy as np
import pytest

import tokencalc as tc
from tokencalc.studies.uncertainty import montecarlo, sensitivity


def test_sensitivity_hand_check():
    result = sensitivity({}, {"electricity_price": ("40 USD/MWh", "160 USD/MWh")})
    row = next(r for r in result.rows if r.name == "electricity_price")
    assert row.cost_at_low == pytest.approx(
        tc.factory(electricity_price="40 USD/MWh").cost_per_million_tokens.m_as("USD/Mtoken"), rel=1e-12)
    assert row.cost_at_high > row.cost_at_low
    swings = [r.swing for r in result.rows]
    assert swings == sorted(swings, reverse=True)
    for r in result.rows:  # the base lies between the two ends (monotone models)
        assert min(r.cost_at_low, r.cost_at_high) <= result.base_cost * (1 + 1e-9)


def test_sensitivity_cli(cli, tmp_path):
    d = cli("sensitivity", "--json").json()
    names = [p["name"] for p in d["parameters"]]
    assert "electricity_price" in names and "utilization" in names
    rows = list(csv.reader(io.StringIO(cli("sensitivity", "--csv").out)))
    assert rows[0][0] == "parameter" and len(rows) == len(names) + 1
    path = tmp_path / "r.toml"
    path.write_text('[ranges]\npue = ["1.05", "2.0"]\n')
    ranged = cli("sensitivity", "--scenario", str(path), "--json").json()
    pue = next(p for p in ranged["parameters"] if p["name"] == "pue")
    assert pue["high"]["value"] == 2.0


def test_montecarlo_reproducible_and_ordered():
    a = montecarlo({}, None, 20_000, seed=7)
    b = montecarlo({}, None, 20_000, seed=7)
    c = montecarlo({}, None, 20_000, seed=8)
    assert np.array_equal(a.cost_per_million_tokens, b.cost_per_million_tokens)
    assert not np.array_equal(a.cost_per_million_tokens, c.cost_per_million_tokens)
    q = a.quantiles(a.cost_per_million_tokens)
    assert q["p5"] < q["p50"] < q["p95"]
    assert np.all(np.isfinite(a.cost_per_million_tokens))


def test_montecarlo_matches_scalar_runs():
    m = montecarlo({}, None, 5, seed=1)
    for i in range(5):
        params = {k: tc.Q_(float(v[i]), m.units[k]) for k, v in m.inputs.items()}
        base = tc.resolve_scenario({})[0]
        params.setdefault("tokens_per_second_per_accelerator", base.tokens_per_second_per_accelerator)
        assert tc.factory(**params).cost_per_million_tokens.m_as("USD/Mtoken") == pytest.approx(
            m.cost_per_million_tokens[i], rel=1e-12)


def test_montecarlo_million_samples_is_fast():
    start = time.perf_counter()
    m = montecarlo({}, None, 1_000_000, seed=0)
    assert m.samples == 1_000_000 and time.perf_counter() - start < 20  # a few seconds on 2 cores


def test_montecarlo_file_distributions(cli, tmp_path):
    path = tmp_path / "mc.toml"
    path.write_text('[distributions]\nelectricity_price = { dist = "uniform", low = "40 USD/MWh", high = "160 USD/MWh" }\n'
                    'utilization = { dist = "triangular", low = 0.5, mode = 0.7, high = 0.9 }\n')
    d = cli("montecarlo", "--samples", "5000", "--seed", "2", "--scenario", str(path), "--json").json()
    assert set(d["distributions"]) == {"electricity_price", "utilization"}
    for key in ("p5", "p50", "p95", "mean"):
        assert d["cost_per_million_tokens"][key]["unit"] == "USD/Mtoken"
    rows = list(csv.reader(io.StringIO(cli("montecarlo", "--samples", "100", "--scenario", str(path), "--csv").out)))
    assert len(rows) == 101 and rows[0][-1].startswith("cost_per_million_tokens")
    bad = tmp_path / "bad.toml"
    bad.write_text('[distributions]\nutilization = { dist = "normal", mean = 0.7, sd = 0.5 }\n')
    r = cli("montecarlo", "--samples", "1000", "--scenario", str(bad))
    assert r.code == 2 and "utilization" in r.err and "not allowed" in r.err


@pytest.mark.parametrize("args, fragment", [
    (["montecarlo", "--samples", "0"], "samples"),
    (["montecarlo", "--samples", "1.5"], "samples"),
    (["montecarlo", "--samples", "lots"], "samples"),
    (["montecarlo", "--samples", "1e9"], "samples"),
])
def test_montecarlo_cli_errors(cli, args, fragment):
    r = cli(*args)
    assert r.code == 2 and fragment in r.err


def test_price_range_is_the_systems_reported_range():
    from tokencalc import catalog
    from tokencalc.studies.uncertainty import uncertain_parameters

    for system in ("h100", "gb200-nvl72"):
        s, p = tc.resolve_scenario({"accelerator": system})
        price = catalog.accelerator(system).figure("system_price")
        low, high = uncertain_parameters(s, p)["accelerator_capex"]
        n = catalog.accelerator(system).accelerators_per_system
        assert low.m_as("USD") == pytest.approx(price.low.m_as("USD") / n)
        assert high.m_as("USD") == pytest.approx(price.high.m_as("USD") / n)
    # a system without a reported range (set its price yourself) keeps the catalog's +-20 %
    s, p = tc.resolve_scenario({"accelerator": "mi450-helios", "accelerator_capex": "60000 USD",
                                "it_power_per_accelerator": "3 kW", "network_capex_per_accelerator": "6000 USD",
                                "tokens_per_second_per_accelerator": 5000})
    low, high = uncertain_parameters(s, p)["accelerator_capex"]
    assert (low / s.accelerator_capex).m_as("") == pytest.approx(0.8)
    assert (high / s.accelerator_capex).m_as("") == pytest.approx(1.2)


def test_the_throughputs_range_is_drawn_as_the_percentiles_it_is():
    """The throughput's range is the 10th-90th percentile of an out-of-sample ratio: Monte Carlo draws a lognormal
    through both ends (median their geometric mean), not a triangle over them. On Rubin, whose figures are
    carried from Blackwell, the range is the carried figures' out-of-sample ratio (efficiency.toml [loso], 0.25-3.5x
    in the 2026-11-29 fit), and the draws' median stays near the answer's geometric middle, not above it."""
    import math

    from tokencalc.studies.uncertainty import _specs
    from tokencalc.studies.factory import resolve_scenario

    scenario, provenance = resolve_scenario({"accelerator": "vr200-nvl144"})
    low, high = (q.m_as("token/s") for q in tc.studies.uncertainty.uncertain_parameters(
        scenario, provenance)["tokens_per_second_per_accelerator"])
    kind, args = _specs(scenario, provenance, None)["tokens_per_second_per_accelerator"]
    loso = tc.catalog.read_toml("efficiency.toml")["loso"]
    assert kind == "lognormal" and high / low > 10
    assert high / low == pytest.approx(loso["carried_default_ratio_p90"] / loso["carried_default_ratio_p10"], rel=1e-3)
    assert args["median"] == pytest.approx(math.sqrt(low * high))
    draws = tc.model.sampling.sample(np.random.default_rng(0), kind, args, 200_000)
    assert np.percentile(draws, [10, 90]) == pytest.approx([low, high], rel=0.02)
