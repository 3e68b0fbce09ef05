"""Declarations and rules as idsl lines, for the printer (`idsl.frontend.printer`): inputs, derived
quantities, questionnaires, special cases and every kind of rule, indented by depth."""

from __future__ import annotations

import re
from decimal import Decimal

from idsl.frontend import ast
from idsl.frontend.printer_text import (CMP, Unprintable, bare, format_cond, format_expr, format_number, free_text,
                                        number_text, quote_name, unsigned)

INDENT = "  "
_ROUNDING = {"half_up": "四舍五入取整", "floor": "向下取整", "ceil": "向上取整"}
_KIND = {"rate": "比率", "money": "金额", "count": "数量", "number": "数值", "bool": "是否",
         "choice": "选项", "findings": "问题数"}
ITEM_POINTS = re.compile(r"\s*[(（]\s*(\d+(?:\.\d+)?)\s*(?:分|pts?)\s*[)）]\s*$")
_LABEL = re.compile(r"[^\s:：#\"\-][^\n:：]*")


# ---------------------------------------------------------------- declarations


def input_lines(inputs: tuple[ast.Input, ...], depth: int) -> list[str]:
    if not inputs:
        return []
    pad = INDENT * depth
    # an input repeated per year or sub-project is one declaration, printed with its first member
    declarations = [_input(i) for i in inputs if i.series is None or i.series.label == i.series.first]
    if len(declarations) <= 2:
        return [f"{pad}输入 " + "，".join(declarations)]
    return [f"{pad}输入"] + [f"{pad}{INDENT}{d}" for d in declarations]


def _input(decl: ast.Input) -> str:
    if decl.kind not in _KIND:
        raise Unprintable(f"input kind {decl.kind!r}")
    words = [_KIND[decl.kind]]
    has_unit = decl.kind in ("money", "count")
    if has_unit != (decl.unit is not None):
        raise Unprintable(f"input {decl.name!r}: only money and counts have a unit, and they must")
    if has_unit:
        words.append(bare(decl.unit, "unit"))
    if decl.signed:
        if decl.kind not in ("money", "number"):
            raise Unprintable(f"only money and numbers may be 可负, not {decl.kind}")
        words.append("可负")
    if decl.kind == "choice":
        if not decl.options:
            raise Unprintable("a choice input needs options")
        words = ["选项 " + "/".join(_option_word(o) for o in decl.options)]
    elif decl.options:
        raise Unprintable("only a choice input has options")
    if (decl.low is None) != (decl.high is None):
        raise Unprintable("a declared range has both ends")
    if decl.low is not None:
        if decl.kind in ("bool", "choice", "findings"):
            raise Unprintable(f"a {decl.kind} input has no range")
        words.append(f"范围 {number_text(decl.low, signed=True)}～{number_text(decl.high, signed=True)}")
    if decl.fill_mean:
        words.append("缺失取平均")
    if decl.optional:
        words.append("可缺")
    if decl.series is not None:
        series = decl.series
        words.append(f"{'年度' if series.word == 'year' else '子项目'} {series.first}～{series.last}")
        return f"{bare(series.base, 'input name')}：{' '.join(words)}"
    return f"{bare(decl.name, 'input name')}：{' '.join(words)}"


def class_line(classes: ast.Classes) -> str:
    """The header line 单位类别 行政单位、事业单位."""
    return "单位类别 " + "、".join(_option_word(name) for name in classes.names)


def _option_word(word: str) -> str:
    if word.isdigit() and word.isascii():
        return word
    return quote_name(word)


def derived_line(derived: ast.Derived, depth: int = 0) -> str:
    return f"{INDENT * depth}{bare(derived.name, 'quantity name')} = {format_expr(derived.expr)}"


def questionnaire_lines(q: ast.Questionnaire, depth: int) -> list[str]:
    pad = INDENT * depth
    if not q.options or not q.questions:
        raise Unprintable(f"questionnaire {q.name!r} needs options and questions")
    options = "，".join(f"{bare(label, 'option')} {unsigned(score, 'score')} 分" for label, score in q.options)
    lines = [f"{pad}问卷 {bare(q.name, 'questionnaire name')}", f"{pad}{INDENT}选项 {options}"]
    lines += [f"{pad}{INDENT}- {_line_text(question, 'question')}" for question in q.questions]
    return lines


def _line_text(text: str, what: str) -> str:
    """Text after `- `: anything to the end of the line that does not start with a blank or a quote."""
    if "\n" in text or "\r" in text or text != text.strip() or not text or text.startswith(('"', "#")):
        raise Unprintable(f"{what} {text!r} cannot be written in idsl")
    return text


# ---------------------------------------------------------------- rules


