"""The interpreter's one leaf: its inputs bound and checked, 适用 若, 不适用 and 无数据时 不适用 applied, its rule run, its
reason worded."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable

from idsl.engines.evaluate import Env, Failure, Missing, Refused, build, evaluate
from idsl.engines.leaf import Fetch, finish, given, missing_hint, worded_failure
from idsl.engines.published import unnamed, unscorable
from idsl.engines.result import NodeResult, score_rate
from idsl.io.inputfile import REASON, SHARED
from idsl.io.inputs import InputError, LeafBinder, Values, funds_errors, reason_below
from idsl.semantics import explain as ex
from idsl.semantics import reasons
from idsl.semantics.adjust import adjust_sentence, base_score
from idsl.semantics.applies import gate_fails, leaf_gate
from idsl.semantics.classes import not_needed
from idsl.semantics.lower import DISCRETION_CUT
from idsl.semantics.nodata import blanks
from idsl.semantics.model import Node
from idsl.semantics.numbers import half_up
from idsl.semantics.places import leaf_floor
from idsl.semantics.program import SECTION_VETO, LeafIR, section_vetoes, veto_text


def score_leaf(scorer: Any, node: Node, kind: str, verb: str = "得") -> NodeResult:
    """A leaf's (or a 加分/扣分 item's) row: its inputs bound and checked, its rule run, its reason worded."""
    assert node.leaf is not None
    row = _row_of(scorer, node, kind)
    defect = unscorable(node.leaf) if scorer.defects is not None else None
    if defect is not None:
        return row(None, reasons.unscored(defect), "missing")
    binder, values, part_values, why = _bound(scorer, node, kind)
    position = (scorer.order.get(node.path, 0),)
    if values.not_applicable or why:
        return _left_out(scorer, node, why or "", row)
    missing = _missing(scorer, node, binder, values, part_values)
    if binder.errors:
        if missing and not scorer.allow_missing:
            for field in missing:
                scorer._error(InputError(node.key, field, "缺少输入。", missing_hint(node, field)), position)
        return row(None, None, "error")
    if missing:
        if scorer.allow_missing:
            return row(None, reasons.missing(missing), "missing")
        for field in missing:
            scorer._error(InputError(node.key, field, "缺少输入。", missing_hint(node, field)), position)
        return row(None, None, "error")
    return _scored(scorer, node, row, values, part_values, verb, position)


def _row_of(scorer: Any, node: Node, kind: str) -> Callable[..., NodeResult]:
    """How the leaf's row is made from a score, a reason and a status (its note, as published its defects, added)."""
    note = scorer.notes.get(node.path)

    def row(score: Decimal | None, reason: str | None, status: str, remark: str | None = None) -> NodeResult:
        rate = score_rate(score, node.points) if status == "scored" and kind != "item" else None
        if scorer.defects is not None:
            reason = reasons.with_defects(reason, unnamed(scorer.defects.of(node), reason))
        return NodeResult(node.path, node.name, node.level, kind, node.points, score, rate,
                          reasons.with_note(reasons.with_note(reason, remark), note), note, status)

    return row


def _bound(scorer: Any, node: Node, kind: str) -> tuple[LeafBinder, Values, dict[str, Values], str | None]:
    """The leaf's inputs bound, their errors reported; with the sentence saying why 适用 若 left the leaf out."""
    binder = LeafBinder(node, scorer.raw.get(node.path), penalty=kind == "item",
                        ignore_unknown=scorer.defects is not None)
    values, part_values = binder.bind()
    form = scorer.plan.form
    if form is not None and form.leaf is not None and node.path == (form.leaf.name,):
        binder.errors.extend(funds_errors(form, node.key, values.fields))  # 其中 rows against the total
    gate = leaf_gate(node)  # 适用 若: an answer that leaves the leaf out makes its other inputs irrelevant
    why = None
    if gate is not None and not values.not_applicable and gate_fails(gate, _answer(gate.name, values, part_values)):
        binder.errors[:] = [e for e in binder.errors if (e.field or "").split(".")[-1] == gate.name]
        why = reasons.gate_failed(gate.name, not gate.wanted)
    for error in binder.errors:
        scorer._error(error, (scorer.order.get(node.path, 0),))
    scorer.warnings.extend(binder.ignored)
    return binder, values, part_values, why


