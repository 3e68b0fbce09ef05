"""Outputs never replace an input, never rename over a device, never claim a write that failed, and the
results of a batch and its errors file are replaced together, also when the run is interrupted."""

from __future__ import annotations

import csv
import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from idsl.cli import main
from idsl.io import files
from plans import seed_spec

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ROOT / "examples" / "001_inputs.json"
UNITS = ROOT / "examples" / "batch_001_units.csv"


def _run(*args: str, cwd: Path | None = None):
    previous = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(main, [str(a) for a in args])
    finally:
        os.chdir(previous)


@pytest.fixture
def work(tmp_path):
    """A folder with a spec, an importing spec, the inputs and a batch, as a user keeps them."""
    shutil.copy(seed_spec("001"), tmp_path / "s.idsl")
    (tmp_path / "main.idsl").write_text('引用 "s.idsl"\n', encoding="utf-8")
    shutil.copy(INPUTS, tmp_path / "in.json")
    shutil.copy(UNITS, tmp_path / "u.csv")
    (tmp_path / "link.json").symlink_to("in.json")
    os.link(tmp_path / "in.json", tmp_path / "hard.json")
    return tmp_path


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.is_symlink()}


@pytest.mark.parametrize("args, victim", [
    (("score", "s.idsl", "in.json", "-o", "./in.json"), "in.json"),
    (("score", "s.idsl", "in.json", "--format", "json", "-o", "link.json"), "in.json"),
    (("score", "s.idsl", "in.json", "-o", "hard.json"), "in.json"),
    (("score", "s.idsl", "in.json", "--docx", "s.idsl"), "s.idsl"),
    (("audit", "s.idsl", "in.json", "-o", "in.json"), "in.json"),
    (("audit", "s.idsl", "in.json", "--recorded", "link.json", "-o", "hard.json"), "in.json"),
    (("compile", "s.idsl", "-o", "./s.idsl"), "s.idsl"),
    (("compile", "s.idsl", "--docx", "s.idsl"), "s.idsl"),
    (("compile", "s.idsl", "--sql", "s.idsl"), "s.idsl"),
    (("compile", "main.idsl", "-o", "s.idsl"), "s.idsl"),  # an import is an input too
    (("compile", "s.idsl", "-o", "a.json", "--docx", "s.idsl"), "s.idsl"),  # nothing written, not even a.json
    (("template", "s.idsl", "--batch", "-o", "s.idsl"), "s.idsl"),
    (("score", "s.idsl", "u.csv", "-o", "./u.csv"), "u.csv"),
    (("score", "s.idsl", "u.errors.csv", "-o", "u.csv"), "u.errors.csv"),  # the errors file's derived name
])
def test_an_output_naming_an_input_is_refused_and_nothing_is_written(work, args, victim):
    if victim == "u.errors.csv":
        shutil.copy(UNITS, work / "u.errors.csv")
    before = _snapshot(work)
    result = _run(*args, cwd=work)
    assert result.exit_code == 1, result.output
    assert "输入文件" in result.output and "Traceback" not in result.output
    assert _snapshot(work) == before  # the input unchanged, and no other file written


def test_two_outputs_naming_one_file_are_refused(work):
    result = _run("compile", "s.idsl", "-o", "x.out", "--docx", "./x.out", cwd=work)
    assert result.exit_code == 1 and "同一个文件" in result.output
    assert not (work / "x.out").exists()


def test_a_character_device_is_written_to_never_replaced(work):
    result = _run("score", "s.idsl", "in.json", "--format", "json", "-o", "/dev/null", cwd=work)
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_full_device_is_an_error_not_a_success(work):
    result = _run("score", "s.idsl", "in.json", "--format", "json", "-o", "/dev/full", cwd=work)
    assert result.exit_code == 1
    assert "/dev/full" in result.output and "Traceback" not in result.output
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_full_disk_leaves_the_old_file_and_no_temporary(work, monkeypatch):
    (work / "old.docx").write_bytes(b"old")

    def no_space(_fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "fsync", no_space)
    result = _run("compile", "s.idsl", "--docx", "old.docx", cwd=work)
    assert result.exit_code == 1 and "old.docx" in result.output and "wrote" not in result.output
    assert (work / "old.docx").read_bytes() == b"old"
    assert not [p for p in work.iterdir() if p.name.endswith(".tmp")]


def test_a_missing_folder_is_named(work):
    result = _run("score", "s.idsl", "in.json", "-o", "没有/x.txt", cwd=work)
    assert result.exit_code == 1 and "没有" in result.output and "不存在" in result.output


def test_a_folder_as_output_is_refused(work):
    (work / "d").mkdir()
    result = _run("score", "s.idsl", "in.json", "--format", "json", "-o", "d", cwd=work)
    assert result.exit_code in (1, 2) and "Traceback" not in result.output
    assert (work / "d").is_dir()


def test_a_symlinked_output_keeps_its_link(work):
    (work / "real.json").write_text("{}")
    (work / "out.json").symlink_to("real.json")
    assert _run("score", "s.idsl", "in.json", "--format", "json", "-o", "out.json", cwd=work).exit_code == 0
    assert (work / "out.json").is_symlink() and '"total"' in (work / "real.json").read_text(encoding="utf-8")


def test_compile_beside_the_spec_keeps_an_existing_word_table(work):
    (work / "s.docx").write_bytes(b"filled in")
    result = _run("compile", "s.idsl", cwd=work)
    assert result.exit_code == 1 and "--force" in result.output
    assert (work / "s.docx").read_bytes() == b"filled in" and not (work / "s.compiled.json").exists()
    assert _run("compile", "s.idsl", "--force", cwd=work).exit_code == 0
    assert (work / "s.docx").read_bytes()[:2] == b"PK" and (work / "s.compiled.json").exists()