def body_lines(body: ast.LeafBody, depth: int) -> list[str]:
    pad = INDENT * depth
    lines = input_lines(body.inputs, depth)
    lines += [derived_line(d, depth) for d in body.derived]
    for questionnaire in body.questionnaires:
        lines += questionnaire_lines(questionnaire, depth)
    if body.applies is not None:
        lines.append(f"{pad}适用 若 {format_cond(body.applies)}")
    if body.nodata is not None:
        lines.append(f"{pad}无数据时 {_nodata(body.nodata)}")
    lines += [f"{pad}{_special(s)}" for s in body.specials]
    if body.rule is not None:
        lines += _rule(body.rule, depth)
    lines += [f"{pad}{adjust_line(a)}" for a in body.adjusts]
    if body.floor is not None:
        lines.append(f"{pad}最低 {format_number(body.floor.points)} 分")
    if body.places is not None:
        lines.append(f"{pad}小数 {body.places.places} 位")
    if not lines:
        raise Unprintable("an empty leaf body is written as no body at all")
    return lines


def adjust_line(adjust: ast.ScoreAdjust) -> str:
    """`酌情扣分 最多 1 分，须说明理由`, `另扣 问题数 每项 0.5 分，最多扣 2 分`, `另加 …，最多加 …`,
    `另扣 问题数 每项 0.5 分，扣完为止`."""
    if adjust.cap is None and adjust.kind != "deduct":
        raise Unprintable("only 另扣 stops at 0 without a cap")
    cap = unsigned(adjust.cap, "points") if adjust.cap is not None else ""
    if adjust.kind == "discretion":
        return f"酌情扣分 最多 {cap} 分，须说明理由"
    word = "加" if adjust.kind == "add" else "扣"
    each = f"另{word} {adjust.subject} 每项 {unsigned(adjust.each, 'points')} 分"
    return f"{each}，扣完为止" if adjust.cap is None else f"{each}，最多{word} {cap} 分"


_TREND_WORDS = {">": "提高", "=": "持平", "<": "下降"}


def _trend(rule: ast.Bands) -> str:
    """趋势 a 较 b：提高 …；持平 …；下降 … (each band compares the difference with 0)."""
    now, before = rule.trend
    bands = "；".join(f"{_TREND_WORDS[band.cond.ops[0]]} {_outcome(band.outcome)}" for band in rule.bands)
    return f"趋势 {now} 较 {before}：{bands}"


def graded_line(rule: ast.Graded) -> str:
    """`评级 优：90%～100%；良：75%～90%，须说明理由`: each grade's ends as written, （含） and 分 kept."""
    if not rule.tiers:
        raise Unprintable("评级 needs at least one grade")
    tiers = "；".join(f"{bare(t.name, 'grade name')}：{_tier_end(t.first)}～{_tier_end(t.second)}" for t in rule.tiers)
    return f"评级 {tiers}" + ("，须说明理由" if rule.reason else "")


def _tier_end(end: ast.TierEnd) -> str:
    return (unsigned(end.amount, "grade range") + ("%" if end.percent else "") + (" 分" if end.fen else "")
            + ("（含）" if end.included else ""))


def _special(special: ast.Special) -> str:
    if special.gate:
        otherwise = f"，否则 {_award(special.points)}" if special.points else ""
        return f"计分条件 {format_cond(special.cond)}{otherwise}"
    return f"若 {format_cond(special.cond)} 则 {_award(special.points)}"


def _nodata(nodata: ast.NoData) -> str:
    if nodata.outcome == "na":
        return "不适用"
    if nodata.outcome == "discretion":
        return f"酌情 {unsigned(nodata.low, 'points')}～{unsigned(nodata.high, 'points')} 分"
    return _award(nodata.points)


def _award(points: Decimal | None) -> str:
    if points is None:
        return "得满分"
    if points == 0:
        return "不得分"
    return f"得 {unsigned(points, 'points')} 分"


def _rule(rule, depth: int) -> list[str]:
    """A rule's lines at `depth`: the keyword line, then its bands, options or elements one level deeper."""
    write = _RULE_LINES.get(type(rule))
    if write is None:
        raise Unprintable(f"{type(rule).__name__} is not a rule")
    return write(rule, INDENT * depth, depth)


def _checklist_rule(rule: ast.Checklist, pad: str, depth: int) -> list[str]:
    head = "要素"
    if rule.each is not None:
        head += f" 每项 {unsigned(rule.each, 'points')} 分"
    elif rule.each_placeholder:
        head += " 每项 ？ 分"
    elif rule.equal:
        head += " 均分"
    if rule.partial:
        head += "，可酌情" if rule.each is not None or rule.each_placeholder or rule.equal else " 可酌情"
    if not rule.items:
        raise Unprintable("a checklist needs elements")
    return [pad + head] + [pad + INDENT + "- " + _item(item) for item in rule.items]


