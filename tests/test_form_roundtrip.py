"""Round trip of the 自评表: every spec with one, rendered as its own Word form (附1 and 衔接资金), blank and filled
from its example inputs, and read back by `idsl import`, gives the same header, funds, tree, points and targets;
what differs is exactly what the form does not print (NOT_READ_BACK, each with its reason)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

import idsl
from idsl.cli import main
from idsl.frontend import ast
from idsl.io.inputs import read_inputs
from idsl.render.docx import render_docx
from plans import form_head, xianjie

ROOT = Path(__file__).resolve().parent.parent
SPECS = {"005": "specs/005_永德县明朗中学2022营养改善计划自评", "006": "specs/006_稷山县医保局2020建档立卡个人缴费配套自评",
         "009": "specs/009_中江县水利局2022水标尺制作安装自评", "010": "specs/010_丽江市古城区2020卫片执法补助经费自评",
         "011": "specs/011_萧县张庄寨镇2023河西村特色种养补贴到户自评",
         "form": "examples/kinds/form", "self_evaluation": "examples/kinds/self_evaluation"}


def _inputs(name: str) -> Path:
    stem = SPECS[name]
    return ROOT / (f"examples/{name}_inputs.json" if stem.startswith("specs/") else f"{stem}_inputs.json")


def _in_style(text: str, style: str) -> str:
    """The spec laid out as the other 表式: 衔接资金 has no 年初预算数 column (its first figure of each funds row);
    附1 has it, written — (none) where the 衔接资金 spec had no such figure. 衔接资金 has no 上年结转资金 row: a spec
    whose carried-over funds are none leaves it out (the others keep 附1 only)."""
    lines = text.splitlines()
    start = lines.index("自评表")
    funds = next(i for i in range(start, len(lines)) if lines[i].startswith("  项目资金"))
    end = next(i for i in range(funds + 1, len(lines)) if not lines[i].startswith("    "))
    for i in range(funds + 1, end):
        label, figures = lines[i].split("：", 1) if lines[i].count("：") == 1 else lines[i].rsplit("：", 1)
        parts = figures.split("、")
        parts = parts[1:] if style == ast.STYLE_XIANJIE else ["—", *parts]
        lines[i] = f"{label}：{'、'.join(parts)}"
    if style == ast.STYLE_XIANJIE:
        lines = [line for line in lines if not line.startswith("    上年结转资金：")]
        lines.insert(start + 1, "  表式 衔接资金")
    else:
        lines.remove("  表式 衔接资金")
    return "\n".join(lines) + "\n"


OWN_STYLE_ONLY = {"form", "self_evaluation"}  # their 上年结转资金 has figures: a row the 衔接资金 form has no place for


def _cases() -> list:
    """(spec, 表式, filled) of every round trip: each spec in its own 表式 and, where it can be, the other."""
    cases = []
    for name, stem in SPECS.items():
        own = ast.STYLE_XIANJIE if "  表式 衔接资金\n" in (ROOT / f"{stem}.idsl").read_text(encoding="utf-8") \
            else ast.STYLE_ANNEX
        other = ast.STYLE_ANNEX if own == ast.STYLE_XIANJIE else ast.STYLE_XIANJIE
        for style in [own] if name in OWN_STYLE_ONLY else [own, other]:
            cases += [pytest.param(name, style, filled, id=f"{name}-{style}-{'filled' if filled else 'blank'}")
                      for filled in (False, True)]
    return cases


def test_every_spec_with_a_form_is_round_tripped():
    with_form = {p for p in [*ROOT.glob("specs/*.idsl"), *ROOT.glob("examples/**/*.idsl")]
                 if "\n自评表\n" in p.read_text(encoding="utf-8")}
    assert with_form == {ROOT / f"{stem}.idsl" for stem in SPECS.values()}


def _spec(tmp_path: Path, name: str, style: str) -> Path:
    text = (ROOT / f"{SPECS[name]}.idsl").read_text(encoding="utf-8")
    if ("  表式 衔接资金\n" in text) != (style == ast.STYLE_XIANJIE):
        text = _in_style(text, style)
    path = tmp_path / "原表.idsl"
    path.write_text(text, encoding="utf-8")
    return path


def _facets(plan, skip: frozenset = frozenset()) -> dict[tuple[str, str], object]:
    """What a form could carry back, by (aspect, where): the header, funds, tree, rules, targets and inputs."""
    form, out = plan.form, {}
    for field in ("project", "department", "implementer", "expected", "achieved", "unit", "style"):
        out["表头", field] = getattr(form, field)
    for row in form.funds:
        out["资金", row.row] = tuple(None if (row.row, n) in skip else (c.value, c.fill)
                                   for n, c in enumerate(row.cells))
    out["等级", ""] = tuple(g.grade for g in plan.grades)
    out["小数", ""] = plan.places
    for node in plan.walk():
        where = node.path[-1]
        out["树", where] = (node.path, node.points, node.pool and (node.pool.kind, node.pool.count))
        if node.leaf is None:
            continue
        rule = node.leaf.rule
        out["规则", where] = type(rule).__name__
        out["输入名", where] = tuple(i.name for i in node.leaf.inputs)
        out["输入类型", where] = tuple((i.kind, i.unit, tuple(i.options)) for i in node.leaf.inputs)
        out["输入范围", where] = tuple((_num(i.low), _num(i.high)) for i in node.leaf.inputs)
        if isinstance(rule, ast.Target):
            out["目标", where] = (rule.op, rule.target.amount, rule.target.percent, rule.target.unit)
            out["目标附加", where] = (rule.all_or_nothing, rule.pass_mark, rule.over_cut)
    return out


def _num(num):
    return None if num is None else (num.amount, num.percent, num.unit)


def _differences(plan, back, skip: frozenset = frozenset()) -> set[tuple[str, str]]:
    ours, theirs = _facets(plan, skip), _facets(back, skip)
    return {key for key in ours.keys() | theirs.keys() if ours.get(key) != theirs.get(key)}


# Why each difference is one the form cannot carry back: what the Word form prints, and what it does not.
NAMES = ("表上没有输入名：实际完成值（衔接资金 全年实际值）一栏只印数值。草稿以这一栏的栏名为目标的输入名，"
         "以 档次 为定性指标的输入名（栏里印的是 达成/部分达成/未达成）")
GRADES = "表上只印单位所得的等级（总分行“等级：优”），不印各等级的分数线"
RANGE = ("表上不印输入的取值范围：年度指标值为 ≥100% 或 =100% 的比率，草稿放宽到 0%～1000%，"
         "实际完成值超过 100% 也能填")
RATE = ("预算执行率一行只印分值、执行率和得分，不印计分规则（区间赋分）和它的输入 项目完成：草稿按 执行率 × 分值 计分，"
        "并在首行注明")
PASS_MARK = "年度指标值一栏只印运算符、指标值和单位，不印 及格 门槛"
OVER_CUT = ("年度指标值一栏只印运算符、指标值和单位，不印 超额调减 的上限，也就没有它的输入 超额调减"
            "（填好的表在实际完成值一栏印出评价人的 超额调减：2分，草稿不读它）")
EXECUTED = "填好的表，全年执行数一栏印的是评价人员填的数：草稿把它当作表上的数（原体系写 待填）"
FILLED, XIANJIE = "filled", ast.STYLE_XIANJIE  # an entry only of the filled form, or only of the 衔接资金 one


def _names(*leaves: str, when: str = "") -> list[tuple[str, str, str, str]]:
    return [("输入名", leaf, NAMES, when) for leaf in leaves]


def _ranges(*leaves: str) -> list[tuple[str, str, str, str]]:
    return [("输入范围", leaf, RANGE, "") for leaf in leaves]


_RATE_RULE = [("规则", "预算执行率", RATE, ""), ("输入名", "预算执行率", RATE, ""), ("输入类型", "预算执行率", RATE, ""),
              ("输入范围", "预算执行率", RATE, "")]
# (aspect, indicator, reason, when): everything of each spec that does not come back from its form
NOT_READ_BACK: dict[str, list[tuple[str, str, str, str]]] = {
    "005": [("等级", "", GRADES, ""),
            *_names("减轻贫困学生家庭经济负担", "学生受资助人数", "学生满意度", "家长满意度", "政策知晓率",
                    "生均补助标准达标率", "营养改善计划覆盖率", "资金到位及时率"),
            *_names("促进学校教育事业健康发展", when=XIANJIE),  # its input is 实际完成值, the 附1 column's name
            *_ranges("促进学校教育事业健康发展", "政策知晓率", "生均补助标准达标率", "营养改善计划覆盖率", "资金到位及时率")],
    "006": [("等级", "", GRADES, ""),
            *_names("全县参合人数", "是否满意", "是否解决建档立卡人员看病难贵问题", "资金是否全部及时纳入",
                    "资金是否全部纳入医保统筹", "配套资金每人每年"),
            *_ranges("资金是否全部及时纳入", "资金是否全部纳入医保统筹")],
    "009": [*_names("及时(按期)完工率", "及时(按期)开工率", "受益脱贫(含监测对象)户人口数", "受益脱贫(含监测对象)户满意度",
                    "安装坡面水标尺", "水标尺宽度", "群众生产生活条件改善状况", "项目(工程)验收合格率", "项目计划总投资"),
            *_ranges("项目(工程)验收合格率")],
    "010": [("等级", "", GRADES, ""),
            *_names("卫片执法补助经费", "满意度", "违法行为责停率", "项目完成及时率", "项目验收合格率"),
            *_ranges("项目完成及时率", "项目验收合格率")],
    "011": [*_names("补助各类瓜果蔬菜种植面积", "补助鱼塘面积", "补助家畜家禽养殖数量", "种植作物成活率", "养殖家畜家禽成活率",
                    "特色产业带动增加受益农户收入(总收入)", "受益人口数量")],
    "form": [("等级", "", GRADES, ""), *_RATE_RULE, *_names("受益人口", "群众满意度", "集中供水工程"),
             ("资金", "年度资金总额", EXECUTED, FILLED)],
    "self_evaluation": [
        ("等级", "", GRADES, ""), *_RATE_RULE, ("目标附加", "新建管网", PASS_MARK, ""),
        ("目标附加", "集中供水工程", OVER_CUT, ""), ("输入类型", "集中供水工程", OVER_CUT, ""),
        ("输入范围", "集中供水工程", OVER_CUT, ""), *_names("工程单价", "新建管网", "集中供水工程", "验收合格率"),
        *_ranges("验收合格率"), *[("资金", row, EXECUTED, FILLED) for row in ("年度资金总额", "当年财政拨款", "上年结转资金")]],
}


def _expected(name: str, style: str, filled: bool) -> set[tuple[str, str]]:
    return {(aspect, where) for aspect, where, _reason, when in NOT_READ_BACK[name]
            if when == "" or when == style or (when == FILLED and filled)}


def _form(tmp_path: Path, name: str, style: str, filled: bool):
    """The spec in that style, its Word form (filled from its example inputs, or blank) and the form's import."""
    spec = _spec(tmp_path, name, style)
    plan = idsl.load(spec)
    given = read_inputs(_inputs(name)) if filled else None
    result = idsl.score(plan, given) if filled else None
    docx = tmp_path / "自评表.docx"
    docx.write_bytes(render_docx(plan, result, given))
    run = CliRunner().invoke(main, ["import", str(docx), "-o", str(tmp_path / "导入.idsl")])
    assert run.exit_code == 0 and "0 个待定" in run.output, run.output
    return plan, result, tmp_path / "导入.idsl"


