"""Every construct a 自评表 spec can carry, through the form workbook: `idsl template` writes the form, an evaluator
fills the cells it offers, and `idsl score` reads back the same result as the JSON inputs — or, for what the form
has no place for (a questionnaire, a penalty or bonus block), `idsl template` says so (W528) and writes the plain
输入 workbook."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

import idsl
from idsl.check import check
from idsl.cli import main
from idsl.engines.rows import row_from_json
from idsl.frontend import ast
from idsl.frontend.form import fund_input
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.columns import NO_GRADES, unit_columns, unknown_grade
from idsl.io.inputs import read_inputs
from idsl.io.workbook import FORM_SHEET, INPUT_SHEET, locate, read_workbook
from idsl.io.workbook_form import PartCells, form_layout
from idsl.render.docx import render_docx
from idsl.render.workbook import template_workbook
from idsl.semantics.lower import lower
from idsl.semantics.numbers import loads
from plans import acceptance_choice, form_head

ACTUAL, POINTS, SCORE, REASON, KEY = 6, 7, 8, 9, 10  # F, G, H, I, J: 实际完成值, 分值, 得分, 偏差原因, the hidden key
RECORDED, RECORDED_GRADE = 11, 12  # K, L beside the printed form: 记录得分, and 记录等级 on the 总分 row
SUBTOTALS, SUBTOTAL_KEYS = (13, 14), 15  # M, N: the level-1 and level-2 subtotals' 记录得分; O hidden: their keys

HEAD = form_head("20", "{header}")

# construct → (header lines, indicators worth 10, the inputs of a few units as JSON objects)
CONSTRUCTS = {
    "graded-parts": ("", """效益指标（10）
  社会效益指标（10）
    综合效益（10）
      解释 社会与经济效益。
      分项 社会效益（6）
        评级 优：90%～100%；良：75%～90%；中：60%～75%；差：0～60%
      分项 经济效益（4）
        评级 达成：100%～80%（含）；部分达成：80%～60%（含）；未达成：60%～0，须说明理由
""", [{"综合效益": {"社会效益": {"等级": "良", "得分": 5}, "经济效益": {"等级": "部分达成", "得分": 3}, "理由": "略"}},
      {"综合效益": {"社会效益": {"等级": "优", "得分": 6}, "经济效益": {"等级": "达成", "得分": 4}}}]),
    "qualitative-parts": ("", """效益指标（10）
  社会效益指标（10）
    综合效益（10）
      解释 社会与经济效益。
      分项 社会效益（6）
        输入 社会档次：选项 达成/部分达成/未达成
        定性 社会档次
      分项 经济效益（4）
        输入 经济档次：选项 达成/部分达成/未达成
        定性 经济档次
""", [{"综合效益": {"社会档次": "部分达成", "社会效益": {"得分": 4}, "经济档次": "达成", "经济效益": {"得分": 4},
                  "理由": "两个村未通水"}}]),
    "graded": ("", """管理指标（10）
  制度指标（10）
    制度执行（10）
      解释 制度执行是否有效。
      评级 好：90%～100%；中：50%～90%；差：0～50%
""", [{"制度执行": {"等级": "中", "得分": 6}}, {"制度执行": {"等级": "好", "得分": 10}}]),
    "judged-parts": ("", """管理指标（10）
  制度指标（10）
    制度执行（10）
      解释 制度的建设与落实。
      分项 制度建设（4）
        酌情
      分项 制度落实（6）
        要素 每项 3 分
          - 按制度执行
          - 有台账
""", [{"制度执行": {"制度建设": {"得分": 3}, "制度落实": {"要素": ["是", "否"]}, "理由": "台账不全"}}]),
    "choose-one": ("", "产出指标（10）\n  质量指标（10）\n" + acceptance_choice(2), [
        {"阶段性验收": {"要素": ["是", "否"]}, "质量": {"合格率": "100%"}},
        {"项目验收": {"选用": "竣工验收"}, "竣工验收": {"验收合格率": "90%"}, "质量": {"合格率": "80%"}}]),
    "choose-one-by-name": ("输入 到位率：比率\n", """产出指标（10）
  数量指标（10）
    资金（5）
      择一
      按到位率（5）
        解释 按资金到位率计分。
        得分 = 到位率 × 分值
      按评审（5）
        解释 由评审酌情计分。
        酌情
    质量（5）
      解释 质量。
      输入 合格率：比率
      得分 = 合格率 × 分值
""", [{"共用": {"到位率": "90%"}, "资金": {"选用": "按到位率"}, "质量": {"合格率": "100%"}},
      {"共用": {"到位率": "90%"}, "按评审": {"得分": 4, "理由": "评审意见"}, "质量": {"合格率": "100%"}}]),
    "any-and-best-of": ("", """效益指标（10）
  社会效益指标（5）
    社会经济效益（5）
      任选 1 项
      社会效益（5）
        解释 社会。
        输入 社会达成率：比率
        得分 = 社会达成率 × 分值
      经济效益（5）
        解释 经济。
        酌情
  生态效益指标（5）
    生态效益（5）
      取最高 1 项
      环境效益（5）
        解释 环境。
        输入 环境达成率：比率
        得分 = 环境达成率 × 分值
      节能效益（5）
        解释 节能。
        输入 节能率：比率
        得分 = 节能率 × 分值
""", [{"经济效益": {"得分": 4, "理由": "略"}, "环境效益": {"环境达成率": "50%"}, "节能效益": {"节能率": "70%"}},
      {"社会经济效益": {"选用": ["社会效益"]}, "社会效益": {"社会达成率": "80%"}, "环境效益": {"环境达成率": "50%"},
       "节能效益": {"节能率": "70%"}}]),
    "choose-one-of-a-level-2": ("", """产出指标（10）
  数量指标（5）
    择一
    完成数量（5）
      解释 按完成数量计分。
      输入 完成数：数量 个
      目标 完成数 ≥ 10 个
    完成情况（5）
      解释 由评审酌情计分。
      酌情
  质量指标（5）
    质量（5）
      解释 质量。
      输入 合格率：比率
      得分 = 合格率 × 分值
