"""Golden scores: tests/cases/score/<stem>.idsl + <stem>.inputs.json → <stem>.scores.json, and the
rule-kind examples examples/kinds/<stem>.idsl + <stem>_inputs.json → tests/cases/score/kinds/<stem>.scores.json;
inputs with errors under tests/cases/score/errors/, whose JSON result has no total.

Run `pytest --regen` to rewrite the .scores.json files from the current output; review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from golden import compare

import idsl
from idsl.io.inputs import read_inputs

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases" / "score"
ERRORS = CASES / "errors"
KINDS = ROOT / "examples" / "kinds"


def _cases() -> list[tuple[str, Path, Path, Path]]:
    found = []
    for spec in sorted(CASES.glob("*.idsl")):
        found.append((spec.stem, spec, spec.with_suffix(".inputs.json"), spec.with_suffix(".scores.json")))
    for spec in sorted(KINDS.glob("*.idsl")):
        found.append((f"kinds/{spec.stem}", spec, spec.with_name(f"{spec.stem}_inputs.json"),
                      CASES / "kinds" / f"{spec.stem}.scores.json"))
    return found


@pytest.mark.parametrize("stem,spec,inputs,golden", _cases(), ids=[c[0] for c in _cases()])
def test_scores_match_golden(stem, spec, inputs, golden, regen, monkeypatch):
    monkeypatch.chdir(ROOT)  # spans and fingerprints name files relative to the repository
    plan = idsl.load(spec.relative_to(ROOT))
    result = idsl.score(plan, read_inputs(inputs))
    assert not result.errors, [str(e) for e in result.errors]
    text = result.to_json()
    if regen or not golden.exists():
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
        if not regen:
            pytest.fail(f"wrote the missing golden file {golden.relative_to(ROOT)}; review it and run again")
    assert text == golden.read_text(encoding="utf-8")


def test_every_case_has_inputs():
    for _stem, spec, inputs, _golden in _cases():
        assert inputs.exists(), f"{spec.name} has no inputs file {inputs.name}"


@pytest.mark.parametrize("spec", sorted(ERRORS.glob("*.idsl")), ids=lambda spec: spec.stem)
def test_results_with_input_errors_match_golden(spec, regen, monkeypatch):
    """The whole JSON result of inputs with errors: every leaf's score kept, no total, subtotal or grade, the
    branches above a leaf in error null with status error, `partial` false (no total to be partial)."""
    monkeypatch.chdir(ROOT)
    plan = idsl.load(spec.relative_to(ROOT))
    result = idsl.score(plan, read_inputs(spec.with_suffix(".inputs.json")))
    assert result.errors and result.total is None and not result.partial
    compare(result.to_json(), spec.with_suffix(".scores.json"), regen)
