"""The scoring table itself: one row per leaf with the level cells merged, the block, 小计, 合计 and
等级 rows the layout names, filled with a result's scores and reasons when there is one."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import attrs
from idsl.frontend import ast
from idsl.render.standard import not_applicable_text, standard_text, with_pool
from idsl.semantics.pools import NOT_CHOSEN, title as pool_title
from idsl.render.docx_xml import HEADER_FILL, Cell, Row, add_table, text_width
from idsl.render.word import column_widths
from idsl.semantics.model import AdjustmentBlock, Node, Plan
from idsl.semantics.numbers import decimal_text, format_points, points_label

if TYPE_CHECKING:  # pragma: no cover
    from idsl.engines.result import NodeResult, Result

_CENTRED = {"level1", "level2", "level3", "points", "score"}
_LEVELS = ("level1", "level2", "level3")
_LEAST_CAP = {"level1": 4, "level2": 5, "level3": 10}  # characters of a name kept on one line
_ITEM_WORD = {"penalty": "扣分处理", "bonus": "加分处理"}
MISSING = "未评"
PARTIAL = "（部分结果）"  # after a total that leaves 未评 indicators out
NO_GRADE = "不评（部分结果）"  # the grade of a partial result


# ---------------------------------------------------------------- scores by path


class Scores:
    """The result's rows by path, and how a score is printed (blank when there is no result)."""

    def __init__(self, result: "Result | None"):
        self.result = result
        self.by_path: dict[tuple[str, ...], NodeResult] = {}
        self.blocks = {}
        if result is not None:
            self.by_path = {row.path: row for row in result.nodes}
            for block in result.blocks:
                self.blocks[block.name] = block
                for item in block.items:
                    self.by_path[item.path] = item

    @property
    def filled(self) -> bool:
        return self.result is not None

    def row(self, node: Node) -> "NodeResult | None":
        return self.by_path.get(node.path)

    def score(self, node: Node, sign: str = "") -> str:
        row = self.row(node)
        if row is None:
            return MISSING if self.filled else ""
        if row.status == "not_applicable":
            return NOT_CHOSEN if node.alternative else "不适用"  # 择一 / 任选: an alternative left out
        if row.score is None:
            return MISSING
        return _signed(row.score, sign)

    def reason(self, node: Node) -> str:
        row = self.row(node)
        if row is None:
            return ""
        reason = row.reason or ""
        if row.note and row.note not in reason:
            reason = f"{reason}\n{row.note}" if reason else row.note
        if row.score is None and row.status != "not_applicable" and not reason:
            reason = "缺少输入，未评分。"
        return reason

    def block_total(self, block: AdjustmentBlock) -> str:
        found = self.blocks.get(block.name)
        if found is None:
            return ""
        return _signed(found.total, "-" if block.kind == "penalty" else "+")


def _signed(value: Decimal, sign: str) -> str:
    text = format_points(value)
    if sign and value != 0:
        return f"{sign}{text}" if sign == "-" else text
    return text


# ---------------------------------------------------------------- the scoring table


@attrs.define
class _Row:
    """One row of the scoring table, before it is written: a cell text per column and the merges."""

    cells: list[str]  # text per column
    keys: dict[str, tuple]  # level column kind → the node it shows (rows with the same key merge vertically)
    span: tuple[int, int] | None = None  # columns merged horizontally (first, last), inclusive
    bold: bool = False


