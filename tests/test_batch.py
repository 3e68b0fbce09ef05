"""Batches: a 100k-row file with a few bad rows scores every good row and lists the bad ones; the
DuckDB and Python engines agree on every unit; CSV, Excel and Parquet in, CSV and Excel out; the CLI."""

from __future__ import annotations

import csv
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pytest
from hypothesis import given, settings, strategies as st
from click.testing import CliRunner

from idsl.engines.batch import load_typed, score_file
from idsl.cli import main
from idsl.io.columns import unit_columns
from idsl.io.tables import errors_path, write_csv
from idsl.semantics.lower import lower
from idsl.frontend.resolve import load

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402

SPEC = ROOT / "specs/001_肃南县人社局2024部门整体支出.idsl"


@pytest.fixture(scope="module")
def plan():
    loaded = load(SPEC)
    return lower(loaded.spec, loaded.sources)


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


BAD = {  # (column, bad cell, what the message says)
    "过程/预算执行/预算调整率.预算数": ("abc", "应填一个数"),
    "决策/目标设定/年度绩效目标合理性.要素2": ("也许", "不是“是”或“否”"),
    "产出/质量指标/社会参保服务工作效率.政策标准范围达标率": ("120%", "超出允许范围"),
    "决策/预算配置/重点支出安排率.项目总支出": ("0", "分母"),
    "效益/满意度/服务对象满意度.综合满意率.第3题.B": ("", "缺少输入"),
}


def test_a_100k_batch_with_a_few_bad_rows(tmp_path, plan):
    headers = [c.header for c in unit_columns(plan)]
    base = tmp_path / "base.csv"
    write_csv(base, headers, synth.rows(plan, 10_000, seed=5))
    con = duckdb.connect()
    reader = f"read_csv('{base}', all_varchar = true, header = true)"
    first, last = tmp_path / "first.csv", tmp_path / "last.csv"
    con.execute(f"COPY (SELECT b.* REPLACE (b.\"单位\" || '-' || CAST(k.range AS VARCHAR) AS \"单位\") FROM {reader} b, "
                f"range(5) k) TO '{first}' (HEADER)")
    con.execute(f"COPY (SELECT b.* REPLACE (b.\"单位\" || '-' || CAST(k.range AS VARCHAR) AS \"单位\") FROM {reader} b, "
                f"range(5, 10) k) TO '{last}' (HEADER)")
    good = read(base)[0]
    bad_rows = []
    for number, (column, (cell, _message)) in enumerate(BAD.items()):
        row = dict(good, **{"单位": f"坏单位{number}", column: cell})
        bad_rows.append([row[h] for h in headers])
    units = tmp_path / "units.csv"
    with open(units, "w", encoding="utf-8", newline="") as out:
        out.write(first.read_text(encoding="utf-8"))
        lines = csv.writer(out, lineterminator="\n")
        for row in bad_rows:
            lines.writerow(row)
        out.write(last.read_text(encoding="utf-8").split("\n", 1)[1])
    results = tmp_path / "results.csv"
    summary = score_file(plan, units, results)
    assert summary.rows == 100_000 + len(BAD)
    assert summary.scored == 100_000
    assert {e.unit for e in summary.errors} == {f"坏单位{n}" for n in range(len(BAD))}
    for number, (column, (_cell, message)) in enumerate(BAD.items()):
        found = [e for e in summary.errors if e.unit == f"坏单位{number}"]
        assert found[0].row == 50_000 + 2 + number  # the header is row 1
        assert any(message in e.message and (e.column == column or column.startswith(e.column)) for e in found), found
    scored = read(results)
    assert len(scored) == 100_000 and scored[0]["单位"] == "单位0000001-0" and not any("坏" in r["单位"] for r in scored)
    listed = read(errors_path(results))
    assert {r["单位"] for r in listed} == {f"坏单位{n}" for n in range(len(BAD))}


