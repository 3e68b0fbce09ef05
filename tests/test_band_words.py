"""及以上 / 及以下 and ranges written high end first: both engines at the boundaries, fmt, the 评分标准 text, the
E404 hint's edit applied, equal ends, and idsl import of band and grade texts."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from docx import Document

import idsl

from idsl.check import check
from idsl.engines.batch import score_rows
from idsl.engines.rows import row_from_json
from idsl.frontend.parse import parse
from idsl.frontend.printer import format_spec
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.importer import import_table
from idsl.render.standard import standard_text
from idsl.semantics.lower import lower
from tests.plans import ROOT

SPEC = (ROOT / "tests" / "cases" / "score" / "band_words.idsl").read_text(encoding="utf-8")
RATE_LEAVES = ("产出/九成及以上", "产出/六成及以下", "产出/倒写的范围", "产出/倒写的短横")
# rate → the four rate leaves' scores: 90%及以上 holds 90%, 60%及以下 60%; 100%～80%（含） is 80%（含）～100%;
# 90%-80% is the range 80%～90%, both ends held
RATES = {"60%": (0, 0, 0, 0), "60.01%": (0, 6, 0, 0), "79.99%": (0, 6, 0, 0), "80%": (8, 6, 8, 8),
         "80.01%": (8, 10, 8, 8), "89.99%": (8, 10, 8, 8), "90%": (10, 10, 8, 8), "90.01%": (10, 10, 8, 10),
         "99.99%": (10, 10, 8, 10), "100%": (10, 10, 10, 10)}
# 受益人数: 90 人 以上 yields 90 to 90（含）～80 人 (80 < n ≤ 90), 80 人 及以下 holds 80
COUNTS = {80: 0, 81: 6, 90: 6, 91: 10}


def plan_of(text: str):
    loaded = load_text(Source("t.idsl", text))
    errors = [d for d in check(loaded) if d.severity == "error"]
    assert not errors, [str(d) for d in errors]
    return lower(loaded.spec, loaded.sources)


def unit(rate: str, count: int = 85) -> dict:
    return {"inputs": {"九成及以上": {"完成率": rate}, "六成及以下": {"合格率": rate}, "倒写的范围": {"执行率": rate},
                       "倒写的短横": {"达标率": rate}, "受益人数": {"受益人数": count}}}


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_both_engines_score_the_boundaries_as_the_words_say(engine):
    plan = plan_of(SPEC)
    rows = [row_from_json(plan, {**unit(rate), "unit": rate}) for rate in RATES]
    rows += [row_from_json(plan, {**unit("90%", n), "unit": str(n)}) for n in COUNTS]
    scored, errors = score_rows(plan, rows, engine=engine)
    assert not errors
    got = [tuple(Decimal(str(r[leaf])) for leaf in RATE_LEAVES) for r in scored[:len(RATES)]]
    assert got == [tuple(Decimal(s) for s in scores) for scores in RATES.values()]
    assert [Decimal(str(r["产出/受益人数"])) for r in scored[len(RATES):]] == [Decimal(s) for s in COUNTS.values()]


def test_fmt_writes_the_ranges_low_end_first_and_keeps_ji():
    spec, diagnostics = parse(Source("t.idsl", SPEC))
    assert not diagnostics
    printed = format_spec(spec)
    for written in ("90%及以上：得满分", "60%及以下：不得分", "80%（含）～100%：得 8 分", "80%～90%：得 8 分",
                    "80～90 人（含）：得 6 分", "80 人及以下：不得分"):
        assert f"      {written}\n" in printed
    again, _ = parse(Source("t.idsl", printed))
    assert format_spec(again) == printed and again.indicators == spec.indicators


def test_the_standard_text_prints_ji_and_the_low_end_first():
    texts = {"/".join(n.path): standard_text(n) for n in plan_of(SPEC).leaves()}
    assert "完成率90%及以上的，得满分" in texts["产出/九成及以上"]
    assert "合格率60%及以下的，得0分" in texts["产出/六成及以下"]
    assert "执行率在80%（含）至100%之间的，得8分" in texts["产出/倒写的范围"]


def band_spec(bands: str) -> str:
    return ('体系 "例" 总分 3\n质量指标（3）\n  社会参保服务工作效率（3）\n    解释 例\n'
            f'    输入 达标率：比率\n    分档 达标率：{bands}\n')


def e404(text: str) -> list:
    return [d for d in check(load_text(Source("t.idsl", text))) if d.code == "E404"]


HINTED = {"001": ("90%以上得满分；60%～90%得2分；60%以下不得分", "把“60%～90%”写成“60%（含）～90%”"),
          "ji": ("90%及以上得满分；90%及以下不得分", "把“90%及以下”写成“90%以下”"),
          "both_marked": ("90%（含）以上得满分；80%～90%（含）得2分；80%以下不得分", "把“80%～90%（含）”写成“80%（含）～90%”"),
          "high_first": ("90%及以上得满分；90%～60%得2分；60%以下不得分", "把“90%～60%”写成“60%（含）～90%”"),
          # 及 holds both ends against the range: only the range leaving both out clears 90% and 60% at once
          "ji_both_ends": ("90%及以上得满分；60%～90%得 2 分；60%及以下不得分", "把“60%～90%”写成“60% < 达标率 < 90%”"),
          "chain": ("达标率 ≥ 90% 得满分；60% ≤ 达标率 ≤ 90% 得 2 分；达标率 ≤ 60% 不得分",
                    "把“60% ≤ 达标率 ≤ 90%”写成“60% < 达标率 < 90%”")}


@pytest.mark.parametrize(("bands", "edit"), HINTED.values(), ids=HINTED.keys())
def test_the_overlap_hint_names_the_edit_that_clears_it(bands, edit):
    found = e404(band_spec(bands))
    assert found and all(edit in d.hint for d in found)
    old, new = re.search(r"把“(.+?)”写成“(.+?)”", found[0].hint).groups()
    edited = band_spec(bands.replace(old, new, 1))
    assert not [d for d in check(load_text(Source("t.idsl", edited))) if d.severity == "error"]


def test_every_overlap_of_a_rule_names_the_one_edit_that_clears_them_all():
    found = e404(band_spec("90%及以上得满分；60%～90%得 2 分；60%及以下不得分"))
    assert [d.hint for d in found] == [
        "90% 只能属于一档：把“60%～90%”写成“60% < 达标率 < 90%”（这一处修改也让 60% 只属于一档）。",
        "60% 只能属于一档：把“60%～90%”写成“60% < 达标率 < 90%”（这一处修改也让 90% 只属于一档）。"]


def test_overlaps_no_one_edit_clears_name_their_own_edits_and_say_so():
    bands = "90%及以上得满分；70%～90%（含）得2分；50%（含）～70%（含）得 1 分；50%及以下不得分"
    found = e404(band_spec(bands))
    edits = [re.search(r"把“(.+?)”写成“(.+?)”", d.hint).groups() for d in found]
    assert edits == [("90%及以上", "90%以上"), ("50%及以下", "50%以下")]
    assert found[0].hint.endswith("；50% 处的重叠另需一处修改：把“50%及以下”写成“50%以下”。")
    assert found[1].hint.endswith("；90% 处的重叠另需一处修改：把“90%及以上”写成“90%以上”。")
    both = bands
    for old, new in edits:  # each edit clears its own point alone, and the two together clear the rule
        assert len(e404(band_spec(bands.replace(old, new, 1)))) == 1
        both = both.replace(old, new, 1)
    assert not [d for d in check(load_text(Source("t.idsl", band_spec(both)))) if d.severity == "error"]


def test_overlaps_one_edit_clears_together_are_named_with_that_edit_once():
    """Four bands as the tables write them share three points, each in two bands: 80%（含）～90% gives 90% to the band
    above, and 60%（含）～80% gives it 80% and, 60%以下 yielding to the mark, 60% too; every lower end included."""
    bands = "90%以上得满分；80%～90%得2分；60%～80%得1分；60%以下不得分"
    found = e404(band_spec(bands))
    upper, lower = "把“80%～90%”写成“80%（含）～90%”", "把“60%～80%”写成“60%（含）～80%”"
    assert [d.hint for d in found] == [
        f"90% 只能属于一档：{upper}；80%、60% 处的重叠另需一处修改：{lower}。",
        f"80% 只能属于一档：{lower}（这一处修改也让 60% 只属于一档）；90% 处的重叠另需一处修改：{upper}。",
        f"60% 只能属于一档：{lower}（这一处修改也让 80% 只属于一档）；90% 处的重叠另需一处修改：{upper}。"]
    assert [d.message for d in e404(band_spec(bands.replace("60%～80%", "60%（含）～80%")))] == \
        ["达标率 = 90% 同时落在两档，两档给分不同。"]
    both = bands.replace("80%～90%", "80%（含）～90%").replace("60%～80%", "60%（含）～80%")
    assert not [d for d in check(load_text(Source("t.idsl", band_spec(both)))) if d.severity == "error"]


@pytest.mark.parametrize("bands", ["80%（含）～80%得2分；否则 不得分", "80%～80%（含）得2分；否则 不得分"])
def test_a_range_with_equal_ends_marked_at_one_end_is_a_syntax_error(bands):
    _, diagnostics = parse(Source("t.idsl", band_spec(bands)))
    assert [(d.code, d.message) for d in diagnostics] == [("E101", "范围的两端都是 80%，这不是一个范围。")]
    assert "= 80%" in diagnostics[0].hint


def test_equal_ends_written_with_two_signs_are_quoted_by_their_value():
    """`- -5%` is 5%: the message quotes the value, as the range compares it (it used to stop with a traceback)."""
    _, diagnostics = parse(Source("t.idsl", band_spec("- -5%（含）～- -5%得2分；否则 不得分")))
    assert [(d.code, d.message) for d in diagnostics] == [("E101", "范围的两端都是 5%，这不是一个范围。")]
    _, diagnostics = parse(Source("t.idsl", band_spec("-5%（含）～-5%得2分；否则 不得分")))
    assert [d.message for d in diagnostics] == ["范围的两端都是 -5%，这不是一个范围。"]


@pytest.mark.parametrize("bands", ["80%～80%得满分；否则 不得分", "80%-80%得满分；否则 不得分"])
def test_a_range_with_equal_unmarked_ends_holds_that_value_alone(bands):
    held = check(load_text(Source("t.idsl", band_spec(bands))))
    assert [d.code for d in held if d.severity == "error"] == []
    alone = check(load_text(Source("t.idsl", band_spec("= 80%得满分；否则 不得分"))))
    assert [d.code for d in held] == [d.code for d in alone]
    plan = lower(load_text(Source("t.idsl", band_spec(bands))).spec)
    scores = [idsl.score(plan, {"inputs": {"社会参保服务工作效率": {"达标率": rate}}}).total
              for rate in ("79.99%", "80%", "80.01%")]
    assert scores == [Decimal(0), Decimal(3), Decimal(0)]


def _save(document, tmp_path):
    path = tmp_path / "表.docx"
    document.save(path)
    return path


def _import(tmp_path, rule: str, grades: str | None = None):
    document = Document()
    rows = [("一级指标", "二级指标", "三级指标", "分值", "评分标准"), ("产出（100）", "质量指标（100）", "完成率指标", "100", rule)]
    rows += [(grades, "", "", "", "")] if grades else []
    table = document.add_table(rows=len(rows), cols=5)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    return import_table(_save(document, tmp_path))


@pytest.mark.parametrize(("text", "bands"), [
    ("完成率90%及以上得满分，80%（含）～90%得80分，80%以下不得分。", ("90%及以上", "80%（含）～90%", "80%以下")),
    ("完成率100%（含）～80%（含）得满分，80%-60%（含）得60分，60%以下不得分。", ("100%（含）～80%（含）", "80%～60%（含）", "60%以下")),
    ("1. 完成率90%及以上的，得满分；\n2. 完成率在80%（含）至90%之间的，得8分；\n3. 完成率80%以下的，得0分。",
     ("90%及以上", "80%（含）～90%", "80%以下"))], ids=["ji", "high_first", "numbered"])
def test_import_reads_ji_and_high_first_ranges(tmp_path, text, bands):
    draft = _import(tmp_path, text)
    assert draft.kinds == {"分档": 1} and all(f"  {band}：" in draft.text for band in bands), draft.text
    loaded = load_text(Source("draft.idsl", draft.text))
    assert not [d for d in check(loaded) if d.severity == "error"]


def test_the_word_table_of_these_words_imports_back_to_the_same_text(tmp_path):
    from idsl.render.docx import render_docx

    written = plan_of(SPEC)
    path = tmp_path / "表.docx"
    path.write_bytes(render_docx(written))
    loaded = load_text(Source("draft.idsl", import_table(path).text))
    read = lower(loaded.spec, loaded.sources)
    def texts(plan):
        return [standard_text(n) for n in plan.leaves() if "/".join(n.path) in RATE_LEAVES]
    assert texts(read) == texts(written) and len(texts(read)) == len(RATE_LEAVES)


PUBLISHED = "等级（90（含）-100分为优、80（含）-90分为良、60（含）-80分为中、60分以下为差）"  # 001's text, 002's 等级 row
GRADES = {PUBLISHED: "差：总分 < 60",
          "等级（90（含）-100分为优、80（含）-90分为良、60（不含）-80分为中、60分及以下为差）": "中：60 < 总分 < 80；差：总分 ≤ 60",
          "等级（90（含）-100分为优、80（含）-90分为良、60（不含）-80分为中、60（含）分以下为差）": "中：60 < 总分 < 80；差：总分 ≤ 60",
          "等级（90-100分为优、80-90分为良、60-80分为中、60分以下为差）": "中：60 ≤ 总分 < 80；差：总分 < 60"}


@pytest.mark.parametrize(("grades", "lowest"), GRADES.items(), ids=["published", "ji", "marked", "unmarked"])
def test_import_reads_the_lowest_grade_as_the_language_reads_yixia(tmp_path, grades, lowest):
    draft = _import(tmp_path, "完成率90%（含）以上得满分，90%以下不得分。", grades)
    line = next(line for line in draft.text.splitlines() if line.startswith("等级 "))
    assert line.startswith("等级 优：总分 ≥ 90；良：80 ≤ 总分 < 90；") and line.endswith(lowest)
    assert not [d for d in check(load_text(Source("draft.idsl", draft.text))) if d.severity == "error"]
    # unmarked, 60-80 and 60分以下 are read as grade tables mean them (60 is 中), and the draft says it assumed so
    noted = "# 等级：原表“优 90-100分”“良 80-90分”“中 60-80分”“差 60分以下”没有写明端点是否在内，"
    assert (noted in draft.text) == ("60-80分为中" in grades)


def test_a_hyphen_between_numbers_of_two_kinds_says_why_it_is_no_range():
    found = [d for d in check(load_text(Source("t.idsl", band_spec("90%-80得2分；否则 不得分")))) if d.code == "E411"]
    assert len(found) == 1 and "范围的两端应是同一种数" in found[0].hint


def test_otherwise_may_run_into_its_outcome_as_the_tables_write_it():
    """`否则不得分`, `否则得 2 分` (and 计分条件's `，否则得 1 分`) read as `否则 不得分`, `否则 得 2 分`."""
    spaced = """体系 "例" 总分 10
产出（10）
  质量（5）
    合格率（5）
      解释 例。
      输入 合格率：比率，样本：数量 份
      计分条件 样本 ≥ 30 份，否则 得 1 分
      分档 合格率：合格率 ≥ 90% 得满分；80%（含）～90% 得 3 分；否则 不得分
  时效（5）
    及时率（5）
      解释 例。
      输入 及时率：比率
      分档 及时率：及时率 ≥ 90% 得满分；否则 得 2 分
"""
    together = spaced.replace("否则 ", "否则")
    assert "否则 " not in together
    plans = []
    for text in (spaced, together):
        loaded = load_text(Source("t.idsl", text))
        assert [d.code for d in check(loaded)] == []
        plans.append(lower(loaded.spec, loaded.sources))
    for rate, sample, scores in (("95%", 40, ("5.00", "5.00")), ("85%", 40, ("3.00", "2.00")),
                                 ("50%", 40, ("0.00", "2.00")), ("95%", 10, ("1.00", "5.00"))):
        for plan in plans:
            result = idsl.score(plan, {"inputs": {"合格率": {"合格率": rate, "样本": sample}, "及时率": {"及时率": rate}}})
            assert (str(result.node("合格率").score), str(result.node("及时率").score)) == scores, (rate, sample)


def test_a_unit_run_into_the_outcome_reads_as_the_unit_and_the_outcome_when_declared():
    text = """体系 "例" 总分 10
产出（10）
  数量（10）
    受益人数（10）
      解释 例。
      输入 受益人数：数量 人
      分档 受益人数：受益人数 ≥ 90 人得满分；60 人～90 人 得 5 分；受益人数 < 60 人 不得分
"""
    glued, diagnostics = parse(Source("t.idsl", text))
    assert not diagnostics
    spaced, diagnostics = parse(Source("t.idsl", text.replace("90 人得满分", "90 人 得满分")))
    assert not diagnostics and glued == spaced
    # a unit no input declares is not known to be one: the hint says so, how to declare it, and the space it needs
    undeclared = text.replace("数量 人", "数值")
    _spec, diagnostics = parse(Source("t.idsl", undeclared))
    [found] = diagnostics
    assert (found.code, found.message) == ("E101", "“人”和“得满分”连在一起，读成了一个词“人得满分”。")
    assert found.hint == ("“人”既不是声明过的单位，也不是输入或量的名称：作单位用时在输入里声明它（受益人数：数量 人），"
                          "否则在它后面空一格，写成 90 人 得满分。")
    assert (found.span.line, found.span.column, found.span.end_column) == (7, 36, 44)  # under 人得满分, in display cells
