"""Loading a spec file with its imports, and merging the imported trees under the importer's overrides."""

from __future__ import annotations

import contextlib
import gc
from pathlib import Path

import attrs

from idsl.frontend import ast
from idsl.diagnostics import Diagnostic
from idsl.frontend.cache import parse_cached
from idsl.frontend.source import Source


@attrs.frozen
class Loaded:
    """A spec with its imports merged in, every source read, and what went wrong on the way."""

    spec: ast.Spec | None  # None when the root file does not parse
    sources: dict[str, Source]  # every file read, by the path its spans name
    diagnostics: tuple[Diagnostic, ...]  # syntax and import errors


@contextlib.contextmanager
def fewer_collections():
    """Hold the cycle collector back while building big trees: the parser and checker make millions
    of small objects and no garbage cycles, and the collector's full passes over an ever larger heap
    made checking grow faster than the spec (a 10,000-leaf spec spent a quarter of its time there)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load(path: str | Path) -> Loaded:
    """Read, parse and merge a spec and everything it imports (raises OSError if the file is unreadable).

    Files are parsed through the cache of parsed sources (idsl.frontend.cache).
    """
    state = _State(parse_cached)
    root = Source.read(path)
    with fewer_collections():
        spec = state.load(root, chain=())
    return Loaded(spec, dict(state.sources), tuple(state.diagnostics))


def load_text(source: Source) -> Loaded:
    """As `load`, for text already in hand (parsed without the cache)."""
    state = _State(_parse)
    with fewer_collections():
        spec = state.load(source, chain=())
    return Loaded(spec, dict(state.sources), tuple(state.diagnostics))


class _State:
    """What one load has read so far (each file is parsed once, however often it is imported)."""

    def __init__(self, parse):
        self.parse = parse  # a Source → (spec or None, diagnostics)
        self.sources: dict[str, Source] = {}
        self.parsed: dict[Path, ast.Spec | None] = {}
        self.diagnostics: list[Diagnostic] = []

    def load(self, source: Source, chain: tuple[Path, ...]) -> ast.Spec | None:
        self.sources[source.path] = source
        spec, diagnostics = self.parse(source)
        self.diagnostics.extend(diagnostics)
        if spec is None:
            return None
        here = Path(source.path).resolve()
        merged: ast.Spec | None = None
        for imported in spec.imports:
            base = self._import(imported, here, chain + (here,), Path(source.path).parent)
            if base is not None:
                merged = base if merged is None else merge(merged, base)
        return spec if merged is None else merge(merged, spec)

    def _import(self, imported: ast.Import, importer: Path, chain: tuple[Path, ...], shown_dir: Path) -> ast.Spec | None:
        relative = Path(imported.path)
        if relative.is_absolute() or relative.suffix != ".idsl":
            self.diagnostics.append(Diagnostic(
                "E203", f"只能引用相对路径的 .idsl 文件：“{imported.path}”。", imported.span,
                hint="写成相对于本文件的路径，例如 引用 \"共性指标.idsl\"。"))
            return None
        target = (importer.parent / relative).resolve()
        if target in chain:
            cycle = " → ".join(p.name for p in chain[chain.index(target):] + (target,))
            self.diagnostics.append(Diagnostic(
                "E204", f"循环引用：{cycle}。", imported.span, hint="去掉其中一个“引用”，让引用关系不成环。"))
            return None
        if not target.is_file():
            self.diagnostics.append(Diagnostic(
                "E203", f"找不到要引用的文件“{imported.path}”。", imported.span,
                hint=f"路径相对于本文件所在的目录（{shown_dir.as_posix() or '.'}）；检查文件名和位置。"))
            return None
        if target not in self.parsed:
            text = Source.read(target).text
            self.parsed[target] = self.load(Source(str(_display_path(target)), text), chain)
        return self.parsed[target]


def _parse(source: Source):
    from idsl.frontend.parse import parse  # imported when used: checking a cached file needs no parser

    return parse(source)


def _display_path(target: Path) -> Path:
    """The imported file's path as shown in diagnostics: relative to the working directory when possible."""
    try:
        return target.relative_to(Path.cwd())
    except ValueError:
        return target


def merge(base: ast.Spec, overlay: ast.Spec) -> ast.Spec:
    """The overlay's settings over the base's; indicators merged by name, an overlay leaf replacing the base's.

    >>> a = ast.Spec("甲", None, indicators=(ast.Indicator("决策", None),))
    >>> merge(a, ast.Spec(None, None, indicators=(ast.Indicator("决策", None), ast.Indicator("过程", None)))).title
    '甲'
    """
    return attrs.evolve(
        overlay,
        title=overlay.title if overlay.title is not None else base.title,
        total=overlay.total if overlay.total is not None else base.total,
        places=overlay.places if overlay.places is not None else base.places,
        grades=overlay.grades or base.grades,
        imports=(),
        inputs=base.inputs + overlay.inputs,
        derived=base.derived + overlay.derived,
        questionnaires=base.questionnaires + overlay.questionnaires,
        indicators=_merge_indicators(base.indicators, overlay.indicators),
        adjustments=_merge_adjustments(base.adjustments, overlay.adjustments),
        layout=overlay.layout or base.layout,
        examples=base.examples + overlay.examples,
    )


def _merge_indicators(base: tuple[ast.Indicator, ...], overlay: tuple[ast.Indicator, ...]) -> tuple[ast.Indicator, ...]:
    merged = list(base)
    positions = {indicator.name: i for i, indicator in enumerate(merged)}
    for indicator in overlay:
        if indicator.name in positions:
            i = positions[indicator.name]
            merged[i] = _merge_indicator(merged[i], indicator)
        else:
            positions[indicator.name] = len(merged)
            merged.append(indicator)
    return tuple(merged)


def _merge_indicator(base: ast.Indicator, overlay: ast.Indicator) -> ast.Indicator:
    """An overlay with a rule replaces the base's scoring; with children it merges them; fields it sets win."""
    return attrs.evolve(
        base,
        points=overlay.points if overlay.points is not None else base.points,
        explanation=overlay.explanation or base.explanation,
        standard=overlay.standard if overlay.body is not None else (overlay.standard or base.standard),
        not_applicable=overlay.not_applicable or base.not_applicable,
        children=_merge_indicators(base.children, overlay.children) if overlay.children else base.children,
        body=overlay.body if overlay.body is not None else base.body,
        span=overlay.span,
        points_span=overlay.points_span if overlay.points is not None else base.points_span,
    )


def _merge_adjustments(base, overlay):
    merged = {block.name: block for block in base}
    for block in overlay:
        if block.name in merged:
            old = merged[block.name]
            merged[block.name] = attrs.evolve(block, cap=block.cap if block.cap is not None else old.cap,
                                              items=_merge_indicators(old.items, block.items))
        else:
            merged[block.name] = block
    return tuple(merged.values())
