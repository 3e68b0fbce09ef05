"""The exact scorer: interprets a Plan over Inputs and returns a frozen Result.

Every rule is read through its score IR (`idsl.semantics.program`), evaluated by the closures of
`idsl.engines.evaluate`: nothing from a spec is eval'ed or exec'ed. All arithmetic is on `fractions.Fraction` (literals converted exactly); a leaf's score is
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

from decimal import Decimal
from fractions import Fraction
from typing import Sequence

import attrs

from idsl.diagnostics import Diagnostic
from idsl.engines.audit import audit
from idsl.engines.branch import branch_score, shared_score
from idsl.engines.evaluate import Env, Failure, Missing, build, evaluate
from idsl.engines.leaf import Fetch, closures
from idsl.engines.leaf_score import score_leaf
from idsl.engines.limits import leaf_scores, limit_notes
from idsl.engines.pools import score_pool
from idsl.engines.published import Defects
from idsl.engines.reference import References
from idsl.engines.result import STATUSES, AuditDifference, BlockResult, NodeResult, Result, score_rate
from idsl.io.columns import GRADE_KEYS
from idsl.io.inputs import SHARED, InputError, Inputs, LeafBinder, Values, bind_shared, unknown_key_error
from idsl.semantics import ir, reasons
from idsl.semantics.grade_limits import LEAF_ROLE
from idsl.semantics.pools import states_choice
from idsl.semantics.scope import VETO_INPUT_MISSING, fill_shared
from idsl.semantics.model import Node, Plan
from idsl.semantics.numbers import format_points, half_up
from idsl.semantics.phrases import expr_text
from idsl.semantics.program import (TOTAL_NAMES, lower_grade, lower_program, ranked_grades, veto_conditions,
                                   veto_text)


# ---------------------------------------------------------------- scoring


def score(plan: Plan, inputs: Inputs, allow_missing: bool = False, recorded: dict | None = None,
          as_published: Sequence[Diagnostic] | None = None, peers: dict[str, list[Fraction]] | None = None) -> Result:
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

    `peers` holds each peer set's values over the units scored together (`peer_values` of each, sorted);
    without it a rule comparing units (最高、名次 …) cannot be evaluated and says it needs the batch.
    """
    if inputs.unreadable:  # the file's one problem, not every field of the spec listed as missing
        return _Scorer(plan, inputs, True).run({})
    scorer = _Scorer(plan, inputs, allow_missing, None if as_published is None else Defects(plan, as_published))
    scorer.peers = peers
    return scorer.run(inputs.recorded if recorded is None else recorded)


def peer_values(plan: Plan, inputs: Inputs) -> dict[str, Fraction]:
    """This unit's value in each peer set it belongs to (`ir.Peer`): its leaf applicable, every field of
    the subject given, the subject evaluated without failure. The batch's first pass."""
    return _Scorer(plan, inputs, False).peer_values()