def test_engines_agree_on_every_unit_with_untidy_cells(tmp_path, plan):
    headers = [c.header for c in unit_columns(plan)]
    rows = synth.rows(plan, 250, seed=11)
    untidy = {"决策/预算配置/重点支出安排率.项目总支出": lambda v: f"{v}万元", "决策/目标设定/年度绩效目标合理性.要素1": lambda v: f" {v} ",
              "产出/质量指标/社会参保服务工作效率.政策标准范围达标率": lambda v: v.rstrip("%"),
              "过程/预算执行/预算调整率.预算数": lambda v: f"{Decimal(v):,}"}
    index = {h: i for i, h in enumerate(headers)}
    for number, row in enumerate(rows):
        if number % 7 == 0:
            for header, change in untidy.items():
                row[index[header]] = change(row[index[header]])
        if number % 50 == 3:
            row[index["决策/目标设定/年度绩效目标合理性.要素2"]] = "x"
    by_duckdb, by_python = _both_engines(plan, tmp_path, headers, rows, scored=245)
    assert {(e.row, e.column) for e in by_duckdb.errors} == {(e.row, e.column) for e in by_python.errors}


def _both_engines(plan, tmp_path, headers, rows, scored: int):
    """The rows written as a CSV and scored by DuckDB (a.csv) and the interpreter (b.csv): the same results file."""
    units = tmp_path / "units.csv"
    write_csv(units, headers, rows)
    by_duckdb = score_file(plan, units, tmp_path / "a.csv", engine="duckdb")
    by_python = score_file(plan, units, tmp_path / "b.csv", engine="python")
    assert by_duckdb.scored == by_python.scored == scored
    assert (tmp_path / "a.csv").read_text(encoding="utf-8-sig") == (tmp_path / "b.csv").read_text(encoding="utf-8-sig")
    return by_duckdb, by_python


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_an_excel_batch_with_blank_rows_reports_the_rows_excel_shows(tmp_path, plan, engine):
    """Blank rows are left out when a workbook is read; a bad cell is still reported at the row number
    Excel shows beside it, in the errors and in the 错误 sheet, and with the sheet's row gaps (a row never
    written at all) as well."""
    headers = [c.header for c in unit_columns(plan)]
    rows = synth.rows(plan, 6, seed=5)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "单位"
    sheet.append(headers)                          # row 1
    for at, row in zip((2, 4, 5, 9, 10, 14), rows):  # rows 3, 6–8 and 11–13 blank or never written
        for column, text in enumerate(row, 1):
            sheet.cell(at, column, text)
    sheet.cell(7, 1, "")                            # a row written with an empty cell only: blank too
    sheet.cell(9, 2, "不是数")                       # the bad cells: rows 9 and 14
    sheet.cell(14, 2, "不是数")
    book.save(tmp_path / "units.xlsx")
    summary = score_file(plan, tmp_path / "units.xlsx", tmp_path / "r.xlsx", engine=engine)
    assert summary.scored == 4
    assert sorted({e.row for e in summary.errors}) == [9, 14]
    shown = openpyxl.load_workbook(tmp_path / "r.xlsx")["错误"]
    assert sorted({r[0] for r in shown.iter_rows(min_row=2, values_only=True)}) == [9, 14]
    with duckdb.connect() as con:
        from idsl.engines.batch import load_typed

        assert sorted({e.row for e in load_typed(con, plan, tmp_path / "units.xlsx")}) == [9, 14]
        # the same connection then reading a CSV: its own rows (1 header + the bad unit on row 3)
        write_csv(tmp_path / "units.csv", headers, [rows[0], [rows[1][0], "不是数", *rows[1][2:]]])
        assert {e.row for e in load_typed(con, plan, tmp_path / "units.csv")} == {3}


