"""Fit the serving model's efficiency figures on the measured InferenceX data, and write them.

    python scripts/gen_calibration.py            # fit, leave-one-curve-out, write tokencalc/catalog/efficiency.toml
    python scripts/gen_calibration.py --check    # exit 1 if efficiency.toml is not what the data give
    python scripts/gen_calibration.py --fast     # fit only (no leave-one-curve-out), print, write nothing
    python scripts/gen_calibration.py --fast --check   # the tests: nothing fits better than the file's figures

Each family of serving stacks (nvidia-blackwell, nvidia-hopper, amd-cdna4, amd-cdna3; a family takes the
figures its runs cannot fix from the one it inherits from) gets the least-squares fit of ln(model /
measured) over the rows of the measured curves' envelopes (the best each system reached), each at its own
configuration, and over the measured envelopes as the model's frontier (the model choosing its own
configuration, as `--source model` answers, under the benchmark's concurrency; tokencalc.studies.calibration).
The out-of-sample error is leave-one-curve-out, of both, and of the frontier at the default concurrency too.
The file records the date, the SHA-256 of the data and the errors; the model's throughput range in
sensitivity and Monte Carlo comes from them. The left-out curves are refitted in parallel, one process per
core: the whole run takes about 70 s on 2 cores (2026-11-29; it prints its time), the fast fit about 30 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tomllib
from importlib import resources
from pathlib import Path

import attrs
import numpy as np

from tokencalc import catalog
from tokencalc.catalog import benchmark_rows
from tokencalc.studies.measured import measured_curves
from tokencalc.studies import calibration as cal
from tokencalc.studies import first_token as ft
from tokencalc.studies import picks
from tokencalc.studies.mtp_gain import family_gains

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "tokencalc" / "catalog" / "efficiency.toml"
DATA = "inferencex-dsr1.csv"
DATE = "2026-11-29"  # the date of the fit; the data hash says which data it used


def _rows():
    return tuple(r for c in measured_curves().values() for r in c.rows)


def _scale_out() -> dict[str, float]:
    return {s.id: s.figure("scale_out_bandwidth").value.m_as("B/s") for s in catalog.accelerators().values()
            if s.figure("scale_out_bandwidth") is not None}


def measured_gains(rows, llm, scale_out, thetas, draft: float, acceptance: float) -> dict[str, float]:
    """Each family's MTP gain (:func:`tokencalc.studies.mtp_gain.family_gains`), its pairs kept for render."""
    gains, measured = family_gains(rows, llm, scale_out, thetas, draft, acceptance)
    MTP_MEASURED.clear()
    MTP_MEASURED.update(measured)
    return gains


MTP_MEASURED: dict = {}  # the last measured_gains' pairs per family, for render


def compute(loco: bool = True, start=None, max_nfev: int = 200, gains=None):
    """The fit, its out-of-sample errors (``loco``), the drafted tokens and the acceptance. ``gains`` (family ->
    MTP gain, as recorded) with ``start`` (family -> figures): one fit from them, as the fast check runs it; else
    the gains are measured and the fit starts afresh."""
    defaults = catalog.defaults()
    draft = float(defaults["mtp_draft_tokens"].value.m_as(""))
    acceptance = float(defaults["mtp_acceptance"].value.m_as(""))
    rows, llm, scale_out = _rows(), catalog.llm("deepseek-r1"), _scale_out()
    curves = {cal.curve_key(c): c for c in measured_curves().values()}
    concurrency = float(defaults["max_concurrency"].value.m_as(""))
    exclude = cal.dominated(rows, benchmark_rows())
    # MTP's realized gain per family, measured from runs with and without MTP at one configuration on the step
    # times of a fit without it (g = 1), then held while the figures are fitted
    cal.MTP_GAIN.clear()
    if gains is not None:  # the fast check: the recorded gains, from the recorded figures
        cal.MTP_GAIN.update(gains)
        full = cal.fit(rows, llm, scale_out, draft, acceptance, start=start, max_nfev=max_nfev,
                       curves=list(curves.values()), max_concurrency=concurrency, exclude=exclude)
    else:  # measured on a fit with g = 1, then held: from that fit and from the usual start, the lower
        first = cal.fit(rows, llm, scale_out, draft, acceptance, curves=list(curves.values()),
                        max_concurrency=concurrency, passes=4, exclude=exclude)
        cal.MTP_GAIN.update(measured_gains(rows, llm, scale_out, first.thetas, draft, acceptance))
        fits = [cal.fit(rows, llm, scale_out, draft, acceptance, start=begin, max_nfev=max_nfev,
                        curves=list(curves.values()), max_concurrency=concurrency, passes=passes, exclude=exclude)
                for begin, passes in ((first.thetas, 1), (None, 4))]
        full = min(fits, key=lambda f: sum(c[1] for c in f.costs.values()))  # a tie keeps the first
    # held out, the gains are measured again without the left-out rows (on the same step times as above)
    again = None if gains is not None else (
        lambda rest: family_gains(rest, llm, scale_out, first.thetas, draft, acceptance)[0])
    held = (cal.leave_one_curve_out(rows, llm, scale_out, draft, acceptance, full, curves, concurrency,
                                    workers=os.cpu_count() or 1, exclude=exclude, gains=again) if loco
            else cal.HeldOut({}, {}))
    if loco:  # and the hardware the fit never saw: each measured system left out of its family's fit
        held = attrs.evolve(held, systems=cal.leave_one_system_out(rows, llm, scale_out, draft, acceptance, full,
                                                                   curves, concurrency, exclude=exclude, gains=again))
    return full, held, draft, acceptance


