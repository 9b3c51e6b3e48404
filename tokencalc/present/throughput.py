"""Throughput tables: each serving choice's frontier at round interactivity levels, the measured
curves, the target, and measured points."""

from __future__ import annotations

import numpy as np
from rich.console import Group
from rich.markup import escape
from rich.text import Text

from .format import human
from .tables import Split, table
from .wrap import Unbroken

__all__ = ["frontier_renderable", "measured_renderable", "LEVELS"]

LEVELS = (5, 10, 20, 30, 50, 75, 90, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000)


def _levels(front) -> list[float]:
    """Round interactivity levels inside the frontier, and its ends; a level that prints as an end does is left out
    (29.8 measured and 30 both print "30")."""
    ends = (front.min_interactivity, front.max_interactivity)
    shown = {interactivity_text(x) for x in ends}
    inner = [x for x in LEVELS if ends[0] < x < ends[1] and interactivity_text(x) not in shown]
    return [ends[0]] + inner + [ends[1]]


def interactivity_text(x: float) -> str:
    """Tokens/s per user as tables and headlines print them: whole from 10 up, two figures below (4.9, not 5)."""
    return f"{x:,.0f}" if x >= 10 else f"{x:.2g}"


def _frontier_table(front, per_mw):
    kind = "model" if front.source == "model" else "measured"
    title = escape(f"{front.serving}, spec-decode {front.spec_decode}: {kind}")
    columns = ["output\ntok/s", "total\ntok/s", "total tok/s\nper IT MW"]
    if front.source == "model":
        columns += ["batch per\nreplica", "replica\n(DP attn.)", "TTFT\ns"]
    levels = _levels(front)
    totals, outputs = front.total_at(levels), front.output_at(levels)
    rows = []
    for x, o, t in zip(levels, outputs, totals):
        row = [f"{o:,.0f}", f"{t:,.0f}", "—" if per_mw is None else human(t * per_mw)]
        if front.source == "model":
            i = front.nearest(x)
            row += [f"{front.batch[i]:,.0f}", f"{front.gpus[i]:g}{' DP' if front.data_parallel_attention[i] else ''}",
                    f"{front.ttft[i]:.2g}"]
        rows.append((interactivity_text(x), row))
    return _labelled(title, "tok/s\nper user", columns, rows, pad_edge=False)


def _target(study) -> Text:
    w, t = study.workload, study.target
    if w["batch"].m_as("") > 0:
        served = f"{t.interactivity.m_as('token/s'):.3g}"
        where = f"batch {w['batch'].m_as(''):g} per accelerator ({served} tok/s per user): "
    else:
        where = f"{t.interactivity.m_as('token/s'):.3g} tok/s per user: "  # 3 figures: 93.5 as typed, 5.01
    rate = (lambda x: f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}")  # noqa: E731  12.5 + 12.5 = 24.9, not 12 + 12 = 25
    return Text.assemble(
        ("At ", "bold"), (where, "bold"),
        (f"{rate(t.output_tokens_per_second.m_as('token/s'))} output + "
         f"{rate(t.input_tokens_per_second.m_as('token/s'))} input = "
         f"{rate(t.total_tokens_per_second.m_as('token/s'))} tokens/s per accelerator", "bold green"),
        f" ({t.source}; {t.serving}, spec-decode {t.spec_decode})")


def frontier_renderable(study):
    w = study.workload
    head = Text.assemble(
        ("Throughput: ", "bold"), (f"{study.model.name} [{study.model.id}]", "bold cyan"), " on ",
        (f"{study.system.name} [{study.system.id}]", "bold cyan"),
        f"\n{w['precision']}, {int(w['isl'].m_as('token')):,} input / {int(w['osl'].m_as('token')):,} output tokens "
        f"per request, at most {w['max_concurrency'].m_as(''):,.0f} requests in flight per engine (a replica, or "
        f"each attention rank with data-parallel attention); source "
        f"{w['throughput_source']}, serving {w['serving']}, spec-decode {w['spec_decode']}",
    )
    parts = [Unbroken(head), Unbroken(_target(study)),
             Unbroken(Text(f"Where it came from: {study.target.description}.", style="dim"))]
    per_mw = study.per_it_megawatt
    for c in study.choices:
        parts.append(_frontier_table(c.model, per_mw))
        if c.measured is not None:
            parts.append(_frontier_table(c.measured, per_mw))
            parts.append(Text(f"Measured: {c.measured.note}.", style="dim"))
    if study.measured:
        parts.append(_workload_points(study.measured))
    notes = {c.model.note for c in study.choices if c.model.note}
    parts += [Text(f"Note: {note}.", style="dim") for note in sorted(notes)]
    parts.append(Text("TTFT: the model's prefill of one prompt (aggregated: the whole pass it shares), one decode "
                      "step and a server's latency measured on DeepSeek-R1 runs with little queueing "
                      "(docs/validation.md), without queueing; loaded servers wait longer, disaggregated ones for "
                      "seconds where the prefill pool saturates.", style="dim"))
    return Group(*parts)


