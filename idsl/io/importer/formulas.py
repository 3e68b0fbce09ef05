"""Rules of a formula or a target: 得分 = …, a deviation from a target, 指标值 reached, two amounts compared."""

from __future__ import annotations

import re
from decimal import Decimal

from idsl.io.importer.leaf import Drafted, Leaf
from idsl.io.importer.phrases import NUM, QTY, award, expression, input_kind, names_in, rounding_word, target_kind


def target_rule(flat: str, leaf: Leaf):
    found = re.fullmatch(r"指标值：(.+?)。达到目标得满分，未达到(按完成比例得分|不得分)。", flat)
    if found is None:
        return None
    drafted = _target_lines(found.group(1), found.group(2) == "不得分")
    if drafted is None:
        return None
    leaf.inputs.append(drafted[0])
    leaf.declared.add("实际值")
    return "目标", [drafted[1]]


def _target_lines(value: str, all_or_nothing: bool) -> tuple[str, str] | None:
    found = target_kind(value)
    if found is None:
        return None
    comparison, kind = found
    return f"实际值：{kind}", f"目标 实际值 {comparison}" + ("，未达标不得分" if all_or_nothing else "")


def target_column(target: str, name: str) -> Drafted | None:
    """A self-evaluation table's leaf with no rule text: its 年度指标值 read as a target."""
    drafted = _target_lines(target.replace("\n", ""), False)
    if drafted is None:
        return None
    return Drafted("目标", (f"输入 {drafted[0]}", drafted[1]))


def deviation(flat: str, leaf: Leaf):
    found = re.fullmatch(rf"(.+?)=({QTY})得满分，(?:每调增或调减|与\2相比每偏离)({QTY})(（[^）]*）)?扣({NUM})分"
                         rf"(，扣完为止)?(?:，(?:超过|偏离超过)({QTY})(不得分|得{NUM}分))?。", flat)
    if found is None or leaf.kind != "score":
        return None
    subject, target, step, rounding, deduct, floor, limit, beyond = found.groups()
    mode = rounding_word(rounding, step)
    if mode is None:
        return None
    line = f"偏离 {subject} 目标 {target}，每 {step}{'（' + mode + '）' if mode else ' '}扣 {deduct} 分"
    line += "，扣完为止" if floor else ""
    if limit:
        line += f"，超过 {limit} {award(beyond)}"
    leaf.uses.append(subject)
    return "偏离", [line]


def formula(flat: str, leaf: Leaf):
    found = re.fullmatch(r"(?:本指标)?(?:得分|扣分|加分)=(.+?)(?:（([^（）]+?以[^（）]+?为[上下]限(?:；[^（）]+?以[^（）]+?为[上下]限)*)）)?。",
                         flat)
    if found is None or re.search(r"[，；：]", found.group(1)):
        return None
    expr = expression(found.group(1))
    for note in (found.group(2) or "").split("；") if found.group(2) else []:
        bound = re.fullmatch(r"(.+?)以(.+?)为(上|下)限", note)
        if bound is None or bound.group(1) not in expr:
            return None
        func = "min" if bound.group(3) == "上" else "max"
        expr = expr.replace(bound.group(1), f"{func}({bound.group(1)}, {bound.group(2)})")
    leaf.uses.append(expr)
    return "得分", [f"得分 = {expr}"]


def amounts_compared(flat: str, leaf: Leaf):
    """Two amounts compared, 日常公用经费决算数≤日常公用经费调整预算数，得2分，否则不得分, under a leaf named as their
    rate (公用经费控制率): the rate of the first to the second, banded at 100% on either side.

    >>> amounts_compared("决算数≤调整预算数，得2分，否则不得分。", Leaf(Decimal(2), "score", "经费控制率"))[1]
    ['分档 经费控制率', '  经费控制率 ≤ 100%：得 2 分', '  经费控制率 > 100%：不得分']
    """
    found = re.fullmatch(rf"([^，；。≤≥<>]+?)([≤≥<>])([^，；。≤≥<>]+?)，?(得满分|得{NUM}分)，否则(?:不得分|得0分)。", flat)
    if found is None or leaf.kind != "score" or not leaf.name.endswith("率") or names_in(leaf.name) != [leaf.name]:
        return None
    first, sign, second, outcome = found.groups()
    if any(names_in(amount) != [amount] or re.search(r"\d", amount) for amount in (first, second)):
        return None
    rate = leaf.name
    leaf.inputs.append(f"{first}：{input_kind(first, second)}，{second}：{input_kind(second, first)}")
    leaf.declared.update((first, second))
    leaf.derived.append((rate, f"{first} ÷ {second}"))
    other = {"≤": ">", "≥": "<", "<": "≥", ">": "≤"}[sign]
    return "分档", [f"分档 {rate}", f"  {rate} {sign} 100%：{award(outcome)}", f"  {rate} {other} 100%：不得分"]


