"""择一's and 任选's 选用: the alternatives a unit uses, named in JSON, the workbook, a batch and examples, checked in
both engines."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

import idsl
from idsl.check import check
from idsl.engines.batch import score_rows
from idsl.engines.worked import run_examples
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.columns import unit_columns
from idsl.io.inputs import read_inputs
from plans import BY_GIVING, NAMED_ONLY, fund_choice, rows_csv, score_with_both_engines
from idsl.io.workbook import locate, read_workbook
from idsl.render.workbook import template_workbook
from idsl.semantics.lower import lower

PARENT = "产出/项目验收"
ONE_HINT = "（“选用”写评的那一项，只给它的输入；其余的输入不写、留空。）"  # 择一's, after each of its errors in a batch


def _load(text: str):
    loaded = load_text(Source("c.idsl", text))
    return loaded, lower(loaded.spec, loaded.sources)


def _errors(plan, given: dict) -> list[str]:
    return [f"{e.field or ''}:{e.message}" for e in idsl.score(plan, read_inputs({"inputs": given})).errors]


def test_the_parent_gets_a_choice_column_before_its_alternatives():
    _loaded, plan = _load(BY_GIVING)
    columns = unit_columns(plan)
    assert [c.header for c in columns][:3] == ["单位", f"{PARENT}.选用", f"{PARENT}/竣工验收.验收合格率"]
    assert columns[1].decl.options == ("竣工验收", "阶段性验收")


def test_a_json_choice_decides_and_must_agree_with_the_inputs():
    _loaded, plan = _load(BY_GIVING)
    stage = {"阶段性验收": {"要素": ["是", "否"]}, "质量": {"合格率": "100%"}}
    result = idsl.score(plan, read_inputs({"inputs": {"项目验收": {"选用": "阶段性验收"}, **stage}}))
    assert not result.errors and result.total == Decimal("7.5")
    assert result.node(f"{PARENT}/竣工验收").status == "not_applicable"
    assert _errors(plan, {"项目验收": {"选用": "竣工验收"}, **stage}) == [
        ":选用“竣工验收”，却给了“阶段性验收”的输入。"]
    assert _errors(plan, {"项目验收": {"选用": "竣工验收"}, "质量": {"合格率": "100%"}}) == [
        "选用:选用“竣工验收”，却没有给“竣工验收”的输入。"]
    assert _errors(plan, {"项目验收": {"选用": "验收"}, **stage}) == [
        "选用:“选用”应是“竣工验收”、“阶段性验收”中的一项。"]
    assert _errors(plan, {"项目验收": {"选用": "阶段性验收", "得分": 3}, **stage}) == [
        "得分:择一的上级指标只写“选用”：评哪一项。"]
    assert _errors(plan, {"项目验收": {"选用": ""}, **stage}) == []  # blank: the one given


def _row(unit: str, chosen: str, rate: str, first: str, second: str) -> dict:
    return {"单位": unit, f"{PARENT}.选用": chosen, f"{PARENT}/竣工验收.验收合格率": rate,
            f"{PARENT}/阶段性验收.要素1": first, f"{PARENT}/阶段性验收.要素2": second, "产出/质量.合格率": "100%"}


@pytest.mark.parametrize("engine", ("python", "duckdb"))
def test_a_batch_reads_the_choice_in_both_engines(engine):
    _loaded, plan = _load(BY_GIVING)
    rows = [_row("甲", "", "96%", "", ""), _row("乙", "阶段性验收", "", "是", "否"), _row("丙", "竣工验收", "", "是", "否"),
            _row("丁", "竣工验收", "", "", ""), _row("戊", "验收", "90%", "", ""), _row("己", "", "", "", "")]
    results, errors = score_rows(plan, rows, engine=engine)
    assert {r["单位"]: r["总分"] for r in results if r["总分"] is not None} == {"甲": Decimal("9.8"), "乙": Decimal("7.5")}
    assert sorted((e.unit, e.column, e.message) for e in errors) == [
        ("丁", f"{PARENT}.选用", "选用“竣工验收”，却没有给“竣工验收”的输入。" + ONE_HINT),
        ("丙", PARENT, "选用“竣工验收”，却给了“阶段性验收”的输入。" + ONE_HINT),
        ("己", PARENT, "二者择其一，须评其中一项，没有给任何一项的输入。（给出选用的一项的输入（输入文件中写它的对象，批量表中填它的格子）。）"),
        ("戊", f"{PARENT}.选用", "没有这个选项：“验收”。（可选：A. 竣工验收；B. 阶段性验收）"),
    ]


@pytest.mark.parametrize("engine", ("python", "duckdb"))
def test_an_alternative_without_cells_is_chosen_by_name(engine):
    loaded, plan = _load(NAMED_ONLY)
    assert [d.code for d in check(loaded)] == []
    base = {"共用.到位率": "90%", "产出/质量.合格率": "100%", "产出/资金/按评审.得分": "", "产出/资金/按评审.理由": ""}
    rows = [{**base, "单位": "甲", "产出/资金.选用": "按到位率"},
            {**base, "单位": "乙", "产出/资金.选用": "", "产出/资金/按评审.得分": "4", "产出/资金/按评审.理由": "略"},
            {**base, "单位": "丙", "产出/资金.选用": ""}]
    results, errors = score_rows(plan, rows, engine=engine)
    assert {r["单位"]: r["总分"] for r in results if r["总分"] is not None} == {"甲": Decimal("9.5"), "乙": Decimal(9)}
    assert [(e.unit, e.column, e.message) for e in errors] == [
        ("丙", "产出/资金", "二者择其一，须在“选用”中写明评哪一项（有的备选指标没有自己的输入）。" + ONE_HINT)]


# 按比值 reads 共用 inputs only, and fails where 乙数 is 0; 按评审 is scored by the evaluator
FAILING = fund_choice("""    按比值（5）
      解释 按比值计分。
      得分 = min(甲数 / 乙数, 1) × 分值
