"""The Word scoring table read back with python-docx: golden structure for 001, 002 and 007, blank and filled.

Golden files: tests/cases/docx/<name>.table.json (cell text per row and column, merges, header-repeat
and cantSplit flags, fonts, page). Regenerate with `pytest --regen` and review the diff.
"""

from __future__ import annotations

import idsl

import copy
import json

import pytest

from docx_structure import docx_structure, texts_of
from idsl.render import chart as idsl_chart
from idsl.render.docx import INCOMPLETE_NOTICE, grade_bands_text, render_docx
from idsl.io.inputs import read_inputs
from idsl.semantics.numbers import format_points, loads
from idsl.render.standard import standard_text
from plans import CASES, compare_golden, plan_of, seed_inputs, seed_spec

GOLDEN = CASES / "docx"
SEEDS = ["001", "002", "007"]


def _result(number: str, allow_missing: bool = False, drop: tuple[str, ...] = ()):
    plan = plan_of(seed_spec(number))
    data = loads(seed_inputs(number).read_text(encoding="utf-8"))
    for key in drop:
        del data["inputs"][key]
    return idsl.score(plan, read_inputs(data), allow_missing=allow_missing)


@pytest.fixture(scope="module")
def documents() -> dict[str, dict]:
    """The documents' structures: each seed blank and filled."""
    out = {}
    for number in SEEDS:
        plan = plan_of(seed_spec(number))
        out[f"{number}_blank"] = docx_structure(render_docx(plan))
        out[f"{number}_filled"] = docx_structure(render_docx(plan, _result(number)))
    return out


def _golden_text(structure: dict) -> str:
    return json.dumps(structure, ensure_ascii=False, indent=1) + "\n"


@pytest.mark.parametrize("name", [f"{n}_{kind}" for n in SEEDS for kind in ("blank", "filled")])
def test_golden_structure(documents, name, regen):
    compare_golden(GOLDEN / f"{name}.table.json", _golden_text(documents[name]), regen)


@pytest.mark.parametrize("name", [f"{n}_{kind}" for n in SEEDS for kind in ("blank", "filled")])
def test_page_fonts_and_row_flags(documents, name):
    doc = documents[name]
    assert doc["page"] == {"orientation": "landscape", "width_mm": 297.0, "height_mm": 210.0}
    assert doc["fonts"] == {"eastAsia": ["宋体"], "ascii": ["Times New Roman"], "runs_without_eastAsia": 0}
    main = doc["tables"][0]
    assert main["fixed"]
    assert [row["header"] for row in main["rows"]] == [True] + [False] * (len(main["rows"]) - 1)
    assert main["rows"][0]["cantSplit"]  # long body rows may break across pages (tests/test_docx_layout.py)
    assert all(row["cantSplit"] for table in doc["tables"][1:] for row in table["rows"])
    assert doc["paragraphs"][0][0].endswith(("评分表", "意见表", "评分表（参考样表）"))


def _cell_text(cell) -> str:
    return cell if isinstance(cell, str) else cell["text"]


def _grid(row: dict) -> list[str]:
    """A row's texts by grid column: a cell spanning n columns fills n places."""
    out = []
    for cell in row["cells"]:
        out.extend([_cell_text(cell)] * (cell.get("gridSpan", 1) if isinstance(cell, dict) else 1))
    return out


def _column(table: dict, title: str) -> int:
    return [_cell_text(c) for c in table["rows"][0]["cells"]].index(title)


def test_001_blank_layout(documents):
    table = documents["001_blank"]["tables"][0]
    header = [_cell_text(c) for c in table["rows"][0]["cells"]]
    assert header == ["一级指标", "二级指标", "三级指标", "指标解释", "评分标准", "得分原因", "得分"]
    first = table["rows"][1]["cells"]
    assert first[0] == {"text": "决策（15）", "vMerge": "restart"}
    assert first[1] == {"text": "目标设定（9）", "vMerge": "restart"}
    assert first[2] == "年度绩效目标合理性（3）"
    level1 = [row["cells"][0] for row in table["rows"][1:]]
    assert [c["text"] for c in level1 if c.get("vMerge") == "restart"] == ["决策（15）", "过程（24）", "产出（33）", "效益（28）"]
    assert all(c == {"text": "", "vMerge": "continue"} for c in level1 if c.get("vMerge") != "restart")
    plan = plan_of(seed_spec("001"))
    assert len(table["rows"]) == 1 + len(list(plan.leaves()))
    # Blank: no reasons, no scores; the narrow columns narrower than the texts.
    assert all(_cell_text(row["cells"][5]) == "" and _cell_text(row["cells"][6]) == "" for row in table["rows"][1:])
    grid = table["grid_mm"]
    assert grid[0] < grid[3] < grid[4] and grid[6] < grid[3]


