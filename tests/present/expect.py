"""What the renderer tests expect, stated here and not imported from ``tokencalc.present``.

The number formats below restate the display conventions of tokencalc's tables ('38.1 B USD',
'0.181 USD/Mtoken', '454,536', '80 %', '12.3 %', '88.8 P tokens/yr', '7.01 TWh/yr'); a renderer test builds the text it expects from
a result's own quantities with them, so a change to a format, a unit, a label or a share in
``tokencalc/present/`` makes a test fail. The parsers read rendered tables back: a row is found by
its label and split into cells at runs of two or more spaces.
"""

from __future__ import annotations

import io
import math
import re

from rich.console import Console

WIDTH = 250  # wide enough that no table of these tests wraps a figure

_SCALES = ((1e18, "E"), (1e15, "P"), (1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))
_UNIT_LABELS = {"%": "%", "1": "", "%/year": "%/yr", "USD/year": "USD/yr"}
_SUFFIX = {"E": 1e18, "P": 1e15, "T": 1e12, "B": 1e9, "M": 1e6, "k": 1e3}


# --- rendering ------------------------------------------------------------------------------------

def text(renderable, width: int = WIDTH) -> str:
    """Plain text of a rich renderable (no colours), at ``width`` columns."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False, force_terminal=False,
                      emoji=False, markup=True)
    console.print(renderable)
    return buffer.getvalue()


def flat(value: str) -> str:
    """Whitespace collapsed to single spaces: for sentences rich may wrap."""
    return " ".join(value.split())


def squeezed(value: str) -> str:
    """All whitespace removed: for long addresses rich may fold."""
    return "".join(value.split())


# --- number formats, restated ------------------------------------------------------------------------

def _three(value: float, digits: int = 3) -> str:
    text = f"{value:.{digits}g}"
    return f"{value:,.0f}" if "e+" in text else text


def human(value: float, unit: str = "", digits: int = 3, scale: bool = True, reference: float | None = None) -> str:
    """3 significant digits with an E/P/T/B/M/k scale ('k' from 10,000 on), thousands separators for
    1,000-9,999 (or any value >= 1,000 unscaled), 'n/a' for nothing, 0 for a value within 1e-9 of its
    ``reference``."""
    if value is None or not math.isfinite(value):
        return "n/a"
    suffix = f" {unit}" if unit else ""
    if value == 0 or (reference is not None and abs(value) <= 1e-9 * abs(reference)):
        return f"0{suffix}"
    if scale:
        for factor, name in _SCALES:
            threshold = factor * 10 if name == "k" else factor
            if abs(value) >= threshold:
                return f"{_three(value / factor, digits)} {name}{suffix}"
    if abs(value) >= 1000:
        return f"{value:,.0f}{suffix}"
    return f"{_three(value, digits)}{suffix}"


def si(quantity, unit: str, label: str | None = None) -> str:
    """Energy or power with an SI prefix on the unit: '7.01 TWh/yr', '833 MW'."""
    value = float(quantity.m_as(unit))
    shown = (label or unit).replace("/year", "/yr")
    for factor, prefix in ((1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1.0, "")):
        if abs(value) >= factor:
            return human(value / factor, prefix + shown, scale=False)
    return human(value, shown, scale=False)


def q(quantity, unit: str, **options) -> str:
    """A quantity in ``unit``: percentages as '80 %' (3 digits), the rest through :func:`human`."""
    magnitude = float(quantity.m_as(unit))
    label = _UNIT_LABELS.get(unit, unit)
    if unit in ("%", "%/year"):
        return f"{_three(magnitude)} {label}"
    return human(magnitude, label, **options)


def percent(part: float, total: float) -> str:
    """'12.3 %'."""
    return f"{100 * part / total:.1f} %"


def claim_value(value: float, unit: str, kind: str = "") -> str:
    """A claim's figure: cost ratios as '10.5x', other plain numbers as percentages, GUSD/MUSD as 'B USD'/'M USD',
    energy with an SI prefix, others with their unit."""
    if unit == "1":
        return f"{_three(value)}x" if kind.endswith("ratio") else f"{_three(100 * value)} %"
    if unit in ("GUSD", "MUSD"):
        return human(value * (1e9 if unit == "GUSD" else 1e6), "USD")
    if unit.endswith("Wh"):
        wh = value * {"TWh": 1e12, "GWh": 1e9, "MWh": 1e6, "kWh": 1e3, "Wh": 1.0}[unit]
        for factor, prefix in ((1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1.0, "")):
            if abs(wh) >= factor:
                return human(wh / factor, prefix + "Wh", scale=False)
    return human(value, unit)


def param_value(spec, value) -> str:
    """A parameter's value as tables show it: ids as they are, quantities in the display unit."""
    if isinstance(value, str):
        return value
    return q(value, spec.display_unit or spec.unit)


# --- reading tables back ---------------------------------------------------------------------------

def cells(line: str) -> list[str]:
    """The cells of a rendered table line (split at two or more spaces; empty cells vanish)."""
    return [c for c in re.split(r"\s{2,}", line.strip()) if c]


def lines_with(block: str, label: str) -> list[str]:
    """The lines whose first cell is ``label``."""
    pattern = re.compile(rf"^\s*{re.escape(label)}(\s{{2,}}|\s*$)")
    return [line for line in block.splitlines() if pattern.match(line)]


def row(block: str, label: str) -> list[str]:
    """The cells after ``label`` on the one line whose first cell is ``label``."""
    found = lines_with(block, label)
    assert len(found) == 1, f"expected one row {label!r}, found {len(found)} in:\n{block}"
    return cells(found[0].strip()[len(label):])


def section(block: str, start: str, end: str | None = None) -> str:
    """The text from the line starting with ``start`` up to the line starting with ``end``."""
    lines = block.splitlines()
    first = [i for i, line in enumerate(lines) if line.strip().startswith(start)]
    assert first, f"no line starting with {start!r}"
    out = lines[first[0]:]
    if end is not None:
        stop = [i for i, line in enumerate(out) if i and line.strip().startswith(end)]
        assert stop, f"no line starting with {end!r} after {start!r}"
        out = out[:stop[0]]
    return "\n".join(out)


def body(block: str) -> list[str]:
    """The non-blank lines after a table's header rule (the '───' line) up to the first blank line."""
    lines = block.splitlines()
    rule = [i for i, line in enumerate(lines) if "───" in line]
    assert rule, f"no header rule in:\n{block}"
    out = []
    for line in lines[rule[0] + 1:]:
        if not line.strip():
            break
        out.append(line)
    return out


def number(cell: str) -> float:
    """The value of a displayed number: '38.12 B USD' -> 3.812e10, '1,000 MW' -> 1000, '54.6 %' -> 54.6."""
    match = re.match(r"^\s*([-+]?[\d,]*\.?\d+(?:e[-+]?\d+)?)\s*([TBMk])?\b", cell)
    assert match, f"not a number: {cell!r}"
    value = float(match.group(1).replace(",", ""))
    return value * _SUFFIX.get(match.group(2) or "", 1.0)
