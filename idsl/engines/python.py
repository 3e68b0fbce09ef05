"""The exact scorer: interprets a Plan over Inputs and returns a frozen Result.

Nothing from a spec is ever eval'ed or exec'ed: expressions are AST nodes walked here.
All arithmetic is on `fractions.Fraction` (literals converted exactly); a leaf's score is
rounded half-up to the plan's places once, at the end of the leaf; a branch's score is the sum
of its children's rounded scores (rescaled, and rounded again, only when a child is 不适用 剔除).

    >>> from idsl.frontend.parse import parse
    >>> from idsl.semantics.lower import lower
    >>> from idsl.frontend.source import Source
    >>> from idsl.io.inputs import read_inputs
    >>> text = ('体系 "例" 总分 2\\n等级 优：总分 ≥ 1.8；差：否则\\n决策（2）\\n  重点支出安排率（2）\\n'
    ...         '    输入 重点项目支出：金额 万元，项目总支出：金额 万元\\n'
    ...         '    比率 = 重点项目支出 / 项目总支出\\n'
    ...         '    分档 比率：比率 ≥ 80% 得满分；60%～80% 每降低 1% 扣 0.1 分；比率 < 60% 得 0 分\\n')
    >>> plan = lower(parse(Source("t.idsl", text))[0])
    >>> result = score(plan, read_inputs('{"inputs": {"重点支出安排率": {"重点项目支出": 75, "项目总支出": 100}}}'))
    >>> leaf = result.node("重点支出安排率")
    >>> leaf.score, leaf.reason
    (Decimal('1.50'), '比率为75%，低于80%，每降低1%扣0.1分，得1.5分。')
    >>> result.total, result.grade
    (Decimal('1.50'), '差')
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable, Sequence

import attrs

from idsl.frontend import ast

from idsl.semantics import reasons
from idsl.semantics.conditions import band_ends, name_of, strictness
from idsl.diagnostics import Diagnostic, render_json
from idsl.io.inputs import (
    InputError,
    Inputs,
    LeafBinder,
    Tallies,
    Values,
    bind_shared,
    unknown_key_error,
)
from idsl.semantics.model import LeafPlan, Node, Plan, split_path
from idsl.semantics.numbers import half_up, to_decimal
from idsl.semantics.phrases import describe_condition, expr_text, format_quantity
from idsl.semantics.units import conversion_factor, convertible, expression_unit

STATUSES = ("scored", "missing", "not_applicable", "error")
TOTAL_NAMES = ("总分", "total", "合计", "得分", "评价得分")  # what a grade condition calls the total
_GRADE_KEYS = ("等级", "grade", "评价等级")
_SUBTOTAL_KEYS = ("小计", "subtotal")


# ---------------------------------------------------------------- the result


@attrs.frozen
class NodeResult:
    """One row of the result: a branch, a leaf, or a penalty/bonus item."""

    path: tuple[str, ...]  # names from level 1 down (a penalty item: block name, item name)
    name: str  # as printed
    level: int  # 1 for 一级指标 …
    kind: str  # 'branch', 'leaf' or 'item'
    points: Decimal  # 分值 (an item's cap)
    score: Decimal | None  # rounded to the plan's places; None when not scored (未评) or excluded
    rate: Decimal | None  # 得分率 in percent, two decimals (93.33); None without a score or points
    reason: str | None  # 得分原因 (leaves and items), with the evaluator's note appended
    note: str | None  # the evaluator's note as given
    status: str  # 'scored', 'missing' (未评), 'not_applicable' (剔除) or 'error' (bad inputs)

    @property
    def key(self) -> str:
        """The path joined with /."""
        return "/".join(self.path)

    def to_json(self) -> dict:
        """A plain dict for JSON output (Decimals as strings)."""
        return {"path": self.key, "name": self.name, "level": self.level, "kind": self.kind,
                "points": _text(self.points), "score": _text(self.score), "rate": _text(self.rate),
                "reason": self.reason, "note": self.note, "status": self.status}


@attrs.frozen
class BlockResult:
    """A penalty or bonus block: its items and the total it moves, after the block's cap."""

    kind: str  # 'penalty' or 'bonus'
    name: str  # 逆向指标 …
    cap: Decimal | None  # the block's cap
    total: Decimal  # the deduction (penalty) or addition (bonus), ≥ 0, capped
    items: tuple[NodeResult, ...]
    note: str | None = None  # the evaluator's note on the whole block

    def to_json(self) -> dict:
        """A plain dict for JSON output."""
        return {"kind": self.kind, "name": self.name, "cap": _text(self.cap), "total": _text(self.total),
                "items": [item.to_json() for item in self.items], "note": self.note}


@attrs.frozen
class AuditDifference:
    """A recorded score that differs from the rule's."""

    key: str  # the indicator's path, or 总分 / 等级 / a block name
    recorded: Decimal | str  # what the report says
    computed: Decimal | str | None  # what the rule gives (None: could not be scored)
    difference: Decimal | None  # recorded − computed
    reason: str | None  # the computed reason

    def to_json(self) -> dict:
        """A plain dict for JSON output."""
        return {"key": self.key, "recorded": _text(self.recorded), "computed": _text(self.computed),
                "difference": _text(self.difference), "reason": self.reason}


