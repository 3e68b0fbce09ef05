"""The postgres dialect on a real PostgreSQL server: every spec's query (`idsl compile --dialect postgres`; with
tests/cases/score/two_ratios.idsl and wider_sums.idsl, whose sums of ratios are rounded term by term),
run on the seed batches and the edge batch, gives DuckDB's results exactly, unit by unit and cell by cell.

The server is a throwaway one (initdb and pg_ctl in a temporary folder, a Unix socket only, run as the
user postgres when the tests run as root). Debian's postgresql package provides it; `.ci/system-deps`
installs it, so the test fails rather than skips when it is missing.
"""

from __future__ import annotations

import csv
import glob
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from idsl.engines.batch import load_typed
from idsl.engines.sql import compile_sql, output_columns
from idsl.engines.sql.dialects import translate
from idsl.io.tables import write_csv

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))
import synth  # noqa: E402
from edge import edge_batch  # noqa: E402
from plans import plan_of  # noqa: E402

SPECS = sorted((ROOT / "specs").glob("*.idsl"))
# sums of ratios of amounts (two; over 4.75 points, converted to 万元, three): rounded term by term
WIDE = [ROOT / "tests/cases/score/two_ratios.idsl", ROOT / "tests/cases/score/wider_sums.idsl"]
SEED_BATCHES = {"001": ROOT / "examples/batch_001_units.csv"}  # a spec's own example batch, where there is one


def _binaries() -> Path:
    """The folder of initdb and pg_ctl (Debian keeps them off the PATH, under /usr/lib/postgresql/N/bin)."""
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not versions:
        pytest.fail("PostgreSQL is not installed: run `make setup` (.ci/system-deps installs Debian's postgresql)")
    return Path(versions[-1]).parent


class Server:
    """A PostgreSQL server in a temporary folder, reached by psql over a Unix socket."""

    def __init__(self):
        self.bin = _binaries()
        self.folder = Path(tempfile.mkdtemp(prefix="idsl-postgres-"))
        self.owner = "postgres" if os.geteuid() == 0 else None  # initdb refuses to run as root
        if self.owner:
            import pwd

            user = pwd.getpwnam(self.owner)
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        self.folder.chmod(0o755)
        with socket.socket() as probe:  # a port number no other server uses (it names the socket file)
            probe.bind(("127.0.0.1", 0))
            self.port = str(probe.getsockname()[1])

    def _as_owner(self, *command: str) -> None:
        prefix = ["runuser", "-u", self.owner, "--"] if self.owner else []
        done = subprocess.run(prefix + list(command), capture_output=True, text=True, cwd=self.folder)
        assert done.returncode == 0, done.stdout + done.stderr

    def start(self) -> None:
        data = str(self.folder / "data")
        self._as_owner(str(self.bin / "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                       "--locale=C")
        options = f"-k {self.folder} -c listen_addresses='' -p {self.port} -c fsync=off"
        self._as_owner(str(self.bin / "pg_ctl"), "-D", data, "-l", str(self.folder / "log"), "-w", "-o", options,
                       "start")

    def stop(self) -> None:
        self._as_owner(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def psql(self, script: str) -> str:
        """Run a script (stopping at the first error); what it printed."""
        psql = shutil.which("psql") or str(self.bin / "psql")
        done = subprocess.run([psql, "-h", str(self.folder), "-p", self.port, "-U", "postgres", "-X", "-q",
                               "-v", "ON_ERROR_STOP=1", "-f", "-"], input=script, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout


@pytest.fixture(scope="module")
def postgres():
    server = Server()
    server.start()
    yield server
    server.stop()


def _pg_type(duck_type: str) -> str:
    return duck_type.replace("DECIMAL", "NUMERIC") if duck_type.startswith("DECIMAL") else "TEXT"


def _units(plan, tmp_path: Path, spec: Path) -> Path:
    """The seed batch (the spec's example batch, or synthetic units) and the edge batch, in one file."""
    headers, edges = edge_batch(plan, 150, seed=11)
    rows = synth.rows(plan, 100, seed=5) + edges
    seed = SEED_BATCHES.get(spec.name[:3])
    if seed is not None:
        with open(seed, encoding="utf-8-sig", newline="") as stream:
            reader = csv.DictReader(stream)
            rows += [[row.get(h, "") for h in headers] for row in reader]
    source = tmp_path / "units.csv"
    write_csv(source, headers, rows)
    return source


@pytest.mark.parametrize("spec", SPECS + WIDE, ids=lambda p: p.name[:3])
def test_postgres_scores_every_unit_as_duckdb_does(tmp_path, postgres, spec):
    plan = plan_of(spec)
    con = duckdb.connect()
    load_typed(con, plan, _units(plan, tmp_path, spec), "units")
    query = compile_sql(plan, table="units")
    expected = con.execute(f"{query}").fetchall()
    translated = translate(query, "postgres")
    assert "MATERIALIZED" in translated.text
    assert "DOUBLE" not in translated.text.replace("DOUBLE PRECISION", "")
    described = con.execute("DESCRIBE units").fetchall()
    table = ", ".join(f'"{translated.short(name)}" {_pg_type(kind)}' for name, kind, *_ in described)
    data = tmp_path / "typed.csv"
    con.execute(f"COPY units TO '{data}' (HEADER false)")
    body = translated.text.rstrip().rstrip(";")
    out = postgres.psql(f"DROP TABLE IF EXISTS units;\nCREATE TABLE units ({table});\n"
                        f"\\copy units FROM '{data}' WITH (FORMAT csv)\n"
                        f"COPY (\n{body}\n) TO STDOUT WITH (FORMAT csv, HEADER true);\n")
    found = list(csv.reader(io.StringIO(out)))
    assert [translated.names.get(name, name) for name in found[0]] == output_columns(plan)
    assert len(found) - 1 == len(expected) > 100
    assert sum(not row[-1] for row in found[1:]) > 50  # units scored (错误 empty)
    if spec.name[:3] in ("001", "002"):  # their zero denominators fail units (000 divides by nothing)
        assert any(row[-1] for row in found[1:])
    by_unit = {row[0]: row for row in found[1:]}
    for row in expected:
        assert by_unit[row[0]] == [_text(value) for value in row], row[0]


def _text(value) -> str:
    """A DuckDB value as PostgreSQL's CSV writes it (a NUMERIC with its scale, NULL as an empty field)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)
