"""Escape sequences in unit names, notes and reasons (OSC 52 clipboard, window title, CSI) never reach the
terminal raw: every printer cleans user text (idsl.cli._common.clean), and the console replaces any left."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from idsl.cli import main
from idsl.cli._common import clean, make_console

ROOT = Path(__file__).resolve().parent.parent
SPEC = "specs/001_肃南县人社局2024部门整体支出.idsl"
CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4K\x07"  # OSC 52: write the clipboard
TITLE = "\x1b]0;已被接管\x07"  # set the window title
CSI = "\x1b[2J\x1b[H"  # clear the screen, cursor home
EIGHT_BIT = "\x9b31m"  # an 8-bit CSI
RAW = ("\x1b", "\x07", "\x9b")


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def hostile_inputs(tmp_path: Path) -> Path:
    data = json.loads((ROOT / "examples/001_inputs.json").read_text(encoding="utf-8"))
    data["unit"] = "肃南县" + CLIPBOARD + TITLE
    data["notes"] = {"重点支出安排率": "见决算报表" + CSI + EIGHT_BIT}
    data["recorded"] = {"重点支出安排率": 1}  # an audit row whose reason carries the note
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_clean_shows_every_control_character_as_an_escape():
    assert clean("单位" + CLIPBOARD) == "单位\\x1b]52;c;cm0gLXJmIH4K\\x07"
    assert clean(EIGHT_BIT) == "\\x9b31m" and clean("甲\u202e乙") == "甲\\u202e乙"
    assert clean("第一行\n第二行\t完") == "第一行\n第二行\t完"
    assert clean(clean(CSI)) == clean(CSI)


@pytest.mark.parametrize("terminal", [False, True])
def test_score_prints_hostile_names_and_notes_escaped(tmp_path, terminal, monkeypatch):
    if terminal:  # as on a real terminal, with colour: rich's own styles are the only escapes
        monkeypatch.setenv("FORCE_COLOR", "1")
        monkeypatch.setenv("TERM", "xterm-256color")
    result = CliRunner().invoke(main, ["score", SPEC, str(hostile_inputs(tmp_path))])
    assert result.exit_code == 1, result.output  # the recorded score differs
    out = result.stdout + result.stderr
    assert "\\x1b]52;c;cm0gLXJmIH4K\\x07" in out and "\\x1b[2J" in out
    assert "]52;" not in out.replace("\\x1b]52;", "") and "\x07" not in out and "\x9b" not in out
    if terminal:
        assert "\x1b[" in out  # colours are still there …
    assert "\x1b]" not in out and "\x1b[2J" not in out  # … but no OSC and no screen clearing


def test_audit_markdown_and_the_batch_report_are_cleaned(tmp_path):
    result = CliRunner().invoke(main, ["audit", SPEC, str(hostile_inputs(tmp_path))])
    assert result.exit_code == 1 and not any(c in result.stdout + result.stderr for c in RAW)
    units = tmp_path / "units.csv"
    rows = (ROOT / "examples/batch_001_units.csv").read_text(encoding="utf-8-sig").splitlines()
    header, first = rows[0], rows[1].split(",", 1)
    units.write_text("\n".join([header, '"' + "甲" + CLIPBOARD + '",' + "x" + first[1]]) + "\n", encoding="utf-8")
    batch = CliRunner().invoke(main, ["score", SPEC, str(units), "-o", str(tmp_path / "r.csv")])
    assert batch.exit_code == 1 and "甲\\x1b]52;" in batch.stderr
    assert not any(c in batch.stdout + batch.stderr for c in RAW)


def test_a_console_never_writes_a_raw_control_character_even_when_a_printer_forgets():
    buffer = io.StringIO()
    console = make_console(file=buffer, width=80)
    console.print("忘了清理的" + CLIPBOARD)
    assert not any(c in buffer.getvalue() for c in RAW) and "忘了清理的" in buffer.getvalue()


def test_diagnostics_show_a_spec_line_with_an_escape_harmlessly(tmp_path):
    spec = tmp_path / "体系.idsl"
    spec.write_text('体系 "例' + TITLE + '" 总分 10\n决策（5）\n  目标（5）\n    酌情\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(spec)])
    assert result.exit_code == 1
    assert not any(c in result.stdout + result.stderr for c in RAW)
