# Developer entry points; everything runs inside .venv.
VENV := .venv
PYTHON := $(VENV)/bin/python
# Touched after a successful install, so `make venv` re-installs only when packaging changes.
STAMP := $(VENV)/.idsl-installed
SPECS := $(wildcard specs/*.idsl)

.PHONY: venv test demo bench setup fonts

venv: $(STAMP)

$(STAMP): pyproject.toml setup.py
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet -e '.[test]'
	touch $@

test: venv setup
	$(PYTHON) -m pytest -q

demo: venv fonts
	@if [ -z "$(SPECS)" ]; then echo "no specs/*.idsl yet"; else $(VENV)/bin/idsl check $(SPECS); fi
	@# The Word scoring tables (issue 4): blank from the spec, filled from the seeds' inputs (exit 1 = audit differences).
	@mkdir -p out
	$(VENV)/bin/idsl compile $(wildcard specs/001_*.idsl) -o out/001.compiled.json --docx out/001_评分表.docx
	$(VENV)/bin/idsl score $(wildcard specs/001_*.idsl) examples/001_inputs.json --docx out/001_评分表_已评.docx > out/001_scores.txt
	$(VENV)/bin/idsl compile $(wildcard specs/002_*.idsl) -o out/002.compiled.json --docx out/002_评分表.docx
	$(VENV)/bin/idsl score $(wildcard specs/002_*.idsl) examples/002_inputs.json --docx out/002_评分表_已评.docx > out/002_scores.txt || [ $$? -eq 1 ]
	@ls out/*.docx

bench: venv
	@if [ -f benchmarks/run.py ]; then $(PYTHON) benchmarks/run.py; else echo "no benchmarks/run.py yet"; fi

# System packages for the Word-table tests and charts (LibreOffice, poppler-utils, a CJK font), if missing.
setup:
	bash .ci/system-deps

# Only the CJK font, for the chart in the filled Word table.
fonts:
	bash .ci/system-deps fonts
