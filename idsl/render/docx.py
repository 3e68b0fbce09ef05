"""The Word scoring table (评分表), blank or filled, printed from a Plan (and a scoring Result).

One public verb, `render_docx(plan, result=None) -> bytes`. Inputs are frozen and nothing is
written: the caller writes the bytes (atomically, `idsl.io.files.write_atomic`).

The blank table is laid out as seed 001's 附件1 unless the spec declares its own layout
(002's: 权重 / 指标说明 / 自评分数 / 扣分原因 columns and 小计 / 逆向指标 / 合计 / 等级 rows):
a title line, the header row repeated on every page, one row per leaf, the level cells merged
vertically and written "决策（15）", rows kept whole across pages, A4 landscape, Chinese text in
宋体 (every run's eastAsia font) with Latin text in Times New Roman. Every 评分标准 is generated
from the rule (`idsl.render.standard.standard_text`) unless the author attached verbatim text.

Filled (a `Result` given): the 得分 and 得分原因 cells, then the summary table (一级指标 | 分值 |
得分 | 得分率%, like 001 表4), the conclusion block (评价得分, 评价等级, 得分率 per level-1
category, like 001's 评价结论表) and a bar chart of the level-1 score rates. A result with
unscored leaves (missing evidence allowed) is marked in red under the title.
"""

from __future__ import annotations

import io
import warnings
from decimal import Decimal
from typing import TYPE_CHECKING, Iterable, Sequence

import attrs
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import _Cell
from docx.shared import Mm, Pt, RGBColor

from idsl.frontend import ast
from idsl.semantics.model import AdjustmentBlock, Node, Plan
from idsl.semantics.numbers import decimal_text, format_points
from idsl.render.standard import standard_text

if TYPE_CHECKING:  # pragma: no cover
    from idsl.engines.python import NodeResult, Result

EAST_ASIAN_FONT = "宋体"  # every run's w:eastAsia font
LATIN_FONT = "Times New Roman"  # every run's w:ascii / w:hAnsi font
BODY_SIZE = Pt(10.5)  # 五号
TITLE_SIZE = Pt(16)  # 三号
INCOMPLETE_NOTICE = "本评分表含未评指标，结果不完整"
RED = RGBColor(0xC0, 0x00, 0x00)

PAGE_WIDTH, PAGE_HEIGHT = Mm(297), Mm(210)  # A4 landscape
MARGIN_SIDE, MARGIN_TOP = Mm(15), Mm(18)

# Relative widths by column kind: narrow level and score columns, wide texts.
_WIDTHS = {"level1": 20, "level2": 21, "level3": 25, "points": 11, "explanation": 46, "standard": 74,
           "reason": 52, "score": 13}
_CHAR_MM = 4.0  # one Chinese character at 10.5 pt (bold); header titles stay on one line
_CELL_PADDING_MM = 4.4  # both cell margins, with room to spare
_CENTRED = {"level1", "level2", "level3", "points", "score"}
_LEVELS = ("level1", "level2", "level3")
_ITEM_WORD = {"penalty": "扣分处理", "bonus": "加分处理"}
_MISSING = "未评"