def test_excel_and_parquet_in_excel_out(tmp_path, plan):
    headers = [c.header for c in unit_columns(plan)]
    rows = synth.rows(plan, 30, seed=3)
    write_csv(tmp_path / "units.csv", headers, rows)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "单位"
    sheet.append(headers)
    for row in rows:
        cells = []
        for header, text in zip(headers, rows[0] if False else row):
            if text.endswith("%"):
                cells.append(float(Decimal(text[:-1]) / 100))
            else:
                try:
                    cells.append(float(text) if "." in text else int(text))
                except ValueError:
                    cells.append(text)
        sheet.append(cells)
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if headers[cell.column - 1].endswith("达标率"):
                cell.number_format = "0.00%"
    sheet.cell(3, 2).value = "=1+1"  # a formula without a cached value: that row is reported
    book.save(tmp_path / "units.xlsx")
    duckdb.execute(f"COPY (SELECT * FROM read_csv('{tmp_path / 'units.csv'}', all_varchar = true)) "
                   f"TO '{tmp_path / 'units.parquet'}' (FORMAT parquet)")
    from_csv = score_file(plan, tmp_path / "units.csv", tmp_path / "r1.csv")
    from_parquet = score_file(plan, tmp_path / "units.parquet", tmp_path / "r2.csv")
    from_excel = score_file(plan, tmp_path / "units.xlsx", tmp_path / "r3.xlsx")
    assert from_csv.scored == from_parquet.scored == 30
    assert (tmp_path / "r1.csv").read_text() == (tmp_path / "r2.csv").read_text()
    assert from_excel.scored == 29 and [e.row for e in from_excel.errors] == [3]
    results = openpyxl.load_workbook(tmp_path / "r3.xlsx")
    assert results.sheetnames == ["结果", "错误"]
    totals = {r[0].value: r for r in results["结果"].iter_rows(min_row=2)}
    csv_rows = {r["单位"]: r for r in read(tmp_path / "r1.csv")}
    total_at = [c.value for c in results["结果"][1]].index("总分")
    for unit, row in totals.items():
        assert Decimal(str(row[total_at].value)) == Decimal(csv_rows[unit]["总分"])