@pytest.mark.parametrize(("name", "style", "filled"), _cases())
def test_a_form_comes_back_but_for_what_it_does_not_print(tmp_path, name, style, filled):
    """Header, funds, tree, points, pools, rule kinds, targets (operator, value, %, unit) and inputs' kinds and
    units come back; the differences are exactly the spec's NOT_READ_BACK entries, none without its reason."""
    plan, _result, draft = _form(tmp_path, name, style, filled)
    assert all(reason for *_, reason, _when in NOT_READ_BACK[name])
    assert _differences(plan, idsl.load(draft)) == _expected(name, style, filled)


def _scored_apart(name: str) -> set[str]:
    """The indicators whose rule does not come back whole (and so the total): they score apart from the original."""
    return {where for aspect, where, _reason, _when in NOT_READ_BACK[name] if aspect in ("规则", "目标附加")}


@pytest.mark.parametrize(("name", "style", "filled"), _cases())
def test_the_draft_checks_clean_and_a_filled_one_passes_its_example(tmp_path, name, style, filled):
    """The draft checks clean; a filled form's worked example (the table's actuals and scores) holds, but for the
    indicators whose rule the form does not print, which `idsl test` names — and the total with them."""
    _plan, _result, draft = _form(tmp_path, name, style, filled)
    checked = CliRunner().invoke(main, ["check", str(draft)])
    assert checked.exit_code == 0 and "0 个错误，0 个警告" in checked.output, checked.output
    if not filled:
        assert "示例" not in draft.read_text(encoding="utf-8")
        return
    tested = CliRunner().invoke(main, ["test", str(draft)])
    apart = _scored_apart(name)
    failed = set(re.findall(r"：期望 (\S+) = ", tested.output))
    assert failed == (apart | {"总分"} if apart else set()), tested.output
    assert ("1 个通过，0 个失败" if not apart else "0 个通过，1 个失败") in tested.output, tested.output


