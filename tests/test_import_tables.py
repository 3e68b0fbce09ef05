"""idsl import on hand-made tables in other layouts, and on bad input: a clear Chinese error, exit 1, no traceback."""

from __future__ import annotations

import zipfile
from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

import idsl
from idsl.check import check
from idsl.cli import main
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.importer import TableError, import_table
from idsl.semantics.lower import lower

CHECKLIST = "①是否制定计划；②是否有时间安排。以上要素各占50%权重分，符合得1分，不符合得0分。"
BANDS = "安排率=(重点项目支出/项目总支出)×100%。\n安排率≥80%得3分，60%—80%每降低1%扣0.1分，低于60%得0分。"


def _plan(draft):
    loaded = load_text(Source("draft.idsl", draft.text))
    assert not loaded.diagnostics, [d.message for d in loaded.diagnostics]
    return lower(loaded.spec, loaded.sources)


def _through_word(written, tmp_path):
    """A plan's Word table imported back: the draft and its plan (whose 评分标准 must read as the written one's)."""
    from idsl.render.docx import render_docx
    from idsl.render.standard import standard_text

    path = tmp_path / "表.docx"
    path.write_bytes(render_docx(written))
    draft = import_table(path)
    read = _plan(draft)
    assert [standard_text(n) for n in read.leaves()] == [standard_text(n) for n in written.leaves()]
    return draft, read


def _tree(plan):
    return [(n.path, n.points, type(n.leaf.rule).__name__ if n.leaf else None) for n in plan.walk()]


def _table(document, rows):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    return table


EXPECTED = [(("决策",), Decimal(5), None), (("决策", "目标设定"), Decimal(5), None),
            (("决策", "目标设定", "计划明确性"), Decimal(2), "Checklist"),
            (("决策", "目标设定", "重点支出安排率"), Decimal(3), "Bands")]


def test_columns_in_another_order_weights_in_percent_and_full_width_digits(tmp_path):
    document = Document()
    document.add_paragraph("某局部门整体支出绩效评价指标体系及评分表")
    _table(document, [
        ("评分细则", "权重", "三级指标", "二级指标", "一级指标", "指标说明"),
        ("", "１００％", "", "", "决策", ""),
        ("", "100%", "", "目标设定", "决策", ""),
        (CHECKLIST, "４０％", "计划明确性", "目标设定", "决策", "考察计划。"),
        (BANDS, "60%", "重点支出安排率", "目标设定", "决策", "考察保障程度。"),
    ])
    path = tmp_path / "表.docx"
    document.save(path)
    draft = import_table(path)
    plan = _plan(draft)
    assert plan.title == "某局部门整体支出绩效评价"
    assert plan.total == 100
    assert [(p, pts, k) for p, pts, k in _tree(plan)] == [
        (p, pts * 20, k) for p, pts, k in EXPECTED]  # 40% and 60% of 100
    assert draft.kinds == {"要素": 1, "分档": 1} and not draft.placeholders


def test_a_table_split_across_pages_with_merged_level_cells(tmp_path):
    document = Document()
    header = ("一级指标", "二级指标", "三级指标", "分值", "评分标准")
    first = _table(document, [header, ("决策（5分）", "目标设定（5）", "计划明确性", "2", CHECKLIST)])
    document.add_paragraph("（续表）")
    second = _table(document, [header, ("", "", "重点支出安排率", "３分", BANDS),
                               ("", "", "", "", "")])
    second.cell(1, 0).merge(second.cell(2, 0))  # a vertical merge python-docx writes as vMerge restart/continue
    draft = import_table(_save(document, tmp_path))
    assert _tree(_plan(draft)) == EXPECTED
    assert first is not second


