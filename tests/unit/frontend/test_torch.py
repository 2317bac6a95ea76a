"""
`mlc.import_torch`: each supported module and aten op, the argument layout,
names, constants and errors.

Numerics run the imported graph-level module in the interpreter (the graph
ops' numpy references) and compare it with PyTorch's own output; the whole
models run natively in tests/unit/models/test_whole_models.py.
"""

import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import torch.nn.functional as F  # noqa: E402
from helpers import full_context, print_op  # noqa: E402
from torch import nn  # noqa: E402
from torch_checks import Lambda  # noqa: E402
from xdsl.dialects import func  # noqa: E402
from xdsl.parser import Parser  # noqa: E402

import mlc  # noqa: E402
from mlc.frontend import ImportedModel, UnsupportedModelError  # noqa: E402
from mlc.frontend.torch import import_program, sanitize_name  # noqa: E402
from mlc.interpreters import run_function  # noqa: E402


def entry_of(imported: ImportedModel) -> func.FuncOp:
    for op in imported.module.body.block.ops:
        if isinstance(op, func.FuncOp) and op.sym_name.data == imported.entry:
            return op
    raise AssertionError(f"no entry function {imported.entry}")


def arg_names(imported: ImportedModel) -> list[str | None]:
    return [a.name_hint for a in entry_of(imported).body.block.args]


def run_imported(imported: ImportedModel, inputs: Sequence[Any]) -> list[np.ndarray]:
    """Interpret the entry on the inputs, then the params in argument order."""
    names = arg_names(imported)[len(inputs) :]
    args = [np.asarray(x) for x in inputs]
    args += [imported.params[str(n)] for n in names]
    out = run_function(imported.module, imported.entry, args)
    return list(out) if isinstance(out, list | tuple) else [out]


def check(
    module: nn.Module, *inputs: Any, atol: float = 1e-5, rtol: float = 1e-5
) -> ImportedModel:
    """Import `module`, run it in the interpreter, compare with PyTorch."""
    module = module.eval()
    imported = mlc.import_torch(module, inputs)
    with torch.no_grad():
        expected = module(*inputs)
    expected = list(expected) if isinstance(expected, tuple) else [expected]
    actual = run_imported(imported, [x.numpy() for x in inputs])
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected, strict=True):
        assert a.dtype == e.numpy().dtype
        np.testing.assert_allclose(a, e.numpy(), atol=atol, rtol=rtol)
    return imported


def ops_of(imported: ImportedModel) -> list[str]:
    return [op.name for op in entry_of(imported).body.block.ops]


def rand(*shape: int) -> Any:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(sum(shape)))


X = rand(2, 3, 4)
Y = rand(2, 3, 4) + 0.1

# --------------------------------------------------------------------------- #
# Elementwise
# --------------------------------------------------------------------------- #

UNARY: dict[str, Callable[[Any], Any]] = {
    "relu": torch.relu,
    "relu_module": nn.ReLU(),
    "sigmoid": nn.Sigmoid(),
    "tanh": nn.Tanh(),
    "exp": torch.exp,
    "log": lambda x: torch.log(x.abs() + 1),
    "sqrt": lambda x: torch.sqrt(x.abs()),
    "rsqrt": lambda x: torch.rsqrt(x.abs() + 1),
    "neg": torch.neg,
    "abs": torch.abs,
    "erf": torch.erf,
    "gelu": nn.GELU(),
    "gelu_tanh": nn.GELU(approximate="tanh"),
    "silu": F.silu,
    "clamp": lambda x: torch.clamp(x, -0.5, 0.5),
    "clamp_min": lambda x: torch.clamp(x, min=0.25),
    "hardtanh": nn.Hardtanh(-0.3, 0.7),
    "relu6": lambda x: F.relu6(x * 5),
    "leaky_relu": nn.LeakyReLU(0.2),
    "add_scalar": lambda x: x + 2.5,
    "rsub_scalar": lambda x: 1 - x,
    "mul_scalar": lambda x: x * 3,
    "div_scalar": lambda x: x / 4,
    "pow_scalar": lambda x: x**2,
    "softmax": nn.Softmax(dim=-1),
    "softmax_dim1": lambda x: torch.softmax(x, dim=1),
    "log_softmax": lambda x: F.log_softmax(x, dim=0),
    "dropout": nn.Dropout(0.5),
    "to_float64": lambda x: x.to(torch.float64) * 2,
    "clone_contiguous": lambda x: x.transpose(0, 1).contiguous().clone(),
}


