"""claims_renderable against the claim checks: the claimed range, tokencalc's value, conditions, drivers."""

import pytest

from tokencalc import catalog
from tokencalc.parameters import PARAMETERS
from tokencalc.present.claims import claims_renderable
from tokencalc.studies import claims as study

from .expect import cells, claim_value, flat, lines_with, q, row, squeezed, text

IDS = ["gw-cost", "gw-cost-epoch", "hopper-blackwell-10-20x", "gb200-5m-75m", "h100-rental-floor",
       "china-10000-twh"]


@pytest.fixture(scope="module")
def checks():
    found = study.check_all(IDS)
    return found, text(claims_renderable(found))


def _table(out):
    """The table: everything before the first claim's detail block."""
    return out[:out.index("\n" + IDS[0] + ": ")]


def _details(out, claim_id):
    """The detail block of one claim: from 'id: verdict' to the next claim's block."""
    lines = out.splitlines()
    start = [i for i, line in enumerate(lines) if line.startswith(f"{claim_id}: ")]
    assert len(start) == 1, claim_id
    end = start[0] + 1
    while end < len(lines) and not any(lines[end].startswith(f"{other}: ") for other in IDS):
        end += 1
    return "\n".join(lines[start[0]:end])


def _claimed(table, claim_id):
    """The claimed range of a row: its low bound and "to" on the id's line, the high bound on the next line's
    claimed column (after the statement's first line)."""
    lines = table.splitlines()
    at = lines.index(lines_with(table, claim_id)[0])
    return f"{row(table, claim_id)[0]} {cells(lines[at + 1])[1]}"


def test_checks_in_the_order_asked(checks):
    found, out = checks
    assert [c.claim.id for c in found] == IDS


def test_table_row_of_each_claim(checks):
    found, out = checks
    table = _table(out)
    for c in found:
        claim = c.claim
        claimed = f"{claim_value(claim.low, claim.unit, claim.kind)} to {claim_value(claim.high, claim.unit, claim.kind)}"
        assert row(table, claim.id)[1:] == [claim_value(c.value, claim.unit, claim.kind), c.verdict], claim.id
        assert _claimed(table, claim.id) == claimed, claim.id
        assert flat(f"{claim.statement} ({claim.who})") in flat(table)


def test_table_values_written_out(checks):
    found, out = checks
    table = _table(out)
    gw = found[0]
    assert gw.claim.unit == "GUSD"
    assert _claimed(table, "gw-cost") == "50 B USD to 60 B USD"
    assert row(table, "gw-cost")[:2] == ["50 B USD to", f"{gw.value:.3g} B USD"]  # each bound on its own line
    ratio = found[2]
    assert ratio.claim.unit == "1"
    assert _claimed(table, "hopper-blackwell-10-20x") == "10x to 20x"
    assert row(table, "hopper-blackwell-10-20x")[1] == f"{ratio.value:.3g}x"  # a ratio says so


def test_verdict_matches_the_range(checks):
    found, out = checks
    for c in found:
        inside = c.claim.low <= c.value <= c.claim.high
        assert (c.verdict == "consistent") == inside, c.claim.id
        assert _details(out, c.claim.id).splitlines()[0] == f"{c.claim.id}: {c.verdict}"


def test_details_conditions_band_drivers_note_and_source(checks):
    found, out = checks
    known = catalog.sources()
    for c in found:
        claim = c.claim
        block = _details(out, claim.id)
        if c.holding:
            assert f"  holds under: {'; '.join(c.holding)}" in block
        for name, value in c.condition_values.items():
            assert f"  {name}: {claim_value(value, claim.unit, claim.kind)}" in block.splitlines(), (claim.id, name)
        if c.band is not None:
            assert (f"  the ratio is in the claimed range from {c.band[0]:,.0f} to {c.band[1]:,.0f} tok/s per "
                    "user") in block
        else:
            assert "claimed range from" not in block
        for d in c.drivers:
            unit = PARAMETERS[d.name].display_unit or PARAMETERS[d.name].unit
            line = (f"  driver {d.name}: {claim_value(d.value_at_low, claim.unit, claim.kind)} at {q(d.low, unit)}, "
                    f"{claim_value(d.value_at_high, claim.unit, claim.kind)} at {q(d.high, unit)}")
            assert line in block.splitlines(), (claim.id, d.name)
        if claim.note:
            assert f"note: {flat(claim.note)}" in flat(block)
        src = known[claim.source]
        assert squeezed(f"source: {src.title} ({src.date}) {src.url}") in squeezed(block)


def test_details_written_out(checks):
    found, out = checks
    gw = _details(out, "gw-cost")
    # GB200 NVL72's reported rack prices, USD 3.0-4.0 M, per GPU
    assert any(line.startswith("  driver accelerator_capex: ") and " at 41.7 k USD, " in line
               and line.endswith(" at 55.6 k USD") for line in gw.splitlines())
    assert any(line.startswith("  driver pue: ") and line.endswith(" at 1.5") for line in gw.splitlines())
    assert "https://siliconangle.com/" in gw


@pytest.mark.parametrize("width", [60, 70, 76])
def test_narrow_terminal_keeps_every_verdict_whole(checks, width):
    # too narrow for four columns, the verdict goes under its claim's statement instead of being dropped or cut
    found, wide = checks
    out = text(claims_renderable(found), width=width)
    table = _table(out)
    assert "…" not in out and max(len(line) for line in out.splitlines()) <= width
    narrow = "verdict" not in table.splitlines()[2]  # the head: claim, claimed, tokencalc
    for c in found.checks:  # narrow: the verdict whole under its claim; wide: its words whole in their column
        assert f"verdict: {c.verdict}" in flat(table) if narrow else set(c.verdict.split()) <= set(table.split())
    if width == 60:
        assert narrow and "verdict" in wide.splitlines()[2]
