"""Inputs checked field by field against a plan: a leaf's object bound to its declarations
(`LeafBinder`), the spec-level inputs (`bind_shared`). Every problem is collected as an
`InputError` naming the indicator and field; nothing is raised one by one.

The file itself is read by `idsl.io.inputfile` and each value checked by `idsl.io.values`; their
public names are importable from here too.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from idsl.frontend import ast
from idsl.frontend.form import funds_sums
from idsl.io.series_json import flatten
from idsl.io.inputfile import (AS_PUBLISHED, ITEMS, NOT_APPLICABLE, REASON, SCORE, SHARED, InputError, Inputs,
                               closest, did_you_mean, is_blank, read_inputs, read_recorded)
from idsl.io.points_words import judged_out_of_range, read_score
from idsl.io.values import NO_WORDS, YES_WORDS, as_bool, convert, float_hint, input_domain, is_number, show, to_fraction
from idsl.semantics.applies import Gate, leaf_gate
from idsl.semantics.bounded import Bound, bound_target, decides, goal_text, undecided
from idsl.semantics.graded import own_grade, reason_exempt
from idsl.semantics.lower import NODATA_SCORE, reasoned_cuts
from idsl.semantics.model import LeafPlan, Node, Plan, ambiguous_matches
from idsl.semantics.numbers import decimal_text, format_points

def reason_below(points) -> tuple[str, str]:
    """扣分须说明理由: the error of a score below the points without a reason, as (message, hint), placed at the
    leaf's 理由 (the cell or column to fill) in every reader and both engines."""
    return f"得分低于分值{format_points(points)}分，须写“理由”（扣分原因）。", "写明扣分的依据，如发现的问题。"


REASON_NEEDED = ("评价人判断给的分（酌情、评级、定性）必须写“理由”（扣分原因）。", "写明这样给分的理由。")  # a judged score without its reason
PARTIAL_REASON = "有要素只给了部分分数（酌情），必须写“理由”。"  # a checklist element part-scored without a reason

# ---------------------------------------------------------------- typed values


@attrs.frozen
class Mark:
    """A checklist element as given: the points it earns and whether it was met in full."""

    points: Fraction  # points earned by this element
    state: str  # 'met', 'unmet' or 'partial'


@attrs.frozen
class Tallies:
    """A questionnaire's answers: one row per question, one count per option."""

    rows: tuple[tuple[int, ...], ...]


@attrs.frozen
class Values:
    """A scoring unit's checked values (a leaf, a part, or a penalty item)."""

    fields: dict[str, Any]  # input name → Fraction | bool | str (a choice's label) | Tallies
    items: tuple[Mark, ...] | None = None  # checklist elements
    score: Fraction | None = None  # a discretionary score
    reason: str | None = None  # the evaluator's reason (理由)
    not_applicable: bool = False  # 不适用 was given
    missing: tuple[str, ...] = ()  # required fields that were not given
    bounds: dict[str, Bound] = attrs.field(factory=dict)  # actuals known only as a bound (≥266米): `fields` holds the figure


# ---------------------------------------------------------------- binding a leaf's object