def render(full, held, draft: float, acceptance: float) -> str:
    text = resources.files("tokencalc.catalog").joinpath(DATA).read_text(encoding="utf-8")
    out_of_sample = np.concatenate(list(held.rows.values())) if held.rows else full.errors
    ratio = np.exp(out_of_sample)  # model / measured
    abs_err = np.abs(ratio - 1)
    interp = cal.interpolation_ratios(measured_curves().values())
    lines = [
        "# Efficiency figures of the serving model (tokencalc/model/serving.py), by family of serving stacks.",
        "# GENERATED by scripts/gen_calibration.py: least squares of ln(model / measured) over the rows on the",
        "# measured curves' envelopes (tokencalc/catalog/inferencex-dsr1.csv); do not edit by hand.",
        "# memory, gemm, attention, prefill: achieved / peak shares; gemm_half_rows: GEMM rows at half of gemm;",
        "# layer_overhead_us: fixed time per layer and decode step; collective_latency_us: per all-reduce and",
        "# alltoall_latency_us: per expert dispatch or combine, inside the scale-up domain; scale_out_latency_us:",
        "# per collective across it; fp8_block_kernels: the shares GEMMs over block-scaled FP8 weights reach,",
        "# relative to the others'; expert_skew: the coefficient of variation of the routed experts' loads.",
        "# Held, not fitted: " + ", ".join(f"{k} = {v:g}" for k, v in cal.FIXED.items()) +
        " (tokencalc/studies/calibration_ranges.py says why).",
        "",
        "[calibration]",
        f'data = "{DATA}"',
        f'data_sha256 = "{cal.data_hash(text)}"',
        f"rows = {len(full.rows)}",
        f"curves = {len({cal._key(r) for r in full.rows})}",
        f"mtp_draft_tokens = {draft:g}",
        f"mtp_acceptance = {acceptance:g}",
        f"network = {cal.NETWORK:g}",
        f"in_sample_median = {float(np.median(np.abs(np.expm1(full.errors)))):.4f}",
        f"loco_median = {float(np.median(abs_err)):.4f}",
        f"loco_signed_median = {float(np.median(ratio - 1)):.4f}",
        f"loco_p90 = {float(np.percentile(abs_err, 90)):.4f}",
        f"loco_ratio_p10 = {float(np.percentile(ratio, 10)):.4f}",
        f"loco_ratio_p90 = {float(np.percentile(ratio, 90)):.4f}",
        *_frontier_summary(held.frontier),
        *_frontier_summary(held.frontier_default, "default_concurrency"),
        *_dominated_summary(held.frontier),
        *_far_summary(held),
        f"interp_median = {float(np.median(np.abs(interp - 1))):.4f}",
        f"interp_ratio_p10 = {float(np.percentile(interp, 10)):.4f}",
        f"interp_ratio_p90 = {float(np.percentile(interp, 90)):.4f}",
        'source = "inferencex-dsr1"',
        f'date = "{DATE}"',
        'note = "loco: leave one measured curve out, refit, predict its rows; ratio = model / measured throughput at the measured interactivity and configuration; interp: one interior point of each measured curve left out and interpolated from its neighbours, ratio = interpolated / measured"',
    ]
    lines += _first_token_tables(full, draft, acceptance)
    lines += _loco_tables(held) if held.rows else []
    lines += _pick_table(held, draft, acceptance) if held.thetas else []
    lines += _loso_tables(held.systems) if held.systems else []
    for family in sorted(full.thetas):
        count = int(sum(catalog.accelerator(r.system).serving_family == family for r in full.rows))
        lines += ["", f"[{family}]"]
        lines += [f"{name} = {value:.6g}" for name, value in full.efficiency(family).items()]
        lines += [f"mtp_gain = {cal.MTP_GAIN.get(family, 1.0):.4g}"]
        if family in MTP_MEASURED:
            m = MTP_MEASURED[family]
            stacks = "; ".join(f"{k} {v:.2f}" for k, v in m["stacks"].items())
            lines += [f"mtp_pairs = {m['pairs']}", f"mtp_implied_acceptance = {m['acceptance']:.4f}",
                      f'mtp_stacks = "{stacks}"']
        lines += [f"rows = {count}", 'source = "inferencex-dsr1"', f'date = "{DATE}"', "estimate = true"]
    return "\n".join(lines) + "\n"


