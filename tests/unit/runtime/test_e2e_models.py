"""
The example models, full size, compiled at -O3 by `mlc.compile`, compute what
the independent numpy models of `test_example_models` compute (in float64), on
random inputs; weights bound with `bind` give the same result.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers import full_context
from test_example_models import CASES, EXAMPLES, Model, random_args
from xdsl.parser import Parser

import mlc
from mlc.interpreters import run_function

FULL_SIZE = [case for case in CASES if not case[0].startswith("small/")]


@pytest.mark.parametrize(
    ("path", "name", "model"), FULL_SIZE, ids=[c[0] for c in FULL_SIZE]
)
def test_example_model_runs_natively(path: str, name: str, model: Model) -> None:
    source = EXAMPLES / path
    compiled = mlc.compile(source, opt_level=3)
    assert compiled.entry == name
    module = Parser(full_context(), Path(source).read_text()).parse_module()
    for seed in range(2):
        args = random_args(module, name, seed)
        got = compiled(*args)
        want = model([a.astype(np.float64) for a in args])
        assert isinstance(got, np.ndarray)
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
    inputs, weights = args[:1], args[1:]
    names = [spec.name for spec in compiled.signature.inputs[1:]]
    bound = compiled.bind(dict(zip(names, weights, strict=True)))
    np.testing.assert_array_equal(bound(*inputs), compiled(*args))


UPSTREAM = EXAMPLES.parent / "tests" / "filecheck" / "lowering" / "upstream_input.mlir"


@pytest.mark.parametrize("name", ["mlp", "cnn", "attention"])
def test_upstream_tensor_level_input_runs_natively(name: str) -> None:
    """linalg on tensors as upstream importers write it, from the tensor level."""
    compiled = mlc.compile(UPSTREAM, entry=name)
    rng = np.random.default_rng(7)
    args = [
        rng.standard_normal(s.shape).astype(s.dtype) for s in compiled.signature.inputs
    ]
    module = Parser(full_context(), UPSTREAM.read_text()).parse_module()
    (want,) = run_function(module, name, args)
    np.testing.assert_allclose(compiled(*args), want, rtol=1e-5, atol=1e-6)
