"""One answer for the same mistake in every reader: the same bad value typed into a JSON inputs file (idsl score), the
input workbook `idsl template` writes (idsl score on the filled workbook), a batch CSV or xlsx (idsl score -o, DuckDB and
the interpreter) gives one message and hint, under the indicator's full path and the field, for judged (酌情) scores,
recorded scores (记录得分) and the figures of inputs."""

from __future__ import annotations

import csv
import datetime
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from plans import rate_and_count

from idsl.cli import main
from idsl.engines.cellwords import with_hint

ROOT = Path(__file__).resolve().parent.parent
JUDGED = ROOT / "examples/kinds/discretionary.idsl"  # 重点工作完成率: 酌情 0～3 分
LEAF = "预算使用效益/效率性/重点工作完成率"
OTHER = "预算使用效益/效果性/社会经济环境效益"
FIGURES = '体系 "例" 总分 10\n' + rate_and_count()
COLUMN_OF = {"得分": "得分", "recorded": "记录得分"}  # a JSON error's field → the batch column's


@pytest.fixture(autouse=True)
def uncached(monkeypatch):
    monkeypatch.setenv("IDSL_NO_CACHE", "1")


def _run(*args: str) -> CliRunner:
    return CliRunner().invoke(main, list(args))


def by_json(spec: Path, cells: dict, folder: Path) -> list[tuple]:
    """`idsl score SPEC inputs.json --format json`: (path, field, message, hint) of each error."""
    inputs, recorded = {}, {}
    for (path, field), text in cells.items():
        if field == "recorded":
            recorded[path.rsplit("/", 1)[-1]] = text  # the key as an evaluator writes it: the leaf's name
        else:
            inputs.setdefault(path, {})[field] = text
    (folder / "inputs.json").write_text(json.dumps({"inputs": inputs, "recorded": recorded}, ensure_ascii=False),
                                        encoding="utf-8")
    return _errors(_run("score", str(spec), str(folder / "inputs.json"), "--format", "json"))


def by_workbook(spec: Path, cells: dict, folder: Path) -> list[tuple]:
    """The workbook of `idsl template SPEC -o t.xlsx`, its cells typed as text (or as given: a date, a formula, a
    number with its format), then `idsl score SPEC t.xlsx --format json`."""
    assert _run("template", str(spec), "-o", str(folder / "t.xlsx")).exit_code == 0
    book = openpyxl.load_workbook(folder / "t.xlsx")
    sheet = book["输入"]
    header = [c.value for c in sheet[1]]
    key_col, value_col, record_col = (header.index(name) + 1 for name in ("键", "值", "记录得分"))
    recorded: set[str] = set()  # a leaf's 记录得分 is typed once, on its first row
    for row in range(2, sheet.max_row + 1):
        kind, path, field, *_rest = str(sheet.cell(row, key_col).value).split("\t") + [""]
        for (where, name), value in cells.items():
            if where == path and name == field and kind in ("input", "score", "reason"):
                _type(sheet.cell(row, value_col), value)
            elif where == path and name == "recorded" and path not in recorded:
                _type(sheet.cell(row, record_col), value)
                recorded.add(path)
    book.save(folder / "t.xlsx")
    return _errors(_run("score", str(spec), str(folder / "t.xlsx"), "--format", "json"))


def by_batch(spec: Path, cells: dict, folder: Path, suffix: str = ".csv") -> list[tuple]:
    """A batch of one unit (`idsl score SPEC units.csv -o r.csv`), DuckDB and the interpreter listing the same
    problems: (column, message) from r.errors.csv."""
    headers = ["单位"] + [f"{path}.{COLUMN_OF.get(field, field)}" for path, field in cells]
    values = ["甲"] + list(cells.values())
    units = folder / f"units{suffix}"
    if suffix == ".csv":
        with open(units, "w", encoding="utf-8", newline="") as stream:
            csv.writer(stream).writerows([headers, values])
    else:
        book = openpyxl.Workbook()
        book.active.append(headers)
        for col, value in enumerate(values, start=1):
            _type(book.active.cell(2, col), value)
        book.save(units)
    listed = []
    for engine in ("duckdb", "python"):
        run = _run("score", str(spec), str(units), "-o", str(folder / f"{engine}.csv"), "--engine", engine)
        assert run.exit_code in (0, 1), run.output
        errors = folder / f"{engine}.errors.csv"  # written when a row is refused
        if not errors.exists():
            assert (folder / f"{engine}.csv").exists(), run.output  # scored, not refused as a file
            listed.append([])
            continue
        with open(errors, encoding="utf-8-sig") as stream:
            listed.append(sorted((row["列"], row["问题"]) for row in csv.DictReader(stream)))
    assert listed[0] == listed[1]
    return listed[0]


