"""What the language server answers, as plain functions of a document's path and text (the server in
idsl.lsp.server only wraps them): diagnostics, hover, completion, definitions and formatting."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import attrs
from lsprotocol import types

from idsl.check import check
from idsl.diagnostics import Diagnostic, count_errors
from idsl.frontend import ast
from idsl.frontend.parse import parse
from idsl.frontend.keep import Unfaithful, format_checked
from idsl.frontend.printer import Unprintable
from idsl.frontend.resolve import load_text, words_imported
from idsl.frontend.source import Source
from idsl.render.standard import standard_text
from idsl.serve.analysis import utf16_offset
from idsl.serve.keywords import keywords
from idsl.semantics.lower import lower
from idsl.semantics.numbers import format_points

SOURCE = "idsl"
_WORD = re.compile(r"[\w“”‘’《》·-]+")


@attrs.frozen
class Document:
    """One open document, checked: what every request about it reads."""

    path: str  # its file path (imports are read beside it)
    text: str
    spec: ast.Spec | None  # None when it does not parse
    diagnostics: tuple[Diagnostic, ...]
    plan: object | None  # the lowered plan when the spec has no errors


def analyse(path: str, text: str) -> Document:
    """Parse and check a document's text as `idsl check` would check the file."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    loaded = load_text(Source(path, text))
    diagnostics = tuple(check(loaded))
    plan = None
    if loaded.spec is not None and not count_errors(diagnostics):
        plan = lower(loaded.spec, loaded.sources)
    return Document(path, text, loaded.spec, diagnostics, plan)


# ---------------------------------------------------------------- diagnostics


def lsp_diagnostics(document: Document) -> list[types.Diagnostic]:
    """The document's own diagnostics (those in files it imports are reported at the import line)."""
    lines = document.text.split("\n")
    found = []
    for diagnostic in document.diagnostics:
        span = diagnostic.span
        if Path(span.file).resolve() != Path(document.path).resolve():
            continue
        start = _position(lines, span.line, span.column)
        end = _position(lines, span.end_line, span.end_column)
        message = diagnostic.message
        if diagnostic.path:
            message += f"\n指标：{' › '.join(diagnostic.path)}"
        if diagnostic.hint:
            message += f"\n提示：{diagnostic.hint}"
        severity = types.DiagnosticSeverity.Error if diagnostic.severity == "error" else types.DiagnosticSeverity.Warning
        found.append(types.Diagnostic(range=types.Range(start=start, end=end), message=message, severity=severity,
                                      code=diagnostic.code, source=SOURCE))
    return found


def _position(lines: list[str], line: int, column: int) -> types.Position:
    text = lines[line - 1] if 1 <= line <= len(lines) else ""
    return types.Position(line=max(line - 1, 0), character=utf16_offset(text, column))


# ---------------------------------------------------------------- hover


def hover(document: Document, line: int, character: int) -> str | None:
    """Markdown for the indicator whose block holds the position: its path, points and 评分标准 text."""
    found = _indicator_at(document, line + 1)
    if found is None:
        return None
    path, indicator = found
    points = format_points(indicator.points) if indicator.points is not None else "（未写分值）"
    parts = [f"**{' › '.join(path)}**（{points} 分）"]
    if document.plan is not None:
        node = document.plan.find(path)
        if node is not None and node.leaf is not None:
            parts.append(f"评分标准：{standard_text(node, places=document.plan.places)}")
        elif node is not None:
            children = "、".join(f"{c.name}（{format_points(c.points)}）" for c in node.children)
            parts.append(f"下级指标：{children}")
    else:
        parts.append("（体系有错误，改正后显示生成的评分标准。）")
    return "\n\n".join(parts)


def _indicator_at(document: Document, line: int) -> tuple[tuple[str, ...], ast.Indicator] | None:
    """The last indicator heading at or above the line, in this file, with its path."""
    if document.spec is None:
        return None
    best = None
    for path, indicator in _indicators(document.spec.indicators, ()):
        span = indicator.span
        if span is not None and span.line <= line and _same_file(span.file, document.path):
            if best is None or span.line >= best[1].span.line:
                best = (path, indicator)
    return best


def _indicators(indicators, above: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], ast.Indicator]]:
    for indicator in indicators:
        path = above + (indicator.name,)
        yield path, indicator
        yield from _indicators(indicator.children, path)


