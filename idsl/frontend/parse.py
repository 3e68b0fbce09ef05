"""Parse spec text into the frozen AST, reporting syntax errors as diagnostics: parse()."""

from __future__ import annotations

import re

import attrs

from lark import Tree
from lark.exceptions import UnexpectedInput, VisitError
from lark.indenter import DedentError

from idsl.frontend import ast
from idsl.diagnostics import Diagnostic
from idsl.frontend.deductions import resolve_deductions
from idsl.frontend.glued import imported_units
from idsl.frontend.lalr import lark_parser
from idsl.frontend.shape import ShapeError
from idsl.frontend.parse_spec import AstBuilder
from idsl.frontend.source import Source, Span, display_column, span_from_offsets
from idsl.limits import MAX_LEVELS, MAX_NESTING


def parse(source: Source, units: frozenset[str] = frozenset(),
          names: frozenset[str] = frozenset()) -> tuple[ast.Spec | None, list[Diagnostic]]:
    """Parse one source file: the AST (None on a syntax error) and any diagnostics. `units` and `names` are those
    the files it imports declare: a unit glued to the keyword after it (`100 人得满分`) is read apart by them too,
    and a syntax error's hint cuts a word at them (`受益人数则得满分`).

    >>> spec, diags = parse(Source("t.idsl", '体系 "示例" 总分 10\\n决策（10）\\n  目标设定（10）\\n    酌情\\n'))
    >>> spec.indicators[0].children[0].name, diags
    ('目标设定', [])
    """
    text = source.text if source.text.endswith("\n") else source.text + "\n"
    for early in (_control_character, _full_width_indentation):
        problem = early(source)
        if problem is not None:
            return None, [problem]
    tree, problem = _tree(source, text, units, names)
    if problem is not None:
        return None, [problem]
    too_deep = _too_deep(source, tree)
    if too_deep is not None:  # refused before the tree is built: building it recurses once per level
        return None, [too_deep]
    builder = AstBuilder(source)
    try:
        spec = builder.transform(tree)
    except VisitError as error:  # a malformed literal the grammar let through
        if isinstance(error.orig_exc, ShapeError):
            return None, [error.orig_exc.diagnostic]
        raise
    if any(d.code == "E108" for d in builder.diagnostics):  # a number no stage could compute with
        return None, builder.diagnostics
    return resolve_deductions(spec), _placed(spec, builder.diagnostics)


def _tree(source: Source, text: str, units: frozenset[str],
          names: frozenset[str]) -> tuple[Tree | None, Diagnostic | None]:
    """The text's parse tree, or its syntax error; the lexer, and the error's hints, know the imports' units and
    the hints their names."""
    with imported_units(units, names):
        try:
            return lark_parser().parse(text), None
        except UnexpectedInput as error:
            # Imported on a syntax error only: parsing a correct file needs neither difflib nor the hint tables.
            from idsl.frontend.parse_errors import syntax_diagnostic

            return None, syntax_diagnostic(source, text, error)
        except DedentError as error:
            from idsl.frontend.parse_errors import dedent_diagnostic  # as above: on an error only

            return None, dedent_diagnostic(source, text, error)


_DECLARATION_CODES = ("E462", "E409")  # found while a leaf's body is built, before the leaf knows its path