@attrs.frozen
class Result:
    """Everything scoring found: every node's score and reason, blocks, totals, grade, problems."""

    title: str  # the spec's title
    fingerprint: str  # the plan's fingerprint: which system scored this
    places: int  # decimals of the scores
    total_points: Decimal  # 总分
    nodes: tuple[NodeResult, ...]  # the tree in table order
    blocks: tuple[BlockResult, ...]  # penalty and bonus blocks
    subtotal: Decimal | None  # the tree's score (Σ level-1)
    total: Decimal | None  # subtotal − penalties + bonuses, within [0, 总分 + bonus caps]
    grade: str | None  # the grade band of the total
    incomplete: bool  # some leaf is 未评 or has errors: the total covers only what was scored
    errors: tuple[InputError, ...] = ()  # problems with the inputs
    audit: tuple[AuditDifference, ...] = ()  # recorded scores that differ from the rules'
    unit: str | None = None  # the evaluated unit, from the inputs
    total_note: str | None = None  # the evaluator's note on the total (notes → 总分)
    as_published: bool = False  # scored as published: the spec has errors and was scored anyway (复核)
    spec_errors: tuple[Diagnostic, ...] = ()  # as published: the checker's errors
    warnings: tuple[InputError, ...] = ()  # as published: inputs the spec does not declare, left out

    @property
    def ok(self) -> bool:
        """No input errors and no audit differences."""
        return not self.errors and not self.audit

    def node(self, key: str | tuple[str, ...]) -> NodeResult:
        """The row for a path or a unique name (tree nodes first, then penalty/bonus items)."""
        path = split_path(key)
        rows = list(self.nodes) + [item for block in self.blocks for item in block.items]
        for row in rows:
            if row.path == path:
                return row
        found = [row for row in rows if row.path[-len(path):] == path]
        if len(found) == 1:
            return found[0]
        raise KeyError(key)

    @property
    def subtotals(self) -> dict[str, Decimal | None]:
        """Level-1 name → score."""
        return {row.name: row.score for row in self.nodes if row.level == 1}

    def to_data(self) -> dict:
        """The whole result as plain JSON data (with "as_published" only when scored as published)."""
        data = {
            "title": self.title,
            "unit": self.unit,
            "fingerprint": self.fingerprint,
            "places": self.places,
            "total_points": _text(self.total_points),
            "nodes": [row.to_json() for row in self.nodes],
            "adjustments": [block.to_json() for block in self.blocks],
            "subtotals": {k: _text(v) for k, v in self.subtotals.items()},
            "subtotal": _text(self.subtotal),
            "total": _text(self.total),
            "total_rate": _text(_rate(self.total, self.total_points)),
            "grade": self.grade,
            "total_note": self.total_note,
            "incomplete": self.incomplete,
            "errors": [e.to_json() for e in self.errors],
            "audit": [d.to_json() for d in self.audit],
        }
        if self.as_published:
            data["as_published"] = {"spec_errors": json.loads(render_json(self.spec_errors)),
                                    "warnings": [w.to_json() for w in self.warnings]}
        return data

    def to_json(self) -> str:
        """Deterministic JSON: keys sorted, Chinese kept, Decimals as strings, ending in a newline."""
        return json.dumps(self.to_data(), sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def _text(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def _rate(score: Decimal | None, points: Decimal) -> Decimal | None:
    if score is None or not points:
        return None
    return half_up(Fraction(score) / Fraction(points) * 100, 2)


# ---------------------------------------------------------------- scoring


def score(plan: Plan, inputs: Inputs, allow_missing: bool = False, recorded: dict | None = None,
          as_published: Sequence[Diagnostic] | None = None) -> Result:
    """Score the inputs with the plan. Never raises for bad inputs: they come back in `Result.errors`.

    With `allow_missing`, a leaf whose inputs are not all given is 未评 (status 'missing'), left out
    of the totals, and the result is marked incomplete; without it, each missing field is an error.
    `recorded` (key → score) overrides the inputs' own "recorded" object for the audit.

    `as_published` (the checker's diagnostics of a spec that has errors) scores the system as
    published, for a reviewer checking a report against its own rules: a leaf whose rule is
    missing or cannot be evaluated is 未评 with the defect as its reason; a rule's result is
    not held to the leaf's points; every leaf's reason names the diagnostics about it; fields
    the spec does not declare are left out with a warning; the inputs' "as_published" fields
    replace a leaf's own.
    """
    scorer = _Scorer(plan, inputs, allow_missing, None if as_published is None else _Defects(plan, as_published))
    return scorer.run(inputs.recorded if recorded is None else recorded)


class _Defects:
    """What the checker found in a spec scored as published, by leaf."""

    def __init__(self, plan: Plan, diagnostics: Sequence[Diagnostic]):
        self.errors = tuple(d for d in diagnostics if d.severity == "error")
        self.by_leaf: dict[tuple[str, ...], list[Diagnostic]] = {}
        leaves = list(plan.leaves()) + [item for _block, item in plan.items()]
        for diagnostic in diagnostics:
            if diagnostic.code in _DOCUMENT_ONLY:
                continue
            leaf = next((n for n in leaves if _about(diagnostic, n)), None)
            if leaf is not None:
                self.by_leaf.setdefault(leaf.path, []).append(diagnostic)

    def of(self, node: Node) -> list[Diagnostic]:
        """The diagnostics about one leaf, in reading order."""
        return self.by_leaf.get(node.path, [])


_DOCUMENT_ONLY = ("W502",)  # diagnostics that say nothing about how a leaf scores


def _about(diagnostic: Diagnostic, node: Node) -> bool:
    """Whether a diagnostic is about a leaf: by its path (a part's path goes on), else by where it stands."""
    if diagnostic.path:
        return diagnostic.path[:len(node.path)] == node.path
    span, body = diagnostic.span, node.leaf.span if node.leaf is not None else node.span
    return span.file == body.file and body.line <= span.line <= body.end_line


class _Scorer:
    def __init__(self, plan: Plan, inputs: Inputs, allow_missing: bool, defects: _Defects | None = None):
        self.plan = plan
        self.inputs = inputs
        self.allow_missing = allow_missing
        self.defects = defects  # scoring as published
        self.errors: list[tuple[tuple, InputError]] = []  # (sort key, error)
        self.warnings: list[InputError] = []  # as published: fields left out
        self.order = {node.path: i for i, node in enumerate(plan.walk())}
        offset = len(self.order)
        for i, (_block, item) in enumerate(plan.items()):
            self.order[item.path] = offset + i
        self.raw = self._assign_inputs()
        self.notes = self._assign_notes()
        self.shared, shared_errors = bind_shared(plan, inputs.shared)
        for error in shared_errors:
            self._error(error, (-1,))
        for error in inputs.errors:
            self._error(error, (-2,))
        self.leaf_results: dict[tuple[str, ...], NodeResult] = {}

    def _error(self, error: InputError, key: tuple) -> None:
        self.errors.append((key + (error.field or "", error.message), error))

    def _assign_inputs(self) -> dict[tuple[str, ...], dict]:
        assigned: dict[tuple[str, ...], dict] = {}
        for key in sorted(self.inputs.leaves):
            node = self.plan.find(key)
            if node is None:
                self._error(unknown_key_error(self.plan, key), (len(self.order) + 1, key))
                continue
            if node.leaf is None:
                self._error(InputError(node.key, None, "这是上级指标，输入要写在它下面的末级指标里。",
                                       "末级指标有：" + "、".join(n.name for n in node.walk() if n.leaf is not None)),
                            (self.order.get(node.path, 0),))
                continue
            if node.path in assigned:
                self._error(InputError(node.key, None, f"这个指标的输入写了两次（“{key}”）。", "合并成一个对象。"),
                            (self.order.get(node.path, 0),))
                continue
            assigned[node.path] = self.inputs.leaves[key]
        if self.defects is not None:
            self._overlay(assigned)
        return assigned

    def _overlay(self, assigned: dict[tuple[str, ...], dict]) -> None:
        """As published: the inputs' "as_published" fields replace a leaf's own."""
        for key in sorted(self.inputs.as_published):
            node = self.plan.find(key)
            if node is None or node.leaf is None:
                error = unknown_key_error(self.plan, key) if node is None else InputError(
                    node.key, None, "这是上级指标，输入要写在它下面的末级指标里。")
                self._error(attrs.evolve(error, field="as_published"), (len(self.order) + 3, key))
                continue
            assigned[node.path] = {**assigned.get(node.path, {}), **self.inputs.as_published[key]}

    def _assign_notes(self) -> dict[tuple[str, ...], str]:
        notes: dict[tuple[str, ...], str] = {}
        block_names = {block.name for block in self.plan.adjustments}
        for key in sorted(self.inputs.notes):
            if key in block_names or key in TOTAL_NAMES or key in _GRADE_KEYS:
                notes[(key,)] = self.inputs.notes[key]
                continue
            node = self.plan.find(key)
            if node is None:
                error = unknown_key_error(self.plan, key)
                self._error(attrs.evolve(error, field="notes"), (len(self.order) + 2, key))
                continue
            notes[node.path] = self.inputs.notes[key]
        return notes

    # -- the whole plan

    def run(self, recorded: dict) -> Result:
        nodes: list[NodeResult] = []
        top = [self._node(node, nodes) for node in self.plan.nodes]
        subtotal, status = _combine(top, self.plan.total, self.plan.places)
        blocks = tuple(self._block(block) for block in self.plan.adjustments)
        total = None
        if subtotal is not None:
            total = Fraction(subtotal)
            for block in blocks:
                total += Fraction(block.total) if block.kind == "bonus" else -Fraction(block.total)
            bonus_room = sum((Fraction(b.cap if b.cap is not None else sum((i.points for i in b.items), Decimal(0))))
                             for b in blocks if b.kind == "bonus")
            total = half_up(min(max(total, Fraction(0)), Fraction(self.plan.total) + bonus_room), self.plan.places)
        grade = _grade(self.plan, total) if total is not None else None
        incomplete = status != "scored" or any(r.status in ("missing", "error") for r in nodes) or any(
            item.status in ("missing", "error") for block in blocks for item in block.items)
        errors = tuple(e for _, e in sorted(self.errors, key=lambda pair: (pair[0], str(pair[1]))))
        result = Result(self.plan.title, self.plan.fingerprint, self.plan.places, self.plan.total, tuple(nodes),
                        blocks, subtotal, total, grade, incomplete, errors, (), self.inputs.unit,
                        next((self.notes[(k,)] for k in TOTAL_NAMES if (k,) in self.notes), None),
                        self.defects is not None, self.defects.errors if self.defects else (), tuple(self.warnings))
        audit, audit_errors = _audit(self.plan, result, recorded)
        if audit_errors:
            errors = errors + tuple(audit_errors)
        return attrs.evolve(result, audit=tuple(audit), errors=errors)

    def _node(self, node: Node, out: list[NodeResult]) -> NodeResult:
        if node.leaf is not None:
            row = self._leaf(node, "leaf")
            out.append(row)
            return row
        index = len(out)
        out.append(None)  # type: ignore[arg-type]  # the branch's row goes before its children
        children = [self._node(child, out) for child in node.children]
        score, status = _combine(children, node.points, self.plan.places)
        row = NodeResult(node.path, node.name, node.level, "branch", node.points, score,
                         _rate(score, node.points), None, self.notes.get(node.path), status)
        out[index] = row
        return row

    def _block(self, block) -> BlockResult:
        items = tuple(self._leaf(item, "item", verb="加" if block.kind == "bonus" else "扣") for item in block.items)
        total = sum((Fraction(i.score) for i in items if i.score is not None), Fraction(0))
        if block.cap is not None:
            total = min(total, Fraction(block.cap))
        return BlockResult(block.kind, block.name, block.cap, half_up(total, self.plan.places), items,
                           self.notes.get((block.name,)))

    # -- one leaf

    def _leaf(self, node: Node, kind: str, verb: str = "得") -> NodeResult:
        note = self.notes.get(node.path)
        raw = self.raw.get(node.path)
        as_published = self.defects is not None

        def row(score: Decimal | None, reason: str | None, status: str, remark: str | None = None) -> NodeResult:
            rate = _rate(score, node.points) if status == "scored" and kind != "item" else None
            if self.defects is not None:
                reason = reasons.with_defects(reason, _unnamed(self.defects.of(node), reason))
            return NodeResult(node.path, node.name, node.level, kind, node.points, score, rate,
                              reasons.with_note(reasons.with_note(reason, remark), note), note, status)

        assert node.leaf is not None
        defect = _unscorable(node.leaf) if as_published else None
        if defect is not None:
            return row(None, reasons.unscored(defect), "missing")
        binder = LeafBinder(node, raw, penalty=kind == "item", ignore_unknown=as_published)
        values, part_values = binder.bind()
        position = (self.order.get(node.path, 0),)
        for error in binder.errors:
            self._error(error, position)
        self.warnings.extend(binder.ignored)

        if values.not_applicable:
            if node.not_applicable == "full":
                full = half_up(node.points, self.plan.places)
                return row(full, reasons.not_applicable_full(full), "scored")
            return row(None, reasons.not_applicable_excluded(), "not_applicable")
        missing = list(values.missing) + [m for name, v in part_values.items() for m in v.missing]
        # A field named by a misspelled key is reported once, as the misspelling ("did you mean").
        missing = [m for m in dict.fromkeys(missing) if m.split(".")[-1] not in binder.suggested]
        if binder.errors:
            if missing and not self.allow_missing:
                for field in missing:
                    self._error(InputError(node.key, field, "缺少输入。", _missing_hint(node, field)), position)
            return row(None, None, "error")
        if missing:
            if self.allow_missing:
                return row(None, reasons.missing(missing), "missing")
            for field in missing:
                self._error(InputError(node.key, field, "缺少输入。", _missing_hint(node, field)), position)
            return row(None, None, "error")
        leaf = node.leaf
        try:
            if leaf.parts:
                exact, reason = self._parts(node, leaf, part_values, verb)
            else:
                exact, reason = _Unit(node, leaf, Fraction(node.points), values, self.shared, verb,
                                      self.plan.places, as_written=as_published).run()
        except _Missing as gone:
            if self.allow_missing:
                return row(None, reasons.missing([gone.field]), "missing")
            self._error(InputError(node.key, gone.field, "缺少输入。", gone.hint), position)
            return row(None, None, "error")
        except _Undefined as problem:
            if as_published:  # the published rule gives no score here: a finding of the review, not an input error
                return row(None, reasons.unscored(problem.message), "missing")
            self._error(InputError(node.key, problem.field, problem.message, problem.hint), position)
            return row(None, None, "error")
        rounded, reason = _finish(exact, Fraction(node.points), self.plan.places, reason, held=not as_published)
        used = isinstance(leaf.rule, ast.Discretionary) or any(m.state == "partial" for m in values.items or ())
        return row(rounded, reason, "scored", None if used else values.reason)  # an unused 理由 reads as a note

    def _parts(self, node: Node, leaf: LeafPlan, part_values: dict[str, Values], verb: str) -> tuple[Fraction, str]:
        total = Fraction(0)
        pieces = []
        as_written = self.defects is not None
        for part in leaf.parts:
            exact, reason = _Unit(node, part.leaf, Fraction(part.points), part_values[part.name], self.shared, verb,
                                  self.plan.places, part=part.name, as_written=as_written).run()
            if not as_written:
                exact = min(max(exact, Fraction(0)), Fraction(part.points))
            total += exact
            pieces.append((part.name, reason))
        return total, reasons.parts(pieces, half_up(total, self.plan.places), verb)


def _missing_hint(node: Node, field: str) -> str | None:
    leaf = node.leaf
    if leaf is None:
        return None
    name = field.split(".")[-1]
    if name == "要素" and isinstance(leaf.rule, ast.Checklist):
        example = ", ".join(['"是"'] * len(leaf.rule.items))
        return f"给出 {len(leaf.rule.items)} 项要素各自是否符合，例如 \"要素\": [{example}]。"
    if name == "得分":
        return "酌情指标要给 \"得分\" 和 \"理由\"。"
    for decl in leaf.inputs:
        if decl.name == name:
            what = {"rate": "比率，如 \"89.67%\"", "money": f"金额，单位{decl.unit}", "count": f"数量，单位{decl.unit}",
                    "number": "数值", "bool": "\"是\" 或 \"否\"", "findings": "问题个数",
                    "choice": "选项：" + "／".join(decl.options)}[decl.kind]
            return f"在 \"{node.name}\" 里写 \"{name}\"（{what}）。"
    return None


def _finish(exact: Fraction, points: Fraction, places: int, reason: str, held: bool = True) -> tuple[Decimal, str]:
    """Hold the result within [0, points] (unless scoring as published) and round it half-up once."""
    within = min(max(exact, Fraction(0)), points)
    if within == exact:
        return half_up(exact, places), reason
    if held:
        return half_up(within, places), reasons.clamped(reason, to_decimal(points))
    return half_up(exact, places), reasons.unclamped(reason, to_decimal(points))


def _unnamed(found: list[Diagnostic], reason: str | None) -> list[tuple[str, str]]:
    """The diagnostics to name after a reason: all but the first of a code the reason already names (（E406）)."""
    named = {code for code in {d.code for d in found} if reason and f"（{code}）" in reason}
    kept = []
    for diagnostic in found:
        if diagnostic.code in named:
            named.discard(diagnostic.code)
            continue
        kept.append((diagnostic.code, diagnostic.message))
    return kept


def _unscorable(leaf: LeafPlan) -> str | None:
    """Why a leaf's rule gives no score whatever the inputs (scoring as published), None when it can score."""
    for part in leaf.parts:
        why = _unscorable(part.leaf)
        if why is not None:
            return f"分项“{part.name}”{why}"
    rule = leaf.rule
    if rule is None and not leaf.specials:
        return "规则缺失（E406）"
    if isinstance(rule, ast.Checklist) and rule.each is None and any(i.points is None for i in rule.items):
        return "要素没有分值（E411）"
    return None


def _combine(children: list[NodeResult], points: Decimal, places: int) -> tuple[Decimal | None, str]:
    """A parent's score from its children's rounded scores (rescaled when some are 不适用 剔除)."""
    applicable = [c for c in children if c.status != "not_applicable"]
    if not applicable:
        return None, "not_applicable"
    scored = [c for c in applicable if c.score is not None]
    if not scored:
        return None, "missing"
    total = sum((c.score for c in scored), Decimal(0))
    if len(applicable) == len(children):
        return total, "scored"
    applicable_points = sum((c.points for c in applicable), Decimal(0))
    if not applicable_points:
        return None, "not_applicable"
    return half_up(Fraction(total) * Fraction(points) / Fraction(applicable_points), places), "scored"


def _grade(plan: Plan, total: Decimal) -> str | None:
    value = Fraction(total)
    rest = None
    for band in plan.grades:
        if isinstance(band.cond, ast.Otherwise):
            rest = rest or band.grade
            continue
        try:
            if _GradeEnv(value).cond(band.cond, value):
                return band.grade
        except _Undefined:
            continue
    return rest


# ---------------------------------------------------------------- evaluation


class _Missing(Exception):
    def __init__(self, field: str, hint: str | None = None):
        super().__init__(field)
        self.field = field
        self.hint = hint


class _Undefined(Exception):
    """A value the rule does not define: a zero denominator, a name without a value …"""

    def __init__(self, field: str | None, message: str, hint: str | None = None):
        super().__init__(message)
        self.field = field
        self.message = message
        self.hint = hint


_ROUNDING: dict[str | None, Callable[[Fraction], Fraction]] = {
    None: lambda x: x,
    "half_up": lambda x: Fraction(half_up(x, 0)),
    "floor": lambda x: Fraction(math.floor(x)),
    "ceil": lambda x: Fraction(math.ceil(x)),
}


class _Env:
    """Expression evaluation over some names; subclasses say what a name means."""

    def lookup(self, name: str) -> Any:
        raise _Undefined(name, f"未定义的名称“{name}”。")

    def points(self) -> Fraction:
        raise _Undefined(None, "这里不能用“分值”。")

    def eval(self, expr: ast.Expr, subject: Any = None) -> Any:
        if isinstance(expr, ast.Num):
            return Fraction(expr.amount)
        if isinstance(expr, ast.Ref):
            return self.lookup(expr.name)
        if isinstance(expr, ast.PointsRef):
            return self.points()
        if isinstance(expr, ast.Subject):
            if subject is None:
                raise _Undefined(None, "条件省略了比较对象，但这里没有分档对象。")
            return subject
        if isinstance(expr, ast.BoolLit):
            return expr.value
        if isinstance(expr, ast.Neg):
            return -self.number(expr.operand, subject)
        if isinstance(expr, ast.BinOp):
            left = self.number(expr.left, subject)
            right = self.number(expr.right, subject)
            if expr.op == "+":
                return left + right
            if expr.op == "-":
                return left - right
            if expr.op == "*":
                return left * right
            if right == 0:
                raise self.zero_denominator(expr)
            return left / right
        if isinstance(expr, ast.Call):
            return self.call(expr, subject)
        raise _Undefined(None, f"不能计算的表达式（{type(expr).__name__}）。")

    def number(self, expr: ast.Expr, subject: Any = None) -> Fraction:
        value = self.eval(expr, subject)
        if isinstance(value, bool) or not isinstance(value, Fraction):
            raise _Undefined(name_of(expr), f"“{expr_text(expr)}”不是一个数，不能参与计算。")
        return value

    def zero_denominator(self, expr: ast.BinOp) -> _Undefined:
        what = name_of(expr.right) or expr_text(expr.right)
        return _Undefined(_input_name(expr.right) or what, f"分母“{what}”为 0，规则没有规定这种情况，无法计算。",
                          "检查这个输入；若 0 是真实情况，体系应加一条特例（若 … 则 …）。")

    def call(self, expr: ast.Call, subject: Any) -> Fraction:
        args = expr.args
        if expr.func == "abs":
            return abs(self.number(args[0], subject))
        if expr.func in ("min", "max"):
            values = [self.number(a, subject) for a in args]
            return min(values) if expr.func == "min" else max(values)
        if expr.func == "round":
            places = self.number(args[1], subject) if len(args) > 1 else Fraction(0)
            if places.denominator != 1 or places < 0:
                raise _Undefined(None, "四舍五入的位数应是不小于 0 的整数。")
            return Fraction(half_up(self.number(args[0], subject), int(places)))
        if expr.func == "convert":
            value = self.number(args[0], subject)
            source = self.unit_of(args[0])
            if source and expr.unit and convertible(source, expr.unit):
                return value * Fraction(conversion_factor(source, expr.unit))
            from idsl.semantics.units import unit as unit_info
            return value * Fraction(unit_info(expr.unit).factor) if expr.unit else value
        raise _Undefined(None, f"不认识的函数 {expr.func}。")

    def unit_of(self, expr: ast.Expr) -> str | None:
        return expr.unit if isinstance(expr, ast.Num) else None

    def cond(self, cond: ast.Cond, subject: Any = None) -> bool:
        if isinstance(cond, ast.Otherwise):
            return True
        if isinstance(cond, ast.BoolOp):
            results = (self.cond(part, subject) for part in cond.parts)
            return all(results) if cond.op == "and" else any(results)
        if isinstance(cond, ast.Range):
            if subject is None:
                raise _Undefined(None, "区间条件没有比较对象。")
            return self.number(cond.low, subject) <= subject <= self.number(cond.high, subject)
        if isinstance(cond, ast.Compare):
            if not cond.ops:
                value = self.eval(cond.operands[0], subject)
                if not isinstance(value, bool):
                    raise _Undefined(name_of(cond.operands[0]), f"“{expr_text(cond.operands[0])}”不是“是/否”，不能单独作条件。")
                return value
            values = [self.eval(o, subject) for o in cond.operands]
            return all(_compare(a, op, b) for a, op, b in zip(values, cond.ops, values[1:]))
        raise _Undefined(None, "不认识的条件。")


def _compare(a: Any, op: str, b: Any) -> bool:
    if isinstance(a, bool) != isinstance(b, bool) and op not in ("=", "!="):
        raise _Undefined(None, "“是/否”不能比较大小。")
    if op == "=":
        return a == b
    if op == "!=":
        return a != b
    if isinstance(a, str) or isinstance(b, str):
        raise _Undefined(None, "选项不能比较大小。")
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


class _GradeEnv(_Env):
    """Grade conditions: every name of the total means the total."""

    def __init__(self, total: Fraction):
        self.total = total

    def lookup(self, name: str) -> Any:
        if name in TOTAL_NAMES:
            return self.total
        return super().lookup(name)


class _Unit(_Env):
    """One scoring unit (a leaf, a part, or a penalty/bonus item) being scored."""

    def __init__(self, node: Node, leaf: LeafPlan, points: Fraction, values: Values, shared: dict[str, Any],
                 verb: str, places: int, part: str | None = None, as_written: bool = False):
        self.node = node
        self.as_written = as_written  # scoring as published: the rule's result is not held to the points
        self.places = places
        self.leaf = leaf
        self.full = points
        self.values = values
        self.shared = shared
        self.verb = verb
        self.part = part
        self.inputs, self.derived, self.questionnaires = leaf.scope_tables()
        self.option_words = reasons.option_words(leaf)
        self.cache: dict[str, Any] = {}
        self.computing: list[str] = []

    # -- names

    def points(self) -> Fraction:
        return self.full

    def lookup(self, name: str) -> Any:
        if name in self.cache:
            return self.cache[name]
        if name in self.inputs or (name in self.questionnaires):
            if name in self.leaf.shared:
                if name not in self.shared:
                    raise _Missing(f"共用.{name}", f"在 \"共用\" 里给出 \"{name}\"。")
                value = self.shared[name]
            elif name in self.values.fields:
                value = self.values.fields[name]
            else:
                raise _Missing(name)
            if isinstance(value, Tallies):
                value = self._questionnaire_rate(self.questionnaires[name], value)
        elif name in self.derived:
            if name in self.computing:
                raise _Undefined(name, f"“{name}”的定义绕回了自己。")
            self.computing.append(name)
            try:
                value = self.eval(self.derived[name].expr)
            except _Undefined as problem:
                if problem.message.startswith("分母") and "无法计算。" in problem.message:
                    problem.message = problem.message.replace("无法计算。", f"无法计算“{name}”。")
                raise
            finally:
                self.computing.pop()
        elif name in self.option_words:
            return name  # an option of a choice visible here, as a literal: 若 公开情况 = 未公开 …
        else:
            raise _Undefined(name, f"未定义的名称“{name}”。")
        self.cache[name] = value
        return value

    def _questionnaire_rate(self, questionnaire: ast.Questionnaire, tallies: Tallies) -> Fraction:
        scores = [Fraction(s) for _, s in questionnaire.options]
        top = max(scores) if scores else Fraction(0)
        got = sum((count * s for row in tallies.rows for count, s in zip(row, scores)), Fraction(0))
        full = sum((count * top for row in tallies.rows for count in row), Fraction(0))
        if full == 0:
            raise _Undefined(questionnaire.name, f"问卷“{questionnaire.name}”没有有效答卷（满分总计为 0），无法计算满意率。")
        self.tally_totals = getattr(self, "tally_totals", {})
        self.tally_totals[questionnaire.name] = (got, full)
        return got / full

    def unit_of(self, expr: ast.Expr) -> str | None:
        return expression_unit(expr, self.inputs, self.derived)

    def is_percent(self, expr: ast.Expr) -> bool:
        """Whether a quantity reads as a percentage (a rate, a questionnaire, a ratio of like quantities)."""
        if isinstance(expr, ast.Num):
            return expr.percent
        if isinstance(expr, ast.Ref):
            if expr.name in self.questionnaires and expr.name not in self.inputs:
                return True
            if expr.name in self.inputs:
                return self.inputs[expr.name].kind == "rate"
            if expr.name in self.derived:
                return self.is_percent(self.derived[expr.name].expr)
            return False
        if isinstance(expr, ast.BinOp):
            if expr.op == "/":
                if isinstance(expr.right, ast.Num) and not expr.right.percent:
                    return self.is_percent(expr.left)
                return True
            if expr.op == "*":
                return (self.is_percent(expr.left) and isinstance(expr.right, ast.Num)) or (
                    self.is_percent(expr.right) and isinstance(expr.left, ast.Num))
            return self.is_percent(expr.left) or self.is_percent(expr.right)
        if isinstance(expr, ast.Call) and expr.func != "convert":
            return any(self.is_percent(a) for a in expr.args)
        if isinstance(expr, ast.Neg):
            return self.is_percent(expr.operand)
        return False

    def shown(self, expr: ast.Expr, value: Fraction) -> reasons.Shown:
        name = _display_name(expr, self.node.name)
        return reasons.Shown(name, value, self.is_percent(expr), None if self.is_percent(expr) else self.unit_of(expr))

    def literal(self, expr: ast.Expr) -> str:
        """A bound or target as the sentence shows it: 80%, 10万元."""
        value = self.number(expr)
        return reasons.quantity_text(value, self.is_percent(expr), None if self.is_percent(expr) else self.unit_of(expr))

    # -- the rule

    def run(self) -> tuple[Fraction, str]:
        for special in self.leaf.specials:
            if self.cond(special.cond):
                exact = self.full if special.points is None else Fraction(special.points)
                text = describe_condition(reasons.quote_options(special.cond, self.option_words), words=True)
                return exact, reasons.special(text, special.points, self._shown_score(exact), self.verb)
        rule = self.leaf.rule
        if rule is None:
            raise _Undefined(None, "规则缺失（E406）：特例都不适用，而这个指标没有评分规则。")
        method = getattr(self, "_" + type(rule).__name__.lower(), None)
        if method is None:
            raise _Undefined(None, f"这里不能用 {type(rule).__name__} 规则。")
        return method(rule)

    def _shown_score(self, exact: Fraction) -> Decimal:
        if self.as_written:
            return half_up(exact, self.places)
        return half_up(min(max(exact, Fraction(0)), self.full), self.places)

    def _checklist(self, rule: ast.Checklist) -> tuple[Fraction, str]:
        marks = self.values.items or ()
        exact = sum((m.points for m in marks), Fraction(0))
        met = sum(1 for m in marks if m.state == "met")
        partial = sum(1 for m in marks if m.state == "partial")
        return exact, reasons.checklist(len(rule.items), met, partial, self._shown_score(exact), self.values.reason,
                                        self.verb)

    def _formula(self, rule: ast.Formula) -> tuple[Fraction, str]:
        exact = self.number(rule.expr)
        shown = []
        for ref in _refs(rule.expr):
            value = self.lookup(ref.name)
            if isinstance(value, Fraction):
                shown.append(self.shown(ref, value))
        return exact, reasons.formula(shown, self._shown_score(exact), self.verb)

    def _bands(self, rule: ast.Bands) -> tuple[Fraction, str]:
        subject = self.number(rule.subject)
        shown = self.shown(rule.subject, subject)
        for number, band in enumerate(rule.bands):
            if not self.cond(band.cond, subject):
                continue
            outcome = band.outcome
            if isinstance(outcome, ast.Fixed):
                exact = self.full if outcome.points is None else Fraction(outcome.points)
                where = None if number == 0 or exact == self.full else self.band_text(band.cond, rule.subject, subject)
                return exact, reasons.fixed_band(shown, where, self._shown_score(exact), self.verb)
            return self._linear(rule, band, outcome, subject, shown)
        raise _Undefined(name_of(rule.subject), f"{shown.name}为{shown.text}，不在任何一档之内（分档有缺口）。",
                         "体系的分档应覆盖所有可能的值；请修改体系。")

    def _linear(self, rule: ast.Bands, band: ast.Band, outcome: ast.Linear, subject: Fraction,
                shown: reasons.Shown) -> tuple[Fraction, str]:
        low, high = band_ends(band.cond, rule.subject)
        anchor_expr = high if outcome.direction == "down" else low
        if anchor_expr is None:
            end = "上限" if outcome.direction == "down" else "下限"
            raise _Undefined(name_of(rule.subject), f"线性扣分档缺少{end}，无法确定从哪里开始扣分。")
        anchor = self.number(anchor_expr, subject)
        distance = anchor - subject if outcome.direction == "down" else subject - anchor
        step = Fraction(outcome.step.amount)
        if step <= 0:
            raise _Undefined(None, "扣分步长应大于 0。")
        steps = _ROUNDING[outcome.rounding](max(distance, Fraction(0)) / step)
        start = self.full if outcome.start is None else Fraction(outcome.start)
        exact = max(start - Fraction(outcome.deduct) * steps, Fraction(0))
        return exact, reasons.linear_band(shown, outcome.direction, self.literal(anchor_expr), format_quantity(outcome.step),
                                          outcome.deduct, outcome.rounding, steps, self._shown_score(exact), self.verb)

    def _deviation(self, rule: ast.Deviation) -> tuple[Fraction, str]:
        value = self.number(rule.subject)
        goal = self.number(rule.target)
        gap = value - goal
        gap = abs(gap) if rule.absolute else max(gap, Fraction(0))
        shown = self.shown(rule.subject, value)
        goal_text = self.literal(rule.target)
        step = Fraction(rule.step.amount)
        if step <= 0:
            raise _Undefined(None, "偏离的步长应大于 0。")
        if rule.limit is not None and gap > Fraction(rule.limit.amount):
            exact = Fraction(rule.beyond_points or 0)  # `超过 10% 得 N 分`; without N, 不得分
            return exact, reasons.deviation(shown, goal_text, format_quantity(rule.step), rule.deduct, rule.rounding,
                                            Fraction(0), format_quantity(rule.limit), self._shown_score(exact),
                                            self.verb)
        steps = _ROUNDING[rule.rounding](gap / step)
        exact = max(self.full - Fraction(rule.deduct) * steps, Fraction(0))
        return exact, reasons.deviation(shown, goal_text, format_quantity(rule.step), rule.deduct,
                                        rule.rounding if gap else None, steps, None, self._shown_score(exact), self.verb)

    def _perfinding(self, rule: ast.PerFinding) -> tuple[Fraction, str]:
        count = self.number(ast.Ref(rule.subject))
        deduction = Fraction(rule.deduct) * count
        capped = False
        if rule.cap is not None and deduction > Fraction(rule.cap):
            deduction, capped = Fraction(rule.cap), True
        if self.verb == "扣":  # a penalty item: the rule's result is the deduction itself, up to the item's cap
            exact = min(deduction, self.full)
            return exact, reasons.per_finding(int(count), rule.deduct, rule.cap, capped or deduction > self.full,
                                              self._shown_score(exact), self.verb)
        exact = self.full - deduction
        if exact < 0:
            exact, capped = Fraction(0), True
        return exact, reasons.per_finding(int(count), rule.deduct, rule.cap, capped, self._shown_score(exact), self.verb)

    def _choice(self, rule: ast.Choice) -> tuple[Fraction, str]:
        label = self.lookup(rule.input)
        for option in rule.options:
            if option.label == label:
                exact = Fraction(option.points)
                return exact, reasons.choice(label, self._shown_score(exact), self.verb)
        raise _Undefined(rule.input, f"没有这个选项：“{label}”。")

    def _discretionary(self, rule: ast.Discretionary) -> tuple[Fraction, str]:
        if self.values.score is None:
            raise _Missing("得分", "酌情指标要给 \"得分\" 和 \"理由\"。")
        exact = self.values.score
        return exact, reasons.discretionary(self.values.reason, self._shown_score(exact), self.verb)

    def _target(self, rule: ast.Target) -> tuple[Fraction, str]:
        actual = self.number(ast.Ref(rule.actual))
        goal = Fraction(rule.target.amount)
        decl = self.inputs.get(rule.actual)
        unit = decl.unit if decl is not None else None
        if rule.target.unit and unit and rule.target.unit != unit and convertible(rule.target.unit, unit):
            goal *= Fraction(conversion_factor(rule.target.unit, unit))
        percent = rule.target.percent or (decl is not None and decl.kind == "rate")
        shown_unit = None if percent else (unit or rule.target.unit)
        if rule.op == ">=":
            met = actual >= goal
            share = actual / goal if goal else Fraction(1)
        elif rule.op == "<=":
            met = actual <= goal
            share = goal / actual if actual else Fraction(1)
        else:
            met = actual == goal
            share = min(actual / goal, goal / actual) if actual and goal else Fraction(0)
        share = max(min(share, Fraction(1)), Fraction(0))
        exact = self.full if met else (Fraction(0) if rule.all_or_nothing else self.full * share)
        return exact, reasons.target(reasons.quantity_text(actual, percent, shown_unit), rule.op,
                                     reasons.quantity_text(goal, percent, shown_unit), met, share,
                                     rule.all_or_nothing, self._shown_score(exact), self.verb)

    def _parts(self, rule: ast.Parts) -> tuple[Fraction, str]:
        raise _Undefined(None, "分项里不能再有分项。")

    # -- words for conditions

    def band_text(self, cond: ast.Cond, subject_expr: ast.Expr, subject: Fraction) -> str | None:
        """低于70% / 在60%～80%之间 / 高于100%: where the subject fell, for a band that is not the top one."""
        low, high = band_ends(cond, subject_expr)
        strict_low, strict_high = strictness(cond, subject_expr)
        try:
            if low is not None and high is not None:
                return f"在{self.literal(low)}～{self.literal(high)}之间"
            if high is not None:
                return ("低于" if strict_high else "不高于") + self.literal(high)
            if low is not None:
                return ("高于" if strict_low else "不低于") + self.literal(low)
        except _Undefined:
            return None
        return None


def _refs(expr: ast.Expr) -> list[ast.Ref]:
    """The names an expression uses, in order, each once."""
    found: list[ast.Ref] = []

    def walk(e):
        if isinstance(e, ast.Ref):
            if all(r.name != e.name for r in found):
                found.append(e)
        elif isinstance(e, ast.BinOp):
            walk(e.left)
            walk(e.right)
        elif isinstance(e, ast.Neg):
            walk(e.operand)
        elif isinstance(e, ast.Call):
            for a in e.args:
                walk(a)

    walk(expr)
    return found


def _input_name(expr: ast.Expr) -> str | None:
    return expr.name if isinstance(expr, ast.Ref) else None


def _display_name(expr: ast.Expr, leaf_name: str) -> str:
    """How a sentence names a quantity: the leaf's own name when the quantity is named like it."""
    name = name_of(expr)
    if name is None:
        return expr_text(expr)
    if leaf_name != name and leaf_name.endswith(name):
        return leaf_name
    return name


# ---------------------------------------------------------------- audit


def _audit(plan: Plan, result: Result, recorded: dict) -> tuple[list[AuditDifference], list[InputError]]:
    """Every recorded score (or grade) that differs from the computed one, in table order."""
    differences: list[tuple[int, AuditDifference]] = []
    errors: list[InputError] = []
    rows = {row.path: row for row in result.nodes}
    for block in result.blocks:
        for item in block.items:
            rows[item.path] = item
    order = {path: i for i, path in enumerate(rows)}
    blocks = {block.name: block for block in result.blocks}
    end = len(order)
    for key in sorted(recorded):
        value = recorded[key]
        if key in _GRADE_KEYS:
            if result.grade is not None and str(value) != result.grade:
                differences.append((end + 3, AuditDifference("等级", str(value), result.grade, None, None)))
            continue
        number = _recorded_number(value)
        if number is None:
            errors.append(InputError(key, "recorded", f"记录的得分应是一个数，这里是 {value!r}。"))
            continue
        if key in TOTAL_NAMES:
            _compare_recorded(differences, end + 2, "总分", number, result.total, None)
            continue
        if key in _SUBTOTAL_KEYS:
            _compare_recorded(differences, end + 1, key, number, result.subtotal, None)
            continue
        if key in blocks:
            block = blocks[key]
            _compare_recorded(differences, end, key, abs(number), block.total, None)
            continue
        node = plan.find(key)
        if node is None:
            error = unknown_key_error(plan, key)
            errors.append(attrs.evolve(error, field="recorded"))
            continue
        row = rows[node.path]
        if row.kind == "item":
            number = abs(number)
        _compare_recorded(differences, order[node.path], row.key, number, row.score, _rule_reason(row))
    differences.sort(key=lambda pair: (pair[0], pair[1].key))
    return [d for _, d in differences], errors


def _rule_reason(row: NodeResult) -> str | None:
    """A row's reason without the evaluator's note: what the rule says, for the audit."""
    reason, note = row.reason, (row.note or "").strip()
    if reason and note and reason.endswith(note) and len(reason) > len(note):
        return reason[: -len(note)]
    return reason


def _recorded_number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, ast.Num):
        return value.value
    try:
        return to_decimal(value)
    except (TypeError, ValueError):
        return None


def _compare_recorded(out: list, position: int, key: str, recorded: Decimal, computed: Decimal | None,
                      reason: str | None) -> None:
    if computed is None:
        out.append((position, AuditDifference(key, recorded, None, None, reason)))
    elif recorded != computed:
        out.append((position, AuditDifference(key, recorded, computed, recorded - computed, reason)))


__all__ = [
    "AuditDifference",
    "BlockResult",
    "NodeResult",
    "Result",
    "STATUSES",
    "score",
]