def _type(cell, value) -> None:
    """A cell as typed: text as text, ("0%", 0.9) a number in its format, anything else (a date, a formula) as is."""
    if isinstance(value, tuple):
        cell.number_format, cell.value = value
    else:
        cell.value = value


def _errors(run) -> list[tuple]:
    assert run.exit_code in (0, 1), run.output
    return sorted((e["path"], e["field"], e["message"], e["hint"]) for e in json.loads(run.stdout)["errors"])


def as_batch(errors: list[tuple]) -> list[tuple]:
    """The JSON reader's errors as a batch lists them: the column, the message with its hint in brackets."""
    return sorted((f"{path}.{COLUMN_OF.get(field, field)}", with_hint(message, hint))
                  for path, field, message, hint in errors)


def judged_unit(score, recorded) -> dict:
    """重点工作完成率 scored `score` by the evaluator, its report recording `recorded`; the other leaf fine."""
    cells = {(LEAF, "得分"): score, (LEAF, "理由"): "例", (OTHER, "得分"): "8", (OTHER, "理由"): "例"}
    return cells | ({(LEAF, "recorded"): recorded} if recorded is not None else {})


BAD_SCORES = ["3.5分", "3.5", "-1", "1,234.5", "90%", "90％", "９０", "９０分", "1e3", "NaN", "inf", "1/2", "五分", "2元",
              "2.1234567", "3.0000001", "1234567890123"]


@pytest.mark.parametrize("written", BAD_SCORES)
def test_a_bad_judged_or_recorded_score_reads_the_same_in_every_reader(tmp_path, written):
    cells = judged_unit(written, written if written not in ("3.5", "3.5分", "-1", "1,234.5") else "9元")
    found = by_json(JUDGED, cells, tmp_path)
    assert [e[:2] for e in found] == [(LEAF, "recorded"), (LEAF, "得分")]  # both refused, by the indicator's path
    assert by_workbook(JUDGED, cells, tmp_path) == found
    assert by_batch(JUDGED, cells, tmp_path) == as_batch(found)


def test_an_out_of_range_judged_score_shows_the_number_read_with_its_range(tmp_path):
    """“3.5分” was quoted as typed in a JSON file and shown as 3.5 by the workbook and a batch, with no hint."""
    [(_path, _field, message, hint)] = by_json(JUDGED, judged_unit("3.5分", None), tmp_path)
    assert (message, hint) == ("酌情得分 3.5 超出允许范围 0～3 分。", "填 0～3 之间的分数。")


def test_a_recorded_score_is_located_under_its_indicator_whatever_key_names_it(tmp_path):
    """A JSON file's recorded key "重点工作完成率" was kept as its location; a workbook named the full path."""
    [(path, field, _message, _hint)] = by_json(JUDGED, judged_unit("2", "五分"), tmp_path)
    assert (path, field) == (LEAF, "recorded")


@pytest.mark.parametrize("written", ["2.1234567", "1234567890123"])
def test_an_oversized_score_in_a_batch_gets_the_specific_words(tmp_path, written):
    """A batch said 小数位太多：批量评分的数最多 6 位小数 where a JSON file took the score: now every reader refuses it
    naming the figure and its digits, as it refuses an input's figure."""
    [(_path, _field, message, _hint), _recorded] = by_json(JUDGED, judged_unit(written, written), tmp_path)
    assert message.startswith(f"{written}：") and ("小数最多 6 位，这里有 7 位" in message or "整数部分最多 12 位" in message)


