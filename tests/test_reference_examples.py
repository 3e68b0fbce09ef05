"""The language reference keeps itself honest: every example in grammar/README.md and README.md is run.

Fenced blocks are chosen by their info string:

- ```idsl — a complete spec: it must parse and check with no errors (warnings are allowed), and
  its worked examples (示例), if any, must hold when scored.
- ```idsl-error E403 [E404 …] — a spec that shows a mistake: each listed code must be reported,
  and no error with another code.
- ```idsl-warning W504 [W501 …] — a spec that shows a warning: no errors, each listed warning reported.
- ```idsl-fragment — a piece that cannot stand alone; it is not run.
- ```idsl-standard — the 评分标准 text generated for the leaves of the nearest ```idsl block above
  it, one leaf a line as `指标：text`; a line indented by two spaces continues the text above.

`file=NAME.idsl` after the tag gives the block a file name. All named blocks of a document are
written side by side into one directory first, so a block can import (引用) another.

Besides the examples, the reference must list every keyword spelling of the grammar and every
diagnostic code, so neither can be added without being documented.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

from idsl.check import check
from idsl.diagnostics import CODES, render_gnu
from idsl.semantics.lower import lower
from idsl.frontend.resolve import load_text
from idsl.frontend.source import Source
from idsl.render.standard import not_applicable_text, standard_text
from idsl.engines.worked import run_examples

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "grammar" / "README.md"
DOCS = (REFERENCE, ROOT / "README.md")
GRAMMAR = ROOT / "grammar" / "idsl.lark"
TAGS = ("idsl", "idsl-error", "idsl-warning", "idsl-fragment", "idsl-standard")


@attrs.frozen
class Block:
    """One fenced block of a document."""

    doc: Path  # the Markdown file
    line: int  # line of the opening fence (1-based)
    tag: str  # first word of the info string
    codes: tuple[str, ...]  # diagnostic codes named after the tag
    file: str | None  # file=NAME, when given
    text: str  # the block's content

    @property
    def id(self) -> str:
        return f"{self.doc.relative_to(ROOT)}:{self.line}"


def blocks(doc: Path) -> list[Block]:
    """Every fenced block of a Markdown document whose tag starts with `idsl`."""
    found, lines = [], doc.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        opening = re.match(r"^ {0,3}(`{3,}|~{3,})\s*(.*)$", lines[i])
        if not opening:
            i += 1
            continue
        fence, info = opening.group(1), opening.group(2).split()
        end = next((j for j in range(i + 1, len(lines)) if lines[j].strip().startswith(fence)
                    and not lines[j].strip()[len(fence):].strip()), len(lines))
        if info and info[0].startswith("idsl"):
            codes = tuple(w for w in info[1:] if re.fullmatch(r"[EW]\d{3}", w))
            names = [w[len("file="):] for w in info[1:] if w.startswith("file=")]
            found.append(Block(doc, i + 1, info[0], codes, names[0] if names else None,
                               "\n".join(lines[i + 1:end]) + "\n"))
        i = end + 1
    return found


ALL = [b for doc in DOCS if doc.exists() for b in blocks(doc)]
RUN = [b for b in ALL if b.tag not in ("idsl-fragment", "idsl-standard")]
STANDARDS = [b for b in ALL if b.tag == "idsl-standard"]


def diagnose(block: Block, tmp_path: Path):
    """Load and check one block (named blocks of the same document are written beside it first)."""
    if block.file is None:
        source = Source(f"{block.id}.idsl", block.text)
    else:
        for sibling in blocks(block.doc):
            if sibling.file is not None:
                (tmp_path / sibling.file).write_text(sibling.text, encoding="utf-8")
        source = Source(str(tmp_path / block.file), block.text)
    loaded = load_text(source)
    return loaded, check(loaded)


def test_the_documents_have_examples():
    for doc in DOCS:
        assert any(b.doc == doc and b.tag == "idsl" for b in ALL), f"{doc.name} has no ```idsl example"


@pytest.mark.parametrize("block", ALL, ids=lambda b: b.id)
def test_block_is_tagged_well(block: Block):
    assert block.tag in TAGS, f"{block.id}: unknown tag ```{block.tag} (use one of {', '.join(TAGS)})"
    if block.tag in ("idsl-error", "idsl-warning"):
        assert block.codes, f"{block.id}: ```{block.tag} must name the codes it shows, e.g. ```idsl-error E403"
        prefix = "E" if block.tag == "idsl-error" else "W"
        assert all(c.startswith(prefix) for c in block.codes), f"{block.id}: {block.codes} do not fit ```{block.tag}"
    assert all(c in CODES for c in block.codes), f"{block.id}: unknown code among {block.codes}"


@pytest.mark.parametrize("block", RUN, ids=lambda b: b.id)
def test_example(block: Block, tmp_path: Path):
    loaded, diagnostics = diagnose(block, tmp_path)
    errors = sorted({d.code for d in diagnostics if d.severity == "error"})
    reported = {d.code for d in diagnostics}
    shown = render_gnu(diagnostics)
    if block.tag == "idsl-error":
        assert set(block.codes) <= reported, f"{block.id}: expected {block.codes}, got:\n{shown}"
        assert set(errors) <= set(block.codes), f"{block.id}: errors beyond {block.codes}:\n{shown}"
        return
    assert not errors, f"{block.id}: the example has errors:\n{shown}"
    assert set(block.codes) <= reported, f"{block.id}: expected {block.codes}, got:\n{shown or 'nothing'}"
    if loaded.spec is not None and loaded.spec.examples:
        failures = [f"{f.span.gnu()}: {f.message}" for report in run_examples(lower(loaded.spec, loaded.sources))
                    for f in report.failures]
        assert not failures, f"{block.id}: worked examples fail:\n" + "\n".join(failures)


@pytest.mark.parametrize("block", STANDARDS, ids=lambda b: b.id)
def test_generated_standard_text(block: Block, tmp_path: Path):
    spec = next((b for b in reversed(ALL) if b.doc == block.doc and b.line < block.line and b.tag == "idsl"), None)
    assert spec is not None, f"{block.id}: no ```idsl block above this ```idsl-standard block"
    loaded, _ = diagnose(spec, tmp_path)
    plan = lower(loaded.spec, loaded.sources)
    expected: dict[str, list[str]] = {}
    for line in block.text.splitlines():
        if line.startswith("  ") and expected:
            expected[list(expected)[-1]].append(line.strip())
        elif line.strip():
            name, _, text = line.partition("：")
            expected[name] = [text]
    for name, lines in expected.items():
        node = plan.find(name)
        assert node is not None, f"{block.id}: no leaf “{name}” in the spec at line {spec.line}"
        shown = standard_text(node, places=plan.places, not_applicable=not_applicable_text(plan, node))  # as the Word table
        assert shown == "\n".join(lines), f"{block.id}: {name}"


def _grammar_spellings() -> dict[str, list[str]]:
    """Terminal → its spellings, for every keyword (KW_*), function and rounding word of the grammar."""
    spellings = {}
    for line in GRAMMAR.read_text(encoding="utf-8").splitlines():
        found = re.match(r"^(KW_\w+|FUNC|ROUNDING|FEN)(?:\.\d+)?:\s*/(?:\(\?:)?([^/()]+)\)?", line)
        if found:
            spellings[found.group(1)] = found.group(2).split("|")
    return spellings


def test_every_keyword_spelling_is_in_the_reference():
    text = REFERENCE.read_text(encoding="utf-8")
    spellings = _grammar_spellings()
    assert len(spellings) > 50, "the grammar's keywords were not found; has the KW_ notation changed?"
    missing = [f"{terminal}: {word}" for terminal, words in spellings.items() for word in words
               if f"`{word}`" not in text]
    assert not missing, "keyword spellings not in grammar/README.md (write them in `backticks`):\n" + "\n".join(missing)


def test_every_diagnostic_code_is_in_the_reference():
    text = REFERENCE.read_text(encoding="utf-8")
    missing = [code for code in CODES if not re.search(rf"^\|\s*`?{code}`?\s*\|", text, re.M)]
    assert not missing, f"codes without a row in the diagnostics table of grammar/README.md: {missing}"
