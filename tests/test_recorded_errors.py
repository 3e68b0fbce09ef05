"""A recorded value the audit cannot compare — a score that is no number, a key the spec does not have, a grade
it does not have — is an input error like any other: no total, subtotal, grade or 得分率 beside it, in the JSON
result of idsl score and idsl audit as in the terminal (the errors alone) and a batch (the row refused); the
indicators' own scores stay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import idsl
from idsl.cli import main
from idsl.engines.cellwords import with_hint
from idsl.engines.rows import row_from_json
from idsl.io.columns import recorded_not_a_number
from idsl.io.inputs import read_inputs
from idsl.semantics.numbers import loads
from plans import rows_csv, score_with_both_engines

ROOT = Path(__file__).resolve().parent.parent
SCORE_CASES = ROOT / "tests" / "cases" / "score"
GRADES = "等级 优：总分 ≥ 12；差：总分 < 12\n"

BAD_RECORDS = {
    "no-number": ({"问题整改": "五分"}, "管理/问题整改", "记录的得分应是一个数，这里是 “五分”。"),  # its full path
    "unknown-key": ({"问题整改了": 3}, "问题整改了", "没有"),
    "unknown-grade": ({"等级": "特优"}, "等级", "记录的等级“特优”不是本体系的等级。"),
}


@pytest.fixture
def graded(tmp_path) -> tuple[Path, dict]:
    """places.idsl with two grades (its total, 0.00, is 差), and its inputs."""
    spec = tmp_path / "graded.idsl"
    text = (SCORE_CASES / "places.idsl").read_text(encoding="utf-8")
    spec.write_text(text.replace("小数 2 位\n", "小数 2 位\n" + GRADES), encoding="utf-8")
    return spec, loads((SCORE_CASES / "places.inputs.json").read_text(encoding="utf-8"))


def _inputs(folder: Path, data: dict, recorded: dict) -> Path:
    path = folder / "inputs.json"
    path.write_text(json.dumps(dict(data, recorded=recorded), ensure_ascii=False, default=str), encoding="utf-8")
    return path


@pytest.mark.parametrize("case", BAD_RECORDS, ids=str)
def test_a_recorded_value_that_cannot_be_compared_leaves_no_total(graded, tmp_path, case):
    spec, data = graded
    recorded, path, words = BAD_RECORDS[case]
    clean = idsl.score(idsl.load(spec), read_inputs(data))
    assert clean.total is not None and clean.grade == "差" and not clean.errors  # what the inputs alone give
    inputs = _inputs(tmp_path, data, {**recorded, "总分": 3})
    for command in ("score", "audit"):
        run = CliRunner().invoke(main, [command, str(spec), str(inputs), "--format", "json"])
        assert run.exit_code == 1, run.output
        result = json.loads(run.stdout)
        assert [(e["path"], e["field"]) for e in result["errors"]] == [(path, "recorded")]
        assert words in result["errors"][0]["message"]
        assert (result["total"], result["subtotal"], result["total_rate"], result["grade"]) == (None,) * 4
        assert result["partial"] is False
        # the indicators were scored: their scores stay, and the recorded 总分 has nothing to be compared with
        assert {row["path"]: row["score"] for row in result["nodes"]} == {
            row.key: format(row.score, "f") for row in clean.nodes}
        assert [(d["key"], d["recorded"], d["computed"]) for d in result["audit"]] == [("总分", "3", None)]
    table = CliRunner().invoke(main, ["score", str(spec), str(inputs)])
    assert table.exit_code == 1 and "1 处输入错误；改正后再评分。" in table.output and table.stdout == ""


def test_an_unreadable_recorded_file_leaves_no_total(graded, tmp_path):
    spec, data = graded
    inputs = _inputs(tmp_path, data, {})
    recorded = tmp_path / "recorded.json"
    recorded.write_text("[3]", encoding="utf-8")
    run = CliRunner().invoke(main, ["score", str(spec), str(inputs), "--recorded", str(recorded), "--format", "json"])
    assert run.exit_code == 1, run.output
    result = json.loads(run.stdout)
    assert [e["message"] for e in result["errors"]] == ["记录得分文件应是一个对象：指标 → 得分。"]
    assert (result["total"], result["subtotal"], result["grade"]) == (None, None, None)


def test_a_batch_refuses_the_row_in_both_engines(graded, tmp_path):
    spec, data = graded
    plan = idsl.load(spec)
    cells = row_from_json(plan, {"unit": "甲", "inputs": data["inputs"]})
    recorded = {"管理/问题整改.记录得分": "", "等级.记录得分": ""}
    rows = [{**cells, **recorded, "管理/问题整改.记录得分": "五分"},
            {**cells, **recorded, "单位": "乙", "等级.记录得分": "特优"}, {**cells, **recorded, "单位": "丙"}]
    units = rows_csv(tmp_path, rows)
    by_duckdb, by_python = score_with_both_engines(plan, units, tmp_path, False)
    for listing in (by_duckdb, by_python):
        assert [(e.unit, e.column) for e in listing.errors] == [("甲", "管理/问题整改.记录得分"), ("乙", "等级.记录得分")]
        assert listing.errors[0].message == with_hint(*recorded_not_a_number("“五分”"))  # as the JSON reader words it
        assert listing.errors[1].message == with_hint("记录的等级“特优”不是本体系的等级。", "应是 优、差 之一；不比对等级就留空。")
    assert [line.split(",")[0] for line in (tmp_path / "a.csv").read_text(encoding="utf-8-sig").splitlines()[1:]] == ["丙"]
