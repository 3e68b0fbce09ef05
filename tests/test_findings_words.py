"""A count of findings may carry a plain counting word (2 项, 3笔, 1 次) in every reader, as a worked example's
`设 … = 2 笔` always could; a unit that counts no findings (万次, 元) is refused with the count's own word."""

from __future__ import annotations

from decimal import Decimal

import pytest

from idsl.check import check
from idsl.engines.batch import score_rows
from idsl.engines.python import score
from idsl.engines.rows import row_from_json
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.inputs import read_inputs
from idsl.semantics.lower import lower

SPEC = ('体系 "例" 总分 5\n预算编制（5）\n  预算编制规范性（5）\n    解释 例。\n'
        "    输入 违规笔数：问题数\n    按项扣分 违规笔数 每项 1 分，扣完为止\n"
        "示例 两笔\n  设 预算编制规范性.违规笔数 = 2 笔\n  期望 预算编制规范性 = 3\n")
KEY = "预算编制/预算编制规范性"


@pytest.fixture(scope="module")
def plan():
    loaded = load_text(Source("t.idsl", SPEC))
    assert not [d for d in check(loaded) if d.severity == "error"]
    return lower(loaded.spec, loaded.sources)


def _both_engines(plan, value: str):
    """The leaf's score or the problem's message, the same in DuckDB and in the interpreter's batch."""
    rows = [row_from_json(plan, {"unit": "甲", "inputs": {"预算编制规范性": {"违规笔数": value}}})]
    results = [score_rows(plan, rows, engine=engine) for engine in ("duckdb", "python")]
    (by_duckdb, duck_errors), (by_python, python_errors) = results
    assert [e.message for e in duck_errors] == [e.message for e in python_errors]
    assert by_duckdb == by_python
    return (Decimal(str(by_python[0][KEY])) if by_python else None), [e.message for e in python_errors]


@pytest.mark.parametrize("written", ["2", "2 笔", "2笔", "2 项", "2 次"])
def test_a_counting_word_is_read_as_the_count(plan, written):
    one = next(n.score for n in score(plan, read_inputs({"inputs": {"预算编制规范性": {"违规笔数": written}}})).nodes
               if n.key == KEY)
    assert one == Decimal(3)
    assert _both_engines(plan, written) == (Decimal(3), [])


@pytest.mark.parametrize("written, unit", [("2 万次", "万次"), ("2 元", "元")])
def test_a_unit_that_counts_no_findings_is_refused_naming_the_counts_word(plan, written, unit):
    message = f"“违规笔数”是问题的个数，这里写了“{unit}”：“{written}”。"
    [error] = score(plan, read_inputs({"inputs": {"预算编制规范性": {"违规笔数": written}}})).errors
    assert (error.field, error.message, error.hint) == ("违规笔数", message, '只填个数，例如 "2" 或 "2笔"。')
    assert _both_engines(plan, written) == (None, [message + "（只填个数，例如 \"2\" 或 \"2笔\"。）"])