def first_token_fits(full, draft: float, acceptance: float) -> dict:
    """Per serving mode: the measured runs' TTFT against the model's GPU time (tokencalc.studies.first_token), the
    serving latency fitted on the queue-free ones and its leave-one-curve-out errors."""
    rows = _rows()
    runs = ft.first_token_runs(rows, catalog.llm("deepseek-r1"), full.thetas, draft, acceptance,
                               cal.dominated(rows, benchmark_rows()), gains=cal.MTP_GAIN)
    out = {}
    for mode in ("aggregated", "disaggregated"):
        free = (runs.serving == mode) & (runs.load <= ft.QUEUE_FREE)
        loaded = (runs.serving == mode) & (runs.load > ft.QUEUE_FREE)
        out[mode] = {"runs": runs, "free": free, "loaded": loaded,
                     "fit": ft.fit_latency(runs.gpu[free], runs.isl[free], runs.measured[free]),
                     "loco": ft.leave_one_curve_out(runs, mode)}
    return out


def _first_token_tables(full, draft: float, acceptance: float) -> list[str]:
    """[first_token.<serving>]: the server's latency beyond the model's prefill and first step, fitted on runs with at
    most QUEUE_FREE requests per decode accelerator, its leave-one-curve-out error by input length, and the loaded
    runs' medians (their queueing the model leaves out)."""
    lines = []  # from the figures as the file writes them (6 digits), so the fast check finds the same block
    written = attrs.evolve(full, thetas={k: tuple(float(f"{v:.6g}") for v in t) for k, t in full.thetas.items()})
    for mode, f in first_token_fits(written, draft, acceptance).items():
        runs, free, loaded, loco = f["runs"], f["free"], f["loaded"], f["loco"]
        isl = runs.isl[free]
        by_isl = ", ".join(
            f'"{n:.0f}" = {{ runs = {int(np.sum(isl == n))}, measured_median_ms = '
            f'{1e3 * float(np.median(runs.measured[free][isl == n])):.0f}, gpu_only_median = '
            f'{float(np.median(np.abs(runs.gpu[free][isl == n] / runs.measured[free][isl == n] - 1))):.4f}, '
            f'loco_median = {float(np.median(np.abs(loco[isl == n]))):.4f} }}' for n in sorted(set(isl)))
        lines += ["", f"[first_token.{mode}]",
                  f"fixed_ms = {1e3 * f['fit'][0]:.4g}", f"per_input_token_us = {1e6 * f['fit'][1]:.4g}",
                  f"queue_free_requests_per_gpu = {ft.QUEUE_FREE:g}", f"runs = {int(np.sum(free))}",
                  f"skipped_runs = {runs.skipped.get(mode, 0)}",
                  f"loco_median = {float(np.median(np.abs(loco))):.4f}",
                  f"loco_p90 = {float(np.percentile(np.abs(loco), 90)):.4f}",
                  f"loco_signed_median = {float(np.median(loco)):.4f}",
                  f"gpu_only_median = {float(np.median(np.abs(runs.gpu[free] / runs.measured[free] - 1))):.4f}",
                  f"gpu_only_ratio_median = {float(np.median(runs.gpu[free] / runs.measured[free])):.4f}",
                  f"by_isl = {{ {by_isl} }}",
                  f"loaded_runs = {int(np.sum(loaded))}",
                  f"loaded_measured_median_ms = {1e3 * float(np.median(runs.measured[loaded])):.0f}",
                  f"loaded_model_median_ms = "
                  f"{1e3 * float(np.median(runs.gpu[loaded] + f['fit'][0] + f['fit'][1] * runs.isl[loaded])):.0f}",
                  'source = "inferencex-dsr1"', f'date = "{DATE}"', "estimate = true",
                  'note = "TTFT = model prefill and first step + fixed_ms + per_input_token_us x isl; fitted on runs '
                  'with at most queue_free_requests_per_gpu requests per decode GPU (soft-L1 in log space); loco: '
                  'leave one measured curve out; gpu_only: the model without this latency; loaded: the other runs, '
                  'whose TTFT holds queueing the model leaves out"']
    return lines


