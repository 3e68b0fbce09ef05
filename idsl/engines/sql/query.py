"""The whole query: each leaf's printed score, the tree's sums, the blocks, the total, the grade, the errors and the audit."""

from __future__ import annotations

import math
from fractions import Fraction

import attrs

from idsl.engines.sql.compiler import Compiler
from idsl.engines.sql.fragments import (FALSE, ONE, TRUE, ZERO, Cond, Dec, Err, SqlError, absolute, add, c_and, c_not,
                                        c_or, case, class_needs, cmp, err_seq, lit, mul, string, sub)
from idsl.engines.sql.limits import MAX_DECIMALS
from idsl.engines.sql.node_score import NodeScore, null_if
from idsl.engines.sql.peers import rank_of
from idsl.engines.sql.pools import pool_score
from idsl.engines.sql.printer import MISSING, Printer, as_label, failure_text, shared_blank
from idsl.engines.sql.quantities import Q
from idsl.io.columns import CLASS_HEADER, GRADE, RECORDED, TOTAL, UNIT, Column, class_exempt, header
from idsl.io.inputs import reason_below
from idsl.semantics.applies import leaf_gate
from idsl.semantics.explain import BandsText
from idsl.semantics import ir
from idsl.semantics.ir import fields
from idsl.semantics.model import Node
from idsl.semantics.numbers import half_up
from idsl.semantics.places import finer_than
from idsl.semantics.program import SECTION_VETO, TOTAL_FIELD, LeafIR, Program, lower_program, rank_set
from idsl.semantics.scope import SHARED

ERRORS = "错误"  # the output column listing what stopped a unit being scored
DIFF = "差异"  # audit columns: <key>.差异 = recorded − computed
SUBTOTAL = "小计"  # a level-1 subtotal's column: <name>.小计 (unique even where the level-1 is a leaf)
RANK = "名次"  # a leaf whose rule ranks the units: <key>.名次, the unit's rank among the units scored together
TOTAL_RANK = "总分名次"  # with 总分排名: the unit's rank by its total among the units with a complete total
UNSCORED = "未评"  # with allow_missing: the leaves and items left 未评 (the unit's result is incomplete)
UNSCORED_SEPARATOR = "；"
_NO_TEXT = "CAST(NULL AS VARCHAR)"  # a text column that is always NULL
_OWN = ("input", "item", "score", "tally")  # the columns a leaf needs (a blank one leaves it 未评)


def build(c: Compiler) -> str:
    """The query scoring every row of the compiler's table."""
    c.source()
    program = lower_program(c.plan)
    scores: dict[tuple[str, ...], NodeScore] = {}
    leaf_errors: list[tuple[str, Err]] = []
    leaves = {leaf.key: leaf for leaf in program.leaves}
    for node in c.plan.nodes:
        _node(c, node, leaves, scores, leaf_errors)
    items: list[tuple[Node, NodeScore]] = []
    blocks: list[tuple[str, str, Dec, Fraction]] = []  # kind, name, total, room for bonus
    by_key = {item.key: item for item in program.items}
    for block in c.plan.adjustments:
        total = ZERO
        for item in block.items:
            score = leaf_score(c, by_key[item.key], leaf_errors)
            items.append((item, score))
            total = add(total, score.counted())
        cap = Fraction(block.cap) if block.cap is not None else None
        if cap is not None:
            total = case([(cmp(total, ">", lit(cap)), lit(cap))], total)
        room = cap if cap is not None else sum((Fraction(i.points) for i in block.items), Fraction(0))
        blocks.append((block.kind, block.name, c.keep(total, "k"), room))
    subtotal = combine(c, [scores[node.path] for node in c.plan.nodes], Fraction(c.plan.total), top=True)
    total, bonus_room = subtotal.value, Fraction(0)
    for kind, _name, block_total, room in blocks:
        total = add(total, block_total) if kind == "bonus" else sub(total, block_total)
        bonus_room += room if kind == "bonus" else 0
    high = Fraction(c.plan.total) + bonus_room
    total = c.keep(case([(cmp(total, "<", ZERO), ZERO), (cmp(total, ">", lit(high)), lit(high))], total), "t")
    total = _vetoed(c, program, total, leaf_errors)
    errors = _errors(c, leaf_errors)
    failed = Cond(f"{errors} IS NOT NULL", None, 0) if leaf_errors else FALSE
    out = _outputs(c, program, scores, items, blocks, subtotal, total, errors, failed)
    names = [name for name, _text in out]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:  # the results' headers must be unique in every engine (DuckDB would rename a copy silently)
        raise SqlError(f"结果中有重名的列：{'、'.join(twice)}。")
    return c.emit(out)