def all_or_formula(flat: str, leaf: Leaf):
    """`所有项目均按计划时间完成的，得2分；部分项目未按计划时间完成的，本项得分=已完成项目数/未完成项目数×2`: the case
    of all as a special case — the count of those not done at 0 (未完成项目数), or the ratio's two counts equal — and
    the formula as written for the rest (the checker says where it can pass the points or divide by 0).

    >>> all_or_formula("所有问题均已整改的，得3分；部分问题未整改的，得分=已整改问题数/问题总数×3。",
    ...                leaf := Leaf(Decimal(3), "score", "整改情况")), leaf.specials
    (('得分', ['得分 = 已整改问题数/问题总数×3']), ['若 已整改问题数 = 问题总数 则 得 3 分'])
    """
    found = re.fullmatch(rf"(?:所有|全部)([^，；。]+?)均([^，；。]+?)的，({_FULL})；(?:部分|有)[^，；。]*?(?:未|没有)[^，；。]+?的，"
                         r"(?:本项|本指标)?得分=([^，；。=]+)。", flat)
    if found is None or leaf.kind != "score":
        return None
    expr = expression(found.group(4))
    case = _all_done(expr)
    outcome = award(found.group(3))
    if case is None or outcome is None or re.search(r"[\d%][\u4e00-\u9fff]", expr):
        return None
    leaf.specials.append(f"若 {case} 则 {outcome}")
    leaf.uses.extend([expr, case])
    return "得分", [f"得分 = {expr}"]


_FULL = rf"得满分|得{NUM}分"


def _all_done(expr: str) -> str | None:
    """All done, in the formula's names: the count of those not done (未…) at 0, else the ratio's two counts equal."""
    undone = [name for name in names_in(expr) if name.startswith(("未", "没有"))]
    if len(undone) == 1:
        return f"{undone[0]} = 0"
    ratio = re.search(r"([^\s/()（）×÷+\-]+)[/÷]([^\s/()（）×÷+\-]+)", expr)
    if ratio and all(names_in(side) == [side] for side in ratio.groups()):
        return f"{ratio.group(1)} = {ratio.group(2)}"
    return None


def capped_by_case(leaf: Leaf, rule: list[str]) -> list[str]:
    """`得分 = 分值×执行率` after `若 实际数 > 计划数 则 不得分` (执行率 = 实际数/计划数): the case already gives 0
    above 100%, so the rate is written capped, min(执行率, 100%), with a comment saying the score does not change —
    else the checker would call the formula unbounded, which the table's case rules out.

    >>> leaf = Leaf(Decimal(2), "score", "", derived=[("执行率", "实际数/计划数")], specials=["若 实际数 > 计划数 则 不得分"])
    >>> capped_by_case(leaf, ["得分 = 分值×执行率"])[1]
    '得分 = 分值×min(执行率, 100%)'
    """
    if len(rule) != 1 or not rule[0].startswith("得分 = "):
        return rule
    for name, expr in leaf.derived:
        ratio = re.fullmatch(r"([^\s/()（）×÷+\-]+)/([^\s/()（）×÷+\-]+)", expr.replace(" ", ""))
        cases = {f"若 {ratio.group(1)} > {ratio.group(2)} 则 不得分"} if ratio else set()
        if cases & set(leaf.specials) and names_in(rule[0]).count(name) == 1:
            capped = re.sub(rf"(?<![\w“”]){re.escape(name)}(?![\w“”])", f"min({name}, 100%)", rule[0])
            return [f"# {name}超过 100% 时上一行已判为不得分；min 只是把这一点写明，结果不变。", capped]
    return rule
