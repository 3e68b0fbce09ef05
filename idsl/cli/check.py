"""`idsl check`: report the errors and warnings in spec files."""

from __future__ import annotations

import click

from idsl.check import check_file
from idsl.cli._common import echo, make_console, not_utf8, unreadable
from idsl.diagnostics import Diagnostic, SpecError, count_errors, render_gnu, render_human, render_json
from idsl.frontend.source import Source


@click.command("check", short_help="检查体系文件，报告错误和警告。")
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
    help="human：源文摘录，标出出错的位置；gnu：每条一行“文件:行:列”（供编辑器跳转）；json：一个数组（供程序读取）。",
)
@click.option(
    "--max",
    "limit",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    metavar="N",
    help="human 格式最多显示 N 条（0 显示全部）。",
)
@click.pass_context
def command(ctx: click.Context, files: tuple[str, ...], output_format: str, limit: int) -> None:
    """检查体系文件，报告其中的错误和警告：每条都有代码、位置（文件:行:列）、指标和提示。

    退出码：0 没有错误（可以有警告），1 有错误，2 用法错误。

    \b
    示例：
      idsl check specs/001_肃南县人社局2024部门整体支出.idsl
      idsl check --format gnu specs/*.idsl
      idsl check --format json specs/002_阜沙分局2022部门整体自评.idsl > 诊断.json
    """
    diagnostics, sources = _check_all(files)
    if output_format == "json":
        click.echo(render_json(diagnostics))
    elif output_format == "gnu":
        if diagnostics:
            echo(render_gnu(diagnostics))
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
    try:
        found, seen = check_file(path)
    except SpecError as err:
        return list(err.diagnostics), {}
    except UnicodeDecodeError as err:
        raise click.BadParameter(not_utf8(path, err), param_hint="FILE") from err
    except OSError as err:
        raise click.BadParameter(unreadable(path, err), param_hint="FILE") from err
    return list(found), dict(seen)
