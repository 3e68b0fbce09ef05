"""A leaf's own floor and decimals (最低 -2 分, 小数 4 位, §11.14): both engines, the checker, the tables."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest

import idsl
from docx_structure import docx_structure, texts_of
from idsl.engines.batch import score_file
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.inputs import read_inputs
from idsl.io.tables import write_csv
from idsl.render.docx import render_docx
from idsl.semantics.lower import lower

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "cases" / "score" / "places.idsl"


def _check(text: str) -> list[str]:
    from idsl.check.suite import check_spec
    loaded = load_text(Source("t.idsl", text))
    return [d.code for d in loaded.diagnostics] + [d.code for d in check_spec(loaded.spec, loaded.sources)]


def _leaf(body: str, points: str = "4") -> str:
    return f'体系 "例" 总分 {points}\n管理（{points}）\n  问题整改（{points}）\n    解释 例。\n' + "".join(
        f"    {line}\n" for line in body.strip().splitlines())


@pytest.fixture(scope="module")
def plan():
    return lower(load_text(Source(str(SPEC), SPEC.read_text(encoding="utf-8"))).spec)


def test_a_deduction_past_zero_needs_a_floor_and_stays_above_it():
    per_finding = "输入 问题数：问题数\n按项扣分 问题数 每项 1 分"
    assert _check(_leaf(per_finding)) == []  # 按项扣分 stops at 0 by itself
    formula = "输入 完成率：比率，差错率：比率\n得分 = (完成率 - 差错率) × 分值"
    assert "E402" in _check(_leaf(formula))  # down to -4
    assert "E402" in _check(_leaf(formula + "\n最低 -2 分"))  # still below -2
    capped = "输入 完成率：比率，差错率：比率 范围 0%～50%\n得分 = (完成率 - 差错率) × 分值"
    assert "E402" in _check(_leaf(capped)) and "E402" not in _check(_leaf(capped + "\n最低 -2 分"))


def test_the_floor_must_be_negative_written_once_and_under_a_plain_leaf():
    rule = "输入 问题数：问题数\n按项扣分 问题数 每项 1 分"
    assert _check(_leaf(rule + "\n最低 0 分")) == ["E428"]
    assert "E428" in _check(_leaf(rule + "\n最低 -1 分\n最低 -2 分"))
    assert "E428" in _check(_leaf("酌情\n最低 -1 分"))


def test_a_leaf_may_have_points_as_fine_as_its_own_places():
    text = ('体系 "例" 总分 10\n管理（10）\n' + "".join(
        f"  指标{n}（{p}）\n    解释 例。\n    酌情\n    小数 4 位\n" for n, p in ((1, "3.3333"), (2, "3.3333")))
        + "  指标3（3.3334）\n    解释 例。\n    酌情\n")
    assert _check(text) == ["E307"]  # only 指标3, at the header's 2 places


def test_scores_round_at_the_leaf_sums_at_the_header(plan):
    result = idsl.score(plan, read_inputs(SPEC.with_suffix(".inputs.json")))
    assert result.node("资金使用").score == Decimal("0.9990")
    assert result.node("问题整改").score == Decimal("-1.00")
    assert result.node("支出进度").score == Decimal("-1.00")  # held at its 最低 after 另扣
    assert result.node("管理").score == Decimal("-1.00")  # −1 + 0.999 − 1 rounded at 2 places
    assert result.total == Decimal("0.00")  # the total is still held at 0
    assert result.node("服务对象满意度").score == 0  # 不得分 by its 计分条件: no 另加


def test_both_engines_agree_on_floors_and_places(plan, tmp_path):
    randomly = random.Random(11)
    headers = ["单位", "管理/问题整改.问题数", "管理/资金使用.使用率", "管理/支出进度.进度", "管理/支出进度.违规",
               "满意度/服务对象满意度.有效样本", "满意度/服务对象满意度.满意率", "满意度/服务对象满意度.表扬"]
    rows = [[f"U{n}", str(randomly.randint(0, 8)), f"{randomly.randint(0, 10 ** 6) / 10 ** 4}%",
             f"{randomly.randint(600, 1000) / 10}%", str(randomly.randint(0, 3)), str(randomly.randint(0, 60)),
             f"{randomly.randint(0, 100)}%", str(randomly.randint(0, 2))] for n in range(200)]
    units = tmp_path / "units.csv"
    write_csv(units, headers, rows)
    by_duckdb = score_file(plan, units, tmp_path / "a.csv", engine="duckdb")
    by_python = score_file(plan, units, tmp_path / "b.csv", engine="python")
    assert by_duckdb.scored == by_python.scored == 200
    written = (tmp_path / "a.csv").read_text(encoding="utf-8-sig")
    assert written == (tmp_path / "b.csv").read_text(encoding="utf-8-sig")
    lines = written.splitlines()
    assert any(",-" in line for line in lines[1:])  # some leaf below 0
    assert all(len(line.split(",")[2].split(".")[1]) == 4 for line in lines[1:])  # 资金使用 at 4 places


def test_the_word_table_shows_the_negative_and_the_finer_scores(plan):
    result = idsl.score(plan, read_inputs(SPEC.with_suffix(".inputs.json")))
    texts = texts_of(docx_structure(render_docx(plan, result))).splitlines()
    assert "-1" in texts and "0.999" in texts
    assert any("最低得-2分" in t for t in texts) and any("保留4位小数" in t for t in texts)


RESCALED = """体系 "例" 总分 13.5
过程（13.5）
  目标设定（4）
    解释 例。
    酌情
    小数 3 位
  设定（7）
    解释 例。
    不适用 剔除
    酌情
  条例（2.5）
    解释 例。
    酌情
"""


def test_a_rescaled_branch_rounds_once_from_the_finer_sum(tmp_path):
    # 3.956 + 2.5 = 6.456 over the 6.5 points that apply, × 13.5 = 13.4086…: 13.41, not 13.42 (6.46 × 13.5 ÷ 6.5)
    plan = lower(load_text(Source("r.idsl", RESCALED)).spec)
    inputs = {"inputs": {"过程/目标设定": {"得分": "3.956", "理由": "例"}, "过程/设定": {"不适用": True},
                         "过程/条例": {"得分": "2.5", "理由": "例"}}}
    assert idsl.score(plan, inputs).node("过程").score == Decimal("13.41")
    units = tmp_path / "units.csv"
    write_csv(units, ["单位", "过程/目标设定.得分", "过程/目标设定.理由", "过程/设定.得分", "过程/设定.理由", "过程/设定.不适用",
                       "过程/条例.得分", "过程/条例.理由"], [["U1", "3.956", "例", "", "", "是", "2.5", "例"]])
    for engine in ("duckdb", "python"):
        assert score_file(plan, units, tmp_path / f"{engine}.csv", engine=engine).scored == 1
        assert "13.41" in (tmp_path / f"{engine}.csv").read_text(encoding="utf-8-sig").splitlines()[1].split(",")
