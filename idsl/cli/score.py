"""`idsl score`: score an evaluator's inputs with a spec (source or compiled) and explain every score."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import attrs
import click
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from idsl.cli._common import clean, docx_output, make_console, text_output
from idsl.cli._wrap import Wrapped
from idsl.io.files import check_outputs, protect, write_atomic
from idsl.cli.batch import ENGINES, batch_or_unit, locate, read_given, score_batch  # issue 5
from idsl.cli._plan import load_plan, load_plan_as_published
from idsl.io.inputs import InputError, read_recorded
from idsl.semantics.numbers import format_percent, format_points
from idsl.semantics.pools import NOT_CHOSEN
from idsl.engines.python import NodeResult, Result, score

_STATUS = {"missing": "未评", "not_applicable": "不适用", "error": "有误"}


@click.command("score", short_help="为一个单位的输入或一张单位表评分。")
@click.argument("spec", metavar="SPEC|COMPILED", type=click.Path(exists=True, dir_okay=False))
@click.argument("inputs", metavar="INPUTS", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table：各指标得分及原因、一级指标小计、总分和等级；json：完整结果（供程序读取）。")
@click.option("--allow-missing", is_flag=True,
              help="只对给出输入的指标评分：缺输入的指标为“未评”，结果标为部分结果，不给总分等级。")
@click.option("--recorded", "recorded_path", metavar="FILE", type=click.Path(exists=True, dir_okay=False),
              help="用规则复核 FILE 中的记录得分（如 {\"<指标>\": 3, …}）；优先于输入文件中的 \"recorded\"。")
@click.option("--as-published", "as_published", is_flag=True,
              help="按原样评分（复核）有错误的体系：错误作为警告列出，没有可用规则的指标为未评，"
                   "得分不按分值封顶。")
@click.option("-o", "--output", "output", metavar="FILE", type=click.Path(dir_okay=False),
              help="把结果写到 FILE，而不是标准输出。")
@click.option("--docx", "docx_path", metavar="FILE.docx", type=click.Path(dir_okay=False),
              help="同时写出填好的 Word 评分表（含得分汇总、评价结论和图表）。")  # issue 4
@click.option("--engine", type=click.Choice(ENGINES), default=None,
              help="批量评分（.csv、.parquet、.xlsx 单位表）所用的引擎：duckdb（默认，内嵌 SQL）、spark"
                   "（pyspark，pip install 'idsl[spark]'）或 python（解释器）；得分相同。")  # issue 5
@click.option("--master", "master", metavar="URL", default=None,
              help="--engine spark 时 Spark 的 master（默认本机 local[*]）。")  # issue 15
@click.pass_context
def command(ctx: click.Context, spec: str, inputs: str, output_format: str, allow_missing: bool,
            recorded_path: str | None, as_published: bool, output: str | None, docx_path: str | None = None, engine: str | None = None,
            master: str | None = None) -> None:
    """用 SPEC（.idsl 体系文件或编译后的 .json）为 INPUTS 评分，列出每个指标的得分和得分原因、
    一级指标小计、总分和等级，以及所用体系的指纹。输入中的记录得分（"recorded"，或 --recorded FILE）
    会被复核：与规则不符的逐条列出。

    --as-published 按原样评分有错误的体系，就像复核（再评价）时按报告自己的规则核对：检查出的错误
    先作为警告列出；没有规则或规则无法计算的指标为未评，并写明缺陷；超出分值的规则照原文计分并标出；
    体系未声明的输入字段被略去并给出警告。语法错误仍然拒绝。

    INPUTS 是 JSON 文件，或 `idsl template` 生成的输入工作簿（错误按单元格指出，如 输入!F12）。
    单位表（.csv、.parquet，或 `idsl template --batch` 生成的 .xlsx）按批量评分：-o 指定结果文件
    （.csv 或 .xlsx；默认 <INPUTS>.results.csv）；每个有误的行按行号、单位和列列出，不评分，并写入
    <结果>.errors.csv（或“错误”工作表）；--engine 选择 SQL 引擎（duckdb，默认）或解释器。

    --allow-missing 给出的是部分结果：缺输入的指标为未评，总分只含已评指标，不评等级。

    退出码：0 一切正常；1 体系或输入有错误，或记录得分与规则不符；2 用法错误。

    \b
    示例：
      idsl score specs/001_肃南县人社局2024部门整体支出.idsl examples/001_inputs.json
      idsl score specs/001_肃南县人社局2024部门整体支出.idsl 001输入表.xlsx
      idsl score specs/001_肃南县人社局2024部门整体支出.idsl examples/batch_001_units.csv -o results.csv
      idsl score 001.compiled.json examples/001_inputs.json --format json -o 001.scores.json
      idsl score specs/002_阜沙分局2022部门整体自评.idsl examples/002_inputs.json --recorded 自评分.json
      idsl score tests/cases/check/bad/002_as_published.idsl examples/002_inputs.json --as-published
    """
    protect(spec, inputs, recorded_path)
    written = {"--docx": docx_path is not None, "--format": output_format == "json",
               "--recorded": recorded_path is not None, "--as-published": as_published,
               "--engine": engine is not None, "--master": master is not None and engine != "spark"}
    if batch_or_unit(spec, inputs, written):  # issue 5: a table of units
        return score_batch(ctx, spec, inputs, output, engine, allow_missing, master)
    check_outputs(output, docx_path)
    text_output(output, "评分结果")
    docx_output(docx_path)
    result = run(spec, inputs, allow_missing, recorded_path, as_published)
    if output_format == "json":
        emit(result.to_json(), output)
        warn_errors(result)
    else:
        emit_table(result, output)
    if docx_path is not None:  # issue 4
        write_docx(spec, result, docx_path, inputs)
    ctx.exit(0 if result.ok else 1)


def warn_errors(result: Result) -> None:
    """Beside a JSON or Markdown result: the spec's errors when scored as published, and the input errors, on stderr."""
    err = make_console(stderr=True)
    if result.as_published:
        render_published(result, err)
    if result.errors:
        render_errors(result.errors, err)


