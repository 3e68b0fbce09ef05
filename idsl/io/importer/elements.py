"""Numbered elements that say more than their points: a note, a part's name, a question, a share left to judgement."""

from __future__ import annotations

import re
from decimal import Decimal

import attrs

from idsl.io.importer.phrases import NUM, award_points
from idsl.semantics.numbers import format_points

AWARD = rf"(?:得满分|不得分|不扣分|不加分|(?:得|扣|加){NUM}分)"
# what the evaluator takes off an element not fully met: 否则酌情扣分, …的，视情节严重情况扣分，直至扣到0分
_JUDGED = r"(?:可)?(?:酌情|视[^，；。]{0,12}?情况|按[^，；。]{0,8}?情况)扣分(?:，(?:直至扣到0分|扣完为止))?"
_BRACKETS = re.compile(r"[（(][^（）()]*[)）]")


@attrs.frozen
class Element:
    """One numbered element: what it asks, the points it gives, and whether it says more than that."""

    text: str  # the element as the draft writes it, its notes in brackets
    points: Decimal
    partial: bool  # a share of its points is left to the evaluator (酌情, 按比例)


def element(item: str, leaf) -> Element | None:
    """A numbered item read as an element, None when it is no element (it awards twice, or judges without points).

    >>> element("绩效指标包含可量化的指标的，得1分；完全没有可量化的指标的，不得分", None).text
    '绩效指标包含可量化的指标的（完全没有可量化的指标的，不得分）'
    >>> e = element("会计核算规范性1分，规范执行会计核算制度得满分，其他核算不规范的，视具体情况扣分", None)
    >>> e.text, e.points, e.partial
    ('会计核算规范性：规范执行会计核算制度（其他核算不规范的，视具体情况扣分）', Decimal('1'), True)
    >>> element("所有意见均有回复，得1分，否则按比例扣分", None).text
    '所有意见均有回复（否则按比例扣分）'
    """
    question, body = _question(item)
    found = _named(body) or _awarded(body, leaf)
    if found is None:
        return None
    label, points, notes, partial = found
    if points is None or points <= 0 or _awards(label) or re.search(r"[≥≤<>=]", label):
        return None  # an element worth nothing, awarding twice, or a band's comparison is no element
    text = (f"{question}：" if question else "") + label + (f"（{'；'.join(notes)}）" if notes else "")
    return Element(text, points, partial)


def _question(item: str) -> tuple[str, str]:
    """The question a numbered item asks before its scoring sentence (1.主要指标能否体现…。主要指标均体现效果的，得5分),
    and the rest."""
    head, dot, rest = item.partition("。")
    if not dot or not rest or _awards(head) or "酌情" in head:
        return "", item
    return head, rest


def _named(body: str):
    """`预算执行规范性1分，…的得满分，否则酌情扣分`: a part named with its points, full marks on its case."""
    found = re.fullmatch(rf"([^，；：。\d]{{2,20}}?)({NUM})分，(.+?)，?得满分(?:，(.+))?", body)
    if found is None:
        return None
    name, points, case, rest = found.groups()
    if rest is not None and not re.fullmatch(rf"(?:否则|[^；]+?，){_JUDGED}", rest):
        return None
    return f"{name}：{case}", Decimal(points), _judged_note(rest), rest is not None


def _awarded(body: str, leaf):
    """`…的，得1分`, its note in brackets after it, `，否则按比例扣分` or `，否则酌情扣分`, and one more case after
    `；`: the element's failing case (…的，不得分) or its partial one (只有部分…的，酌情扣分)."""
    found = re.fullmatch(rf"(.+?)(?:，|(?<=的))({AWARD})([(（][^()（）]*[)）])?(?:，(否则(?:可)?(?:酌情|按比例)扣分))?"
                         rf"(?:；([^；]+?，(?:本项)?(?:不得分|(?:可)?酌情扣分)))?", body)
    if found is None:
        return None
    case, award, bracket, otherwise, tail = found.groups()
    kind, full = (leaf.kind, leaf.points) if leaf is not None else ("score", None)
    notes = [bracket[1:-1]] if bracket else []
    notes += [otherwise] if otherwise and "比例" in otherwise else []
    notes += [tail] if tail and tail.endswith("不得分") else []
    if tail and _awards(tail.rsplit("，", 1)[0]):
        return None
    return case, award_points(award, kind, full), notes, bool(otherwise or (tail and "酌情" in tail))


def _judged_note(rest: str | None) -> list[str]:
    """The cases a part's deduction names (超范围…的，视情节严重情况扣分), kept as its note; a bare 否则酌情扣分 says
    nothing 可酌情 does not."""
    return [rest] if rest and not rest.startswith("否则") else []


def _awards(text: str) -> bool:
    return re.search(AWARD, _BRACKETS.sub("", text)) is not None


def elements_checklist(elements: list[Element], partial: bool, leaf):
    """Elements that say more than their points, as a 要素 (可酌情 where any leaves a share to the evaluator)."""
    if leaf.kind != "score":
        return None
    head = "要素" + (" 可酌情" if partial or any(e.partial for e in elements) else "")
    return "要素", [head] + [f"  - {e.text}（{format_points(e.points)}分）" for e in elements]


__all__ = ["AWARD", "Element", "element", "elements_checklist"]
