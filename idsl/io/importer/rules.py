"""A leaf's 评分标准 text read as an idsl rule: the phrasings idsl generates and the seeds' common ones."""

from __future__ import annotations

import copy
import re
from decimal import Decimal

import attrs

from idsl.io.importer.bands import compact_bands, numbered_bands
from idsl.io.importer.counts import count_declaration, count_name, counted_subject, none_count
from idsl.io.importer.phrases import (
    COUNTING,
    NUM,
    QTY,
    award,
    award_points,
    expression,
    input_kind,
    names_in,
    rounding_word,
    target_kind,
    word_condition,
)
from idsl.semantics.numbers import format_points

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_AWARD = rf"(?:得满分|不得分|不扣分|不加分|(?:得|扣|加){NUM}分)"
_PARTIAL = "不完全符合的，可酌情扣分。"
_ITEM_POINTS = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]\s*$")


@attrs.frozen
class Drafted:
    """A rule read from a text: its kind (as the summary counts it) and its idsl lines under the leaf."""

    kind: str  # 要素, 得分, 分档, 偏离, 按项扣分, 选择, 酌情, 目标, 分项
    lines: tuple[str, ...]  # inputs, questionnaires, quantities, special cases and the rule, indented from 0


@attrs.define
class _Leaf:
    """What the sentences around the rule define: quantities, questionnaires, special cases, 不适用."""

    points: Decimal | None
    kind: str  # score, penalty or bonus
    name: str
    derived: list[tuple[str, str]] = attrs.Factory(list)
    questionnaires: list[tuple[str, list[str], int]] = attrs.Factory(list)  # name, options, questions
    specials: list[str] = attrs.Factory(list)
    not_applicable: str = ""
    reason_below: bool = False  # 扣分的，须说明扣分理由
    declared: set[str] = attrs.Factory(set)  # names the rule declares itself (a choice's input)
    inputs: list[str] = attrs.Factory(list)  # input lines the rule needs beyond the guessed ones
    uses: list[str] = attrs.Factory(list)  # the expressions and conditions whose names are inputs unless defined
    bare: set[str] = attrs.Factory(set)  # names standing alone as a condition (yes/no inputs)
    adjusts: list[str] = attrs.Factory(list)  # the lines after the rule: 另扣, 另加, 酌情扣分 (§11.12)
    counted: dict[str, str] = attrs.Factory(dict)  # band subjects whose numbers carry a counting word: their kind
    text: str = ""  # the whole 评分标准, where a count of none (无违规) finds the count it names (违规次数)
    kept: bool = False  # the rule reads part of the text only (notes around it): the text stays as 评分标准


def draft_rule(text: str, points: Decimal | None, kind: str = "score", name: str = "", target: str = "") -> Drafted | None:
    """The idsl rule a 评分标准 text states, or None when it is not one of the phrasings idsl reads.

    >>> draft_rule("重点支出安排率=(重点项目支出/项目总支出)×100%。\\n"
    ...            "重点支出安排率≥80%得2分，60%—80%每降低1%扣0.1分，低于60%得0分。", Decimal(2)).lines
    ('输入 重点项目支出：金额 万元，项目总支出：金额 万元', '重点支出安排率 = 重点项目支出/项目总支出', '分档 重点支出安排率', '  重点支出安排率 ≥ 80%：得 2 分', '  60%～80%：每降低 1% 扣 0.1 分', '  重点支出安排率 < 60%：得 0 分')
    """
    text = text.strip()
    if not text:
        return _target_column(target, name) if target else None
    parts = _parts(text, points, kind)
    if parts is not None:
        return parts
    leaf = _Leaf(points, kind, name, text=text)
    rest = [s for s in _sentences(text) if not _context(s, leaf)]
    if not rest:
        return None
    found = _rule("。".join(rest) + "。", leaf)
    if found is None:
        return None
    rule_kind, lines = found
    return Drafted(rule_kind, tuple(_assemble(leaf, lines)))


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in text.split("。") if s.strip()]