@pytest.mark.parametrize("name", UNARY)
def test_unary(name: str) -> None:
    check(Lambda(UNARY[name]), X)


BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "add": torch.add,
    "add_alpha": lambda x, y: torch.add(x, y, alpha=2),
    "sub": lambda x, y: x - y,
    "sub_alpha": lambda x, y: torch.sub(x, y, alpha=0.5),
    "mul": lambda x, y: x * y,
    "div": lambda x, y: x / y,
    "maximum": torch.maximum,
    "minimum": torch.minimum,
    "pow": lambda x, y: torch.pow(x.abs() + 1, y),
    "broadcast": lambda x, y: x + y[0, :, :1],
}


@pytest.mark.parametrize("name", BINARY)
def test_binary(name: str) -> None:
    check(Lambda(BINARY[name]), X, Y)


def test_where_takes_a_bool_input() -> None:
    mask = X > 0
    imported = check(Lambda(torch.where), mask, X, Y)
    assert "graph.where" in ops_of(imported)


def test_integer_input_is_cast_where_pytorch_promotes() -> None:
    ints = torch.arange(6).reshape(2, 3)
    imported = check(Lambda(lambda i, x: i * x + i), ints, rand(2, 3))
    assert "graph.cast" in ops_of(imported)


# --------------------------------------------------------------------------- #
# Shapes
# --------------------------------------------------------------------------- #

SHAPES: dict[str, Callable[[Any], Any]] = {
    "view": lambda x: x.view(6, 4),
    "reshape_minus_one": lambda x: x.reshape(-1, 2),
    "flatten": nn.Flatten(),
    "flatten_all": torch.flatten,
    "unflatten": lambda x: x.unflatten(-1, (2, 2)),
    "unsqueeze": lambda x: x.unsqueeze(1),
    "unsqueeze_last": lambda x: x.unsqueeze(-1),
    "squeeze": lambda x: x[:, :1].squeeze(1),
    "permute": lambda x: x.permute(2, 0, 1),
    "transpose": lambda x: x.transpose(-1, 0),
    "t": lambda x: x[0].t(),
    "expand": lambda x: x[:, :1].expand(2, 3, 4),
    "slice": lambda x: x[:, 1:3],
    "slice_step": lambda x: x[..., ::2],
    "slice_negative": lambda x: x[:, -2:],
    "select": lambda x: x[:, -1],
    "split": lambda x: torch.split(x, 3, dim=-1)[1],
    "split_sizes": lambda x: x.split([1, 3], dim=-1)[1] * 2,
    "chunk": lambda x: x.chunk(2, dim=2)[0] + x.chunk(2, dim=2)[1],
    "unbind": lambda x: x.unbind(1)[2],
    "cat": lambda x: torch.cat([x, x * 2], dim=1),
    "stack": lambda x: torch.stack([x, -x], dim=0),
}


@pytest.mark.parametrize("name", SHAPES)
def test_shape(name: str) -> None:
    check(Lambda(SHAPES[name]), X)


def test_embedding_gathers_rows() -> None:
    embedding = nn.Embedding(10, 4)
    imported = check(embedding, torch.tensor([[1, 3, 3], [9, 0, 2]]))
    assert "graph.gather" in ops_of(imported)


# --------------------------------------------------------------------------- #
# Contractions, windows, normalization, reductions
# --------------------------------------------------------------------------- #

