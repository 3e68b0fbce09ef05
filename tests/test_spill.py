"""A batch's temporary folder: deleted by `close`, and, when its run was killed before that, by the next run."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

import pytest

from idsl.engines.loading import SPILL, close, connect


@pytest.mark.skipif(os.name != "posix", reason="process ids are checked on POSIX systems only")
def test_a_killed_runs_folder_is_removed_by_the_next_run(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()
    stale = tmp_path / f"{SPILL}{gone}-abc123"
    (stale / "spill").mkdir(parents=True)
    (stale / "spill" / "block.tmp").write_bytes(b"x")
    alive = tmp_path / f"{SPILL}{os.getppid()}-def456"  # a running process's folder stays
    alive.mkdir()
    unnamed = tmp_path / f"{SPILL}k2j_x9q1"  # no process id in the name: left alone
    unnamed.mkdir()
    con = connect()
    own = [p for p in tmp_path.iterdir() if p.name.startswith(f"{SPILL}{os.getpid()}-")]
    assert not stale.exists() and alive.exists() and unnamed.exists() and len(own) == 1
    close(con)
    assert not own[0].exists()
