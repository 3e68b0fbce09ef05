# Developer entry points; everything runs inside .venv.
VENV := .venv
PYTHON := $(VENV)/bin/python
# Touched after a successful install, so `make venv` re-installs only when packaging changes.
STAMP := $(VENV)/.idsl-installed
SPECS := $(wildcard specs/*.idsl)

.PHONY: venv test demo bench

venv: $(STAMP)

$(STAMP): pyproject.toml setup.py
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet -e '.[test]'
	touch $@

test: venv
	$(PYTHON) -m pytest -q

demo: venv
	@if [ -z "$(SPECS)" ]; then echo "no specs/*.idsl yet"; else $(VENV)/bin/idsl check $(SPECS); fi

bench: venv
	@if [ -f benchmarks/run.py ]; then $(PYTHON) benchmarks/run.py; else echo "no benchmarks/run.py yet"; fi
