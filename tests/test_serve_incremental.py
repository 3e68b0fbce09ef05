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


def _line_edits(text: str) -> list[str]:
    """Lines added and taken away as an author presses Enter and Backspace: blank lines and comments at a
    third and two thirds of the text, one of them removed again, every leaf below moved each time; then a
    mistake made in a leaf near the end (its diagnostics must move with it) and lines added above it."""
    lines = text.split("\n")
    third, two_thirds = len(lines) // 3, 2 * len(lines) // 3
    one = lines[:third] + [""] + lines[third:]
    two = one[:two_thirds] + ["# 注释", ""] + one[two_thirds:]
    fewer = two[:third] + two[third + 1:]
    late, (written, wrong) = next((n, mistake) for n in range(len(lines) - 1, 0, -1) for mistake in _MISTAKES
                                  if mistake[0] in lines[n] and not lines[n].lstrip().startswith("#"))
    broken = lines[:late] + [lines[late].replace(written, wrong, 1)] + lines[late + 1:]
    broken_moved = broken[:third] + ["", "", "# 两行"] + broken[third:]
    return ["\n".join(v) for v in (lines, one, two, fewer, one, lines, broken, broken_moved, broken, broken_moved[3:])]


# Mistakes the per-leaf checks find: a band awarding more than the points; a rate compared as money.
_MISTAKES = (("得满分", "得 99 分"), ("：比率", "：金额 万元"))
SPECS = {path.stem[:3]: path for path in sorted((ROOT / "specs").glob("*.idsl"))}

# Leaves reading inputs declared at the top: what is found in a moved leaf points at those declarations
# too, and they stay where they are.
SHARED_INPUTS = """体系 "共用输入" 总分 30
输入 资金到位率：比率，预算数：金额 万元，执行数：金额 万元
""" + "".join(f"""
块{n}（10）
  到位{n}（5）
    解释 资金到位。
    得分 = min(资金到位率, 100%) × 分值
  执行{n}（5）
    解释 预算执行。
    分档 执行数 / 预算数：执行数 / 预算数 ≥ 90% 得满分；执行数 / 预算数 < 90% 得 0 分
""" for n in range(1, 4))


@pytest.mark.parametrize("name", [*SPECS, "generated", "shared inputs"])
def test_lines_added_and_removed_move_everything_below_exactly(name, tmp_path, monkeypatch):
    texts = {"generated": generated_spec(200), "shared inputs": SHARED_INPUTS}
    text = texts[name] if name in texts else SPECS[name].read_text(encoding="utf-8")
    (tmp_path / "t.idsl").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    versions = _line_edits(text)
    replies = [_shown(Api(Workspace(str(tmp_path))), version) for version in versions]
    with monkeypatch.context() as fresh:
        fresh.setattr(Memo, "get", lambda self, key, compute: compute())
        fresh.setattr(incremental, "parse_incrementally", parse)
        for number, (reply, version) in enumerate(zip(replies, versions)):
            assert reply == _shown(Api(Workspace(str(tmp_path))), version), number
    assert all(reply[0]["errors"] for reply in replies[6:])  # the mistake is seen, wherever its leaf stands
    assert any(reply[1] for reply in replies[:6])


def _shown(api: Api, text: str) -> tuple[dict, bytes | None]:
    """What the page shows of a text, and the compiled spec it downloads (every span of the plan in it)."""
    reply = api.check({"path": "t.idsl", "text": text})
    compiled = None if reply["errors"] else api.download({"path": "t.idsl", "text": text, "kind": "compiled"}).data
    return reply, compiled
