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
from typing import Any, Sequence

import attrs

from idsl.diagnostics import Diagnostic
from idsl.engines.audit import GRADE_KEYS, audit
from idsl.engines.evaluate import Env, Failure, Missing, build, evaluate
from idsl.engines.leaf import Fetch, closures, finish, given, missing_hint, worded_failure
from idsl.engines.published import Defects, unnamed, unscorable
from idsl.engines.reference import References
from idsl.engines.pools import score_pool
from idsl.engines.result import STATUSES, AuditDifference, BlockResult, NodeResult, Result, score_rate
from idsl.io.inputfile import REASON
from idsl.io.inputs import (SHARED, InputError, Inputs, LeafBinder, Values, bind_shared, funds_errors,
                            reason_below_text, unknown_key_error)
from idsl.semantics.applies import gate_fails, leaf_gate
from idsl.semantics.classes import not_needed
from idsl.semantics import explain as ex
from idsl.semantics import reasons
from idsl.semantics.adjust import adjust_sentence, base_score
from idsl.semantics.lower import DISCRETION_CUT
from idsl.semantics.model import Node, Plan
from idsl.semantics.places import leaf_floor
from idsl.semantics import ir
from idsl.semantics.numbers import format_points, half_up
from idsl.semantics.phrases import expr_text
from idsl.engines.limits import leaf_scores, limit_notes
from idsl.semantics.grade_limits import LEAF_ROLE
from idsl.semantics.program import (SECTION_VETO, TOTAL_NAMES, LeafIR, lower_grade, lower_program, ranked_grades,
                                   section_vetoes, veto_conditions, veto_text)


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
            fetch = Fetch(values, part_values, self.shared)
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
        subtotal, status = _combine(top, self.plan.total, self.plan.places, held)
        shared = None  # 分值平均分配给同级指标 at level 1: the sentence saying how
        if self.plan.share_siblings:
            subtotal, status, shared = _share(top, self.plan.total, self.plan.places)
        rescaled = None  # 按实际适用分值折算, where some leaf was left out: the sentence saying how
        if held is not None and subtotal is not None and sum(held, Decimal(0)) != self.plan.total:
            earned = sum((c.score for c in top if c.score is not None), Decimal(0))
            rescaled = reasons.rescaled_total(earned, sum(held, Decimal(0)), self.plan.total, subtotal)
        blocks = tuple(self._block(block) for block in self.plan.adjustments)
        unread = list(dict.fromkeys(f.declared for f in self.program.veto_fields if f.declared not in self.shared))
        for name in unread:  # a veto read on a blank input would pass silently: the unit is not scored
            self._error(InputError(SHARED, f"{SHARED}.{name}", "缺少输入（一票否决、一票否优或总分上限要用）。",
                                   f"在 \"共用\" 里给出 \"{name}\"。"), (-1,))
        total = computed = None
        if subtotal is not None and not unread:
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
        total_note = "；".join(filter(None, [next((self.notes[(k,)] for k in TOTAL_NAMES if (k,) in self.notes), None),
                                            rescaled, shared])) or None
        held: list[tuple[str, str]] = []
        if total is not None and not unread:  # say which veto changed the total or the grade
            held = self._vetoes_held(total, grade, computed)
            total_note = "；".join(filter(None, [total_note, "".join(text for _kind, text in held)])) or None
        result = Result(self.plan.title, self.plan.fingerprint, self.plan.places, self.plan.total, tuple(nodes),
                        blocks, subtotal, total, grade, incomplete, errors, (), self.inputs.unit, total_note,
                        self.defects is not None, self.defects.errors if self.defects else (), tuple(self.warnings),
                        self.plan.layout.labels)
        differences, audit_errors = audit(self.plan, result, recorded)
        if audit_errors:
            errors = errors + tuple(audit_errors)
        complete = total is not None and not incomplete  # as the grade: none for a partial total
        result = attrs.evolve(result, consequences=self._consequences(total if complete else None),
                              vetoes=tuple(dict.fromkeys(kind for kind, _text in held)))
        return attrs.evolve(result, audit=tuple(differences), errors=errors)

    def _total_env(self, total: Decimal) -> Env:
        """The total and the 共用 inputs, as the total's and the grade's expressions (一票否决/否优) read them."""
        shared = Fetch(Values({}), {}, self.shared)
        value = Fraction(total)
        counted = getattr(self, "counted", {})
        return Env(lambda field: value if field.role == "total" else counted[field.owner] if field.role == LEAF_ROLE
                   else shared(field))

    def _vetoed(self, total: Decimal) -> Decimal | None:
        """The total after 一票否决: 0 while a veto's condition holds; None when a condition cannot be read."""
        try:
            return half_up(self.closures["总分"](self._total_env(total)), self.plan.places)
        except Missing as gone:
            self._error(InputError(SHARED, gone.field, "缺少输入（一票否决的条件要用）。", gone.hint), (-1,))
        except Failure as problem:
            self._error(InputError(SHARED, problem.field, problem.message, problem.hint), (-1,))
        return None

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
        """The grade band of the total (一票否优 included); None where no band holds (E407 reports such gaps)."""
        try:
            return self.grade(self._total_env(total))
        except Missing as gone:
            self._error(InputError(SHARED, gone.field, "缺少输入（一票否优的条件要用）。", gone.hint), (-1,))
        except Failure:
            pass
        return None

    def _node(self, node: Node, out: list[NodeResult]) -> NodeResult:
        if node.leaf is not None:
            row = self._leaf(node, "leaf")
            out.append(row)
            return row
        if node.pool is not None:  # 择一 / 任选 k 项 / 取最高 k 项
            return score_pool(self, node, out)
        index = len(out)
        out.append(None)  # type: ignore[arg-type]  # the branch's row goes before its children
        children = [self._node(child, out) for child in node.children]
        held = self._held(children)  # with 按实际适用分值折算 a branch is not rescaled: the total is
        score, status = _combine(children, node.points, self.plan.places, held, rescale=held is None)
        shared = None  # 分值平均分配给同级指标: the children left out hand their points to the others
        if self.plan.share_siblings:
            score, status, shared = _share(children, node.points, self.plan.places)
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
            rate = score_rate(score, node.points) if status == "scored" and kind != "item" else None
            if self.defects is not None:
                reason = reasons.with_defects(reason, unnamed(self.defects.of(node), reason))
            return NodeResult(node.path, node.name, node.level, kind, node.points, score, rate,
                              reasons.with_note(reasons.with_note(reason, remark), note), note, status)

        assert node.leaf is not None
        defect = unscorable(node.leaf) if as_published else None
        if defect is not None:
            return row(None, reasons.unscored(defect), "missing")
        binder = LeafBinder(node, raw, penalty=kind == "item", ignore_unknown=as_published)
        values, part_values = binder.bind()
        position = (self.order.get(node.path, 0),)
        form = self.plan.form
        if form is not None and form.leaf is not None and node.path == (form.leaf.name,):
            binder.errors.extend(funds_errors(form, node.key, values.fields))  # 其中 rows against the total
        gate = leaf_gate(node)  # 适用 若: an answer that leaves the leaf out makes its other inputs irrelevant
        why = None
        if gate is not None and not values.not_applicable and gate_fails(gate, _answer(gate.name, values, part_values)):
            binder.errors[:] = [e for e in binder.errors if (e.field or "").split(".")[-1] == gate.name]
            why = reasons.gate_failed(gate.name, not gate.wanted)
        for error in binder.errors:
            self._error(error, position)
        self.warnings.extend(binder.ignored)

        if values.not_applicable or why:
            if node.not_applicable == "full":
                full = half_up(node.points, self.plan.places_of(node))
                return row(full, (why or "") + reasons.not_applicable_full(full), "scored")
            return row(None, (why or "") + reasons.not_applicable_excluded(self.plan.rescale_total,
                                                                          self.plan.share_siblings),
                       "not_applicable")
        missing = list(values.missing) + [m for name, v in part_values.items() for m in v.missing]
        # A field named by a misspelled key is reported once, as the misspelling ("did you mean").
        missing = [m for m in dict.fromkeys(missing) if m.split(".")[-1] not in binder.suggested]
        unused = not_needed(node.leaf, self.shared)  # 按类别: the inputs only other classes' rules read
        missing = [m for m in missing if m not in unused]
        if binder.errors:
            if missing and not self.allow_missing:
                for field in missing:
                    self._error(InputError(node.key, field, "缺少输入。", missing_hint(node, field)), position)
            return row(None, None, "error")
        if missing:
            if self.allow_missing:
                return row(None, reasons.missing(missing), "missing")
            for field in missing:
                self._error(InputError(node.key, field, "缺少输入。", missing_hint(node, field)), position)
            return row(None, None, "error")
        leaf_ir = self.program.leaf(node.key)
        trace: dict[str, Any] = {}
        try:
            rounded = self.closures[node.key](Env(Fetch(values, part_values, self.shared), trace, self.peers,
                                                     None if self.peers is not None else self.reference))
        except Missing as gone:
            if self.allow_missing:
                return row(None, reasons.missing([gone.field]), "missing")
            self._error(InputError(node.key, gone.field, "缺少输入。", gone.hint), position)
            return row(None, None, "error")
        except Failure as problem:
            message = worded_failure(leaf_ir, problem, trace)
            if as_published:  # the published rule gives no score here: a finding of the review, not an input error
                return row(None, reasons.unscored(message), "missing")
            self._error(InputError(node.key, problem.field, message, problem.hint), position)
            return row(None, None, "error")
        score = half_up(rounded, self.plan.places_of(node))  # a leaf's own 小数 N 位 (§11.14)
        if trace.get(SECTION_VETO) == 1:  # 一票否决 of the leaf's section: 0, whatever the rule gives
            return row(score, self._section_vetoed(node), "scored")
        # 扣分须说明理由 (a leaf of parts has its 理由 in each part's values)
        stated = values.reason or next((v.reason for v in part_values.values() if v.reason), None)
        if node.reason_below and score < node.points and stated is None:
            self._error(InputError(node.key, REASON, reason_below_text(node.points), "加上 \"理由\": \"…\"。"), position)
            return row(None, None, "error")
        reason = self._reason(leaf_ir, trace, score, values, part_values, verb)
        reason = finish(trace["exact"], leaf_ir.points, reason, held=not as_published, floor=leaf_floor(node))
        used = isinstance(leaf_ir.unit.explain, (ex.DiscretionaryText, ex.QualitativeText, ex.GradedText)) or any(
            m.state == "partial" for m in values.items or ()) or bool(values.fields.get(DISCRETION_CUT))
        remark = None if used else values.reason  # an unused 理由 reads as a note
        if stated and not used and node.reason_below and score < node.points:  # the reason of the cut
            remark = f"扣分理由：{stated}"
        return row(score, reason, "scored", remark)

    def _section_vetoed(self, node: Node) -> str:
        """The sentences of the section vetoes over a leaf that held."""
        env = self._total_env(Decimal(0))
        return "".join(veto_text(self.plan, veto) for path, veto, cond in section_vetoes(self.plan)
                       if node.path[:len(path)] == path and build(cond)(env))

    def _reason(self, leaf_ir: LeafIR, trace: dict[str, Any], score: Decimal, values: Values,
                part_values: dict[str, Values], verb: str) -> str:
        """The sentence of the evaluation that gave the score (for 分项: each part's, then the sum)."""
        unit = leaf_ir.unit
        adjusts = leaf_ir.node.leaf.adjusts if leaf_ir.node.leaf is not None else ()
        chosen = trace.get(unit.special_tag) if unit.special_tag else None
        if chosen and unit.specials[chosen - 1].points == 0:  # 不得分 by a special case: nothing added or cut
            adjusts = ()
        if adjusts and not leaf_ir.parts:  # §11.12: the rule's own score, then what each line moved
            ruled = ex.word(unit.explain, unit.specials, unit.special_tag, trace,
                            base_score(trace, leaf_ir.points, self.plan.places_of(leaf_ir.node), leaf_floor(leaf_ir.node)),
                            leaf_ir.points, given(values), verb)
            return adjust_sentence(ruled, adjusts, trace, score, values.reason)
        if not leaf_ir.parts or trace.get(unit.special_tag):
            return ex.word(unit.explain, unit.specials, unit.special_tag, trace, score, leaf_ir.points,
                           given(values), verb)
        pieces = []
        for part in leaf_ir.parts:
            exact = trace[f"{part.name}/exact"]
            held = min(max(exact, Fraction(0)), part.points) if self.program.held else exact
            shown = half_up(held, self.plan.places)
            pieces.append((part.name, ex.word(part.unit.explain, part.unit.specials, part.unit.special_tag, trace,
                                              shown, part.points, given(part_values[part.name]), verb)))
        return reasons.parts(pieces, half_up(trace["exact"], self.plan.places), verb)


