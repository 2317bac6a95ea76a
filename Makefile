# mlc — the two commands a new user runs: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint typecheck lit pytest install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## demo: canonicalize the course MLP (examples/mlp.mlir) with mlc-opt.
demo: install
	@echo "== examples/mlp.mlir, as written =="
	@cat examples/mlp.mlir
	@echo "== after mlc-opt -p canonicalize,cse =="
	$(BIN)/mlc-opt examples/mlp.mlir -p canonicalize,cse --timing

## test: every suite — ruff, pyright strict, lit/FileCheck, pytest.
test: install-test lint typecheck lit pytest

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-test
	$(BIN)/basedpyright

lit: install-test
	$(BIN)/lit -sv tests/filecheck

pytest: install-test
	$(BIN)/pytest

clean:
	rm -rf $(VENV) build mlc.egg-info
