"""The checker: an ordered tuple of pure checks over a parsed spec, every diagnostic collected and sorted.

The checks themselves live in idsl.check.suite and are imported when first needed, so that a check
answered from the cache (see check_file) costs no more than reading the files.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from idsl.diagnostics import Diagnostic, sort_diagnostics
from idsl.frontend.cache import code_stamp, entry_path, read_entry, write_entry
from idsl.frontend.source import Source

if TYPE_CHECKING:  # pragma: no cover
    from idsl.frontend.resolve import Loaded


def check_spec(spec, sources: dict[str, Source]) -> list[Diagnostic]:
    """Run every check on a parsed, merged spec; all diagnostics, sorted and without repeats."""
    from idsl.check.suite import check_spec as run_checks  # lazy: see the module's note

    return run_checks(spec, sources)


def check(loaded: "Loaded") -> list[Diagnostic]:
    """Every diagnostic of a loaded spec: syntax and imports first, then (if it parsed) the checks."""
    from idsl.check.suite import unique  # lazy: see the module's note

    found = [_under_its_indicator(d, loaded.sources) for d in loaded.diagnostics]
    if loaded.spec is not None:
        found.extend(check_spec(loaded.spec, loaded.sources))
    return sort_diagnostics(unique(found))


def _under_its_indicator(diagnostic: Diagnostic, sources: dict[str, Source]) -> Diagnostic:
    """A syntax problem found before any tree, given the path of the indicator whose lines hold it."""
    source = sources.get(diagnostic.span.file)
    if diagnostic.path or source is None or diagnostic.span.line <= 0:
        return diagnostic
    from idsl.frontend.headings import enclosing_path

    path = enclosing_path(source, diagnostic.span.line)
    return attrs.evolve(diagnostic, path=path) if path else diagnostic


def check_file(path: str | Path) -> tuple[list[Diagnostic], dict[str, Source]]:
    """Load and check one file: its diagnostics and every source read (for showing excerpts).

    The result is kept in the cache (idsl.frontend.cache) with the text of every file read, and
    used again while none of them, the working directory and idsl itself have changed.
    """
    root = Source.read(path)
    entry = entry_path("checked", os.getcwd(), root.path)
    identity = (code_stamp(), os.getcwd(), root.path)
    found = read_entry(entry, identity)
    if found is not None:
        sources = _unchanged(found[1], root)
        if sources is not None:
            return list(found[0]), sources
    from idsl.frontend.resolve import load  # the AST and the parser are needed only on a miss

    loaded = load(path)
    diagnostics = check(loaded)
    if not any(d.code == "E203" for d in diagnostics):  # a missing import may appear later
        write_entry(entry, identity, (diagnostics, {name: source.text for name, source in loaded.sources.items()}))
    return diagnostics, loaded.sources


def _unchanged(texts: dict[str, str], root: Source) -> dict[str, Source] | None:
    """The sources again when every file still holds the text the cached result was computed from."""
    sources = {}
    for name, text in texts.items():
        try:
            source = root if name == root.path else Source.read(name)
        except (OSError, UnicodeDecodeError):
            return None
        if source.text != text:
            return None
        sources[name] = source
    return sources if root.path in sources else None


def __getattr__(name: str):
    if name == "CHECKS":
        from idsl.check.suite import CHECKS  # lazy: see the module's note

        return CHECKS
    raise AttributeError(f"module 'idsl.check' has no attribute {name!r}")


__all__ = ["CHECKS", "check", "check_file", "check_spec"]
