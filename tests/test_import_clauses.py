"""idsl import on the clauses of 部门整体 tables that say more than one rule: elements with notes, named parts, a
formula after 其中 with its case, a case of all beside a formula, choices summed, a change rate's base year at 0, and the
constructs of 008's table: a questionnaire in worded options, an equal split in fractions, a trend, parts by year with
a deviation each, inputs given year by year."""

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


def _draft(tmp_path, name: str, points: str, text: str):
    return imported_table(tmp_path, [HEADER, (f"过程（{points}）", f"管理（{points}）", name, points, text)])


def _findings(draft) -> list[str]:
    return [f"{d.code} {d.message}" for d in check(load_text(Source("draft.idsl", draft.text)))]


def _plan(draft):
    loaded = load_text(Source("draft.idsl", draft.text))
    return lower(loaded.spec, loaded.sources)


def _score(draft, name: str, inputs: dict) -> Decimal:
    return idsl.score(_plan(draft), {"inputs": {name: inputs}}).total


NOTED_ELEMENTS = {
    "failing_case": ("1.制度健全的,得1分; 2.包含量化指标的,得1分;完全没有量化指标的,不得分; "
                     "对上述2项标准,没有完全符合的,可酌情扣分。", "2",
                     ["- 制度健全的（1分）", "- 包含量化指标的（完全没有量化指标的，不得分）（1分）"]),
    "bracket_and_case": ("1. 建立台账且更新及时的,得1分; 2. 开展现场核查的,得2分(需附核查记录,否则不得分);"
                         "如年度审计发现重大问题的,本项不得分。 评价时发现有项目不符合上述条件的,酌情扣分。", "3",
                         ["- 建立台账且更新及时的（1分）",
                          "- 开展现场核查的（需附核查记录，否则不得分；如年度审计发现重大问题的，本项不得分）（2分）"]),
}


@pytest.mark.parametrize(("text", "points", "items"), NOTED_ELEMENTS.values(), ids=NOTED_ELEMENTS.keys())
def test_an_element_with_its_failing_case_or_a_note_is_one_element_with_the_note(tmp_path, text, points, items):
    """…的,得1分;完全没有…的,不得分 (002's 绩效指标明确性) says the element's failing case, and 得3分(需提供…,否则不得分);
    如…的,本项不得分 (002's 项目监管) its conditions: one element each, the rest of its words a note in brackets, under
    the closing 酌情 sentence `要素 可酌情`. Before, both were left to write."""
    draft = _draft(tmp_path, "项目监管", points, text)
    assert leaf_lines(draft, "项目监管") == ["要素 可酌情", *items]
    assert not _findings(draft) and draft.kinds == {"要素": 1}
    assert _score(draft, "项目监管", {"要素": ["是", "否"]}) == 1
    assert _score(draft, "项目监管", {"要素": [1, Decimal("0.5")], "理由": "部分台账未更新"}) == Decimal("1.5")


def test_numbered_parts_named_with_their_points_and_a_judged_deduction_are_elements_with_discretion(tmp_path):
    """`X 1 分, …的得满分, 否则酌情扣分` and `…, 视情节严重情况扣分, 直至扣到0分` (002's 财务合规性): each part an
    element worth its points, named `X：` before its case, the cases it deducts for kept as its note, the evaluator
    giving a share of it (可酌情); an unnamed part `…的得1分, 否则酌情扣分` likewise. Before, left to write."""
    text = ("1. 资金拨付及时性 2 分, 按合同约定节点拨付资金的得满分, 否则酌情扣分。 2. 票据合规性 1 分, 报销票据齐全合规的"
            "得满分, 票据缺失或不合规的, 视具体情况扣分, 直至扣到 0 分。 3. 大额支出经集体决策的得 1 分, 否则酌情扣分。")
    draft = _draft(tmp_path, "资金使用合规性", "4", text)
    assert leaf_lines(draft, "资金使用合规性") == [
        "要素 可酌情", "- 资金拨付及时性：按合同约定节点拨付资金的（2分）",
        "- 票据合规性：报销票据齐全合规的（票据缺失或不合规的，视具体情况扣分，直至扣到0分）（1分）",
        "- 大额支出经集体决策的（1分）"]
    assert not _findings(draft)
    assert _score(draft, "资金使用合规性", {"要素": [2, Decimal("0.5"), 1], "理由": "票据缺失2张"}) == Decimal("3.5")


