"""The 自评表 in Word as 财预〔2020〕10号 附1: header, funds with 执行率 and 得分, 年度总体目标, indicator rows
一级/二级/三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施, 总分 and 等级; blank and filled,
compared by cells; and LibreOffice converts it (under CI=true a missing LibreOffice fails the test)."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn

import idsl
from idsl.cli import main
from idsl.io.inputs import read_inputs
from idsl.render.docx import render_docx
from idsl.render.word import BODY_SIZE, EAST_ASIAN_FONT
from plans import PARENTS_INPUTS, PARENTS_SPEC, form_head, xianjie
from test_docx_pdf import _text, _tool

ROOT = Path(__file__).resolve().parent.parent
YONGDE = ROOT / "specs" / "005_永德县明朗中学2022营养改善计划自评.idsl"
YONGDE_INPUTS = ROOT / "examples" / "005_inputs.json"
FORM = ROOT / "examples" / "kinds" / "form.idsl"
FORM_INPUTS = ROOT / "examples" / "kinds" / "form_inputs.json"


def grid(data: bytes) -> list[list[str]]:
    """The first table's rows, one text per distinct cell (a merged cell once)."""
    table = Document(io.BytesIO(data)).tables[0]
    rows = []
    for row in table.rows:
        seen, cells = set(), []
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(cell.text)
        rows.append(cells)
    return rows


def row_of(rows: list[list[str]], label: str) -> list[str]:
    return next(r for r in rows if label in r)


def test_blank_form_has_the_header_funds_goals_indicator_rows_and_total():
    plan = idsl.load(YONGDE)
    rows = grid(render_docx(plan))
    assert rows[0] == ["项目名称", "义务教育营养改善计划专项资金"]
    assert rows[1] == ["主管部门", "永德县教育体育局", "实施单位", "永德县明朗中学"]
    assert rows[2][0] == "项目资金（元）" and rows[2][-6:] == ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    # the figures the spec writes, 分值 10 on the total only, 执行率 from the figures, 得分 blank
    assert row_of(rows, "年度资金总额")[1:] == ["年度资金总额", "—", "387664.62", "387664.62", "10", "100%", ""]
    assert row_of(rows, "其中：当年财政拨款")[-3:] == ["—", "100%", "—"]
    assert row_of(rows, "其他资金")[1:] == ["其他资金", "—", "—", "—", "—", "", "—"]
    assert row_of(rows, "预期目标") == ["年度总体目标", "预期目标", "实际完成情况"]
    header = row_of(rows, "偏差原因分析及改进措施")
    assert header == ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                      "偏差原因分析及改进措施"]
    assert row_of(rows, "学生受资助人数")[1:] == ["产出指标（40）", "数量指标（10）", "学生受资助人数", "≥735人次", "",
                                                 "10", "", ""]
    assert row_of(rows, "生均补助标准达标率")[4] == "=100%"
    assert row_of(rows, "减轻贫困学生家庭经济负担")[4] == "定性"
    assert rows[-1] == ["总分", "100", "", "等级："]
    names = [r[3] for r in rows[rows.index(header) + 1:-1]]
    assert len(names) == 9 and "预算执行率" not in names  # the rate leaf sits in the funds block, not here


def test_filled_form_has_the_actuals_scores_deviation_reasons_total_and_grade():
    plan = idsl.load(YONGDE)
    result = idsl.score(plan, read_inputs(YONGDE_INPUTS))
    rows = grid(render_docx(plan, result, read_inputs(YONGDE_INPUTS)))
    assert row_of(rows, "年度资金总额")[-3:] == ["10", "100%", "10"]
    assert row_of(rows, "学生受资助人数")[4:8] == ["≥735人次", "735人次", "10", "10"]
    knowing = row_of(rows, "政策知晓率")
    assert knowing[4:8] == ["=100%", "98%", "10", "9.8"] and "未达标" in knowing[8]  # lost points: the reason
    assert row_of(rows, "减轻贫困学生家庭经济负担")[5] == "达成"
    assert row_of(rows, "学生满意度")[8] == ""  # full points: nothing to explain
    assert rows[-1] == ["总分", "100", "99.8", "等级：优"]


