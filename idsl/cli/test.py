"""`idsl test`: run the worked examples (示例) written inside a spec."""

from __future__ import annotations

import click
from rich.text import Text

from idsl.cli._common import clean, make_console
from idsl.cli._plan import load_plan
from idsl.engines.worked import run_examples


@click.command("test", short_help="运行体系中的示例，核对期望。")
@click.argument("specs", metavar="SPEC...", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def command(ctx: click.Context, specs: tuple[str, ...]) -> None:
    """运行每个 SPEC 中写的示例（示例）：按示例的输入评分，逐条核对“期望”。示例没有给出输入的
    指标为未评，不计入其合计。

    退出码：0 所有期望都成立；1 有期望不成立（或体系有错误）；2 用法错误。

    \b
    示例：
      idsl test specs/001_肃南县人社局2024部门整体支出.idsl
      idsl test specs/*.idsl
    """
    console = make_console()
    passed = failed = 0
    for spec in specs:
        plan = load_plan(spec)
        for report in run_examples(plan):
            if report.passed:
                passed += 1
                console.print(Text.assemble(("通过 ", "bold green"), clean(f"{spec} 示例“{report.name}”")))
                continue
            failed += 1
            console.print(Text.assemble(("失败 ", "bold red"), clean(f"{spec} 示例“{report.name}”")))
            for failure in report.failures:
                console.print(Text.assemble("  ", (clean(failure.span.gnu()), "bold"), "：", clean(failure.message)))
        if not plan.examples:
            console.print(Text(clean(f"{spec}：没有示例"), style="yellow"))
    summary = f"{passed} 个通过，{failed} 个失败"
    console.print(Text(summary, style="bold red" if failed else "bold green"))
    ctx.exit(1 if failed else 0)