def test_cli_template_score_and_compile(tmp_path, plan):
    runner = CliRunner()
    template = tmp_path / "t.csv"
    result = runner.invoke(main, ["template", str(SPEC), "--batch", "-o", str(template)])
    assert result.exit_code == 0, result.output
    assert template.read_text(encoding="utf-8-sig").splitlines()[0].split(",")[0] == "单位"
    example = ROOT / "examples/batch_001_units.csv"
    out = tmp_path / "r.csv"
    result = runner.invoke(main, ["score", str(SPEC), str(example), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "已评分 5 / 5 个单位" in result.output
    rows = read(out)
    assert rows[0]["单位"] == "肃南县人力资源和社会保障局" and rows[0]["总分"] == "97.00" and rows[0]["等级"] == "优"
    bad = tmp_path / "bad.csv"
    text = example.read_text(encoding="utf-8-sig").splitlines()
    cells = next(csv.reader([text[2]]))
    cells[1] = "不知道"
    with open(bad, "w", encoding="utf-8", newline="") as stream:
        stream.write(text[0] + "\n" + text[1] + "\n")
        csv.writer(stream, lineterminator="\n").writerow(cells)
    result = runner.invoke(main, ["score", str(SPEC), str(bad), "-o", str(out), "--engine", "python"])
    assert result.exit_code == 1
    assert "1 行有误" in result.output and "第 3 行（甲县人社局）决策/目标设定/年度绩效目标合理性.要素1" in result.output
    sql = tmp_path / "q.sql"
    result = runner.invoke(main, ["compile", str(SPEC), "--sql", str(sql), "--table", "units_2024"])
    assert result.exit_code == 0, result.output
    from idsl.engines.batch import load_typed

    con = duckdb.connect()
    assert load_typed(con, plan, ROOT / "examples/batch_001_units.csv", "units_2024") == []
    totals = con.execute(sql.read_text(encoding="utf-8")).fetchall()
    assert [(r[0], str(r[-3]), r[-2]) for r in totals][0] == ("肃南县人力资源和社会保障局", "97.00", "优")


@pytest.mark.parametrize("name, level1_leaf", [("000_山丹县人社局2024过紧日子.idsl", "制度导向"),
                                               ("004_寻甸县人社局2023部门整体再评价.idsl", "投入")])
def test_result_headers_are_unique_and_the_same_in_both_engines(tmp_path, name, level1_leaf):
    """A level-1 indicator that is itself a leaf has its score column (its path) and its subtotal (`<name>.小计`)."""
    loaded = load(ROOT / "specs" / name)
    spec_plan = lower(loaded.spec, loaded.sources)
    source = tmp_path / "units.csv"
    write_csv(source, [c.header for c in unit_columns(spec_plan)], synth.rows(spec_plan, 40, seed=3))
    found = {}
    for engine in ("duckdb", "python"):
        output = tmp_path / f"{engine}.csv"
        score_file(spec_plan, source, output, engine=engine)
        with open(output, encoding="utf-8-sig", newline="") as stream:
            found[engine] = list(csv.reader(stream))
    headers = found["duckdb"][0]
    assert len(headers) == len(set(headers))
    assert found["python"] == found["duckdb"] and len(found["duckdb"]) > 1
    assert level1_leaf in headers and f"{level1_leaf}.小计" in headers
    at = headers.index(level1_leaf), headers.index(f"{level1_leaf}.小计")
    assert all(row[at[0]] == row[at[1]] for row in found["duckdb"][1:])


def test_a_result_excel_cannot_hold_is_refused_before_scoring(tmp_path):
    """1,048,576 units need 1,048,577 rows with the header: refused for .xlsx, with CSV and Parquet named, and no
    file written; the same batch to .parquet is scored."""
    from idsl.engines.example import _TEXT, example_plan
    from idsl.io.tables import EXCEL_ROWS, BatchError, check_sheet_rows

    small = example_plan()
    headers = [c.header for c in unit_columns(small)]
    source = tmp_path / "units.csv"
    columns = ", ".join(f'{value} AS "{header}"' for value, header in
                        zip(["'单位' || range", "75", "100"], headers))
    duckdb.execute(f"COPY (SELECT {columns} FROM range({EXCEL_ROWS})) TO '{source}' (HEADER)")
    spec = tmp_path / "例.idsl"
    spec.write_text(_TEXT, encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(spec), str(source), "-o", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 1
    assert "1,048,576 行" in result.output and ".csv" in result.output and ".parquet" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["units.csv", "例.idsl"]
    with pytest.raises(BatchError, match="错误"):
        check_sheet_rows(EXCEL_ROWS, "错误")
    check_sheet_rows(EXCEL_ROWS - 1)  # the header and 1,048,575 rows fit
    summary = score_file(small, source, tmp_path / "r.parquet")
    assert summary.scored == EXCEL_ROWS


def test_rows_with_cells_that_are_no_number_are_checked_in_duckdb_alone(tmp_path, plan, monkeypatch):
    """Every second row with a number cell written 不详 (or 无): named in the Python rule's words, by DuckDB
    alone (the Python normalizer is never called), and refused by the interpreter alike."""
    import idsl.engines.embedded as embedded

    headers = [c.header for c in unit_columns(plan)]
    rows = synth.rows(plan, 60, seed=4)
    at = headers.index("决策/预算配置/重点支出安排率.项目总支出")
    for number, row in enumerate(rows):
        if number % 2:
            row[at] = " 不详 " if number % 4 == 1 else "无"
    source = tmp_path / "units.csv"
    write_csv(source, headers, rows)
    python = score_file(plan, source, tmp_path / "python.csv", engine="python")

    def never(*_args):
        raise AssertionError("a row went to the Python normalizer")

    monkeypatch.setattr(embedded, "normalize_cells", never)
    summary = score_file(plan, source, tmp_path / "duckdb.csv")
    assert summary.scored == 30 and summary.bad_rows == 30
    assert {(e.row, e.column, e.message) for e in summary.errors} == {
        (n + 2, headers[at], "应填一个数，这里是 “不详”。" if n % 4 == 1 else "应填一个数，这里是 “无”。") for n in range(1, 60, 2)}
    assert {(e.row, e.message) for e in python.errors} == {(e.row, e.message) for e in summary.errors}
    assert (tmp_path / "python.csv").read_text() == (tmp_path / "duckdb.csv").read_text()


@pytest.mark.parametrize("write_only", [False, True], ids=["shared-strings", "inline-strings"])
def test_the_streaming_sheet_reader_reads_what_openpyxl_reads(tmp_path, write_only):
    """Shared and inline strings, entities, percents, dates, booleans, gaps, blank rows, a formula's cached
    value and one without: the rows of idsl.io.xlsx_rows are openpyxl's values as text."""
    import datetime
    import zipfile

    from idsl.io.excel import cell_text
    from idsl.io.xlsx_rows import NO_CACHE, sheet_names, sheet_rows

    book = openpyxl.Workbook(write_only=write_only)
    sheet = book.create_sheet("单位") if write_only else book.active
    sheet.title = "单位"
    rows = [["单位", "a", "b", "c", "d", "e"],
            ["甲 & <乙>", 0.8967, 12.0, True, datetime.date(2024, 1, 2), "=1+1"],
            [None, None, None, None, None, None],
            ["丙", 1e-07, 123456789012.5, False, "x\"y'z", 0.1 + 0.2],
            ["丁", None, 7, None, None, -0.0]]
    for row in rows:
        sheet.append(row)
    if not write_only:
        for r in (2, 4, 5):
            sheet.cell(r, 2).number_format = "0.00%"
    book.save(tmp_path / "b.xlsx")
    expected = []
    values = openpyxl.load_workbook(tmp_path / "b.xlsx")["单位"]
    for row in values.iter_rows():
        cells = [NO_CACHE if c.data_type == "f" else cell_text(c.value, c.number_format) for c in row]
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            expected.append(cells)
    with zipfile.ZipFile(tmp_path / "b.xlsx") as archive:
        found = [cells for _n, cells in sheet_rows(archive, sheet_names(archive)["单位"]) if cells]
    assert found == expected
    assert found[1][1] == ("89.67%" if not write_only else "0.8967") and found[1][4] == "#日期"


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="-0123456789.eE\n٣", max_size=20))
def test_a_number_the_streaming_reader_keeps_as_written_is_one_its_rule_leaves_unchanged(value):
    """The sheet reader's shortcut (`_KEEP`: a General number left as written) agrees with its rule (`_plain`:
    the shortest decimal text), so taking it changes no cell."""
    from idsl.io.xlsx_rows import _KEEP, _plain

    if _KEEP(value):
        assert _plain(value) == value


def test_the_streaming_reader_places_a_row_with_gaps_or_out_of_order_cells_by_their_letters(tmp_path):
    """A row written from A without gaps takes the reader's short way; one with a gap, a cell out of order or a
    column past Z is placed cell by cell: both as the cells' letters say."""
    import zipfile

    from idsl.io.xlsx_rows import sheet_rows

    cells = {2: '<c r="A2"><v>1.50</v></c><c r="B2"><v>-0</v></c><c r="C2" t="inlineStr"><is><t>&#26159;</t></is></c>',
             3: '<c r="B3"><v>7</v></c><c r="D3" t="inlineStr"><is><t>&#26159;</t></is></c>',
             4: '<c r="B4"><v>2</v></c><c r="A4"><v>1</v></c>',
             5: "".join(f'<c r="{letters}5"><v>{n}</v></c>' for n, letters in enumerate(["A", "B", "AA"]))}
    xml = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           + "".join(f'<row r="{n}">{row}</row>' for n, row in cells.items()) + "</sheetData></worksheet>")
    with zipfile.ZipFile(tmp_path / "b.xlsx", "w") as archive:
        archive.writestr("s.xml", xml)
    with zipfile.ZipFile(tmp_path / "b.xlsx") as archive:
        found = dict(sheet_rows(archive, "s.xml"))
    assert found == {2: ["1.5", "0", "是"], 3: ["", "7", "", "是"], 4: ["1", "2"], 5: ["0", "1"] + [""] * 24 + ["2"]}


