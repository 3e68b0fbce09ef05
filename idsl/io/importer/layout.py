"""The scoring table found among a file's grids: its header, its columns, and its rows read as the indicator tree."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import attrs

from idsl.io.importer.cells import Grid, Place, TableError, digits
from idsl.io.importer.grades import names_grades, names_grades_label
from idsl.semantics.numbers import format_points

# Header titles by column kind, tried in this order (评分标准 before 评分, 得分原因 before 得分).
_COLUMN_WORDS = (
    ("reason", ("得分原因", "扣分原因", "评分理由", "得分说明")),
    ("standard", ("评分标准", "评分细则", "评分办法", "评分方法", "计分方法", "评分依据")),
    ("explanation", ("指标解释", "指标说明", "指标内涵", "指标释义", "考核要点", "考核内容")),
    ("target", ("年度指标值", "指标值", "目标值")),
    ("actual", ("实际完成值", "完成值", "实际值")),
    ("why", ("偏差原因", "原因分析")),
    ("points", ("分值", "权重", "满分", "标准分", "指标分值")),
    ("score", ("自评分数", "自评得分", "复核得分", "评价得分", "得分", "评分", "分数")),
)
_LEVEL_WORDS = ("一级", "二级", "三级", "四级")
_MAX_LEVELS = 4
_NAMED_POINTS = re.compile(r"^(.*?)\s*[（(]\s*(?:分值|权重)?\s*([-+]?\d+(?:\.\d+)?)\s*(分|%)?\s*[）)]\s*$", re.DOTALL)
# A weight beside the points, `数量指标（50%，10分）` or `（10分，权重50%）`: the points are the figure in 分.
_FIGURE = r"(?:分值|权重)?\s*([-+]?\d+(?:\.\d+)?)\s*(分|%)"
_NAMED_PAIR = re.compile(rf"^(.*?)\s*[（(]\s*{_FIGURE}\s*[，,、;；/]\s*{_FIGURE}\s*[）)]\s*$", re.DOTALL)
_TRAILING_POINTS = re.compile(r"^(.*?\S)\s+([-+]?\d+(?:\.\d+)?)\s*(分|%)$", re.DOTALL)
_POINTS_CELL = re.compile(r"^[-+]?\d+(?:\.\d+)?\s*(分|%)?$")
# A level cell printed again on the next page marked as continued: 决策（续）, 产出(续表), 过程（接上页）.
_CONTINUED = re.compile(r"\s*[（(]\s*(?:续|续表|续上页|接上页)\s*[）)]\s*$")
_SKIP_ROW = re.compile(r"^(小计|合计|总计|总分|总得分|合\s*计|.*小计)$")
_BLOCK_WORDS = ("逆向指标", "扣分项", "加分项", "加减分项", "扣分指标", "加分指标")
_ITEM_FILLERS = ("扣分处理", "加分处理")


@attrs.define
class DraftNode:
    """An indicator read from the table (mutable while the rows are read)."""

    name: str
    points: Decimal | None  # as written; None when blank
    percent: bool  # points written as a percentage of the parent's
    row: Place  # the row it was first read from
    children: list[DraftNode] = attrs.Factory(list)
    explanation: str = ""
    standard: str = ""
    target: str = ""  # 年度指标值 of a self-evaluation table
    recorded: str = ""  # the evaluator's score (自评分数/得分 column), as the cell prints it
    conflicts: list[str] = attrs.Factory(list)  # a later row of it giving other points or another score


@attrs.define
class DraftBlock:
    """A 逆向指标 / 加分项 block and its items."""

    name: str
    kind: str  # "penalty", "bonus" or "mixed" (a 加减分项: its items go to one or the other)
    points: Decimal | None
    items: list[DraftNode] = attrs.Factory(list)


@attrs.frozen
class RowFigure:
    """The evaluator's figure on a 小计 / 合计 / 等级 row, and the rows it closes."""

    kind: str  # "小计" (a block's 小计 too), "合计" or "等级"
    label: str  # the row's own words: 小计, 逆向指标小计, 合计
    text: str  # the score cell as printed
    row: Place  # the row it is on
    since: Place | None  # the row of the figure before it (None: the table's start); it closes the rows between