def test_an_excel_sheet_with_merged_cells_and_a_total_row(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [("一级指标", "二级指标", "三级指标", "分值", "评分标准", "得分"),
                ("决策", "目标设定", "计划明确性", 2, CHECKLIST, None),
                (None, None, "重点支出安排率", 3, BANDS, None),
                ("合计", None, None, 5, None, None)]:
        sheet.append(row)
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    path = tmp_path / "表.xlsx"
    book.save(path)
    plan = _plan(import_table(path))
    assert [(p, k) for p, _, k in _tree(plan)] == [(p, k) for p, _, k in EXPECTED]
    assert plan.total == 5


def test_a_self_evaluation_table_reads_its_targets(tmp_path):
    document = Document()
    _table(document, [("一级指标", "二级指标", "三级指标", "分值", "年度指标值", "实际完成值", "偏差原因"),
                      ("产出（4）", "数量指标（4）", "参保人数", "2", "≥41.94万人", "42万人", ""),
                      ("产出（4）", "数量指标（4）", "满意度", "2", "≥90%", "95%", "")])
    plan = _plan(import_table(_save(document, tmp_path)))
    assert [type(n.leaf.rule).__name__ for n in plan.leaves()] == ["Target", "Target"]


def test_an_unread_text_is_kept_verbatim_and_listed_by_check(tmp_path):
    document = Document()
    text = "社会公众是指部门履行职责而影响到的群体，一般采取社会调查的方式，进行合理的评分。"
    _table(document, [("一级指标", "二级指标", "三级指标", "分值", "评分标准"),
                      ("效率性（3）", "重点工作（3）", "重点工作完成率", "3", text)])
    path = _save(document, tmp_path)
    result = CliRunner().invoke(main, ["import", str(path), "-o", str(tmp_path / "草稿.idsl")])
    assert result.exit_code == 0, result.output
    assert "1 个待定" in result.output and "效率性 › 重点工作 › 重点工作完成率" in result.output
    draft = (tmp_path / "草稿.idsl").read_text(encoding="utf-8")
    assert f"评分标准 {text}" in draft
    checked = CliRunner().invoke(main, ["check", "--format", "gnu", str(tmp_path / "草稿.idsl")])
    assert checked.exit_code == 1 and "E406" in checked.output and "重点工作完成率" in checked.output


def test_the_summary_lists_the_mistakes_of_the_original(tmp_path):
    document = Document()
    gap = "安排率=(重点项目支出/项目总支出)×100%。\n安排率≥80%得3分，60%—80%每降低1%扣0.1分，低于50%得0分。"
    _table(document, [("一级指标", "二级指标", "三级指标", "分值", "评分标准"),
                      ("决策（6）", "目标设定（6）", "计划明确性", "2", CHECKLIST),
                      ("决策（6）", "目标设定（6）", "重点支出安排率", "3", gap)])
    result = CliRunner().invoke(main, ["import", str(_save(document, tmp_path)), "-o", str(tmp_path / "d.idsl")])
    assert result.exit_code == 0, result.output
    assert "E302 决策 › 目标设定" in result.output
    assert "E403 决策 › 目标设定 › 重点支出安排率" in result.output


def _save(document, tmp_path, name="表.docx"):
    path = tmp_path / name
    document.save(path)
    return path


# ---------------------------------------------------------------- bad input


def _refused(tmp_path, path, *words):
    result = CliRunner().invoke(main, ["import", str(path), "-o", str(tmp_path / "out.idsl")])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    for word in words:
        assert word in result.output, result.output
    assert not (tmp_path / "out.idsl").exists()


def test_a_document_without_a_scoring_table(tmp_path):
    document = Document()
    document.add_paragraph("没有表格的报告")
    _refused(tmp_path, _save(document, tmp_path), "没有表格")
    document = Document()
    _table(document, [("序号", "单位", "金额"), ("1", "人社局", "100")])
    _refused(tmp_path, _save(document, tmp_path, "其他.docx"), "找不到评分表", "序号、单位、金额")


def test_an_encrypted_or_corrupt_file(tmp_path):
    encrypted = tmp_path / "加密.docx"
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    _refused(tmp_path, encrypted, "受密码保护")
    corrupt = tmp_path / "坏.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 not really a zip")
    _refused(tmp_path, corrupt, "已损坏")
    broken = tmp_path / "坏.docx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    _refused(tmp_path, broken, "已损坏")