def _missing(scorer: Any, node: Node, binder: LeafBinder, values: Values, part_values: dict[str, Values]) -> list[str]:
    """The fields the leaf's rule needs and the inputs leave blank."""
    missing = list(values.missing) + [m for name, v in part_values.items() for m in v.missing]
    # A field named by a misspelled key is reported once, as the misspelling ("did you mean").
    missing = [m for m in dict.fromkeys(missing) if m.split(".")[-1] not in binder.suggested]
    unused = not_needed(node.leaf, scorer.shared)  # 按类别: the inputs only other classes' rules read
    return [m for m in missing if m not in unused]


def _missing_error(scorer: Any, node: Node, gone: Missing, position: tuple) -> None:
    """A field the rule reads left blank, as an input error. A 共用 input is the unit's, not the leaf's: named once,
    under 共用, whichever leaves read it (as a batch lists it once, under its cell); not at all where its reader
    refused the value (that error is the one) or a veto reads it (reported once, as the spec's)."""
    if isinstance(gone, Refused) or gone.field in scorer.veto_inputs:
        return
    if gone.field.startswith(f"{SHARED}."):
        scorer._error_once(InputError(SHARED, gone.field.removeprefix(f"{SHARED}."), "缺少输入。", gone.hint), (-1,))
        return
    scorer._error(InputError(node.key, gone.field, "缺少输入。", gone.hint), position)


def _scored(scorer: Any, node: Node, row: Callable[..., NodeResult], values: Values, part_values: dict[str, Values],
            verb: str, position: tuple) -> NodeResult:
    """The leaf's rule run on its inputs: its score and reason, or the failure reported."""
    as_published = scorer.defects is not None
    leaf_ir = scorer.program.leaf(node.key)
    fetch = Fetch(values, part_values, scorer.shared, scorer.shared_refused)
    blank = [b.field.declared for b in blanks(leaf_ir.unit.absent) if evaluate(b, Env(fetch))]
    if blank:  # 无数据时 不适用: a blank 可缺 input leaves the leaf out (its other inputs given)
        return _left_out(scorer, node, reasons.no_data(blank), row)
    trace: dict[str, Any] = {}
    try:
        rounded = scorer.closures[node.key](Env(fetch, trace, scorer.peers,
                                                 None if scorer.peers is not None else scorer.reference))
    except Missing as gone:
        if scorer.allow_missing:
            return row(None, reasons.missing([gone.field]), "missing")
        _missing_error(scorer, node, gone, position)
        return row(None, None, "error")
    except Failure as problem:
        message = worded_failure(leaf_ir, problem, trace)
        if as_published:  # the published rule gives no score here: a finding of the review, not an input error
            return row(None, reasons.unscored(message), "missing")
        scorer._error(InputError(node.key, problem.field, message, problem.hint), position)
        return row(None, None, "error")
    score = half_up(rounded, scorer.plan.places_of(node))  # a leaf's own 小数 N 位 (§11.14)
    if trace.get(SECTION_VETO) == 1:  # 一票否决 of the leaf's section: 0, whatever the rule gives
        return row(score, _section_vetoed(scorer, node), "scored")
    # 扣分须说明理由 (a leaf of parts has its 理由 in each part's values)
    stated = values.reason or next((v.reason for v in part_values.values() if v.reason), None)
    if node.reason_below and score < node.points and stated is None:
        scorer._error(InputError(node.key, REASON, *reason_below(node.points)), position)
        return row(None, None, "error")
    reason = _reason(scorer, leaf_ir, trace, score, values, part_values, verb)
    reason = finish(trace["exact"], leaf_ir.points, reason, held=not as_published, floor=leaf_floor(node))
    used = isinstance(leaf_ir.unit.explain, (ex.DiscretionaryText, ex.QualitativeText, ex.GradedText)) or any(
        m.state == "partial" for m in values.items or ()) or bool(values.fields.get(DISCRETION_CUT)) \
        or _judged(leaf_ir.unit, trace)
    remark = None if used else values.reason  # an unused 理由 reads as a note
    if stated and not used and node.reason_below and score < node.points:  # the reason of the cut
        remark = f"扣分理由：{stated}"
    return row(score, reason, "scored", remark)


