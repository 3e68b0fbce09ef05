"""Hostile but realistic text in names, notes, specs and input files: no live formula in any CSV or
workbook idsl writes (both batch engines), no control character refused by Word or Excel or passed to
a terminal, a coded diagnostic for one in spec text, and one clear message for a file that cannot be read."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from click.testing import CliRunner

from idsl.cli import main
from plans import seed_spec

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ROOT / "examples" / "001_inputs.json"
UNITS = ROOT / "examples" / "batch_001_units.csv"
PER_FINDING = ROOT / "examples" / "kinds" / "per_finding.idsl"
FINDINGS = "预算编制情况/预算编制/预算编制规范性.未满足项数"

# Unit names a spreadsheet would run as formulas (OWASP CSV injection), full-width forms included.
FORMULAS = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "+1", "＝1+1", "＠SUM(1)"]
BAD_ROW_UNIT = "=1+1"  # a row with a bad cell: its name reaches the errors file
RAW_CONTROLS = ("\x00", "\x07", "\x0b", "\x1b", "\x9b")


def _invoke(*args: str):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def _units(folder: Path, names: list[str], bad: str | None = None) -> Path:
    """The example batch with units renamed (cycling through its rows); a recorded 0 on the first row
    (a negative 差异); with `bad`, one more row of that name whose first input is not a number."""
    with UNITS.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    header, body = rows[0], rows[1:]
    recorded = next(i for i, h in enumerate(header) if h.endswith(".记录得分") and body[0][i])
    out = [header]
    for i, name in enumerate(names):
        row = list(body[i % len(body)])
        row[0] = name
        if i == 0:
            row[recorded] = "0"
        out.append(row)
    if bad is not None:
        row = list(body[0])
        row[0], row[1] = bad, "不是数"
        out.append(row)
    path = folder / "units.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(out)
    return path


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


# ---------------------------------------------------------------- formula injection


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_results_csv_never_holds_a_live_formula(tmp_path, engine):
    out = tmp_path / "results.csv"
    result = _invoke("score", seed_spec("001"), _units(tmp_path, FORMULAS, BAD_ROW_UNIT), "-o", out, "--engine", engine)
    assert result.exit_code == 1, result.output  # the bad row
    with out.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert [row[0] for row in rows[1:]] == ["'" + name for name in FORMULAS]
    numbers = [cell for row in rows[1:] for cell in row[1:] if cell and cell not in ("优", "良", "中", "差")]
    assert numbers and all(_is_number(cell) for cell in numbers)  # numbers stay numbers …
    assert any(cell.startswith("-") for cell in numbers)  # … negative differences too
    with (tmp_path / "results.errors.csv").open(encoding="utf-8", newline="") as stream:
        errors = list(csv.DictReader(stream))
    assert errors and {e["单位"] for e in errors} == {"'" + BAD_ROW_UNIT}


def test_both_engines_write_the_same_neutralised_csv(tmp_path):
    units = _units(tmp_path, FORMULAS)
    for engine in ("duckdb", "python"):
        assert _invoke("score", seed_spec("001"), units, "-o", tmp_path / f"{engine}.csv", "--engine", engine).exit_code == 0
    assert (tmp_path / "duckdb.csv").read_bytes() == (tmp_path / "python.csv").read_bytes()


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_results_workbook_writes_names_as_text(tmp_path, engine):
    from openpyxl import load_workbook

    out = tmp_path / "results.xlsx"
    result = _invoke("score", seed_spec("001"), _units(tmp_path, FORMULAS, BAD_ROW_UNIT), "-o", out, "--engine", engine)
    assert result.exit_code == 1, result.output
    book = load_workbook(out)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    results, errors = book["结果"], book["错误"]
    assert [c.value for c in results["A"][1:]] == FORMULAS  # exactly as written, as text
    assert {c.data_type for c in results["A"][1:]} == {"s"}
    assert results["B2"].data_type == "n"
    assert {c.value for c in errors["B"][1:]} == {BAD_ROW_UNIT}


def test_templates_write_spec_text_as_text(tmp_path):
    from openpyxl import load_workbook

    spec = tmp_path / "s.idsl"
    spec.write_text('体系 "例" 总分 10\n决策（10）\n  目标设定（10）\n    合理性（10）\n'
                    "      解释 =cmd|' /C calc'!A0\n      要素 每项 5 分\n        - =1+1\n        - @SUM(1)\n",
                    encoding="utf-8")
    for args in (["-o", tmp_path / "in.xlsx"], ["--batch", "-o", tmp_path / "units.xlsx"]):
        assert _invoke("template", spec, *args).exit_code == 0
    for name in ("in.xlsx", "units.xlsx"):
        book = load_workbook(tmp_path / name)
        cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"], name
    texts = [c.value for sheet in load_workbook(tmp_path / "in.xlsx").worksheets for row in sheet.iter_rows() for c in row]
    assert "=cmd|' /C calc'!A0" in texts  # the spec's text, kept as written


def test_a_name_that_starts_like_a_formula_is_E208(tmp_path):
    from idsl.check.names import FORMULA_STARTS as CHECKED
    from idsl.io.inert import FORMULA_STARTS

    assert CHECKED == FORMULA_STARTS
    for name in ('"=HYPERLINK(1)"', '"＋1"', '"@SUM(1)"'):
        spec = tmp_path / "s.idsl"
        spec.write_text(f'体系 "例" 总分 10\n{name}（10）\n  目标设定（10）\n    合理性（10）\n      解释 例\n      酌情\n',
                        encoding="utf-8")
        result = _invoke("check", "--format", "gnu", spec)
        assert result.exit_code == 1 and f"{spec}:2:1: error[E208]" in result.output, result.output


# ---------------------------------------------------------------- control characters


def _hostile_json(folder: Path) -> Path:
    data = json.loads(INPUTS.read_text(encoding="utf-8"))
    data["unit"] = "肃南\x00县\x0b人社\x07局\x1b]0;x\x07"
    data["notes"] = {"重点支出安排率": "见\x00报\x0c表\x1b[2J"}
    path = folder / "hostile.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_control_characters_in_names_and_notes_reach_word_escaped(tmp_path):
    from docx import Document

    out = tmp_path / "filled.docx"
    result = _invoke("score", seed_spec("001"), _hostile_json(tmp_path), "--docx", out)
    assert result.exit_code == 0, result.output
    assert not any(c in result.output for c in RAW_CONTROLS)
    document = Document(str(out))
    texts = [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "被评价单位：肃南\\x00县\\x0b人社\\x07局\\x1b]0;x\\x07" in texts
    assert any("见\\x00报\\x0c表\\x1b[2J" in text for text in texts)


@pytest.mark.parametrize("where", ["unit", "note", "key"])
def test_half_a_surrogate_pair_in_inputs_json_is_named_not_a_traceback(tmp_path, where):
    """A \\ud800 escape alone is no character: printing or writing it would fail, so the file is refused."""
    text = INPUTS.read_text(encoding="utf-8")
    text = {"unit": lambda t: t.replace('"肃南县人力资源和社会保障局"', '"肃南\\ud800县"', 1),
            "note": lambda t: t.replace('"notes": {', '"notes": {"没有这个指标": "见\\udfff表", ', 1),
            "key": lambda t: t.replace('"年度绩效目标合理性"', '"年度\\ud83d绩效目标合理性"', 1)}[where](text)
    path = tmp_path / "surrogate.json"
    path.write_text(text, encoding="utf-8")
    result = _invoke("score", seed_spec("001"), path, "--docx", tmp_path / "out.docx")
    assert result.exit_code == 1, result.output
    assert "不成对的 \\u 转义" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out.docx").exists()


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_control_characters_in_unit_names_reach_excel_escaped(tmp_path, engine):
    from openpyxl import load_workbook

    out = tmp_path / "results.xlsx"
    units = _units(tmp_path, ["甲\x00乙\x0b丙\x07", "丁\x1b]0;t\x07"])
    result = _invoke("score", seed_spec("001"), units, "-o", out, "--engine", engine)
    assert result.exit_code == 0, result.output
    assert not any(c in result.output for c in RAW_CONTROLS)
    assert [c.value for c in load_workbook(out)["结果"]["A"][1:]] == ["甲\\x00乙\\x0b丙\\x07", "丁\\x1b]0;t\\x07"]


SPEC_CONTROLS = [("\x00", "U+0000（NUL）"), ("\x07", "U+0007（BEL）"), ("\x0b", "U+000B（VT）"), ("\x0c", "U+000C（FF）"),
                 ("\x1b", "U+001B（ESC）"), ("\x7f", "U+007F（DEL）"), ("\x85", "U+0085"), ("\u202e", "U+202E")]


@pytest.mark.parametrize("char, named", SPEC_CONTROLS, ids=[n for _, n in SPEC_CONTROLS])
@pytest.mark.parametrize("where", [(0, 4), (3, 6), (4, 9)], ids=["title", "name", "explanation"])
def test_a_control_character_in_spec_text_is_E106_at_its_place(tmp_path, char, named, where):
    from rich.cells import cell_len

    lines = ['体系 "例" 总分 10', "决策（10）", "  目标设定（10）", "    合理性（10）", "      解释 说明", "      酌情"]
    line, index = where
    lines[line] = lines[line][:index] + char + lines[line][index:]
    spec = tmp_path / "c.idsl"
    spec.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for form in ("gnu", "human"):
        result = _invoke("check", "--format", form, spec)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert named in result.output and "E106" in result.output, result.output
        assert char not in result.output  # shown as U+FFFD in the excerpt, never raw
    gnu = _invoke("check", "--format", "gnu", spec).output
    assert gnu.startswith(f"{spec}:{line + 1}:{cell_len(lines[line][:index]) + 1}: error[E106]"), gnu


def test_line_endings_and_tabs_are_not_control_characters(tmp_path):
    spec = tmp_path / "crlf.idsl"
    spec.write_bytes('体系 "例" 总分 10\r\n决策（10）\r\n  目标设定（10）\r\n    合理性（10）\r\n      解释 说明\t甲\r\n      酌情\r\n'
                     .encode("utf-8"))
    result = _invoke("check", spec)
    assert result.exit_code == 0, result.output


# ---------------------------------------------------------------- messages


def test_gnu_diagnostics_give_their_hint_in_chinese(tmp_path):
    spec = tmp_path / "s.idsl"
    spec.write_text('体系 "例" 总分 10\n决策（5）\n  目标设定（5）\n    合理性（5）\n      酌情\n', encoding="utf-8")
    output = _invoke("check", "--format", "gnu", spec).output
    assert "（提示：" in output and "hint" not in output, output


def _text(content: str | bytes):
    return lambda folder: content


def _json_of(encoding: str):
    return lambda folder: INPUTS.read_text(encoding="utf-8").encode(encoding)


# (id, the input file's bytes or text, what the one message says)
UNREADABLE = [
    ("not-json", _text('{"inputs": {\n'), "第 2 行第 1 列：应是用英文双引号括起的键名"),
    ("trailing-comma", _text('{"inputs": {"a": 1,}}'), "第 1 行第 20 列"),
    ("missing-comma", _text('{"inputs": {} "notes": {}}'), "缺少逗号"),
    ("top-level-list", _text("[1, 2]"), "最外层应是一个对象"),
    ("gbk", _json_of("gbk"), "像是 GBK/GB18030"),
    ("latin-garbage", _text(b"{\x80\x80\x80}"), "也不是 GBK 或 UTF-16"),
    ("duplicate-key", _text('{"inputs": {"重点支出安排率": {}, "重点支出安排率": {}}}'), "键“重点支出安排率”出现了两次"),
    ("deep", _text("[" * 100 + "]" * 100), "嵌套了 100 层"),
]


@pytest.mark.parametrize("make, expected", [c[1:] for c in UNREADABLE], ids=[c[0] for c in UNREADABLE])
@pytest.mark.parametrize("command", ["score", "audit"])
def test_an_unreadable_input_file_is_reported_once(tmp_path, make, expected, command):
    content = make(tmp_path)
    path = tmp_path / "in.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = _invoke(command, seed_spec("001"), path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert expected in result.stderr and "输入错误（1 处）" in result.stderr, result.stderr
    assert "缺少输入" not in result.output and not result.stdout
    assert not re.search(r"Expecting|delimiter|Unterminated|line \d", result.output)  # no English from json


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-32"])
def test_inputs_in_unicode_encodings_are_read(tmp_path, encoding):
    path = tmp_path / "in.json"
    path.write_bytes(_json_of(encoding)(tmp_path))
    result = _invoke("score", seed_spec("001"), path)
    assert result.exit_code == 0 and "总分 97" in result.stdout, result.output


def test_an_unreadable_workbook_is_reported_once(tmp_path):
    path = tmp_path / "in.xlsx"
    path.write_text(INPUTS.read_text(encoding="utf-8"), encoding="utf-8")
    result = _invoke("score", seed_spec("001"), path)
    assert result.exit_code == 1 and "输入错误（1 处）" in result.stderr and "缺少输入" not in result.stderr, result.stderr


# ---------------------------------------------------------------- counts and partial results


def test_a_fraction_of_a_finding_is_an_input_error_naming_the_field(tmp_path):
    data = json.loads((ROOT / "examples" / "kinds" / "per_finding_inputs.json").read_text(encoding="utf-8"))
    data["inputs"]["预算编制规范性"]["未满足项数"] = Decimal("1.5")
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data, ensure_ascii=False, default=str).replace('"1.5"', "1.5"), encoding="utf-8")
    result = _invoke("score", PER_FINDING, path)
    assert result.exit_code == 1 and not result.stdout
    assert "预算编制规范性 › 未满足项数" in result.stderr and "整数" in result.stderr, result.stderr


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_fraction_of_a_finding_is_refused_by_both_engines(tmp_path, engine):
    units = tmp_path / "u.csv"
    units.write_text(f"单位,{FINDINGS}\n甲,1.5\n乙,2\n", encoding="utf-8")
    result = _invoke("score", PER_FINDING, units, "-o", tmp_path / "r.csv", "--engine", engine)
    assert result.exit_code == 1
    assert f"第 2 行（甲）{FINDINGS}：应是整数。" in result.stderr, result.stderr
    assert "已评分 1 / 2" in result.stderr


def test_a_partial_result_says_so_and_gives_no_grade(tmp_path):
    data = json.loads(INPUTS.read_text(encoding="utf-8"))
    del data["inputs"]["重点支出安排率"]
    data.pop("recorded", None)
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    table = _invoke("score", seed_spec("001"), path, "--allow-missing")
    assert table.exit_code == 0 and "总分（部分结果）" in table.stdout and "等级 不评（部分结果）" in table.stdout
    assert "等级 优" not in table.stdout
    as_json = json.loads(_invoke("score", seed_spec("001"), path, "--allow-missing", "--format", "json").stdout)
    assert as_json["grade"] is None and as_json["partial"] is True and len(as_json["unscored"]) == 1


# ---------------------------------------------------------------- a rate without %

RATE = "社会参保服务工作效率"
RATE_FIELD = "政策标准范围达标率"
RATE_COLUMN = f"产出/质量指标/{RATE}.{RATE_FIELD}"


def _rate_inputs(folder: Path, raw: str) -> Path:
    data = json.loads(INPUTS.read_text(encoding="utf-8"))
    data["inputs"][RATE][RATE_FIELD] = "@@"
    data.pop("recorded", None)
    path = folder / "in.json"
    path.write_text(json.dumps(data, ensure_ascii=False).replace('"@@"', raw), encoding="utf-8")
    return path


@pytest.mark.parametrize("raw, shown", [("0.98", "是 0.98% 还是 98%"), ("1", "是 1% 还是 100%"), ("0.5", "是 0.5% 还是 50%")])
def test_a_json_rate_between_0_and_1_without_percent_is_an_error(tmp_path, raw, shown):
    result = _invoke("score", seed_spec("001"), _rate_inputs(tmp_path, raw))
    assert result.exit_code == 1 and not result.stdout
    assert f"{RATE} › {RATE_FIELD}" in result.stderr and shown in result.stderr, result.stderr


@pytest.mark.parametrize("raw, rate", [("98", "98%"), ('"0.98%"', "0.98%"), ('"98%"', "98%"), ("0", "0%")])
def test_a_json_rate_with_percent_or_above_1_is_read(tmp_path, raw, rate):
    result = _invoke("score", seed_spec("001"), _rate_inputs(tmp_path, raw), "--format", "json")
    assert result.exit_code == 0, result.output
    reason = next(n["reason"] for n in json.loads(result.stdout)["nodes"] if n["name"] == RATE)
    assert reason.startswith(f"{RATE_FIELD}为{rate}"), reason


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_both_engines_refuse_a_bare_rate_between_0_and_1(tmp_path, engine):
    from idsl.semantics.domains import AMBIGUOUS_RATE

    with UNITS.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    column = rows[0].index(RATE_COLUMN)
    for row, cell in zip(rows[1:], ["0.98", "98", "0.98%", "1", "0"]):
        row[column] = cell
    units = tmp_path / "u.csv"
    with units.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    result = _invoke("score", seed_spec("001"), units, "-o", tmp_path / "r.csv", "--engine", engine)
    assert result.exit_code == 1
    refused = [line for line in result.stderr.splitlines() if AMBIGUOUS_RATE in line]
    assert len(refused) == 2 and "第 2 行" in refused[0] and "第 5 行" in refused[1], result.stderr
    assert "已评分 3 / 5" in result.stderr