def _context(sentence: str, leaf: _Leaf) -> bool:
    """Takes a sentence that defines a quantity, a questionnaire, a special case or 不适用; False for the rule's own."""
    flat = sentence.replace("\n", "")
    if flat in ("本指标不适用的，予以剔除，上级指标按其余指标的得分折算", "本指标不适用的，予以剔除，总分按实际适用分值折算",
                "本指标不适用的，予以剔除，其分值平均分配给同级其他指标"):
        leaf.not_applicable = "剔除"
        return True
    if flat == "扣分的，须说明扣分理由":
        leaf.reason_below = True
        return True
    if flat == "本指标不适用的，得满分":
        leaf.not_applicable = "得满分"
        return True
    if _adjust(flat, leaf):
        return True
    clauses = flat.removeprefix("其中：").split("；")
    if len(clauses) > 1 or flat.startswith("其中："):  # 其中：全年平均支出进度=…；若存在不可抗拒因素，则酌情扣分
        # every clause must be one, tried on a copy first, so that a sentence partly read leaves the leaf as it was
        if all(_context(clause, copy.deepcopy(leaf)) for clause in clauses):
            return all([_context(clause, leaf) for clause in clauses])
        return False
    found = re.fullmatch(r"(\S+?)=问卷实际得分总计/问卷满分总计×100%（问卷共(\d+)题，每题选项(.+)）", flat)
    if found and names_in(found.group(1)) == [found.group(1)]:
        options = re.findall(rf"([A-Z])得({NUM})分", found.group(3))
        if options and int(found.group(2)) <= 200:
            leaf.questionnaires.append((found.group(1), [f"{a} {p} 分" for a, p in options], int(found.group(2))))
            return True
    found = re.fullmatch(rf"如(.+?)，?则((?:本项)?{_AWARD})", flat)
    if found:
        condition, outcome = _special_condition(found.group(1), leaf), award(found.group(2), leaf.kind)
        if condition is None or outcome is None:
            return False
        leaf.specials.append(f"若 {condition} 则 {outcome}")
        leaf.uses.append(condition)
        if names_in(condition) == [condition]:
            leaf.bare.add(condition)
        return True
    found = re.fullmatch(r"([^=，；：:\s]+)=([^，；：得扣]+)", flat)
    if found and names_in(found.group(1)) == [found.group(1)] and not re.search(r"[≥≤<>]", found.group(2)) \
            and found.group(1) not in ("得分", "本指标得分", "扣分", "加分"):
        right = found.group(2)
        constant = re.fullmatch(rf"({NUM})([\u4e00-\u9fff]{{1,3}})", right)  # 全年预算数=387664.62元 (a figure)
        if constant:
            leaf.derived.append((found.group(1), f"{constant.group(1)} {constant.group(2)}"))
            return True
        run_on = re.fullmatch(r"(.+?×100%)\s*[\u4e00-\u9fff].*", right)  # “…×100% 计划完成的…为…”: a note on the terms
        right = run_on.group(1) if run_on else right
        ratio = re.fullmatch(r"([^()（）]+/[^()（）]+)×100%", right)
        inner = _percent_group(right) or (ratio and ratio.group(1))
        expr = expression(inner if inner and "/" in inner else right)
        if re.search(r"[\d%][\u4e00-\u9fff]", expr):  # text running on after the formula
            return False
        leaf.derived.append((found.group(1), expr))
        return True
    return False


def _special_condition(text: str, leaf: _Leaf) -> str | None:
    """A special case's condition read back, a count's in its words: 未发现问题 is 问题数 = 0 (a 问题数), 无违规 is
    违规次数 = 0 where the text counts 违规 (a 数量 次, or the count it names; else 无违规 is a yes/no, as 无法提供资料
    is), 信访件数为0件 is 信访件数 = 0 (a 数量 件: a 问题数 of none would read 未发现…), 问题数大于等于3项 is
    问题数 ≥ 3 (a 问题数), and 违规≥1笔 is 违规笔数 ≥ 1 (named after what it counts)."""
    out = []
    for part in re.split(r"(且|或)", text.strip()):
        none = none_count(part, leaf.text)
        if none is not None:
            name, leaf.counted[name] = none
            out.append(f"{name} = 0")
            continue
        compared = part if part in ("且", "或") else word_condition(part)
        if compared is None:
            return None
        found = re.fullmatch(rf"(\S+) ([=≥≤<>≠]) ({NUM})({COUNTING})", compared)
        if found:
            name, op, number, word = found.groups()
            name = counted_subject(name, word)  # 违规≥1笔: the 违规笔数
            zero = op == "=" and Decimal(number) == 0
            if zero:  # a count of none in its number (信访件数为0件) is not a 问题数, which reads 未发现…
                leaf.counted[name] = f"数量 {word}"
            else:
                leaf.counted.setdefault(name, count_declaration(name, word))
            compared = f"{name} {op} {number}"
        out.append(compared)
    return " ".join(out)


