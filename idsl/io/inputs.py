"""Inputs: the JSON an evaluator fills in, read into frozen `Inputs`, and checked field by field
against a plan. Every problem is collected as an `InputError` naming the indicator and field;
nothing is raised one by one and no traceback reaches the user.

The file (documented in examples/README.md):

    {"spec": "specs/001_….idsl", "unit": "单位名称",
     "inputs": {"<leaf>": {"<input>": 842.29, "<rate>": "89.67%", "<yes/no>": "是", "<choice>": "<label or A/B/C>"},
                "<checklist leaf>": {"要素": ["是", "否", "是"]},
                "<discretionary leaf>": {"得分": 2.5, "理由": "…"},
                "<leaf>": {"不适用": true},
                "<questionnaire leaf>": {"<questionnaire>": [[6, 0, 0, 0], [5, 1, 0, 0]]},
                "共用": {"<spec-level input>": 1}},
     "notes": {"<leaf>": "evaluator note"},
     "recorded": {"<leaf>": 3},
     "as_published": {"<leaf>": {"要素": ["是", "是", "是"]}}}

`as_published` (or 原样) is read only when a system is scored as published (`--as-published`):
for each leaf it names, its fields replace the leaf's own, for a published rule that needs the
same facts put another way (three elements where the corrected system merged two).
"""

from __future__ import annotations

import difflib
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterable

import attrs

from idsl.frontend import ast
from idsl.semantics.model import LeafPlan, Node, Plan, ambiguous_matches
from idsl.semantics.numbers import format_points, loads, to_decimal
from idsl.semantics.units import conversion_factor, convertible

# Reserved keys and their English aliases.
ITEMS = "要素"
SCORE = "得分"
REASON = "理由"
NOT_APPLICABLE = "不适用"
SHARED = "共用"
_ALIASES = {"items": ITEMS, "score": SCORE, "reason": REASON, "not_applicable": NOT_APPLICABLE,
            "shared": SHARED, "要素": ITEMS, "得分": SCORE, "理由": REASON, "不适用": NOT_APPLICABLE,
            "共用": SHARED}
_RESERVED = (ITEMS, SCORE, REASON, NOT_APPLICABLE)
AS_PUBLISHED = "as_published"
_TOP_KEYS = ("spec", "unit", "inputs", "notes", "recorded", AS_PUBLISHED, "原样")

# Words read as yes and as no in a yes/no cell (the batch reader uses the same sets).
YES_WORDS = {"是", "yes", "Yes", "YES", "符合", "√", "true", "True"}
NO_WORDS = {"否", "no", "No", "NO", "不符合", "×", "false", "False"}


@attrs.frozen(order=True)
class InputError:
    """One problem with the inputs: which indicator, which field, what, and what to do.

    >>> str(InputError("决策/预算配置/重点支出安排率", "项目总支出", "缺少输入。"))
    '决策/预算配置/重点支出安排率 › 项目总支出: 缺少输入。'
    """

    path: str  # the indicator's path ('' for the file as a whole)
    field: str | None  # the field within it, if any
    message: str  # what is wrong, one sentence
    hint: str | None = None  # what to do, e.g. "是不是“项目总支出”？"

    def __str__(self) -> str:
        where = " › ".join(p for p in (self.path, self.field) if p)
        text = f"{where}: {self.message}" if where else self.message
        return f"{text}（{self.hint}）" if self.hint else text

    def to_json(self) -> dict:
        """A plain dict for JSON output."""
        return {"path": self.path, "field": self.field, "message": self.message, "hint": self.hint}