def test_inconsistent_merges(tmp_path):
    document = Document()
    table = _table(document, [("一级指标", "二级指标", "三级指标", "分值", "评分标准"),
                              ("决策（2）", "目标设定（2）", "计划明确性", "2", CHECKLIST)])
    properties = table.cell(0, 0)._tc.get_or_add_tcPr()
    merge = OxmlElement("w:vMerge")  # a continued vertical merge in the first row: it starts nowhere
    properties.append(merge)
    _refused(tmp_path, _save(document, tmp_path), "第 1 个表格第 1 行第 1 列：纵向合并", "合并不一致")


def test_the_library_raises_table_error(tmp_path):
    with pytest.raises(TableError, match="只能导入"):
        import_table(tmp_path / "表.csv")
    assert qn("w:vMerge")


def test_the_published_001_table_rebuilt_from_the_report(tmp_path):
    """examples/tables/001_附件1.docx (built from the report's text, a table per page, merged level cells):
    the 34 leaves come back with their points, and the checker finds the published checklists whose
    elements do not add up and the uncapped 执行率 × 分值."""
    from idsl.check import check
    from tests.plans import ROOT

    source = ROOT / "examples" / "tables"
    rebuilt = tmp_path / "001.docx"
    import runpy

    runpy.run_path(str(source / "build_table.py"), run_name="build")["build"](source / "001_附件1.tsv", rebuilt)
    assert rebuilt.read_bytes()[:2] == b"PK"
    for path in (rebuilt, source / "001_附件1.docx"):
        draft = import_table(path)
        plan = _plan(draft)
        assert draft.leaves == 34 and plan.total == 100
        assert [n.points for n in plan.nodes] == [15, 24, 33, 28]
        found = check(load_text(Source("draft.idsl", draft.text)))
        e401 = {d.path[-1] for d in found if d.code == "E401"}
        assert {"社会基本资金利用", "社会服务综合效益水平", "维护劳动者的合法权益", "筑牢民生安全屏障",
                "改善生活生态环境", "资金到位及时性"} <= e401
        assert {d.path[-1] for d in found if d.code == "E406"} == {"/".join(p[-1:]) for p in draft.placeholders}


def _leaves(nodes):
    """(name, points) of every leaf under `nodes`, in the table's order."""
    return [pair for node in nodes for pair in (_leaves(node.children) if node.children else [(node.name, node.points)])]