def _bands_rule(rule: ast.Bands, pad: str, depth: int) -> list[str]:
    if rule.trend is not None:
        return [pad + _trend(rule)]
    if not rule.bands:
        raise Unprintable("bands need at least one band")
    return [f"{pad}分档 {format_expr(rule.subject)}"] + [pad + INDENT + _band(band) for band in rule.bands]


def _compound_rule(rule: ast.Compound, pad: str, depth: int) -> list[str]:
    return [f"{pad}分档 {format_expr(rule.subjects[0])}、{format_expr(rule.subjects[1])}："] + [
        pad + INDENT + line for line in _compound_lines(rule)]


def _per_finding_rule(rule: ast.PerFinding, pad: str, depth: int) -> list[str]:
    text = f"按项扣分 {bare(rule.subject, 'input name')} 每项 {unsigned(rule.deduct, 'points')} 分"
    if rule.cap is not None:
        text += f"，最多 {unsigned(rule.cap, 'points')} 分"
    return [pad + text + "，扣完为止"]


def _choice_rule(rule: ast.Choice, pad: str, depth: int) -> list[str]:
    if not rule.options:
        raise Unprintable("a choice needs options")
    return [f"{pad}选择 {bare(rule.input, 'choice name')}"] + [pad + INDENT + _choice_option(o) for o in rule.options]


def _discretionary_rule(rule: ast.Discretionary, pad: str, depth: int) -> list[str]:
    if (rule.low is None) != (rule.high is None):
        raise Unprintable("a discretionary range has both ends")
    if rule.low is None:
        return [pad + "酌情"]
    return [f"{pad}酌情 {unsigned(rule.low, 'points')}～{unsigned(rule.high, 'points')} 分"]


def _target_rule(rule: ast.Target, pad: str, depth: int) -> list[str]:
    if rule.op not in CMP:
        raise Unprintable(f"target comparison {rule.op!r}")
    value = number_text(rule.target).replace("0", "？", 1) if rule.placeholder else number_text(rule.target)
    text = f"目标 {bare(rule.actual, 'input name')} {CMP[rule.op]} {value}"
    if rule.pass_mark is not None:
        text += f"，及格 {unsigned(rule.pass_mark, 'pass mark')}%"
    text += "，未达标不得分" if rule.all_or_nothing else ""
    if rule.over_cut is not None:
        text += f"，超额调减 最多 {unsigned(rule.over_cut, 'over-cut')} 分"
    return [pad + text]


def _parts_rule(rule: ast.Parts, pad: str, depth: int) -> list[str]:
    if not rule.parts:
        raise Unprintable("parts need at least one part")
    lines = []
    for part in rule.parts:
        lines.append(f"{pad}分项 {quote_name(part.name)}（{format_number(part.points)}）")
        lines += body_lines(part.body, depth + 1)
    return lines


def _by_class_rule(rule: ast.ByClass, pad: str, depth: int) -> list[str]:
    lines = [pad + "按类别"]
    for branch in rule.branches:
        inside = _rule(branch.rule, depth + 1)
        lines.append(pad + INDENT + "、".join(_option_word(c) for c in branch.classes) + "：" + inside[0].lstrip())
        lines += inside[1:]
    return lines


# Each rule kind's lines, by its node class (the one-line kinds written here).
_RULE_LINES = {
    ast.Checklist: _checklist_rule,
    ast.Formula: lambda rule, pad, depth: [f"{pad}得分 = {format_expr(rule.expr)}"],
    ast.Bands: _bands_rule,
    ast.Compound: _compound_rule,
    ast.Deviation: lambda rule, pad, depth: [pad + _deviation(rule)],
    ast.PerFinding: _per_finding_rule,
    ast.Choice: _choice_rule,
    ast.Graded: lambda rule, pad, depth: [pad + graded_line(rule)],
    ast.Qualitative: lambda rule, pad, depth: [f"{pad}定性 {bare(rule.tier, 'input name')}"],
    ast.Discretionary: _discretionary_rule,
    ast.Target: _target_rule,
    ast.Intervals: lambda rule, pad, depth: [f"{pad}区间赋分 {bare(rule.rate, 'rate name')}，"
                                             f"{bare(rule.completed, 'input name')}"],
    ast.Parts: _parts_rule,
    ast.ByClass: _by_class_rule,
    ast.Refine: lambda rule, pad, depth: [pad + "待细化" + (f" {free_text(rule.note, 'refine note')}" if rule.note
                                                          else "")],
}


