"""A table or workbook given where the spec goes (the arguments swapped) is a usage error naming the order, not
the table parsed as a spec (E106 on its first comma) or refused as text that is not UTF-8."""

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