def test_a_formula_run_into_qizhong_with_a_case_on_its_amounts_and_a_note_is_read(tmp_path):
    """`本指标得分=本指标满分分值×R 其中:R=(A合计数/B合计数)×100%; 如A大于B则本项不得分。 …是指…。` (002's 政府采购执行率,
    its line break lost): the rate of the amounts the case names, the case, and the formula — the rate written
    min(R, 100%) with a comment, since the case already gives 0 above 100% (else the checker would call it unbounded);
    the sentence saying what a term means is kept with the text. Before, left to write."""
    text = ("本指标得分=本指标满分分值×资金到位率 其中:资金到位率=(实际到位资金合计数/计划到位资金合计数)×100%; "
            "如实际到位资金大于计划到位资金则本项不得分。 到位资金是指财政部门实际拨付到项目单位的资金。")
    draft = _draft(tmp_path, "资金到位率", "3", text)
    lines = leaf_lines(draft, "资金到位率")
    assert lines[0].startswith("评分标准 本指标得分=本指标满分分值×资金到位率") and lines[1:] == [
        "输入 实际到位资金：金额 万元，计划到位资金：金额 万元", "资金到位率 = 实际到位资金/计划到位资金",
        "若 实际到位资金 > 计划到位资金 则 不得分", "# 资金到位率超过 100% 时上一行已判为不得分；min 只是把这一点写明，结果不变。",
        "得分 = 分值×min(资金到位率, 100%)"]
    assert not _findings(draft) and draft.kinds == {"得分": 1}
    units = rows_csv(tmp_path, [{"单位": name, "过程/管理/资金到位率.实际到位资金": actual,
                                 "过程/管理/资金到位率.计划到位资金": "100"} for name, actual in (("甲", "80"), ("乙", "120"))])
    score_with_both_engines(_plan(draft), units, tmp_path, False)  # their results alike
    with open(tmp_path / "a.csv", encoding="utf-8-sig", newline="") as stream:
        totals = {row["单位"]: Decimal(row["总分"]) for row in csv.DictReader(stream)}
    assert totals == {"甲": Decimal("2.4"), "乙": 0}


ALL_OR_FORMULA = {
    "undone": ("全部整改事项均按期整改到位的,得3分;部分整改事项未按期整改到位的,本项得分=已整改事项数/未整改事项数×3。",
               ["输入 已整改事项数：数量 个，未整改事项数：数量 个", "若 未整改事项数 = 0 则 得 3 分",
                "得分 = 已整改事项数/未整改事项数×3"], {"已整改事项数": 1, "未整改事项数": 2}),
    "total": ("所有项目均已验收的,得满分;部分项目未验收的,得分=已验收项目数/项目总数×4。",
              ["输入 已验收项目数：数量 个，项目总数：数量 个", "若 已验收项目数 = 项目总数 则 得满分",
               "得分 = 已验收项目数/项目总数×4"], {"已验收项目数": 3, "项目总数": 8}),
}


@pytest.mark.parametrize(("text", "lines", "some"), ALL_OR_FORMULA.values(), ids=ALL_OR_FORMULA.keys())
def test_a_case_of_all_beside_a_formula_for_the_rest_is_a_special_case_and_the_formula_as_written(
        tmp_path, text, lines, some):
    """`所有…均…的,得2分;部分…未…的,本项得分=A/B×2` (002's 项目完成及时性): all done is the count of those not done at
    0 (or the ratio's two counts equal), a special case, and the formula stays as the table writes it — the checker
    then says what is wrong with it (uncapped, E401: over 未完成项目数 it has no bound at all). Before, left to
    write."""
    draft = _draft(tmp_path, "整改完成情况", "4", text)
    assert leaf_lines(draft, "整改完成情况") == lines
    undone = "未整改事项数" in text
    assert [f.split()[0] for f in _findings(draft)] == ["E401"]  # A/B of two counts the table leaves uncapped
    done = {"已整改事项数": 5, "未整改事项数": 0} if undone else {"已验收项目数": 8, "项目总数": 8}
    assert _score(draft, "整改完成情况", done) == (3 if undone else 4)
    assert _score(draft, "整改完成情况", some) == Decimal("1.5")


