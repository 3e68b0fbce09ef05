"""idsl's cache of parsed sources and check results: a hit gives what checking afresh gives."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "cases" / "check" / "good"
BAD = ROOT / "tests" / "cases" / "check" / "bad"
IDSL = [sys.executable, "-c", "from idsl.cli import main; main()"]


def _environment(cache: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("IDSL_NO_CACHE", "NO_COLOR")}
    if cache is None:
        env["IDSL_NO_CACHE"] = "1"
    else:
        env["XDG_CACHE_HOME"] = str(cache)
    return env


def _check(spec: Path, cache: Path | None, cwd: Path) -> tuple[int, str]:
    run = subprocess.run([*IDSL, "check", "--format", "gnu", str(spec)], cwd=cwd,
                         env=_environment(cache), capture_output=True, text=True, encoding="utf-8")
    return run.returncode, run.stdout + run.stderr


@pytest.fixture
def importing(tmp_path) -> Path:
    for name in ("import_override.idsl", "import_common.idsl"):
        shutil.copy(GOOD / name, tmp_path / name)
    return tmp_path / "import_override.idsl"


@pytest.mark.parametrize("spec", sorted(BAD.glob("E4*.idsl"))[:3] + [GOOD / "warnings_only.idsl"],
                         ids=lambda p: p.stem)
def test_a_cached_check_is_the_same_as_a_fresh_one(spec, tmp_path):
    fresh = _check(spec, None, ROOT)
    first = _check(spec, tmp_path / "cache", ROOT)
    again = _check(spec, tmp_path / "cache", ROOT)
    assert fresh == first == again
    assert any((tmp_path / "cache" / "idsl" / "checked").iterdir())


def _drop_an_explanation(spec: Path) -> None:
    """A leaf without 解释: a warning (W502) in that file."""
    spec.write_text(spec.read_text(encoding="utf-8").replace("    解释 目标是否明确\n", "", 1), encoding="utf-8")


def test_a_changed_import_is_checked_again(importing, tmp_path):
    cache = tmp_path / "cache"
    before = _check(importing, cache, tmp_path)
    assert before == _check(importing, None, tmp_path)
    _drop_an_explanation(importing.with_name("import_common.idsl"))
    after = _check(importing, cache, tmp_path)
    assert after == _check(importing, None, tmp_path) and after != before and "W502" in after[1]


def test_a_missing_import_is_looked_for_again(importing, tmp_path):
    cache = tmp_path / "cache"
    common = importing.with_name("import_common.idsl")
    kept = common.read_text(encoding="utf-8")
    common.unlink()
    missing = _check(importing, cache, tmp_path)
    assert missing[0] == 1 and "E203" in missing[1]
    common.write_text(kept, encoding="utf-8")
    assert _check(importing, cache, tmp_path) == _check(importing, None, tmp_path)


def test_the_same_file_from_another_folder_names_its_imports_from_there(importing, tmp_path):
    cache = tmp_path / "cache"
    common = importing.with_name("import_common.idsl")
    _drop_an_explanation(common)
    inside = _check(importing, cache, tmp_path)
    outside = _check(importing, cache, tmp_path.parent)
    assert inside == _check(importing, None, tmp_path) and "import_common.idsl:" in inside[1]
    assert outside == _check(importing, None, tmp_path.parent) and outside != inside


def test_a_broken_entry_is_computed_again(tmp_path):
    spec = GOOD / "warnings_only.idsl"
    cache = tmp_path / "cache"
    expected = _check(spec, cache, ROOT)
    for entry in (cache / "idsl").rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert _check(spec, cache, ROOT) == expected


def test_an_unwritable_cache_is_passed_over(tmp_path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("", encoding="utf-8")
    spec = GOOD / "warnings_only.idsl"
    assert _check(spec, blocker, ROOT) == _check(spec, None, ROOT)


def test_a_cached_check_imports_neither_lark_nor_the_checks(tmp_path):
    spec = GOOD / "all_rule_kinds.idsl"
    cache = tmp_path / "cache"
    _check(spec, cache, ROOT)
    probe = ("import sys; from idsl.check import check_file; check_file(sys.argv[1]); "
             "print(sorted(m for m in ('lark', 'idsl.check.suite', 'idsl.frontend.ast') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", probe, str(spec)], cwd=ROOT, env=_environment(cache),
                         capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_no_cache_writes_nothing(tmp_path):
    env = _environment(None)
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    subprocess.run([*IDSL, "check", str(GOOD / "warnings_only.idsl")], cwd=ROOT, env=env, capture_output=True,
                   check=False)
    assert not (tmp_path / "cache").exists()
