"""Placeholders of a scaffold — （？）, 每项 ？ 分, 目标 … ？, 待细化 — are reported one by one and block scoring."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import attrs

from click.testing import CliRunner

from idsl.check import check, check_file
from idsl.cli import main
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source

SCAFFOLD = """体系 "例" 总分 100
产出（？）
  数量（？）
    完成数（？）
      解释 例。
      输入 完成值：数量 人
      目标 完成值 ≥ ？ 人
    立项规范性（？）
      解释 例。
      要素 每项 ？ 分
        - 是否按规定程序申请设立
        - 材料是否符合要求
效益（？）
  项目效益（？）
    经济效益（？）
      解释 例。
      待细化 细化为本项目的经济效益指标
"""

FILLED = (SCAFFOLD.replace("产出（？）", "产出（60）").replace("数量（？）", "数量（60）")
          .replace("完成数（？）", "完成数（40）").replace("≥ ？ 人", "≥ 735 人")
          .replace("立项规范性（？）", "立项规范性（20）").replace("每项 ？ 分", "每项 10 分")
          .replace("效益（？）", "效益（40）").replace("项目效益（？）", "项目效益（40）")
          .replace("经济效益（？）", "经济效益（40）").replace("待细化 细化为本项目的经济效益指标", "酌情"))


def diagnose(text: str, path: str = "t.idsl"):
    return check(load_text(Source(path, text)))


def test_each_placeholder_is_one_error_at_its_place():
    # Columns count display cells: a CJK character is two. A leaf to refine is replaced whole: no E450 for its points.
    found = [(d.code, d.span.line, d.span.column, d.path[-1]) for d in diagnose(SCAFFOLD)]
    assert found == [
        ("E450", 2, 5, "产出"), ("E450", 3, 7, "数量"), ("E450", 4, 11, "完成数"), ("E451", 7, 7, "完成数"),
        ("E450", 8, 15, "立项规范性"), ("E450", 10, 7, "立项规范性"), ("E450", 13, 5, "效益"),
        ("E450", 14, 11, "项目效益"), ("E452", 17, 7, "经济效益"),
    ]


def test_messages_say_what_to_write():
    by_code = {d.code: d for d in diagnose(SCAFFOLD)}
    assert by_code["E451"].message == "“完成数”的年度指标值待填：目标 完成值 ≥ ？ 人。"
    assert "目标 完成值 ≥ 95 人" in by_code["E451"].hint
    assert by_code["E452"].message == "“经济效益”待细化为本项目的个性指标：细化为本项目的经济效益指标"


def test_sums_and_award_bounds_wait_for_the_placeholders():
    # Without the placeholders, 产出's children could not add up and the checklist would be unpriced.
    half = SCAFFOLD.replace("产出（？）", "产出（60）").replace("完成数（？）", "完成数（10）")
    assert {d.code for d in diagnose(half)} == {"E450", "E451", "E452"}


def test_the_filled_scaffold_checks_clean():
    assert [d.code for d in diagnose(FILLED) if d.severity == "error"] == []


def test_an_importing_file_fills_the_points_of_a_framework(tmp_path: Path):
    (tmp_path / "框架.idsl").write_text(SCAFFOLD, encoding="utf-8")
    own = tmp_path / "本项目.idsl"
    own.write_text('引用 "框架.idsl"\n产出（60）\n  数量（60）\n    完成数（40）\n      解释 例。\n'
                   '      输入 完成值：数量 人\n      目标 完成值 ≥ 735 人\n    立项规范性（20）\n', encoding="utf-8")
    found, _sources = check_file(str(own))
    assert [(d.code, d.path[-1]) for d in found if d.severity == "error"] == [
        ("E450", "立项规范性"), ("E450", "效益"), ("E450", "项目效益"), ("E452", "经济效益")]


def test_a_scaffold_is_not_scored(tmp_path: Path):
    spec = tmp_path / "骨架.idsl"
    spec.write_text(SCAFFOLD, encoding="utf-8")
    inputs = tmp_path / "inputs.json"
    inputs.write_text(json.dumps({"完成数": "700人"}, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(spec), str(inputs)])
    assert result.exit_code == 1 and isinstance(result.exception, (SystemExit, type(None)))
    assert "E450" in result.stderr and "体系有错误" in result.stderr and "总分" not in result.stdout


def test_scored_as_published_a_placeholder_is_named_as_the_reason(tmp_path: Path):
    spec = tmp_path / "骨架.idsl"
    spec.write_text(SCAFFOLD, encoding="utf-8")
    inputs = tmp_path / "inputs.json"
    inputs.write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(spec), str(inputs), "--as-published", "--allow-missing",
                                       "--format", "json"])
    assert isinstance(result.exception, (SystemExit, type(None))), result.output
    reasons = json.dumps(json.loads(result.stdout), ensure_ascii=False)
    assert "年度指标值待填（E451）" in reasons and "待细化为个性指标（E452）" in reasons
    assert "要素每项分值待填（E450）" in reasons


def test_scored_as_published_the_word_table_says_what_is_still_to_fill(tmp_path: Path):
    import docx

    spec = tmp_path / "骨架.idsl"
    spec.write_text(SCAFFOLD, encoding="utf-8")
    inputs = tmp_path / "inputs.json"
    inputs.write_text("{}", encoding="utf-8")
    out = tmp_path / "表.docx"
    result = CliRunner().invoke(main, ["score", str(spec), str(inputs), "--as-published", "--allow-missing",
                                       "--docx", str(out)])
    assert isinstance(result.exception, (SystemExit, type(None))), result.output
    cells = {cell.text for row in docx.Document(str(out)).tables[0].rows for cell in row.cells}
    assert "指标值：≥？人。达到目标得满分，未达到按完成比例得分。" in cells
    assert "①是否按规定程序申请设立；②材料是否符合要求。以上要素各占的分值待填。" in cells
    assert "（待细化为本项目的个性指标：细化为本项目的经济效益指标。）" in cells


def test_compiled_plans_carry_the_new_fields_only_when_set():
    from idsl.frontend import ast
    from idsl.io.compiled import from_data, to_data

    plain = ast.Target("完成值", ">=", ast.Num(Decimal(5)))
    assert "placeholder" not in to_data(plain)  # so the fingerprints of existing plans stay as they were
    marked = attrs.evolve(plain, placeholder=True)
    assert to_data(marked)["placeholder"] is True
    assert from_data(to_data(marked), ast.Target) == marked and from_data(to_data(plain), ast.Target) == plain
