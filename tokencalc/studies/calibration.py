"""Calibration of the serving model on measured benchmarks, in the open.

Each measured InferenceX row names its configuration: decode replica size and parallelism
(tensor, expert, data-parallel attention), the number of decode and prefill accelerators,
the client concurrency, serving mode and speculative decoding. For each row the serving model
(:mod:`tokencalc.model.serving`) evaluates that configuration over a range of batches and reads
its throughput per accelerator at the row's measured interactivity; the error is

    e = ln(model throughput at the measured interactivity / measured throughput)

A user gets the model's frontier instead: the model picks its own configuration (replica size,
parallelism, batch, prefill pool). Its error against each measured envelope point is

    f = ln(model frontier at the measured interactivity / measured envelope)

the model holding at most as many requests per decode accelerator as any run behind the envelope did
(client concurrency / decode accelerators): an envelope is the best of the concurrencies someone ran, and
its low-interactivity end stops where the runs stopped (aggregated: 32 to 512 requests per server), not
where the hardware does.

The efficiency figures of a family of serving stacks (NVIDIA Hopper, Blackwell; AMD CDNA 3, CDNA 4) are the
least-squares fit of e over that family's rows and f over its envelopes together
(scipy.optimize.least_squares, bounded). Out-of-sample error is measured leave-one-curve-out:
refit without a curve's rows and envelope (a curve = system, precision, isl/osl, serving,
speculative decoding) and predict both.

Runs slower than the same framework and configuration on hardware they match or beat in every figure the model
uses (:func:`dominated`) are the stack's doing, not the hardware's: the fit leaves them out, the out-of-sample
errors keep them.

References: SemiAnalysis InferenceX DeepSeek-R1 results (catalog source ``inferencex-dsr1``);
Branch, Coleman & Li, "A subspace, interior, and conjugate gradient method for large-scale
bound-constrained minimization problems" (SIAM J. Sci. Comput. 1999; the TRF solver).
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
from typing import Any, Mapping, Sequence

import attrs
import numpy as np

from .. import catalog
from ..model import serving
from ..model.curves import interpolate_log
from .calibration_ranges import (FAMILIES, FIXED, FREE, HELD, INHERITS, LOWER, NETWORK, PARAMETERS,  # noqa: F401
                                 START, UPPER)
from .run_quality import (SLOWER, data_parallel_attention, decode_replicas, dominated, hardware as _hardware,
                          replica_size, requests_per_decode_accelerator, usable)

__all__ = ["dominated", "SLOWER", "replica_size", "FAMILIES", "HELD", "INHERITS", "PARAMETERS", "family_of", "RowArrays", "row_arrays", "row_errors", "fit", "Fit",
           "leave_one_curve_out", "HeldOut", "frontier_ratios", "benchmark_concurrency", "curve_key", "data_hash",
           "usable", "interpolation_ratios", "leave_one_system_out", "TRANSFER", "MTP_GAIN", "decode_steps",
           "data_parallel_attention", "decode_replicas", "requests_per_decode_accelerator", "efficiency",
           "curve_frontier"]

# a refit without a curve or a system starts from the full fit and stops when a step changes the objective or the
# figures by less than this (relative): the errors it reports are given to 1 %
REFIT_TOLERANCE = 1e-4
_GRID = np.geomspace(1 / 64, 64, 49)  # batches around the row's own, to find its measured interactivity
# each family's realized share of MTP's drafted gain, held in the fit (not fitted): measured by tokencalc.studies.mtp_gain from
# runs with and without MTP at one configuration; scripts/gen_calibration.py sets it and efficiency.toml records it
MTP_GAIN: dict[str, float] = {}


def family_of(system) -> str:
    """The family of serving stacks whose efficiency a system shares (catalog ``serving_family``)."""
    return system.serving_family


@attrs.frozen
class RowArrays:
    """The measured rows of one model and precision as arrays (one element per row)."""

    rows: tuple
    precision: str
    isl: np.ndarray
    osl: np.ndarray
    g: np.ndarray  # decode replica size
    dp: np.ndarray  # data-parallel attention
    batch: np.ndarray  # requests per decode replica
    replicas: np.ndarray  # decode replicas
    decode_gpus: np.ndarray
    prefill_gpus: np.ndarray
    prefill_engine: np.ndarray  # accelerators per prefill engine (tensor x expert parallelism)
    disaggregated: np.ndarray
    draft: np.ndarray
    hbm_bandwidth: np.ndarray
    peak: np.ndarray
    attention_peak: np.ndarray
    scale_up_bandwidth: np.ndarray
    scale_out_bandwidth: np.ndarray
    domain: np.ndarray
    family: np.ndarray
    interactivity: np.ndarray  # measured
    total: np.ndarray  # measured total tokens/s per accelerator


def row_arrays(rows: Sequence, precision: str, draft_tokens: float, scale_out: Mapping[str, float]) -> RowArrays:
    """Arrays of the rows of one precision; ``scale_out`` gives each system's scale-out bandwidth [B/s]."""
    rows = tuple(r for r in rows if r.precision == precision)
    systems = [catalog.accelerator(r.system) for r in rows]
    # the serving model's view of each system at this precision (peaks, bandwidths), as --source model uses it
    hw = {s.id: _hardware(s.id, precision) for s in systems}
    figures = [hw[s.id] for s in systems]
    g = np.array([replica_size(r) for r in rows], dtype=float)
    disagg = np.array([r.serving == "disaggregated" for r in rows])
    decode_gpus = np.array([r.decode_gpus for r in rows], dtype=float)
    replicas = np.array([decode_replicas(r) for r in rows], dtype=float)
    return RowArrays(
        rows=rows, precision=precision,
        isl=np.array([r.isl for r in rows], dtype=float), osl=np.array([r.osl for r in rows], dtype=float),
        g=g, dp=np.array([data_parallel_attention(r) for r in rows], dtype=bool),
        batch=np.array([r.concurrency for r in rows], dtype=float) / replicas, replicas=replicas,
        decode_gpus=np.where(disagg, decode_gpus, g), prefill_gpus=np.array([r.prefill_gpus for r in rows], dtype=float),
        prefill_engine=np.array([min(max(r.prefill_tp, r.prefill_ep, 1), max(r.prefill_gpus, 1)) for r in rows],
                                dtype=float),
        disaggregated=disagg,
        draft=np.array([draft_tokens if r.spec_decode == "mtp" else 0.0 for r in rows]),
        hbm_bandwidth=np.array([f.hbm_bandwidth for f in figures]), peak=np.array([f.peak for f in figures]),
        attention_peak=np.array([f.attention_peak for f in figures]),
        scale_up_bandwidth=np.array([f.scale_up_bandwidth for f in figures]),
        scale_out_bandwidth=np.array([scale_out[s.id] for s in systems]),
        domain=np.array([s.scale_up_domain for s in systems], dtype=float),
        family=np.array([family_of(s) for s in systems]),
        interactivity=np.array([r.interactivity for r in rows]), total=np.array([r.total_tokens_per_second for r in rows]),
    )


