"""Safe file writes: atomic, never over an input, never renaming over a device, paired outputs together."""

from __future__ import annotations

import contextlib
import contextvars
import os
import signal
import stat
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from idsl._start import held_back


class WriteError(OSError):
    """A file that could not be written; the message names it (“不能写 x：reason”)."""


# The inputs of the command being run, by file identity (resolved path, device and inode): set up by
# `guarding`, filled by `protect`, read before every write. A context variable, so one run's inputs
# never leak into the next run in the same process (tests call the command line in process).
_INPUTS: contextvars.ContextVar[dict[tuple[int, int] | str, str] | None] = contextvars.ContextVar("inputs", default=None)
# Writes held back until the end of a `together` block, so paired outputs are replaced together.
_PENDING: contextvars.ContextVar[list[tuple[Path, Path]] | None] = contextvars.ContextVar("pending", default=None)
_HELD_SIGNALS = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def guarding() -> Iterator[None]:
    """Within the block, no write may replace a file named to `protect`."""
    token = _INPUTS.set({})
    try:
        yield
    finally:
        _INPUTS.reset(token)


def protect(*paths: str | os.PathLike[str] | None) -> None:
    """Mark files as inputs of the current run (inside `guarding`): writing over them is refused."""
    inputs = _INPUTS.get()
    if inputs is None:
        return
    for path in paths:
        if path is None or str(path) == "-":
            continue
        for identity in _identities(Path(path)):
            inputs.setdefault(identity, str(path))


