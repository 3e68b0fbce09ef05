"""A leaf's 评分标准 text read as an idsl rule: the sentences around it, the reader of its kind, the draft they make."""

from __future__ import annotations

import copy
import re
from decimal import Decimal

from idsl.io.importer.bands import compact_bands
from idsl.io.importer.changes import trend
from idsl.io.importer.choices import choice_parts
from idsl.io.importer.counts import count_declaration, counted_subject, none_count
from idsl.io.importer.formulas import (all_or_formula, amounts_compared, capped_by_case, deviation, formula,
                                      target_column, target_rule)
from idsl.io.importer.items import AWARD, MEASURES, checklist, numbered, penalty_case, per_finding, single_item
from idsl.io.importer.judged import discretionary, qualitative, self_assessed
from idsl.io.importer.leaf import Drafted, Leaf
from idsl.io.importer.occurrences import occurrence_cases
from idsl.io.importer.phrases import COUNTING, NUM, award, expression, input_kind, names_in, word_condition
from idsl.frontend.printer_text import quote_name
from idsl.semantics.numbers import format_points


def draft_rule(text: str, points: Decimal | None, kind: str = "score", name: str = "", target: str = "") -> Drafted | None:
    """The idsl rule a 评分标准 text states, or None when it is not one of the phrasings idsl reads.

    >>> draft_rule("重点支出安排率=(重点项目支出/项目总支出)×100%。\\n"
    ...            "重点支出安排率≥80%得2分，60%—80%每降低1%扣0.1分，低于60%得0分。", Decimal(2)).lines
    ('输入 重点项目支出：金额 万元，项目总支出：金额 万元', '重点支出安排率 = 重点项目支出/项目总支出', '分档 重点支出安排率', '  重点支出安排率 ≥ 80%：得 2 分', '  60%～80%：每降低 1% 扣 0.1 分', '  重点支出安排率 < 60%：得 0 分')
    """
    text = text.strip()
    if not text:
        return target_column(target, name) if target else None
    parts = _parts(text, points, kind)
    if parts is not None:
        return parts
    leaf = Leaf(points, kind, name, text=text)
    text = _boundaries(_call_commas(text))
    whole = occurrence_cases(text.replace("\n", ""), leaf)  # 如无事故，则本项得满分 alone: no special case, the rule
    if whole is not None:
        return Drafted(whole[0], tuple(_assemble(leaf, whole[1])))
    rest = [s for s in _sentences(text) if not _context(s, leaf)]
    while len(rest) > 1 and _NOTE.search(rest[-1]) and not _SCORES.search(rest[-1]):
        rest.pop()  # 政府采购预算是指…, 评分时不含…: a closing note on what a term covers, kept with the text
        leaf.kept = True
    if not rest:
        return None
    found = _rule("。".join(rest) + "。", leaf)
    if found is None:
        return None
    rule_kind, lines = found
    return Drafted(rule_kind, tuple(_assemble(leaf, capped_by_case(leaf, lines))))


def _boundaries(text: str) -> str:
    """A text whose sentences the table ran together (its line breaks lost) split where a new one plainly starts:
    before 其中： after a formula (得分=分值×执行率其中：…), and before the numbered list after a rate's definition
    (变动率=(…)×100%1.变动率≤-15%的，…).

    >>> _boundaries("得分=分值×执行率其中：执行率=(甲/乙)×100%"), _boundaries("率=(甲÷乙-1)×100%1.率≤0的，得1分")
    ('得分=分值×执行率。其中：执行率=(甲/乙)×100%', '率=(甲÷乙-1)×100%。1.率≤0的，得1分')
    """
    text = re.sub(r"(?<=[^。\n；：，])(?=其中：)", "。", text)
    return re.sub(r"(?<=×100%)(?=1[.．、])", "。", text)


def _call_commas(text: str) -> str:
    """The arguments of min(…) and max(…) separated by `,`, which reading a Chinese text made ，where no digit was
    on both sides (min(甲/乙，100%)), so the call reads as an expression.

    >>> _call_commas("率=min(甲/乙，100%)，得分=max((甲-乙)，0)×分值")
    '率=min(甲/乙,100%)，得分=max((甲-乙),0)×分值'
    """
    out, depth = [], 0
    for index, char in enumerate(text):
        if depth == 0 and char == "(" and text[max(0, index - 3):index] in ("min", "max"):
            depth = 1
        elif depth and char in "()":
            depth += 1 if char == "(" else -1
        out.append("," if depth and char == "，" else char)
    return "".join(out)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in text.split("。") if s.strip()]


