"""README.md's commands print what it shows: every `$ idsl …` block, the outputs its comments quote, and its tables."""

from __future__ import annotations

import csv
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from idsl.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
# What the commands read, linked into a fresh folder so that they run as written, from the root.
LAYOUT = ("specs", "examples", "tests")
# The README's two mistakes in its 节选 example, described in its prose before the output.
MISTAKES = (("要素 每项 1 分", "要素 每项 1.5 分"), ("安排率 < 60% 不得分", "安排率 < 50% 不得分"))
# Commands whose output the README shows that are not run here, each with the reason.
NOT_RUN = {
    "idsl score specs/001_肃南县人社局2024部门整体支出.idsl examples/batch_001_units.csv -o spark.csv --engine spark":
        "needs Spark (about 30 s to start and plan); tests/test_engines_real.py runs it against the same lines",
}
# Commands of ```sh blocks whose comment quotes their output, with how that output reads the quote.
QUOTED = {
    "idsl new --list": lambda out: ", ".join(line.split("\t")[0] for line in out.splitlines()),
    "idsl score specs/001_肃南县人社局2024部门整体支出.idsl examples/001_inputs.json":
        lambda out: next(re.sub(r" {2,}", "，", line) for line in out.splitlines() if line.startswith("总分 ")),
    "idsl audit tests/cases/check/bad/002_as_published.idsl examples/002_inputs.json --as-published":
        lambda out: next(line.removeprefix("审核：") for line in out.splitlines() if line.startswith("审核：")),
}
# Each imported table, and how the README counts the errors `idsl check` then reports on the draft.
DRAFTS = {
    "001": r"`idsl check 001_草稿\.idsl` then reports (?P<total>\d+) errors: the (?P<to_write>\d+) leaves to write "
           r"\(E406\) and the (?P<found>\d+) published",
    "002": r"`idsl check 002_草稿\.idsl` reports (?P<total>\d+) errors(?: and (?P<warnings>\d+) warnings?)?: these (?P<found>\d+)\s+and the (?P<to_write>\d+) "
           r"(?:leaf|leaves)\s+to write \(E406\)",
}


def blocks(fence: str) -> list[str]:
    """The README's fenced blocks of one kind, in order."""
    return re.findall(rf"^```{fence}\n(.*?)^```", README, re.S | re.M)


def shown_runs() -> list[tuple[str, list[str]]]:
    """Each `$ idsl …` block: the command and the lines shown after it."""
    runs = []
    for block in blocks("text"):
        first, *shown = block.splitlines()
        if first.startswith("$ idsl ") and first.removeprefix("$ ") not in NOT_RUN:
            runs.append((first.removeprefix("$ "), shown))
    return runs


@pytest.fixture
def root(tmp_path, monkeypatch):
    """A folder that looks like the repository's root to the commands, where they may write their outputs."""
    for name in LAYOUT:
        (tmp_path / name).symlink_to(ROOT / name)
    excerpt = blocks("idsl")[0]
    for right, wrong in MISTAKES:
        assert excerpt.count(right) == 1, right
        excerpt = excerpt.replace(right, wrong)
    (tmp_path / "节选.idsl").write_text(excerpt, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


def run(command: str) -> str:
    """What the command prints on the terminal (standard output and error), as the README shows it."""
    words = shlex.split(command)
    assert words[0] == "idsl", command
    done = CliRunner().invoke(main, words[1:])
    assert done.exception is None or isinstance(done.exception, SystemExit), done.output
    return done.output


def matches(printed: list[str], shown: list[str]) -> bool:
    """Whether the printed lines are the shown ones: a shown line starting with … stands for any lines left out,
    a … inside a line for the text the README abbreviates there (a time, a fingerprint, a temporary path)."""
    if not shown:
        return not printed
    if shown[0].strip().startswith("…"):
        return any(matches(printed[skip:], shown[1:]) for skip in range(len(printed) + 1))
    return bool(printed) and same_line(printed[0], shown[0]) and matches(printed[1:], shown[1:])


def same_line(printed: str, shown: str) -> bool:
    """Whether a printed line is the shown one, the text around each … in it kept exactly."""
    return re.fullmatch(".*?".join(map(re.escape, shown.split("…"))), printed) is not None


def test_the_readme_shows_its_commands_with_their_output():
    commands = [command for command, _ in shown_runs()]
    assert "idsl check 节选.idsl" in commands and "idsl import examples/tables/001_附件1.docx -o 001_草稿.idsl" in commands
    assert any(command.startswith("idsl new --from 自评表") for command in commands)
    for command in NOT_RUN:
        assert command in README, command


@pytest.mark.parametrize(("command", "shown"), shown_runs(), ids=[command for command, _ in shown_runs()])
def test_a_shown_command_prints_the_lines_shown(root, command, shown):
    printed = [line.rstrip() for line in run(command).splitlines()]
    assert matches(printed, [line.rstrip() for line in shown]), "\n".join(printed)


def test_the_elision_stands_for_lines_left_out_only():
    assert matches(["a", "b", "c"], ["a", "…", "c"]) and matches(["a", "c"], ["a", "  …（注）", "c"])
    assert not matches(["a", "b", "c"], ["a", "c"]) and not matches(["a", "b"], ["a", "…", "c"])
    assert not matches(["a", "b", "x"], ["a", "b"])
    assert same_line("已写出 a.json（指纹 1fef98a0…）", "已写出 a.json（指纹 …）")
    assert not same_line("已写出 b.json（指纹 1fef98a0…）", "已写出 a.json（指纹 …）")


@pytest.mark.parametrize("command", QUOTED)
def test_a_comment_quotes_what_the_command_prints(root, command):
    comments = [line.split("#", 1)[1].strip() for block in blocks("sh") for line in block.splitlines()
                if line.startswith(command + "  ") and "#" in line]
    (quoted,) = [comment for comment in comments if not re.search("[A-Za-z]{2,}", comment)]  # not a description
    assert QUOTED[command](run(command)) == quoted


def test_the_batch_excerpt_is_the_duckdb_results(root):
    (command,) = [line.split("#")[0].strip() for block in blocks("sh") for line in block.splitlines()
                  if line.endswith("-o duckdb.csv")]
    run(command)
    with open(root / "duckdb.csv", encoding="utf-8-sig", newline="") as results:
        rows = list(csv.reader(results))
    excerpt = next(block for block in blocks("text") if block.startswith("单位,总分,等级"))
    shown = [[row[rows[0].index(name)] for name in ("单位", "总分", "等级")] for row in rows]
    assert len(rows[0]) == 75 and [",".join(row) for row in shown] == excerpt.splitlines()


@pytest.mark.parametrize("seed", DRAFTS)
def test_the_imported_draft_checks_as_the_readme_counts(root, seed):
    (command,) = [command for command, _ in shown_runs() if command.endswith(f"-o {seed}_草稿.idsl")]
    run(command)
    counted = {name: int(value or 0) for name, value in re.search(DRAFTS[seed], README).groupdict().items()}
    warnings = counted.pop("warnings", 0)
    printed = run(f"idsl check {seed}_草稿.idsl")
    codes = re.findall(r"^error\[(E\d+)\]", printed, re.M)
    assert f"{counted['total']} 个错误，{warnings} 个警告" in printed
    assert {"total": len(codes), "to_write": codes.count("E406"), "found": len(codes) - codes.count("E406")} == counted
