"""The model's pick of configuration against the run's (tokencalc/studies/picks.py), checked against the frontier
it reads and by hand."""

import numpy as np
import pytest

from tokencalc import catalog
from tokencalc.studies import calibration as cal
from tokencalc.studies import picks
from tokencalc.studies.measured import measured_curves
from tokencalc.studies.run_quality import data_parallel_attention, replica_size

LLM = catalog.llm("deepseek-r1")
EFF = catalog.read_toml("efficiency.toml")


def _theta(family):
    return tuple(EFF[family][name] for name in cal.PARAMETERS)


def _curve(key):
    return next(c for c in measured_curves().values() if cal.curve_key(c) == key)


@pytest.mark.parametrize("gpus, dp, expected", [(1, False, "tp <= 8"), (8, False, "tp <= 8"), (16, False, "tp > 8"),
                                                (4, True, "dp <= 8"), (8, True, "dp <= 8"), (72, True, "dp > 8")])
def test_configuration_class_by_hand(gpus, dp, expected):
    assert picks.configuration_class(gpus, dp) == expected


@pytest.mark.parametrize("key", [("b200", "fp8", 8192, 1024, "aggregated", "none"),
                                 ("gb200-nvl72", "fp8", 1024, 1024, "disaggregated", "none"),
                                 ("mi355x", "fp4", 1024, 1024, "disaggregated", "mtp")])
def test_a_pick_is_the_configuration_the_frontier_serves(key):
    """At each measured interactivity the pick is the class of the frontier's point at or above it, and there is none
    exactly where the frontier's ratio is NaN (beyond the model's reach)."""
    curve = _curve(key)
    theta = _theta(cal.family_of(catalog.accelerator(curve.system)))
    got = picks.frontier_picks(curve, LLM, theta, 1, 0.875, 1024)
    ratio = cal.frontier_ratios(curve, LLM, theta, 1, 0.875, 1024)
    front = cal.curve_frontier(curve, LLM, theta, 1, 0.875, 1024)
    assert [p is None for p in got] == list(~np.isfinite(ratio))
    for x, pick in zip(curve.interactivity, got):
        if pick is None:
            continue
        above = np.flatnonzero(front.interactivity >= x * (1 - 1e-12))[0]
        assert pick == picks.configuration_class(front.gpus[above], front.data_parallel_attention[above])


def test_a_pick_reads_the_frontier_at_the_mtp_gain_it_is_given():
    """A leave-one-curve-out refit measures its own MTP gain; the pick reads the frontier at it: at a gain of 0 the
    drafts gain nothing, the frontier reaches less far, and the pick is None exactly beyond that reach."""
    curve = _curve(("mi355x", "fp4", 1024, 1024, "disaggregated", "mtp"))
    theta = _theta("amd-cdna4")
    recorded = cal.curve_frontier(curve, LLM, theta, 1, 0.875, 1024)
    slow = cal.curve_frontier(curve, LLM, theta, 1, 0.875, 1024, gain=0.0)
    assert slow.max_interactivity < recorded.max_interactivity
    got = picks.frontier_picks(curve, LLM, theta, 1, 0.875, 1024, gain=0.0)
    beyond = np.asarray(curve.interactivity) > slow.max_interactivity * (1 + 1e-9)
    assert beyond.any() and [p is None for p in got] == list(beyond)


def test_pick_groups_hold_each_reached_point_once_under_its_run_and_its_pick():
    """Each reached point lands once, in the group of its run's class and of the model's pick at its interactivity,
    the pick read with the curve's own figures and MTP gain (here a gain of 0 for the MTP curve)."""
    keys = [("b200", "fp8", 8192, 1024, "aggregated", "none"), ("gb200-nvl72", "fp8", 1024, 1024, "disaggregated",
                                                                  "none"), ("mi355x", "fp4", 1024, 1024,
                                                                            "disaggregated", "mtp")]
    curves = [_curve(k) for k in keys]
    frontier = {cal.curve_key(c): np.linspace(0.5, 2.0 + i, len(c.rows)) for i, c in enumerate(curves)}
    frontier[keys[0]][0] = np.nan  # beyond reach: left out
    thetas = {cal.curve_key(c): (_theta(cal.family_of(catalog.accelerator(c.system))), 0.0 if i == 2 else 1.0)
              for i, c in enumerate(curves)}
    groups = picks.pick_groups(frontier, thetas, measured_curves().values(), LLM, 1, 0.875, 1024)
    expected = {}
    for curve in curves:
        key = cal.curve_key(curve)
        got = picks.frontier_picks(curve, LLM, thetas[key][0], 1, 0.875, 1024, gain=thetas[key][1])
        for row, ratio, pick in zip(curve.rows, frontier[key], got):
            if pick is not None and np.isfinite(ratio):
                run = picks.configuration_class(replica_size(row), data_parallel_attention(row))
                expected.setdefault((run, pick), []).append((id(row), float(ratio)))
    assert {k: sorted((id(r), float(x)) for r, x in zip(*v)) for k, v in groups.items()} == \
        {k: sorted(v) for k, v in expected.items()}
    mtp = _curve(keys[2])  # at a gain of 0 the MTP curve's fastest points are beyond reach: not in any group
    unreached = sum(p is None for p in picks.frontier_picks(mtp, LLM, thetas[keys[2]][0], 1, 0.875, 1024, gain=0.0))
    assert unreached > 0
    assert sum(len(x) for _, x in groups.values()) == sum(int(np.sum(np.isfinite(v))) for v in frontier.values()) \
        - unreached