@attrs.frozen
class Inputs:
    """The input file as read: values exact (Decimal, never float), reserved keys normalised.

    Nothing here knows the spec yet; `bind_leaf` checks the values against a leaf's declarations.
    """

    leaves: dict[str, dict[str, Any]] = attrs.field(factory=dict)  # key as written → field → value
    shared: dict[str, Any] = attrs.field(factory=dict)  # spec-level inputs (共用)
    notes: dict[str, str] = attrs.field(factory=dict)  # key → evaluator's note
    recorded: dict[str, Any] = attrs.field(factory=dict)  # key → recorded score (or grade)
    spec: str | None = None  # the spec the file was written for
    unit: str | None = None  # the evaluated unit (单位名称)
    errors: tuple[InputError, ...] = ()  # problems with the file's shape
    origin: str = "<inputs>"  # the file name, for messages
    as_published: dict[str, dict[str, Any]] = attrs.field(factory=dict)  # key → fields for the published rule


def read_inputs(source: str | bytes | Path | dict, origin: str | None = None) -> Inputs:
    """Read an input file (a path, JSON text, or the already-parsed object, read with exact numbers).

    >>> inputs = read_inputs('{"inputs": {"重点支出安排率": {"项目总支出": 6005.58}}, "notes": {}}')
    >>> inputs.leaves["重点支出安排率"]["项目总支出"], inputs.errors
    (Decimal('6005.58'), ())
    """
    if isinstance(source, Path):
        origin = origin or str(source)
        try:
            source = source.read_text(encoding="utf-8-sig")
        except OSError as err:
            return Inputs(errors=(InputError("", None, f"读不了输入文件 {source}：{err.strerror or err}"),), origin=origin)
    origin = origin or "<inputs>"
    if isinstance(source, (str, bytes)):
        try:
            data = loads(source)
        except (json.JSONDecodeError, ValueError) as err:
            line = f"第 {err.lineno} 行" if isinstance(err, json.JSONDecodeError) else ""
            return Inputs(errors=(InputError("", None, f"输入文件不是合法的 JSON：{line}{getattr(err, 'msg', err)}",
                                             "检查逗号、引号和括号是否成对。"),), origin=origin)
    else:
        data = source
    return _from_data(data, origin)


def _from_data(data: Any, origin: str) -> Inputs:
    errors: list[InputError] = []
    if not isinstance(data, dict):
        return Inputs(errors=(InputError("", None, "输入文件的最外层应是一个对象 {…}。"),), origin=origin)
    for key in data:
        if key not in _TOP_KEYS:
            errors.append(InputError("", key, "不认识的顶层键。", _did_you_mean(key, _TOP_KEYS)
                                     or f"顶层只能有 {'、'.join(_TOP_KEYS)}。"))
    leaves: dict[str, dict[str, Any]] = {}
    shared: dict[str, Any] = {}
    raw_inputs = data.get("inputs", {})
    if not isinstance(raw_inputs, dict):
        errors.append(InputError("", "inputs", "“inputs” 应是一个对象：指标 → 该指标的输入。"))
        raw_inputs = {}
    for key, value in raw_inputs.items():
        if _ALIASES.get(key) == SHARED:
            if isinstance(value, dict):
                shared.update(value)
            else:
                errors.append(InputError(SHARED, None, "“共用”应是一个对象：输入名 → 值。"))
            continue
        if not isinstance(value, dict):
            errors.append(InputError(key, None, "指标的输入应是一个对象，例如 {\"执行数\": 842.29}。"))
            continue
        leaves[key] = _normalise_keys(value)
    notes = data.get("notes", {}) or {}
    if not isinstance(notes, dict) or not all(isinstance(v, str) for v in notes.values()):
        errors.append(InputError("", "notes", "“notes” 应是一个对象：指标 → 说明文字。"))
        notes = {}
    recorded = data.get("recorded", {}) or {}
    if not isinstance(recorded, dict):
        errors.append(InputError("", "recorded", "“recorded” 应是一个对象：指标 → 记录的得分。"))
        recorded = {}
    overlay = data.get(AS_PUBLISHED, data.get("原样", {})) or {}
    if not isinstance(overlay, dict) or not all(isinstance(v, dict) for v in overlay.values()):
        errors.append(InputError("", AS_PUBLISHED, "“as_published” 应是一个对象：指标 → 按原样体系给的输入。"))
        overlay = {}
    spec = data.get("spec")
    unit = data.get("unit")
    return Inputs(leaves, shared, dict(notes), dict(recorded),
                  spec if isinstance(spec, str) else None, unit if isinstance(unit, str) else None,
                  tuple(errors), origin, {key: _normalise_keys(value) for key, value in overlay.items()})


