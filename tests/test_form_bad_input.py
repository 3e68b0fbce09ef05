"""Bad input on a 自评表 (财预〔2020〕10号 附1), table-driven: an actual written as a bound that cannot show the target
met (“≥90%” against ≥100%, “≤735” against ≥735, any bound against =) or as words
(“基本完成”), in another unit than the target's, a tier score outside its range, a missing reason — each an
error naming the indicator and the field, never a score, the same through JSON, the workbook, and a batch
scored by either engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import idsl
from idsl.cli import main
from idsl.engines.batch import score_rows
from idsl.io.columns import unit_columns
from idsl.io.inputs import read_inputs
from test_xlsx import fill as fill_workbook

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "specs" / "005_永德县明朗中学2022营养改善计划自评.idsl"
GOOD = json.loads((ROOT / "examples" / "005_inputs.json").read_text(encoding="utf-8"))
COUNT, RATE, TIER = "学生受资助人数", "营养改善计划覆盖率", "减轻贫困学生家庭经济负担"

# (case, the leaf's fields replaced, the field the error names, words the error says)
CASES = [
    ("bound-short-of-target", RATE, {"实际覆盖率": "≥90%"}, "实际覆盖率", "只知下限：“≥90%”，不能说明是否达到目标≥100%"),
    ("bound-on-the-other-side", COUNT, {"实际受资助人数": "≤735"}, "实际受资助人数", "只知上限：“≤735”，不能说明是否达到目标≥735人次"),
    ("bound-against-equal", "生均补助标准达标率", {"实际达标率": "≥100%"}, "实际达标率", "只知下限：“≥100%”，不能说明是否达到目标=100%"),
    ("words-for-actual", COUNT, {"实际受资助人数": "基本完成"}, "实际受资助人数", "“基本完成”"),
    ("other-unit", COUNT, {"实际受资助人数": "735人"}, "实际受资助人数", "单位“人”与“实际受资助人数”的单位“人次”不同"),
    ("other-tier-word", TIER, {"实际效果": "基本完成", "得分": 10}, "实际效果", "“基本完成”"),
    ("tier-score-above", TIER, {"实际效果": "部分达成", "得分": 9, "理由": "部分家庭未覆盖"}, "得分", "“部分达成”档的得分应在"),
    ("tier-score-below", TIER, {"实际效果": "达成", "得分": 7, "理由": "x"}, "得分", "“达成”档的得分应在"),
    ("reason-missing", TIER, {"实际效果": "部分达成", "得分": 7}, "理由", "必须写“理由”"),
]


def bad_inputs(leaf: str, fields: dict) -> dict:
    data = {"unit": GOOD["unit"], "inputs": json.loads(json.dumps(GOOD["inputs"], ensure_ascii=False))}
    data["inputs"][leaf] = {**{k: v for k, v in data["inputs"][leaf].items() if k not in ("得分", "理由")}, **fields}
    return data


def named(errors, leaf: str, field: str) -> list[str]:
    """The messages of the errors about that leaf's field."""
    return [e.message for e in errors if e.path.endswith(leaf) and (e.field or "").endswith(field)]


@pytest.mark.parametrize("case, leaf, fields, field, words", CASES, ids=[c[0] for c in CASES])
def test_json_names_the_indicator_and_field_and_gives_no_score(case, leaf, fields, field, words):
    plan = idsl.load(SPEC)
    result = idsl.score(plan, read_inputs(bad_inputs(leaf, fields)))
    assert result.total is None or result.errors
    messages = named(result.errors, leaf, field)
    assert any(words in m for m in messages), (case, [(e.path, e.field, e.message) for e in result.errors])


@pytest.mark.parametrize("case, leaf, fields, field, words", CASES, ids=[c[0] for c in CASES])
def test_the_workbook_says_the_same(tmp_path, case, leaf, fields, field, words):
    plan = idsl.load(SPEC)
    book = tmp_path / "输入.xlsx"
    fill_workbook(plan, bad_inputs(leaf, fields)).save(book)
    run = CliRunner().invoke(main, ["score", str(SPEC), str(book), "--format", "json"])
    assert run.exit_code == 1, run.output
    line = next((l for l in run.output.splitlines() if leaf in l and field in l and words in l), None)
    assert line is not None, (case, run.output)


def batch_row(plan, leaf: str, fields: dict) -> dict[str, str]:
    data = bad_inputs(leaf, fields)
    row = {"单位": data["unit"]}
    for column in unit_columns(plan):
        if column.kind == "unit":
            continue
        given = next((v for k, v in data["inputs"].items() if column.key.endswith(k)), {})
        value = given.get(column.field)
        if value is not None:
            row[column.header] = str(value)
    return row


@pytest.mark.parametrize("case, leaf, fields, field, words", CASES, ids=[c[0] for c in CASES])
def test_a_batch_says_the_same_in_both_engines(case, leaf, fields, field, words):
    plan = idsl.load(SPEC)
    said = {}
    for engine in ("python", "duckdb"):
        scored, errors = score_rows(plan, [batch_row(plan, leaf, fields)], engine=engine)
        assert not scored, (case, engine)
        said[engine] = [(e.column, e.message) for e in errors]
        assert any(c.endswith(f"{leaf}.{field}") and words in m for c, m in said[engine]), (case, engine, said[engine])
    assert said["python"] == said["duckdb"], case


def test_the_good_inputs_score_in_all_three():
    plan = idsl.load(SPEC)
    data = {"unit": GOOD["unit"], "inputs": GOOD["inputs"]}
    assert str(idsl.score(plan, read_inputs(data)).total) == "99.80"
    for engine in ("python", "duckdb"):
        scored, errors = score_rows(plan, [batch_row(plan, COUNT, {})], engine=engine)
        assert not errors and str(scored[0]["总分"]) == "99.80", engine


# (the leaf, its fields as the table printed them): bounds that show the target met, scored as the numbers would be
MET_BOUNDS = [(COUNT, {"实际受资助人数": "≥735人次"}, "实际值≥735人次（只知下限），目标≥735人次，已达标，"),
              (RATE, {"实际覆盖率": "不低于 100%"}, "实际值≥100%（只知下限），目标≥100%，已达标，")]


@pytest.mark.parametrize("leaf, fields, reason", MET_BOUNDS, ids=["count", "rate-in-words"])
def test_a_bound_that_shows_the_target_met_scores_alike_in_all_three(tmp_path, leaf, fields, reason):
    """JSON, the 自评表 workbook and a batch in both engines give the bound the target's full points; the reason says
    the value is a bound (不低于 shown as ≥)."""
    plan = idsl.load(SPEC)
    data = bad_inputs(leaf, fields)
    result = idsl.score(plan, read_inputs(data))
    row = next(r for r in result.nodes if r.path[-1] == leaf)
    assert not result.errors and row.score == row.points
    assert row.reason.startswith(reason), row.reason
    book = tmp_path / "输入.xlsx"
    fill_workbook(plan, data).save(book)
    run = CliRunner().invoke(main, ["score", str(SPEC), str(book), "--format", "json"])
    assert run.exit_code == 0, run.output
    assert json.loads(run.output)["total"] == str(result.total)
    for engine in ("python", "duckdb"):
        scored, errors = score_rows(plan, [batch_row(plan, leaf, fields)], engine=engine)
        assert not errors and str(scored[0]["总分"]) == str(result.total), engine
