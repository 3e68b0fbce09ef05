"""`idsl fmt`: rewrite spec files in canonical form (Chinese keywords, 2-space indentation)."""

from __future__ import annotations

import click

from idsl.diagnostics import render_gnu
from idsl.frontend.parse import parse
from idsl.frontend.printer import Unprintable, comment_lines, format_spec
from idsl.frontend.source import Source
from idsl.io.files import write_atomic


@click.command("fmt")
@click.argument("files", metavar="FILE...", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; exit 1 if a file is not in canonical form.")
@click.option("--force", is_flag=True, help="Format even a file with # comments (the comments are lost).")
@click.pass_context
def command(ctx: click.Context, files: tuple[str, ...], check_only: bool, force: bool) -> None:
    """Rewrite spec files in canonical form.

    The canonical form uses the Chinese keywords, full-width （）：，；, two spaces per level and
    one statement per line, so that two people's edits of a spec differ only where they differ.
    Comments are not kept: a file with # comments is refused unless --force is given.

    Exits with 0 when every file is (or now is) canonical, 1 when a file has syntax errors, has
    comments (without --force), or, with --check, is not canonical.

    \b
    Examples:
      idsl fmt specs/人社局部门整体.idsl
      idsl fmt --check specs/*.idsl
    """
    failed = False
    for path in files:
        failed |= not _format_one(path, check_only, force)
    ctx.exit(1 if failed else 0)


def _format_one(path: str, check_only: bool, force: bool) -> bool:
    """Format (or check) one file; False when it is left as it was because of a problem."""
    source = _read(path)
    raw = _raw_text(path)
    spec, diagnostics = parse(source)
    if spec is None:
        click.echo(render_gnu(diagnostics), err=True)
        click.echo(f"{path}: not formatted: fix the syntax errors first.", err=True)
        return False
    try:
        text = format_spec(spec)
    except Unprintable as err:
        click.echo(f"{path}: not formatted: {err}", err=True)
        return False
    again, _ = parse(Source(path, text))
    if again != spec:  # the printer's promise; never write a file that would mean something else
        click.echo(f"{path}: not formatted: the canonical form would change the spec (a bug in idsl fmt).",
                   err=True)
        return False
    comments = comment_lines(source.text)
    if check_only:
        if text == raw:
            return True
        why = f" (its comments on lines {_lines(comments)} would be lost)" if comments else ""
        click.echo(f"{path}: not in canonical form{why}; run idsl fmt {path}", err=True)
        return False
    if comments and not force:
        click.echo(f"{path}: has comments on lines {_lines(comments)}, which idsl fmt would drop; "
                   f"not formatted. Use --force to format anyway.", err=True)
        return False
    if text == raw:
        click.echo(f"{path}: already canonical", err=True)
        return True
    write_atomic(path, text.encode("utf-8"))
    click.echo(f"{path}: formatted", err=True)
    return True


def _read(path: str) -> Source:
    try:
        return Source.read(path)
    except UnicodeDecodeError as err:
        raise click.BadParameter(f"{path} is not UTF-8 text ({err.reason})", param_hint="FILE") from err
    except OSError as err:
        raise click.BadParameter(f"cannot read {path}: {err.strerror or err}", param_hint="FILE") from err


def _raw_text(path: str) -> str:
    """The file exactly as stored (a BOM or CRLF line ends are not canonical)."""
    with open(path, "rb") as stream:
        return stream.read().decode("utf-8", errors="replace")


def _lines(numbers: list[int]) -> str:
    shown = "、".join(str(n) for n in numbers[:5])
    return shown + (f" … ({len(numbers)} in all)" if len(numbers) > 5 else "")