def _normalise_keys(fields: dict[str, Any]) -> dict[str, Any]:
    """English aliases of the reserved keys become the Chinese ones; part sub-objects likewise."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        name = _ALIASES.get(key, key)
        out[name] = _normalise_keys(value) if isinstance(value, dict) else value
    return out


def read_recorded(source: str | bytes | Path | dict, origin: str | None = None) -> tuple[dict[str, Any], list[InputError]]:
    """A recorded-scores file: either {"<leaf>": 3, …} or an input file with a "recorded" object."""
    if isinstance(source, Path):
        origin = origin or str(source)
        try:
            source = source.read_text(encoding="utf-8-sig")
        except OSError as err:
            return {}, [InputError("", None, f"读不了记录得分文件 {source}：{err.strerror or err}")]
    if isinstance(source, (str, bytes)):
        try:
            source = loads(source)
        except (json.JSONDecodeError, ValueError) as err:
            return {}, [InputError("", None, f"记录得分文件不是合法的 JSON：{getattr(err, 'msg', err)}")]
    if not isinstance(source, dict):
        return {}, [InputError("", None, "记录得分文件应是一个对象：指标 → 得分。")]
    if isinstance(source.get("recorded"), dict):
        return dict(source["recorded"]), []
    return dict(source), []


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


# ---------------------------------------------------------------- binding a leaf's object


class LeafBinder:
    """Checks one leaf's object against its declarations, collecting errors."""

    def __init__(self, node: Node, raw: dict[str, Any] | None, penalty: bool = False, ignore_unknown: bool = False):
        self.node = node
        self.penalty = penalty  # penalty/bonus items: a zero deduction needs no reason
        self.errors: list[InputError] = []
        self.ignored: list[InputError] = []  # fields the leaf does not declare, left out (ignore_unknown)
        self.suggested: set[str] = set()  # fields offered as "did you mean" for a misspelled key
        self.raw = self._known(raw or {}) if ignore_unknown else raw or {}

    def error(self, field: str | None, message: str, hint: str | None = None) -> None:
        self.errors.append(InputError(self.node.key, field, message, hint))

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
        if value is not True and _as_bool(value) is not True:
            self.error(NOT_APPLICABLE, "“不适用”应写 true（或“是”）。")
            return False
        if self.node.not_applicable is None:
            self.error(NOT_APPLICABLE, "这个指标没有声明“不适用”的处理办法，不能标为不适用。",
                       "在体系里给它写“不适用 剔除”或“不适用 得满分”，或者填上实际输入。")
            return False
        return True

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
                        self.error(f"{key}.{sub_key}", "这个分项没有这个输入。", _did_you_mean(sub_key, sub_allowed))
                continue
            if key not in allowed:
                close = _closest(key, [a for a in allowed if a not in self.raw])
                if close:
                    self.suggested.add(close)
                    self.error(key, "这个指标没有这个输入。", f"是不是“{close}”？")
                else:
                    self.error(key, "这个指标没有这个输入。", _did_you_mean(key, allowed) or _expected(allowed))

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
        missing: list[str] = []
        for decl in leaf.own_inputs:
            if decl.name not in raw:
                missing.append(prefix + decl.name)
                continue
            value = convert(decl, raw[decl.name], lambda m, h=None, n=decl.name: self.error(prefix + n, m, h))
            if value is not None:
                fields[decl.name] = value
        for questionnaire in leaf.own_questionnaires:
            if questionnaire.name not in raw:
                missing.append(prefix + questionnaire.name)
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
            else:
                missing.append(prefix + ITEMS)
        if isinstance(rule, ast.Discretionary):
            if SCORE in raw and own:
                score = self._discretionary(rule, points, raw[SCORE], reason, prefix)
            elif SCORE in raw:
                self.error(SCORE, "有几个分项都是酌情，请把“得分”写进各分项自己的对象里。")
            else:
                missing.append(prefix + SCORE)
        return Values(fields, items, score, reason, False, tuple(missing))

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
            item_points = Fraction(item.points if item.points is not None else (rule.each or 0))
            if rule.partial and _is_number(value):
                given = _number(value)
                if given is None or given < 0 or given > item_points:
                    self.error(field, f"第 {number} 项要素给了 {_show(value)} 分，应在 0～{format_points(item_points)} 分之间。")
                    ok = False
                    continue
                state = "met" if given == item_points else "unmet" if given == 0 else "partial"
                marks.append(Mark(given, state))
                continue
            flag = _as_bool(value)
            if flag is not None:
                marks.append(Mark(item_points if flag else Fraction(0), "met" if flag else "unmet"))
                continue
            hint = "这个要素法不可酌情，每项只能“是”（符合）或“否”（不符合）。" if _is_number(value) else None
            self.error(field, f"第 {number} 项要素的值 {_show(value)} 不是“是”或“否”。", hint)
            ok = False
        if not ok:
            return None
        if any(m.state == "partial" for m in marks) and reason is None:
            self.error(prefix + REASON, "有要素只给了部分分数（酌情），必须写“理由”。")
            return None
        return tuple(marks)

    def _discretionary(self, rule: ast.Discretionary, points: Decimal, raw: Any, reason: str | None,
                       prefix: str) -> Fraction | None:
        field = prefix + SCORE
        value = _number(raw)
        if value is None:
            self.error(field, f"酌情得分应是一个数，这里是 {_show(raw)}。", _float_hint(raw))
            return None
        low = Fraction(rule.low) if rule.low is not None else Fraction(0)
        high = Fraction(rule.high) if rule.high is not None else Fraction(points)
        if not low <= value <= high:
            self.error(field, f"酌情得分 {_show(raw)} 超出允许范围 {format_points(low)}～{format_points(high)} 分。")
            return None
        if reason is None and not (self.penalty and value == 0):
            self.error(prefix + REASON, "酌情给分必须写“理由”（扣分原因）。", "加上 \"理由\": \"…\"。")
            return None
        return value

    def _tallies(self, questionnaire: ast.Questionnaire, raw: Any, prefix: str) -> Tallies | None:
        field = prefix + questionnaire.name
        questions, options = len(questionnaire.questions), len(questionnaire.options)
        shape = f"{questions} 行（每题一行）、每行 {options} 个数（选 {'/'.join(o for o, _ in questionnaire.options)} 的人数）"
        if not isinstance(raw, list) or not all(isinstance(row, list) for row in raw):
            self.error(field, f"问卷结果应是 {shape} 的列表。")
            return None
        if len(raw) != questions:
            self.error(field, f"问卷有 {questions} 题，这里给了 {len(raw)} 行。", f"应是 {shape}。")
            return None
        rows = []
        for number, row in enumerate(raw, start=1):
            if len(row) != options:
                self.error(field, f"第 {number} 题应有 {options} 个人数，这里有 {len(row)} 个。")
                return None
            counts = []
            for value in row:
                count = _number(value)
                if count is None or count < 0 or count.denominator != 1:
                    self.error(field, f"第 {number} 题的人数 {_show(value)} 应是不小于 0 的整数。")
                    return None
                counts.append(int(count))
            rows.append(tuple(counts))
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
            errors.append(InputError(SHARED, key, "体系没有声明这个共用输入。", _did_you_mean(key, names)))
    return values, errors


