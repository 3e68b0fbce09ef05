"""`idsl import` of a filled 项目支出绩效自评表 (财预〔2020〕10号 附1 in Word): the Word table idsl renders for 005
and 006, read back into a spec with a 自评表 block — header, funds, goals, targets, points — whose worked
example (the table's actuals and scores) passes, so the imported spec scores as the original."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import idsl
from idsl.cli import main
from idsl.frontend import ast
from idsl.io.importer import import_table
from idsl.io.inputs import read_inputs
from idsl.render.docx import render_docx

ROOT = Path(__file__).resolve().parent.parent
CASES = {"005": ("specs/005_永德县明朗中学2022营养改善计划自评.idsl", "examples/005_inputs.json"),
         "006": ("specs/006_稷山县医保局2020建档立卡个人缴费配套自评.idsl", "examples/006_inputs.json")}


def filled_docx(tmp_path: Path, spec: str, inputs: str) -> tuple[object, object, Path]:
    plan = idsl.load(ROOT / spec)
    given = read_inputs(json.loads((ROOT / inputs).read_text(encoding="utf-8")))
    result = idsl.score(plan, given)
    path = tmp_path / "自评表.docx"
    path.write_bytes(render_docx(plan, result, given))
    return plan, result, path


@pytest.mark.parametrize("name", CASES)
def test_the_imported_form_checks_clean_and_scores_as_the_original(tmp_path, name):
    plan, result, docx = filled_docx(tmp_path, *CASES[name])
    run = CliRunner().invoke(main, ["import", str(docx), "-o", str(tmp_path / "导入.idsl")])
    assert run.exit_code == 0, run.output
    assert "0 个待定" in run.output
    checked = CliRunner().invoke(main, ["check", str(tmp_path / "导入.idsl")])
    assert checked.exit_code == 0 and "0 个错误，0 个警告" in checked.output, checked.output
    tested = CliRunner().invoke(main, ["test", str(tmp_path / "导入.idsl")])
    assert tested.exit_code == 0 and "1 个通过，0 个失败" in tested.output, tested.output
    imported = idsl.load(tmp_path / "导入.idsl")
    # the header, funds and goals as the original's
    for field in ("project", "department", "implementer", "expected", "achieved", "unit"):
        assert getattr(imported.form, field) == getattr(plan.form, field), field
    figures = lambda form: [(r.row, [c.value for c in r.cells]) for r in form.funds]  # noqa: E731
    assert figures(imported.form) == figures(plan.form)
    # the same leaves, points and targets
    leaves = lambda p: [(n.name, n.points, _target(n)) for n in p.leaves()]  # noqa: E731
    assert leaves(imported) == leaves(plan)
    # and its worked example holds the original's scores: the total as scored from the JSON inputs
    example = (tmp_path / "导入.idsl").read_text(encoding="utf-8")
    assert f"期望 总分 = {result.total.normalize():f}" in example


def _target(node):
    rule = node.leaf.rule
    if isinstance(rule, ast.Target):
        return rule.op, rule.target.amount, rule.target.percent, rule.target.unit
    return type(rule).__name__


def test_a_target_the_importer_cannot_read_is_left_to_write(tmp_path):
    kinds = ROOT / "examples" / "kinds"
    _plan, _result, docx = filled_docx(tmp_path, str(kinds / "self_evaluation.idsl"),
                                       str(kinds / "self_evaluation_inputs.json"))
    draft = import_table(docx)
    assert draft.placeholders == (("满意度指标", "服务对象满意度指标", "受益群众满意度"),)
    assert "评分标准 1. 满意度≥90%的，得满分；" in draft.text and "示例" not in draft.text
    assert "目标 实际完成值 ≤ 20 万元" in draft.text and "定性 档次" in draft.text
    assert "    当年财政拨款：100、130、120" in draft.text  # the evaluator's figures, now the table's