REGIMES = {"system": 0, "precision": 1, "workload": (2, 3), "serving": 4, "spec_decode": 5}


def _stats(errors, log: bool = True) -> str:
    """Median and 90th percentile of |ratio - 1| (``errors``: ln ratios, or ratios with NaN where unreached)."""
    values = np.asarray(errors, dtype=float)
    ratio = np.exp(values) if log else values
    reached = ratio[np.isfinite(ratio)]
    err = np.abs(reached - 1) if reached.size else np.array([np.nan])
    unreached = "" if log else f", unreached = {int(np.sum(~np.isfinite(ratio)))}"
    return (f"{{ median = {float(np.median(err)):.4f}, p90 = {float(np.percentile(err, 90)):.4f}, "
            f"rows = {len(values)}{unreached} }}")


def _dominated_summary(frontier) -> list[str]:
    """The frontier's figures without the envelope points of runs the fit leaves out (``cal.dominated``): slower
    than the same configuration on hardware they match or beat, the stack's doing, not the hardware's."""
    if not frontier:
        return []
    curves = {cal.curve_key(c): c for c in measured_curves().values()}
    every = benchmark_rows()
    slow = cal.dominated(every, every)
    kept = {k: v[np.array([r not in slow for r in curves[k].rows], dtype=bool)] for k, v in frontier.items()}
    points = sum(len(v) for v in frontier.values()) - sum(len(v) for v in kept.values())
    systems = sorted({f"{r.system} {r.framework} {r.serving} {r.date}" for r in slow})
    return [f"dominated_points = {points}", f"dominated_runs = {len(slow)}",
            f'dominated_stacks = "{"; ".join(systems)}"', *_frontier_summary(kept, "frontier_undominated")]


def _far_summary(held, far: float = 0.5) -> list[str]:
    """Where the frontier's points more than ``far`` off (|frontier / measured - 1|) come from, each once: a run the
    fit leaves out (``cal.dominated``); a run of no known configuration; the model at the run's own configuration
    within ``far`` of it (the frontier picked a configuration other than the run's); or off by more there too
    (the model's physics at that configuration). ``far_allowed``: how many may be that far off for the frontier's
    90th percentile to be ``far`` or less (a tenth of the points the model reaches)."""
    if not held.frontier or not held.rows:
        return []
    curves = {cal.curve_key(c): c for c in measured_curves().values()}
    every = benchmark_rows()
    slow = cal.dominated(every, every)
    counts = {"dominated": 0, "unconfigured": 0, "choice": 0, "physics": 0}
    reached = 0
    for key, ratios in held.frontier.items():
        rows = curves[key].rows
        at_config = dict(zip(map(id, (r for r in rows if cal.usable(r))), np.expm1(held.rows.get(key, ()))))
        for row, ratio in zip(rows, ratios):
            if not np.isfinite(ratio):
                continue
            reached += 1
            if abs(ratio - 1) <= far:
                continue
            own = at_config.get(id(row))
            kind = ("dominated" if row in slow else "unconfigured" if own is None
                    else "choice" if abs(own) <= far else "physics")
            counts[kind] += 1
    return [f"far_threshold = {far:g}", f"far_points = {sum(counts.values())}", f"far_allowed = {reached // 10}",
            *(f"far_{k} = {v}" for k, v in counts.items())]


