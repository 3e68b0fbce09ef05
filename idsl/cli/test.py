"""`idsl test`: run the worked examples (示例) written inside a spec."""

from __future__ import annotations

import click
from rich.text import Text

from idsl.cli._common import make_console
from idsl.cli._plan import load_plan
from idsl.engines.worked import run_examples


@click.command("test")
@click.argument("specs", metavar="SPEC...", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def command(ctx: click.Context, specs: tuple[str, ...]) -> None:
    """Run the worked examples (示例) of each SPEC: score their inputs and compare every
    `期望` with the result. Leaves an example does not set are 未评 and left out of its totals.

    Exits with 0 when every expectation holds, 1 when any fails (or a spec has errors).

    \b
    Examples:
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
                console.print(Text.assemble(("PASS ", "bold green"), f"{spec} 示例“{report.name}”"))
                continue
            failed += 1
            console.print(Text.assemble(("FAIL ", "bold red"), f"{spec} 示例“{report.name}”"))
            for failure in report.failures:
                console.print(Text.assemble("  ", (failure.span.gnu(), "bold"), ": ", failure.message))
        if not plan.examples:
            console.print(Text(f"{spec}: 没有示例", style="yellow"))
    summary = f"{passed} passed, {failed} failed"
    console.print(Text(summary, style="bold red" if failed else "bold green"))
    ctx.exit(1 if failed else 0)