def _mapped(inputs: Path, plan, back) -> dict:
    """The spec's example inputs for the draft: each field under the draft's name for it where the form carries the
    value (a target's actual, a 定性 tier, an input of the same name, the evaluator's 得分 and 理由 of a 定性 leaf)."""
    data = json.loads(inputs.read_text(encoding="utf-8"))
    mapped = {}
    for key, fields in data["inputs"].items():
        ours = next(n for n in plan.leaves() if n.key == key or n.key.endswith("/" + key))
        theirs = back.find(ours.path)
        names = {i.name for i in theirs.leaf.inputs}
        judged = isinstance(theirs.leaf.rule, ast.Qualitative)  # the evaluator's 得分 and its 理由
        renamed = {_actual(ours): _actual(theirs), "得分": "得分" if judged else None, "理由": "理由" if judged else None}
        mapped[key] = {field if field in names else renamed.get(field): value for field, value in fields.items()
                       if field in names or renamed.get(field)}
    return {"inputs": mapped}


def _actual(node) -> str | None:
    rule = node.leaf.rule
    return rule.actual if isinstance(rule, ast.Target) else rule.tier if isinstance(rule, ast.Qualitative) else None


def _scores(spec: Path, inputs: Path) -> dict[str, str]:
    run = CliRunner().invoke(main, ["score", str(spec), str(inputs), "--format", "json"])
    assert run.exit_code == 0, run.output
    result = json.loads(run.output)
    return {"总分": result["total"], **{row["path"]: row["score"] for row in result["nodes"] if row["kind"] == "leaf"}}