def test_the_published_002_table_rebuilt_from_the_report(tmp_path):
    """examples/tables/002_意见表.docx (built from the report's text: one table run on across pages without its header,
    a name broken across a page, the 逆向指标 rules in the 指标说明 column): the 29 leaves and their points come back
    as specs/002 has them, the 逆向指标 items with their caps and rules, the grades; the leaves whose text says what it
    scores are read as specs/002 writes them (the self-assessed ones 酌情, the per-finding deduction, the two amounts
    compared, 部门预算支出率's formula), and so are the clauses of 部门整体 tables (elements with notes, named parts, the
    change rate's bands, the formula after 其中, the choices summed, the angles 酌情), only 满意度, which states no scale,
    left to write; the checker finds the published mistakes, and nothing else — 目标设置(10) printed two rows early,
    two single elements of 2 points under 4-point indicators, elements adding up to more than their indicator
    (绩效指标明确性 5 of 4, 群众信访办理情况 3 of 2), and 项目完成及时性's 已完成项目数/未完成项目数×2, unbounded."""
    import runpy

    from idsl.check import check
    from tests.plans import ROOT

    source = ROOT / "examples" / "tables"
    rebuilt = tmp_path / "002.docx"
    runpy.run_path(str(source / "build_table.py"), run_name="build")["build"](source / "002_意见表.tsv", rebuilt)
    written = load_text(Source("002.idsl", (ROOT / "specs" / "002_阜沙分局2022部门整体自评.idsl").read_text("utf-8")))
    spec = lower(written.spec, written.sources)
    for path in (rebuilt, source / "002_意见表.docx"):
        draft = import_table(path)
        plan = _plan(draft)
        as_printed = [(name.replace("资产管理员理性", "资产管理合理性"), points) for name, points in _leaves(plan.nodes)]
        assert as_printed == _leaves(spec.nodes) and draft.leaves == 35 and plan.total == 100
        assert [(n.name, n.points) for n in plan.nodes] == [(n.name, n.points) for n in spec.nodes]
        (block,) = plan.adjustments
        assert block.kind == "penalty" and block.cap == 40
        assert [(i.name, i.points) for i in block.items] == [(i.name, i.points) for i in spec.adjustments[0].items]
        assert [g.grade for g in plan.grades] == ["优", "良", "中", "差"]
        assert "等级 优：总分 ≥ 90；良：80 ≤ 总分 < 90；中：60 ≤ 总分 < 80；差：总分 < 60" in draft.text.splitlines()
        assert "未能读出" not in draft.text
        assert draft.kinds == {"要素": 13, "分档": 8, "酌情": 5, "得分": 3, "选择": 3, "按项扣分": 1, "分项": 1}
        found = check(load_text(Source("draft.idsl", draft.text)))
        assert sorted((d.code, d.path[-1]) for d in found) == sorted([
            ("E302", "预算编制"), ("E302", "目标设置"), ("E401", "预算编制规划性"), ("E401", "预算编制科学性"),
            ("E401", "绩效指标明确性"), ("E401", "项目完成及时性"), ("E401", "群众信访办理情况"),
            ("E406", "公众或服务对象满意度"),
            ("W529", "国库集中支付结转结余存量资金效率性")])  # 上年度为0的，本年度继续为0的: not 上年 0 and 本年 above 0
        assert [p[-1] for p in draft.placeholders] == ["公众或服务对象满意度"]


MARKED = [("完成率90%（含）以上得10分，80%（含）～90%得8分，80%以下不得分。", "80%（含）～90%"),
          ("完成率>90%得10分，80%-90%(含)得8分，80%（含）以下不得分。", "80%～90%（含）"),
          ("1. 完成率90%（含）以上的，得满分；\n2. 完成率在80%（含）至90%之间的，得8分；\n3. 完成率80%以下的，得0分。",
           "80%（含）～90%")]


@pytest.mark.parametrize(("text", "band"), MARKED, ids=["compact", "hyphen", "numbered"])
def test_band_ends_marked_included_import_as_written(tmp_path, text, band):
    document = Document()
    _table(document, [("一级指标", "二级指标", "三级指标", "分值", "评分标准"),
                      ("产出（10）", "质量指标（10）", "完成率指标", "10", text)])
    draft = import_table(_save(document, tmp_path))
    assert draft.kinds == {"分档": 1} and not draft.placeholders and f"  {band}：" in draft.text
    plan = _plan(draft)
    assert not check(load_text(Source("draft.idsl", draft.text))), "the bands meet without a gap or an overlap"
    scores = {rate: idsl.score(plan, {"inputs": {"完成率指标": {"完成率": rate}}}).total for rate in ("80%", "90%")}
    marked_low = band.startswith("80%（含）")
    assert scores == {"80%": Decimal(8 if marked_low else 0), "90%": Decimal(10 if marked_low else 8)}