# ---------------------------------------------------------------- one value


def convert(decl: ast.Input, value: Any, error) -> Any:
    """A value checked against its declaration: a Fraction, a bool, or a choice's label (None on error).

    `error(message, hint=None)` is called for each problem.

    >>> convert(ast.Input("执行率", "rate"), "89.67%", print)
    Fraction(8967, 10000)
    >>> convert(ast.Input("执行率", "rate"), 120, lambda message, hint=None: print(message))
    值 120% 超出允许范围 0%～100%。
    """
    kind = decl.kind
    if kind == "bool":
        flag = _as_bool(value)
        if flag is None:
            error(f"应填“是”或“否”，这里是 {_show(value)}。")
        return flag
    if kind == "choice":
        return _choice(decl, value, error)
    number = _quantity(decl, value, error)
    if number is None:
        return None
    if kind == "findings":
        if number < 0 or number.denominator != 1:
            error(f"问题数应是不小于 0 的整数，这里是 {_show(value)}。")
            return None
        return number
    low, high = input_domain(decl)
    if (low is not None and number < low) or (high is not None and number > high):
        error(f"值 {_shown_number(decl, number)} 超出允许范围 {_range_text(decl, low, high)}。", _domain_hint(decl, number))
        return None
    return number


def _quantity(decl: ast.Input, value: Any, error) -> Fraction | None:
    """The number a rate, money, count or plain-number field holds, in the declared unit."""
    if isinstance(value, ast.Num):  # from a worked example
        amount = Fraction(value.amount) if decl.kind != "rate" or value.percent else Fraction(value.value) / 100
        if value.unit and decl.unit and value.unit != decl.unit:
            if not convertible(value.unit, decl.unit):
                error(f"单位“{value.unit}”与声明的“{decl.unit}”不能换算。")
                return None
            amount *= Fraction(conversion_factor(value.unit, decl.unit))
        return amount
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict, float)):
        error(f"应填一个数，这里是 {_show(value)}。", _float_hint(value))
        return None
    if isinstance(value, str):
        text = value.strip().replace("，", "").replace(",", "")
        percent = text.endswith(("%", "％"))
        if percent:
            text = text[:-1].strip()
        if decl.kind == "rate" and not percent:
            error(f"比率写成文字时要带 %，例如 \"{text}%\"；或直接写数 {text}（表示 {text}%）。")
            return None
        if decl.kind != "rate" and percent:
            error(f"这是{_kind_word(decl)}，不是比率，不能带 %。")
            return None
        if decl.unit and text.endswith(decl.unit):
            text = text[: -len(decl.unit)].strip()
        try:
            number = Fraction(to_decimal(text))
        except (ValueError, TypeError):
            error(f"应填一个数，这里是 {_show(value)}。")
            return None
        return number / 100 if percent else number
    try:
        number = Fraction(to_decimal(value))
    except (ValueError, TypeError):
        error(f"应填一个数，这里是 {_show(value)}。")
        return None
    return number / 100 if decl.kind == "rate" else number