@pytest.mark.parametrize(("name", "style"), sorted({(c.values[0], c.values[1]) for c in _cases()}))
def test_the_draft_of_the_blank_form_scores_the_specs_example_inputs_as_the_spec(tmp_path, name, style):
    """As a user would: `idsl compile --docx` the blank form, `idsl import` it, and score the spec's example inputs
    (examples/*_inputs.json, each field under the draft's name for it): every indicator scores as the original's
    but those whose rule the form does not print, and so does the total where there are none."""
    spec = _spec(tmp_path, name, style)
    docx = tmp_path / "空白自评表.docx"
    run = CliRunner().invoke(main, ["compile", str(spec), "--docx", str(docx)])
    assert run.exit_code == 0, run.output
    draft = tmp_path / "导入.idsl"
    run = CliRunner().invoke(main, ["import", str(docx), "-o", str(draft)])
    assert run.exit_code == 0 and "0 个待定" in run.output, run.output
    given = tmp_path / "输入.json"
    given.write_text(json.dumps(_mapped(_inputs(name), idsl.load(spec), idsl.load(draft)), ensure_ascii=False),
                     encoding="utf-8")
    plain = tmp_path / "原输入.json"  # the inputs alone: the scores the example records are audited elsewhere
    plain.write_text(json.dumps({"inputs": json.loads(_inputs(name).read_text(encoding="utf-8"))["inputs"]},
                                ensure_ascii=False), encoding="utf-8")
    original = _scores(spec, plain)
    scored = _scores(draft, given)
    apart = {key for key in original if key.split("/")[-1] in _scored_apart(name)}
    assert {k: v for k, v in scored.items() if k not in apart and k != "总分"} == \
        {k: v for k, v in original.items() if k not in apart and k != "总分"}
    assert (scored["总分"] == original["总分"]) == (not apart), (scored["总分"], original["总分"])