def write_docx(spec: str, result: Result, path: str, inputs: str | None = None) -> None:
    """The filled scoring table, unless the inputs have errors (then nothing is written)."""
    err = make_console(stderr=True)
    if result.errors:
        err.print(clean(f"未写出 {path}：输入有错误。"))
        return
    from idsl.render.docx import render_docx  # lazy: python-docx is slow to import

    plan = load_plan_as_published(spec)[0] if result.as_published else load_plan(spec)
    given = read_given(plan, inputs) if inputs is not None and plan.form is not None else None  # 附1: 实际完成值
    write_atomic(path, render_docx(plan, result, given))
    err.print(clean(f"已写出 {path}") + ("（部分结果：含未评指标，不评等级）" if result.incomplete else ""))


def run(spec: str, inputs: str, allow_missing: bool, recorded_path: str | None, as_published: bool = False) -> Result:
    """Load, read and score (as published: a spec with errors too); bad inputs come back in the result's errors."""
    plan, diagnostics = load_plan_as_published(spec) if as_published else (load_plan(spec), None)
    given = read_given(plan, inputs)  # issue 5: JSON or an input workbook
    recorded = None
    extra: list[InputError] = []
    if recorded_path:
        recorded, extra = read_recorded(Path(recorded_path))
    result = score(plan, given, allow_missing=allow_missing, recorded=recorded, as_published=diagnostics)
    if extra:
        result = attrs.evolve(result.without_total(), errors=result.errors + tuple(extra))
    return locate(result, given)  # issue 5: workbook errors by cell


def emit(text: str, output: str | None) -> None:
    """Write text to the output file (atomically) or standard output."""
    if output and output != "-":
        write_atomic(output, text.encode("utf-8"))
    else:
        click.echo(text, nl=False)


def emit_table(result: Result, output: str | None, audit_only: bool = False) -> None:
    """The human rendering, to the terminal or (plain text) to a file; input errors to stderr, and then
    nothing is written."""
    if result.errors:
        render(result, make_console(stderr=True), audit_only)
        return
    if output and output != "-":
        buffer = io.StringIO()
        console = make_console(file=buffer, width=160, no_color=True, force_terminal=False)
        render(result, console, audit_only)
        write_atomic(output, buffer.getvalue().encode("utf-8"))
    else:
        render(result, make_console(), audit_only)


