"""`idsl compile --docx`, `idsl compile` (both outputs beside the spec) and `idsl score --docx`."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from docx_structure import docx_structure
from idsl.cli import main
from idsl.render.docx import render_docx
from plans import plan_of, seed_inputs, seed_spec


def _run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_compile_docx_writes_the_blank_table(tmp_path):
    target = tmp_path / "评分表.docx"
    result = _run("compile", str(seed_spec("001")), "--docx", str(target))
    assert result.exit_code == 0, result.output
    assert docx_structure(target.read_bytes()) == docx_structure(render_docx(plan_of(seed_spec("001"))))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["评分表.docx"]  # no compiled JSON, no temporary file


def test_compile_without_outputs_writes_both_beside_the_spec(tmp_path):
    spec = tmp_path / "002.idsl"
    shutil.copy(seed_spec("002"), spec)
    result = _run("compile", str(spec))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["002.compiled.json", "002.docx", "002.idsl"]
    assert json.loads((tmp_path / "002.compiled.json").read_text(encoding="utf-8"))["idsl_compiled"] == 1
    tables = docx_structure((tmp_path / "002.docx").read_bytes())["tables"]
    assert tables[0]["rows"][0]["cells"][3] == "权重"


def test_unwritable_docx_path_is_a_clear_error(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    result = CliRunner().invoke(main, ["compile", str(seed_spec("001")), "--docx", str(blocker / "t.docx")])
    assert result.exit_code == 1
    assert "不能写" in result.output and "t.docx" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder"]


def test_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "t.docx"
    target.write_bytes(b"previous")

    def broken(plan, result=None):
        raise KeyboardInterrupt  # interrupted while rendering: nothing may be replaced

    monkeypatch.setattr("idsl.render.docx.render_docx", broken)
    result = CliRunner().invoke(main, ["compile", str(seed_spec("001")), "--docx", str(target)])
    assert result.exit_code != 0
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.docx"]


def test_score_docx_writes_the_filled_table(tmp_path):
    target = tmp_path / "r.docx"
    result = _run("score", str(seed_spec("001")), str(seed_inputs("001")), "--docx", str(target))
    assert result.exit_code == 0, result.output
    doc = docx_structure(target.read_bytes())
    assert len(doc["tables"]) == 3 and doc["pictures"] == 1
    # as 001 prints it: 97分 and 优 each over two of the five value columns (4 categories and 加减分项)
    assert doc["tables"][2]["rows"][0]["cells"] == ["综合评价结论", "评价得分", {"text": "97分", "gridSpan": 2},
                                                    "评价等级", {"text": "优", "gridSpan": 2}]


def test_score_docx_not_written_when_inputs_have_errors(tmp_path):
    inputs = tmp_path / "in.json"
    inputs.write_text(json.dumps({"inputs": {"重点支出安排率": {"项目总支出": 1}}}, ensure_ascii=False), encoding="utf-8")
    target = tmp_path / "r.docx"
    result = CliRunner().invoke(main, ["score", str(seed_spec("001")), str(inputs), "--docx", str(target)])
    assert result.exit_code == 1
    assert not target.exists()