def test_paired_writes_are_all_or_nothing(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "a.errors.csv"
    a.write_text("old"), b.write_text("old")
    with pytest.raises(RuntimeError):
        with files.together():
            files.write_atomic(a, b"new")
            raise RuntimeError("interrupted between the two")
    assert (a.read_text(), b.read_text()) == ("old", "old")
    with files.together():
        files.write_atomic(a, b"new")
        files.write_atomic(b, b"new")
        assert (a.read_text(), b.read_text()) == ("old", "old")  # nothing is replaced before the end
    assert (a.read_text(), b.read_text()) == ("new", "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "a.errors.csv"]


# ---------------------------------------------------------------- real processes


def _big_batch(folder: Path, units: int) -> Path:
    """A batch of `units` rows, one in five bad, so the results and the errors file both change."""
    with UNITS.open(encoding="utf-8-sig", newline="") as stream:
        header, *rows = list(csv.reader(stream))
    path = folder / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        for i in range(units):
            row = list(rows[i % len(rows)])
            row[0] = f"{row[0]}{i}"
            if i % 5 == 0:
                row[1] = "不知道"
            writer.writerow(row)
    return path


def _idsl(*args, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([str(Path(sys.executable).with_name("idsl")), *map(str, args)],
                            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_batch_interrupted_leaves_both_outputs_old_or_both_new(work, sig):
    source = _big_batch(work, 400)
    results, errors = work / "r.csv", work / "r.errors.csv"
    outcomes = set()
    # The signal is meant for idsl at work, not for Python still starting (a Ctrl-C then is Python's
    # own KeyboardInterrupt): the delays count from the time this machine takes to start idsl now.
    started = time.monotonic()
    version = _idsl("--version", cwd=work)
    version.communicate(timeout=120)
    assert version.returncode == 0
    startup = time.monotonic() - started
    for delay in (0.3, 1.0, 1.6, 2.4):
        results.write_text("old"), errors.write_text("old")
        process = _idsl("score", "s.idsl", source, "-o", results, "--engine", "python", cwd=work)
        time.sleep(startup + delay)
        process.send_signal(sig)
        _out, err = process.communicate(timeout=120)
        assert b"Traceback" not in err, err.decode()
        old = (results.read_text(encoding="utf-8-sig") == "old", errors.read_text(encoding="utf-8-sig") == "old")
        assert old in ((True, True), (False, False)), (delay, old)
        outcomes.add(old)
        assert not [p for p in work.iterdir() if p.name.endswith(".tmp")]
    assert (True, True) in outcomes  # interrupted in the middle at least once


def test_two_runs_on_one_output_at_once_leave_a_whole_file(work):
    source = _big_batch(work, 2000)
    results = work / "r.csv"
    first = _idsl("score", "s.idsl", source, "-o", results, cwd=work)
    second = _idsl("score", "s.idsl", source, "-o", results, cwd=work)
    assert first.wait(timeout=300) == 1 and second.wait(timeout=300) == 1  # bad rows: exit 1, both finish
    first.communicate(), second.communicate()
    with results.open(encoding="utf-8-sig", newline="") as stream:
        assert len(list(csv.reader(stream))) == 1 + 1600
    with (work / "r.errors.csv").open(encoding="utf-8-sig", newline="") as stream:
        assert len(list(csv.reader(stream))) == 1 + 400
    assert not [p for p in work.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("args", [
    ("compile", "s.idsl", "-o", "评分表.docx"),         # -o taken for --docx: JSON written into the Word table
    ("compile", "s.idsl", "--docx", "评分表.json"),
    ("score", "s.idsl", "in.json", "--format", "json", "-o", "评分表.docx"),
    ("score", "s.idsl", "in.json", "-o", "输入表.xlsx"),
    ("score", "s.idsl", "in.json", "--docx", "评分表.pdf"),
])
def test_an_output_named_for_another_format_is_refused_before_anything_is_written(work, args):
    """A Word table being filled in (评分表.docx) was replaced by the compiled JSON when its name was given to -o, and
    --docx 评分表.pdf wrote a Word file under that name: an output must be what its name says."""
    for name in ("评分表.docx", "输入表.xlsx"):
        (work / name).write_bytes(b"filled in")
    result = _run(*args, cwd=work)
    assert result.exit_code == 2, result.output
    assert "已写出" not in result.output and "--docx" in result.output
    assert (work / "评分表.docx").read_bytes() == (work / "输入表.xlsx").read_bytes() == b"filled in"
    assert not (work / "评分表.json").exists() and not (work / "评分表.pdf").exists()


def test_a_batch_result_of_another_format_is_a_usage_error(work):
    """-o results.txt for a batch was reported as a problem of the units file (u.csv：结果文件应是 …) with exit 1;
    it is the option's value that is wrong, as template's -o is told (exit 2), and nothing is scored or written."""
    result = _run("score", "s.idsl", "u.csv", "-o", "results.txt", cwd=work)
    assert result.exit_code == 2, result.output
    assert "-o" in result.output and "结果文件应是 .csv、.xlsx 或 .parquet" in result.output
    assert "u.csv：" not in result.output and not (work / "results.txt").exists()


def test_parquet_results_from_the_interpreter_are_a_usage_error(work):
    """--engine python -o r.parquet was reported as a problem of the units file (u.csv：解释器…) with exit 1."""
    result = _run("score", "s.idsl", "u.csv", "--engine", "python", "-o", "r.parquet", cwd=work)
    assert result.exit_code == 2, result.output
    assert "不写 .parquet 结果" in result.output and "u.csv：" not in result.output
    assert not (work / "r.parquet").exists()