def _left_out(scorer: Any, node: Node, why: str, row: Callable[..., NodeResult]) -> NodeResult:
    """A leaf that does not apply: its full points (不适用 得满分), else left out as the spec's 不适用 line says."""
    if node.not_applicable == "full":
        full = half_up(node.points, scorer.plan.places_of(node))
        return row(full, why + reasons.not_applicable_full(full), "scored")
    return row(None, why + reasons.not_applicable_excluded(scorer.plan.rescale_total, scorer.plan.share_siblings),
               "not_applicable")


def _judged(unit, trace: dict[str, Any]) -> bool:
    """Whether the case that applied is 无数据时 酌情, whose sentence carries the evaluator's 理由."""
    chosen = trace.get(unit.special_tag) if unit.special_tag else None
    return bool(chosen) and bool(unit.specials[chosen - 1].judged)


def _section_vetoed(scorer: Any, node: Node) -> str:
    """The sentences of the section vetoes over a leaf that held."""
    env = scorer._total_env(Decimal(0))
    return "".join(veto_text(scorer.plan, veto) for path, veto, cond in section_vetoes(scorer.plan)
                   if node.path[:len(path)] == path and build(cond)(env))


def _reason(scorer: Any, leaf_ir: LeafIR, trace: dict[str, Any], score: Decimal, values: Values,
            part_values: dict[str, Values], verb: str) -> str:
    """The sentence of the evaluation that gave the score (for 分项: each part's, then the sum)."""
    unit = leaf_ir.unit
    adjusts = leaf_ir.node.leaf.adjusts if leaf_ir.node.leaf is not None else ()
    chosen = trace.get(unit.special_tag) if unit.special_tag else None
    if chosen and unit.specials[chosen - 1].points == 0:  # 不得分 by a special case: nothing added or cut
        adjusts = ()
    if adjusts and not leaf_ir.parts:  # §11.12: the rule's own score, then what each line moved
        ruled = ex.word(unit.explain, unit.specials, unit.special_tag, trace,
                        base_score(trace, leaf_ir.points, scorer.plan.places_of(leaf_ir.node), leaf_floor(leaf_ir.node)),
                        leaf_ir.points, given(values), verb)
        return adjust_sentence(ruled, adjusts, trace, score, values.reason)
    if not leaf_ir.parts or trace.get(unit.special_tag):
        return ex.word(unit.explain, unit.specials, unit.special_tag, trace, score, leaf_ir.points,
                       given(values), verb)
    pieces, shown = [], []
    for part in leaf_ir.parts:
        exact = trace[f"{part.name}/exact"]
        held = min(max(exact, Fraction(0)), part.points) if scorer.program.held else exact
        shown.append(part_shown(held, scorer.plan.places))
        pieces.append((part.name, ex.word(part.unit.explain, part.unit.specials, part.unit.special_tag, trace,
                                          shown[-1], part.points, given(part_values[part.name]), verb)))
    total = half_up(trace["exact"], scorer.plan.places)
    return reasons.parts(pieces, total, verb, rounded=sum(shown, Decimal(0)) != total)


def part_shown(held: Fraction, places: int) -> Decimal:
    """A part's score as its reason shows it: the parts are summed before the leaf rounds, so a part one
    decimal finer than the spec keeps it (1.45 at one decimal, as its 评分标准 prints it); others are rounded."""
    finer = half_up(held, places + 1)
    return finer if finer == held else half_up(held, places)


def _answer(name: str, values: Values, part_values: dict[str, Values]) -> Any:
    """An input of the leaf's own (for a leaf of parts, bound in each part's values)."""
    if name in values.fields:
        return values.fields[name]
    return next((v.fields[name] for v in part_values.values() if name in v.fields), None)