def _same_file(a: str, b: str) -> bool:
    return Path(a).resolve() == Path(b).resolve()


# ---------------------------------------------------------------- completion


def completion(document: Document) -> list[types.CompletionItem]:
    """Every keyword, and the names of the inputs and named quantities the spec declares."""
    items = [types.CompletionItem(label=word, kind=types.CompletionItemKind.Keyword) for word in keywords()]
    seen: set[str] = set()
    for node in _walk(document.spec):
        if isinstance(node, (ast.Input, ast.Derived)) and node.name not in seen:
            seen.add(node.name)
            detail = "输入" if isinstance(node, ast.Input) else "计算量"
            items.append(types.CompletionItem(label=node.name, kind=types.CompletionItemKind.Variable, detail=detail))
    return items


def _walk(node: object) -> Iterator[object]:
    """Every AST node under `node`, depth first."""
    if node is None:
        return
    yield node
    if isinstance(node, (tuple, list)):
        for item in node:
            yield from _walk(item)
    elif attrs.has(type(node)):
        for field in attrs.fields(type(node)):
            if field.name != "span":
                value = getattr(node, field.name)
                if isinstance(value, (tuple, list)) or attrs.has(type(value)):
                    yield from _walk(value)


# ---------------------------------------------------------------- definitions


def definition(document: Document, line: int, character: int) -> types.Location | None:
    """Where the word under the cursor is declared: an input or named quantity, or an imported file."""
    lines = document.text.split("\n")
    text = lines[line] if 0 <= line < len(lines) else ""
    imported = re.match(r'\s*(?:引用|import)\s+"([^"]+)"', text)
    if imported:
        target = (Path(document.path).parent / imported.group(1)).resolve()
        if target.exists():
            return types.Location(uri=target.as_uri(), range=types.Range(start=types.Position(line=0, character=0),
                                                                        end=types.Position(line=0, character=0)))
        return None
    word = _word_at(text, character)
    if not word:
        return None
    for node in _walk(document.spec):
        if isinstance(node, (ast.Input, ast.Derived)) and node.name == word and node.span is not None:
            return _location(node.span, node.name)
    return None


def _word_at(text: str, character: int) -> str | None:
    """The name under a UTF-16 position of a line."""
    offset = len(text.encode("utf-16-le")[: character * 2].decode("utf-16-le", errors="ignore"))
    for match in _WORD.finditer(text):
        if match.start() <= offset <= match.end():
            return match.group(0)
    return None


def _location(span, name: str) -> types.Location:
    """The declaration's location: the name itself within the declaring line, when it can be found there."""
    source = Source.read(span.file)
    line_text = source.line(span.line)
    start = utf16_offset(line_text, span.column)
    index = line_text.find(name, len(line_text.encode("utf-16-le")[: start * 2].decode("utf-16-le", errors="ignore")))
    if index < 0:
        index = line_text.find(name)
    units = len(line_text[:index].encode("utf-16-le")) // 2 if index >= 0 else start
    length = len(name.encode("utf-16-le")) // 2
    position = types.Position(line=span.line - 1, character=units)
    return types.Location(uri=Path(span.file).resolve().as_uri(),
                          range=types.Range(start=position, end=types.Position(line=span.line - 1, character=units + length)))


# ---------------------------------------------------------------- formatting


class NotFormatted(Exception):
    """Why a document was left as it is (the message is shown to the author)."""


def formatted(path: str, text: str) -> str:
    """The document in `idsl fmt`'s canonical form; NotFormatted when fmt would refuse it."""
    source = Source(path, text.replace("\r\n", "\n").replace("\r", "\n"))
    units, names = words_imported(source)
    spec, _diagnostics = parse(source, units, names)
    if spec is None:
        raise NotFormatted("有语法错误，先改正再格式化。")
    try:
        return format_checked(source, spec, units, names)
    except Unprintable as err:
        raise NotFormatted(str(err)) from err
    except Unfaithful as err:  # never offer text that would mean something else or lose a comment
        raise NotFormatted(f"{err}（idsl fmt 的缺陷），没有格式化。") from err


def whole_document(text: str) -> types.Range:
    lines = text.split("\n")
    return types.Range(start=types.Position(line=0, character=0),
                       end=types.Position(line=len(lines) - 1, character=len(lines[-1].encode("utf-16-le")) // 2))
