"""The scoring query on real engines: every seed spec scored by DuckDB and by Spark (local mode, through
pyspark) gives the same file, cell by cell, on synthetic units and on an edge batch (zero denominators,
the largest and smallest amounts a batch allows, bad cells); the query for Trino, PostgreSQL and
BigQuery parses in each dialect, with names within PostgreSQL's limit."""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

import pytest

from idsl.engines.batch import score_file
from idsl.engines.sql import compile_sql, output_columns
from idsl.engines.sql.dialects import NAME_LIMITS, translate
from idsl.engines.sql.limits import value_limits
from idsl.frontend.resolve import load
from idsl.io.columns import unit_columns
from idsl.io.tables import errors_path, write_csv
from idsl.semantics.lower import lower

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402

SPECS = sorted((ROOT / "specs").glob("*.idsl"))


def plan_of(path: Path):
    loaded = load(path)
    return lower(loaded.spec, loaded.sources)


def edge_rows(plan, count: int, seed: int) -> list[list[str]]:
    """Synthetic units with numbers pushed to the edges: 0 (zero denominators), the smallest step a
    cell may be written with, the largest value allowed, and a few cells that are not numbers."""
    rng = random.Random(seed)
    columns = unit_columns(plan)
    rows = synth.rows(plan, count, seed=seed, prefix="边界")
    for row in rows:
        for at, column in enumerate(columns):
            if not column.numeric or rng.random() > 0.3:
                continue
            bound, _scale, written = value_limits(column)
            largest = int(bound) - 1 if column.kind != "input" or column.decl is None or column.decl.kind != "rate" \
                else 100
            tiny = "0." + "0" * (written - 1) + "1" if written else "1"
            row[at] = rng.choice(["0", tiny, str(largest), "0", "不详"])
    return rows


@pytest.fixture(scope="module")
def spark():
    from idsl.engines.spark import session  # one session for the module: starting Spark takes seconds

    return session("local[2]")


def read(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name[:3])
def test_spark_scores_every_unit_as_duckdb_does(tmp_path, spark, spec):
    plan = plan_of(spec)
    source = tmp_path / "units.csv"
    write_csv(source, [c.header for c in unit_columns(plan)], synth.rows(plan, 200, seed=7) + edge_rows(plan, 100, 8))
    found = {}
    for engine in ("duckdb", "spark"):
        summary = score_file(plan, source, tmp_path / f"{engine}.csv", engine=engine)
        found[engine] = (read(tmp_path / f"{engine}.csv"), read(errors_path(tmp_path / f"{engine}.csv")), summary.rows)
    results, errors, rows = found["spark"]
    assert rows == 300 and len(results) > 150 and len(errors) > 1  # the edge batch has bad rows
    assert results[0] == output_columns(plan)[:-1]
    assert found["spark"] == found["duckdb"]


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


@pytest.mark.parametrize("dialect", ["spark", "trino", "postgres", "bigquery"])
@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name[:3])
def test_the_query_parses_in_every_dialect(spec, dialect):
    import sqlglot

    plan = plan_of(spec)
    translated = translate(compile_sql(plan), dialect)
    tree = sqlglot.parse_one(translated.text, read=dialect)
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
