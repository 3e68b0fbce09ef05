"""The `idsl` command line: a click group with one module per command, each imported only when run."""

from __future__ import annotations

import importlib

import click

from idsl import __version__
from idsl._start import EXIT_INTERRUPTED, INTERRUPTED, working
from idsl.cli import _messages
from idsl.io.files import WriteError, guarding

_messages.install()  # before the decorators below, which look up the help of --version

# Command name → the module defining it as `command`. Importing a module only when its command
# runs keeps `idsl check` from paying for the scorer, the Word renderer and the SQL engine.
COMMANDS = {
    "new": "idsl.cli.new",
    "check": "idsl.cli.check",
    "fmt": "idsl.cli.fmt",
    "test": "idsl.cli.test",
    "compile": "idsl.cli.compile",
    "score": "idsl.cli.score",
    "audit": "idsl.cli.audit",
    "template": "idsl.cli.template",
    "import": "idsl.cli.import_",
    "serve": "idsl.cli.serve",
    "lsp": "idsl.cli.lsp",
}


class _LazyGroup(click.Group):
    """A group that imports a command's module when the command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:  # a typo: name the command meant
            import difflib  # only a mistyped command needs it, and every command starts here

            close = difflib.get_close_matches(name, list(COMMANDS), n=1, cutoff=0.6)
            if close:
                ctx.fail(f"没有命令 {name!r}。是不是 {close[0]}？")
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = COMMANDS.get(name)
        return importlib.import_module(module).command if module else None

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except KeyboardInterrupt:  # while the arguments are read: as in `invoke`, not click's "Aborted!"
            click.echo(INTERRUPTED, err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None

    def invoke(self, ctx: click.Context):
        # The library raises WriteError (naming the file) for any file it cannot write; one message, no traceback.
        try:
            with guarding(), working():  # inputs are never written over; Ctrl-C is KeyboardInterrupt here
                return super().invoke(ctx)
        except KeyboardInterrupt:  # outputs were replaced whole or not at all (idsl.io.files)
            click.echo(INTERRUPTED, err=True)
            ctx.exit(EXIT_INTERRUPTED)  # 130, as a shell reports it
        except RuntimeError as err:
            if not _caused_by_interrupt(err):
                raise
            click.echo(INTERRUPTED, err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except OSError as err:
            if isinstance(err, WriteError):
                raise click.ClickException(str(err)) from err
            raise


def _caused_by_interrupt(err: BaseException) -> bool:
    """Whether a Ctrl-C is behind this error: Python wraps a KeyboardInterrupt raised while a class is
    created (a module imported on demand, such as the parser's) in a RuntimeError of `__set_name__`."""
    seen: set[int] = set()
    cause: BaseException | None = err
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="idsl")
def main() -> None:
    """idsl：预算绩效评价指标体系的编译器。体系写成文本，idsl 检查它、为它评分、生成评分表。

    退出码：0 正常；1 体系或数据有错误；2 用法错误；130 被 Ctrl-C 中止。

    \b
    示例：
      idsl check specs/001_肃南县人社局2024部门整体支出.idsl
      idsl check --format gnu specs/*.idsl
      idsl score specs/001_肃南县人社局2024部门整体支出.idsl examples/001_inputs.json --docx 评分表.docx
      idsl fmt --check specs/*.idsl
    """
