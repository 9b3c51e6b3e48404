"""Throughput tables: the frontier at round interactivity levels, the target, measured points."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from .format import human
from .tables import table

__all__ = ["frontier_renderable", "measured_renderable", "LEVELS"]

LEVELS = (5, 10, 20, 30, 50, 75, 90, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000)


def _frontier_rows(study):
    """Frontier points at round interactivity levels (and the frontier's ends)."""
    front = study.frontier
    levels = [x for x in LEVELS if front.interactivity[0] < x < front.max_interactivity]
    levels = [float(front.interactivity[0])] + levels + [front.max_interactivity]
    out = front.output_at(levels)
    total = out * (front.isl + front.osl) / front.osl
    return levels, out, total, front.batch_at(levels)


def _target(study) -> Text:
    front, w, t = study.frontier, study.workload, study.target
    if t is None:
        return Text(f"{w['interactivity'].m_as('token/s'):g} tok/s per user is beyond this frontier "
                    f"(max {front.max_interactivity:,.0f}).", style="yellow")
    if w["batch"].m_as("") > 0:
        where = (f"batch {w['batch'].m_as(''):g} per accelerator "
                 f"({t.description.split('-> ')[-1].split(' on ')[0]}): ")
    else:
        where = f"{w['interactivity'].m_as('token/s'):g} tok/s per user: "
    return Text.assemble(
        ("At ", "bold"), (where, "bold"),
        (f"{t.output_tokens_per_second.m_as('token/s'):,.0f} output + "
         f"{t.input_tokens_per_second.m_as('token/s'):,.0f} input = "
         f"{t.total_tokens_per_second.m_as('token/s'):,.0f} tokens/s per accelerator", "bold green"))


def frontier_renderable(study):
    front, w = study.frontier, study.workload
    head = Text.assemble(
        ("Throughput: ", "bold"), (f"{study.model.name} [{study.model.id}]", "bold cyan"), " on ",
        (f"{study.system.name} [{study.system.id}]", "bold cyan"),
        f"\n{w['precision']}, {front.isl:,} input / {front.osl:,} output tokens per request, at most "
        f"{w['max_concurrency'].m_as(''):,.0f} requests in flight per accelerator; source: {front.source}",
    )
    points = table("Frontier (per accelerator)")
    for column in ("interactivity\ntok/s/user", "output\ntok/s", "total\ntok/s", "total tok/s\nper IT MW",
                   "batch per\nreplica"):
        points.add_column(column, justify="right")
    per_mw = study.per_it_megawatt
    for x, o, t, b in zip(*_frontier_rows(study)):
        points.add_row(f"{x:,.0f}", f"{o:,.0f}", f"{t:,.0f}", "—" if per_mw is None else human(t * per_mw),
                       f"{b:,.0f}")
    parts = [head, points, _target(study)]
    if study.measured:
        m = table("Measured points of this workload")
        for column in ("interactivity", "measured output tok/s", "model", "model error", "stack", "source"):
            m.add_column(column, justify="left" if column in ("stack", "source") else "right")
        for c in study.measured:
            p = c.point
            m.add_row("offline max" if p.interactivity is None else f"{p.interactivity:g}", f"{p.output:,.0f}",
                      f"{c.model_output_tokens_per_second:,.0f}", f"{100 * c.error:+.0f} %", p.stack, p.source)
        parts.append(m)
    if front.note:
        parts.append(Text(f"Note: {front.note}.", style="dim"))
    return Group(*parts)


def measured_renderable(listing):
    out = table("Measured throughput points, and the roofline model's error")
    for column in ("system", "model", "prec.", "isl/osl", "interactivity", "output tok/s/acc.", "model",
                   "error", "source"):
        out.add_column(column, justify="right" if column in ("output tok/s/acc.", "model", "error") else "left")
    for c in listing.comparisons:
        p = c.point
        out.add_row(p.system, p.model, p.precision, f"{p.isl}/{p.osl}",
                    "offline max" if p.interactivity is None else f"{p.interactivity:g}", f"{p.output:,.0f}",
                    f"{c.model_output_tokens_per_second:,.0f}", f"{100 * c.error:+.0f} %", p.source)
    return out