NN: dict[str, tuple[Callable[..., Any], tuple[int, ...]]] = {
    "linear": (nn.Linear(4, 5), (2, 3, 4)),
    "linear_no_bias": (nn.Linear(4, 5, bias=False), (3, 4)),
    "mm": (lambda x: x @ x.t(), (3, 4)),
    "bmm": (lambda x: torch.bmm(x, x.transpose(1, 2)), (2, 3, 4)),
    "matmul_broadcast": (lambda x: torch.matmul(x, x[0].t()), (2, 3, 4)),
    "addmm": (lambda x: torch.addmm(x[0], x, x.t(), beta=0.5, alpha=2), (3, 3)),
    "conv": (nn.Conv2d(3, 4, 3), (2, 3, 6, 6)),
    "conv_stride_pad": (nn.Conv2d(3, 4, 3, stride=2, padding=1), (1, 3, 7, 7)),
    "conv_dilation": (nn.Conv2d(3, 2, 3, dilation=2, bias=False), (1, 3, 7, 7)),
    "conv_groups": (nn.Conv2d(4, 6, 3, groups=2, padding=(1, 0)), (1, 4, 5, 5)),
    "conv_same": (nn.Conv2d(3, 2, (3, 5), padding="same", dilation=2), (1, 3, 8, 8)),
    "conv_valid": (nn.Conv2d(3, 2, (2, 3), padding="valid"), (1, 3, 6, 6)),
    "max_pool": (nn.MaxPool2d(2), (2, 3, 6, 6)),
    "max_pool_pad_ceil": (nn.MaxPool2d(3, 2, padding=1, ceil_mode=True), (1, 2, 6, 6)),
    "max_pool_dilation": (nn.MaxPool2d(2, 1, dilation=2), (1, 2, 6, 6)),
    "avg_pool": (nn.AvgPool2d(2), (2, 3, 6, 6)),
    "avg_pool_pad": (nn.AvgPool2d(3, 2, padding=1), (1, 2, 6, 6)),
    "avg_pool_exclude_pad": (
        nn.AvgPool2d(3, 2, padding=1, ceil_mode=True, count_include_pad=False),
        (1, 2, 6, 6),
    ),
    "adaptive_avg_pool_1": (nn.AdaptiveAvgPool2d((1, 1)), (2, 3, 5, 5)),
    "adaptive_avg_pool_2": (nn.AdaptiveAvgPool2d(2), (2, 3, 4, 6)),
    "layer_norm": (nn.LayerNorm(4), (2, 3, 4)),
    "layer_norm_2d": (nn.LayerNorm((3, 4), eps=1e-3), (2, 3, 4)),
    "layer_norm_plain": (nn.LayerNorm(4, elementwise_affine=False), (2, 3, 4)),
    "mean": (lambda x: x.mean(dim=-1), (2, 3, 4)),
    "mean_keepdim": (lambda x: x.mean(dim=(0, 2), keepdim=True), (2, 3, 4)),
    "mean_all": (torch.mean, (2, 3, 4)),
    "sum": (lambda x: x.sum(dim=1), (2, 3, 4)),
    "sum_all": (torch.sum, (2, 3, 4)),
    "amax": (lambda x: x.amax(dim=-1, keepdim=True), (2, 3, 4)),
    "var": (lambda x: x.var(dim=-1), (2, 3, 4)),
    "var_biased_keepdim": (
        lambda x: x.var((0, 2), keepdim=True, unbiased=False),
        (2, 3, 4),
    ),
    "var_all": (torch.var, (2, 3, 4)),
}


@pytest.mark.parametrize("name", NN)
def test_nn(name: str) -> None:
    fn, shape = NN[name]
    module = fn if isinstance(fn, nn.Module) else Lambda(fn)
    check(module, rand(*shape), atol=1e-4)


X4 = rand(2, 4, 3, 3) * 3

