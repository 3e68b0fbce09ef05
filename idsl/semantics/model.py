"""The checked model (Plan) that the scorer interprets: the indicator tree with every leaf's
scoring resolved against its scope. Built by `idsl.semantics.lower.lower`; frozen attrs data only.

The rules themselves stay AST nodes (`idsl.frontend.ast.Checklist`, `idsl.frontend.ast.Bands` …): the model adds
what scoring needs around them — full paths, levels, resolved names, defaults — and nothing
that would be a second copy of the rule language.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Iterator

import attrs

from idsl.frontend import ast
from idsl.frontend.ast_exprs import added_field
from idsl.frontend.source import NOWHERE, Span
from idsl.semantics.identity import plan_fingerprint


PATH_SEPARATOR = "/"  # how a path is written in inputs and reports: 决策/预算配置/重点支出安排率
PATH_SEPARATORS = ("/", "›", ">", "／")  # accepted when reading a path


def _span():
    return attrs.field(default=NOWHERE, eq=False, repr=False, kw_only=True)


@attrs.frozen
class PartPlan:
    """One 分项 of a leaf: its own points and scoring, scored like a small leaf."""

    name: str  # the part's name, e.g. 部门预算公开
    points: Decimal  # its points
    leaf: "LeafPlan"  # its scoring, resolved against the part's scope
    span: Span = _span()


@attrs.frozen
class LeafPlan:
    """How one leaf (or part, or penalty item) scores, every name resolved against its scope.

    A leaf sees its own declarations, then its enclosing leaf's (for a part), then the spec's;
    nearer declarations shadow farther ones. `inputs` and `questionnaires` are everything visible;
    `shared` names those that come from the spec level (their values are given under 共用).
    """

    inputs: tuple[ast.Input, ...] = ()  # every input visible here (a choice's field is included)
    derived: tuple[ast.Derived, ...] = ()  # every derived quantity visible here
    questionnaires: tuple[ast.Questionnaire, ...] = ()  # every questionnaire visible here
    shared: tuple[str, ...] = ()  # names among inputs/questionnaires declared at spec level
    specials: tuple[ast.Special, ...] = ()  # special cases, tried in order before the rule
    rule: ast.Rule | None = None  # the scoring rule as written (ast.Parts for sums of parts)
    parts: tuple[PartPlan, ...] = ()  # the parts, resolved, when the rule is ast.Parts
    span: Span = _span()
    # 适用 若 条件: where it does not hold the leaf is 不适用 (its node's not_applicable says how)
    applies: ast.Cond | None = attrs.field(default=None, metadata={"omit_default": True})
    adjusts: tuple[ast.ScoreAdjust, ...] = added_field(())  # lines after the rule that move its score (§11.12)
    floor: Decimal | None = added_field(None)  # 最低 -2 分: the least score, below 0 (None: 0)
    places: int | None = added_field(None)  # 小数 4 位 of this leaf (None: the plan's places)
    nodata: ast.NoData | None = added_field(None)  # 无数据时: the score when a 可缺 input it reads is blank (§11.14)

    def scope_tables(self) -> tuple[dict, dict, dict]:
        """Inputs, derived quantities and questionnaires by name: how both engines look names up."""
        return ({i.name: i for i in self.inputs}, {d.name: d for d in self.derived},
                {q.name: q for q in self.questionnaires})

    @property
    def own_inputs(self) -> tuple[ast.Input, ...]:
        """Inputs given in the leaf's own object (everything but the spec-level ones)."""
        return tuple(i for i in self.inputs if i.name not in self.shared)

    @property
    def own_questionnaires(self) -> tuple[ast.Questionnaire, ...]:
        """Questionnaires tallied in the leaf's own object."""
        return tuple(q for q in self.questionnaires if q.name not in self.shared)


@attrs.frozen
class Node:
    """An indicator of the tree (or a penalty/bonus item): a branch with children, or a leaf."""

    path: tuple[str, ...]  # names from level 1 down to this node
    name: str  # as printed
    points: Decimal  # 分值 (for a penalty or bonus item: its cap)
    level: int  # 1 for 一级指标 …
    explanation: str | None = None  # 指标解释
    standard: str | None = None  # verbatim 评分标准 text, when the author gave one
    not_applicable: str | None = None  # 'full' or 'exclude' when 不适用 is declared
    children: tuple["Node", ...] = ()  # sub-indicators of a branch
    leaf: LeafPlan | None = None  # scoring of a leaf
    span: Span = _span()
    # 扣分须说明理由: a score below the points without the evaluator's 理由 is an input error
    reason_below: bool = attrs.field(default=False, metadata={"omit_default": True})
    # （30%）: the points were written as this percent of the parent's; shown beside them in the tables
    weight: Decimal | None = attrs.field(default=None, metadata={"omit_default": True})
    # 择一 / 任选 k 项 / 取最高 k 项: the children are alternatives, k of them count (semantics.pools)
    pool: ast.Pool | None = added_field(None)
    # an alternative of 择一 / 任选 k 项: it counts only where its own inputs are given
    alternative: bool = added_field(False)
    # the leaf has a 不适用 mark to give: not so for a 适用 若 leaf without a 不适用 line (only its answer leaves it out)
    na_mark: bool = added_field(True)

    @property
    def key(self) -> str:
        """The path as written in inputs: 决策/预算配置/重点支出安排率."""
        return PATH_SEPARATOR.join(self.path)

    def walk(self) -> Iterator["Node"]:
        """This node and every node below it, in table order."""
        yield self
        for child in self.children:
            yield from child.walk()


