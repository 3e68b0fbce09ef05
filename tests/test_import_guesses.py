"""What idsl import guesses from a table's words, as an author would write it: a count named after what it counts
wherever the text compares it, 无事故 against 发生事故, 无法/无需 as no count, and a grade row's unsaid boundaries."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

import idsl
from idsl.check import check
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.semantics.lower import lower
from plans import rows_csv, score_with_both_engines
from word_tables import imported_table, leaf_lines

HEADER = ("一级指标", "二级指标", "三级指标", "分值", "评分标准")


def _draft(tmp_path, rows, grades=""):
    """The draft of a Word table of (三级指标, 分值, 评分标准) rows under 过程 › 合规性, and a 等级 row if given."""
    total = sum(Decimal(points) for _, points, _ in rows)
    cells = [HEADER] + [(f"过程（{total}）", f"合规性（{total}）", name, points, text) for name, points, text in rows]
    cells += [(grades, "", "", "", "")] if grades else []
    return imported_table(tmp_path, cells)


def _errors(draft) -> list[str]:
    return [f"{d.code} {d.message}" for d in check(load_text(Source("draft.idsl", draft.text))) if d.severity == "error"]


def _score(draft, leaf: str, inputs: dict) -> Decimal:
    loaded = load_text(Source("draft.idsl", draft.text))
    return idsl.score(lower(loaded.spec, loaded.sources), {"inputs": {leaf: inputs}}).total


COUNTED_IN_BI = {
    "named": ("违规笔数≥3笔不得分，违规笔数<3笔得满分。",
              ["输入 违规笔数：问题数", "分档 违规笔数", "违规笔数 ≥ 3笔：不得分", "违规笔数 < 3笔：得满分"]),
    "noun": ("违规≥3笔不得分，违规<3笔得满分。",
             ["输入 违规笔数：问题数", "分档 违规笔数", "违规笔数 ≥ 3笔：不得分", "违规笔数 < 3笔：得满分"]),
    "none": ("未发现违规得满分，违规≥1笔每增加1笔扣2分，扣完为止。",
             ["输入 违规笔数：问题数", "分档 违规笔数", "违规笔数 = 0：得满分", "违规笔数 ≥ 1笔：每增加 1笔 扣 2 分，扣完为止"]),
    "case": ("如违规≥3笔，则本项不得分。\n得分=执行率×分值。",
             ["输入 违规笔数：问题数，执行率：比率", "若 违规笔数 ≥ 3 则 不得分", "得分 = 执行率×分值"]),
    "happened": ("如发生违规≥3笔，则本项不得分。\n得分=执行率×分值。",
                 ["输入 违规笔数：问题数，执行率：比率", "若 违规笔数 ≥ 3 则 不得分", "得分 = 执行率×分值"]),
    "after": ("得分=执行率×分值。\n另按违规笔数每笔扣1分，扣完为止。",
              ["输入 违规笔数：问题数，执行率：比率", "得分 = 执行率×分值", "另扣 违规笔数 每项 1 分，扣完为止"]),
}


@pytest.mark.parametrize(("text", "lines"), COUNTED_IN_BI.values(), ids=COUNTED_IN_BI.keys())
def test_a_count_in_bi_is_the_same_input_however_the_text_compares_it(tmp_path, text, lines):
    """违规笔数≥3笔, 违规≥3笔, 发生违规≥3笔, 未发现违规 and 另按违规笔数每笔 are one count, named and declared alike:
    the 违规笔数 a 问题数 counts in 笔 (the bands read it as a 数量 笔, and the bare noun 违规 stayed its name)."""
    draft = _draft(tmp_path, [("资金使用合规性", "4", text)])
    assert leaf_lines(draft, "资金使用合规性") == lines
    assert not _errors(draft) and not draft.placeholders
    rate = {"执行率": "100%"} if "执行率" in text else {}
    assert _score(draft, "资金使用合规性", {"违规笔数": 3, **rate}) == (1 if "另按" in text else 0)
    assert _score(draft, "资金使用合规性", {"违规笔数": 0, **rate}) == 4


def test_a_count_written_zero_in_its_word_stays_a_count_in_that_word(tmp_path):
    """违规笔数=0笔 is how a 数量 笔 of none reads (a 问题数 of none reads 未发现违规), in bands as in a special case,
    where the bands cover what lies between 0 and 1笔 (as idsl writes a 数量 笔's: =0笔, then >0笔)."""
    draft = _draft(tmp_path, [("零笔", "4", "违规笔数=0笔得满分，违规笔数>0笔不得分。"),
                              ("如零笔", "4", "如违规笔数为0笔，则本项得满分。\n得分=执行率×分值。")])
    assert leaf_lines(draft, "零笔") == ["输入 违规笔数：数量 笔", "分档 违规笔数", "违规笔数 = 0笔：得满分",
                                         "违规笔数 > 0笔：不得分"]
    assert leaf_lines(draft, "如零笔")[0] == "输入 违规笔数：数量 笔，执行率：比率"
    assert not _errors(draft)


ZERO_WITH_WEI = {
    "bi": ("违规笔数为0笔得满分，违规笔数≥1笔不得分。",
           ["输入 违规笔数：问题数", "分档 违规笔数", "违规笔数 = 0：得满分", "违规笔数 ≥ 1笔：不得分"]),
    "bi_equals": ("违规笔数=0笔得满分，违规笔数≥1笔不得分。",
                  ["输入 违规笔数：问题数", "分档 违规笔数", "违规笔数 = 0：得满分", "违规笔数 ≥ 1笔：不得分"]),
    "ge": ("问题数为0个得满分，问题数≥1个每增加1个扣1分，扣完为止。",
           ["输入 问题数：问题数", "分档 问题数", "问题数 = 0：得满分", "问题数 ≥ 1：每增加 1 扣 1 分，扣完为止"]),
    "qi": ("发生事故为0起得满分，发生事故≥1起不得分。",
           ["输入 事故起数：问题数", "分档 事故起数", "事故起数 = 0：得满分", "事故起数 ≥ 1起：不得分"]),
    "numbered": ("1. 违规笔数为0笔的，得满分；\n2. 违规笔数≥1笔的，不得分。",
                 ["输入 违规笔数：问题数", "分档 违规笔数", "违规笔数 = 0：得满分", "违规笔数 ≥ 1笔：不得分"]),
}


@pytest.mark.parametrize(("text", "lines"), ZERO_WITH_WEI.values(), ids=ZERO_WITH_WEI.keys())
def test_a_count_written_zero_with_wei_steps_to_one_as_a_whole_count(tmp_path, text, lines):
    """违规笔数为0笔 reads as 违规笔数=0笔 does; bands stepping from 0 straight to ≥ 1 count something whole, a 问题数 (as
    the checker's E403 hint says), its none = 0 and its numbers in the word it counts in or bare (问题数 counts 项): the
    draft of 未发现违规得满分… Before, 为0笔 was left to write, and =0笔 a 数量 笔 leaving 0 < 违规笔数 < 1 to no band."""
    draft = _draft(tmp_path, [("合规", "4", text)])
    assert leaf_lines(draft, "合规") == lines
    assert not _errors(draft) and not draft.placeholders
    name = lines[1].split()[1]
    expected = [4, 0, 0] if "不得分" in text else [4, 4, 3]  # 每增加 counts from the band's 1
    assert [_score(draft, "合规", {name: n}) for n in (0, 1, 2)] == expected


RANGE_FROM_ONE = {
    "range": ("违规笔数为0笔得满分，违规笔数1～3笔扣1分，违规笔数>3笔不得分。", ["1～3笔：扣 1 分", "违规笔数 > 3笔：不得分"],
              [4, 3, 3, 0]),
    "marked": ("违规笔数为0笔得满分，违规笔数1笔（含）-3笔扣1分，违规笔数3笔以上不得分。",
               ["1笔（含）～3笔：扣 1 分", "3笔以上：不得分"], [4, 3, 0, 0]),
    "above": ("违规笔数为0笔得满分，违规笔数1笔以上每增加1笔扣1分，扣完为止。", ["1笔以上：每增加 1笔 扣 1 分，扣完为止"],
              [4, 4, 2, 1]),  # 每增加 counts from the band's 1
}


@pytest.mark.parametrize(("text", "bands", "scores"), RANGE_FROM_ONE.values(), ids=RANGE_FROM_ONE.keys())
def test_a_count_written_zero_stepping_to_a_range_from_one_is_whole(tmp_path, text, bands, scores):
    """A range holding its 1 (1～3笔, 1笔（含）～3笔) or a 1笔以上 steps from 0 to 1 as ≥ 1笔 does: the count is a 问题数
    with no band left for 0 < 违规笔数 < 1. Before, such bands made it a 数量 笔, and the checker claimed that gap."""
    draft = _draft(tmp_path, [("合规", "4", text)])
    assert leaf_lines(draft, "合规") == ["输入 违规笔数：问题数", "分档 违规笔数", "违规笔数 = 0：得满分", *bands]
    assert not _errors(draft) and not draft.placeholders
    assert [_score(draft, "合规", {"违规笔数": n}) for n in (0, 1, 3, 4)] == scores


def test_a_count_whose_range_leaves_out_its_one_keeps_the_gap(tmp_path):
    """1～3笔（含） marks only its upper end, so it leaves 1笔 out: no step from 0 to 1, the count stays a 数量 笔, and the
    checker names the values no band covers."""
    draft = _draft(tmp_path, [("合规", "4", "违规笔数为0笔得满分，违规笔数1-3笔（含）扣1分，违规笔数3笔以上不得分。")])
    assert leaf_lines(draft, "合规")[:4] == ["输入 违规笔数：数量 笔", "分档 违规笔数", "违规笔数 = 0笔：得满分",
                                             "1～3笔（含）：扣 1 分"]
    assert _errors(draft) == ["E403 0 笔 < 违规笔数 ≤ 1 笔 时没有对应的档次。"]


NO_ACCIDENT = {"compact": "无事故得满分，发生事故不得分。",
               "numbered": "1. 无事故的，得满分；\n2. 发生事故的，不得分。"}


@pytest.mark.parametrize("text", NO_ACCIDENT.values(), ids=NO_ACCIDENT.keys())
def test_no_accident_against_an_accident_is_a_count_of_accidents(tmp_path, text):
    """无事故 / 发生事故 is the 事故次数 the text counts: 0 scores full marks, any accident 0. Accidents are counted
    whole, a 问题数 (事故次数 ≥ 1 leaves no gap after 0), as 发生事故为0起… is; before, a 数量 次 over > 0."""
    draft = _draft(tmp_path, [("安全生产", "4", text)])
    assert leaf_lines(draft, "安全生产") == ["输入 事故次数：问题数", "分档 事故次数", "事故次数 = 0：得满分",
                                             "事故次数 ≥ 1：不得分"]
    assert not _errors(draft) and draft.kinds == {"分档": 1}
    assert [_score(draft, "安全生产", {"事故次数": n}) for n in (0, 1, 3)] == [4, 0, 0]


HAPPENED = {
    "none_alone": ("如无事故，则本项得满分。", "事故次数", ["事故次数 = 0：得满分", "事故次数 ≥ 1：不得分"]),
    "none_otherwise": ("如无安全事故，则本项得满分，否则不得分。", "安全事故次数",
                       ["安全事故次数 = 0：得满分", "安全事故次数 ≥ 1：不得分"]),
    "both": ("未发生安全事故的，得满分；发生安全事故的，不得分。", "安全事故次数",
             ["安全事故次数 = 0：得满分", "安全事故次数 ≥ 1：不得分"]),
    "if_some": ("如发生安全事故，本项不得分。", "安全事故次数", ["安全事故次数 ≥ 1：不得分", "安全事故次数 = 0：得满分"]),
    "some_alone": ("发生安全事故的，本项不得分。", "安全事故次数", ["安全事故次数 ≥ 1：不得分", "安全事故次数 = 0：得满分"]),
    "some_first": ("出现重大负面舆情的，不得分；未出现的，得满分。", "重大负面舆情次数",
                   ["重大负面舆情次数 ≥ 1：不得分", "重大负面舆情次数 = 0：得满分"]),
    "numbered": ("1. 未发生安全事故的，得满分；\n2. 发生安全事故的，不得分。", "安全事故次数",
                 ["安全事故次数 = 0：得满分", "安全事故次数 ≥ 1：不得分"]),
}


@pytest.mark.parametrize(("text", "name", "bands"), HAPPENED.values(), ids=HAPPENED.keys())
def test_whether_something_happened_is_a_count_of_it(tmp_path, text, name, bands):
    """如无安全事故，则本项得满分，否则不得分, 未发生…的，得满分；发生…的，不得分, 出现…的，不得分；未出现的，得满分, or
    one case alone (the other scoring the opposite end: 如无事故，则本项得满分 gives any accident 0) read as 无事故得满分，
    发生事故不得分 does: bands over the count named after what happens. Before, each was left to write."""
    draft = _draft(tmp_path, [("安全生产", "4", text)])
    assert leaf_lines(draft, "安全生产") == [f"输入 {name}：问题数", f"分档 {name}", *bands]
    assert not _errors(draft) and draft.kinds == {"分档": 1} and not draft.placeholders
    assert [_score(draft, "安全生产", {name: n}) for n in (0, 1)] == [4, 0]
    units = [{"单位": f"甲{n}", f"过程/合规性/安全生产.{name}": str(n)} for n in (0, 1)]
    rows, refused = _both_engines(draft, tmp_path, units)
    assert [Decimal(rows[f"甲{n}"]["总分"]) for n in (0, 1)] == [4, 0] and not refused


@pytest.mark.parametrize("text", ["发生安全事故的，扣5分。", "未发生安全事故的，不扣分；发生安全事故的，扣5分。"])
def test_an_accident_in_a_penalty_item_deducts_per_its_count(tmp_path, text):
    """In a 逆向指标, 发生安全事故的，扣5分 is the same count: any accident deducts 5, none nothing (unsaid, or
    不扣分); before, the first was a 选择 of the case in its words."""
    draft = _penalty_draft(tmp_path, [("安全生产", "5", text)])
    assert set(leaf_lines(draft, "安全生产")[2:]) == {"安全事故次数 = 0：不扣分", "安全事故次数 ≥ 1：扣 5 分"}
    assert leaf_lines(draft, "安全生产")[:2] == ["输入 安全事故次数：问题数", "分档 安全事故次数"]
    assert not _errors(draft)
    units = [{"单位": f"甲{n}", "过程/合规性/合规.得分": "10", "过程/合规性/合规.理由": "齐全",
              "逆向指标/安全生产.安全事故次数": str(n)} for n in (0, 1)]
    rows, refused = _both_engines(draft, tmp_path, units)
    assert [Decimal(rows[f"甲{n}"]["总分"]) for n in (0, 1)] == [10, 5] and not refused


@pytest.mark.parametrize("text", ["无事故不扣分，发生事故扣5分。", "1. 无事故的，不扣分；\n2. 发生事故的，扣5分。"])
def test_no_accident_in_a_penalty_item_reads_its_deductions(tmp_path, text):
    """无事故不扣分，发生事故扣5分 in a 逆向指标, compact or numbered, is the 事故次数 giving the deduction: none
    deducts nothing, any accident 5."""
    draft = _penalty_draft(tmp_path, [("安全生产", "5", text)])
    assert leaf_lines(draft, "安全生产") == ["输入 事故次数：问题数", "分档 事故次数", "事故次数 = 0：不扣分",
                                             "事故次数 ≥ 1：扣 5 分"]
    assert not _errors(draft)
    units = [{"单位": f"甲{n}", "过程/合规性/合规.得分": "10", "过程/合规性/合规.理由": "齐全",
              "逆向指标/安全生产.事故次数": str(n)} for n in (0, 1)]
    rows, refused = _both_engines(draft, tmp_path, units)
    assert [Decimal(rows[f"甲{n}"]["总分"]) for n in (0, 1)] == [10, 5] and not refused


@pytest.mark.parametrize("text", ["无事故得满分，发生事故不得分。", "1. 无事故的，得满分；\n2. 发生事故的，不得分。",
                                  "未发生安全事故的，得满分；发生安全事故的，不得分。", "如无安全事故，则本项得满分，否则不得分。"])
def test_an_accident_scored_in_full_marks_in_a_penalty_item_stays_to_write(tmp_path, text):
    """A 逆向指标's rule gives the deduction, so 无事故得满分 there would deduct the whole cap for no accident: the text
    is kept to write (before, the compact and numbered forms drafted `事故次数 = 0：得满分`, the numbered one after
    that a 选择 whose 无事故 deducted the item's 5 points)."""
    draft = _penalty_draft(tmp_path, [("安全生产", "5", text)])
    lines = leaf_lines(draft, "安全生产")
    assert lines[-1] == "评分标准 " + text.replace("\n", "") and draft.placeholders == (("逆向指标", "安全生产"),)
    assert not any(line.startswith(("分档", "选择", "输入")) for line in lines)


@pytest.mark.parametrize(("text", "added"), [("未发生安全事故的，加1分。", 1), ("全年无安全事故的，加2分。", 2),
                                             ("未发生安全事故的，加1分；发生安全事故的，不加分。", 1)])
def test_no_accident_in_a_bonus_item_adds_its_points(tmp_path, text, added):
    """未发生安全事故的，加1分 and 全年无安全事故的，加2分 in a 加分项 are the 安全事故次数 giving the addition: none adds
    the points, any accident nothing. Before, each was left to write."""
    rows = [HEADER, ("过程（10）", "合规性（10）", "合规", "10", "由评价人员酌情评分，须说明理由。"),
            ("加分项", "", "安全生产", "2", text)]
    draft = imported_table(tmp_path, rows)
    assert leaf_lines(draft, "安全生产") == ["输入 安全事故次数：问题数", "分档 安全事故次数",
                                             f"安全事故次数 = 0：得 {added} 分", "安全事故次数 ≥ 1：不得分"]
    assert not _errors(draft) and not draft.placeholders
    units = [{"单位": f"甲{n}", "过程/合规性/合规.得分": "8", "过程/合规性/合规.理由": "齐全",
              "加分项/安全生产.安全事故次数": str(n)} for n in (0, 1)]
    rows, refused = _both_engines(draft, tmp_path, units)
    assert [Decimal(rows[f"甲{n}"]["总分"]) for n in (0, 1)] == [8 + added, 8] and not refused


@pytest.mark.parametrize("text", ["发生安全事故的，须及时报告。", "如无事故，则本项得2分。", "发生安全事故的，扣2分。",
                                  "如无结余，则本项得满分。"])
def test_an_occurrence_whose_score_is_unsaid_stays_to_write(tmp_path, text):
    """A text scoring neither case, or one case at no end (得2分 with none, 扣2分 alone in a scored indicator: the
    points above it unsaid), or 无 of nothing that happens (无结余), is kept to write, its words as they were."""
    draft = _draft(tmp_path, [("安全生产", "4", text)])
    assert leaf_lines(draft, "安全生产")[1] == f"评分标准 {text}" and draft.kinds == {}


def test_found_or_not_is_a_count_of_problems(tmp_path):
    draft = _draft(tmp_path, [("整改", "4", "未发现问题得满分，发现问题不得分。")])
    assert leaf_lines(draft, "整改") == ["输入 问题数：问题数", "分档 问题数", "问题数 = 0：得满分", "问题数 ≥ 1：不得分"]
    assert not _errors(draft)
    assert [_score(draft, "整改", {"问题数": n}) for n in (0, 1)] == [4, 0]


WU_WORDS = [("资料", "如无法提供资料，则本项不得分。", "输入 无法提供资料：是否，执行率：比率", "若 无法提供资料 则 不得分"),
            ("整改", "如无需整改，则本项得满分。", "输入 无需整改：是否，执行率：比率", "若 无需整改 则 得满分"),
            ("结余", "如无结余，则本项得满分。", "输入 无结余：是否，执行率：比率", "若 无结余 则 得满分"),
            ("事故", "如无事故，则本项得满分。\n如事故次数大于等于2次，则本项不得分。",
             "输入 事故次数：数量 次，执行率：比率", "若 事故次数 = 0 则 得满分")]


@pytest.mark.parametrize(("leaf", "case", "inputs", "special"), WU_WORDS, ids=[w[0] for w in WU_WORDS])
def test_wu_is_a_count_of_none_only_where_the_text_counts_what_follows(tmp_path, leaf, case, inputs, special):
    """无 followed by what the text counts (无事故 beside 事故次数) is that count's none; 无法提供资料, 无需整改, 无结余
    (the text counting nothing of the kind) say something is so: a yes/no, whatever the word after 无."""
    draft = _draft(tmp_path, [(leaf, "4", case + "\n得分=执行率×分值。")])
    lines = leaf_lines(draft, leaf)
    assert lines[0] == inputs and special in lines
    assert not _errors(draft) and not draft.placeholders


GRADES = ("等级：优 90分以上，良 80-90分，中 60-80分，差 60分以下",
          "等级：90分以上为优、80-90分为良、60-80分为中、60分以下为差")


@pytest.mark.parametrize("row", GRADES, ids=["name_first", "name_after"])
def test_grade_ranges_without_marks_are_read_as_usual_and_the_draft_says_so(tmp_path, row):
    """80-90分 in a grade row holds 80, not 90 (the top grade holds 100, 60分以下 leaves 60 to 中): the usual reading,
    written out and noted on the line before, so the author confirms it; before, the name-first row was not read
    (the draft said the table had no grades) and 90分以上为优 was dropped."""
    draft = _draft(tmp_path, [("合规", "100", "由评价人员酌情评分，须说明理由。")], row)
    lines = draft.text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("等级 "))
    assert lines[at] == "等级 优：总分 ≥ 90；良：80 ≤ 总分 < 90；中：60 ≤ 总分 < 80；差：总分 < 60"
    assert lines[at - 1] == ("# 等级：原表“良 80-90分”“中 60-80分”“差 60分以下”没有写明端点是否在内，"
                             "按惯例读作含下限、不含上限，请核对。")
    assert not _errors(draft)


