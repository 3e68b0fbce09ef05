"""Atomic file writes: readers see the old file or the new one, never half of it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class WriteError(OSError):
    """A file that could not be written; the message names it (“cannot write x: reason”)."""


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write `data` to `path` so readers see the old file or the new one, never half of it.

    Raises WriteError (an OSError) naming the file when it cannot be written.

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
        raise WriteError(f"cannot write {target}: {err.strerror or err}") from err


class atomic_path:
    """A temporary path beside `target`, renamed onto it when the block succeeds (for writers that
    want a file name, such as DuckDB's COPY).

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "r.csv"
    >>> with atomic_path(target) as temporary:
    ...     _ = temporary.write_text("a,b")
    >>> target.read_text()
    'a,b'
    """

    def __init__(self, target: str | os.PathLike[str]):
        self.target = Path(target)

    def __enter__(self) -> Path:
        try:
            handle, name = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent)
        except OSError as err:
            raise WriteError(f"cannot write {self.target}: {err.strerror or err}") from err
        os.close(handle)
        os.unlink(name)  # the writer creates the file itself
        self.temporary = Path(name)
        return self.temporary

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            os.chmod(self.temporary, _mode_for(self.target))
            os.replace(self.temporary, self.target)
        else:
            self.temporary.unlink(missing_ok=True)


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


__all__ = ["WriteError", "atomic_path", "write_atomic"]