def _context(sentence: str, leaf: Leaf) -> bool:
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
    if _nodata(flat, leaf) or _series(flat, leaf):
        return True
    found = re.fullmatch(r"(\S+?)=问卷实际得分总计/问卷满分总计×100%（问卷共(\d+)题，每题选项(.+)）", flat)
    if found and names_in(found.group(1)) == [found.group(1)]:
        options = _options(found.group(3))
        if options and int(found.group(2)) <= 200:
            leaf.questionnaires.append((found.group(1), [f"{a} {p} 分" for a, p in options], int(found.group(2))))
            return True
    found = re.fullmatch(rf"如(.+?)，?则((?:本项)?{AWARD})", flat)
    if found:
        condition, outcome = _special_condition(found.group(1), leaf), award(found.group(2), leaf.kind)
        if condition is None or outcome is None:
            return False
        _as_defined(condition, leaf)
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
        expr = expression(inner if inner and re.search("[/÷]", inner) else right)
        if re.search(r"[\d%][\u4e00-\u9fff]", expr):  # text running on after the formula
            return False
        leaf.derived.append((found.group(1), expr))
        return True
    return False


def _nodata(flat: str, leaf: Leaf) -> bool:
    """Takes `无上年支出、本年支出数据的，本项得满分`: those inputs may be missing (可缺), the award then `无数据时`."""
    found = re.fullmatch(rf"无(.+?)数据的，((?:本项)?{AWARD})", flat)
    outcome = found and award(found.group(2), leaf.kind)
    names = found.group(1).split("、") if found else []
    if not outcome or leaf.nodata or any(names_in(name) != [name] for name in names):
        return False
    leaf.missing.extend(names)
    leaf.nodata = f"无数据时 {outcome}"
    return True


def _series(flat: str, leaf: Leaf) -> bool:
    """Takes `当年发放数、应发放数按2021—2024年逐年填列` (or 按子项目1—3逐个子项目填列): those inputs are given per year
    (per sub-project), the text naming each member by its label, 当年发放数2021.

    >>> leaf = Leaf(None, "score", ""); _series("甲数、乙数按2021—2024年逐年填列", leaf), leaf.series
    (True, {'甲数': ('年度', 2021, 2024), '乙数': ('年度', 2021, 2024)})
    """
    found = re.fullmatch(r"(.+?)按(?:(\d{4})[—\-～~至](\d{4})年逐年|子项目(\d+)[—\-～~至](\d+)逐个子项目)填列", flat)
    names = found.group(1).split("、") if found else []
    if not names or any(names_in(name) != [name] for name in names):
        return False
    word, first, last = ("年度", *found.group(2, 3)) if found.group(2) else ("子项目", *found.group(4, 5))
    if int(first) > int(last):
        return False
    leaf.series.update((name, (word, int(first), int(last))) for name in names)
    return True


def _options(listed: str) -> list[tuple[str, str]] | None:
    """A questionnaire's options, `A得100分、B得80分` or in words `非常满意得100分、比较满意得75分`; None unless every
    one is a label and its points.

    >>> _options("A得100分、B得60分"), _options("非常满意得100分、一般得50分"), _options("满意得100分，其余酌情")
    ([('A', '100'), ('B', '60')], [('非常满意', '100'), ('一般', '50')], None)
    """
    options = [re.fullmatch(rf"([A-Z]|[\u4e00-\u9fff]{{1,10}})得({NUM})分", item) for item in re.split("[、，,]", listed)]
    if not options or None in options or len({o.group(1) for o in options}) < len(options):
        return None
    return [o.groups() for o in options]


# a sentence saying what a term means or covers, scoring nothing: a note after the rule, kept with the text
_NOTE = re.compile(r"是指|指的是|不含|不包括|包括")
_SCORES = re.compile(rf"[得扣加]满?分|不得分|[得扣加]{NUM}|酌情|[=×÷≥≤<>]|%")


def _special_condition(text: str, leaf: Leaf) -> str | None:
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


def _as_defined(condition: str, leaf: Leaf) -> None:
    """The definitions before a special case renamed as the case names their amounts: 如实际采购金额大于采购计划金额
    after 执行率=(实际采购金额合计数/采购计划金额合计数) compares the same two amounts (合计数 is their total), not two
    more inputs.

    >>> leaf = Leaf(None, "score", "", derived=[("执行率", "实际采购金额合计数/采购计划金额合计数")])
    >>> _as_defined("实际采购金额 > 采购计划金额", leaf); leaf.derived
    [('执行率', '实际采购金额/采购计划金额')]
    """
    for name in names_in(condition):
        used = {n for _, expr in leaf.derived for n in names_in(expr)}
        longer = {n for n in used if n.startswith(name) and n[len(name):] in _TOTALS}
        if name not in used and len(longer) == 1:
            whole = re.compile(rf"(?<![\w“”]){re.escape(longer.pop())}(?![\w“”])")
            leaf.derived = [(defined, whole.sub(name, expr)) for defined, expr in leaf.derived]


