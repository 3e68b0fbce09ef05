"""`idsl template`: the input workbook evaluators fill in, or the batch template (one row per unit)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click

from idsl.cli._common import make_console
from idsl.io.files import check_outputs, write_atomic
from idsl.cli._plan import load_plan
from idsl.io.columns import unit_columns


@click.command("template")
@click.argument("spec", metavar="SPEC", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "output", metavar="FILE", type=click.Path(dir_okay=False),
              help="Where to write: .xlsx (or .csv with --batch). Default: <spec>.inputs.xlsx, "
                   "or <spec>.units.csv with --batch, in the current directory.")
@click.option("--batch", is_flag=True, help="One row per unit, one column per input (for `idsl score SPEC units.csv`).")
@click.option("--audit", is_flag=True, help="With --batch: add …​.记录得分 columns for the scores a report recorded.")
def command(spec: str, output: str | None, batch: bool, audit: bool) -> None:
    """Write the workbook an evaluator fills in for SPEC: one row per input with its kind, unit
    and allowed values, drop-downs for yes/no and choices, number ranges for rates and counts,
    备注 (note) and 记录得分 (recorded score) columns, and a 评分标准 sheet with every leaf's rule.
    Read it back with `idsl score SPEC FILE.xlsx`.

    With --batch, write a table with one row per unit instead (first column 单位, then one
    column per input named <indicator path>.<input>; checklist elements as 要素1, 要素2 …), as
    .xlsx or .csv, for scoring many units at once with `idsl score SPEC units.csv -o results.csv`.

    \b
    Examples:
      idsl template specs/001_肃南县人社局2024部门整体支出.idsl -o 001输入表.xlsx
      idsl template specs/001_肃南县人社局2024部门整体支出.idsl --batch -o units.csv
      idsl template specs/002_阜沙分局2022部门整体自评.idsl --batch --audit -o units.xlsx
    """
    plan = load_plan(spec)
    stem = Path(spec).name.removesuffix(".compiled.json").removesuffix(".idsl").removesuffix(".json")
    if output is None:
        output = f"{stem}.units.csv" if batch else f"{stem}.inputs.xlsx"
    check_outputs(output)
    suffix = Path(output).suffix.lower()
    if batch:
        if suffix == ".csv":
            buffer = io.StringIO(newline="")
            csv.writer(buffer, lineterminator="\n").writerow([c.header for c in unit_columns(plan, audit=audit)])
            write_atomic(output, ("\ufeff" + buffer.getvalue()).encode("utf-8"))
        elif suffix == ".xlsx":
            from idsl.render.workbook import batch_template  # lazy: openpyxl is slow to import (not for .csv)

            write_atomic(output, batch_template(plan, audit=audit))
        else:
            raise click.BadParameter("the batch template is .csv or .xlsx", param_hint="-o")
    else:
        if suffix != ".xlsx":
            raise click.BadParameter("the input workbook is .xlsx (use --batch for .csv)", param_hint="-o")
        if audit:
            raise click.BadParameter("--audit goes with --batch (the workbook always has 记录得分)", param_hint="--audit")
        from idsl.render.workbook import template_workbook  # lazy: as batch_template above

        write_atomic(output, template_workbook(plan))
    make_console(stderr=True).print(f"wrote {output}")
