"""Checks on names: defined before use, used once declared, unique among siblings, right kind for the rule."""

from __future__ import annotations

from collections import Counter
from typing import Iterator

import attrs

from idsl.frontend import ast
from idsl.check.context import Context
from idsl.check.env import walk
from idsl.frontend.form import synthesized
from idsl.diagnostics import Diagnostic, Label


def check_undefined(context: Context) -> Iterator[Diagnostic]:
    """E201: every name an expression uses is declared in the leaf or at the top of the spec."""
    for inference in context.inferences:
        yield from (d for d in inference.problems if d.code == "E201")


PATH_SEPARATORS = ("/", "／", "›", ">")  # how paths are written in inputs, batch headers and reports
# What makes a spreadsheet read a cell as a formula: idsl.io.inert.FORMULA_STARTS (which neutralises
# such text in the files idsl writes), repeated here below the io layer.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def check_name_characters(context: Context) -> Iterator[Diagnostic]:
    """E207: an indicator, part or block name holds no path separator, so every path names one indicator;
    E208: none starts like a formula, since names head the columns of batch tables and results."""
    spec = context.spec
    for block in spec.adjustments:
        yield from _separator(block.name, block.span, ())
        for item in block.items:
            yield from _separator(item.name, item.span, (block.name,))
    for path, indicator in walk(spec.indicators):
        yield from _separator(indicator.name, indicator.span, path[:-1])
        rule = indicator.body.rule if indicator.body is not None else None
        if isinstance(rule, ast.Parts):
            for part in rule.parts:
                yield from _separator(part.name, part.span, path)


def _separator(name: str, span, path: tuple[str, ...]) -> Iterator[Diagnostic]:
    if name.startswith(FORMULA_STARTS):
        yield Diagnostic("E208", f"名称“{name}”以“{name[0]}”开头，表格软件打开单位表或结果表时会把它当成公式。", span,
                         path + (name,), hint=f"去掉开头的“{name[0]}”，或在它前面加上文字。")
    found = [s for s in PATH_SEPARATORS if s in name]
    if found:
        yield Diagnostic("E207", f"名称“{name}”含有路径分隔符“{found[0]}”，路径会把它拆成两级。", span, path + (name,),
                         hint=f"改用别的字符，例如把“{found[0]}”写成“、”或“与”。")


def check_unused(context: Context) -> Iterator[Diagnostic]:
    """W505: every declared input and quantity is used by some rule."""
    used_anywhere: set[str] = set()
    for leaf in context.leaves:
        inference = context.inference(leaf)
        used_anywhere |= inference.used
        if leaf.body is None or leaf.role == "class":  # a branch of 按类别 needs only some of the leaf's inputs
            continue
        for decl in (*leaf.body.inputs, *leaf.body.derived, *leaf.body.questionnaires):
            if decl.name not in inference.used and not _from_funds(context.spec, leaf.path, decl.name):
                yield _unused(decl, leaf.path)
    spec = context.spec
    used_anywhere |= veto_names(spec)
    for decl in (*spec.inputs, *spec.derived, *spec.questionnaires):
        if decl.name not in used_anywhere:
            yield _unused(decl, ())


def veto_names(spec: ast.Spec) -> set[str]:
    """The names the conditions of 一票否决 and 一票否优, and 总分上限, read."""
    found: set[str] = set()

    def visit(node) -> None:
        if isinstance(node, ast.Ref):
            found.add(node.name)
        elif isinstance(node, tuple):
            for item in node:
                visit(item)
        elif attrs.has(type(node)):
            for field in attrs.fields(type(node)):
                visit(getattr(node, field.name))

    visit(tuple(v.cond for v in spec.vetoes) + ((spec.total_cap,) if spec.total_cap is not None else ()))
    return found


def _from_funds(spec: ast.Spec, path: tuple[str, ...], name: str) -> bool:
    """A name the 自评表's funds block gives its execution-rate leaf need not be used."""
    form = spec.form
    return form is not None and form.leaf is not None and path == (form.leaf.name,) and synthesized(form, name)


def _unused(decl, path) -> Diagnostic:
    return Diagnostic("W505", f"声明了“{decl.name}”却没有用到。", decl.span, path,
                      hint="删去这个声明，或在规则中用到它。")


def check_duplicates(context: Context) -> Iterator[Diagnostic]:
    """E202: sibling indicators, and the names declared in one scope, are unique."""
    spec = context.spec
    yield from _duplicate_indicators(spec.indicators, ())
    for path, indicator in walk(spec.indicators):
        yield from _duplicate_indicators(indicator.children, path)
    for block in spec.adjustments:
        yield from _duplicate_indicators(block.items, (block.name,))
    yield from _duplicate_declarations(_declarations(spec.inputs, spec.derived, spec.questionnaires), ())
    for leaf in context.leaves:
        if leaf.body is not None:
            body = leaf.body
            yield from _duplicate_declarations(_declarations(body.inputs, body.derived, body.questionnaires), leaf.path)


def _declarations(inputs, derived, questionnaires):
    return [*inputs, *derived, *questionnaires]