def _outputs(c: Compiler, program: Program, scores, items, blocks, subtotal: NodeScore, total: Dec, errors: str,
             failed: Cond) -> list[tuple[str, str]]:
    places = c.plan.places
    out = [(UNIT, "unit_id")] + [(name, name) for name in c.carry]
    out += [(node.key, scores[node.path].output(failed, places=c.plan.places_of(node))) for node in c.plan.leaves()]
    out += [(item.key, score.output(failed, places=places)) for item, score in items]
    out += [(header(node.key, SUBTOTAL), scores[node.path].output(failed, whole_row=True, places=places))
            for node in c.plan.nodes]
    out += [(name, null_if(failed, f"CAST({block_total.text} AS DECIMAL(18,{places}))"))
            for _kind, name, block_total, _room in blocks]
    total_text = f"CAST({total.text} AS DECIMAL(18,{places}))"
    when = c_and([subtotal.applicable or TRUE, subtotal.scored or TRUE])
    if when.const is not True:
        total_text = f"CASE WHEN {when.text} THEN {total_text} END"
    out.append((TOTAL, null_if(failed, total_text)))
    grade_text = _grade(c, program, total, scores)
    if when.const is not True:
        grade_text = f"CASE WHEN {when.text} THEN {grade_text} END"
    unscored = _unscored(c, scores, items) if c.allow_missing else None
    if unscored is not None and unscored != _NO_TEXT:  # a partial total (some leaf 未评) has no grade
        grade_text = f"CASE WHEN ({unscored}) IS NULL THEN {grade_text} END"
    out.append((GRADE, null_if(failed, grade_text)))
    for name, expr in program.consequences:  # 结果: blank where the total is partial, as the grade
        value = _grade(c, attrs.evolve(program, grade=expr), total, scores)
        if when.const is not True:
            value = f"CASE WHEN {when.text} THEN {value} END"
        if unscored is not None and unscored != _NO_TEXT:
            value = f"CASE WHEN ({unscored}) IS NULL THEN {value} END"
        out.append((name, null_if(failed, value)))
    if c.plan.rank_total:
        out.append((TOTAL_RANK, _total_rank(c, null_if(failed, total_text), unscored)))
    for key in program.ranked():  # the unit's rank among the peers, where it is one of them
        peers = c.peer_sets[rank_set(program.leaf(key))]
        out.append((header(key, RANK), null_if(failed, f"CASE WHEN {peers.ok.text} THEN {rank_of(c, peers).text} END")))
    if unscored is not None:
        out.append((UNSCORED, unscored))
    out.append((ERRORS, errors))
    out.extend(_audit(c, scores, items, blocks, total_text, grade_text, failed))
    return out


# ---------------------------------------------------------------- the tree


def _node(c: Compiler, node: Node, leaves: dict[str, LeafIR], scores: dict, leaf_errors: list) -> NodeScore:
    if node.leaf is not None:
        score = leaf_score(c, leaves[node.key], leaf_errors)
    elif node.pool is not None:  # 择一 / 任选 k 项 / 取最高 k 项: the children's errors are added there
        score, children = pool_score(c, node, [leaf_score(c, leaves[child.key], []) for child in node.children],
                                     leaf_errors)
        scores.update({child.path: s for child, s in zip(node.children, children)})
    else:
        children = [_node(c, child, leaves, scores, leaf_errors) for child in node.children]
        score = combine(c, children, Fraction(node.points))
    scores[node.path] = score
    return score


