"""The 评分标准 sentence of 分档 over two subjects: one clause per first condition, its bands over the second after it."""

from __future__ import annotations

from typing import Callable

from idsl.frontend import ast
from idsl.semantics.compound import side_words
from idsl.semantics.phrases import describe_condition, expr_text


def compound_text(rule: ast.Compound, outcome: Callable[[ast.Outcome], str],
                  counted: Callable[[ast.Band, ast.Expr], ast.Band] = lambda band, subject: band) -> str:
    """按期完成的，完成率≥95%得满分，80%≤完成率<95%得3分；未按期完成的，完成率≥95%得2分，否则得0分。

    `counted` gives a band over the second subject its counting words (问题数≥3项)."""
    first, second = rule.subjects
    groups: list[tuple[str, list[str]]] = []
    for band in rule.bands:
        head = _head(band.first, first)
        if isinstance(band.first, ast.Otherwise) and isinstance(band.second, ast.Otherwise):
            groups.append(("其他情况", [outcome(band.outcome)]))
            continue
        shown = counted(ast.Band(band.second, band.outcome), second)
        where = "否则" if isinstance(shown.cond, ast.Otherwise) else describe_condition(shown.cond, expr_text(second))
        clause = where + outcome(shown.outcome)
        if groups and groups[-1][0] == head:
            groups[-1][1].append(clause)
        else:
            groups.append((head, [clause]))
    return "；".join(f"{head}，{'，'.join(_alone(clauses))}" for head, clauses in groups) + "。"


def _alone(clauses: list[str]) -> list[str]:
    """否则 with nothing before it is every value: 评价等次为差的，得0分."""
    return [clauses[0].removeprefix("否则")] if len(clauses) == 1 else clauses


def _head(cond: ast.Cond, subject: ast.Expr) -> str:
    """The first condition as the clause opens: 按期完成的 / 未按期完成的 for 是否按期完成, 评价等次为优的, 完成率≥90%的."""
    if isinstance(cond, ast.Otherwise):
        return "其他情况下"
    word = side_words(cond, subject)
    name = expr_text(subject)
    if word in ("是", "否") and name.startswith("是否") and len(name) > 2:
        return ("" if word == "是" else "未") + name[2:] + "的"
    if word != describe_condition(cond, name):  # an answer or an option
        return f"{name}为{word}的"
    return word + "的"


__all__ = ["compound_text"]
