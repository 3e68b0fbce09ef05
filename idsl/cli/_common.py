"""Helpers shared by the commands: a console that is safe for user text."""

from __future__ import annotations

import os
from typing import Any

from rich.console import Console


def make_console(**overrides: Any) -> Console:
    """A console that never reads user text as markup, and has no colour with NO_COLOR.

    Colour is used only on a terminal (rich decides); `overrides` go to Console, e.g.
    `stderr=True` for messages beside data written to stdout.

    >>> make_console(width=40).is_terminal
    False
    """
    # Passed explicitly because Console(no_color=False) would override rich's own NO_COLOR check.
    settings: dict[str, Any] = dict(
        markup=False,
        highlight=False,
        emoji=False,
        no_color=bool(os.environ.get("NO_COLOR")),
        soft_wrap=True,
    )
    settings.update(overrides)
    return Console(**settings)
