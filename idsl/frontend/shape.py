"""The error of a construct that parsed but cannot become an AST node (its one diagnostic ends the parse)."""

from __future__ import annotations

from idsl.diagnostics import Diagnostic


class ShapeError(Exception):
    """A construct that parsed but cannot become an AST node: its one diagnostic ends the parse."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic
