"""The `idsl` command line: a click group with one module per command, each imported only when run."""

from __future__ import annotations

import importlib

import click

from idsl import __version__

# Command name → the module defining it as `command`. Importing a module only when its command
# runs keeps `idsl check` from paying for the scorer, the Word renderer and the SQL engine.
COMMANDS = {
    "check": "idsl.cli.check",
    "fmt": "idsl.cli.fmt",
    "test": "idsl.cli.test",
    "compile": "idsl.cli.compile",
    "score": "idsl.cli.score",
    "audit": "idsl.cli.audit",
    "template": "idsl.cli.template",
    "import": "idsl.cli.import_",
}


class _LazyGroup(click.Group):
    """A group that imports a command's module when the command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = COMMANDS.get(name)
        return importlib.import_module(module).command if module else None

    def invoke(self, ctx: click.Context):
        # The library raises WriteError (naming the file) for any file it cannot write; one message, no traceback.
        from idsl.io.files import guarding  # a small module with no dependencies

        try:
            with guarding():  # the command's inputs, named as it reads them, are never written over
                return super().invoke(ctx)
        except OSError as err:
            from idsl.io.files import WriteError

            if isinstance(err, WriteError):
                raise click.ClickException(str(err)) from err
            raise


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="idsl")
def main() -> None:
    """idsl compiles performance-evaluation indicator systems (预算绩效评价指标体系)
    written as text: it checks them, scores them and renders the scoring table.

    \b
    Examples:
      idsl check specs/人社局部门整体.idsl
      idsl check --format gnu specs/*.idsl
      idsl score specs/人社局部门整体.idsl inputs.json --docx 评分表.docx
    """