def test_grade_rows_that_mark_their_ends_have_no_note(tmp_path):
    row = "等级（90（含）-100分为优、80（含）-90分为良、60（含）-80分为中、60分以下为差）"
    draft = _draft(tmp_path, [("合规", "100", "由评价人员酌情评分，须说明理由。")], row)
    assert "等级 优：总分 ≥ 90；良：80 ≤ 总分 < 90；中：60 ≤ 总分 < 80；差：总分 < 60" in draft.text.splitlines()
    assert "# 等级" not in draft.text and not _errors(draft)


NAMES_FIRST = {
    "spaced": ("优 90分以上，良 80-90分，中 60-80分，差 60分以下",
               "等级 优：总分 ≥ 90；良：80 ≤ 总分 < 90；中：60 ≤ 总分 < 80；差：总分 < 60",
               "# 等级：原表“良 80-90分”“中 60-80分”“差 60分以下”没有写明端点是否在内，按惯例读作含下限、不含上限，请核对。"),
    "signs": ("优：≥90分；良：80～90分；中：60～80分；差：<60分",
              "等级 优：总分 ≥ 90；良：80 ≤ 总分 < 90；中：60 ≤ 总分 < 80；差：总分 < 60",
              "# 等级：原表“良 80～90分”“中 60～80分”没有写明端点是否在内，按惯例读作含下限、不含上限，请核对。"),
    "two_words": ("优秀：≥90分；良好：80～90分；合格：60～80分；不合格：<60分",
                  "等级 优秀：总分 ≥ 90；良好：80 ≤ 总分 < 90；合格：60 ≤ 总分 < 80；不合格：总分 < 60",
                  "# 等级：原表“良好 80～90分”“合格 60～80分”没有写明端点是否在内，按惯例读作含下限、不含上限，请核对。"),
    "letters": ("A 90分（含）以上，B 80（含）-90分，C 60（含）-80分，D 60分以下",
                "等级 A：总分 ≥ 90；B：80 ≤ 总分 < 90；C：60 ≤ 总分 < 80；D：总分 < 60", None),
    "neighbours": ("优：>90分；良：80～90分；差：≤80分", "等级 优：总分 > 90；良：80 < 总分 ≤ 90；差：总分 ≤ 80", None),
}