COMPOSED: dict[str, Callable[[Any], Any]] = {
    "elu": nn.ELU(0.7),
    "selu": nn.SELU(),
    "celu": nn.CELU(1.5),
    "softplus": nn.Softplus(beta=2.0),
    "softplus_large": lambda x: F.softplus(x * 40),
    "mish": nn.Mish(),
    "log_sigmoid": nn.LogSigmoid(),
    "prelu": nn.PReLU(4, init=0.3),
    "prelu_shared": nn.PReLU(),
    "hardswish": nn.Hardswish(),
    "hardsigmoid": nn.Hardsigmoid(),
    "expm1_log1p": lambda x: torch.expm1(x) + torch.log1p(x.abs()),
    "reciprocal": lambda x: torch.reciprocal(x + 10),
    "group_norm": nn.GroupNorm(2, 4),
    "instance_norm": nn.InstanceNorm2d(4, affine=True),
    "pad": lambda x: F.pad(x, (1, 2, 0, 1), value=0.5),
    "upsample": nn.Upsample(scale_factor=2),
    "repeat": lambda x: x.repeat(2, 1, 1, 3),
    "index_select": lambda x: x.index_select(1, torch.tensor([3, 0, 0])),
    "clamp_tensor": lambda x: torch.clamp(x, min=x[:1], max=x[:1] + 1),
    "amin": lambda x: x.amin(dim=(1, 2)),
    "max_dim": lambda x: x.max(dim=-1).values,
    "normalize": lambda x: F.normalize(x, dim=1),
    "l1_norm": lambda x: torch.linalg.vector_norm(x, ord=1, dim=-1),
    "std": lambda x: x.std(-1),
}


@pytest.mark.parametrize("name", COMPOSED)
def test_composed_from_graph_ops(name: str) -> None:
    fn = COMPOSED[name]
    check(fn if isinstance(fn, nn.Module) else Lambda(fn), X4, atol=1e-5)


@pytest.mark.parametrize("affine", [True, False])
def test_batch_norm_uses_the_running_statistics(affine: bool) -> None:
    bn = nn.BatchNorm2d(3, affine=affine, eps=1e-3)
    bn.running_mean = rand(3)
    bn.running_var = rand(3).abs() + 0.5
    if affine:
        bn.weight.data = rand(3)
    imported = check(bn, rand(2, 3, 4, 4))
    assert "graph.batch_norm" in ops_of(imported)
    names = arg_names(imported)
    assert "running_mean" in names
    assert "num_batches_tracked" not in names


ATTENTION: dict[str, Callable[..., Any]] = {
    "plain": lambda q, k, v: F.scaled_dot_product_attention(q, k, v),
    "causal": lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True),
    "scale": lambda q, k, v: F.scaled_dot_product_attention(q, k, v, scale=0.3),
    "bool_mask": lambda q, k, v: F.scaled_dot_product_attention(
        q, k, v, attn_mask=torch.ones(5, 5, dtype=torch.bool).tril()
    ),
    "float_mask": lambda q, k, v: F.scaled_dot_product_attention(
        q, k, v, attn_mask=torch.arange(25.0).reshape(5, 5) / 25
    ),
}


@pytest.mark.parametrize("name", ATTENTION)
def test_scaled_dot_product_attention(name: str) -> None:
    q, k, v = rand(2, 2, 5, 4), rand(2, 2, 5, 5)[..., :4] * 2, rand(2, 2, 5, 3)
    imported = check(Lambda(ATTENTION[name]), q, k, v)
    assert "graph.softmax" in ops_of(imported)


@pytest.mark.parametrize("batch_first", [True, False])
def test_multihead_attention(batch_first: bool) -> None:
    attention = nn.MultiheadAttention(8, 2, batch_first=batch_first)
    check(Lambda(lambda x: attention(x, x, x, need_weights=False)[0]), rand(2, 3, 8))


def test_multihead_attention_returns_the_averaged_weights() -> None:
    attention = nn.MultiheadAttention(8, 2)
    check(Lambda(lambda x, y: attention(x, y, y)), rand(3, 2, 8), rand(4, 2, 8))


def test_transformer_encoder_layer() -> None:
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, batch_first=True)
    check(layer, rand(2, 3, 8), atol=1e-4)


# --------------------------------------------------------------------------- #
# Arguments, names, constants, outputs
# --------------------------------------------------------------------------- #