def _pick_table(held, draft: float, acceptance: float, far: float = 0.5) -> list[str]:
    """[frontier.pick]: the leave-one-curve-out frontier's |model / measured - 1| by the run's configuration and
    the one the model's frontier picks there (tokencalc.studies.picks), with the signed median, the points more
    than ``far`` off, and how many points and far points are of runs the fit leaves out (``cal.dominated``)."""
    concurrency = float(catalog.defaults()["max_concurrency"].value.m_as(""))
    groups = picks.pick_groups(held.frontier, held.thetas, measured_curves().values(), catalog.llm("deepseek-r1"),
                               draft, acceptance, concurrency)
    every = benchmark_rows()
    slow = cal.dominated(every, every)
    lines = ["", "[frontier.pick]"]
    for (run, model), (rows, ratio) in groups.items():
        err = np.abs(ratio - 1)
        left_out = sum(e > far and r in slow for r, e in zip(rows, err))
        lines.append(f'"{run} | {model}" = {{ median = {float(np.median(err)):.4f}, p90 = '
                     f"{float(np.percentile(err, 90)):.4f}, signed_median = {float(np.median(ratio - 1)):.4f}, "
                     f"rows = {len(ratio)}, far = {int(np.sum(err > far))}, dominated = {sum(r in slow for r in rows)},"
                     f" far_dominated = {left_out} }}")
    return lines


def _frontier_summary(frontier, prefix: str = "frontier") -> list[str]:
    """The model frontier's leave-one-curve-out figures: |frontier / measured - 1| where the model reaches the
    measured interactivity, the ratio's spread and how many measured points it does not reach. ``prefix``
    default_concurrency: the same at the default concurrency (what the CLI answers), not as the benchmarks ran."""
    if not frontier:
        return []
    ratio = np.concatenate(list(frontier.values()))
    reached = ratio[np.isfinite(ratio)]
    err = np.abs(reached - 1)
    key = (lambda name: f"{prefix}_{name}" if prefix else name)  # noqa: E731  no prefix: a table of its own
    return [f"{key('median')} = {float(np.median(err)):.4f}",
            f"{key('p90')} = {float(np.percentile(err, 90)):.4f}",
            f"{key('signed_median')} = {float(np.median(reached - 1)):.4f}",
            f"{key('ratio_p10')} = {float(np.percentile(reached, 10)):.4f}",
            f"{key('ratio_p90')} = {float(np.percentile(reached, 90)):.4f}",
            f"{key('points')} = {len(ratio)}",
            f"{key('unreached')} = {int(np.sum(~np.isfinite(ratio)))}"]


def _grouped(data, index) -> list[tuple[str, list]]:
    """Errors per curve key (``data``) pooled by the regime at ``index`` of the key (a pair: 'isl/osl')."""
    groups: dict[str, list] = {}
    for key, errors in data.items():
        label = f"{key[index[0]]}/{key[index[1]]}" if isinstance(index, tuple) else str(key[index])
        groups.setdefault(label, []).extend(np.asarray(errors).tolist())
    return sorted(groups.items())


def _loco_tables(held) -> list[str]:
    """Leave-one-curve-out |model / measured - 1| by regime and by curve, for docs/validation.md: ``loco`` at
    each row's own configuration, ``frontier`` as the model's frontier against the measured envelope; and
    ``default_concurrency`` by system, the frontier at the default concurrency that a model answer quotes."""
    lines = []
    for table, data, log in (("loco", held.rows, True), ("frontier", held.frontier, False)):
        for regime, index in REGIMES.items():
            lines += ["", f"[{table}.{regime}]"] + [f'"{k}" = {_stats(v, log)}' for k, v in _grouped(data, index)]
        lines += ["", f"[{table}.curve]"]
        lines += [f'"{" ".join(map(str, key))}" = {_stats(errors, log)}' for key, errors in sorted(data.items())]
    if held.frontier_default:
        lines += ["", "[default_concurrency.system]"]
        lines += [f'"{k}" = {_stats(v, False)}' for k, v in _grouped(held.frontier_default, REGIMES["system"])]
    return lines


