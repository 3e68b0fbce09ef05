"""Batches scored on Spark through pyspark: cells checked in DuckDB as for the embedded engine, the scoring query transpiled to Spark SQL."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Callable

import attrs

from idsl.engines.embedded import run_duckdb, split_errors
from idsl.engines.sql import ERRORS, compile_sql, quote
from idsl.engines.sql.dialects import translate
from idsl.io.tables import BatchError, Layout
from idsl.semantics.model import Plan
from idsl.semantics.program import lower_program

# Spark's defaults would not do: allowPrecisionLoss cuts the scale of a DECIMAL product whose declared
# type exceeds 38 digits (the compiler bounds the values, not Spark's declared types). These are set
# again on the session before every run, so a session whose settings were changed meanwhile (or Spark
# 3's defaults) scores alike.
SQL_SETTINGS = {
    "spark.sql.decimalOperations.allowPrecisionLoss": "false",
    # Whole-stage code generation stops at 100 fields by default; a spec's results are wider (001: 119).
    "spark.sql.codegen.maxFields": "1000",
}
# The analyser resolves about one layer of the query per pass, at most 100 (spark.sql.analyzer.maxIterations): the
# deepest query of specs/ (008, whose C301 rounds a sum of six ratios exactly) has 25 layers, so the default stands.
# The UI and a network-facing driver are of no use to a run that starts and ends inside one command.
SETTINGS = {
    **SQL_SETTINGS,
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "2",
    # Janino compiles the generated code recursively: an audited spec's nested CASEs need a deeper stack.
    # HotSpot compiles no method over 8 KB of bytecode unless told to: the fused method of a wide query exceeds it.
    # A batch wants throughput, not short pauses: the parallel collector ran 1M units of 001 about 10% faster than
    # the default G1 (second runs 8.5–10.1 s against 9.7–11.3 s, the same minutes, tasks of equal shares).
    "spark.driver.extraJavaOptions": "-Xss64m -XX:-DontCompileHugeMethods -XX:+UseParallelGC",
    "spark.executor.extraJavaOptions": "-Xss64m -XX:-DontCompileHugeMethods -XX:+UseParallelGC",
}
LOCAL_SETTINGS = {"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1"}
_SESSIONS: dict[str, object] = {}


def session(master: str | None = None):
    """The Spark session for `master` (default local[*]): offline, its warehouse in a temporary folder."""
    master = master or "local[*]"
    if master in _SESSIONS:
        return _SESSIONS[master]
    try:
        from pyspark.sql import SparkSession  # lazy: pyspark is optional (idsl[spark]) and slow to import
    except ImportError:
        raise BatchError("Spark 引擎需要 pyspark：pip install 'idsl[spark]'（还需要 Java 17 或更新）。") from None
    warehouse = tempfile.mkdtemp(prefix="idsl-spark-")
    builder = SparkSession.builder.master(master).appName("idsl")
    settings = dict(SETTINGS, **(LOCAL_SETTINGS if master.startswith("local") else {}))
    settings["spark.sql.warehouse.dir"] = str(Path(warehouse) / "warehouse")
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as err:  # py4j and Java raise their own classes; the message says what failed
        raise BatchError(f"Spark 启动失败（{master}）：{_first_line(err)}") from err
    spark.sparkContext.setLogLevel("ERROR")
    _SESSIONS[master] = spark
    return spark


def spark_query(plan: Plan, layout: Layout, table: str, allow_missing: bool = False) -> str:
    """The scoring query in Spark SQL over `table` (typed rows with `_row`), carrying `_row`."""
    query = compile_sql(plan, table=table, columns=layout.columns, carry=("_row",), audit=layout.audit,
                        allow_missing=allow_missing)
    return translate(query, "spark").text


def run_spark(con, plan: Plan, layout: Layout, master: str | None = None,
              stage: Callable[[str], None] = lambda _s: None, allow_missing: bool = False) -> tuple[list, int]:
    """Check raw_units in DuckDB (`embedded.run_duckdb` without scoring), score its good rows on Spark, and
    leave the view `results` as the embedded engine does: the problems found, and how many rows were read."""
    errors, total, _ordered = run_duckdb(con, plan, layout, stage, allow_missing, score=False)
    spark = session(master)
    folder = Path(tempfile.mkdtemp(prefix="idsl-spark-"))
    typed = ", ".join(quote(c.header) for c in layout.columns)
    write_units(con, f"SELECT _row, {typed} FROM results WHERE _errors = ''", folder / "units", spark)
    stage("Spark 评分")
    for key, value in SQL_SETTINGS.items():
        spark.conf.set(key, value)
    view = "idsl_units"
    spark.read.parquet(str(folder / "units")).createOrReplaceTempView(view)
    try:
        frame = spark.sql(spark_query(plan, layout, view, allow_missing))
    except Exception as err:  # a form Spark does not take (a correlated comparison of two ratios)
        raise BatchError(f"Spark 不能运行这个体系的评分查询：{_first_line(err)}；请用 --engine duckdb。") from err
    # rules comparing units read the whole table (window functions): only they may gather it
    check_plan(frame, together=plan.rank_total or bool(lower_program(plan).peers))
    try:
        frame.write.mode("overwrite").parquet(str(folder / "results"))
    except Exception as err:
        raise BatchError(f"Spark 评分失败：{_first_line(err)}") from err
    con.execute(f"CREATE OR REPLACE TEMP VIEW results AS SELECT *, '' AS _errors "
                f"FROM read_parquet({_literal(folder / 'results' / '*.parquet')})")
    for row, unit, text in con.execute(f"SELECT _row, {quote(layout.columns[0].header)}, {quote(ERRORS)} FROM results "
                                       f"WHERE {quote(ERRORS)} IS NOT NULL ORDER BY _row").fetchall():
        errors.extend(split_errors(row, unit, text, headers=dict.fromkeys(c.header for c in layout.columns)))
    return sorted(errors), total


def write_units(con, select: str, folder: Path, spark) -> None:
    """The rows of `select` (DuckDB) as Parquet files of equal rows for Spark, a few per core, and the session set to
    read each file as one task, so every core scores an equal share.

    Spark splits a Parquet file by bytes and gives each split the row groups whose middle falls in it: a file
    written as DuckDB writes it (row groups of 122,880 rows, compressed to unequal sizes) left 2 cores 74% and 26%
    of 1M units, the whole run waiting on the first. One row group per file, and files that do not share a task
    (each file's opening cost a whole split), make the tasks equal however the rows compress."""
    rows = con.execute(f"SELECT count(*) FROM ({select})").fetchone()[0]
    cores = max(1, spark.sparkContext.defaultParallelism)
    # a few files per core, so a slower core takes fewer; each row group at most 2 of DuckDB's own (memory)
    files = max(cores * _FILES_PER_CORE, -(-rows // _MOST_ROWS_PER_FILE))
    files = -(-files // cores) * cores
    rows_per_file = max(_DUCKDB_VECTOR, -(-rows // files))
    con.execute(f"COPY ({select}) TO {_literal(folder)} (FORMAT parquet, ROW_GROUP_SIZE {rows_per_file}, "
                "ROW_GROUPS_PER_FILE 1)")
    spark.conf.set("spark.sql.files.openCostInBytes", spark.conf.get("spark.sql.files.maxPartitionBytes"))


_FILES_PER_CORE = 2
_MOST_ROWS_PER_FILE = 2 * 122_880
_DUCKDB_VECTOR = 2_048  # DuckDB rounds a row group's size up to a multiple of its vector


def check_plan(frame, together: bool = False) -> None:
    """The query is one stage of whole-stage generated code: no exchange (shuffle), every operator inside
    generated code (whether it compiles is `codegen_report`'s `largest`, which the tests require of every
    spec: a method over 64 KB would not, and Spark would quietly interpret the query instead). Rules comparing units (`together`) gather the whole table for their
    window functions, in stages of their own: neither holds for them."""
    if together:
        return
    report = codegen_report(frame)
    if report.exchanges:
        raise BatchError("Spark 的执行计划里有 Exchange（数据重分布）：评分查询应逐行计算，不该重分布。")
    if report.outside:
        raise BatchError("Spark 没有为评分查询生成整段代码（whole-stage codegen）：投影太宽，请报告这个规格。")
    # Code that does not compile (report.largest None: an audited batch's 差异 columns can still be too
    # wide) is not refused: Spark then interprets the query, slower, with the same results.


@attrs.frozen
class CodegenReport:
    """What Spark makes of a query: its executed plan, the operators left outside generated code, the exchanges,
    and the largest method of the compiled code in bytes (None: the code does not compile)."""

    plan: str
    outside: tuple[str, ...]
    exchanges: int
    largest: int | None


def codegen_report(frame) -> CodegenReport:
    """The executed plan of `frame` read, and its generated code compiled (Spark caches the class it then runs)."""
    executed = frame._jdf.queryExecution().executedPlan()
    nodes: list[tuple[str, bool]] = []
    _walk(executed, False, nodes)
    outside = tuple(name for name, inside in nodes if not inside and name not in _FRAME)
    exchanges = sum("Exchange" in name for name, _inside in nodes)
    compiled = frame._sc._jvm.org.apache.spark.sql.execution.debug.package.codegenStringSeq(executed)
    sizes = [compiled.apply(i)._3().maxMethodCodeSize() for i in range(compiled.size())]
    largest = None if not sizes or min(sizes) < 0 else max(sizes)
    return CodegenReport(executed.toString(), outside, exchanges, largest)


# what frames generated code (its stage and the adapter of its input) and the scans it reads
_FRAME = ("WholeStageCodegenExec", "InputAdapter", "FileSourceScanExec", "BatchScanExec")


def _walk(node, inside: bool, nodes: list[tuple[str, bool]]) -> None:
    """Each operator's class, and whether it is inside a stage of generated code (the plan tree, not its text:
    a string in the query may hold a line break)."""
    name = node.getClass().getSimpleName()
    inside = (inside or name == "WholeStageCodegenExec") and name != "InputAdapter"
    nodes.append((name, inside))
    children = node.children()
    for index in range(children.size()):
        _walk(children.apply(index), inside, nodes)


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _first_line(err: Exception) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


__all__ = ["SETTINGS", "SQL_SETTINGS", "CodegenReport", "check_plan", "codegen_report", "run_spark", "session", "spark_query"]
