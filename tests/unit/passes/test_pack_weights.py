"""
`pack-weights`: weights stored in the GEMM's packed layout, checked against
numpy for both SIMD targets, with N not a multiple of nr and K deeper than
one K block (kc = 256).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import mlc
from mlc.runtime.compiled import CompiledModule
from mlc.support.packing import pack_weight, packed_shape
from mlc.support.target import TARGET_ENV

Array = np.ndarray[Any, Any]

# A linear (W[200, 300]: N = 200 is 6 full AVX-512 panels and a partial one,
# K = 300 two K blocks), a matmul by an argument B[270, 133] (read by rows),
# and a matmul by a constant (folded into a packed global). Batch 1 and 2 run
# the wide edge tiles (several panels at once), 13 a full row tile and edge
# rows.
MODEL = """
func.func @model(%x: tensor<{m}x300xf32>, %w: tensor<200x300xf32>, %b: tensor<200xf32>,
                 %y: tensor<{m}x270xf32>, %bm: tensor<270x133xf32>)
    -> (tensor<{m}x200xf32>, tensor<{m}x133xf32>, tensor<{m}x3xf32>) {{
  %c = arith.constant dense<[[1.0, -2.0, 0.5], [0.25, 3.0, -1.0], [2.0, 0.0, 1.5], [-0.5, 1.0, 1.0]]> : tensor<4x3xf32>
  %0 = graph.linear %x, %w, %b : (tensor<{m}x300xf32>, tensor<200x300xf32>, tensor<200xf32>) -> tensor<{m}x200xf32>
  %1 = graph.relu %0 : tensor<{m}x200xf32>
  %2 = graph.matmul %y, %bm : (tensor<{m}x270xf32>, tensor<270x133xf32>) -> tensor<{m}x133xf32>
  %3 = graph.slice %1 {{starts = array<i64: 0, 0>, ends = array<i64: {m}, 4>}} : (tensor<{m}x200xf32>) -> tensor<{m}x4xf32>
  %4 = graph.matmul %3, %c : (tensor<{m}x4xf32>, tensor<4x3xf32>) -> tensor<{m}x3xf32>
  func.return %1, %2, %4 : tensor<{m}x200xf32>, tensor<{m}x133xf32>, tensor<{m}x3xf32>
}}
"""  # noqa: E501

C = np.array(
    [[1.0, -2.0, 0.5], [0.25, 3.0, -1.0], [2.0, 0.0, 1.5], [-0.5, 1.0, 1.0]],
    np.float32,
)


def _reference(x: Array, w: Array, b: Array, y: Array, bm: Array) -> list[Array]:
    h = np.maximum(x.astype(np.float64) @ w.T + b, 0)
    return [h, y.astype(np.float64) @ bm, h[:, :4] @ C]


@pytest.mark.parametrize("n_dim", [0, 1])
@pytest.mark.parametrize(("n", "k", "nr"), [(40, 300, 32), (37, 5, 16), (8, 3, 8)])
def test_pack_weight_is_the_documented_layout(n_dim: int, n: int, k: int, nr: int):
    """Wp[p][k][j] = W(n = p*nr + j, k), zero past N."""
    rng = np.random.default_rng(0)
    w = rng.standard_normal((n, k) if n_dim == 0 else (k, n)).astype(np.float32)
    packed = pack_weight(w, nr, n_dim)
    assert packed.shape == packed_shape(w.shape, nr, n_dim) == (-(-n // nr), k, nr)
    for p in range(packed.shape[0]):
        for j in range(nr):
            col = p * nr + j
            want = (w[col] if n_dim == 0 else w[:, col]) if col < n else 0
            np.testing.assert_array_equal(packed[p, :, j], want)


@pytest.mark.parametrize("target", ["avx512", "avx2"])
@pytest.mark.parametrize("m", [1, 2, 13])
def test_packed_weights_agree_with_numpy(
    target: str, m: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TARGET_ENV, target)
    model = mlc.compile(MODEL.format(m=m))
    assert isinstance(model, CompiledModule)
    nr = 32 if target == "avx512" else 16
    packing = model.packing
    assert sorted(packing) == ["bm", "w"]
    assert packing["w"].shape == (-(-200 // nr), 300, nr)
    assert (packing["w"].n_dim, packing["bm"].n_dim) == (0, 1)
    assert packing["bm"].shape == (-(-133 // nr), 270, nr)
    rng = np.random.default_rng(m)
    names = ["x", "w", "b", "y", "bm"]
    args = [
        rng.standard_normal(s.shape).astype(np.float32) for s in model.signature.inputs
    ]
    want = _reference(*args)
    # Unbound: the weights are packed on every call; bound: once, at bind.
    got_unbound = model(*args)
    run = model.bind(w=args[1], b=args[2], bm=args[4])
    np.testing.assert_array_equal(run.native_bound["w"], pack_weight(args[1], nr, 0))
    assert run.native_signature.inputs[1].shape == packing["w"].shape
    assert run.bound["w"] is args[1] or np.array_equal(run.bound["w"], args[1])
    got_bound = run(args[0], args[3])
    assert [s.name for s in run.signature.inputs] == [names[0], names[3]]
    for got in (got_unbound, got_bound):
        assert isinstance(got, tuple)
        for g, w in zip(got, want, strict=True):
            assert g.shape == w.shape
            np.testing.assert_allclose(g, w, rtol=1e-5, atol=3e-5)
    np.testing.assert_array_equal(got_unbound[0], got_bound[0])


def test_a_wrong_weight_is_refused_in_its_own_shape() -> None:
    """The signature keeps the weight's shape; the packing is the runtime's."""
    model = mlc.compile(MODEL.format(m=1))
    assert isinstance(model, CompiledModule)
    with pytest.raises(
        mlc.InputError, match=r"bind: parameter 'w': expected shape \(200, 300\)"
    ):
        model.bind(w=np.zeros((300, 200), np.float32))


# A convolution's filter is the GEMM's A: 13 filters (one full AVX-512 panel
# of 8 and a partial one; AVX2: 6, 6, 1) over 5 channels, 3x3, padded, then
# relu (the epilogue); at width stride 1 (im2col by vector runs) and 2
# (element by element). K = 45: one K block.
CONV = """
func.func @conv(%x: tensor<2x5x9x11xf32>, %w: tensor<13x5x3x3xf32>, %b: tensor<13xf32>)
    -> tensor<2x13x{oh}x{ow}xf32> {{
  %0 = graph.conv2d %x, %w, %b {{pads = array<i64: 1, 1, 1, 1>, strides = array<i64: {s}, {s}>}} : (tensor<2x5x9x11xf32>, tensor<13x5x3x3xf32>, tensor<13xf32>) -> tensor<2x13x{oh}x{ow}xf32>
  %1 = graph.relu %0 : tensor<2x13x{oh}x{ow}xf32>
  func.return %1 : tensor<2x13x{oh}x{ow}xf32>
}}
"""  # noqa: E501


def _conv_reference(x: Array, w: Array, b: Array, stride: int) -> Array:
    padded = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (1, 1), (1, 1)))
    oh = (padded.shape[2] - 3) // stride + 1
    ow = (padded.shape[3] - 3) // stride + 1
    out = np.zeros((x.shape[0], w.shape[0], oh, ow))
    for i in range(3):
        for j in range(3):
            window = padded[
                :, :, i : i + stride * oh : stride, j : j + stride * ow : stride
            ]
            out += np.einsum("nchw,fc->nfhw", window, w[:, :, i, j])
    return np.maximum(out + b[None, :, None, None], 0)


def test_pack_weight_of_a_filter_is_the_documented_layout() -> None:
    """Wp[p][c][i][j][r] = W[p*mr + r, c, i, j], zero past F: W[F, C*KH*KW]'s."""
    w = np.random.default_rng(0).standard_normal((13, 5, 3, 3)).astype(np.float32)
    packed = pack_weight(w, 6, 0)
    assert packed.shape == packed_shape(w.shape, 6, 0) == (3, 5, 3, 3, 6)
    for p, r in np.ndindex(3, 6):
        f = p * 6 + r
        np.testing.assert_array_equal(packed[p, ..., r], w[f] if f < 13 else 0)
    flat = pack_weight(w.reshape(13, 45), 6, 0)
    np.testing.assert_array_equal(packed.reshape(flat.shape), flat)


@pytest.mark.parametrize("target", ["avx512", "avx2"])
@pytest.mark.parametrize("stride", [1, 2])
def test_packed_filters_agree_with_numpy(
    target: str, stride: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TARGET_ENV, target)
    oh, ow = (9, 11) if stride == 1 else (5, 6)
    model = mlc.compile(CONV.format(s=stride, oh=oh, ow=ow))
    assert isinstance(model, CompiledModule)
    mr = 8 if target == "avx512" else 6
    assert list(model.packing) == ["w"]
    assert model.packing["w"].shape == (-(-13 // mr), 5, 3, 3, mr)
    rng = np.random.default_rng(stride)
    x = rng.standard_normal((2, 5, 9, 11)).astype(np.float32)
    w = rng.standard_normal((13, 5, 3, 3)).astype(np.float32)
    b = rng.standard_normal(13).astype(np.float32)
    want = _conv_reference(x, w, b, stride)
    unbound = model(x, w, b)
    run = model.bind(w=w, b=b)
    np.testing.assert_array_equal(run.native_bound["w"], pack_weight(w, mr, 0))
    bound = run(x)
    for got in (unbound, bound):
        assert isinstance(got, np.ndarray)
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=3e-5)
    np.testing.assert_array_equal(unbound, bound)