def _only(a: RowArrays, keep: np.ndarray) -> RowArrays:
    """The rows of ``a`` where ``keep`` is true."""
    return RowArrays(**{f.name: (tuple(r for r, k in zip(a.rows, keep) if k) if f.name == "rows"
                                 else a.precision if f.name == "precision" else getattr(a, f.name)[keep])
                        for f in attrs.fields(RowArrays)})


class _Eff:
    """Efficiency figures as arrays, one per row (the family's)."""

    def __init__(self, values: Mapping[str, np.ndarray]):
        self.__dict__.update(values)
        self.network = NETWORK


def _efficiency_arrays(a: RowArrays, thetas: Mapping[str, Sequence[float]]) -> _Eff:
    values = {}
    for i, name in enumerate(PARAMETERS):
        values[name] = np.select([a.family == f for f in thetas], [thetas[f][i] for f in thetas], default=np.nan)[:, None]
    return _Eff(values)


def decode_steps(llm, a: RowArrays, eff, batch) -> np.ndarray:
    """Decode step times [s] of the rows of ``a`` (one isl/osl) at ``batch`` [1] (rows x batches), with the
    efficiency figures ``eff`` (:func:`_efficiency_arrays`): :func:`serving.decode_step` at each row's
    configuration."""
    col = (lambda x: np.asarray(x)[:, None])
    return serving.decode_step(llm, a.precision, float(a.isl[0] + a.osl[0] / 2), col(a.g), col(a.dp), batch,
                               col(a.draft), col(a.hbm_bandwidth), col(a.peak), col(a.attention_peak),
                               col(a.scale_up_bandwidth), col(a.scale_out_bandwidth), col(a.domain), eff)


