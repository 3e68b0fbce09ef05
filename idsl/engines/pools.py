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
        chosen = [child for child in node.children if pools.given(scorer.raw.get(child.path))]
        message = pools.count_message(pool, names, [c.name for c in chosen])
        few = len(chosen) < pool.count
        if message is not None and not (scorer.allow_missing and few):
            scorer._error(InputError(node.key, None, message, pools.count_hint(pool, few)),
                          (scorer.order.get(node.path, 0),))
        rows = [score_leaf(scorer, child, "leaf") if child in chosen or (few and scorer.allow_missing)  # else 未评
                else _unscored(child) if few else _left_out(child, pool, names, chosen, scorer.notes.get(child.path))
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


def _unscored(child: Node) -> NodeResult:
    """An alternative not given where too few are: the parent's error says so, once."""
    return NodeResult(child.path, child.name, child.level, "leaf", child.points, None, None, None, None, "missing")


def _left_out(child: Node, pool, names: list[str], chosen: list[Node], note: str | None) -> NodeResult:
    reason = reasons.with_note(pools.not_chosen(pool, len(names), [c.name for c in chosen]), note)
    return NodeResult(child.path, child.name, child.level, "leaf", child.points, None, None, reason, note,
                      "not_applicable")


__all__ = ["score_pool"]
