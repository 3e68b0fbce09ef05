"""`idsl import`: an existing scoring table (.docx, .xlsx) read into an idsl draft, with a summary of what was read."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import click
from rich.table import Table

from idsl.check import check
from idsl.cli._common import make_console
from idsl.diagnostics import SpecError
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.io.files import check_outputs, guarding, is_stream, protect, together, write_atomic


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

    原表记有得分（得分/自评分数一列，一级、二级指标自己的行，小计、合计、等级行）时，另在草稿旁写出
    <草稿>.recorded.json，即 idsl audit --recorded 读的记录得分，并核对这些得分：不是数、超出分值、
    规则给不出、一级或二级指标的得分不等于下级指标之和、小计或合计不等于各行之和、等级与合计不符
    （R101–R105）；所说的行是文件中的行（工作表“Sheet1”第 12 行、第 2 个表格第 5 行）。

    退出码：0 已写出草稿；1 文件无法读取或其中没有评分表；2 用法错误。

    \b
    示例：
      idsl import 评分表.docx -o 草稿.idsl
      idsl import 指标体系.xlsx -o 草稿.idsl && idsl check 草稿.idsl
    """
    # lazy: the importer takes ≈ 45 ms to import, and `idsl --help` loads this module
    from idsl.io.importer import TableError, import_table
    from idsl.io.importer.recorded import has_figures, recorded_json

    target = Path(output) if output else Path(table).with_suffix(".idsl")
    with guarding():
        protect(table)
        check_outputs(target)
        try:
            draft = import_table(table)
        except TableError as err:
            make_console(stderr=True).print(f"错误：{err}")
            ctx.exit(1)
        # The figures go beside the draft; a draft sent to a pipe or a device has no "beside".
        beside = has_figures(draft) and not is_stream(target)
        recorded = target.with_name(f"{target.stem}.recorded.json") if beside else None
        check_outputs(target, recorded)
        with together():
            write_atomic(target, draft.text.encode("utf-8"))
            if recorded is not None:
                write_atomic(recorded, recorded_json(draft))
    _summary(draft, str(target), recorded)


def _summary(draft, target: str, recorded: Path | None) -> None:
    """What was read, what became a rule, what is left to write, what the checker finds in the draft, and
    what is wrong in the table's own figures."""
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
    loaded, found = _checked(draft, target)
    if not found:
        console.print("检查草稿：除待定指标外，没有发现其他问题。")
    else:
        console.print(f"检查草稿：原表中已能发现 {len(found)} 处问题（idsl check {target} 可看详情）：")
        for d in found:
            where = " › ".join(d.path) if d.path else f"第 {d.span.line} 行"
            console.print(f"  {d.code} {where}：{d.message}")
    _figures(console, draft, loaded, target, recorded)


def _checked(draft, target: str):
    """The draft loaded (None when it does not load) and what the checker finds in it besides E406."""
    try:
        loaded = load_text(Source(target, draft.text))
        return loaded, [d for d in list(loaded.diagnostics) + check(loaded) if d.code != "E406"]
    except SpecError as err:
        return None, [d for d in err.diagnostics if d.code != "E406"]


def _figures(console, draft, loaded, target: str, recorded: Path | None) -> None:
    """The recorded-scores file written (none beside a draft sent to a pipe), and what is wrong in the figures."""
    from idsl.io.importer.recorded import findings, has_figures

    if not has_figures(draft):
        return
    if recorded is not None:
        console.print(f"原表记有得分：已写出 {recorded}，复核时用 idsl audit {target} 输入.json --recorded {recorded}。")
    found = findings(draft, loaded, _grade_of(loaded))
    if not found:
        console.print("核对原表的得分：没有发现问题。")
        return
    console.print(f"核对原表的得分：发现 {len(found)} 处问题：")
    for finding in found:
        console.print(f"  {finding.code} {finding.where}：{finding.message}")


def _grade_of(loaded):
    """The grade the draft's 等级 bands give a total (None outside every band), or None without bands."""
    from idsl.engines.evaluate import Env, Failure, build
    from idsl.semantics.lower import lower
    from idsl.semantics.program import lower_grade

    if loaded is None or loaded.spec is None or not loaded.spec.grades:
        return None
    try:
        grade = build(lower_grade(lower(loaded.spec, loaded.sources)))
    except SpecError:
        return None

    def of(total):
        try:
            return grade(Env(lambda field: Fraction(total)))
        except Failure:
            return None
    return of


__all__ = ["command"]
