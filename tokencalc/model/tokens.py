"""Tokens: how many a site makes, what each costs, and how cost splits between input and output.

    tokens_per_year         = accelerators x tokens_per_second_per_accelerator x utilization x 1 year
    cost_per_million_tokens = annual_cost / tokens_per_year x 1e6 token
    output share            = osl / (isl + osl)
    cached input            = input x cache_hit_rate;  uncached input = input x (1 - cache_hit_rate)
    break-even input price  = annual_cost / (uncached + r_cached x cached + r_output x output)

References: DESIGN.md reference model v1.
"""

from __future__ import annotations

import numpy as np

__all__ = ["tokens_per_year", "cost_per_million_tokens", "cost_per_accelerator_hour", "tokens_per_energy",
           "tokens_per_power",
           "output_share", "break_even_input_price", "accelerator_hours_cost", "token_price_of_hourly_price",
           "hourly_price_of_token_price", "token_kinds", "blended_price"]


def tokens_per_year(accelerators, tokens_per_second_per_accelerator, utilization):
    """Tokens produced per year [token/year] = accelerators [1] x throughput [token/s] x utilization [1]."""
    return (accelerators * tokens_per_second_per_accelerator * utilization).to("token/year")


def cost_per_million_tokens(annual_cost, tokens_per_year):
    """Cost per million tokens [USD/Mtoken] = annual cost [USD/year] / tokens per year [token/year]."""
    return (annual_cost / tokens_per_year).to("USD/Mtoken")


def cost_per_accelerator_hour(annual_cost, accelerators):
    """Cost of an accelerator-hour [USD/hour] = annual cost [USD/year] / accelerators [1]."""
    return (annual_cost / accelerators).to("USD/hour")


def tokens_per_energy(tokens_per_year, energy_per_year):
    """Tokens per kWh of facility energy [token/kWh]."""
    return (tokens_per_year / energy_per_year).to("token/kWh")


def tokens_per_power(tokens_per_year, facility_power):
    """Tokens per year per MW of facility power [token/(MW*year)] = tokens per year [token/year] / facility
    power [W]: what a megawatt of the site yields in a year, PUE and utilization included."""
    return (tokens_per_year / facility_power).to("token/(MW*year)")


def output_share(isl, osl):
    """Share of output tokens among all tokens of a request [1] = osl [token] / (isl + osl) [token]."""
    return (osl / (isl + osl)).to("")


def break_even_input_price(annual_cost, input_tokens_per_year, output_tokens_per_year, price_ratio,
                           cached_tokens_per_year=0.0, cached_price_ratio=0.0):
    r"""Input price [USD/Mtoken] that, with output priced ``price_ratio`` [1] times higher and cached input
    ``cached_price_ratio`` [1] times the input price, pays ``annual_cost`` [USD/year].

    .. math:: C = p_{in} (T_{in} + r_{c} T_{c} + r_{out} T_{out}) \Rightarrow
              p_{in} = C / (T_{in} + r_{c} T_{c} + r_{out} T_{out})

    ``input_tokens_per_year`` [token/year] are the uncached input tokens, ``cached_tokens_per_year`` those
    served from the prompt cache (0: no caching), ``output_tokens_per_year`` the output.

    References: openai-api-pricing, anthropic-prompt-caching, deepseek-api-pricing (price sheets that list
    input, cached input and output per million tokens).
    """
    weighted = input_tokens_per_year + price_ratio * output_tokens_per_year
    if np.any(np.asarray(getattr(cached_tokens_per_year, "magnitude", cached_tokens_per_year))):
        weighted = weighted + cached_price_ratio * cached_tokens_per_year
    return (annual_cost / weighted).to("USD/Mtoken")


def token_kinds(tokens_per_year, isl, osl, cache_hit_rate):
    """Tokens per year by kind [token/year]: (uncached input, cached input, output).

    output = T x osl / (isl + osl); input = T - output, of which a share ``cache_hit_rate`` [1] is served from
    the prompt cache (cached input) and the rest computed (uncached input). ``isl``, ``osl`` [token].
    """
    output = tokens_per_year * output_share(isl, osl)
    every_input = tokens_per_year - output
    cached = every_input * cache_hit_rate
    return every_input - cached, cached, output


def blended_price(prices, tokens):
    """The price per million tokens of every kind together [USD/Mtoken] = sum_k p_k [USD/Mtoken] x T_k
    [token/year] / sum_k T_k: the one price that earns what the prices per kind earn on this token mix."""
    revenue = sum(p * t for p, t in zip(prices, tokens))
    return (revenue / sum(tokens)).to("USD/Mtoken")


def accelerator_hours_cost(accelerators, price_per_hour):
    """Annual cost of accelerator-hours bought at a price [USD/year] = accelerators [1] x price [USD/hour] x 1 year.

    Every hour of the year is paid for, busy or not (utilization moves the tokens, not the bill),
    as a rental or a TCO figure per accelerator-hour is (SemiAnalysis AI Cloud TCO; InferenceX prices
    tokens as cost per hour / tokens per hour).
    """
    return (accelerators * price_per_hour).to("USD/year")


def token_price_of_hourly_price(price_per_hour, tokens_per_second_per_accelerator):
    """The token price that earns what renting accelerator-hours at ``price_per_hour`` earns [USD/Mtoken].

    p_token = p_hour [USD/hour] / (tokens_per_second_per_accelerator [token/s] x 3,600 s/hour)

    Renting sells the hours a site is busy: revenue = p_hour x accelerators x utilization x 1 year;
    selling tokens from the same hours: revenue = p_token x accelerators x throughput x utilization x
    1 year. The two are equal at this p_token, whatever the utilization (the neocloud business beside
    the token business; InferenceX converts the same way, cost per hour / tokens per hour).
    """
    return (price_per_hour / tokens_per_second_per_accelerator).to("USD/Mtoken")


def hourly_price_of_token_price(price_per_million_tokens, tokens_per_second_per_accelerator):
    """The price per accelerator-hour equal to a token price [USD/hour]: the inverse of
    :func:`token_price_of_hourly_price`, p_hour = p_token [USD/Mtoken] x throughput [token/s] x 3,600 s/hour."""
    return (price_per_million_tokens * tokens_per_second_per_accelerator).to("USD/hour")