@attrs.frozen
class AdjustmentBlock:
    """A block outside the total: penalties (逆向指标, kind 'penalty') or bonuses (加分项, 'bonus')."""

    kind: str  # 'penalty' or 'bonus'
    name: str  # as printed
    cap: Decimal | None  # the most the whole block may move the total; None: the sum of the items' caps
    items: tuple[Node, ...]  # leaves; each item's points are its own cap
    span: Span = _span()


@attrs.frozen
class LayoutRow:
    """An extra row of the scoring table."""

    kind: str  # 'subtotal' (the tree), 'subtotals' (one under each level-1), 'adjustments', 'total' or 'grade'
    title: str  # as printed


@attrs.frozen
class LayoutPlan:
    """The scoring table's title, columns and extra rows, defaults filled in."""

    title: str  # the line above the table
    columns: tuple[ast.Column, ...]  # in order
    rows: tuple[LayoutRow, ...] = ()  # extra rows after the tree
    # 汇总名称: (level-1 name, its name in the summary tables). Left out of the compiled JSON when
    # empty, so plans without it keep their fingerprints.
    labels: tuple[tuple[str, str], ...] = attrs.field(default=(), metadata={"omit_default": True})

    def label(self, name: str) -> str:
        """A level-1 indicator's name as the summary tables print it (001 表4: 部门决策 for 决策)."""
        return next((label for indicator, label in self.labels if indicator == name), name)


DEFAULT_COLUMNS = (
    ast.Column("level1", "一级指标"),
    ast.Column("level2", "二级指标"),
    ast.Column("level3", "三级指标"),
    ast.Column("explanation", "指标解释"),
    ast.Column("standard", "评分标准"),
    ast.Column("reason", "得分原因"),
    ast.Column("score", "得分"),
)  # 001 附件1's layout


@attrs.frozen(slots=False)
class Plan:
    """A checked spec ready to score: the tree, the extra blocks, grades, layout and identity."""

    title: str  # 体系 "…"
    total: Decimal  # 总分
    places: int  # decimals of a leaf score (小数 N 位; 2 by default)
    grades: tuple[ast.GradeBand, ...]  # conditions over the total
    nodes: tuple[Node, ...]  # level-1 indicators
    adjustments: tuple[AdjustmentBlock, ...] = ()  # penalty and bonus blocks
    shared_inputs: tuple[ast.Input, ...] = ()  # spec-level inputs (given under 共用)
    shared_questionnaires: tuple[ast.Questionnaire, ...] = ()  # spec-level questionnaires
    layout: LayoutPlan = LayoutPlan("", DEFAULT_COLUMNS)  # the scoring table
    examples: tuple[ast.Example, ...] = ()  # worked examples, run by `idsl test`
    vetoes: tuple[ast.Veto, ...] = added_field(())  # 一票否决 / 一票否优 over spec-level inputs
    total_cap: ast.Expr | None = added_field(None)  # 总分上限, over spec-level inputs
    grade_limits: tuple[ast.GradeLimit, ...] = added_field(())  # 等级不高于 … 若 …: the grade by counting leaves
    consequences: tuple[ast.Consequence, ...] = added_field(())  # 结果 付费比例: a figure by bands over the total
    rank_total: bool = attrs.field(default=False, metadata={"omit_default": True})  # 总分排名: the results rank by total
    # 不适用 按实际适用分值折算: branches add their applicable children unrescaled, and the total is
    # the applicable leaves' scores ÷ their points × 总分 (without it each parent rescales: 剔除).
    rescale_total: bool = attrs.field(default=False, metadata={"omit_default": True})
    # 不适用 分值平均分配给同级指标: a leaf left out hands its points equally to its applicable siblings, each of
    # which counts score × (points + share) ÷ points; the parent adds them exactly and rounds once.
    share_siblings: bool = attrs.field(default=False, metadata={"omit_default": True})
    # 自评表 (财预〔2020〕10号 附1): header, funds and goals; its execution-rate leaf is the first node.
    # Left out of the compiled JSON when absent, so plans without a form keep their fingerprints.
    form: ast.Form | None = attrs.field(default=None, metadata={"omit_default": True})
    source_hashes: dict[str, str] = attrs.field(factory=dict)  # path → SHA-256 of every source file
    # SHA-256 of the canonical JSON of everything above: the one recorded in a compiled file, or
    # computed when first asked for (the workbench lowers a plan per keystroke and rarely needs it).
    _fingerprint: str = attrs.field(default="", eq=False, repr=False)

    @property
    def fingerprint(self) -> str:
        if not self._fingerprint:
            object.__setattr__(self, "_fingerprint", plan_fingerprint(self))
        return self._fingerprint

    # -- navigation

    def walk(self) -> Iterator[Node]:
        """Every node of the tree in table order (not the penalty/bonus items)."""
        for node in self.nodes:
            yield from node.walk()

    def leaves(self) -> Iterator[Node]:
        """Every leaf of the tree in table order."""
        return (node for node in self.walk() if node.leaf is not None)

    def items(self) -> Iterator[tuple[AdjustmentBlock, Node]]:
        """Every penalty/bonus item with its block."""
        for block in self.adjustments:
            for item in block.items:
                yield block, item

    @functools.cached_property
    def _index(self) -> "_Index":
        return _Index.build(self)

    def find(self, key: str | tuple[str, ...]) -> Node | None:
        """The node (tree node or penalty/bonus item) a key names: a full path or a unique bare name.

        Paths are joined with / (› and > are accepted); a penalty item is 逆向指标/自评工作质量
        or its bare name.
        """
        return self._index.find(key)

    def places_of(self, node: Node) -> int:
        """The decimals of a node's score: a leaf's own 小数 N 位, else the plan's (branches, the total)."""
        if node.leaf is not None and node.leaf.places is not None:
            return node.leaf.places
        return self.places

    def block_of(self, item: Node) -> AdjustmentBlock | None:
        """The penalty/bonus block holding an item, None for a tree node."""
        for block, candidate in self.items():
            if candidate is item:
                return block
        return None

    def names(self) -> list[str]:
        """Every key that `find` accepts, for "did you mean" suggestions."""
        return list(self._index.keys)