def test_lines_after_the_rule_import_as_written_until_zero_too(tmp_path):
    text = ("得分=执行率×分值。\n另按违规笔数每项扣1分，扣完为止。\n存在其他影响因素的，酌情扣分，最多扣1分，须说明理由。\n"
            "扣减、加分后的得分不低于0分，不超过本指标分值。")
    document = Document()
    _table(document, [("一级指标", "二级指标", "三级指标", "分值", "评分标准"),
                      ("过程（5）", "资金管理（5）", "资金使用合规性", "5", text)])
    draft = import_table(_save(document, tmp_path))
    assert "另扣 违规笔数 每项 1 分，扣完为止" in draft.text and "酌情扣分 最多 1 分，须说明理由" in draft.text
    assert not draft.placeholders and not check(load_text(Source("draft.idsl", draft.text)))
    given = {"inputs": {"资金使用合规性": {"执行率": "80%", "违规笔数": 6}}}
    assert idsl.score(_plan(draft), given).total == Decimal(0)  # 4 points, six findings: stops at 0


def test_counts_read_back_in_their_counting_words(tmp_path):
    text = ('体系 "例" 总分 10\n过程（10）\n'
            '  问题整改（4）\n    解释 问题数。\n    输入 问题数：问题数\n'
            '    分档 问题数：问题数 = 0 得满分；问题数 ≥ 1 每增加 1 扣 1 分，扣完为止\n'
            '  违规情况（3）\n    解释 违规次数。\n    输入 违规次数：数量 次\n'
            '    分档 违规次数：违规次数 ≤ 2 得满分；2 < 违规次数 ≤ 4 得 1 分；违规次数 > 4 不得分\n'
            '  合规性（3）\n    解释 不符合要求的情况。\n    输入 不符合要求的例数：问题数\n'
            '    按项扣分 不符合要求的例数 每项 1 分，扣完为止\n')
    written = lower(load_text(Source("t.idsl", text)).spec)
    draft, _read = _through_word(written, tmp_path)
    assert "输入 问题数：问题数" in draft.text and "输入 违规次数：数量 次" in draft.text
    assert "输入 不符合要求的例数：问题数" in draft.text


def test_counts_of_none_read_back_from_their_words(tmp_path):
    from idsl.render.standard import standard_text

    text = ('体系 "例" 总分 12\n过程（12）\n'
            '  问题整改（4）\n    解释 问题数。\n    输入 违规笔数：问题数\n'
            '    分档 违规笔数：违规笔数 = 0 得满分；违规笔数 = 1 得 1 分；违规笔数 ≥ 2 不得分\n'
            '  违规情况（4）\n    解释 违规次数。\n    输入 违规次数：数量 次\n'
            '    分档 违规次数：违规次数 = 0 得满分；违规次数 ≥ 1 每增加 1 扣 1 分，扣完为止\n'
            '  整改（4）\n    解释 问题与项目。\n    输入 问题数：问题数，未完成项目数：数量 个，执行率：比率\n'
            '    若 问题数 = 0 且 未完成项目数 = 0 则 得满分\n    得分 = 执行率 × 分值\n')
    written = lower(load_text(Source("t.idsl", text)).spec)
    assert standard_text(written.find("问题整改")).startswith("1. 未发现违规的，得满分；")
    assert standard_text(written.find("违规情况")).startswith("无违规得满分，违规次数≥1次每增加1次")
    draft, _read = _through_word(written, tmp_path)
    assert "违规笔数 = 0：得满分" in draft.text and "输入 违规笔数：问题数" in draft.text
    assert "违规次数 = 0：得满分" in draft.text and "输入 违规次数：数量 次" in draft.text
    assert "若 问题数 = 0 且 未完成项目数 = 0 则 得满分" in draft.text and "问题数：问题数" in draft.text
    assert "未完成项目数：数量 个" in draft.text



