"""`idsl import`: an existing scoring table (.docx, .xlsx) read into an idsl draft, with a summary of what was read."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from idsl.check import check
from idsl.cli._common import make_console
from idsl.diagnostics import SpecError
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.files import check_outputs, guarding, protect, write_atomic


@click.command("import", short_help="从 Word/Excel 评分表生成 idsl 草稿。")
@click.argument("table", metavar="TABLE.docx|TABLE.xlsx", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "output", metavar="DRAFT.idsl", type=click.Path(dir_okay=False),
              help="写出的草稿（默认：与表格同名、扩展名 .idsl，放在表格旁边）。")
@click.pass_context
def command(ctx: click.Context, table: str, output: str | None) -> None:
    """从 Word 或 Excel 评分表生成 idsl 草稿，并列出读到了什么。

    评分表是文件中最大的、表头写有指标层级（一级/二级/三级指标）和分值/权重或评分标准的表格。
    能识别的评分标准写成规则；不能识别的保留原文在“评分标准”下、不写规则，idsl check 以 E406
    逐一列出。写出草稿后随即检查，列出原表中已能发现的问题。

    退出码：0 已写出草稿；1 文件无法读取或其中没有评分表；2 用法错误。

    \b
    示例：
      idsl import 评分表.docx -o 草稿.idsl
      idsl import 指标体系.xlsx -o 草稿.idsl && idsl check 草稿.idsl
    """
    # lazy: the importer takes ≈ 45 ms to import, and `idsl --help` loads this module
    from idsl.io.importer import TableError, import_table

    target = Path(output) if output else Path(table).with_suffix(".idsl")
    with guarding():
        protect(table)
        check_outputs(target)
        try:
            draft = import_table(table)
        except TableError as err:
            make_console(stderr=True).print(f"错误：{err}")
            ctx.exit(1)
        write_atomic(target, draft.text.encode("utf-8"))
    _summary(draft, str(target))


def _summary(draft, target: str) -> None:
    """What was read, what became a rule, what is left to write, and what the checker finds in the draft."""
    console = make_console()
    console.print(f"已写出 {target}（读自{draft.where}）：{draft.leaves} 个末级指标，"
                  f"{draft.leaves - len(draft.placeholders)} 个识别为规则，{len(draft.placeholders)} 个待定。")
    kinds = Table("规则", "个数", title="识别的规则", title_justify="left")
    for kind, count in sorted(draft.kinds.items(), key=lambda item: -item[1]):
        kinds.add_row(kind, str(count))
    if draft.kinds:
        console.print(kinds)
    if draft.placeholders:
        console.print("待定（评分标准原文已保留，请补写规则）：")
        for path in draft.placeholders:
            console.print("  " + " › ".join(path))
    try:
        loaded = load_text(Source(target, draft.text))
        found = [d for d in list(loaded.diagnostics) + check(loaded) if d.code != "E406"]
    except SpecError as err:
        found = [d for d in err.diagnostics if d.code != "E406"]
    if not found:
        console.print("检查草稿：除待定指标外，没有发现其他问题。")
        return
    console.print(f"检查草稿：原表中已能发现 {len(found)} 处问题（idsl check {target} 可看详情）：")
    for d in found:
        where = " › ".join(d.path) if d.path else f"第 {d.span.line} 行"
        console.print(f"  {d.code} {where}：{d.message}")


__all__ = ["command"]