def row_errors(llm, a: RowArrays, thetas: Mapping[str, Sequence[float]], acceptance: float) -> np.ndarray:
    """ln(model throughput at each row's measured interactivity, its configuration / measured) [1].

    An interactivity the configuration cannot reach counts its shortfall as error too.
    """
    eff = _efficiency_arrays(a, thetas)
    col = (lambda x: np.asarray(x)[:, None])
    isl, osl = col(a.isl), col(a.osl)
    if np.ptp(a.isl) or np.ptp(a.osl):
        raise ValueError("row_errors takes the rows of one isl/osl (call it per workload)")
    b = np.maximum(col(a.batch) * _GRID[None, :], 1.0)
    t_step = decode_steps(llm, a, eff, b)
    gain = np.array([MTP_GAIN.get(f, 1.0) for f in a.family])[:, None]
    tau = serving.realized_tokens_per_step(col(a.draft), acceptance, gain)
    hardware = (col(a.hbm_bandwidth), col(a.peak), col(a.attention_peak), col(a.scale_up_bandwidth),
                col(a.scale_out_bandwidth), col(a.domain))
    # aggregated: prefill interleaved on the replica, in passes of the prompts that arrive per step
    t_prefill = serving.prefill_time(llm, a.precision, isl, col(a.g), *hardware, eff,
                                     chunked=serving.prefill_pass(isl, osl, b, tau))
    inter_agg, _, total_agg = serving.serve(llm, isl, osl, "aggregated", col(a.g), b, tau, t_step, t_prefill)
    # disaggregated: the row's decode replicas and prefill pool; the slower one sets the output rate
    decode_rate = col(a.replicas) * b * tau / t_step  # output tokens/s of the decode pool
    engine = col(a.prefill_engine)  # prefill accelerators per prefill engine: its rate per accelerator
    prefill_rate = col(a.prefill_gpus) * osl / (serving.prefill_time(llm, a.precision, isl, engine, *hardware, eff,
                                                                     chunked=True)  # full passes of waiting prompts
                                               * engine) * eff.prefill_utilization
    out = np.minimum(decode_rate, prefill_rate)
    total_dis = out * (1 + isl / osl) / (col(a.decode_gpus) + col(a.prefill_gpus))
    inter = np.where(col(a.disaggregated), tau / t_step, inter_agg)
    total = np.where(col(a.disaggregated), total_dis, total_agg)
    # throughput at the measured interactivity: interactivity falls as the batch grows
    x = np.log(inter[:, ::-1])
    y = np.log(total[:, ::-1])
    target = np.log(a.interactivity)
    err = np.empty(len(a.rows))
    for i in range(len(a.rows)):
        xi, yi = x[i], y[i]
        if target[i] > xi[-1]:  # faster than the configuration can serve one batch
            err[i] = (yi[-1] - np.log(a.total[i])) - 2 * (target[i] - xi[-1])
        elif target[i] < xi[0]:
            err[i] = yi[0] - np.log(a.total[i])
        else:
            err[i] = np.interp(target[i], xi, yi) - np.log(a.total[i])
    return err


@attrs.frozen
class Fit:
    """Fitted efficiency figures per family, with the in-sample errors."""

    thetas: Mapping[str, tuple[float, ...]]
    errors: np.ndarray  # ln(model / measured), one per row, in row order of ``rows``
    rows: tuple
    acceptance: float
    draft_tokens: float
    costs: Mapping[str, tuple[float, float]] = {}  # per family fitted: half the sum of squares at start and end

    def efficiency(self, family: str) -> dict[str, float]:
        return dict(zip(PARAMETERS, self.thetas[family]))