def test_counts_of_none_and_lines_after_the_rule_read_back_as_the_counts_they_came_from(tmp_path):
    """无违规 (违规次数 = 0) is the count the text names, not a yes/no 无违规; 另按违规笔数每笔 and 未发现违规 are the
    问题数 违规笔数 they were written from: compile → Word → import gives back the declarations and the texts."""
    from idsl.render.standard import standard_text

    text = ('体系 "例" 总分 12\n过程（12）\n'
            '  安全生产（4）\n    解释 违规次数与临聘人员。\n    输入 违规次数：数量 次，临聘人数：数量 人，执行率：比率\n'
            '    若 违规次数 = 0 且 临聘人数 = 0 则 得满分\n    若 违规次数 ≥ 3 则 不得分\n    得分 = 执行率 × 分值\n'
            '  资金使用（4）\n    解释 执行与违规。\n    输入 执行率：比率，违规笔数：问题数\n'
            '    得分 = 执行率 × 分值\n    另扣 违规笔数 每项 1 分，扣完为止\n'
            '  合规性（4）\n    解释 执行与违规。\n    输入 执行率：比率，违规笔数：问题数\n'
            '    若 违规笔数 = 0 则 得满分\n    得分 = 执行率 × 分值\n    另扣 违规笔数 每项 0.5 分，最多 2 分\n')
    written = lower(load_text(Source("t.idsl", text)).spec)
    assert standard_text(written.find("安全生产")).splitlines()[1] == "如无违规且临聘人数为0人，则本项得满分。"
    assert standard_text(written.find("资金使用")).splitlines()[1] == "另按违规笔数每笔扣1分，扣完为止。"
    assert standard_text(written.find("合规性")).splitlines()[1] == "如未发现违规，则本项得满分。"
    draft, read = _through_word(written, tmp_path)
    assert not [d for d in check(load_text(Source("draft.idsl", draft.text))) if d.severity == "error"]
    declared = lambda plan: [sorted((i.name, i.kind, i.unit) for i in n.leaf.inputs) for n in plan.leaves()]  # noqa: E731
    assert declared(read) == declared(written)
    assert [standard_text(n) for n in read.leaves()] == [standard_text(n) for n in written.leaves()]
    assert "若 违规次数 = 0 且 临聘人数 = 0 则 得满分" in draft.text and "无违规" not in draft.text

UNMARKED = [("完成率90%以上得10分，80%（含）～90%得8分，80%以下不得分。", "90%以上"),
            ("1. 完成率90%以上的，得满分；\n2. 完成率在80%（含）至90%之间的，得8分；\n3. 完成率80%以下的，得0分。", "90%以上")]


@pytest.mark.parametrize(("text", "band"), UNMARKED, ids=["compact", "numbered"])
def test_yishang_yixia_import_including_their_number_unless_a_neighbour_marks_it(tmp_path, text, band):
    document = Document()
    _table(document, [("一级指标", "二级指标", "三级指标", "分值", "评分标准"),
                      ("产出（10）", "质量指标（10）", "完成率指标", "10", text)])
    draft = import_table(_save(document, tmp_path))
    assert draft.kinds == {"分档": 1} and f"  {band}：" in draft.text
    assert not check(load_text(Source("draft.idsl", draft.text))), "90% belongs to 90%以上, 80% to 80%（含）～90%"
    plan = _plan(draft)
    rates = ("79.99%", "80%", "89.99%", "90%")
    scores = {rate: idsl.score(plan, {"inputs": {"完成率指标": {"完成率": rate}}}).total for rate in rates}
    assert scores == {"79.99%": 0, "80%": 8, "89.99%": 8, "90%": 10}


def test_yishang_yixia_and_an_unmarked_range_sharing_their_numbers_import_as_overlaps(tmp_path):
    document = Document()
    _table(document, [("一级指标", "二级指标", "三级指标", "分值", "评分标准"),
                      ("产出（3）", "质量指标（3）", "达标率指标", "3", "达标率90%以上得3分，60%-90%得2分，60%以下不得分。")])
    draft = import_table(_save(document, tmp_path))
    found = [d for d in check(load_text(Source("draft.idsl", draft.text))) if d.code == "E404"]
    assert [d.message for d in found] == ["达标率 = 90% 同时落在两档，两档给分不同。", "达标率 = 60% 同时落在两档，两档给分不同。"]


