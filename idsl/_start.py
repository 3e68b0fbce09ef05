"""Ctrl-C while the `idsl` command is still starting: one line and exit code 130, never Python's traceback."""

import os
import sys

import _signal  # the C module: `signal` builds enums at import, long enough for a Ctrl-C to land in

INTERRUPTED = "idsl：已中止（Ctrl-C）。"
EXIT_INTERRUPTED = 128 + _signal.SIGINT  # 130, as shells report a process ended by Ctrl-C

_previous: list = []  # the handler before `guard`, while the guard is on


def _while_importing(number, frame) -> None:
    # Nothing has been opened or written yet: ending at once is safe, and unwinding an import is not.
    os.write(2, (INTERRUPTED + "\n").encode("utf-8", "replace"))
    os._exit(EXIT_INTERRUPTED)


def started_as_command() -> bool:
    """Whether this process is the `idsl` console script; a program importing idsl keeps its own Ctrl-C."""
    name = os.path.basename(sys.argv[0] if sys.argv else "").lower()
    return name in ("idsl", "idsl.exe", "idsl-script.py")


def guard() -> None:
    """In the `idsl` command, take over Ctrl-C until `release` (idsl.cli's main, once everything is imported)."""
    if _previous or not started_as_command():
        return
    try:
        _previous.append(_signal.signal(_signal.SIGINT, _while_importing))
    except ValueError:  # not the main thread: signals are not ours to set
        pass


def release() -> None:
    """Ctrl-C as before: Python's KeyboardInterrupt, which the command handles after its atomic writes."""
    if _previous:
        _signal.signal(_signal.SIGINT, _previous.pop())