@pytest.mark.parametrize("written", ["", " ", "\u3000"])
def test_a_blank_judged_score_is_missing_in_every_reader(tmp_path, written):
    cells = judged_unit(written, written)
    found = by_json(JUDGED, cells, tmp_path)
    assert [(e[1], e[2]) for e in found] == [("得分", "缺少输入。")]  # a blank recorded score is no record
    assert by_workbook(JUDGED, cells, tmp_path) == found
    assert by_batch(JUDGED, cells, tmp_path) == as_batch(found)


@pytest.mark.parametrize("written", ["-0", "2分", " 2 ", "+2", ".5", "2.1000000"])
def test_a_score_every_reader_takes(tmp_path, written):
    cells = judged_unit(written, written)
    assert by_json(JUDGED, cells, tmp_path) == by_workbook(JUDGED, cells, tmp_path) == []
    assert by_batch(JUDGED, cells, tmp_path) == []


CELLS = {  # a cell of an xlsx as openpyxl writes it, and what every reader of a workbook says of it
    "date": (datetime.datetime(2024, 1, 2), ("单元格是日期，不是数字或文字。", "把单元格格式改为“常规”或“文本”，再填数字或文字。")),
    "formula": ("=1+2", ("公式没有缓存的计算结果（idsl 不计算公式）：在 Excel 或 LibreOffice 里打开并保存，或直接填数值。", None)),
    "percent": (("0%", 0.9), None),  # 90% typed into the cell: no score (it was read as 0.9 points)
}


@pytest.mark.parametrize("case", CELLS)
def test_a_date_a_formula_or_a_percent_cell_reads_the_same_in_both_workbooks(tmp_path, case):
    """The input workbook said 单元格是日期; a batch xlsx said 酌情得分应是一个数，这里是 “#日期”."""
    value, words = CELLS[case]
    cells = judged_unit(value, value)
    found = by_workbook(JUDGED, cells, tmp_path)
    assert [e[:2] for e in found] == [(LEAF, "recorded"), (LEAF, "得分")]
    if words is not None:
        assert {e[2:] for e in found} == {words}
    else:
        assert [e[2] for e in found] == ["记录的得分应是一个数，这里是 “90%”。", "酌情得分应是一个数，这里是 “90%”。"]
    assert by_batch(JUDGED, cells, tmp_path, ".xlsx") == as_batch(found)


@pytest.mark.parametrize("field, written, words", [
    ("完成率", "９０%", "数字只能用 0–9 书写，这里是 “９０%”。"),  # a batch said 应填一个数 for a rate
    ("数", "９０", "数字只能用 0–9 书写，这里是 “９０”。"),
    ("数", "90%", "这是数量，不是比率，不能带 %。"),  # a batch said 不是比率，不能带 %; the workbook read 0.9 个
    ("数", "+90%", "这是数量，不是比率，不能带 %。"),
])
def test_an_inputs_figure_reads_the_same_in_every_reader(tmp_path, field, written, words):
    spec = tmp_path / "s.idsl"
    spec.write_text(FIGURES, encoding="utf-8")
    path = {"完成率": "产出/完成率", "数": "产出/数量"}[field]
    cells = {("产出/完成率", "完成率"): "100%", ("产出/数量", "数"): "12"} | {(path, field): written}
    found = by_json(spec, cells, tmp_path)
    assert [e[:3] for e in found] == [(path, field, words)]
    typed = cells | ({(path, field): ("0%", 0.9)} if written == "90%" else {})  # as Excel holds 90% typed
    assert by_workbook(spec, typed, tmp_path) == found
    assert by_batch(spec, cells, tmp_path) == as_batch(found)



WORDS = """体系 "例" 总分 20
产出（20）
  成本效益（10）
    解释 运营成本。
    输入 合同约定成本控制：是否，成本节约率：比率
    适用 若 合同约定成本控制 = 否
    分档 成本节约率：成本节约率 ≥ 5% 得满分；2% ≤ 成本节约率 < 5% 得 4 分；成本节约率 < 2% 不得分
  效果（10）
    解释 定性指标。
    输入 实际效果：选项 达成/部分达成/未达成
    定性 实际效果
"""