""", "甲数：数值，乙数：数值")
ZERO = "分母“乙数”为 0，规则没有规定这种情况，无法计算。（检查这个输入；若 0 是真实情况，体系应加一条特例（若 … 则 …）。）"


@pytest.mark.parametrize("allow_missing", (False, True))
def test_an_alternative_without_cells_reports_its_failures_only_where_chosen(allow_missing):
    """Named by 选用, an alternative with no cell of its own is scored, and its failure is the unit's in both
    engines; not named, it fails nowhere."""
    _loaded, plan = _load(FAILING)
    base = {"共用.甲数": "1", "共用.乙数": "0", "产出/质量.合格率": "100%", "产出/资金/按评审.得分": "",
            "产出/资金/按评审.理由": ""}
    rows = [{**base, "单位": "甲", "产出/资金.选用": "按比值"},
            {**base, "单位": "乙", "产出/资金.选用": "按评审", "产出/资金/按评审.得分": "4", "产出/资金/按评审.理由": "略"},
            {**base, "单位": "丙", "产出/资金.选用": "", "产出/资金/按评审.得分": "4", "产出/资金/按评审.理由": "略"},
            {**base, "单位": "丁", "共用.乙数": "2", "产出/资金.选用": "按比值"}]
    for engine in ("python", "duckdb"):
        results, errors = score_rows(plan, rows, engine=engine, allow_missing=allow_missing)
        assert {r["单位"]: r["总分"] for r in results} == {"乙": Decimal(9), "丙": Decimal(9), "丁": Decimal("7.5")}
        assert [(e.unit, e.column, e.message) for e in errors] == [("甲", "产出/资金/按比值", ZERO)], engine
    chosen = idsl.score(plan, read_inputs({"inputs": {"共用": {"甲数": 1, "乙数": 0}, "资金": {"选用": "按比值"},
                                                      "质量": {"合格率": "100%"}}}))
    assert [(e.path, e.field) for e in chosen.errors] == [("产出/资金/按比值", "乙数")]


# 按完成率 has cells of its own and fails where 计划数 is 0
OWN_FAILING = FAILING.replace("输入 甲数：数值，乙数：数值\n", "").replace(
    "      得分 = min(甲数 / 乙数, 1) × 分值", "      输入 完成数：数值，计划数：数值\n      得分 = min(完成数 / 计划数, 1) × 分值")


def test_an_alternative_given_but_not_named_reports_only_the_contradiction():
    _loaded, plan = _load(OWN_FAILING)
    row = {"单位": "甲", "产出/资金.选用": "按评审", "产出/资金/按比值.完成数": "1", "产出/资金/按比值.计划数": "0",
           "产出/资金/按评审.得分": "4", "产出/资金/按评审.理由": "略", "产出/质量.合格率": "100%"}
    for engine in ("python", "duckdb"):
        _results, errors = score_rows(plan, [row], engine=engine)
        assert [(e.column, e.message) for e in errors] == [
            ("产出/资金", "选用“按评审”，却给了“按比值”的输入。" + ONE_HINT)], engine


# 按满意度's one input is 可缺: left blank, the unit has no data, and 无数据时 scores it
OPTIONAL = fund_choice("""    按满意度（5）
      解释 满意度。
      输入 满意率：比率 可缺
      无数据时 得 1 分
      得分 = 满意率 × 分值