def test_scored_sub_choices_summed_are_a_choice_per_part(tmp_path):
    """`A得分: (1)…的,得2分。(2)…  B得分: (1)…  本指标得分=A得分+B得分` (002's 预决算信息公开, its 计2分 too): a `分项`
    per part worth its best option, a `选择` of the options in it. Before, left to write."""
    text = ("1.绩效目标公开得分:(1)全部公开的,得2分。(2)部分公开的,得1分。(3)未公开的,得0分。 "
            "2.自评结果公开得分:(1)按时公开的,得1分。(2)经批准不公开的,计1分。(3)未公开的,得0分。 "
            "本指标得分=绩效目标公开得分+自评结果公开得分。")
    draft = _draft(tmp_path, "绩效信息公开", "3", text)
    assert leaf_lines(draft, "绩效信息公开") == [
        "分项 绩效目标公开（2）", "选择 绩效目标公开情况", "全部公开：2 分", "部分公开：1 分", "未公开：0 分",
        "分项 自评结果公开（1）", "选择 自评结果公开情况", "按时公开：1 分", "经批准不公开：1 分", "未公开：0 分"]
    assert not _findings(draft) and draft.kinds == {"分项": 1}
    assert _score(draft, "绩效信息公开", {"绩效目标公开情况": "部分公开", "自评结果公开情况": "经批准不公开"}) == 2


def test_bands_on_a_change_rate_with_its_base_year_at_zero_read_as_bands_and_a_special_case(tmp_path):
    """`变动率=(A÷B-1)×100% 1. 变动率≤-20%的,得4分; 2. 变动率≤0但大于-20%的,…; 4. 变动率上年度为0的,本年度仍为0的,
    得4分` (002's 国库集中支付结转结余存量资金效率性): the rate, its bands (…但大于… the band's lower end), and the
    base year at 0 a special case of the two figures, where the rate has no value. Before, left to write."""
    text = ("资金结余变动率=(本年末结余资金÷上年末结余资金-1)×100% 1. 资金结余变动率≤-20%的,得4分; "
            "2. 资金结余变动率≤0但大于-20%的,得2分; 3. 资金结余变动率>0的,不得分; "
            "4. 资金结余变动率上年度为0的,本年度仍为0的,得4分。")
    draft = _draft(tmp_path, "结余资金压减", "4", text)
    assert leaf_lines(draft, "结余资金压减") == [
        "输入 本年末结余资金：金额 万元，上年末结余资金：金额 万元", "资金结余变动率 = 本年末结余资金÷上年末结余资金-1",
        "若 上年末结余资金 = 0 且 本年末结余资金 = 0 则 得 4 分", "分档 资金结余变动率", "资金结余变动率 ≤ -20%：得 4 分",
        "-20% < 资金结余变动率 ≤ 0：得 2 分", "资金结余变动率 > 0：不得分"]
    # as the table says it: the base year at 0 with this year above 0 has no score, which the checker names
    assert [f.split("：")[0] for f in _findings(draft)] == ["W529 “上年末结余资金”为 0 的情形只写了一部分"]
    assert draft.kinds == {"分档": 1}
    scores = [_score(draft, "结余资金压减", {"本年末结余资金": now, "上年末结余资金": before})
              for now, before in ((70, 100), (90, 100), (110, 100), (0, 0))]
    assert scores == [4, 2, 0, 4]


def test_elements_whose_share_goes_by_proportion_keep_it_as_their_note(tmp_path):
    """`…,得1分,否则按比例扣分` (002's 群众信访办理情况): an element the evaluator may give a share of (可酌情), the
    proportion kept as its note. Before, left to write."""
    text = "1.建立了投诉受理台账的,得1分; 2.全年投诉均已办结,得1分,否则按比例扣分。 3.办结均在15个工作日内的,得1分,否则按比例扣分。"
    draft = _draft(tmp_path, "投诉处理", "3", text)
    assert leaf_lines(draft, "投诉处理") == ["要素 可酌情", "- 建立了投诉受理台账的（1分）", "- 全年投诉均已办结（否则按比例扣分）（1分）",
                                     "- 办结均在15个工作日内的（否则按比例扣分）（1分）"]
    assert not _findings(draft)
    assert _score(draft, "投诉处理", {"要素": ["是", Decimal("0.8"), "是"], "理由": "5件中1件未办结"}) == Decimal("2.8")


