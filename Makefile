# The two commands: `make run` and `make test`. Each sets itself up from nothing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# the browser tests drive Debian's Chromium (not a browser build downloaded by Playwright)
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint build bench bench-plot clean load

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

run: $(STAMP)
	$(BIN)/kg build
	$(BIN)/kg load
	$(BIN)/kg questions

$(CHROMIUM):
	$(SUDO) apt-get update -q
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-wqy-microhei

test: lint $(CHROMIUM)
	$(BIN)/python -m pytest -q

# ruff (rules in pyproject.toml) and mypy over kg/, tests/ and benchmarks/: seconds (about 10 s with a cold
# .mypy_cache), one line per finding; both always run
lint: $(TEST_STAMP)
	@$(BIN)/ruff check --output-format concise .; ruff=$$?; $(BIN)/mypy && exit $$ruff

# a bounded load test of `kg serve` (50 clients x 30 s); not part of `make test`
load: $(TEST_STAMP)
	$(BIN)/python benchmarks/load.py

# The scale benchmark (benchmarks/scale.py): QUICK=1 for 10^5 triples only; SIZES="100000 1000000 10000000",
# ONLY=load,query,validate,serve, BUDGET=seconds a reference may take; `make bench-plot` redraws growth.png.
bench: $(TEST_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m benchmarks $(if $(QUICK),--quick,) $(if $(SIZES),--sizes $(SIZES),) $(if $(ONLY),--only $(ONLY),) $(if $(BUDGET),--budget $(BUDGET),)

bench-plot: $(TEST_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m benchmarks --plot

build: $(STAMP)
	$(BIN)/kg build

clean:
	rm -rf $(VENV) dist .kg .mypy_cache .ruff_cache
