"""idsl: a compiler for performance-evaluation indicator systems (预算绩效评价指标体系).

    >>> import idsl
    >>> plan = idsl.load("specs/001_肃南县人社局2024部门整体支出.idsl")   # doctest: +SKIP
    >>> result = idsl.score(plan, "examples/001_inputs.json")           # doctest: +SKIP
    >>> result.total, result.grade                                      # doctest: +SKIP
    (Decimal('97.00'), '优')
"""

from __future__ import annotations

from idsl import _start

_start.guard()  # in the `idsl` command, a Ctrl-C outside its work (still importing …) ends with one line, exit 130

__version__ = "0.1.0"

# typing is not imported at start-up: it takes longer than all of this file, and the command should start fast.
TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    from idsl.semantics.model import Plan


def load(path: str | Path) -> "Plan":
    """The scoring model of a spec: a source file (checked, then lowered) or a compiled file (known by its content).

    Raises `idsl.diagnostics.SpecError` carrying every diagnostic when the spec has errors,
    `idsl.io.compiled.CompiledError` for a compiled file that is hand-edited or of an unknown
    schema version, and OSError when the file cannot be read.
    """
    # imported when called: every command imports idsl first, and most need none of these
    from idsl.io.compiled import is_compiled, load as load_compiled
    from idsl.diagnostics import SpecError, count_errors
    from idsl.semantics.lower import lower
    from idsl.frontend.resolve import load as load_source
    from pathlib import Path

    path = Path(path)
    if is_compiled(path):
        return load_compiled(path)
    loaded = load_source(path)
    diagnostics = check_loaded(loaded)
    if loaded.spec is None or count_errors(diagnostics):
        raise SpecError([d for d in diagnostics if d.severity == "error"])
    return lower(loaded.spec, loaded.sources)


def load_as_published(path: str | Path) -> tuple["Plan", tuple]:
    """A spec's model even when it has errors, with its diagnostics: for scoring a published system as
    written (再评价/复核), e.g. `idsl.score(plan, inputs, as_published=diagnostics)`.

    Raises `idsl.diagnostics.SpecError` when the spec cannot be read as a whole: syntax errors
    (E1xx) or imports that fail (E203, E204). A second rule on a leaf is not one of those: the
    first is kept.
    """
    # imported when called, as in load
    from idsl.diagnostics import SpecError
    from idsl.io.compiled import is_compiled
    from idsl.semantics.lower import lower
    from idsl.frontend.resolve import load as load_source
    from pathlib import Path

    if is_compiled(path):  # a compiled file was checked when it was compiled
        return load(path), ()
    loaded = load_source(Path(path))
    fatal = [d for d in loaded.diagnostics if d.severity == "error" and (d.code.startswith("E1") or d.code in _UNREADABLE)]
    if loaded.spec is None or fatal:
        raise SpecError(fatal or [d for d in loaded.diagnostics if d.severity == "error"])
    return lower(loaded.spec, loaded.sources), tuple(check_loaded(loaded))


def score(plan: "Plan", inputs, allow_missing: bool = False, as_published=None):
    """Score inputs with a plan: an `Inputs`, the parsed JSON object, JSON text, or an input file's path.

    `as_published`: the spec's diagnostics, to score a system with errors as published
    (see `load_as_published` and `idsl.engines.python.score`).
    """
    # imported when called, as in load
    from idsl.engines.python import score as run
    from idsl.io.inputs import Inputs, read_inputs
    from pathlib import Path

    if isinstance(inputs, (str, Path)) and not str(inputs).lstrip().startswith("{"):
        inputs = read_inputs(Path(inputs))
    elif not isinstance(inputs, Inputs):
        inputs = read_inputs(inputs)
    return run(plan, inputs, allow_missing=allow_missing, as_published=as_published)


_UNREADABLE = ("E203", "E204")  # a missing or cyclic import: part of the system is not there to score


def check_loaded(loaded) -> list:
    """Every diagnostic of a loaded spec, the checker's included (an import error inside it is a fault to see,
    not a reason to score unchecked)."""
    from idsl.check import check  # imported when called, as in load: `import idsl` starts every command

    return list(check(loaded))


__all__ = ["load", "load_as_published", "check_loaded", "score", "__version__"]
