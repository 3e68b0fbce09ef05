"""Loading a spec file with its imports, and merging the imported trees under the importer's overrides."""

from __future__ import annotations

import contextlib
from decimal import Decimal
import gc
from pathlib import Path

import attrs

from idsl.frontend import ast
from idsl.diagnostics import Diagnostic
from idsl.frontend.cache import parse_cached
from idsl.frontend.deductions import resolve_deductions
from idsl.frontend.glued import declared_units
from idsl.frontend.scan import import_paths
from idsl.frontend.source import Source
from idsl.frontend.spacing import declared_names


MAX_IMPORTS = 200  # files one spec may import, directly or not
MAX_IMPORT_DEPTH = 50  # imports within imports
_IMPORT_HINT = "只引用体系所在文件夹（及其子文件夹）里的 .idsl 文本文件。"


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
    root = Source.read(path)
    state = _State(parse_cached, Path(path).resolve().parent)
    with fewer_collections():
        spec = state.load(root, chain=())
    return Loaded(spec, dict(state.sources), tuple(state.diagnostics))


def load_text(source: Source) -> Loaded:
    """As `load`, for text already in hand, as an editor sends it a keystroke at a time: the root text
    is parsed block by block, unchanged blocks remembered (imports are parsed whole)."""
    state = _State(_parse, Path(source.path).resolve().parent, root_parse=_parse_incrementally)
    with fewer_collections():
        spec = state.load(source, chain=())
    return Loaded(spec, dict(state.sources), tuple(state.diagnostics))


def words_imported(source: Source) -> tuple[frozenset[str], frozenset[str]]:
    """The units and the names the files a spec imports declare, theirs included: what its lexer and the hints
    of its syntax errors know besides its own (for parsing the one file alone, as `idsl fmt` does)."""
    here = Path(source.path).resolve()
    return _State(_parse, here.parent)._imported_words(source.text, here, chain=())