def _placed(spec: ast.Spec, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics of a declaration given the path of the leaf whose body holds them."""
    if not any(d.code in _DECLARATION_CODES and not d.path for d in diagnostics):
        return diagnostics
    bodies = []  # (body span, path) of every leaf
    stack = [(indicator, (indicator.name,)) for indicator in spec.indicators]
    while stack:
        indicator, path = stack.pop()
        if indicator.body is not None:
            bodies.append((indicator.body.span, path))
        stack.extend((child, path + (child.name,)) for child in indicator.children)

    def path_of(span: Span) -> tuple[str, ...]:
        where = (span.line, span.column)
        return next((path for body, path in bodies
                     if (body.line, body.column) <= where <= (body.end_line, body.end_column)), ())

    return [attrs.evolve(d, path=path_of(d.span)) if d.code in _DECLARATION_CODES and not d.path else d
            for d in diagnostics]


# Characters no spec text may hold: C0 controls but tab, newline and CR, DEL, C1 controls, and the
# bidirectional overrides and isolates. None is typed on purpose; each is invisible in an editor and
# can hide text, end an XML document or, echoed in a diagnostic, drive the terminal.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0B: "VT", 0x0C: "FF", 0x1B: "ESC", 0x7F: "DEL"}


_CHAINS = ("and_cond", "or_cond", "chain")  # flat in the tree: every comparison is one child


def _too_deep(source: Source, tree: Tree) -> Diagnostic | None:
    """E107 for indicators nested deeper than MAX_LEVELS or a construct nested deeper than MAX_NESTING,
    found without recursion (a formula of 20,000 terms nests 20,000 deep)."""
    stack = [(tree, 1, 0)]
    while stack:
        node, depth, levels = stack.pop()
        levels += node.data == "indicator"
        if levels > MAX_LEVELS:
            return _nesting(source, node, f"指标层级超过 {MAX_LEVELS} 级。", "指标体系一般为三级或四级；检查缩进。")
        if depth > MAX_NESTING:
            return _nesting(source, node, f"公式或条件嵌套太深（超过 {MAX_NESTING} 层）。",
                            "把公式拆开：先用“量 = …”定义其中的部分，再在公式中引用。")
        if node.data in _CHAINS and len(node.children) > 2 * MAX_NESTING:  # a 且/或 chain is flat but as costly
            return _nesting(source, node, f"一个条件连接了超过 {MAX_NESTING} 个比较。",
                            "把条件拆开：先用“量 = …”或几条“若 … 则 …”分别写出其中的部分。")
        stack.extend((child, depth + 1, levels) for child in node.children if isinstance(child, Tree))
    return None


def _nesting(source: Source, node: Tree, message: str, hint: str) -> Diagnostic:
    """E107 at the start of the line holding `node` (the formula or the indicator's heading)."""
    offset = 0 if getattr(node.meta, "empty", True) else node.meta.start_pos
    start = source.text.rfind("\n", 0, offset) + 1
    while start < offset and source.text[start] in " \t":
        start += 1
    end = source.text.find("\n", start)
    return Diagnostic("E107", message, span_from_offsets(source, start, len(source.text) if end < 0 else end), hint=hint)


def _control_character(source: Source) -> Diagnostic | None:
    """E106 for the first control character in the text, at its line and column."""
    found = _CONTROL.search(source.text)
    if found is None:
        return None
    code = ord(found.group())
    line = source.text.count("\n", 0, found.start()) + 1
    line_text = source.text[source.text.rfind("\n", 0, found.start()) + 1:].split("\n", 1)[0]
    column = display_column(line_text, found.start() - source.text.rfind("\n", 0, found.start()) - 1)
    name = f"U+{code:04X}" + (f"（{_CONTROL_NAMES[code]}）" if code in _CONTROL_NAMES else "")
    return Diagnostic("E106", f"这里有一个看不见的控制字符 {name}，体系文本中不能出现。",
                      Span(source.path, line, column, line, column + 1),
                      hint="删去它（多是从别处复制粘贴带进来的）。")


def _full_width_indentation(source: Source) -> Diagnostic | None:
    """E103 for a line indented with full-width spaces (U+3000): they look like indentation but are not."""
    for number, line in enumerate(source.text.split("\n"), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t\u3000"))]
        if "\u3000" in indent:
            span = Span(source.path, number, 1, number, display_column(line, len(indent)))
            return Diagnostic("E103", "这一行用全角空格缩进。", span, hint="缩进请用半角空格（每层两个）。")
    return None


# The layout vocabulary lives in the AST module; the printer and the tests still import it from here.
COLUMN_KINDS, ROW_KINDS = ast.COLUMN_KINDS, ast.ROW_KINDS

__all__ = ["parse", "COLUMN_KINDS", "ROW_KINDS"]
