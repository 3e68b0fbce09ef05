"""The interpreter's 择一 / 任选 k 项 / 取最高 k 项: the alternatives that count, the parent's score and reason."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from idsl.engines.leaf_score import score_leaf
from idsl.engines.result import NodeResult, score_rate
from idsl.io.inputs import InputError
from idsl.semantics import pools, reasons
from idsl.semantics.model import Node


def score_pool(scorer: Any, node: Node, out: list[NodeResult]) -> NodeResult:
    """The parent's row after its alternatives' rows: the sum of the k that count (chosen by the inputs given,
    or the best k), exact and never rescaled; an alternative left out is 不适用 (未选用)."""
    pool = node.pool
    assert pool is not None
    index = len(out)
    out.append(None)  # type: ignore[arg-type]  # the parent's row goes before its alternatives
    names = [child.name for child in node.children]
    if pool.kind == "best":
        rows = [score_leaf(scorer, child, "leaf") for child in node.children]
        scored = [i for i, r in enumerate(rows) if r.status == "scored"]
        best = {scored[i] for i in pools.best_of([rows[j].score for j in scored], pool.count)}
        for i in scored:
            if i not in best:
                rows[i] = attrs.evolve(rows[i], reason=(rows[i].reason or "") + pools.not_counted(pool, len(names)))
        counted = [rows[i] for i in sorted(best)]
    else:
        given = [child for child in node.children if pools.given(scorer.raw.get(child.path))]
        named, refused = _named(scorer, node) if pools.states_choice(node) else (None, False)
        if named is not None:
            _contradicted(scorer, node, named, given)
        elif not refused:  # a 选用 refused is the one error: the count is not checked against it
            _count_error(scorer, node, given)
        chosen = given if named is None else named
        stated, enough = named is not None, len(given) >= pool.count
        rows = []
        for child in node.children:  # the pool's rule, as the SQL's: scored, else 未评, else 未选用
            facts = (stated, stated and child in chosen, child in given, enough)
            rows.append(score_leaf(scorer, child, "leaf")
                        if pools.scored_where(pools.TRUTH, child.leaf, *facts, scorer.allow_missing)
                        else _unscored(child) if pools.counted_where(pools.TRUTH, *facts)
                        else _left_out(child, pool, names, chosen, scorer.notes.get(child.path)))
        counted = [r for r in rows if r.status != "not_applicable"]
    out.extend(rows)
    scored = [r for r in counted if r.score is not None]
    score = sum((r.score for r in scored), Decimal(0)) if scored else None
    reason = pools.parent_reason(pool, len(names), [(r.name, r.score) for r in scored], score) if scored else None
    row = NodeResult(node.path, node.name, node.level, "branch", node.points, score, score_rate(score, node.points),
                     reason, scorer.notes.get(node.path), "scored" if scored else "missing")
    out[index] = row
    if scorer.plan.rescale_total:  # 按实际适用分值折算: a pool always holds its points
        scorer.held[node.path] = node.points
    return row


def _named(scorer: Any, node: Node) -> tuple[list[Node] | None, bool]:
    """选用 as the parent's object gives it: the alternatives named (择一's one, 任选's k), or None (blank: inferred
    by giving); and whether a 选用 was written but refused (an input error on it)."""
    raw = scorer.raw.get(node.path)
    if raw is None:
        return None, False
    pool = node.pool
    value = raw.get(pools.CHOSEN) if isinstance(raw, dict) else None
    others = [k for k in raw if k not in (pools.CHOSEN, *pools.UNGIVEN_FIELDS)] if isinstance(raw, dict) else [None]
    where = (scorer.order.get(node.path, 0),)
    if others:
        scorer._error(InputError(node.key, others[0], pools.parent_fields(pool), "各项的输入写在它自己的对象里。"), where)
    names, problem = pools.read_choice(pool, [child.name for child in node.children], value)
    if problem is not None:
        scorer._error(InputError(node.key, pools.CHOSEN, problem, pools.choice_hint(pool)), where)
    return (None if names is None else [child for child in node.children if child.name in names]), problem is not None


def _count_error(scorer: Any, node: Node, given: list[Node]) -> None:
    """选用 blank: an input error on the parent where more or fewer alternatives are given than it counts (fewer:
    未评 with allow_missing), or, where fewer are and one has no cell of its own, that 选用 must name them."""
    pool = node.pool
    names = [child.name for child in node.children]
    message = pools.count_message(pool, names, [c.name for c in given])
    few = len(given) < pool.count
    hint = pools.count_hint(pool, few)
    if few and pools.choice_required(node):  # only 选用 names one without cells
        message, hint = pools.choice_missing(pool, len(names)), pools.choice_hint(pool)
    if message is not None and not (scorer.allow_missing and few):
        scorer._error(InputError(node.key, None, message, hint), (scorer.order.get(node.path, 0),))


def _contradicted(scorer: Any, node: Node, named: list[Node], given: list[Node]) -> None:
    """An input error where 选用 names some alternatives and the inputs give another, or not one named."""
    others = [child.name for child in given if child not in named]
    missing = [child.name for child in named if child not in given and pools.own_cells(child.leaf)]
    where = (scorer.order.get(node.path, 0),)
    shown = [child.name for child in named]
    hint = pools.choice_hint(node.pool)
    if others:  # on the parent, as the SQL's
        scorer._error(InputError(node.key, None, pools.chose_others(shown, others), hint), where)
    elif missing and not scorer.allow_missing:
        scorer._error(InputError(node.key, pools.CHOSEN, pools.chose_not_given(shown, missing), hint), where)


def _unscored(child: Node) -> NodeResult:
    """An alternative not given where too few are: the parent's error says so, once."""
    return NodeResult(child.path, child.name, child.level, "leaf", child.points, None, None, None, None, "missing")


def _left_out(child: Node, pool, names: list[str], chosen: list[Node], note: str | None) -> NodeResult:
    reason = reasons.with_note(pools.not_chosen(pool, len(names), [c.name for c in chosen]), note)
    return NodeResult(child.path, child.name, child.level, "leaf", child.points, None, None, reason, note,
                      "not_applicable")


__all__ = ["score_pool"]
