"""`idsl template`: the input workbook evaluators fill in, or the batch template (one row per unit)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click

from idsl.cli._common import clean, make_console
from idsl.io.files import check_outputs, write_atomic
from idsl.cli._plan import load_plan
from idsl.frontend.form import PLAIN_BOOK_HINT, plain_book_message
from idsl.io.columns import unit_columns


@click.command("template", short_help="写出输入工作簿或单位表模板。")
@click.argument("spec", metavar="SPEC", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "output", metavar="FILE", type=click.Path(dir_okay=False),
              help="写到哪里：.xlsx（--batch 时也可以是 .csv）。默认在当前文件夹写 <体系名>.inputs.xlsx，"
                   "--batch 时写 <体系名>.units.csv。")
@click.option("--batch", is_flag=True, help="每个单位一行、每个输入一列的单位表（供 `idsl score SPEC units.csv` 批量评分）。")
@click.option("--audit", is_flag=True, help="与 --batch 同用：为报告记录的得分加上“<指标>.记录得分”列。")
def command(spec: str, output: str | None, batch: bool, audit: bool) -> None:
    """写出评价人员为 SPEC 填写的输入工作簿：每个输入一行，写明类型、单位和允许的值；是否和选项
    有下拉列表，比率和数量有数值范围；有“备注”和“记录得分”列，另有“评分标准”工作表列出每个指标的
    规则。填好后用 `idsl score SPEC FILE.xlsx` 评分。体系有自评表的，工作簿就是自评表（财预〔2020〕10号
    附1）本身；问卷和扣分项、加分项放不进自评表，这时写出上面的输入工作簿并说明原因（W528）。

    --batch 改为写出单位表：每个单位一行（第一列“单位”，其后每个输入一列，列名为 <指标路径>.<输入>；
    要素写作 要素1、要素2 ……），可以是 .xlsx 或 .csv，用 `idsl score SPEC units.csv -o results.csv`
    一次为多个单位评分。

    退出码：0 已写出；1 体系有错误；2 用法错误。

    \b
    示例：
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
            raise click.BadParameter("单位表只能是 .csv 或 .xlsx", param_hint="-o")
    else:
        if suffix != ".xlsx":
            raise click.BadParameter("输入工作簿只能是 .xlsx（.csv 请加 --batch）", param_hint="-o")
        if audit:
            raise click.BadParameter("--audit 只与 --batch 同用（输入工作簿总有“记录得分”列）", param_hint="--audit")
        from idsl.render.workbook import template_workbook  # lazy: as batch_template above

        write_atomic(output, template_workbook(plan))
        _plain_book_notice(plan)
    make_console(stderr=True).print(clean(f"已写出 {output}"))


def _plain_book_notice(plan) -> None:
    """W528: a 自评表 spec whose workbook could not be the form is told so, with what did not fit."""
    from idsl.io.workbook_form import form_misfits  # lazy, as template_workbook: ≈ 24 ms a .csv does not need

    misfits = form_misfits(plan) if plan.form is not None else []
    if misfits:
        message = plain_book_message("、".join(misfits))
        make_console(stderr=True).print(clean(f"warning[W528]: {message}（提示：{PLAIN_BOOK_HINT}）"))
