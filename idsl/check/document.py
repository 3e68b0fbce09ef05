"""Checks on what the table prints: explanations, verbatim scoring text, layout, and worked examples."""

from __future__ import annotations

import difflib
import re
from decimal import Decimal
from typing import Iterator

import attrs

from idsl.frontend import ast
from idsl.frontend.ast import COLUMN_KINDS, ROW_KINDS
from idsl.check.context import Context
from idsl.check.env import walk
from idsl.check.outcomes import check_outcome, close_outcome, is_outcome
from idsl.diagnostics import Diagnostic, Label
from idsl.semantics.domains import ambiguous_rate, figure_problem, misfit_unit
from idsl.semantics.example_sets import part_problem, set_problem
from idsl.semantics.lower import lower_body
from idsl.semantics.model import LeafPlan
from idsl.semantics.pools import CHOSEN, read_choice, written_choice

SHARED = "共用"  # the inputs file's key for spec-level inputs, which a worked example may name

_NUMBER_IN_TEXT = re.compile(r"(\d+(?:\.\d+)?)\s*(%|％|分)")


def check_explanations(context: Context) -> Iterator[Diagnostic]:
    """W502: every leaf has an explanation (指标解释) for the table — when the table has that column."""
    layout = context.spec.layout
    if layout is not None and layout.columns and not any(c.kind == "explanation" for c in layout.columns):
        return  # a layout without 指标解释 prints no explanation, so none is missing
    for path, indicator in walk(context.spec.indicators):
        if not indicator.children and not indicator.explanation:
            yield Diagnostic("W502", f"末级指标“{indicator.name}”没有指标解释。", indicator.span, path,
                             hint="加一行：解释 主要考察……")


def check_verbatim_standard(context: Context) -> Iterator[Diagnostic]:
    """W503: verbatim 评分标准 text states no number (points, thresholds) the rule does not have."""
    for path, indicator in walk(context.spec.indicators):
        if indicator.standard and indicator.body is not None:
            known = _rule_numbers(indicator)
            stated = {Decimal(n) for n, _ in _NUMBER_IN_TEXT.findall(indicator.standard)}
            # 0 and 100% stand in every ratio's definition (×100%); they say nothing about the rule.
            missing = sorted(stated - known - {Decimal(0), Decimal(100), Decimal(1)})
            if missing:
                listed = "、".join(format(m.normalize(), "f") for m in missing)
                yield Diagnostic("W503", f"评分标准原文中的 {listed} 在规则里没有出现。", indicator.span, path,
                                 hint="核对原文与规则：生成的评分标准与原文不一致时，表格与计分会出现分歧。")


def _rule_numbers(indicator: ast.Indicator) -> set[Decimal]:
    """Every number written in the leaf's rule, with percents as written (80 for 80%) and as fractions."""
    found = {indicator.points} if indicator.points is not None else set()
    for value in _numbers_in(indicator.body):
        found.add(value)
        found.add(value * 100)
    return {f.normalize() for f in found}


def _numbers_in(node) -> Iterator[Decimal]:
    if isinstance(node, Decimal):
        yield node
    elif isinstance(node, ast.Num):
        yield node.value
    elif isinstance(node, (tuple, list)):
        for item in node:
            yield from _numbers_in(item)
    elif attrs.has(type(node)):
        for field in attrs.fields(type(node)):
            if field.name not in ("span", "points_span"):
                yield from _numbers_in(getattr(node, field.name))


def check_layout(context: Context) -> Iterator[Diagnostic]:
    """E412: the table's columns and extra rows are ones idsl can print."""
    layout = context.spec.layout
    if layout is None:
        return
    kinds = set(COLUMN_KINDS.values())
    for column in layout.columns:
        if column.kind not in kinds:
            yield Diagnostic("E412", f"不认识的列“{column.title}”。", column.span,
                             hint="可用的列：" + "、".join(k for k in COLUMN_KINDS if not k.isascii()) +
                                  "；自定义标题写成 \"标题\" = 得分。")
    for row in layout.rows:
        if row not in ROW_KINDS:
            yield Diagnostic("E412", f"不认识的行“{row}”。", layout.span,
                             hint="可用的行：小计、逆向指标、合计、等级。")
    yield from _summary_names(layout, [i.name for i in context.spec.indicators])