def test_evaluator_figures_fill_the_funds_block(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    blank, filled = tmp_path / "blank.docx", tmp_path / "filled.docx"
    assert CliRunner().invoke(main, ["compile", str(FORM), "--docx", str(blank), "-o", str(tmp_path / "c.json")]).exit_code == 0
    run = CliRunner().invoke(main, ["score", str(FORM), str(FORM_INPUTS), "--docx", str(filled)])
    assert run.exit_code == 0, run.output
    assert row_of(grid(blank.read_bytes()), "年度资金总额")[1:] == ["年度资金总额", "120", "150", "", "10", "", ""]
    total = row_of(grid(filled.read_bytes()), "年度资金总额")
    assert total[1:] == ["年度资金总额", "120", "150", "127.5", "10", "85%", "7"]  # 待填 given: 区间赋分 7 of 10
    assert grid(filled.read_bytes())[-1] == ["总分", "100", "90.83", "等级：优"]


def test_libreoffice_converts_the_blank_and_filled_form(tmp_path):
    soffice = _tool("soffice", "libreoffice")
    _tool("pdftotext")
    plan = idsl.load(YONGDE)
    result = idsl.score(plan, read_inputs(YONGDE_INPUTS))
    parents, parents_given = _parents(tmp_path)
    names = []
    for kind, data in (("blank", render_docx(plan)), ("filled", render_docx(plan, result, read_inputs(YONGDE_INPUTS))),
                       ("parents", render_docx(parents, idsl.score(parents, parents_given), parents_given))):
        path = tmp_path / f"{kind}.docx"
        path.write_bytes(data)
        names.append(path)
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), *map(str, names)], capture_output=True, text=True, timeout=600)
    for path in names:
        assert path.with_suffix(".pdf").exists(), f"LibreOffice did not convert {path.name}"
    for path in names[:2]:
        text = "".join(_text(path.with_suffix(".pdf")).split())
        for label in ("项目支出绩效自评表", "项目资金（元）", "年度总体目标", "偏差原因分析及改进措施", "家长满意度"):
            assert label in text, (path.name, label)
    assert "99.8" in "".join(_text(tmp_path / "filled.pdf").split())
    # the note on the figures in brackets is printed under the table, whole
    assert "".join(NOTE_FILLED.split()) in "".join(_text(tmp_path / "parents.pdf").split())
    assert "注：" not in _text(tmp_path / "filled.pdf")


ANNEX_LABELS = ("项目支出绩效自评表", "项目资金（万元）", "年度总体目标", "偏差原因分析及改进措施")
XIANJIE_LABELS = ("绩效目标自评表", "资金情况（万元）", "全年预算数（A）", "执行率（B/A）", "年初设定目标",
                  "年度总体目标完成情况综述", "全年实际值", "未完成原因及拟采取的改进措施")
NOTE_009 = "注：1.一级指标分值设置为：产出指标70分、效益指标20分、满意度指标10分、预算执行率10分，"
NOTE_011 = ("注：1.一级指标分值设置为：产出指标50分、效益指标30分、预算执行率10分，各部门根据各项指标重要程度确定三级指标的分值，"
            "得分最高不能超过该指标分值上限。")


@pytest.mark.parametrize("number, label, total, shown", [
    ("009", "水标尺宽度", None, (*XIANJIE_LABELS, NOTE_009)),
    ("010", "违法行为责停率", "100100等级：优", ANNEX_LABELS),
    ("011", "受益人口数量", "总分9090", (*XIANJIE_LABELS, NOTE_011))])
def test_libreoffice_converts_the_published_forms(tmp_path, number, label, total, shown):
    """009 and 011 (表式 衔接资金) and 010 (附1), blank and filled, through LibreOffice: the header, the funds in 万元
    and the last rows are on the pages, the filled one with its total (009's rows add up to 110, 011's to 90); the
    衔接资金 forms with their own titles and their note on the level-1 points as the spec has them (011: no 满意度)."""
    soffice = _tool("soffice", "libreoffice")
    _tool("pdftotext")
    spec, inputs = FORM_GOLDEN[number]
    plan = idsl.load(spec)
    given = read_inputs(json.loads(inputs.read_text(encoding="utf-8")))
    names = []
    for kind, data in (("blank", render_docx(plan)), ("filled", render_docx(plan, idsl.score(plan, given), given))):
        names.append(tmp_path / f"{kind}.docx")
        names[-1].write_bytes(data)
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), *map(str, names)], capture_output=True, text=True, timeout=600)
    texts = {path.stem: "".join(_text(path.with_suffix(".pdf")).split()) for path in names}
    for text in texts.values():
        for words in (*shown, label):
            assert "".join(words.split()) in text, words
    if number != "010":
        assert "年初预算数" not in texts["blank"] and "上年结转资金" not in texts["blank"]
    if number == "011":
        assert "满意度" not in texts["blank"] + texts["filled"]  # no such row, and the note does not speak of one
    if total is None:  # the 总分 row's figures fall apart in the text of 009's page: the filled one has 110 once more
        assert texts["filled"].count("110") == texts["blank"].count("110") + 1
    else:
        assert total in texts["filled"] and total not in texts["blank"], texts["filled"][-80:]