def split_path(key: str | tuple[str, ...]) -> tuple[str, ...]:
    """A key split into names: '决策/预算配置' and '决策 › 预算配置' give ('决策', '预算配置').

    >>> split_path("决策 › 预算配置/重点支出安排率")
    ('决策', '预算配置', '重点支出安排率')
    """
    if isinstance(key, tuple):
        return tuple(part.strip() for part in key)
    text = key
    for separator in PATH_SEPARATORS[1:]:
        text = text.replace(separator, PATH_SEPARATOR)
    return tuple(part.strip() for part in text.split(PATH_SEPARATOR) if part.strip())


class _Index:
    """Lookup tables from paths and bare names to nodes, built once per plan."""

    def __init__(self) -> None:
        self.by_path: dict[tuple[str, ...], Node] = {}
        self.by_name: dict[str, list[Node]] = {}
        self.keys: list[str] = []
        self._listed: set[str] = set()  # the keys, to test membership without a scan of the list

    @classmethod
    def build(cls, plan: Plan) -> "_Index":
        index = cls()
        for node in plan.walk():
            index._add(node.path, node)
        for block, item in plan.items():
            index._add((block.name,) + item.path[-1:], item, register_path=item.path)
        return index

    def _add(self, path: tuple[str, ...], node: Node, register_path: tuple[str, ...] | None = None) -> None:
        self.by_path[path] = node
        if register_path is not None:
            self.by_path[register_path] = node
        self.by_name.setdefault(path[-1], []).append(node)
        joined = PATH_SEPARATOR.join(path)
        self.keys.append(joined)
        self._listed.add(joined)
        if path[-1] not in self._listed:  # a bare name is listed once
            self.keys.append(path[-1])
            self._listed.add(path[-1])

    def find(self, key: str | tuple[str, ...]) -> Node | None:
        path = split_path(key)
        if not path:
            return None
        if path in self.by_path:
            return self.by_path[path]
        if len(path) == 1:
            found = self.by_name.get(path[0], [])
            return found[0] if len(found) == 1 else None
        # A path that skips levels is still fine when its last name is unique and it matches the tail.
        found = [n for n in self.by_name.get(path[-1], []) if _ends_with(n.path, path)]
        return found[0] if len(found) == 1 else None

    def ambiguous(self, key: str) -> list[Node]:
        path = split_path(key)
        return self.by_name.get(path[-1], []) if len(path) == 1 else []


def _ends_with(path: tuple[str, ...], tail: tuple[str, ...]) -> bool:
    return len(tail) <= len(path) and path[-len(tail):] == tail


def ambiguous_matches(plan: Plan, key: str) -> list[Node]:
    """The nodes a bare name could mean when it is not unique (empty when it is unique or unknown)."""
    found = plan._index.ambiguous(key)
    return found if len(found) > 1 else []


__all__ = [
    "AdjustmentBlock",
    "DEFAULT_COLUMNS",
    "LayoutPlan",
    "LayoutRow",
    "LeafPlan",
    "Node",
    "PATH_SEPARATOR",
    "PartPlan",
    "Plan",
    "ambiguous_matches",
    "split_path",
]