_TOTALS = ("合计数", "合计", "总数", "总额")


def _adjust(flat: str, leaf: Leaf) -> bool:
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
    found = re.fullmatch(rf"另按(\S+?)每({MEASURES})(扣|加)({NUM})分，(?:最多(?:扣|加)({NUM})分|(扣完为止))", flat)
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


def _rule(text: str, leaf: Leaf) -> tuple[str, list[str]] | None:
    flat = text.replace("\n", "")
    for reader in (discretionary, self_assessed, qualitative, target_rule, per_finding, checklist, single_item,
                   deviation, formula, all_or_formula, amounts_compared, compact_bands, occurrence_cases, penalty_case,
                   choice_parts, trend):
        found = reader(flat, leaf)
        if found is not None:
            return found
    return numbered(text, leaf)


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
        name = head.group(1).strip()
        drafted = draft_rule(body, Decimal(head.group(2)), kind, name)
        if drafted is None or drafted.kind == "分项" or not name or re.search(r"[\"“”]", name):
            return None
        out.append(f"分项 {quote_name(name)}（{head.group(2)}）")  # a year (2021年) or a clause is quoted
        out.extend("  " + line for line in drafted.lines)
    return Drafted("分项", tuple(out))


def _assemble(leaf: Leaf, rule: list[str]) -> list[str]:
    lines = [f"评分标准 {leaf.text.replace(chr(10), '')}"] if leaf.kept else []
    if leaf.not_applicable:
        lines.append(f"不适用 {leaf.not_applicable}")
    if leaf.reason_below:
        lines.append("扣分须说明理由")
    inputs = list(leaf.inputs) + [_beyond_whole(line, rule) for line in _guessed_inputs(leaf)]
    if inputs:
        lines.append("输入 " + "，".join(inputs))
    if leaf.nodata:
        lines.append(leaf.nodata)
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


def _guessed_inputs(leaf: Leaf) -> list[str]:
    """Declarations for every name the text uses but does not define, guessed from the names."""
    defined = {name for name, _ in leaf.derived} | {q[0] for q in leaf.questionnaires} | leaf.declared
    partners: dict[str, str] = {}
    for expr in [expr for _, expr in leaf.derived] + leaf.uses:  # a ratio's two sides, in a definition or a formula
        for a, b in re.findall(r"([^\s/()（）×÷+\-|]+)/([^\s/()（）×÷+\-|]+)", expr):
            partners.setdefault(a, b)
            partners.setdefault(b, a)
    used: list[str] = []
    for text in [expr for _, expr in leaf.derived] + leaf.uses:
        for name in names_in(text):
            if name not in defined and name not in used:
                used.append(name)
    missing = iter([name for name in leaf.missing if name in used])  # declared in the order 无…数据的 lists them
    used = [next(missing) if name in leaf.missing else name for name in used]
    spans = _spans(used, leaf)
    lines, bases = [], set()
    for name in used:
        kind = leaf.counted.get(name) or input_kind(name, partners.get(name, ""), name in leaf.bare)
        base = _series_base(name, leaf)
        if base is None or base not in spans:
            lines.append(f"{name}：{kind}" + (" 可缺" if name in leaf.missing else ""))
        elif base not in bases:  # one declaration for all its members, where the first is used
            word, (first, last) = leaf.series[base][0], spans[base]
            lines.append(f"{base}：{kind} {word} {first}～{last}")
            bases.add(base)
    return lines


def _spans(used: list[str], leaf: Leaf) -> dict[str, tuple[int, int]]:
    """The labels each series is declared over: the years its members used run through (every declared year must
    be entered, grammar §7.1, so a year no rule reads is left out), all of them where the series itself is named;
    a series whose years used are one or leave a gap is none (its members are declared as inputs of their own)."""
    labels: dict[str, set[int]] = {}
    for name in used:
        if (base := _series_base(name, leaf)) is not None:
            labels.setdefault(base, set()).add(int(name.removeprefix(base)))
    spans = {}
    for base, found in labels.items():
        word, first, last = leaf.series[base]
        if word != "年度" or base in used:  # a sub-project left blank is 0, not asked for
            spans[base] = (first, last)
        elif len(found) > 1 and max(found) - min(found) + 1 == len(found):
            spans[base] = (min(found), max(found))
    return spans


def _series_base(name: str, leaf: Leaf) -> str | None:
    """The series a name is a member of (当年发放数2021 of 当年发放数 按2021—2024年), None for a name of its own."""
    for base, (_, first, last) in leaf.series.items():
        label = name.removeprefix(base)
        if label != name and label.isdigit() and first <= int(label) <= last:
            return base
    return None


__all__ = ["Drafted", "draft_rule"]