def _summary_names(layout, level1: list[str]) -> Iterator[Diagnostic]:
    """E412: 汇总名称 names each level-1 indicator at most once, and nothing else."""
    named: set[str] = set()
    for pair in layout.labels:
        if pair.indicator not in level1:
            yield Diagnostic("E412", f"汇总名称里的“{pair.indicator}”不是一级指标。", pair.span,
                             hint="一级指标：" + ("、".join(level1) or "无") + "；写成 决策 = 部门决策。")
        elif pair.indicator in named:
            yield Diagnostic("E412", f"汇总名称里“{pair.indicator}”写了两次。", pair.span, hint="每个一级指标只写一次。")
        named.add(pair.indicator)


def check_examples(context: Context) -> Iterator[Diagnostic]:
    """E413: a worked example names indicators and fields that exist."""
    paths = {path: indicator for path, indicator in walk(context.spec.indicators)}
    for block in context.spec.adjustments:
        for item in block.items:
            paths[(block.name, item.name)] = item
    for example in context.spec.examples:
        for entry in (*example.sets, *example.expects):
            if isinstance(entry, ast.ExampleExpect) and entry.path in (("总分",), ("等级",), ("total",), ("grade",)):
                yield from _expected_total(entry, example, context.spec)
                continue
            matches = [p for p in paths if p[-len(entry.path):] == entry.path]
            if isinstance(entry, ast.ExampleSet) and _sets_shared(entry, matches, context):
                yield from _shared_figure(entry, context)
                continue
            if isinstance(entry, ast.ExampleExpect) and is_outcome(context.spec, entry, len(matches)):
                yield from check_outcome(context.spec, example, entry)
                continue
            part = _part_set(entry, paths) if isinstance(entry, ast.ExampleSet) and not matches else None
            if part is not None:  # 设 综合效益/社会效益.等级 = 良: a part's own field
                yield from _part_field(entry, *part, context)
                continue
            if len(matches) != 1:
                yield _unknown_path(example, entry, matches, paths, context.spec)
                continue
            if isinstance(entry, ast.ExampleSet):
                indicator = paths[matches[0]]
                problem = set_problem(indicator, _lowered(indicator, context), entry.field, entry.value.scalar)
                if problem is not None:
                    yield Diagnostic("E413", problem[0], entry.span, matches[0], hint=problem[1])
                    continue
            if isinstance(entry, ast.ExampleExpect) and not isinstance(entry.value.scalar, ast.Num):
                yield Diagnostic("E413", f"示例“{example.name}”期望“{'/'.join(entry.path)}”的得分应是一个数，这里是"
                                         f"“{_written(entry.value.scalar)}”。", entry.value.span, matches[0],
                                 hint="写成 期望 指标 = 分数（如 = 2.5）；等级写作 期望 等级 = 优。")
                continue
            if isinstance(entry, ast.ExampleSet) and entry.field == CHOSEN and paths[matches[0]].children:
                yield from _example_choice(entry, paths[matches[0]], matches[0])
            elif isinstance(entry, ast.ExampleSet):
                yield from _example_figure(entry, paths[matches[0]], matches[0], context)


def check_sets_once(context: Context) -> Iterator[Diagnostic]:
    """E413: a worked example gives each input once: a second 设 of it silently replaced the first, so the
    example tested another value than the one its author read first."""
    paths = [path for path, _indicator in walk(context.spec.indicators)]
    paths += [(block.name, item.name) for block in context.spec.adjustments for item in block.items]
    for example in context.spec.examples:
        first: dict[tuple, ast.ExampleSet] = {}
        for entry in example.sets:
            key = _set_key(entry, paths)
            if key not in first:
                first[key] = entry
                continue
            earlier = first[key]
            yield Diagnostic("E413", f"示例“{example.name}”第 {earlier.span.line} 行已经设了“{_set_path(entry)}”，"
                                     f"这里又设一次：评分只用后一个值。", entry.span,
                             key[0] if key[0] != (SHARED,) else (),
                             hint="删去其中一行；要试两个值，写成两个示例。",
                             labels=(Label(earlier.span, "第一次设"),))


def _set_key(entry: ast.ExampleSet, paths: list[tuple[str, ...]]) -> tuple:
    """What a 设 gives, the same however it names it: the indicator's full path (or 共用) and the field."""
    if entry.path in ((SHARED,), ("shared",)):
        return (SHARED,), entry.field
    matches = [p for p in paths if p[-len(entry.path):] == entry.path]
    if len(matches) == 1:
        return matches[0], entry.field
    if not matches and entry.field is None and len(entry.path) == 1:  # 设 名称 = 值 for a 共用 input
        return (SHARED,), entry.path[0]
    return tuple(entry.path), entry.field