class TableWriter:
    def __init__(self, document, plan: Plan, scores: Scores):
        self.document = document
        self.plan = plan
        self.scores = scores
        self.columns = plan.layout.columns
        self.kinds = [column.kind for column in self.columns]
        self.has_points = "points" in self.kinds
        self.levels = [i for i, kind in enumerate(self.kinds) if kind in _LEVELS]

    def index(self, kind: str) -> int | None:
        return self.kinds.index(kind) if kind in self.kinds else None

    # -- the rows

    def rows(self) -> list[_Row]:
        return [row for top in self.plan.nodes for row in self.group_rows(top)] + self.closing_rows()

    def group_rows(self, top: Node) -> list[_Row]:
        """A level-1 indicator's rows: its leaves', then its 小计 when the layout asks for one. No merge
        runs into the rows around them (they show other nodes), so the group can be drawn on its own."""
        rows = [self.leaf_row(node) for node in top.walk() if node.leaf is not None]
        if any(row.kind == "subtotals" for row in self.plan.layout.rows):  # 一级指标小计: its own points and score
            rows.append(self.label_row(f"{top.name}小计", self.scores.score(top), points=format_points(top.points)))
        return rows

    def closing_rows(self) -> list[_Row]:
        """The rows after the level-1 groups: 小计, the penalty and bonus blocks, 合计, 等级, as the layout asks."""
        wanted = [row.kind for row in self.plan.layout.rows]
        titles = {row.kind: row.title for row in self.plan.layout.rows}
        rows = []
        if not wanted and self.plan.adjustments:  # 001's layout names no rows; blocks must still show
            wanted = ["adjustments", "total"]
        for kind in wanted:
            if kind == "subtotal":
                rows.append(self.label_row(titles.get(kind, "小计"), self.scores_text(self.subtotal()),
                                           points=format_points(sum((n.points for n in self.plan.nodes), Decimal(0)))))
            elif kind == "adjustments":
                for block in self.plan.adjustments:
                    rows.extend(self.block_rows(block))
            elif kind == "total":
                rows.append(self.label_row(titles.get(kind, "合计"), self.scores_text(self.total())))
            elif kind == "grade":
                rows.append(self.grade_row())
        return rows

    def scores_text(self, value: Decimal | None) -> str:
        """A subtotal or total as printed; one that leaves 未评 indicators out says it is partial."""
        if not self.scores.filled:
            return ""
        if value is None:
            return MISSING
        partial = self.scores.result is not None and self.scores.result.incomplete
        return format_points(value) + (PARTIAL if partial else "")

    def subtotal(self) -> Decimal | None:
        return self.scores.result.subtotal if self.scores.result is not None else None

    def total(self) -> Decimal | None:
        return self.scores.result.total if self.scores.result is not None else None

    def blank(self) -> list[str]:
        return [""] * len(self.columns)

    def leaf_row(self, node: Node) -> _Row:
        cells, keys = self.blank(), {}
        ancestors = [node.path[:level] for level in range(1, node.level + 1)]
        span = None
        for path in ancestors:
            level = len(path)
            column = self.index(_LEVELS[min(level, 3) - 1])
            if column is None:
                continue
            shown = self.plan.find(path) if path != node.path else node
            is_leaf = path == node.path
            text = self.level_text(shown, is_leaf, level)
            # Below level 3 the table has no column of its own: a leaf is shown in the 三级指标 column in place of
            # its parent (as a 细化's indicators are), except under a pool, whose alternatives each carry its
            # points — there the pool comes first (验收（5）（二者择其一） › 竣工验收（5）), or the column would
            # add up to more than the level-2 indicator above it.
            if level > 3 and cells[column] and self.plan.find(path[:-1]).pool is not None:
                text = f"{cells[column]} › {text}"
            cells[column] = text
            keys[self.kinds[column]] = path
            if is_leaf and level < 3:  # a leaf above level 3 (002 人员管理(2)) spans the deeper level columns
                deeper = [i for i in self.levels if self.kinds[i] > self.kinds[column]]
                if deeper:
                    span = (column, max(deeper))
        standard = standard_text(node, places=self.plan.places, not_applicable=not_applicable_text(self.plan, node))
        standard = with_pool(self.plan, node, standard)  # 择一 / 任选 / 取最高: how the alternative counts
        self.fill(cells, node, explanation=node.explanation or "", standard=standard,
                  points=format_points(node.points), score=self.scores.score(node), reason=self.scores.reason(node))
        return _Row(cells, keys, span)

    def level_text(self, node: Node | None, is_leaf: bool, level: int) -> str:
        if node is None:
            return ""
        if is_leaf and level >= 3 and self.has_points:  # 002 prints a level-3 leaf's points in 权重 only
            return node.name
        pool = f"（{pool_title(node.pool, len(node.children))}）" if node.pool is not None else ""  # （二者择其一）
        return f"{node.name}（{points_label(node.points, node.weight)}）{pool}"

    def fill(self, cells: list[str], node: Node | None = None, **texts: str) -> None:
        for kind, text in texts.items():
            column = self.index(kind)
            if column is not None:
                cells[column] = text

    def label_row(self, label: str, score: str, points: str = "") -> _Row:
        cells = self.blank()
        first, last = self.levels[0], self.levels[-1]
        cells[first] = label
        self.fill(cells, points=points, score=score)
        return _Row(cells, {}, (first, last) if last > first else None, bold=True)

    def block_rows(self, block: AdjustmentBlock) -> list[_Row]:
        sign = "-" if block.kind == "penalty" else "+"
        rows = []
        cap = block.cap if block.cap is not None else sum((i.points for i in block.items), Decimal(0))
        for item in block.items:
            cells, keys = self.blank(), {}
            levels = [i for i in self.levels]
            cells[levels[0]] = f"{block.name}（{sign}{format_points(cap)}）"
            keys[self.kinds[levels[0]]] = ("block", block.name)
            if len(levels) > 1:
                cells[levels[1]] = f"{item.name}（{sign}{format_points(item.points)}分）"
                keys[self.kinds[levels[1]]] = ("item",) + item.path
            if len(levels) > 2:
                cells[levels[2]] = _ITEM_WORD.get(block.kind, "")
                keys[self.kinds[levels[2]]] = ("word",) + item.path
            self.fill(cells, explanation=item.explanation or "", standard=standard_text(item, kind=block.kind, places=self.plan.places),
                      points=f"{sign}{format_points(item.points)}" if sign == "-" else format_points(item.points),
                      score=self.scores.score(item, sign), reason=self.scores.reason(item))
            rows.append(_Row(cells, keys))
        rows.append(self.label_row(f"{block.name}小计", self.scores.block_total(block)))
        return rows

    def grade_row(self) -> _Row:
        cells = self.blank()
        score = self.index("score")
        last = (score - 1) if score not in (None, 0) else len(cells) - 1
        cells[0] = f"等级（{grade_bands_text(self.plan)}）"
        if score is not None:
            result = self.scores.result
            grade = (NO_GRADE if result.incomplete else result.grade) if result is not None else None
            cells[score] = (grade or MISSING) if self.scores.filled else ""
        return _Row(cells, {}, (0, last) if last > 0 else None, bold=True)

    # -- writing

    def write(self) -> None:
        rows = self.rows()
        titles = [c.title for c in self.columns]
        widths = column_widths(self.kinds, titles, self.least_chars())
        header = Row([Cell(title, bold=True, centred=True, fill=HEADER_FILL) for title in titles], header=True)
        add_table(self.document, widths, [header] + [self.cells(rows, r) for r in range(len(rows))])

    def cells(self, rows: list[_Row], r: int) -> Row:
        """Row `r` as written: a horizontal span as one cell, a vertical merge as restart/continue marks."""
        row, out, c = rows[r], [], 0
        while c < len(row.cells):
            span = row.span[1] - row.span[0] + 1 if row.span and row.span[0] == c else 1
            centred = self.kinds[c] in _CENTRED or bool(row.span and row.span[0] <= c <= row.span[1])
            out.append(Cell(row.cells[c], bold=row.bold, centred=centred, span=span, merge=self.merge(rows, r, c)))
            c += span
        return Row(out)

    def merge(self, rows: list[_Row], r: int, c: int) -> str | None:
        """How the cell of a level column takes part in a vertical merge of the rows showing the same node."""
        if self.is_continuation(rows, r, c):
            return "continue"
        kind = self.kinds[c]
        key = rows[r].keys.get(kind)
        if kind in _LEVELS and key is not None and r + 1 < len(rows) and rows[r + 1].keys.get(kind) == key:
            return "restart"
        return None

    def is_continuation(self, rows: list[_Row], r: int, c: int) -> bool:
        """Whether the cell is covered by the level cell above it (the same node shown on the row before)."""
        kind = self.kinds[c]
        key = rows[r].keys.get(kind)
        return kind in _LEVELS and key is not None and r > 0 and rows[r - 1].keys.get(kind) == key

    def least_chars(self) -> list[float]:
        """How many characters each level column must hold on one line: its longest name, up to a
        published table's longest 三级指标 (10 characters; 4 for 一级, 5 for 二级 names, which wrap between words)."""
        longest = {kind: 0.0 for kind in _LEVELS}
        for node in self.plan.walk():
            kind = _LEVELS[min(node.level, 3) - 1]
            longest[kind] = max(longest[kind], text_width(node.name))
        return [min(longest[kind], _LEAST_CAP[kind]) if kind in longest else 0.0 for kind in self.kinds]