# ---------------------------------------------------------------- a level name printed again

HEADER = ("一级指标", "二级指标", "三级指标", "分值", "评分标准")
PLAN_ROW = ("决策（5）", "目标设定（5）", "计划明确性", "2", CHECKLIST)
SHARE_ROW = ("", "", "重点支出安排率", "3", BANDS)
AGAIN = {
    # the level-1 name alone on a row below its children, the rows below continuing its 二级 …
    "same 二级": [HEADER, PLAN_ROW, ("决策", "", "", "", ""), ("", "目标设定", "重点支出安排率", "3", BANDS)],
    # … or adding a 二级 its points still wait for
    "new 二级": [HEADER, ("决策（5）", "目标设定（2）", "计划明确性", "2", CHECKLIST), ("决策", "", "", "", ""),
               ("", "资金管理（3）", "重点支出安排率", "3", BANDS)],
    # a level-2 name printed again alone, its 三级 continuing below
    "level 2": [HEADER, PLAN_ROW, ("决策", "目标设定", "", "", ""), SHARE_ROW],
    # a level-1's own row printed after its children, the next level-1 below
    "own row after": [HEADER, PLAN_ROW, SHARE_ROW, ("决策", "", "", "5", ""),
                      ("过程（3）", "资金管理（3）", "资金使用合规性", "3", CHECKLIST.replace("1分", "1.5分"))],
}


@pytest.mark.parametrize("rows", AGAIN.values(), ids=AGAIN.keys())
def test_a_level_name_printed_again_below_its_children_continues_the_same_indicator(tmp_path, rows):
    document = Document()
    _table(document, rows)
    draft = import_table(_save(document, tmp_path))
    tree = [(path, points) for path, points, _ in _tree(_plan(draft))]
    assert [path for path, _ in tree].count(("决策",)) == 1, draft.text
    assert tree[0] == (("决策",), 5) and all(path[0] == "决策" for path, _ in tree[:4])
    assert not [d for d in check(load_text(Source("draft.idsl", draft.text))) if d.severity == "error"]


def test_a_level_name_printed_again_over_a_badly_merged_excel_cell_continues_it(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [HEADER, ("决策", "目标设定", "计划明确性", 2, CHECKLIST), (None, None, "重点支出安排率", 3, BANDS),
                ("决策", None, None, None, None), (None, "目标设定", "预算编制科学性", 1, "按规定编制的，得1分。")]:
        sheet.append(row)
    sheet.merge_cells("A2:A3")  # the 一级 merge stops one row short; the name is printed again below
    sheet.merge_cells("B2:B3")
    path = tmp_path / "表.xlsx"
    book.save(path)
    plan = _plan(import_table(path))
    assert [n.path for n in plan.walk()] == [("决策",), ("决策", "目标设定"), ("决策", "目标设定", "计划明确性"),
                                            ("决策", "目标设定", "重点支出安排率"), ("决策", "目标设定", "预算编制科学性")]


@pytest.mark.parametrize("again", [("决策", "", "", "6", ""), ("决策（6）", "", "", "", "")], ids=["points column", "name cell"])
def test_a_level_name_printed_again_with_other_points_keeps_the_first_and_says_so(tmp_path, again):
    document = Document()
    _table(document, [HEADER, PLAN_ROW, SHARE_ROW, again,
                      ("过程（3）", "资金管理（3）", "资金使用合规性", "3", CHECKLIST.replace("1分", "1.5分"))])
    draft = import_table(_save(document, tmp_path))
    lines = draft.text.splitlines()
    at = lines.index("决策（5）")
    assert lines[at - 1] == "# 原表第 4 行再次写出“决策”，分值 6 与第 2 行的 5 不同；草稿取第 2 行的，请核对。"
    assert sum(line.startswith("# 原表") for line in lines) == 1


def test_a_leaf_row_repeated_with_another_score_keeps_the_first_and_says_so(tmp_path):
    document = Document()
    header = HEADER + ("得分",)
    _table(document, [header, PLAN_ROW + ("2",), SHARE_ROW + ("3",), ("", "", "重点支出安排率", "", "", "2")])
    lines = import_table(_save(document, tmp_path)).text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == "重点支出安排率（3）")
    assert lines[at - 1].strip() == "# 原表第 4 行再次写出“重点支出安排率”，得分 2 与第 3 行的 3 不同；草稿取第 3 行的，请核对。"


