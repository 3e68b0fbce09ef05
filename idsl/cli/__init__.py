"""The `idsl` command line: a click group with one module per command."""

from __future__ import annotations

import click

from idsl import __version__
from idsl.cli import check
from idsl.cli import audit, compile, score, test  # issue 3: compile, score, test, audit


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="idsl")
def main() -> None:
    """idsl compiles performance-evaluation indicator systems (预算绩效评价指标体系)
    written as text: it checks them, scores them and renders the scoring table.

    \b
    Examples:
      idsl check specs/人社局部门整体.idsl
      idsl check --format gnu specs/*.idsl
    """


main.add_command(check.command)
main.add_command(__import__("idsl.cli.fmt", fromlist=["command"]).command)  # idsl fmt
list(map(main.add_command, (compile.command, score.command, test.command, audit.command)))  # issue 3
main.add_command(__import__("idsl.cli.template", fromlist=["command"]).command)  # issue 5
