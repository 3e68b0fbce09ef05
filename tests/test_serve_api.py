"""The workbench's HTTP API over a real server on 127.0.0.1: files, checking, the HTML table, scoring,
downloads, saving, and every malformed or refused request answered with a 4xx and a message."""

from __future__ import annotations

import io
import json
import shutil
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document

import idsl
from idsl.engines.rows import row_from_json
from idsl.serve.server import serve_in_thread
from idsl.serve.table import level_sums, table_cells
from idsl.serve.workspace import text_hash
from tests.docx_structure import docx_cells, docx_structure

ROOT = Path(__file__).resolve().parent.parent
SPEC_001 = next((ROOT / "specs").glob("001_*.idsl"))
SPEC_002 = next((ROOT / "specs").glob("002_*.idsl"))


@pytest.fixture
def served(tmp_path):
    folder = tmp_path / "specs"
    folder.mkdir()
    shutil.copy(SPEC_001, folder / SPEC_001.name)
    (folder / "sub").mkdir()
    (tmp_path / "outside.idsl").write_text('体系 "外面" 总分 1\n', encoding="utf-8")
    server, url = serve_in_thread(str(folder))
    yield folder, url
    server.shutdown()
    server.server_close()


def call(url: str, path: str, body=None, method: str | None = None, raw: bytes | None = None,
         content_type: str = "application/json"):
    """(status, parsed JSON or bytes, headers) of one request; HTTP errors are returned, not raised."""
    data = raw if raw is not None else (json.dumps(body).encode("utf-8") if body is not None else None)
    request = urllib.request.Request(url.rstrip("/") + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            status, payload, headers = reply.status, reply.read(), reply.headers
    except urllib.error.HTTPError as err:
        status, payload, headers = err.code, err.read(), err.headers
    if "json" in (headers.get("Content-Type") or ""):
        return status, json.loads(payload), headers
    return status, payload, headers


def spec_text() -> str:
    return SPEC_001.read_text(encoding="utf-8")


# ---------------------------------------------------------------- the page and the files


def test_page_and_assets_are_served_from_the_package(served):
    _folder, url = served
    status, page, headers = call(url, "/")
    assert status == 200 and "text/html" in headers["Content-Type"]
    assert b"/static/app.js" in page and b"http" not in page.replace(b"http-equiv", b"")  # nothing from elsewhere
    for asset in ("/static/app.js", "/static/editor.js", "/static/app.css"):
        status, body, _ = call(url, asset)
        assert status == 200 and len(body) > 500
    assert b"Noto Sans CJK SC" in call(url, "/static/app.css")[1]


def test_files_lists_the_specs_of_the_folder(served):
    _folder, url = served
    status, data, _ = call(url, "/api/files")
    assert status == 200 and data["files"] == [SPEC_001.name]


def test_a_file_is_read_with_its_hash(served):
    _folder, url = served
    status, data, _ = call(url, f"/api/file?path={urllib.request.quote(SPEC_001.name)}")
    assert status == 200 and data["text"] == spec_text() and data["hash"] == text_hash(spec_text())


@pytest.mark.parametrize("name, status", [("../outside.idsl", 403), ("/etc/passwd.idsl", 403), ("sub/../../outside.idsl", 403),
                                          ("notes.txt", 403), ("", 400), ("missing.idsl", 404)])
def test_paths_outside_the_folder_or_not_specs_are_refused(served, name, status):
    _folder, url = served
    got, data, _ = call(url, f"/api/file?path={urllib.request.quote(name)}")
    assert got == status and data["error"]
    if status != 404:  # saving a new file there is refused just the same
        got, data, _ = call(url, "/api/save", {"path": name, "text": "x", "hash": None})
        assert got == status and data["error"]


def test_a_symbolic_link_leaving_the_folder_is_refused(served):
    folder, url = served
    (folder / "link.idsl").symlink_to(folder.parent / "outside.idsl")
    status, data, _ = call(url, "/api/file?path=link.idsl")
    assert status == 403 and "不在工作目录内" in data["error"]


# ---------------------------------------------------------------- malformed requests


@pytest.mark.parametrize("raw, content_type, status", [
    (b"{not json", "application/json", 400),
    (b"[1, 2]", "application/json", 400),
    (b"\xff\xfe", "application/json", 400),
    (b"path=x", "application/x-www-form-urlencoded", 415),
])
def test_malformed_bodies_get_a_4xx_with_a_message(served, raw, content_type, status):
    _folder, url = served
    got, data, headers = call(url, "/api/check", raw=raw, method="POST", content_type=content_type)
    assert got == status and "json" in headers["Content-Type"] and data["error"]
    assert "Traceback" not in data["error"]


def test_unknown_routes_and_methods_get_a_4xx(served):
    _folder, url = served
    assert call(url, "/api/nothing")[0] == 404
    assert call(url, "/api/files", body={}, method="POST")[0] == 405
    assert call(url, "/static/../server.py")[0] == 404


def test_missing_or_wrong_fields_get_a_4xx(served):
    _folder, url = served
    assert call(url, "/api/check", {"path": SPEC_001.name})[0] == 400  # no text
    assert call(url, "/api/check", {"text": "体系"})[0] == 400  # no path
    assert call(url, "/api/save", {"path": "new.idsl", "text": 3, "hash": None})[0] == 400
    assert call(url, "/api/download", {"path": SPEC_001.name, "text": spec_text(), "kind": "exe"})[0] == 400
    status, data, _ = call(url, "/api/score", {"path": SPEC_001.name, "text": spec_text(), "cells": {"没有这列": "1"}})
    assert status == 400 and "没有这些字段" in data["error"]
    status, data, _ = call(url, "/api/score", {"path": SPEC_001.name, "text": spec_text(), "cells": {}, "notes": {"x": 1}})
    assert status == 400 and "备注" in data["error"]
    status, data, _ = call(url, "/api/score", {"path": SPEC_001.name, "text": spec_text(), "cells": [1]})
    assert status == 400


def test_an_oversized_body_is_refused_before_it_is_read(served):
    _folder, url = served
    request = urllib.request.Request(url + "api/check", data=b"{}", method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("Content-Length", str(10**9))
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request, timeout=30)
    assert err.value.code == 413


# ---------------------------------------------------------------- checking


def test_check_gives_the_diagnostics_idsl_check_gives(served, tmp_path):
    folder, url = served
    text = spec_text().replace("      要素 每项 1 分\n", "      要素 每项 1.5 分\n", 1)
    status, data, _ = call(url, "/api/check", {"path": SPEC_001.name, "text": text})
    assert status == 200 and data["table"] is None and data["errors"] == 1
    (folder / "changed.idsl").write_text(text, encoding="utf-8")
    found, _sources = idsl_check(folder / "changed.idsl")
    expected = [(d.code, d.span.line, d.span.column, d.message, d.hint, list(d.path)) for d in found]
    assert [(d["code"], d["line"], d["column"], d["message"], d["hint"], d["path"]) for d in data["diagnostics"]] == expected
    e401 = data["diagnostics"][0]
    line = text.split("\n").index("      要素 每项 1.5 分") + 1
    assert e401["code"] == "E401" and e401["line"] == line
    assert text.split("\n")[line - 1][e401["from"]:e401["to"]].startswith("要素")


def idsl_check(path):
    from idsl.check import check
    from idsl.frontend.resolve import load

    return check(load(path)), None


def test_a_spec_that_does_not_parse_still_gets_its_diagnostics(served):
    _folder, url = served
    status, data, _ = call(url, "/api/check", {"path": "new.idsl", "text": '体系 "x" 总分 3\n决策（3\n'})
    assert status == 200 and data["table"] is None and data["form"] is None
    assert data["diagnostics"] and data["diagnostics"][0]["code"].startswith("E1")


def test_a_clean_spec_gets_its_table_sums_and_form(served):
    _folder, url = served
    status, data, _ = call(url, "/api/check", {"path": SPEC_001.name, "text": spec_text()})
    assert status == 200 and data["errors"] == 0
    assert data["table"].startswith('<table class="scoring">') and "重点支出安排率（2）" in data["table"]
    assert [s["points"] for s in data["sums"]] == ["100", "100", "100"]
    assert any(row["kind"] == "tally" and len(row["fields"]) == 4 for row in data["form"])
    # The author's view asks without the form (it shows none): the same reply, the form left out.
    status, author, _ = call(url, "/api/check", {"path": SPEC_001.name, "text": spec_text(), "form": False})
    assert status == 200 and author["form"] is None and author == {**data, "form": None}


def test_imports_are_read_beside_the_spec(served):
    folder, url = served
    (folder / "base.idsl").write_text(spec_text(), encoding="utf-8")
    text = '引用 "base.idsl"\n体系 "覆盖" 总分 100\n'
    status, data, _ = call(url, "/api/check", {"path": "over.idsl", "text": text})
    assert status == 200 and data["errors"] == 0 and data["title"]


def test_user_text_in_the_table_is_escaped(served):
    _folder, url = served
    text = '体系 "x" 总分 3\n决策（3）\n  目标设定（3）\n    合理性（3）\n      解释 <script>alert(1)</script> & "引号"\n      酌情\n'
    status, data, _ = call(url, "/api/check", {"path": "x.idsl", "text": text})
    assert status == 200 and data["table"], data["diagnostics"]
    assert "<script>" not in data["table"] and "&lt;script&gt;" in data["table"]


# ---------------------------------------------------------------- the HTML table is the Word table


def drawn_docx_cells(data: bytes) -> list[list[tuple[str, int, bool]]]:
    """Per body row of the first table: the cells drawn (text, column span, starts a vertical merge)."""
    rows = docx_structure(data)["tables"][0]["rows"][1:]
    drawn = []
    for row in rows:
        cells = []
        for cell in row["cells"]:
            if isinstance(cell, dict) and cell.get("vMerge") == "continue":
                continue
            text = cell if isinstance(cell, str) else cell["text"]
            span = 1 if isinstance(cell, str) else cell.get("gridSpan", 1)
            cells.append((text, span, isinstance(cell, dict) and cell.get("vMerge") == "restart"))
        drawn.append(cells)
    return drawn


@pytest.mark.parametrize("spec, inputs", [(SPEC_001, "001_inputs.json"), (SPEC_002, "002_inputs.json")])
@pytest.mark.parametrize("filled", [False, True])
def test_the_html_table_has_the_word_tables_cells_and_merges(spec, inputs, filled):
    from idsl.render.docx import render_docx

    plan = idsl.load(spec)
    result = idsl.score(plan, ROOT / "examples" / inputs) if filled else None
    titles, rows = table_cells(plan, result)
    html = [[(c["text"], c["colspan"], c["rowspan"] > 1) for c in row] for row in rows]
    assert html == drawn_docx_cells(render_docx(plan, result))
    header = docx_structure(render_docx(plan, result))["tables"][0]["rows"][0]["cells"]
    assert titles == header


def test_level_sums_show_a_level_that_does_not_add_up():
    text = spec_text().replace("    年度绩效目标合理性（3）", "    年度绩效目标合理性（4）", 1)
    from idsl.frontend.resolve import load_text
    from idsl.frontend.source import Source
    from idsl.semantics.lower import lower

    plan = lower(load_text(Source("t.idsl", text)).spec)
    sums = {s["level"]: (s["points"], s["matches"]) for s in level_sums(plan)}
    assert sums == {1: ("100", True), 2: ("100", True), 3: ("101", False)}


# ---------------------------------------------------------------- scoring and downloads


def example_cells(spec=SPEC_001, inputs="001_inputs.json") -> dict:
    plan = idsl.load(spec)
    data = json.loads((ROOT / "examples" / inputs).read_text(encoding="utf-8"))
    return {k: v or "" for k, v in row_from_json(plan, data, audit=True).items()}


def example_notes() -> dict:
    return json.loads((ROOT / "examples" / "001_inputs.json").read_text(encoding="utf-8"))["notes"]


def test_scoring_the_form_gives_what_idsl_score_gives(served):
    _folder, url = served
    status, data, _ = call(url, "/api/score", {"path": SPEC_001.name, "text": spec_text(), "cells": example_cells(),
                                               "notes": example_notes()})
    assert status == 200 and data["problems"] == []
    expected = idsl.score(idsl.load(SPEC_001), ROOT / "examples" / "001_inputs.json")
    assert data["result"]["total"] == "97.00" == str(expected.total) and data["result"]["grade"] == "优"
    assert [n["reason"] for n in data["result"]["nodes"]] == [n.reason for n in expected.nodes]
    assert "97" in data["table"]
    # the summary names level 1 as the report's 表4 does (汇总名称), as `idsl score` prints it
    assert [row["name"] for row in data["result"]["level1"]] == [expected.label(n.name) for n in expected.nodes
                                                                 if n.level == 1]
    assert data["result"]["level1"][0]["name"] == "部门决策"


def test_a_bad_value_is_named_by_its_field(served):
    _folder, url = served
    cells = example_cells()
    cells["决策/预算配置/编制人员控制率.编制数"] = "四十"
    cells["决策/目标设定/年度绩效目标合理性.要素1"] = "也许"
    status, data, _ = call(url, "/api/score", {"path": SPEC_001.name, "text": spec_text(), "cells": cells})
    assert status == 200
    fields = {p["field"] for p in data["problems"]}
    assert {"决策/预算配置/编制人员控制率.编制数", "决策/目标设定/年度绩效目标合理性.要素1"} <= fields


def test_a_recorded_score_that_differs_is_in_the_audit(served):
    _folder, url = served
    cells = example_cells()
    cells["决策/预算配置/重点支出安排率.记录得分"] = "1"
    status, data, _ = call(url, "/api/score", {"path": SPEC_001.name, "text": spec_text(), "cells": cells})
    assert status == 200 and [a["key"] for a in data["result"]["audit"]] == ["决策/预算配置/重点支出安排率"]


def test_scoring_a_spec_with_errors_is_refused_with_a_message(served):
    _folder, url = served
    status, data, _ = call(url, "/api/score", {"path": "x.idsl", "text": '体系 "x" 总分 3\n', "cells": {}})
    assert status == 422 and "错误" in data["error"]


@pytest.mark.parametrize("kind, suffix", [("docx", ".docx"), ("filled-docx", ".docx"), ("workbook", ".xlsx"),
                                          ("compiled", ".json")])
def test_downloads(served, kind, suffix, monkeypatch):
    folder, url = served
    status, body, headers = call(url, "/api/download", {"path": SPEC_001.name, "text": spec_text(), "kind": kind,
                                                        "cells": example_cells(), "notes": example_notes()})
    assert status == 200 and urllib.request.unquote(headers["Content-Disposition"]).endswith(suffix)
    if kind in ("docx", "filled-docx"):
        from idsl.render.docx import render_docx

        plan = idsl.load(SPEC_001)
        result = idsl.score(plan, ROOT / "examples" / "001_inputs.json") if kind == "filled-docx" else None
        assert docx_structure(body) == docx_structure(render_docx(plan, result))
        row = next(r for r in Document(io.BytesIO(body)).tables[0].rows if r.cells[2].text == "重点支出安排率（2）")
        assert row.cells[-1].text == ("2" if kind == "filled-docx" else "")
    if kind == "compiled":
        from idsl.io.compiled import loads

        plan = loads(json.dumps(body))  # the JSON reply, parsed by call()
        monkeypatch.chdir(folder)  # as `idsl compile` run in the folder names the file
        assert plan.fingerprint == idsl.load(SPEC_001.name).fingerprint
        assert [Path(name).name for name in body["sources"]] == [SPEC_001.name]
        assert not any(Path(name).is_absolute() for name in body["sources"])  # as the command line names it


def test_a_filled_self_evaluation_form_prints_the_figures_as_idsl_score_docx_does(served):
    """A 自评表's filled Word form prints the 全年执行数, 执行率 and every 实际完成值 from the inputs: the page's
    download is the table `idsl score 005 … --docx` writes, not one with those cells left blank."""
    from idsl.cli.batch import read_given
    from idsl.render.docx import render_docx

    folder, url = served
    spec = next((ROOT / "specs").glob("005_*.idsl"))
    shutil.copy(spec, folder / spec.name)
    inputs = ROOT / "examples" / "005_inputs.json"
    status, body, _ = call(url, "/api/download", {"path": spec.name, "text": spec.read_text(encoding="utf-8"),
                                                  "kind": "filled-docx", "cells": example_cells(spec, inputs.name)})
    assert status == 200
    plan = idsl.load(spec)
    expected = render_docx(plan, idsl.score(plan, inputs), read_given(plan, str(inputs)))
    assert docx_structure(body) == docx_structure(expected)
    row = next(r for r in Document(io.BytesIO(body)).tables[0].rows if r.cells[3].text == "学生受资助人数")
    assert [c.text for c in row.cells[4:8]] == ["≥735人次", "735人次", "10", "10"]


def test_a_filled_table_with_bad_inputs_is_refused(served):
    _folder, url = served
    cells = example_cells()
    cells["决策/预算配置/编制人员控制率.编制数"] = "四十"
    status, data, _ = call(url, "/api/download", {"path": SPEC_001.name, "text": spec_text(), "kind": "filled-docx",
                                                  "cells": cells})
    assert status == 422 and "问题" in data["error"]


# ---------------------------------------------------------------- saving


def test_save_writes_the_file_and_returns_the_new_hash(served):
    folder, url = served
    _s, opened, _ = call(url, f"/api/file?path={urllib.request.quote(SPEC_001.name)}")
    text = opened["text"].replace("总分 100", "总分 100 ", 1)
    status, data, _ = call(url, "/api/save", {"path": SPEC_001.name, "text": text, "hash": opened["hash"]})
    assert status == 200 and data["hash"] == text_hash(text)
    assert (folder / SPEC_001.name).read_text(encoding="utf-8") == text
    assert not [p for p in folder.iterdir() if p.name.startswith(".") or p.name.endswith(".tmp")]


def test_save_is_refused_when_the_file_changed_on_disk_meanwhile(served):
    folder, url = served
    _s, opened, _ = call(url, f"/api/file?path={urllib.request.quote(SPEC_001.name)}")
    (folder / SPEC_001.name).write_text(opened["text"] + "# 别人改的\n", encoding="utf-8")
    status, data, _ = call(url, "/api/save", {"path": SPEC_001.name, "text": "体系 \"我的\"\n", "hash": opened["hash"]})
    assert status == 409 and "已被修改" in data["error"]
    assert (folder / SPEC_001.name).read_text(encoding="utf-8").endswith("# 别人改的\n")


def test_a_new_file_never_replaces_an_existing_one(served):
    folder, url = served
    status, data, _ = call(url, "/api/save", {"path": SPEC_001.name, "text": "x", "hash": None})
    assert status == 409 and "已经存在" in data["error"]
    status, data, _ = call(url, "/api/save", {"path": "sub/新体系.idsl", "text": "体系 \"新\"\n", "hash": None})
    assert status == 200 and (folder / "sub" / "新体系.idsl").read_text(encoding="utf-8") == "体系 \"新\"\n"
    status, data, _ = call(url, "/api/save", {"path": "nowhere/新.idsl", "text": "x", "hash": None})
    assert status == 404


def test_save_keeps_the_files_own_line_ends(served):
    folder, url = served
    windows = folder / "windows.idsl"
    windows.write_bytes('体系 "例" 总分 1\r\n# 注\r\n'.encode("utf-8"))
    _s, opened, _ = call(url, "/api/file?path=windows.idsl")
    assert opened["text"] == '体系 "例" 总分 1\n# 注\n'
    text = opened["text"] + "# 新的一行\n"
    status, data, _ = call(url, "/api/save", {"path": "windows.idsl", "text": text, "hash": opened["hash"]})
    assert status == 200 and data["hash"] == text_hash(text)
    assert windows.read_bytes() == '体系 "例" 总分 1\r\n# 注\r\n# 新的一行\r\n'.encode("utf-8")
    _s, again, _ = call(url, "/api/file?path=windows.idsl")
    status, _data, _ = call(url, "/api/save", {"path": "windows.idsl", "text": again["text"], "hash": again["hash"]})
    assert status == 200 and windows.read_bytes().count(b"\r\n") == 3 and b"\r\r" not in windows.read_bytes()


def test_save_keeps_lf_line_ends_and_writes_a_new_file_with_them(served):
    folder, url = served
    _s, opened, _ = call(url, f"/api/file?path={urllib.request.quote(SPEC_001.name)}")
    status, _data, _ = call(url, "/api/save", {"path": SPEC_001.name, "text": opened["text"], "hash": opened["hash"]})
    assert status == 200 and b"\r" not in (folder / SPEC_001.name).read_bytes()
    status, _data, _ = call(url, "/api/save", {"path": "新.idsl", "text": "体系 \"新\"\n", "hash": None})
    assert status == 200 and (folder / "新.idsl").read_bytes() == "体系 \"新\"\n".encode("utf-8")


# ---------------------------------------------------------------- a 自评表 is drawn as its Word form

SPEC_005 = next((ROOT / "specs").glob("005_*.idsl"))
SPEC_009 = next((ROOT / "specs").glob("009_*.idsl"))
SPEC_011 = next((ROOT / "specs").glob("011_*.idsl"))


class _Cells(HTMLParser):
    """The cells of the page's table as drawn: per <tr>, (text, colspan, rowspan); <br> read as a line break."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[tuple[str, int, int]]] = []
        self.cell: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = ["", int(attrs.get("colspan", 1)), int(attrs.get("rowspan", 1))]
        elif tag == "br" and self.cell is not None:
            self.cell[0] += "\n"

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(tuple(self.cell))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[0] += data


def html_cells(html: str) -> list[list[tuple[str, int, int]]]:
    parser = _Cells()
    parser.feed(html)
    return parser.rows


def form_inputs(spec: Path) -> tuple[Path, dict, dict]:
    inputs = ROOT / "examples" / f"{spec.name[:3]}_inputs.json"
    notes = json.loads(inputs.read_text(encoding="utf-8")).get("notes") or {}
    return inputs, example_cells(spec, inputs.name), notes


@pytest.mark.parametrize("spec", [SPEC_005, SPEC_009, SPEC_011])
def test_a_self_evaluation_spec_is_drawn_as_its_word_form_blank_and_filled(served, spec):
    """005 (附1), 009 and 011 (表式 衔接资金): the page's table has the .docx form's cells, texts and merges, blank as
    `idsl compile --docx` prints it and filled (scored in the page) as `idsl score --docx` does; its 注 as the .docx
    has it (011's speaks of no 满意度: it has none)."""
    from idsl.cli.batch import read_given
    from idsl.render.docx import render_docx

    folder, url = served
    shutil.copy(spec, folder / spec.name)
    text = spec.read_text(encoding="utf-8")
    plan = idsl.load(spec)
    status, data, _ = call(url, "/api/check", {"path": spec.name, "text": text})
    assert status == 200 and data["errors"] == 0
    blank = docx_cells(render_docx(plan))
    assert html_cells(data["table"]) == blank
    xianjie = spec is not SPEC_005
    assert blank[0][0] == ("项目名称", 1, 1) and blank[-1][0] == ("总分", 4 if xianjie else 6, 1)
    footnotes = [p.text for p in Document(io.BytesIO(render_docx(plan))).paragraphs if p.text.startswith(("注", "2."))]
    assert ("<caption>" + "<br>".join(footnotes) + "</caption>" in data["table"]) == bool(footnotes)  # the 注
    assert bool(footnotes) == xianjie  # 衔接资金's 注 on the level-1 points
    assert ("满意度" in data["table"]) == (spec is not SPEC_011)
    inputs, cells, notes = form_inputs(spec)
    status, scored, _ = call(url, "/api/score", {"path": spec.name, "text": text, "cells": cells, "notes": notes})
    assert status == 200 and scored["problems"] == []
    filled = docx_cells(render_docx(plan, idsl.score(plan, inputs), read_given(plan, str(inputs))))
    assert html_cells(scored["table"]) == filled != blank
    total = next(row for row in filled if row[0][0] == "总分")
    assert total[-2][0] == scored["result"]["total"].rstrip("0").rstrip(".")  # 得分 beside 等级: the page's total


def test_a_self_evaluation_forms_user_text_is_escaped(served):
    _folder, url = served
    text = SPEC_005.read_text(encoding="utf-8").replace("  实施单位：永德县明朗中学\n", "  实施单位：<b>明朗</b>&中学\n", 1)
    text = text.replace('体系 "永德县', '体系 "<i>永德县', 1)
    status, data, _ = call(url, "/api/check", {"path": "x.idsl", "text": text})
    assert status == 200 and data["errors"] == 0, data["diagnostics"]
    assert data["table"].startswith('<p class="form-title"><strong>项目支出绩效自评表</strong><br>&lt;i&gt;永德县')
    assert "<b>" not in data["table"] and "<i>" not in data["table"]
    assert '<td class="cell merged" colspan="3">&lt;b&gt;明朗&lt;/b&gt;&amp;中学</td>' in data["table"]


def test_a_targets_over_cut_is_on_the_pages_form_as_on_the_word_one(served):
    """The page's filled form prints a target's 超额调减 after the value it compares (30处；超额调减：2分), as the
    Word form `idsl score --docx` writes: the row says why a met target has 8 of its 10 points."""
    from idsl.cli.batch import read_given
    from idsl.render.docx import render_docx

    folder, url = served
    spec = ROOT / "examples" / "kinds" / "self_evaluation.idsl"
    shutil.copy(spec, folder / spec.name)
    inputs = ROOT / "examples" / "kinds" / "self_evaluation_inputs.json"
    cells = example_cells(spec, "kinds/self_evaluation_inputs.json")
    notes = json.loads(inputs.read_text(encoding="utf-8"))["notes"]
    status, scored, _ = call(url, "/api/score", {"path": spec.name, "text": spec.read_text(encoding="utf-8"),
                                                 "cells": cells, "notes": notes})
    assert status == 200 and scored["problems"] == []
    drawn = html_cells(scored["table"])
    row = next(r for r in drawn if r[0][0] == "集中供水工程" or any(c[0] == "集中供水工程" for c in r))
    assert ("30处；超额调减：2分", 1, 1) in row and ("8", 1, 1) in row
    plan = idsl.load(spec)
    assert drawn == docx_cells(render_docx(plan, idsl.score(plan, inputs), read_given(plan, str(inputs))))
