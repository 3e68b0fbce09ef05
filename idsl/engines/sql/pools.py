"""The SQL of 择一 / 任选 k 项 / 取最高 k 项 (as the interpreter's `idsl.engines.pools`): an alternative counts where
选用 names it or its cells are given (or among the best k), the parent is the exact sum of those that count."""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

import attrs

from idsl.engines.cellwords import with_hint
from idsl.engines.sql.compiler import Compiler
from idsl.engines.sql.node_score import NodeScore
from idsl.engines.sql.fragments import (FALSE, ONE, TRUE, ZERO, Cond, Dec, Err, add, c_and, c_not, c_or, case, cmp, lit,
                                        string)
from idsl.engines.sql.printer import FIELD
from idsl.io.columns import header
from idsl.semantics import pools
from idsl.semantics.model import Node

OWN = ("input", "item", "score", "tally")  # the cells of a leaf's own: one given makes the alternative given


def pool_score(c: Compiler, node: Node, children: list, leaf_errors: list) -> tuple[object, list]:
    """The parent's NodeScore and its alternatives' (each made applicable where it counts)."""
    pool = node.pool
    assert pool is not None
    if pool.kind == "best":
        value = _best(c, children, pool.count)
    else:
        children = _chosen(c, node, children, leaf_errors)
        value = ZERO
        for child in children:
            value = add(value, child.counted())
    for child, score in zip(node.children, children):
        if score.err is not None:
            leaf_errors.append((child.key, score.err))
    scored = c.keep_cond(c_or(c_and([child.applicable or TRUE, child.scored or TRUE]) for child in children))
    return NodeScore(c.keep(value, "p"), None, Fraction(node.points), None,
                     None if scored.const is True else scored), children


def _given(c: Compiler, child: Node) -> Cond:
    cells = [c.inputs[col.header] for col in c.columns if col.key == child.key and col.kind in OWN]
    return c.keep_cond(c_or(Cond(f"{cell.text} IS NOT NULL", None, cell.layer) for cell in cells))


def _chosen(c: Compiler, node: Node, children: list, leaf_errors: list) -> list:
    """择一 / 任选 k 项: each alternative counts and is scored as `pools.counted_where` and `pools.scored_where` say
    (its failures reported only where it is scored); an error on the parent where more (or, without allow_missing,
    fewer) than k are given, or where 选用 and the inputs disagree."""
    pool = node.pool
    given = [_given(c, child) for child in node.children]
    count = ZERO
    for g in given:
        count = add(count, case([(g, ONE)], ZERO))
    count = c.keep(count, "a")
    enough = c.keep_cond(cmp(count, ">=", lit(pool.count)))
    stated = c.inputs.get(header(node.key, pools.CHOSEN)) if pools.states_choice(node) else None
    named = [FALSE] * len(given) if stated is None else [c.keep_cond(m) for m in named_conditions(node, stated)]
    steps = _count_steps(c, node, given, count)
    layer = max(count.layer, max(g.layer for g in given))
    if stated is not None:  # 选用 given: it decides, and the inputs must agree with it
        steps = [f"WHEN {stated.text} IS NOT NULL THEN {_stated_error(c, node, given, named)}"] + steps
        layer = max(layer, stated.layer, max(m.layer for m in named))
    leaf_errors.append((node.key, c.keep_err(Err(f"CASE {' '.join(steps)} END", layer))))
    written = FALSE if stated is None else Cond(f"{stated.text} IS NOT NULL", None, stated.layer)
    out = []
    for g, m, score, child in zip(given, named, children, node.children):
        facts = (written, m, g, enough)
        counted = c.keep_cond(pools.counted_where(SQL_LOGIC, *facts))
        scored = c.keep_cond(pools.scored_where(SQL_LOGIC, child.leaf, *facts, c.allow_missing))
        out.append(attrs.evolve(score, applicable=c_and([score.applicable or TRUE, counted]),
                                scored=_unless_true(c_and([score.scored or TRUE, scored])),
                                err=_masked(score.err, scored)))
    return out


def _count_steps(c: Compiler, node: Node, given: list[Cond], count) -> list[str]:
    """The CASE steps of the parent's error where 选用 is blank, as the interpreter's `_count_error`: more given
    than k, and (without allow_missing) fewer, or 选用 required where fewer are; each with the interpreter's hint."""
    pool = node.pool
    names = " || ".join(f"CASE WHEN {g.text} THEN {string(f'“{child.name}”')} ELSE '' END"
                        for g, child in zip(given, node.children))
    n = len(node.children)
    ending = {few: string(with_hint(pools.GIVEN_END, pools.count_hint(pool, few))) for few in (False, True)}
    steps = [f"WHEN {count.text} > {pool.count} THEN {string(pools.too_many_start(pool, n))} || {names} || "
             f"{ending[False]}"]
    if c.allow_missing:  # too few: the alternatives left are 未评
        return steps
    if pools.choice_required(node):  # too few given: only 选用 names one without cells
        steps.append(f"WHEN {count.text} < {pool.count} THEN "
                     f"{string(with_hint(pools.choice_missing(pool, n), pools.choice_hint(pool)))}")
    return steps + [f"WHEN {count.text} = 0 THEN "
                    f"{string(with_hint(pools.none_given(pool, n), pools.count_hint(pool, True)))}",
                    f"WHEN {count.text} < {pool.count} THEN {string(pools.too_few_start(pool, n))} || {names} || "
                    f"{ending[True]}"]


