"""present.wrap: text wraps between words, never between a number and its unit."""

import re

from rich.table import Table
from rich.text import Text

from tokencalc.present.wrap import Unbroken, glued

from .expect import text

SENTENCE = ("the facility costs 39.9 B USD at 18 USD/W, less than 20 % of GPU total cost; a USD 5 M rack earns "
            "USD 75 M over 3 years at 18.5 k token/s on 72 x B300 GPUs")
UNITS = r"(%|USD|B|M|k|x|token|years?|GPUs?)\b"


def test_glue_goes_between_a_number_and_its_unit_only():
    g = glued(SENTENCE)
    assert len(g) == len(SENTENCE)  # one glue character per space: the styles' spans stay put
    for kept in ("39.9 B USD", "18 USD/W", "20 %", "USD 5 M", "USD 75 M", "3 years", "18.5 k token/s", "72 x"):
        assert kept.replace(" ", "\ue000") in g, kept
    for free in ("costs 39", "at 18", "than 20", "over 3", "on 72", "x B300", "% of"):
        assert free in g, free  # a space beside a number but not inside a quantity stays a space


def _broken(rendered: str) -> list[str]:
    """Line pairs where a line ends with a number and the next begins with a unit."""
    lines = rendered.splitlines()
    return [f"{a!r} / {b!r}" for a, b in zip(lines, lines[1:])
            if re.search(r"\d$", a.rstrip()) and re.match(rf"\s*{UNITS}", b)]


def test_no_line_breaks_inside_a_quantity_at_any_width():
    for width in range(16, 60):
        out = text(Unbroken(Text(SENTENCE)), width=width)
        assert _broken(out) == [], width
        assert " ".join(out.split()) == SENTENCE  # nothing lost or doubled; the glue is gone
        assert max(len(line) for line in out.splitlines()) <= width


def test_indent_holds_on_wrapped_lines_without_trailing_spaces():
    out = text(Unbroken(Text(SENTENCE, style="dim"), indent=2), width=30)
    lines = out.splitlines()
    assert len(lines) > 3 and all(line.startswith("  ") and not line.startswith("   ") for line in lines)
    assert all(line == line.rstrip() for line in lines)


def test_a_table_cell_narrows_no_further_than_its_longest_quantity():
    # beside a wide column the table shrinks the cell to its minimum, the longest quantity (14 columns)
    table = Table(show_header=False, box=None, padding=(0, 1))
    table.add_column()
    table.add_column()
    table.add_row(Unbroken(Text(SENTENCE)), "a neighbouring column of many words " * 3)
    out = text(table, width=40)
    assert "39.9 B USD" in out and "18.5 k token/s" in out and _broken(out) == []
    assert Unbroken(Text(SENTENCE), indent=2).__rich_measure__(None, None).minimum == 2 + len("18.5 k token/s")