def combine(c: Compiler, children: list[NodeScore], points: Fraction, top: bool = False) -> NodeScore:
    """The parent's score: the sum of its children's, rescaled when some are 不适用 剔除 (as the interpreter's
    `branch_score`); 未评 children add nothing, and a parent none of whose applicable children is scored is 未评."""
    if c.plan.rescale_total:
        return _combine_held(c, children, points, top)
    if c.plan.share_siblings and not all(child.applicable is None for child in children):
        return _combine_shared(c, children, points)
    if all(child.applicable is None and child.scored is None for child in children):
        total = ZERO
        for child in children:
            total = add(total, child.value)
        return NodeScore(_header_places(c, children, c.keep(total, "p")), None, points)
    total, applicable_points = ZERO, ZERO
    for child in children:
        total = add(total, child.counted())
        share = lit(child.points) if child.applicable is None else case([(child.applicable, lit(child.points))], ZERO)
        applicable_points = add(applicable_points, share)
    exact = c.keep(total, "p")
    total = _header_places(c, children, exact)
    every = c_and(child.applicable or TRUE for child in children)
    some = c.keep_cond(c_or(child.applicable or TRUE for child in children))
    scored = c.keep_cond(c_or(c_and([child.applicable or TRUE, child.scored or TRUE]) for child in children))
    value = total
    if every.const is not True:  # rescaled from the exact sum and rounded once, as the interpreter's `branch_score`
        applicable_points = c.keep(applicable_points, "a")
        rescaled = c.round_half_up(Q(mul(exact, lit(points)), applicable_points), c.plan.places, points)
        value = c.keep(case([(every, total)], rescaled), "p")
    return NodeScore(value, None if some.const is True else some, points, None,
                     None if scored.const is True else scored)


def _combine_held(c: Compiler, children: list[NodeScore], points: Fraction, top: bool) -> NodeScore:
    """按实际适用分值折算: a branch adds its applicable children as they are and passes their applicable
    points up; only the total is rescaled, by the points of the leaves that apply (as `branch_score` with `held`)."""
    total, held = ZERO, ZERO
    for child in children:
        total = add(total, child.counted())
        held = add(held, child.applicable_points())
    exact = c.keep(total, "p")
    total = _header_places(c, children, exact)
    some = c.keep_cond(c_or(child.applicable or TRUE for child in children))
    scored = c.keep_cond(c_or(c_and([child.applicable or TRUE, child.scored or TRUE]) for child in children))
    varies = any(child.applicable is not None or child.held is not None for child in children)
    held = c.keep(held, "a") if varies else None
    value = total
    if top and held is not None:  # from the exact sum, rounded once
        value = c.keep(c.round_half_up(Q(mul(exact, lit(points)), held), c.plan.places, points), "p")
    return NodeScore(value, None if some.const is True else some, points, None,
                     None if scored.const is True else scored, held)


def _combine_shared(c: Compiler, children: list[NodeScore], points: Fraction) -> NodeScore:
    """分值平均分配给同级指标 (as the interpreter's `shared_score`): where some child is left out, the parent is
    Σ score × (n·p + E) ÷ (n·p) over the applicable children (n of them, E the points left out), one exact
    quotient over n·M (M a common multiple of the points, so that M ÷ p is a whole number), rounded once."""
    whole = _common_multiple([child.points for child in children])
    total, count, left, num = ZERO, ZERO, ZERO, ZERO
    for child in children:
        total = add(total, child.counted())
        count = add(count, ONE if child.applicable is None else case([(child.applicable, ONE)], ZERO))
        left = add(left, ZERO if child.applicable is None else case([(child.applicable, ZERO)], lit(child.points)))
    total, count, left = _header_places(c, children, c.keep(total, "p")), c.keep(count, "a"), c.keep(left, "a")
    for child in children:
        if child.points:
            grown = add(mul(count, lit(child.points)), left)
            num = add(num, mul(mul(child.counted(), grown), lit(whole / child.points)))
    every = c_and(child.applicable or TRUE for child in children)
    some = c.keep_cond(c_or(child.applicable or TRUE for child in children))
    scored = c.keep_cond(c_or(c_and([child.applicable or TRUE, child.scored or TRUE]) for child in children))
    den = c.keep(mul(case([(cmp(count, "=", ZERO), ONE)], count), lit(whole)), "a")
    limit = max(points, sum((child.points for child in children), Fraction(0)))  # each score within its points
    shared = c.round_half_up(Q(c.keep(num, "p"), den), c.plan.places, limit)
    value = c.keep(case([(every, total)], shared), "p")
    return NodeScore(value, None if some.const is True else some, points, None,
                     None if scored.const is True else scored)


