"""Tests for `idsl check`, with the checker replaced by a fake that reads a verdict from the file."""

import json
import sys

import pytest
from click.testing import CliRunner

from idsl.cli import check as check_command
from idsl.cli import main
from idsl.diagnostics import Diagnostic, SpecError
from idsl.frontend.source import Source, Span

VERDICTS = {
    "ok": [],
    "warn": [("W502", "缺少指标解释")],
    "error": [("E302", "子项分值之和 2 与上级 12 不等"), ("W502", "缺少指标解释")],
}


def fake_check_file(path):
    """Diagnostics chosen by the file's first word, each pointing at that word."""
    source = Source.read(path)
    verdict = source.text.split()[0]
    if verdict == "raise":
        raise SpecError([Diagnostic("E204", "循环导入", Span(path, 1, 1, 1, 6))])
    span = Span(path, 1, 1, 1, 1 + len(verdict))
    diags = [Diagnostic(code, message, span, path=("决策",)) for code, message in VERDICTS[verdict]]
    return diags, {path: source}


@pytest.fixture(autouse=True)
def fake_checker(monkeypatch):
    monkeypatch.setattr(check_command, "check_file", fake_check_file)
    for variable in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def spec(tmp_path):
    def write(verdict: str, name: str = "") -> str:
        path = tmp_path / (name or f"{verdict}.idsl")
        path.write_text(f"{verdict}\n", encoding="utf-8")
        return str(path)

    return write


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_clean_file_exits_0(spec):
    result = run("check", spec("ok"))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "0 个错误，0 个警告"


def test_warnings_alone_exit_0(spec):
    result = run("check", spec("warn"))
    assert result.exit_code == 0
    assert "warning[W502]" in result.stdout and "0 个错误，1 个警告" in result.stdout


def test_errors_exit_1(spec):
    result = run("check", spec("error"))
    assert result.exit_code == 1
    assert "error[E302]" in result.stdout and "1 个错误，1 个警告" in result.stdout
    assert " 1 | error" in result.stdout and "^^^^^" in result.stdout


def test_spec_error_from_the_checker_is_reported(spec):
    result = run("check", "--format", "gnu", spec("raise"))
    assert result.exit_code == 1
    assert "error[E204]: 循环导入" in result.stdout


def test_missing_file_exits_2_without_traceback(spec):
    result = run("check", spec("ok"), "不存在.idsl")
    assert result.exit_code == 2
    assert "不存在.idsl" in result.stderr and "不存在。" in result.stderr
    assert "Traceback" not in result.output


def test_unreadable_input_exits_2(spec, monkeypatch):
    def refuse(path):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(check_command, "check_file", refuse)
    result = run("check", spec("ok"))
    assert result.exit_code == 2
    assert "无法读取" in result.stderr and "Permission denied" in result.stderr


def test_no_files_exits_2():
    assert run("check").exit_code == 2


def test_bad_format_exits_2(spec):
    assert run("check", "--format", "xml", spec("ok")).exit_code == 2


def test_gnu_format(spec):
    path = spec("error")
    result = run("check", "--format", "gnu", path)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:1:1: error[E302]: 子项分值之和 2 与上级 12 不等 [决策]",
        f"{path}:1:1: warning[W502]: 缺少指标解释 [决策]",
    ]


def test_gnu_clean_prints_nothing(spec):
    result = run("check", "--format", "gnu", spec("ok"))
    assert (result.exit_code, result.stdout) == (0, "")


def test_json_is_one_array_over_all_files(spec):
    result = run("check", "--format", "json", spec("warn", "a.idsl"), spec("error", "b.idsl"))
    assert result.exit_code == 1
    diags = json.loads(result.stdout)
    assert [(d["file"].rsplit("/", 1)[-1], d["code"]) for d in diags] == [
        ("a.idsl", "W502"), ("b.idsl", "E302"), ("b.idsl", "W502"),
    ]


def test_max_truncates_human_output(spec):
    paths = [spec("error", f"{n}.idsl") for n in range(3)]
    result = run("check", "--max", "2", *paths)
    assert result.exit_code == 1
    assert "…… 另有 4 条未显示" in result.stdout
    assert result.stdout.splitlines()[-1] == "3 个错误，3 个警告"


def test_output_has_no_escape_codes_when_not_a_terminal(spec):
    assert "\x1b" not in run("check", spec("error")).stdout


def test_version_and_help():
    assert run("--version").stdout.startswith("idsl，版本 ")
    help_text = run("--help").stdout
    assert "check" in help_text and "预算绩效评价指标体系" in help_text


def test_python_dash_m_idsl_cli_is_the_same_command(tmp_path):
    """`python -m idsl.cli` (a checkout without the script on PATH) runs the same command line, named idsl."""
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    spec = tmp_path / "例.idsl"
    spec.write_text('体系 "例" 总分 2\n决策（2）\n  合理性（2）\n    解释 例\n    酌情\n', encoding="utf-8")
    env = {"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin", "IDSL_NO_CACHE": "1"}
    ran = subprocess.run([sys.executable, "-m", "idsl.cli", "check", str(spec)], capture_output=True, text=True, env=env)
    assert ran.returncode == 0 and "0 个错误" in ran.stdout + ran.stderr, ran
    usage = subprocess.run([sys.executable, "-m", "idsl.cli", "nonsense"], capture_output=True, text=True, env=env)
    assert usage.returncode == 2 and "idsl" in usage.stderr and "__main__" not in usage.stderr
