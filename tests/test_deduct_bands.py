"""A band's `扣 N 分`: the points of what the band scores less N, in both engines, the checker, fmt, the 评分标准
text, the reason and idsl import; in a penalty item N itself; E465 where there are no points to deduct from."""

from __future__ import annotations

from decimal import Decimal

import pytest

import idsl
from idsl.check import check
from idsl.engines.batch import score_rows
from idsl.engines.rows import row_from_json
from idsl.frontend import ast
from idsl.frontend.parse import parse
from idsl.frontend.printer import format_spec
from idsl.frontend.resolve import load, load_text
from idsl.frontend.source import Source
from idsl.render.standard import standard_text
from idsl.semantics.lower import lower
from word_tables import imported_table

SPEC = """体系 "例" 总分 15
产出（15）
  完成率（5）
    解释 完成率100%得满分，90%（含）-100%扣1分，80%（含）-90%扣2分，80%以下不得分。
    输入 完成率：比率
    分档 完成率
      完成率 = 100%：得满分
      90%（含）～100%：扣 1 分
      80%（含）～90%：扣 2 分
      80%以下：不得分
  服务对象满意度（4）
    解释 较上年提高的得满分，持平的扣1分，下降的不得分。
    输入 本年满意率：比率，上年满意率：比率
    趋势 本年满意率 较 上年满意率：提高 得满分；持平 扣 1 分；下降 不得分
  任务完成（6）
    解释 按期完成且完成率≥95%得满分，低于95%扣2分；未按期完成不得分。
    输入 是否按期完成：是否，任务完成率：比率
    分档 是否按期完成、任务完成率：是，≥ 95% 得满分；是，< 95% 扣 2 分；否则 不得分

扣分项（5）
  违规（5）
    说明 发现1笔违规扣2分，2笔及以上扣5分。
    输入 违规数：问题数
    分档 违规数：违规数 = 0 不得分；违规数 = 1 扣 2 分；违规数 ≥ 2 得满分
"""

# 完成率 → its score: 扣 1 分 of 5 in 90%（含）～100%, 扣 2 分 in 80%（含）～90%
RATES = {"100%": "5", "99.99%": "4", "90%": "4", "89.99%": "3", "80%": "3", "79.99%": "0"}


def plan_of(text: str):
    loaded = load_text(Source("t.idsl", text))
    errors = [d for d in check(loaded) if d.severity == "error"]
    assert not errors, [str(d) for d in errors]
    return lower(loaded.spec, loaded.sources)


def unit(rate: str = "95%", now: str = "90%", on_time: str = "是", done: str = "90%", found: int = 1) -> dict:
    return {"inputs": {"完成率": {"完成率": rate}, "服务对象满意度": {"本年满意率": now, "上年满意率": "90%"},
                       "任务完成": {"是否按期完成": on_time, "任务完成率": done}, "违规": {"违规数": found}}}


def codes(text: str) -> list[str]:
    return [d.code for d in check(load_text(Source("t.idsl", text))) if d.severity == "error"]


def test_the_band_keeps_what_was_written_and_awards_the_points_less_it():
    spec, diagnostics = parse(Source("t.idsl", SPEC))
    assert not diagnostics
    bands = spec.indicators[0].children[0].body.rule.bands
    assert [(b.outcome.points, b.outcome.deduct) for b in bands[1:3]] == [(4, 1), (3, 2)]  # of 5 points
    assert bands[0].outcome == ast.Fixed(None, span=bands[0].outcome.span)  # 得满分 has no deduction
    item = spec.adjustments[0].items[0].body.rule.bands[1].outcome
    assert (item.points, item.deduct) == (Decimal(2), Decimal(2))  # a penalty item's rule gives the deduction


def test_fmt_prints_the_deduction_as_written_and_reads_it_back():
    spec, _ = parse(Source("t.idsl", SPEC))
    printed = format_spec(spec)
    for written in ("      90%（含）～100%：扣 1 分\n", "持平 扣 1 分；", "是，< 95%：扣 2 分", "违规数 = 1：扣 2 分"):
        assert written in printed, printed
    again, _ = parse(Source("t.idsl", printed))
    assert format_spec(again) == printed and again.indicators == spec.indicators


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_both_engines_score_the_points_less_the_deduction(engine):
    plan = plan_of(SPEC)
    rows = [row_from_json(plan, {**unit(rate), "unit": rate}) for rate in RATES]
    rows.append(row_from_json(plan, {**unit(now="88%", on_time="否", found=3), "unit": "其他"}))
    scored, errors = score_rows(plan, rows, engine=engine)
    assert not errors
    assert [Decimal(str(r["产出/完成率"])) for r in scored[:len(RATES)]] == [Decimal(s) for s in RATES.values()]
    first, other = scored[0], scored[-1]
    assert [Decimal(str(first[p])) for p in ("产出/服务对象满意度", "产出/任务完成", "扣分项/违规")] == [3, 4, 2]
    assert [Decimal(str(other[p])) for p in ("产出/服务对象满意度", "产出/任务完成", "扣分项/违规")] == [0, 0, 5]


