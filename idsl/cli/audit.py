"""`idsl audit`: recompute every recorded score and list those that differ from their rules."""

from __future__ import annotations

import click

from idsl.cli._common import make_console
from idsl.io.files import check_outputs, protect
from idsl.cli.score import PASSED, emit, emit_table, render_markdown, render_published, run


@click.command("audit")
@click.argument("spec", metavar="SPEC|COMPILED", type=click.Path(exists=True, dir_okay=False))
@click.argument("inputs", metavar="INPUTS.json", type=click.Path(exists=True, dir_okay=False))
@click.option("--recorded", "recorded_path", metavar="FILE", type=click.Path(exists=True, dir_okay=False),
              help="Recorded scores ({\"<leaf>\": 3, …}); default: the inputs' \"recorded\" object.")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "markdown"]), default="table",
              show_default=True, help="table: for the terminal; json: the whole result; markdown: for a report.")
@click.option("--allow-missing", is_flag=True, help="Leaves with missing inputs are 未评 instead of errors.")
@click.option("--as-published", "as_published", is_flag=True,
              help="Audit against a system that has errors, as published (复核): see `idsl score --help`.")
@click.option("-o", "--output", "output", metavar="FILE", type=click.Path(dir_okay=False),
              help="Write the output to FILE instead of standard output.")
@click.pass_context
def command(ctx: click.Context, spec: str, inputs: str, recorded_path: str | None, output_format: str,
            allow_missing: bool, as_published: bool, output: str | None) -> None:
    """Audit recorded scores (复核): score INPUTS.json with SPEC and list only the indicators
    whose recorded score differs from the rule's, with both values, the difference and the
    rule's reason. Same as `idsl score --recorded`, without the full table.

    With --as-published, the recorded scores are checked against the system as published,
    errors and all: each recorded score the published rule does not give is listed (a leaf
    the rule cannot score shows — as its computed value).

    Exits with 0 when every recorded score follows from its rule, 1 when any differs or the
    inputs have errors.

    \b
    Examples:
      idsl audit specs/002_阜沙分局2022部门整体自评.idsl examples/002_inputs.json
      idsl audit tests/cases/check/bad/002_as_published.idsl examples/002_inputs.json --as-published
    """
    protect(spec, inputs, recorded_path)
    check_outputs(output)
    result = run(spec, inputs, allow_missing, recorded_path, as_published)
    if output_format == "json":
        emit(result.to_json(), output)
        if result.as_published:
            render_published(result, make_console(stderr=True))
    elif output_format == "markdown":
        emit(render_markdown(result), output)
    else:
        emit_table(result, output, audit_only=True)
        if result.ok:
            click.echo(PASSED)
    ctx.exit(0 if result.ok else 1)
