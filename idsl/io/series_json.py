"""A JSON leaf object's inputs per year or sub-project written grouped, read as the members they stand for.

Beside one key per member (`"进度2022": "80%"`), an input file may write a year series as an object
keyed by year, and the sub-projects as a list of objects, one per sub-project, in order:

    {"进度": {"2022": "80%", "2023": "90%", "2024": "85%"},
     "子项目": [{"执行数": "90 万元", "预算数": "100 万元"}, {"执行数": "30 万元", "预算数": "60 万元"}]}

A list shorter than the declared sub-projects leaves the others out, which the reader scores as 0 (a unit
with fewer sub-projects): a sub-project's figure is declared `blank_zero`, absent or blank alike.

    >>> from idsl.frontend import ast
    >>> sub = lambda b, k: ast.Input(f"{b}{k}", "money", "万元", series=ast.Series(b, "sub", 1, 2, k))
    >>> flat, problems = flatten([sub("执行数", 1), sub("执行数", 2)], {"子项目": [{"执行数": 5}]})
    >>> flat, problems
    ({'执行数1': 5}, [])
"""

from __future__ import annotations

from typing import Any, Sequence

from idsl.frontend import ast
from idsl.io.inputfile import is_blank

SUBPROJECTS = ("子项目", "subprojects")  # the key of the list of sub-projects' objects


def flatten(inputs: Sequence[ast.Input], raw: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
    """The object with grouped series written out as members, and the problems: (field, message, hint)."""
    members = {d.name: d for d in inputs if getattr(d, "series", None) is not None}
    if not members:
        return raw, []
    bases = {d.series.base: d.series for d in members.values()}
    flat: dict[str, Any] = {}
    problems: list[tuple[str, str, str]] = []
    for key, value in raw.items():
        series = bases.get(key)
        if series is not None and series.word == "year" and isinstance(value, dict):
            for label, given in value.items():
                name = f"{key}{label}"
                if name in members:
                    flat[name] = given
                else:
                    problems.append((f"{key}.{label}", f"“{key}”没有{label}年：声明的是{series.first}—{series.last}年。",
                                     f"按年度写 {series.first}～{series.last} 之间的年份。"))
        elif key in SUBPROJECTS and isinstance(value, list):
            problems += _subprojects(value, bases, flat)
        else:
            flat[key] = value
    return flat, problems


def _subprojects(items: list, bases: dict[str, ast.Series],
                 flat: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The list of sub-projects' objects, each field its member; the sub-projects not listed are left out."""
    subs = {base: s for base, s in bases.items() if s.word == "sub"}
    if not items:
        return [(SUBPROJECTS[0], "“子项目”是空的列表：至少要有一个子项目。", "每个子项目写一个对象，例如 [{\"执行数\": 90, \"预算数\": 100}]。")]
    problems = []
    for index, item in enumerate(items, start=1):
        if is_blank(item):  # a sub-project left blank: none of its figures given, as when left out
            continue
        if not isinstance(item, dict):
            problems.append((f"子项目{index}", "每个子项目应是一个对象。", "例如 {\"执行数\": 90, \"预算数\": 100}。"))
            continue
        for base, given in item.items():
            series = subs.get(base)
            if series is None or series.first + index - 1 > series.last:
                count = series.last - series.first + 1 if series else 0
                problems.append((f"子项目{index}.{base}",
                                 f"“{base}”没有第 {index} 个子项目（声明了 {count} 个）。" if series else
                                 f"子项目里没有“{base}”这个输入。", "按体系声明的子项目输入和个数填写。"))
                continue
            flat[f"{base}{series.first + index - 1}"] = given
    return problems


__all__ = ["SUBPROJECTS", "flatten"]