def _item(item: ast.ChecklistItem) -> str:
    if item.points is None:
        text = _line_text(item.text, "checklist element")
        if ITEM_POINTS.search(text):
            raise Unprintable(f"element {text!r} ends like its own points")
        return text
    if item.text and (item.text != item.text.strip() or "\n" in item.text or item.text.startswith(('"', "#"))):
        raise Unprintable(f"checklist element {item.text!r} cannot be written in idsl")
    if ITEM_POINTS.search(item.text):
        raise Unprintable(f"element {item.text!r} ends like its own points")
    return f"{item.text}（{unsigned(item.points, 'points')}分）"


def _band(band: ast.Band) -> str:
    return f"{format_cond(band.cond)}：{_outcome(band.outcome)}"


def _compound_lines(rule: ast.Compound) -> list[str]:
    """One line per run of bands with the same first condition: `是，≥ 95%：得满分；是，< 95%：得 3 分`."""
    if not rule.bands:
        raise Unprintable("bands need at least one band")
    lines: list[list[str]] = []
    last = None
    for band in rule.bands:
        if isinstance(band.first, ast.Otherwise) and isinstance(band.second, ast.Otherwise):
            text, first = f"否则：{_outcome(band.outcome)}", None
        else:
            first = _side(band.first)
            text = f"{first}，{_side(band.second)}：{_outcome(band.outcome)}"
        if lines and first is not None and first == last:
            lines[-1].append(text)
        else:
            lines.append([text])
        last = first
    return ["；".join(line) for line in lines]


def _side(cond: ast.Cond) -> str:
    """One side of a band over two subjects: a bare answer or option for `subject = word`."""
    if isinstance(cond, ast.Compare) and cond.ops == ("=",) and isinstance(cond.operands[0], ast.Subject):
        word = cond.operands[1]
        if isinstance(word, ast.BoolLit):
            return "是" if word.value else "否"
        if isinstance(word, ast.Ref):
            return bare(word.name, "option")
    return format_cond(cond)


def _outcome(outcome) -> str:
    if isinstance(outcome, ast.Fixed) and outcome.deduct is not None:  # as written, not the award it resolves to
        return "不扣分" if outcome.deduct == 0 else f"扣 {unsigned(outcome.deduct, 'points')} 分"
    if isinstance(outcome, ast.Fixed):
        return "得 0 分" if outcome.figures and outcome.points == 0 else _award(outcome.points)
    if isinstance(outcome, ast.Linear):
        word = {"down": "每降低", "up": "每增加"}.get(outcome.direction)
        if word is None:
            raise Unprintable(f"linear direction {outcome.direction!r}")
        text = f"{word} {_step(outcome.step, outcome.rounding)}扣 {unsigned(outcome.deduct, 'points')} 分"
        if outcome.start is not None:
            text += f"，起扣 {unsigned(outcome.start, 'points')} 分"
        return text + ("，扣完为止" if outcome.until_zero else "")
    raise Unprintable(f"{type(outcome).__name__} is not an outcome")


def _step(step: ast.Num, mode: str | None) -> str:
    """`1% ` or `1%（四舍五入取整）`: the step, then how part of a step counts."""
    if mode is None:
        return number_text(step) + " "
    if mode not in _ROUNDING:
        raise Unprintable(f"rounding {mode!r}")
    return f"{number_text(step)}（{_ROUNDING[mode]}）"


def _deviation(rule: ast.Deviation) -> str:
    if not rule.absolute:
        raise Unprintable("偏离 always counts deviations either side")
    text = (f"偏离 {format_expr(rule.subject)} 目标 {format_expr(rule.target)}，每 {_step(rule.step, rule.rounding)}"
            f"扣 {unsigned(rule.deduct, 'points')} 分")
    if rule.until_zero:
        text += "，扣完为止"
    beyond = rule.beyond_points  # what a deviation past the limit earns (None: 不得分)
    if rule.limit is not None:
        if beyond is not None and beyond == 0:
            raise Unprintable("a deviation past its limit earning 0 is written 不得分 (beyond_points None)")
        text += f"，超过 {number_text(rule.limit)} {_award(beyond) if beyond is not None else '不得分'}"
    elif beyond is not None:
        raise Unprintable("what a deviation earns past its limit needs a limit")
    return text


def _choice_option(option: ast.ChoiceOption) -> str:
    if not _LABEL.fullmatch(option.label) or option.label != option.label.strip():
        raise Unprintable(f"option label {option.label!r} (no colons; not starting with - # or a quote)")
    if option.points == 0 and not option.figures:  # 不得分, as a band says it, unless the author wrote 0 分
        return f"{option.label}：不得分"
    return f"{option.label}：{unsigned(option.points, 'points')} 分"


__all__ = ["INDENT", "ITEM_POINTS", "body_lines", "derived_line", "input_lines", "questionnaire_lines"]