@pytest.mark.parametrize(("row", "line", "comment"), NAMES_FIRST.values(), ids=NAMES_FIRST.keys())
def test_a_row_of_grade_names_with_their_ranges_is_the_grade_row(tmp_path, row, line, comment):
    """The usual grade names each followed by its range, with neither 等级 nor 为优, are the 等级 row, read as the other
    orders are (an unmarked end as usual, noted; an end its neighbour marks, ≤80分 under 80～90分, on the side the mark
    leaves); before, the row was read as an indicator named after its text."""
    draft = _draft(tmp_path, [("合规", "100", "由评价人员酌情评分，须说明理由。")], row)
    lines = draft.text.splitlines()
    at = lines.index(line)
    assert lines[at - 1] == (comment or '体系 "表" 总分 100')
    assert draft.leaves == 1 and "  行 等级" in lines and not _errors(draft)


def test_grade_names_in_a_leafs_scoring_standard_are_not_the_grade_row(tmp_path):
    """A leaf's 评分标准 giving its own grades (优 9分以上，良 8-9分…), on the leaf's row or continued on a row of its own
    under the 评分标准 column, stays the leaf's text: the table has no 等级 row."""
    grading = "优 9分以上，良 8-9分，中 6-8分，差 6分以下"
    draft = imported_table(tmp_path, [HEADER, ("过程（20）", "质量（20）", "服务质量", "10", grading),
                              ("过程（20）", "质量（20）", "工作质量", "10", "按评价等级得分："), ("", "", "", "", grading)])
    assert leaf_lines(draft, "服务质量")[-1] == f"评分标准 {grading}"
    assert leaf_lines(draft, "工作质量")[-1] == f"评分标准 按评价等级得分：{grading}"
    assert "# 等级：表中没有写出，按常用的 90% / 80% / 60% 写出，请核对。" in draft.text.splitlines()
    assert [path[-1] for path in draft.placeholders] == ["服务质量", "工作质量"]


