"""The rules over the whole table (vetoes, the cap, 等级不高于, 结果) read alike in the Word table and the workbook."""

from __future__ import annotations

from plans import two_sections

import io

import docx
import openpyxl

from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.render.docx import render_docx
from idsl.render.workbook import template_workbook
from idsl.semantics.lower import lower

SPEC = """体系 "例" 总分 10
等级 优：总分 ≥ 9；良：8 ≤ 总分 < 9；中：6 ≤ 总分 < 8；差：总分 < 6
一票否决 若 发生重大安全责任事故
一票否决 产出 若 被通报批评
一票否优 若 违规资金 > 0 万元
总分上限 = 资金到位率 × 分值
等级不高于 良 若 任一指标得分率低于 60%
等级不高于 中 若 不得分的指标 ≥ 2 个
结果 付费比例
  总分 ≥ 9：100%
  8 ≤ 总分 < 9：95%
  否则：0%
输入 发生重大安全责任事故：是否，被通报批评：是否，违规资金：金额 万元，资金到位率：比率

""" + two_sections()

WHOLE_TABLE = [
    "一票否决：如发生重大安全责任事故，总分为0分。",
    "一票否决：如被通报批评，“产出”得0分。",
    "一票否优：如违规资金大于0万元，等级最高为良。",
    "总分上限：总分不超过资金到位率×分值（分值即总分10分）。",
    "等级限制：有指标得分低于该指标分值的60%的，等级最高为良。",
    "等级限制：不得分的指标有2个及以上的，等级最高为中。",
    "付费比例：9（含）-10分为100%、8（含）-9分为95%、其他为0%。",
]


def _plan():
    loaded = load_text(Source("whole.idsl", SPEC))
    return lower(loaded.spec, loaded.sources)


def test_the_workbook_standard_sheet_lists_the_grades_and_every_rule_over_the_table():
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(_plan())))
    rows = list(book["评分标准"].iter_rows(min_row=2, values_only=True))
    leaves = [row[0] for row in rows[:2]]
    assert leaves == ["决策/重点工作完成率", "产出/完成率"]
    assert rows[2][:3] == ("等级", None, "等级：9（含）-10分为优、8（含）-9分为良、6（含）-8分为中、6分以下为差。")
    assert [row[2] for row in rows[3:]] == WHOLE_TABLE
    assert {row[0] for row in rows[3:]} == {"（全表）"}


def test_the_word_table_prints_the_same_lines_under_the_table():
    document = docx.Document(io.BytesIO(render_docx(_plan())))
    paragraphs = [p.text for p in document.paragraphs]
    start = paragraphs.index(WHOLE_TABLE[0])
    assert paragraphs[start:start + len(WHOLE_TABLE)] == WHOLE_TABLE


def test_a_spec_without_grades_or_rules_adds_no_row():
    loaded = load_text(Source("p.idsl", "体系 \"例\" 总分 10\n决策（10）\n  完成率（10）\n    解释 完成情况。\n    酌情\n"))
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(lower(loaded.spec, loaded.sources))))
    assert [row[0] for row in book["评分标准"].iter_rows(min_row=2, values_only=True)] == ["决策/完成率"]