def test_the_reason_says_the_deduction_then_the_score():
    result = idsl.score(plan_of(SPEC), unit())
    assert result.node("产出/完成率").reason == "完成率为95%，在90%（含）～100%之间，扣1分，得4分。"
    assert result.node("产出/服务对象满意度").reason == "本年满意率较上年满意率持平（相差0%），扣1分，得3分。"
    assert result.node("产出/任务完成").reason == "是否按期完成为是，任务完成率为90%，属“是，任务完成率<95%”一档，扣2分，得4分。"
    assert result.total == Decimal(9)  # 4 + 3 + 4 less the penalty item's 2


def test_the_standard_text_prints_the_deduction_as_the_tables_do():
    texts = {"/".join(n.path): standard_text(n) for n in plan_of(SPEC).leaves()}
    assert texts["产出/完成率"].splitlines()[1:3] == ["2. 完成率在90%（含）至100%之间的，扣1分；",
                                                   "3. 完成率在80%（含）至90%之间的，扣2分；"]
    assert "持平的，扣1分；" in texts["产出/服务对象满意度"]
    assert "完成率<95%扣2分" in texts["产出/任务完成"]


def test_a_part_deducts_from_its_own_points_and_a_weight_from_the_derived_ones():
    parts = ("体系 \"例\" 总分 10\n产出（10）\n  完成情况（10）\n    解释 例\n"
             "    分项 数量（6）\n      输入 完成率：比率\n      分档 完成率：≥ 90% 得满分；< 90% 扣 1 分\n"
             "    分项 时效（4）\n      输入 及时率：比率\n      分档 及时率：≥ 90% 得满分；< 90% 扣 1 分\n")
    result = idsl.score(plan_of(parts), {"inputs": {"完成情况": {"完成率": "50%", "及时率": "50%"}}})
    assert result.node("产出/完成情况").score == Decimal(8)  # (6 − 1) + (4 − 1)
    weighted = ("体系 \"例\" 总分 10\n产出（权重 100%）\n  完成率（50%）\n    解释 例\n    输入 完成率：比率\n"
                "    分档 完成率：≥ 90% 得满分；< 90% 扣 1 分\n  及时率（权重 50%）\n    解释 例\n    输入 及时率：比率\n"
                "    分档 及时率：≥ 90% 得满分；< 90% 扣 2 分\n")
    scored = idsl.score(plan_of(weighted), {"inputs": {"完成率": {"完成率": "50%"}, "及时率": {"及时率": "50%"}}})
    assert scored.total == Decimal(7)  # (5 − 1) + (5 − 2): the weights' points, derived on loading


def test_a_rule_by_class_deducts_from_the_leaf_points():
    text = ("体系 \"例\" 总分 6\n单位类别 行政单位、事业单位\n预算执行（6）\n  预算执行率（6）\n    解释 例\n"
            "    输入 执行率：比率\n    按类别\n      行政单位：分档 执行率：执行率 ≥ 95% 得满分；执行率 < 95% 扣 2 分\n"
            "      事业单位：分档 执行率：执行率 ≥ 90% 得满分；执行率 < 90% 扣 3 分\n")
    plan = plan_of(text)
    scores = [idsl.score(plan, {"inputs": {"共用": {"单位类别": kind}, "预算执行率": {"执行率": "80%"}}}).total
              for kind in ("行政单位", "事业单位")]
    assert scores == [Decimal(4), Decimal(3)]


def test_a_deduction_past_the_points_is_e402_at_the_band():
    text = SPEC.replace("80%（含）～90%：扣 2 分", "80%（含）～90%：扣 6 分")
    found = [d for d in check(load_text(Source("t.idsl", text))) if d.code == "E402"]
    assert [(d.message, d.span.line, d.span.column) for d in found] == [
        ("这一档扣 6 分，超过“完成率”的分值 5 分，会给出负分（-1 分）。", 9, 23)]  # at `扣 6 分`
    assert "最多扣 5 分" in found[0].hint