def _workloads(rows):
    keys = sorted({(r.precision, r.isl, r.osl) for r in rows})
    return keys


def fit(rows: Sequence, llm, scale_out: Mapping[str, float], draft_tokens: float, acceptance: float,
        start: Mapping[str, Sequence[float]] | None = None, max_nfev: int = 200, curves: Sequence = (),
        max_concurrency: float = 1024.0, families: Sequence[str] | None = None, passes: int = 1,
        exclude: frozenset = frozenset(), tolerance: float = 1e-8) -> Fit:
    """Least-squares fit of each family's efficiency figures (see the module docstring): on its rows, each at
    its own configuration, and on its ``curves`` (measured envelopes) as the model's frontier.

    ``families`` limits the fit to some families (the others keep ``start``): each family's residuals
    depend on its figures alone. The frontier's envelope makes the objective rough and the solver can stop
    early: up to ``passes`` restarts from where it stopped, while one lowers the objective by 1 % or more.
    Rows in ``exclude`` (:func:`dominated`) are left out, as rows and as envelope points. ``tolerance``: the
    solver stops when a step changes the objective or the figures by less than this (relative).
    """
    from scipy.optimize import least_squares  # lazy: scipy costs 0.2 s at import; only calibration needs it

    rows = tuple(r for r in rows if usable(r) and r not in exclude)
    groups = []
    for precision, isl, osl in _workloads(rows):
        chosen = [r for r in rows if (r.precision, r.isl, r.osl) == (precision, isl, osl)]
        groups.append(row_arrays(chosen, precision, draft_tokens, scale_out))
    present = {f for a in groups for f in a.family}
    all_families = [f for f in FAMILIES if f in present] + sorted(present - set(FAMILIES))
    first = tuple(FIXED.get(name, v) for name, v in zip(PARAMETERS, START))
    thetas = {f: tuple((start or {}).get(f, first)) for f in all_families}
    costs: dict[str, tuple[float, float]] = {}
    for family in (all_families if families is None else [f for f in all_families if f in families]):
        mine = [_only(a, a.family == family) for a in groups if (a.family == family).any()]
        envelopes = [c for c in curves if family_of(catalog.accelerator(c.system)) == family]
        kept = [np.array([r not in exclude for r in c.rows], dtype=bool) for c in envelopes]
        envelopes, kept = [c for c, k in zip(envelopes, kept) if k.any()], [k for k in kept if k.any()]
        parent, names = INHERITS.get(family, (None, None))
        free_idx = FREE if parent is None else tuple(i for i in FREE if PARAMETERS[i] in names)
        inherited = thetas.get(parent, (start or {}).get(parent)) if parent is not None else None
        base = thetas[family] if inherited is None else \
            tuple(v if PARAMETERS[i] in names else inherited[i] for i, v in enumerate(thetas[family]))
        held = HELD.get(family, {})
        base = tuple(held.get(name, v) for name, v in zip(PARAMETERS, base))
        free_idx = tuple(i for i in free_idx if PARAMETERS[i] not in held)

        def full(free, base=base, free_idx=free_idx):
            theta = [FIXED.get(name, v) for name, v in zip(PARAMETERS, base)]
            for i, v in zip(free_idx, free):
                theta[i] = float(v)
            return tuple(theta)

        def residuals(free, mine=mine, family=family, envelopes=envelopes):
            trial = {**thetas, family: full(free)}
            at_rows = [row_errors(llm, a, trial, acceptance) for a in mine]
            at_curves = [frontier_errors(c, llm, trial[family], draft_tokens, acceptance, max_concurrency)[keep]
                         for c, keep in zip(envelopes, kept)]
            return np.concatenate(at_rows + at_curves)

        bounds = ([LOWER[i] for i in free_idx], [UPPER[i] for i in free_idx])
        x0 = np.clip([base[i] for i in free_idx], *bounds)
        first_cost = 0.5 * float(np.sum(residuals(x0) ** 2))
        before = first_cost
        for _ in range(max(1, passes)):
            result = least_squares(residuals, x0, bounds=bounds, x_scale="jac", max_nfev=max_nfev, diff_step=1e-3,
                                   ftol=tolerance, xtol=tolerance)
            x0, improved = result.x, result.cost < 0.99 * before
            before = float(result.cost)
            if not improved:
                break
        costs[family] = (first_cost, before)
        thetas[family] = full(x0)
    ordered = tuple(r for a in groups for r in a.rows)
    errors = np.concatenate([row_errors(llm, a, thetas, acceptance) for a in groups])
    return Fit(thetas, errors, ordered, acceptance, draft_tokens, costs)


