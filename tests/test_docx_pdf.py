"""The 001 and 002 scoring tables through LibreOffice: they open, convert to PDF, have a sane page
count on A4 landscape pages, repeat the header on every page, and show every indicator name.

Needs `soffice` (LibreOffice) and `pdftotext`/`pdfinfo` (poppler-utils); `.ci/run` installs them.
Under CI=true a missing tool fails the test instead of skipping it.
"""

from __future__ import annotations

import idsl

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from idsl.render.docx import render_docx
from idsl.io.inputs import read_inputs
from plans import plan_of, seed_inputs, seed_spec

SEEDS = ["001", "002"]


def _tool(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = f"{' / '.join(names)} not found: install LibreOffice and poppler-utils (see .ci/run)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """001/002, blank and filled, converted to PDF by one headless LibreOffice run."""
    soffice = _tool("soffice", "libreoffice")
    _tool("pdftotext")
    _tool("pdftoppm")
    _tool("pdfinfo")
    folder = tmp_path_factory.mktemp("docx")
    names = []
    for number in SEEDS:
        plan = plan_of(seed_spec(number))
        result = idsl.score(plan, read_inputs(seed_inputs(number)))
        for kind, data in (("blank", render_docx(plan)), ("filled", render_docx(plan, result))):
            path = folder / f"{number}_{kind}.docx"
            path.write_bytes(data)
            names.append(path)
    profile = (folder / "profile").as_uri()  # a private profile: no clash with a running LibreOffice
    completed = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(folder),
         *map(str, names)], capture_output=True, text=True, timeout=600)
    out = {path.stem: path.with_suffix(".pdf") for path in names}
    missing = [str(p) for p in out.values() if not p.exists()]
    assert not missing, f"LibreOffice did not convert {missing}: {completed.stdout}\n{completed.stderr}"
    return out


def _pages(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _lowest_ink(pdf: Path, folder: Path) -> list[float]:
    """Per page, how far down (0–1 of the page height) the lowest drawn line or text reaches."""
    from PIL import Image

    prefix = folder / f"{pdf.stem}-ink"
    subprocess.run(["pdftoppm", "-r", "20", "-gray", str(pdf), str(prefix)], check=True)
    out = []
    for image in sorted(folder.glob(f"{prefix.name}-*.pgm")):
        page = Image.open(image)
        width, height = page.size
        pixels = page.load()
        out.append(max((y for y in range(height) for x in range(width) if pixels[x, y] < 128), default=0) / height)
    return out


@pytest.mark.parametrize("number", SEEDS)
@pytest.mark.parametrize("kind", ["blank", "filled"])
def test_pdf_pages_and_names(pdfs, number, kind):
    pdf = pdfs[f"{number}_{kind}"]
    plan = plan_of(seed_spec(number))
    leaves = list(plan.leaves())
    pages = _pages(pdf)
    assert 2 <= len(pages) <= len(leaves) + 4, len(pages)
    assert all(abs(w - 841.9) < 2 and abs(h - 595.3) < 2 for w, h in pages), pages  # A4 landscape
    text = _text(pdf)
    flat = re.sub(r"\s+", "", text)
    names = [leaf.name for leaf in leaves] + [item.name for _, item in plan.items()]
    assert [n for n in names if re.sub(r"\s+", "", n) not in flat] == []
    assert re.sub(r"\s+", "", plan.layout.title) in flat
    if kind == "blank":  # the header row on every page
        assert flat.count("三级指标") >= len(pages)
    else:
        assert "得分率" in flat


@pytest.mark.parametrize("number", SEEDS)
@pytest.mark.parametrize("kind", ["blank", "filled"])
def test_no_page_of_the_table_ends_with_a_large_blank(pdfs, number, kind, tmp_path):
    """Rows too long to move whole break across pages: every page the table continues from is filled
    to at least three quarters of its height (the last page of the table may end anywhere)."""
    lowest = _lowest_ink(pdfs[f"{number}_{kind}"], tmp_path)
    table_pages = lowest[:-1] if kind == "blank" else lowest[:-2]  # filled: the summary follows on its own
    assert table_pages and min(table_pages) >= 0.75, [round(x, 2) for x in lowest]


@pytest.mark.parametrize("number", SEEDS)
def test_summary_and_conclusion_are_on_one_page(pdfs, number):
    pages = _text(pdfs[f"{number}_filled"]).split("\f")
    found = [page for page in pages if "部门总得分情况" in page]
    assert len(found) == 1
    page = re.sub(r"\s+", "", found[0])
    summary = page[page.index("部门总得分情况"):]
    plan = plan_of(seed_spec(number))
    assert all(node.name in summary for node in plan.nodes)
    assert "合计" in summary and "评价结论" in summary and "得分率" in summary[summary.index("评价结论"):]