def _header_places(c: Compiler, children: list[NodeScore], total: Dec) -> Dec:
    """A sum over leaves kept finer than the header (小数 4 位, §11.14), rounded half up to the header's places
    as the interpreter's `branch_score` does; other sums are already at those places."""
    if not any(child.finer for child in children):
        return total
    return c.keep(c.round_half_up(Q(total), c.plan.places, total.bound), "p")


def _common_multiple(points: list[Fraction]) -> Fraction:
    """The least M with M ÷ p a whole number for every p (the points not 0)."""
    nonzero = [Fraction(p) for p in points if p]
    if not nonzero:
        return Fraction(1)
    scale = math.lcm(*(p.denominator for p in nonzero))
    return Fraction(math.lcm(*(int(p * scale) for p in nonzero)), scale)


def leaf_score(c: Compiler, leaf: LeafIR, leaf_errors: list) -> NodeScore:
    """One leaf's (or item's) rounded score: its IR printed, behind 不适用 and blank inputs."""
    node = leaf.node
    printer = Printer(c, allow_missing=c.allow_missing)
    for unit in [leaf.unit] + [part.unit for part in leaf.parts]:
        if isinstance(unit.explain, BandsText):
            printer.worded[unit.explain.gap] = unit.explain
    try:
        score = printer.number(leaf.score)
    except SqlError as problem:
        raise SqlError(problem.message, problem.path or node.key) from None
    value, err = c.keep(score.num, "s"), score.err
    applicable, scored, own_blank = None, None, None
    if c.allow_missing:
        value, err, scored, own_blank = _blanks(c, node, value, err)
    elif err is not None and any(f.shared for f in fields(leaf.score)):  # a blank 共用 input reached: an error
        err = _reached(err)
    if node.reason_below:  # 扣分须说明理由: checked on the score, as the interpreter does after scoring
        err = err_seq(err, _reason_below(c, node, value, scored, _section_vetoed(printer, leaf)))
    if node.not_applicable is not None:
        # A blank mark (a refused row's cells read as empty) is “applies”: a NULL here would leave the leaf
        # both counted and not counted in its parent's rescaling, a value outside every bound.
        marks = []
        if node.na_mark:
            mark = c.yes(c.input(node.key, "不适用"))
            marks.append(Cond(f"COALESCE({mark.text}, FALSE)", None, mark.layer))
        gate = leaf_gate(node)
        if gate is not None:  # 适用 若: the answer that leaves the leaf out, read as the mark is
            answer = c.input(node.key, gate.name)
            marks.append(Cond(f"COALESCE({answer.text} = {string('否' if gate.wanted else '是')}, FALSE)", None,
                              answer.layer))
        if leaf.unit.absent is not None:  # 无数据时 不适用: a blank 可缺 input leaves the leaf out, where the
            absent = printer.cond(leaf.unit.absent)[0]  # leaf's other inputs are given (else it is 未评 first)
            marks.append(absent if own_blank is None else c_and([absent, c_not(own_blank)]))
        na = c.keep_cond(c_or(marks)) if len(marks) > 1 else marks[0]
        if node.not_applicable == "full":
            value = c.keep(case([(na, lit(half_up(leaf.points, c.plan.places_of(node))))], value), "s")
            scored = None if scored is None else c.keep_cond(c_or([na, scored]))
        else:
            applicable = c.keep_cond(c_not(na))
        if err is not None:
            err = Err(f"CASE WHEN {na.text} THEN NULL ELSE {err.text} END", max(err.layer, na.layer))
    err = c.keep_err(err)
    if err is not None:
        leaf_errors.append((node.key, err))
    return NodeScore(value, applicable, leaf.points, err, scored, finer=finer_than(node, c.plan.places))


def _reached(err: Err) -> Err:
    """An error as reported where no blank is allowed: a blank 共用 input reached is no longer marked."""
    return Err(f"CASE WHEN {err.text} LIKE {string(MISSING + '%')} THEN SUBSTRING({err.text} FROM 2) "
               f"ELSE {err.text} END", err.layer)


def _section_vetoed(printer: Printer, leaf: LeafIR) -> Cond | None:
    """Whether a 一票否决 of the leaf's section holds (its score is then 0 and needs no 理由), or None."""
    score = leaf.score
    if not (isinstance(score, ir.Cases) and score.tag == SECTION_VETO):
        return None
    holds, _err = printer.cond(score.branches[0].cond)  # over 共用 inputs a scored row must give
    return holds