def test_questions_each_with_full_points_and_a_judged_share_after_a_lead_in_are_elements(tmp_path):
    """`…可以从两个角度评价: 1.Q。全部…的,得5分;只有部分…的,酌情扣分。 2.…` (002's 社会经济环境效益): each angle an
    element `Q：…的` worth its points, partial ones the evaluator's (可酌情), the text kept for its lead-in. Before,
    left to write. A lead-in that scores is no lead-in: the text stays to write."""
    text = ("可以从以下两个方面评价: 1.服务对象的主要诉求是否得到解决。主要诉求均得到解决的,得4分;只有部分诉求得到解决的,酌情扣分。"
            " 2.服务流程是否便捷。流程便捷、无重复提交材料的,得2分;部分环节繁琐的,酌情扣分。")
    draft = _draft(tmp_path, "服务效果", "6", text)
    lines = leaf_lines(draft, "服务效果")
    assert lines[0].startswith("评分标准 可以从以下两个方面评价") and lines[1:] == [
        "要素 可酌情", "- 服务对象的主要诉求是否得到解决：主要诉求均得到解决的（4分）",
        "- 服务流程是否便捷：流程便捷、无重复提交材料的（2分）"]
    assert not _findings(draft)
    assert _score(draft, "服务效果", {"要素": [3, "是"], "理由": "1项诉求未解决"}) == 5
    scored = _draft(tmp_path, "服务效果", "6", text.replace("可以从以下两个方面评价", "未评价的不得分，可以从以下两个方面评价"))
    assert list(scored.placeholders) == [("过程", "管理", "服务效果")]


def test_a_description_with_no_scale_stays_to_write(tmp_path):
    """满意度 described by where its evidence comes from (…是指…。可参考…调查等进行合理的评分), with no scale and no
    range: it stays to write (E406), the text kept — whether it is a questionnaire, bands on a rate or 酌情 is the
    author's decision, not the table's."""
    text = ("服务对象是指接受本部门服务的企业和群众。如难以单独开展满意度调查的,可参考第三方机构的调查结果等进行合理的评分。")
    draft = _draft(tmp_path, "服务对象满意度", "3", text)
    assert list(draft.placeholders) == [("过程", "管理", "服务对象满意度")]
    assert [f.split()[0] for f in _findings(draft)] == ["E406"]


def test_a_questionnaire_whose_options_are_words_is_read_with_its_bands(tmp_path):
    """`满意率=问卷实际得分总计/问卷满分总计×100%（问卷共2题，每题选项满意得100分、一般得60分、不满意得0分）` (008's
    满意度, 非常满意…非常不满意): options named in words, not letters A–Z, are the questionnaire's options as written.
    Before, left to write."""
    text = ("服务满意率=问卷实际得分总计/问卷满分总计×100%（问卷共2题，每题选项满意得100分、一般得60分、不满意得0分）。\n"
            "服务满意率≥85%得满分，低于85%每降低1%扣0.1分，扣完为止。")
    draft = _draft(tmp_path, "群众满意度", "2", text)
    assert leaf_lines(draft, "群众满意度") == [
        "问卷 服务满意率", "选项 满意 100 分，一般 60 分，不满意 0 分", "- 第1题（题目见问卷原文）", "- 第2题（题目见问卷原文）",
        "分档 服务满意率", "服务满意率 ≥ 85%：得满分", "服务满意率 < 85%：每降低 1% 扣 0.1 分，扣完为止"]
    assert not _findings(draft) and draft.kinds == {"分档": 1}
    column = "过程/管理/群众满意度.服务满意率"
    rows = [{"单位": "甲", **{f"{column}.第{n}题.{o}": c for n in (1, 2) for o, c in zip(("满意", "一般", "不满意"), counts)}}
            for counts in [("8", "2", "0")]]  # (8×100 + 2×60) ÷ 1000 = 92% on each question: full points
    rows.append({"单位": "乙", **{f"{column}.第{n}题.{o}": c for n in (1, 2)
                                for o, c in zip(("满意", "一般", "不满意"), ("5", "5", "0"))}})  # 80%: 2 − 5 × 0.1
    score_with_both_engines(_plan(draft), rows_csv(tmp_path, rows), tmp_path, False)
    with open(tmp_path / "a.csv", encoding="utf-8-sig", newline="") as stream:
        totals = {row["单位"]: Decimal(row["总分"]) for row in csv.DictReader(stream)}
    assert totals == {"甲": 2, "乙": Decimal("1.5")}