def _adjust(flat: str, leaf: _Leaf) -> bool:
    """Takes a line after the rule as the 评分标准 text writes it (§11.12): 另按违规笔数每笔扣1分，扣完为止 (or
    最多扣2分), 另按表扬每次加…，最多加…, 存在其他影响因素的，酌情扣分，最多扣1分，须说明理由, 若存在不可抗拒因素，
    则酌情扣分 (up to the indicator's points, with a comment saying so); and the sentence on the score they leave,
    which the lines imply."""
    if re.fullmatch(rf"扣减、加分后的得分不低于{NUM}分，不超过本指标分值", flat):
        return True
    found = re.fullmatch(rf"存在其他影响因素的，酌情扣分，最多扣({NUM})分，须说明理由", flat)
    if found:
        leaf.adjusts.append(f"酌情扣分 最多 {found.group(1)} 分，须说明理由")
        return True
    if re.fullmatch(r"(?:若|如)(?:存在|出现|发生)[^，。；]+，则?酌情扣分", flat) and leaf.points is not None \
            and leaf.kind == "score":
        leaf.kept = True  # the case (不可抗拒因素) is the evaluator's to judge: its words stay in the 评分标准
        leaf.adjusts.append("# 原文未限定酌情扣分的幅度，上限取本指标分值。")
        leaf.adjusts.append(f"酌情扣分 最多 {format_points(leaf.points)} 分，须说明理由")
        return True
    found = re.fullmatch(rf"另按(\S+?)每({_MEASURES})(扣|加)({NUM})分，(?:最多(?:扣|加)({NUM})分|(扣完为止))", flat)
    if found is None or names_in(found.group(1)) != [found.group(1)] or (found.group(6) and found.group(3) == "加"):
        return False
    name, word, verb, each, cap, stop = found.groups()
    leaf.adjusts.append(f"另{verb} {name} 每项 {each} 分，" + ("扣完为止" if stop else f"最多{verb} {cap} 分"))
    if name not in leaf.declared:  # as a special case counted it, else by its word (违规笔数 每笔: a 问题数)
        leaf.inputs.append(f"{name}：" + (leaf.counted.get(name) or count_declaration(name, word)))
        leaf.declared.add(name)
    return True


def _percent_group(right: str) -> str | None:
    """The ratio inside `(…)×100%` or `[…]×100%`, whose own brackets may nest: `[(本年度-上年度)/上年度]×100%`.

    >>> _percent_group("[(本年度-上年度)/上年度]×100%"), _percent_group("(执行数/预算数)×100%")
    ('(本年度-上年度)/上年度', '执行数/预算数')
    >>> _percent_group("((本年度-上年度)/上年度)×100%"), _percent_group("(甲-乙)/(丙)×100%") is None
    ('(本年度-上年度)/上年度', True)
    """
    if not right.endswith("×100%") or right[:1] not in _OPENING:
        return None
    body = right.removesuffix("×100%")
    depth = 0
    for index, char in enumerate(body):
        depth += 1 if char in _OPENING else -1 if char in _CLOSING else 0
        if depth == 0:
            return body[1:-1] if index == len(body) - 1 else None
    return None


_OPENING, _CLOSING = "(（[［【", ")）]］】"