def _expected_total(entry: ast.ExampleExpect, example: ast.Example, spec: ast.Spec) -> Iterator[Diagnostic]:
    """E413: 期望 总分 is a number, 期望 等级 one of the spec's grades (期望 总分 = 优 would fail only when run)."""
    value, grades = entry.value.scalar, [band.grade for band in spec.grades]
    if entry.path[0] in ("总分", "total") and not isinstance(value, ast.Num):
        yield Diagnostic("E413", f"示例“{example.name}”期望总分为“{_written(value)}”，总分应是一个数。", entry.value.span,
                         hint="写成 期望 总分 = 分数；等级写作 期望 等级 = " + (grades[0] if grades else "优") + "。")
    elif entry.path[0] in ("等级", "grade") and grades and _written(value) not in grades:
        yield Diagnostic("E413", f"示例“{example.name}”期望等级为“{_written(value)}”，体系的等级只有"
                                 f"{'、'.join(grades)}。", entry.value.span, hint="写成其中之一。")
    elif entry.path[0] in ("等级", "grade") and not grades:  # would fail only when run: 实际 （无）
        yield Diagnostic("E413", f"示例“{example.name}”期望等级为“{_written(value)}”，而体系没有等级（没有“等级”行）。",
                         entry.value.span, hint="删去这一行，或在体系开头写“等级”行。")


def _written(value) -> str:
    """An example's value as the author wrote it."""
    if isinstance(value, ast.Num):
        return format(value.value, "f") + ("%" if value.percent else "") + (value.unit or "")
    if isinstance(value, bool):
        return "是" if value else "否"
    return "（多个值）" if value is None else str(value)


def _example_figure(entry: ast.ExampleSet, indicator, path, context: Context) -> Iterator[Diagnostic]:
    """E413: a number an example sets is one an input file could hold (figure_problem, as the readers)."""
    decls = _inputs(indicator, context)
    decl = decls.get(entry.field) if entry.field is not None else (next(iter(decls.values())) if len(decls) == 1 else None)
    yield from _figure_as_input(entry, decl, path)


def _shared_figure(entry: ast.ExampleSet, context: Context) -> Iterator[Diagnostic]:
    """E413 for a 共用 input's value, as for an indicator's."""
    name = entry.field if entry.field is not None else entry.path[0]
    decl = next((i for i in context.spec.inputs if i.name == name), None)
    yield from _figure_as_input(entry, decl, ())


def _figure_as_input(entry: ast.ExampleSet, decl, path) -> Iterator[Diagnostic]:
    value = entry.value.scalar
    if not isinstance(value, ast.Num) or decl is None or decl.kind in ("bool", "choice"):
        return
    problem = figure_problem(value.value, decl)
    if problem is not None:
        yield Diagnostic("E413", f"示例给“{decl.name}”的值不能作为输入：{problem}", entry.value.span, path,
                         hint="示例的值与输入文件里的值受同样的限制。")
        return
    if decl.kind == "rate" and not value.percent and not value.unit and ambiguous_rate(value.value):
        figure = format(value.value, "f")
        percent = format((value.value * 100).normalize(), "f")
        yield Diagnostic("E413", f"示例给“{decl.name}”的比率写的是 {figure}，没有带 %：是 {figure}% 还是 {percent}%？",
                         entry.value.span, path, hint=f"-1 到 1 之间的比率带 % 写，如 {percent}% 或 {figure}%"
                                                      "（输入文件同样不接受不带 % 的这种值）。")
        return
    if misfit_unit(value, decl):  # 设 经费 = 90% on an amount in 万元 would be read as 0.9 万元
        written = format(value.value, "f") + ("%" if value.percent else f" {value.unit}")
        own = f"按{decl.unit}写" if decl.unit else "写成比率（带 %）" if decl.kind == "rate" else "只写数字"
        example = f"设 {_set_path(entry)} = {_example_in_unit(value, decl)}"
        yield Diagnostic("E413", f"示例给“{decl.name}”的值 {written} 与它的单位不符：输入文件不接受这样的值。",
                         entry.value.span, path, hint=f"“{decl.name}”{own}，例如 {example}。")


def _set_path(entry: ast.ExampleSet) -> str:
    return "/".join(entry.path) + (f".{entry.field}" if entry.field is not None else "")


def _example_in_unit(value: ast.Num, decl) -> str:
    figure = format(value.value, "f")
    return f"{figure}%" if decl.kind == "rate" else f"{figure} {decl.unit}" if decl.unit else figure