def test_a_deduction_in_a_bonus_item_or_under_points_to_fill_is_e465():
    bonus = SPEC + "\n加分项（3）\n  获得表彰（3）\n    说明 例\n    输入 表彰数：问题数\n" \
                   "    分档 表彰数：表彰数 ≥ 2 得满分；表彰数 = 1 扣 1 分；否则 不得分\n"
    found = [d for d in check(load_text(Source("t.idsl", bonus))) if d.code == "E465"]
    assert [(d.path, d.span.line) for d in found] == [(("加分项", "获得表彰"), 30)]
    assert "得 N 分" in found[0].hint
    unfilled = SPEC.replace("  完成率（5）", "  完成率（？）")
    found = [d for d in check(load_text(Source("t.idsl", unfilled))) if d.code == "E465"]
    assert [d.path for d in found] == [("产出", "完成率")] * 2 and "（？）" in found[0].hint
    assert "E465" not in codes(SPEC)


def _import(tmp_path, rule: str):
    return imported_table(tmp_path, [("一级指标", "二级指标", "三级指标", "分值", "评分标准"),
                                     ("产出（5）", "质量指标（5）", "完成率指标", "5", rule)])


@pytest.mark.parametrize("rule", ["完成率=100%得满分，90%（含）-100%扣1分，80%（含）-90%扣2分，80%以下不得分。",
                                  "1. 完成率=100%的，得满分；\n2. 完成率在90%（含）至100%之间的，扣1分；\n"
                                  "3. 完成率在80%（含）至90%之间的，扣2分；\n4. 完成率80%以下的，得0分。"],
                         ids=["compact", "numbered"])
def test_import_reads_a_deduction_into_the_band_as_written(tmp_path, rule):
    draft = _import(tmp_path, rule)
    assert draft.kinds == {"分档": 1} and "90%（含）～100%：扣 1 分" in draft.text, draft.text
    plan = plan_of(draft.text)
    scores = {rate: idsl.score(plan, {"inputs": {"完成率指标": {"完成率": rate}}}).total for rate in ("95%", "85%")}
    assert scores == {"95%": Decimal(4), "85%": Decimal(3)}


def test_an_importer_giving_the_leaf_other_points_deducts_from_those(tmp_path):
    (tmp_path / "共性.idsl").write_text('体系 "例" 总分 5\n产出（5）\n  完成率（5）\n    解释 例\n    输入 完成率：比率\n'
                                      "    分档 完成率：≥ 90% 得满分；< 90% 扣 1 分\n", encoding="utf-8")
    (tmp_path / "本级.idsl").write_text('引用 "共性.idsl"\n体系 "例" 总分 4\n产出（4）\n  完成率（4）\n', encoding="utf-8")
    loaded = load(tmp_path / "本级.idsl")
    assert not [d for d in check(loaded) if d.severity == "error"]
    result = idsl.score(lower(loaded.spec, loaded.sources), {"inputs": {"完成率": {"完成率": "50%"}}})
    assert (result.total, result.node("产出/完成率").reason) == (Decimal(3), "完成率为50%，低于90%，扣1分，得3分。")


NO_DEDUCTION = """体系 "例" 总分 10
过程（5）
  执行率（5）
    解释 预算执行率≥95%不扣分，90%（含）-95%扣1分，90%以下不得分。
    输入 预算执行率：比率
    分档 预算执行率
      预算执行率 ≥ 95%：不扣分
      90%（含）～95%：扣 1 分
      90%以下：不得分
产出（5）
  任务（5）
    解释 按期完成且完成率≥95%不扣分，低于95%扣2分；未按期完成不得分。
    输入 按期完成：是否，完成率：比率
    分档 按期完成、完成率：是，≥ 95% 不扣分；是，< 95% 扣 2 分；否则 不得分

扣分项（5）
  通报（5）
    说明 未被通报的不扣分，被通报1次扣2分，2次及以上扣5分。
    输入 通报次数：问题数
    分档 通报次数：通报次数 = 0 不扣分；通报次数 = 1 扣 2 分；通报次数 ≥ 2 扣 5 分
"""


