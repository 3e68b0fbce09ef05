"""The scoring query on real engines: every seed spec (and tests/cases/score/two_ratios.idsl and wider_sums.idsl,
whose sums of ratios of amounts are rounded term by term) scored by the interpreter, by DuckDB and by Spark
(local mode, through pyspark) gives the same results, unit by unit, on synthetic units and on the edge
batch (tests/edge.py: band boundaries, half-up ties, zero denominators, the largest and smallest amounts
a batch allows, bad cells); the query for Trino, PostgreSQL and BigQuery parses in each dialect, with
names within PostgreSQL's limit (tests/test_postgres.py runs it on a PostgreSQL server)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from idsl.engines.batch import score_file
from idsl.engines.sql import compile_sql, output_columns
from idsl.engines.sql.dialects import DEPTH, NAME_LIMITS, translate
from idsl.frontend.resolve import load
from idsl.io.columns import unit_columns
from idsl.io.tables import errors_path, write_csv
from idsl.semantics.lower import lower

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))
import synth  # noqa: E402
from edge import edge_rows  # noqa: E402

SPECS = sorted((ROOT / "specs").glob("*.idsl"))
# sums of ratios of amounts (two; over 4.75 points, converted to 万元, three): rounded term by term
WIDE = [ROOT / "tests/cases/score/two_ratios.idsl", ROOT / "tests/cases/score/wider_sums.idsl"]


def plan_of(path: Path):
    loaded = load(path)
    return lower(loaded.spec, loaded.sources)


@pytest.fixture(scope="module")
def spark():
    from idsl.engines.spark import session  # one session for the module: starting Spark takes seconds

    return session("local[2]")


def read(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


@pytest.mark.parametrize("spec", SPECS + WIDE, ids=lambda p: p.name[:3])
def test_spark_scores_every_unit_as_duckdb_and_the_interpreter_do(tmp_path, spark, spec, monkeypatch):
    from idsl.engines import spark as spark_engine

    reports = []
    checked = spark_engine.check_plan
    monkeypatch.setattr(spark_engine, "check_plan", lambda frame, together=False: (
        reports.append(spark_engine.codegen_report(frame)), checked(frame, together)))
    plan = plan_of(spec)
    source = tmp_path / "units.csv"
    write_csv(source, [c.header for c in unit_columns(plan)], synth.rows(plan, 150, seed=7) + edge_rows(plan, 150, 8))
    found = {}
    for engine in ("duckdb", "spark", "python"):
        summary = score_file(plan, source, tmp_path / f"{engine}.csv", engine=engine)
        found[engine] = (read(tmp_path / f"{engine}.csv"), read(errors_path(tmp_path / f"{engine}.csv")), summary.rows)
    results, errors, rows = found["spark"]
    assert rows == 300 and len(results) > 180 and len(errors) > 30  # the edge batch has bad rows
    assert len([r for r in results if r[0].startswith("边界")]) > 30  # and scored edge units
    assert results[0] == output_columns(plan)[:-1]
    assert found["spark"] == found["duckdb"]
    # The interpreter words some problems its own way and may list more than one per row: the same
    # results, cell by cell, and the same rows refused.
    python_results, python_errors, _rows = found["python"]
    assert python_results == results
    assert {e[0] for e in python_errors[1:]} == {e[0] for e in errors[1:]}
    # One stage, no shuffle, every operator in generated code, and that code compiles: each step of the
    # query a method of its own, under the JVM's 64 KB (else Spark would interpret the query instead).
    (report,) = reports
    assert report.exchanges == 0 and report.outside == () and report.plan.count("*(1) Project [") > 3
    # 008's is the largest (its method about 57 KB): C101–C103 and C301 round sums of four and six ratios of counts
    assert report.largest is not None and report.largest < 65536


def test_spark_scores_alike_on_a_session_with_spark_defaults(tmp_path, spark):
    """A session whose settings are Spark's defaults (Spark 3: ANSI off; decimal products losing precision)
    scores as DuckDB does: idsl sets the settings its query needs before every run."""
    from idsl.engines.spark import SQL_SETTINGS

    plan = plan_of(SPECS[1])
    source = tmp_path / "units.csv"
    write_csv(source, [c.header for c in unit_columns(plan)], synth.rows(plan, 40, seed=5) + edge_rows(plan, 80, 6))
    spark.conf.set("spark.sql.ansi.enabled", "false")
    spark.conf.set("spark.sql.decimalOperations.allowPrecisionLoss", "true")
    spark.conf.set("spark.sql.codegen.maxFields", "100")
    try:  # the fixture's own session (already built: its settings are not applied again)
        for engine in ("duckdb", "spark"):
            score_file(plan, source, tmp_path / f"{engine}.csv", engine=engine, master="local[2]")
        assert all(spark.conf.get(key) == value for key, value in SQL_SETTINGS.items())
    finally:
        spark.conf.unset("spark.sql.ansi.enabled")
    assert read(tmp_path / "spark.csv") == read(tmp_path / "duckdb.csv")
    assert read(errors_path(tmp_path / "spark.csv")) == read(errors_path(tmp_path / "duckdb.csv"))


def test_spark_writes_parquet_results(tmp_path, spark):
    import duckdb

    plan = plan_of(SPECS[1])
    source = tmp_path / "units.parquet"
    write_csv(tmp_path / "units.csv", [c.header for c in unit_columns(plan)], synth.rows(plan, 20, seed=3))
    duckdb.execute(f"COPY (SELECT * FROM read_csv('{tmp_path / 'units.csv'}', all_varchar = true)) TO '{source}' "
                   "(FORMAT parquet)")
    for engine in ("duckdb", "spark"):
        score_file(plan, source, tmp_path / f"{engine}.parquet", engine=engine)
    same = duckdb.execute(f"SELECT count(*) FROM (SELECT * FROM '{tmp_path / 'spark.parquet'}' EXCEPT ALL "
                          f"SELECT * FROM '{tmp_path / 'duckdb.parquet'}')").fetchone()[0]
    assert same == 0 and duckdb.execute(f"SELECT count(*) FROM '{tmp_path / 'spark.parquet'}'").fetchone()[0] == 20


@pytest.mark.parametrize("rows", [0, 5, 100_003])
def test_spark_gives_every_core_an_equal_share_of_the_units(tmp_path, spark, rows):
    import duckdb

    from idsl.engines.spark import write_units

    con = duckdb.connect()
    # rows that compress unequally: the first half alike, the second half all different
    write_units(con, f"SELECT range AS _row, CASE WHEN range < {rows // 2} THEN 'x' ELSE md5(range::VARCHAR) END "
                f"AS unit FROM range({rows})", tmp_path / "units", spark)
    spark.read.parquet(str(tmp_path / "units")).createOrReplaceTempView("written")
    tasks = [r.c for r in spark.sql("SELECT spark_partition_id() AS p, count(*) AS c FROM written GROUP BY p").collect()]
    assert sum(tasks) == rows
    # a multiple of the cores' number of tasks, equal but for DuckDB's rounding of each to its vector (2,048 rows)
    assert rows < 10_000 or (len(tasks) % 2 == 0 and max(tasks) - min(tasks) <= 2_048 * len(tasks)), tasks
    every = spark.sql("SELECT count(DISTINCT _row) AS n, min(_row) AS low, max(_row) AS high FROM written").first()
    assert (every.n, every.low, every.high) == ((rows, 0, rows - 1) if rows else (0, None, None))


@pytest.mark.parametrize("dialect", ["spark", "trino", "postgres", "bigquery"])
@pytest.mark.parametrize("spec", SPECS + WIDE, ids=lambda p: p.name[:3])
def test_the_query_parses_in_every_dialect(spec, dialect):
    import sqlglot

    plan = plan_of(spec)
    translated = translate(compile_sql(plan), dialect)
    depth = sys.getrecursionlimit()
    sys.setrecursionlimit(max(depth, DEPTH))  # Spark's layers are nested subqueries: sqlglot recurses into each
    try:
        tree = sqlglot.parse_one(translated.text, read=dialect)
    finally:
        sys.setrecursionlimit(depth)
    outputs = [select.alias_or_name for select in tree.selects]
    assert [translated.names.get(name, name) for name in outputs] == output_columns(plan)
    limit = NAME_LIMITS.get(dialect)
    if limit is not None:
        names = {node.name for node in tree.find_all(sqlglot.exp.Identifier)}
        assert max(len(name.encode("utf-8")) for name in names) <= limit
        full = output_columns(plan) + [c.header for c in unit_columns(plan)]
        long = {name for name in output_columns(plan) if len(name.encode("utf-8")) > limit}
        assert long <= set(translated.names.values()) <= set(full)
        assert "MATERIALIZED" in translated.text


PEERS = """体系 "例" 总分 12
总分排名
比较（12）
  执行率（4）
    输入 执行率：比率 缺失取平均
    得分 = 比最高(执行率) × 分值
  进度（4）
    输入 进度：比率
    分档 名次(进度)：1～2 得满分；3～4 得 2 分；否则 得 1 分
  满意度（4）
    不适用 剔除
    输入 满意率：比率
    分档 满意率 - 平均(满意率)：≥ 0 得满分；-4%～0 每降低 1% 扣 1 分；< -4% 不得分