def check_outputs(*outputs: str | os.PathLike[str] | None) -> None:
    """Refuse, before anything is written, outputs that would replace an input, that name one file twice,
    or whose folder does not exist (raises WriteError naming the file)."""
    seen: dict[tuple[int, int] | str, str] = {}
    for output in outputs:
        if output is None or str(output) == "-":
            continue
        target = Path(output)
        _refuse_input(target)
        identities = set(_identities(target))
        for identity in identities & seen.keys():
            raise WriteError(f"不能写 {target}：它和 {seen[identity]} 是同一个文件；两个输出请用不同的文件名。")
        seen.update(dict.fromkeys(identities, str(target)))
        _folder_of(target)


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write `data` to `path` so readers see the old file or the new one, never half of it.

    A character device or FIFO named as the output (/dev/stdout, a pipe) is written to, never
    renamed over. Raises WriteError (an OSError) naming the file when it cannot be written: a full
    disk, a missing or read-only folder, an input of the current run.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "表.txt"
    >>> write_atomic(target, "决策".encode())
    >>> target.read_text(encoding="utf-8")
    '决策'
    """
    target = Path(path)
    _refuse_input(target)
    try:
        if _is_stream(target):
            _stream_to(target, data)
            return
        _replace_with(_real(target), data)
    except WriteError:
        raise
    except OSError as err:
        raise WriteError(f"不能写 {target}：{_reason(err)}") from err


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
        _refuse_input(self.target)
        if _is_stream(self.target):
            raise WriteError(f"不能写 {self.target}：它不是普通文件（设备或管道）；请写到一个文件。")
        real = _real(self.target)
        import tempfile  # imported when writing: `idsl check` writes nothing and starts faster without it

        try:
            handle, name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=_folder_of(real))
        except OSError as err:
            raise WriteError(f"不能写 {self.target}：{_reason(err)}") from err
        os.close(handle)
        os.unlink(name)  # the writer creates the file itself
        self.temporary = Path(name)
        self.real = real
        return self.temporary

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None:
            self.temporary.unlink(missing_ok=True)
            return
        try:
            os.chmod(self.temporary, _mode_for(self.real))
            _commit(self.temporary, self.real)
        except OSError as err:
            self.temporary.unlink(missing_ok=True)
            raise WriteError(f"不能写 {self.target}：{_reason(err)}") from err


@contextlib.contextmanager
def together() -> Iterator[None]:
    """Files written in the block are all renamed into place at its end, or none of them is.

    The renames run with SIGINT and SIGTERM held back, and a SIGTERM during the block ends it as an
    interruption does, so the temporaries are removed: after a signal, either every output is the
    old one or every output is new.
    """
    pending: list[tuple[Path, Path]] = []
    token = _PENDING.set(pending)
    previous = _terminate_as_interrupt()
    try:
        yield
    except BaseException:
        for temporary, _ in pending:
            temporary.unlink(missing_ok=True)
        raise
    finally:
        _PENDING.reset(token)
        _restore_terminate(previous)
    _replace_all(pending)


def _replace_all(pending: list[tuple[Path, Path]]) -> None:
    held = threading.current_thread() is threading.main_thread()
    if held:
        signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    try:
        for done, (temporary, target) in enumerate(pending):
            try:
                os.replace(temporary, target)
            except OSError as err:
                for rest, _ in pending[done:]:
                    rest.unlink(missing_ok=True)
                raise WriteError(f"不能写 {target}：{_reason(err)}") from err
    finally:
        if held:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD_SIGNALS)


def _terminate_as_interrupt():
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _interrupted)


def _interrupted(number, frame) -> None:
    if held_back():  # inside a native module's import (DuckDB's aborts on an exception there): taken after it
        return
    raise KeyboardInterrupt


def _restore_terminate(previous) -> None:
    if previous is not None:
        signal.signal(signal.SIGTERM, previous)


def _commit(temporary: Path, target: Path) -> None:
    pending = _PENDING.get()
    if pending is None:
        os.replace(temporary, target)
    else:
        pending.append((temporary, target))


def _replace_with(target: Path, data: bytes) -> None:
    import tempfile  # as in atomic_path

    # The temporary file sits in the target's directory so os.replace is a rename, not a copy.
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=_folder_of(target))
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(target))
        _commit(Path(temporary), target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _stream_to(target: Path, data: bytes) -> None:
    with open(target, "wb") as stream:
        stream.write(data)
        stream.flush()


def is_stream(target: str | os.PathLike[str]) -> bool:
    """Whether an output is a character device or a FIFO (/dev/stdout, a pipe): written to, never beside."""
    return _is_stream(Path(target))


def _is_stream(target: Path) -> bool:
    """Whether the output is a character device or a FIFO (written to, not replaced); a folder, a block
    device or a socket is refused."""
    try:
        mode = os.stat(target).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as err:
        raise WriteError(f"不能写 {target}：{_reason(err)}") from err
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return True
    if stat.S_ISDIR(mode):
        raise WriteError(f"不能写 {target}：这是一个文件夹；请给出文件名。")
    if not stat.S_ISREG(mode):
        raise WriteError(f"不能写 {target}：它不是普通文件。")
    return False


def _real(target: Path) -> Path:
    """A symbolic link's target, so the link stays a link (its file is replaced, not the link)."""
    return Path(os.path.realpath(target)) if target.is_symlink() else target


def _folder_of(target: Path) -> Path:
    folder = target.parent
    if not folder.is_dir():
        raise WriteError(f"不能写 {target}：文件夹 {folder.as_posix() or '.'} 不存在。")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise WriteError(f"不能写 {target}：文件夹 {folder.as_posix() or '.'} 不可写。")
    return folder


def _refuse_input(target: Path) -> None:
    inputs = _INPUTS.get()
    if not inputs:
        return
    for identity in _identities(target):
        if identity in inputs:
            raise WriteError(f"不能写 {target}：它就是输入文件 {inputs[identity]}，写出会覆盖输入；请换一个输出文件名。")


def _identities(path: Path) -> Iterable[tuple[int, int] | str]:
    """What names a file however it is spelled: its resolved path, and its device and inode when it exists
    (a hard link, a ./ alias or a symbolic link all give the same)."""
    try:
        yield os.path.realpath(path)
    except (OSError, ValueError):
        pass
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return
    if stat.S_ISREG(found.st_mode):
        yield (found.st_dev, found.st_ino)


def _reason(err: OSError) -> str:
    return err.strerror or str(err)


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0o666 less the umask."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


__all__ = ["WriteError", "atomic_path", "check_outputs", "guarding", "is_stream", "protect", "together", "write_atomic"]