def test_every_standard_cell_is_the_generated_text(documents):
    for number in SEEDS:
        plan = plan_of(seed_spec(number))
        table = documents[f"{number}_blank"]["tables"][0]
        column = _column(table, "评分标准")
        leaves = list(plan.leaves()) + [item for _, item in plan.items()]
        kinds = [None] * len(list(plan.leaves())) + [block.kind for block, _ in plan.items()]
        cells = [_grid(row)[column] for row in table["rows"][1:]]
        for node, kind in zip(leaves, kinds):
            expected = standard_text(node, kind=kind or "score")
            assert expected in cells, node.key


def test_002_layout_extra_columns_and_rows(documents):
    table = documents["002_blank"]["tables"][0]
    header = [_cell_text(c) for c in table["rows"][0]["cells"]]
    assert header == ["一级指标", "二级指标", "三级指标", "权重", "指标说明", "评分标准", "自评分数", "扣分原因"]
    rows = {_cell_text(row["cells"][1]) if len(row["cells"]) > 1 else "": row for row in table["rows"]}
    staffing = rows["人员管理（2）"]["cells"]
    assert staffing[1] == {"text": "人员管理（2）", "gridSpan": 2}  # a level-2 leaf spans the level-3 column
    assert _cell_text(staffing[2]) == "2"  # 权重
    labels = [_cell_text(row["cells"][0]) for row in table["rows"]]
    assert "小计" in labels and "逆向指标小计" in labels and "合计" in labels
    assert "逆向指标（-40）" in labels
    grade = "等级（90（含）-100分为优、80（含）-90分为良、60（含）-80分为中、60分以下为差）"
    assert grade in labels
    subtotal = next(row for row in table["rows"] if _cell_text(row["cells"][0]) == "小计")
    assert subtotal["cells"][0] == {"text": "小计", "gridSpan": 3} and _cell_text(subtotal["cells"][1]) == "100"
    penalty = next(row for row in table["rows"] if "自评工作质量（-10分）" in map(_cell_text, row["cells"]))
    assert [_cell_text(c) for c in penalty["cells"][1:4]] == ["自评工作质量（-10分）", "扣分处理", "-10"]
    # Level-3 leaves print their points in 权重 only; branches keep them in the name.
    first = table["rows"][1]["cells"]
    assert [_cell_text(c) for c in first[:4]] == ["预算编制情况（30）", "预算编制（18）", "预算编制合理性", "5"]


def test_001_filled_scores_summary_conclusion_chart(documents):
    doc = documents["001_filled"]
    result = _result("001")
    table = doc["tables"][0]
    score_column, reason_column = _column(table, "得分"), _column(table, "得分原因")
    scores = [_cell_text(row["cells"][score_column]) for row in table["rows"][1:]]
    leaves = [row for row in result.nodes if row.kind == "leaf"]
    assert scores == [format_points(row.score) for row in leaves]
    reasons = [_cell_text(row["cells"][reason_column]) for row in table["rows"][1:]]
    assert all(reasons) and reasons[0] == leaves[0].reason
    summary = [[_cell_text(c) for c in row["cells"]] for row in doc["tables"][1]["rows"]]
    assert summary[0] == ["一级指标", "分值", "得分", "得分率%"]
    # 001 表4 and its 评价结论 table name the level-1 indicators as 汇总名称 declares (部门决策 …), and the
    # conclusion has the 加减分项 column, "/" as 001 has no penalties or bonuses (seed lines 43–44).
    assert summary[1:] == [["部门决策", "15", "14", "93.33"], ["部门过程", "24", "22", "91.67"],
                           ["部门产出", "33", "33", "100"], ["部门效益", "28", "28", "100"], ["合计", "100", "97", "97"]]
    conclusion = [[_cell_text(c) for c in row["cells"]] for row in doc["tables"][2]["rows"]]
    assert conclusion[0] == ["综合评价结论", "评价得分", "97分", "评价等级", "优"]
    assert conclusion[1] == ["绩效分析", "指标", "部门决策", "部门过程", "部门产出", "部门效益", "加减分项"]
    assert conclusion[2] == ["", "得分率", "93.33%", "91.67%", "100%", "100%", "/"]
    assert doc["pictures"] == 1
    assert INCOMPLETE_NOTICE not in texts_of(doc)