class _State:
    """What one load has read so far (each file is read and parsed once, however often it is imported)."""

    def __init__(self, parse, root: Path | None, root_parse=None):
        self.parse = parse  # a Source, the units and the names its imports declare → (spec or None, diagnostics)
        self.root_parse = root_parse or parse  # the same, for the root file
        self.root = root  # the root spec's folder, resolved: no import is read from outside it
        self.sources: dict[str, Source] = {}
        self.parsed: dict[Path, ast.Spec | None] = {}
        self.texts: dict[Path, Source | tuple[str, str]] = {}  # each file read: its source, or why it cannot be
        self.words: dict[Path, tuple[frozenset[str], frozenset[str]]] = {}  # the units and names a file and its imports declare
        self.diagnostics: list[Diagnostic] = []

    def load(self, source: Source, chain: tuple[Path, ...]) -> ast.Spec | None:
        self.sources[source.path] = source
        here = Path(source.path).resolve()
        units, names = self._imported_words(source.text, here, chain)
        spec, diagnostics = (self.parse if chain else self.root_parse)(source, units, names)
        self.diagnostics.extend(diagnostics)
        if spec is None:
            return None
        merged: ast.Spec | None = None
        for imported in spec.imports:
            base = self._import(imported, here, chain + (here,), Path(source.path).parent)
            if base is not None:
                merged = base if merged is None else merge(merged, base)
        spec = spec if merged is None else merge(merged, spec)
        return spec if chain else resolve_deductions(derive_weights(spec))  # once the points are final

    def _imported_words(self, text: str, here: Path, chain: tuple[Path, ...]) -> tuple[frozenset[str], frozenset[str]]:
        """The units and the names the files a text imports declare, theirs included: its lexer reads `100 人得满分`
        with a 人 declared there, and a syntax error's hint cuts `受益人数则得满分` at an imported 受益人数. The imports
        are found before the text is parsed, so each is read (once) then; no other file is read, and one the import
        itself would refuse is passed over (the import reports it)."""
        units: set[str] = set()
        names: set[str] = set()
        for written in import_paths(text):
            target = self._target(written, here, chain + (here,))
            source = self._read(target) if isinstance(target, Path) else None
            if isinstance(source, Source):
                if target not in self.words:
                    self.words[target] = frozenset(), frozenset()  # an import that leads back here adds nothing more
                    deeper_units, deeper_names = self._imported_words(source.text, target, chain + (here,))
                    self.words[target] = (declared_units(source.text) | deeper_units,
                                          declared_names(source.text) | deeper_names)
                units |= self.words[target][0]
                names |= self.words[target][1]
        return frozenset(units), frozenset(names)

    def _import(self, imported: ast.Import, importer: Path, chain: tuple[Path, ...], shown_dir: Path) -> ast.Spec | None:
        target = self._target(imported.path, importer, chain, shown_dir)
        if not isinstance(target, Path):
            return self._refuse(*target, imported)
        if target not in self.parsed:
            source = self._read(target)
            if not isinstance(source, Source):
                reason, hint = source
                return self._refuse("E203", f"不能引用“{imported.path}”：{reason}", hint, imported)
            self.parsed[target] = self.load(source, chain)
        return self.parsed[target]

    def _target(self, written: str, importer: Path, chain: tuple[Path, ...],
                shown_dir: Path | None = None) -> Path | tuple[str, str, str]:
        """The file an import names, resolved, or why it may not be read (code, message, hint)."""
        relative = Path(written)
        if relative.is_absolute() or relative.suffix != ".idsl":
            return ("E203", f"只能引用相对路径的 .idsl 文件：“{written}”。",
                    "写成相对于本文件的路径，例如 引用 \"共性指标.idsl\"。")
        try:
            target = (importer.parent / relative).resolve()
        except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError for a loop of symbolic links
            return "E204", f"“{written}”是一圈互相指向的符号链接。", "把符号链接换成真正的文件。"
        if target in chain:
            cycle = " → ".join(p.name for p in chain[chain.index(target):] + (target,))
            return "E204", f"循环引用：{cycle}。", "去掉其中一个“引用”，让引用关系不成环。"
        problem = self._unusable(target, len(chain))
        if problem:
            return "E203", f"不能引用“{written}”：{problem}", _IMPORT_HINT
        if not target.is_file():
            return ("E203", f"找不到要引用的文件“{written}”。",
                    f"路径相对于本文件所在的目录（{(shown_dir or Path('.')).as_posix() or '.'}）；检查文件名和位置。")
        return target

    def _read(self, target: Path) -> Source | tuple[str, str]:
        """The imported file's source (its path as diagnostics show it), read once; or why it cannot be (and a hint)."""
        if target not in self.texts:
            try:
                self.texts[target] = Source(str(_display_path(target)), Source.read(target).text)
            except UnicodeDecodeError:
                self.texts[target] = ("它不是 UTF-8 文本。", "用 UTF-8 编码保存这个文件。")
            except OSError as err:
                self.texts[target] = (f"{err.strerror or err}。", _IMPORT_HINT)
            if isinstance(self.texts[target], Source):  # every file read is a source: its text decides the parse
                self.sources.setdefault(self.texts[target].path, self.texts[target])
        return self.texts[target]

    def _unusable(self, target: Path, depth: int) -> str | None:
        """Why an import may not be read: outside the root spec's folder (its content is never shown),
        too deep a chain or too many files (each is read before its imports, so both are bounded)."""
        if self.root is not None and not target.is_relative_to(self.root):
            return "它在体系所在的文件夹之外（符号链接按其指向计）。"
        if depth >= MAX_IMPORT_DEPTH:
            return f"引用嵌套超过 {MAX_IMPORT_DEPTH} 层。"
        if target not in self.texts and len(self.texts) >= MAX_IMPORTS:
            return f"一个体系最多引用 {MAX_IMPORTS} 个文件。"
        return None

    def _refuse(self, code: str, message: str, hint: str, imported: ast.Import) -> None:
        self.diagnostics.append(Diagnostic(code, message, imported.span, hint=hint))
        return None


def _parse(source: Source, units: frozenset[str], names: frozenset[str]):
    from idsl.frontend.parse import parse  # imported when used: checking a cached file needs no parser

    return parse(source, units, names)


def _parse_incrementally(source: Source, units: frozenset[str], names: frozenset[str]):
    from idsl.frontend.incremental import parse_incrementally  # as in _parse: it imports the parser

    return parse_incrementally(source, units, names)


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
        bases=base.bases + tuple(b for b in overlay.bases if b.name not in {a.name for a in base.bases}),
        vetoes=base.vetoes + overlay.vetoes,
        grade_limits=base.grade_limits + overlay.grade_limits,
        consequences=base.consequences + tuple(c for c in overlay.consequences
                                               if c.name not in {b.name for b in base.consequences}),
        total_cap=overlay.total_cap if overlay.total_cap is not None else base.total_cap,
        rank_total=overlay.rank_total or base.rank_total,
        rescale_total=overlay.rescale_total or base.rescale_total,  # the overlay's line, where it writes one
        share_siblings=overlay.share_siblings or base.share_siblings,
    )