JOINED_ENDS = {
    "compact": "违规笔数=0笔得满分，违规笔数≥1笔且<3笔得2分，违规笔数≥3笔不得分。",
    "subject_twice": "违规笔数=0笔得满分，违规笔数≥1笔且违规笔数<3笔得2分，违规笔数≥3笔不得分。",
    "noun": "违规为0笔得满分，违规≥1笔且<3笔得2分，违规≥3笔不得分。",
    "chain": "违规笔数=0笔得满分，1笔≤违规笔数<3笔得2分，违规笔数≥3笔不得分。",
    "numbered": "1. 违规笔数为0笔的，得满分；\n2. 违规笔数≥1笔且<3笔的，得2分；\n3. 违规笔数≥3笔的，不得分。",
}


@pytest.mark.parametrize("text", JOINED_ENDS.values(), ids=JOINED_ENDS.keys())
def test_a_band_with_both_ends_joined_by_qie_is_a_range_over_a_whole_count(tmp_path, text):
    """≥1笔且<3笔 is the range 1笔 ≤ 违规笔数 < 3笔, as idsl writes one, and its bands step from 0 straight to 1: the
    count is a 问题数, as with ≥ 1笔 alone. Before, the draft wrote 违规笔数 ≥ 1笔且 < 3笔 (kept as a placeholder), and
    the chain 1笔≤违规笔数<3笔 declared a 数量 笔 leaving 0 < 违规笔数 < 1 to no band (E403)."""
    draft = _draft(tmp_path, [("合规", "4", text)])
    assert leaf_lines(draft, "合规") == ["输入 违规笔数：问题数", "分档 违规笔数", "违规笔数 = 0：得满分",
                                         "1笔 ≤ 违规笔数 < 3笔：得 2 分", "违规笔数 ≥ 3笔：不得分"]
    assert not _errors(draft) and not draft.placeholders
    assert [_score(draft, "合规", {"违规笔数": n}) for n in (0, 1, 2, 3)] == [4, 2, 2, 0]


GRADES_BESIDE_THEIR_LABEL = {
    "pingjia": ("评价等级", "优 90分以上，良 80-90分，中 60-80分，差 60分以下", "", "", ""),
    "dengji": ("等级", "优 90分以上，良 80-90分，中 60-80分，差 60分以下", "", "", ""),
    "merged": ("综合评价等级", "综合评价等级", "优 90分以上，良 80-90分，中 60-80分，差 60分以下",
               "优 90分以上，良 80-90分，中 60-80分，差 60分以下", "优 90分以上，良 80-90分，中 60-80分，差 60分以下"),
    "one_grade_a_cell": ("评价等级：", "优 90分以上", "良 80-90分", "中 60-80分", "差 60分以下"),
}


@pytest.mark.parametrize("row", GRADES_BESIDE_THEIR_LABEL.values(), ids=GRADES_BESIDE_THEIR_LABEL.keys())
def test_a_grade_row_split_into_its_label_and_its_grades_is_read_as_one(tmp_path, row):
    """A label naming the grades where an indicator's name would be, the grades in the cells after it, is the 等级 row,
    its grades read as when written in one cell (an unsaid boundary read as usual and noted). Before, 评价等级 became
    an indicator of its own and 等级 | … fell back to the usual 90% / 80% / 60% as if the table gave no grades."""
    draft = imported_table(tmp_path, [HEADER, ("过程（100）", "合规性（100）", "合规", "100", "由评价人员酌情评分，须说明理由。"), row])
    lines = draft.text.splitlines()
    at = lines.index("等级 优：总分 ≥ 90；良：80 ≤ 总分 < 90；中：60 ≤ 总分 < 80；差：总分 < 60")
    assert lines[at - 1] == ("# 等级：原表“良 80-90分”“中 60-80分”“差 60分以下”没有写明端点是否在内，"
                             "按惯例读作含下限、不含上限，请核对。")
    assert draft.leaves == 1 and "  行 等级" in lines and not _errors(draft)


CONTINUED_GRADE_WORDS = {"wei_you": "90分以上为优，得10分；80-90分为良，得8分；其余不得分",
                         "starts_dengji": "等级为优得10分，等级为良得8分，其余不得分"}


@pytest.mark.parametrize("text", CONTINUED_GRADE_WORDS.values(), ids=CONTINUED_GRADE_WORDS.keys())
def test_a_scoring_standard_continued_below_its_leaf_is_not_the_grade_row_whatever_it_says(tmp_path, text):
    """A leaf's 评分标准 continued on a row of its own under the 评分标准 column, saying 为优 or starting with 等级,
    stays the leaf's text: only a cell where an indicator's name would be starts the 等级 row. Before, the row became
    the 等级 row and the leaf lost its second line."""
    draft = imported_table(tmp_path, [HEADER, ("过程（10）", "质量（10）", "工作质量", "10", "按评价等级得分："), ("", "", "", "", text)])
    assert leaf_lines(draft, "工作质量")[-1] == f"评分标准 按评价等级得分：{text}"
    assert "# 等级：表中没有写出，按常用的 90% / 80% / 60% 写出，请核对。" in draft.text.splitlines()
    assert "  行 等级" not in draft.text.splitlines()


COMPARED_IN_WORDS = {
    "bare": ("完成率100%得满分，90%（含）-100%扣1分，80%（含）-90%扣2分，80%以下不得分",
             ["完成率 = 100%：得满分", "90%（含）～100%：扣 1 分", "80%（含）～90%：扣 2 分", "80%以下：不得分"],
             {"100%": 5, "95%": 4, "90%": 4, "85%": 3, "79%": 0}),
    "reaches": ("完成率达到100%的得5分，低于100%的不得分",
                ["完成率 ≥ 100%：得 5 分", "完成率 < 100%：不得分"], {"100%": 5, "99%": 0}),
    "is": ("完成率为100%得满分，不足100%不得分", ["完成率 = 100%：得满分", "完成率 < 100%：不得分"],
           {"100%": 5, "99.5%": 0}),
    "not below": ("完成率不低于90%得满分，未达到90%不得分", ["完成率 ≥ 90%：得满分", "完成率 < 90%：不得分"],
                  {"90%": 5, "89%": 0}),
    "the rest": ("完成率达到100%得满分，其余不得分", ["完成率 ≥ 100%：得满分", "否则：不得分"], {"100%": 5, "99%": 0}),
    "the leaf's rate": ("在80%以上得满分，其他不得分", ["80%以上：得满分", "否则：不得分"], {"80%": 5, "79%": 0}),
    "numbered": ("1. 完成率达到100%的，得5分；\n2. 完成率90%（含）-100%的，得3分；\n3. 其他的，不得分。",
                 ["完成率 ≥ 100%：得 5 分", "90%（含）～100%：得 3 分", "否则：不得分"], {"100%": 5, "95%": 3, "89%": 0}),
}


@pytest.mark.parametrize(("text", "lines", "scores"), COMPARED_IN_WORDS.values(), ids=COMPARED_IN_WORDS.keys())
def test_a_band_compared_in_words_reads_as_its_sign(tmp_path, text, lines, scores):
    """达到/不低于 are ≥, 低于/不足/未达到 <, 为 and a value right after the first band's subject (完成率100%) =, a
    trailing 的 left out, 其他/其余 否则, and a first band naming no subject is about the leaf when the leaf is a rate:
    the draft's bands are idsl's, check clean and score as the table says, numbered or not."""
    draft = _draft(tmp_path, [("完成率", "5", text)])
    assert leaf_lines(draft, "完成率")[-len(lines):] == lines
    assert _errors(draft) == []
    assert {rate: _score(draft, "完成率", {"完成率": rate}) for rate in scores} == scores


def test_bands_naming_no_subject_under_a_leaf_that_is_no_rate_are_left_to_write(tmp_path):
    """在80%以上得满分 under 资金使用: what is 80% is not said, and the leaf's name is no rate's: the text is kept."""
    draft = _draft(tmp_path, [("资金使用", "5", "在80%以上得满分，其他不得分")])
    assert "评分标准 在80%以上得满分，其他不得分" in leaf_lines(draft, "资金使用")
    assert [e.split()[0] for e in _errors(draft)] == ["E406"]


JOINED_WITHOUT_SUBJECT = {
    "signs": "违规笔数=0笔得满分；≥1笔且<3笔扣1分；≥3笔不得分",
    "signs_comma": "违规笔数=0笔得满分，≥1笔且<3笔扣1分，≥3笔不得分。",
    "words": "0笔得满分，1笔及以上且3笔以下扣1分，3笔及以上不得分",
    "words_named": "违规笔数为0笔得满分；1笔（含）以上且3笔以下扣1分；3笔（含）以上不得分。",
    "numbered": "1. 违规笔数=0笔的，得满分；\n2. ≥1笔且<3笔的，扣1分；\n3. ≥3笔的，不得分。",
    "numbered_words": "1. 0笔的，得满分；2. 1笔及以上且3笔以下的，扣1分；3. 3笔及以上的，不得分。",
}