NOTE_BLANK = ("注：括号内的分值不另计入总分：下设四级指标的三级指标，其分值是下设指标之和；"
              "择一、任选、取最高的备选指标，由其上级指标计入。")
NOTE_FILLED = NOTE_BLANK.replace("的分值", "的分值、得分").replace("其分值", "其分值、得分")


def _parents(tmp_path: Path):
    """The form with every kind of parent row (plans.PARENTS_SPEC) and its inputs."""
    spec = tmp_path / "parents.idsl"
    spec.write_text(PARENTS_SPEC, encoding="utf-8")
    return idsl.load(spec), read_inputs(PARENTS_INPUTS)


def test_figures_in_brackets_are_explained_under_the_table(tmp_path):
    """Where the form prints figures in brackets (a level-3 parent's sum, pools' alternatives), a 注 under the table
    says which they are and that 总分 counts them once, in the body's font and size as the form's other lines; with
    scores, for 得分 too. A form with none (005) has no 注."""
    plan, given = _parents(tmp_path)
    for data, note in ((render_docx(plan), NOTE_BLANK), (render_docx(plan, idsl.score(plan, given), given), NOTE_FILLED)):
        document = Document(io.BytesIO(data))
        body = list(document.element.body.iterchildren())
        last = document.paragraphs[-1]
        assert last.text == note
        assert body.index(last._element) == body.index(document.tables[0]._element) + 1  # right under the table
        (run,) = last.runs
        assert run.font.size == BODY_SIZE and not run.bold
        assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == EAST_ASIAN_FONT
    assert not [p.text for p in Document(io.BytesIO(render_docx(idsl.load(YONGDE)))).paragraphs if "注" in p.text]



def test_evaluator_figures_of_the_parts_fill_their_rows_with_their_rate(tmp_path):
    spec = tmp_path / "form.idsl"
    spec.write_text(FORM.read_text(encoding="utf-8").replace("其中：当年财政拨款：100、130、—", "其中：当年财政拨款：100、130、待填")
                    .replace("上年结转资金：20、20、—", "上年结转资金：20、20、待填"), encoding="utf-8")
    data = json.loads(FORM_INPUTS.read_text(encoding="utf-8"))
    data["inputs"]["预算执行率"].update({"当年财政拨款全年执行数": 117.5, "上年结转资金全年执行数": "10"})
    inputs = tmp_path / "inputs.json"
    inputs.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    filled = tmp_path / "filled.docx"
    run = CliRunner().invoke(main, ["score", str(spec), str(inputs), "--docx", str(filled)])
    assert run.exit_code == 0, run.output
    rows = grid(filled.read_bytes())
    assert row_of(rows, "其中：当年财政拨款")[1:] == ["其中：当年财政拨款", "100", "130", "117.5", "—", "90.38%", "—"]
    assert row_of(rows, "上年结转资金")[1:] == ["上年结转资金", "20", "20", "10", "—", "50%", "—"]
    assert row_of(rows, "年度资金总额")[4] == "127.5"
    # parts that do not add up to the total: an error naming the row and column, no table
    data["inputs"]["预算执行率"]["上年结转资金全年执行数"] = 12
    inputs.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    wrong = CliRunner().invoke(main, ["score", str(spec), str(inputs), "--docx", str(tmp_path / "wrong.docx")])
    assert wrong.exit_code == 1 and not (tmp_path / "wrong.docx").exists()
    assert "预算执行率 › 当年财政拨款全年执行数：其中各项之和（当年财政拨款 + 上年结转资金）与年度资金总额的全年执行数不等" \
        in wrong.output