""", [{"数量指标": {"选用": "完成数量"}, "完成数量": {"完成数": 8}, "质量": {"合格率": "90%"}},
      {"完成情况": {"得分": 4, "理由": "略"}, "质量": {"合格率": "100%"}}]),
    "choose-one-of-a-level-1": ("", """成本指标（10）
  择一
  经济成本（10）
    解释 单位成本。
    输入 单位成本：金额 元
    目标 单位成本 ≤ 75 元
  社会成本（10）
    解释 由评审酌情计分。
    酌情
""", [{"成本指标": {"选用": "经济成本"}, "经济成本": {"单位成本": 80}},
      {"成本指标": {"选用": "社会成本"}, "社会成本": {"得分": 7, "理由": "略"}}]),
    "best-of-a-level-2": ("", """效益指标（10）
  社会效益指标（10）
    取最高 1 项
    社会效益（10）
      解释 社会。
      输入 社会达成率：比率
      得分 = 社会达成率 × 分值
    经济效益（10）
      解释 经济。
      输入 经济达成率：比率
      得分 = 经济达成率 × 分值
""", [{"社会效益": {"社会达成率": "80%"}, "经济效益": {"经济达成率": "90%"}}]),
    "level-4-indicators": ("", """产出指标（10）
  质量指标（10）
    验收（10）
      竣工验收（6）
        解释 竣工验收的合格情况。
        输入 验收合格率：比率
        得分 = 验收合格率 × 分值
      档案管理（4）
        解释 验收档案是否齐全。
        酌情
""", [{"竣工验收": {"验收合格率": "90%"}, "档案管理": {"得分": 3, "理由": "缺一份"}}]),
    "nodata-judged": ("", """效益指标（10）
  经济效益指标（10）
    支出增长控制（10）
      解释 本年支出较上年的增长率；无上年数据的，由评价人酌情给分。
      输入 本年支出：金额 万元，上年支出：金额 万元 可缺
      增长率 = (本年支出 - 上年支出) ÷ 上年支出
      无数据时 酌情 1～3 分
      分档 |增长率|：|增长率| ≤ 5% 得满分；5% < |增长率| ≤ 10% 得 6 分；否则 不得分
""", [{"支出增长控制": {"本年支出": 1080, "无数据得分": 2, "理由": "上年决算未取得"}},
      {"支出增长控制": {"本年支出": 1080, "上年支出": 1000}}]),
    "not-applicable": ("", """产出指标（10）
  数量指标（10）
    重点工作完成率（3）
      解释 反映部门完成重要事项或项目的情况。
      不适用 剔除
      酌情
    政府采购执行率（3）
      解释 本年度实际政府采购金额与年度政府采购预算的比率。
      不适用：得满分
      输入 实际采购金额：金额 万元，采购计划金额：金额 万元
      得分 = min(实际采购金额 ÷ 采购计划金额, 100%) × 分值
    成本效益（4）
      解释 运营维护成本的控制情况。
      输入 合同约定成本控制：是否，成本节约率：比率
      适用 若 合同约定成本控制 = 否
      分档 成本节约率：成本节约率 ≥ 5% 得满分；2% ≤ 成本节约率 < 5% 得 2 分；成本节约率 < 2% 不得分
""", [{"重点工作完成率": {"不适用": True}, "政府采购执行率": {"实际采购金额": 9, "采购计划金额": 10},
       "成本效益": {"合同约定成本控制": "是"}},
      {"重点工作完成率": {"得分": 2, "理由": "略"}, "政府采购执行率": {"不适用": True},
       "成本效益": {"合同约定成本控制": "否", "成本节约率": "3%"}}]),
    "series": ("", """产出指标（10）
  数量指标（10）
    子项目执行（5）
      解释 各子项目执行数合计与预算数合计的比率。
      输入 执行数：金额 万元 子项目 1～3，预算数：金额 万元 子项目 1～3
      执行率 = 合计(执行数) / 合计(预算数)
      得分 = min(执行率, 100%) × 分值
    支出进度（5）
      解释 近三年支出进度加权平均。
      输入 进度：比率 年度 2022～2024
      若 逐年提高(进度) 则 得满分
      得分 = 加权平均(进度, 20%, 30%, 50%) × 分值
""", [{"子项目执行": {"执行数1": 90, "预算数1": 100, "执行数2": 30, "预算数2": 60},
       "支出进度": {"进度2022": "80%", "进度2023": "90%", "进度2024": "85%"}}]),
    "shared-and-classes": ("单位类别 行政单位、事业单位\n输入 上年评价得分：数值 范围 0～100\n", """产出指标（10）
  数量指标（10）
    收入完成率（6）
      解释 事业单位考核事业收入完成情况，行政单位考核公用经费控制情况。
      输入 事业收入完成率：比率，公用经费控制率：比率
      按类别
        事业单位：得分 = 事业收入完成率 × 分值
        行政单位：得分 = 公用经费控制率 × 分值
    整改提升（4）
      解释 本年评价得分不低于上年的得满分。
      输入 本年评价得分：数值 范围 0～100
      分档 本年评价得分 - 上年评价得分：本年评价得分 - 上年评价得分 ≥ 0 得满分；否则 不得分
""", [{"共用": {"单位类别": "事业单位", "上年评价得分": 85}, "收入完成率": {"事业收入完成率": "75%"},
       "整改提升": {"本年评价得分": 88}},
      {"共用": {"单位类别": "行政单位", "上年评价得分": 85}, "收入完成率": {"公用经费控制率": "95%"},
       "整改提升": {"本年评价得分": 80}}]),
    "adjustments-of-a-rule": ("", """产出指标（10）
  时效指标（10）
    部门预算支出率（6）
      解释 部门预算实际支付进度和既定支付进度的匹配情况。
      输入 上半年支出进度：比率，全年支出进度：比率，违规支出：问题数
      全年平均支出进度 = (上半年支出进度 + 全年支出进度) ÷ 2
      得分 = 全年平均支出进度 × 分值
      另扣 违规支出 每项 0.5 分，最多扣 2 分
      酌情扣分 最多 1 分，须说明理由
    重点工作（4）
      解释 重点工作的完成情况。
      酌情