def _reason_below(c: Compiler, node: Node, value: Dec, scored: Cond | None, vetoed: Cond | None) -> Err:
    """扣分须说明理由: a score below the points with a blank 理由 (the reader made a blank NULL), unless a
    一票否决 of the leaf's section made it 0."""
    reason = c.input(node.key, "理由")
    when = c_and([cmp(value, "<", lit(node.points)), Cond(f"{reason.text} IS NULL", None, reason.layer)]
                 + ([scored] if scored is not None else [])
                 + ([c_not(Cond(f"COALESCE({vetoed.text}, FALSE)", None, vetoed.layer))] if vetoed is not None else []))
    message, hint = reason_below(node.points)  # listed under the 理由 column, as the interpreter's batch lists it
    return Err(f"CASE WHEN {when.text} THEN {string(failure_text(message, '理由', hint))} END",
               when.layer)


def _blanks(c: Compiler, node: Node, value: Dec, err: Err | None) -> tuple[Dec, Err | None, Cond | None, Cond]:
    """With allow_missing: a leaf with a blank input of its own is 未评 before it is evaluated, and one whose
    evaluation reaches a blank shared input is 未评 there (as the interpreter's Missing); the last of the four
    is the first condition alone."""
    blanks = [(col, c.inputs[col.header]) for col in c.columns if col.key == node.key and col.kind in _OWN
              and not (col.decl is not None and (col.decl.fill_mean or col.decl.blank_zero or col.decl.optional))]  # the mean; 0; 无数据时
    own = c_or(Cond(f"{b.text} IS NULL{_class_needs(c, col)}", None, b.layer) for col, b in blanks)
    reached = FALSE
    if err is not None:
        err = c.keep_err(err)
        reached = Cond(f"({err.text} IS NOT NULL AND {err.text} LIKE {string(MISSING + '%')})", None, err.layer)
    missing = c.keep_cond(c_or([own, reached]))
    if missing.const is False:
        return value, err, None, own
    if err is not None:
        err = Err(f"CASE WHEN {missing.text} THEN NULL ELSE {err.text} END", max(err.layer, missing.layer))
    return value, err, c_not(missing), own


def _class_needs(c: Compiler, column: Column) -> str:
    """按类别: a blank input counts only where the row's class needs it."""
    exempt = class_exempt(column)
    return class_needs(exempt, c.inputs[CLASS_HEADER].text) if exempt else ""


def _unscored(c: Compiler, scores: dict, items: list[tuple[Node, NodeScore]]) -> str:
    """The keys of the leaves and items left 未评 (a blank input), joined; NULL when every one is scored."""
    pieces = []
    for key, score in [(n.key, scores[n.path]) for n in c.plan.leaves()] + [(i.key, s) for i, s in items]:
        if score.scored is not None:
            unscored = c_and([score.applicable or TRUE, c_not(score.scored)])
            pieces.append(f"CASE WHEN {unscored.text} THEN {string(key + UNSCORED_SEPARATOR)} ELSE '' END")
    if not pieces:
        return _NO_TEXT
    return f"NULLIF(TRIM(TRAILING {string(UNSCORED_SEPARATOR)} FROM {' || '.join(pieces)}), '')"


# ---------------------------------------------------------------- the grade, the errors, the audit


def _vetoed(c: Compiler, program: Program, total: Dec, leaf_errors: list) -> Dec:
    """The total as reported (program.total): 0 under 一票否决, at most 总分上限. Every 共用 input these and
    一票否优 read is required (the interpreter's rule): a blank one stops the row, as a cap or a veto's condition
    that cannot be computed does (a questionnaire nobody answered)."""
    blanks: dict[str, list[Err]] = {}  # input → an error per blank cell (a questionnaire's: per count)
    for field in program.veto_fields:
        column = c.field(field)
        message = string(shared_blank(field, vetoed=True))
        blanks.setdefault(field.declared, []).append(Err(f"CASE WHEN {column.text} IS NULL THEN {message} END",
                                                         column.layer))
    for errs in blanks.values():  # once, at the first blank cell, as the interpreter's error is placed
        leaf_errors.append((SHARED, err_seq(*errs)))
    if program.top_veto is not None:  # 一票否优's condition must be read too, whatever the total
        _holds, err = Printer(c).cond(program.top_veto)
        if err is not None:
            leaf_errors.append((SHARED, c.keep_err(_reached(err))))
    if program.total == TOTAL_FIELD:
        return total
    reported = Printer(c, total=Q(total)).number(program.total)
    if reported.err is not None:  # a blank input it reads: the error above, said once
        leaf_errors.append((SHARED, c.keep_err(_reached(reported.err))))
    return c.keep(reported.num, "t")