def benchmark_concurrency(curve) -> float:
    """The most requests per decode accelerator [1] any run behind a measured envelope held
    (:func:`requests_per_decode_accelerator`), the highest over the envelope."""
    return max(requests_per_decode_accelerator(r) for r in curve.rows)


def efficiency(theta: Sequence[float], gain: float = 1.0) -> serving.Efficiency:
    """The serving model's efficiency of figures ``theta`` (in the order of ``PARAMETERS``), the held network share
    and an MTP gain ``gain`` [1]."""
    return serving.Efficiency(**dict(zip(PARAMETERS, theta)), network=NETWORK, mtp_gain=gain)


def curve_frontier(curve, llm, theta: Sequence[float], draft_tokens: float, acceptance: float, max_concurrency: float,
                   as_run: bool = True, gain: float | None = None):
    """The model's frontier for a measured curve's workload and serving choice (see :func:`frontier_ratios`), with
    MTP gain ``gain`` (None: the family's in ``MTP_GAIN``)."""
    gain = MTP_GAIN.get(family_of(catalog.accelerator(curve.system)), 1.0) if gain is None else gain
    hw = attrs.evolve(_hardware(curve.system, curve.precision), efficiency=efficiency(theta, gain))
    mtp = curve.spec_decode == "mtp"
    return serving.model_frontier(hw, llm, curve.precision, curve.isl, curve.osl, curve.serving,
                                  int(draft_tokens) if mtp else 0, acceptance if mtp else 0.0, 1.0, max_concurrency,
                                  accelerator_concurrency=benchmark_concurrency(curve) if as_run else None)


def frontier_ratios(curve, llm, theta: Sequence[float], draft_tokens: float, acceptance: float,
                    max_concurrency: float, as_run: bool = True) -> np.ndarray:
    """The model's frontier / the measured envelope [1] at each measured point's interactivity: what
    ``--source model`` answers for the curve's workload and serving choice, the model picking its own
    configuration (replica size, parallelism, batch, prefill pool) with efficiency figures ``theta`` (in the
    order of ``PARAMETERS``), holding at most as many requests per accelerator as the benchmark did
    (``as_run``; else up to ``max_concurrency`` per engine). NaN where the measured interactivity is beyond
    the model's reach."""
    front = curve_frontier(curve, llm, theta, draft_tokens, acceptance, max_concurrency, as_run)
    return np.asarray(front.total_at(curve.interactivity), dtype=float) / np.asarray(curve.total_tokens_per_second)


def frontier_errors(curve, llm, theta: Sequence[float], draft_tokens: float, acceptance: float,
                    max_concurrency: float) -> np.ndarray:
    """ln(model frontier / measured envelope) [1] at each measured point, for fitting: beyond the model's
    reach, the frontier's last point less twice the log of the shortfall in interactivity (as ``row_errors``)."""
    front = curve_frontier(curve, llm, theta, draft_tokens, acceptance, max_concurrency)
    x = np.asarray(curve.interactivity, dtype=float)
    top = front.max_interactivity
    at = np.asarray(front.total_at(np.minimum(x, top)), dtype=float)
    return np.log(at / np.asarray(curve.total_tokens_per_second)) - 2 * np.log(np.maximum(x / top, 1.0))


