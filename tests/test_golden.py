"""Golden files per stage, keyed by stem (`pytest --regen` rewrites them; review the diff).

- tests/cases/parse/<stem>.idsl → <stem>.ast: the AST without spans (tests/golden.py's dump);
  every parse case also prints back to an equal tree.
- tests/cases/check/good/<stem>.idsl → <stem>.diag: no errors; any warnings in gnu format.
- tests/cases/check/bad/<stem>.idsl → <stem>.diag: the diagnostics in gnu format. A stem that
  starts with a code (E302_…, W507_…) must report that code, and every code of the table has one.
"""

from __future__ import annotations

import re

import pytest

from golden import CASES, ROOT, compare, dump, relative
from idsl.check import check
from idsl.diagnostics import CODES, count_errors, render_gnu
from idsl.frontend.parse import parse
from idsl.frontend.printer import format_spec
from idsl.frontend.resolve import load
from idsl.frontend.source import Source

PARSE = sorted((CASES / "parse").glob("*.idsl"))
GOOD = sorted((CASES / "check" / "good").glob("*.idsl"))
BAD = sorted((CASES / "check" / "bad").glob("*.idsl"))
SPECS = sorted((ROOT / "specs").glob("*.idsl"))
_CODE_STEM = re.compile(r"([EW]\d{3})_")

# The same spec written two ways must parse to equal trees.
EQUAL_PAIRS = [("keywords_zh", "keywords_en"), ("punctuation_fullwidth", "punctuation_ascii")]


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch):
    """Paths in diagnostics (and imports) are relative to the repository root."""
    monkeypatch.chdir(ROOT)


def _ids(paths):
    return [p.stem for p in paths]


def _parsed(case):
    spec, diagnostics = parse(Source.read(relative(case)))
    assert spec is not None and diagnostics == [], render_gnu(diagnostics)
    return spec


# ---------------------------------------------------------------- parse


@pytest.mark.parametrize("case", PARSE, ids=_ids(PARSE))
def test_parse_golden(case, regen):
    compare(dump(_parsed(case)), case.with_suffix(".ast"), regen)


@pytest.mark.parametrize("case", PARSE, ids=_ids(PARSE))
def test_parse_case_prints_back_to_the_same_tree(case):
    spec = _parsed(case)
    text = format_spec(spec)
    again, diagnostics = parse(Source("printed.idsl", text))
    assert diagnostics == [] and again == spec, text
    assert format_spec(again) == text  # canonical: printing is idempotent


@pytest.mark.parametrize("first,second", EQUAL_PAIRS)
def test_same_spec_two_spellings_parse_equal(first, second):
    assert _parsed(CASES / "parse" / f"{first}.idsl") == _parsed(CASES / "parse" / f"{second}.idsl")


def test_parse_cases_cover_every_construct():
    stems = {p.stem for p in PARSE}
    wanted = {"header", "grades", "inputs", "derived", "questionnaire", "specials", "rule_parts", "not_applicable",
              "penalties", "bonuses", "layout", "examples", "imports", "keywords_zh", "keywords_en",
              "punctuation_fullwidth", "punctuation_ascii"}
    wanted |= {f"rule_{kind}" for kind in ("checklist", "formula", "bands", "deviation", "per_finding", "choice",
                                           "discretionary", "target")}
    assert wanted <= stems, sorted(wanted - stems)


# ---------------------------------------------------------------- check


@pytest.mark.parametrize("case", GOOD, ids=_ids(GOOD))
def test_check_good(case, regen):
    diagnostics = check(load(relative(case)))
    assert count_errors(diagnostics) == 0, render_gnu(diagnostics)
    compare(render_gnu(diagnostics), case.with_suffix(".diag"), regen)


@pytest.mark.parametrize("case", BAD, ids=_ids(BAD))
def test_check_bad(case, regen):
    diagnostics = check(load(relative(case)))
    assert diagnostics, "a bad case must report something"
    compare(render_gnu(diagnostics), case.with_suffix(".diag"), regen)


CODED = [p for p in BAD if _CODE_STEM.match(p.name)]


@pytest.mark.parametrize("case", CODED, ids=_ids(CODED))
def test_bad_case_reports_its_code(case):
    code = _CODE_STEM.match(case.name).group(1)
    diagnostics = check(load(relative(case)))
    assert code in {d.code for d in diagnostics}, render_gnu(diagnostics)


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_has_a_bad_case(code):
    assert any(p.name.startswith(code + "_") for p in BAD), f"no tests/cases/check/bad/{code}_*.idsl"


@pytest.mark.parametrize("spec", SPECS, ids=_ids(SPECS))
def test_specs_check_without_errors(spec):
    diagnostics = check(load(relative(spec)))
    assert count_errors(diagnostics) == 0, render_gnu(diagnostics)


@pytest.mark.parametrize("spec", SPECS, ids=_ids(SPECS))
def test_specs_print_back_to_the_same_tree(spec):
    tree = _parsed(spec)
    assert parse(Source("printed.idsl", format_spec(tree)))[0] == tree
