# The two commands: `make run` and `make test`. Each sets itself up from nothing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test build bench clean

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

test: $(TEST_STAMP)
	$(BIN)/python -m pytest -q

# The scale benchmark (benchmarks/scale.py): QUICK=1 for 10^5 triples only.
bench: $(TEST_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m benchmarks $(if $(QUICK),--quick,)

build: $(STAMP)
	$(BIN)/kg build

clean:
	rm -rf $(VENV) dist .kg