@pytest.mark.parametrize("text", JOINED_WITHOUT_SUBJECT.values(), ids=JOINED_WITHOUT_SUBJECT.keys())
def test_bands_joined_by_qie_without_their_subject_are_ranges_of_the_count(tmp_path, text):
    """≥1笔且<3笔 after 违规笔数=0笔 is the range 1笔 ≤ 违规笔数 < 3笔, as 违规笔数≥1笔且<3笔 is; 1笔及以上且3笔以下
    is the same range (3笔 is 3笔及以上's); bands split by ；read as by ，; a first band naming no subject, 0笔, is
    about the leaf where the leaf's name is a count in that word; numbered, the bands read as the compact text they
    number. Stepping from 0 to 1, the count is a 问题数. Before, each of these was left to write (numbered, a 选择
    whose options were the conditions)."""
    draft = _draft(tmp_path, [("违规笔数", "3", text)])
    assert leaf_lines(draft, "违规笔数") == ["输入 违规笔数：问题数", "分档 违规笔数", "违规笔数 = 0：得满分",
                                             "1笔 ≤ 违规笔数 < 3笔：扣 1 分", "违规笔数 ≥ 3笔：不得分"]
    assert not _errors(draft) and not draft.placeholders
    assert [_score(draft, "违规笔数", {"违规笔数": n}) for n in (0, 1, 2, 3, 5)] == [3, 2, 2, 0, 0]
    loaded = load_text(Source("draft.idsl", draft.text))
    units = rows_csv(tmp_path, [{"单位": f"甲{n}", "过程/合规性/违规笔数.违规笔数": str(n)} for n in (0, 1, 3)])
    score_with_both_engines(lower(loaded.spec, loaded.sources), units, tmp_path, False)  # their results alike


def test_a_bare_count_first_band_under_a_leaf_that_is_no_count_is_left_to_write(tmp_path):
    """0笔得满分 under 资金使用: what is counted is not said, and the leaf's name counts nothing: the text is kept."""
    text = "0笔得满分，1笔及以上且3笔以下扣1分，3笔及以上不得分"
    draft = _draft(tmp_path, [("资金使用", "3", text)])
    assert leaf_lines(draft, "资金使用")[-1] == f"评分标准 {text}"
    assert [e.split()[0] for e in _errors(draft)] == ["E406"]


BONUS_ITEMS = [("省级表彰", "2", "获得省级表彰的，加1分；不符合的，不加分。"),
               ("通报批评", "1", "受到通报批评的，扣1分；不符合的，不加分。"),
               ("表彰与批评", "2", "1. 获得市级表彰的，加1分；\n2. 受到通报批评的，扣1分"),
               ("问题", "1", "每发现一个问题扣1分，扣完为止。")]


def test_a_deduction_in_a_bonus_item_is_left_to_write_not_read_as_an_award(tmp_path):
    """A 加分项 only adds: an item whose 评分标准 deducts (扣1分, alone or beside 加1分) contradicts its block, and is
    kept word for word under a comment naming the deduction, never drafted as `得 1 分` (before, 扣1分 there became
    an award of the point it takes away). An item that adds is read as before."""
    rows = [HEADER, ("过程（10）", "合规性（10）", "合规", "10", "由评价人员酌情评分，须说明理由。"), ("加分项", "", "", "", "")]
    draft = imported_table(tmp_path, rows + [("加分项", "", name, points, text) for name, points, text in BONUS_ITEMS])
    assert leaf_lines(draft, "省级表彰") == ["要素 每项 1 分", "- 获得省级表彰的"]
    for name, _points, text in BONUS_ITEMS[1:]:
        lines = leaf_lines(draft, name)
        assert lines[0].startswith("# 待定：加分项只加分，这一项的评分标准却写着扣1分") and "自相矛盾" in lines[0]
        assert lines[1:] == ["评分标准 " + text.replace("\n", "")]
        assert not any("得 1 分" in line or line.startswith(("要素", "选择", "按项扣分")) for line in lines)
    assert draft.placeholders == tuple(("加分项", name) for name, _, _ in BONUS_ITEMS[1:])
    assert [e.split()[0] for e in _errors(draft)] == ["E406"] * 3


def test_an_addition_in_a_penalty_item_is_left_to_write_not_read_as_a_deduction(tmp_path):
    """The mirror of the above: in a 逆向指标 the rule gives the deduction, so 加1分 read there would take away the
    point the text adds (it drafted `要素 每项 1 分`). Kept word for word under a comment; a deduction reads as before."""
    items = [("获得表彰", "1", "获得表彰的，加1分；不符合的，不扣分。"), ("通报批评", "1", "受到通报批评的，扣1分；不符合的，不扣分。")]
    rows = [HEADER, ("过程（10）", "合规性（10）", "合规", "10", "由评价人员酌情评分，须说明理由。")]
    draft = imported_table(tmp_path, rows + [("逆向指标", "", name, points, text) for name, points, text in items])
    assert leaf_lines(draft, "获得表彰") == [
        "# 待定：逆向指标只扣分，这一项的评分标准却写着加1分，与逆向指标自相矛盾（加分的情形可写进加分项），"
        "原文如下；请据此写出规则。", "评分标准 获得表彰的，加1分；不符合的，不扣分。"]
    assert leaf_lines(draft, "通报批评") == ["要素 每项 1 分", "- 受到通报批评的"]
    assert draft.placeholders == (("逆向指标", "获得表彰"),)


def test_a_block_that_both_adds_and_deducts_is_split_by_what_each_item_does(tmp_path):
    """A 加减分项 (000's, 001's fifth category) is one block in the table; idsl adds in a 加分项 and deducts in a 扣分项,
    so each item goes where its text says (before, the whole block became a 逆向指标 and 加1分 a deduction). An item
    doing both is left to write, with a comment asking for two items."""
    items = [("获得表彰", "2", "获得省级表彰的，加1分；不符合的，不加分。"), ("通报批评", "2", "受到通报批评的，扣1分；不符合的，不扣分。"),
             ("表彰与批评", "2", "获得市级表彰的，加1分；受到通报批评的，扣1分。")]
    rows = [HEADER, ("过程（10）", "合规性（10）", "合规", "10", "由评价人员酌情评分，须说明理由。")]
    draft = imported_table(tmp_path, rows + [("加减分项（5分）", "", name, points, text) for name, points, text in items])
    text = draft.text
    assert "# 原表的「加减分项」既加分又扣分：按各项的评分标准拆成加分项、扣分项两块，原表的上限 5 分两块各写一次，请核对。" in text
    bonus, penalty = text.index('加分项 "加减分项（加分）"（5）'), text.index('逆向指标 "加减分项（扣分）"（5）')
    assert bonus < text.index("获得表彰（2）") < penalty < text.index("通报批评（2）") < text.index("表彰与批评（2）")
    assert leaf_lines(draft, "获得表彰") == ["要素 每项 1 分", "- 获得省级表彰的"]
    assert leaf_lines(draft, "通报批评") == ["要素 每项 1 分", "- 受到通报批评的"]
    assert leaf_lines(draft, "表彰与批评")[0].startswith("# 待定：这一项既加分又扣分（加1分、扣1分）")
    assert draft.placeholders == (("加减分项（扣分）", "表彰与批评"),)
    assert [e.split()[0] for e in _errors(draft)] == ["E406"]


def test_a_target_kept_down_to_a_count_in_a_scoring_standard_is_a_whole_count(tmp_path):
    """指标值：≤1笔 in a 评分标准 drafts its 实际值 as a 问题数, as the 自评表's 年度指标值 does (it was a 数量 笔)."""
    draft = _draft(tmp_path, [("违规支出", "4", "指标值：≤1笔。达到目标得满分，未达到按完成比例得分。")])
    assert leaf_lines(draft, "违规支出") == ["输入 实际值：问题数", "目标 实际值 ≤ 1 笔"]
    assert not _errors(draft)
    assert [_score(draft, "违规支出", {"实际值": n}) for n in (0, 1, 2)] == [4, 4, 2]


def _penalty_draft(tmp_path, items):
    """The draft of a Word table whose 逆向指标 holds (name, 分值, 评分标准) items, beside one 酌情 leaf of 10."""
    rows = [HEADER, ("过程（10）", "合规性（10）", "合规", "10", "由评价人员酌情评分，须说明理由。")]
    return imported_table(tmp_path, rows + [("逆向指标", "", name, points, text) for name, points, text in items])


def _both_engines(draft, tmp_path, units: list[dict]) -> tuple[dict[str, dict], set[str]]:
    """The draft's units scored by DuckDB and by the interpreter, their results alike: the rows by unit, and the
    units refused."""
    loaded = load_text(Source("draft.idsl", draft.text))
    by_duckdb, _ = score_with_both_engines(lower(loaded.spec, loaded.sources), rows_csv(tmp_path, units), tmp_path, False)
    with open(tmp_path / "a.csv", encoding="utf-8-sig", newline="") as stream:
        return {row["单位"]: row for row in csv.DictReader(stream)}, {e.unit for e in by_duckdb.errors}