""", [{"部门预算支出率": {"上半年支出进度": "40%", "全年支出进度": "100%", "违规支出": 1, "酌情扣分": 0.5,
                         "理由": "不可抗拒因素"}, "重点工作": {"得分": 3, "理由": "一项未完成"}}]),
}
CASES = [(name, n) for name, (_h, _b, units) in CONSTRUCTS.items() for n in range(len(units))]


def plan_of(name: str):
    header, body, _units = CONSTRUCTS[name]
    loaded = load_text(Source("form.idsl", HEAD.format(header=header) + body))
    assert [d.code for d in check(loaded) if d.severity == "error"] == []
    return lower(loaded.spec, loaded.sources)


def data_of(name: str, n: int, **more) -> dict:
    inputs = {"预算执行率": {"全年执行数": 135}, **CONSTRUCTS[name][2][n]}
    return loads(json.dumps({"unit": "县水利工程服务中心", "inputs": inputs, **more}, ensure_ascii=False))


def typed(cell, text: str):
    """A value as typed into the form (test_xlsx's: numbers as numbers, rates in a percent-formatted cell)."""
    from test_xlsx import typed as typed_text

    return typed_text(cell, text)


def fill(plan, data: dict):
    """The form filled from a JSON object as an evaluator would, in the yellow (unlocked) cells it offers: each row
    by its hidden key, a leaf's actual in 实际完成值, its judged score in 得分, its 理由 or note in 偏差原因; a part's
    等级 and 得分 on the part's row; any other input in its own row's 实际完成值; a recorded score in 记录得分 on
    its indicator's row (预算执行率's on 年度资金总额's, 总分's and 等级's on the 总分 row, a level-1 or level-2
    subtotal's in its column beside them, on the row its cell starts). Returns the workbook and the JSON's cells (or
    recorded scores) the form had no place for."""
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))
    sheet = book[FORM_SHEET]
    cells, used = row_from_json(plan, data), {"单位"}
    recorded = {("等级" if k == "等级" else "总分" if k == "总分" else plan.find(k).key): v
                for k, v in (data.get("recorded") or {}).items()}
    by_leaf = {leaf.node.key: leaf for leaf in form_layout(plan).leaves}
    notes = {plan.find(k).key: v for k, v in (data.get("notes") or {}).items()}

    def record(row: int, key: str, col: int = RECORDED) -> None:
        if key in recorded:
            assert not sheet.cell(row, col).protection.locked, f"{key}'s 记录得分 would go in a locked cell"
            sheet.cell(row, col).value = recorded.pop(key)

    def put(row: int, col: int, column) -> None:
        if column is not None and column.header in cells:
            cell = sheet.cell(row, col)
            assert not cell.protection.locked, f"{column.header} would go in the locked cell {cell.coordinate}"
            text = cells[column.header]
            cell.value = text if column.kind == "reason" else typed(cell, text)
            used.add(column.header)

    for row in range(1, sheet.max_row + 1):
        for col, key in zip(SUBTOTALS, str(sheet.cell(row, SUBTOTAL_KEYS).value or "").split("\t")):
            if key:
                record(row, key, col)
        kind, path, field = (str(sheet.cell(row, KEY).value or "") + "\t\t").split("\t")[:3]
        if kind in ("leaf", "branch") or (kind, field) in (("funds", "年度资金总额"), ("input", "选用")):
            record(row, path)
        elif kind == "total":
            record(row, "总分")
            record(row, "等级", RECORDED_GRADE)
        if kind == "funds":
            for col, figure in zip((4, 5, 6), ast.FUNDS_COLUMNS):
                header = f"{path}.{fund_input(field, figure)}"
                if header in cells:
                    sheet.cell(row, col).value = typed(sheet.cell(row, col), cells[header])
                    used.add(header)
        elif kind == "leaf":
            leaf = by_leaf[path]
            for col, column in ((ACTUAL, leaf.actual), (SCORE, leaf.score), (REASON, leaf.reason)):
                put(row, col, column)
            if leaf.reason is None and path in notes:
                sheet.cell(row, REASON).value = notes[path]
        elif kind == "part":
            part = next(e for e in by_leaf[path].extra if isinstance(e, PartCells) and e.name == field)
            put(row, ACTUAL, part.grade)
            put(row, SCORE, part.score)
        elif kind in ("input", "item", "score", "reason", "na"):
            put(row, ACTUAL, next(c for c in unit_columns(plan) if c.key == path and c.field == field))
    return book, {h for h, v in cells.items() if v != "" and h not in used} | {f"{k}.记录得分" for k in recorded}


def outcome(result) -> tuple:
    return (result.total, result.grade, sorted(str(e) for e in result.errors),
            [(n.key, n.score, n.status, n.reason) for n in result.nodes], result.audited,
            [d.to_json() for d in result.audit])


def read_back(plan, book, tmp_path):
    book.save(tmp_path / "自评表.xlsx")
    return read_workbook(plan, tmp_path / "自评表.xlsx")


@pytest.mark.parametrize("name, n", CASES, ids=[f"{name}-{n}" for name, n in CASES])
def test_the_filled_form_scores_as_the_json(tmp_path, name, n):
    plan = plan_of(name)
    data = data_of(name, n)
    book, no_place = fill(plan, data)
    assert no_place == set(), f"the form has no cell for {sorted(no_place)}"
    from_book = outcome(idsl.score(plan, read_back(plan, book, tmp_path)))
    from_json = outcome(idsl.score(plan, read_inputs(data)))
    assert from_book == from_json
    assert from_book[2] == [] and from_book[0] is not None  # a scored unit, not two equal failures


def test_a_note_on_a_leaf_without_a_reason_is_read_back(tmp_path):
    plan = plan_of("series")
    data = data_of("series", 0, notes={"支出进度": "2024年进度回落，已分析原因。"})
    book, _ = fill(plan, data)
    given = read_back(plan, book, tmp_path)
    assert given.notes["产出指标/数量指标/支出进度"] == "2024年进度回落，已分析原因。"
    assert outcome(idsl.score(plan, given)) == outcome(idsl.score(plan, read_inputs(data)))


def test_a_filled_form_is_audited_against_scores_recorded_apart(tmp_path):
    """The form's 记录得分 cells left blank, `--recorded FILE` gives the recorded scores."""
    header, body, _units = CONSTRUCTS["series"]
    spec = tmp_path / "form.idsl"
    spec.write_text(HEAD.format(header=header) + body, encoding="utf-8")
    plan = plan_of("series")
    fill(plan, data_of("series", 0))[0].save(tmp_path / "自评表.xlsx")
    (tmp_path / "recorded.json").write_text('{"子项目执行": 5, "支出进度": 4.28}', encoding="utf-8")
    run = CliRunner().invoke(main, ["audit", str(spec), str(tmp_path / "自评表.xlsx"), "--recorded",
                                    str(tmp_path / "recorded.json"), "--format", "json"])
    assert run.exit_code == 1, run.output
    differs = {d["key"]: (d["recorded"], d["computed"]) for d in json.loads(run.stdout)["audit"]}
    assert differs == {"产出指标/数量指标/子项目执行": ("5", "3.75")}  # 120 of 160 万元; 支出进度 4.275 → 4.28


