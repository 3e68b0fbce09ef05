"""评级 leaves and parts: W521's words on them, and a grade per 评级 part in every input (JSON, workbook, batch)."""

from __future__ import annotations

from decimal import Decimal

import pytest

import idsl
from idsl.check import check
from idsl.engines.batch import score_rows
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.inputs import read_inputs
from idsl.semantics.lower import lower


def _load(text: str):
    loaded = load_text(Source("g.idsl", text))
    return loaded, lower(loaded.spec, loaded.sources)


def _leaf(rule: str) -> str:
    return ('体系 "例" 总分 10\n管理（10）\n  制度执行（10）\n    解释 制度执行是否有效。\n    扣分须说明理由\n'
            + ("    输入 档次：选项 达成/部分达成/未达成\n" if rule.startswith("定性") else "") + f"    {rule}\n")


def _w521(rule: str) -> list[str]:
    loaded, _plan = _load(_leaf(rule))
    return [d.message for d in check(loaded) if d.code == "W521"]


def test_w521_speaks_of_the_rule_that_asks_the_reason():
    assert _w521("酌情") == ["酌情评分本来就须写理由，“扣分须说明理由”是多余的。"]
    assert _w521("定性 档次") == ["定性评为最高档以外的本来就须写理由，“扣分须说明理由”只多要求最高档内未得满分的也写理由。"]
    assert _w521("评级 优：90%～100%；良：75%～90%；差：0～75%，须说明理由") == [
        "评级（须说明理由）评为最高等级以外的本来就须写理由，“扣分须说明理由”只多要求最高等级内未得满分的也写理由。"]


@pytest.mark.parametrize("engine", ("python", "duckdb"))
def test_a_grade_that_asks_no_reason_needs_one_below_the_points_under_the_line(engine):
    rule = "评级 优：90%～100%；良：75%～90%；差：0～75%"
    assert _w521(rule) == []
    _loaded, plan = _load(_leaf(rule))
    row = {"单位": "甲", "管理/制度执行.等级": "优", "管理/制度执行.得分": "9.5"}
    results, errors = score_rows(plan, [row, {**row, "单位": "乙", "管理/制度执行.理由": "台账不全"},
                                        {**row, "单位": "丙", "管理/制度执行.得分": "10"}], engine=engine)
    assert [e.unit for e in errors] == ["甲"] and "理由" in str(errors[0])
    assert {r["单位"]: r["总分"] for r in results if r["总分"] is not None} == {"乙": Decimal("9.5"), "丙": Decimal(10)}
