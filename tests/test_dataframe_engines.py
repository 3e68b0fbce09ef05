"""The scoring query on DataFusion and Polars SQL: every spec's query, as `compile_sql` writes it (DuckDB's
flavour: double-quoted names, DECIMAL casts, CTEs), run on the typed seed and edge batches, gives DuckDB's
results exactly, unit by unit and cell by cell, with every output name unique (a level-1 indicator that is
itself a leaf, as 000's 制度导向 and 004's 投入 are, has its own `.小计` column)."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

from idsl.engines.batch import load_typed
from idsl.engines.sql import compile_sql, output_columns
from idsl.io.tables import write_csv

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))
import synth  # noqa: E402
from edge import edge_batch  # noqa: E402
from plans import plan_of  # noqa: E402

SPECS = sorted((ROOT / "specs").glob("*.idsl"))


def _datafusion(query: str, units) -> tuple[list[str], list[tuple]]:
    import datafusion

    ctx = datafusion.SessionContext()
    ctx.from_arrow(units, name="units")
    table = ctx.sql(query).to_arrow_table()
    return table.column_names, [tuple(row.values()) for row in table.to_pylist()]


def _polars(query: str, units) -> tuple[list[str], list[tuple]]:
    import polars

    frame = polars.SQLContext(units=polars.from_arrow(units)).execute(query, eager=True)
    return frame.columns, frame.rows()


@pytest.mark.parametrize("run", [_datafusion, _polars], ids=["datafusion", "polars"])
@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name[:3])
def test_every_unit_scores_as_on_duckdb(tmp_path, spec, run):
    plan = plan_of(spec)
    headers, edges = edge_batch(plan, 60, seed=11)
    source = tmp_path / "units.csv"
    write_csv(source, headers, synth.rows(plan, 60, seed=5) + edges)
    con = duckdb.connect()
    load_typed(con, plan, source, "units")
    query = compile_sql(plan, table="units")
    expected = con.execute(query).fetchall()
    names, found = run(query, con.sql("SELECT * FROM units").to_arrow_table())
    assert names == output_columns(plan) and len(set(names)) == len(names)
    assert len(found) == len(expected) > 60 and sum(row[-1] is None for row in found) > 30  # units scored
    by_unit = {row[0]: row for row in found}
    for row in expected:
        assert by_unit[row[0]] == row, row[0]  # Decimal equals Decimal, None None: every cell exactly