""")


@pytest.mark.parametrize("allow_missing", (False, True))
def test_an_alternative_whose_inputs_may_all_be_blank_is_chosen_by_name(allow_missing):
    loaded, plan = _load(OPTIONAL)
    assert [d.code for d in check(loaded)] == []
    base = {"产出/质量.合格率": "100%", "产出/资金/按满意度.满意率": "", "产出/资金/按评审.得分": "",
            "产出/资金/按评审.理由": ""}
    rows = [{**base, "单位": "甲", "产出/资金.选用": "按满意度"},
            {**base, "单位": "乙", "产出/资金.选用": "", "产出/资金/按满意度.满意率": "80%"},
            {**base, "单位": "丙", "产出/资金.选用": ""}]
    for engine in ("python", "duckdb"):
        results, errors = score_rows(plan, rows, engine=engine, allow_missing=allow_missing)
        if allow_missing:  # too few given: the alternatives left are 未评, 选用 blank names none
            assert {r["单位"]: (r["总分"], r["未评"]) for r in results} == {
                "甲": (Decimal(6), None), "乙": (Decimal(9), None), "丙": (Decimal(5), "产出/资金/按满意度；产出/资金/按评审")}
            assert errors == []
            continue
        assert {r["单位"]: r["总分"] for r in results} == {"甲": Decimal(6), "乙": Decimal(9)}
        assert [(e.unit, e.column, e.message) for e in errors] == [
            ("丙", "产出/资金", "二者择其一，须在“选用”中写明评哪一项（有的备选指标没有自己的输入）。" + ONE_HINT)]
    chosen = idsl.score(plan, read_inputs({"inputs": {"资金": {"选用": "按满意度"}, "质量": {"合格率": "100%"}}}))
    assert not chosen.errors and chosen.total == Decimal(6)


def test_a_choice_named_but_not_given_is_placed_at_the_choice_cell(tmp_path):
    _loaded, plan = _load(NAMED_ONLY)
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))
    sheet = book["输入"]
    filled = {"选用": "按评审", "到位率": 0.9, "合格率": 1}  # 按评审 named, its score left blank
    for r in sheet.iter_rows(min_row=2):
        if r[1].value in filled:
            r[5].value = filled[r[1].value]
    [choice] = [r[5].coordinate for r in sheet.iter_rows(min_row=2) if r[1].value == "选用"]
    book.save(tmp_path / "filled.xlsx")
    given = read_workbook(plan, tmp_path / "filled.xlsx")
    [error] = locate(idsl.score(plan, given), given).errors
    assert (error.field, error.sheet, error.cell, error.message) == (
        "选用", "输入", choice, "选用“按评审”，却没有给“按评审”的输入。")


def test_the_workbook_has_a_choice_row_with_the_alternatives_and_reads_it_back(tmp_path):
    _loaded, plan = _load(NAMED_ONLY)
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))
    sheet = book["输入"]
    [row] = [r for r in sheet.iter_rows(min_row=2) if r[1].value == "选用"]
    assert (row[0].value, row[4].value) == ("产出/资金", "评哪一项：按到位率、按评审（必填：有的备选指标没有自己的输入）")
    [drop_down] = [dv for dv in sheet.data_validations.dataValidation if row[5].coordinate in dv.sqref]
    listed = drop_down.formula1.split("!")[1].replace("$", "")  # the hidden 选项 sheet's cells, e.g. A1:A2
    assert [cell.value for (cell,) in book["选项"][listed]] == ["按到位率", "按评审"]
    filled = {"选用": "按到位率", "到位率": 0.9, "合格率": 1}
    for r in sheet.iter_rows(min_row=2):
        if r[1].value in filled:
            r[5].value = filled[r[1].value]
    book.save(tmp_path / "filled.xlsx")
    result = idsl.score(plan, read_workbook(plan, tmp_path / "filled.xlsx"))
    assert not result.errors and result.total == Decimal("9.5")
    _loaded, given_plan = _load(BY_GIVING)
    [row] = [r for r in openpyxl.load_workbook(io.BytesIO(template_workbook(given_plan)))["输入"].iter_rows(min_row=2)
             if r[1].value == "选用"]
    assert row[4].value.endswith("（可留空：按填了输入的一项；填了就须与所填输入一致）")


def test_a_worked_example_sets_the_choice_and_the_checker_reads_its_name():
    example = "\n示例 到位\n  设 共用.到位率 = 90%\n  设 资金.选用 = 按到位率\n  设 质量 = 100%\n  期望 总分 = 9.5\n"
    loaded, plan = _load(NAMED_ONLY + example)
    assert [d.code for d in check(loaded)] == [] and [r.failures for r in run_examples(plan)] == [()]
    wrong, _plan = _load(NAMED_ONLY + example.replace("= 按到位率", "= 到位"))
    assert [(d.code, d.message) for d in check(wrong)] == [("E413", "“资金”的“选用”应是“按到位率”、“按评审”中的一项。")]


def test_a_letter_in_a_batch_names_the_alternative_in_both_engines():
    _loaded, plan = _load(BY_GIVING)
    rows = [_row("乙", "B", "", "是", "否"), _row("甲", "b", "96%", "", "")]  # B: 阶段性验收, the second
    for engine in ("python", "duckdb"):
        results, errors = score_rows(plan, rows, engine=engine)
        assert {r["单位"]: r["总分"] for r in results if r["总分"] is not None} == {"乙": Decimal("7.5")}
        assert [(e.unit, e.message) for e in errors] == [("甲", "选用“阶段性验收”，却给了“竣工验收”的输入。" + ONE_HINT)]


# 任选 2 项 of three, one of which (资金到位) reads a 共用 input only: only 选用 can choose it
ANY_OF = """体系 "例" 总分 15
输入 到位率：比率
产出（15）
  效益（10）
    任选 2 项
    社会效益（5）
      解释 项目对社会发展的作用。
      酌情
    经济效益（5）
      解释 项目对经济发展的作用。
      输入 增收率：比率
      得分 = 增收率 × 分值
    资金到位（5）
      解释 按资金到位率计分。
      得分 = 到位率 × 分值
  质量（5）
    解释 质量。
    输入 合格率：比率
    得分 = 合格率 × 分值
