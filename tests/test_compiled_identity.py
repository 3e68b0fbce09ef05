"""A compiled spec is known by its content, and its fingerprint does not depend on how paths were typed."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import idsl
from idsl.cli import main
from idsl.io.compiled import CompiledError, canonical_json, dumps, loads, plan_data

ROOT = Path(__file__).resolve().parent.parent
SPEC = "specs/001_肃南县人社局2024部门整体支出.idsl"
INPUTS = str(ROOT / "examples" / "001_inputs.json")
GOOD = ROOT / "tests" / "cases" / "check" / "good"


def _run(*args: str):
    return CliRunner(env={"COLUMNS": "240"}).invoke(main, list(args))


def _fingerprint(compiled: Path) -> str:
    return json.loads(compiled.read_text(encoding="utf-8"))["fingerprint"]


@pytest.fixture
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture
def importing(tmp_path) -> Path:
    """A spec that imports another, in a folder of its own: tmp/specs/import_override.idsl."""
    folder = tmp_path / "specs"
    folder.mkdir()
    for name in ("import_override.idsl", "import_common.idsl"):
        shutil.copy(GOOD / name, folder / name)
    return folder / "import_override.idsl"


# ---------------------------------------------------------------- recognised by content


@pytest.mark.parametrize("name", ["001.compiled", "001.plan", "001.compiled.json", "001"])
def test_any_name_of_a_compiled_file_scores(at_root, tmp_path, name):
    compiled = tmp_path / name
    assert _run("compile", SPEC, "-o", str(compiled)).exit_code == 0
    from_compiled = _run("score", str(compiled), INPUTS, "--format", "json")
    from_source = _run("score", SPEC, INPUTS, "--format", "json")
    assert from_compiled.exit_code == from_source.exit_code == 0, from_compiled.output
    assert from_compiled.stdout == from_source.stdout
    assert json.loads(from_compiled.stdout)["total"] == "97.00"


def test_library_load_reads_a_compiled_file_without_a_json_name(at_root, tmp_path):
    compiled = tmp_path / "001.compiled"
    compiled.write_text(dumps(idsl.load(SPEC)), encoding="utf-8")
    assert idsl.load(compiled) == idsl.load(SPEC)
    assert idsl.load_as_published(compiled)[1] == ()


def test_a_json_file_that_is_no_compiled_spec_is_a_clear_error(at_root, tmp_path):
    inputs_as_spec = _run("score", INPUTS, INPUTS)
    assert inputs_as_spec.exit_code == 1
    assert "不是 idsl 编译文件" in inputs_as_spec.output and "Traceback" not in inputs_as_spec.output
    text = tmp_path / "notes.json"
    text.write_text("决策（10）\n", encoding="utf-8")
    neither = _run("score", str(text), INPUTS)
    assert neither.exit_code == 1
    assert "不是 idsl 编译文件" in neither.output and "也不是体系文件" in neither.output
    with pytest.raises(CompiledError, match="也不是体系文件"):
        idsl.load(text)


def test_a_source_spec_with_any_name_is_still_checked(at_root, tmp_path):
    spec = tmp_path / "001.txt"
    shutil.copy(ROOT / SPEC, spec)
    assert idsl.load(spec).fingerprint == idsl.load(SPEC).fingerprint
    assert _run("score", str(spec), INPUTS).exit_code == 0


# ---------------------------------------------------------------- fingerprints independent of paths


def test_fingerprint_is_the_same_however_the_path_is_typed(at_root, tmp_path):
    spellings = [SPEC, "./" + SPEC, str(ROOT / SPEC), "specs/../" + SPEC]
    fingerprints = set()
    for number, spelling in enumerate(spellings):
        compiled = tmp_path / f"{number}.compiled"
        result = _run("compile", spelling, "-o", str(compiled))
        assert result.exit_code == 0, result.output
        fingerprints.add(_fingerprint(compiled))
        scored = _run("score", spelling, INPUTS, "--format", "json")
        fingerprints.add(json.loads(scored.stdout)["fingerprint"])
    assert len(fingerprints) == 1
    assert fingerprints == {idsl.load(SPEC).fingerprint}


def test_fingerprint_of_a_spec_with_imports_is_the_same_from_any_folder(importing, monkeypatch, tmp_path):
    found = set()
    for folder, spelling in ((importing.parent, importing.name), (tmp_path, "specs/" + importing.name),
                             (ROOT, str(importing))):
        monkeypatch.chdir(folder)
        compiled = tmp_path / f"from-{len(found)}-{folder.name}.compiled"
        result = _run("compile", spelling, "-o", str(compiled))
        assert result.exit_code == 0, result.output
        found.add(_fingerprint(compiled))
        assert idsl.load(compiled).fingerprint == _fingerprint(compiled)
    assert len(found) == 1


def test_fingerprint_changes_with_an_imported_file(importing):
    before = idsl.load(importing).fingerprint
    common = importing.with_name("import_common.idsl")
    common.write_text(common.read_text(encoding="utf-8").replace("体系", "# 改过\n体系", 1), encoding="utf-8")
    assert idsl.load(importing).fingerprint != before


def test_compiled_file_verifies_from_another_folder(importing, monkeypatch, tmp_path):
    monkeypatch.chdir(importing.parent)
    compiled = tmp_path / "override.compiled"
    assert _run("compile", importing.name, "-o", str(compiled)).exit_code == 0
    monkeypatch.chdir(ROOT)
    plan = idsl.load(compiled)
    assert plan.fingerprint == _fingerprint(compiled)
    assert loads(dumps(plan)) == plan


def test_file_compiled_before_paths_were_left_out_still_loads(at_root):
    document = json.loads(dumps(idsl.load(SPEC)))
    document["fingerprint"] = hashlib.sha256(canonical_json(document["plan"]).encode("utf-8")).hexdigest()
    plan = loads(json.dumps(document, ensure_ascii=False))
    assert plan.fingerprint == document["fingerprint"]
    assert plan_data(plan) == document["plan"]


def test_a_span_pointing_at_another_file_is_an_edit(at_root, tmp_path):
    text = dumps(idsl.load(SPEC))
    edited = tmp_path / "edited.compiled"
    edited.write_text(text.replace(f'"file": "{SPEC}"', '"file": "elsewhere.idsl"', 1), encoding="utf-8")
    with pytest.raises(CompiledError, match="edited"):
        idsl.load(edited)
    result = _run("score", str(edited), INPUTS)
    assert result.exit_code == 1 and "被改过" in result.output
