"""Writing answers: in one piece (never half-written), rendered by rich at the terminal's width
(120 columns when piped), and a progress bar on stderr."""

from __future__ import annotations

import io
import shutil
import sys
from typing import Callable

__all__ = ["emit", "render", "progress_bar", "PIPED_WIDTH"]

PIPED_WIDTH = 120


def emit(text: str) -> None:
    """Write the complete answer in one piece."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def render(renderable) -> str:
    """The text of a rich renderable: colours and the terminal's width when interactive, plain
    text at 120 columns when piped."""
    from rich.console import Console  # lazy: --json and --csv answers never load rich

    buffer = io.StringIO()
    interactive = sys.stdout.isatty()
    console = Console(file=buffer, highlight=False, force_terminal=interactive,
                      width=None if interactive else PIPED_WIDTH, color_system="auto" if interactive else None)
    if interactive:
        console.width = shutil.get_terminal_size((PIPED_WIDTH, 24)).columns
    console.print(renderable)
    return buffer.getvalue()


def progress_bar(label: str) -> Callable[[int, int], None]:
    """A callback ``(done, total)`` that draws a transient progress bar on stderr; it closes at done == total."""
    from rich.console import Console  # lazy: only long Monte Carlo runs draw a bar
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn  # lazy: as above

    state: dict = {}

    def update(done: int, total: int) -> None:
        if "bar" not in state:
            bar = Progress(TextColumn(label), BarColumn(), TextColumn("{task.completed}/{task.total} chunks"),
                           TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            bar.start()
            state["bar"], state["task"] = bar, bar.add_task(label, total=total)
        state["bar"].update(state["task"], completed=done)
        if done >= total:
            state["bar"].stop()

    return update