@attrs.frozen
class HeldOut:
    """Leave-one-curve-out results: per curve key, ln(model / measured) at each row's own configuration
    (``rows``) and the model frontier / measured envelope at each envelope point (``frontier``)."""

    rows: Mapping[Any, np.ndarray]
    frontier: Mapping[Any, np.ndarray]
    frontier_default: Mapping[Any, np.ndarray] = {}  # the frontier at the default concurrency, not as run
    systems: Mapping[str, tuple] = {}  # leave_one_system_out
    thetas: Mapping[Any, tuple] = {}  # per curve key: its family's figures refitted without it, its MTP gain


def leave_one_curve_out(rows: Sequence, llm, scale_out, draft_tokens: float, acceptance: float, full: Fit,
                        curves: Mapping | None = None, max_concurrency: float = 1024.0,
                        keys: Sequence | None = None, max_nfev: int = 40, workers: int = 1,
                        exclude: frozenset = frozenset(), gains=None) -> HeldOut:
    """Out-of-sample errors: for each curve key, refit the curve's family without its rows and its measured
    envelope (starting from the full fit) and predict them, at the rows' own configurations and (given
    ``curves``: key -> measured curve) as the model's frontier. ``gains`` (rows -> family -> MTP gain): the
    gains are measured again without the curve's rows, for its refit and prediction (else ``MTP_GAIN`` as it
    stands). ``workers`` > 1 refits in that many processes (forked; the refits are independent)."""
    rows = tuple(r for r in rows if usable(r))
    curves = dict(curves or {})
    keys = list(keys or sorted({_key(r) for r in rows}))
    _HELD_OUT.update(rows=rows, llm=llm, scale_out=scale_out, draft=draft_tokens, acceptance=acceptance, full=full,
                     curves=curves, max_concurrency=max_concurrency, max_nfev=max_nfev, exclude=exclude, gains=gains)
    try:
        if workers > 1:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = pool.map(_held_out_one, keys, chunksize=1)
        else:
            results = [_held_out_one(key) for key in keys]
    finally:
        _HELD_OUT.clear()
    out = {key: r for key, (r, _, _, _) in zip(keys, results)}
    fronts = {key: f for key, (_, f, _, _) in zip(keys, results) if f is not None}
    defaults = {key: d for key, (_, _, d, _) in zip(keys, results) if d is not None}
    return HeldOut(out, fronts, defaults, thetas={key: t for key, (*_, t) in zip(keys, results) if t is not None})


_HELD_OUT: dict[str, Any] = {}  # the inputs of leave_one_curve_out, for its worker processes


def _held_out_one(key):
    s = _HELD_OUT
    held = [r for r in s["rows"] if _key(r) == key]
    rest = [r for r in s["rows"] if _key(r) != key]
    family = family_of(catalog.accelerator(key[0]))
    others = [c for k, c in s["curves"].items() if k != key]
    with _gains_from(s["gains"], rest):
        refit = fit(rest, s["llm"], s["scale_out"], s["draft"], s["acceptance"], start=s["full"].thetas,
                    max_nfev=s["max_nfev"], curves=others, max_concurrency=s["max_concurrency"], families=[family],
                    exclude=s["exclude"], tolerance=REFIT_TOLERANCE)
        errors = row_errors(s["llm"], row_arrays(held, key[1], s["draft"], s["scale_out"]), refit.thetas,
                            s["acceptance"])
        front = default = None
        if key in s["curves"] and family in refit.thetas:
            front, default = (frontier_ratios(s["curves"][key], s["llm"], refit.thetas[family], s["draft"],
                                              s["acceptance"], s["max_concurrency"], as_run) for as_run in (True, False))
        figures = (refit.thetas[family], MTP_GAIN.get(family, 1.0)) if family in refit.thetas else None
    return errors, front, default, figures


@contextlib.contextmanager
def _gains_from(gains, rows):
    """``MTP_GAIN`` measured on ``rows`` by ``gains`` (rows -> family -> gain) while the block runs, then as it was
    (``gains`` None: as it stands)."""
    saved = dict(MTP_GAIN)
    now = saved if gains is None else gains(rows)
    MTP_GAIN.clear()
    MTP_GAIN.update(now)
    try:
        yield
    finally:
        MTP_GAIN.clear()
        MTP_GAIN.update(saved)