class LeafBinder:
    """Checks one leaf's object against its declarations, collecting errors."""

    def __init__(self, node: Node, raw: dict[str, Any] | None, penalty: bool = False, ignore_unknown: bool = False):
        self.node = node
        self.penalty = penalty  # penalty/bonus items: a zero deduction needs no reason
        self.errors: list[InputError] = []
        self.ignored: list[InputError] = []  # fields the leaf does not declare, left out (ignore_unknown)
        self.suggested: set[str] = set()  # fields offered as "did you mean" for a misspelled key
        raw = raw or {}
        if node.leaf is not None and isinstance(raw, dict):  # a series written grouped: 进度 by year, 子项目 as a list
            raw, problems = flatten(node.leaf.own_inputs, raw)
            for field, message, hint in problems:
                self.error(field, message, hint)
        self.raw = self._known(raw) if ignore_unknown else raw

    def error(self, field: str | None, message: str, hint: str | None = None, index: int | None = None) -> None:
        self.errors.append(InputError(self.node.key, field, message, hint, index=index))

    # -- the whole leaf

    def bind(self) -> tuple[Values, dict[str, Values]]:
        """The leaf's values, and each part's values by part name."""
        leaf = self.node.leaf
        assert leaf is not None
        self._check_unknown(leaf)
        na = self._not_applicable()
        if na:
            return Values({}, not_applicable=True), {}
        if leaf.parts:
            parts = {}
            for part in leaf.parts:
                sub = self.raw.get(part.name)
                merged = {k: v for k, v in self.raw.items() if k not in {p.name for p in leaf.parts}}
                if isinstance(sub, dict):
                    merged.update(sub)
                parts[part.name] = self._bind_unit(part.leaf, part.points, merged, part.name,
                                                   reserved_here=self._reserved_owner(leaf, part.name))
            return Values({}), parts
        return self._bind_unit(leaf, self.node.points, self.raw, None, reserved_here=True), {}

    def _reserved_owner(self, leaf: LeafPlan, part_name: str) -> bool:
        """Whether leaf-level 要素/得分/理由 belong to this part: it is the only part that uses them."""
        users = [p.name for p in leaf.parts if isinstance(p.leaf.rule, (ast.Checklist, ast.Discretionary))]
        return users == [part_name]

    def _not_applicable(self) -> bool:
        value = self.raw.get(NOT_APPLICABLE)
        if value is None or value is False:
            return False
        if value is not True and as_bool(value) is not True:
            self.error(NOT_APPLICABLE, "“不适用”应写 true（或“是”）。")
            return False
        gate = leaf_gate(self.node)
        if gate is not None and not self.node.na_mark:  # 适用 若 without a 不适用 line: its answer alone leaves it out
            self.error(NOT_APPLICABLE, *self._gated_mark(gate))
            return False
        if self.node.not_applicable is None or not self.node.na_mark:
            self.error(NOT_APPLICABLE, "这个指标没有声明“不适用”的处理办法，不能标为不适用。",
                       "在体系里给它写“不适用 剔除”或“不适用 得满分”，或者填上实际输入。")
            return False
        return True

    def _gated_mark(self, gate: Gate) -> tuple[str, str]:
        """The words for a 适用 若 leaf marked 不适用: the gate, and the unit's answer to it."""
        written = f"适用 若 {gate.name}" + ("" if gate.wanted else " = 否")
        answer = self.raw.get(gate.name)
        read = as_bool(answer) if answer is not None else None
        given = "未填" if answer is None else f"填的是“{'是' if read else '否' if read is False else answer}”"
        leave_out = "否" if gate.wanted else "是"
        return (f"这个指标是否适用由“{gate.name}”决定（{written}），不能另标为不适用；本单位的“{gate.name}”{given}。",
                f"不适用时把“{gate.name}”填为“{leave_out}”，并删去“不适用”。")

    def _known(self, raw: dict[str, Any]) -> dict[str, Any]:
        """The fields this leaf declares; each other one is noted in `ignored` (scoring a system as published)."""
        leaf = self.node.leaf
        assert leaf is not None
        allowed = self._allowed(leaf)
        kept: dict[str, Any] = {}
        for key, value in raw.items():
            part = next((p for p in leaf.parts if p.name == key), None)
            if part is not None and isinstance(value, dict):
                sub_allowed = self._allowed(part.leaf)
                kept[key] = {k: v for k, v in value.items() if k in sub_allowed}
                self.ignored.extend(self._ignored(f"{key}.{k}") for k in value if k not in sub_allowed)
            elif key in allowed:
                kept[key] = value
            else:
                self.ignored.append(self._ignored(key))
        return kept

    def _ignored(self, field: str) -> InputError:
        return InputError(self.node.key, field, "体系（原样）没有声明这个输入，已忽略。")

    def _check_unknown(self, leaf: LeafPlan) -> None:
        allowed = self._allowed(leaf)
        part_names = {p.name for p in leaf.parts}
        for key, value in self.raw.items():
            if key in part_names:
                if not isinstance(value, dict):
                    self.error(key, "分项的输入应是一个对象。")
                    continue
                part = next(p for p in leaf.parts if p.name == key)
                sub_allowed = self._allowed(part.leaf)
                for sub_key in value:
                    if sub_key not in sub_allowed:
                        self.error(f"{key}.{sub_key}", "这个分项没有这个输入。", did_you_mean(sub_key, sub_allowed))
                continue
            if key not in allowed:
                close = closest(key, [a for a in allowed if a not in self.raw])
                if close:
                    self.suggested.add(close)
                    self.error(key, "这个指标没有这个输入。", f"是不是“{close}”？")
                else:
                    self.error(key, "这个指标没有这个输入。", did_you_mean(key, allowed) or _expected(allowed))

    def _allowed(self, leaf: LeafPlan) -> list[str]:
        names = [i.name for i in leaf.own_inputs] + [q.name for q in leaf.own_questionnaires]
        names += [NOT_APPLICABLE, REASON]
        if isinstance(leaf.rule, ast.Checklist):
            names.append(ITEMS)
        if isinstance(leaf.rule, ast.Discretionary):
            names.append(SCORE)
        for part in leaf.parts:
            names.append(part.name)
            names += [n for n in self._allowed(part.leaf) if n not in names]
        return names

    # -- one scoring unit

    def _bind_unit(self, leaf: LeafPlan, points: Decimal, raw: dict[str, Any], part: str | None,
                   reserved_here: bool) -> Values:
        prefix = f"{part}." if part else ""
        fields: dict[str, Any] = {}
        bounds: dict[str, Bound] = {}
        missing: list[str] = []
        for decl in leaf.own_inputs:
            if part is not None and not reserved_here and own_grade(leaf.rule, decl) and not self._in_part(part, decl):
                if decl.name in raw:  # 评级's 等级 with several parts scored by hand: one grade per part
                    self.error(decl.name, "有几个分项都要评定等级，请把“等级”写进各分项自己的对象里。",
                               f"写成 \"{part}\": {{\"{decl.name}\": \"…\", \"得分\": …}}。")
                else:
                    missing.append(prefix + decl.name)
                continue
            if decl.name not in raw:  # left out or blank (read_inputs leaves a blank field out)
                if decl.blank_zero:  # an evaluator's cut not made
                    fields[decl.name] = Fraction(0)
                elif not (decl.fill_mean or decl.optional):  # 缺失取平均: the peers' mean; 可缺: 无数据时
                    missing.append(prefix + decl.name)
                continue
            actual = isinstance(leaf.rule, ast.Target) and leaf.rule.actual == decl.name
            target = bound_target(leaf, decl)
            value = convert(decl, raw[decl.name], lambda m, h=None, n=decl.name: self.error(prefix + n, m, h), actual,
                            bounded=target is not None)
            if isinstance(value, Bound) and target is not None:  # ≥266米: scored only where it shows the target met
                if not decides(value, target, decl):
                    self.error(prefix + decl.name, *undecided(decl, value, target, goal_text(target, decl)))
                    continue
                bounds[decl.name], value = value, value.figure
            if value is not None:
                fields[decl.name] = value
        for questionnaire in leaf.own_questionnaires:
            if questionnaire.name not in raw or blank_within(raw[questionnaire.name]):  # a count left blank
                missing.append(prefix + questionnaire.name)  # is the questionnaire not given, as a blank cell
            if questionnaire.name not in raw:
                continue
            tallies = self._tallies(questionnaire, raw[questionnaire.name], prefix)
            if tallies is not None:
                fields[questionnaire.name] = tallies
        reason = raw.get(REASON)
        if reason is not None and not isinstance(reason, str):
            self.error(prefix + REASON, "“理由”应是一段文字。")
            reason = None
        reason = reason.strip() if isinstance(reason, str) and reason.strip() else None
        items = score = None
        rule = leaf.rule
        in_part_object = part is not None and isinstance(self.raw.get(part), dict)
        own = reserved_here or in_part_object
        if isinstance(rule, ast.Checklist):
            if ITEMS in raw and own:
                items = self._items(rule, raw[ITEMS], reason, prefix)
            elif ITEMS in raw:
                self.error(ITEMS, "有几个分项都用“要素”，请把它写进各分项自己的对象里。")
            if ITEMS not in raw or (own and blank_within(raw[ITEMS])):  # an element left blank: not given
                missing.append(prefix + ITEMS)
        if isinstance(rule, ast.Discretionary):
            if SCORE in raw and own:
                top = _top_tier(leaf, rule, fields, points)
                score = self._discretionary(rule, points, raw[SCORE], reason, prefix, top)
            elif SCORE in raw:
                self.error(SCORE, "有几个分项都是酌情，请把“得分”写进各分项自己的对象里。")
            else:
                missing.append(prefix + SCORE)
        for cut, message in reasoned_cuts(leaf).items():  # 超额调减, 酌情扣分 above 0 need a reason
            given = fields.get(cut)  # 无数据得分 needs one whenever it is given, a cut when it cuts
            if reason is None and given is not None and (given > 0 or cut == NODATA_SCORE):
                # no hint: the message names the field, and a JSON hint would be wrong in a batch's listing,
                # which both engines must word alike
                self.error(prefix + REASON, message)
        return Values(fields, items, score, reason, False, tuple(missing), bounds)

    def _in_part(self, part: str, decl: ast.Input) -> bool:
        """Whether the part's own object gives the input."""
        sub = self.raw.get(part)
        return isinstance(sub, dict) and decl.name in sub

    def _items(self, rule: ast.Checklist, raw: Any, reason: str | None, prefix: str) -> tuple[Mark, ...] | None:
        field = prefix + ITEMS
        if not isinstance(raw, list):
            self.error(field, f"“要素”应是一个列表，每项要素一个值（共 {len(rule.items)} 项），例如 [\"是\", \"否\"]。")
            return None
        if len(raw) != len(rule.items):
            self.error(field, f"要素有 {len(rule.items)} 项，这里给了 {len(raw)} 个值。",
                       "按评分标准中要素的顺序，每项给一个“是”或“否”。")
            return None
        marks: list[Mark] = []
        ok = True
        for number, (item, value) in enumerate(zip(rule.items, raw), start=1):
            if is_blank(value):  # the element is not given: the field is missing (see _bind_unit)
                ok = False
                continue
            item_points = Fraction(item.points if item.points is not None else (rule.each or 0))
            if rule.partial and is_number(value):
                given = to_fraction(value)
                if given is None or given < 0 or given > item_points:
                    self.error(field, f"第 {number} 项要素给了 {show(value)} 分，应在 0～{format_points(item_points)} 分之间。",
                               index=number)
                    ok = False
                    continue
                state = "met" if given == item_points else "unmet" if given == 0 else "partial"
                marks.append(Mark(given, state))
                continue
            flag = as_bool(value)
            if flag is not None:
                marks.append(Mark(item_points if flag else Fraction(0), "met" if flag else "unmet"))
                continue
            hint = "这个要素法不可酌情，每项只能“是”（符合）或“否”（不符合）。" if is_number(value) else None
            self.error(field, f"第 {number} 项要素的值 {show(value)} 不是“是”或“否”。", hint, index=number)
            ok = False
        if not ok:
            return None
        if any(m.state == "partial" for m in marks) and reason is None:
            self.error(prefix + REASON, PARTIAL_REASON)
            return None
        return tuple(marks)

    def _discretionary(self, rule: ast.Discretionary, points: Decimal, raw: Any, reason: str | None,
                       prefix: str, top_tier: bool = False) -> Fraction | None:
        field = prefix + SCORE
        figure, problem = read_score(raw, judged=True)  # 30分: 30, as every reader reads it
        if figure is None:
            self.error(field, problem[0], float_hint(raw) or problem[1])
            return None
        value = Fraction(figure)
        low = rule.low if rule.low is not None else Decimal(0)
        high = rule.high if rule.high is not None else points
        if not low <= figure <= high:
            self.error(field, *judged_out_of_range(decimal_text(figure), low, high))
            return None
        if reason is None and not (self.penalty and value == 0) and not top_tier:
            self.error(prefix + REASON, *REASON_NEEDED)
            return None
        return value

    def _tallies(self, questionnaire: ast.Questionnaire, raw: Any, prefix: str) -> Tallies | None:
        field = prefix + questionnaire.name
        questions, options = len(questionnaire.questions), len(questionnaire.options)
        shape = f"{questions} 行（每题一行）、每行 {options} 个数（选 {'/'.join(o for o, _ in questionnaire.options)} 的人数）"
        if not isinstance(raw, list) or not all(isinstance(row, list) or is_blank(row) for row in raw):
            self.error(field, f"问卷结果应是 {shape} 的列表。")
            return None
        if len(raw) != questions:
            self.error(field, f"问卷有 {questions} 题，这里给了 {len(raw)} 行。", f"应是 {shape}。")
            return None
        rows = []
        for number, row in enumerate(raw, start=1):
            if is_blank(row):  # a question's counts not given: the questionnaire is missing (see _bind_unit)
                continue
            if len(row) != options:
                self.error(field, f"第 {number} 题应有 {options} 个人数，这里有 {len(row)} 个。", index=number)
                return None
            counts = []
            for value in row:
                if is_blank(value):  # a count not given: the questionnaire is missing (see _bind_unit)
                    continue
                count = to_fraction(value)
                if count is None or count < 0 or count.denominator != 1:
                    self.error(field, f"第 {number} 题的人数 {show(value)} 应是不小于 0 的整数。", index=number)
                    return None
                counts.append(int(count))
            rows.append(tuple(counts))
        if len(rows) != questions or any(len(counts) != options for counts in rows):
            return None
        return Tallies(tuple(rows))


