"""Worked examples (示例) inside a spec: their inputs scored, their expectations compared.

An example scores with `allow_missing`, so the leaves it does not set are 未评 and left out of
the totals; `期望 总分` and `期望 等级` name the total and the grade, `期望 付费比例` a 结果's value, and
`期望 一票否决 = 是` (一票否优, 总分上限, 等级不高于) whether that rule changed the result.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from idsl.frontend import ast
from idsl.io.inputs import ITEMS, NOT_APPLICABLE, REASON, SCORE, SHARED, Inputs
from idsl.semantics.example_sets import NOT_APPLICABLE_WORDS, default_field, part_problem, set_problem
from idsl.semantics.lower import DISCRETION_CUT, NODATA_SCORE, OVER_CUT
from idsl.semantics.model import Node, Plan
from idsl.semantics.numbers import format_points
from idsl.semantics.pools import CHOSEN, states_choice, written_choice
from idsl.engines.python import TOTAL_NAMES, Result, score
from idsl.engines.result import NodeResult
from idsl.frontend.source import Span

_GRADE_WORDS = ("等级", "grade")
# The 理由 an example gives where a judged score or a cut needs one: an example tests the score, not its reason.
UNWRITTEN = "示例未写理由"


@attrs.frozen
class Failure:
    """One expectation (or setting) of an example that did not hold."""

    span: Span  # where it is written
    message: str  # 期望 重点支出安排率 = 1.5，实际 2 …


@attrs.frozen
class ExampleReport:
    """How one worked example went."""

    name: str  # the example's name
    span: Span  # where it starts
    failures: tuple[Failure, ...]  # empty when it passed
    result: Result | None = None  # the scores it produced

    @property
    def passed(self) -> bool:
        """No failures."""
        return not self.failures


def run_examples(plan: Plan) -> list[ExampleReport]:
    """Run every worked example of a plan, in the order written."""
    return [run_example(plan, example) for example in plan.examples]


def run_example(plan: Plan, example: ast.Example) -> ExampleReport:
    """Score one example and compare every expectation."""
    failures: list[Failure] = []
    leaves: dict[str, dict[str, Any]] = {}
    shared: dict[str, Any] = {}
    for setting in example.sets:
        name = shared_name(plan, setting)
        if name is not None:
            shared[name] = _shared_value(plan, name, setting.value)
            continue
        node, part = plan.find(setting.path), None
        if node is None and len(setting.path) > 1:  # 设 综合效益/社会效益.等级: a part's own field
            node, part = plan.find(setting.path[:-1]), setting.path[-1]
            if node is None or node.leaf is None or not any(p.name == part for p in node.leaf.parts):
                node = None
        if node is None:
            failures.append(Failure(setting.span, f"设 {'/'.join(setting.path)}：体系里没有这个指标（或名称不唯一）。"))
            continue
        if node.leaf is None and states_choice(node) and setting.field == CHOSEN:  # 设 项目验收.选用 = 竣工验收
            leaves.setdefault(node.key, {})[CHOSEN] = written_choice(node, setting.value)
            continue
        if node.leaf is None:
            failures.append(Failure(setting.span, _refused(setting, node.key, set_problem(node, None, setting.field,
                                                                                        setting.value.scalar))))
            continue
        fields = leaves.setdefault(node.key, {})
        if part is not None:
            problem = _set_part(node, part, setting, fields)
        else:
            problem = _set(node, setting, fields)
        if problem:
            failures.append(Failure(setting.span, problem))
    inputs = Inputs(leaves=leaves, shared=shared, origin=f"示例“{example.name}”")
    result = _unnoted(score(plan, inputs, allow_missing=True))
    for error in result.errors:
        failures.append(Failure(_set_span(plan, example, error), f"输入有误：{error}"))
    for expect in example.expects:
        problem = _check(plan, result, expect)
        if problem:
            failures.append(Failure(expect.span, problem))
    return ExampleReport(example.name, example.span, tuple(failures), result)


def _unnoted(result: Result) -> Result:
    """The result without the placeholder 理由 where no rule used it: there the scorer appends a 理由 to the
    reason as the evaluator's note, which an example never wrote (a unit giving none gets no note)."""
    def clean(row: NodeResult) -> NodeResult:
        return attrs.evolve(row, reason=row.reason.replace("。" + UNWRITTEN, "。")) if row.reason else row
    blocks = tuple(attrs.evolve(b, items=tuple(map(clean, b.items))) for b in result.blocks)
    return attrs.evolve(result, nodes=tuple(map(clean, result.nodes)), blocks=blocks)