def _loso_tables(systems) -> list[str]:
    """Leave one system out: |frontier / measured - 1| over the systems whose family kept another measured system
    (the error on an unmeasured system of a measured family), under the benchmark's concurrency and (``default_``)
    at the default concurrency, as answers run; ``carried_``: over the systems alone in their family, answered by
    their vendor's other generation's figures; and per system, with the family that answered (``borrowed``)."""
    lines = ["", "[loso]"]
    for prefix, carried, index in (("", False, 0), ("default", False, 2), ("carried", True, 0),
                                   ("carried_default", True, 2)):
        lines += _frontier_summary({s: v[index] for s, v in systems.items() if bool(v[1]) == carried}, prefix)
    lines += [f"systems = {sum(not v[1] for v in systems.values())}",
              'note = "leave one system out: its family refitted without any of its curves, its curves predicted as '
              'the model frontier, under the benchmark concurrency (default_: at the default concurrency); over the '
              'systems whose family kept another measured system; carried_: the systems alone in their family, on '
              'the figures of the other generation of their vendor"', "", "[loso.system]"]
    for system, (r, borrowed, default) in sorted(systems.items()):
        reached = r[np.isfinite(r)]
        lines.append(f'"{system}" = {_stats(r, False)[:-2]}, ratio_median = {float(np.median(reached)):.4f}, '
                     f'borrowed = "{borrowed}" }}')
    return lines


def _check_fast(full) -> int:
    """Exit 1 unless efficiency.toml records this data's hash and a fit started from its efficiencies finds
    nothing better (less than 1 % off the objective of any family): they are an optimum of the current data
    and model (the frontier's envelope makes the objective rough, so the figures may drift a little)."""
    recorded = catalog.read_toml("efficiency.toml")
    text = resources.files("tokencalc.catalog").joinpath(DATA).read_text(encoding="utf-8")
    problems = []
    if recorded["calibration"]["data_sha256"] != cal.data_hash(text):
        problems.append("the measured data changed since the fit")
    for family, (before, after) in full.costs.items():
        if after < 0.99 * before:
            problems.append(f"{family}: a fit from the file's figures lowers the objective {before:.4g} -> {after:.4g}")
    thetas = {f: tuple(recorded[f][name] for name in cal.PARAMETERS) for f in full.thetas}
    block = tomllib.loads("\n".join(_first_token_tables(attrs.evolve(full, thetas=thetas), full.draft_tokens,
                                                         full.acceptance)))
    if block.get("first_token") != recorded.get("first_token"):
        problems.append("[first_token.*]: the serving latency and its errors fit otherwise from the file's figures")
    if problems:
        print("tokencalc/catalog/efficiency.toml is out of date (" + "; ".join(problems[:4]) +
              "): run python scripts/gen_calibration.py", file=sys.stderr)
        return 1
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--fast", action="store_true")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.fast and args.check:  # the test suite: the file's efficiencies are still the fit's optimum
        recorded = catalog.read_toml("efficiency.toml")
        start = {f: tuple(recorded[f][name] for name in cal.PARAMETERS) for f in cal.FAMILIES if f in recorded}
        gains = {f: float(recorded[f].get("mtp_gain", 1.0)) for f in cal.FAMILIES if f in recorded}
        return _check_fast(compute(loco=False, start=start, max_nfev=4, gains=gains)[0])
    full, held, draft, acceptance = compute(loco=not args.fast)
    if args.fast:
        print(f"fit {time.perf_counter() - start:.1f} s; in-sample median |error| "
              f"{np.median(np.abs(np.expm1(full.errors))):.3f}")
        for family, theta in full.thetas.items():
            print(family, {k: round(v, 4) for k, v in full.efficiency(family).items()})
        return 0
    text = render(full, held, draft, acceptance)
    if args.check:
        if TARGET.read_text(encoding="utf-8") != text:
            print("tokencalc/catalog/efficiency.toml is out of date: run python scripts/gen_calibration.py",
                  file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)} in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