@pytest.mark.parametrize("filled", [False, True], ids=["blank", "filled"])
def test_golden_form_with_figures_in_brackets(tmp_path, filled, regen):
    """Every kind of parent row (plans.PARENTS_SPEC), blank and filled, as a golden Word case: the figures in
    brackets, a level-1 or level-2 pool's row (its name in its own level cell alone) and the 注 under the table are
    pinned."""
    from docx_structure import docx_structure
    from plans import CASES, compare_golden

    plan, given = _parents(tmp_path)
    data = render_docx(plan, idsl.score(plan, given), given) if filled else render_docx(plan)
    pool = row_of(grid(data), "二者择其一：经济成本、社会成本")
    assert pool[:5] == ["绩效指标", "成本指标（10）", "", "", "二者择其一：经济成本、社会成本"]  # not 成本指标 thrice
    pool = row_of(grid(data), "二者择其一：完成数量、完成面积")
    assert pool[:5] == ["绩效指标", "产出指标（10）", "数量指标（5）", "", "二者择其一：完成数量、完成面积"]  # not twice
    structure = docx_structure(data)
    assert (NOTE_FILLED if filled else NOTE_BLANK) in json.dumps(structure, ensure_ascii=False)
    text = json.dumps(structure, ensure_ascii=False, indent=1) + "\n"
    compare_golden(CASES / "docx" / f"form_parents_{'filled' if filled else 'blank'}.table.json", text, regen)


# Golden Word cases of the 自评表 (tests/cases/docx/form_<name>_<blank|filled>.table.json, `pytest --regen`):
# every rule kind the form scores by (examples/kinds/self_evaluation.idsl: 区间赋分, 正向 with 超额调减, 及格,
# 反向, 等值, 定性, 满意度分档) and the two published tables, blank and filled.
FORM_GOLDEN = {"self_evaluation": (ROOT / "examples" / "kinds" / "self_evaluation.idsl",
                                   ROOT / "examples" / "kinds" / "self_evaluation_inputs.json"),
               "005": (YONGDE, YONGDE_INPUTS),
               "006": (ROOT / "specs" / "006_稷山县医保局2020建档立卡个人缴费配套自评.idsl",
                       ROOT / "examples" / "006_inputs.json"),
               "009": (ROOT / "specs" / "009_中江县水利局2022水标尺制作安装自评.idsl",
                       ROOT / "examples" / "009_inputs.json"),
               "010": (ROOT / "specs" / "010_丽江市古城区2020卫片执法补助经费自评.idsl",
                       ROOT / "examples" / "010_inputs.json"),
               "011": (ROOT / "specs" / "011_萧县张庄寨镇2023河西村特色种养补贴到户自评.idsl",
                       ROOT / "examples" / "011_inputs.json")}


@pytest.mark.parametrize("name, filled", [(n, f) for n in FORM_GOLDEN for f in (False, True)],
                         ids=[f"{n}_{'filled' if f else 'blank'}" for n in FORM_GOLDEN for f in (False, True)])
def test_golden_form_tables(name, filled, regen):
    from docx_structure import docx_structure
    from plans import CASES, compare_golden

    spec, inputs = FORM_GOLDEN[name]
    plan = idsl.load(spec)
    given = read_inputs(json.loads(inputs.read_text(encoding="utf-8"))) if filled else None
    data = render_docx(plan, idsl.score(plan, given), given) if filled else render_docx(plan)
    text = json.dumps(docx_structure(data), ensure_ascii=False, indent=1) + "\n"
    compare_golden(CASES / "docx" / f"form_{name}_{'filled' if filled else 'blank'}.table.json", text, regen)


def test_a_qualitative_row_states_its_reason_once():
    spec, inputs = FORM_GOLDEN["self_evaluation"]
    plan = idsl.load(spec)
    given = read_inputs(json.loads(inputs.read_text(encoding="utf-8")))
    row = row_of(grid(render_docx(plan, idsl.score(plan, given), given)), "群众饮水条件改善")
    assert row[-5:-1] == ["定性", "部分达成", "30", "22"]
    assert row[-1].count("两个村的管网尚未通水") == 1
    satisfaction = row_of(grid(render_docx(plan, idsl.score(plan, given), given)), "受益群众满意度")
    assert satisfaction[-4] == "85%"  # a leaf scored from one value shows it as 实际完成值