def test_two_level_1s_of_the_same_name_stay_two_when_the_table_has_them(tmp_path):
    """The first 决策's points are complete, the row names 决策 with points of its own and the rows below start a
    new 二级: a second 决策, as the table has it (the checker then says so); not folded into the first."""
    document = Document()
    _table(document, [HEADER, PLAN_ROW, SHARE_ROW, ("决策（3）", "", "", "", ""),
                      ("", "资金管理（3）", "资金使用合规性", "3", CHECKLIST.replace("1分", "1.5分"))])
    draft = import_table(_save(document, tmp_path))
    roots = [line for line in draft.text.splitlines() if line.startswith("决策")]
    assert roots == ["决策（5）", "决策（3）"]


def test_the_summary_and_the_draft_name_the_table_spaced_as_the_rows_are(tmp_path):
    """`读自第 2 个表格` as the findings write `第 2 个表格第 5 行`: a number spaced in Chinese prose, everywhere."""
    document = Document()
    _table(document, [("部门名称", "某局"), ("评价年度", "2024")])
    document.add_paragraph("评分表")
    _table(document, [HEADER, PLAN_ROW, SHARE_ROW])
    path = _save(document, tmp_path)
    result = CliRunner().invoke(main, ["import", str(path), "-o", str(tmp_path / "草稿.idsl")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"已写出 {tmp_path / '草稿.idsl'}（读自第 2 个表格）：2 个末级指标")
    assert "（第 2 个表格）生成" in (tmp_path / "草稿.idsl").read_text(encoding="utf-8").splitlines()[0]
    document = Document()
    _table(document, [HEADER, ("小计", "小计", "小计", "5", "")])
    _refused(tmp_path, _save(document, tmp_path), "第 1 个表格的表头可以识别")


@pytest.mark.parametrize("mark", ["（续）", "(续表)", "（接上页）"])
def test_a_level_name_marked_continued_on_the_next_page_is_the_same_indicator(tmp_path, mark):
    """A table run on across pages printing 决策（续） at the top of the next: 决策's rows go on, not a level-1 named
    决策（续）."""
    document = Document()
    _table(document, [HEADER, ("决策（5）", "目标设定（2）", "计划明确性", "2", CHECKLIST),
                      (f"决策{mark}", "资金管理（3）", "重点支出安排率", "3", BANDS)])
    plan = _plan(import_table(_save(document, tmp_path)))
    assert [(n.path, n.points) for n in plan.walk()] == [
        (("决策",), 5), (("决策", "目标设定"), 2), (("决策", "目标设定", "计划明确性"), 2),
        (("决策", "资金管理"), 3), (("决策", "资金管理", "重点支出安排率"), 3)]


def test_an_excel_sheets_title_row_above_the_header_titles_the_draft(tmp_path):
    """A sheet's title is a row above the header (merged across it), as a Word table's is the line above the table."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["某局部门整体支出绩效评价指标体系及评分表"])
    sheet.append([])
    sheet.append(list(HEADER))
    sheet.append(list(PLAN_ROW))
    sheet.append(list(SHARE_ROW))
    sheet.merge_cells("A1:E1")
    path = tmp_path / "表.xlsx"
    book.save(path)
    assert _plan(import_table(path)).title == "某局部门整体支出绩效评价"
