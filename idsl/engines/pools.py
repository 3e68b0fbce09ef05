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
        named = _named(scorer, node) if pools.states_choice(node) else None
        chosen = given if named is None else [named]
        message = None if named is not None else pools.count_message(pool, names, [c.name for c in chosen])
        few = len(chosen) < pool.count
        hint = pools.count_hint(pool, few)
        if named is None and not chosen and pools.choice_required(node):  # only 选用 names one without cells
            message, hint = pools.choice_missing(pool, len(names)), pools.CHOICE_HINT
        if message is not None and not (scorer.allow_missing and few):
            scorer._error(InputError(node.key, None, message, hint), (scorer.order.get(node.path, 0),))
        if named is not None:
            _contradicted(scorer, node, named, given)

        def scored(child: Node) -> bool:  # else 未评, or left out; the one named is read only where given
            if child is named:
                return child in given or not pools.own_cells(child.leaf)
            return child in chosen or (few and scorer.allow_missing)

        rows = [score_leaf(scorer, child, "leaf") if scored(child)
                else _unscored(child) if few or child is named
                else _left_out(child, pool, names, chosen, scorer.notes.get(child.path))
                for child in node.children]
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


def _named(scorer: Any, node: Node) -> Node | None:
    """择一's 选用 as the parent's object gives it: the alternative named, or None (blank: inferred by giving, or
    not a name of one: an input error on 选用)."""
    raw = scorer.raw.get(node.path)
    if raw is None:
        return None
    names = [child.name for child in node.children]
    value = raw.get(pools.CHOSEN) if isinstance(raw, dict) else None
    others = [k for k in raw if k not in (pools.CHOSEN, *pools.UNGIVEN_FIELDS)] if isinstance(raw, dict) else [None]
    where = (scorer.order.get(node.path, 0),)
    if others:
        scorer._error(InputError(node.key, others[0], "择一的上级指标只写“选用”：评哪一项。",
                                 "各项的输入写在它自己的对象里。"), where)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    chosen = next((child for child in node.children if child.name == str(value).strip()), None)
    if chosen is None:
        scorer._error(InputError(node.key, pools.CHOSEN, pools.unknown_choice(names), pools.CHOICE_HINT), where)
    return chosen


def _contradicted(scorer: Any, node: Node, named: Node, given: list[Node]) -> None:
    """An input error where 选用 names one alternative and the inputs give another, or not the one named."""
    others = [child.name for child in given if child is not named]
    where = (scorer.order.get(node.path, 0),)
    if others:
        message = pools.chose_start(named.name) + "".join(f"“{o}”" for o in others) + pools.GIVEN_END
        scorer._error(InputError(node.key, None, message, pools.CHOICE_HINT), where)  # on the parent, as the SQL's
    elif named not in given and pools.own_cells(named.leaf) and not scorer.allow_missing:
        scorer._error(InputError(node.key, None, pools.chose_not_given(named.name), pools.CHOICE_HINT), where)


def _unscored(child: Node) -> NodeResult:
    """An alternative not given where too few are: the parent's error says so, once."""
    return NodeResult(child.path, child.name, child.level, "leaf", child.points, None, None, None, None, "missing")


def _left_out(child: Node, pool, names: list[str], chosen: list[Node], note: str | None) -> NodeResult:
    reason = reasons.with_note(pools.not_chosen(pool, len(names), [c.name for c in chosen]), note)
    return NodeResult(child.path, child.name, child.level, "leaf", child.points, None, None, reason, note,
                      "not_applicable")


__all__ = ["score_pool"]