def bind_shared(plan: Plan, raw: dict[str, Any]) -> tuple[dict[str, Any], list[InputError]]:
    """The spec-level inputs (共用), checked against their declarations."""
    errors: list[InputError] = []
    values: dict[str, Any] = {}
    declared = {i.name: i for i in plan.shared_inputs}
    questionnaires = {q.name: q for q in plan.shared_questionnaires}
    for key, value in raw.items():
        if key in declared:
            converted = convert(declared[key], value, lambda m, h=None, k=key: errors.append(InputError(SHARED, k, m, h)))
            if converted is not None:
                values[key] = converted
        elif key in questionnaires:
            binder = LeafBinder(Node((SHARED,), SHARED, Decimal(0), 0), {})
            tallies = binder._tallies(questionnaires[key], value, "")
            errors.extend(attrs.evolve(e, path=SHARED) for e in binder.errors)
            if tallies is not None:
                values[key] = tallies
        else:
            names = list(declared) + list(questionnaires)
            errors.append(InputError(SHARED, key, "体系没有声明这个共用输入。", did_you_mean(key, names)))
    return values, errors



def funds_errors(form: ast.Form | None, key: str, fields: dict[str, Any]) -> list[InputError]:
    """The 其中 rows the evaluator gives add up to 年度资金总额, column by column (frontend.form.funds_sums);
    a column with a figure not given (or not a number) is left to that field's own error."""
    errors = []
    for funds in funds_sums(form):
        terms = [funds.total, *(term for _row, term in funds.parts)]
        values = [Fraction(term) if isinstance(term, Decimal) else fields.get(term) for term in terms]
        if any(not isinstance(value, Fraction) for value in values):
            continue
        if sum(values[1:], Fraction(0)) != values[0]:
            message, hint = funds.message()
            errors.append(InputError(key, funds.blamed, message, hint))
    return errors