GRADED_HEAD = "等级 优：总分 ≥ 18；良：15 ≤ 总分 < 18；差：总分 < 15\n"
# recorded scores, as a report would give them: right, and wrong (资金 is 4.5, 质量 5, 预算执行率 9, 总分 18.5 and 优)
RIGHT = {"资金": 4.5, "质量": 5, "预算执行率": 9, "产出指标": 9.5, "数量指标": 9.5, "总分": 18.5, "等级": "优"}
WRONG = {"资金": 5, "按到位率": 4.5, "质量": 4, "预算执行率": 9, "产出指标": 10, "数量指标": 9.5, "总分": 19,
         "等级": "良"}


@pytest.mark.parametrize("name, n", [("choose-one-by-name", 0), ("any-and-best-of", 1), ("level-4-indicators", 0),
                                     ("graded-parts", 0)])
def test_recorded_scores_round_trip_through_the_form(tmp_path, name, n):
    """Each indicator row, 年度资金总额's (预算执行率) and the 总分 row take a 记录得分, and so do the level-1 and
    level-2 subtotals beside them: read back into the inputs' "recorded" and audited as the JSON's."""
    plan = plan_of(name)
    computed = {row.key: row.score for row in idsl.score(plan, read_inputs(data_of(name, n))).nodes}
    recorded = {key: int(score) + 1 for key, score in computed.items()  # whole points, each one off the rule's
                if score is not None}
    assert {"产出指标", "效益指标"} & set(recorded) and any(key.count("/") == 1 for key in recorded)
    recorded["总分"] = 1
    data = data_of(name, n, recorded=recorded)
    book, no_place = fill(plan, data)
    assert no_place == set(), f"the form has no cell for {sorted(no_place)}"
    given = read_back(plan, book, tmp_path)
    assert given.recorded == recorded
    result = idsl.score(plan, given)
    assert outcome(result) == outcome(idsl.score(plan, read_inputs(data)))
    assert result.audited == len(recorded) == len(result.audit)
    subtotals = {d.key: (d.recorded, d.computed) for d in result.audit if d.key.count("/") < 2 and d.key != "总分"}
    assert subtotals == {key: (recorded[key], computed[key]) for key in recorded if key.count("/") < 2 and key != "总分"}


def test_a_subtotal_is_recorded_in_a_cell_merged_down_its_rows():
    """产出指标 and 数量指标 are each one cell beside their rows, as their names are in 一级指标 and 二级指标."""
    plan = plan_of("choose-one-by-name")
    sheet = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))[FORM_SHEET]
    rows = _rows(sheet)
    header = next(r for r in range(1, sheet.max_row) if sheet.cell(r, 1).value == "绩效指标")
    assert [sheet.cell(header, c).value for c in SUBTOTALS] == ["一级指标记录得分", "二级指标记录得分"]
    first, last = rows["input\t产出指标/数量指标/资金\t选用"], rows["leaf\t产出指标/数量指标/质量\t"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {f"M{first}:M{last}", f"N{first}:N{last}", f"B{first}:B{last}"} <= merged
    assert sheet.cell(first, SUBTOTAL_KEYS).value == "产出指标\t产出指标/数量指标"
    assert not sheet.cell(first, SUBTOTALS[0]).protection.locked
    assert sheet.column_dimensions["O"].hidden and sheet.print_area == f"'{FORM_SHEET}'!$A$1:$I${sheet.max_row}"


@pytest.mark.parametrize("recorded, code, differs", [
    ({}, 2, None),
    (RIGHT, 0, {}),
    (WRONG, 1, {"产出指标/数量指标/资金": ("5", "4.50"), "产出指标/数量指标/质量": ("4", "5.00"), "总分": ("19", "18.50"),
                "产出指标": ("10", "9.50"), "等级": ("良", "优")}),
], ids=["blank", "right", "wrong"])
def test_idsl_audit_reads_the_recorded_scores_of_the_form(tmp_path, recorded, code, differs):
    """`idsl audit SPEC 自评表.xlsx`: the recorded scores typed beside the form, compared with the rules' (a blank
    记录得分 is not recorded: with none, there is nothing to audit)."""
    header, body, _units = CONSTRUCTS["choose-one-by-name"]
    spec = tmp_path / "form.idsl"
    spec.write_text(HEAD.format(header=GRADED_HEAD + header) + body, encoding="utf-8")
    plan = idsl.load(spec)
    fill(plan, data_of("choose-one-by-name", 0, recorded=recorded))[0].save(tmp_path / "自评表.xlsx")
    run = CliRunner().invoke(main, ["audit", str(spec), str(tmp_path / "自评表.xlsx"), "--format", "json"])
    assert run.exit_code == code, run.output
    if differs is None:
        assert "没有记录得分可复核" in run.output and "记录得分" in run.output
    else:
        found = {d["key"]: (d["recorded"], d["computed"]) for d in json.loads(run.stdout)["audit"]}
        assert found == differs


def test_a_recorded_score_that_is_no_number_is_named_by_its_cell(tmp_path):
    plan = plan_of("choose-one-by-name")
    book, _ = fill(plan, data_of("choose-one-by-name", 0))
    sheet = book[FORM_SHEET]
    row = _rows(sheet)["leaf\t产出指标/数量指标/质量\t"]
    header = next(r for r in range(1, row) if sheet.cell(r, 1).value == "绩效指标")
    # no 记录等级: the spec has no grades
    assert [sheet.cell(header, c).value for c in (RECORDED, RECORDED_GRADE)] == ["记录得分", None]
    assert sheet.cell(row, RECORDED).value is None and not sheet.cell(row, RECORDED).protection.locked
    sheet.cell(row, RECORDED).value = "五分"
    given = read_back(plan, book, tmp_path)
    [error] = locate(idsl.score(plan, given), given).errors
    assert (error.sheet, error.cell) == (FORM_SHEET, f"K{row}") and "记录的得分应是一个数，这里是 “五分”" in str(error)


def graded_plan(tmp_path):
    header, body, _units = CONSTRUCTS["choose-one-by-name"]
    spec = tmp_path / "form.idsl"
    spec.write_text(HEAD.format(header=GRADED_HEAD + header) + body, encoding="utf-8")
    return spec, idsl.load(spec)


def test_the_recorded_grade_is_a_drop_down_of_the_spec_grades(tmp_path):
    _spec, plan = graded_plan(tmp_path)
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))
    sheet = book[FORM_SHEET]
    row = _rows(sheet)["total\t总分\t"]
    cell = sheet.cell(row, RECORDED_GRADE)
    assert not cell.protection.locked
    grades = _validation(sheet, cell.coordinate)
    assert grades.type == "list" and grades.showErrorMessage and "优、良、差" in grades.error
    column = grades.formula1.split("$")[1]
    assert [book["选项"][f"{column}{i}"].value for i in (1, 2, 3, 4)] == ["优", "良", "差", None]


