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
	$(BIN)/pip install --quiet -e '.[test,torch]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## demo: the course MLP (examples/mlp.mlir) through the levels with mlc-opt.
demo: install
	@echo "== graph level: examples/mlp.mlir, canonicalized and fused into tensor functions =="
	$(BIN)/mlc-opt examples/mlp.mlir -p canonicalize,graph-fuse
	@echo "== tensor level: linalg on tensors =="
	$(BIN)/mlc-opt examples/mlp.mlir -p 'graph-to-llvm{to=tensor}'
	@echo "== loop level: bufferized memrefs and scf loops (first 40 lines) =="
	$(BIN)/mlc-opt examples/mlp.mlir -p 'graph-to-llvm{to=loop}' | head -40
	@echo "== numerics at every level (reduced-size MLP, interpreted after each pass) =="
	$(BIN)/mlc-opt examples/small/mlp_small.mlir -o /dev/null --check-numerics \
	  -p "$$($(BIN)/python -c 'from mlc.lowering.pipelines import pipeline_text; print(pipeline_text("loop"))')"

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
