"""A 自评表's actual values as evaluators write them, table-driven through the JSON reader, the 自评表 workbook
and a batch in both engines — one behaviour: a figure in another unit of the target's family (元 for 万元, 万人 for
人) is converted exactly; one in a unit that does not convert (人 for 人次, 个百分点 for a rate) is refused naming
both; words (基本完成, 全部完成) are refused with the hint that a number is wanted and that judging in words is a
定性 row's tier."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import idsl
from idsl.cli import main
from idsl.engines.batch import score_rows
from idsl.io.columns import unit_columns
from idsl.io.inputs import read_inputs
from test_form_workbook import fill_form

ROOT = Path(__file__).resolve().parent.parent
SPECS = {"005": ROOT / "specs" / "005_永德县明朗中学2022营养改善计划自评.idsl",
         "006": ROOT / "specs" / "006_稷山县医保局2020建档立卡个人缴费配套自评.idsl"}
GOOD = {name: json.loads((ROOT / "examples" / f"{name}_inputs.json").read_text(encoding="utf-8")) for name in SPECS}

# (case, spec, leaf, input, value written, the value it means — or None and words the error says)
CASES = [
    ("yuan-as-wanyuan", "006", "配套资金每人每年", "每人每年配套资金", "0.0075万元", "75"),
    ("own-unit", "006", "配套资金每人每年", "每人每年配套资金", "75元", "75"),
    ("wan-people", "006", "全县参合人数", "实际参合人数", "0.8676万人", "8676"),
    ("thousands-and-unit", "006", "全县参合人数", "实际参合人数", "8,676人", "8676"),
    ("people-for-visits", "005", "学生受资助人数", "实际受资助人数", "735人",
     None, "单位“人”与“实际受资助人数”的单位“人次”不同，不能换算"),
    ("money-for-count", "006", "全县参合人数", "实际参合人数", "8676元", None, "单位“元”与“实际参合人数”的单位“人”不同，不能换算"),
    ("points-for-percent", "005", "政策知晓率", "实际知晓率", "98个百分点", None, "“个百分点”"),
    ("words-basically", "005", "学生受资助人数", "实际受资助人数", "基本完成", None, "定性指标选档次"),
    ("words-fully", "005", "政策知晓率", "实际知晓率", "全部完成", None, "定性指标选档次"),
]
CASES = [c if len(c) == 7 else (*c, None) for c in CASES]
IDS = [c[0] for c in CASES]


def inputs_with(spec: str, leaf: str, field: str, value: str) -> dict:
    data = {"unit": GOOD[spec]["unit"], "inputs": json.loads(json.dumps(GOOD[spec]["inputs"], ensure_ascii=False))}
    data["inputs"][leaf] = {field: value}
    return data


def the_score(spec: str, leaf: str, field: str, value: str) -> str:
    """The leaf's score with the value written as the plain figure it means."""
    plan = idsl.load(SPECS[spec])
    node = next(n for n in idsl.score(plan, read_inputs(inputs_with(spec, leaf, field, value))).nodes if n.name == leaf)
    return str(node.score)


def messages(errors, leaf: str, field: str) -> list[str]:
    return [f"{e.message}（{e.hint}）" if getattr(e, "hint", None) else e.message for e in errors
            if e.path.endswith(leaf) and (e.field or "").endswith(field)]


@pytest.mark.parametrize("case, spec, leaf, field, written, means, words", CASES, ids=IDS)
def test_json(case, spec, leaf, field, written, means, words):
    plan = idsl.load(SPECS[spec])
    result = idsl.score(plan, read_inputs(inputs_with(spec, leaf, field, written)))
    if means is not None:
        assert not result.errors, [str(e) for e in result.errors]
        score = next(n.score for n in result.nodes if n.name == leaf)
        assert str(score) == the_score(spec, leaf, field, means)
    else:
        said = messages(result.errors, leaf, field)
        assert any(words in m for m in said), (case, said)


@pytest.mark.parametrize("case, spec, leaf, field, written, means, words", CASES, ids=IDS)
def test_the_form_workbook(tmp_path, case, spec, leaf, field, written, means, words):
    plan = idsl.load(SPECS[spec])
    fill_form(plan, inputs_with(spec, leaf, field, written)).save(tmp_path / "自评表.xlsx")
    run = CliRunner().invoke(main, ["score", str(SPECS[spec]), str(tmp_path / "自评表.xlsx"), "--format", "json"])
    if means is not None:
        assert run.exit_code == 0, run.output
        score = next(n["score"] for n in json.loads(run.stdout)["nodes"] if n["name"] == leaf)
        assert Decimal(score) == Decimal(the_score(spec, leaf, field, means))
    else:
        assert run.exit_code == 1
        errors = json.loads(run.stdout)["errors"]
        said = [e["message"] + (e["hint"] or "") for e in errors if e["field"] == field and e["cell"]]
        assert any(words in m for m in said), (case, errors)


def batch_row(plan, spec: str, leaf: str, field: str, value: str) -> dict[str, str]:
    data = inputs_with(spec, leaf, field, value)
    row = {"单位": data["unit"]}
    for column in unit_columns(plan)[1:]:
        given = next((v for k, v in data["inputs"].items() if column.key.endswith(k)), {})
        if given.get(column.field) is not None:
            row[column.header] = str(given[column.field])
    return row


@pytest.mark.parametrize("case, spec, leaf, field, written, means, words", CASES, ids=IDS)
def test_a_batch_in_both_engines(case, spec, leaf, field, written, means, words):
    plan = idsl.load(SPECS[spec])
    said = {}
    for engine in ("python", "duckdb"):
        scored, errors = score_rows(plan, [batch_row(plan, spec, leaf, field, written)], engine=engine)
        if means is not None:
            assert not errors, (engine, errors)
            header = next(c.header for c in unit_columns(plan) if c.key.endswith(leaf) and c.field == field)
            assert Decimal(str(scored[0][header.rsplit(".", 1)[0]])) == Decimal(the_score(spec, leaf, field, means))
        else:
            assert not scored
            said[engine] = [(e.column, e.message) for e in errors]
            assert any(c.endswith(f"{leaf}.{field}") and words in m for c, m in said[engine]), (engine, said[engine])
    if means is None:
        assert said["python"] == said["duckdb"]