def input_domain(decl: ast.Input) -> tuple[Fraction | None, Fraction | None]:
    low = Fraction(decl.low.amount) if decl.low is not None else None
    high = Fraction(decl.high.amount) if decl.high is not None else None
    if decl.kind == "rate":
        if decl.low is None and decl.high is None:
            return Fraction(0), Fraction(1)
        return low, high
    if decl.kind in ("money", "count") and low is None and not decl.signed:
        low = Fraction(0)
    if decl.kind == "number" and low is None and not decl.signed and decl.high is None:
        return None, None
    return low, high


def _range_text(decl: ast.Input, low: Fraction | None, high: Fraction | None) -> str:
    def show(x):
        return _shown_number(decl, x)
    if low is not None and high is not None:
        return f"{show(low)}～{show(high)}"
    if low is not None:
        return f"不小于 {show(low)}"
    return f"不大于 {show(high)}"


def _domain_hint(decl: ast.Input, number: Fraction) -> str | None:
    if decl.kind in ("money", "number") and number < 0 and not decl.signed:
        return "可以为负时，在体系的输入声明里加“可负”。"
    if decl.kind == "rate":
        return "比率超过声明范围时，在体系里写“比率 范围 0%～200%”之类的范围。"
    return None


def _shown_number(decl: ast.Input, number: Fraction) -> str:
    from idsl.semantics.numbers import format_number, format_percent

    if decl.kind == "rate":
        return format_percent(number, 4)
    return format_number(number) + (decl.unit or "")