@pytest.mark.parametrize("spec", ["001", "example"])
def test_a_csv_not_utf8_past_its_first_megabyte_is_named_as_such(tmp_path, plan, spec):
    """Only the first MB is checked up front; a GBK row further on (inside DuckDB's sniffing sample for 001's
    long rows, past it for the example's short ones) is found by DuckDB and named the same way."""
    from idsl.engines.example import example_plan
    from idsl.io.tables import BatchError

    small = plan if spec == "001" else example_plan()
    headers = [c.header for c in unit_columns(small)]
    rows = synth.rows(small, 3_000 if spec == "001" else 100_000, seed=5)
    source = tmp_path / "units.csv"
    write_csv(source, headers, rows)
    assert source.stat().st_size > 1 << 20
    with source.open("ab") as stream:
        stream.write(",".join(["甲局"] + ["1"] * (len(headers) - 1)).encode("gbk") + b"\n")
    with pytest.raises(BatchError, match="不是 UTF-8 编码"):
        score_file(small, source, tmp_path / "r.csv")
    assert not (tmp_path / "r.csv").exists()


def test_a_ctrl_c_inside_a_duckdb_query_stops_as_any_ctrl_c(tmp_path):
    """DuckDB catches the signal itself and raises its own error; the batch turns it back into the
    KeyboardInterrupt it was, so the command ends as on any other Ctrl-C (no traceback)."""
    import threading

    from idsl.engines.loading import reading

    con = duckdb.connect()
    timer = threading.Timer(0.3, con.interrupt)
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        with reading(tmp_path / "units.csv"):
            con.execute("SELECT count(*) FROM range(1000000000000) a WHERE a.range % 7 = 3").fetchall()
    timer.join()


