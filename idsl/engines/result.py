"""The scorer's result: every indicator's score and reason, the blocks, the total, the grade, the problems."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from idsl.diagnostics import Diagnostic, render_json
from idsl.io.inputs import InputError
from idsl.semantics.model import split_path
from idsl.semantics.numbers import half_up

STATUSES = ("scored", "missing", "not_applicable", "error")

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
                "points": plain(self.points), "score": plain(self.score), "rate": plain(self.rate),
                "reason": self.reason, "note": self.note, "status": self.status}


@attrs.frozen
class BlockResult:
    """A penalty or bonus block: its items and the total it moves, after the block's cap."""

    kind: str  # 'penalty' or 'bonus'
    name: str  # 逆向指标 …
    cap: Decimal | None  # the block's cap
    total: Decimal | None  # the deduction (penalty) or addition (bonus), ≥ 0, capped; None when an item has errors
    items: tuple[NodeResult, ...]
    note: str | None = None  # the evaluator's note on the whole block

    def to_json(self) -> dict:
        """A plain dict for JSON output."""
        return {"kind": self.kind, "name": self.name, "cap": plain(self.cap), "total": plain(self.total),
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
        return {"key": self.key, "recorded": plain(self.recorded), "computed": plain(self.computed),
                "difference": plain(self.difference), "reason": self.reason}


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
    total_note: str | None = None  # the evaluator's note on the total (notes → 总分), then idsl's sentences on it
    as_published: bool = False  # scored as published: the spec has errors and was scored anyway (复核)
    spec_errors: tuple[Diagnostic, ...] = ()  # as published: the checker's errors
    warnings: tuple[InputError, ...] = ()  # as published: inputs the spec does not declare, left out
    labels: tuple[tuple[str, str], ...] = ()  # 汇总名称: level-1 name → its name in summary tables (not in to_data)
    consequences: tuple[tuple[str, str | None], ...] = ()  # 结果 付费比例: each name and its value (None: no grade)
    vetoes: tuple[str, ...] = ()  # what idsl score names under the total: 一票否决, 一票否优, 总分上限, 等级不高于
    audited: int = 0  # how many recorded scores (and grades) were compared: 0 when nothing was recorded
    own_note: str | None = None  # the evaluator's note on the total alone: all total_note keeps beside no total

    def label(self, name: str) -> str:
        """A level-1 indicator's name as the summary tables print it (the plan's 汇总名称, else its name)."""
        return next((label for indicator, label in self.labels if indicator == name), name)

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

    def _unscored(self) -> list[NodeResult]:
        """The leaves and penalty/bonus items left 未评 (a branch is 未评 only through its leaves)."""
        items = [item for block in self.blocks for item in block.items]
        return [row for row in list(self.nodes) + items if row.status == "missing" and row.kind != "branch"]

    @property
    def partial(self) -> bool:
        """A total that leaves 未评 indicators out (and no grade): none is partial where there is no total at all
        (input errors, or nothing scored), though the result is still `incomplete`."""
        return self.incomplete and self.total is not None

    def without_total(self) -> Result:
        """The result beside input errors found once the scores were summed (a recorded score or grade that cannot
        be compared): no total, subtotal, grade or 结果 value, as beside any other input error; the indicators'
        own scores stay; the note on the total is the evaluator's alone (idsl's sentences speak of a total)."""
        return attrs.evolve(self, subtotal=None, total=None, grade=None, vetoes=(), total_note=self.own_note,
                            consequences=tuple((name, None) for name, _value in self.consequences))

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
            "total_points": plain(self.total_points),
            "nodes": [row.to_json() for row in self.nodes],
            "adjustments": [block.to_json() for block in self.blocks],
            "subtotals": {k: plain(v) for k, v in self.subtotals.items()},
            "subtotal": plain(self.subtotal),
            "total": plain(self.total),
            "total_rate": plain(score_rate(self.total, self.total_points)),
            "grade": self.grade,
            "total_note": self.total_note,
            "incomplete": self.incomplete,
            "partial": self.partial,
            "unscored": [row.key for row in self._unscored()],
            "errors": [e.to_json() for e in self.errors],
            "audit": [d.to_json() for d in self.audit],
        }
        if self.consequences:  # 结果 blocks only: results of other specs keep their shape
            data["consequences"] = dict(self.consequences)
        if self.as_published:
            data["as_published"] = {"spec_errors": json.loads(render_json(self.spec_errors)),
                                    "warnings": [w.to_json() for w in self.warnings]}
        return data

    def to_json(self) -> str:
        """Deterministic JSON: keys sorted, Chinese kept, Decimals as strings, ending in a newline."""
        return json.dumps(self.to_data(), sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def score_rate(score: Decimal | None, points: Decimal) -> Decimal | None:
    if score is None or not points:
        return None
    return half_up(Fraction(score) / Fraction(points) * 100, 2)


__all__ = ["AuditDifference", "BlockResult", "NodeResult", "Result", "STATUSES", "plain", "score_rate"]
