"""Loading a plan for the commands that score: a source spec (checked) or a compiled file."""

from __future__ import annotations

import click

from idsl import check_loaded, load_as_published
from idsl.cli._common import clean, make_console, not_utf8, unreadable
from idsl.io.compiled import CompiledError, is_compiled
from idsl.io.compiled import load as load_compiled
from idsl.io.files import protect
from idsl.diagnostics import Diagnostic, SpecError, count_errors, render_human
from idsl.semantics.lower import lower
from idsl.semantics.model import Plan
from idsl.frontend.resolve import load as load_source


class SpecFailed(click.exceptions.Exit):
    """The spec has errors (already shown): exit 1."""

    def __init__(self) -> None:
        super().__init__(1)


def load_plan_as_published(path: str) -> tuple[Plan, tuple[Diagnostic, ...]]:
    """The plan of SPEC even when it has errors, with its diagnostics; syntax and import errors still refuse."""
    protect(path)
    not_a_table(path)
    if _compiled(path):
        return load_plan(path), ()
    try:
        return load_as_published(path)
    except SpecError as error:
        err = make_console(stderr=True)
        render_human(error.diagnostics, _sources(path), err)
        err.print(clean(f"{path}：体系有语法错误，无法解析，即使按原样（复核）也不能评分。"))
        raise SpecFailed() from None
    except UnicodeDecodeError as error:
        raise click.BadParameter(not_utf8(path, error), param_hint="SPEC") from None
    except OSError as error:
        raise click.BadParameter(unreadable(path, error), param_hint="SPEC") from None


_TABLES = (".csv", ".xlsx", ".xls", ".parquet", ".docx")


def not_a_table(path: str) -> None:
    """A table or workbook where SPEC goes is the arguments swapped: a usage error saying the order, not the
    table read as a spec (E106 on its first comma) or as text that is not UTF-8."""
    if path.lower().endswith(_TABLES):
        raise click.BadParameter(f"{path} 是表格或工作簿，不是体系：先写体系（.idsl，或编译后的 .json），再写输入，"
                                 "例如 idsl score 体系.idsl 单位表.csv。", param_hint="SPEC")


def _compiled(path: str) -> bool:
    """Whether SPEC is a compiled file; a .json file that is neither a compiled file nor a spec exits 1."""
    try:
        return is_compiled(path)
    except CompiledError as error:
        make_console(stderr=True).print(clean(f"错误：{error}"))
        raise SpecFailed() from None
    except OSError as error:
        raise click.BadParameter(unreadable(path, error), param_hint="SPEC") from None


def _sources(path: str) -> dict:
    try:
        return load_source(path).sources
    except (OSError, UnicodeDecodeError):
        return {}


def load_plan(path: str) -> Plan:
    """The plan of SPEC: a compiled file (verified) or a spec's source (checked; errors shown, then exit 1).

    Which one SPEC is comes from its content, not its name: `idsl compile s.idsl -o s.compiled` then
    `idsl score s.compiled …` works.
    """
    err = make_console(stderr=True)
    protect(path)
    not_a_table(path)
    if _compiled(path):
        try:
            return load_compiled(path)
        except CompiledError as error:
            err.print(clean(f"错误：{error}"))
            raise SpecFailed() from None
        except OSError as error:
            raise click.BadParameter(unreadable(path, error), param_hint="SPEC") from None
    try:
        loaded = load_source(path)
    except UnicodeDecodeError as error:
        raise click.BadParameter(not_utf8(path, error), param_hint="SPEC") from None
    except OSError as error:
        raise click.BadParameter(unreadable(path, error), param_hint="SPEC") from None
    protect(*loaded.sources)  # the imports too: no output may replace them
    diagnostics = check_loaded(loaded)
    errors = [d for d in diagnostics if d.severity == "error"]
    if loaded.spec is None or count_errors(diagnostics):
        render_human(errors, loaded.sources, err)
        err.print(clean(f"{path}：体系有错误，改正后再运行（详见 idsl check {path}）。"))
        raise SpecFailed()
    return lower(loaded.spec, loaded.sources)