def _rule(text: str, leaf: _Leaf) -> tuple[str, list[str]] | None:
    flat = text.replace("\n", "")
    for reader in (_discretionary, _self_assessed, _qualitative, _target, _per_finding, _checklist, _single_item,
                   _deviation, _formula, _amounts_compared, compact_bands, _penalty_case):
        found = reader(flat, leaf)
        if found is not None:
            return found
    return _numbered(text, leaf)


# ---------------------------------------------------------------- the rule kinds


def _discretionary(flat: str, leaf: _Leaf):
    found = re.fullmatch(rf"由评价人员酌情评分(?:（({NUM})～({NUM})分）)?，须说明理由。", flat)
    if found is None and leaf.kind != "score":
        return _judged_item(flat, leaf)
    if found is None:
        return None
    return "酌情", _judged_range(found.group(1), found.group(2), leaf)


def _judged_range(low: str | None, high: str | None, leaf: _Leaf) -> list[str]:
    if low is None or (Decimal(low) == 0 and leaf.points is not None and Decimal(high) == leaf.points):
        return ["酌情"]
    return [f"酌情 {low}～{high} 分"]


def _judged_item(flat: str, leaf: _Leaf):
    """A penalty or bonus item left to the evaluator (按实际情况酌情扣分, 视情况扣分，最多扣2分, 按实际情况酌情扣分处理，
    上限10分): the rule gives the deduction, from 0 to the item's points or to a written cap below them.

    >>> _judged_item("视情况扣分，最多扣2分。", _Leaf(Decimal(5), "penalty", "负面影响"))
    ('酌情', ['# 上限：原表写“最多扣2分”，本项分值 5 分，按较小的 2 分写出，请核对。', '酌情 0～2 分'])
    >>> _judged_item("按实际情况酌情扣分处理，上限10分。", _Leaf(Decimal(10), "penalty", "自评工作质量"))
    ('酌情', ['酌情'])
    >>> _judged_item("已经完成不扣分，其他按整改程度酌情扣分处理，上限5分。", _Leaf(Decimal(5), "penalty", "实施整改情况"))
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


def _qualitative(flat: str, leaf: _Leaf):
    """定性's standard text (财预〔2020〕10号 第十六条's three tiers) read back."""
    found = re.fullmatch(r"定性指标：按“(.+?)”分三档评定，分别在分值的100%-80%（含）、80%-60%（含）、60%-0%内确定得分，"
                         r"须说明理由。", flat)
    if found is None:
        return None
    name = found.group(1)
    leaf.inputs.append(f"{name}：选项 达成/部分达成/未达成")
    leaf.declared.add(name)
    return "定性", [f"定性 {name}"]


def _target(flat: str, leaf: _Leaf):
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


def _target_column(target: str, name: str) -> Drafted | None:
    """A self-evaluation table's leaf with no rule text: its 年度指标值 read as a target."""
    drafted = _target_lines(target.replace("\n", ""), False)
    if drafted is None:
        return None
    return Drafted("目标", (f"输入 {drafted[0]}", drafted[1]))


def _per_finding(flat: str, leaf: _Leaf):
    """每发现一个问题扣0.5分，扣完为止 (and the older 发现一项扣0.5分): the count named after what it counts. The
    full points may come first, `…要求的，得5分；发现一项没有满足的扣1分，扣完为止。`, and notes that score nothing
    after it (本指标由评价组…评定): the text is then kept as the 评分标准 above the rule.

    >>> _per_finding("符合要求的，得5分；发现一项没有满足的扣1分，扣完为止。本指标由评价组评定。",
    ...              _Leaf(Decimal(5), "score", "规范性"))
    ('按项扣分', ['按项扣分 未满足项数 每项 1 分，扣完为止'])
    """
    head, notes = _rule_and_notes(flat)
    if notes is None:
        return None
    opener = re.match(rf"[^；。]+?，?(?:得满分|得({NUM})分)；", head)
    if opener and opener.group(1) and (leaf.points is None or Decimal(opener.group(1)) != leaf.points):
        return None
    head = head[opener.end():] if opener else head
    found = re.fullmatch(rf"每?[发出]现一({_MEASURES})(.*?)[扣加]({NUM})分(?:，(扣完为止|最多[扣加]({NUM})分|上限{NUM}分))?。",
                         head)
    if found is None:
        return None
    name = count_name(found.group(2), found.group(1))
    line = f"按项扣分 {name} 每项 {found.group(3)} 分"
    if found.group(5):
        line += f"，最多 {found.group(5)} 分"
    leaf.inputs.append(f"{name}：问题数")
    leaf.declared.add(name)
    leaf.kept = bool(opener or notes)
    return "按项扣分", [line + ("，扣完为止" if found.group(4) == "扣完为止" else "")]