def test_elements_sharing_the_points_in_a_fraction_are_an_equal_split(tmp_path):
    """`以上要素各占1/3权重分，符合得2/3分，不符合得0分` (008's C203, 1 point over 3 elements): a share that does not end
    is `要素 均分`, the points ÷ the elements exactly; a share that does not add up to the points stays to write."""
    text = "①台账完整；②审批规范；③归档及时。以上要素各占1/3权重分，符合得2/3分，不符合得0分。得分按符合项的分值合计后四舍五入。"
    draft = _draft(tmp_path, "档案管理", "2", text)
    assert leaf_lines(draft, "档案管理") == ["要素 均分", "- 台账完整", "- 审批规范", "- 归档及时"]
    assert not _findings(draft) and draft.kinds == {"要素": 1}
    assert _score(draft, "档案管理", {"要素": ["是", "否", "是"]}) == Decimal("1.33")  # 4/3, rounded once
    assert _score(draft, "档案管理", {"要素": ["是", "是", "是"]}) == 2
    short = _draft(tmp_path, "档案管理", "3", text)  # 3 × 2/3 is 2, not the 3 points
    assert list(short.placeholders) == [("过程", "管理", "档案管理")]


def test_a_figure_against_another_rising_level_or_falling_is_a_trend(tmp_path):
    """`本年服务人次较上年服务人次增加的，得3分；持平的，得2分；减少的，不得分` (008's D102, 提高/持平/下降): a `趋势`
    of the two figures, the table's words for each direction read as 提高, 持平, 下降. Before, left to write."""
    text = "本年服务人次较上年服务人次增加的，得3分；持平的，得2分；减少的，不得分。"
    draft = _draft(tmp_path, "服务覆盖", "3", text)
    assert leaf_lines(draft, "服务覆盖") == [
        "输入 本年服务人次：数量 人，上年服务人次：数量 人", "趋势 本年服务人次 较 上年服务人次：提高 得 3 分；持平 得 2 分；下降 不得分"]
    assert not _findings(draft) and draft.kinds == {"趋势": 1}
    scores = [_score(draft, "服务覆盖", {"本年服务人次": now, "上年服务人次": 100}) for now in (120, 100, 90)]
    assert scores == [3, 2, 0]


def test_parts_named_by_year_each_a_deviation_one_without_data_full_marks(tmp_path):
    """`2023年（1分）：到位率2023=…×100%。到位率2023=100%得满分，与100%相比每偏离1%扣0.01分，扣完为止。…；
    本指标得分=各分项得分之和。` (008's C101—C103): a `分项` per year, its name quoted (a year is no bare name), each a
    `偏离`; `无…数据的，本项得满分` makes that part's inputs 可缺 with `无数据时 得满分`. Before, left to write."""
    text = ("2023年（1分）：到位率2023=到位资金2023/计划资金2023×100%。到位率2023=100%得满分，与100%相比每偏离1%扣0.01分，"
            "扣完为止；\n2024年（1分）：到位率2024=到位资金2024/计划资金2024×100%。到位率2024=100%得满分，与100%相比每偏离1%"
            "扣0.01分，扣完为止。无计划资金2024、到位资金2024数据的，本项得满分；\n本指标得分=各分项得分之和。")
    draft = _draft(tmp_path, "资金到位", "2", text)
    assert leaf_lines(draft, "资金到位") == [
        '分项 "2023年"（1）', "输入 到位资金2023：金额 万元，计划资金2023：金额 万元", "到位率2023 = 到位资金2023/计划资金2023",
        "偏离 到位率2023 目标 100%，每 1% 扣 0.01 分，扣完为止",
        '分项 "2024年"（1）', "输入 计划资金2024：金额 万元 可缺，到位资金2024：金额 万元 可缺", "无数据时 得满分",
        "到位率2024 = 到位资金2024/计划资金2024", "偏离 到位率2024 目标 100%，每 1% 扣 0.01 分，扣完为止"]
    assert not _findings(draft) and draft.kinds == {"分项": 1}
    column = "过程/管理/资金到位"
    rows = [{"单位": "甲", f"{column}.到位资金2023": "90", f"{column}.计划资金2023": "100",
             f"{column}.到位资金2024": "110", f"{column}.计划资金2024": "100"},  # 10% off each way: 0.9 + 0.9
            {"单位": "乙", f"{column}.到位资金2023": "100", f"{column}.计划资金2023": "100",
             f"{column}.到位资金2024": "", f"{column}.计划资金2024": ""}]  # 2024 without data: full marks
    score_with_both_engines(_plan(draft), rows_csv(tmp_path, rows), tmp_path, False)
    with open(tmp_path / "a.csv", encoding="utf-8-sig", newline="") as stream:
        totals = {row["单位"]: Decimal(row["总分"]) for row in csv.DictReader(stream)}
    assert totals == {"甲": Decimal("1.8"), "乙": 2}


