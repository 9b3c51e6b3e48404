"""tokencalc's exceptions: one hierarchy, every class a ValueError.

Messages name the parameter, the value given and what is allowed, on one line, so the
command-line interface can print them unchanged.
"""

from __future__ import annotations


class TokencalcError(ValueError):
    """Base class of every error tokencalc raises for bad input."""


class ParameterError(TokencalcError):
    """A parameter's value is malformed, in the wrong unit, or out of its allowed range."""

    def __init__(self, parameter: str, message: str):
        self.parameter = parameter
        super().__init__(f"{parameter}: {message}")


class UnknownNameError(TokencalcError):
    """An unknown parameter name, catalog id or preset."""


class CatalogError(TokencalcError):
    """A catalog or scenario data file is malformed."""


class TokencalcWarning(UserWarning):
    """An accepted but unusual input value (e.g. electricity above 500 USD/MWh)."""