@attrs.frozen
class TableRead:
    """What the table holds, before its texts are read as rules."""

    title: str
    where: str  # which table of the file
    columns: tuple[tuple[str, str], ...]  # (kind, header title) in order
    nodes: tuple[DraftNode, ...]
    blocks: tuple[DraftBlock, ...]
    total: Decimal | None  # a 合计 row's points, when it states them
    grades: str  # the 等级 row's text, when there is one
    extra_rows: tuple[str, ...]  # 小计 / 逆向指标 / 合计 / 等级, as found
    figures: tuple[RowFigure, ...] = ()  # the score column's figures on the 小计 / 合计 / 等级 rows


def column_kind(title: str) -> str | None:
    """The kind of a header title: level1…level4, points, explanation, standard, score, reason, target, …

    >>> column_kind("三级指标"), column_kind("权重（%）"), column_kind("评分细则"), column_kind("自评分数")
    ('level3', 'points', 'standard', 'score')
    """
    words = re.sub(r"\s+", "", title)
    if not words or len(words) > 20:
        return None
    for index, word in enumerate(_LEVEL_WORDS):
        if words.startswith(word) and "指标" in words:
            return f"level{index + 1}"
    for kind, names in _COLUMN_WORDS:
        if any(name in words for name in names):
            return kind
    return None


def find_table(grids: list[Grid], name: str) -> TableRead:
    """The scoring table of a file: the largest table whose header names the indicator levels and their
    points or scoring standard, with the tables after it that repeat its header (a table split across pages)."""
    candidates = []
    index = 0
    while index < len(grids):
        header = _header(grids[index])
        if header is None:
            index += 1
            continue
        at, kinds = header
        rows = _below(grids[index], at)
        first = _titled(grids[index], at)
        index += 1
        while index < len(grids) and (found := _header(grids[index])) is not None and found[1] == kinds:
            rows.extend(_below(grids[index], found[0]))
            index += 1
        candidates.append((len(rows), first, first.rows[at], kinds, rows))
    if not candidates:
        raise TableError(_nothing_found(grids, name))
    _, grid, header_row, kinds, rows = max(candidates, key=lambda c: c[0])
    return _Reader(grid, header_row, kinds).read(rows)


def _titled(grid: Grid, header: int) -> Grid:
    """A sheet's grid titled by the row above its header holding one text (merged across it), as a Word table is by
    the line above it; a grid with a title, or none such, as it is."""
    if grid.title:
        return grid
    for row in reversed(grid.rows[:header]):
        texts = {" ".join(t.split()) for t in row} - {""}
        if texts:
            return attrs.evolve(grid, title=texts.pop()) if len(texts) == 1 else grid
    return grid


def _below(grid: Grid, header: int) -> list[tuple[Place, tuple[str, ...]]]:
    """The rows under a grid's header, each with its place in the file."""
    return [(grid.place(at), grid.rows[at]) for at in range(header + 1, len(grid.rows))]


def _header(grid: Grid) -> tuple[int, tuple[str | None, ...]] | None:
    """The header row of a grid (its last row of titles, when a title such as 指标 spans two rows) and its
    column kinds; None when the grid is not a scoring table."""
    found = None
    for at, row in enumerate(grid.rows[:8]):
        kinds = tuple(column_kind(text) for text in row)
        levels = [k for k in kinds if k and k.startswith("level")]
        if levels and ("points" in kinds or "standard" in kinds or "target" in kinds):
            found = (at, kinds)
        elif found is not None:
            break
    return found


def _nothing_found(grids: list[Grid], name: str) -> str:
    if not grids:
        return f"{name} 中没有表格：找不到评分表（表头应有“一级指标/二级指标/三级指标”和“分值/权重”或“评分标准”）。"
    seen = "；".join(f"{grid.where}（{len(grid.rows)} 行，表头：{'、'.join(t for t in grid.rows[0] if t)[:60] if grid.rows else '空'}）"
                    for grid in grids[:5])
    return (f"{name} 中找不到评分表：没有一个表格的表头同时写有“一级指标/二级指标/三级指标”和“分值/权重”或“评分标准”。"
            f"找到的表格：{seen}。")


def parse_points(text: str) -> tuple[Decimal | None, bool] | None:
    """Points written in a cell: `10`, `10分`, `２０％`, blank (None, False); None when it is no number.

    >>> parse_points("１０分"), parse_points("20%"), parse_points("")
    ((Decimal('10'), False), (Decimal('20'), True), (None, False))
    """
    text = digits(text).strip()
    if not text:
        return None, False
    if not _POINTS_CELL.fullmatch(text):
        return None
    try:
        value = Decimal(text.rstrip("分%").strip())
    except InvalidOperation:
        return None
    return value, text.endswith("%")


def _shown_points(points: Decimal, percent: bool) -> str:
    return format_points(points) + ("%" if percent else "")


