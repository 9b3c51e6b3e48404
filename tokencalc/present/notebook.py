"""Jupyter's display of any result: its rich rendering as HTML, or, where there is none (a sub-record) or it
cannot be drawn (a factory evaluated on arrays), the table of its record as an HTML table with units."""

from __future__ import annotations

import html
import io
from importlib import import_module

from rich.console import Console

from ..tidy import columns

__all__ = ["result_html", "record_html"]

MAX_ROWS = 200  # a longer table shows its first 200 rows (to_dataframe() has them all)


def record_html(record) -> str:
    """The record's table (:func:`tokencalc.tidy.columns`) as an HTML table, values with every digit."""
    table = columns(record, limit=MAX_ROWS + 1)  # the first rows only: a million-element sweep shows at once
    names = list(table)
    n = len(next(iter(table.values()), []))
    head = "".join(f"<th>{html.escape(name)}</th>" for name in names)
    body = []
    for i in range(min(n, MAX_ROWS)):
        body.append("<tr>" + "".join(f"<td>{html.escape(_text(table[name][i]))}</td>" for name in names) + "</tr>")
    more = f"<p>The first {MAX_ROWS} rows: to_dataframe() has them all.</p>" if n > MAX_ROWS else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}"


def _text(value) -> str:
    if value is None:
        return ""
    return repr(value) if isinstance(value, float) else str(value)


def result_html(result, renderer: tuple[str, str] | None = None) -> str:
    """HTML of a result: ``renderer`` (a module of this floor and a function) exported by rich, else, or when
    the renderer refuses the result (ValueError: arrays), its record's table."""
    if renderer is not None:
        module, name = renderer
        try:
            renderable = getattr(import_module(f"tokencalc.present.{module}"), name)(result)
        except ValueError:
            renderable = None
        if renderable is not None:
            console = Console(record=True, width=110, file=io.StringIO())
            console.print(renderable)
            return console.export_html(inline_styles=True)
    return record_html(result.to_dict())