def render_docx(plan: Plan, result: "Result | None" = None) -> bytes:
    """The .docx bytes of the plan's scoring table: blank, or filled from `result`.

    >>> from idsl.semantics.lower import lower
    >>> from idsl.frontend.resolve import load_text
    >>> from idsl.frontend.source import Source
    >>> spec = load_text(Source("t.idsl", '体系 "示例" 总分 3\\n决策（3）\\n  目标设定（3）\\n    合理性（3）\\n      酌情\\n')).spec
    >>> data = render_docx(lower(spec))
    >>> data[:2], len(Document(io.BytesIO(data)).tables[0].rows)
    (b'PK', 2)
    """
    document = _new_document(plan.layout.title)
    _paragraph(document, plan.layout.title, bold=True, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    if result is not None:
        if result.incomplete:
            _paragraph(document, INCOMPLETE_NOTICE, bold=True, color=RED, align=WD_ALIGN_PARAGRAPH.CENTER)
        if result.unit:
            _paragraph(document, f"被评价单位：{result.unit}", align=WD_ALIGN_PARAGRAPH.LEFT)
    rows = _Scores(result)
    _TableWriter(document, plan, rows).write()
    if result is not None:
        _summary(document, plan, rows, result)
        _conclusion(document, plan, rows, result)
        _chart(document, plan, rows)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


# ---------------------------------------------------------------- scores by path


class _Scores:
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
            return _MISSING if self.filled else ""
        if row.status == "not_applicable":
            return "不适用"
        if row.score is None:
            return _MISSING
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


class _TableWriter:
    def __init__(self, document, plan: Plan, scores: _Scores):
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
        rows = [self.leaf_row(node) for node in self.plan.leaves()]
        wanted = [row.kind for row in self.plan.layout.rows]
        if not wanted and self.plan.adjustments:  # 001's layout names no rows; blocks must still show
            wanted = ["adjustments", "total"]
        titles = {row.kind: row.title for row in self.plan.layout.rows}
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
        if not self.scores.filled:
            return ""
        return _MISSING if value is None else format_points(value)

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
            cells[column] = self.level_text(shown, is_leaf, level)
            keys[self.kinds[column]] = path
            if is_leaf and level < 3:  # a leaf above level 3 (002 人员管理(2)) spans the deeper level columns
                deeper = [i for i in self.levels if self.kinds[i] > self.kinds[column]]
                if deeper:
                    span = (column, max(deeper))
        self.fill(cells, node, explanation=node.explanation or "", standard=standard_text(node),
                  points=format_points(node.points), score=self.scores.score(node), reason=self.scores.reason(node))
        return _Row(cells, keys, span)

    def level_text(self, node: Node | None, is_leaf: bool, level: int) -> str:
        if node is None:
            return ""
        if is_leaf and level >= 3 and self.has_points:  # 002 prints a level-3 leaf's points in 权重 only
            return node.name
        return f"{node.name}（{format_points(node.points)}）"

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
            self.fill(cells, explanation=item.explanation or "", standard=standard_text(item, kind=block.kind),
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
            grade = self.scores.result.grade if self.scores.result is not None else None
            cells[score] = (grade or _MISSING) if self.scores.filled else ""
        return _Row(cells, {}, (0, last) if last > 0 else None, bold=True)

    # -- writing

    def write(self) -> None:
        rows = self.rows()
        table = self.document.add_table(rows=len(rows) + 1, cols=len(self.columns))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        widths = _column_widths(self.kinds, [c.title for c in self.columns])
        _fixed_layout(table, widths)
        header = table.rows[0]
        _mark_row(header, header=True)
        for column, title in enumerate(c.title for c in self.columns):
            cell = header.cells[column]
            _write_cell(cell, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
            _shade(cell, "E7E6E6")
        for number, row in enumerate(rows, 1):
            _mark_row(table.rows[number])
        # The grid before any merge, read once (table.cell walks the whole table on every call).
        cells = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst[1:]]
        # Texts first (each cell's own), then merges: a merge keeps the first cell's text only.
        for r, row in enumerate(rows):
            for c, text in enumerate(row.cells):
                if self.is_continuation(rows, r, c):
                    continue
                centred = self.kinds[c] in _CENTRED or (row.span and row.span[0] <= c <= row.span[1])
                align = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT
                _write_cell(cells[r][c], text, bold=row.bold, align=align)
        for r, row in enumerate(rows):
            if row.span:
                first, last = row.span
                _clear(cells[r][last])
                for c in range(first + 1, last):
                    _clear(cells[r][c])
                cells[r][first].merge(cells[r][last])
        for c, kind in enumerate(self.kinds):
            if kind not in _LEVELS:
                continue
            start = 0
            while start < len(rows):
                key = rows[start].keys.get(kind)
                end = start
                while key is not None and end + 1 < len(rows) and rows[end + 1].keys.get(kind) == key:
                    end += 1
                if end > start:
                    for r in range(start + 1, end + 1):
                        _clear(cells[r][c])
                    cells[start][c].merge(cells[end][c])
                start = end + 1

    def is_continuation(self, rows: list[_Row], r: int, c: int) -> bool:
        kind = self.kinds[c]
        key = rows[r].keys.get(kind)
        return kind in _LEVELS and key is not None and r > 0 and rows[r - 1].keys.get(kind) == key


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


# ---------------------------------------------------------------- summary, conclusion, chart


def _level1(plan: Plan, scores: _Scores) -> list[tuple[Node, "NodeResult | None"]]:
    return [(node, scores.row(node)) for node in plan.nodes]


def _rate_text(row: "NodeResult | None", percent: bool = False) -> str:
    if row is None or row.rate is None:
        return _MISSING if row is None or row.status != "not_applicable" else "/"
    return decimal_text(row.rate) + ("%" if percent else "")


def _total_rate(result: "Result") -> str:
    if result.total is None or not result.total_points:
        return _MISSING
    from idsl.semantics.numbers import half_up

    return decimal_text(half_up(Decimal(result.total) / Decimal(result.total_points) * 100, 2))


def _summary(document, plan: Plan, scores: _Scores, result: "Result") -> None:
    """001 表4: 一级指标 | 分值 | 得分 | 得分率%, each level-1 category, the blocks, and 合计."""
    _paragraph(document, "")
    _paragraph(document, "部门总得分情况", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER).paragraph_format.keep_with_next = True
    body = [[node.name, format_points(node.points), scores.score(node), _rate_text(row)]
            for node, row in _level1(plan, scores)]
    for block in plan.adjustments:
        cap = block.cap if block.cap is not None else sum((i.points for i in block.items), Decimal(0))
        sign = "-" if block.kind == "penalty" else "+"
        body.append([block.name, f"{sign}{format_points(cap)}", scores.block_total(block), "/"])
    total = format_points(result.total) if result.total is not None else _MISSING
    body.append(["合计", format_points(plan.total), total, _total_rate(result)])
    _simple_table(document, ["一级指标", "分值", "得分", "得分率%"], body, [60, 35, 35, 40], bold_last=True)


def _conclusion(document, plan: Plan, scores: _Scores, result: "Result") -> None:
    """001's 评价结论表: 评价得分, 评价等级, and the score rate of every level-1 category."""
    _paragraph(document, "")
    _paragraph(document, "评价结论", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER).paragraph_format.keep_with_next = True
    level1 = _level1(plan, scores)
    values = max(len(level1), 3)
    columns = 2 + values
    table = document.add_table(rows=3, cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_layout(table, [Mm(30), Mm(24)] + [Mm(min(34, 200 / values))] * values)
    for row in table.rows:
        _mark_row(row)
    score = format_points(result.total) + "分" if result.total is not None else _MISSING
    if result.incomplete:
        score += "（不完整）"
    grade = result.grade or _MISSING
    k = max(1, (values - 1) // 2)
    texts = {(0, 0): "综合评价结论", (0, 1): "评价得分", (0, 2): score, (0, 2 + k): "评价等级", (0, 3 + k): grade,
             (1, 0): "绩效分析", (1, 1): "指标", (2, 1): "得分率"}
    for i, (node, row) in enumerate(level1):
        texts[(1, 2 + i)] = node.name
        texts[(2, 2 + i)] = _rate_text(row, percent=True)
    for (r, c), text in texts.items():
        _write_cell(table.cell(r, c), text, bold=(c <= 1 and r == 0) or c == 0 or (r == 0 and text in ("评价等级",)),
                    align=WD_ALIGN_PARAGRAPH.CENTER)
    for r in range(3):
        for c in range(columns):
            if (r, c) not in texts:
                _write_cell(table.cell(r, c), "", align=WD_ALIGN_PARAGRAPH.CENTER)
    if k > 1:
        table.cell(0, 2).merge(table.cell(0, 1 + k))
    if 3 + k < columns - 1:
        table.cell(0, 3 + k).merge(table.cell(0, columns - 1))
    table.cell(1, 0).merge(table.cell(2, 0))


def _chart(document, plan: Plan, scores: _Scores) -> None:
    """A bar chart of each level-1 category's score rate, embedded as a PNG."""
    names, rates, labels = [], [], []
    for node, row in _level1(plan, scores):
        names.append(node.name)
        rate = row.rate if row is not None and row.rate is not None else None
        rates.append(float(rate) if rate is not None else 0.0)
        labels.append(decimal_text(rate) + "%" if rate is not None else _MISSING)
    png = chart_png(names, rates, labels, "各一级指标得分率")
    _paragraph(document, "")
    document.add_picture(io.BytesIO(png), width=Mm(160))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def chart_png(names: Sequence[str], rates: Sequence[float], labels: Sequence[str], title: str) -> bytes:
    """A bar chart (PNG bytes) of rates in percent, one labelled bar per name; CJK font if one is installed.

    Without a CJK font the chart is still drawn, with the same labels (the glyphs may show as boxes).

    >>> chart_png(["决策", "过程"], [93.33, 100.0], ["93.33%", "100%"], "得分率")[:4]
    b'\\x89PNG'
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = cjk_font()
    settings = {"font.family": "sans-serif", "axes.unicode_minus": False}
    if font:
        settings["font.sans-serif"] = [font, "DejaVu Sans"]
    with matplotlib.rc_context(settings), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # missing glyphs without a CJK font: draw boxes, do not fail
        figure = Figure(figsize=(6.4, 3.2), dpi=150)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        positions = list(range(len(names)))
        bars = axes.bar(positions, rates, color="#4472C4", width=0.55)
        axes.set_xticks(positions, list(names))
        axes.set_ylim(0, 115)
        axes.set_ylabel("得分率（%）")
        axes.set_title(title)
        axes.spines[["top", "right"]].set_visible(False)
        for bar, label in zip(bars, labels):
            axes.annotate(label, (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom",
                          xytext=(0, 2), textcoords="offset points", fontsize=9)
        figure.tight_layout()
        stream = io.BytesIO()
        figure.savefig(stream, format="png", metadata={"Software": None})
    return stream.getvalue()


_CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "Source Han Serif SC",
                 "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "SimSun", "Microsoft YaHei",
                 "AR PL UMing CN", "AR PL UKai CN", "Droid Sans Fallback", "Noto Sans CJK JP")
_CJK_FILE_HINTS = ("cjk", "wqy", "simhei", "simsun", "msyh", "uming", "ukai", "droidsansfallback", "sourcehan")


def cjk_font() -> str | None:
    """The family name of an installed font that has Chinese glyphs, or None (found with matplotlib.font_manager)."""
    from matplotlib import font_manager

    def known() -> str | None:
        names = {entry.name for entry in font_manager.fontManager.ttflist}
        for family in _CJK_FAMILIES:
            if family in names:
                return family
        return next((name for name in sorted(names) if "CJK" in name), None)

    found = known()
    if found:
        return found
    # matplotlib's font cache may predate the fonts (installed after the first import): add them.
    try:
        paths = font_manager.findSystemFonts()
    except Exception:  # pragma: no cover - a broken fontconfig must not break the document
        return None
    for path in paths:
        if any(hint in path.lower().replace("-", "").replace("_", "") for hint in _CJK_FILE_HINTS):
            try:
                font_manager.fontManager.addfont(path)
            except Exception:  # pragma: no cover
                continue
    return known()


# ---------------------------------------------------------------- docx helpers


def _new_document(title: str):
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN_SIDE
    section.top_margin = section.bottom_margin = MARGIN_TOP
    for name in ("Normal", "Table Grid"):
        style = document.styles[name]
        style.font.name = LATIN_FONT
        style.font.size = BODY_SIZE
        _east_asian(style.element.get_or_add_rPr())
    document.core_properties.title = title
    document.core_properties.author = "idsl"
    return document


def _east_asian(rpr) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)


def _style_run(run, bold: bool = False, size=None, color: RGBColor | None = None) -> None:
    run.font.name = LATIN_FONT
    run.font.size = size or BODY_SIZE
    run.bold = bold or None
    if color is not None:
        run.font.color.rgb = color
    _east_asian(run._element.get_or_add_rPr())


def _paragraph(document, text: str, bold: bool = False, size=None, color=None, align=None):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if text:
        _style_run(paragraph.add_run(text), bold, size, color)
    return paragraph


def _write_cell(cell, text: str, bold: bool = False, align=WD_ALIGN_PARAGRAPH.LEFT) -> None:
    """Text into a cell, one paragraph per line, every run with its fonts; vertically centred."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = text.split("\n") if text else [""]
    for index, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = align
        paragraph.paragraph_format.space_before = Pt(0)
        paragraph.paragraph_format.space_after = Pt(0)
        if line:
            _style_run(paragraph.add_run(line), bold)


def _clear(cell) -> None:
    """Empty a cell before it is merged into another (a merge would append its paragraphs)."""
    for paragraph in cell.paragraphs[1:]:
        paragraph._element.getparent().remove(paragraph._element)
    for run in list(cell.paragraphs[0].runs):
        run._element.getparent().remove(run._element)


def _mark_row(row, header: bool = False) -> None:
    """w:cantSplit on every row (kept whole across pages); w:tblHeader on the header (repeated on every page)."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _column_widths(kinds: Sequence[str], titles: Sequence[str]) -> list:
    """Widths (EMU) filling the usable page width by the kinds' weights, none narrower than its title."""
    usable = PAGE_WIDTH - 2 * MARGIN_SIDE
    least = [Mm(len(title) * _CHAR_MM + _CELL_PADDING_MM) for title in titles]
    weights = [_WIDTHS.get(kind, 30) for kind in kinds]
    widths = [usable * weight / sum(weights) for weight in weights]
    short = [i for i, width in enumerate(widths) if width < least[i]]
    if short:  # give the narrow columns their least width, share the rest among the others by weight
        rest = usable - sum(least[i] for i in short)
        others = [i for i in range(len(kinds)) if i not in short]
        share = sum(weights[i] for i in others)
        for i in others:
            widths[i] = rest * weights[i] / share
        for i in short:
            widths[i] = least[i]
    return [int(width) for width in widths]


def _fixed_layout(table, widths: Sequence) -> None:
    """Fixed column widths: the grid, every cell, and w:tblLayout fixed so Word and LibreOffice keep them."""
    table.autofit = False
    tblpr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths):
        column.set(qn("w:w"), str(int(width / 635)))  # EMU → twentieths of a point
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def _simple_table(document, header: Sequence[str], body: Iterable[Sequence[str]], widths_mm: Sequence[int],
                  bold_last: bool = False) -> None:
    body = [list(row) for row in body]
    table = document.add_table(rows=len(body) + 1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_layout(table, [Mm(w) for w in widths_mm])
    _mark_row(table.rows[0], header=True)
    for c, title in enumerate(header):
        _write_cell(table.cell(0, c), title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _shade(table.cell(0, c), "E7E6E6")
    for r, row in enumerate(body, 1):
        _mark_row(table.rows[r])
        for c, text in enumerate(row):
            _write_cell(table.cell(r, c), text, bold=bold_last and r == len(body), align=WD_ALIGN_PARAGRAPH.CENTER)


__all__ = ["EAST_ASIAN_FONT", "INCOMPLETE_NOTICE", "LATIN_FONT", "chart_png", "cjk_font", "grade_bands_text",
           "render_docx"]