UNITS_SPEC = form_head("40") + """
产出指标（30）
  数量指标（30）
    治理面积（7.5）
      输入 面积：数量 平方公里
      目标 面积 ≥ 2.5 平方公里
    新增蓄水（7.5）
      输入 蓄水量：数量 万立方米
      目标 蓄水量 ≥ 3 万立方米
    新建管线（5）
      输入 长度：数量 km
      目标 长度 = 12 km
    购置设备（5）
      输入 台套数：数量 套
      目标 台套数 ≥ 5
    人均成本（5）
      输入 成本：金额 元
      目标 成本 ≤ 75
"""


@pytest.mark.parametrize("style", [ast.STYLE_ANNEX, ast.STYLE_XIANJIE])
def test_a_targets_unit_comes_back_whatever_it_is(tmp_path, style):
    """A unit of four characters (平方公里, 万立方米) or in letters (km) is read back, where it was left to write; a
    target written bare (≥ 5) is printed with its input's unit (≥5套), so it comes back a 数量 套, not a bare 数值;
    and points with decimals (7.5) stay so. The target's input is named as the form's column (衔接资金: 全年实际值)."""
    spec = tmp_path / "原表.idsl"
    spec.write_text(xianjie(UNITS_SPEC) if style == ast.STYLE_XIANJIE else UNITS_SPEC, encoding="utf-8")
    plan = idsl.load(spec)
    docx = tmp_path / "自评表.docx"
    docx.write_bytes(render_docx(plan))
    run = CliRunner().invoke(main, ["import", str(docx), "-o", str(tmp_path / "导入.idsl")])
    assert run.exit_code == 0 and "0 个待定" in run.output, run.output
    text = (tmp_path / "导入.idsl").read_text(encoding="utf-8")
    actual = "全年实际值" if style == ast.STYLE_XIANJIE else "实际完成值"
    for kind, target in (("数量 平方公里", "≥ 2.5 平方公里"), ("数量 万立方米", "≥ 3 万立方米"), ("数量 km", "= 12 km"),
                         ("数量 套", "≥ 5 套"), ("金额 元", "≤ 75 元")):
        assert f"      输入 {actual}：{kind}\n      目标 {actual} {target}\n" in text, text
    back = idsl.load(tmp_path / "导入.idsl")
    assert [(n.path, n.points) for n in back.walk()] == [(n.path, n.points) for n in plan.walk()]
    checked = CliRunner().invoke(main, ["check", str(tmp_path / "导入.idsl")])
    assert checked.exit_code == 0 and "0 个错误" in checked.output, checked.output


def test_a_score_the_form_prints_as_no_number_is_no_expectation(tmp_path):
    """A form printed from a partial result shows 未评 where an input is missing: the draft's worked example expects
    nothing of that indicator (before, `期望 学生满意度 = 未评`, an E413 that kept the draft from loading)."""
    plan = idsl.load(ROOT / f"{SPECS['005']}.idsl")
    data = json.loads(_inputs("005").read_text(encoding="utf-8"))
    del data["inputs"]["学生满意度"]
    given = read_inputs(json.dumps(data, ensure_ascii=False))
    result = idsl.score(plan, given)
    docx = tmp_path / "自评表.docx"
    docx.write_bytes(render_docx(plan, result, given))
    assert "未评" in [c.text for row in Document(docx).tables[0].rows for c in row.cells]
    run = CliRunner().invoke(main, ["import", str(docx), "-o", str(tmp_path / "导入.idsl")])
    assert run.exit_code == 0 and "0 个待定" in run.output, run.output
    text = (tmp_path / "导入.idsl").read_text(encoding="utf-8")
    assert "未评" not in text and "期望 学生满意度" not in text and "期望 家长满意度 = 10\n" in text
    assert "期望 总分" not in text  # the partial total, printed with （部分结果）, is none the rules give
    checked = CliRunner().invoke(main, ["check", str(tmp_path / "导入.idsl")])
    assert checked.exit_code == 0 and "0 个错误，0 个警告" in checked.output, checked.output
    tested = CliRunner().invoke(main, ["test", str(tmp_path / "导入.idsl")])
    assert tested.exit_code == 0 and "1 个通过，0 个失败" in tested.output, tested.output