def _rule_and_notes(flat: str) -> tuple[str, list[str] | None]:
    """A text's first sentence, and the sentences after it when none of them scores (else None): notes on the rule,
    本指标由评价组…评定, 重点工作是指…."""
    sentences = [sentence + "。" for sentence in flat.rstrip("。").split("。")]
    notes = sentences[1:]
    return sentences[0], None if any(_SCORES.search(note) for note in notes) else notes


# words that give or take points, or compare: a sentence holding one is no mere note
_SCORES = re.compile(rf"[得扣加]满?分|不得分|[得扣加]{NUM}|酌情|[=×÷≥≤<>]|%")


def _self_assessed(flat: str, leaf: _Leaf):
    """A score the unit assesses itself, 本项得分由单位自行评估实际得分，按照完成实际效果自评打分 or
    绩效目标完成率由单位自行评估，但需要提出合理的依据 (the indicator, by its name), notes after it scoring nothing:
    the evaluator's score with a reason (酌情), the text kept as the 评分标准.

    >>> _self_assessed("绩效目标完成率由单位自行评估，但需要提出合理的依据。", _Leaf(Decimal(3), "score", "绩效目标完成率"))
    ('酌情', ['酌情'])
    >>> _self_assessed("完成率由单位自行评估。", _Leaf(Decimal(3), "score", "绩效目标完成率")) is None
    True
    """
    head, notes = _rule_and_notes(flat)
    found = _SELF_ASSESSED.fullmatch(head)
    if notes is None or found is None or found.group("subject") not in (None, leaf.name):
        return None
    leaf.kept = True
    return "酌情", ["酌情"]


_SELF_ASSESSED = re.compile(r"(?:本项得分|本指标得分|本项|本指标|(?P<subject>[^，。；]{1,30}?))由(?:被评价)?(?:单位|部门)"
                            r"(?:（单位）)?自行(?:评估|评价|评分)(?:实际得分)?"
                            r"(?:，(?:按照?[^，。；]{1,20}?自评打分|(?:但|并)?(?:需要?|须)(?:提出|说明|提供)[^，。；]{0,10}?"
                            r"(?:依据|理由)))?。")