def test_inputs_given_year_by_year_are_one_series_declaration(tmp_path):
    """`完成项目数、计划项目数按2022—2023年逐年填列` after formulas over 完成项目数2022, 计划项目数2023… (008's C301, 及时率2021=min(…,100%)):
    each a series `年度 2022～2023` declared once, its members named by their year; min(…，100%) read with its
    comma. Before, left to write (the members guessed as inputs of their own, the sentence run into the formula)."""
    text = ("平均完成率=(完成项目数2022/计划项目数2022+完成项目数2023/计划项目数2023)÷2。\n得分=min(平均完成率，100%)×分值。\n"
            "完成项目数、计划项目数按2022—2023年逐年填列。")
    draft = _draft(tmp_path, "任务完成", "4", text)
    assert leaf_lines(draft, "任务完成") == [
        "输入 完成项目数：数量 个 年度 2022～2023，计划项目数：数量 个 年度 2022～2023",
        "平均完成率 = (完成项目数2022/计划项目数2022+完成项目数2023/计划项目数2023)÷2", "得分 = min(平均完成率,100%)×分值"]
    assert draft.kinds == {"得分": 1}
    given = {"完成项目数": {"2022": 8, "2023": 12}, "计划项目数": {"2022": 10, "2023": 10}}  # (80% + 120%) ÷ 2 = 100%
    assert _score(draft, "任务完成", given) == 4
    assert _score(draft, "任务完成", {"完成项目数2022": 6, "完成项目数2023": 8, "计划项目数2022": 10, "计划项目数2023": 10}) == Decimal("2.8")


SOME_YEARS = {
    # the formula reads 2022 and 2023 of 2021—2024: the series is declared over the years it reads
    "span": ("(完成项目数2022/计划项目数2022+完成项目数2023/计划项目数2023)÷2",
             "输入 完成项目数：数量 个 年度 2022～2023，计划项目数：数量 个 年度 2022～2023",
             {"完成项目数": {"2022": 8, "2023": 12}, "计划项目数": {"2022": 10, "2023": 10}}),
    # 2021 and 2024 only: a range would take in the two years between, so each figure is an input of its own
    "apart": ("(完成项目数2021/计划项目数2021+完成项目数2024/计划项目数2024)÷2",
              "输入 完成项目数2021：数量 个，计划项目数2021：数量 个，完成项目数2024：数量 个，计划项目数2024：数量 个",
              {"完成项目数2021": 8, "计划项目数2021": 10, "完成项目数2024": 12, "计划项目数2024": 10}),
}


@pytest.mark.parametrize(("formula", "declared", "given"), SOME_YEARS.values(), ids=SOME_YEARS.keys())
def test_a_series_some_of_whose_years_a_formula_reads_declares_only_those(tmp_path, formula, declared, given):
    """Every declared year must be entered (a year is never blank, grammar §7.1): `按2021—2024年逐年填列` under a
    formula reading two of the years would ask the evaluator for figures no rule reads. Before, 年度 2021～2024."""
    text = f"平均完成率={formula}。\n得分=min(平均完成率，100%)×分值。\n完成项目数、计划项目数按2021—2024年逐年填列。"
    draft = _draft(tmp_path, "任务完成", "4", text)
    assert leaf_lines(draft, "任务完成")[0] == declared
    assert not _findings(draft)
    assert _score(draft, "任务完成", given) == 4  # (80% + 120%) ÷ 2 = 100%, the years read and no other
