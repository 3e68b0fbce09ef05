"""Tests for `idsl fmt`: canonical form, --check, comments kept, atomic writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from idsl.cli import main
from idsl.frontend.parse import parse
from idsl.frontend.printer import format_spec
from idsl.frontend.source import Source

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted((ROOT / "specs").glob("*.idsl"))

# Not canonical: ASCII punctuation, English keywords, 4-space indentation, an inline band list.
MESSY = """system "示例" total 10
决策(10)
    目标设定(4)
        explain 目标是否明确
        discretionary
    覆盖率指标 (6)
        解释: 设置目标的项目占全部项目的比率
        input 覆盖率: rate
        bands 覆盖率: 覆盖率 >= 80% full; otherwise zero
"""
COMMENTED = "# 体系说明\n" + MESSY.replace("discretionary", "discretionary  # 由评价组酌情")


def run(*args):
    return CliRunner().invoke(main, list(args))


def canonical(text: str) -> str:
    spec, diagnostics = parse(Source("x.idsl", text))
    assert spec is not None, diagnostics
    return format_spec(spec)


def tree(text: str):
    return parse(Source("x.idsl", text))[0]


@pytest.fixture
def write(tmp_path):
    def write(text: str, name: str = "体系.idsl") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode("utf-8"))
        return path

    return write


def test_fmt_rewrites_in_canonical_form(write):
    path = write(MESSY)
    result = run("fmt", str(path))
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert text == canonical(MESSY)
    assert tree(text) == tree(MESSY)
    assert "  目标设定（4）\n    解释 目标是否明确\n    酌情\n" in text
    assert "已格式化" in result.stderr


def test_fmt_check_reports_a_file_not_canonical_and_leaves_it(write):
    path = write(MESSY)
    result = run("fmt", "--check", str(path))
    assert result.exit_code == 1
    assert "不是规范格式" in result.stderr
    assert path.read_text(encoding="utf-8") == MESSY


def test_fmt_check_passes_a_canonical_file(write):
    path = write(canonical(MESSY))
    before = path.stat().st_mtime_ns
    assert run("fmt", "--check", str(path)).exit_code == 0
    result = run("fmt", str(path))
    assert result.exit_code == 0 and "已是规范格式" in result.stderr
    assert path.stat().st_mtime_ns == before  # nothing rewritten


def test_fmt_keeps_the_comments(write):
    path = write(COMMENTED)
    result = run("fmt", str(path))
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert text == "# 体系说明\n" + canonical(MESSY).replace("    酌情\n", "    酌情  # 由评价组酌情\n")
    assert tree(text) == tree(COMMENTED)
    assert run("fmt", "--check", str(path)).exit_code == 0


def test_force_is_gone(write):
    assert run("fmt", "--force", str(write(COMMENTED))).exit_code == 2


def test_hash_inside_text_is_not_a_comment(write):
    path = write(MESSY.replace("目标是否明确", "第#1项目标是否明确"))
    result = run("fmt", str(path))
    assert result.exit_code == 0, result.output
    assert "解释 第#1项目标是否明确" in path.read_text(encoding="utf-8")


def test_fmt_check_passes_a_canonical_file_with_comments(write):
    path = write(canonical(MESSY) + "# 结尾的说明\n")
    assert run("fmt", "--check", str(path)).exit_code == 0


def test_syntax_errors_are_shown_and_the_file_left(write):
    text = "决策（10\n  目标设定（10）\n    酌情\n"
    path = write(text)
    result = run("fmt", str(path))
    assert result.exit_code == 1
    assert "error[E1" in result.stderr and "语法错误" in result.stderr
    assert path.read_text(encoding="utf-8") == text


def test_crlf_and_bom_are_not_canonical(write):
    path = write("\ufeff" + canonical(MESSY).replace("\n", "\r\n"))
    assert run("fmt", "--check", str(path)).exit_code == 1
    assert run("fmt", str(path)).exit_code == 0
    assert path.read_bytes() == canonical(MESSY).encode("utf-8")


def test_fmt_writes_atomically(write, monkeypatch):
    import idsl.cli.fmt as fmt

    written = []
    monkeypatch.setattr(fmt, "write_atomic", lambda path, data: written.append((str(path), data)))
    path = write(MESSY)
    assert run("fmt", str(path)).exit_code == 0
    assert written == [(str(path), canonical(MESSY).encode("utf-8"))]
    assert path.read_text(encoding="utf-8") == MESSY  # only write_atomic touches the file


def test_several_files_exit_1_if_any_fails(write):
    good, broken = write(MESSY, "a.idsl"), write("决策（10\n", "b.idsl")
    result = run("fmt", str(good), str(broken))
    assert result.exit_code == 1
    assert good.read_text(encoding="utf-8") == canonical(MESSY)


def test_usage_errors_exit_2(write):
    assert run("fmt").exit_code == 2
    assert run("fmt", "不存在.idsl").exit_code == 2


@pytest.mark.parametrize("spec", SPECS, ids=[p.stem for p in SPECS])
def test_seed_specs_format_to_the_same_tree_and_stay_canonical(spec, tmp_path):
    copy = tmp_path / spec.name
    shutil.copy(spec, copy)
    result = run("fmt", str(copy))
    assert result.exit_code == 0, result.output
    assert tree(copy.read_text(encoding="utf-8")) == tree(spec.read_text(encoding="utf-8"))
    assert run("fmt", "--check", str(copy)).exit_code == 0


def test_summary_names_round_trip_in_either_spelling():
    text = MESSY + 'table\n    summary-names 决策 = "部门 决策"\n'
    out = canonical(text)
    assert out.endswith('表格\n  汇总名称 决策 = "部门 决策"\n')
    first, _ = parse(Source("x.idsl", text))
    again, _ = parse(Source("y.idsl", out))
    assert [(p.indicator, p.label) for p in again.layout.labels] == [("决策", "部门 决策")]
    assert canonical(out) == out and again.layout.labels[0].label == first.layout.labels[0].label
