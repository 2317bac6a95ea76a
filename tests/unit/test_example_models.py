"""
The example models compute what they claim: each, interpreted at the graph
level with `run_function`, equals a straightforward numpy implementation
written here independently of the graph ops' references. This validates the
example text itself (shapes, permutations, scales), not the compiler.
"""

import math
from collections.abc import Callable
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType

from mlc.interpreters import run_function
from mlc.tools.mlc_opt import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
Array = np.ndarray
Model = Callable[[list[Array]], Array]
EPS = 1e-5  # graph.layer_norm's default epsilon


# ----- straightforward numpy models ----------------------------------------- #


def linear(x: Array, w: Array, b: Array) -> Array:
    return x @ w.T + b


def relu(x: Array) -> Array:
    return np.maximum(x, 0)


def conv2d(x: Array, w: Array, b: Array, pad: int) -> Array:
    """NCHW x FCHW, stride 1, zero padding `pad` on every side."""
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    kh, kw = w.shape[2:]
    windows = sliding_window_view(x, (kh, kw), axis=(2, 3))  # n c oh ow kh kw
    return np.einsum("nchwij,fcij->nfhw", windows, w) + b[None, :, None, None]


def max_pool_2x2(x: Array) -> Array:
    n, c, h, w = x.shape
    return x.reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))


def mlp(args: list[Array]) -> Array:
    x, w0, b0, w1, b1 = args
    return linear(relu(linear(x.reshape(1, -1), w0, b0)), w1, b1)


def lenet(args: list[Array]) -> Array:
    x, c1w, c1b, c2w, c2b, f1w, f1b, f2w, f2b, f3w, f3b = args
    pad = (c1w.shape[2] - 1) // 2  # the first conv keeps the image size
    y = max_pool_2x2(relu(conv2d(x, c1w, c1b, pad)))
    y = max_pool_2x2(relu(conv2d(y, c2w, c2b, 0)))
    y = y.reshape(1, -1)
    y = relu(linear(y, f1w, f1b))
    y = relu(linear(y, f2w, f2b))
    return linear(y, f3w, f3b)


def layer_norm(x: Array, scale: Array, bias: Array) -> Array:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + EPS) * scale + bias


def softmax(x: Array) -> Array:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def gelu(x: Array) -> Array:
    erf = np.vectorize(math.erf)(x / math.sqrt(2))
    return 0.5 * x * (1 + erf)


def transformer_block(args: list[Array], heads: int) -> Array:
    x, s1, b1n, wq, bq, wk, bk, wv, bv, wo, bo, s2, b2n, w1, b1, w2, b2 = args
    _, seq, d_model = x.shape
    d_head = d_model // heads
    h = layer_norm(x[0], s1, b1n)  # seq x d_model
    q, k, v = (linear(h, w, b) for w, b in ((wq, bq), (wk, bk), (wv, bv)))
    heads_out: list[Array] = []
    for i in range(heads):
        cols = slice(i * d_head, (i + 1) * d_head)
        scores = q[:, cols] @ k[:, cols].T / math.sqrt(d_head)
        heads_out.append(softmax(scores) @ v[:, cols])
    attn = linear(np.concatenate(heads_out, axis=1), wo, bo)
    r1 = x[0] + attn
    ffn = linear(gelu(linear(layer_norm(r1, s2, b2n), w1, b1)), w2, b2)
    return (r1 + ffn).reshape(1, seq, d_model)


# ----- the cases ------------------------------------------------------------- #

CASES: list[tuple[str, str, Model]] = [
    ("small/mlp_small.mlir", "mlp_small", mlp),
    ("small/lenet_small.mlir", "lenet_small", lenet),
    (
        "small/transformer_block_small.mlir",
        "transformer_block_small",
        lambda a: transformer_block(a, heads=2),
    ),
    ("mlp.mlir", "mlp", mlp),
    ("lenet.mlir", "lenet", lenet),
    (
        "transformer_block.mlir",
        "transformer_block",
        lambda a: transformer_block(a, heads=4),
    ),
]


def random_args(module: ModuleOp, name: str, seed: int) -> list[Array]:
    function = next(
        op
        for op in module.ops
        if isinstance(op, func.FuncOp) and op.sym_name.data == name
    )
    rng = np.random.default_rng(seed)
    args: list[Array] = []
    for type_ in function.function_type.inputs:
        assert isinstance(type_, TensorType)
        shape = tuple(type_.get_shape())
        args.append(rng.standard_normal(shape).astype(np.float32) * 0.5)
    return args


@pytest.mark.parametrize(("path", "name", "model"), CASES, ids=[c[0] for c in CASES])
def test_example_matches_numpy(
    parse: Callable[[str], ModuleOp], path: str, name: str, model: Model
):
    module = parse((EXAMPLES / path).read_text())
    for seed in range(2):
        args = random_args(module, name, seed)
        (got,) = run_function(module, name, args)
        want = model([a.astype(np.float64) for a in args])
        assert got.dtype == np.float32
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


SMALL = sorted((EXAMPLES / "small").glob("*.mlir"))


@pytest.mark.parametrize("example", SMALL, ids=lambda p: p.name)
def test_small_example_reproduces_itself(tmp_path: Path, example: Path):
    """The twins are in printed form too (test_examples.py covers examples/*)."""
    source = tmp_path / example.name
    source.write_text(example.read_text())
    out = StringIO()
    with redirect_stdout(out):
        assert main([str(source)]) == 0
    assert out.getvalue() == example.read_text()


def test_every_example_has_a_numeric_check():
    listed = {path for path, _, _ in CASES}
    found = {str(p.relative_to(EXAMPLES)) for p in EXAMPLES.rglob("*.mlir")}
    assert listed == found
