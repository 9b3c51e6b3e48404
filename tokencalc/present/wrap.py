"""Text that wraps between words but never between a number and its unit ("367 %", "64.7 M USD", "USD 90 B")."""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.measure import Measurement
from rich.text import Text

__all__ = ["Unbroken", "glued"]

_GLUE = "\ue000"  # a private-use character: one cell wide and not whitespace, so the wrap keeps it inside a word
_UNIT = (r"(?:%|x\b|[kMGTPB]\b|USD\b|USD/|W\b|kW\b|MW\b|GW\b|TW\b|[kMGTP]?Wh\b|token|tok/s|s\b|h\b|ms\b|us\b"
         r"|GPUs?\b|years?\b)")
# a space after a number and before its unit or scale; after a scale and before its unit; after a currency and
# before its number
_SPACES = re.compile(rf"(?<=\d) (?={_UNIT})|(?<=\d [kMGTPB]) (?=(?:USD|W|Wh|token|tok))|(?<=\bUSD) (?=\d)")


def glued(text: str) -> str:
    """``text`` with the spaces inside each number-and-unit replaced by a non-breaking glue of the same width."""
    return _SPACES.sub(_GLUE, text)


class Unbroken:
    """Rich text that wraps at the width given, keeps each number with its unit, and indents every line by
    ``indent`` columns (a wrapped line keeps the indent); no trailing spaces."""

    def __init__(self, text: Text | str, indent: int = 0):
        self.text = Text(text) if isinstance(text, str) else text
        self.indent = indent

    def _glued(self) -> Text:
        out = self.text.copy()
        out.plain = glued(out.plain)  # same length: the styles' spans stay where they were
        return out

    def __rich_measure__(self, console, options) -> Measurement:
        words = self._glued().plain.split() or [""]
        return Measurement(self.indent + max(cell_len(w) for w in words), self.indent + cell_len(self.text.plain))

    def __rich_console__(self, console, options):
        for line in self._glued().wrap(console, max(10, options.max_width - self.indent)):
            line.rstrip()
            line.plain = line.plain.replace(_GLUE, " ")
            yield Text.assemble(" " * self.indent, line) if self.indent else line