"""


def test_spark_ranks_and_compares_units_as_duckdb_does(tmp_path, spark):
    import random

    from idsl.frontend.resolve import load_text
    from idsl.frontend.source import Source

    loaded = load_text(Source("peers.idsl", PEERS))
    plan = lower(loaded.spec, loaded.sources)
    rng = random.Random(11)
    rates = ["0%", "50%", "80%", "80%", "90%", "100%", "", "x"]
    rows = [[f"单位{n}", rng.choice(rates), rng.choice(rates[:-2]), rng.choice(rates[:-1]), rng.choice(["", "是"])]
            for n in range(40)]
    source = tmp_path / "units.csv"
    write_csv(source, ["单位", "比较/执行率.执行率", "比较/进度.进度", "比较/满意度.满意率", "比较/满意度.不适用"], rows)
    found = {}
    for engine in ("duckdb", "spark"):
        score_file(plan, source, tmp_path / f"{engine}.csv", engine=engine)
        found[engine] = read(tmp_path / f"{engine}.csv"), read(errors_path(tmp_path / f"{engine}.csv"))
    assert found["spark"] == found["duckdb"] and "比较/进度.名次" in found["spark"][0][0]


def test_the_readme_scores_a_batch_on_duckdb_and_on_spark_alike(tmp_path, spark, monkeypatch):
    """README.md's batch section: its commands, run as written, give identical files; the audited batch's
    query (recorded scores, 差异 columns) is compiled code too, one stage without shuffle."""
    import re

    from click.testing import CliRunner

    from idsl.cli import main
    from idsl.engines import spark as spark_engine

    reports = []
    checked = spark_engine.check_plan
    monkeypatch.setattr(spark_engine, "check_plan", lambda frame, together=False: (
        reports.append(spark_engine.codegen_report(frame)), checked(frame, together)))

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```sh\n(.*?)```", text, re.DOTALL) if "--engine spark" in b and "cmp " in b)
    commands = [line.split("#")[0].split() for line in block.splitlines() if line.startswith("idsl ")]
    assert [c[-1] for c in commands] == ["duckdb.csv", "spark"] and "cmp duckdb.csv spark.csv" in block
    monkeypatch.chdir(tmp_path)
    for folder in ("specs", "examples"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    for command in commands:
        done = CliRunner().invoke(main, command[1:])
        assert done.exit_code == 0, done.output
    assert (tmp_path / "duckdb.csv").read_bytes() == (tmp_path / "spark.csv").read_bytes()
    (report,) = reports
    assert report.exchanges == 0 and report.outside == () and report.largest is not None and report.largest < 65536
    excerpt = next(b for b in re.findall(r"```text\n(.*?)```", text, re.DOTALL) if b.startswith("单位,总分,等级"))
    rows = read(tmp_path / "spark.csv")
    shown = [[row[rows[0].index(name)] for name in ("单位", "总分", "等级")] for row in rows]
    assert len(rows[0]) == 75 and [",".join(row) for row in shown] == excerpt.splitlines()