def _total_rank(c: Compiler, total: str, unscored: str | None) -> str:
    """1 + the number of units with a larger total, among the units read without a problem whose total is
    complete (no leaf 未评); blank for the others."""
    ranked = [f"({total}) IS NOT NULL"] + ([f"({unscored}) IS NULL"] if unscored not in (None, _NO_TEXT) else [])
    ranked += [f"{name}" if name == "_fast" else f"{name} = ''" for name in ("_fast", "_errors") if name in c.carry]
    when = " AND ".join(ranked)
    return f"CASE WHEN {when} THEN RANK() OVER (ORDER BY CASE WHEN {when} THEN {total} END DESC NULLS LAST) END"


def _grade(c: Compiler, program: Program, total: Dec, scores: dict) -> str:
    """The grade band of the total; NULL where no band holds or a condition cannot be evaluated."""
    grade = as_label(Printer(c, total=Q(total), leaves=leaf_scores(c, scores)).expr(program.grade))
    if grade.err is None:
        return grade.text.text
    return f"CASE WHEN {grade.err.text} IS NULL THEN {grade.text.text} END"


def leaf_scores(c: Compiler, scores: dict) -> dict[str, Q]:
    """Each leaf's score as 等级不高于 reads it: its points where it is left out or not scored."""
    if not c.plan.grade_limits:
        return {}
    found = {}
    for node in c.plan.leaves():
        score = scores[node.path]
        when = c_and([score.applicable or TRUE, score.scored or TRUE])
        value = score.value if when.const is True else case([(c_not(when), lit(Fraction(node.points)))], score.value)
        found[node.key] = Q(value)
    return found


def _errors(c: Compiler, leaf_errors: list[tuple[str, Err]]) -> str:
    """One VARCHAR: a line `key<TAB>message` per leaf that could not be scored; NULL when none."""
    if not leaf_errors:  # typed: an untyped NULL column cannot be written by every engine (Spark)
        return "CAST(NULL AS VARCHAR)"
    pieces = [f"COALESCE({string(key + chr(9))} || {err.text} || {string(chr(10))}, '')" for key, err in leaf_errors]
    any_error = " OR ".join(f"{err.text} IS NOT NULL" for _, err in leaf_errors)
    alias, _layer = c.column(f"CASE WHEN {any_error} THEN {' || '.join(pieces)} END",
                             max(err.layer for _, err in leaf_errors), "e")
    return alias


def _audit(c: Compiler, scores, items, blocks, total_text: str, grade_text: str, failed: Cond) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    by_item = {item.key: score for item, score in items}
    block_totals = {name: t for _k, name, t, _r in blocks}
    for key in c.audit:
        column = c.by_header.get(header(key, RECORDED))
        if column is None:
            continue
        recorded = c.inputs[column.header]
        if key == GRADE:
            out.append((header(key, DIFF), f"CASE WHEN {recorded.text} IS NOT NULL AND {recorded.text} <> ({grade_text}) "
                                           f"THEN {recorded.text} END"))
            continue
        assert isinstance(recorded, Dec)
        value = recorded
        if key == TOTAL:
            computed = total_text
        elif key in block_totals:
            computed, value = block_totals[key].text, absolute(recorded)
        elif key in by_item:
            computed, value = by_item[key].output(failed), absolute(recorded)
        else:
            node = c.plan.find(key)
            if node is None or node.path not in scores:
                continue
            computed = scores[node.path].output(failed, whole_row=node.leaf is None)
        diff = f"{value.text} - ({computed})"
        scale = max(MAX_DECIMALS, c.plan.places)
        out.append((header(key, DIFF), f"CASE WHEN {diff} <> 0 THEN CAST({diff} AS DECIMAL(38,{scale})) END"))
    return out


__all__ = ["DIFF", "ERRORS", "RANK", "TOTAL_RANK", "SUBTOTAL", "UNSCORED", "UNSCORED_SEPARATOR", "NodeScore", "build", "combine", "leaf_score", "null_if"]
