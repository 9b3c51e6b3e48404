"""Writing answers: in one piece (never half-written), rendered by rich at the terminal's width
(piped: ``COLUMNS`` if set, else at most 120 columns, without trailing spaces), and a progress bar on stderr."""

from __future__ import annotations

import io
import os
import shutil
import sys
from typing import Callable

from ..errors import TokencalcError

__all__ = ["emit", "render", "progress_bar", "ascii_fallback", "stdout_is_ascii", "PIPED_WIDTH", "click_message"]

PIPED_WIDTH = 120


def emit(text) -> None:
    """Write the complete answer in one piece, or, for an iterable of pieces (a large CSV), piece by piece.

    A terminal that cannot show a character (an ASCII locale) gets the ASCII fallback of each symbol;
    an output that cannot be written (a full disk) is one TokencalcError.
    """
    pieces = [text] if isinstance(text, str) else text
    last = ""
    try:
        for piece in pieces:
            _write(piece)
            last = piece or last
        if not last.endswith("\n"):
            _write("\n")
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        _silence_stdout()
        raise TokencalcError(f"stdout: cannot write the answer: {exc.strerror or exc}") from None


_ASCII = str.maketrans({"×": "x", "—": "-", "–": "-", "−": "-", "≤": "<=", "≥": ">=", "µ": "u", "μ": "u",
                        "·": "*", "⋅": "*", "…": "...", "→": "->", "←": "<-", "±": "+/-", "²": "2", "³": "3",
                        "€": "EUR", "°": " deg", "≈": "~", "‰": "permille", "’": "'", "‘": "'", "“": '"', "”": '"',
                        "─": "-", "━": "-", "│": "|", "┃": "|", "█": "#", "▌": "#", "▐": "#", "░": ".", "▏": "|",
                        "┌": "+", "┐": "+", "└": "+", "┘": "+", "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+",
                        "╭": "+", "╮": "+", "╰": "+", "╯": "+", " ": " ", " ": " ", " ": " "})


def stdout_is_ascii() -> bool:
    """True when stdout cannot encode the symbols tokencalc prints (an ASCII locale)."""
    try:
        "×µ³—".encode(getattr(sys.stdout, "encoding", None) or "ascii")
        return False
    except (UnicodeEncodeError, LookupError):
        return True


def ascii_fallback(text: str, encoding: str = "ascii") -> str:
    """``text`` for a terminal of ``encoding``: symbols as ASCII (x, <=, u, -), anything else as '?'."""
    return text.translate(_ASCII).encode(encoding, errors="replace").decode(encoding)


def _write(piece: str) -> None:
    try:
        sys.stdout.write(piece)  # encodes the whole piece before writing any of it
    except UnicodeEncodeError:
        sys.stdout.write(ascii_fallback(piece, getattr(sys.stdout, "encoding", None) or "ascii"))


def _silence_stdout() -> None:
    """After a failed write, point stdout at /dev/null, so that the exit's flush adds no second message."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


def piped_width() -> int:
    """The width of piped output: ``COLUMNS`` when set to a width, else PIPED_WIDTH (tables keep their
    natural width below it)."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return PIPED_WIDTH
    return columns if columns >= 20 else PIPED_WIDTH


def render(renderable) -> str:
    """The text of a rich renderable: colours and the terminal's width when interactive, plain
    text at :func:`piped_width` columns, without trailing spaces, when piped."""
    from rich.console import Console  # lazy: --json and --csv answers never load rich

    buffer = io.StringIO()
    interactive = sys.stdout.isatty()
    width = piped_width()
    console = Console(file=buffer, highlight=False, force_terminal=interactive,
                      width=None if interactive else PIPED_WIDTH, color_system="auto" if interactive else None)
    console.width = shutil.get_terminal_size((PIPED_WIDTH, 24)).columns if interactive else width
    console.print(renderable)
    text = buffer.getvalue()
    if interactive:
        return text
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def progress_bar(label: str, unit: str = "chunks") -> Callable[[int, int], None]:
    """A callback ``(done, total)`` that draws a transient progress bar on stderr; it closes at done == total."""
    from rich.console import Console  # lazy: only long Monte Carlo runs draw a bar
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn  # lazy: as above

    state: dict = {}

    def update(done: int, total: int) -> None:
        if not sys.stderr.isatty():  # a bar only where someone watches
            return
        if "bar" not in state:
            bar = Progress(TextColumn(label), BarColumn(), TextColumn("{task.completed}/{task.total} " + unit),
                           TimeElapsedColumn(), console=Console(stderr=True), transient=True,
                           redirect_stdout=False, redirect_stderr=False)  # the answer goes to stdout untouched
            bar.start()
            state["bar"], state["task"] = bar, bar.add_task(label, total=total)
        state["bar"].update(state["task"], completed=done)
        if done >= total:
            state["bar"].stop()

    return update


def click_message(exc) -> str:
    """A click usage error as one line; a value outside an option's choices in tokencalc's own words
    ("precision: 'fp3' is not allowed; allowed: auto, best, ...")."""
    param = getattr(exc, "param", None)
    choices = getattr(getattr(param, "type", None), "choices", None)  # a click.Choice option
    if choices and " is not " in str(getattr(exc, "message", "")):
        value = str(exc.message).split(" is not", 1)[0]
        return f"{param.name}: {value} is not allowed; allowed: {', '.join(map(str, choices))}"
    return exc.format_message().replace("\n", " ")
