"""Probability distributions for Monte Carlo: draws from a named distribution, vectorized.

References: numpy.random.Generator (PCG64), whose streams are reproducible from a seed.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

__all__ = ["DISTRIBUTIONS", "sample"]

DISTRIBUTIONS = {"uniform": ("low", "high"), "triangular": ("low", "mode", "high"), "normal": ("mean", "sd"),
                 "lognormal": ("median", "sigma")}


def sample(rng: np.random.Generator, kind: str, args: Mapping[str, float], n: int) -> np.ndarray:
    """``n`` draws of distribution ``kind`` with ``args`` (in the parameter's unit; sigma [1]).

    uniform(low, high); triangular(low, mode, high); normal(mean, sd);
    lognormal(median, sigma) = median x exp(sigma x N(0, 1)). A ValueError says what is wrong.
    """
    if kind == "uniform":
        if not args["low"] <= args["high"]:
            raise ValueError("needs low <= high")
        return rng.uniform(args["low"], args["high"], n)
    if kind == "triangular":
        if not args["low"] <= args["mode"] <= args["high"] or args["low"] == args["high"]:
            raise ValueError("needs low <= mode <= high and low < high")
        return rng.triangular(args["low"], args["mode"], args["high"], n)
    if kind == "normal":
        if not args["sd"] >= 0:
            raise ValueError("needs sd >= 0")
        return rng.normal(args["mean"], args["sd"], n)
    if kind == "lognormal":
        if not (args["median"] > 0 and args["sigma"] >= 0):
            raise ValueError("needs median > 0 and sigma >= 0")
        return args["median"] * np.exp(args["sigma"] * rng.standard_normal(n))
    raise ValueError(f"unknown distribution {kind!r}")
