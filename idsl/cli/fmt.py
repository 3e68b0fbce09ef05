"""`idsl fmt`: rewrite spec files in canonical form (Chinese keywords, 2-space indentation)."""

from __future__ import annotations

import click

from idsl.cli._common import echo, not_utf8, unreadable
from idsl.diagnostics import render_gnu
from idsl.frontend.parse import parse
from idsl.frontend.keep import Unfaithful, format_checked
from idsl.frontend.printer import Unprintable
from idsl.frontend.resolve import words_imported
from idsl.frontend.source import Source
from idsl.io.files import write_atomic


@click.command("fmt", short_help="把体系文件改写为规范格式。")
@click.argument("files", metavar="FILE...", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--check", "check_only", is_flag=True,
              help="不写文件；有文件不是规范格式时退出码为 1。")
@click.pass_context
def command(ctx: click.Context, files: tuple[str, ...], check_only: bool) -> None:
    """把体系文件改写为规范格式。

    规范格式用中文关键字、全角的（）：，；、每级缩进两个空格、每行一条语句，这样两个人对同一体系
    的修改只在真正不同的地方不同。# 注释原样保留：整行的注释留在它下面那条语句之前（随语句缩进），
    行尾的注释留在那条语句的行尾，块末的注释留在块末；语句之间的空行保留（至多一行）。同义的写法
    照原样保留（列的种类“扣分原因”、“0 分”、各行的“其中：”），跨行的引号文字按原来的行分行。

    退出码：0 每个文件都是（或已改成）规范格式；1 有文件有语法错误，或在 --check 下不是
    规范格式；2 用法错误。

    \b
    示例：
      idsl fmt 我的体系.idsl
      idsl fmt --check specs/*.idsl
    """
    failed = False
    for path in files:
        failed |= not _format_one(path, check_only)
    ctx.exit(1 if failed else 0)


def _format_one(path: str, check_only: bool) -> bool:
    """Format (or check) one file; False when it is left as it was because of a problem."""
    source = _read(path)
    raw = _raw_text(path)
    units, names = words_imported(source)
    spec, diagnostics = parse(source, units, names)
    if spec is None:
        echo(render_gnu(diagnostics), err=True)
        echo(f"{path}：未格式化：请先改正语法错误。", err=True)
        return False
    try:
        text = format_checked(source, spec, units, names)
    except Unprintable as err:
        echo(f"{path}：未格式化：{err}", err=True)
        return False
    except Unfaithful as err:  # never write a file that would mean something else or lose a comment
        echo(f"{path}：未格式化：{err}（这是 idsl fmt 的缺陷，请报告）。", err=True)
        return False
    if check_only:
        if text == raw:
            return True
        echo(f"{path}：不是规范格式；运行 idsl fmt {path} 改写。", err=True)
        return False
    if text == raw:
        echo(f"{path}：已是规范格式", err=True)
        return True
    write_atomic(path, text.encode("utf-8"))
    echo(f"{path}：已格式化", err=True)
    return True


def _read(path: str) -> Source:
    try:
        return Source.read(path)
    except UnicodeDecodeError as err:
        raise click.BadParameter(not_utf8(path, err), param_hint="FILE") from err
    except OSError as err:
        raise click.BadParameter(unreadable(path, err), param_hint="FILE") from err


def _raw_text(path: str) -> str:
    """The file exactly as stored (a BOM or CRLF line ends are not canonical)."""
    with open(path, "rb") as stream:
        return stream.read().decode("utf-8", errors="replace")

