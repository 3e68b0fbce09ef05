"""Bad input of every kind — spec text, JSON, workbooks, CSV — gives one clear message naming the file
or field, exit 1, no traceback and no file written; and numbers are never read as other numbers."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from idsl.cli import main
from plans import seed_spec

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ROOT / "examples" / "001_inputs.json"
UNITS = ROOT / "examples" / "batch_001_units.csv"
COLUMN = "决策/预算配置/重点支出安排率.重点项目支出"


def _inputs_text() -> str:
    return INPUTS.read_text(encoding="utf-8")


def _long_note() -> str:
    data = json.loads(_inputs_text())
    data.setdefault("notes", {})["重点支出安排率"] = "长" * 6000
    return json.dumps(data, ensure_ascii=False)


def _with_total(raw: str) -> str:
    """The example inputs with 重点支出安排率's 项目总支出 written as `raw` JSON."""
    data = json.loads(_inputs_text())
    data["inputs"]["重点支出安排率"]["项目总支出"] = "@@"
    return json.dumps(data, ensure_ascii=False).replace('"@@"', raw)


def _units(value: str) -> str:
    """The example batch with the first unit's 重点项目支出 replaced by `value`."""
    with UNITS.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    rows[1][rows[0].index(COLUMN)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _workbook(folder: Path) -> bytes:
    """A real input workbook, made by `idsl template`."""
    target = folder / "made.xlsx"
    assert CliRunner().invoke(main, ["template", str(folder / "s.idsl"), "-o", str(target)]).exit_code == 0
    data = target.read_bytes()
    target.unlink()
    return data


def _with_member(data: bytes, name: str, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member)
            target.writestr(member.filename, change(content) if member.filename == name else content)
    return out.getvalue()


def _zip_bomb(_folder: Path) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as stream:
            block = b"\0" * 2**20
            for _ in range(110):
                stream.write(block)
    return out.getvalue()


def _xxe(folder: Path) -> bytes:
    dtd = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    return _with_member(_workbook(folder), "xl/workbook.xml",
                        lambda c: c.replace(b"?>", b"?>" + dtd, 1) if c.startswith(b"<?xml") else dtd + c)


def _batch_workbook() -> bytes:
    """The example batch as a workbook: its CSV rows in a sheet 单位."""
    from openpyxl import Workbook

    with UNITS.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    book = Workbook()
    sheet = book.active
    sheet.title = "单位"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _batch_sheet_xxe(_folder: Path) -> bytes:
    dtd = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    return _with_member(_batch_workbook(), "xl/worksheets/sheet1.xml",
                        lambda c: c.replace(b"?>", b"?>" + dtd, 1) if c.startswith(b"<?xml") else dtd + c)


def _nested_spec(folder: Path) -> str:
    for i in range(60):
        (folder / f"c{i}.idsl").write_text(f'引用 "c{i + 1}.idsl"\n', encoding="utf-8")
    shutil.copy(folder / "s.idsl", folder / "c60.idsl")
    return "c0.idsl"


def _passwd_import(folder: Path) -> str:
    (folder / "pw.idsl").symlink_to("/etc/passwd")
    (folder / "a.idsl").write_text('引用 "pw.idsl"\n', encoding="utf-8")
    return "a.idsl"


def _loop_import(folder: Path) -> str:
    (folder / "l1.idsl").symlink_to("l2.idsl")
    (folder / "l2.idsl").symlink_to("l1.idsl")
    (folder / "b.idsl").write_text('引用 "l1.idsl"\n', encoding="utf-8")
    return "b.idsl"


def _file(name: str, content) -> callable:
    def make(folder: Path) -> str:
        data = content(folder) if callable(content) else content
        (folder / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return name
    return make


# (id, what to make in the folder → the file to pass, the command after `idsl`, what the message must say)
CASES = [
    # JSON inputs
    ("json-gbk", _file("in.json", lambda f: _inputs_text().encode("gbk")), ["score", "s.idsl", "{}"], "不是 UTF-8"),
    ("json-duplicate-key", _file("in.json", '{"inputs": {}, "inputs": {}}'), ["score", "s.idsl", "{}"], "“inputs”出现了两次"),
    ("json-deep", _file("in.json", "[" * 50_000 + "]" * 50_000), ["score", "s.idsl", "{}"], "嵌套了 50000 层"),
    ("json-long-note", _file("in.json", lambda f: _long_note()), ["score", "s.idsl", "{}"], "重点支出安排率 › notes"),
    ("json-huge-exponent", _file("in.json", lambda f: _with_total("1e999999999")),
     ["score", "s.idsl", "{}"], "整数部分最多"),
    ("json-bengali-digit", _file("in.json", lambda f: _with_total('"৬০০৫"')),
     ["score", "s.idsl", "{}"], "0–9"),
    ("json-misplaced-comma", _file("in.json", lambda f: _with_total('" 6,00 "')),
     ["score", "s.idsl", "{}"], "6,00"),
    ("recorded-gbk", _file("rec.json", '{"重点支出安排率": "满分"}'.encode("gbk")),
     ["score", "s.idsl", str(INPUTS), "--recorded", "{}"], "rec.json 不是 UTF-8"),
    # workbooks
    ("xlsx-renamed-text", _file("in.xlsx", lambda f: _inputs_text()), ["score", "s.idsl", "{}"], "改了扩展名"),
    ("xlsx-zip-bomb", _file("in.xlsx", _zip_bomb), ["score", "s.idsl", "{}"], "解压后超过"),
    ("xlsx-entities", _file("in.xlsx", _xxe), ["score", "s.idsl", "{}"], "DTD"),
    ("xlsx-batch-sheet-entities", _file("u.xlsx", _batch_sheet_xxe), ["score", "s.idsl", "{}", "-o", "r.csv"],
     "xl/worksheets/sheet1.xml 含 DTD"),
    # batches
    ("csv-gbk", _file("u.csv", lambda f: _units("1").encode("gbk")), ["score", "s.idsl", "{}", "-o", "r.csv"],
     "不是 UTF-8"),
    # spec text and imports
    ("import-outside", _passwd_import, ["check", "{}"], "E203"),
    ("import-symlink-loop", _loop_import, ["check", "{}"], "E204"),
    ("import-chain", _nested_spec, ["check", "{}"], "引用嵌套超过 50 层"),
    ("spec-fifo", lambda f: (os.mkfifo(f / "f.idsl"), "f.idsl")[1], ["check", "{}"], "不是普通文件"),
]


@pytest.mark.parametrize("make, args, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_one_clear_message(tmp_path, monkeypatch, make, args, expected):
    shutil.copy(seed_spec("001"), tmp_path / "s.idsl")
    monkeypatch.chdir(tmp_path)
    name = make(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = CliRunner().invoke(main, [a.format(name) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code in ((1, 2) if expected == "不是普通文件" else (1,)), result.output
    assert expected in result.output, result.output
    assert "root:" not in result.output  # another file's content is never echoed
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


def test_utf16_inputs_from_notepad_are_read(tmp_path):
    (tmp_path / "in.json").write_bytes(_inputs_text().encode("utf-16"))
    result = CliRunner().invoke(main, ["score", str(seed_spec("001")), str(tmp_path / "in.json")])
    assert result.exit_code == 0 and "97" in result.output, result.output


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_both_engines_read_thousands_only_in_groups_of_three(tmp_path, engine):
    (tmp_path / "u.csv").write_text(_units("1,000"), encoding="utf-8")
    ok = CliRunner().invoke(main, ["score", str(seed_spec("001")), str(tmp_path / "u.csv"), "-o",
                                   str(tmp_path / "r.csv"), "--engine", engine])
    assert ok.exit_code == 0, ok.output
    for written, said in ((" 1,00 ", "应填一个数"), ("৬০০৫", "数字只能用 0–9 书写")):  # as a JSON file is told
        (tmp_path / "u.csv").write_text(_units(written), encoding="utf-8")
        bad = CliRunner().invoke(main, ["score", str(seed_spec("001")), str(tmp_path / "u.csv"), "-o",
                                        str(tmp_path / "r.csv"), "--engine", engine])
        assert bad.exit_code == 1 and f"{said}，这里是 “{written.strip()}”" in bad.output, bad.output


def test_a_batch_sheet_is_unpacked_once(tmp_path, monkeypatch):
    """The sheet is checked for a DTD as it is read, not unpacked a second time to be scanned first."""
    from idsl.io.tables import read_batch_workbook

    (tmp_path / "u.xlsx").write_bytes(_batch_workbook())
    opened = []
    real_open = zipfile.ZipFile.open

    def counting_open(archive, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(archive, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", counting_open)
    headers, temporary, _numbers = read_batch_workbook(tmp_path / "u.xlsx")
    Path(temporary).unlink()
    assert COLUMN in headers
    assert opened.count("xl/worksheets/sheet1.xml") == 1, opened


def test_a_stale_dimension_does_not_hide_rows(tmp_path):
    with UNITS.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    stale = _with_member(_batch_workbook(), "xl/worksheets/sheet1.xml",
                         lambda c: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:H2"', c))
    (tmp_path / "u.xlsx").write_bytes(stale)
    result = CliRunner().invoke(main, ["score", str(seed_spec("001")), str(tmp_path / "u.xlsx"), "-o",
                                       str(tmp_path / "r.csv")])
    assert f"{len(rows) - 1} / {len(rows) - 1}" in result.output or f"{len(rows) - 1} of {len(rows) - 1}" in result.output, \
        result.output


@pytest.mark.parametrize("written, message, hint", [
    ("3元", "酌情得分以“分”计，这里写了“元”：“3元”。", '只填分数，例如 "3" 或 "3分"。'),
    ("基本完成", "酌情得分应是一个数，这里是 “基本完成”。", "填一个数，例如 3.5；理由写在“理由”里。")])
def test_a_judged_score_written_as_text_says_what_to_write(tmp_path, written, message, hint):
    spec = ROOT / "examples/kinds/discretionary.idsl"
    inputs = {"inputs": {"重点工作完成率": {"得分": written, "理由": "例"},
                         "社会经济环境效益": {"得分": 8, "理由": "例"}}}
    (tmp_path / "in.json").write_text(json.dumps(inputs, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(spec), str(tmp_path / "in.json")])
    assert result.exit_code == 1
    assert message in result.output and hint in result.output


def test_a_checklist_s_answers_given_as_a_bare_list_are_shown_under_their_key(tmp_path):
    """`"年度绩效目标合理性": ["是", "是", "否"]`, as a worked example's 设 writes a checklist, was only 指标的输入应是一个
    对象, with the example of an amount: the hint now writes the object the answers go in."""
    data = json.loads((ROOT / "examples/kinds/checklist_inputs.json").read_text(encoding="utf-8"))
    data["inputs"]["年度绩效目标合理性"] = ["是", "是", "否"]
    (tmp_path / "in.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(ROOT / "examples/kinds/checklist.idsl"), str(tmp_path / "in.json")])
    assert result.exit_code == 1
    assert '提示：要素的取值写在“要素”下：{"要素": ["是", "是", "否"]}。' in result.output, result.output


def test_a_gbk_batch_exits_as_the_readme_says_naming_the_encoding_and_the_fix(tmp_path):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    codes = " ".join(readme[readme.index("Exit codes of every command"):].split("130 interrupted")[0].split())
    data_errors = codes.split("; 2 ")[0]
    assert "a CSV or JSON file not in UTF-8" in data_errors and "1 errors in the spec or the data" in data_errors
    (tmp_path / "u.csv").write_bytes(_units("1").encode("gbk"))
    result = CliRunner().invoke(main, ["score", str(seed_spec("001")), str(tmp_path / "u.csv"), "-o",
                                       str(tmp_path / "r.csv")])
    assert result.exit_code == 1, result.output
    assert "不是 UTF-8 编码" in result.output and "GBK" in result.output and "CSV UTF-8" in result.output