def render(result: Result, console: Console, audit_only: bool = False) -> None:
    """The spec's errors when scored as published, the input errors (they make the scores unusable),
    then the tree, blocks, summary and audit."""
    if result.as_published:
        render_published(result, console)
    if result.errors:
        render_errors(result.errors, console)
        console.print()
        console.print(Text(f"{len(result.errors)} 处输入错误；改正后再评分。", style="bold red"))
        return
    if not audit_only:
        console.print(_tree_table(result))
        for block in result.blocks:
            console.print(_block_table(block))
        console.print(_summary_table(result))
        console.print(_totals(result))
    render_audit(result, console)


def render_published(result: Result, console: Console) -> None:
    """Scoring as published: the checker's errors, each with its code and indicator, and the inputs left out."""
    console.print(Text(_published_head(result), style="bold yellow"))
    for diagnostic in result.spec_errors:
        line = Text(f"  warning[{diagnostic.code}] ", style="yellow")
        line.append(clean(_where(diagnostic)), style="bold")
        line.append(clean(diagnostic.message))
        if diagnostic.span.line > 0:
            line.append(clean(f"  ({diagnostic.span.gnu()})"), style="dim")
        console.print(line)
    for warning in result.warnings:
        console.print(Text(clean(f"  注：{warning}"), style="dim"))
    console.print()


def _published_head(result: Result) -> str:
    count = len(result.spec_errors)
    head = f"本体系有 {count} 处错误；按原样评分（复核）" if count else "本体系没有错误；按原样评分（复核）"
    return head + "：规则照原文计分，不按分值封顶，无法计分的指标为未评。"


def _where(diagnostic) -> str:
    return " › ".join(diagnostic.path) + "：" if diagnostic.path else ""


def render_markdown(result: Result) -> str:
    """The audit as Markdown (for a report or a README): the spec's errors when scored as published,
    then one table row per recorded score that differs from its rule."""
    lines: list[str] = []
    if result.as_published:
        lines += [_published_head(result), ""]
        lines += [f"- `{d.code}` {_where(d)}{d.message}" for d in result.spec_errors]
        lines += [f"- 注：{w}" for w in result.warnings]
        lines.append("")
    if result.errors:
        lines += [f"{len(result.errors)} 处输入错误；改正后再评分。", ""] + [f"- {e}" for e in result.errors]
    elif result.audit:
        lines += [f"审核：{len(result.audit)} 处记录得分与规则不符", "",
                  "| 指标 | 记录 | 计算 | 差额 | 按规则的得分原因 |", "| --- | ---: | ---: | ---: | --- |"]
        for diff in result.audit:
            cells = (diff.key, _value(diff.recorded), _value(diff.computed), _signed(diff.difference), diff.reason or "")
            lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    else:
        lines.append(PASSED)
    return "\n".join(lines) + "\n"


PASSED = "审核通过：所有记录得分都与规则一致。"


def _cell_order(error) -> tuple:
    """A workbook error's place: its sheet, then the row and the column of its cell (F13 before F14)."""
    found = re.fullmatch(r"([A-Z]+)(\d+)", error.cell or "")
    column, row = (found.group(1), int(found.group(2))) if found else ("", 0)
    return error.sheet or "", row, len(column), column


def render_errors(errors, console: Console) -> None:
    """One line per input error: where, what, and the hint."""
    console.print(Text(f"输入错误（{len(errors)} 处）：", style="bold red"))
    if errors and all(e.cell for e in errors):  # a workbook: in the order of its rows, as the user reads it
        errors = sorted(errors, key=_cell_order)
    for error in errors:
        line = Text("  ✗ ", style="red")
        if error.where:  # the cell (输入!F12) for a workbook, else the indicator and field
            line.append(clean(error.where), style="bold")
            line.append("：")
        line.append(clean(error.text))
        if error.hint:
            line.append(clean(f"  提示：{error.hint}"), style="cyan")
        console.print(line)


def render_audit(result: Result, console: Console) -> None:
    """The recorded scores that differ from the rules, if any were recorded."""
    if not result.audit:
        return
    table = Table(title=f"审核：{len(result.audit)} 处记录得分与规则不符", title_style="bold red", show_lines=True)
    for title, justify in (("指标", "left"), ("记录", "right"), ("计算", "right"), ("差额", "right"), ("按规则的得分原因", "left")):
        table.add_column(title, justify=justify, overflow="fold")
    for diff in result.audit:
        table.add_row(clean(diff.key), clean(_value(diff.recorded)), _value(diff.computed),
                      _signed(diff.difference), Wrapped(clean(diff.reason or "")))
    console.print(table)