def _set_span(plan: Plan, example: ast.Example, error) -> Span:
    """Where an input error of an example is written: the 设 that gave that field (else one that gave the
    indicator, a 共用 input by its name), not the 示例 line above them all."""
    given = []
    for setting in example.sets:
        name = shared_name(plan, setting)
        node = plan.find(setting.path) if name is None else None
        key = SHARED if name is not None else node.key if node is not None else None
        field = name if name is not None else setting.field
        given.append((key, field, setting.span))
    exact = [span for key, field, span in given
             if key == error.path and error.field in (field, f"{SHARED}.{field}")]  # 共用's field: 共用.名称
    near = [span for key, _field, span in given if key == error.path]
    return (exact or near or [example.span])[0]


def shared_name(plan: Plan, setting: ast.ExampleSet) -> str | None:
    """The spec-level input (共用) a 设 gives, else None: `设 共用.名称 = 值`, or `设 名称 = 值` when no
    indicator is called so."""
    names = {i.name for i in plan.shared_inputs} | {q.name for q in plan.shared_questionnaires}
    if setting.path in ((SHARED,), ("shared",)) and setting.field in names:
        return setting.field
    if len(setting.path) == 1 and setting.field is None and setting.path[0] in names and plan.find(setting.path) is None:
        return setting.path[0]
    return None


def _shared_value(plan: Plan, name: str, value: ast.Value) -> Any:
    if any(q.name == name for q in plan.shared_questionnaires):
        return [list(row) for row in value.rows]
    return value.scalar


def _set(node: Node, setting: ast.ExampleSet, fields: dict[str, Any]) -> str | None:
    """Put one 设 into the leaf's input object; a message when it cannot be placed."""
    leaf = node.leaf
    assert leaf is not None
    value = setting.value
    field = setting.field
    problem = set_problem(node, leaf, field, value.scalar)
    if problem is not None:
        return _refused(setting, node.key, problem)
    if field is None:
        if value.scalar in NOT_APPLICABLE_WORDS:
            fields[NOT_APPLICABLE] = True
            return None
        field = default_field(leaf)
    if node.reason_below:  # 扣分须说明理由: an example checks the score; its reason may be written or not
        fields.setdefault(REASON, UNWRITTEN)
    if field == ITEMS or (field not in _questionnaire_names(node) and _is_list(value)):
        fields[field] = [item for row in value.rows for item in row]
        if field == ITEMS:
            fields.setdefault(REASON, UNWRITTEN)
        return None
    if field in _questionnaire_names(node):
        fields[field] = [list(row) for row in value.rows]
        return None
    fields[field] = value.scalar
    if field in (SCORE, OVER_CUT, DISCRETION_CUT, NODATA_SCORE):
        fields.setdefault(REASON, UNWRITTEN)
    return None


def _set_part(node: Node, part: str, setting: ast.ExampleSet, fields: dict[str, Any]) -> str | None:
    """`设 指标/分项.字段 = 值` into the part's own object: 评级's 等级, or its 得分 (要素) when no field is named."""
    leaf = next(p.leaf for p in node.leaf.parts if p.name == part)
    own = fields.setdefault(part, {})
    field = setting.field
    problem = part_problem(node.name, next(p for p in node.leaf.parts if p.name == part), field)
    if problem is not None:
        return _refused(setting, f"{node.key}/{part}", problem)
    if field is None:
        field = ITEMS if isinstance(leaf.rule, ast.Checklist) else SCORE
    value = setting.value
    own[field] = [item for row in value.rows for item in row] if field == ITEMS else value.scalar
    if field in (ITEMS, SCORE):
        fields.setdefault(REASON, UNWRITTEN)
    return None


def _refused(setting: ast.ExampleSet, key: str, problem: tuple[str, str]) -> str:
    """A 设 idsl check refuses (E413, semantics.example_sets), in its words: so an example means the same to both."""
    message, hint = problem
    return f"设 {key}" + (f".{setting.field}" if setting.field else "") + f"：{message}{hint}。"


