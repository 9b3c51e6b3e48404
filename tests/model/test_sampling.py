"""model.sampling: seeded draws are reproducible, follow their distribution, and bad arguments raise ValueError."""

import numpy as np
import pytest

from tokencalc.model.sampling import DISTRIBUTIONS, sample

ARGS = {"uniform": {"low": 40.0, "high": 160.0}, "triangular": {"low": 0.5, "mode": 0.7, "high": 0.9},
        "normal": {"mean": 0.1, "sd": 0.02}, "lognormal": {"median": 2.0, "sigma": 0.3}}


@pytest.mark.parametrize("kind", list(DISTRIBUTIONS))
def test_seeded_draws_are_reproducible(kind):
    a = sample(np.random.default_rng(7), kind, ARGS[kind], 1000)
    b = sample(np.random.default_rng(7), kind, ARGS[kind], 1000)
    c = sample(np.random.default_rng(8), kind, ARGS[kind], 1000)
    assert a.shape == (1000,)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_draws_are_numpys_own_streams():
    """uniform(40, 160) is numpy's PCG64 uniform; lognormal(median, sigma) = median x exp(sigma x N(0, 1))."""
    assert np.array_equal(sample(np.random.default_rng(3), "uniform", ARGS["uniform"], 5),
                          np.random.default_rng(3).uniform(40.0, 160.0, 5))
    z = np.random.default_rng(3).standard_normal(5)
    assert sample(np.random.default_rng(3), "lognormal", ARGS["lognormal"], 5) == pytest.approx(2.0 * np.exp(0.3 * z))


def test_draws_follow_their_distribution():
    rng = np.random.default_rng(0)
    u = sample(rng, "uniform", ARGS["uniform"], 100_000)
    assert u.min() >= 40 and u.max() <= 160 and u.mean() == pytest.approx(100, rel=0.01)
    t = sample(rng, "triangular", ARGS["triangular"], 100_000)
    assert t.min() >= 0.5 and t.max() <= 0.9 and t.mean() == pytest.approx((0.5 + 0.7 + 0.9) / 3, rel=0.01)
    n = sample(rng, "normal", ARGS["normal"], 100_000)
    assert n.mean() == pytest.approx(0.1, rel=0.01) and n.std() == pytest.approx(0.02, rel=0.02)
    ln = sample(rng, "lognormal", ARGS["lognormal"], 100_000)
    assert np.median(ln) == pytest.approx(2.0, rel=0.01)
    # no spread: every draw is the centre
    assert sample(rng, "normal", {"mean": 0.1, "sd": 0.0}, 3).tolist() == [0.1, 0.1, 0.1]
    assert sample(rng, "lognormal", {"median": 2.0, "sigma": 0.0}, 3).tolist() == [2.0, 2.0, 2.0]


@pytest.mark.parametrize("kind, args, fragment", [
    ("uniform", {"low": 2.0, "high": 1.0}, "low <= high"),
    ("triangular", {"low": 0.5, "mode": 0.95, "high": 0.9}, "low <= mode <= high"),
    ("triangular", {"low": 0.7, "mode": 0.7, "high": 0.7}, "low < high"),
    ("normal", {"mean": 0.1, "sd": -0.01}, "sd >= 0"),
    ("normal", {"mean": 0.1, "sd": float("nan")}, "sd >= 0"),
    ("lognormal", {"median": 0.0, "sigma": 0.3}, "median > 0"),
    ("lognormal", {"median": 2.0, "sigma": -0.3}, "sigma >= 0"),
    ("beta", {"a": 1.0}, "unknown distribution 'beta'"),
])
def test_bad_arguments_raise_value_error(kind, args, fragment):
    with pytest.raises(ValueError, match="needs|unknown") as exc:
        sample(np.random.default_rng(0), kind, args, 10)
    assert fragment in str(exc.value)