def test_a_cell_typed_with_a_line_break_is_read_by_every_engine(tmp_path, plan):
    # Alt+Enter in Excel puts a line break inside a quoted CSV cell; DuckDB's parallel reader refuses
    # those, so such a file is read again on one thread instead of ending in DuckDB's error.
    headers = [c.header for c in unit_columns(plan)]
    rows = synth.rows(plan, 40, seed=5)
    rows[3][0] = "甲县\n人社局"
    rows[30][0] = "乙县人社局\r\n（含二级单位）"
    _both_engines(plan, tmp_path, headers, rows, scored=40)
    units = tmp_path / "units.csv"
    assert [r["单位"] for r in read(tmp_path / "a.csv")][3] == "甲县\n人社局"
    con = duckdb.connect()
    assert load_typed(con, plan, units) == []
    assert con.execute("SELECT count(*) FROM units").fetchone()[0] == 40


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_column_written_twice_is_named_as_such(tmp_path, plan, suffix, engine):
    """DuckDB renames a repeated header (…满意度_1), and the file was refused for an unknown column of that name,
    which the user never wrote: it is 重复的列, naming the header as written."""
    from idsl.io.tables import BatchError

    headers = [c.header for c in unit_columns(plan)]
    row = synth.rows(plan, 1, seed=2)[0]
    twice = headers[5]
    source = tmp_path / f"units{suffix}"
    if suffix == ".csv":
        write_csv(source, headers + [twice], [list(row) + [row[5]]])
    else:
        book = openpyxl.Workbook()
        book.active.append(headers + [twice])
        book.active.append([str(v) for v in row] + [str(row[5])])
        book.save(source)
    with pytest.raises(BatchError) as refused:
        score_file(plan, source, tmp_path / "r.csv", engine=engine)
    assert str(refused.value) == f"重复的列：{twice}。"