def _questionnaire_names(node: Node) -> set[str]:
    leaf = node.leaf
    assert leaf is not None
    names = {q.name for q in leaf.questionnaires}
    for part in leaf.parts:
        names |= {q.name for q in part.leaf.questionnaires}
    return names


def _is_list(value: ast.Value) -> bool:
    return len(value.rows) > 1 or len(value.rows[0]) > 1


def _check(plan: Plan, result: Result, expect: ast.ExampleExpect) -> str | None:
    """A message when the expectation does not hold."""
    written = "/".join(expect.path)
    wanted = expect.value.scalar
    if expect.path[-1] in _GRADE_WORDS and len(expect.path) == 1:
        if result.grade != str(wanted):
            return f"期望 等级 = {wanted}，实际 {result.grade or '（无）'}（总分 {_show(result.total)}）。"
        return None
    if len(expect.path) == 1 and expect.path[0] in dict(result.consequences):
        return _check_consequence(result, expect.path[0], wanted)
    if len(expect.path) == 1 and expect.path[0] in ast.OUTCOME_WORDS and plan.find(expect.path) is None:
        return _check_veto(result, expect.path[0], wanted)
    expected = _number(wanted)
    if expected is None:
        return f"期望 {written}：期望值应是一个数。"
    if len(expect.path) == 1 and expect.path[0] in TOTAL_NAMES:
        got, reason = result.total, None
        label = "总分"
    else:
        block = next((b for b in result.blocks if (b.name,) == expect.path), None)
        if block is not None:
            got, reason, label = block.total, None, block.name
        else:
            node = plan.find(expect.path)
            if node is None:
                return f"期望 {written}：体系里没有这个指标（或名称不唯一）。"
            row = result.node(node.path)
            got, reason, label = row.score, row.reason, written
            if row.status != "scored":
                status = {"missing": "未评", "not_applicable": "不适用（剔除）", "error": "输入有误"}[row.status]
                reason = reason.removeprefix(f"{status}：") if reason else None  # 未评：缺少要素 says its status already
                return f"期望 {label} = {format_points(expected)}，实际{status}" + (f"：{reason}" if reason else "。")
    if got is None:
        return f"期望 {label} = {format_points(expected)}，实际没有得分（有未评的指标）。"
    if got != expected:
        detail = f"（{reason}）" if reason else ""
        return f"期望 {label} = {format_points(expected)}，实际 {format_points(got)}{detail}"
    return None


def _check_consequence(result: Result, name: str, wanted: Any) -> str | None:
    """`期望 付费比例 = 95%`: the 结果's value for the reported total, compared as the number written."""
    got = dict(result.consequences)[name]
    if got is None:
        return f"期望 {name} = {_written(wanted)}，实际没有（有未评的指标，或总分没有算出）。"
    if not isinstance(wanted, ast.Num) or _figure(got) != (wanted.value, wanted.percent):
        return f"期望 {name} = {_written(wanted)}，实际 {got}（总分 {_show(result.total)}）。"
    return None


def _check_veto(result: Result, word: str, wanted: Any) -> str | None:
    """`期望 一票否决 = 是`: whether the result names that veto (or cap, or 等级不高于) under the total."""
    held = word in result.vetoes
    if held != wanted:
        said = "；".join(filter(None, [result.total_note])) or "没有一票否决、一票否优、总分上限或等级限制起作用"
        return f"期望 {word} = {'是' if wanted else '否'}，实际{'起作用' if held else '未起作用'}（{said}）。"
    return None


def _figure(text: str) -> tuple[Decimal, bool]:
    """A 结果's value text (`95%`, `0.5`) as its number and whether it is a percentage."""
    percent = text.endswith("%")
    return Decimal(text.removesuffix("%")), percent


def _written(value: Any) -> str:
    if isinstance(value, ast.Num):
        return format(value.value.normalize(), "f") + ("%" if value.percent else "")
    return "是" if value is True else "否" if value is False else str(value)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, ast.Num):
        return value.value
    return None


def _show(value: Decimal | None) -> str:
    return format_points(value) if value is not None else "无"


__all__ = ["ExampleReport", "Failure", "run_example", "run_examples"]