def test_no_deduction_is_the_points_in_a_scored_indicator_and_nothing_in_a_penalty_item():
    """`不扣分` (the tables' 不扣分 beside 扣1分) is `扣 0 分`: the leaf's points, a penalty item's 0."""
    spec, diagnostics = parse(Source("t.idsl", NO_DEDUCTION))
    assert not diagnostics
    top = spec.indicators[0].children[0].body.rule.bands[0].outcome
    assert (top.points, top.deduct) == (Decimal(5), Decimal(0))
    item = spec.adjustments[0].items[0].body.rule.bands[0].outcome
    assert (item.points, item.deduct) == (Decimal(0), Decimal(0))
    printed = format_spec(spec)
    assert "预算执行率 ≥ 95%：不扣分\n" in printed and "通报次数 = 0：不扣分\n" in printed
    assert format_spec(parse(Source("t.idsl", printed))[0]) == printed
    english = NO_DEDUCTION.replace("预算执行率 ≥ 95%：不扣分", "预算执行率 ≥ 95%：no-deduction")
    assert parse(Source("t.idsl", english))[0].indicators == spec.indicators


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_both_engines_score_no_deduction_as_the_points(engine):
    plan = plan_of(NO_DEDUCTION)
    cases = {"好": ("96%", "是", 0), "中": ("92%", "是", 1), "差": ("80%", "否", 3)}
    rows = [row_from_json(plan, {"unit": name, "inputs": {"执行率": {"预算执行率": rate},
                                                          "任务": {"按期完成": done, "完成率": rate},
                                                          "通报": {"通报次数": found}}})
            for name, (rate, done, found) in cases.items()]
    scored, errors = score_rows(plan, rows, engine=engine)
    assert not errors
    paths = ("过程/执行率", "产出/任务", "扣分项/通报", "总分")
    assert [[Decimal(str(r[p])) for p in paths] for r in scored] == [[5, 5, 0, 10], [4, 3, 2, 5], [0, 0, 5, 0]]


def test_no_deduction_is_said_as_written_in_the_reason_and_the_standard():
    result = idsl.score(plan_of(NO_DEDUCTION), {"inputs": {"执行率": {"预算执行率": "96%"},
                                                           "任务": {"按期完成": "是", "完成率": "96%"},
                                                           "通报": {"通报次数": 0}}})
    assert result.node("过程/执行率").reason == "预算执行率为96%，不扣分，得5分。"
    assert result.node("产出/任务").reason == "按期完成为是，完成率为96%，属“是，完成率≥95%”一档，不扣分，得5分。"
    texts = {"/".join(n.path): standard_text(n) for n in plan_of(NO_DEDUCTION).leaves()}
    assert texts["过程/执行率"].splitlines()[0] == "1. 预算执行率≥95%的，不扣分；"


def test_no_deduction_needs_no_points_but_is_no_bonus():
    """Under points still to fill `不扣分` is 得满分 whatever they will be (no E465); a bonus item's rule says what it
    adds, so `不扣分` there is E465 as `扣 N 分` is."""
    unfilled = NO_DEDUCTION.replace("  执行率（5）", "  执行率（？）").replace("90%（含）～95%：扣 1 分", "90%（含）～95%：得 4 分")
    assert "E465" not in codes(unfilled)
    bonus = NO_DEDUCTION + "\n加分项（3）\n  获得表彰（3）\n    说明 例\n    输入 表彰数：问题数\n" \
                           "    分档 表彰数：表彰数 ≥ 1 得满分；否则 不扣分\n"
    found = [d for d in check(load_text(Source("t.idsl", bonus))) if d.code == "E465"]
    assert [(d.path, d.message) for d in found] == [
        (("加分项", "获得表彰"), "加分项的规则给的是加分，这一档的“不扣分”没有说加几分。")]


@pytest.mark.parametrize("kind", ["score", "penalty"])
def test_import_reads_no_deduction_as_written(tmp_path, kind):
    """预算执行率≥95%不扣分 was drafted as 不得分 (0 points for the best band) in a scored indicator."""
    text = "预算执行率≥95%不扣分，90%（含）-95%扣1分，90%以下扣5分。"
    level = ("过程（5）", "执行（5）") if kind == "score" else ("逆向指标", "")
    draft = imported_table(tmp_path, [("一级指标", "二级指标", "三级指标", "分值", "评分标准"),
                                      ("产出（5）", "质量指标（5）", "完成率指标", "5", "由评价人员酌情评分，须说明理由。"),
                                      (*level, "执行率", "5", text)])
    assert "预算执行率 ≥ 95%：不扣分" in draft.text, draft.text
    plan = plan_of(draft.text)
    inputs = {"完成率指标": {"得分": "5", "理由": "无"}, "执行率": {"预算执行率": "96%"}}
    assert idsl.score(plan, {"inputs": inputs}).node(
        "过程/执行/执行率" if kind == "score" else "逆向指标/执行率").score == (5 if kind == "score" else 0)
