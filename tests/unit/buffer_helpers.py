"""Helpers for the bufferization tests: parse upstream-level text, run out-params."""

from collections.abc import Sequence

import numpy as np
from xdsl.context import Context
from xdsl.dialects import arith, builtin, func, linalg, memref, tensor
from xdsl.dialects.builtin import MemRefType, ModuleOp, TensorType
from xdsl.ir import Attribute
from xdsl.parser import Parser
from xdsl.utils.hints import isa

from mlc.dialects.graph.base import Array, to_numpy_dtype
from mlc.interpreters import run_function_with_buffers


class ParseTensor:
    """Parses tensor- and memref-level text with the upstream dialects loaded."""

    def __init__(self) -> None:
        self.ctx = Context()
        for dialect in (
            builtin.Builtin,
            func.Func,
            arith.Arith,
            linalg.Linalg,
            tensor.Tensor,
            memref.MemRef,
        ):
            self.ctx.load_dialect(dialect)

    def __call__(self, text: str) -> ModuleOp:
        module = Parser(self.ctx, text).parse_module()
        module.verify()
        return module


def random_inputs(module: ModuleOp, name: str, seed: int = 0) -> list[Array]:
    function = module.body.block.ops
    found = next(
        f for f in function if isinstance(f, func.FuncOp) and f.sym_name.data == name
    )
    rng = np.random.default_rng(seed)
    inputs: list[Array] = []
    for type_ in found.function_type.inputs:
        assert isa(type_, TensorType[Attribute])
        dtype = to_numpy_dtype(type_.get_element_type())
        values = (
            rng.integers(-5, 5, type_.get_shape())
            if dtype.kind == "i"
            else (rng.standard_normal(type_.get_shape()))
        )
        inputs.append(np.asarray(values, dtype))
    return inputs


def run_bufferized(module: ModuleOp, name: str, inputs: Sequence[Array]) -> list[Array]:
    """Run `@name` with zeroed out-params; the out-params' final contents."""
    function = next(
        f
        for f in module.body.block.ops
        if isinstance(f, func.FuncOp) and f.sym_name.data == name
    )
    out_types = function.function_type.inputs.data[len(inputs) :]
    outs: list[Array] = []
    for type_ in out_types:
        assert isa(type_, MemRefType[Attribute])
        dtype = to_numpy_dtype(type_.get_element_type())
        outs.append(np.zeros(type_.get_shape(), dtype))
    results, finals = run_function_with_buffers(module, name, [*inputs, *outs])
    assert results == []
    inputs_after = finals[: len(inputs)]
    for before, after in zip(inputs, inputs_after, strict=True):
        np.testing.assert_array_equal(before, after)  # arguments are read-only
    return finals[len(inputs) :]
