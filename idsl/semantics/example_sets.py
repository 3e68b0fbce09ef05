"""What a worked example's 设 may name on an indicator or a part: one answer for idsl check (E413) and idsl test."""

from __future__ import annotations

from typing import Any

from idsl.frontend import ast
from idsl.semantics.lower import OVER_CUT
from idsl.semantics.model import LeafPlan, PartPlan
from idsl.semantics.pools import CHOSEN, states_choice
from idsl.semantics.rules import ITEM, SCORE

REASON = "理由"  # an input file's reason field; an example names it only where the leaf asks for one
NOT_APPLICABLE_WORDS = ("不适用", "not-applicable")  # `设 指标 = 不适用`, the 不适用 mark written as a value


def leaf_fields(indicator: Any, leaf: LeafPlan) -> set[str]:
    """The fields `设 指标.字段` may name on a leaf: its own inputs and questionnaires and its parts' (as the
    readers take them), 理由 where the leaf needs one. 要素, 得分 and 不适用 are written without a field, and a
    共用 input as `设 共用.名称`."""
    names = _own(leaf)
    for part in leaf.parts:
        names |= _own(part.leaf)
    if indicator.reason_below or any(_nodata_judged(u) for u in (leaf, *(p.leaf for p in leaf.parts))):
        names.add(REASON)
    return names


def default_field(leaf: LeafPlan) -> str | None:
    """What `设 指标 = 值` sets when no field is named: the rule's own value or the leaf's only input."""
    rules = [leaf.rule] + [p.leaf.rule for p in leaf.parts]
    if any(isinstance(r, ast.Checklist) for r in rules):
        return ITEM
    if any(isinstance(r, ast.Discretionary) for r in rules):
        return SCORE
    names = [i.name for i in leaf.own_inputs if i.name != OVER_CUT] + [q.name for q in leaf.own_questionnaires]
    for part in leaf.parts:
        names += [n for n in [i.name for i in part.leaf.own_inputs] + [q.name for q in part.leaf.own_questionnaires]
                  if n not in names]
    return names[0] if len(names) == 1 else None


def set_problem(indicator: Any, leaf: LeafPlan | None, field: str | None, value: Any) -> tuple[str, str] | None:
    """Why `设 指标[.字段] = 值` cannot be placed, as (message, hint); None when it can. `indicator` is the
    checker's ast.Indicator or the plan's Node (both have name, reason_below, pool, children)."""
    name = indicator.name
    if leaf is None:
        if field == CHOSEN and states_choice(indicator):
            return None
        chosen = f"；选用写成 设 {name}.选用 = …" if states_choice(indicator) else ""
        return f"“{name}”是上级指标，示例只能设末级指标的输入。", f"设它下面的末级指标{chosen}"
    if field is None and value in NOT_APPLICABLE_WORDS:
        if indicator.not_applicable is not None:
            return None
        return (f"“{name}”没有声明“不适用”的处理办法，示例不能设为不适用。",
                "在体系里给它写“不适用 剔除”或“不适用 得满分”，或者设它的实际输入")
    if field is None:
        if default_field(leaf) is not None:
            return None
        return f"“{name}”有多个输入，设 时要写出输入名。", f"写成 设 {name}.输入名 = 值；{fields_hint(name, leaf, indicator)}"
    if field in leaf_fields(indicator, leaf):
        return None
    return f"指标“{name}”没有输入“{field}”。", fields_hint(name, leaf, indicator)


def fields_hint(name: str, leaf: LeafPlan, indicator: Any) -> str:
    """The inputs an example may name; for a checklist or a judged score, given without a field, that form first."""
    fields = "、".join(sorted(leaf_fields(indicator, leaf)))
    rules = [leaf.rule] + [p.leaf.rule for p in leaf.parts]
    plain = (f"要素写成 设 {name} = 是、否、是（每个要素一个值）" if any(isinstance(r, ast.Checklist) for r in rules) else
             f"酌情给的分写成 设 {name} = 分数（示例不需要理由）" if any(isinstance(r, ast.Discretionary) for r in rules)
             else None)
    if plain is None:
        return "可用的输入：" + (fields or "无")
    return f"{plain}；可用的输入：{fields}" if fields else plain


def part_problem(name: str, part: PartPlan, field: str | None) -> tuple[str, str] | None:
    """Why `设 指标/分项[.字段] = 值` cannot be placed: a part takes its own fields, or none for its 得分 (要素)."""
    judged = isinstance(part.leaf.rule, (ast.Checklist, ast.Discretionary))
    fields = _own(part.leaf)
    if (field is None and judged) or (field is not None and field in fields):
        return None
    written = f"{name}/{part.name}" + (f".{field}" if field else "")
    listed = "可用的：" + ("、".join(sorted(fields)) or "无")
    if judged:
        return f"分项“{part.name}”没有“{written}”这样的输入。", f"{listed}；分项的得分（要素）不写字段名，写成 设 {name}/{part.name} = 值"
    return f"分项“{part.name}”没有“{written}”这样的输入。", f"{listed}；写成 设 {name}/{part.name}.输入名 = 值"


def _own(leaf: LeafPlan) -> set[str]:
    return {i.name for i in leaf.own_inputs} | {q.name for q in leaf.own_questionnaires}


def _nodata_judged(leaf: LeafPlan) -> bool:
    """无数据时 酌情: the evaluator's score comes with its 理由 (§11.15)."""
    return leaf.nodata is not None and leaf.nodata.outcome == "discretion"
