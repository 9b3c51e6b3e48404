"""The table helpers every renderer uses: rows of text, and a key/value table."""

from __future__ import annotations

from typing import Any, Iterable

from rich import box
from rich.table import Table

__all__ = ["rows_table", "kv_table", "table"]


def table(title: str | None = None, **options) -> Table:
    """A rich table in tokencalc's style (simple head, title on the left)."""
    kwargs = {"box": box.SIMPLE_HEAD, "title_justify": "left"}
    if title is not None:
        kwargs["title"] = title
    return Table(**{**kwargs, **options})


def rows_table(title: str, columns: Iterable[str], rows: Iterable[Iterable[Any]]) -> Table:
    """A simple table from rows of text; the first column does not wrap."""
    out = table(title)
    for i, column in enumerate(columns):
        out.add_column(column, no_wrap=i == 0)
    for row in rows:
        out.add_row(*[str(c) for c in row])
    return out


def kv_table(title: str | None, rows: Iterable[tuple[str, str]], **options) -> Table:
    """A two-column table without a header: quantity on the left, bold value on the right."""
    out = table(title, show_header=False, **options)
    out.add_column("quantity")
    out.add_column("value", justify="right", style="bold")
    for label, value in rows:
        out.add_row(label, value)
    return out
