"""`idsl compile`: check a spec and write its compiled form (JSON) for `idsl score`."""

from __future__ import annotations

import click

from idsl.cli._common import make_console, write_atomic
from idsl.cli._plan import load_plan
from idsl.compiled import dumps


@click.command("compile")
@click.argument("spec", metavar="SPEC", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "output", metavar="FILE.json", type=click.Path(dir_okay=False),
              help="Write the compiled spec here (default: standard output).")
def command(spec: str, output: str | None) -> None:
    """Check SPEC and write the compiled spec: versioned JSON carrying the SHA-256 of every
    source file and a fingerprint of the whole plan. `idsl score` accepts it in place of the
    source, so evaluators score with exactly the system that was issued; a compiled file edited
    by hand is refused.

    Exits with 0 when written, 1 when the spec has errors.

    \b
    Examples:
      idsl compile specs/001_肃南县人社局2024部门整体支出.idsl -o 001.compiled.json
      idsl score 001.compiled.json examples/001_inputs.json
    """
    plan = load_plan(spec)
    text = dumps(plan)
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    write_atomic(output, text.encode("utf-8"))
    make_console(stderr=True).print(f"wrote {output} (fingerprint {plan.fingerprint[:16]}…)")
