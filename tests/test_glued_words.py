"""Words run together as tables print them: a declared unit (or one it converts to: 元 beside 万元) glued to the keyword
after it reads as the unit and the keyword (`90 人扣 2 分`), 分 glued to what follows points reads as 分; names and
keywords glued together get a hint naming the spaces they need, and so does a unit glued to a word the grammar cannot
read next (E409)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rich.cells import cell_len

from idsl.check import check, check_file
from idsl.engines.batch import score_rows
from idsl.engines.rows import row_from_json
from idsl.frontend import ast, resolve
from idsl.frontend.incremental import parse_incrementally
from idsl.frontend.parse import parse
from idsl.frontend.resolve import load, load_text
from idsl.frontend.source import Source
from idsl.lsp.features import formatted
from idsl.semantics.lower import lower

HEAD = '体系 "例" 总分 10\n产出（10）\n  受益人数（10）\n    解释 例。\n    输入 受益人数：数量 人\n'


def parsed(text: str) -> ast.Spec:
    spec, diagnostics = parse(Source("t.idsl", text))
    assert not diagnostics, [str(d) for d in diagnostics]
    return spec


def only_diagnostic(text: str):
    spec, diagnostics = parse(Source("t.idsl", text))
    if spec is not None:
        diagnostics = check(load_text(Source("t.idsl", text)))
    [found] = [d for d in diagnostics if d.severity == "error"]
    return found


def body(text: str) -> ast.Indicator:
    return parsed(text).indicators[0].children[0]


@pytest.mark.parametrize("glued, spaced", [
    ("受益人数 ≥ 100 人得满分；100 人 > 受益人数 ≥ 90 人得 8 分；受益人数 < 90 人不得分",
     "受益人数 ≥ 100 人 得满分；100 人 > 受益人数 ≥ 90 人 得 8 分；受益人数 < 90 人 不得分"),
    ("受益人数 ≥ 100 人 得满分；100 人 > 受益人数 ≥ 90 人 每减少 1 人扣 0.5 分；受益人数 < 90 人 不得分",
     "受益人数 ≥ 100 人 得满分；100 人 > 受益人数 ≥ 90 人 每减少 1 人 扣 0.5 分；受益人数 < 90 人 不得分"),
    ("受益人数 ≥ 10 万人得满分；否则 不得分", "受益人数 ≥ 10 万人 得满分；否则 不得分"),
])
def test_a_declared_unit_glued_to_the_band_outcome_reads_as_written_with_a_space(glued, spaced):
    assert body(HEAD + f"    分档 受益人数：{glued}\n") == body(HEAD + f"    分档 受益人数：{spaced}\n")


def test_the_glued_step_is_the_unit_and_its_deduction():
    rule = body(HEAD + "    分档 受益人数：受益人数 ≥ 100 人 得满分；100 人 > 受益人数 ≥ 90 人 每减少 1 人扣 0.5 分；"
                       "受益人数 < 90 人 不得分\n").body.rule
    step = rule.bands[1].outcome
    assert (step.step.value, step.step.unit, step.deduct) == (Decimal(1), "人", Decimal("0.5"))


def test_a_deviation_and_a_special_case_read_the_glued_unit_apart():
    glued = HEAD + "    若 受益人数 ≥ 120 人则 得满分\n    偏离 受益人数 目标 100 人，每 1 人扣 0.2 分，扣完为止\n"
    assert body(glued) == body(glued.replace("人则", "人 则").replace("1 人扣", "1 人 扣"))


def test_a_declared_unit_that_is_longer_stays_whole():
    spec = body('体系 "例" 总分 10\n产出（10）\n  人次（10）\n    解释 例。\n    输入 人数：数量 人，服务人次：数量 人次\n'
                '    分档 服务人次：服务人次 ≥ 90 人次 得满分；否则 不得分\n')
    assert spec.body.rule.bands[0].cond.operands[1].unit == "人次"


def test_a_count_word_that_reads_on_is_not_cut_where_the_grammar_cannot_go_on():
    # 个 is declared, and 个及以上 is the grade limit's own word: the grammar reads no 及以上 after 2 个 there
    spec = parsed('体系 "例" 总分 10\n等级 优：总分 ≥ 9；良：总分 < 9\n等级不高于 良 若 不得分的指标 2 个及以上\n'
                  '产出（10）\n  个数（10）\n    解释 例。\n    输入 项目个数：数量 个\n    得分 = 项目个数 / 10 × 分值\n')
    assert (spec.grade_limits[0].count, spec.grade_limits[0].op) == (Decimal(2), ">=")


@pytest.mark.parametrize("glued, spaced", [
    ("按项扣分 问题数量 每项 0.5 分扣完为止", "按项扣分 问题数量 每项 0.5 分，扣完为止"),
    ("按项扣分 问题数量 每项 0.5 分最多 2 分", "按项扣分 问题数量 每项 0.5 分，最多 2 分"),
    ("偏离 问题数量 目标 0 项，每 1 项 扣 0.5 分扣完为止", "偏离 问题数量 目标 0 项，每 1 项 扣 0.5 分，扣完为止"),
])
def test_points_glued_to_what_follows_them_read_as_with_a_comma(glued, spaced):
    head = '体系 "例" 总分 10\n产出（10）\n  问题（10）\n    解释 例。\n    输入 问题数量：问题数\n'
    assert body(f"{head}    {glued}\n") == body(f"{head}    {spaced}\n")


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_both_engines_score_the_glued_bands_as_the_spaced_ones(engine):
    text = HEAD + ("    分档 受益人数：受益人数 ≥ 100 人得满分；100 人 > 受益人数 ≥ 90 人 每减少 1 人扣 0.5 分；"
                   "受益人数 < 90 人不得分\n")
    plans = [lower(loaded.spec, loaded.sources) for loaded in
             (load_text(Source("t.idsl", t)) for t in (text, text.replace("人得", "人 得").replace("人扣", "人 扣")
                                                                  .replace("人不", "人 不")))]
    scores = []
    for plan in plans:
        rows = [row_from_json(plan, {"inputs": {"受益人数": {"受益人数": n}}, "unit": str(n)}) for n in (89, 90, 95, 100)]
        scored, errors = score_rows(plan, rows, engine=engine)
        assert not errors
        scores.append([Decimal(str(r["产出/受益人数"])) for r in scored])
    assert scores[0] == scores[1] == [Decimal(s) for s in ("0", "5", "7.5", "10")]


def test_a_unit_declared_in_another_block_is_cut_alike_when_parsed_a_block_at_a_time():
    # parsed alone, the leaf's block knows no 人 and reads `≥ 100 人得` and `10 分` (a unit 人得, E409 when checked)
    text = ('体系 "例" 总分 20\n输入 在校人数：数量 人\n产出（10）\n  在校（10）\n    解释 例。\n'
            '    分档 在校人数：在校人数 ≥ 100 人得 10 分；否则 不得分\n效益（10）\n  满意（10）\n    解释 例。\n    酌情\n')
    whole, diagnostics = parse(Source("t.idsl", text))
    assert not diagnostics and whole.indicators[0].children[0].body.rule.bands[0].cond.operands[1].unit == "人"
    assert parse_incrementally(Source("t.idsl", text)) == (whole, [])


MONEY = '体系 "例" 总分 10\n产出（10）\n  达标（10）\n    解释 例。\n    输入 经费：金额 万元\n'
COUNTED = '体系 "例" 总分 10\n产出（10）\n  服务（10）\n    解释 例。\n    输入 服务人次：数量 万人次\n'


@pytest.mark.parametrize("head, glued, spaced", [
    (MONEY, "目标 经费 ≥ 1000000 元未达标不得分", "目标 经费 ≥ 1000000 元 未达标不得分"),
    (MONEY, "目标 经费 ≥ 1 亿元未达标不得分", "目标 经费 ≥ 1 亿元 未达标不得分"),
    (MONEY, "目标 经费 ≥ 800 千元未达标不得分", "目标 经费 ≥ 800 千元 未达标不得分"),
    (MONEY, "分档 换算(经费, 元)：≥ 1000000 元得满分；否则 不得分", "分档 换算(经费, 元)：≥ 1000000 元 得满分；否则 不得分"),
    (MONEY, "分档 换算(经费, 元)：≥ 1000000 元得满分；1000000 元 > 换算(经费, 元) ≥ 900000 元扣 4 分；否则 不得分",
     "分档 换算(经费, 元)：≥ 1000000 元 得满分；1000000 元 > 换算(经费, 元) ≥ 900000 元 扣 4 分；否则 不得分"),
    (COUNTED, "目标 服务人次 ≥ 5000 人次未达标不得分", "目标 服务人次 ≥ 5000 人次 未达标不得分"),
], ids=["元", "亿元", "千元", "换算", "换算-扣分", "人次"])
def test_a_unit_the_declared_one_converts_to_reads_apart_from_the_keyword_as_if_spaced(head, glued, spaced):
    # 经费 is in 万元 (服务人次 in 万人次): 元, 千元, 亿元 (人次) are units of the same kind, declared nowhere
    written, spaced_out = body(f"{head}    {glued}\n"), body(f"{head}    {spaced}\n")
    assert written == spaced_out
    assert not [d for d in check(load_text(Source("t.idsl", f"{head}    {glued}\n"))) if d.severity == "error"]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_both_engines_score_a_glued_unit_the_declared_one_converts_to_as_the_spaced_one(engine):
    text = MONEY.replace("10", "20", 2) + ("    目标 经费 ≥ 1000000 元未达标不得分\n  支出（10）\n    解释 例。\n"
                                          "    输入 支出：金额 万元\n    分档 换算(支出, 元)：≥ 1000000 元得满分；否则 不得分\n")
    scores = []
    for written in (text, text.replace("元未", "元 未").replace("元得", "元 得")):
        loaded = load_text(Source("t.idsl", written))
        plan = lower(loaded.spec, loaded.sources)
        rows = [row_from_json(plan, {"inputs": {"达标": {"经费": a}, "支出": {"支出": b}}, "unit": str(a)})
                for a, b in ((Decimal("99.99"), Decimal("99.99")), (100, 100), (150, 95))]
        scored, errors = score_rows(plan, rows, engine=engine)
        assert not errors
        scores.append([(Decimal(str(r["产出/达标"])), Decimal(str(r["产出/支出"]))) for r in scored])
    assert scores[0] == scores[1] == [(Decimal(a), Decimal(b)) for a, b in (("0", "0"), ("10", "10"), ("10", "0"))]


def test_a_unit_converted_to_in_another_block_is_cut_alike_when_parsed_a_block_at_a_time():
    text = ('体系 "例" 总分 20\n输入 经费：金额 万元\n产出（10）\n  达标（10）\n    解释 例。\n'
            '    目标 经费 ≥ 1000000 元未达标不得分\n效益（10）\n  满意（10）\n    解释 例。\n    酌情\n')
    whole, diagnostics = parse(Source("t.idsl", text))
    assert not diagnostics and whole.indicators[0].children[0].body.rule.target.unit == "元"
    assert parse_incrementally(Source("t.idsl", text)) == (whole, [])


def test_a_unit_converted_to_from_an_imported_file_reads_apart_from_the_keyword(tmp_path, monkeypatch):
    monkeypatch.setenv("IDSL_NO_CACHE", "1")
    text = '引用 "{shared}"\n体系 "例" 总分 10\n产出（10）\n  达标（10）\n    解释 例。\n    目标 经费 ≥ 1 亿元未达标不得分\n'
    loaded = load(library(tmp_path, text, shared="输入 经费：金额 万元\n"))
    assert not [d for d in check(loaded) if d.severity == "error"]
    assert loaded.spec.indicators[0].children[0].body.rule.target.unit == "亿元"


@pytest.mark.parametrize("head, name, band", [
    (MONEY.replace("金额 万元", "金额 万元，千元：数值"), "千元", "分档 经费：经费 ≥ 100 千元得满分；否则 不得分"),
    (HEAD.replace("数量 人", "数量 人，万人：数值"), "万人", "分档 受益人数：受益人数 ≥ 100 万人得满分；否则 不得分"),
], ids=["converted-to", "scaled"])
def test_a_name_spelled_as_a_unit_only_the_declared_one_implies_stays_a_name(head, name, band):
    # glued to 得满分 after a number, the input is named for what it is, not read as a unit of the subject
    [found] = parse(Source("t.idsl", f"{head}    {band}\n"))[1]
    unit = "万元" if name == "千元" else "人"
    assert (found.code, found.message) == ("E101", f"“{name}”和“得满分”连在一起，读成了一个词“{name}得满分”。")
    assert found.hint == f"“{name}”是输入的名称，不是单位：数的后面不写它，写成 100 得满分；带单位写成 100 {unit} 得满分。"
    renamed = body(f"{head.replace(f'{name}：数值', '预算：数值')}    {band}\n")
    assert renamed.body.rule.bands[0].cond.operands[1].unit == name


@pytest.mark.parametrize("written, hint", [
    ("若 经费 ≥ 100 元得满分", "在单位后空一格，再写上“则”：100 元 则 得满分（百分数不用：90%得满分）。"),
    ("若 经费 ≥ 100 美元得满分", "“美元”既不是声明过的单位，也不是输入或量的名称：“经费”已声明为 金额 万元，数按万元计："
                            "写成 100 万元 则 得满分。"),
], ids=["converted-to", "declared-nowhere"])
def test_a_glued_word_the_grammar_cannot_read_on_from_is_named_a_unit_only_when_it_converts(written, hint):
    [found] = parse(Source("t.idsl", MONEY + f"    {written}\n    得分 = 0\n"))[1]
    assert found.code == "E101" and found.hint == hint


def test_a_unit_glued_to_a_word_the_band_cannot_read_next_names_the_space_e409():
    text = HEAD + "    分档 受益人数：受益人数 ≥ 100 人 得满分；100 人 > 受益人数 ≥ 90 人起扣 2 分；受益人数 < 90 人 不得分\n"
    found = only_diagnostic(text)
    assert (found.code, found.message) == ("E409", "数量（人）与数量（人起扣）不能比较。")
    assert found.hint == "“人起扣”是单位“人”和“起扣”连在一起：在它们之间空一格，写成 90 人 起扣。"
    assert (found.span.line, found.span.column, found.span.end_column) == (6, 66, 75)  # under 90 人起扣, display cells


@pytest.mark.parametrize("written", ["90 人 扣 2 分", "90 人扣 2 分"], ids=["spaced", "glued"])
def test_a_deduction_as_a_band_outcome_glued_to_the_unit_or_not_is_the_points_less_it(written):
    text = HEAD + f"    分档 受益人数：受益人数 ≥ 100 人 得满分；100 人 > 受益人数 ≥ {written}；受益人数 < 90 人 不得分\n"
    loaded = load_text(Source("t.idsl", text))
    assert not [d for d in check(loaded) if d.severity == "error"]
    band = loaded.spec.indicators[0].children[0].body.rule.bands[1]
    assert band.cond.operands[-1].unit == "人" and (band.outcome.points, band.outcome.deduct) == (8, 2)


def test_a_deduction_in_a_special_case_says_to_write_the_score():
    text = HEAD.replace("数量 人", "数量 人，违规：是否") + "    若 违规 则 扣 2 分\n    分档 受益人数：≥ 90 人 得满分；< 90 人 不得分\n"
    found = only_diagnostic(text)
    assert (found.code, found.message) == ("E101", "这里写得几分，不写扣几分。")
    assert found.hint == "写成 得 N 分（N 是分值减去扣的分）；扣几分只在分档的一档里写：≥ 90 人 扣 2 分。"
    assert (found.span.line, found.span.column, found.span.end_column) == (6, 16, 18)  # under 扣


def test_a_unit_glued_to_a_condition_word_in_a_band_reads_as_written_with_the_spaces():
    head = HEAD.replace("数量 人", "数量 人，完成率：比率")
    glued = head + "    分档 受益人数：受益人数 ≥ 90 人且完成率 ≥ 90% 得满分；否则 不得分\n"
    assert body(glued) == body(glued.replace("人且完成率", "人 且 完成率"))


CONNECTED = HEAD.replace("数量 人", "数量 人，完成率：比率，满意率：比率")


@pytest.mark.parametrize("glued, spaced", [
    ("若 受益人数 ≥ 90 人且完成率 ≥ 80% 则 得满分", "若 受益人数 ≥ 90 人 且 完成率 ≥ 80% 则 得满分"),
    ("若 受益人数 ≥ 90 人或完成率 ≥ 80% 则 得满分", "若 受益人数 ≥ 90 人 或 完成率 ≥ 80% 则 得满分"),
    ("若 受益人数 ≥ 90 人或者完成率 ≥ 80% 则 得满分", "若 受益人数 ≥ 90 人 或者 完成率 ≥ 80% 则 得满分"),
    ("若 受益人数 ≥ 90 人并且完成率 ≥ 80% 则 得满分", "若 受益人数 ≥ 90 人 并且 完成率 ≥ 80% 则 得满分"),
    ("若 完成率 ≥ 90%且满意率 ≥ 80% 则 得满分", "若 完成率 ≥ 90% 且 满意率 ≥ 80% 则 得满分"),
    ("若 受益人数 ≥ 90且完成率 ≥ 80% 则 得满分", "若 受益人数 ≥ 90 且 完成率 ≥ 80% 则 得满分"),
    ("若 受益人数 ≥ 90 人则得满分", "若 受益人数 ≥ 90 人 则 得满分"),
    ("若 受益人数 ≥ 90则得满分", "若 受益人数 ≥ 90 则 得满分"),
    ("计分条件 受益人数 ≥ 90 人且完成率 ≥ 60%", "计分条件 受益人数 ≥ 90 人 且 完成率 ≥ 60%"),
])
def test_a_keyword_glued_to_what_follows_after_a_unit_or_a_number_reads_as_written_with_the_spaces(glued, spaced):
    rule = "    分档 满意率：≥ 90% 得满分；否则 不得分\n"
    written = body(f"{CONNECTED}    {glued}\n{rule}")
    assert written == body(f"{CONNECTED}    {spaced}\n{rule}")
    assert not [d for d in check(load_text(Source("t.idsl", f"{CONNECTED}    {glued}\n{rule}"))) if d.severity == "error"]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_both_engines_score_a_glued_condition_as_the_spaced_one(engine):
    text = CONNECTED + "    若 受益人数 ≥ 90 人且完成率 ≥ 80% 则 得满分\n    分档 满意率：≥ 90% 得 5 分；否则 不得分\n"
    scores = []
    for written in (text, text.replace("人且完成率", "人 且 完成率")):
        loaded = load_text(Source("t.idsl", written))
        plan = lower(loaded.spec, loaded.sources)
        values = [(89, "90%"), (90, "80%"), (95, "70%")]
        rows = [row_from_json(plan, {"inputs": {"受益人数": {"受益人数": n, "完成率": r, "满意率": "95%"}}, "unit": str(n)})
                for n, r in values]
        scored, errors = score_rows(plan, rows, engine=engine)
        assert not errors
        scores.append([Decimal(str(r["产出/受益人数"])) for r in scored])
    assert scores[0] == scores[1] == [Decimal(s) for s in ("5", "10", "5")]


def test_a_declared_unit_that_starts_with_a_keyword_wins_over_the_keyword():
    # 则 counts messages (10 则信息): declared, it is the unit before 得满分 and 且, not 若 … 则's 则
    head = CONNECTED.replace("满意率：比率", "满意率：比率，信息条数：数量 则")
    band = body(head + "    分档 信息条数：信息条数 ≥ 10 则得满分；否则 不得分\n").body.rule.bands[0]
    assert band.cond.operands[1].unit == "则" and band.outcome.points is None
    special = body(head + "    若 信息条数 ≥ 10 则且完成率 ≥ 80% 则 得满分\n    酌情\n").body.specials[0]
    assert [part.operands[1].unit for part in special.cond.parts] == ["则", None]
    # where the grammar cannot go on after the unit, the keyword is read: 若 … 则 needs its 则
    assert (body(head + "    若 信息条数 ≥ 10则得满分\n    酌情\n")
            == body(head + "    若 信息条数 ≥ 10 则 得满分\n    酌情\n"))


def test_points_glued_to_a_word_stay_one_word():
    # 分 is not a keyword the cut reads (分钟 stays the unit of 30 分钟), so the unit is compared as written
    text = HEAD.replace("数量 人", "数量 人，用时：数量 分钟") + "    分档 用时：用时 ≤ 30 分钟得满分；否则 不得分\n"
    assert body(text).body.rule.bands[0].cond.operands[1].unit == "分钟"


@pytest.mark.parametrize("line, word, hint", [
    ("若 按期完成则得满分", "按期完成则得满分", "按期完成 则 得满分"),
    ("若 按期完成 = 是则得满分", "是则得满分", "是 则 得满分"),
    ("趋势 本年满意率较上年满意率：提高 得满分；持平 得 2 分；下降 不得分", "本年满意率较上年满意率", "本年满意率 较 上年满意率"),
    ("趋势 本年满意率 较 上年满意率：提高得满分；持平 得 2 分；下降 不得分", "提高得满分", "提高 得满分"),
    ("按项扣分 问题数量每项 0.5 分", "问题数量每项", "问题数量 每项"),
])
def test_names_and_keywords_run_together_get_the_spaces_they_need(line, word, hint):
    text = ('体系 "例" 总分 10\n产出（10）\n  甲（10）\n    解释 例。\n'
            '    输入 按期完成：是否，本年满意率：比率，上年满意率：比率，问题数量：问题数\n'
            f'    {line}\n')
    found = only_diagnostic(text)
    start = 5 + len(line[:line.index(word)]) + sum(ord(c) > 0x2E7F for c in line[:line.index(word)])
    assert found.code == "E101" and found.hint == f"在它们之间空一格：{hint}。"
    assert found.message == "".join(f"“{piece}”" for piece in hint.split()) + f"连在一起，读成了一个词“{word}”。"
    assert (found.span.line, found.span.column, found.span.end_column) == (6, start, start + 2 * len(word))
    spec, diagnostics = parse(Source("t.idsl", text.replace(word, hint)))
    assert spec is not None and not diagnostics


SHARED = "输入 受益人数：数量 人\n"  # a library's top-level input: the including spec's leaves read it
INCLUDING = ('引用 "{shared}"\n体系 "例" 总分 10\n产出（10）\n  受益（10）\n    解释 例。\n'
             '    分档 受益人数：受益人数 ≥ 100 人得满分；100 人 > 受益人数 ≥ 90 人 每减少 1 人扣 0.5 分；否则 不得分\n')
SPACED = ("人得满分", "人 得满分"), ("1 人扣", "1 人 扣")


def spaced_out(text: str) -> str:
    for glued, spaced in SPACED:
        text = text.replace(glued, spaced)
    return text


def library(folder, text: str = INCLUDING, shared: str = SHARED, name: str = "共用.idsl"):
    (folder / name).write_text(shared, encoding="utf-8")
    root = folder / "县.idsl"
    root.write_text(text.format(shared=name), encoding="utf-8")
    return root


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_unit_declared_only_in_an_imported_file_reads_apart_from_the_keyword(tmp_path, monkeypatch, engine):
    monkeypatch.setenv("IDSL_NO_CACHE", "1")
    scores = []
    for written in (INCLUDING, spaced_out(INCLUDING)):
        loaded = load(library(tmp_path, written))
        assert not [d for d in check(loaded) if d.severity == "error"]
        plan = lower(loaded.spec, loaded.sources)
        rows = [{"单位": str(n), "共用.受益人数": str(n)} for n in (89, 90, 95, 100)]
        scored, errors = score_rows(plan, rows, engine=engine)
        assert not errors
        scores.append([Decimal(str(r["产出/受益"])) for r in scored])
    assert scores[0] == scores[1] == [Decimal(s) for s in ("0", "5", "7.5", "10")]


def test_the_units_of_an_import_of_an_import_count_and_the_editor_knows_them(tmp_path):
    (tmp_path / "基础.idsl").write_text(SHARED, encoding="utf-8")
    root = library(tmp_path, shared='引用 "基础.idsl"\n', name="中间.idsl")
    leaf = load_text(Source(str(root), root.read_text(encoding="utf-8"))).spec.indicators[0].children[0]
    spaced = load_text(Source(str(root), spaced_out(root.read_text(encoding="utf-8")))).spec.indicators[0].children[0]
    assert leaf.body.rule.bands[0].cond.operands[1].unit == "人" and leaf == spaced
    assert "      受益人数 ≥ 100 人：得满分\n" in formatted(str(root), root.read_text(encoding="utf-8"))  # idsl fmt's text


def test_each_imported_file_is_read_and_parsed_once(tmp_path, monkeypatch):
    monkeypatch.setenv("IDSL_NO_CACHE", "1")
    root = library(tmp_path)
    reads, parses = [], []
    read, parse_one = Source.read, resolve._parse
    monkeypatch.setattr(Source, "read", staticmethod(lambda path: reads.append(Path(path).name) or read(path)))
    monkeypatch.setattr(resolve, "parse_cached", lambda source, units, names: parses.append(source.path)
                        or parse_one(source, units, names))
    assert load(root).spec is not None
    assert sorted(reads) == ["共用.idsl", "县.idsl"] and len(parses) == len(set(parses)) == 2


def test_no_unit_is_taken_from_a_file_the_import_may_not_read(tmp_path, monkeypatch):
    # outside the spec's folder: never opened, so 人得满分 stays one word, and the hint names the space
    (tmp_path / "共用.idsl").write_text(SHARED, encoding="utf-8")
    (tmp_path / "县").mkdir()
    root = tmp_path / "县" / "县.idsl"
    root.write_text(INCLUDING.format(shared="../共用.idsl"), encoding="utf-8")
    opened = []
    read = Source.read
    monkeypatch.setattr(Source, "read", staticmethod(lambda path: opened.append(Path(path).name) or read(path)))
    [found] = load(root).diagnostics
    assert found.code == "E101" and found.hint.startswith("“人”既不是声明过的单位，也不是输入或量的名称")
    assert opened == ["县.idsl"]


def test_a_cached_parse_is_not_used_once_the_import_declares_the_unit(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("IDSL_NO_CACHE", raising=False)
    root = library(tmp_path, shared="输入 受益人数：数值\n")
    assert [d.code for d in check_file(root)[0] if d.severity == "error"] == ["E101"]
    (tmp_path / "共用.idsl").write_text(SHARED, encoding="utf-8")
    assert not [d for d in check_file(root)[0] if d.severity == "error"]


def test_an_import_that_cannot_be_read_is_reported_once_by_the_path_written(tmp_path, monkeypatch):
    monkeypatch.setenv("IDSL_NO_CACHE", "1")
    root = library(tmp_path, text=spaced_out(INCLUDING))
    (tmp_path / "共用.idsl").write_bytes(SHARED.encode("gb18030"))
    [found] = load(root).diagnostics
    assert (found.code, found.message) == ("E203", "不能引用“共用.idsl”：它不是 UTF-8 文本。")


@pytest.mark.parametrize("declared, written, hint", [
    ("数量 人", "100 人得满分", None),  # a declared unit is read apart: nothing to report
    ("数值", "100 人得满分",
     "“人”既不是声明过的单位，也不是输入或量的名称：作单位用时在输入里声明它（受益人数：数量 人），否则在它后面空一格，"
     "写成 100 人 得满分。"),
    ("数量 人", "100 受益人数得满分", "“受益人数”是输入的名称，不是单位：数的后面不写它，写成 100 得满分；带单位写成 100 人 得满分。"),
    ("数值", "100 受益人数得满分", "“受益人数”是输入的名称，不是单位：数的后面不写它，写成 100 得满分。"),
])
def test_a_word_after_a_number_glued_to_the_outcome_is_named_for_what_it_is(declared, written, hint):
    text = HEAD.replace("数量 人", declared) + f"    分档 受益人数：受益人数 ≥ {written}；否则 不得分\n"
    _spec, diagnostics = parse(Source("t.idsl", text))
    if hint is None:
        assert not diagnostics
        return
    [found] = diagnostics
    word = written.split()[1]
    start = 5 + len("分档 受益人数：受益人数 ≥ 100 ") + len("分档受益人数：受益人数")  # CJK characters take two cells
    assert (found.code, found.path) == ("E101", ())
    assert found.message == f"“{word[:-3]}”和“得满分”连在一起，读成了一个词“{word}”。" and found.hint == hint
    assert (found.span.line, found.span.column, found.span.end_column) == (6, start, start + 2 * len(word))


UNDECLARED = "“人”既不是声明过的单位，也不是输入或量的名称：作单位用时在输入里声明它"


@pytest.mark.parametrize("lines, hint", [
    ("    分档 受益人数\n      ≥ 100 人得满分\n      否则 不得分\n",  # a band of a block: its heading's subject
     f"{UNDECLARED}（受益人数：数量 人），否则在它后面空一格，写成 100 人 得满分。"),
    ("    分档 是否按期完成、受益人数：是，≥ 100 人得满分；否则 不得分\n",  # compound: the numbers compare the second
     f"{UNDECLARED}（受益人数：数量 人），否则在它后面空一格，写成 100 人 得满分。"),
    ("    分档 受益人数 - 平均(受益人数)：≥ 0 人得满分；否则 不得分\n",  # a function's name is no subject
     f"{UNDECLARED}（受益人数：数量 人），否则在它后面空一格，写成 0 人 得满分。"),
    ("    若 受益人数 ≥ 90 人得满分\n    分档 完成率：≥ 90% 得满分；否则 不得分\n",  # no band: the name compared
     f"{UNDECLARED}（受益人数：数量 人），否则在它后面空一格，写成 90 人 则 得满分。"),
    ("    若 受益人数 ≥ 90 人则得满分\n    分档 完成率：≥ 90% 得满分；否则 不得分\n",  # 则 glued on too: not the unit's
     f"{UNDECLARED}（受益人数：数量 人），否则在它后面空一格，写成 90 人 则 得满分。"),
    ("    若 90～100 人得满分\n    分档 完成率：≥ 90% 得满分；否则 不得分\n",  # nothing compared: no declaration
     f"{UNDECLARED}，否则在它后面空一格，写成 100 人 则 得满分。"),
    ("    达标人数 = 受益人数 - 10\n    分档 达标人数：≥ 100 人得满分；否则 不得分\n",  # a formula's name declares nothing
     f"{UNDECLARED}，否则在它后面空一格，写成 100 人 得满分。"),
    ("    分档 max(受益人数, 0)：≥ 100 人得满分；否则 不得分\n",  # a comma inside a function's parentheses
     f"{UNDECLARED}（受益人数：数量 人），否则在它后面空一格，写成 100 人 得满分。"),
    ("    分档 是否按期完成、max(受益人数, 0)：是，≥ 100 人得满分；否则 不得分\n",
     f"{UNDECLARED}（受益人数：数量 人），否则在它后面空一格，写成 100 人 得满分。"),
    ("    分档 受益人数\n      ≥ 100 完成率得满分\n      否则 不得分\n",
     "“完成率”是输入的名称，不是单位：数的后面不写它，写成 100 得满分；带单位写成 100 个 得满分。"),
], ids=["block-band", "compound", "peers", "special", "special-glued-then", "special-range", "formula-subject",
        "function-subject", "compound-function-subject", "input-name-in-block"])
def test_the_declaration_a_glued_word_is_offered_fits_where_it_was_written(lines, hint):
    # 受益人数 has no unit, so one is offered for it; the input's name after the number is told the unit it has (个)
    declared = "数量 个" if "完成率得满分" in lines else "数值"
    head = HEAD.replace("数量 人", f"{declared}，完成率：比率，是否按期完成：是否")
    _spec, diagnostics = parse(Source("t.idsl", head + lines))
    [found] = diagnostics
    assert found.code == "E101" and found.hint == hint


def test_the_then_of_a_special_case_glued_after_the_word_is_not_taken_for_part_of_it():
    text = HEAD.replace("数量 人", "数值，完成率：比率") + "    若 受益人数 ≥ 90 人则得满分\n    分档 完成率：≥ 90% 得满分；否则 不得分\n"
    _spec, diagnostics = parse(Source("t.idsl", text))
    [found] = diagnostics
    assert found.message == "“人”和“则得满分”连在一起，读成了一个词“人则得满分”。"
    assert (found.span.line, found.span.column, found.span.end_column) == (6, 22, 32)  # under 人则得满分


def test_the_then_of_a_special_case_glued_to_the_word_before_a_spaced_outcome_is_named_with_it():
    text = HEAD.replace("数量 人", "数值，完成率：比率") + "    若 受益人数 ≥ 90 人则 得满分\n    分档 完成率：≥ 90% 得满分；否则 不得分\n"
    _spec, diagnostics = parse(Source("t.idsl", text))
    [found] = diagnostics
    assert (found.code, found.message) == ("E101", "“人”和“则”连在一起，读成了一个词“人则”。")
    assert found.hint == f"{UNDECLARED}（受益人数：数量 人），否则在它后面空一格，写成 90 人 则 得满分。"
    assert (found.span.line, found.span.column, found.span.end_column) == (6, 22, 26)  # under 人则
    assert not parse(Source("t.idsl", text.replace("人则 得满分", "人 则 得满分")))[1]


@pytest.mark.parametrize("declared, line, message, hint", [
    ("经费：数值", "分档 经费：经费 ≥ 100 万元得满分；否则 不得分", "“万元”和“得满分”连在一起，读成了一个词“万元得满分”。",
     "“万元”既不是声明过的单位，也不是输入或量的名称：作单位用时在输入里声明它（经费：金额 万元），否则在它后面空一格，"
     "写成 100 万元 得满分。"),
    ("经费：数值", "若 经费 ≥ 100 元则得满分\n    得分 = 0", "“元”和“则得满分”连在一起，读成了一个词“元则得满分”。",
     "“元”既不是声明过的单位，也不是输入或量的名称：作单位用时在输入里声明它（经费：金额 元），否则在它后面空一格，"
     "写成 100 元 则 得满分。"),
    ("经费：数值", "分档 max(经费, 0)：≥ 1 亿元得满分；否则 不得分", "“亿元”和“得满分”连在一起，读成了一个词“亿元得满分”。",
     "“亿元”既不是声明过的单位，也不是输入或量的名称：作单位用时在输入里声明它（经费：金额 亿元），否则在它后面空一格，"
     "写成 1 亿元 得满分。"),
    ("经费：金额 万元", "若 经费 ≥ 100 美元则得满分\n    得分 = 0", "“美元”和“则得满分”连在一起，读成了一个词“美元则得满分”。",
     "“美元”既不是声明过的单位，也不是输入或量的名称：“经费”已声明为 金额 万元，数按万元计：写成 100 万元 则 得满分。"),
    ("经费：money 万元", "分档 经费：经费 ≥ 100 美元得满分；否则 不得分", "“美元”和“得满分”连在一起，读成了一个词“美元得满分”。",
     "“美元”既不是声明过的单位，也不是输入或量的名称：“经费”已声明为 金额 万元，数按万元计：写成 100 万元 得满分。"),
    ("受益人数：数量 个", "若 受益人数 ≥ 90 人则 得满分\n    得分 = 0", "“人”和“则”连在一起，读成了一个词“人则”。",
     "“人”既不是声明过的单位，也不是输入或量的名称：“受益人数”已声明为 数量 个，数按个计：写成 90 个 则 得满分。"),
    ("受益人数：数值", "若 受益人数 ≥ 90 人则得 8 分\n    得分 = 0", "“人”和“则得”连在一起，读成了一个词“人则得”。",
     "“人”既不是声明过的单位，也不是输入或量的名称：作单位用时在输入里声明它（受益人数：数量 人），否则在它后面空一格，"
     "写成 90 人 则 得 8 分。"),
], ids=["money-unit", "money-unit-special", "money-unit-function-subject", "declared-money", "declared-money-in-english",
        "declared-count", "whole-outcome-after-then"])
def test_a_glued_word_declared_nowhere_is_offered_the_kind_it_measures_or_the_unit_its_input_has(declared, line,
                                                                                                message, hint):
    text = f'体系 "例" 总分 10\n产出（10）\n  达标（10）\n    解释 例。\n    输入 {declared}\n    {line}\n'
    [found] = parse(Source("t.idsl", text))[1]
    assert (found.code, found.message, found.hint) == ("E101", message, hint)


NAMED = "输入 按期完成：是否\n"  # a library's yes-no input, read by the including spec's leaf
USING = '引用 "{shared}"\n体系 "例" 总分 10\n产出（10）\n  按期（10）\n    解释 例。\n    若 按期完成则得满分\n'


def test_a_name_declared_in_an_imported_file_gets_the_spaces_it_needs(tmp_path, monkeypatch):
    monkeypatch.setenv("IDSL_NO_CACHE", "1")
    root = library(tmp_path, text=USING, shared=NAMED)
    (found,) = load(root).diagnostics
    assert (found.code, found.path) == ("E101", ())
    assert found.message == "“按期完成”“则”“得满分”连在一起，读成了一个词“按期完成则得满分”。"
    assert found.hint == "在它们之间空一格：按期完成 则 得满分。"
    assert (found.span.line, found.span.column, found.span.end_column) == (6, 8, 24)
    # idsl fmt and the editor parse the one file knowing the same names
    alone = Source(str(root), root.read_text(encoding="utf-8"))
    assert [d.hint for d in parse(alone, *resolve.words_imported(alone))[1]] == [found.hint]
    root.write_text(alone.text.replace("按期完成则得满分", "按期完成 则 得满分"), encoding="utf-8")
    assert not load(root).diagnostics


def test_a_name_of_an_import_of_an_import_counts_and_each_file_is_read_once(tmp_path, monkeypatch):
    monkeypatch.setenv("IDSL_NO_CACHE", "1")
    (tmp_path / "基础.idsl").write_text(NAMED, encoding="utf-8")
    root = library(tmp_path, text=USING, shared='引用 "基础.idsl"\n', name="中间.idsl")
    reads = []
    read = Source.read
    monkeypatch.setattr(Source, "read", staticmethod(lambda path: reads.append(Path(path).name) or read(path)))
    (found,) = load(root).diagnostics
    assert found.hint == "在它们之间空一格：按期完成 则 得满分。"
    assert sorted(reads) == sorted(["县.idsl", "中间.idsl", "基础.idsl"])


def test_no_name_is_taken_from_a_file_the_import_may_not_read(tmp_path):
    (tmp_path / "共用.idsl").write_text(NAMED, encoding="utf-8")
    (tmp_path / "县").mkdir()
    root = tmp_path / "县" / "县.idsl"
    root.write_text(USING.format(shared="../共用.idsl"), encoding="utf-8")
    (found,) = load(root).diagnostics
    assert found.code == "E101" and found.hint != "在它们之间空一格：按期完成 则 得满分。"


def test_a_cached_parse_is_not_used_once_the_import_declares_the_name(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("IDSL_NO_CACHE", raising=False)
    root = library(tmp_path, text=USING, shared="输入 按时完成：是否\n")
    before = [d.hint for d in check_file(root)[0] if d.code == "E101"]
    (tmp_path / "共用.idsl").write_text(NAMED, encoding="utf-8")
    after = [d.hint for d in check_file(root)[0] if d.code == "E101"]
    assert before != after == ["在它们之间空一格：按期完成 则 得满分。"]


LEAF = ('体系 "例" 总分 10\n产出（10）\n  受益（10）\n    解释 例。\n{before}'
        '    分档 受益人数：受益人数 ≥ 100 人得满分；100 人 > 受益人数 ≥ 90 人 每减少 1 人扣 0.5 分；否则 不得分\n{after}')


def opened_files(monkeypatch) -> list[str]:
    """The names of the files read from now on."""
    opened, read = [], Source.read
    monkeypatch.setattr(Source, "read", staticmethod(lambda path: opened.append(Path(path).name) or read(path)))
    return opened


def test_a_line_of_a_string_that_reads_like_an_import_imports_nothing(tmp_path, monkeypatch):
    # the quote mark after 引用 closes the 评分标准's string: the line is the string's, then a syntax error, no import
    text = LEAF.format(before='    评分标准 "按\n引用 "{shared}" 的口径计"\n', after="")
    root = library(tmp_path, text=text)
    opened = opened_files(monkeypatch)
    alone = Source(str(root), root.read_text(encoding="utf-8"))
    assert resolve.words_imported(alone) == (frozenset(), frozenset())  # idsl fmt and the editor
    assert load_text(alone).spec is None and load(root).spec is None
    assert opened == ["县.idsl"]


@pytest.mark.parametrize("before", [
    '    评分标准 "受益人数按\n年末台账计"\n',  # a string across lines, its second line at column 0
    '    评分标准：按"台账"或 5" 屏幕所示\n',  # free text, its quote marks as written
    '    # 旧口径 "台账\n',  # a comment holding a quote mark
    '    评分标准 "按台账"  # 或 "花名册\n',
])
def test_an_import_after_quote_marks_in_strings_texts_and_comments_still_counts(tmp_path, monkeypatch, before):
    monkeypatch.setenv("IDSL_NO_CACHE", "1")
    root = library(tmp_path, text=LEAF.format(before=before, after='引用 "{shared}"\n'))
    loaded = load(root)
    assert not [d for d in check(loaded) if d.severity == "error"]
    assert loaded.spec.indicators[0].children[0].body.rule.bands[0].cond.operands[1].unit == "人"
    alone = Source(str(root), root.read_text(encoding="utf-8"))
    assert resolve.words_imported(alone)[0] == frozenset({"人"})


def test_an_import_in_a_comment_or_a_free_text_is_not_read(tmp_path, monkeypatch):
    text = LEAF.format(before='    说明 引用 "{shared}" 的口径\n    # 引用 "{shared}"\n', after='# 引用 "{shared}"\n')
    text = text.replace("总分 10\n", '总分 10  # 引用 "{shared}"\n')
    root = library(tmp_path, text=text)
    opened = opened_files(monkeypatch)
    assert resolve.words_imported(Source(str(root), root.read_text(encoding="utf-8"))) == (frozenset(), frozenset())
    [found] = load(root).diagnostics  # 人得满分 stays one word: no unit 人 is known
    assert found.code == "E101" and found.hint.startswith("“人”既不是声明过的单位")
    assert opened == ["县.idsl"]


# a declaration as written inside a free text, a string across lines (its lines at column 0) and comments
NOT_DECLARING = {
    "free-text": "    说明：输入 {declared}\n",
    "string": '    说明 "按\n输入 {declared}\n{derived} = 1\n计"\n',
    "comment": "    # 输入 {declared}\n    说明 例。  # {declared}\n# {derived} = 1\n",
}
COUNTED = '体系 "例" 总分 10\n产出（10）\n  受益（10）\n{before}    输入 受益人数：{kind}\n' \
          '    分档 受益人数：受益人数 ≥ 100 人得满分；否则 不得分\n'


@pytest.mark.parametrize("before", NOT_DECLARING.values(), ids=NOT_DECLARING.keys())
def test_a_unit_declared_only_in_a_text_a_string_or_a_comment_is_not_known(before):
    text = COUNTED.format(before=before.format(declared="受益人数：数量 人", derived="达标率"), kind="数值")
    [found] = parse(Source("t.idsl", text))[1]  # 人得满分 stays one word
    assert found.code == "E101" and found.hint == f"{UNDECLARED}（受益人数：数量 人），否则在它后面空一格，写成 100 人 得满分。"
    named = parse(Source("t.idsl", text.replace("100 人得满分", "100 受益人数得满分")))[1]  # nor offered with it
    assert [d.hint for d in named] == ["“受益人数”是输入的名称，不是单位：数的后面不写它，写成 100 得满分。"]


@pytest.mark.parametrize("before", NOT_DECLARING.values(), ids=NOT_DECLARING.keys())
def test_a_unit_declared_after_a_text_a_string_or_a_comment_still_counts(before):
    text = COUNTED.format(before=before.format(declared="服务户数：数量 户", derived="达标率"), kind="数量 人")
    leaf = parsed(text).indicators[0].children[0]
    assert leaf.body.rule.bands[0].cond.operands[1].unit == "人"


NAMES = '体系 "例" 总分 10\n产出（10）\n  按期（10）\n{before}    输入 {kind}\n    若 按期完成则得满分\n'


@pytest.mark.parametrize("before", NOT_DECLARING.values(), ids=NOT_DECLARING.keys())
def test_a_name_declared_only_in_a_text_a_string_or_a_comment_gets_no_spaces(before):
    def errors(before: str, kind: str) -> list[tuple[str, str, str]]:
        written = NAMES.format(before=before.format(declared="按期完成：是否", derived="按期完成"), kind=kind)
        return [(d.code, d.message, d.hint) for d in parse(Source("t.idsl", written))[1]]

    alone = errors("", "按时完成：是否")
    assert errors(before, "按时完成：是否") == alone and "按期完成 则 得满分" not in alone[0][2]
    [(code, _message, hint)] = errors(before, "按期完成：是否")  # declared after them, it is named
    assert (code, hint) == ("E101", "在它们之间空一格：按期完成 则 得满分。")


NOT_DECLARING_ON_TOP = {  # the same at the top of a library
    "free-text": "依据 输入 {declared}\n",
    "string": '体系 "按\n输入 {declared}\n{derived} = 1\n计"\n',
    "comment": "# 输入 {declared}\n体系 \"例\"  # {declared}\n# {derived} = 1\n",
}


@pytest.mark.parametrize("before", NOT_DECLARING_ON_TOP.values(), ids=NOT_DECLARING_ON_TOP.keys())
@pytest.mark.parametrize("after, units", [("数值", frozenset()), ("数量 人", frozenset({"人"}))])
def test_an_imported_file_declares_nothing_in_its_texts_strings_and_comments(tmp_path, monkeypatch, before, after,
                                                                             units):
    monkeypatch.setenv("IDSL_NO_CACHE", "1")
    shared = before.format(declared="服务人数：数量 人", derived="达标率") + f"输入 受益人数：{after}\n"
    root = library(tmp_path, shared=shared)
    alone = Source(str(root), root.read_text(encoding="utf-8"))
    assert resolve.words_imported(alone) == (units, frozenset({"受益人数"}))
    errors = [d for d in load(root).diagnostics if d.severity == "error"]
    assert [(d.code, d.hint.startswith(UNDECLARED)) for d in errors] == ([] if units else [("E101", True)])


def test_a_unit_glued_to_the_outcome_of_a_condition_is_told_its_then_too():
    """`若 受益人数 ≥ 100 人得满分`: spaced alone it would still lack 则, so the hint writes both (as the grammar's
    special case reads: 若 … 则 得满分)."""
    text = HEAD + "    若 受益人数 ≥ 100 人得满分\n    得分 = 0\n"
    [found] = parse(Source("t.idsl", text))[1]
    assert found.hint == "在单位后空一格，再写上“则”：100 人 则 得满分（百分数不用：90%得满分）。"
    spaced = HEAD + "    若 受益人数 ≥ 100 人 则 得满分\n    得分 = 0\n"
    assert not parse(Source("t.idsl", spaced))[1]


RATE_HEAD = '体系 "例" 总分 10\n产出（10）\n  满意度（10）\n    解释 例。\n    输入 满意率：比率\n'


@pytest.mark.parametrize("band, word, hint", [
    ("70%～90% 每降低1个百分点扣0.5分", "个百分点", "比率按百分数书写：写成 1% 扣0.5分，不写“个百分点”。"),
    ("70%～90% 每降低一个百分点扣0.5分", "一个百分点", "比率按百分数书写：写成 70%～90% 每降低 1% 扣0.5分。"),
    ("70%～90% 每降低 两个百分点 扣 1 分", "两个百分点", "比率按百分数书写：写成 70%～90% 每降低 2% 扣 1 分。"),
])
def test_a_step_of_percentage_points_is_told_to_be_written_as_a_percentage(band, word, hint):
    """每降低1个百分点扣0.5分, as the tables write it, was told to declare 个百分点 as a unit of the rate (满意率：数量
    个百分点), and 每降低一个百分点扣0.5分 was E106 at the 0.5's point: both are told to write the step as 1%."""
    line = f"    分档 满意率：满意率 ≥ 90% 得满分；{band}；满意率 < 70% 不得分"
    _spec, diagnostics = parse(Source("t.idsl", f"{RATE_HEAD}{line}\n"))
    [found] = diagnostics
    assert (found.code, found.hint) == ("E101", hint), (found.code, found.message, found.hint)
    start = line.index(word.lstrip("0123456789"))
    assert (found.span.line, found.span.column) == (6, cell_len(line[:start]) + 1)