def test_a_recorded_grade_the_spec_does_not_have_is_refused_at_its_cell(tmp_path):
    spec, plan = graded_plan(tmp_path)
    book, _ = fill(plan, data_of("choose-one-by-name", 0, recorded={"总分": 18.5}))
    sheet = book[FORM_SHEET]
    row = _rows(sheet)["total\t总分\t"]
    sheet.cell(row, RECORDED_GRADE).value = "中"
    book.save(tmp_path / "自评表.xlsx")
    given = read_workbook(plan, tmp_path / "自评表.xlsx")
    [error] = locate(idsl.score(plan, given), given).errors  # as a JSON file's 等级 (columns.grade_problem)
    assert (error.sheet, error.cell) == (FORM_SHEET, f"L{row}")
    assert (error.path, error.field, error.message, error.hint) == ("等级", "recorded", *unknown_grade("中", ("优", "良", "差")))
    run = CliRunner().invoke(main, ["audit", str(spec), str(tmp_path / "自评表.xlsx")])
    assert run.exit_code == 1 and f"自评表!L{row}" in run.output and "“中”" in run.output, run.output


def test_a_form_without_grades_has_no_recorded_grade_and_still_reads_back(tmp_path):
    """As the other templates of a spec without grades: no 记录等级 cell, title or word on the form; the form is
    read back and audited without it, and a grade in L of a form made while the spec had grades is the one error
    of a grade recorded without grades (columns.NO_GRADES), at its cell."""
    header, body, _units = CONSTRUCTS["choose-one-by-name"]
    spec = tmp_path / "form.idsl"
    spec.write_text(HEAD.format(header=header) + body, encoding="utf-8")
    plan = idsl.load(spec)
    assert not plan.grades
    data = data_of("choose-one-by-name", 0, recorded={"总分": 17})
    book, _ = fill(plan, data)
    sheet = book[FORM_SHEET]
    row = _rows(sheet)["total\t总分\t"]
    cell = sheet.cell(row, RECORDED_GRADE)
    assert cell.value is None and cell.protection.locked
    assert [dv.sqref for dv in sheet.data_validations.dataValidation if cell.coordinate in dv.sqref] == []
    assert [c.coordinate for line in sheet.iter_rows() for c in line if "记录等级" in str(c.value or "")] == []
    book.save(tmp_path / "自评表.xlsx")
    run = CliRunner().invoke(main, ["audit", str(spec), str(tmp_path / "自评表.xlsx"), "--format", "json"])
    assert run.exit_code == 1, run.output
    assert [(d["key"], d["recorded"], d["computed"]) for d in json.loads(run.stdout)["audit"]] == [
        ("总分", "17", format(idsl.score(plan, read_inputs(data)).total, "f"))]
    (tmp_path / "graded").mkdir()
    _graded_spec, graded = graded_plan(tmp_path / "graded")
    old, _ = fill(graded, data_of("choose-one-by-name", 0, recorded={"等级": "优"}))
    old.save(tmp_path / "old.xlsx")
    given = read_workbook(plan, tmp_path / "old.xlsx")
    [error] = locate(idsl.score(plan, given), given).errors
    assert (error.sheet, error.cell) == (FORM_SHEET, f"L{row}")
    assert (error.path, error.field, error.message, error.hint) == ("等级", "recorded", *NO_GRADES)


def test_the_total_row_of_a_form_without_grades_leaves_the_grade_out():
    """The 总分 row prints no “等级：” where the spec has no grades, blank or filled, in the workbook and in Word, as
    the other templates drop 等级 then; a spec with grades keeps it."""
    from test_docx_form import grid

    plan = plan_of("choose-one-by-name")
    assert not plan.grades
    data = data_of("choose-one-by-name", 0)
    result, given = idsl.score(plan, read_inputs(data)), read_inputs(data)
    assert result.total is not None and not result.errors
    for document in (render_docx(plan), render_docx(plan, result, given)):
        total = grid(document)[-1]
        assert total[0] == "总分" and total[-1] == "" and not any("等级" in cell for cell in total), total
    sheet = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))[FORM_SHEET]
    row = _rows(sheet)["total\t总分\t"]
    assert sheet.cell(row, 1).value == "总分"
    assert [c.coordinate for c in sheet[row] if "等级" in str(c.value or "")] == []


def test_the_total_row_of_a_form_with_grades_keeps_its_grade(tmp_path):
    from test_docx_form import grid

    _spec, plan = graded_plan(tmp_path)
    assert grid(render_docx(plan))[-1][-1] == "等级："
    sheet = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))[FORM_SHEET]
    row = _rows(sheet)["total\t总分\t"]
    assert [c.value for c in sheet[row] if "等级" in str(c.value or "")] == ["等级："]


def _rows(sheet) -> dict[str, int]:
    return {str(sheet.cell(r, KEY).value): r for r in range(1, sheet.max_row + 1) if sheet.cell(r, KEY).value}


def _validation(sheet, coordinate: str):
    return next(dv for dv in sheet.data_validations.dataValidation if coordinate in dv.sqref)


