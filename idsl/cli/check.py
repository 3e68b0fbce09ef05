"""`idsl check`: report the errors and warnings in spec files."""

from __future__ import annotations

import click

from idsl.cli._common import make_console
from idsl.diagnostics import Diagnostic, SpecError, count_errors, render_gnu, render_human, render_json
from idsl.frontend.source import Source


@click.command("check")
@click.argument(
    "files",
    metavar="FILE...",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False),
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["human", "gnu", "json"]),
    default="human",
    show_default=True,
    help="human: excerpts with the span underlined; gnu: file:line:col one-liners; json: an array.",
)
@click.option(
    "--max",
    "limit",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    metavar="N",
    help="Show at most N diagnostics in human format (0 shows all).",
)
@click.pass_context
def command(ctx: click.Context, files: tuple[str, ...], output_format: str, limit: int) -> None:
    """Check spec files and report their errors and warnings.

    Exits with 0 when there are no errors (warnings are allowed), 1 when there are errors.

    \b
    Examples:
      idsl check specs/人社局部门整体.idsl
      idsl check --format gnu specs/*.idsl
      idsl check --format json 项目支出.idsl > 诊断.json
    """
    diagnostics, sources = _check_all(files)
    if output_format == "json":
        click.echo(render_json(diagnostics))
    elif output_format == "gnu":
        if diagnostics:
            click.echo(render_gnu(diagnostics))
    else:
        render_human(diagnostics, sources, make_console(), limit)
    ctx.exit(1 if count_errors(diagnostics) else 0)


def _check_all(files: tuple[str, ...]) -> tuple[list[Diagnostic], dict[str, Source]]:
    """Every file's diagnostics together, and every source they point into."""
    diagnostics: list[Diagnostic] = []
    sources: dict[str, Source] = {}
    for path in files:
        found, seen = _check_one(path)
        diagnostics.extend(found)
        sources.update(seen)
    return diagnostics, sources


def _check_one(path: str) -> tuple[list[Diagnostic], dict[str, Source]]:
    # Imported here so `idsl --help` and the other commands do not pay for loading the checker.
    from idsl.check import check_file

    try:
        found, seen = check_file(path)
    except SpecError as err:
        return list(err.diagnostics), {}
    except UnicodeDecodeError as err:
        raise click.BadParameter(f"{path} is not UTF-8 text ({err.reason})", param_hint="FILE") from err
    except OSError as err:
        raise click.BadParameter(f"cannot read {path}: {err.strerror or err}", param_hint="FILE") from err
    return list(found), dict(seen)
