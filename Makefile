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

# The main job on the seed systems: check every spec, run their worked examples, compile 001 and
# 002 to the compiled spec and the blank Word table, score their evaluations (the 001 table is
# printed), and audit the published 002 against its own rules (differences are expected: exit 1).
demo: venv fonts
	@if [ -z "$(SPECS)" ]; then echo "no specs/*.idsl yet"; exit 1; fi
	$(VENV)/bin/idsl check $(SPECS)
	$(VENV)/bin/idsl test $(SPECS)
	@mkdir -p out
	$(VENV)/bin/idsl compile $(wildcard specs/001_*.idsl) -o out/001.compiled.json --docx out/001_评分表.docx
	$(VENV)/bin/idsl score out/001.compiled.json examples/001_inputs.json --docx out/001_评分表_已评.docx
	$(VENV)/bin/idsl compile $(wildcard specs/002_*.idsl) -o out/002.compiled.json --docx out/002_评分表.docx
	$(VENV)/bin/idsl score $(wildcard specs/002_*.idsl) examples/002_inputs.json --docx out/002_评分表_已评.docx > out/002_scores.txt
	$(VENV)/bin/idsl audit tests/cases/check/bad/002_as_published.idsl examples/002_inputs.json --as-published > out/002_published_audit.txt || [ $$? -eq 1 ]
	@echo; echo "Written to out/:"; ls -1 out/

bench: venv
	$(PYTHON) benchmarks/run.py
	$(PYTHON) benchmarks/batch.py

# System packages for the Word-table tests and charts (LibreOffice, poppler-utils, a CJK font), if missing.
setup:
	bash .ci/system-deps

# Only the CJK font, for the chart in the filled Word table.
fonts:
	bash .ci/system-deps fonts