def test_002_filled_rows(documents):
    doc = documents["002_filled"]
    result = _result("002")
    table = doc["tables"][0]
    score_column = _column(table, "自评分数")
    by_label = {_cell_text(row["cells"][0]): row for row in table["rows"]}
    assert _cell_text(by_label["小计"]["cells"][-2]) == format_points(result.subtotal)
    assert _cell_text(by_label["合计"]["cells"][-2]) == format_points(result.total)
    grade_row = next(row for label, row in by_label.items() if label.startswith("等级"))
    assert _cell_text(grade_row["cells"][1]) == result.grade
    assert score_column == 6
    conclusion = [[_cell_text(c) for c in row["cells"]] for row in doc["tables"][2]["rows"]]
    assert conclusion[1][-1] == "加减分项" and conclusion[2][-1] == "0分"  # 逆向指标 deducted nothing


def test_the_conclusion_shows_the_net_effect_of_penalties():
    plan = plan_of(seed_spec("002"))
    data = loads(seed_inputs("002").read_text(encoding="utf-8"))
    data["inputs"]["自评工作质量"] = {"得分": 2, "理由": "自评材料不完整。"}
    data["inputs"]["政府采购执行情况"] = {"政府采购处罚情况": "违反相关规定，受到有关管理部门处罚或通报批评"}
    result = idsl.score(plan, read_inputs(data))
    conclusion = docx_structure(render_docx(plan, result))["tables"][2]
    rates = [_cell_text(c) for c in conclusion["rows"][2]["cells"]]
    assert rates[-1] == "-7分" and result.total == result.subtotal - 7


def test_incomplete_result_is_marked():
    result = _result("001", allow_missing=True, drop=("重点支出安排率", "年度绩效目标合理性"))
    assert result.incomplete
    doc = docx_structure(render_docx(plan_of(seed_spec("001")), result))
    assert doc["paragraphs"][1] == [INCOMPLETE_NOTICE, "C00000"]
    table = doc["tables"][0]
    texts = [[_cell_text(c) for c in row["cells"]] for row in table["rows"]]
    missing = [row for row in texts if "重点支出安排率（2）" in row]
    assert missing and missing[0][-1] == "未评"
    texts = texts_of(doc)
    assert result.grade is None and "（部分结果）" in texts and "不评（部分结果）" in texts


def test_partial_result_has_no_grade_in_the_grade_row():
    result = _result("002", allow_missing=True, drop=("预算编制合理性",))
    assert result.incomplete and result.grade is None
    table = docx_structure(render_docx(plan_of(seed_spec("002")), result))["tables"][0]
    rows = [[_cell_text(c) for c in row["cells"]] for row in table["rows"]]
    grade_row = next(row for row in rows if row[0].startswith("等级"))
    total_row = next(row for row in rows if row[0] == "合计")
    assert "不评（部分结果）" in grade_row and any(cell.endswith("（部分结果）") for cell in total_row)


