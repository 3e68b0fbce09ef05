"""Where the grammar file is: shipped inside the package, or the repository's own."""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).parent.parent / "_grammar" / "idsl.lark"
_REPOSITORY = Path(__file__).parent.parent.parent / "grammar" / "idsl.lark"

# The wheel carries the grammar as package data; an editable install reads grammar/ directly.
GRAMMAR_PATH = _PACKAGED if _PACKAGED.exists() else _REPOSITORY