XIANJIE = FORM_GOLDEN["009"]


def test_a_xianjie_form_prints_the_postings_layout():
    """表式 衔接资金 (009): the posting's title, 项目负责人及电话, the funds block titled 资金情况 with 全年预算数（A）
    and 全年执行数（B）only (no 年初预算数 column, no 上年结转资金 row, 本年财政拨款), 年初设定目标 / 年度总体目标完成情况综述,
    分值 before 年度指标值 and 全年实际值, 总分 under 分值, and the posting's note 1 under the table."""
    plan = idsl.load(XIANJIE[0])
    data = render_docx(plan)
    rows = grid(data)
    assert rows[0] == ["项目名称", "中江县农业水价综合改革精准补贴和节水奖励项目小型水库水标尺制作安装项目", "项目负责人及电话", ""]
    assert rows[2] == ["资金情况（万元）", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分"]
    assert rows[3] == ["年度资金总额：", "20", "20", "10", "100%", ""]
    assert rows[4] == ["其中：本年财政拨款", "20", "20", "", "", ""]
    assert rows[5] == ["其他资金", "—", "—", "", "", ""]
    assert rows[6] == ["年度总体目标", "年初设定目标", "年度总体目标完成情况综述"]
    assert rows[8] == ["绩效指标", "一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分",
                       "未完成原因及拟采取的改进措施"]
    assert row_of(rows, "安装坡面水标尺")[3:] == ["安装坡面水标尺", "10", "≥266米", "", "", ""]
    assert rows[-1] == ["总分", "110", "", "", ""]
    text = json.dumps(rows, ensure_ascii=False)
    assert "年初预算数" not in text and "上年结转资金" not in text and "偏差原因" not in text
    paragraphs = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert paragraphs[0] == "绩效目标自评表"
    assert paragraphs[-1] == NOTE_009 + ("各部门根据各项指标重要程度确定三级指标的分值，得分最高不能超过该指标分值上限，"
                                         "分别按照该指标对应分值区间100-80%（含80%）、80-60%（含60%）、60-0%合理确定得分。")


def test_a_xianjie_forms_columns_are_as_wide_as_their_order_needs():
    """衔接资金 puts 分值 in E and 全年实际值 in G: G is wide enough for its title (and 执行率（B/A）) on one line, and
    for the figures a leaf is scored from; 分值 takes the narrow column that 附1 gives it in G."""
    from docx.oxml.ns import qn as tag
    from idsl.render.docx_xml import lines_of

    for number, titles in (("009", {4: "分值", 5: "年度指标值", 6: "全年实际值"}),
                           ("010", {4: "年度指标值", 5: "实际完成值", 6: "分值"})):
        table = Document(io.BytesIO(render_docx(idsl.load(FORM_GOLDEN[number][0])))).tables[0]._tbl
        widths = [int(col.get(tag("w:w"))) / 56.6929 for col in table.find(tag("w:tblGrid")).findall(tag("w:gridCol"))]
        assert round(sum(widths)) == 267  # the A4 landscape page
        for column, title in titles.items():
            assert lines_of(title, widths[column]) == 1, (number, title)
        assert lines_of("执行率（B/A）", widths[6]) == 1 or number == "010"
        assert min(widths[4:7]) == widths[4 if number == "009" else 6]  # 分值: the narrowest of the three


def test_a_filled_xianjie_form_has_its_scores_in_their_columns():
    plan = idsl.load(XIANJIE[0])
    given = read_inputs(json.loads(XIANJIE[1].read_text(encoding="utf-8")))
    rows = grid(render_docx(plan, idsl.score(plan, given), given))
    assert rows[3] == ["年度资金总额：", "20", "20", "10", "100%", "10"]
    assert row_of(rows, "水标尺宽度")[3:] == ["水标尺宽度", "10", "≥50厘米", "≥50厘米", "10", ""]  # the bound as entered
    assert row_of(rows, "群众生产生活条件改善状况")[4:8] == ["10", "定性", "达成", "10"]
    assert rows[-1] == ["总分", "110", "", "110", ""]


def test_a_xianjie_form_numbers_the_bracket_note_after_its_own(tmp_path):
    """A 衔接资金 form with figures in brackets: its own note is 1., the one on the brackets 2."""
    spec = tmp_path / "parents.idsl"
    spec.write_text(xianjie(PARENTS_SPEC), encoding="utf-8")
    plan = idsl.load(spec)
    assert plan.form.xianjie
    paragraphs = [p.text for p in Document(io.BytesIO(render_docx(plan))).paragraphs]
    assert paragraphs[-2].startswith("注：1.一级指标分值设置为：产出指标10分、效益指标10分、满意度指标10分、成本指标10分、"
                                     "预算执行率10分，")
    assert paragraphs[-1] == "2." + NOTE_BLANK.removeprefix("注：")


# A 衔接资金 form worth the points its 注 1 fixes (产出 50, 效益 30, 满意度 10, 预算执行率 10), with a 定性 leaf and a
# leaf scored from two figures (a rate of them in bands)
NATIONAL_SPEC = xianjie(form_head("100")) + """
产出指标（50）
  数量指标（50）
    工程完成率（50）
      输入 完成处数：数量 处，计划处数：数量 处
      完成率 = 完成处数 / 计划处数
      分档 完成率
        完成率 ≥ 100%：得 50 分
        100% > 完成率 ≥ 80%：得 40 分
        完成率 < 80%：不得分
效益指标（30）
  社会效益指标（30）
    群众生活改善（30）
      输入 档次：选项 达成/部分达成/未达成
      定性 档次
满意度指标（10）
  服务对象满意度指标（10）
    群众满意度（10）
      输入 满意度：比率
      目标 满意度 ≥ 90%
"""
NATIONAL_INPUTS = {"inputs": {"预算执行率": {"全年执行数": 150}, "工程完成率": {"完成处数": 11, "计划处数": "12处"},
                              "群众生活改善": {"档次": "达成", "得分": 30}, "群众满意度": {"满意度": "95%"}}}
LEVEL_3 = "各部门根据各项指标重要程度确定三级指标的分值，得分最高不能超过该指标分值上限"
TIERS = "分别按照该指标对应分值区间100-80%（含80%）、80-60%（含60%）、60-0%合理确定得分"


def _notes(plan) -> list[str]:
    return [p.text for p in Document(io.BytesIO(render_docx(plan))).paragraphs if p.text.startswith(("注", "2."))]


def test_a_xianjie_forms_note_says_what_is_true_of_its_spec(tmp_path):
    """衔接资金's 注 1 follows the spec: the posting's words where the level-1 points are the ones it fixes, else the
    spec's own points (011: no 满意度, 总分 90); the sentence on the three tiers only where a 定性 leaf is scored by
    them. The 三级指标 sentence is the form's fixed text, true of any spec."""
    spec = tmp_path / "national.idsl"
    spec.write_text(NATIONAL_SPEC, encoding="utf-8")
    assert _notes(idsl.load(spec)) == ["注：1.一级指标分值统一设置为：产出指标50分、效益指标30分、满意度指标10分、"
                                       f"预算资金执行率10分，{LEVEL_3}，{TIERS}。"]
    spec.write_text(NATIONAL_SPEC.replace("      输入 档次：选项 达成/部分达成/未达成\n      定性 档次",
                                          "      输入 增收：金额 万元\n      目标 增收 ≥ 10 万元"), encoding="utf-8")
    assert _notes(idsl.load(spec)) == ["注：1.一级指标分值统一设置为：产出指标50分、效益指标30分、满意度指标10分、"
                                       f"预算资金执行率10分，{LEVEL_3}。"]
    spec.write_text(NATIONAL_SPEC.replace("产出指标（50）\n  数量指标（50）\n    工程完成率（50）",
                                          "产出指标（50.5）\n  数量指标（50.5）\n    工程完成率（50.5）")
                    .replace("总分 100", "总分 100.5").replace("得 50 分", "得 50.5 分"), encoding="utf-8")
    assert _notes(idsl.load(spec))[0].startswith("注：1.一级指标分值设置为：产出指标50.5分、效益指标30分、")
    plan = idsl.load(FORM_GOLDEN["011"][0])
    given = read_inputs(json.loads(FORM_GOLDEN["011"][1].read_text(encoding="utf-8")))
    for data in (render_docx(plan), render_docx(plan, idsl.score(plan, given), given)):
        document = Document(io.BytesIO(data))
        assert [p.text for p in document.paragraphs][-1] == NOTE_011
        assert "满意度" not in "".join(p.text for p in document.paragraphs)


def test_a_leaf_scored_from_several_values_prints_each_as_its_actual(tmp_path):
    """A leaf whose score comes from two figures (a rate of them, in bands) has no one 全年实际值 / 实际完成值: the
    filled form prints each figure the evaluator gave, named and with its unit, that the row shows what it was scored
    from (the rate itself is in the reason when points are lost); blank on the blank form. 衔接资金 and 附1 alike, and
    the cell grid the workbench draws is the same."""
    from idsl.render.docx_form import form_grid
    from idsl.render.docx_table import Scores

    given = read_inputs(NATIONAL_INPUTS)
    for style, text in (("衔接资金", NATIONAL_SPEC), ("附1", NATIONAL_SPEC.replace(xianjie(form_head("100")),
                                                                               form_head("100")))):
        spec = tmp_path / f"{style}.idsl"
        spec.write_text(text, encoding="utf-8")
        plan = idsl.load(spec)
        result = idsl.score(plan, given)
        row = row_of(grid(render_docx(plan, result, given)), "工程完成率")
        actual = 6 if style == "衔接资金" else 5  # 衔接资金: 分值 first, then 年度指标值 and 全年实际值
        assert row[actual] == "完成处数：11处；计划处数：12处" and row[7] == "40"
        assert "91.67%" in row[8]  # 11 of 12: the rate, in the reason for the points lost
        assert row_of(grid(render_docx(plan)), "工程完成率")[actual] == ""
        assert style == "衔接资金" or _notes(plan) == []  # 附1 prints no note of its own (财预〔2020〕10号 附1 has none)
        cells = form_grid(plan, Scores(result), given).rows
        assert next(r for r in cells if "工程完成率" in r)[actual] == row[actual]


def test_a_target_with_an_over_cut_prints_the_cut_after_its_actual():
    """A target that also takes 超额调减 prints the value it compares, then the cut the evaluator gave, named, as a
    leaf scored from several values does: the row shows why a met target has less than its points. A cut of 0 (or
    left blank) is no cut and is not printed; the blank form prints neither. The workbench's cell grid is the same."""
    from idsl.render.docx_form import form_grid
    from idsl.render.docx_table import Scores

    spec, inputs = FORM_GOLDEN["self_evaluation"]
    plan = idsl.load(spec)
    actual = 5  # 实际完成值
    data = json.loads(inputs.read_text(encoding="utf-8"))
    for cut, printed, score in ((2, "30处；超额调减：2分", "8"), ("1.5", "30处；超额调减：1.5分", "8.5"),
                                (0, "30处", "10"), (None, "30处", "10")):
        fields = {"完成处数": 30, **({"超额调减": cut, "理由": "年初指标值偏低。"} if cut is not None else {})}
        given = read_inputs(json.dumps({"inputs": {**data["inputs"], "集中供水工程": fields}}, ensure_ascii=False))
        result = idsl.score(plan, given)
        row = row_of(grid(render_docx(plan, result, given)), "集中供水工程")
        assert row[actual] == printed and score in row, (cut, row)
        assert next(r for r in form_grid(plan, Scores(result), given).rows if "集中供水工程" in r)[actual] == printed
    assert row_of(grid(render_docx(plan)), "集中供水工程")[actual] == ""


def test_an_actual_given_as_a_bound_is_printed_as_entered(tmp_path):
    """`idsl score --docx` from JSON and from the 自评表 workbook: the 实际完成值 cell holds the bound as written."""
    from test_xlsx import fill

    plan = idsl.load(YONGDE)
    data = json.loads(YONGDE_INPUTS.read_text(encoding="utf-8"))
    data["inputs"]["学生受资助人数"] = {"实际受资助人数": "不低于 735人次"}
    data.pop("recorded", None)  # the self-scores, audited elsewhere
    source = tmp_path / "输入.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    book = tmp_path / "输入.xlsx"
    fill(plan, data).save(book)
    for given in (source, book):
        word = tmp_path / f"{given.suffix[1:]}.docx"
        run = CliRunner().invoke(main, ["score", str(YONGDE), str(given), "--docx", str(word)])
        assert run.exit_code == 0, run.output
        assert row_of(grid(word.read_bytes()), "学生受资助人数")[4:8] == ["≥735人次", "不低于 735人次", "10", "10"]