def _amounts_compared(flat: str, leaf: _Leaf):
    """Two amounts compared, 日常公用经费决算数≤日常公用经费调整预算数，得2分，否则不得分, under a leaf named as their
    rate (公用经费控制率): the rate of the first to the second, banded at 100% on either side.

    >>> _amounts_compared("决算数≤调整预算数，得2分，否则不得分。", _Leaf(Decimal(2), "score", "经费控制率"))[1]
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


_MEASURES = "人次|项|个|次|例|件|处|起|条|笔"


def _checklist(flat: str, leaf: _Leaf):
    found = re.fullmatch(rf"([①-⑳].+?)。以上要素各占([^，]+?)权重分，符合[得扣加]({NUM})分，不符合(?:得0分|不扣分|不加分)。"
                         rf"({_PARTIAL})?", flat)
    if found is None:
        return None
    items = [item.rstrip("；;") for item in re.split(f"[{_CIRCLED}]", found.group(1))[1:]]
    if not _writable_items(items):
        return None
    head = f"要素 每项 {found.group(3)} 分" + ("，可酌情" if found.group(4) else "")
    return "要素", [head] + [f"  - {item}" for item in items]


def _single_item(flat: str, leaf: _Leaf):
    """One element and its points, `…的，得2分；不符合的，得0分。`, or the element's case alone, `…充分的，得2分。`
    (its points may fall short of the indicator's: the checker says so).

    >>> _single_item("本部门在预算编制时、按要求编制中期财政规划的，得2分。", _Leaf(Decimal(4), "score", "规划性"))
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


def _deviation(flat: str, leaf: _Leaf):
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


def _formula(flat: str, leaf: _Leaf):
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


def _penalty_case(flat: str, leaf: _Leaf):
    """A 逆向指标 item's fixed deduction on a described case, 若出现违反相关规定，受到…处罚或通报批评的，扣5分 (its
    absence, 无此类现象不扣分, before or after it): a 选择 of the case, in the text's words, and of its absence, so
    the evaluator says whether it happened.

    >>> _penalty_case("无此类现象不扣分，若出现违规，受到通报批评的，扣5分。", _Leaf(Decimal(5), "penalty", "政府采购"))
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


def _numbered(text: str, leaf: _Leaf):
    """`1. …的，得2分；\\n2. …` : step bands, a choice, or a checklist with unequal points; an element's award
    may follow its 的 straight (…制度的得1分), and a closing sentence leaving partial compliance to the evaluator
    makes the checklist 可酌情."""
    body, partial = _partial_ending(text)
    marks = list(re.finditer(r"(?:^|(?<=[；\n]))\s*(\d+)[.．、]\s*", body))
    if len(marks) < 2 or [int(m.group(1)) for m in marks] != list(range(1, len(marks) + 1)) or marks[0].start() != 0:
        return None
    items = []
    for mark, after in zip(marks, marks[1:] + [None]):
        item = body[mark.end():after.start() if after else len(body)].strip().rstrip("；;。").replace("\n", "")
        found = re.fullmatch(rf"(.+?)(?:，|(?<=的))({_AWARD})", item)
        if found is None or re.search(_AWARD, re.sub(r"[（(][^（）()]*[)）]", "", found.group(1))):
            return None  # an element awarding twice (得1分；完全没有…的，不得分; a bracketed note aside) is no element
        items.append((found.group(1), found.group(2)))
    bands = numbered_bands(items, leaf)
    if bands is not None:
        return None if partial else bands
    return _choice_or_checklist(items, leaf, partial)


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


def _choice_or_checklist(items: list[tuple[str, str]], leaf: _Leaf, partial: bool):
    values = [award_points(outcome, leaf.kind, leaf.points) for _, outcome in items]
    if any(v is None for v in values):
        return None
    is_choice = any(v == 0 for v in values) or (leaf.points is not None and sum(values) != leaf.points
                                                and max(values) == leaf.points)
    if is_choice and not partial:
        labels = [label.removesuffix("的") for label, _ in items]
        if not all(re.fullmatch(r"[^\s:：#\"\-][^\n:：]*", label) for label in labels):
            return None
        name = _choice_name(leaf)
        leaf.declared.add(name)
        return "选择", [f"选择 {name}"] + [f"  {label}：{v} 分" for label, v in zip(labels, values)]
    texts = [label for label, _ in items]
    if not _writable_items(texts):
        return None
    head = "要素" + (" 可酌情" if partial else "")
    return "要素", [head] + [f"  - {text}（{v}分）" for text, v in zip(texts, values)]


def _choice_name(leaf: _Leaf) -> str:
    name = leaf.name.removesuffix("情况") + "情况"  # 执行情况 is named once, not 执行情况情况
    return name if names_in(name) == [name] else "评定情况"


# ---------------------------------------------------------------- parts and assembly


def _parts(text: str, points: Decimal | None, kind: str) -> Drafted | None:
    """`名称（2分）：…；` per part, then `本指标得分=各分项得分之和。`."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines or lines[-1].strip() != "本指标得分=各分项得分之和。":
        return None
    chunks: list[list[str]] = []
    for line in lines[:-1]:
        head = re.match(rf"([^：:\n]{{1,60}}?)（({NUM})分）：", line)
        if head:
            chunks.append([line])
        elif chunks:
            chunks[-1].append(line)
        else:
            return None
    out = []
    for chunk in chunks:
        head = re.match(rf"([^：:\n]{{1,60}}?)（({NUM})分）：", chunk[0])
        body = "\n".join([chunk[0][head.end():]] + chunk[1:]).rstrip().rstrip("；") + "。"
        name = head.group(1)
        drafted = draft_rule(body, Decimal(head.group(2)), kind, name)
        if drafted is None or drafted.kind == "分项" or names_in(name) != [name]:
            return None
        out.append(f"分项 {name}（{head.group(2)}）")
        out.extend("  " + line for line in drafted.lines)
    return Drafted("分项", tuple(out))


def _assemble(leaf: _Leaf, rule: list[str]) -> list[str]:
    lines = [f"评分标准 {leaf.text.replace(chr(10), '')}"] if leaf.kept else []
    if leaf.not_applicable:
        lines.append(f"不适用 {leaf.not_applicable}")
    if leaf.reason_below:
        lines.append("扣分须说明理由")
    inputs = list(leaf.inputs) + [_beyond_whole(line, rule) for line in _guessed_inputs(leaf)]
    if inputs:
        lines.append("输入 " + "，".join(inputs))
    for name, options, count in leaf.questionnaires:
        lines.append(f"问卷 {name}")
        lines.append("  选项 " + "，".join(options))
        lines.extend(f"  - 第{n}题（题目见问卷原文）" for n in range(1, count + 1))
    lines.extend(f"{name} = {expr}" for name, expr in leaf.derived)
    lines.extend(leaf.specials)
    return lines + rule + leaf.adjusts


def _beyond_whole(declared: str, rule: list[str]) -> str:
    """A guessed rate's declaration widened when the rule's bands look above 100% (比率 > 100%：得 0 分, 002's 人员管理;
    否则 beside ≤ 100%):
    a rate declared 0%～100% would leave that band unreachable (E405).

    >>> _beyond_whole("比率：比率", ["分档 比率", "  比率 ≤ 100%：得 2 分", "  比率 > 100%：得 0 分"])
    '比率：比率 范围 0%～1000%'
    >>> _beyond_whole("控制率：比率", ["分档 控制率", "  控制率 ≤ 100%：得 2 分", "  否则：不得分"])
    '控制率：比率 范围 0%～1000%'
    >>> _beyond_whole("比率：比率", ["分档 比率", "  比率 = 100%：得 2 分", "  比率 < 100%：得 0 分"])
    '比率：比率'
    """
    name, _, kind = declared.partition("：")
    if kind != "比率":
        return declared
    above = re.compile(rf"{re.escape(name)} (?P<sign>[>≥]) (?P<value>{NUM})%|(?P<low>{NUM})% (?P<under><|≤) {re.escape(name)}")
    for found in (m for line in rule for m in above.finditer(line)):
        value, strict = Decimal(found["value"] or found["low"]), (found["sign"] or found["under"]) in "><"
        if value > 100 or (value == 100 and strict):
            return declared + " 范围 0%～1000%"
    whole = re.compile(rf"\s*{re.escape(name)} ≤ 100%：")  # 控制率≤100%得2分，否则不得分: 否则 is above 100%
    if any(whole.match(line) for line in rule) and any(line.strip().startswith("否则：") for line in rule):
        return declared + " 范围 0%～1000%"
    return declared


def _guessed_inputs(leaf: _Leaf) -> list[str]:
    """Declarations for every name the text uses but does not define, guessed from the names."""
    defined = {name for name, _ in leaf.derived} | {q[0] for q in leaf.questionnaires} | leaf.declared
    partners: dict[str, str] = {}
    for _, expr in leaf.derived:
        for a, b in re.findall(r"([^\s/()（）×÷+\-|]+)/([^\s/()（）×÷+\-|]+)", expr):
            partners.setdefault(a, b)
            partners.setdefault(b, a)
    used: list[str] = []
    for text in [expr for _, expr in leaf.derived] + leaf.uses:
        for name in names_in(text):
            if name not in defined and name not in used:
                used.append(name)
    return [f"{name}：{leaf.counted.get(name) or input_kind(name, partners.get(name, ''), name in leaf.bare)}"
            for name in used]


__all__ = ["Drafted", "draft_rule"]
