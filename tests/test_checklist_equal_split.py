"""要素 均分 (§11.1): the points split equally over the elements stay exact; the score is rounded once."""

from __future__ import annotations

from decimal import Decimal
from itertools import product
from pathlib import Path

from idsl.engines.batch import score_rows
from idsl.frontend.resolve import load
from idsl.semantics.lower import lower

CASE = Path(__file__).parent / "cases" / "score" / "checklist_equal_split.idsl"


def test_both_engines_score_every_answer_exactly():
    """5 points over 3 elements: k met score half_up(5k/3), never k × 1.67 (two met: 3.33, not 3.34)."""
    loaded = load(CASE)
    plan = lower(loaded.spec, loaded.sources)
    rows = []
    for number, answers in enumerate(product("是否", repeat=3)):
        row = {"单位": f"单位{number}", **{f"目标设定/绩效目标合理性.要素{i}": a for i, a in enumerate(answers, 1)}}
        row.update({f"目标设定/绩效指标明确性.要素{i}": "是" if i <= number % 7 else "否" for i in range(1, 7)})
        rows.append(row)
    python, python_errors = score_rows(plan, rows, engine="python")
    sql, sql_errors = score_rows(plan, rows, engine="duckdb")
    assert not python_errors and not sql_errors
    assert python == sql
    expected = {0: "0.00", 1: "1.67", 2: "3.33", 3: "5.00"}
    for row, result in zip(rows, sql):
        met = sum(row[f"目标设定/绩效目标合理性.要素{i}"] == "是" for i in (1, 2, 3))
        assert result["目标设定/绩效目标合理性"] == Decimal(expected[met])
    sevenths = {0: "0.00", 1: "1.17", 2: "2.33", 3: "3.50", 4: "4.67", 5: "5.83", 6: "7.00"}  # 7k/6
    assert [r["目标设定/绩效指标明确性"] for r in sql] == [Decimal(sevenths[n % 7]) for n in range(8)]
