"""`idsl audit`: recompute every recorded score and list those that differ from their rules."""

from __future__ import annotations

import click

from idsl.cli._common import echo, text_output
from idsl.io.files import check_outputs, protect
from idsl.cli.batch import batch_or_unit
from idsl.cli.score import PASSED, emit, emit_table, render_markdown, run, warn_errors


NOTHING_RECORDED = ("没有记录得分可复核：{inputs} 中没有 \"recorded\"（如 {{\"<指标>\": 3, \"总分\": 92}}；"
                    "工作簿是“记录得分”一列），也没有用 --recorded FILE 给出。只要得分，请用 `idsl score`。")
# A table of units was read as JSON ("不是合法的 JSON") or as an input workbook without its 输入 sheet.
A_BATCH = ("{inputs} 是单位表（一行一个单位）；idsl audit 复核一个单位的输入（JSON 或输入工作簿）。单位表的复核用 "
           "idsl score SPEC {inputs} -o 结果.csv：每个写了“<指标>.记录得分”的指标，结果里有“<指标>.差异”一列"
           "（记录 − 计算，相符时为空）。")


@click.command("audit", short_help="复核记录得分：只列出与规则不符的。")
@click.argument("spec", metavar="SPEC|COMPILED", type=click.Path(exists=True, dir_okay=False))
@click.argument("inputs", metavar="INPUTS.json", type=click.Path(exists=True, dir_okay=False))
@click.option("--recorded", "recorded_path", metavar="FILE", type=click.Path(exists=True, dir_okay=False),
              help="记录得分（如 {\"<指标>\": 3, …}）；默认取输入文件中的 \"recorded\"。")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "markdown"]), default="table",
              show_default=True, help="table：在终端查看；json：完整结果（供程序读取）；markdown：写入报告。")
@click.option("--allow-missing", is_flag=True, help="缺输入的指标为未评（部分结果），而不作为错误。")
@click.option("--as-published", "as_published", is_flag=True,
              help="按原样（复核）对照有错误的体系核对记录得分：见 `idsl score --help`。")
@click.option("-o", "--output", "output", metavar="FILE", type=click.Path(dir_okay=False),
              help="把结果写到 FILE，而不是标准输出。")
@click.pass_context
def command(ctx: click.Context, spec: str, inputs: str, recorded_path: str | None, output_format: str,
            allow_missing: bool, as_published: bool, output: str | None) -> None:
    """复核记录得分：用 SPEC 为 INPUTS.json 评分，只列出记录得分与规则所得不符的指标，
    给出两个分数、差额和按规则的得分原因。与 `idsl score --recorded` 相同，但不打印完整的得分表。

    --as-published 对照原样发布（含错误）的体系核对：原规则给不出的记录得分逐条列出
    （规则无法计分的指标，计算值显示为 —）。

    退出码：0 每个记录得分都与规则一致；1 有不符，或输入有错误；2 用法错误（包括没有任何记录得分可复核）。

    \b
    示例：
      idsl audit specs/002_阜沙分局2022部门整体自评.idsl examples/002_inputs.json
      idsl audit tests/cases/check/bad/002_as_published.idsl examples/002_inputs.json --as-published
    """
    protect(spec, inputs, recorded_path)
    if batch_or_unit(spec, inputs, {}):
        raise click.UsageError(A_BATCH.format(inputs=inputs))
    check_outputs(output)
    text_output(output, "复核结果")
    result = run(spec, inputs, allow_missing, recorded_path, as_published)
    # Nothing to compare: "审核通过" would vouch for scores nobody recorded. Input errors come first (an
    # unreadable file has no "recorded" either, and its one problem is what the user must see).
    if not result.audited and not result.errors:
        raise click.UsageError(NOTHING_RECORDED.format(inputs=inputs))
    if output_format == "json":
        emit(result.to_json(), output)
        warn_errors(result)
    elif output_format == "markdown":
        emit(render_markdown(result), output)
        if result.errors:
            warn_errors(result)
    else:
        emit_table(result, output, audit_only=True)
        if result.ok:
            echo(PASSED)
    ctx.exit(0 if result.ok else 1)
