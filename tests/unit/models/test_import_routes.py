"""
The two import routes of one model reach the same graph: a transformer encoder
block imported with `mlc.import_torch` and exported with `torch.onnx.export`
then imported with `mlc.import_onnx` run the same graph ops after
`canonicalize, graph-fuse` (the graph stage of the pipeline), and agree
numerically with PyTorch.
"""

import io
import warnings
from collections import Counter

import numpy as np
import pytest

torch = pytest.importorskip("torch")
onnx = pytest.importorskip("onnx")

from helpers import full_context  # noqa: E402
from models.torch_models import EncoderBlock  # noqa: E402
from xdsl.dialects import func  # noqa: E402
from xdsl.dialects.builtin import ModuleOp  # noqa: E402
from xdsl.ir import BlockArgument, Operation  # noqa: E402
from xdsl.transforms.canonicalize import CanonicalizePass  # noqa: E402

import mlc  # noqa: E402
from mlc.dialects import graph  # noqa: E402
from mlc.frontend import ImportedModel, import_onnx  # noqa: E402
from mlc.passes.graph_fuse import GraphFusePass  # noqa: E402


def encoder() -> tuple[torch.nn.Module, torch.Tensor]:
    """The hand-written encoder block with every parameter random (none neutral)."""
    torch.manual_seed(0)
    model = EncoderBlock(manual=True).eval()
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.uniform_(-0.5, 0.5)
    return model, torch.randn(2, 6, 16)


def through_onnx(model: torch.nn.Module, x: torch.Tensor, opset: int) -> ImportedModel:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        torch.onnx.export(
            model, (x,), buffer, dynamo=False, opset_version=opset, input_names=["x"]
        )
    return import_onnx(onnx.load_from_string(buffer.getvalue()))


def _argument_layout(op: Operation) -> bool:
    """A transpose of a function argument: a weight laid out for `linear`."""
    return isinstance(op, graph.TransposeOp) and isinstance(op.input, BlockArgument)


def executed_ops(module: ModuleOp) -> Counter[str]:
    """
    The graph ops one call runs after the graph stage: the entry function's,
    plus each called tensor function's per call. A transpose of a function
    argument (a weight laid out for `linear`, read through its map) is left out.
    """
    ctx = full_context()
    CanonicalizePass().apply(ctx, module)
    GraphFusePass().apply(ctx, module)
    functions = {f.sym_name.data: f for f in module.ops if isinstance(f, func.FuncOp)}
    entry = next(f for f in functions.values() if f.sym_visibility is None)
    counts: Counter[str] = Counter()
    for op in entry.body.ops:
        if isinstance(op, func.CallOp):
            callee = functions[op.callee.root_reference.data]
            counts.update(
                inner.name for inner in callee.body.ops if not _argument_layout(inner)
            )
            counts["call"] += 1
        elif _argument_layout(op):
            continue
        else:
            counts[op.name] += 1
    del counts["func.return"], counts["arith.constant"]
    return counts


# Opset 14 has no LayerNormalization (the exporter decomposes it); 17 has it.
@pytest.mark.parametrize("opset", [14, 17])
def test_both_routes_run_the_same_graph_ops(opset: int) -> None:
    model, x = encoder()
    direct = executed_ops(mlc.import_torch(model, (x,)).module)
    exported = executed_ops(through_onnx(model, x, opset).module)
    assert exported == direct
    assert direct["graph.linear"] == 4
    assert direct["graph.gelu"] == 1
    assert direct["graph.layer_norm"] == 2
    # layer_norm, linear (qkv), attention core, linear + residual, layer_norm,
    # linear + gelu, linear + residual.
    assert direct["call"] == 7


def test_onnx_route_agrees_with_torch() -> None:
    model, x = encoder()
    compiled = mlc.compile(through_onnx(model, x, 14))
    with torch.no_grad():
        expected = model(x).numpy()
    np.testing.assert_allclose(compiled(x.numpy()), expected, rtol=1e-4, atol=1e-4)
