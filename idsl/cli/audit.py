"""`idsl audit`: recompute every recorded score and list those that differ from their rules."""

from __future__ import annotations

import click

from idsl.cli.score import emit, emit_table, run


@click.command("audit")
@click.argument("spec", metavar="SPEC|COMPILED", type=click.Path(exists=True, dir_okay=False))
@click.argument("inputs", metavar="INPUTS.json", type=click.Path(exists=True, dir_okay=False))
@click.option("--recorded", "recorded_path", metavar="FILE", type=click.Path(exists=True, dir_okay=False),
              help="Recorded scores ({\"<leaf>\": 3, …}); default: the inputs' \"recorded\" object.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--allow-missing", is_flag=True, help="Leaves with missing inputs are 未评 instead of errors.")
@click.option("-o", "--output", "output", metavar="FILE", type=click.Path(dir_okay=False),
              help="Write the output to FILE instead of standard output.")
@click.pass_context
def command(ctx: click.Context, spec: str, inputs: str, recorded_path: str | None, output_format: str,
            allow_missing: bool, output: str | None) -> None:
    """Audit recorded scores (复核): score INPUTS.json with SPEC and list only the indicators
    whose recorded score differs from the rule's, with both values, the difference and the
    rule's reason. Same as `idsl score --recorded`, without the full table.

    Exits with 0 when every recorded score follows from its rule, 1 when any differs or the
    inputs have errors.

    \b
    Examples:
      idsl audit specs/002_阜沙分局2022部门整体自评.idsl examples/002_inputs.json
    """
    result = run(spec, inputs, allow_missing, recorded_path)
    if output_format == "json":
        emit(result.to_json(), output)
    else:
        emit_table(result, output, audit_only=True)
        if result.ok:
            click.echo("审核通过：所有记录得分都与规则一致。")
    ctx.exit(0 if result.ok else 1)
