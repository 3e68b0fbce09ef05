"""细化 across two files: the interpreter, the SQL engine and the checker agree with each other and with grammar/README.md.

A spec drawn by tests/spec_gen.py is written as the imported file, and a second file refines one of its leaves
into children of their own rules (tests/spec_gen_refine.py). The merged spec is judged as
tests/test_engine_equivalence.py judges a single file (`verify`: the interpreter against the reference's
scores, the DuckDB and Python batches against the interpreter, every score within the checker's bounds);
children whose points do not add up to the refined leaf's are E109.

Examples: a quarter of tests/test_engine_equivalence.py's (IDSL_EQUIV_EXAMPLES), at least 25.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import spec_gen_refine
from hypothesis import assume, given, settings
from test_engine_equivalence import EXAMPLES, INCLUDED, SETTINGS, verify

from idsl.check import check
from idsl.diagnostics import count_errors
from idsl.frontend.resolve import load


@settings(SETTINGS, max_examples=max(EXAMPLES // 4, 25))
@given(case=spec_gen_refine.refine_cases(INCLUDED))
def test_refined_specs_agree_across_engines_checker_and_grammar(case):
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / spec_gen_refine.BASE_FILE).write_text(case.base, encoding="utf-8")
        (Path(folder) / "某省.idsl").write_text(case.text, encoding="utf-8")
        loaded = load(Path(folder) / "某省.idsl")
        diagnostics = check(loaded)
    codes = {d.code for d in diagnostics}
    assume(loaded.spec is not None and "E101" not in codes)  # a line the generator wrote that does not parse
    if case.off:
        assert "E109" in codes, (case, [str(d) for d in diagnostics])
        return
    assert "E109" not in codes, (case, [str(d) for d in diagnostics])
    assume(count_errors(diagnostics) == 0)
    verify(case, loaded)