@pytest.mark.parametrize("number, inputs, note", [
    ("vetoes", {"inputs": {"共用": {"发生重大安全责任事故": "是", "被通报批评": "否", "违规资金占比": "5%",
                                    "资金到位率": "100%"}, "重点工作完成率": {"得分": 6, "理由": "好"},
                           "预算执行率": {"执行率": "100%"}}},
     "一票否决：如发生重大安全责任事故，总分为0分。"),
    ("004", None, "4.50 + 20.95 + 31.18 + 28.00 = 84.63"),
    ("005", "总分备注：按自评表口径计算。", "总分备注：按自评表口径计算。"),
])
def test_the_filled_table_says_what_idsl_score_says_under_the_total(number, inputs, note):
    """The note under the total (the 一票否决 that held, the evaluator's note on 总分) is printed by idsl score and
    was left out of the Word table: a 合计 of 0 beside level-1 scores adding up to 10 stood unexplained."""
    from idsl.cli.batch import read_given

    spec = CASES / "check" / "good" / "vetoes.idsl" if number == "vetoes" else seed_spec(number)
    plan = plan_of(spec)
    data = inputs if isinstance(inputs, dict) else loads(seed_inputs(number).read_text(encoding="utf-8"))
    if isinstance(inputs, str):
        data.setdefault("notes", {})["总分"] = inputs
    given = read_inputs(data)
    result = idsl.score(plan, given)
    assert note in result.total_note
    texts = texts_of(docx_structure(render_docx(plan, result, given)))
    assert f"总分说明：{result.total_note}" in texts
    assert "总分说明" not in texts_of(docx_structure(render_docx(plan)))  # the blank table has no result to explain


POOL_BELOW_LEVEL_3 = """体系 "例" 总分 10
产出（10）
  资金（10）
    验收（5）
      择一
      竣工验收（5）
        解释 竣工。
        酌情
      阶段性验收（5）
        解释 阶段。
        酌情
    质量（5）
      解释 质量。
      输入 合格率：比率
      得分 = 合格率 × 分值
"""


def test_alternatives_below_level_3_are_shown_under_their_pool():
    """A 择一 of level-4 alternatives: the 三级指标 column showed 竣工验收（5）、阶段性验收（5）、质量（5） under 资金（10）
    — 15 points under 10, the pool nowhere. Each alternative names its pool; a leaf below level 3 outside a pool
    stays in its parent's place, as a 细化's indicators do (test_refine)."""
    from idsl.frontend.resolve import load_text
    from idsl.frontend.source import Source
    from idsl.semantics.lower import lower

    plan = lower(load_text(Source("t.idsl", POOL_BELOW_LEVEL_3)).spec)
    rows = [[_cell_text(c) for c in row["cells"]][:3] for row in docx_structure(render_docx(plan))["tables"][0]["rows"]]
    assert rows[1:] == [["产出（10）", "资金（10）", "验收（5）（二者择其一） › 竣工验收（5）"],
                        ["", "", "验收（5）（二者择其一） › 阶段性验收（5）"],  # the level cells merged down
                        ["", "", "质量（5）"]]


def test_a_spec_without_grades_has_no_grade_in_the_conclusion():
    """007 has no 等级 line: its 评价结论 said 评价等级 未评, as if the grade were still to be given; "/" as 001's table
    writes a column that does not apply (its 加减分项)."""
    conclusion = docx_structure(render_docx(plan_of(seed_spec("007")), _result("007")))["tables"][2]
    first = [_cell_text(c) for c in conclusion["rows"][0]["cells"]]
    assert first[first.index("评价等级") + 1] == "/"


def test_render_is_pure():
    plan = plan_of(seed_spec("002"))
    before = copy.deepcopy(plan)
    result = _result("002")
    first, second = render_docx(plan, result), render_docx(plan, result)
    assert docx_structure(first) == docx_structure(second)
    assert plan == before


def test_chart_without_cjk_font(monkeypatch):
    monkeypatch.setattr(idsl_chart, "cjk_font", lambda: None)
    png = idsl_chart.chart_png(["决策", "过程"], [93.33, 100.0], ["93.33%", "100%"], "各一级指标得分率")
    assert png.startswith(b"\x89PNG")
    doc = docx_structure(render_docx(plan_of(seed_spec("001")), _result("001")))
    assert doc["pictures"] == 1


def test_cjk_font_found_when_installed():
    font = idsl_chart.cjk_font()
    if font is None:
        pytest.skip("no CJK font installed (fonts-noto-cjk)")
    assert isinstance(font, str) and font


def test_grade_bands_text_001():
    plan = plan_of(seed_spec("001"))
    assert grade_bands_text(plan) == "90（含）-100分为优、80（含）-90分为良、60（含）-80分为中、60分以下为差"
