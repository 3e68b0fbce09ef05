"""`idsl compile`: check a spec and write its compiled form (JSON) for `idsl score`."""

from __future__ import annotations

from pathlib import Path

import click

from idsl.cli._common import make_console
from idsl.io.files import WriteError, check_outputs, write_atomic
from idsl.cli._plan import load_plan
from idsl.io.compiled import dumps


@click.command("compile")
@click.argument("spec", metavar="SPEC", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "output", metavar="FILE.json", type=click.Path(dir_okay=False),
              help="Write the compiled spec here (- for standard output).")
@click.option("--docx", "docx_path", metavar="FILE.docx", type=click.Path(dir_okay=False),
              help="Write the blank Word scoring table (评分表) here.")  # issue 4
@click.option("--sql", "sql_path", metavar="FILE.sql", type=click.Path(dir_okay=False),
              help="Write the standard SQL query that scores a table of units (- for standard output).")  # issue 5
@click.option("--table", "table", metavar="NAME", default="units", show_default=True,
              help="With --sql: the table (or view) of units the query reads.")  # issue 5
@click.option("--force", is_flag=True,
              help="With neither -o nor --docx: replace a Word table already beside SPEC.")
def command(spec: str, output: str | None, docx_path: str | None, sql_path: str | None = None,
            table: str = "units", force: bool = False) -> None:
    """Check SPEC and write the compiled spec: versioned JSON carrying the SHA-256 of every
    source file and a fingerprint of the whole plan. `idsl score` accepts it in place of the
    source, so evaluators score with exactly the system that was issued; a compiled file edited
    by hand is refused.

    Exits with 0 when written, 1 when the spec has errors.

    \b
    Examples:
      idsl compile specs/001_肃南县人社局2024部门整体支出.idsl -o 001.compiled.json
      idsl score 001.compiled.json examples/001_inputs.json
      idsl compile specs/001_肃南县人社局2024部门整体支出.idsl --docx 评分表.docx
      idsl compile specs/001_肃南县人社局2024部门整体支出.idsl --sql 001.sql --table units_2024

    With neither -o nor --docx, both are written next to SPEC: <name>.compiled.json and <name>.docx;
    a <name>.docx already there (perhaps a table being filled in) is kept unless --force is given.
    """
    plan = load_plan(spec)
    if output is None and docx_path is None and sql_path is None:  # issue 4: both outputs beside the spec
        output, docx_path = _beside(spec, ".compiled.json"), _beside_docx(spec, force)
    check_outputs(output, docx_path, sql_path)  # before anything is written
    if sql_path is not None:  # issue 5
        from idsl.cli.batch import write_sql  # lazy: only --sql needs the batch and SQL modules

        write_sql(plan, sql_path, table)
        if output is None and docx_path is None:
            return
    if docx_path is not None:
        from idsl.render.docx import render_docx  # lazy: python-docx is slow to import

        write_atomic(docx_path, render_docx(plan))
        make_console(stderr=True).print(f"wrote {docx_path}")
    if output is None:
        return
    text = dumps(plan)
    if output == "-":
        click.echo(text, nl=False)
        return
    write_atomic(output, text.encode("utf-8"))
    make_console(stderr=True).print(f"wrote {output} (fingerprint {plan.fingerprint[:16]}…)")


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