def test_a_part_has_its_grade_and_score_on_its_own_row():
    plan = plan_of("graded-parts")
    sheet = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))[FORM_SHEET]
    leaf = "效益指标/社会效益指标/综合效益"
    rows = _rows(sheet)
    first, second = rows[f"part\t{leaf}\t社会效益"], rows[f"part\t{leaf}\t经济效益"]
    assert rows[f"leaf\t{leaf}\t"] + 1 == first and first + 1 == second
    # its points in brackets: the leaf's row counts them in the 分值 column
    assert [sheet.cell(second, c).value for c in (4, POINTS)] == ["分项：经济效益", "（4）"]
    grade, score = _validation(sheet, f"F{second}"), _validation(sheet, f"H{second}")
    assert grade.type == "list" and grade.formula1.startswith("选项!")
    lists = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))["选项"]
    column = grade.formula1.split("$")[1]
    assert [lists[f"{column}{i}"].value for i in (1, 2, 3)] == ["达成", "部分达成", "未达成"]
    # the part's score lies within the grade chosen beside it, by the part's own ranges (of its 4 points)
    assert score.type == "custom" and f'AND($F${second}="部分达成",H{second}>=2.4,H{second}<3.2)' in score.formula1
    assert not sheet.cell(second, ACTUAL).protection.locked and not sheet.cell(second, SCORE).protection.locked


def test_a_qualitative_part_has_its_tier_on_its_own_row():
    plan = plan_of("qualitative-parts")
    sheet = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))[FORM_SHEET]
    leaf = "效益指标/社会效益指标/综合效益"
    rows = _rows(sheet)
    assert f"input\t{leaf}\t社会档次" not in rows
    row = rows[f"part\t{leaf}\t社会效益"]
    assert _validation(sheet, f"F{row}").prompt.startswith("选社会效益的档次：达成 / 部分达成 / 未达成")
    assert f'AND($F${row}="部分达成",H{row}>=3.6,H{row}<4.8)' in _validation(sheet, f"H{row}").formula1  # 第十六条


def test_a_graded_leaf_checks_its_score_by_its_own_grades_not_the_national_tiers():
    plan = plan_of("graded")
    sheet = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))[FORM_SHEET]
    row = _rows(sheet)["leaf\t管理指标/制度指标/制度执行\t"]
    score = _validation(sheet, f"H{row}")
    assert f'AND($F${row}="中",H{row}>=5,H{row}<9)' in score.formula1 and "中 5（含）～9" in score.prompt
    assert "理由" not in score.prompt  # 评级 without 须说明理由 asks none


def test_a_graded_leaf_shows_its_grades_and_their_scores_as_its_target(tmp_path):
    """年度指标值 of a 评级 leaf is what the evaluator is scored against: each grade and the score it allows
    (好 is 9 … 10 of the 10 points, its lower end held as no end is marked), on the Word form and the workbook."""
    from test_docx_form import grid, row_of

    plan = plan_of("graded")
    target = "好 9（含）～10（含），中 5（含）～9，差 0（含）～5 分"
    assert row_of(grid(render_docx(plan)), "制度执行")[4:8] == [target, "", "10", ""]
    book, _ = fill(plan, data_of("graded", 0))
    sheet = book[FORM_SHEET]
    row = _rows(sheet)["leaf\t管理指标/制度指标/制度执行\t"]
    assert [sheet.cell(row, c).value for c in (5, ACTUAL, POINTS, SCORE)] == [target, "中", 10, 6]
    given = read_back(plan, book, tmp_path)
    result = idsl.score(plan, given)
    assert row_of(grid(render_docx(plan, result, given)), "制度执行")[4:8] == [target, "中", "10", "6"]


def test_choose_one_has_a_drop_down_of_its_alternatives_above_them(tmp_path):
    plan = plan_of("choose-one-by-name")
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))
    sheet = book[FORM_SHEET]
    rows = _rows(sheet)
    row = rows["input\t产出指标/数量指标/资金\t选用"]
    assert row + 1 == rows["leaf\t产出指标/数量指标/资金/按到位率\t"]
    # the level-3 parent's own row, as a level-3 leaf's: its name, its alternatives and its points
    assert [sheet.cell(row, c).value for c in (4, 5, POINTS)] == ["资金", "二者择其一：按到位率、按评审", 5]
    assert sheet.cell(row, 2).value == "产出指标（10）"  # the level names the merged cells keep
    choice = _validation(sheet, f"F{row}")
    assert choice.type == "list" and "必填" in choice.prompt
    sheet.cell(rows["funds\t预算执行率\t年度资金总额"], 6).value = 135
    sheet.cell(rows["input\t共用\t到位率"], ACTUAL).value = 0.9
    sheet.cell(rows["leaf\t产出指标/数量指标/质量\t"], ACTUAL).value = 1
    sheet.cell(row, ACTUAL).value = "按评审"  # named, but its score left blank: placed at the 选用 cell
    given = read_back(plan, book, tmp_path)
    [error] = locate(idsl.score(plan, given), given).errors
    assert (error.path, error.field, error.sheet, error.cell, error.message) == (
        "产出指标/数量指标/资金", "选用", FORM_SHEET, f"F{row}", "选用“按评审”，却没有给“按评审”的输入。")
    sheet.cell(row, ACTUAL).value = "按质量"  # no alternative (typed over the drop-down): refused at its cell
    given = read_back(plan, book, tmp_path)
    error = next(e for e in locate(idsl.score(plan, given), given).errors if e.field == "选用")
    assert (error.sheet, error.cell) == (FORM_SHEET, f"F{row}") and "应是“按到位率”、“按评审”中的一项" in str(error)


# a level-3 parent's row above its level-4 indicators: (construct, unit, parent, its cells D…I on the workbook
# (D 三级指标, E 年度指标值, F 选用 or nothing, G 分值), its cells on the Word form filled from that unit)
PARENTS = [
    ("choose-one-by-name", 0, "产出指标/数量指标/资金", ["资金", "二者择其一：按到位率、按评审", "按到位率", 5],
     ["资金", "二者择其一：按到位率、按评审", "按到位率", "5", "4.5", ""]),
    ("choose-one-by-name", 1, "产出指标/数量指标/资金", ["资金", "二者择其一：按到位率、按评审", None, 5],
     ["资金", "二者择其一：按到位率、按评审", "", "5", "4", ""]),
    ("any-and-best-of", 1, "效益指标/社会效益指标/社会经济效益",
     ["社会经济效益", "2项任选1项：社会效益、经济效益", "社会效益", 5],
     ["社会经济效益", "2项任选1项：社会效益、经济效益", "社会效益", "5", "4", ""]),
    ("any-and-best-of", 1, "效益指标/生态效益指标/生态效益", ["生态效益", "2项取得分最高的1项：环境效益、节能效益", None, 5],
     ["生态效益", "2项取得分最高的1项：环境效益、节能效益", "", "5", "3.5", ""]),
    # a parent of level-4 indicators: its points and score in brackets, as its indicators' are counted
    ("level-4-indicators", 0, "产出指标/质量指标/验收", ["验收", "下设各项得分之和：竣工验收、档案管理", None, "（10）"],
     ["验收", "下设各项得分之和：竣工验收、档案管理", "", "（10）", "（8.4）", ""]),
]