def split_name(text: str) -> tuple[str, Decimal | None, bool]:
    """An indicator cell: its name and the points written with it, `决策（15）` or `决策 15分`; beside a weight,
    `数量指标（50%，10分）`, the points; a mark that the cell continues from the page before, （续）, is no part of it.

    >>> split_name("决策（１５分）"), split_name("人员管理"), split_name("数量指标（权重50%，10分）")
    (('决策', Decimal('15'), False), ('人员管理', None, False), ('数量指标', Decimal('10'), False))
    >>> split_name("决策（续）"), split_name("产出（20分）(续表)")
    (('决策', None, False), ('产出', Decimal('20'), False))
    """
    text = _CONTINUED.sub("", " ".join(text.split()))
    pair = _NAMED_PAIR.match(digits(text))
    if pair is not None and {pair.group(3), pair.group(5)} == {"分", "%"}:
        points = pair.group(2) if pair.group(3) == "分" else pair.group(4)
        return text[:len(pair.group(1))].strip(), Decimal(points), False
    found = _NAMED_POINTS.match(digits(text)) or _TRAILING_POINTS.match(digits(text))
    if found is None:
        return text, None, False
    name = text[:len(found.group(1))].strip()
    return name, Decimal(found.group(2)), found.group(3) == "%"


def _named(level_texts: list[str]) -> list[tuple[int, str]]:
    """(level, text) of the level cells a row names, a cell merged across levels once."""
    return [(level, text) for level, text in enumerate(level_texts)
            if text and not (level and text == level_texts[level - 1])]


