"""Ctrl-C in the `idsl` command outside its work (still importing, reading its arguments, finishing):
one line and exit code 130 at once, never Python's traceback or click's "Aborted!"."""

import contextlib
import os
import sys

import _signal  # the C module: `signal` builds enums at import, long enough for a Ctrl-C to land in

INTERRUPTED = "idsl：已中止（Ctrl-C）。"
EXIT_INTERRUPTED = 128 + _signal.SIGINT  # 130, as shells report a process ended by Ctrl-C

_working = [False]  # inside a command's work: Ctrl-C is KeyboardInterrupt, so outputs are replaced whole or not at all
_held = [False, False]  # inside holding_interrupts(); a Ctrl-C arrived meanwhile


def _on_interrupt(number, frame) -> None:
    if _held[0]:
        _held[1] = True
        return
    if _working[0]:
        raise KeyboardInterrupt
    # Nothing is being written: ending at once is safe, and unwinding an import or click's parsing is not.
    os.write(2, (INTERRUPTED + "\n").encode("utf-8", "replace"))
    os._exit(EXIT_INTERRUPTED)


def started_as_command() -> bool:
    """Whether this process is the `idsl` console script; a program importing idsl keeps its own Ctrl-C."""
    name = os.path.basename(sys.argv[0] if sys.argv else "").lower()
    return name in ("idsl", "idsl.exe", "idsl-script.py")


def guard() -> None:
    """In the `idsl` command, take over Ctrl-C for the whole process (called at `import idsl`, its first line)."""
    if started_as_command():
        try:
            _signal.signal(_signal.SIGINT, _on_interrupt)
        except ValueError:  # not the main thread: signals are not ours to set
            pass
    # Loaded now, before any work, and only after the handler is in place (it is looked up on sys.path:
    # long enough for a Ctrl-C to land in). Compiling a module whose strings hold \N{…} escapes loads it
    # on demand, and a Ctrl-C inside that load is turned by the compiler into a SyntaxError ("can't load
    # unicodedata module") that no handler of KeyboardInterrupt sees (a fresh checkout compiles every module once).
    import unicodedata  # noqa: F401


@contextlib.contextmanager
def working():
    """A command's work (idsl.cli's invoke): Ctrl-C raises KeyboardInterrupt there, which the command handles."""
    _working[0] = True
    try:
        yield
    finally:
        _working[0] = False


def held_back() -> bool:
    """Whether a signal arriving now is to wait for the end of `holding_interrupts` (noted, taken then as a Ctrl-C):
    for the other signals idsl turns into KeyboardInterrupt (SIGTERM while writing outputs)."""
    if _held[0]:
        _held[1] = True
    return _held[0]


@contextlib.contextmanager
def holding_interrupts():
    """A native module's import: a Ctrl-C is taken only once it is done. DuckDB's bindings (nanobind) abort
    with a traceback of their own when a KeyboardInterrupt is raised inside their initialisation."""
    if _held[0]:
        yield
        return
    _held[0] = True
    try:
        yield
    finally:
        _held[0] = False
        if _held[1]:
            _held[1] = False
            _on_interrupt(_signal.SIGINT, None)