"""
POOL = "产出/效益"
SOCIAL = {"社会效益": {"得分": 4, "理由": "带动就业"}}
QUALITY = {"质量": {"合格率": "100%"}, "共用": {"到位率": "90%"}}
ANY_HINT = "“选用”写评的2项，名称之间用“、”隔开，只给它们的输入；其余的输入不写、留空。"


def _any_of(given: dict):
    _loaded, plan = _load(ANY_OF)
    return idsl.score(plan, read_inputs({"inputs": {**given, **QUALITY}}))


@pytest.mark.parametrize("chosen", (["社会效益", "资金到位"], "资金到位、社会效益", "社会效益，资金到位", " 社会效益 , 资金到位、"))
def test_a_json_choice_of_two_names_them_as_a_list_or_one_text(chosen):
    result = _any_of({"效益": {"选用": chosen}, **SOCIAL})
    assert not result.errors and result.total == Decimal("13.5")
    assert result.node(POOL).reason == "3项任选2项，评“社会效益”4分、“资金到位”4.5分，合计8.5分。"
    assert result.node(f"{POOL}/经济效益").reason == "未选用（3项任选2项，评“社会效益”、“资金到位”），不参与评分。"


def test_an_alternative_with_no_cell_of_its_own_is_no_e444_under_any_of():
    loaded, _plan = _load(ANY_OF)
    assert [d.code for d in check(loaded)] == []


def test_a_blank_choice_of_two_is_inferred_from_the_inputs_given():
    result = _any_of({"效益": {"选用": ""}, **SOCIAL, "经济效益": {"增收率": "50%"}})
    assert not result.errors and result.total == Decimal("11.5")
    short = _any_of(SOCIAL)  # 资金到位 has no cell to give: too few given asks for 选用
    assert [(e.path, e.message, e.hint) for e in short.errors] == [
        (POOL, "3项任选2项，须在“选用”中写明评哪2项（有的备选指标没有自己的输入）。", ANY_HINT)]


@pytest.mark.parametrize("chosen, field, message", [
    (["社会效益"], "选用", "3项任选2项，“选用”须写2项，却写了1项：“社会效益”。"),
    ("社会效益、经济效益、资金到位", "选用", "3项任选2项，“选用”须写2项，却写了3项：“社会效益”“经济效益”“资金到位”。"),
    (["社会效益", "社会效益"], "选用", "“选用”里“社会效益”写了不止一次。"),
    ("社会效益、环境效益", "选用", "“选用”里的“环境效益”不是备选的一项：应从“社会效益”、“经济效益”、“资金到位”中选2项。"),
    (["社会效益", "经济效益"], "选用", "选用“社会效益”“经济效益”，却没有给“经济效益”的输入。"),
])
def test_a_wrong_choice_of_two_is_one_input_error_on_the_parent_s_choice(chosen, field, message):
    """One error per mistake: a 选用 refused does not also ask for 选用 (too few given, one without cells)."""
    errors = [(e.path, e.field, e.message, e.hint) for e in _any_of({"效益": {"选用": chosen}, **SOCIAL}).errors]
    assert errors == [(POOL, field, message, ANY_HINT)]


@pytest.mark.parametrize("spec, written, message", [
    (NAMED_ONLY, "到位", "“选用”应是“按到位率”、“按评审”中的一项。"),
    (ANY_OF, "社会效益", "3项任选2项，“选用”须写2项，却写了1项：“社会效益”。"),
])
def test_a_wrong_choice_in_the_workbook_is_one_error_at_its_cell(tmp_path, spec, written, message):
    """Where an alternative has no cell of its own and too few are given, a 选用 refused is not followed by the
    parent's “须在“选用”中写明…” as well (a second error, at no cell)."""
    _loaded, plan = _load(spec)
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))
    sheet = book["输入"]
    filled = {"选用": written, "到位率": 0.9, "合格率": 1}  # 按评审's and 社会效益's scores blank: too few given
    for r in sheet.iter_rows(min_row=2):
        if r[1].value in filled:
            r[5].value = filled[r[1].value]
    [choice] = [r[5].coordinate for r in sheet.iter_rows(min_row=2) if r[1].value == "选用"]
    book.save(tmp_path / "filled.xlsx")
    given = read_workbook(plan, tmp_path / "filled.xlsx")
    assert [(e.field, e.cell, e.message) for e in locate(idsl.score(plan, given), given).errors] == [
        ("选用", choice, message)]


