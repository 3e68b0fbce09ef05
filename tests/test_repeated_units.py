"""A unit on two rows of a batch: both rows scored, the slip listed as a warning in the same words by every engine."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from idsl.cli import main
from idsl.engines.batch import score_file
from plans import plan_of, seed_spec

UNITS = Path(__file__).resolve().parents[1] / "examples" / "batch_001_units.csv"


def _rows() -> list[list[str]]:
    with UNITS.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    rows.append(list(rows[1]))
    rows[-1][0] = " " + rows[1][0] + "\u3000"  # pasted again, with blanks a paste carries
    return rows


def _csv(folder: Path) -> Path:
    path = folder / "u.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(_rows())
    return path


def _plan():
    return plan_of(seed_spec("001"))


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_both_rows_are_scored_and_the_repeat_is_named(tmp_path, engine):
    rows = _rows()
    summary = score_file(_plan(), _csv(tmp_path), tmp_path / "r.csv", engine=engine)
    assert (summary.rows, summary.scored, summary.errors) == (len(rows) - 1, len(rows) - 1, ())
    last = len(rows)
    assert [(w.row, w.unit, w.column, w.message) for w in summary.warnings] == [
        (2, rows[1][0], "单位", f"同一单位出现在第 2、{last} 行（共 2 行），每行都已评分；多半是粘贴重复，请核对后删去多余的行。")]


def test_the_engines_say_the_same_on_the_terminal_and_exit_zero(tmp_path):
    source = _csv(tmp_path)
    said = {}
    for engine in ("duckdb", "python"):
        result = CliRunner().invoke(main, ["score", str(seed_spec("001")), str(source), "-o", str(tmp_path / "r.csv"),
                                           "--engine", engine])
        assert result.exit_code == 0, result.output
        said[engine] = [line for line in result.output.splitlines() if "⚠" in line]
    assert said["duckdb"] == said["python"] and len(said["duckdb"]) == 1
    assert "同一单位出现在第 2、" in said["duckdb"][0]


def _workbook(folder: Path) -> Path:
    """The rows as a workbook with a blank row after the first unit: left out when read, so the repeat must still be
    named by the sheet row the user sees."""
    book = openpyxl.Workbook()
    sheet = book.active
    rows = _rows()
    for row in rows[:2]:
        sheet.append(row)
    sheet.append([])
    for row in rows[2:]:
        sheet.append(row)
    book.save(folder / "u.xlsx")
    return folder / "u.xlsx"


def test_a_workbook_names_its_sheet_rows(tmp_path):
    rows = _rows()
    summary = score_file(_plan(), _workbook(tmp_path), tmp_path / "r.csv", engine="python")
    assert [w.message for w in summary.warnings] == [
        f"同一单位出现在第 2、{len(rows) + 1} 行（共 2 行），每行都已评分；多半是粘贴重复，请核对后删去多余的行。"]


def test_distinct_units_are_not_warned(tmp_path):
    summary = score_file(_plan(), UNITS, tmp_path / "r.csv", engine="duckdb")
    assert summary.warnings == () and summary.errors == ()


def test_a_batch_written_to_parquet_in_one_pass_names_the_same_rows(tmp_path):
    # found in the results written (one column), not by reading the file again: the same rows, the same words
    rows = _rows()
    said = {suffix: score_file(_plan(), _csv(tmp_path), tmp_path / f"r{suffix}", engine="duckdb").warnings
            for suffix in (".csv", ".parquet")}
    assert said[".parquet"] == said[".csv"] and [w.row for w in said[".csv"]] == [2]
    assert f"第 2、{len(rows)} 行" in said[".parquet"][0].message


def test_a_workbook_written_to_parquet_names_its_sheet_rows(tmp_path):
    rows = _rows()
    summary = score_file(_plan(), _workbook(tmp_path), tmp_path / "r.parquet", engine="duckdb")
    assert [w.message for w in summary.warnings] == [
        f"同一单位出现在第 2、{len(rows) + 1} 行（共 2 行），每行都已评分；多半是粘贴重复，请核对后删去多余的行。"]