class TwoLayer(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
        self.scale = nn.ParameterList([nn.Parameter(torch.ones(2))])
        self.register_buffer("shift", torch.full((2,), 0.5))
        self.unused = nn.Parameter(torch.zeros(7))

    def forward(self, x: Any, y: Any) -> Any:
        return self.layers(x) * self.scale[0] + self.shift + y


def test_inputs_come_first_then_used_parameters_named_by_their_path() -> None:
    imported = check(TwoLayer(), rand(3, 4), rand(3, 2))
    assert arg_names(imported) == [
        "x",
        "y",
        "layers_0_weight",
        "layers_0_bias",
        "layers_2_weight",
        "layers_2_bias",
        "scale0",
        "shift",
    ]
    assert list(imported.params) == arg_names(imported)[2:]
    assert imported.params["layers_2_bias"].shape == (2,)
    np.testing.assert_array_equal(imported.params["shift"], np.full(2, 0.5, np.float32))
    assert imported.entry == "forward"


def test_parameters_are_copies() -> None:
    model = nn.Linear(2, 2)
    imported = mlc.import_torch(model, (rand(1, 2),))
    with torch.no_grad():
        model.weight.fill_(7.0)
    assert not np.any(imported.params["weight"] == 7.0)


def test_tied_weights_become_one_argument() -> None:
    class Tied(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.a = nn.Linear(3, 3)
            self.b = nn.Linear(3, 3)
            self.b.weight = self.a.weight

        def forward(self, x: Any) -> Any:
            return self.b(self.a(x))

    imported = check(Tied(), rand(2, 3))
    assert len(imported.params) == 3
    assert sum(name.endswith("weight") for name in imported.params) == 1


def test_sanitize_name() -> None:
    taken: set[str] = set()
    assert sanitize_name("fc1.weight", taken) == "fc1_weight"
    assert sanitize_name("blocks.0", taken) == "blocks0"
    assert sanitize_name("blocks_0", taken) == "blocks0v1"
    assert sanitize_name("0.weight", taken) == "v_0_weight"
    assert sanitize_name("a-b", taken) == "a_b"
    assert sanitize_name("x_1_2", taken) == "x12"  # xDSL would strip `_2`, then `_12`
    assert taken == {"fc1_weight", "blocks0", "blocks0v1", "v_0_weight", "a_b", "x12"}


class Masked(nn.Module):
    """A causal mask computed in forward and a lifted constant: no arguments."""

    def __init__(self) -> None:
        super().__init__()
        self.register_buffer("offsets", torch.arange(4.0), persistent=False)

    def forward(self, x: Any) -> Any:
        n = x.shape[-1]
        mask = torch.triu(torch.full((n, n), float("-inf")), diagonal=1)
        return torch.softmax(x @ x.transpose(-1, -2) + mask, dim=-1) + torch.arange(n)


def test_values_computed_from_constants_become_constants() -> None:
    imported = check(Masked(), rand(2, 4, 4))
    assert arg_names(imported) == ["x"]
    assert "arith.constant" in ops_of(imported)


def test_several_outputs_return_in_order() -> None:
    imported = check(Lambda(lambda x: (x + 1, (x * 2).sum(), x)), X)
    assert len(entry_of(imported).function_type.outputs) == 3


def test_imported_module_round_trips_as_text() -> None:
    imported = mlc.import_torch(TwoLayer(), (rand(3, 4), rand(3, 2)))
    text = print_op(imported.module)
    parsed = Parser(full_context(), text).parse_module()
    parsed.verify()
    assert print_op(parsed) == text


# --------------------------------------------------------------------------- #
# Errors
# --------------------------------------------------------------------------- #


def test_unsupported_ops_are_listed_at_once() -> None:
    class Net(nn.Module):
        def forward(self, x: Any) -> Any:
            return torch.lgamma(x) + torch.lgamma(x + 1) + torch.digamma(x)

    with pytest.raises(UnsupportedModelError) as info:
        mlc.import_torch(Net(), (X,))
    assert str(info.value) == (
        "Net: unsupported aten ops: aten.lgamma.default (2 nodes, first 'lgamma'), "
        "aten.digamma.default (1 node, first 'digamma')"
    )


def test_training_mode_dropout_is_an_error() -> None:
    module = Lambda(lambda x: F.dropout(x, 0.5, training=True))
    with pytest.raises(UnsupportedModelError, match="dropout in training mode"):
        mlc.import_torch(module, (X,))


def test_transposed_convolution_is_an_error_naming_the_node() -> None:
    module = nn.ConvTranspose2d(2, 2, 3)
    with pytest.raises(UnsupportedModelError) as info:
        mlc.import_torch(module, (rand(1, 2, 4, 4),))
    assert str(info.value) == (
        "ConvTranspose2d: node 'convolution' (aten.convolution.default): "
        "transposed convolution is not supported"
    )


def test_export_failures_are_one_line() -> None:
    class Branchy(nn.Module):
        def forward(self, x: Any) -> Any:
            return x + 1 if x.sum() > 0 else x - 1

    with pytest.raises(
        UnsupportedModelError, match=r"^Branchy: torch\.export could not trace it"
    ) as info:
        mlc.import_torch(Branchy(), (X,))
    assert "\n" not in str(info.value)


def test_unsupported_dtype_is_an_error() -> None:
    with pytest.raises(UnsupportedModelError, match=r"^Lambda: .*torch\.complex64"):
        mlc.import_torch(Lambda(lambda x: x + 1), (X.to(torch.complex64),))


def test_mlc_imports_without_torch_and_says_how_to_install_it() -> None:
    code = (
        "import sys\n"
        "sys.modules['torch'] = None\n"
        "import mlc\n"
        "try:\n"
        "    mlc.import_torch(object(), ())\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    # The directory that holds the `mlc` package this test imports.
    env = {**os.environ, "PYTHONPATH": str(Path(mlc.__file__).parent.parent)}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    assert "pip install 'mlc[torch]'" in out.stdout


def test_three_dimensional_convolution_is_an_error_naming_the_node() -> None:
    with pytest.raises(
        UnsupportedModelError,
        match=r"^Conv3d: node 'convolution' .*only 1-D and 2-D convolutions",
    ):
        mlc.import_torch(nn.Conv3d(2, 2, 3), (rand(1, 2, 5, 5, 5),))


def test_a_constant_split_is_folded() -> None:
    class Net(nn.Module):
        def forward(self, x: Any) -> Any:
            first, second = torch.arange(6.0).chunk(2)
            return x * first + second

    imported = check(Net(), rand(2, 3))
    assert arg_names(imported) == ["x"]


# torch 2.13's own pytree code trips its LeafSpec deprecation warning.
@pytest.mark.filterwarnings("ignore:.*LeafSpec:FutureWarning")
@pytest.mark.parametrize("name", ["mlp", "lenet", "resnet", "encoder_manual"])
def test_core_aten_forms_of_whole_models(name: str) -> None:
    """Fully decomposed programs (addmm, bmm, _softmax, native_layer_norm, ...)."""
    from models.torch_models import MODELS

    model, x = MODELS[name].make()
    program = torch.export.export(model, (x,)).run_decompositions()
    targets = {str(n.target) for n in program.graph.nodes}
    assert "aten.linear.default" not in targets
    imported = import_program(program)
    with torch.no_grad():
        expected = model(x).numpy()
    (actual,) = run_imported(imported, [x.numpy()])
    np.testing.assert_allclose(actual, expected, atol=1e-4, rtol=1e-4)


def test_the_docstring_example_of_import_torch_runs() -> None:
    import doctest

    finder = doctest.DocTestFinder()
    (test,) = finder.find(mlc.import_torch, "import_torch")
    result = doctest.DocTestRunner().run(test)
    assert result.attempted >= 5
    assert result.failed == 0


def test_a_bfloat16_module_compiles_and_matches_pytorch() -> None:
    import ml_dtypes

    class Block(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc = nn.Linear(16, 8)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return F.gelu(self.fc(x)) * 2

    torch.manual_seed(0)
    module = Block().to(torch.bfloat16).eval()
    x = torch.randn(3, 16, dtype=torch.bfloat16)
    imported = mlc.import_torch(module, (x,))
    assert "tensor<3x16xbf16>" in str(entry_of(imported).function_type)
    run = mlc.compile(imported)
    got = run(x.view(torch.int16).numpy().view(ml_dtypes.bfloat16))
    assert got.dtype == np.dtype(ml_dtypes.bfloat16)
    want = module(x).float().detach().numpy()
    # PyTorch's CPU kernels also compute in f32 and round each op's result.
    np.testing.assert_allclose(got.astype(np.float32), want, rtol=2**-7, atol=1e-2)