def test_inputs_of_an_alternative_not_named_are_refused():
    given = {"效益": {"选用": "经济效益、资金到位"}, **SOCIAL, "经济效益": {"增收率": "50%"}}
    assert [(e.path, e.message) for e in _any_of(given).errors] == [
        (POOL, "选用“经济效益”“资金到位”，却给了“社会效益”的输入。")]
    assert [e.message for e in _any_of({"效益": {"选用": "社会效益、资金到位", "得分": 3}, **SOCIAL}).errors] == [
        "任选的上级指标只写“选用”：评哪2项。"]


def _any_row(unit: str, chosen: str, social: str = "", rise: str = "") -> dict:
    return {"单位": unit, "共用.到位率": "90%", f"{POOL}.选用": chosen, f"{POOL}/社会效益.得分": social,
            f"{POOL}/社会效益.理由": "带动就业" if social else "", f"{POOL}/经济效益.增收率": rise, "产出/质量.合格率": "100%"}


ANY_ROWS = [_any_row("甲", "社会效益、资金到位", social="4"), _any_row("乙", "资金到位，社会效益", social="4"),
            _any_row("丙", "", social="4", rise="50%"), _any_row("丁", "经济效益、资金到位", rise="50%"),
            _any_row("戊", "社会效益", social="4"), _any_row("己", "社会效益、社会效益", social="4"),
            _any_row("庚", "社会效益、环境效益", social="4"), _any_row("辛", "社会效益、经济效益", social="4"),
            _any_row("壬", "经济效益、资金到位", social="4", rise="50%"), _any_row("癸", "", social="4")]


@pytest.mark.parametrize("engine", ("python", "duckdb"))
def test_a_batch_reads_a_choice_of_two_in_both_engines(engine):
    _loaded, plan = _load(ANY_OF)
    assert [c.header for c in unit_columns(plan)][2:4] == [f"{POOL}.选用", f"{POOL}/社会效益.得分"]
    results, errors = score_rows(plan, ANY_ROWS, engine=engine)
    assert {r["单位"]: r["总分"] for r in results if r["总分"] is not None} == {
        "甲": Decimal("13.5"), "乙": Decimal("13.5"), "丙": Decimal("11.5"), "丁": Decimal("12")}
    hint = f"（{ANY_HINT}）"
    assert sorted((e.unit, e.column, e.message) for e in errors) == [
        ("壬", POOL, "选用“经济效益”“资金到位”，却给了“社会效益”的输入。" + hint),
        ("己", f"{POOL}.选用", "“选用”里“社会效益”写了不止一次。" + hint),
        ("庚", f"{POOL}.选用", "“选用”里的“环境效益”不是备选的一项：应从“社会效益”、“经济效益”、“资金到位”中选2项。" + hint),
        ("戊", f"{POOL}.选用", "3项任选2项，“选用”须写2项，却写了1项：“社会效益”。" + hint),
        ("癸", POOL, "3项任选2项，须在“选用”中写明评哪2项（有的备选指标没有自己的输入）。" + hint),
        ("辛", f"{POOL}.选用", "选用“社会效益”“经济效益”，却没有给“经济效益”的输入。" + hint),
    ]


