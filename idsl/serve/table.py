"""The scoring table as HTML, cell for cell the Word table: the rows, texts and merges come from
idsl.render.docx_table's own row model (a 自评表's from idsl.render.docx_form's grid), so the page and the
.docx cannot disagree."""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING

from idsl.frontend import shift
from idsl.memo import Memo
from idsl.render.docx_form import FormGrid, form_grid, table_notes
from idsl.render.docx_table import Scores, TableWriter
from idsl.semantics.form_styles import form_style
from idsl.semantics.model import Plan
from idsl.semantics.numbers import format_points

if TYPE_CHECKING:  # pragma: no cover
    from idsl.engines.result import Result
    from idsl.io.inputfile import Inputs

_LEVELS = ("level1", "level2", "level3")
_LEVEL_WORDS = ("一级指标", "二级指标", "三级指标")


def table_cells(plan: Plan, result: "Result | None" = None,
                given: "Inputs | None" = None) -> tuple[list[str], list[list[dict]]]:
    """The header titles, and per row the cells that are drawn: text, kind, rowspan, colspan, bold.

    A cell covered by a merge is not listed, as in an HTML table. A 自评表 has no header row of its own
    (its titles are cells of the form), and its filled cells print the inputs `given` as entered.
    """
    if plan.form is not None:
        return [], _form_drawn(form_grid(plan, Scores(result), given))
    writer = TableWriter(None, plan, Scores(result))  # the document is used only when writing Word
    return [column.title for column in plan.layout.columns], _drawn(writer, writer.rows())


def _form_drawn(grid: FormGrid) -> list[list[dict]]:
    """The form's cells as drawn: a label cell shaded and bold, the reasons flush left, as in Word."""
    covered, extents = grid.covered(), grid.extents()
    drawn = []
    for r, row in enumerate(grid.rows):
        cells = []
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            rowspan, colspan = extents.get((r, c), (1, 1))
            head = (r, c) in grid.heads
            kind = "label" if head else "left" if grid.left(r, c) else "cell"
            cells.append({"text": text, "kind": kind, "rowspan": rowspan, "colspan": colspan, "bold": head})
        drawn.append(cells)
    return drawn


def _drawn(writer: TableWriter, rows) -> list[list[dict]]:
    kinds = writer.kinds
    drawn: list[list[dict]] = []
    for r, row in enumerate(rows):
        cells = []
        first, last = row.span if row.span else (None, None)
        for c, text in enumerate(row.cells):
            if first is not None and first < c <= last:
                continue  # inside a horizontal merge
            if writer.is_continuation(rows, r, c):
                continue  # inside a vertical merge of a level column
            cells.append({"text": text, "kind": kinds[c], "rowspan": _rowspan(rows, r, c, kinds[c]),
                          "colspan": (last - first + 1) if c == first else 1, "bold": row.bold})
        drawn.append(cells)
    return drawn


def _rowspan(rows, r: int, c: int, kind: str) -> int:
    """How many rows a level cell covers: the following rows showing the same node (as Word merges them)."""
    key = rows[r].keys.get(kind)
    if kind not in _LEVELS or key is None:
        return 1
    end = r
    while end + 1 < len(rows) and rows[end + 1].keys.get(kind) == key:
        end += 1
    return end - r + 1


def table_html(plan: Plan, result: "Result | None" = None, given: "Inputs | None" = None) -> str:
    """The scoring table as an HTML <table>, every text escaped; line breaks kept. Each level-1
    indicator's rows are a <tbody> of their own (no merge crosses one), then the closing rows', so
    the page replaces only the groups that changed.

    The blank table (no result) is drawn a group at a time and each group's HTML remembered: the
    workbench draws it per keystroke, and an unchanged level-1 indicator is lowered to the very same
    nodes (idsl.semantics.lower), so only the edited group is drawn again.
    """
    if plan.form is not None:
        return _form_html(plan, result, given)
    writer = TableWriter(None, plan, Scores(result))

    def group(top) -> str:
        return _tbody(_drawn(writer, writer.group_rows(top)))

    if result is None:
        groups = [_GROUPS.get((id(shift.origin(top)[0]), plan.layout, plan.places),
                              lambda: (shift.origin(top)[0], group(top)))[1] for top in plan.nodes]
    else:
        groups = [group(top) for top in plan.nodes]
    closing = _drawn(writer, writer.closing_rows())
    body = "".join(groups) + (_tbody(closing) if closing else "")
    head = "".join(f"<th>{escape(column.title)}</th>" for column in plan.layout.columns)
    return f'<table class="scoring"><thead><tr>{head}</tr></thead>{body}</table>'


_GROUPS = Memo(4096)  # a level-1 group's HTML, by the identity of its nodes or of those they were moved from


def _form_html(plan: Plan, result: "Result | None", given: "Inputs | None") -> str:
    """A 自评表 as its Word document prints it: the 表式's heading and the spec's title, the one table (a
    single <tbody>: its label column merges down across the blocks), and the 注 under it (a bottom caption,
    so the page draws it again whenever it changes)."""
    scores = Scores(result)
    heading = f"<strong>{escape(form_style(plan.form).title)}</strong>"
    heading += f"<br>{escape(plan.title)}" if plan.title else ""
    notes = "<br>".join(escape(line) for line in table_notes(plan, scores))
    caption = f"<caption>{notes}</caption>" if notes else ""
    body = _tbody(_form_drawn(form_grid(plan, scores, given)))
    return f'<p class="form-title">{heading}</p><table class="scoring form">{caption}{body}</table>'


def _tbody(rows: list[list[dict]]) -> str:
    return f"<tbody>{_rows_html(rows)}</tbody>"


def _rows_html(rows: list[list[dict]]) -> str:
    parts = []
    for cells in rows:
        parts.append("<tr>")
        for cell in cells:
            spans = "".join(f' {name}="{cell[name]}"' for name in ("rowspan", "colspan") if cell[name] > 1)
            classes = cell["kind"] + (" bold" if cell["bold"] else "") + (" merged" if cell["colspan"] > 1 else "")
            text = escape(cell["text"]).replace("\n", "<br>")
            parts.append(f'<td class="{classes}"{spans}>{text}</td>')
        parts.append("</tr>")
    return "".join(parts)


def level_sums(plan: Plan) -> list[dict]:
    """The points of every level added up (and the declared 总分), so a level that does not add up shows.

    Leaves above the deepest level count at every level below them, as the table shows them.
    """
    deepest = max((node.level for node in plan.walk()), default=0)
    sums = []
    for level in range(1, deepest + 1):
        nodes = [n for n in plan.walk() if n.level == level or (n.leaf is not None and n.level < level)]
        total = sum((n.points for n in nodes), Decimal(0))
        word = _LEVEL_WORDS[level - 1] if level <= len(_LEVEL_WORDS) else f"{level}级指标"
        sums.append({"level": level, "name": word, "points": format_points(total),
                     "matches": total == plan.total})
    return sums