@pytest.mark.parametrize("name, n, parent, on_book, on_word", PARENTS,
                         ids=[f"{p[0]}-{p[1]}-{p[2].rsplit('/', 1)[1]}" for p in PARENTS])
def test_a_level_3_parent_is_a_row_above_its_level_4_indicators(tmp_path, name, n, parent, on_book, on_word):
    """The evaluator sees which indicator level-4 indicators belong to: their parent's row above them, in the
    workbook (its 选用 there, where it has one) and on the Word form, blank and filled from the workbook read back."""
    from test_docx_form import grid

    plan = plan_of(name)
    first = next(n for n in plan.find(parent).walk() if n.leaf is not None)
    book, _ = fill(plan, data_of(name, n))
    sheet = book[FORM_SHEET]
    rows = _rows(sheet)
    row = rows.get(f"input\t{parent}\t选用") or rows[f"branch\t{parent}\t"]
    assert row + 1 == rows[f"leaf\t{first.key}\t"]
    assert [sheet.cell(row, c).value for c in (4, 5, ACTUAL, POINTS)] == on_book
    assert sheet.cell(row, ACTUAL).protection.locked == (f"input\t{parent}\t选用" not in rows)
    assert sheet.cell(row, SCORE).protection.locked and sheet.cell(row, REASON).protection.locked
    given = read_back(plan, book, tmp_path)
    result = idsl.score(plan, given)
    assert not result.errors and result.total is not None
    for filled, cells in ((False, [*on_word[:2], "", on_word[3], "", ""]), (True, on_word)):
        table = grid(render_docx(plan, result, given) if filled else render_docx(plan))
        at = next(i for i, r in enumerate(table) if r[3:5] == on_word[:2])
        assert table[at][3:] == cells
        assert table[at + 1][3] == first.name and table[at][1:3] == table[at + 1][1:3]  # the same level-1 and -2


# a level-2 pool's row: (construct, the pool, its first alternative, its cells B…G: 一级, 二级, 三级, 年度指标值,
# 实际完成值 (the 选用 to fill, blank in the template), 分值)
LEVEL_2_POOLS = [
    ("choose-one-of-a-level-2", "产出指标/数量指标", "完成数量",
     ["产出指标（10）", "数量指标（5）", None, "二者择其一：完成数量、完成情况", None, 5]),
    ("best-of-a-level-2", "效益指标/社会效益指标", "社会效益",
     ["效益指标（10）", "社会效益指标（10）", None, "2项取得分最高的1项：社会效益、经济效益", None, 10]),
]


@pytest.mark.parametrize("name, pool, first, cells", LEVEL_2_POOLS, ids=[p[0] for p in LEVEL_2_POOLS])
def test_a_level_2_pool_is_named_in_its_level_2_cell_alone_as_on_the_word_form(name, pool, first, cells):
    """A level-2 pool's row above its alternatives names it in its 二级 cell (merged down them), 三级 blank as a
    level-2 leaf's is, not the 二级 name again: the same cells as the Word form's row."""
    from test_docx_form import grid

    plan = plan_of(name)
    sheet = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))[FORM_SHEET]
    rows = _rows(sheet)
    row = rows.get(f"input\t{pool}\t选用") or rows[f"branch\t{pool}\t"]
    assert rows[f"leaf\t{pool}/{first}\t"] == row + 1
    assert [key for key in rows if key.split("\t")[1] == pool] == [sheet.cell(row, KEY).value]  # its one row
    assert [sheet.cell(row, c).value for c in range(2, POINTS + 1)] == cells
    assert any(f"C{row}" in merged and merged.max_row > row for merged in sheet.merged_cells.ranges)
    word = next(r for r in grid(render_docx(plan)) if r[4:5] == [cells[3]])
    assert ["" if value is None else str(value) for value in cells] == word[1:7]


def test_choose_one_of_a_level_1_indicator_names_it_in_its_level_1_cell_alone(tmp_path):
    """A level-1 pool's row names the 一级指标 alone, 二级 and 三级 blank as on the Word form; each alternative's name
    is in its own 二级 cell below it, and the form filled and read back scores as the JSON inputs."""
    from test_docx_form import grid

    plan = plan_of("choose-one-of-a-level-1")
    book, _ = fill(plan, data_of("choose-one-of-a-level-1", 1))
    sheet = book[FORM_SHEET]
    rows = _rows(sheet)
    row = rows["input\t成本指标\t选用"]
    assert [sheet.cell(row, c).value for c in range(2, 6)] == ["成本指标（10）", None, None, "二者择其一：经济成本、社会成本"]
    alternatives = [rows[f"leaf\t成本指标/{name}\t"] for name in ("经济成本", "社会成本")]
    assert alternatives == [row + 1, row + 2]
    assert [sheet.cell(r, 3).value for r in alternatives] == ["经济成本", "社会成本"]
    assert not any(f"C{row}" in merged and merged.min_row < merged.max_row for merged in sheet.merged_cells.ranges)
    word = next(r for r in grid(render_docx(plan)) if r[4:5] == ["二者择其一：经济成本、社会成本"])
    assert [sheet.cell(row, c).value or "" for c in range(2, 5)] == word[1:4]
    given = read_back(plan, book, tmp_path)
    assert outcome(idsl.score(plan, given)) == outcome(idsl.score(plan, read_inputs(data_of("choose-one-of-a-level-1", 1))))
    pool = next(n for n in idsl.score(plan, given).nodes if n.key == "成本指标")
    assert pool.score == Decimal("7")  # 社会成本 chosen and judged 7


