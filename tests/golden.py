"""Golden files: a readable dump of the AST without spans, and compare-or-rewrite (`pytest --regen`)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
_HIDDEN = ("span", "points_span")  # positions are not part of a tree's meaning


def dump(node, indent: int = 0) -> str:
    """An indented dump of an AST node: one field a line, spans and wordings left out, defaults left out.

    Strings are JSON-quoted (so blanks and full-width marks are visible), numbers are written
    as their Decimal digits, tuples as `- ` lists.

    >>> from idsl.frontend import ast
    >>> print(dump(ast.Band(ast.Otherwise(), ast.Fixed(Decimal("1.50")))))
    Band
      cond: Otherwise
      outcome: Fixed
        points: 1.50
    """
    return "\n".join(_lines(node, indent))


def _lines(node, indent: int) -> list[str]:
    pad = "  " * indent
    if attrs.has(type(node)):
        lines = [pad + type(node).__name__]
        for field in attrs.fields(type(node)):
            if field.name in _HIDDEN or field.metadata.get("written"):  # nor is a wording of the same meaning
                continue
            value = getattr(node, field.name)
            if field.default is not attrs.NOTHING and _same(value, field.default):
                continue
            lines += _field(field.name, value, indent + 1)
        return lines
    return [pad + _scalar(node)]


def _field(name: str, value, indent: int) -> list[str]:
    pad = "  " * indent
    if attrs.has(type(value)):
        inner = _lines(value, indent)
        return [f"{pad}{name}: {inner[0].strip()}"] + inner[1:]
    if isinstance(value, tuple):
        if not value:
            return [f"{pad}{name}: []"]
        lines = [f"{pad}{name}:"]
        for item in value:
            lines += _item(item, indent + 1)
        return lines
    return [f"{pad}{name}: {_scalar(value)}"]


def _item(item, indent: int) -> list[str]:
    pad = "  " * indent
    if attrs.has(type(item)):
        inner = _lines(item, indent)
        return [f"{pad}- {inner[0].strip()}"] + inner[1:]
    if isinstance(item, tuple):
        lines = [f"{pad}-"]
        for sub in item:
            lines += _item(sub, indent + 1)
        return lines if item else [f"{pad}- []"]
    return [f"{pad}- {_scalar(item)}"]


def _scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (int, str)):
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f"cannot dump {type(value).__name__}")


def _same(value, default) -> bool:
    if isinstance(default, attrs.Factory):
        return False
    return type(value) is type(default) and value == default


def relative(path: Path) -> str:
    """A path as golden files name it: relative to the repository root, with / separators."""
    return path.resolve().relative_to(ROOT).as_posix()


def compare(actual: str, golden: Path, regen: bool) -> None:
    """Assert `actual` equals the golden file's text, or (with --regen) rewrite the golden file."""
    text = actual if actual.endswith("\n") or not actual else actual + "\n"
    if regen:
        golden.write_text(text, encoding="utf-8")
        return
    assert golden.exists(), f"{relative(golden)} is missing: run pytest --regen and review the new file"
    expected = golden.read_text(encoding="utf-8")
    assert text == expected, f"{relative(golden)} differs (pytest --regen rewrites it; review the diff)"
