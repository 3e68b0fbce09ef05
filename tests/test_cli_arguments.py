"""A table or workbook given where the spec goes (the arguments swapped) is a usage error naming the order, not
the table parsed as a spec (E106 on its first comma) or refused as text that is not UTF-8."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from idsl.cli import main
from plans import seed_spec

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("args", [
    ("score", "u.csv", "s.idsl"),
    ("audit", "u.csv", "s.idsl"),
    ("score", "in.xlsx", "s.idsl"),
    ("template", "in.xlsx", "-o", "t.xlsx"),
    ("compile", "u.csv", "-o", "c.json"),
])
def test_a_table_where_the_spec_goes_names_the_order(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    shutil.copy(seed_spec("001"), "s.idsl")
    shutil.copy(ROOT / "examples" / "batch_001_units.csv", "u.csv")
    assert CliRunner().invoke(main, ["template", "s.idsl", "-o", "in.xlsx"]).exit_code == 0
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 2, result.output
    assert "先写体系" in result.output and "E106" not in result.output and "UTF-8" not in result.output
    assert not Path("t.xlsx").exists() and not Path("c.json").exists()