def _tree_table(result: Result) -> Table:
    title = clean(result.title + (f"（{result.unit}）" if result.unit else ""))
    table = Table(title=title, show_lines=False, expand=False)
    table.add_column("指标", overflow="fold", no_wrap=False, min_width=12)
    for title in ("分值", "得分", "得分率"):  # numbers never wrap; the text columns fold instead
        table.add_column(title, justify="right", no_wrap=True)
    table.add_column("得分原因", overflow="fold", ratio=3, min_width=30)
    for row in result.nodes:
        # indented as a whole: a name folded onto a second line keeps its level instead of starting at the edge
        name = Padding(Text(clean(row.name), style="bold" if row.kind == "branch" else ""), (0, 0, 0, 2 * (row.level - 1)))
        table.add_row(name, format_points(row.points), _score(row), _rate(row), Wrapped(clean(row.reason or "")))
    return table


def _block_table(block) -> Table:
    verb = "扣分" if block.kind == "penalty" else "加分"
    cap = f"，上限 {format_points(block.cap)} 分" if block.cap is not None else ""
    table = Table(title=clean(f"{block.name}（{verb}{cap}）"))
    table.add_column("指标", overflow="fold")
    table.add_column("上限", justify="right", no_wrap=True)
    table.add_column(verb, justify="right", no_wrap=True)
    table.add_column("原因", overflow="fold", ratio=3, min_width=30)
    for item in block.items:
        table.add_row(clean(item.name), format_points(item.points), _score(item), Wrapped(clean(item.reason or "")))
    table.add_row(Text("小计", style="bold"), "", format_points(block.total), clean(block.note or ""))
    return table


def _summary_table(result: Result) -> Table:
    table = Table(title="一级指标得分")
    for title in ("一级指标", "分值", "得分", "得分率"):
        table.add_column(title, justify="left" if title == "一级指标" else "right", no_wrap=title != "一级指标",
                         overflow="fold")
    for row in result.nodes:
        if row.level == 1:  # named as in the report's summary table (汇总名称: 部门决策 for 决策)
            table.add_row(clean(result.label(row.name)), format_points(row.points), _score(row), _rate(row))
    subtotal_rate = (format_percent(result.subtotal / result.total_points)
                     if result.subtotal is not None and result.total_points else "")
    table.add_row(Text("合计（部分结果）" if result.incomplete else "合计", style="bold"), format_points(result.total_points),
                  _value(result.subtotal), subtotal_rate)
    return table


def _totals(result: Result) -> Text:
    text = Text()
    if result.blocks:
        text.append(f"小计 {_value(result.subtotal)}")
        for block in result.blocks:
            sign = "" if not block.total else "−" if block.kind == "penalty" else "+"  # nothing moved: 0, unsigned
            text.append(clean(f"  {block.name} {sign}{format_points(block.total)}"))
        text.append("\n")
    text.append("总分（部分结果） " if result.incomplete else "总分 ", style="bold")
    text.append(_value(result.total), style="bold")
    text.append("    等级 ", style="bold")
    text.append("不评（部分结果）" if result.incomplete else result.grade or "—", style="bold")
    for name, value in result.consequences:  # 结果 付费比例
        text.append(clean(f"    {name} {value or '—'}"), style="bold")
    if result.incomplete:  # counted by leaf and item: a branch is 未评 only because its leaves are
        missing = sum(1 for row in result.nodes if row.status == "missing" and row.kind != "branch")
        missing += sum(1 for block in result.blocks for item in block.items if item.status == "missing")
        text.append(f"\n部分结果：{missing} 项未评，总分只含已评指标，不评等级。", style="yellow")
    if result.total_note:
        text.append("\n" + clean(result.total_note))
    text.append(f"\n体系指纹 sha256:{result.fingerprint}", style="dim")
    return text


def _score(row: NodeResult) -> str:
    if row.status == "not_applicable" and (row.reason or "").startswith(NOT_CHOSEN):  # 择一: an alternative left out
        return NOT_CHOSEN
    if row.status in _STATUS and row.score is None:
        return _STATUS[row.status]
    return format_points(row.score) if row.score is not None else ""


def _rate(row: NodeResult) -> str:
    return format_percent(row.rate / 100) if row.rate is not None else ""


def _value(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return format_points(value)
    return str(value)


def _signed(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format_points(value)
    return text if value < 0 else "+" + text