class _Scorer:
    def __init__(self, plan: Plan, inputs: Inputs, allow_missing: bool, defects: Defects | None = None):
        self.plan = plan
        self.inputs = inputs
        self.allow_missing = allow_missing
        self.defects = defects  # scoring as published
        self.program = lower_program(plan, held=defects is None)
        self.closures = closures(self.program)
        self.veto_inputs = {f"{SHARED}.{f.declared}" for f in self.program.veto_fields}  # reported as the spec's
        self.grade = self.closures[""]
        self.consequences = [(name, build(expr)) for name, expr in self.program.consequences]  # 结果
        self.errors: list[tuple[tuple, InputError]] = []  # (sort key, error)
        self.warnings: list[InputError] = []  # as published: fields left out
        self.order = {node.path: i for i, node in enumerate(plan.walk())}
        offset = len(self.order)
        for i, (_block, item) in enumerate(plan.items()):
            self.order[item.path] = offset + i
        self.raw = self._assign_inputs()
        self.notes = self._assign_notes()
        self.shared, shared_errors = bind_shared(plan, inputs.shared)
        self.shared_refused = frozenset(e.field for e in shared_errors if e.field not in self.shared)
        for error in shared_errors:
            self._error(error, (-1,))
        for error in inputs.errors:
            self._error(error, (-2,))
        self.leaf_results: dict[tuple[str, ...], NodeResult] = {}
        self.held: dict[tuple[str, ...], Decimal] = {}  # 按实际适用分值折算: each node's applicable points
        self.peers: dict[str, list[Fraction]] | None = None  # the peer sets' values (a batch)
        self.reference = References(self.program.peers, inputs.references)  # 参照: a unit scored alone
        for error in self.reference.errors:
            self._error(error, (-1,))

    def peer_values(self) -> dict[str, Fraction]:
        found: dict[str, Fraction] = {}
        for peer in self.program.peers:
            node = self.program.leaf(peer.leaf).node
            binder = LeafBinder(node, self.raw.get(node.path), penalty=peer.leaf not in self._tree_keys())
            values, part_values = binder.bind()
            if binder.errors or values.not_applicable:
                continue
            fetch = Fetch(values, part_values, self.shared, self.shared_refused)
            try:
                for field in ir.fields(peer.subject):
                    fetch(field)
                found[peer.name] = evaluate(peer.subject, Env(fetch, {}))
            except (Missing, Failure, KeyError):
                continue
        return found

    def _tree_keys(self) -> set[str]:
        return {leaf.key for leaf in self.program.leaves}

    def _error(self, error: InputError, key: tuple) -> None:
        self.errors.append((key + (error.field or "", error.message), error))

    def _error_once(self, error: InputError, key: tuple) -> None:
        """An error about the unit as a whole (a blank 共用 input), however many leaves find it."""
        if all(known != error for _key, known in self.errors):
            self._error(error, key)

    def _assign_inputs(self) -> dict[tuple[str, ...], dict]:
        assigned: dict[tuple[str, ...], dict] = {}
        for key in sorted(self.inputs.leaves):
            node = self.plan.find(key)
            if node is None:
                self._error(unknown_key_error(self.plan, key), (len(self.order) + 1, key))
                continue
            if node.leaf is None and states_choice(node) and node.path not in assigned:  # 择一: its 选用
                assigned[node.path] = self.inputs.leaves[key]
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
            if key in block_names or key in TOTAL_NAMES or key in GRADE_KEYS:
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
        self.counted = leaf_scores(nodes)
        held = self._held(top)
        subtotal, status = branch_score(top, self.plan.total, self.plan.places, held)
        shared = None  # 分值平均分配给同级指标 at level 1: the sentence saying how
        if self.plan.share_siblings:
            subtotal, status, shared = shared_score(top, self.plan.total, self.plan.places)
        rescaled = None  # 按实际适用分值折算, where some leaf was left out: the sentence saying how
        if held is not None and subtotal is not None and sum(held, Decimal(0)) != self.plan.total:
            earned = sum((c.score for c in top if c.score is not None), Decimal(0))
            rescaled = reasons.rescaled_total(earned, sum(held, Decimal(0)), self.plan.total, subtotal)
        blocks = tuple(self._block(block) for block in self.plan.adjustments)
        unread = list(dict.fromkeys(f.declared for f in self.program.veto_fields if f.declared not in self.shared))
        for name in unread:  # a veto read on a blank input would pass silently: the unit is not scored
            if name not in self.shared_refused:  # a value given and refused has its own error, not "missing" too
                self._error(InputError(SHARED, f"{SHARED}.{name}", VETO_INPUT_MISSING, fill_shared(name)), (-1,))
        if not unread:
            self._read_vetoes()
        total = computed = None
        if subtotal is not None and not unread and not self.errors:  # a sum over inputs with errors is no total
            total = Fraction(subtotal)
            for block in blocks:
                total += Fraction(block.total) if block.kind == "bonus" else -Fraction(block.total)
            bonus_room = sum((Fraction(b.cap if b.cap is not None else sum((i.points for i in b.items), Decimal(0))))
                             for b in blocks if b.kind == "bonus")
            computed = half_up(min(max(total, Fraction(0)), Fraction(self.plan.total) + bonus_room), self.plan.places)
            total = self._vetoed(computed)
        incomplete = status != "scored" or any(r.status in ("missing", "error") for r in nodes) or any(
            item.status in ("missing", "error") for block in blocks for item in block.items)
        # A partial total (some leaf 未评) is no evaluation's total: a grade read from it would mislead.
        grade = self._grade(total) if total is not None and not incomplete else None
        errors = tuple(e for _, e in sorted(self.errors, key=lambda pair: (pair[0], str(pair[1]))))
        own_note = next((self.notes[(k,)] for k in TOTAL_NAMES if (k,) in self.notes), None)
        total_note = own_note  # idsl's sentences on the total (rescaled, shared, vetoed) only beside a total
        if total is not None:
            total_note = "；".join(filter(None, [own_note, rescaled, shared])) or None
        held: list[tuple[str, str]] = []
        if total is not None and not unread:  # say which veto changed the total or the grade
            held = self._vetoes_held(total, grade, computed)
            total_note = "；".join(filter(None, [total_note, "".join(text for _kind, text in held)])) or None
        result = Result(self.plan.title, self.plan.fingerprint, self.plan.places, self.plan.total, tuple(nodes),
                        blocks, subtotal, total, grade, incomplete, errors, (), self.inputs.unit, total_note,
                        self.defects is not None, self.defects.errors if self.defects else (), tuple(self.warnings),
                        self.plan.layout.labels, own_note=own_note)
        complete = total is not None and not incomplete  # as the grade: none for a partial total
        result = attrs.evolve(result, consequences=self._consequences(total if complete else None),
                              vetoes=tuple(dict.fromkeys(kind for kind, _text in held)))
        differences, audit_errors = audit(self.plan, result, recorded)
        if audit_errors:  # a recorded value the audit cannot compare is an input error: no total beside it
            result = result.without_total()
            differences, _same = audit(self.plan, result, recorded)
            errors = errors + tuple(audit_errors)
        return attrs.evolve(result, audit=tuple(differences), audited=len(recorded), errors=errors)

    def _total_env(self, total: Decimal) -> Env:
        """The total and the 共用 inputs, as the total's and the grade's expressions (一票否决/否优) read them."""
        shared = Fetch(Values({}), {}, self.shared, self.shared_refused)
        value = Fraction(total)
        counted = getattr(self, "counted", {})
        return Env(lambda field: value if field.role == "total" else counted[field.owner] if field.role == LEAF_ROLE
                   else shared(field))

    def _read_vetoes(self) -> None:
        """The conditions over 共用 of the total (一票否决, 总分上限) and of 一票否优 read on the unit's inputs, whatever
        else it gives (as a batch does): one that cannot be read (a questionnaire nobody answered) is an error of
        共用, and the unit has no total."""
        env = self._total_env(Decimal(0))  # what they read of 共用 does not depend on the total
        try:
            self.closures["总分"](env)
            if "一票否优" in self.closures:
                self.closures["一票否优"](env)
        except Failure as problem:
            self._error(InputError(SHARED, problem.field, problem.message, problem.hint), (-1,))

    def _vetoed(self, total: Decimal) -> Decimal:
        """The total after 一票否决 (0 while a veto's condition holds) and 总分上限; their conditions read already."""
        return half_up(self.closures["总分"](self._total_env(total)), self.plan.places)

    def _vetoes_held(self, total: Decimal, grade: str | None, computed: Decimal) -> list[tuple[str, str]]:
        """The vetoes that held (each 一票否决, a 一票否优 where it capped the grade), the 等级不高于 that lowered the
        grade and a 总分上限 that lowered the total: each as its keyword and the sentence idsl score prints."""
        env, held = self._total_env(total), []
        for veto, cond in veto_conditions(self.plan):
            if not build(cond)(env):
                continue
            if veto.kind == "top" and (grade is None or not self._capped(total, grade)):
                continue
            held.append(("一票否优" if veto.kind == "top" else "一票否决", veto_text(self.plan, veto)))
        held.extend(("等级不高于", note) for note in limit_notes(self.plan, self.counted, grade, self._base_grade(total)))
        vetoed = any(v.kind == "total" for v, _c in veto_conditions(self.plan) if build(_c)(env))
        if self.plan.total_cap is not None and total < computed and not vetoed:
            held.append(("总分上限", f"总分上限为{expr_text(self.plan.total_cap)}，总分由{format_points(computed)}分降为"
                                  f"{format_points(total)}分。"))
        return held

    def _capped(self, total: Decimal, grade: str) -> bool:
        """Whether 一票否优 gave this grade: the next one, for a total the top grade admits."""
        ranked = ranked_grades(self.plan.grades)
        return len(ranked) > 1 and grade == ranked[1].grade and self._base_grade(total) == ranked[0].grade

    def _base_grade(self, total: Decimal) -> str | None:
        """The grade of the total before 一票否优 and 等级不高于."""
        try:
            return build(lower_grade(attrs.evolve(self.plan, vetoes=(), grade_limits=())))(self._total_env(total))
        except (Missing, Failure):
            return None

    def _consequences(self, total: Decimal | None) -> tuple[tuple[str, str | None], ...]:
        """Each 结果's value for the reported total; None where the unit has no grade (a partial total)."""
        found = []
        for name, run in self.consequences:
            try:
                found.append((name, run(self._total_env(total)) if total is not None else None))
            except (Missing, Failure):
                found.append((name, None))
        return tuple(found)

    def _grade(self, total: Decimal) -> str | None:
        """The grade band of the total (一票否优 included); None where no band holds (E407 reports such gaps).
        Every 共用 input it reads is one of `veto_fields`, so a unit without one has no total to grade."""
        try:
            return self.grade(self._total_env(total))
        except Failure:
            return None

    def _node(self, node: Node, out: list[NodeResult]) -> NodeResult:
        if node.leaf is not None:
            row = score_leaf(self, node, "leaf")
            out.append(row)
            return row
        if node.pool is not None:  # 择一 / 任选 k 项 / 取最高 k 项
            return score_pool(self, node, out)
        index = len(out)
        out.append(None)  # type: ignore[arg-type]  # the branch's row goes before its children
        children = [self._node(child, out) for child in node.children]
        held = self._held(children)  # with 按实际适用分值折算 a branch is not rescaled: the total is
        score, status = branch_score(children, node.points, self.plan.places, held, rescale=held is None)
        shared = None  # 分值平均分配给同级指标: the children left out hand their points to the others
        if self.plan.share_siblings:
            score, status, shared = shared_score(children, node.points, self.plan.places)
        row = NodeResult(node.path, node.name, node.level, "branch", node.points, score,
                         score_rate(score, node.points), shared, self.notes.get(node.path), status)
        out[index] = row
        if held is not None:
            self.held[node.path] = sum(held, Decimal(0))
        return row

    def _held(self, children: list[NodeResult]) -> list[Decimal] | None:
        """With 按实际适用分值折算: each child's applicable points (a leaf left out holds 0, a branch its
        children's), which the total is rescaled by; None when each parent rescales (不适用 剔除)."""
        if not self.plan.rescale_total:
            return None
        held = []
        for child in children:
            if child.kind == "leaf":
                self.held[child.path] = Decimal(0) if child.status == "not_applicable" else child.points
            held.append(self.held[child.path])
        return held

    def _block(self, block) -> BlockResult:
        verb = "加" if block.kind == "bonus" else "扣"
        items = tuple(score_leaf(self, item, "item", verb=verb) for item in block.items)
        total = sum((Fraction(i.score) for i in items if i.score is not None), Fraction(0))
        if block.cap is not None:
            total = min(total, Fraction(block.cap))
        failed = any(i.status == "error" for i in items)  # as a branch: no sum without an item the inputs could not score
        return BlockResult(block.kind, block.name, block.cap, None if failed else half_up(total, self.plan.places),
                           items, self.notes.get((block.name,)))


__all__ = ["STATUSES", "AuditDifference", "BlockResult", "NodeResult", "Result", "peer_values", "score"]
