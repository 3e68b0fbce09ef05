"""Helpers shared by the commands: a safe console and atomic file writes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import click
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


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write `data` to `path` so readers see the old file or the new one, never half of it.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "表.txt"
    >>> write_atomic(target, "决策".encode())
    >>> target.read_text(encoding="utf-8")
    '决策'
    """
    target = Path(path)
    try:
        _replace_with(target, data)
    except OSError as err:
        raise click.ClickException(f"cannot write {target}: {err.strerror or err}") from err


def _replace_with(target: Path, data: bytes) -> None:
    # The temporary file sits in the target's directory so os.replace is a rename, not a copy.
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0o666 less the umask."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