JUDGED_DEDUCTIONS = {
    "plain": ("10", "按实际情况酌情扣分。", ["酌情"]),
    "capped": ("10", "按实际情况酌情扣分处理，上限10分。", ["酌情"]),
    "cap_above": ("5", "按实际情况酌情扣分处理，上限10分。",
                  ["# 上限：原表写“上限10分”，本项分值 5 分，按较小的 5 分写出，请核对。", "酌情"]),
    "at_most": ("5", "视情况扣分，最多扣2分。", ["# 上限：原表写“最多扣2分”，本项分值 5 分，按较小的 2 分写出，请核对。", "酌情 0～2 分"]),
}


@pytest.mark.parametrize(("points", "text", "lines"), JUDGED_DEDUCTIONS.values(), ids=JUDGED_DEDUCTIONS.keys())
def test_a_deduction_left_to_judgement_in_a_penalty_item_is_judged(tmp_path, points, text, lines):
    """按实际情况酌情扣分(处理), 视情况扣分 in a 逆向指标 are the evaluator's deduction, with a reason: 酌情, from 0 to
    the item's points, or to a cap the text writes below them (the smaller holds, and a comment says so). Before,
    each was left to write (002's 自评工作质量 among them)."""
    draft = _penalty_draft(tmp_path, [("自评工作质量", points, text)])
    assert leaf_lines(draft, "自评工作质量") == lines
    assert not _errors(draft) and draft.kinds == {"酌情": 2} and not draft.placeholders
    cap = "2" if "最多扣2分" in text else points
    units = [{"单位": name, "过程/合规性/合规.得分": "10", "过程/合规性/合规.理由": "无",
              "逆向指标/自评工作质量.得分": deducted, "逆向指标/自评工作质量.理由": "自评材料逾期提交"}
             for name, deducted in (("甲", "0"), ("乙", "2"), ("丙", cap), ("丁", str(int(cap) + 1)))]
    rows, refused = _both_engines(draft, tmp_path, units)
    assert [Decimal(rows[name]["逆向指标/自评工作质量"]) for name in ("甲", "乙", "丙")] == [0, 2, Decimal(cap)]
    assert [Decimal(rows[name]["总分"]) for name in ("甲", "乙", "丙")] == [10, 8, 10 - Decimal(cap)]
    assert refused == {"丁"}  # beyond the cap the deduction is refused, not held at it


COUNTED_BANDS = ["输入 违规笔数：问题数", "分档 违规笔数"]


def test_numbered_bands_naming_their_subject_once_are_the_compact_bands(tmp_path):
    """1. 违规笔数=0笔的，得满分；2. ≥1笔且<3笔的，扣5分；… numbers the compact 违规笔数=0笔得满分；≥1笔且<3笔扣5分；…
    and reads as it does: the first band's subject carried on, the count a 问题数. Before, the text became a 选择
    whose options were the conditions."""
    text = "1. 违规笔数=0笔的，得满分；\n2. ≥1笔且<3笔的，扣5分；\n3. ≥3笔的，不得分。"
    draft = _draft(tmp_path, [("资金合规", "10", text)])
    assert leaf_lines(draft, "资金合规") == COUNTED_BANDS + [
        "违规笔数 = 0：得满分", "1笔 ≤ 违规笔数 < 3笔：扣 5 分", "违规笔数 ≥ 3笔：不得分"]
    assert not _errors(draft) and draft.kinds == {"分档": 1}
    units = [{"单位": str(n), "过程/合规性/资金合规.违规笔数": str(n)} for n in (0, 1, 2, 3, 5)]
    rows, refused = _both_engines(draft, tmp_path, units)
    assert [Decimal(rows[str(n)]["过程/合规性/资金合规"]) for n in (0, 1, 2, 3, 5)] == [10, 5, 5, 0, 0]
    assert not refused


def test_numbered_bands_in_a_penalty_item_give_the_deduction_of_the_count(tmp_path):
    """In a 逆向指标 the same numbered text (不扣分, 扣1分, 扣2分) is bands over the count giving the deduction, as a
    penalty item's rule does: the evaluator enters the 违规笔数, `扣 1 分` there deducting 1. Before, it drafted a 选择
    whose options were named 违规笔数=0笔, ≥1笔且<3笔, ≥3笔: the evaluator picked a condition instead of the count."""
    text = "1. 违规笔数=0笔的，不扣分；2. ≥1笔且<3笔的，扣1分；3. ≥3笔的，扣2分。"
    draft = _penalty_draft(tmp_path, [("违规支出", "2", text)])
    assert leaf_lines(draft, "违规支出") == COUNTED_BANDS + [
        "违规笔数 = 0：不扣分", "1笔 ≤ 违规笔数 < 3笔：扣 1 分", "违规笔数 ≥ 3笔：扣 2 分"]
    assert not _errors(draft) and draft.kinds == {"酌情": 1, "分档": 1}
    units = [{"单位": str(n), "过程/合规性/合规.得分": "10", "过程/合规性/合规.理由": "无",
              "逆向指标/违规支出.违规笔数": str(n)} for n in (0, 1, 2, 3, 5)]
    rows, refused = _both_engines(draft, tmp_path, units)
    assert [Decimal(rows[str(n)]["逆向指标/违规支出"]) for n in (0, 1, 2, 3, 5)] == [0, 1, 1, 2, 2]
    assert [Decimal(rows[str(n)]["总分"]) for n in (0, 1, 3)] == [10, 9, 8]
    assert not refused


def test_bands_written_with_ascii_commas_and_semicolons_import_as_bands(tmp_path):
    """1. 比率≤3%的,得2分; 2. 3%<比率≤10%的,得1分; … (002's 预算调整率, its commas and semicolons ASCII) reads as the
    same bands written ，and ；. Before, the text was left to write."""
    text = "1. 比率≤3%的,得2分; 2. 3%<比率≤10%的,得1分; 3. 比率>10%的,得0分。"
    draft = _draft(tmp_path, [("预算调整率", "2", text)])
    assert draft.kinds == {"分档": 1} and not draft.placeholders
    assert leaf_lines(draft, "预算调整率")[-3:] == ["比率 ≤ 3%：得 2 分", "3% < 比率 ≤ 10%：得 1 分", "比率 > 10%：得 0 分"]
    assert not _errors(draft)
    plan = lower(*(lambda loaded: (loaded.spec, loaded.sources))(load_text(Source("draft.idsl", draft.text))))
    scores = [idsl.score(plan, {"inputs": {"预算调整率": {"比率": rate}}}).total for rate in ("3%", "3.5%", "10.5%")]
    assert scores == [2, 1, 0]


def test_a_penalty_item_written_whole_in_its_explanation_reads_its_last_sentence_as_the_rule(tmp_path):
    """A 逆向指标 item whose 评分标准 cell is blank, its rule ending the 指标说明 (002's 自评工作质量, 实施整改情况,
    政府采购执行情况): the last sentence that reads as a rule is the rule, the sentences before it the 解释. Before,
    the item was left to write with （表中没有评分标准）."""
    rows = [("一级指标", "二级指标", "三级指标", "分值", "指标说明", "评分标准"),
            ("过程（10）", "合规性（10）", "合规", "10", "", "由评价人员酌情评分，须说明理由。"),
            ("逆向指标", "", "自评工作质量", "10", "①是否按时完成自评;②自评材料是否真实。按实际情况酌情扣分处理,上限10分。", ""),
            ("逆向指标", "", "实施整改情况", "5", "上年度报告中提出的问题整改情况。已经完成不扣分,其他按整改程度酌情扣分处理,上限5分。", ""),
            ("逆向指标", "", "政府采购", "5", "如需政府采购，应合法合规。若出现违反相关规定，受到有关管理部门处罚的，扣 5 分。", ""),
            ("逆向指标", "", "资产处置", "5", "资产处置应合法合规。违规处置资产的，按情节轻重扣分。", "")]
    draft = imported_table(tmp_path, rows)
    assert leaf_lines(draft, "自评工作质量") == ["解释 ①是否按时完成自评;②自评材料是否真实。", "酌情"]
    assert leaf_lines(draft, "实施整改情况") == ["解释 上年度报告中提出的问题整改情况。", "酌情"]
    assert leaf_lines(draft, "政府采购") == ["解释 如需政府采购，应合法合规。", "选择 政府采购情况",
                                          "违反相关规定，受到有关管理部门处罚：5 分", "无此类现象：0 分"]
    assert list(draft.placeholders) == [("逆向指标", "资产处置")]  # no rule idsl reads: kept to write, words and all
    assert leaf_lines(draft, "资产处置")[0] == "解释 资产处置应合法合规。违规处置资产的，按情节轻重扣分。"
    assert [e.split()[0] for e in _errors(draft)] == ["E406"]


