"""Hostile sizes and numbers — in spec text, imports, inputs (JSON, workbook, CSV, Parquet) and compiled
files — are refused up front with one clear coded message naming the place, in a real process that
must finish within a time limit: never a hang, a traceback or a silently wrong score."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from idsl.io import compiled
from idsl.semantics.domains import MAX_DECIMALS, MAX_DIGITS, MAX_LEVELS, MAX_NESTING, MAX_PLACES

ROOT = Path(__file__).resolve().parents[1]
IDSL = [sys.executable, "-c", "from idsl.cli import main; main()"]
LIMIT = 60  # seconds: every refusal here takes well under 2 on an idle machine

HEAD = '体系 "测试" 总分 10\n小数 2 位\n\n'
LEAF = "甲（10）\n  解释 预算执行率。\n  输入 执行率：比率\n  得分 = 执行率 × 分值\n"
SPEC = HEAD + LEAF
INPUTS = {"inputs": {"甲": {"执行率": "95.5%"}}}


def _levels(count: int, points: str = "10") -> str:
    lines = [f"{'  ' * i}第{i + 1}级（{points}）" for i in range(count)]
    body = "  " * count
    head = HEAD.replace("总分 10", f"总分 {points}")
    return head + "\n".join(lines) + f"\n{body}解释 x\n{body}输入 执行率：比率\n{body}得分 = 执行率 × 分值\n"


def _formula(expression: str) -> str:
    return HEAD + f"甲（10）\n  解释 x\n  输入 执行率：比率\n  得分 = {expression}\n"


def _example(value: str, kind: str = "比率") -> str:
    return HEAD + f"甲（10）\n  解释 x\n  输入 执行率：{kind}\n  得分 = 分值\n\n示例 例\n  设 甲 = {value}\n"


def _import_chain(folder: Path, length: int) -> str:
    for i in range(length):
        (folder / f"c{i}.idsl").write_text(f'引用 "c{i + 1}.idsl"\n', encoding="utf-8")
    (folder / f"c{length}.idsl").write_text(SPEC, encoding="utf-8")
    return "c0.idsl"


def _import_of(folder: Path, make) -> str:
    (folder / "main.idsl").write_text('引用 "part.idsl"\n', encoding="utf-8")
    make(folder / "part.idsl")
    return "main.idsl"


def _outside(target: Path) -> None:
    outside = target.parent.parent / "elsewhere"
    outside.mkdir(exist_ok=True)
    (outside / "part.idsl").write_text("秘密内容 root:x:0:0\n" + SPEC, encoding="utf-8")
    target.symlink_to(outside / "part.idsl")


def _batch(folder: Path, name: str, cell: str) -> str:
    if name.endswith(".parquet"):
        import duckdb

        with duckdb.connect() as con:  # its own connection: the module's shared one may hold another test's result
            con.execute(f"COPY (SELECT 'A' AS \"单位\", '{cell}' AS \"甲.执行率\") TO '{folder / name}' (FORMAT PARQUET)")
    elif name.endswith(".xlsx"):
        from openpyxl import Workbook

        book = Workbook()
        book.active.append(["单位", "甲.执行率"])
        book.active.append(["A", cell])
        book.save(folder / name)
    else:
        (folder / name).write_text(f"单位,甲.执行率\nA,{cell}\n", encoding="utf-8")
    return name


def _reasons(folder: Path, length: int) -> str:
    """A discretionary spec (written over s.idsl) and a batch whose one reason has `length` characters."""
    (folder / "s.idsl").write_text(HEAD + "甲（10）\n  解释 x\n  酌情\n", encoding="utf-8")
    (folder / "u.csv").write_text(f"单位,甲.得分,甲.理由\nA,5,{'长' * length}\n", encoding="utf-8")
    return "u.csv"


def _units(folder: Path, name: str, grade: str = "") -> str:
    """A batch of one unit named `name` (its recorded grade `grade`) for SPEC."""
    (folder / "u.csv").write_text(f"单位,甲.执行率,等级.记录得分\n{name},95%,{grade}\n", encoding="utf-8")
    return "u.csv"


def _huge_compiled(folder: Path) -> str:
    """A file past the compiled-file limit that starts like one (sparse: it costs no disk)."""
    with open(folder / "big.compiled.json", "wb") as stream:
        stream.write(b'{"idsl_compiled": 1, "plan": {')
        stream.truncate(compiled.MAX_BYTES + 1)
    return "big.compiled.json"


def _input_workbook(folder: Path, cell: str) -> str:
    """The input workbook `idsl template` writes, with 执行率 filled in as `cell`."""
    from openpyxl import load_workbook

    subprocess.run([*IDSL, "template", "s.idsl", "-o", "in.xlsx"], cwd=folder, check=True, capture_output=True,
                   timeout=LIMIT)
    book = load_workbook(folder / "in.xlsx")
    sheet = book["输入"]
    row = next(r for r in sheet.iter_rows() if r[1].value == "执行率")
    row[5].value = cell
    book.save(folder / "in.xlsx")
    return "in.xlsx"


def _word_table(folder: Path, change) -> str:
    """A Word file with a table, its document part changed by `change` (bytes → bytes)."""
    import zipfile

    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "三级指标", "分值"
    document.save(folder / "plain.docx")
    with zipfile.ZipFile(folder / "plain.docx") as source, zipfile.ZipFile(folder / "t.docx", "w",
                                                                           zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member.filename)
            target.writestr(member.filename, change(data) if member.filename == "word/document.xml" else data)
    (folder / "plain.docx").unlink()
    return "t.docx"


def _crafted(folder: Path, change) -> str:
    """A compiled file of SPEC edited by hand, its fingerprint recomputed so that it is accepted as sealed."""
    subprocess.run([*IDSL, "compile", "s.idsl", "-o", "s.compiled"], cwd=folder, check=True, capture_output=True,
                   timeout=LIMIT)
    document = json.loads((folder / "s.compiled").read_text(encoding="utf-8"))
    change(document["plan"])
    document["fingerprint"] = compiled._sha256(compiled.identity_data(document["plan"]))
    (folder / "x.compiled").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return "x.compiled"


def _set(key: str, value):
    def change(plan: dict) -> None:
        target = plan["nodes"][0] if key == "points" else plan
        target[key] = value
    return change


def _nest(plan: dict) -> None:
    deep: dict = {"$type": "Num", "value": "1"}
    for _ in range(compiled.MAX_DEPTH):
        deep = {"$type": "BinOp", "op": "*", "left": deep, "right": {"$type": "Num", "value": "1"}}
    plan["nodes"][0]["leaf"]["rule"]["expr"] = deep


def _spec(text: str):
    def make(folder: Path) -> str:
        (folder / "bad.idsl").write_text(text, encoding="utf-8")
        return "bad.idsl"
    return make


def _json(data) -> callable:
    def make(folder: Path) -> str:
        text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
        (folder / "in.json").write_text(text, encoding="utf-8")
        return "in.json"
    return make


def _huge_note(folder: Path) -> str:
    with open(folder / "in.json", "w", encoding="utf-8") as stream:  # 21 MB: past the 20 MB limit
        stream.write('{"inputs": {"甲": {"执行率": "95%"}}, "notes": {"甲": "')
        stream.write("长" * 7 * 2**20)
        stream.write('"}}')
    return "in.json"


CHECK = ["check", "{}"]
SCORE = ["score", "s.idsl", "{}"]
BATCH = ["score", "s.idsl", "{}", "-o", "r.csv"]
SCORE_PLAN = ["score", "{}", "in.json"]
IMPORT = ["import", "{}", "-o", "out.idsl"]

BATCH_PYTHON = BATCH + ["--engine", "python"]
# (id, make the file in the folder → its name, command, what stderr+stdout must say)
CASES = [
    # spec text: numbers, places and nesting
    ("places-1e9", _spec(SPEC.replace("小数 2 位", "小数 1000000000 位")), SCORE_PLAN, "E108"),
    ("places-100", _spec(SPEC.replace("小数 2 位", "小数 100 位")), CHECK, f"小数位数最多 {MAX_PLACES} 位"),
    ("points-1e308", _spec(SPEC.replace("10", "1" + "0" * 308)), SCORE_PLAN, f"整数部分最多 {MAX_DIGITS} 位"),
    ("points-too-fine", _spec(HEAD + LEAF.replace("10", "9.9999999") + "乙（0.0000001）\n  解释 x\n  酌情\n"),
     CHECK, f"小数最多 {MAX_DECIMALS} 位"),
    ("points-thirds", _spec(HEAD + "甲（10）\n" + "".join(
        f"  {n}（{p}）\n    解释 x\n    输入 执行率：比率\n    得分 = 执行率 × 分值\n"
        for n, p in (("乙", "3.334"), ("丙", "3.333"), ("丁", "3.333")))), CHECK, "E307"),
    ("points-finer-than-places", _spec(SPEC.replace("小数 2 位", "小数 0 位").replace("（10）", "（9.5）")
                                       .replace("总分 10", "总分 9.5")), SCORE_PLAN, "多于体系的 小数 0 位"),
    ("threshold-bengali", _spec(HEAD + "甲（10）\n  解释 x\n  输入 执行率：比率\n  若 执行率 ≥ ৯০% 则 得 10 分\n"
                                "  得分 = 执行率 × 分值\n"), CHECK, "数字只能用 0–9"),
    ("points-arabic-indic", _spec(SPEC.replace("总分 10", "总分 ١٠")), CHECK, "数字只能用 0–9"),
    ("indicator-levels", _spec(_levels(1000)), CHECK, f"指标层级超过 {MAX_LEVELS} 级"),
    ("parentheses", _spec(_formula("(" * 5000 + "执行率" + ")" * 5000 + " × 分值")), CHECK, f"超过 {MAX_NESTING} 层"),
    ("long-formula", _spec(_formula("执行率" + " + 执行率" * 20000)), CHECK, "E107"),
    ("long-condition", _spec(HEAD + "甲（10）\n  解释 x\n  输入 执行率：比率\n  若 " +
                             " 且 ".join(["执行率 ≥ 1%"] * 5000) + " 则 得 10 分\n  得分 = 执行率 × 分值\n"),
     CHECK, f"超过 {MAX_NESTING} 个比较"),
    ("example-count", _spec(_example("1234567890", "问题数")), CHECK, "E413"),
    ("example-decimals", _spec(_example("0.0000001%")), CHECK, "E108"),
    # imports
    ("import-chain-1500", lambda f: _import_chain(f, 1500), CHECK, "引用嵌套超过 50 层"),
    ("import-outside-folder", lambda f: _import_of(f, _outside), CHECK, "E203"),
    ("import-binary", lambda f: _import_of(f, lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\xff\xfe" * 10)),
     CHECK, "UTF-8"),
    ("import-too-large", lambda f: _import_of(f, lambda p: p.write_text(SPEC + "#" * (9 * 2**20), encoding="utf-8")),
     CHECK, "E203"),
    # inputs JSON
    ("json-exponent-number", _json('{"inputs": {"甲": {"执行率": 1e999999999}}}'), SCORE, "甲 › 执行率"),
    ("json-exponent-percent", _json({"inputs": {"甲": {"执行率": "1e999999999%"}}}), SCORE, "应填一个数，这里是 “1e999999999%”"),
    ("json-deep", _json("[" * 100_000 + "]" * 100_000), SCORE, "嵌套"),
    ("json-huge-note", _huge_note, SCORE, "超过 20 MB"),
    ("json-arabic-indic", _json({"inputs": {"甲": {"执行率": "٩٥%"}}}), SCORE, "0–9"),
    # an input workbook and batch tables
    ("workbook-exponent", lambda f: _input_workbook(f, "1e999999999%"), SCORE, "应填一个数，这里是 “1e999999999%”"),
    ("workbook-huge-float", lambda f: _input_workbook(f, 1e300), SCORE, "整数部分最多"),
    ("csv-exponent", lambda f: _batch(f, "u.csv", "1e999999999"), BATCH, "甲.执行率：应填一个数"),
    ("csv-misplaced-comma", lambda f: _batch(f, "u.csv", '" 1,00 "'), BATCH, "应填一个数，这里是 “1,00”"),
    ("xlsx-exponent", lambda f: _batch(f, "u.xlsx", "1e999999999"), BATCH, "甲.执行率：应填一个数"),
    ("csv-long-reason", lambda f: _reasons(f, 6000), BATCH, "甲.理由：理由有 6000 个字，最多 5000 个"),
    ("csv-long-reason-python", lambda f: _reasons(f, 6000), BATCH_PYTHON, "甲.理由：理由有 6000 个字，最多 5000 个"),
    ("csv-huge-line", lambda f: _reasons(f, 2**20), BATCH, "有一行超过 2 MB"),
    ("csv-long-unit", lambda f: _units(f, "长" * 300), BATCH, "单位：单位名称有 300 个字，最多 200 个"),
    ("csv-long-unit-python", lambda f: _units(f, "长" * 300), BATCH_PYTHON, "单位：单位名称有 300 个字，最多 200 个"),
    ("csv-long-grade", lambda f: _units(f, "A", "优" * 201), BATCH, "等级.记录得分：等级有 201 个字，最多 200 个"),
    ("csv-long-grade-python", lambda f: _units(f, "A", "优" * 201), BATCH_PYTHON, "等级.记录得分：等级有 201 个字，最多 200 个"),
    ("json-long-unit", _json({**INPUTS, "unit": "长" * 201}), SCORE, "单位名称有 201 个字，最多 200 个"),
    ("parquet-exponent", lambda f: _batch(f, "u.parquet", "1e999999999"), BATCH, "甲.执行率：应填一个数"),
    ("parquet-bengali", lambda f: _batch(f, "u.parquet", "৯০%"), BATCH, "数字只能用 0–9 书写，这里是 “৯০%”"),  # as JSON says it
    # Word tables to import
    ("import-docx-entities", lambda f: _word_table(f, lambda c: c.replace(
        b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>', 1)), IMPORT, "DTD"),
    ("import-docx-bomb", lambda f: _word_table(f, lambda c: c.replace(b"<w:body>", b"<w:body>" + b" " * 110 * 2**20, 1)),
     IMPORT, "解压后超过"),
    # compiled files edited by hand (their fingerprints recomputed)
    ("compiled-places", lambda f: _crafted(f, _set("places", 10**9)), SCORE_PLAN, f"小数位数最多 {MAX_PLACES} 位"),
    ("compiled-exponent", lambda f: _crafted(f, _set("points", "1e999999999")), SCORE_PLAN, "整数部分最多"),
    ("compiled-nan", lambda f: _crafted(f, _set("points", "NaN")), SCORE_PLAN, "不是一个有限的数"),
    ("compiled-finer", lambda f: _crafted(f, _set("points", "9.999")), SCORE_PLAN, "多于体系的 小数 2 位"),
    ("compiled-deep", lambda f: _crafted(f, _nest), SCORE_PLAN, f"嵌套超过 {compiled.MAX_DEPTH} 层"),
    ("compiled-too-large", _huge_compiled, SCORE_PLAN, f"编译文件超过 {compiled.MAX_BYTES // 2**20} MB"),
]


@pytest.mark.parametrize("make, args, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_refused_quickly_with_a_clear_message(tmp_path, make, args, expected):
    work = tmp_path / "work"
    work.mkdir()
    (work / "s.idsl").write_text(SPEC, encoding="utf-8")
    (work / "in.json").write_text(json.dumps(INPUTS, ensure_ascii=False), encoding="utf-8")
    name = make(work)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "IDSL_NO_CACHE": "1", "COLUMNS": "200"}
    run = subprocess.run([*IDSL, *(a.format(name) for a in args)], cwd=work, env=env, capture_output=True,
                         text=True, encoding="utf-8", timeout=LIMIT)
    said = run.stdout + run.stderr
    assert run.returncode == 1, said
    assert "Traceback" not in said and "Error:" not in said, said
    assert expected in said, said
    assert "秘密内容" not in said and "root:" not in said  # another file's content is never echoed
    assert "缺少输入" not in said  # a file refused as a whole is one error, not one per input it would hold


def test_the_limits_still_accept_what_they_allow(tmp_path):
    """At the limits themselves — 10 levels, a formula nested just under the limit, 小数 6 位, points with
    as many decimals as the places, 11 digits — a spec checks, scores and compiles in both engines."""
    deep = _levels(MAX_LEVELS, "9" * (MAX_DIGITS - 1) + "." + "9" * MAX_PLACES)
    (tmp_path / "s.idsl").write_text(deep.replace("小数 2 位", f"小数 {MAX_PLACES} 位"), encoding="utf-8")
    formula = _formula("执行率" + " × 1" * (MAX_NESTING - 20) + " × 分值")
    (tmp_path / "f.idsl").write_text(formula, encoding="utf-8")
    key = "/".join(f"第{i + 1}级" for i in range(MAX_LEVELS))
    (tmp_path / "u.csv").write_text(f"单位,{key}.执行率\nA,100%\n", encoding="utf-8")
    (tmp_path / "f.csv").write_text("单位,甲.执行率\nA,50%\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "IDSL_NO_CACHE": "1"}
    most = "9" * (MAX_DIGITS - 1) + "." + "9" * MAX_PLACES
    for spec, table, total in (("s.idsl", "u.csv", most), ("f.idsl", "f.csv", "5.00")):
        for engine in ("duckdb", "python"):
            run = subprocess.run([*IDSL, "score", spec, table, "-o", f"r-{engine}.csv", "--engine", engine],
                                 cwd=tmp_path, env=env, capture_output=True, text=True, encoding="utf-8", timeout=LIMIT)
            assert run.returncode == 0, run.stdout + run.stderr
            assert (tmp_path / f"r-{engine}.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[-2] == total
        run = subprocess.run([*IDSL, "compile", spec, "-o", "c.compiled", "--force"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, encoding="utf-8", timeout=LIMIT)
        assert run.returncode == 0, run.stdout + run.stderr
        assert compiled.plan_problem(compiled.load(tmp_path / "c.compiled")) is None


def test_formula_values_stay_on_their_rows_below_a_blank_row(tmp_path):
    """A batch workbook with a blank row above rows of formulas: each formula's cached value is read
    into its own unit's row (they were shifted up one row: unit B was scored with unit A's value)."""
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["单位", "甲.执行率"])
    book.active.append([])
    book.active.append(["A", "=50+40"])
    book.active.append(["B", "=10+10"])
    book.save(tmp_path / "plain.xlsx")
    cached = {b"<f>50+40</f><v></v>": b"<f>50+40</f><v>90</v>", b"<f>10+10</f><v></v>": b"<f>10+10</f><v>20</v>"}
    with zipfile.ZipFile(tmp_path / "plain.xlsx") as source, zipfile.ZipFile(tmp_path / "u.xlsx", "w") as target:
        for member in source.infolist():
            data = source.read(member)
            for formula, with_value in cached.items():
                data = data.replace(formula, with_value)
            target.writestr(member, data)
    (tmp_path / "s.idsl").write_text(SPEC, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "IDSL_NO_CACHE": "1"}
    for engine in ("duckdb", "python"):
        run = subprocess.run([*IDSL, "score", "s.idsl", "u.xlsx", "-o", "r.csv", "--engine", engine], cwd=tmp_path,
                             env=env, capture_output=True, text=True, encoding="utf-8", timeout=LIMIT)
        assert run.returncode == 0, run.stdout + run.stderr
        rows = (tmp_path / "r.csv").read_text(encoding="utf-8").splitlines()[1:]
        assert sorted(rows) == ["A,9.00,9.00,9.00,", "B,2.00,2.00,2.00,"], rows


def test_the_readme_states_the_limits_the_code_has():
    from idsl.frontend import resolve, source
    from idsl.io import excel, inputfile

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    paragraph = " ".join(text[text.index("Every size is bounded"):].split("\n\n")[0].split())
    for stated in (f"fewer than {MAX_DIGITS} digits", f"at most {MAX_DECIMALS} decimals",
                   f"`小数 N 位` is at most {MAX_PLACES}", f"at most {MAX_LEVELS} levels", f"{MAX_NESTING} deep",
                   f"at most {source.MAX_BYTES // 2**20} MB inside",
                   f"{resolve.MAX_IMPORTS} imports at most, {resolve.MAX_IMPORT_DEPTH} deep",
                   f"at most {inputfile.MAX_BYTES // 2**20} MB, {inputfile.MAX_DEPTH} levels of JSON",
                   f"{inputfile.MAX_TEXT:,} characters", f"unpacks to at most {excel.MAX_UNPACKED // 2**20} MB",
                   f"grade {inputfile.MAX_NAME} characters", f"compiled file is at most {compiled.MAX_BYTES // 2**20} MB"):
        assert stated in paragraph, stated