def grade_bands_text(plan: Plan) -> str:
    """The grade bands as 002's 等级 row and 001's text print them: 90（含）-100分为优、…、60分以下为差.

    >>> from idsl.semantics.model import Plan
    >>> s = ast.Ref("总分")
    >>> grades = (ast.GradeBand("优", ast.Compare((s, ast.Num(Decimal(90))), (">=",))),
    ...           ast.GradeBand("良", ast.Compare((ast.Num(Decimal(80)), s, ast.Num(Decimal(90))), ("<=", "<"))),
    ...           ast.GradeBand("差", ast.Compare((s, ast.Num(Decimal(80))), ("<",))))
    >>> grade_bands_text(Plan("t", Decimal(100), 2, grades, ()))
    '90（含）-100分为优、80（含）-90分为良、80分以下为差'
    """
    texts = []
    for band in plan.grades:
        low, high = _grade_ends(band.cond)
        if isinstance(band.cond, ast.Otherwise) or (low is None and high is None):
            texts.append(f"其他为{band.grade}")
            continue
        if low is not None and high is None:
            high = (plan.total, True)
        if low is None:
            value, inclusive = high
            texts.append(f"{decimal_text(value)}{'（含）' if inclusive else ''}分以下为{band.grade}")
        else:
            mark = "（含）" if low[1] else "（不含）"
            texts.append(f"{decimal_text(low[0])}{mark}-{decimal_text(high[0])}分为{band.grade}")
    return "、".join(texts)


def _grade_ends(cond: ast.Cond) -> tuple[tuple[Decimal, bool] | None, tuple[Decimal, bool] | None]:
    """The lower and upper ends (value, inclusive) of a grade band over the total."""
    low = high = None
    if isinstance(cond, ast.Range) and isinstance(cond.low, ast.Num) and isinstance(cond.high, ast.Num):
        return (cond.low.amount, True), (cond.high.amount, True)
    if not isinstance(cond, ast.Compare):
        return None, None
    operands, ops = cond.operands, cond.ops
    for (left, op, right) in zip(operands, ops, operands[1:]):
        if isinstance(right, ast.Num) and not isinstance(left, ast.Num):
            value, op = right.amount, op
        elif isinstance(left, ast.Num) and not isinstance(right, ast.Num):
            value, op = left.amount, {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "="}[op]
        else:
            continue
        if op in (">", ">="):
            low = (value, op == ">=")
        elif op in ("<", "<="):
            high = (value, op == "<=")
        elif op == "=":
            low = high = (value, True)
    return low, high


__all__ = ["MISSING", "NO_GRADE", "PARTIAL", "Scores", "TableWriter", "grade_bands_text"]