@pytest.mark.parametrize("field", ["合同约定成本控制", "实际效果"])
@pytest.mark.parametrize("case", ["date", "formula", "error"])
def test_a_date_a_formula_or_an_error_value_in_a_yes_no_or_choice_cell(tmp_path, field, case):
    """A batch xlsx said 应填“是”或“否”，这里是“#日期” (没有这个选项：“#日期”) where the input workbook said 单元格是日期."""
    value = {"date": datetime.datetime(2024, 1, 2), "formula": "=1+2", "error": "#N/A"}[case]
    spec = tmp_path / "s.idsl"
    spec.write_text(WORDS, encoding="utf-8")
    path = "产出/成本效益" if field == "合同约定成本控制" else "产出/效果"
    cells = {("产出/成本效益", "合同约定成本控制"): "否", ("产出/成本效益", "成本节约率"): "6%",
             ("产出/效果", "实际效果"): "达成", ("产出/效果", "得分"): "9", ("产出/效果", "理由"): "略"}
    cells[(path, field)] = value
    found = by_workbook(spec, cells, tmp_path)
    assert [e[:2] for e in found] == [(path, field)]
    assert by_batch(spec, cells, tmp_path, ".xlsx") == as_batch(found)


def by_parquet(typed: str, folder: Path) -> list[tuple]:
    """A Parquet batch of one unit, 重点工作完成率's 得分 and 记录得分 the SQL value `typed` (DATE '2024-01-02',
    1e20::DOUBLE), DuckDB and the interpreter listing the same problems: (column, message) from r.errors.csv."""
    import duckdb

    columns = {"单位": "'甲'", f"{LEAF}.得分": typed, f"{LEAF}.理由": "'例'", f"{OTHER}.得分": "8",
               f"{OTHER}.理由": "'例'", f"{LEAF}.记录得分": typed}
    select = ", ".join(f'{value} AS "{header}"' for header, value in columns.items())
    duckdb.connect().execute(f"COPY (SELECT {select}) TO '{folder / 'units.parquet'}' (FORMAT PARQUET)")
    listed = []
    for engine in ("duckdb", "python"):
        run = _run("score", str(JUDGED), str(folder / "units.parquet"), "-o", str(folder / f"{engine}.csv"),
                   "--engine", engine)
        assert run.exit_code == 1, run.output
        with open(folder / f"{engine}.errors.csv", encoding="utf-8-sig") as stream:
            listed.append(sorted((row["列"], row["问题"]) for row in csv.DictReader(stream)))
    assert listed[0] == listed[1]
    return listed[0]


def test_a_date_column_of_a_parquet_batch_reads_as_a_workbooks_date_cell(tmp_path):
    """A Parquet DATE was read as its text 2024-01-02 (酌情得分应是一个数，这里是 “2024-01-02”)."""
    workbook = by_workbook(JUDGED, judged_unit(CELLS["date"][0], CELLS["date"][0]), tmp_path)
    assert by_parquet("DATE '2024-01-02'", tmp_path) == as_batch(workbook)


@pytest.mark.parametrize("typed, written", [
    ("1e20::DOUBLE", "1e20"), ("1e20::FLOAT", "1e20"), ("2.5e-7::DOUBLE", "2.5e-7"), ("1e15::DOUBLE", "1e15"),
    ("123456789012345::BIGINT", "123456789012345"), ("3.1234567::DECIMAL(9,7)", "3.1234567"),
    ("'nan'::DOUBLE", '"NaN"'), ("'inf'::DOUBLE", '"Infinity"'), ("'-inf'::FLOAT", '"-Infinity"'),
])
def test_a_number_column_of_a_parquet_batch_reads_as_the_number_it_is(tmp_path, typed, written):
    """A DOUBLE 1e20 was read as the text 1e+20 and refused as no number (酌情得分应是一个数，这里是 “1e+20”) where a
    JSON 1e20 is 数太大; NaN and infinities were quoted as DuckDB prints them (“nan”). `written`: the JSON of the
    same value (NaN, which JSON has no number for, as the text an evaluator would have typed)."""
    (tmp_path / "inputs.json").write_text(
        f'{{"inputs": {{"{LEAF}": {{"得分": {written}, "理由": "例"}}, "{OTHER}": {{"得分": 8, "理由": "例"}}}}, '
        f'"recorded": {{"重点工作完成率": {written}}}}}', encoding="utf-8")
    found = _errors(_run("score", str(JUDGED), str(tmp_path / "inputs.json"), "--format", "json"))
    assert [e[:2] for e in found] == [(LEAF, "recorded"), (LEAF, "得分")]
    assert by_parquet(typed, tmp_path) == as_batch(found)