# A family left without a measured system borrows the figures of its vendor's other generation (leave_one_system_out)
TRANSFER = {"nvidia-hopper": "nvidia-blackwell", "nvidia-blackwell": "nvidia-hopper", "amd-cdna3": "amd-cdna4",
            "amd-cdna4": "amd-cdna3"}


def leave_one_system_out(rows: Sequence, llm, scale_out, draft_tokens: float, acceptance: float, full: Fit,
                         curves: Mapping, max_concurrency: float = 1024.0, max_nfev: int = 40,
                         exclude: frozenset = frozenset(), gains=None) -> dict[str, tuple[np.ndarray, str, np.ndarray]]:
    """The error on hardware the fit never saw: for each measured system, refit its family without its rows and
    curves (from the full fit) and predict its curves as the model's frontier. A system alone in its family takes the
    figures of the family ``TRANSFER`` names (and its own ``HELD``). Returns system -> (model / measured at each
    envelope point under the benchmark's concurrency, NaN beyond reach; the family whose figures answered, "" for its
    own refitted; the same at the default concurrency, as answers run). ``gains``: as :func:`leave_one_curve_out`,
    measured without the system's rows."""
    rows = tuple(r for r in rows if usable(r))
    out = {}
    for system in sorted({r.system for r in rows}):
        family = family_of(catalog.accelerator(system))
        rest = [r for r in rows if r.system != system]
        with _gains_from(gains, rest):
            out[system] = _system_out(system, family, rest, llm, scale_out, draft_tokens, acceptance, full, curves,
                                      max_concurrency, max_nfev, exclude)
    return out


def _system_out(system, family, rest, llm, scale_out, draft_tokens, acceptance, full, curves, max_concurrency,
                max_nfev, exclude):
    """One system of :func:`leave_one_system_out`: its family refitted on ``rest`` (or borrowed), its curves."""
    mine = [c for k, c in curves.items() if k[0] == system]
    if any(family_of(catalog.accelerator(r.system)) == family for r in rest):
        refit = fit(rest, llm, scale_out, draft_tokens, acceptance, start=full.thetas, max_nfev=max_nfev,
                    tolerance=REFIT_TOLERANCE,
                    curves=[c for k, c in curves.items() if k[0] != system], max_concurrency=max_concurrency,
                    families=[family], exclude=exclude)
        theta, borrowed = refit.thetas[family], ""
    else:
        borrowed = TRANSFER[family]
        theta = tuple(HELD.get(family, {}).get(n, v) for n, v in zip(PARAMETERS, full.thetas[borrowed]))
    run, default = (np.concatenate([frontier_ratios(c, llm, theta, draft_tokens, acceptance, max_concurrency,
                                                    as_run) for c in mine] or [np.array([])]) for as_run in (True, False))
    return run, borrowed, default


def curve_key(curve) -> tuple:
    """A measured curve's key in the form ``leave_one_curve_out`` uses."""
    return (curve.system, curve.precision, curve.isl, curve.osl, curve.serving, curve.spec_decode)


def _key(row):
    return (row.system, row.precision, row.isl, row.osl, row.serving, row.spec_decode)


def data_hash(text: str) -> str:
    """SHA-256 (first 16 hex digits) of the measured data a calibration used."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def interpolation_ratios(curves) -> np.ndarray:
    """Interpolated / measured throughput [1] at each interior point of each measured curve, the point left
    out and interpolated from its neighbours (log-log): the error of ``--source auto`` between measured points."""
    out = []
    for curve in curves:
        x, y = np.asarray(curve.interactivity, float), np.asarray(curve.total_tokens_per_second, float)
        for i in range(1, len(x) - 1):
            keep = np.arange(len(x)) != i
            out.append(float(interpolate_log(x[keep], y[keep], x[i]) / y[i]))
    return np.array(out)
