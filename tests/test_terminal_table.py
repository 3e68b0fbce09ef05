"""The score table in a terminal: 得分原因 wraps as Chinese is set, whatever the width."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from idsl.cli._wrap import Wrapped

ROOT = Path(__file__).resolve().parent.parent
SPEC = next((ROOT / "specs").glob("001_*.idsl"))
CLOSING = "，。；：、）」』》”’！？〕】〉］"


def reason_lines(width: int) -> list[list[str]]:
    """The 得分原因 column of `idsl score` at a terminal width: each row's lines."""
    env = dict(os.environ, COLUMNS=str(width))
    out = subprocess.run([sys.executable, "-c", "from idsl.cli import main; main()", "score", str(SPEC),
                          str(ROOT / "examples" / "001_inputs.json")], capture_output=True, text=True, env=env,
                         cwd=ROOT, check=False).stdout
    rows: list[list[str]] = []
    for line in out.splitlines():
        cells = line.split("│")
        if len(cells) != 7:
            continue
        name, reason = cells[1].strip(), cells[5].strip()
        if name or not rows:
            rows.append([reason] if reason else [])
        elif reason:
            rows[-1].append(reason)
    return rows


@pytest.mark.parametrize("width", [80, 100, 140])
def test_reasons_never_break_inside_a_number_nor_before_a_closing_mark(width):
    rows = [r for r in reason_lines(width) if r]
    assert len(rows) > 30 and any(len(r) > 2 for r in rows)
    for lines in rows:
        for before, after in zip(lines, lines[1:]):
            assert after[0] not in CLOSING, (before, after)
            assert not (re.search(r"[0-9A-Za-z.%]$", before) and re.match(r"[0-9A-Za-z.%]", after)), (before, after)


def test_a_token_wider_than_the_cell_is_cut_and_nothing_is_lost():
    text = "见 https://www.example.gov.cn/info/3003/116104.htm 与 〔2023〕137号，得2分。"
    lines = Wrapped(text).lines(12)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(line[0] not in CLOSING for line in lines if line)