@pytest.mark.parametrize("allow_missing", (False, True))
def test_a_csv_batch_with_choices_of_two_scores_the_same_in_both_engines(tmp_path, allow_missing):
    _loaded, plan = _load(ANY_OF)
    units = rows_csv(tmp_path, ANY_ROWS)
    by_duckdb, by_python = score_with_both_engines(plan, units, tmp_path, allow_missing)
    assert by_duckdb.scored == by_python.scored == (6 if allow_missing else 4)  # 辛, 癸: 未评
    assert sorted((e.unit, e.column, e.message) for e in by_duckdb.errors) == sorted(
        (e.unit, e.column, e.message) for e in by_python.errors)


def test_the_workbook_has_a_typed_choice_row_for_any_of_and_reads_it_back(tmp_path):
    _loaded, plan = _load(ANY_OF)
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(plan)))
    sheet = book["输入"]
    [row] = [r for r in sheet.iter_rows(min_row=2) if r[1].value == "选用"]
    assert (row[0].value, row[2].value, row[4].value) == (
        POOL, "文字", "评哪2项：从社会效益、经济效益、资金到位中选2项，名称之间用“、”隔开（必填：有的备选指标没有自己的输入）")
    assert not [dv for dv in sheet.data_validations.dataValidation if row[5].coordinate in dv.sqref]  # typed
    filled = {"选用": "社会效益、资金到位", "到位率": 0.9, "合格率": 1, "得分": 4, "理由": "带动就业"}
    for r in sheet.iter_rows(min_row=2):
        if r[1].value in filled:
            r[5].value = filled[r[1].value]
    book.save(tmp_path / "filled.xlsx")
    result = idsl.score(plan, read_workbook(plan, tmp_path / "filled.xlsx"))
    assert not result.errors and result.total == Decimal("13.5")


ANY_EXAMPLE = "\n示例 两项\n  设 共用.到位率 = 90%\n  设 效益.选用 = 社会效益、资金到位\n  设 社会效益 = 4\n  设 质量 = 100%\n" \
              "  期望 效益 = 8.5\n  期望 总分 = 13.5\n"


def test_a_worked_example_sets_a_choice_of_two():
    loaded, plan = _load(ANY_OF + ANY_EXAMPLE)
    assert [d.code for d in check(loaded)] == [] and [r.failures for r in run_examples(plan)] == [()]


@pytest.mark.parametrize("written, message", [
    ("社会效益", "“效益”：3项任选2项，“选用”须写2项，却写了1项：“社会效益”。"),
    ("社会效益、社会效益", "“效益”：“选用”里“社会效益”写了不止一次。"),
    ("社会效益、环境效益", "“效益”：“选用”里的“环境效益”不是备选的一项：应从“社会效益”、“经济效益”、“资金到位”中选2项。"),
])
def test_a_worked_example_with_a_wrong_choice_of_two_is_e413(written, message):
    wrong, _plan = _load(ANY_OF + ANY_EXAMPLE.replace("社会效益、资金到位", written))
    assert [(d.code, d.message, d.hint) for d in check(wrong)] == [("E413", message, "写 设 效益.选用 = 社会效益、经济效益。")]


def test_names_holding_the_separator_are_read_whole_in_both_engines():
    text = ANY_OF.replace("社会效益（5）", '"社会、生态效益"（5）')
    _loaded, plan = _load(text)
    rows = [{**{k.replace("社会效益", "社会、生态效益"): v for k, v in _any_row("甲", "", social="4").items()},
             f"{POOL}.选用": chosen, "单位": unit} for unit, chosen in (("甲", "社会、生态效益、资金到位"), ("乙", "资金到位、社会、生态效益"))]
    for engine in ("python", "duckdb"):
        results, errors = score_rows(plan, rows, engine=engine)
        assert not errors and [r["总分"] for r in results] == [Decimal("13.5")] * 2
