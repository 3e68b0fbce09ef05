"""The Word scoring table (评分表), blank or filled, printed from a Plan (and a scoring Result).

One public verb, `render_docx(plan, result=None) -> bytes`. Inputs are frozen and nothing is
written: the caller writes the bytes (atomically, `idsl.io.files.write_atomic`).

The blank table is laid out as seed 001's 附件1 unless the spec declares its own layout
(002's: 权重 / 指标说明 / 自评分数 / 扣分原因 columns and 小计 / 逆向指标 / 合计 / 等级 rows):
a title line, the header row repeated on every page, one row per leaf, the level cells merged
vertically and written "决策（15）", short rows kept whole across pages and long ones let break
(`idsl.render.docx_xml`), every cell vertically centred, the 三级指标 column wide enough for a
10-character name, A4 landscape, Chinese text in 宋体 (every run's eastAsia font) with Latin text
in Times New Roman. Every 评分标准 is generated
from the rule (`idsl.render.standard.standard_text`) unless the author attached verbatim text.

Filled (a `Result` given): the 得分 and 得分原因 cells, then the summary table (一级指标 | 分值 |
得分 | 得分率%, like 001 表4), the conclusion block (评价得分, 评价等级, 得分率 per level-1
category, like 001's 评价结论表) — the two kept together on one page — and a bar chart of the
level-1 score rates. A result with unscored leaves (missing evidence allowed) is marked in red
under the title.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from docx.enum.text import WD_ALIGN_PARAGRAPH

from idsl.render.docx_form import form_table
from idsl.render.docx_summary import chart, conclusion, summary
from idsl.render.docx_table import Scores, TableWriter, grade_bands_text
from idsl.render.consequences import table_rule_lines
from idsl.render.word import EAST_ASIAN_FONT, LATIN_FONT, RED, TITLE_SIZE, new_document, paragraph
from idsl.semantics.form_styles import form_style
from idsl.semantics.model import Plan

if TYPE_CHECKING:  # pragma: no cover
    from idsl.engines.result import Result
    from idsl.io.inputfile import Inputs

INCOMPLETE_NOTICE = "部分结果：本评分表含未评指标，总分只含已评指标，不评等级"


def render_docx(plan: Plan, result: "Result | None" = None, given: "Inputs | None" = None) -> bytes:
    """The .docx bytes of the plan's scoring table: blank, or filled from `result`.

    >>> from idsl.semantics.lower import lower
    >>> from idsl.frontend.resolve import load_text
    >>> from idsl.frontend.source import Source
    >>> spec = load_text(Source("t.idsl", '体系 "示例" 总分 3\\n决策（3）\\n  目标设定（3）\\n    合理性（3）\\n      酌情\\n')).spec
    >>> from docx import Document
    >>> data = render_docx(lower(spec))
    >>> data[:2], len(Document(io.BytesIO(data)).tables[0].rows)
    (b'PK', 2)
    """
    if plan.form is not None:
        return _form_document(plan, result, given)
    document = new_document(plan.layout.title)
    paragraph(document, plan.layout.title, bold=True, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    if result is not None:
        if result.incomplete:
            paragraph(document, INCOMPLETE_NOTICE, bold=True, color=RED, align=WD_ALIGN_PARAGRAPH.CENTER)
        if result.unit:
            paragraph(document, f"被评价单位：{result.unit}", align=WD_ALIGN_PARAGRAPH.LEFT)
    rows = Scores(result)
    TableWriter(document, plan, rows).write()
    for line in table_rule_lines(plan, result):  # rules over the whole table: under it
        paragraph(document, line, align=WD_ALIGN_PARAGRAPH.LEFT)
    _total_note(document, result)
    if result is not None:
        summary(document, plan, rows, result)
        conclusion(document, plan, rows, result)
        chart(document, plan, rows)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def _form_document(plan: Plan, result: "Result | None", given: "Inputs | None") -> bytes:
    """A 自评表 spec's table in the layout of its 表式: title, the unit when filled, then the one table."""
    heading = form_style(plan.form).title
    document = new_document(plan.title or heading)
    paragraph(document, heading, bold=True, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(document, plan.title, align=WD_ALIGN_PARAGRAPH.CENTER)
    if result is not None and result.incomplete:
        paragraph(document, INCOMPLETE_NOTICE, bold=True, color=RED, align=WD_ALIGN_PARAGRAPH.CENTER)
    if result is not None and result.unit:
        paragraph(document, f"被评价单位：{result.unit}", align=WD_ALIGN_PARAGRAPH.LEFT)
    form_table(document, plan, Scores(result), given)
    _total_note(document, result)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def _total_note(document, result: "Result | None") -> None:
    """What `idsl score` prints under the total, under the table: the evaluator's note on the total (notes →
    总分) and what changed it (the 一票否决 that held, 总分上限, 按实际适用分值折算), else a total of 0 beside level-1
    scores that add up to more would stand unexplained."""
    if result is not None and result.total_note:
        paragraph(document, f"总分说明：{result.total_note}", align=WD_ALIGN_PARAGRAPH.LEFT)


__all__ = ["EAST_ASIAN_FONT", "INCOMPLETE_NOTICE", "LATIN_FONT", "grade_bands_text", "render_docx"]
