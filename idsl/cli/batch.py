"""What `idsl score` does with a workbook or a batch: reading an input workbook (errors by cell),
and scoring a table of units with the SQL engine or the interpreter."""

from __future__ import annotations

from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from idsl.cli._common import clean, make_console
from idsl.cli._plan import load_plan, not_a_table
from idsl.io.files import check_outputs, together, write_atomic
from idsl.io.inputs import read_inputs
from idsl.io.tables import BatchError, errors_path, is_batch_workbook
from idsl.io.workbook import locate as locate_cells
from idsl.io.workbook import read_workbook

# The batch engines (idsl.engines.batch, idsl.engines.sql) are imported inside the functions that run
# them, deliberately: they add about 75 ms to every `idsl score`, which mostly scores one JSON file.

ENGINES = ("duckdb", "spark", "python")
BATCH_SUFFIXES = (".csv", ".parquet")
SHOWN = 20  # bad rows listed on the terminal (all of them are in the errors file)


def is_batch(path: str) -> bool:
    """A batch of units (.csv, .parquet, or an .xlsx whose first cell is 单位) rather than one unit's inputs."""
    suffix = Path(path).suffix.lower()
    if suffix in BATCH_SUFFIXES:
        return True
    if suffix == ".xlsx":
        return is_batch_workbook(path)
    return False


_MASTER = "--master 只用于 --engine spark 评分的单位表。"
# Options one kind of input has no use for: refused, never dropped without a word (--docx beside a table of
# units wrote no Word file and exited 0).
_UNIT_ONLY = {
    "--docx": "单位表（一行一个单位）按批量评分，不写 Word 评分表；--docx 只用于一个单位的输入（JSON 或输入工作簿）。",
    "--format": "单位表的结果写入 -o 的 .csv、.xlsx 或 .parquet；--format json 只用于一个单位的输入。",
    "--recorded": "单位表的记录得分写在各行的“<指标>.记录得分”列（idsl template --batch --audit）；"
                  "--recorded 只用于一个单位的输入。",
    "--as-published": "单位表只按没有错误的体系评分；--as-published 只用于一个单位的输入。",
    "--master": _MASTER,
}
_BATCH_ONLY = {
    "--engine": "--engine 只用于单位表（.csv、.parquet，或 idsl template --batch 生成的 .xlsx）；"
                "一个单位的输入由解释器评分。",
    "--master": _MASTER,
}


def batch_or_unit(spec: str, inputs: str, given: dict[str, bool]) -> bool:
    """Whether INPUTS is a table of units; `given` says which options were written (option → bool), and one
    the kind of input has no use for is a usage error on that option."""
    not_a_table(spec)  # the arguments swapped say so first
    batch = is_batch(inputs)
    unused = _UNIT_ONLY if batch else _BATCH_ONLY
    for option, message in unused.items():
        if given.get(option):
            raise click.UsageError(message)
    return batch


def read_given(plan, path: str):
    """One unit's inputs from JSON or from an input workbook (made by `idsl template`)."""
    if Path(path).suffix.lower() == ".xlsx":
        return read_workbook(plan, path)
    return read_inputs(Path(path))


def locate(result, given):
    """Input errors of a workbook named by cell (输入!F12); JSON inputs unchanged."""
    return locate_cells(result, given)


def score_batch(ctx: click.Context, spec: str, source: str, output: str | None, engine: str | None,
                allow_missing: bool = False, master: str | None = None) -> None:
    """Score every unit of SOURCE into OUTPUT; bad rows are listed (and written beside the results). With
    `allow_missing`, leaves with blank cells are 未评 (listed in the 未评 column) instead of failing their row."""
    from idsl.engines.sql import SqlError  # lazy: see the note at the top

    err = make_console(stderr=True)
    if output is not None and Path(output).suffix.lower() not in (".csv", ".xlsx", ".parquet"):
        raise click.BadParameter(f"结果文件应是 .csv、.xlsx 或 .parquet：{output}", param_hint="-o")
    if engine == "python" and output is not None and Path(output).suffix.lower() == ".parquet":
        raise click.BadParameter(f"解释器（--engine python）不写 .parquet 结果：请用 .csv 或 .xlsx，或用 duckdb、spark 引擎："
                                 f"{output}", param_hint="-o")
    plan = load_plan(spec)
    if output is None:
        source_path = Path(source)
        output = str(source_path.with_name(source_path.stem + ".results.csv"))
    chosen = engine or "duckdb"
    check_outputs(output, errors_path(output) if Path(output).suffix.lower() == ".csv" else None)
    try:
        with together():  # the results and the errors file are replaced together or not at all
            summary = _run(plan, source, output, chosen, err, allow_missing, master)
    except SqlError as problem:  # never a silent switch of engines: the two must mean the same
        err.print(Text("SQL 引擎不能为这个体系评分：", style="bold red") + Text(clean(problem)))
        ctx.exit(1)
        return
    except BatchError as problem:
        err.print(Text(clean(f"{source}："), style="bold red") + Text(clean(problem)))
        ctx.exit(1)
        return
    _report(summary, err)
    ctx.exit(1 if summary.errors else 0)


def _run(plan, source: str, output: str, engine: str, err, allow_missing: bool = False, master: str | None = None):
    from idsl.engines.batch import score_file  # lazy: see the note at the top

    if err.is_terminal:
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err, transient=True) as progress:
            return score_file(plan, source, output, engine=engine, progress=progress, allow_missing=allow_missing,
                              master=master)
    return score_file(plan, source, output, engine=engine, allow_missing=allow_missing, master=master)


def _report(summary, err) -> None:
    rate = summary.rows / summary.seconds if summary.seconds else 0
    line = Text(clean(f"已评分 {summary.scored} / {summary.rows} 个单位（引擎 {summary.engine}，{summary.seconds:.2f} 秒，"
                      f"每秒 {rate:,.0f} 个）→ {summary.output}"))
    err.print(line)
    for warning in summary.warnings[:SHOWN]:
        err.print(Text("  ⚠ ", style="yellow") + Text(clean(warning)))
    if len(summary.warnings) > SHOWN:
        err.print(f"  …… 另有 {len(summary.warnings) - SHOWN} 个单位重复")
    if not summary.errors:
        return
    bad = summary.bad_rows
    where = f"全部列在 {summary.errors_file}" if summary.errors_file else f"全部列在 {summary.output} 的“错误”工作表"
    err.print(Text(clean(f"{bad} 行有误，未评分（{where}）："), style="bold red"))
    for error in summary.errors[:SHOWN]:
        err.print(Text("  ✗ ", style="red") + Text(clean(error)))
    if len(summary.errors) > SHOWN:
        err.print(f"  …… 另有 {len(summary.errors) - SHOWN} 处")


def write_sql(plan, path: str, table: str, dialect: str = "duckdb") -> None:
    """`idsl compile --sql`: the scoring query over TABLE for DIALECT, to a file or (-) standard output."""
    from idsl.engines.sql import SqlError, compile_sql  # lazy: see the note at the top
    from idsl.engines.sql.dialects import translate

    try:
        query = compile_sql(plan, table=table)
    except SqlError as problem:
        raise click.ClickException(clean(f"SQL 引擎不能为这个体系评分：{problem}")) from None
    if dialect != "duckdb":
        query = translate(query, dialect).text
    if path == "-":
        click.echo(query, nl=False)
        return
    write_atomic(path, query.encode("utf-8"))
    make_console(stderr=True).print(clean(f"已写出 {path}（读取表 {table}，每个单位一行）"))


__all__ = ["ENGINES", "batch_or_unit", "is_batch", "locate", "read_given", "score_batch", "write_sql"]
