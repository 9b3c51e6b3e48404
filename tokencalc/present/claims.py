"""The claims table and, per claim, its conditions, drivers, band and source."""

from __future__ import annotations

from rich.console import Group
from rich.markup import escape
from rich.text import Text

from .. import catalog
from .format import claim_value, display_unit, q
from .tables import table

__all__ = ["claims_renderable"]

_COLORS = {"consistent": "green", "inconsistent": "red"}


def _details(c) -> list[Text]:
    claim = c.claim
    lines = [Text.assemble((f"{claim.id}: ", "bold"), c.verdict)]
    if claim.basis != "none":
        lines.append(Text(f"  basis: {catalog.BASES[claim.basis]}"))
    if c.holding:
        lines.append(Text(f"  holds under: {'; '.join(c.holding)}"))
    for name, value in c.condition_values.items():
        shown = claim_value(value, claim.unit, claim.kind) if value == value else "not reachable (beyond the frontier)"
        lines.append(Text(f"  {name}: {shown}", style="dim"))
    if c.band is not None:
        lines.append(Text(f"  the ratio is in the claimed range from {c.band[0]:,.0f} to {c.band[1]:,.0f} "
                          "tok/s per user"))
    for d in c.drivers:
        lines.append(Text(f"  driver {d.name}: {claim_value(d.value_at_low, claim.unit, claim.kind)} at "
                          f"{q(d.low, display_unit(d.name, d.low))}, "
                          f"{claim_value(d.value_at_high, claim.unit, claim.kind)} at "
                          f"{q(d.high, display_unit(d.name, d.high))}", style="dim"))
    if claim.note:
        lines.append(Text(f"  note: {claim.note}", style="dim"))
    src = catalog.sources()[claim.source]
    lines.append(Text(f"  source: {src.title} ({src.date}) {src.url}", style="dim"))
    return lines


def claims_renderable(checks):
    out = table("Claims checked against tokencalc", pad_edge=False)
    out.add_column("claim", ratio=5, min_width=max((len(c.claim.id) for c in checks), default=5))  # ids whole
    out.add_column("claimed", justify="right", ratio=2, no_wrap=False)  # a range wraps at its " to "
    out.add_column("tokencalc", justify="right", ratio=1)
    out.add_column("verdict", ratio=2)
    details = []
    for c in checks:
        claim = c.claim
        claimed = f"{claim_value(claim.low, claim.unit, claim.kind)} to {claim_value(claim.high, claim.unit, claim.kind)}"
        claimed += " margin" if claim.kind == "margin" else ""  # a share of revenue, not of cost
        out.add_row(f"{claim.id}\n[dim]{escape(claim.statement)} ({escape(claim.who)})[/dim]", claimed,
                    claim_value(c.value, claim.unit, claim.kind), Text(c.verdict, style=_COLORS.get(c.verdict, "yellow")))
        details.extend(_details(c))
    return Group(out, *details)
