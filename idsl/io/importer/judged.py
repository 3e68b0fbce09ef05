"""Scores the text leaves to judgement: 酌情 (in a range, or up to a cap), self-assessed, 定性's three tiers."""

from __future__ import annotations

import re
from decimal import Decimal

from idsl.io.importer.items import rule_and_notes
from idsl.io.importer.leaf import Leaf
from idsl.io.importer.phrases import NUM
from idsl.semantics.numbers import format_points


def discretionary(flat: str, leaf: Leaf):
    found = re.fullmatch(rf"由评价人员酌情评分(?:（({NUM})～({NUM})分）)?，须说明理由。", flat)
    if found is None and leaf.kind != "score":
        return _judged_item(flat, leaf)
    if found is None:
        return None
    return "酌情", _judged_range(found.group(1), found.group(2), leaf)


def _judged_range(low: str | None, high: str | None, leaf: Leaf) -> list[str]:
    if low is None or (Decimal(low) == 0 and leaf.points is not None and Decimal(high) == leaf.points):
        return ["酌情"]
    return [f"酌情 {low}～{high} 分"]


def _judged_item(flat: str, leaf: Leaf):
    """A penalty or bonus item left to the evaluator (按实际情况酌情扣分, 视情况扣分，最多扣2分, 按实际情况酌情扣分处理，
    上限10分): the rule gives the deduction, from 0 to the item's points or to a written cap below them.

    >>> _judged_item("视情况扣分，最多扣2分。", Leaf(Decimal(5), "penalty", "负面影响"))
    ('酌情', ['# 上限：原表写“最多扣2分”，本项分值 5 分，按较小的 2 分写出，请核对。', '酌情 0～2 分'])
    >>> _judged_item("按实际情况酌情扣分处理，上限10分。", Leaf(Decimal(10), "penalty", "自评工作质量"))
    ('酌情', ['酌情'])
    >>> _judged_item("已经完成不扣分，其他按整改程度酌情扣分处理，上限5分。", Leaf(Decimal(5), "penalty", "实施整改情况"))
    ('酌情', ['酌情'])
    """
    found = _JUDGED.fullmatch(flat)
    if found is None:
        if flat in ("不扣分。", "不加分。") and leaf.points == 0:
            return "酌情", ["酌情"]
        return None
    low, high, written, cap = found.groups()
    if cap is None or leaf.points is None or Decimal(cap) == leaf.points:
        return "酌情", _judged_range(low, high, leaf)
    # the item's points cap what its rule gives, so a written cap above them changes nothing; one below narrows it
    kept = min(Decimal(cap), leaf.points)
    note = (f"# 上限：原表写“{written}”，本项分值 {format_points(leaf.points)} 分，"
            f"按较小的 {format_points(kept)} 分写出，请核对。")
    return "酌情", [note, "酌情" if kept == leaf.points else f"酌情 0～{format_points(kept)} 分"]


# 按实际情况酌情扣分（0～5分）, 视情况扣分, 酌情扣分处理，上限10分 (or 最多扣10分), with or without 须说明理由; after
# the case that takes nothing off, 已经完成不扣分，其他按整改程度酌情扣分处理 (the evaluator's 0 covers it)
_JUDGED = re.compile(rf"(?:[^，。；]{{1,12}}不[扣加]分，(?:其他|其余))?"
                     rf"(?:(?:按实际|按具体|视具体|视)情况(?:酌情)?|按[\u4e00-\u9fff]{{1,6}}?酌情|酌情)[扣加]分(?:处理)?"
                     rf"(?:（({NUM})～({NUM})分）|，((?:上限|最多[扣加])({NUM})分))?(?:，须说明理由)?。")


def qualitative(flat: str, leaf: Leaf):
    """定性's standard text (财预〔2020〕10号 第十六条's three tiers) read back."""
    found = re.fullmatch(r"定性指标：按“(.+?)”分三档评定，分别在分值的100%-80%（含）、80%-60%（含）、60%-0%内确定得分，"
                         r"须说明理由。", flat)
    if found is None:
        return None
    name = found.group(1)
    leaf.inputs.append(f"{name}：选项 达成/部分达成/未达成")
    leaf.declared.add(name)
    return "定性", [f"定性 {name}"]


def self_assessed(flat: str, leaf: Leaf):
    """A score the unit assesses itself, 本项得分由单位自行评估实际得分，按照完成实际效果自评打分 or
    绩效目标完成率由单位自行评估，但需要提出合理的依据 (the indicator, by its name), notes after it scoring nothing:
    the evaluator's score with a reason (酌情), the text kept as the 评分标准.

    >>> self_assessed("绩效目标完成率由单位自行评估，但需要提出合理的依据。", Leaf(Decimal(3), "score", "绩效目标完成率"))
    ('酌情', ['酌情'])
    >>> self_assessed("完成率由单位自行评估。", Leaf(Decimal(3), "score", "绩效目标完成率")) is None
    True
    """
    head, notes = rule_and_notes(flat)
    found = _SELF_ASSESSED.fullmatch(head)
    if notes is None or found is None or found.group("subject") not in (None, leaf.name):
        return None
    leaf.kept = True
    return "酌情", ["酌情"]


_SELF_ASSESSED = re.compile(r"(?:本项得分|本指标得分|本项|本指标|(?P<subject>[^，。；]{1,30}?))由(?:被评价)?(?:单位|部门)"
                            r"(?:（单位）)?自行(?:评估|评价|评分)(?:实际得分)?"
                            r"(?:，(?:按照?[^，。；]{1,20}?自评打分|(?:但|并)?(?:需要?|须)(?:提出|说明|提供)[^，。；]{0,10}?"
                            r"(?:依据|理由)))?。")
