"""The claims table and, per claim, its conditions, drivers, band and source."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from .. import catalog
from .format import claim_value, display_unit, q
from .tables import Either, table
from .wrap import Unbroken

__all__ = ["claims_renderable"]

_COLORS = {"consistent": "green", "inconsistent": "red"}


def _details(c) -> list:
    """A claim's verdict line, then its conditions, drivers, note and source, each indented by two columns (a
    wrapped line keeps the indent, and a number its unit)."""
    return [line if i == 0 else Unbroken(line, indent=2) for i, line in enumerate(_detail_lines(c))]


def _detail_lines(c) -> list[Text]:
    claim = c.claim
    lines = [Text.assemble((f"{claim.id}: ", "bold"), c.verdict)]
    if claim.basis != "none":
        lines.append(Text(f"basis: {catalog.BASES[claim.basis]}"))
    if c.holding:
        lines.append(Text(f"holds under: {'; '.join(c.holding)}"))
    for name, value in c.condition_values.items():
        shown = claim_value(value, claim.unit, claim.kind) if value == value else "not reachable (beyond the frontier)"
        lines.append(Text(f"{name}: {shown}", style="dim"))
    if c.band is not None:
        lines.append(Text(f"the ratio is in the claimed range from {c.band[0]:,.0f} to {c.band[1]:,.0f} "
                          "tok/s per user"))
    for d in c.drivers:
        lines.append(Text(f"driver {d.name}: {claim_value(d.value_at_low, claim.unit, claim.kind)} at "
                          f"{q(d.low, display_unit(d.name, d.low))}, "
                          f"{claim_value(d.value_at_high, claim.unit, claim.kind)} at "
                          f"{q(d.high, display_unit(d.name, d.high))}", style="dim"))
    if claim.note:
        lines.append(Text(f"note: {claim.note}", style="dim"))
    src = catalog.sources()[claim.source]
    lines.append(Text(f"source: {src.title} ({src.date}) {src.url}", style="dim"))
    return lines


def _claimed(claim) -> str:
    """The claimed range: each bound on its own line ("50 B USD to" over "60 B USD")."""
    text = f"{claim_value(claim.low, claim.unit, claim.kind)} to\n{claim_value(claim.high, claim.unit, claim.kind)}"
    return text + (" margin" if claim.kind == "margin" else "")  # a share of revenue, not of cost


def claims_renderable(checks):
    details = []
    for c in checks:
        details.extend(_details(c))
    # narrower than the four columns need, the verdict moves under the claim (a table would drop its last column)
    return Group(Either(_claims_table(checks, True), _claims_table(checks, False)), *details)


def _claims_table(checks, verdict_column: bool):
    out = table("Claims checked against tokencalc", pad_edge=False)
    out.fold = False  # the statements keep a figure with its unit (Unbroken): no column narrows below them
    out.add_column("claim", ratio=5, min_width=max((len(c.claim.id) for c in checks), default=5))  # ids whole
    # a range's bounds stay whole: one per line, "to" after the first (a wrap inside "367 %" split its unit off)
    cells = [_claimed(c.claim) for c in checks]
    out.add_column("claimed", justify="right", ratio=2,
                   min_width=max((len(line) for cell in cells for line in cell.split("\n")), default=7))
    out.add_column("tokencalc", justify="right", ratio=1)
    if verdict_column:  # its words whole: the layout chooses the narrow table where they do not fit
        out.add_column("verdict", ratio=2, min_width=max((len(w) for c in checks for w in c.verdict.split()), default=7))
    for c, claimed in zip(checks, cells):
        claim = c.claim
        verdict = Text(c.verdict, style=_COLORS.get(c.verdict, "yellow"))
        label = [Text(claim.id), Unbroken(Text(f"{claim.statement} ({claim.who})", style="dim"))]
        if not verdict_column:
            label.append(Text.assemble("verdict: ", verdict))
        out.add_row(Group(*label), claimed, claim_value(c.value, claim.unit, claim.kind),
                    *([verdict] if verdict_column else []))
    return out