def _kind_word(decl: ast.Input) -> str:
    return {"money": "金额", "count": "数量", "number": "数值", "findings": "问题数"}.get(decl.kind, "数")


def _choice(decl: ast.Input, value: Any, error) -> str | None:
    if not isinstance(value, str):
        error(f"应填一个选项，这里是 {_show(value)}。", _options_hint(decl))
        return None
    text = value.strip()
    if text in decl.options:
        return text
    letters = {chr(ord("A") + i): option for i, option in enumerate(decl.options)}
    if text.upper() in letters and len(text) == 1:
        return letters[text.upper()]
    close = difflib.get_close_matches(text, decl.options, n=1, cutoff=0.6)
    hint = f"是不是“{close[0]}”？" if close else _options_hint(decl)
    error(f"没有这个选项：“{text}”。", hint)
    return None


def _float_hint(value: Any) -> str | None:
    """Python floats are not exact; numbers from Python code must be Decimal, int or str."""
    if isinstance(value, float):
        return "这是二进制浮点数，不能精确表示；请用 Decimal、整数或字符串（读 JSON 用 idsl.semantics.numbers.loads）。"
    return None


def _options_hint(decl: ast.Input) -> str:
    return "可选：" + "；".join(f"{chr(ord('A') + i)}. {o}" for i, o in enumerate(decl.options))


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, Decimal) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip()
        if text in YES_WORDS:
            return True
        if text in NO_WORDS:
            return False
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal, ast.Num)) and not isinstance(value, bool)


def _number(value: Any) -> Fraction | None:
    if isinstance(value, ast.Num):
        return Fraction(value.amount)
    if isinstance(value, bool):
        return None
    try:
        return Fraction(to_decimal(value))
    except (ValueError, TypeError):
        return None


def _show(value: Any) -> str:
    if isinstance(value, ast.Num):
        return format_points(value.value) + ("%" if value.percent else "") + (value.unit or "")
    if isinstance(value, str):
        return f"“{value}”"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return json.dumps(value, ensure_ascii=False, default=str)


def _did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    close = _closest(word, candidates)
    return f"是不是“{close}”？" if close else None


def _closest(word: str, candidates: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.5)
    return close[0] if close else None


def _expected(names: list[str]) -> str | None:
    shown = [n for n in names if n not in (NOT_APPLICABLE, REASON)]
    return f"这个指标的输入有：{'、'.join(shown)}。" if shown else None


def unknown_key_error(plan: Plan, key: str, where: str = "inputs") -> InputError:
    """An error for a key naming no indicator, with a "did you mean" or the candidates it could mean."""
    matches = ambiguous_matches(plan, key)
    if matches:
        return InputError(key, None, "这个名称不唯一，指的是哪一个？",
                          "写完整路径：" + "；".join(n.key for n in matches))
    return InputError(key, None, "体系里没有这个指标。", _did_you_mean(key, plan.names()))


__all__ = [
    "InputError",
    "Inputs",
    "LeafBinder",
    "Mark",
    "Tallies",
    "Values",
    "bind_shared",
    "convert",
    "read_inputs",
    "read_recorded",
    "unknown_key_error",
]