def _answer(name: str, values: Values, part_values: dict[str, Values]) -> Any:
    """An input of the leaf's own (for a leaf of parts, bound in each part's values)."""
    if name in values.fields:
        return values.fields[name]
    return next((v.fields[name] for v in part_values.values() if name in v.fields), None)


def _combine(children: list[NodeResult], points: Decimal, places: int, held: list[Decimal] | None = None,
             rescale: bool = True) -> tuple[Decimal | None, str]:
    """A parent's score from its children's rounded scores (rescaled when some are 不适用 剔除). With `held`
    (按实际适用分值折算) a branch adds its children as they are and only the total (`rescale`) is rescaled,
    by the applicable points of the leaves below it."""
    applicable = [c for c in children if c.status != "not_applicable"]
    if not applicable:
        return None, "not_applicable"
    scored = [c for c in applicable if c.score is not None]
    if not scored:
        return None, "missing"
    exact = sum((c.score for c in scored), Decimal(0))  # leaves may be finer than the header (§11.14)
    if not rescale or (held is None and len(applicable) == len(children)):
        return half_up(exact, places), "scored"
    applicable_points = sum(held, Decimal(0)) if held is not None else sum((c.points for c in applicable), Decimal(0))
    if not applicable_points:
        return None, "not_applicable"
    # Rounded once, after the rescaling: a sum rounded first would round twice (6.456 → 6.46 → 13.42, not 13.41).
    return half_up(Fraction(exact) * Fraction(points) / Fraction(applicable_points), places), "scored"


def _share(children: list[NodeResult], points: Decimal, places: int) -> tuple[Decimal | None, str, str | None]:
    """分值平均分配给同级指标: the children left out hand their points equally to the applicable ones, each of
    which counts its score × (its points + the share) ÷ its points; the sum is exact, rounded half up once.
    Returns the score, the status and, where some child was left out, the sentence saying how."""
    applicable = [c for c in children if c.status != "not_applicable"]
    if not applicable:
        return None, "not_applicable", None
    scored = [c for c in applicable if c.score is not None]
    if not scored:
        return None, "missing", None
    if len(applicable) == len(children):
        return half_up(sum((c.score for c in scored), Decimal(0)), places), "scored", None
    left_out = [c for c in children if c.status == "not_applicable"]
    share = sum((Fraction(c.points) for c in left_out), Fraction(0)) / len(applicable)
    exact = sum((Fraction(c.score) * (Fraction(c.points) + share) / Fraction(c.points)
                 for c in scored if c.points), Fraction(0))
    score = half_up(exact, places)
    return score, "scored", reasons.shared_points([c.name for c in left_out], len(applicable), share, score)


__all__ = ["STATUSES", "AuditDifference", "BlockResult", "NodeResult", "Result", "peer_values", "score"]
