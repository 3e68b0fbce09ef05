"""Batch I/O against the scoring query alone, measured in one run: how much reading, checking and writing a
batch costs on top of the query that scores it (`make bench` runs it after run.py).

    .venv/bin/python benchmarks/batch.py [--units 1000000] [--xlsx 100000] [--peak 10000000] [--keep DIR]
    .venv/bin/python benchmarks/batch.py --units 0 --peak 10000000     (the peak memory alone)

On synthetic units of 001 (benchmarks/synth.py, 10,000 generated and repeated), each whole batch in a
process of its own (its peak memory is that process's):

1. the scoring query alone: `CREATE TABLE … AS <query>` on the typed table, in DuckDB (best of 2);
2. CSV → CSV: `idsl.engines.batch.score_file`, reading, checking, scoring and writing;
3. Parquet → Parquet, the same;
4. CSV → CSV with every second row bad (a number cell written 不详), against the clean run;
5. a batch .xlsx (`--xlsx` units) read and scored to CSV;
   and, beside 2, the floor under it: DuckDB alone reading every column of the same CSV and writing a CSV of the
   results' size (the clean run's output, from a table), no checks and no scoring — what CSV → CSV costs before
   idsl does anything;
6. with `--peak N`: Parquet → Parquet of N units (10,000,000 for the target; a few minutes), for its peak
   memory (the process's maximum resident set: Python, DuckDB and all).

Targets (issue 15): 2 ≤ 2.5× 1; 3 ≤ 1.5× 1; 4 ≤ 3× 2 and ≤ 2 GB; 5 ≤ 10 s; 6 ≤ 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from run import print_table, verdict  # benchmarks/run.py: the same verdicts and table

SPEC_001 = ROOT / "specs/001_肃南县人社局2024部门整体支出.idsl"


def plan_001():
    from idsl.frontend.resolve import load
    from idsl.semantics.lower import lower

    loaded = load(SPEC_001)
    return lower(loaded.spec, loaded.sources)


def one(source: str, output: str) -> None:
    """In a process of its own: score one batch file, print seconds, rows scored and peak memory as JSON."""
    from idsl.engines.batch import score_file

    plan = plan_001()
    started = time.perf_counter()
    summary = score_file(plan, source, output)
    seconds = time.perf_counter() - started
    peak = _high_water()
    print(json.dumps({"seconds": seconds, "scored": summary.scored, "errors": len(summary.errors), "peak": peak}))


def _high_water() -> int:
    """This process's peak resident memory in bytes: VmHWM, which starts afresh at exec (ru_maxrss would keep
    the peak of the measuring process this one was forked from)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    import resource  # not Linux: the best there is

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def whole(source: Path, output: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--one", str(source), str(output)], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def make_data(directory: Path, units: int, only_parquet: bool = False) -> dict[str, Path]:
    """CSV, Parquet and a CSV with every second row bad, of `units` units of 001 (or the Parquet alone)."""
    import duckdb

    import synth
    from idsl.io.columns import unit_columns
    from idsl.io.tables import write_csv

    plan = plan_001()
    columns = unit_columns(plan)
    directory.mkdir(parents=True, exist_ok=True)
    base = directory / "units_10000.csv"
    write_csv(base, [c.header for c in columns], synth.rows(plan, 10_000, seed=2024))
    files = {"csv": directory / f"units_{units}.csv", "parquet": directory / f"units_{units}.parquet",
             "bad": directory / f"units_{units}_bad.csv"}
    bad_column = next(c.header for c in columns if c.kind == "input" and c.numeric)
    con = duckdb.connect()
    repeat = max(1, units // 10_000)
    repeated = (f"SELECT b.* REPLACE (b.\"单位\" || '-' || CAST(k.range AS VARCHAR) AS \"单位\") "
                f"FROM read_csv('{base}', all_varchar = true, header = true) b, range({repeat}) k")
    if only_parquet:  # straight to the file: 10M units in a table would take far more memory than the run measured
        con.execute(f"COPY ({repeated}) TO '{files['parquet']}' (FORMAT parquet)")
        con.close()
        return files
    con.execute(f"CREATE TABLE all_units AS {repeated}")
    con.execute(f"COPY all_units TO '{files['parquet']}' (FORMAT parquet)")
    con.execute(f"COPY all_units TO '{files['csv']}' (HEADER)")
    con.execute(f"COPY (SELECT * REPLACE (CASE WHEN row_number() OVER () % 2 = 0 THEN '不详' ELSE \"{bad_column}\" END "
                f"AS \"{bad_column}\") FROM all_units) TO '{files['bad']}' (HEADER)")
    con.close()
    return files


def query_alone(parquet: Path) -> float:
    """The scoring query on the typed table (best of 2), as benchmarks/run.py measures it."""
    from idsl.engines.loading import close, connect, load_source
    from idsl.engines.sql import compile_sql, quote
    from idsl.engines.validation import validation_select
    from idsl.io.tables import match_headers

    plan = plan_001()
    con = connect()
    layout = match_headers(plan, load_source(con, parquet))
    typed = ", ".join(quote(c.header) for c in layout.columns)
    con.execute(f"CREATE TABLE units AS SELECT {typed} FROM ({validation_select(layout, 'raw_units_scan')}) v "
                "WHERE _fast AND _errors = ''")
    query = compile_sql(plan, table="units", columns=layout.columns)
    times = []
    for _ in range(2):
        started = time.perf_counter()
        con.execute(f"CREATE OR REPLACE TABLE r AS {query}")
        times.append(time.perf_counter() - started)
    close(con)
    return min(times)


def csv_floor(units_csv: Path, results_csv: Path) -> float:
    """Seconds DuckDB alone takes to parse every column of the units' CSV and to write the results' CSV again
    from a table (best of 2 each): the part of CSV → CSV that no work of idsl's can remove."""
    import duckdb

    con = duckdb.connect()
    # the results typed as DuckDB reads them back (numbers as numbers), so writing them formats numbers as the run does
    con.execute(f"CREATE TABLE results AS SELECT * FROM read_csv('{results_csv}', header = true)")
    read = f"SELECT count(COLUMNS(*)) FROM read_csv('{units_csv}', all_varchar = true, header = true)"
    write = f"COPY results TO '{results_csv.with_name('floor.csv')}' (HEADER)"
    seconds = 0.0
    for query in (read, write):
        times = []
        for _ in range(2):
            started = time.perf_counter()
            con.execute(query).fetchall()
            times.append(time.perf_counter() - started)
        seconds += min(times)
    con.close()
    return seconds


def make_xlsx(directory: Path, source: Path, units: int) -> Path:
    """The first `units` rows of a CSV batch as a batch workbook (openpyxl, write-only; numbers as numbers)."""
    import csv

    from openpyxl import Workbook

    path = directory / f"units_{units}.xlsx"
    book = Workbook(write_only=True)
    sheet = book.create_sheet("单位")
    with open(source, encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        sheet.append(next(reader))
        for number, row in enumerate(reader):
            if number >= units:
                break
            sheet.append([_cell(text) for text in row])
    book.save(path)
    return path


def _cell(text: str):
    if text.endswith("%"):
        return text  # a rate as written (text); a percent-formatted number is read the same way
    try:
        return int(text) if text.isdigit() else float(text)
    except ValueError:
        return text


class Table(list):
    """The measured rows, each printed as soon as it is measured."""

    def append(self, row: tuple[str, str, str]) -> None:
        print(f"  {row[0]:<58} {row[1]:>40}  {row[2]}", flush=True)
        super().append(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--xlsx", type=int, default=100_000, help="units in the batch workbook (0: skip)")
    parser.add_argument("--peak", type=int, default=0, metavar="UNITS",
                        help="also score UNITS units Parquet → Parquet for the peak memory (target: 10,000,000 in 2 GB)")
    parser.add_argument("--keep", metavar="DIR", help="write the data here and keep it")
    parser.add_argument("--one", nargs=2, metavar=("SOURCE", "OUTPUT"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.one:
        one(*options.one)
        return
    print(f"batch I/O, {options.units:,} units of 001; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(options.keep or temporary)
        directory.mkdir(parents=True, exist_ok=True)
        rows = Table()
        if options.units:
            _measure(rows, directory, options)
        if options.peak:
            big = make_data(directory / "peak", options.peak, only_parquet=True)["parquet"]
            peak = whole(big, directory / "peak" / "r.parquet")
            assert peak["scored"] == options.peak
            rows.append((f"Parquet → Parquet, {options.peak:,} units: peak memory",
                         f"{peak['peak'] / 2**30:.2f} GB in {peak['seconds']:.0f} s",
                         verdict(peak["peak"] <= 2 * 2**30, "≤ 2 GB")))
    print_table(rows)


def _measure(rows: Table, directory: Path, options: argparse.Namespace) -> None:
    """Measures 1–5 of the module's list, on `options.units` units."""
    files = make_data(directory, options.units)
    alone = query_alone(files["parquet"])
    rows.append(("scoring query alone (typed table → table)", f"{alone:.2f} s", ""))
    clean = whole(files["csv"], directory / "r.csv")
    rows.append(("CSV → CSV", f"{clean['seconds']:.2f} s = {clean['seconds'] / alone:.2f}×, "
                 f"peak {clean['peak'] / 2**30:.2f} GB", verdict(clean["seconds"] <= 2.5 * alone, "≤ 2.5×")))
    floor = csv_floor(files["csv"], directory / "r.csv")
    rows.append(("  floor: DuckDB's own CSV read of the units + write of the results", f"{floor:.2f} s = "
                 f"{floor / alone:.2f}× the query; CSV → CSV less the floor {(clean['seconds'] - floor) / alone:.2f}×",
                 ""))
    parquet = whole(files["parquet"], directory / "r.parquet")
    rows.append(("Parquet → Parquet", f"{parquet['seconds']:.2f} s = {parquet['seconds'] / alone:.2f}×, "
                 f"peak {parquet['peak'] / 2**30:.2f} GB", verdict(parquet["seconds"] <= 1.5 * alone, "≤ 1.5×")))
    bad = whole(files["bad"], directory / "rb.csv")
    ratio = bad["seconds"] / clean["seconds"]
    rows.append((f"CSV → CSV, every second row bad ({bad['errors']:,} problems)",
                 f"{bad['seconds']:.2f} s = {ratio:.2f}× the clean run, peak {bad['peak'] / 2**30:.2f} GB",
                 verdict(ratio <= 3 and bad["peak"] <= 2 * 2**30, "≤ 3×, ≤ 2 GB")))
    assert clean["scored"] == parquet["scored"] == options.units and bad["scored"] == options.units // 2
    if options.xlsx:
        book = make_xlsx(directory, files["csv"], options.xlsx)
        read = whole(book, directory / "rx.csv")
        rows.append((f"batch .xlsx of {options.xlsx:,} units → CSV", f"{read['seconds']:.2f} s",
                     verdict(read["seconds"] <= 10, "≤ 10 s")))


if __name__ == "__main__":
    main()
