"""Spark (local mode, through pyspark) against DuckDB on the same typed units of 001, measured in one run.

    .venv/bin/python benchmarks/spark.py [--units 100000] [--master local[*]] [--keep DIR]

Both engines score the same typed table (`--units` synthetic units of 001, from benchmarks/synth.py, as Parquet
files written as idsl writes them for Spark) with the scoring query: DuckDB as `CREATE TABLE … AS <query>` (best of 2, as
benchmarks/batch.py measures it), Spark with the Spark dialect of the query written to Spark's `noop`
sink, which computes every row and writes nothing:

1. Spark's start (the session, once per process);
2. the first run: planning the query, compiling its generated code and scoring every unit;
3. a second run of the same query (its compiled code cached), best of 2.

Target (issue 15): 1M units of 001 on Spark ≤ 10× DuckDB's time on the same machine (the first run).
Spark's own start is reported apart: it is paid once per `idsl score --engine spark`, whatever the batch.
On a shared machine the ratios move with the load, in Spark's favour: DuckDB's query, on every core,
slows more than Spark's one stage (at load 9–11, 10.84 s against its quiet 1.67 s), so compare runs made in the
same minutes, and the quiet run for the target.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from batch import Table, make_data, plan_001, query_alone
from run import print_table, verdict


def typed_parquet(raw: Path, target: Path, spark):
    """The checked, typed units (with `_row`) of a raw batch file, written for Spark as `idsl score --engine spark`
    writes them (idsl.engines.spark.write_units); and their layout."""
    from idsl.engines.loading import close, connect, load_source
    from idsl.engines.spark import write_units
    from idsl.engines.sql import quote
    from idsl.engines.validation import validation_select
    from idsl.io.tables import match_headers

    con = connect()
    layout = match_headers(plan_001(), load_source(con, raw))
    typed = ", ".join(quote(c.header) for c in layout.columns)
    write_units(con, f"SELECT _row, {typed} FROM ({validation_select(layout, 'raw_units_scan')}) v "
                "WHERE _fast AND _errors = ''", target, spark)
    close(con)
    return layout


def spark_runs(raw: Path, typed: Path, master: str) -> tuple[float, float, float, list[int]]:
    """Seconds: Spark's start, the first run of the query, the best of two more; and the rows of each task."""
    from idsl.engines.spark import SQL_SETTINGS, check_plan, session, spark_query

    started = time.perf_counter()
    spark = session(master)
    start = time.perf_counter() - started
    layout = typed_parquet(raw, typed, spark)
    for key, value in SQL_SETTINGS.items():
        spark.conf.set(key, value)
    spark.read.parquet(str(typed)).createOrReplaceTempView("idsl_units")
    query = spark_query(plan_001(), layout, "idsl_units")
    times = []
    for _ in range(3):
        started = time.perf_counter()
        frame = spark.sql(query)
        check_plan(frame)  # one stage of compiled code, as `idsl score --engine spark` requires
        frame.write.format("noop").mode("overwrite").save()
        times.append(time.perf_counter() - started)
    shares = [r.c for r in spark.sql("SELECT spark_partition_id() AS p, count(*) AS c FROM idsl_units GROUP BY p").collect()]
    return start, times[0], min(times[1:]), shares


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100_000, help="units of 001 (the target is stated for 1,000,000)")
    parser.add_argument("--master", default="local[*]", help="Spark master (default local[*])")
    parser.add_argument("--keep", metavar="DIR", help="write the data here and keep it")
    options = parser.parse_args()
    print(f"Spark and DuckDB, {options.units:,} units of 001; {os.cpu_count()} cores; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(options.keep or temporary)
        directory.mkdir(parents=True, exist_ok=True)
        files = make_data(directory, options.units)
        duck = query_alone(files["parquet"])
        rows = Table()
        rows.append(("DuckDB: the scoring query (typed table → table)", f"{duck:.2f} s", ""))
        start, first, again, shares = spark_runs(files["parquet"], directory / "typed", options.master)
        rows.append(("Spark: start of the session", f"{start:.2f} s", "once per run of idsl"))
        rows.append(("Spark: tasks, rows each (equal shares: idsl.engines.spark.write_units)",
                     f"{len(shares)}: {min(shares):,}–{max(shares):,}", ""))
        rows.append(("Spark: first run (plan, compile, score every unit)", f"{first:.2f} s = {first / duck:.1f}× DuckDB",
                     verdict(first <= 10 * duck, "≤ 10×")))
        rows.append(("Spark: the same query again (code compiled)", f"{again:.2f} s = {again / duck:.1f}× DuckDB", ""))
    print_table(rows)


if __name__ == "__main__":
    main()