def test_a_blank_grade_of_a_part_is_named_by_its_cell(tmp_path):
    plan = plan_of("graded-parts")
    book, _ = fill(plan, data_of("graded-parts", 1))
    sheet = book[FORM_SHEET]
    row = _rows(sheet)["part\t效益指标/社会效益指标/综合效益\t经济效益"]
    sheet.cell(row, ACTUAL).value = None
    given = read_back(plan, book, tmp_path)
    [error] = locate(idsl.score(plan, given), given).errors
    assert (error.field, error.sheet, error.cell) == ("经济效益.等级", FORM_SHEET, f"F{row}")


QUESTIONNAIRE = """满意度指标（10）
  服务对象满意度指标（10）
    服务对象满意度（10）
      解释 通过调查问卷方式评测。
      问卷 综合满意率
        选项 A 10 分，B 7 分，C 4 分，D 0 分
        - 您对本项目的整体满意程度如何
      分档 综合满意率：综合满意率 ≥ 90% 得满分；80% ≤ 综合满意率 < 90% 得 8 分；综合满意率 < 80% 不得分
"""
PENALTY = """产出指标（10）
  数量指标（10）
    完成率（10）
      解释 完成情况。
      输入 完成率：比率
      得分 = 完成率 × 分值
逆向指标（5）
  违规使用资金（5）
    说明 发现违规使用资金的，按实际情况酌情扣分，上限5分。
    酌情
"""


@pytest.mark.parametrize("body, what", [(QUESTIONNAIRE, "问卷“综合满意率”的逐题人数"), (PENALTY, "扣分项“逆向指标”")],
                         ids=["questionnaire", "penalty"])
def test_what_the_form_cannot_hold_is_told_and_the_plain_workbook_written(tmp_path, body, what):
    spec = tmp_path / "form.idsl"
    spec.write_text(HEAD.format(header="") + body, encoding="utf-8")
    run = CliRunner().invoke(main, ["template", str(spec), "-o", str(tmp_path / "输入.xlsx")])
    assert run.exit_code == 0, run.output
    assert "W528" in run.output and what in run.output and "普通输入工作簿" in run.output
    book = openpyxl.load_workbook(tmp_path / "输入.xlsx")
    assert INPUT_SHEET in book.sheetnames and FORM_SHEET not in book.sheetnames
    check = CliRunner().invoke(main, ["check", str(spec)])
    assert "W528" in check.output and what in check.output


def test_w528_is_only_for_a_spec_with_a_form():
    loaded = load_text(Source("plain.idsl", '体系 "例" 总分 10\n' + QUESTIONNAIRE))
    assert [d.code for d in check(loaded)] == []


def test_the_form_of_every_construct_saved_by_libreoffice_reads_the_same(tmp_path):
    """Part rows, the 选用 drop-down and the rows of series as an evaluator's spreadsheet program saves them."""
    import os
    import subprocess

    from test_xlsx import _calc

    if not _calc():
        assert os.environ.get("CI", "").lower() not in ("1", "true", "yes"), "LibreOffice Calc is missing under CI"
        pytest.skip("LibreOffice Calc is not installed (make setup installs it; under CI this fails)")
    (tmp_path / "in").mkdir()
    names = ("graded-parts", "choose-one-by-name", "series", "nodata-judged")
    for name in names:
        fill(plan_of(name), data_of(name, 0))[0].save(tmp_path / "in" / f"{name}.xlsx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "xlsx",
                    "--outdir", str(tmp_path / "out"), *(str(tmp_path / "in" / f"{n}.xlsx") for n in names)],
                   check=True, capture_output=True, timeout=300)
    for name in names:
        plan = plan_of(name)
        saved = read_workbook(plan, tmp_path / "out" / f"{name}.xlsx")
        assert outcome(idsl.score(plan, saved)) == outcome(idsl.score(plan, read_inputs(data_of(name, 0)))), name


def _number(value) -> Decimal | None:
    """A cell's figure the column adds up: a number (a workbook's), or a text that is one (Word's); not （10）."""
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def _aside(value) -> bool:
    """A figure shown in brackets, （10）: one the column does not add up."""
    return isinstance(value, str) and value.startswith("（") and value.endswith("）")


@pytest.mark.parametrize("name", CONSTRUCTS)
def test_the_points_and_score_columns_add_up_to_the_total(tmp_path, name):
    """分值 in the workbook and on the Word form, 得分 on the filled Word form: the figures they show as numbers add
    up to 总分 — a parent's, an alternative's or a part's in brackets, as the row counting them has them, and a 注
    under the table says so where there are such figures (only there)."""
    plan = plan_of(name)
    sheet = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))[FORM_SHEET]
    total_row = _rows(sheet)["total\t总分\t"]
    points = [_number(sheet.cell(r, POINTS).value) for r in range(1, total_row)]
    assert sum(p for p in points if p is not None) == plan.total == sheet.cell(total_row, POINTS).value
    bracketed = any(_aside(sheet.cell(r, POINTS).value) for r in range(1, total_row))
    note = sheet.cell(total_row + 1, 1).value
    assert note.startswith("注：黄色单元格") and ("括号内的分值不另计入总分" in note) == bracketed, note
    book, _ = fill(plan, data_of(name, 0))
    given = read_back(plan, book, tmp_path)
    result = idsl.score(plan, given)
    assert result.total is not None and not result.errors
    # a leaf 不适用 rescales the total (or its siblings): the scores shown no longer add up to it, by design
    rescaled = any(n.status == "not_applicable" and not plan.find(n.key).alternative for n in result.nodes)
    filled_total = None if rescaled else result.total
    for document, total in ((render_docx(plan), None), (render_docx(plan, result, given), filled_total)):
        rows = [[cell.text for cell in row.cells] for row in Document(io.BytesIO(document)).tables[0].rows]
        funds = next(r for r in rows if r[1] == "年度资金总额")
        first = next(i for i, r in enumerate(rows) if r[1] == "一级指标") + 1
        last = next(i for i, r in enumerate(rows) if r[0] == "总分")
        shown = [(_number(r[6]), _number(r[7])) for r in rows[first:last]]
        assert _number(funds[6]) + sum(p for p, _s in shown if p is not None) == plan.total
        notes = [p.text for p in Document(io.BytesIO(document)).paragraphs if p.text.startswith("注：")]
        assert bool(notes) == any(_aside(text) for r in rows[first:last] for text in r[6:8]), notes
        if total is not None:
            assert _number(funds[8]) + sum(s for _p, s in shown if s is not None) == total
