"""What a new user meets first: help texts that name files that exist and carry no hidden characters,
messages in Chinese on the right stream, the documented exit codes, an empty spec refused, partial
results without a grade, and a README that says where idsl is and cites no machine path."""

from __future__ import annotations

import importlib
import json
import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from idsl.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parent.parent
SPEC = "specs/001_肃南县人社局2024部门整体支出.idsl"
# A file the help names: under one of the repository's folders, ending in a known suffix.
_NAMED = re.compile(r"(?:specs|examples|tests)/[^\s'\"`]+?\.(?:idsl|json|csv|xlsx)")
_HIDDEN = re.compile("[\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def helps() -> dict[str, str]:
    texts = {"idsl": invoke("--help").stdout}
    for name in COMMANDS:
        texts[name] = invoke(name, "--help").stdout
    return texts


def test_every_command_has_help():
    for name, text in helps().items():
        assert text.startswith("用法:"), (name, text[:200])


def test_every_file_named_in_a_help_text_exists():
    named = {(name, path) for name, text in helps().items() for path in _NAMED.findall(text)}
    assert named, "the help texts name no file at all"
    missing = [(name, path) for name, path in named if not (list(ROOT.glob(path)) if "*" in path else (ROOT / path).exists())]
    assert not missing


def test_no_help_text_has_zero_width_or_control_characters():
    for name, text in helps().items():
        hidden = [f"U+{ord(c):04X}" for c in text if _HIDDEN.match(c)
                  or (unicodedata.category(c) == "Cc" and c not in "\n\t")]
        assert not hidden, (name, hidden)


def test_the_command_descriptions_are_chinese():
    for name in ("check", "fmt", "test", "compile", "score", "audit", "template"):
        command = importlib.import_module(COMMANDS[name]).command
        assert re.search("[\u4e00-\u9fff]", command.help.splitlines()[0]), name
        assert "退出码" in command.help, name
        for param in command.params:
            if getattr(param, "help", None):
                assert re.search("[\u4e00-\u9fff]", param.help), (name, param.name)


def test_a_missing_file_is_a_usage_error_on_stderr_in_chinese():
    result = invoke("score", SPEC, "没有这个文件.json")
    assert result.exit_code == 2 and result.stdout == ""
    assert "错误：" in result.stderr and "不存在" in result.stderr and "Traceback" not in result.output


def test_an_unknown_option_is_a_usage_error_in_chinese():
    result = invoke("check", "--bogus", SPEC)
    assert result.exit_code == 2 and result.stdout == "" and "没有选项 '--bogus'" in result.stderr


def test_a_mistyped_command_names_the_one_meant():
    result = invoke("chek", SPEC)
    assert result.exit_code == 2 and result.stdout == "" and "没有命令 'chek'。是不是 check？" in result.stderr
    assert "是不是" not in invoke("frobnicate", SPEC).stderr  # nothing close: no guess


def test_a_workbook_s_errors_are_listed_in_the_order_of_its_rows(tmp_path):
    spec = tmp_path / "s.idsl"  # inputs whose names sort otherwise (预算数 before 预算调整数) than their rows
    spec.write_text('体系 "例" 总分 2\n过程（2）\n  预算调整率（2）\n    解释 x\n'
                    "    输入 预算调整数：金额 万元 可负，预算数：金额 万元\n"
                    "    偏离 |预算调整数 / 预算数| 目标 0%，每 1% 扣 0.2 分，超过 10% 不得分\n", encoding="utf-8")
    assert invoke("template", str(spec), "-o", str(tmp_path / "in.xlsx")).exit_code == 0
    result = invoke("score", str(spec), str(tmp_path / "in.xlsx"))
    cells = re.findall(r"输入!([A-Z]+\d+)", result.stderr)
    assert result.exit_code == 1 and len(cells) == 2
    assert cells == sorted(cells, key=lambda c: int(c[1:])), result.stderr


def test_the_readme_counts_the_specs_it_lists():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    words = {4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten", 11: "eleven", 12: "twelve"}
    count = len(list((ROOT / "specs").glob("*.idsl")))
    assert f"specs/ holds {words.get(count, count)} published evaluations" in text


def test_input_errors_go_to_stderr_with_exit_1(tmp_path):
    inputs = tmp_path / "bad.json"
    inputs.write_text(json.dumps({"inputs": {"重点支出安排率": {"重点项目支出": "很多"}}}, ensure_ascii=False),
                      encoding="utf-8")
    result = invoke("score", SPEC, str(inputs))
    assert result.exit_code == 1 and result.stdout == ""
    assert "输入错误" in result.stderr and "重点支出安排率" in result.stderr
    as_json = invoke("score", SPEC, str(inputs), "--format", "json")
    assert as_json.exit_code == 1 and json.loads(as_json.stdout)["errors"] and "输入错误" in as_json.stderr


def test_results_go_to_stdout_and_messages_to_stderr(tmp_path):
    result = invoke("score", SPEC, "examples/001_inputs.json")
    assert result.exit_code == 0 and "总分" in result.stdout and result.stderr == ""
    compiled = tmp_path / "001.compiled.json"
    result = invoke("compile", SPEC, "-o", str(compiled))
    assert result.exit_code == 0 and result.stdout == "" and "已写出" in result.stderr


def test_a_name_folded_in_a_narrow_terminal_keeps_its_level():
    """In 60 columns 深入实施就业优先战略成效 folds; its second line stays under its first, not at the table's edge
    (where it read as a level-1 indicator)."""
    result = CliRunner(env={"COLUMNS": "60"}).invoke(main, ["score", SPEC, "examples/001_inputs.json"])
    lines = result.stdout.splitlines()
    first = next(i for i, line in enumerate(lines) if "│     深入实施就" in line)
    assert lines[first + 1].startswith("│     业优先战略"), lines[first:first + 2]


@pytest.mark.parametrize("text", ["", "# 只有注释\n", '体系 "空" 总分 100\n'])
def test_an_empty_spec_is_an_error_not_a_total_of_100(tmp_path, text):
    spec = tmp_path / "空.idsl"
    spec.write_text(text, encoding="utf-8")
    checked = invoke("check", str(spec))
    assert checked.exit_code == 1 and "error[E306]" in checked.stdout
    inputs = tmp_path / "inputs.json"
    inputs.write_text('{"inputs": {}}', encoding="utf-8")
    scored = invoke("score", str(spec), str(inputs))
    assert scored.exit_code == 1 and "100" not in scored.stdout and "E306" in scored.stderr


def test_a_partial_batch_has_no_grade_in_either_engine(tmp_path):
    from idsl.io.columns import unit_columns
    from idsl.engines.batch import score_rows
    import idsl

    plan = idsl.load(SPEC)
    rows = list(csv_rows("examples/batch_001_units.csv"))[:2]
    first = dict(rows[0])
    blank = next(c.header for c in unit_columns(plan) if c.header.endswith("重点项目支出"))
    first[blank] = ""
    for engine in ("python", "duckdb"):
        scored, errors = score_rows(plan, [first, rows[1]], engine=engine, allow_missing=True)
        assert not errors
        assert scored[0]["等级"] is None and scored[0]["未评"] and scored[1]["等级"] in ("优", "良", "中", "差"), engine


def csv_rows(path: str):
    import csv

    with open(path, encoding="utf-8-sig", newline="") as stream:
        yield from csv.DictReader(stream)


def test_readme_says_where_idsl_is_and_how_to_install_it():
    head = (ROOT / "README.md").read_text(encoding="utf-8")[:3000]
    assert ".venv/bin/idsl" in head and "pipx install ." in head and "pip install ." in head
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Formatting specs" in readme and "idsl fmt --check" in readme


def test_no_document_cites_a_machine_path_for_the_seed_reports():
    files = [ROOT / "README.md", *ROOT.glob("examples/*.md"), *ROOT.glob("specs/*.idsl")]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "/work/" not in text and "seeds/" not in text, path.name
