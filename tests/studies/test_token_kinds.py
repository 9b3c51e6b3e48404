"""Token kinds and prompt caching: cached input skips prefill compute, is priced at a ratio of input, and the
factory says what each kind costs (issue 18's done-when: ``factory --cache-hit-rate 0.5 --json`` costs less per
input token than at 0, per token kind)."""

import json

import numpy as np
import pytest

import tokencalc as tc
from tokencalc.catalog import llm
from tokencalc.errors import ParameterError
from tokencalc.model import serving
from tokencalc.model.tokens import blended_price, break_even_input_price, token_kinds
from tokencalc.studies.token_kinds import parse_kind_prices
from tokencalc.units import Q_


def _kinds(cli, *args):
    run = cli("factory", "--json", *args)
    assert run.code == 0, run.err
    return json.loads(run.out)


def test_cache_hit_rate_lowers_the_cost_of_an_input_token_per_kind(cli):
    cold, warm = _kinds(cli), _kinds(cli, "--cache-hit-rate", "0.5")
    for record in (cold, warm):
        kinds = record["token_kinds"]
        assert set(kinds) >= {"input", "cached_input", "output", "all_input", "cache_hit_rate"}
        total = sum(kinds[k]["cost_per_year"]["value"] for k in ("input", "cached_input", "output"))
        assert total == pytest.approx(record["annual_cost"]["total"]["value"], rel=1e-12)  # the kinds pay the cost
        assert kinds["cached_input"]["cost_per_million_tokens"]["value"] == pytest.approx(
            0.1 * kinds["input"]["cost_per_million_tokens"]["value"])
    cost = lambda r, k: r["token_kinds"][k]["cost_per_million_tokens"]["value"]  # noqa: E731
    assert cold["token_kinds"]["cached_input"]["tokens_per_year"]["value"] == 0
    assert cost(cold, "all_input") == cost(cold, "input")
    # half the input from the cache: an input token costs 0.5 + 0.5 x 0.1 = 0.55 of an uncached one, and
    # throughput rises (less prefill), so the average input token costs less than at 0 - by more than 40 %
    assert cost(warm, "all_input") < 0.6 * cost(cold, "all_input")
    assert warm["tokens_per_year"]["value"] > cold["tokens_per_year"]["value"]
    assert warm["cost_per_million_tokens"]["value"] < cold["cost_per_million_tokens"]["value"]
    assert "model-adjusted for prompt caching" in warm["provenance"]["throughput"]
    assert warm["token_kinds"]["cached_input"]["tokens_per_year"]["value"] == pytest.approx(
        warm["token_kinds"]["input"]["tokens_per_year"]["value"])


def test_break_even_prices_per_kind_hand_computed():
    # 100 USD a year; 10 Mtoken uncached input, 10 cached, 20 output; ratios 0.1 and 4:
    # p_in = 100 / (10 + 0.1 x 10 + 4 x 20) = 100 / 91
    p_in = break_even_input_price(Q_(100, "USD/year"), Q_(10, "Mtoken/year"), Q_(20, "Mtoken/year"), Q_(4, ""),
                                  Q_(10, "Mtoken/year"), Q_(0.1, ""))
    assert p_in.m_as("USD/Mtoken") == pytest.approx(100 / 91)
    uncached, cached, output = token_kinds(Q_(40, "Mtoken/year"), Q_(1000, "token"), Q_(1000, "token"), Q_(0.25, ""))
    assert [q.m_as("Mtoken/year") for q in (uncached, cached, output)] == pytest.approx([15, 5, 20])
    price = blended_price([Q_(0.5, "USD/Mtoken"), Q_(0.05, "USD/Mtoken"), Q_(2, "USD/Mtoken")],
                          [uncached, cached, output])
    assert price.m_as("USD/Mtoken") == pytest.approx((0.5 * 15 + 0.05 * 5 + 2 * 20) / 40)


def test_the_throughput_model_gains_from_the_cache():
    fronts = [tc.studies.throughput.estimate(tc.catalog.accelerator("h100"), "deepseek-r1", "fp8", 8192, 1024, 30,
                                             "model", cache_hit_rate=h).total_tokens_per_second.m_as("token/s")
              for h in (0.0, 0.5, 0.9)]
    assert fronts[0] < fronts[1] < fronts[2]


def test_kind_prices_parse_safely():
    prices = parse_kind_prices("input=0.5,cached=0.05,output=2 USD/Mtoken")
    assert {k: v.m_as("USD/Mtoken") for k, v in prices.items()} == {"input": 0.5, "cached_input": 0.05, "output": 2}
    assert parse_kind_prices("0.5 USD/Mtoken") is None
    for bad in ("input=0.5", "input=1,input=2,output=3", "input=__import__('os'),output=1", "foo=1,output=2",
                "input=-1,output=2", "input=1 USD/h,output=2"):
        with pytest.raises(ParameterError, match="price"):
            parse_kind_prices(bad)
    with pytest.raises(ParameterError, match="input is given twice"):
        parse_kind_prices("input=1,input=2,output=3")
    with pytest.raises(ParameterError, match="the unit 'USD/kWh' after the last price applies to every kind"):
        parse_kind_prices("input=0.5,output=2 USD/kWh")


def test_cashflow_and_breakeven_take_prices_per_kind(cli):
    run = cli("breakeven", "--price", "input=0.5,cached=0.05,output=2 USD/Mtoken", "--cache-hit-rate", "0.5", "--json")
    assert run.code == 0, run.err
    out = json.loads(run.out)
    # 1k in (half cached) / 1k out: (0.25 x 0.5 + 0.25 x 0.05 + 0.5 x 2) = 1.1375 USD per Mtoken of the mix
    assert out["market_price"]["value"] == pytest.approx(1.1375)
    assert out["market_price_by_kind"]["cached_input"]["value"] == 0.05
    kinds = out["token_kinds"]  # the NPV break-even price spread over the kinds at the price ratios
    revenue = sum(kinds[k]["breakeven_price_per_million_tokens"]["value"] * kinds[k]["tokens_per_year"]["value"]
                  for k in ("input", "cached_input", "output"))
    assert revenue / 1e6 == pytest.approx(out["breakeven_revenue_per_year"]["value"], rel=1e-9)
    run = cli("cashflow", "--price", "input=0.5,output=2", "--json")
    assert run.code == 0, run.err
    record = json.loads(run.out)
    assert record["price"]["value"] == pytest.approx(1.25)  # no caching: cached tokens are 0
    assert record["price_by_kind"]["cached_input"]["value"] == pytest.approx(0.05)  # input x 0.1
    table = cli("breakeven", "--price", "input=0.5,cached=0.05,output=2 USD/Mtoken")
    assert "per million input / cached input / output tokens" in table.out
    bad = cli("cashflow", "--price", "input=0.5,output=lots")
    assert bad.code == 2 and bad.err.count("\n") == 1 and "price" in bad.err and "allowed" in bad.err


def test_cache_hit_rate_is_checked(cli):
    for value in ("1.5", "1"):  # a request always brings new tokens: 100 % is not allowed
        run = cli("factory", "--cache-hit-rate", value)
        assert run.code == 2 and "cache_hit_rate" in run.err and "< 1" in run.err and "Traceback" not in run.err