@pytest.mark.parametrize("case", ["date", "formula", "error"])
@pytest.mark.parametrize("score", ["2", "0"])  # 0: a score that needs its reason
def test_a_date_a_formula_or_an_error_value_in_a_reason_cell(tmp_path, case, score):
    """A batch xlsx took a date in a 理由 cell as the reason “#日期” where the input workbook refused the cell: a date
    typed where a reason goes is a slip, refused in the input workbook's words by every reader of a workbook."""
    value = {"date": datetime.datetime(2024, 1, 2), "formula": "=1+2", "error": "#N/A"}[case]
    cells = judged_unit(score, None) | {(LEAF, "理由"): value}
    found = by_workbook(JUDGED, cells, tmp_path)
    assert [e[:2] for e in found] == [(LEAF, "理由")]
    assert by_batch(JUDGED, cells, tmp_path, ".xlsx") == as_batch(found)


@pytest.mark.parametrize("value", [True, False])
def test_a_true_or_false_cell_reads_as_a_json_files_true_or_false(tmp_path, value):
    """A batch xlsx read TRUE as 是 wherever it stood: a judged score got 酌情得分应是一个数，这里是 “是” where a JSON
    file's true gets “这里是 true”; the input workbook read TRUE (not FALSE) in a choice as 是."""
    cells = judged_unit(value, value)
    found = by_json(JUDGED, cells, tmp_path)
    assert [e[2] for e in found] == [f"记录的得分应是一个数，这里是 {str(value).lower()}。",
                                     f"酌情得分应是一个数，这里是 {str(value).lower()}。"]
    assert by_workbook(JUDGED, cells, tmp_path) == found
    assert by_batch(JUDGED, cells, tmp_path, ".xlsx") == as_batch(found)
    spec = tmp_path / "s.idsl"
    both = FIGURES.replace("总分 10", "总分 30").replace("产出（10）", "产出（30）") + WORDS.split("产出（20）\n")[1]
    spec.write_text(both, encoding="utf-8")
    for path, field in [("产出/完成率", "完成率"), ("产出/数量", "数"), ("产出/效果", "实际效果"),
                        ("产出/成本效益", "合同约定成本控制")]:
        cells = {("产出/完成率", "完成率"): "100%", ("产出/数量", "数"): "12", ("产出/成本效益", "合同约定成本控制"): "否",
                 ("产出/成本效益", "成本节约率"): "6%", ("产出/效果", "实际效果"): "达成", ("产出/效果", "得分"): "9",
                 ("产出/效果", "理由"): "略"} | {(path, field): value}
        found = by_workbook(spec, cells, tmp_path)
        assert [e[:2] for e in found] == ([] if field == "合同约定成本控制" else [(path, field)])  # 是/否 takes it
        assert by_batch(spec, cells, tmp_path, ".xlsx") == as_batch(found)


@pytest.mark.parametrize("written", ["９０", "３分", "３.５", "３元"])
def test_full_width_digits_in_a_score_get_an_inputs_words(tmp_path, written):
    """A judged or recorded score in full-width digits was 应是一个数 where an input's figure is 数字只能用 0–9 书写."""
    cells = judged_unit(written, written)
    found = by_json(JUDGED, cells, tmp_path)
    assert {e[2:] for e in found} == {(f"数字只能用 0–9 书写，这里是 “{written}”。", "用半角数字 0–9 重写这个数。")}
    assert len(found) == 2
    assert by_workbook(JUDGED, cells, tmp_path) == found
    assert by_batch(JUDGED, cells, tmp_path) == by_batch(JUDGED, cells, tmp_path, ".xlsx") == as_batch(found)