FIXED_DEDUCTIONS = {
    "case_only": ("5", "若出现违反相关规定，受到有关管理部门处罚或通报批评的，扣 5 分。", "无此类现象"),
    "none_before": ("5", "无此类现象不扣分，若出现违反相关规定，受到有关管理部门处罚或通报批评的，扣 5 分。", "无此类现象"),
    "none_after": ("10", "违反相关规定，受到有关管理部门处罚或通报批评的，扣 10 分，未发生此类情况不扣分。", "未发生此类情况"),
}


@pytest.mark.parametrize(("points", "text", "absent"), FIXED_DEDUCTIONS.values(), ids=FIXED_DEDUCTIONS.keys())
def test_a_fixed_deduction_on_a_described_case_in_a_penalty_item_is_a_choice(tmp_path, points, text, absent):
    """若出现…处罚或通报批评的，扣5分 in a 逆向指标 (002's 政府采购执行情况, 建设工程招标投标执行情况, 违法违纪行为),
    its absence (无此类现象不扣分) before or after it or unsaid, is a 选择 of the case in the text's words and of its
    absence: the evaluator picks whether it happened. Before, each was left to write."""
    draft = _penalty_draft(tmp_path, [("招标投标执行情况", points, text)])
    case = "违反相关规定，受到有关管理部门处罚或通报批评"
    assert leaf_lines(draft, "招标投标执行情况") == [
        "选择 招标投标执行情况", f"{case}：{points} 分", f"{absent}：0 分"]
    assert not _errors(draft) and draft.kinds == {"酌情": 1, "选择": 1}
    units = [{"单位": name, "过程/合规性/合规.得分": "10", "过程/合规性/合规.理由": "无",
              "逆向指标/招标投标执行情况.招标投标执行情况": picked} for name, picked in (("甲", case), ("乙", absent))]
    rows, refused = _both_engines(draft, tmp_path, units)
    assert [Decimal(rows[name]["总分"]) for name in ("甲", "乙")] == [10 - Decimal(points), 10] and not refused


@pytest.mark.parametrize(("kind", "text"), [("penalty", "违规≥3笔的，扣5分。"), ("penalty", "每出现一次违规的，扣5分。"),
                                            ("score", "若出现违反相关规定，受到处罚的，扣5分。")])
def test_a_deduction_on_a_counted_case_or_in_a_scored_indicator_is_no_choice(tmp_path, kind, text):
    """A case holding a number or a count (违规≥3笔, 每出现一次) is no described case, and in a scored indicator a
    fixed deduction leaves the points above it unsaid: neither is drafted as a 选择 of the case."""
    drafting = _penalty_draft if kind == "penalty" else _draft
    draft = drafting(tmp_path, [("违规", "5", text)])
    assert not any(line.startswith("选择") for line in leaf_lines(draft, "违规"))


SELF_ASSESSED = {
    "own_score": ("重点工作完成率", "本项得分由单位自行评估实际得分,按照完成实际效果自评打分。 重点工作是指党委、政府交办的工作任务。",
                  "本项得分由单位自行评估实际得分，按照完成实际效果自评打分。重点工作是指党委、政府交办的工作任务。"),
    "by_name": ("绩效目标完成率", "绩效目标完成率由单位自行评估,但需要提出合理的依据。", "绩效目标完成率由单位自行评估，但需要提出合理的依据。"),
}


@pytest.mark.parametrize(("leaf", "text", "kept"), SELF_ASSESSED.values(), ids=SELF_ASSESSED.keys())
def test_a_score_the_unit_assesses_itself_is_the_evaluators_judgement(tmp_path, leaf, text, kept):
    """本项得分由单位自行评估实际得分… and 绩效目标完成率由单位自行评估，但需要提出合理的依据 (002's 重点工作完成率 and
    绩效目标完成率) are the evaluator's score with a reason, 酌情, the text kept above it as the 评分标准 (its notes
    too). Before, each was left to write."""
    draft = _draft(tmp_path, [(leaf, "3", text)])
    assert leaf_lines(draft, leaf) == [f"评分标准 {kept}", "酌情"]
    assert not _errors(draft) and draft.kinds == {"酌情": 1}
    assert _score(draft, leaf, {"得分": "2.5", "理由": "完成主要任务"}) == Decimal("2.5")


@pytest.mark.parametrize("text", ["完成率由单位自行评估。", "本项得分由单位自行评估。未提供依据的，不得分。"])
def test_a_self_assessment_of_something_else_or_beside_a_rule_is_left_to_write(tmp_path, text):
    """A self-assessment of a quantity other than the indicator (完成率 under 绩效目标完成率), or beside a sentence that
    scores, does not say the whole score is judged: kept to write, its words kept."""
    draft = _draft(tmp_path, [("绩效目标完成率", "3", text)])
    assert list(draft.placeholders) == [("过程", "合规性", "绩效目标完成率")] and text in draft.text


PER_FINDING = "符合预算编制的原则和要求的,符合项目库管理要求的,得5分;发现一项没有满足的扣1分,扣完为止。本指标由评价组对照预算编制文件评定。"


def test_a_per_finding_deduction_after_the_full_points_is_read_with_the_text_kept(tmp_path):
    """…要求的，得5分；发现一项没有满足的扣1分，扣完为止 (002's 预算编制规范性), a note after it, is 按项扣分 over the
    未满足项数 as specs/002 writes it, the text kept as the 评分标准. Before, the full points written first left it
    to write."""
    draft = _draft(tmp_path, [("预算编制规范性", "5", PER_FINDING)])
    assert leaf_lines(draft, "预算编制规范性")[1:] == ["输入 未满足项数：问题数", "按项扣分 未满足项数 每项 1 分，扣完为止"]
    assert leaf_lines(draft, "预算编制规范性")[0].startswith("评分标准 符合预算编制的原则和要求的，")
    assert not _errors(draft) and draft.kinds == {"按项扣分": 1}
    assert [_score(draft, "预算编制规范性", {"未满足项数": n}) for n in (0, 2, 7)] == [5, 3, 0]


@pytest.mark.parametrize("text", [PER_FINDING.replace("得5分", "得4分"), PER_FINDING.replace("评定。", "评定，不符合的不得分。")])
def test_a_per_finding_deduction_below_other_points_or_beside_a_scoring_note_is_left_to_write(tmp_path, text):
    """Full points written other than the indicator's, or a note that scores as well, leave the rule unsaid."""
    draft = _draft(tmp_path, [("预算编制规范性", "5", text)])
    assert list(draft.placeholders) == [("过程", "合规性", "预算编制规范性")]


def test_two_amounts_compared_under_a_rate_are_the_rate_banded_at_100_percent(tmp_path):
    """日常公用经费决算数≤日常公用经费调整预算数,得2分,否则不得分 under 公用经费控制率 (002) is the rate of the first
    amount to the second, ≤ 100% the 2 points and above it none, as specs/002 writes it. Before, it was left to
    write. Under a name that is no rate (经费控制) the text stays to write."""
    text = "日常公用经费决算数≤日常公用经费调整预算数,得2分,否则不得分。"
    draft = _draft(tmp_path, [("公用经费控制率", "2", text)])
    assert leaf_lines(draft, "公用经费控制率") == [
        "输入 日常公用经费决算数：金额 万元，日常公用经费调整预算数：金额 万元",
        "公用经费控制率 = 日常公用经费决算数 ÷ 日常公用经费调整预算数", "分档 公用经费控制率",
        "公用经费控制率 ≤ 100%：得 2 分", "公用经费控制率 > 100%：不得分"]
    assert not _errors(draft) and draft.kinds == {"分档": 1}
    units = [{"单位": spent, "过程/合规性/公用经费控制率.日常公用经费决算数": spent,
              "过程/合规性/公用经费控制率.日常公用经费调整预算数": "100"} for spent in ("99.5", "100", "100.01")]
    rows, refused = _both_engines(draft, tmp_path, units)
    assert [Decimal(rows[spent]["总分"]) for spent in ("99.5", "100", "100.01")] == [2, 2, 0] and not refused
    assert list(_draft(tmp_path, [("经费控制", "2", text)]).placeholders) == [("过程", "合规性", "经费控制")]


def test_a_grade_row_spaced_out_with_ascii_brackets_is_read(tmp_path):
    """002's 等级 (90 (含) -100 分为优、80 (含) -90 分为良、60 (含) -80 分为中、60 分以下为差) is its grades, the
    blanks and ASCII brackets as the table prints them. Before, the draft fell back to the usual 90% / 80% / 60%
    with a comment that the row could not be read."""
    grades = "等级 (90 (含) -100 分为优、80 (含) -90 分为良、60 (含) -80 分为中、60 分以下为差)"
    draft = _draft(tmp_path, [("合规", "100", "由评价人员酌情评分，须说明理由。")], grades)
    assert "等级 优：总分 ≥ 90；良：80 ≤ 总分 < 90；中：60 ≤ 总分 < 80；差：总分 < 60" in draft.text.splitlines()
    assert "未能读出" not in draft.text


