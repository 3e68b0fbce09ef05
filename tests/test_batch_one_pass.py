"""A clean batch is checked, scored and written by one query (`embedded.clean_results_sql`): the same files
as the row-by-row path for every spec, CSV and Parquet, text never a live formula; a batch with a bad row,
even its last, falls back to that path and lists the row."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

import idsl.engines.batch as batch
from idsl.engines.embedded import _results_sql, clean_results_sql
from idsl.engines.loading import close, connect, load_source
from idsl.engines.sql import output_text_columns
from idsl.frontend.resolve import load
from idsl.io.columns import recorded_columns, unit_columns
from idsl.io.tables import errors_path, match_headers, write_csv
from idsl.semantics.lower import lower

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402

SPECS = sorted((ROOT / "specs").glob("*.idsl"))


def _plan(path: Path):
    loaded = load(path)
    return lower(loaded.spec, loaded.sources)


def _batch(plan, path: Path, count: int = 60, audit: bool = False) -> list[str]:
    """Clean synthetic rows, units named as formulas would start (=, +, -, @), recorded scores with `audit`."""
    columns = unit_columns(plan)
    rows = synth.rows(plan, count, seed=7)
    for number, row in enumerate(rows):
        row[0] = "=+-@"[number % 4] + row[0]
    headers = [c.header for c in columns]
    if audit:
        recorded = recorded_columns(plan)
        headers += [c.header for c in recorded]
        lowest = plan.grades[-1].grade if plan.grades else ""  # a grade the spec has (any other refuses the row)
        rows = [row + [lowest if c.kind == "grade" else "1" for c in recorded] for row in rows]
    write_csv(path, headers, rows)
    return headers


def _row_by_row(monkeypatch) -> None:
    monkeypatch.setattr(batch, "clean_results_sql", lambda *_args, **_kw: None)


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_one_pass_writes_what_the_row_by_row_path_writes(tmp_path, monkeypatch, spec, suffix):
    plan = _plan(spec)
    source = tmp_path / "units.csv"
    _batch(plan, source, audit=True)
    passes = []
    with monkeypatch.context() as patched:
        write_clean = batch._write_clean
        patched.setattr(batch, "_write_clean", lambda *args: passes.append(write_clean(*args)) or passes[-1])
        one = batch.score_file(plan, source, tmp_path / f"one{suffix}")
    with monkeypatch.context() as patched:
        _row_by_row(patched)
        rows = batch.score_file(plan, source, tmp_path / f"rows{suffix}")
    assert (one.rows, one.scored, one.errors) == (rows.rows, rows.scored, rows.errors)
    assert one.scored == one.rows and passes == [None if plan.rank_total else one.rows]
    if suffix == ".csv":
        written = (tmp_path / "one.csv").read_text(encoding="utf-8")
        assert written == (tmp_path / "rows.csv").read_text(encoding="utf-8")
        assert "\n'=" in written and "\n'+" in written and "\n'-" in written and "\n'@" in written
    else:
        read = "SELECT * FROM read_parquet('{}')"
        assert duckdb.sql(read.format(tmp_path / "one.parquet")).fetchall() == \
            duckdb.sql(read.format(tmp_path / "rows.parquet")).fetchall()
    assert errors_path(tmp_path / f"one{suffix}").read_text(encoding="utf-8-sig") == "行,单位,列,问题\n"


def test_a_bad_last_row_stops_the_one_pass_and_is_listed(tmp_path, monkeypatch):
    plan = _plan(SPECS[1])
    source = tmp_path / "units.csv"
    headers = _batch(plan, source, count=3000)
    lines = source.read_text(encoding="utf-8").splitlines()
    at = headers.index("决策/预算配置/重点支出安排率.项目总支出")
    last = lines[-1].split(",")
    last[at] = "0"  # a zero denominator: found by the scoring, after the check
    source.write_text("\n".join(lines[:-1] + [",".join(last)]) + "\n", encoding="utf-8")
    summary = batch.score_file(plan, source, tmp_path / "r.csv")
    assert (summary.rows, summary.scored) == (3000, 2999)
    assert [(e.row, e.column) for e in summary.errors] == [(3001, headers[at])]  # the input the failure blames
    with monkeypatch.context() as patched:
        _row_by_row(patched)
        batch.score_file(plan, source, tmp_path / "rows.csv")
    assert (tmp_path / "r.csv").read_text(encoding="utf-8") == (tmp_path / "rows.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("allow_missing", [False, True])
def test_the_text_columns_are_the_queries_varchar_columns(tmp_path, spec, allow_missing):
    """The writer neutralises formulas in `output_text_columns` without asking DuckDB for the types."""
    plan = _plan(spec)
    source = tmp_path / "units.csv"
    headers = _batch(plan, source, count=1, audit=True)
    con = connect()
    try:
        layout = match_headers(plan, load_source(con, source))
        names = batch.result_headers(plan, layout, allow_missing)
        query = clean_results_sql(plan, layout, names, allow_missing)
        if query is None:  # rules comparing units: the row-by-row path's query
            query = _results_sql(plan, layout, allow_missing=allow_missing).split("\n", 1)[1]
        described = con.execute(f"DESCRIBE {query}").fetchall()
    finally:
        close(con)
    text = {name for name, kind, *_rest in described if kind == "VARCHAR" and not name.startswith("_")}
    assert text == set(output_text_columns(plan, layout.audit, allow_missing)) & {name for name, *_r in described}
    assert len(headers) > len(unit_columns(plan))  # the recorded columns were there: 等级.差异 among them


def test_a_batch_read_on_every_core_is_written_in_the_files_order(tmp_path):
    """A CSV batch large enough for DuckDB to read it on several threads (20,000 units, about 10 MB) comes out in
    the file's order, through a COPY that writes in order from every thread: nothing between the file and the
    COPY may be planned as a join (an IN list of ten constants was, and the rows came out shuffled)."""
    plan = _plan(SPECS[1])
    columns = unit_columns(plan)
    rows = synth.rows(plan, 1000, seed=11)
    units = [[f"{row[0]}-{copy}", *row[1:]] for copy in range(20) for row in rows]
    source = tmp_path / "units.csv"
    write_csv(source, [c.header for c in columns], units)
    summary = batch.score_file(plan, source, tmp_path / "r.csv")
    assert summary.scored == len(units)
    written = (tmp_path / "r.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert [line.split(",", 1)[0] for line in written] == [unit[0] for unit in units]
    con = connect()
    try:
        layout = match_headers(plan, load_source(con, source))
        query = clean_results_sql(plan, layout, batch.result_headers(plan, layout))
        for suffix in (".csv", ".parquet"):
            copy = batch.copy_sql(plan, layout, query, tmp_path / f"r{suffix}", tmp_path / f"x{suffix}")
            assert con.execute(f"EXPLAIN {copy}").fetchall()[0][1].splitlines()[0].startswith("╭─ Batch Copy To File")
    finally:
        close(con)


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name[:3])
def test_no_operator_of_the_written_queries_reorders_the_rows(tmp_path, spec):
    """The results are written by COPY in the order the query reads them, the file's order, with no ORDER BY: so
    neither the one-pass query nor the row-by-row results may hold a join (DuckDB runs a long IN list as one),
    which hands rows on out of order."""
    from idsl.engines.embedded import GOOD_ROWS, run_duckdb
    from idsl.engines.sql import quote

    plan = _plan(spec)
    source = tmp_path / "units.csv"
    _batch(plan, source, count=5)
    con = connect()
    try:
        layout = match_headers(plan, load_source(con, source))
        headers = batch.result_headers(plan, layout)
        queries = {}
        for suffix in (".csv", ".parquet"):
            clean = clean_results_sql(plan, layout, headers)
            if clean is not None:
                queries[f"one pass {suffix}"] = batch.copy_sql(plan, layout, clean, Path("r" + suffix), tmp_path / "x")
        _errors, _total, ordered = run_duckdb(con, plan, layout)
        if ordered:
            rows = f"SELECT {', '.join(quote(h) for h in headers)} FROM results WHERE {GOOD_ROWS}"
            queries["row by row"] = batch.copy_sql(plan, layout, rows, Path("r.csv"), tmp_path / "x")
        for name, query in queries.items():
            shown = "\n".join(line for _kind, line in con.execute(f"EXPLAIN {query}").fetchall())
            assert "Join" not in shown and "JOIN" not in shown, (name, shown[:2000])
    finally:
        close(con)


def test_both_paths_write_the_results_in_the_input_order(tmp_path, monkeypatch):
    """20,000 units (several vectors on each of DuckDB's threads): the one pass and the row-by-row path write
    the same CSV, its rows in the input's order, as a user diffing results expects."""
    plan = _plan(SPECS[1])
    source = tmp_path / "units.csv"
    headers = unit_columns(plan)
    rows = synth.rows(plan, 2000, seed=5)
    units = [[f"U{n:05d}"] + rows[n % len(rows)][1:] for n in range(20_000)]
    write_csv(source, [c.header for c in headers], units)
    batch.score_file(plan, source, tmp_path / "one.csv")
    with monkeypatch.context() as patched:
        _row_by_row(patched)
        batch.score_file(plan, source, tmp_path / "rows.csv")
    written = (tmp_path / "one.csv").read_text(encoding="utf-8")
    assert written == (tmp_path / "rows.csv").read_text(encoding="utf-8")
    assert [line.split(",", 1)[0] for line in written.splitlines()[1:]] == [u[0] for u in units]