def _unless_true(cond: Cond) -> Cond | None:
    """A NodeScore's condition: None where it always holds."""
    return None if cond.const is True else cond


def _masked(err: Err | None, scored: Cond) -> Err | None:
    """An alternative's failure, reported only where it is scored."""
    if err is None or scored.const is False:
        return None
    if scored.const is True:
        return err
    return Err(f"CASE WHEN {scored.text} THEN {err.text} END", max(err.layer, scored.layer))


class _SqlLogic:
    """The pool's rule (`pools.counted_where`, `pools.scored_where`) written as SQL conditions."""

    def both(self, a: Cond, b: Cond) -> Cond:
        return c_and([a, b])

    def either(self, a: Cond, b: Cond) -> Cond:
        return c_or([a, b])

    def negate(self, a: Cond) -> Cond:
        return c_not(a)

    def choose(self, cond: Cond, then: Cond, otherwise: Cond) -> Cond:
        if cond.const is not None:
            return then if cond.const else otherwise
        return Cond(f"(CASE WHEN {cond.text} THEN {then.text} ELSE {otherwise.text} END)", None,
                    max(cond.layer, then.layer, otherwise.layer))


SQL_LOGIC = _SqlLogic()


def named_conditions(node: Node, stated) -> list[Cond]:
    """Per alternative, whether the 选用 cell (as the check writes it: `pools.choice_text`) names it. A 任选's
    names are separated by 、; where a name holds a 、 itself, the cell is matched whole against the texts naming it."""
    names = [child.name for child in node.children]
    if not pools.names_several(node):
        return [Cond(f"{stated.text} = {string(name)}", None, stated.layer) for name in names]
    if not any("、" in name for name in names):
        return [Cond(f"POSITION({string('、' + name + '、')} IN '、' || {stated.text} || '、') > 0", None, stated.layer)
                for name in names]
    sets = list(combinations(names, node.pool.count))
    return [Cond(f"{stated.text} IN ({', '.join(string(pools.choice_text(s)) for s in sets if name in s)})", None,
                 stated.layer) for name in names]


def _stated_error(c: Compiler, node: Node, given: list[Cond], named: list[Cond]) -> str:
    """As the interpreter's `_contradicted`: another alternative's inputs given (选用“A”，却给了“B”的输入。), else one
    named not given where it has cells of its own (unless scoring with allow_missing), on the 选用 cell; each with
    the interpreter's hint; NULL when they agree."""
    def listed(conds: list[Cond]) -> str:
        return " || ".join(f"CASE WHEN {cond.text} THEN {string(f'“{child.name}”')} ELSE '' END"
                           for cond, child in zip(conds, node.children) if cond.const is not False)

    ending = string(with_hint(pools.GIVEN_END, pools.choice_hint(node.pool)))
    other = [c_and([g, c_not(m)]) for g, m in zip(given, named)]
    steps = [f"WHEN {c_or(other).text} THEN {string(pools.CHOSE)} || {listed(named)} || {string(pools.BUT_GIVEN)} || "
             f"{listed(other)} || {ending}"]
    missing = [c_and([m, c_not(g)]) if pools.own_cells(child.leaf) else FALSE
               for g, m, child in zip(given, named, node.children)]
    if not c.allow_missing and any(pools.own_cells(child.leaf) for child in node.children):
        on_choice = string(f"{FIELD}{pools.CHOSEN}{FIELD}{pools.CHOSE}")  # listed under the 选用 column
        steps.append(f"WHEN {c_or(missing).text} THEN {on_choice} || {listed(named)} || "
                     f"{string(pools.BUT_NOT_GIVEN)} || {listed(missing)} || {ending}")
    return f"(CASE {' '.join(steps)} END)"


def _best(c: Compiler, children: list, k: int) -> Dec:
    """取最高 k 项: Σ of the scores ranked within the best k (rank: 1 + those above, or equal and written before)."""
    scores = [c.keep(child.counted(), "s") for child in children]
    total = ZERO
    for i, s in enumerate(scores):
        above = ZERO
        for j, other in enumerate(scores):
            if j != i:
                higher = cmp(other, ">", s) if j > i else c_or([cmp(other, ">", s), cmp(other, "=", s)])
                above = add(above, case([(higher, ONE)], ZERO))
        total = add(total, case([(cmp(above, "<", lit(k)), s)], ZERO))
    return total


__all__ = ["named_conditions", "pool_score"]
