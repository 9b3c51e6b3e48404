"""Token kinds: uncached input, cached input (served from the prompt cache) and output, each with its tokens,
its price ratio to input, and its cost and break-even price per million tokens.

Market prices come per kind (input, cached input, output per million tokens); a factory's cost is one
number per year. The cost per kind spreads it at the price ratios (``cached_input_price_ratio``,
``input_output_price_ratio``): the input price p_in that pays the annual cost with every other kind priced at
its ratio (:func:`tokencalc.model.tokens.break_even_input_price`), and p_k = r_k x p_in. "all_input" is the
average of an input token, cached or not: what prompt caching lowers.
"""

from __future__ import annotations

from typing import Any

from ..errors import ParameterError
from ..model.tokens import blended_price
from ..units import Q_, as_quantity, jsonable

__all__ = ["token_kinds_record", "KINDS", "parse_kind_prices", "kind_prices_blended", "kind_price_record",
           "complete_kind_prices"]

KINDS = ("input", "cached_input", "output")
_TYPED = {"input": "input", "cached": "cached_input", "cached_input": "cached_input", "output": "output"}


def _tokens(result) -> dict[str, Any]:
    cached = result.cached_input_tokens_per_year
    return {"input": result.input_tokens_per_year - cached, "cached_input": cached,
            "output": result.output_tokens_per_year}


def _ratios(result) -> dict[str, Any]:
    s = result.scenario
    return {"input": Q_(1.0, ""), "cached_input": s.cached_input_price_ratio, "output": s.input_output_price_ratio}


def token_kinds_record(result, breakeven_input_price) -> dict[str, Any]:
    """Per kind: tokens per year, price ratio to input, cost per year and per million tokens (reference model v1),
    and the break-even price per million tokens given the break-even input price [USD/Mtoken]."""
    tokens, ratios = _tokens(result), _ratios(result)
    cost_in = result.breakeven_input_price_per_million_tokens
    out: dict[str, Any] = {"cache_hit_rate": jsonable(result.scenario.cache_hit_rate, "1")}
    for kind in KINDS:
        cost = cost_in * ratios[kind]
        out[kind] = {"tokens_per_year": jsonable(tokens[kind], "token/year"),
                     "price_ratio_to_input": jsonable(ratios[kind], "1"),
                     "cost_per_year": jsonable(cost * tokens[kind], "USD/year"),
                     "cost_per_million_tokens": jsonable(cost, "USD/Mtoken"),
                     "breakeven_price_per_million_tokens": jsonable(breakeven_input_price * ratios[kind], "USD/Mtoken")}
    every = tokens["input"] + tokens["cached_input"]
    share = (tokens["input"] + ratios["cached_input"] * tokens["cached_input"]) / every
    out["all_input"] = {"tokens_per_year": jsonable(every, "token/year"),
                        "cost_per_year": jsonable(cost_in * share * every, "USD/year"),
                        "cost_per_million_tokens": jsonable(cost_in * share, "USD/Mtoken"),
                        "breakeven_price_per_million_tokens": jsonable(breakeven_input_price * share, "USD/Mtoken")}
    return out


def parse_kind_prices(text: str, name: str = "price") -> dict[str, Any] | None:
    """``"input=0.5,cached=0.05,output=2 USD/Mtoken"`` as {kind: Quantity USD/Mtoken}; None when ``text`` is not
    of that form (a blended price). The unit after the last number applies to every kind without its own; a bare
    number is USD/Mtoken. Nothing is evaluated: each value goes through the one quantity parser."""
    if not isinstance(text, str) or "=" not in text:
        return None
    allowed = "input=P,cached=P,output=P with P a price per million tokens, e.g. 'input=0.5,cached=0.05,output=2 " \
              "USD/Mtoken' (input and output required; cached defaults to input x cached_input_price_ratio)"
    parts = [p.strip() for p in text.split(",")]
    if len(text) > 200 or len(parts) > 3 or not all(parts):
        raise ParameterError(name, f"{text[:60]!r} is not allowed; allowed: {allowed}")
    pairs: dict[str, str] = {}
    typed_keys: dict[str, str] = {}
    for part in parts:
        key, _, value = part.partition("=")
        kind = _TYPED.get(key.strip().lower())
        if kind is not None and kind in pairs:
            raise ParameterError(name, f"{kind} is given twice in {text[:60]!r}; allowed: {allowed}")
        if kind is None or not value.strip():
            raise ParameterError(name, f"{part[:40]!r} is not allowed; allowed: {allowed}")
        pairs[kind], typed_keys[kind] = value.strip(), key.strip()
    if "input" not in pairs or "output" not in pairs:
        raise ParameterError(name, f"{text[:60]!r} lacks {'input' if 'input' not in pairs else 'output'}; "
                             f"allowed: {allowed}")
    last = list(pairs.values())[-1].split(None, 1)
    unit = last[1] if len(last) > 1 else "USD/Mtoken"
    prices = {}
    for kind, value in pairs.items():
        typed = value if len(value.split(None, 1)) > 1 else f"{value} {unit}"
        try:
            prices[kind] = as_quantity(typed, "USD/Mtoken", f"{name} ({kind})")
        except ParameterError:
            shared = "" if typed == value else f" (the unit {unit!r} after the last price applies to every kind)"
            raise ParameterError(name, f"{typed_keys[kind]}={value[:30]!r}{shared} is not a price per million "
                                 f"tokens; allowed: {allowed}") from None
        if not prices[kind].magnitude >= 0:
            raise ParameterError(name, f"{typed_keys[kind]}={value[:30]} is not allowed; allowed: prices >= 0")
    return prices


def complete_kind_prices(prices: dict[str, Any] | None, result) -> dict[str, Any] | None:
    """Prices per kind with every kind, in KINDS order: a missing cached price is the input price x
    ``cached_input_price_ratio``."""
    if prices is None:
        return None
    every = {"cached_input": prices["input"] * result.scenario.cached_input_price_ratio, **prices}
    return {k: every[k] for k in KINDS}


def kind_prices_blended(prices: dict[str, Any], result):
    """Prices per kind as the one price per million tokens of the factory's token mix [USD/Mtoken]; a missing
    cached price is the input price x ``cached_input_price_ratio``."""
    prices = complete_kind_prices(prices, result)
    tokens = _tokens(result)
    return blended_price([prices[k] for k in KINDS], [tokens[k] for k in KINDS])


def kind_price_record(key: str, prices: dict[str, Any] | None) -> dict[str, Any]:
    """{key: {kind: {"value", "unit"}}} for prices given per kind, or nothing."""
    return {} if prices is None else {key: {k: jsonable(v, "USD/Mtoken") for k, v in prices.items()}}
