"""The table helpers every renderer uses: rows of text, and a key/value table."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from rich import box
from rich.table import Table

__all__ = ["rows_table", "kv_table", "table", "FitTable", "Split", "Either"]


LONG_WORD = 24  # a word longer than this (a URL) may fold onto the next line rather than widen its column


class FitTable(Table):
    """A table that narrows by wrapping its text columns, never by cutting a word: a column that may wrap
    folds a word longer than its width (a URL) onto the next line whole. Columns of numbers are ``no_wrap``:
    they keep their width, and only when even the wrapped text cannot make room would rich cut them (with
    a '…' the width tests look for)."""

    fold = True  # a word longer than LONG_WORD may fold; False where cells keep their words whole (Unbroken)

    def add_column(self, header="", footer="", *, no_wrap: bool | None = None, overflow=None, **options) -> None:
        if no_wrap is None:  # numbers (right-justified) keep their width; text wraps
            no_wrap = options.get("justify") == "right"
        super().add_column(header, footer, no_wrap=no_wrap, overflow=overflow or ("ellipsis" if no_wrap else "fold"),
                           **options)

    def _calculate_column_widths(self, console, options) -> list[int]:
        """Narrow the text column with the most room above its longest word first, none below that word, when
        that is enough;
        else rich's own narrowing (which folds long words and, last, cuts numbers)."""
        ranges = [self._measure_column(console, options, column) for column in self.columns]
        widths = [r.maximum or 1 for r in ranges]
        floors = [w if column.no_wrap or column.width is not None else max(_floor(self, r.minimum), 1)
                  for w, column, r in zip(widths, self.columns, ranges)]
        if self.expand or sum(widths) <= options.max_width or sum(floors) > options.max_width:
            return super()._calculate_column_widths(console, options)
        for _ in range(sum(widths) - options.max_width):
            roomiest = max((i for i in range(len(widths)) if widths[i] > floors[i]),
                           key=lambda i: (widths[i] - floors[i], widths[i]))
            widths[roomiest] -= 1
        return [self._measure_column(console, options.update_width(w), column).maximum or 0
                for w, column in zip(widths, self.columns)]


class Split:
    """Columns spread over as many tables as the width needs: ``build(items)`` makes the table of some of
    ``items`` (each table repeats its label columns); the fewest tables whose every column fits are drawn."""

    def __init__(self, build: Callable[[list], Table], items: Iterable[Any]):
        self.build, self.items = build, list(items)

    def __rich_console__(self, console, options):
        n, unbounded = len(self.items), options.update_width(10_000)  # a measure not clamped to the width
        for count in range(1, n + 1):
            size = -(-n // count)  # as even as the count allows
            tables = [self.build(self.items[i:i + size]) for i in range(0, n, size)]
            if all(_least_width(console, unbounded, t) <= options.max_width for t in tables):
                break
        else:  # nothing fits: one table, which rich narrows as it can
            tables = [self.build(self.items)]
        for later in tables[1:]:
            if isinstance(later.title, str) and later.title:
                later.title = f"{later.title} (continued)"
        yield from tables


class Either:
    """``wide`` where the width draws it without folding a word, else ``narrow`` (the same content, laid out
    for fewer columns)."""

    def __init__(self, wide: Table, narrow):
        self.wide, self.narrow = wide, narrow

    def __rich_console__(self, console, options):
        fits = _least_width(console, options.update_width(10_000), self.wide) <= options.max_width
        yield self.wide if fits else self.narrow


def _floor(out: Table, minimum: int) -> int:
    """The narrowest a text column of ``out`` goes: its longest word, folded beyond LONG_WORD where it may fold."""
    return min(minimum, LONG_WORD) if getattr(out, "fold", True) else minimum


def _least_width(console, options, out: Table) -> int:
    """The narrowest ``out`` can be drawn without cutting: numbers (``no_wrap``) whole, text at its longest word."""
    columns = [(column, out._measure_column(console, options, column)) for column in out.columns]
    return sum(m.maximum if column.no_wrap else _floor(out, m.minimum) for column, m in columns) + out._extra_width


def table(title: str | None = None, **options) -> Table:
    """A rich table in tokencalc's style (simple head, title on the left)."""
    kwargs = {"box": box.SIMPLE_HEAD, "title_justify": "left"}
    if title is not None:
        kwargs["title"] = title
    return FitTable(**{**kwargs, **options})


def rows_table(title: str, columns: Iterable[str], rows: Iterable[Iterable[Any]]):
    """A simple table from rows of text; every column wraps (words whole) to fit the width, and when even
    that is too wide, the columns after the first spread over several tables that repeat the first."""
    columns, rows = list(columns), [[str(c) for c in row] for row in rows]

    def build(shown):
        out = table(title)
        for i in (0, *shown):
            out.add_column(columns[i])
        for row in rows:
            out.add_row(*[row[i] for i in (0, *shown)])
        return out

    return Split(build, range(1, len(columns)))


def kv_table(title: str | None, rows: Iterable[tuple[str, str]], **options) -> Table:
    """A two-column table without a header: quantity on the left, bold value on the right."""
    out = table(title, show_header=False, **options)
    out.add_column("quantity")
    out.add_column("value", justify="right", style="bold", no_wrap=False)  # a long value wraps at its spaces
    for label, value in rows:
        out.add_row(label, value)
    return out
