"""Scoring a system as published (`--as-published`): the audits of the published 001 and 002
against their own rules, what the mode does to undefined and over-generous rules, and the
audit tables of examples/README.md, which must be the tool's output (`pytest --regen` rewrites them)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import idsl
from idsl.cli import main
from idsl.diagnostics import SpecError
from idsl.io.inputs import read_inputs
from idsl.semantics.lower import lower
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.render.standard import standard_text

ROOT = Path(__file__).resolve().parent.parent
BAD = "tests/cases/check/bad"
README = ROOT / "examples" / "README.md"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def _invoke(*args: str):
    return CliRunner(env={"COLUMNS": "240"}).invoke(main, list(args), catch_exceptions=False)


def _published(stem: str):
    plan, diagnostics = idsl.load_as_published(f"{BAD}/{stem}_as_published.idsl")
    return idsl.score(plan, read_inputs(Path(f"examples/{stem}_inputs.json")), as_published=diagnostics)


def _differences(result) -> dict[str, tuple]:
    return {d.key.split("/")[-1]: (d.recorded, d.computed, d.difference) for d in result.audit}


def D(text: str) -> Decimal:
    return Decimal(text)


# ---------------------------------------------------------------- the seeds against their published rules


def test_009_as_published_its_110_points_are_held_to_the_total_of_100():
    """The table as published (总分 100 over rows of 110, E303) scored by its own rules: the rows add up to 110,
    the total is held to the 100 it declares, so nothing differs from the published scores, 总分 100 included."""
    result = _published("009")
    assert not result.errors and result.as_published
    assert [d.code for d in result.spec_errors] == ["E303"]
    assert (result.subtotal, result.total) == (D("110"), D("100"))
    assert result.audit == ()


def test_001_as_published_audit():
    result = _published("001")
    assert not result.errors and result.as_published and result.incomplete
    assert len(result.spec_errors) == 18 and {d.code for d in result.spec_errors} == {"E302", "E401", "E403", "E406",
                                                                                       "E411"}
    assert _differences(result) == {
        # the rule gives no score (未评)
        "临聘人员控制率": (D("2"), None, None),  # 0/0: the rate is undefined
        "“三公”经费控制率": (D("0"), None, None),  # 50% falls in the gap below 70% (E403)
        "社会参保服务工作效率": (D("3"), None, None),  # the first rule's elements have no points (E411)
        "及时足额发放": (D("3"), None, None),  # no rule (E406)
        # the rule's elements add up to less than the points (E401)
        "人事人才服务质量": (D("3"), D("2.00"), D("1.00")),
        "机关建设与人社服务实效": (D("3"), D("2.00"), D("1.00")),
        "人事人才服务成效": (D("3"), D("2.00"), D("1.00")),
        "社会基本资金利用": (D("4"), D("3.00"), D("1.00")),
        "社会服务综合效益水平": (D("4"), D("3.00"), D("1.00")),
        "维护劳动者的合法权益": (D("4"), D("3.00"), D("1.00")),
        "筑牢民生安全屏障": (D("4"), D("3.00"), D("1.00")),
        "改善生活生态环境": (D("8"), D("4.50"), D("3.50")),
    }
    reasons = {d.key.split("/")[-1]: d.reason for d in result.audit}
    assert reasons["及时足额发放"].startswith("未评：规则缺失（E406）。")
    assert reasons["社会参保服务工作效率"].startswith("未评：要素没有分值（E411）。")
    assert "一个指标只能有一条评分规则" in reasons["社会参保服务工作效率"]  # the dropped second rule is named
    assert "分档有缺口" in reasons["“三公”经费控制率"] and "[E403]" in reasons["“三公”经费控制率"]
    assert "分母“临聘人员配备名额”为 0" in reasons["临聘人员控制率"]
    assert "[E401]" in reasons["人事人才服务质量"]
    # What can be scored adds up to 78.5 (001_NOTES.md); the four 未评 leaves are left out.
    assert result.total == D("78.50") and sum(r.status == "missing" for r in result.nodes) == 4


def test_002_as_published_audit():
    result = _published("002")
    assert not result.errors and not result.incomplete
    assert [d.code for d in result.spec_errors] == ["E401", "E401", "E401", "E401", "E305"]
    assert _differences(result) == {
        "预算编制规划性": (D("4"), D("2.00"), D("2.00")),
        "预算编制科学性": (D("3"), D("2.00"), D("1.00")),
        "预算调整率": (D("1"), D("2.00"), D("-1.00")),
        "项目完成及时性": (D("3"), D("2.00"), D("1.00")),
        "群众信访办理情况": (D("2"), D("3.00"), D("-1.00")),
        "预算编制情况": (D("26.5"), D("23.50"), D("3.00")),
        "预算使用效益": (D("27"), D("28.00"), D("-1.00")),
        "总分": (D("93"), D("91.00"), D("2.00")),
    }
    leaf = result.node("群众信访办理情况")  # 1 + 1 + 1 on a 2-point leaf: scored as written, not held to 2
    assert leaf.score == D("3.00") and "未按分值封顶" in leaf.reason and "[E305]" in leaf.reason
    assert "[W507]" in result.node("预算调整率").reason  # the signed rate lands in ≤3%
    assert result.grade == "优"


def test_corrected_specs_audit_clean():
    for stem, total in (("001", "97"), ("002", "93")):
        spec = next((ROOT / "specs").glob(f"{stem}_*.idsl")).relative_to(ROOT)
        result = idsl.score(idsl.load(spec), read_inputs(Path(f"examples/{stem}_inputs.json")))
        assert not result.errors and not result.audit and result.total == D(total) and result.grade == "优"
        run = _invoke("audit", str(spec), f"examples/{stem}_inputs.json")
        assert run.exit_code == 0 and "审核通过" in run.output


def test_an_audit_with_nothing_recorded_is_refused_not_passed(tmp_path):
    """Inputs without "recorded" (and no --recorded): there is nothing to compare, so no 审核通过."""
    inputs = json.loads((ROOT / "examples/001_inputs.json").read_text(encoding="utf-8"))
    inputs.pop("recorded")
    path = tmp_path / "未记录.json"
    path.write_text(json.dumps(inputs, ensure_ascii=False), encoding="utf-8")
    spec = str(next((ROOT / "specs").glob("001_*.idsl")).relative_to(ROOT))
    for extra in ([], ["--format", "json"]):
        run = _invoke("audit", spec, str(path), *extra)
        assert run.exit_code == 2 and "审核通过" not in run.output and '没有记录得分可复核' in run.output
        assert '"recorded"' in run.output and "--recorded" in run.output
    recorded = tmp_path / "记录.json"
    recorded.write_text('{"总分": 97}', encoding="utf-8")
    run = _invoke("audit", spec, str(path), "--recorded", str(recorded))
    assert run.exit_code == 0 and "审核通过" in run.output


def test_a_recorded_score_that_is_no_number_is_quoted_as_the_messages_quote_text(tmp_path):
    recorded = tmp_path / "记录.json"
    recorded.write_text('{"总分": "九十七"}', encoding="utf-8")
    spec = str(next((ROOT / "specs").glob("001_*.idsl")).relative_to(ROOT))
    run = _invoke("audit", spec, "examples/001_inputs.json", "--recorded", str(recorded))
    assert run.exit_code == 1 and "记录的得分应是一个数，这里是 “九十七”。" in run.output, run.output
    assert "总分 › 记录得分" in run.output and "recorded" not in run.output  # the field as the tables name it


def test_a_recorded_grade_is_named_as_the_tables_name_it(tmp_path):
    recorded = tmp_path / "记录.json"
    recorded.write_text('{"等级": "优"}', encoding="utf-8")
    spec = tmp_path / "无等级.idsl"
    spec.write_text('体系 "例" 总分 1\n决策（1）\n  甲（1）\n    解释 例\n    酌情\n', encoding="utf-8")
    inputs = tmp_path / "输入.json"
    inputs.write_text('{"inputs": {"决策/甲": {"得分": 1}}}', encoding="utf-8")
    run = _invoke("audit", str(spec), str(inputs), "--recorded", str(recorded))
    assert run.exit_code == 1 and "等级 › 记录等级：体系没有等级" in run.output, run.output


# ---------------------------------------------------------------- the commands


def test_cli_audit_as_published_lists_errors_then_differences():
    run = _invoke("audit", f"{BAD}/002_as_published.idsl", "examples/002_inputs.json", "--as-published")
    assert run.exit_code == 1
    head, _, table = run.output.partition("审核：")
    assert head.startswith("本体系有 5 处错误；按原样评分") and head.count("warning[E401]") == 4
    assert "warning[E305] 预算使用效益 › 公平性 › 群众信访办理情况" in head
    assert "8 处记录得分与规则不符" in table and "预算编制科学性" in table
    scored = _invoke("score", f"{BAD}/002_as_published.idsl", "examples/002_inputs.json", "--as-published")
    assert scored.exit_code == 1 and "总分 91" in scored.output and "本体系有 5 处错误" in scored.output


def test_a_spec_with_errors_is_refused_without_the_flag():
    run = _invoke("audit", f"{BAD}/001_as_published.idsl", "examples/001_inputs.json")
    assert run.exit_code == 1 and "体系有错误" in run.output and "审核" not in run.output


def test_syntax_errors_refuse_even_as_published(tmp_path):
    spec = tmp_path / "broken.idsl"
    spec.write_text('体系 "例" 总分 2\n决策（2\n  安排率（2）\n    酌情\n', encoding="utf-8")
    with pytest.raises(SpecError):
        idsl.load_as_published(spec)
    run = _invoke("score", str(spec), "examples/002_inputs.json", "--as-published")
    assert run.exit_code == 1 and "无法解析" in run.output


def test_json_carries_the_spec_errors_and_ignored_inputs(tmp_path):
    data = json.loads((ROOT / "examples/002_inputs.json").read_text(encoding="utf-8"))
    data["inputs"]["预算调整率"]["调整说明"] = "只有更正版声明的输入"
    inputs = tmp_path / "inputs.json"
    inputs.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    strict = _invoke("score", next(str(p.relative_to(ROOT)) for p in (ROOT / "specs").glob("002_*.idsl")),
                     str(inputs), "--format", "json")
    assert strict.exit_code == 1 and "as_published" not in json.loads(strict.stdout)  # an unknown field is an error
    run = _invoke("score", f"{BAD}/002_as_published.idsl", str(inputs), "--as-published", "--format", "json")
    out = json.loads(run.stdout)
    assert not out["errors"] and len(out["as_published"]["spec_errors"]) == 5
    assert [(w["path"].split("/")[-1], w["field"]) for w in out["as_published"]["warnings"]] == [("预算调整率", "调整说明")]


def test_penalty_block_with_nothing_deducted_shows_0():
    spec = next(str(p.relative_to(ROOT)) for p in (ROOT / "specs").glob("002_*.idsl"))
    run = _invoke("score", spec, "examples/002_inputs.json")
    assert "逆向指标 0" in run.output and "−0" not in run.output


def test_deviation_past_its_limit_scores_and_reads_alike():
    text = ('体系 "例" 总分 2\n决策（2）\n  预算调整率（2）\n    解释 例。\n'
            '    输入 预算调整数：金额 万元 可负，预算数：金额 万元\n    预算调整率 = 预算调整数 / 预算数\n'
            '    偏离 |预算调整率| 目标 0%，每 1%（四舍五入取整）扣 0.1 分，超过 10% 得 1 分\n')
    plan = lower(load_text(Source("t.idsl", text)).spec)
    assert "超过10%得1分。" in standard_text(next(plan.leaves()))
    leaf = idsl.score(plan, {"inputs": {"预算调整率": {"预算调整数": 20, "预算数": 100}}}).node("预算调整率")
    assert leaf.score == D("1.00") and leaf.reason == "预算调整率为20%，偏离目标0%超过10%，得1分。"


# ---------------------------------------------------------------- examples/README.md


_BLOCK = re.compile(r"(<!-- audit: (\S+) (\S+) -->\n)(.*?)(<!-- /audit -->)", re.S)


def test_readme_audit_tables_are_the_tools_output(regen):
    text = README.read_text(encoding="utf-8")
    found = list(_BLOCK.finditer(text))
    assert len(found) == 2

    def generated(match: re.Match) -> str:
        run = _invoke("audit", match.group(2), match.group(3), "--as-published", "--format", "markdown")
        assert run.exit_code == 1
        return match.group(1) + run.output + match.group(5)

    expected = _BLOCK.sub(generated, text)
    if regen and text != expected:
        README.write_text(expected, encoding="utf-8")
        return
    assert text == expected, "examples/README.md: the audit tables differ from the tool's output; run pytest --regen"
