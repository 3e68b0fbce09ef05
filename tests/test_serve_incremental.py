"""A workbench refresh after edit upon edit is exactly what a fresh check and render of the same text
give: the remembered blocks, leaves, per-leaf checks and table groups never leave anything stale."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from idsl.frontend import incremental
from idsl.frontend.parse import parse
from idsl.memo import Memo
from idsl.serve.api import Api
from idsl.serve.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from run import generated_spec  # noqa: E402

SPEC_001 = next((ROOT / "specs").glob("001_*.idsl")).read_text(encoding="utf-8")


def _versions(text: str, leaf_line: str, level2_line: str) -> list[str]:
    """Keystrokes as an author makes them: inside a leaf, a branch's points, a line added (every span
    below it moves), a mistake and its fix, and back to where they started."""
    lines = text.split("\n")
    middle = len(lines) // 2
    inserted = "\n".join(lines[:middle] + ["# 新加的一行"] + lines[middle:])
    changed_leaf = text.replace(leaf_line, leaf_line + "，另见附件", 1)
    return [text, changed_leaf, inserted, text.replace(level2_line, level2_line.replace("（", "（1", 1), 1),
            changed_leaf.replace("要素 每项 1 分", "要素 每项 1.5 分", 1), changed_leaf, text, inserted]


CASES = {
    "001": (SPEC_001, "解释 主要考察部门所设立的整体绩效目标依据是否充分", "  目标设定（9）"),
    "generated": (generated_spec(200), "解释 第57个生成的指标。", "  二级3之1（20）"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_refresh_after_each_edit_equals_a_fresh_check_and_render(case, tmp_path, monkeypatch):
    text, leaf_line, level2_line = CASES[case]
    assert leaf_line in text and level2_line in text
    (tmp_path / "t.idsl").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    remembered = []
    for version in _versions(text, leaf_line, level2_line):
        api = Api(Workspace(str(tmp_path)))  # a new page each time: the analysis is not simply handed back
        remembered.append(api.check({"path": "t.idsl", "text": version}))
    with monkeypatch.context() as fresh:  # nothing remembered: the whole text parsed, every leaf checked
        fresh.setattr(Memo, "get", lambda self, key, compute: compute())
        fresh.setattr(incremental, "parse_incrementally", parse)
        for reply, version in zip(remembered, _versions(text, leaf_line, level2_line)):
            assert reply == Api(Workspace(str(tmp_path))).check({"path": "t.idsl", "text": version})
    assert any(reply["errors"] for reply in remembered) and any(reply["table"] for reply in remembered)
