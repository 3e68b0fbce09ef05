"""One spec text checked as `idsl check` checks it: its diagnostics, with character offsets for the page, and its plan."""

from __future__ import annotations

import gc
import os
import threading
from collections import OrderedDict
from pathlib import Path
import attrs
from rich.cells import cell_len

from idsl.check import check
from idsl.diagnostics import Diagnostic, count_errors
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.semantics.lower import lower
from idsl.semantics.model import Plan
from idsl.serve.workspace import Workspace, text_hash

_KEPT = 16  # analyses remembered (the page asks again for the same text when it scores or downloads)


@attrs.frozen
class Analysis:
    """What the page shows for one text: every diagnostic, and the plan when the spec has no errors."""

    name: str  # the file, relative to the folder
    text_hash: str  # of the text analysed
    diagnostics: tuple[Diagnostic, ...]
    sources: dict[str, Source]  # every file read, by the name its spans use
    plan: Plan | None  # None when the spec has errors

    @property
    def errors(self) -> int:
        return count_errors(self.diagnostics)


def analyse(workspace: Workspace, name: str, text: str) -> Analysis:
    """Check `text` as the file `name` of the workspace (its imports read from disk beside it)."""
    target = workspace.resolve(name)
    # Named as `idsl check` run here would name it (relative to the working directory), so the plan's
    # spans and source names, and a compiled download, read as the command line's do.
    loaded = load_text(Source(_as_typed(target), text.replace("\r\n", "\n").replace("\r", "\n")))
    plan = None
    diagnostics = tuple(check(loaded))
    if loaded.spec is not None and not count_errors(diagnostics):
        plan = lower(loaded.spec, loaded.sources)
    sources = {workspace.relative(path): source for path, source in loaded.sources.items()}
    return Analysis(workspace.relative(target), text_hash(text), tuple(_renamed(d, workspace) for d in diagnostics),
                    sources, plan)


def _as_typed(target: Path) -> str:
    try:
        return os.path.relpath(target)
    except ValueError:  # another drive
        return str(target)


def _renamed(diagnostic: Diagnostic, workspace: Workspace) -> Diagnostic:
    """The diagnostic with its files named relative to the folder, as `idsl check` run there names them."""
    span = attrs.evolve(diagnostic.span, file=workspace.relative(diagnostic.span.file))
    labels = tuple(attrs.evolve(label, span=attrs.evolve(label.span, file=workspace.relative(label.span.file)))
                   for label in diagnostic.labels)
    return attrs.evolve(diagnostic, span=span, labels=labels)


class Analyses:
    """The last analyses, by file and text, so scoring and downloads do not check the same text again."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self._kept: OrderedDict[tuple[str, str], Analysis] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, name: str, text: str) -> Analysis:
        key = (name, text_hash(text))
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                return found
        found = analyse(self.workspace, name, text)
        with self._lock:
            self._kept[key] = found
            while len(self._kept) > _KEPT:
                self._kept.popitem(last=False)
        _settle()
        return found


def _settle() -> None:
    """Put what an analysis left in memory out of the cycle collector's way: the remembered pieces of a
    big spec are millions of objects, and a full pass over them (every few keystrokes) took longer
    than the keystroke's check. Young cyclic garbage is collected first; the rest is freed by reference
    counting as the memories forget it (the parsed trees hold no cycles)."""
    gc.collect(1)
    gc.freeze()


def utf16_offset(line_text: str, column: int) -> int:
    """The offset, in UTF-16 code units (what JavaScript and LSP count), of a 1-based display column.

    >>> utf16_offset("决策（15）", 5)
    2
    >>> utf16_offset("ab", 9)
    2
    """
    cells = 1
    units = 0
    for char in line_text:
        if cells >= column:
            break
        cells += cell_len(char)  # as Span columns count: a tab is zero cells wide
        units += 2 if ord(char) > 0xFFFF else 1
    return units


def diagnostic_data(diagnostic: Diagnostic, sources: dict[str, Source]) -> dict:
    """A diagnostic as the page reads it: the fields of `idsl check --format json`, plus the span's
    lines and UTF-16 columns (0-based) in its file, for underlining."""
    span = diagnostic.span
    source = sources.get(span.file)
    start = end = 0
    if source is not None:
        start = utf16_offset(source.line(span.line), span.column)
        end = utf16_offset(source.line(span.end_line), span.end_column)
    return {"code": diagnostic.code, "severity": diagnostic.severity, "file": span.file, "line": span.line,
            "column": span.column, "end_line": span.end_line, "end_column": span.end_column,
            "from": start, "to": end, "path": list(diagnostic.path), "message": diagnostic.message,
            "hint": diagnostic.hint,
            "labels": [{"file": label.span.file, "line": label.span.line, "column": label.span.column,
                        "message": label.message} for label in diagnostic.labels]}