class _Reader:
    """Reads the rows below the header into the tree, one row at a time."""

    def __init__(self, grid: Grid, header: tuple[str, ...], kinds: tuple[str | None, ...]):
        self.grid = grid
        self.columns = tuple((kind, " ".join(title.split())) for kind, title in zip(kinds, header) if kind)
        self.header = tuple(" ".join(t.split()) for t in header)
        self.index = {kind: kinds.index(kind) for kind in set(kinds) - {None}}
        self.levels = [kinds.index(f"level{n}") for n in range(1, _MAX_LEVELS + 1) if f"level{n}" in kinds]
        self.roots: list[DraftNode] = []
        self.blocks: list[DraftBlock] = []
        self.path: list[DraftNode | None] = [None] * len(self.levels)
        self.block: DraftBlock | None = None
        self.last: DraftNode | None = None  # the leaf the last row named
        self.total: Decimal | None = None
        self.grades = ""
        self.extra: list[str] = []
        self.figures: list[RowFigure] = []
        # The row of the last 小计 (a 合计 closes one too) and of the last 合计.
        self.closed: dict[str, Place | None] = {"小计": None, "合计": None}
        self.moved = True  # whether an indicator or item row was read since the last 小计 or 合计
        self.rows: list[tuple[Place, tuple[str, ...]]] = []
        self.at = 0  # the row being read, among self.rows

    def read(self, rows: list[tuple[Place, tuple[str, ...]]]) -> TableRead:
        self.rows = rows
        for self.at, (place, row) in enumerate(rows):
            self.row(row, place)
        if not self.roots:
            raise TableError(f"{self.grid.where}的表头可以识别（{'、'.join(t for _, t in self.columns)}），但表中没有指标行。")
        return TableRead(self.grid.title, self.grid.where, self.columns, tuple(self.roots), tuple(self.blocks),
                         self.total, self.grades, tuple(dict.fromkeys(self.extra)), tuple(self.figures))

    def cell(self, row: tuple[str, ...], kind: str) -> str:
        at = self.index.get(kind)
        return row[at].strip() if at is not None and at < len(row) else ""

    def row(self, row: tuple[str, ...], place: Place) -> None:
        texts = [" ".join(t.split()) for t in row]
        if tuple(texts) == self.header or all(not t for t in texts):
            return  # a header repeated on the next page, or an empty row
        grades = self.grade_row(texts)
        if grades is not None:
            self.grades = grades
            self.extra.append("等级")
            self.figure("等级", "等级", row, place)
            return
        level_texts = [texts[c] if c < len(texts) else "" for c in self.levels]
        if any(_SKIP_ROW.match(re.sub(r"\s+", "", t)) for t in level_texts if t):
            self.subtotal(level_texts, row, place)
            return
        self.moved = True
        self.indicator(level_texts, row, place)

    def grade_row(self, texts: list[str]) -> str | None:
        """The 等级 row's text, None for any other row: its first cell, where an indicator's name would be (a leaf's
        评分标准 continued on a row of its own may say 为优 or name grades too), starts with 等级, says 为优 or names
        the grades with their ranges; or it names the grades (评价等级) and the rest of the row gives them."""
        at, first = next(((at, t) for at, t in enumerate(texts) if t), (0, ""))
        if at > min(self.levels):
            return None
        figures = {self.index.get("score"), self.index.get("reason")}  # the grade recorded, and why, are no band
        rest = [t for t in dict.fromkeys(t for c, t in enumerate(texts) if c > at and c not in figures) if t and t != first]
        if names_grades_label(first) and rest:
            return f"{first.rstrip('：:')}：{'，'.join(rest)}"
        if first.startswith("等级") or "为优" in first or names_grades(first):
            return first
        return None

    def subtotal(self, level_texts: list[str], row: tuple[str, ...], place: Place) -> None:
        word = re.sub(r"\s+", "", next(t for t in level_texts if t))
        if "小计" in word:
            self.extra.append("逆向指标" if any(w in word for w in _BLOCK_WORDS) else "小计")
            self.figure("小计", word, row, place)
            return
        self.extra.append("合计")
        self.figure("合计", word, row, place)
        found = parse_points(self.cell(row, "points"))
        if found and found[0] is not None:
            self.total = found[0]

    def figure(self, kind: str, label: str, row: tuple[str, ...], place: Place) -> None:
        """The score cell of a 小计 / 合计 / 等级 row, when it is filled. A 小计 closes the rows since the last 小计
        or 合计, or, right below another 小计 (决策小计 … 过程小计, 小计), the rows since the last 合计 as a 合计
        does."""
        text = self.cell(row, "score")
        if kind == "等级":  # the grade recorded, unless the score cell is the grades' own text merged into it
            score = self.index.get("score")
            if text and text not in (cell.strip() for at, cell in enumerate(row) if at != score):
                self.figures.append(RowFigure(kind, label, text, place, None))
            return
        since = self.closed[kind if self.moved else "合计"]
        self.moved = False
        self.closed["小计"] = place
        if kind == "合计":
            self.closed["合计"] = place
        if text:
            self.figures.append(RowFigure(kind, label, text, place, since))

    def indicator(self, level_texts: list[str], row: tuple[str, ...], place: Place) -> None:
        cells = _named(level_texts)
        if not cells or (len(cells) == 1 and not split_name(cells[0][1])[0]):
            self.continued(cells, row)
            return
        if self.block is not None and cells[0][0] > 0 or self.is_block(cells[0][1]) and cells[0][0] == 0:
            self.block_row(cells, row, place)
            return
        self.block = None
        node = None
        deepest = cells[-1][0]
        for level, text in cells:
            current = self.path[level]
            # The same name again is the same indicator: a merged or repeated level cell, or a leaf
            # whose row continues on the next one.
            if current is not None and current.name == split_name(text)[0] and (
                    level < deepest or not current.children or self.again(current, level, text, row)):
                node = current
                named = split_name(text)
                if named[1] is not None and current.points is not None and named[1:] != (current.points, current.percent):
                    self.conflict(current, "分值", _shown_points(*named[1:]))
                continue
            if level == deepest and self.name_continued(level, text, row):
                return
            node = self.new_node(level, text, place)
        self.fill(node, row)
        self.last = node

    def again(self, node: DraftNode, level: int, text: str, row: tuple[str, ...]) -> bool:
        """A name printed again alone on a row below its children (a level cell merged badly, a level-1's own row
        after its rows) is the same indicator continuing; it starts a second one of that name only when the table
        has one: the first's points complete by its children, the row stating points of its own and the next row
        starting a new child."""
        points = split_name(text)[1]
        found = parse_points(self.cell(row, "points"))
        if points is None and found is not None:
            points = found[0]
        children = [child.points for child in node.children]
        if (points is None or node.points is None or None in children or any(c.percent for c in node.children)
                or sum(children) != node.points):
            return True
        below = self._next_cells()
        if not below or below[0][0] != level + 1:
            return True  # the next level-1 (or 小计) follows, or the rows below go on deeper in its last child
        return split_name(below[0][1])[0] in {child.name for child in node.children}

    def _next_cells(self) -> list[tuple[int, str]]:
        """The level cells the next row naming any gives, a cell merged across levels once."""
        for _, row in self.rows[self.at + 1:]:
            cells = _named([" ".join(row[c].split()) if c < len(row) else "" for c in self.levels])
            if cells:
                return cells
        return []

    def continued(self, cells: list[tuple[int, str]], row: tuple[str, ...]) -> None:
        """A row that continues the last leaf on the next page: its texts, or the points of a name split in two."""
        if self.last is None:
            return
        if cells and self.last.points is None:
            self.last.points = split_name(cells[0][1])[1]
        self.fill(self.last, row)

    def name_continued(self, level: int, text: str, row: tuple[str, ...]) -> bool:
        """A leaf's name broken across a page (预决算信息公 | 开): a name with no points below the last leaf, whose
        points already complete their parent's, is the rest of that leaf's name; its row continues the leaf's texts."""
        last, parent = self.last, next((self.path[p] for p in range(level - 1, -1, -1) if self.path[p]), None)
        if (last is None or self.path[level] is not last or last.children or last.points is None or parent is None
                or parent.points is None or self.cell(row, "points") or self.cell(row, "score")):
            return False
        name, points, _ = split_name(text)
        siblings = [child.points for child in parent.children]
        if points is not None or None in siblings or any(c.percent for c in parent.children) or sum(siblings) != parent.points:
            return False
        last.name += name
        self.fill(last, row)
        return True

    def new_node(self, level: int, text: str, place: Place) -> DraftNode:
        name, points, percent = split_name(text)
        node = DraftNode(name, points, percent, place)
        parent = next((self.path[p] for p in range(level - 1, -1, -1) if self.path[p] is not None), None)
        if level == 0 or parent is None:
            self.roots.append(node)
        else:
            parent.children.append(node)
        self.path[level] = node
        for deeper in range(level + 1, len(self.path)):
            self.path[deeper] = None
        return node

    def fill(self, node: DraftNode, row: tuple[str, ...]) -> None:
        """The texts of the row's deepest indicator; a second row of the same leaf adds its texts."""
        found = parse_points(self.cell(row, "points"))
        if found is not None and found[0] is not None:
            if node.points is None:
                node.points, node.percent = found
            elif found != (node.points, node.percent):
                self.conflict(node, "分值", _shown_points(*found))
        score = self.cell(row, "score")
        if not node.recorded:
            node.recorded = score
        elif score and score != node.recorded:
            self.conflict(node, "得分", score)
        for field, kind in (("explanation", "explanation"), ("standard", "standard"), ("target", "target")):
            text = self.cell(row, kind)
            current = getattr(node, field)
            if text and text != current:
                setattr(node, field, f"{current}\n{text}" if current else text)

    def conflict(self, node: DraftNode, what: str, text: str) -> None:
        """A later row of an indicator giving other points or another score: the first is kept, the other noted
        (once per figure: a level cell repeated on every row says it once)."""
        if any(f"{what} {text} " in conflict for conflict in node.conflicts):
            return
        first = _shown_points(node.points, node.percent) if what == "分值" else node.recorded
        node.conflicts.append(f"原表{self.rows[self.at][0]}再次写出“{node.name}”，{what} {text} 与{node.row}的 {first} "
                              f"不同；草稿取{node.row}的，请核对。")

    def is_block(self, text: str) -> bool:
        return any(word in text for word in _BLOCK_WORDS)

    def block_row(self, cells: list[tuple[int, str]], row: tuple[str, ...], place: Place) -> None:
        """A row of a 逆向指标 / 加分项 block: the block in the first level cell, the item in the next."""
        level, text = cells[0]
        if level == 0:
            name, points, _ = split_name(text)
            kind = ("mixed" if "加减分" in name.replace("加减分项（", "")  # 加减分项（加分） is the bonus half
                    else "bonus" if "加分" in name and "扣分" not in name.replace("加减分", "") else "penalty")
            if self.block is None or self.block.name != name:
                self.block = DraftBlock(name, kind, abs(points) if points is not None else None)
                self.blocks.append(self.block)
            cells = cells[1:]
        cells = [(lv, t) for lv, t in cells if t not in _ITEM_FILLERS]
        if not cells:
            return
        name, points, percent = split_name(cells[0][1])
        items = self.block.items
        if items and items[-1].name == name:
            item = items[-1]
        else:
            item = DraftNode(name, abs(points) if points is not None else None, percent, place)
            items.append(item)
        self.fill(item, row)
        self.last = item
        if item.points is not None:
            item.points = abs(item.points)


__all__ = ["DraftBlock", "DraftNode", "RowFigure", "TableRead", "column_kind", "digits", "find_table", "parse_points", "split_name"]
