"""`idsl compile`: check a spec and write its compiled form (JSON) for `idsl score`."""

from __future__ import annotations

from pathlib import Path

import click

from idsl.cli._common import clean, docx_output, make_console, text_output
from idsl.io.files import WriteError, check_outputs, write_atomic
from idsl.cli._plan import load_plan
from idsl.io.compiled import dumps


@click.command("compile", short_help="检查体系，写出编译结果、Word 评分表或 SQL。")
@click.argument("spec", metavar="SPEC", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "output", metavar="FILE.json", type=click.Path(dir_okay=False),
              help="编译结果写到这里（- 表示标准输出）。")
@click.option("--docx", "docx_path", metavar="FILE.docx", type=click.Path(dir_okay=False),
              help="空白的 Word 评分表写到这里。")  # issue 4
@click.option("--sql", "sql_path", metavar="FILE.sql", type=click.Path(dir_okay=False),
              help="为单位表评分的标准 SQL 查询写到这里（- 表示标准输出）。")  # issue 5
@click.option("--table", "table", metavar="NAME", default="units", show_default=True,
              help="与 --sql 同用：查询读取的单位表（或视图）名。")  # issue 5
@click.option("--dialect", "dialect", type=click.Choice(["duckdb", "spark", "trino", "postgres", "bigquery"]),
              default="duckdb", show_default=True, help="与 --sql 同用：查询所用的 SQL 方言（引擎）。")  # issue 15
@click.option("--force", is_flag=True,
              help="既无 -o 也无 --docx 时：覆盖 SPEC 旁已有的 Word 评分表。")
def command(spec: str, output: str | None, docx_path: str | None, sql_path: str | None = None,
            table: str = "units", force: bool = False, dialect: str = "duckdb") -> None:
    """检查 SPEC 并写出编译结果：带版本号的 JSON，含每个源文件的 SHA-256 和整个体系的指纹。
    `idsl score` 可以用它代替源文件，评价人员用的就是下发的那个体系；手工改过的编译文件会被拒绝。

    退出码：0 已写出；1 体系有错误；2 用法错误。

    \b
    示例：
      idsl compile specs/001_肃南县人社局2024部门整体支出.idsl -o 001.compiled.json
      idsl score 001.compiled.json examples/001_inputs.json
      idsl compile specs/001_肃南县人社局2024部门整体支出.idsl --docx 评分表.docx
      idsl compile specs/001_肃南县人社局2024部门整体支出.idsl --sql 001.sql --table units_2024

    既无 -o 也无 --docx 时，两者都写在 SPEC 旁：<名称>.compiled.json 和 <名称>.docx；
    那里已有的 <名称>.docx（可能是正在填写的评分表）保留不动，除非给出 --force。
    """
    plan = load_plan(spec)
    if output is None and docx_path is None and sql_path is None:  # issue 4: both outputs beside the spec
        output, docx_path = _beside(spec, ".compiled.json"), _beside_docx(spec, force)
    check_outputs(output, docx_path, sql_path)  # before anything is written
    text_output(output, "编译结果（JSON）")
    docx_output(docx_path)
    if sql_path is not None:  # issue 5
        from idsl.cli.batch import write_sql  # lazy: only --sql needs the batch and SQL modules

        write_sql(plan, sql_path, table, dialect)
        if output is None and docx_path is None:
            return
    if docx_path is not None:
        from idsl.render.docx import render_docx  # lazy: python-docx is slow to import

        write_atomic(docx_path, render_docx(plan))
        make_console(stderr=True).print(clean(f"已写出 {docx_path}"))
    if output is None:
        return
    text = dumps(plan)
    if output == "-":
        click.echo(text, nl=False)
        return
    write_atomic(output, text.encode("utf-8"))
    make_console(stderr=True).print(clean(f"已写出 {output}（指纹 {plan.fingerprint[:16]}…）"))


def _beside(spec: str, suffix: str) -> str:
    """specs/x.idsl → specs/x<suffix> (a compiled x.compiled.json keeps its base name)."""
    path = Path(spec)
    name = path.name[: -len(".compiled.json")] if path.name.endswith(".compiled.json") else path.stem
    return str(path.with_name(name + suffix))


def _beside_docx(spec: str, force: bool) -> str:
    """The Word table beside SPEC; one already there may be a table being filled in, kept without --force."""
    path = _beside(spec, ".docx")
    if Path(path).exists() and not force:
        raise WriteError(f"不能写 {path}：文件已存在（可能是正在填写的评分表）。加 --force 覆盖它，"
                         "或用 --docx 另给文件名、用 -o 只写编译结果。")
    return path
