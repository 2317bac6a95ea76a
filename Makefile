# mlc — the two commands a new user runs: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test bench fuzz lint typecheck lit pytest install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,torch]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## demo: the course MLP (examples/mlp.mlir) through every level, then run natively.
demo: install
	$(BIN)/python examples/demo.py examples/mlp.mlir

## test: every suite — ruff, the layer contract, pyright strict, lit/FileCheck, pytest.
test: install-test lint typecheck lit pytest

$(VENV)/.installed-bench: pyproject.toml | $(VENV)/.installed-test
	$(BIN)/pip install --quiet -e '.[test,bench,torch]'
	touch $@

## bench: the long benchmark (minutes; run by hand, never in CI): mlc against
## numpy, PyTorch and onnxruntime at 1 and 2 threads.
bench: $(VENV)/.installed-bench
	nice $(BIN)/python benchmarks/run.py --threads 1,2

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install-test
	$(BIN)/basedpyright

lit: install-test
	$(BIN)/lit -sv tests/filecheck

pytest: install-test
	$(BIN)/pytest -n auto

## fuzz: the native fuzz suite run long (FUZZ_EXAMPLES mutated models, a tenth as
## many generated ones), each compiled, called and sometimes exported in a worker
## process; prints the counts per outcome and any finding.
FUZZ_EXAMPLES ?= 10000
fuzz: install-test
	MLC_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -s \
		tests/unit/runtime/test_fuzz_native.py

clean:
	rm -rf $(VENV) build mlc.egg-info
