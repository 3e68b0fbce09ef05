"""Arguments and options that do not fit are usage errors saying what fits: a table or workbook given where the
spec goes (the arguments swapped) names the order, not the table parsed as a spec (E106 on its first comma) or
refused as text that is not UTF-8; an option for one unit's inputs beside a table of units (or the reverse) is
refused, not dropped; and idsl audit of a table of units says how a batch is audited."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from idsl.cli import main
from plans import seed_spec

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("args", [
    ("score", "u.csv", "s.idsl"),
    ("audit", "u.csv", "s.idsl"),
    ("score", "in.xlsx", "s.idsl"),
    ("template", "in.xlsx", "-o", "t.xlsx"),
    ("compile", "u.csv", "-o", "c.json"),
])
def test_a_table_where_the_spec_goes_names_the_order(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    shutil.copy(seed_spec("001"), "s.idsl")
    shutil.copy(ROOT / "examples" / "batch_001_units.csv", "u.csv")
    assert CliRunner().invoke(main, ["template", "s.idsl", "-o", "in.xlsx"]).exit_code == 0
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 2, result.output
    assert "先写体系" in result.output and "E106" not in result.output and "UTF-8" not in result.output
    assert not Path("t.xlsx").exists() and not Path("c.json").exists()


def test_a_units_workbook_with_a_title_row_above_its_header_says_where_the_header_goes(tmp_path, monkeypatch):
    """A batch workbook whose header was pushed down by a title row was told only that it has no 输入 sheet and
    to make an input workbook: it says too that a table of units has its header, 单位 first, in row 1."""
    import openpyxl

    monkeypatch.chdir(tmp_path)
    shutil.copy(seed_spec("001"), "s.idsl")
    assert CliRunner().invoke(main, ["template", "s.idsl", "--batch", "-o", "u.xlsx"]).exit_code == 0
    book = openpyxl.load_workbook("u.xlsx")
    book.worksheets[0].insert_rows(1)
    book.worksheets[0]["A1"] = "2024年度各单位评分表"
    book.save("u.xlsx")
    result = CliRunner().invoke(main, ["score", "s.idsl", "u.xlsx", "-o", "r.csv"])
    assert result.exit_code == 1 and not Path("r.csv").exists()
    assert "没有“输入”工作表" in result.output and "第 1 行" in result.output and "A1" in result.output


@pytest.mark.parametrize("options, named", [
    (("--docx", "x.docx"), "--docx"),
    (("--format", "json"), "--format json"),
    (("--recorded", "rec.json"), "--recorded"),
    (("--as-published",), "--as-published"),
    (("--master", "local[2]"), "--master"),
])
def test_an_option_a_table_of_units_has_no_use_for_is_refused_not_dropped(tmp_path, monkeypatch, options, named):
    """score SPEC units.csv --docx x.docx scored the batch, wrote no Word file and exited 0 (--format json,
    --recorded, --as-published and --master alike were dropped without a word): a usage error naming the option,
    before anything is scored or written."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(seed_spec("001"), "s.idsl")
    shutil.copy(ROOT / "examples" / "batch_001_units.csv", "u.csv")
    Path("rec.json").write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(main, ["score", "s.idsl", "u.csv", "-o", "r.csv", *options])
    assert result.exit_code == 2, result.output
    assert named in result.output and "单位表" in result.output
    assert not Path("r.csv").exists() and not Path("x.docx").exists()


@pytest.mark.parametrize("options", [("--engine", "python"), ("--master", "local[2]")])
def test_a_batch_option_beside_one_units_inputs_is_refused(tmp_path, monkeypatch, options):
    """--engine and --master choose how a table of units is scored: beside one unit's JSON they were ignored."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(seed_spec("001"), "s.idsl")
    result = CliRunner().invoke(main, ["score", "s.idsl", str(ROOT / "examples" / "001_inputs.json"), *options])
    assert result.exit_code == 2 and options[0] in result.output and "单位表" in result.output


@pytest.mark.parametrize("table", ["u.csv", "u.xlsx"])
def test_audit_of_a_table_of_units_says_how_a_batch_is_audited(tmp_path, monkeypatch, table):
    """idsl audit SPEC units.csv said the file is no valid JSON (exit 1), and a units workbook that it has no 输入
    sheet and should have 单位 in A1 — which it has: a usage error naming the batch's 差异 columns instead."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(seed_spec("001"), "s.idsl")
    shutil.copy(ROOT / "examples" / "batch_001_units.csv", "u.csv")
    assert CliRunner().invoke(main, ["template", "s.idsl", "--batch", "--audit", "-o", "u.xlsx"]).exit_code == 0
    result = CliRunner().invoke(main, ["audit", "s.idsl", table])
    assert result.exit_code == 2, result.output
    assert "单位表" in result.output and ".差异" in result.output and f"idsl score SPEC {table}" in result.output
    assert "JSON：" not in result.output and "没有“输入”工作表" not in result.output


@pytest.mark.parametrize("args", [("compile", "s.idsl"), ("template", "s.idsl", "-o", "t.xlsx"), ("test", "s.idsl"),
                                  ("score", "s.idsl", "in.json")])
def test_a_spec_with_errors_says_to_correct_it_not_to_score_again(tmp_path, monkeypatch, args):
    """compile, template and test of a spec with errors said 改正后再评分 (correct it, then score again), whatever the
    command: the message names no command but idsl check."""
    monkeypatch.chdir(tmp_path)
    Path("s.idsl").write_text('体系 "空" 总分 10\n', encoding="utf-8")
    Path("in.json").write_text('{"inputs": {}}', encoding="utf-8")
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 1 and "s.idsl：体系有错误，改正后再运行（详见 idsl check s.idsl）。" in result.output
    assert "再评分" not in result.output