def _workload_points(comparisons):
    """The measured points of the study's workload: interactivity labels every part, the other columns spread
    over as many tables as the width needs."""
    columns = ("conc.", "GPUs", "measured output tok/s", "model", "model error", "at run's config.", "stack", "source")
    rows = []
    for c in comparisons:
        p = c.point
        rows.append(("offline max" if p.interactivity is None else f"{p.interactivity:g}",
                     ["—" if p.max_concurrency is None else f"{p.max_concurrency:,}",
                      "—" if p.replica is None else f"{p.replica:g}", f"{p.output:,.0f}", *_model_cells(c),
                      p.stack, p.source]))
    return _labelled("Measured points of this workload", "interactivity", columns, rows, left=("stack", "source"),
                     wrap=("stack",))


def _labelled(title: str, label: str, columns, rows, left=(), wrap=(), **options):
    """A table whose first column (``label``, right-justified) labels every part, the other ``columns`` spread over
    as many tables as the width needs (Split); ``rows`` are (label, cells). Columns are right-justified and whole
    but those in ``left`` (left-justified) and ``wrap`` (may wrap)."""
    def build(shown):
        out = table(title, **options)
        out.add_column(label, justify="right", no_wrap=True)
        for i in shown:
            out.add_column(columns[i], justify="left" if columns[i] in left else "right", no_wrap=columns[i] not in wrap)
        for name, cells in rows:
            out.add_row(name, *[cells[i] for i in shown])
        return out

    return Split(build, range(len(columns)))


def _model_cells(c) -> list[str]:
    """A measured point's model columns: the model's output tok/s and its error (dashes beyond the model's reach),
    and the error at the run's own configuration (a dash where the point does not give it)."""
    reached = np.isfinite(c.model_output_tokens_per_second)
    return [f"{c.model_output_tokens_per_second:,.0f}" if reached else "—", _error(c.error),
            "—" if c.configuration_error is None else _error(c.configuration_error)]


def _error(x: float) -> str:
    """Model / measured - 1 as a signed whole percentage; a dash beyond the model's reach (NaN)."""
    return f"{round(100 * x) or 0:+d} %" if np.isfinite(x) else "—"  # -0.4 % prints +0 %, not -0 %


def measured_renderable(listing):
    cells = []
    for n, c in enumerate(listing.comparisons, start=1):
        p = c.point
        cells.append((str(n), p.system, p.model, p.precision, f"{p.isl}/{p.osl}",
                      "—" if p.max_concurrency is None else f"{p.max_concurrency:,}",
                      "offline max" if p.interactivity is None else f"{p.interactivity:g}", f"{p.output:,.0f}",
                      *_model_cells(c), p.source))
    columns = ("model", "prec.", "isl/osl", "conc.", "interactivity", "output tok/s/acc.", "model tok/s", "error",
               "at run's config.", "source")

    def build(shown):  # number and system label every part; the others spread over as many tables as needed
        out = table("Measured throughput points, and the serving model's error")
        out.add_column("#", justify="right", no_wrap=True)
        out.add_column("system", no_wrap=True)
        for i in shown:
            out.add_column(columns[i], justify="right" if columns[i] in ("conc.", "output tok/s/acc.", "model tok/s",
                                                                         "error", "at run's config.") else "left",
                           no_wrap=columns[i] in ("model", "isl/osl", "source"))
        for row in cells:
            out.add_row(row[0], row[1], *[row[2 + i] for i in shown])
        return out

    return Group(Split(build, range(len(columns))),
                 Text("These are the out-of-sample checks. conc.: the benchmark's cap on requests per server. error: "
                      "the model's frontier under that cap at the measured interactivity. \"at run's config.\": the "
                      "model at the run's own replica and requests, where the source gives them (a results page's values: "
                      "assumed; their stack says so). The InferenceX "
                      "DeepSeek-R1 curves are measured too: tokencalc throughput --gpu ID --model deepseek-r1 --source "
                      "measured answers from them, and docs/validation.md lists their errors.", style="dim"))