def _merge_indicators(base: tuple[ast.Indicator, ...], overlay: tuple[ast.Indicator, ...]) -> tuple[ast.Indicator, ...]:
    merged = list(base)
    positions = {indicator.name: i for i, indicator in enumerate(merged)}
    for indicator in overlay:
        if indicator.name in positions:
            i = positions[indicator.name]
            merged[i] = _merge_indicator(merged[i], indicator)
        else:
            if indicator.refines:  # 细化 of a name the import does not have: E460 lists the names it has
                indicator = attrs.evolve(indicator, refined=ast.Refinement("absent", names=tuple(b.name for b in base)))
            positions[indicator.name] = len(merged)
            merged.append(indicator)
    return tuple(merged)


def _refinement(base: ast.Indicator, overlay: ast.Indicator) -> ast.Refinement | None:
    """What an overlay with children (or written 细化) does to the base: refine its leaf, or a mistake."""
    if not (overlay.refines or (overlay.children and not base.children)):
        return None
    if base.children:
        kind = "branch"
    elif overlay.refines or _to_refine(base):  # 待细化 in the import already says a subtree goes here
        kind = "leaf"
    else:
        kind = "unmarked"
    return ast.Refinement(kind, base.points, span=base.span, points_span=base.points_span)


def _to_refine(indicator: ast.Indicator) -> bool:
    return indicator.body is not None and isinstance(indicator.body.rule, ast.Refine)


def _refined(base: ast.Indicator, overlay: ast.Indicator, refinement: ast.Refinement) -> ast.Indicator:
    """An imported leaf replaced by the overlay's subtree: the leaf's points (unless the overlay writes its
    own) over the overlay's children; the leaf's rule, inputs and 评分标准 go with it."""
    points = overlay.points is not None or overlay.weight is not None
    return attrs.evolve(
        overlay,
        points=overlay.points if points else base.points,
        weight=overlay.weight if points else base.weight,
        explanation=overlay.explanation or base.explanation,
        points_span=overlay.points_span if points else base.points_span,
        points_placeholder=overlay.points_placeholder or (not points and base.points_placeholder),
        body=overlay.body if overlay.children else overlay.body or base.body,  # no subtree: E460 alone says so
        refined=refinement,
    )


def _merge_indicator(base: ast.Indicator, overlay: ast.Indicator) -> ast.Indicator:
    """An overlay with a rule replaces the base's scoring; with children it merges them; fields it sets win.
    An overlay with children over a leaf replaces the leaf by its subtree (细化)."""
    refinement = _refinement(base, overlay)
    if refinement is not None and refinement.kind == "branch" and overlay.refines:
        return attrs.evolve(base, span=overlay.span, refines=True, refined=refinement)  # E460; the import stands
    if refinement is not None and refinement.kind != "branch":
        return _refined(base, overlay, refinement)
    return attrs.evolve(
        base,
        points=overlay.points if overlay.points is not None or overlay.weight is not None else base.points,
        # the overlay's weight, or its points instead of the base's weight
        weight=overlay.weight if overlay.weight is not None else None if overlay.points is not None else base.weight,
        explanation=overlay.explanation or base.explanation,
        standard=overlay.standard if overlay.body is not None else (overlay.standard or base.standard),
        not_applicable=overlay.not_applicable or base.not_applicable,
        reason_below=overlay.reason_below or base.reason_below,
        pool=overlay.pool or base.pool,
        children=_merge_indicators(base.children, overlay.children) if overlay.children else base.children,
        body=overlay.body if overlay.body is not None else base.body,
        span=overlay.span,
        points_span=overlay.points_span if overlay.points is not None else base.points_span,
        # （？） in the base is filled by the overlay's points; written in the overlay, it asks again.
        points_placeholder=overlay.points is None and (overlay.points_placeholder or base.points_placeholder)
        and (overlay.points_placeholder or base.points is None),
        refines=overlay.refines or base.refines,
        refined=refinement or base.refined,
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


def derive_weights(spec: ast.Spec) -> ast.Spec:
    """Points from weights (（30%）): each the parent's points × its percent, exactly (finite decimals multiply
    exactly); level 1 takes 总分 as its parent. A weight under a parent without points stays without."""
    if not _weighted(spec.indicators):
        return spec
    return attrs.evolve(spec, indicators=tuple(_derived(i, spec.total) for i in spec.indicators))


def _weighted(indicators: tuple[ast.Indicator, ...]) -> bool:
    return any(i.weight is not None or _weighted(i.children) for i in indicators)


def _derived(indicator: ast.Indicator, parent: Decimal | None) -> ast.Indicator:
    points = indicator.points
    if indicator.weight is not None:
        points = None if parent is None else parent * indicator.weight / 100
    children = tuple(_derived(child, points) for child in indicator.children)
    return attrs.evolve(indicator, points=points, children=children)
