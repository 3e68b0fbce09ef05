"""A rate's bad value says what to write, in the JSON reader and both batch engines alike: words with no number
in them want a number with % (`values.RATE_WANTED`), not that word with a % after it; a value out of range names
the range the input declares, not a range the spec does not have."""

from __future__ import annotations

from pathlib import Path

import pytest

import idsl
from idsl.engines.cellwords import with_hint
from idsl.io.inputs import read_inputs
from idsl.io.values import RATE_WANTED
from plans import score_with_both_engines, unit_table

SPEC = """体系 "比率" 总分 10

甲（10）
  乙（10）
    丙（5）
      输入 执行率：比率
      分档 执行率：执行率 ≥ 90% 得满分；否则 不得分
    丁（5）
      输入 变动率：比率 范围 -50%～150%
      分档 变动率：变动率 ≥ 0% 得满分；否则 不得分
"""
RANGE_HINT = "应填 {} 之内的比率；超出是实情时，在体系里这个比率的声明后写更宽的“范围 低～高”。"


@pytest.fixture
def plan(tmp_path: Path):
    spec = tmp_path / "rates.idsl"
    spec.write_text(SPEC, encoding="utf-8")
    return idsl.load(spec)


def _errors(plan, execution: str, change: str = "10%") -> list[tuple[str, str, str | None]]:
    result = idsl.score(plan, read_inputs({"inputs": {"丙": {"执行率": execution}, "丁": {"变动率": change}}}))
    return [(e.field, e.message, e.hint) for e in result.errors]


@pytest.mark.parametrize("words", ["很多", "很多%", "基本完成"])
def test_words_for_a_rate_ask_for_a_number_with_percent(plan, words):
    assert _errors(plan, words) == [("执行率", f"应填一个数，这里是 “{words}”。", RATE_WANTED)]
    assert "%" in RATE_WANTED and f"{words}%" not in RATE_WANTED


def test_a_bare_number_for_a_rate_still_asks_for_its_percent(plan):
    assert _errors(plan, "95") == [("执行率", "比率写成文字时要带 %，例如 \"95%\"。", None)]


def test_a_bare_fraction_for_a_rate_gives_both_readings(plan):
    """Text 0.95 (a workbook's text cell, a JSON string) was told 例如 "0.95%", which is rarely what was meant: it
    reads as 0.95% or 95%, as a JSON number 0.95 or a batch cell 0.95 is told."""
    assert _errors(plan, "0.95") == [("执行率", "比率写的是 “0.95”，没有带 %：是 0.95% 还是 95%？",
                                      "-1 到 1 之间的比率请带 % 写，如 \"95%\" 或 \"0.95%\"。")]
    assert _errors(plan, "0") == [("执行率", "比率写成文字时要带 %，例如 \"0%\"。", None)]


@pytest.mark.parametrize("value, message, shown_range", [
    ("-5%", "值 -5% 超出允许范围 0%～100%。", "0%～100%"),  # the default range of a rate
    ("120%", "值 120% 超出允许范围 0%～100%。", "0%～100%"),
])
def test_a_rate_out_of_its_default_range_names_that_range(plan, value, message, shown_range):
    assert _errors(plan, value) == [("执行率", message, RANGE_HINT.format(shown_range))]


@pytest.mark.parametrize("value", ["-60%", "151%"])
def test_a_rate_out_of_its_declared_range_names_the_declared_range(plan, value):
    [(field, message, hint)] = _errors(plan, "95%", value)
    assert (field, message) == ("变动率", f"值 {value} 超出允许范围 -50%～150%。")
    assert hint == RANGE_HINT.format("-50%～150%") and "200%" not in hint


def test_both_batch_engines_give_the_same_hints(plan, tmp_path):
    rows = [{"单位": "甲局", "甲/乙/丙.执行率": "很多", "甲/乙/丁.变动率": "10%"},
            {"单位": "乙局", "甲/乙/丙.执行率": "95%", "甲/乙/丁.变动率": "-60%"}]
    units = unit_table(tmp_path, plan, rows)
    for listing in score_with_both_engines(plan, units, tmp_path, False):
        assert [(e.unit, e.column, e.message) for e in listing.errors] == [
            ("甲局", "甲/乙/丙.执行率", with_hint("应填一个数，这里是 “很多”。", RATE_WANTED)),
            ("乙局", "甲/乙/丁.变动率", with_hint("值 -60% 超出允许范围 -50%～150%。", RANGE_HINT.format("-50%～150%")))]