def _example_choice(entry: ast.ExampleSet, indicator, path) -> Iterator[Diagnostic]:
    """E413: 选用 names one of 择一's alternatives, or k distinct ones of 任选 k 项's, as an input file must."""
    pool = indicator.pool
    names = [child.name for child in indicator.children]
    _named, problem = read_choice(pool, names, written_choice(indicator, entry.value))
    if problem is not None:
        joined = "的" if pool.kind == "one" else "："
        yield Diagnostic("E413", f"“{indicator.name}”{joined}{problem}", entry.value.span, path,
                         hint=f"写 设 {indicator.name}.选用 = {'、'.join(names[:pool.count])}。")


def _part_set(entry: ast.ExampleSet, paths: dict) -> tuple[tuple[str, ...], ast.Indicator, str] | None:
    """The leaf and part a 设 names by the path of its leaf and the part's name, when exactly one leaf has it."""
    if len(entry.path) < 2:
        return None
    leaves = [p for p in paths if p[-len(entry.path) + 1:] == entry.path[:-1]]
    body = paths[leaves[0]].body if len(leaves) == 1 else None
    rule = body.rule if body is not None else None
    if not isinstance(rule, ast.Parts) or not any(p.name == entry.path[-1] for p in rule.parts):
        return None
    return leaves[0], paths[leaves[0]], entry.path[-1]


def _part_field(entry: ast.ExampleSet, path: tuple[str, ...], indicator: ast.Indicator, name: str,
                context: Context) -> Iterator[Diagnostic]:
    """E413: the field a 设 gives a part is one of its own (its inputs, 评级's 等级), or none for its 得分 (要素)."""
    part = next(p for p in _lowered(indicator, context).parts if p.name == name)
    problem = part_problem(indicator.name, part, entry.field)
    if problem is not None:
        yield Diagnostic("E413", problem[0], entry.span, path, hint=problem[1])


def _lowered(indicator: ast.Indicator, context: Context) -> LeafPlan | None:
    """The leaf as the scorer sees it (its inputs resolved), for what an example may set on it."""
    return lower_body(context.spec, indicator.body) if indicator.body is not None else None


def _sets_shared(entry: ast.ExampleSet, matches, context: Context) -> bool:
    """`设 共用.名称 = 值`, or `设 名称 = 值` naming a spec-level input no indicator is called: a 共用 input."""
    names = {i.name for i in context.spec.inputs} | {q.name for q in context.spec.questionnaires}
    if entry.path in ((SHARED,), ("shared",)):
        return entry.field in names
    return not matches and entry.field is None and len(entry.path) == 1 and entry.path[0] in names


def _unknown_path(example: ast.Example, entry, matches, paths, spec: ast.Spec) -> Diagnostic:
    written = "/".join(entry.path)
    if matches:
        listed = "、".join("/".join(m) for m in matches)
        return Diagnostic("E205", f"示例“{example.name}”中的“{written}”指向多个指标：{listed}。", entry.span,
                          hint="写出完整路径以区分它们。")
    outcome = close_outcome(spec, entry.path[-1]) if isinstance(entry, ast.ExampleExpect) else None
    if outcome is not None:  # 期望 付费比率 = 95%: the 结果 (or veto) meant, not an indicator
        return Diagnostic("E205", f"示例“{example.name}”中找不到“{written}”。", entry.span, hint=f"是不是“{outcome}”？")
    block = next((b for b in spec.adjustments if b.name == entry.path[-1]), None)
    if block is not None and isinstance(entry, ast.ExampleExpect):  # not “是不是“安排率指标”？”
        items = "、".join(item.name for item in block.items)
        return Diagnostic("E205", f"示例“{example.name}”期望的“{written}”是加减分块，不是指标：示例不比对块的合计。",
                          entry.span, hint=f"期望块里的各项（{items}），或 期望 总分。")
    names = {p[-1] for p in paths}
    close = difflib.get_close_matches(entry.path[-1], sorted(names), n=1, cutoff=0.4)
    hint = f"是不是“{close[0]}”？" if close else "写出完整路径，例如 决策/预算配置/重点支出安排率。"
    return Diagnostic("E205", f"示例“{example.name}”中找不到指标“{written}”。", entry.span, hint=hint)


def _inputs(indicator: ast.Indicator, context: Context) -> dict[str, ast.Input]:
    """The inputs an example may set on an indicator, by name (its own and its parts' first)."""
    bodies = [indicator.body] if indicator.body else []
    rule = indicator.body.rule if indicator.body else None
    if isinstance(rule, ast.Parts):
        bodies += [p.body for p in rule.parts]
    own = {i.name: i for body in bodies for i in body.inputs}
    return own or {i.name: i for i in context.spec.inputs}
