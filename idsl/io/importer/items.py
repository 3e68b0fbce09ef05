"""Rules of items: elements and their points, numbered elements, a case's deduction, a deduction per finding."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from idsl.io.importer.bands import numbered_bands
from idsl.io.importer.changes import base_year_cases
from idsl.io.importer.counts import count_name
from idsl.io.importer.elements import AWARD, element, elements_checklist
from idsl.io.importer.leaf import Leaf
from idsl.io.importer.phrases import NUM, award_points, names_in

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PARTIAL = "不完全符合的，可酌情扣分。"
_ITEM_POINTS = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]\s*$")
# the counting words of a finding: 每发现一项 here, 另按违规笔数每笔扣1分 around the rule
MEASURES = "人次|项|个|次|例|件|处|起|条|笔"


def checklist(flat: str, leaf: Leaf):
    """`①…；②…。以上要素各占25%权重分，符合得0.5分，不符合得0分。`: elements each worth the same points; an equal
    split that does not end (各占1/3权重分（每项1/3分），符合得1/3分) is `均分`, the points ÷ the elements exactly.

    >>> checklist("①制度健全；②执行有效；③资料齐全。以上要素各占1/3权重分，符合得1/3分，不符合得0分。"
    ...           "得分按符合项的分值合计后四舍五入。", Leaf(Decimal(1), "score", "管理"))
    ('要素', ['要素 均分', '  - 制度健全', '  - 执行有效', '  - 资料齐全'])
    """
    found = re.fullmatch(rf"([①-⑳].+?)。以上要素各占([^，（(]+?)权重分(?:[（(]每项({_EACH})分[)）])?，符合[得扣加]({_EACH})分，"
                         rf"不符合(?:得0分|不扣分|不加分)。({_PARTIAL})?(?:{_SUMMED})?", flat)
    if found is None:
        return None
    items = [item.rstrip("；;") for item in re.split(f"[{_CIRCLED}]", found.group(1))[1:]]
    each = found.group(4)
    if not _writable_items(items) or found.group(3) not in (None, each):
        return None
    equal = found.group(3) is not None or "/" in each
    if equal and (leaf.points is None or Fraction(each) * len(items) != Fraction(leaf.points)):
        return None  # 均分 is the indicator's points split over the elements, exactly: else the text says otherwise
    head = "要素 均分" if equal else f"要素 每项 {each} 分"
    return "要素", [head + ("，可酌情" if found.group(5) else "")] + [f"  - {item}" for item in items]


# an element's points as a decimal or, where an equal split does not end, a fraction (1/3); the sentence saying the
# elements' points are summed before the score is rounded
_EACH = rf"{NUM}|\d+/\d+"
_SUMMED = "得分按符合项的分值合计后四舍五入。"


def single_item(flat: str, leaf: Leaf):
    """One element and its points, `…的，得2分；不符合的，得0分。`, or the element's case alone, `…充分的，得2分。`
    (its points may fall short of the indicator's: the checker says so).

    >>> single_item("本部门在预算编制时、按要求编制中期财政规划的，得2分。", Leaf(Decimal(4), "score", "规划性"))
    ('要素', ['要素', '  - 本部门在预算编制时、按要求编制中期财政规划的（2分）'])
    """
    alone = re.fullmatch(rf"([^，；。]+的)，得({NUM})分。", flat)
    if alone is not None and leaf.kind == "score" and _writable_items([alone.group(1)]):
        return "要素", ["要素", f"  - {alone.group(1)}（{alone.group(2)}分）"]
    found = re.fullmatch(rf"([^；]+?)，[得扣加]({NUM})分；不符合的，(?:得0分|不扣分|不加分)。({_PARTIAL})?", flat)
    if found is None or not _writable_items([found.group(1)]):
        return None
    head = f"要素 每项 {found.group(2)} 分" + ("，可酌情" if found.group(3) else "")
    return "要素", [head, f"  - {found.group(1)}"]


def _writable_items(items: list[str]) -> bool:
    return bool(items) and all(item and item == item.strip() and not item.startswith(("-", "#", '"'))
                               and not _ITEM_POINTS.search(item) for item in items)


def penalty_case(flat: str, leaf: Leaf):
    """A 逆向指标 item's fixed deduction on a described case, 若出现违反相关规定，受到…处罚或通报批评的，扣5分 (its
    absence, 无此类现象不扣分, before or after it): a 选择 of the case, in the text's words, and of its absence, so
    the evaluator says whether it happened.

    >>> penalty_case("无此类现象不扣分，若出现违规，受到通报批评的，扣5分。", Leaf(Decimal(5), "penalty", "政府采购"))
    ('选择', ['选择 政府采购情况', '  违规，受到通报批评：5 分', '  无此类现象：0 分'])
    """
    found = _CASE.fullmatch(flat)
    if found is None or leaf.kind != "penalty" or _NOT_A_CASE.search(found.group("case")):
        return None
    name = _choice_name(leaf)
    leaf.declared.add(name)
    absent = found.group("before") or found.group("after") or "无此类现象"
    return "选择", [f"选择 {name}", f"  {found.group('case')}：{found.group('points')} 分", f"  {absent}：0 分"]


_CASE = re.compile(rf"(?:(?P<before>[^，。；]{{1,12}})不扣分，)?(?:若|如)?(?:出现|发生)?(?P<case>[^。；]+?)的，扣(?P<points>{NUM})分"
                   rf"(?:，(?P<after>[^，。；]{{1,12}})不扣分)?。")
# a case holding a number, a comparison or a score is a rule of its own (bands, a count), not a described case
_NOT_A_CASE = re.compile(r"\d|每|[得扣加]分|不得分|酌情|[=≥≤<>%:：#\"]|^-")


def numbered(text: str, leaf: Leaf):
    """`1. …的，得2分；\\n2. …` : step bands, a choice, or a checklist with unequal points; an element's award
    may follow its 的 straight (…制度的得1分), and a closing sentence leaving partial compliance to the evaluator
    makes the checklist 可酌情. Elements that say more than their points (a note, a part's name, 否则按比例扣分;
    after a lead-in ending in ：) are a checklist only, the text kept where a lead-in precedes them."""
    body, partial = _partial_ending(text)
    marks = list(re.finditer(r"(?:^|(?<=[；。：\n]))\s*(\d+)[.．、]\s*", body))
    if len(marks) < 2 or [int(m.group(1)) for m in marks] != list(range(1, len(marks) + 1)):
        return None
    lead = body[:marks[0].start()].replace("\n", "")
    if lead and (not lead.endswith("：") or _awards_in(lead)):
        return None
    texts = [body[mark.end():after.start() if after else len(body)].strip().rstrip("；;。").replace("\n", "")
             for mark, after in zip(marks, marks[1:] + [None])]
    items = [_plain(item) for item in texts]
    if not lead and all(items):
        return _bands_or_elements(items, leaf, partial)
    found = [element(item, leaf) for item in texts]
    if any(e is None for e in found) or not _writable_items([e.text for e in found]):
        return None
    leaf.kept = leaf.kept or bool(lead)
    return elements_checklist(found, partial, leaf)


def _bands_or_elements(items: list[tuple[str, str]], leaf: Leaf, partial: bool):
    specials = len(leaf.specials)
    bands = numbered_bands(base_year_cases(items, leaf), leaf)  # a change rate's base year at 0: a special case
    if bands is not None:
        return None if partial else bands
    del leaf.specials[specials:]
    return _choice_or_checklist(items, leaf, partial)


def _plain(item: str) -> tuple[str, str] | None:
    """An item's condition and award, when it says nothing else (an element awarding twice, …的，得1分；完全没有…的，
    不得分, says more; a bracketed note aside is no second award)."""
    found = re.fullmatch(rf"(.+?)(?:，|(?<=的))({AWARD})", item)
    if found is None or re.search(AWARD, re.sub(r"[（(][^（）()]*[)）]", "", found.group(1))):
        return None
    return found.group(1), found.group(2)


def _awards_in(text: str) -> bool:
    return re.search(AWARD, text) is not None or "酌情" in text


# The sentence after numbered elements leaving what they do not fully meet to the evaluator: 不完全符合的，可酌情扣分,
# 对上述4项标准，没有完全符合的，可酌情扣分, 评价时发现有项目不符合上述条件的，酌情扣分, or a last element 3.其他情况酌情扣分
_PARTIAL_ENDING = re.compile(r"[；。\n]*(?:\d+[.．、])?(?:不完全符合的，可|对上述\d+项标准，没有完全符合的，可|"
                             r"评价时发现有项目不符合上述条件的，|其他情况)酌情扣分。?$")


def _partial_ending(text: str) -> tuple[str, bool]:
    """Numbered elements without their closing 酌情扣分 sentence, and whether there was one.

    >>> _partial_ending("1.制度健全的，得1分；2.制度得到执行的，得1分；\\n3.其他情况酌情扣分。")
    ('1.制度健全的，得1分；2.制度得到执行的，得1分', True)
    >>> _partial_ending("1.目标合理的，得1分；2.目标可分解的，得1分；对上述2项标准，没有完全符合的，可酌情扣分。")
    ('1.目标合理的，得1分；2.目标可分解的，得1分', True)
    """
    found = _PARTIAL_ENDING.search(text)
    if found is None or found.start() == 0:
        return text, False
    return text[:found.start()].rstrip("；。\n"), True


def _choice_or_checklist(items: list[tuple[str, str]], leaf: Leaf, partial: bool):
    values = [award_points(outcome, leaf.kind, leaf.points) for _, outcome in items]
    if any(v is None for v in values) or (leaf.kind == "penalty" and any("得满分" in o for _, o in items)):
        return None  # a 逆向指标's option gives its deduction: 得满分 there would take the item's points off
    is_choice = any(v == 0 for v in values) or (leaf.points is not None and sum(values) != leaf.points
                                                and max(values) == leaf.points)
    if is_choice and not partial:
        labels = [label.removesuffix("的") for label, _ in items]
        if not all(re.fullmatch(r"[^\s:：#\"\-][^\n:：≥≤<>=]*", label) for label in labels):  # a comparison: bands
            return None
        name = _choice_name(leaf)
        leaf.declared.add(name)
        return "选择", [f"选择 {name}"] + [f"  {label}：{v} 分" for label, v in zip(labels, values)]
    texts = [label for label, _ in items]
    if not _writable_items(texts):
        return None
    head = "要素" + (" 可酌情" if partial else "")
    return "要素", [head] + [f"  - {text}（{v}分）" for text, v in zip(texts, values)]


def _choice_name(leaf: Leaf) -> str:
    name = leaf.name.removesuffix("情况") + "情况"  # 执行情况 is named once, not 执行情况情况
    return name if names_in(name) == [name] else "评定情况"


def per_finding(flat: str, leaf: Leaf):
    """每发现一个问题扣0.5分，扣完为止 (and the older 发现一项扣0.5分): the count named after what it counts. The
    full points may come first, `…要求的，得5分；发现一项没有满足的扣1分，扣完为止。`, and notes that score nothing
    after it (本指标由评价组…评定): the text is then kept as the 评分标准 above the rule.

    >>> per_finding("符合要求的，得5分；发现一项没有满足的扣1分，扣完为止。本指标由评价组评定。",
    ...             Leaf(Decimal(5), "score", "规范性"))
    ('按项扣分', ['按项扣分 未满足项数 每项 1 分，扣完为止'])
    """
    head, notes = rule_and_notes(flat)
    if notes is None:
        return None
    opener = re.match(rf"[^；。]+?，?(?:得满分|得({NUM})分)；", head)
    if opener and opener.group(1) and (leaf.points is None or Decimal(opener.group(1)) != leaf.points):
        return None
    head = head[opener.end():] if opener else head
    found = re.fullmatch(rf"每?[发出]现一({MEASURES})(.*?)[扣加]({NUM})分(?:，(扣完为止|最多[扣加]({NUM})分|上限{NUM}分))?。",
                         head)
    if found is None:
        return None
    name = count_name(found.group(2), found.group(1))
    line = f"按项扣分 {name} 每项 {found.group(3)} 分"
    if found.group(5):
        line += f"，最多 {found.group(5)} 分"
    leaf.inputs.append(f"{name}：问题数")
    leaf.declared.add(name)
    leaf.kept = leaf.kept or bool(opener or notes)
    return "按项扣分", [line + ("，扣完为止" if found.group(4) == "扣完为止" else "")]


def rule_and_notes(flat: str) -> tuple[str, list[str] | None]:
    """A text's first sentence, and the sentences after it when none of them scores (else None): notes on the rule,
    本指标由评价组…评定, 重点工作是指…."""
    sentences = [sentence + "。" for sentence in flat.rstrip("。").split("。")]
    notes = sentences[1:]
    return sentences[0], None if any(_SCORES.search(note) for note in notes) else notes


# words that give or take points, or compare: a sentence holding one is no mere note
_SCORES = re.compile(rf"[得扣加]满?分|不得分|[得扣加]{NUM}|酌情|[=×÷≥≤<>]|%")
