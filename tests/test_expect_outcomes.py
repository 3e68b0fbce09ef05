"""`期望` over the whole table: a 结果's value and whether a veto, the cap or 等级不高于 changed the result."""

from __future__ import annotations

from plans import two_sections

from idsl.engines.worked import run_examples
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.semantics.lower import lower

HEAD = """体系 "例" 总分 10
等级 优：总分 ≥ 9；良：8 ≤ 总分 < 9；中：6 ≤ 总分 < 8；差：总分 < 6
一票否决 若 发生重大安全责任事故
一票否决 产出 若 产出造假
一票否优 若 被通报批评
总分上限 = 资金到位率 × 分值
等级不高于 中 若 任一指标得分率低于 60%
结果 付费比例
  总分 ≥ 9：100%
  8 ≤ 总分 < 9：95%
  否则：0%
输入 发生重大安全责任事故：是否，产出造假：是否，被通报批评：是否，资金到位率：比率

""" + two_sections()


def _example(name: str, accident="否", fake="否", notice="否", funds="100%", done="4", rate="100%", expects=()):
    lines = [f"示例 {name}", f"  设 共用.发生重大安全责任事故 = {accident}", f"  设 共用.产出造假 = {fake}",
             f"  设 共用.被通报批评 = {notice}", f"  设 共用.资金到位率 = {funds}", f"  设 重点工作完成率 = {done}",
             f"  设 完成率 = {rate}"]
    return "\n".join(lines + [f"  期望 {e}" for e in expects]) + "\n"


def _failures(*examples: str) -> dict[str, list[str]]:
    loaded = load_text(Source("o.idsl", HEAD + "\n" + "\n".join(examples)))
    assert not [d for d in loaded.diagnostics if d.severity == "error"]
    return {report.name: [f.message for f in report.failures] for report in run_examples(lower(loaded.spec, loaded.sources))}


def test_expectations_that_hold_pass():
    assert _failures(
        _example("满分", expects=("总分 = 10", "付费比例 = 100%", "一票否决 = 否", "一票否优 = 否", "总分上限 = 否",
                                  "等级不高于 = 否")),
        _example("事故", accident="是", expects=("总分 = 0", "付费比例 = 0%", "一票否决 = 是", "等级 = 差")),
        _example("造假", fake="是", expects=("产出 = 0", "总分 = 4", "一票否决 = 是", "等级不高于 = 否", "等级 = 差")),
        _example("一项过低", done="2", expects=("总分 = 8", "等级不高于 = 是", "等级 = 中", "付费比例 = 95%")),
        _example("通报", notice="是", expects=("等级 = 良", "一票否优 = 是", "付费比例 = 100.0%")),
        _example("到位八成五", funds="85%", expects=("总分 = 8.5", "总分上限 = 是", "付费比例 = 95%")),
    ) == {"满分": [], "事故": [], "造假": [], "一项过低": [], "通报": [], "到位八成五": []}


def test_a_notice_that_lowers_no_grade_is_no_veto_held():
    assert _failures(_example("通报", notice="是", done="2.5", expects=("一票否优 = 是",))) == {
        "通报": ["期望 一票否优 = 是，实际未起作用（没有一票否决、一票否优、总分上限或等级限制起作用）。"]}


def test_expectations_that_fail_say_what_came_out():
    got = _failures(_example("到位八成五", funds="85%", expects=("付费比例 = 100%", "一票否决 = 是", "总分上限 = 否")))
    assert got == {"到位八成五": [
        "期望 付费比例 = 100%，实际 95%（总分 8.5）。",
        "期望 一票否决 = 是，实际未起作用（总分上限为资金到位率×分值，总分由10分降为8.5分。）。",
        "期望 总分上限 = 否，实际起作用（总分上限为资金到位率×分值，总分由10分降为8.5分。）。"]}


def test_a_partial_total_has_no_result_value():
    example = _example("部分", expects=("付费比例 = 0%",)).replace("  设 完成率 = 100%\n", "")
    assert _failures(example) == {"部分": ["期望 付费比例 = 0%，实际没有（有未评的指标，或总分没有算出）。"]}


def test_an_input_an_example_gives_wrongly_is_named_at_its_own_line():
    """An input error of an example (a rate beyond its range) is placed at the 设 that gave it, for 共用 and for a
    leaf's input alike; it was placed at the 示例 line above them all."""
    text = HEAD + "\n" + _example("越界", funds="200%", rate="120%")
    loaded = load_text(Source("o.idsl", text))
    assert not [d for d in loaded.diagnostics if d.severity == "error"]
    report = run_examples(lower(loaded.spec, loaded.sources))[0]
    lines = text.split("\n")
    where = {f.span.line: f.message for f in report.failures if "输入有误" in f.message}
    assert sorted(where) == [n for n, line in enumerate(lines, 1) if "= 200%" in line or "= 120%" in line]
    assert "200%" in where[min(where)] and "120%" in where[max(where)]