def blank_within(value: Any) -> bool:
    """Whether a list (要素) or a list of rows (问卷) has an element left blank: the field is not given in full.

    >>> blank_within(["是", None]), blank_within([[6, 0], [5, " "]]), blank_within(["是", "否"]), blank_within(None)
    (True, True, False, False)
    """
    return isinstance(value, list) and any(blank_within(v) if isinstance(v, list) else is_blank(v) for v in value)


def _expected(names: list[str]) -> str | None:
    shown = [n for n in names if n not in (NOT_APPLICABLE, REASON)]
    return f"这个指标的输入有：{'、'.join(shown)}。" if shown else None


def unknown_key_error(plan: Plan, key: str, where: str = "inputs") -> InputError:
    """An error for a key naming no indicator, with a "did you mean" or the candidates it could mean."""
    matches = ambiguous_matches(plan, key)
    if matches:
        return InputError(key, None, "这个名称不唯一，指的是哪一个？",
                          "写完整路径：" + "；".join(n.key for n in matches))
    return InputError(key, None, "体系里没有这个指标。", did_you_mean(key, plan.names()))


def _top_tier(leaf: LeafPlan, rule: ast.Rule, fields: dict[str, Any], points: Decimal) -> bool:
    """A judged score that needs no reason for the grade read (定性's top tier, 评级 without 须说明理由 or in its
    top grade); a grade not read is its own error, and no reason is asked for."""
    if not isinstance(rule, ast.Qualitative):
        return False
    decl = next((d for d in leaf.own_inputs if d.name == rule.tier), None)
    options = decl.options if decl is not None else ()
    return reason_exempt(rule, options, Fraction(points), fields.get(rule.tier))


__all__ = [
    "AS_PUBLISHED",
    "ITEMS",
    "InputError",
    "Inputs",
    "LeafBinder",
    "funds_errors",
    "Mark",
    "NOT_APPLICABLE",
    "NO_WORDS",
    "REASON",
    "REASON_NEEDED",
    "SCORE",
    "SHARED",
    "Tallies",
    "Values",
    "YES_WORDS",
    "bind_shared",
    "convert",
    "input_domain",
    "read_inputs",
    "read_recorded",
    "unknown_key_error",
]