def _duplicate_indicators(indicators, path) -> Iterator[Diagnostic]:
    counts = Counter(i.name for i in indicators)
    first = {}
    for indicator in indicators:
        if counts[indicator.name] > 1:
            if indicator.name in first:
                yield Diagnostic("E202", f"同一层有两个“{indicator.name}”。", indicator.span, path + (indicator.name,),
                                 hint="给其中一个换个名称，或把两者合并。",
                                 labels=(Label(first[indicator.name].span, "第一次出现在这里"),))
            else:
                first[indicator.name] = indicator


def _duplicate_declarations(declarations, path) -> Iterator[Diagnostic]:
    seen = {}
    for decl in declarations:
        if decl.name in seen:
            yield Diagnostic("E202", f"“{decl.name}”声明了两次。", decl.span, path, hint="删去一个，或换个名称。",
                             labels=(Label(seen[decl.name].span, "第一次声明在这里"),))
        else:
            seen[decl.name] = decl


def check_rule_inputs(context: Context) -> Iterator[Diagnostic]:
    """E206: a rule's named input is of the kind the rule needs (findings for 按项扣分, a number for 目标)."""
    for leaf in context.leaves:
        rule = leaf.body.rule if leaf.body else None
        if isinstance(rule, ast.PerFinding):
            symbol = leaf.scope.get(rule.subject)
            if symbol is not None and not (symbol.kind == "input" and symbol.decl.kind in ("findings", "count")):
                yield Diagnostic("E206", f"按项扣分要用“问题数”输入，“{rule.subject}”不是。", rule.span, leaf.path,
                                 hint=f"声明为 输入 {rule.subject}：问题数。")
        if isinstance(rule, ast.Qualitative) and not isinstance(rule, ast.Graded):
            symbol = leaf.scope.get(rule.tier)
            if symbol is not None and not (symbol.kind == "input" and symbol.decl.kind == "choice"
                                           and len(symbol.decl.options) == 3):
                yield Diagnostic("E206", f"定性要用一个有三个选项的选项输入，“{rule.tier}”不是。", rule.span, leaf.path,
                                 hint=f"声明为 输入 {rule.tier}：选项 达成/部分达成/未达成（从高档到低档）。")
        if isinstance(rule, ast.Intervals):
            yield from _interval_inputs(rule, leaf, context.inference(leaf))
        if isinstance(rule, ast.Target):
            symbol = leaf.scope.get(rule.actual)
            if symbol is not None and symbol.kind == "input" and symbol.decl.kind in ("bool", "choice"):
                yield Diagnostic("E206", f"目标要比较数量，“{rule.actual}”是{'是否' if symbol.decl.kind == 'bool' else '选项'}输入。",
                                 rule.span, leaf.path, hint="把实际值声明为 比率、数量 或 金额。")
    for inference in context.inferences:
        yield from (d for d in inference.problems if d.code == "E206")


def _interval_inputs(rule: ast.Intervals, leaf, inference) -> Iterator[Diagnostic]:
    """区间赋分 needs a rate and a yes/no input saying whether the project was completed."""
    symbol = leaf.scope.get(rule.completed)
    if symbol is not None and not (symbol.kind == "input" and symbol.decl.kind == "bool"):
        yield Diagnostic("E206", f"区间赋分的第二项应是“是否”输入（项目是否完成），“{rule.completed}”不是。", rule.span,
                         leaf.path, hint=f"声明为 输入 {rule.completed}：是否。")
    if leaf.scope.get(rule.rate) is not None:
        dim = inference.lookup(rule.rate, rule.span).dim
        if dim.kind not in ("ratio", "unknown"):
            yield Diagnostic("E206", f"区间赋分的第一项应是执行率（比率），“{rule.rate}”是{dim.describe()}。", rule.span,
                             leaf.path, hint="写成 执行率 = 全年执行数 / 全年预算数，再 区间赋分 执行率，项目完成。")


def check_rule_present(context: Context) -> Iterator[Diagnostic]:
    """E406: every leaf has a scoring rule, and no branch has one."""
    for path, indicator in walk(context.spec.indicators):
        yield from _rule_presence(path, indicator)
    for block in context.spec.adjustments:
        for item in block.items:
            yield from _rule_presence((block.name, item.name), item)


def _rule_presence(path, indicator: ast.Indicator) -> Iterator[Diagnostic]:
    has_rule = indicator.body is not None and indicator.body.rule is not None
    only_applies = indicator.body is not None and attrs.evolve(indicator.body, applies=None) == ast.LeafBody(
        span=indicator.body.span)  # 适用 若 alone on a branch is E440's to report
    if indicator.children and indicator.body is not None and not only_applies:
        yield Diagnostic("E406", f"“{indicator.name}”有下级指标，不能再有自己的评分规则。", indicator.span, path,
                         hint="把规则移到某个下级指标中，或去掉下级指标。")
    elif not indicator.children and not has_rule:
        yield Diagnostic("E406", f"末级指标“{indicator.name}”没有评分规则。", indicator.span, path,
                         hint="写一条规则：要素、得分 =、分档、偏离、按项扣分、选择、酌情 或 目标。")