def test_a_band_whose_award_follows_a_comma_is_read_as_the_compact_band(tmp_path):
    """控制率≤100%，得2分，否则不得分 reads as 控制率≤100%得2分，否则不得分 does, the rate declared able to pass 100%
    where 否则 waits for it. Before, the comma before 得2分 left the text to write, and without it 否则 was E405."""
    draft = _draft(tmp_path, [("控制率", "2", "控制率≤100%，得2分，否则不得分。")])
    assert leaf_lines(draft, "控制率")[-3:] == ["分档 控制率", "控制率 ≤ 100%：得 2 分", "否则：不得分"]
    assert draft.kinds == {"分档": 1} and not _errors(draft)


def test_one_element_and_its_points_alone_is_a_checklist_of_one(tmp_path):
    """002's 预算编制规划性 (4): 本部门…政策依据充分的，得2分。 is the one element's case and its points, a 要素 of one
    item, so the checker finds what the table got wrong (E401: at most 2 of 4). Before, it was left to write."""
    text = "本部门（单位）在预算编制时、按要求编制中期财政规划、政策依据充分的，得2分。"
    draft = _draft(tmp_path, [("预算编制规划性", "4", text)])
    assert leaf_lines(draft, "预算编制规划性") == ["要素", "- 本部门（单位）在预算编制时、按要求编制中期财政规划、政策依据充分的（2分）"]
    assert [e.split()[0] for e in _errors(draft)] == ["E401"]


@pytest.mark.parametrize("closing", ["对上述2项标准,没有完全符合的,可酌情扣分。", "评价时发现有项目不符合上述条件的,酌情扣分。",
                                     "3. 其他情况酌情扣分。"])
def test_numbered_elements_closed_by_a_discretion_sentence_are_a_checklist_with_discretion(tmp_path, closing):
    """Numbered elements with their points, closed by a sentence leaving partial compliance to the evaluator (002's
    绩效目标合理性, 项目实施程序, 制度措施), are `要素 可酌情`; an element's award may follow its 的 straight
    (…制度的得1分). Before, only 不完全符合的，可酌情扣分 closed such a checklist."""
    text = f"1.管理办法健全、规范的,得1分; 2.部门制订了绩效管理制度的得1分; {closing}"
    draft = _draft(tmp_path, [("制度措施", "2", text)])
    assert leaf_lines(draft, "制度措施") == ["要素 可酌情", "- 管理办法健全、规范的（1分）", "- 部门制订了绩效管理制度的（1分）"]
    assert not _errors(draft)


def test_a_name_broken_across_a_page_is_one_leaf(tmp_path):
    """预决算信息公 | 开 (002: the name's last character on the next page, the row continuing its texts): a name with
    no points below the last leaf, whose points already complete the parent's, ends that leaf's name. A leaf without
    points where the parent still lacks some stays a leaf of its own."""
    rows = [HEADER, ("过程（6）", "资金管理（6）", "制度", "2", "由评价人员酌情评分，须说明理由。"),
            ("过程（6）", "资金管理（6）", "预决算信息公", "4", "由评价人员酌情评分，"),
            ("过程（6）", "资金管理（6）", "开", "", "须说明理由。")]
    draft = imported_table(tmp_path, rows)
    assert leaf_lines(draft, "预决算信息公开") == ["酌情"] and draft.leaves == 2 and not _errors(draft)
    rows[1:] = [("过程（10）", "资金管理（10）") + row[2:] for row in rows[1:]]  # 2 + 4 of 10: 开 is a leaf of its own
    assert imported_table(tmp_path, rows).leaves == 3


def test_a_guessed_rate_compared_above_100_percent_may_exceed_it(tmp_path):
    """比率≤100%的,得2分; 比率>100%的,得0分 (002's 人员管理, 在编人数 over 编制数): the guessed rate is declared
    范围 0%～1000%, so the band above 100% can be reached. Before, the draft's own guess made it E405."""
    draft = _draft(tmp_path, [("人员管理", "2", "1. 比率≤100%的,得2分; 2. 比率>100%的,得0分。")])
    assert leaf_lines(draft, "人员管理")[0] == "输入 比率：比率 范围 0%～1000%" and not _errors(draft)
    plan = lower(*(lambda loaded: (loaded.spec, loaded.sources))(load_text(Source("draft.idsl", draft.text))))
    assert idsl.score(plan, {"inputs": {"人员管理": {"比率": "120%"}}}).total == 0


def test_a_formula_with_its_terms_after_qizhong_and_a_judged_deduction_is_read(tmp_path):
    """本指标得分=本指标满分分值×全年平均支出进度。其中:全年平均支出进度=(…)÷2; 若存在不可抗拒因素,则酌情扣分 (002's
    部门预算支出率): the 得分 = of the defined progress, and the evaluator's deduction up to the points, with a reason
    and a comment on the cap, the text kept as the 评分标准, as specs/002 writes it. Before, it was left to write. A
    clause after 其中 that is no definition leaves the text to write."""
    text = ("本指标得分=本指标满分分值×全年平均支出进度。 其中:全年平均支出进度=(上半年支出进度+全年支出进度)÷2; "
            "若存在不可抗拒因素,则酌情扣分。")
    draft = _draft(tmp_path, [("部门预算支出率", "6", text)])
    assert leaf_lines(draft, "部门预算支出率")[1:] == [
        "输入 上半年支出进度：比率，全年支出进度：比率", "全年平均支出进度 = (上半年支出进度+全年支出进度)÷2",
        "得分 = 分值×全年平均支出进度", "# 原文未限定酌情扣分的幅度，上限取本指标分值。", "酌情扣分 最多 6 分，须说明理由"]
    assert leaf_lines(draft, "部门预算支出率")[0].startswith("评分标准 本指标得分=本指标满分分值×全年平均支出进度。其中：")
    assert not _errors(draft) and draft.kinds == {"得分": 1}
    given = {"上半年支出进度": "40%", "全年支出进度": "90%"}
    assert _score(draft, "部门预算支出率", given) == Decimal("3.9")
    assert _score(draft, "部门预算支出率", {**given, "酌情扣分": "1", "理由": "疫情停工"}) == Decimal("2.9")
    unread = text.replace("若存在不可抗拒因素,则酌情扣分", "进度不足的按比例扣分")
    assert list(_draft(tmp_path, [("部门预算支出率", "6", unread)]).placeholders) == [("过程", "合规性", "部门预算支出率")]


COUNTS_BY_YEAR = {
    # 008's C301: bases and awards counted, the year after the count's 数 (补助基地数2021) or none
    "bases": ("集训基地及时率=当年补助基地数/应补助基地数×100%。\n得分=min(集训基地及时率，100%)×分值。",
              "输入 当年补助基地数：数量 个，应补助基地数：数量 个"),
    "by year": ("奖补及时率=(实发奖补数2021/应发放奖补数2021+实发奖补数2022/应发放奖补数2022)÷2。\n"
                "得分=min(奖补及时率，100%)×分值。",
                "输入 实发奖补数2021：数量 个，应发放奖补数2021：数量 个，实发奖补数2022：数量 个，应发放奖补数2022：数量 个"),
    "series": ("及时率=(补助基地数2021/计划基地数2021+补助基地数2022/计划基地数2022)÷2。\n得分=min(及时率，100%)×分值。\n"
               "补助基地数、计划基地数按2021—2022年逐年填列。",
               "输入 补助基地数：数量 个 年度 2021～2022，计划基地数：数量 个 年度 2021～2022"),
    # a figure of money counted in 数 stays an amount, its year or not
    "amounts": ("执行率=(执行数2021/预算数2021+执行数2022/预算数2022)÷2。\n得分=min(执行率，100%)×分值。",
                "输入 执行数2021：金额 万元，预算数2021：金额 万元，执行数2022：金额 万元，预算数2022：金额 万元"),
    "adjusted": ("调整率=预算调整数2024/年初预算数2024×100%。\n调整率≤5%得2分，调整率>5%不得分。",
                 "输入 预算调整数2024：金额 万元 可负，年初预算数2024：金额 万元"),
}


@pytest.mark.parametrize(("text", "declared"), COUNTS_BY_YEAR.values(), ids=COUNTS_BY_YEAR.keys())
def test_a_count_named_x_shu_is_a_count_with_or_without_its_year(tmp_path, text, declared):
    """补助基地数, 应发放奖补数2021: what a 数 counts (基地, 奖补) is a whole count, the year after it (补助基地数2021)
    hiding nothing; 预算数, 执行数, 调整数 (figures of money) stay amounts. Before, 金额 万元."""
    draft = _draft(tmp_path, [("补助及时率", "2", text)])
    assert leaf_lines(draft, "补助及时率")[0] == declared
    assert not _errors(draft)
