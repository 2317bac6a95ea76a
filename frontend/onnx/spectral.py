"""
ONNX converters: DFT, STFT, MelWeightMatrix and Det, composed from graph ops.

A **DFT** along an axis is a product by a constant real matrix built at
import: the axis is moved next to the trailing real/imaginary dim, the two
are flattened (`[..., N * c]`, `c` = 1 for real, 2 for complex input) and
multiplied by `[N * c, K * c_out]`, whose entries are `cos`/`sin` of
`∓2πkn/L` (scaled by `1/L` for the inverse), so the GEMM kernel does the
work. `dft_length` truncates or zero-pads the input (rows beyond it are
absent); `onesided` keeps `L/2 + 1` frequencies, and with `inverse` reads a
half spectrum and returns the real signal `[..., L, 1]` (irfft: each
frequency but the DC and Nyquist ones counted twice), as onnx's reference
implementation does.

**STFT** gathers the frames with one `gather` of constant indices, weights
them by the window and applies the same DFT matrix. **MelWeightMatrix** is
evaluated at import (its operands must be known). **Det** is Gaussian
elimination with partial pivoting, unrolled: each step swaps the pivot row
into place with the reflection `I - v vᵀ` (`v = e_k - e_p`, a one-hot of
the row holding the largest magnitude), flips the sign when it swaps, and
eliminates below the pivot; the determinant is the signed product of the
pivots (a zero pivot leaves its column as it is and makes it zero).
"""

from __future__ import annotations

from math import prod
from typing import Any

import numpy as np
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.dialects.graph.base import Array
from mlc.frontend import compose
from mlc.frontend.common import value_dtype, value_shape
from mlc.frontend.onnx.importer import Node, Output, converter, onnx_dtype


def dft_matrix(
    n_in: int,
    length: int,
    complex_in: bool,
    inverse: bool,
    onesided: bool,
) -> tuple[Array, int, int]:
    """The real matrix of a DFT and its output length and channels (f64)."""
    c_in = 2 if complex_in else 1
    if inverse and onesided:  # irfft: half spectrum in, real signal out
        used = min(n_in, length // 2 + 1)
        k = np.arange(used)[:, None]
        n = np.arange(length)[None, :]
        theta = 2 * np.pi * k * n / length
        weight = np.full((used, 1), 2.0)
        weight[0] = 1.0
        if length % 2 == 0 and used > length // 2:
            weight[length // 2] = 1.0
        matrix = np.zeros((n_in, c_in, length))
        matrix[:used, 0] = weight * np.cos(theta) / length
        if complex_in:
            matrix[:used, 1] = -weight * np.sin(theta) / length
        return matrix.reshape(n_in * c_in, length), length, 1
    out = length // 2 + 1 if onesided else length
    used = min(n_in, length)
    n = np.arange(used)[:, None]
    k = np.arange(out)[None, :]
    sign = 1.0 if inverse else -1.0
    theta = sign * 2 * np.pi * ((k * n) % length) / length
    scale = 1 / length if inverse else 1.0
    cos, sin = np.cos(theta) * scale, np.sin(theta) * scale
    matrix = np.zeros((n_in, c_in, out, 2))
    matrix[:used, 0, :, 0] = cos
    matrix[:used, 0, :, 1] = sin
    if complex_in:
        matrix[:used, 1, :, 0] = -sin
        matrix[:used, 1, :, 1] = cos
    return matrix.reshape(n_in * c_in, out * 2), out, 2


def _apply(node: Node, x: SSAValue, matrix: Array, out: int, c_out: int) -> SSAValue:
    """`x` [..., N, c] times `matrix` [N * c, out * c_out] -> [..., out, c_out]."""
    shape = value_shape(x)
    lead = shape[:-2]
    rows = node.emit(graph.ReshapeOp(x, (prod(lead), shape[-2] * shape[-1])))
    weight = node.const(matrix.astype(value_dtype(x)))
    product = node.emit(graph.MatmulOp(rows, weight))
    return node.emit(graph.ReshapeOp(product, (*lead, out, c_out)))


def _int_input(node: Node, index: int, what: str) -> int | None:
    values = node.ints_input(index, what)
    if values is None:
        return None
    if len(values) != 1:
        raise node.error(f"{what} must be a scalar, got {len(values)} values")
    return values[0]


@converter("DFT")
def _dft(node: Node) -> list[Output]:
    x = node.input(0)
    shape = value_shape(x)
    rank = len(shape)
    if rank < 3 or shape[-1] not in (1, 2):
        raise node.error(f"expects [..., N, 1 or 2] input, got {list(shape)}")
    if node.opset >= 20:
        axis = _int_input(node, 2, "axis")
        axis = -2 if axis is None else axis
    else:
        axis = int(node.attr("axis", 1))
    if not -rank <= axis < rank or axis % rank == rank - 1:
        raise node.error(f"axis {axis} is not a signal axis of rank {rank}")
    axis %= rank
    inverse = bool(int(node.attr("inverse", 0)))
    onesided = bool(int(node.attr("onesided", 0)))
    if onesided and not inverse and shape[-1] != 1:
        raise node.error("a one-sided DFT expects a real input ([..., 1])")
    length = _int_input(node, 1, "dft_length")
    if length is None:
        length = 2 * (shape[axis] - 1) if inverse and onesided else shape[axis]
    if length < 1:
        raise node.error(f"dft_length {length} is not positive")
    perm = [d for d in range(rank - 1) if d != axis] + [axis, rank - 1]
    moved = node.emit(graph.TransposeOp(x, perm)) if axis != rank - 2 else x
    matrix, out, c_out = dft_matrix(
        shape[axis], length, shape[-1] == 2, inverse, onesided
    )
    y = _apply(node, moved, matrix, out, c_out)
    if axis != rank - 2:
        y = node.emit(graph.TransposeOp(y, list(np.argsort(perm))))
    return [y]


@converter("STFT")
def _stft(node: Node) -> list[Output]:
    signal = node.input(0)
    shape = value_shape(signal)
    if len(shape) != 3 or shape[-1] not in (1, 2):
        raise node.error(f"expects a [batch, length, 1 or 2] signal, got {list(shape)}")
    step = _int_input(node, 1, "frame_step")
    if step is None or step < 1:
        raise node.error("expects a positive frame_step")
    window = node.input(2) if node.has(2) else None
    length = _int_input(node, 3, "frame_length")
    if length is None:
        length = shape[1] if window is None else value_shape(window)[0]
    if window is not None and value_shape(window) != (length,):
        raise node.error(f"window of shape {list(value_shape(window))} for {length}")
    if not 1 <= length <= shape[1]:
        raise node.error(f"frame_length {length} outside [1, {shape[1]}]")
    onesided = bool(int(node.attr("onesided", 1)))
    if onesided and shape[-1] != 1:
        raise node.error("a one-sided STFT expects a real signal ([batch, length, 1])")
    frames = 1 + (shape[1] - length) // step
    starts = np.arange(frames)[:, None] * step + np.arange(length)[None, :]
    framed = node.emit(graph.GatherOp(signal, node.const(starts), 1))
    if window is not None:
        spread = node.emit(graph.ReshapeOp(window, (length, 1)))
        framed = node.emit(graph.MulOp(framed, spread))
    matrix, out, c_out = dft_matrix(length, length, shape[-1] == 2, False, onesided)
    return [_apply(node, framed, matrix, out, c_out)]


def mel_weight_matrix(
    bins: int, dft_length: int, rate: int, lower: float, upper: float
) -> Array:
    """The ONNX MelWeightMatrix definition: triangles on the mel scale (f64)."""
    spectrogram_bins = dft_length // 2 + 1
    low_mel = 2595 * np.log10(1 + lower / 700)
    high_mel = 2595 * np.log10(1 + upper / 700)
    step = (high_mel - low_mel) / (bins + 2)
    hertz = 700 * (np.power(10, (np.arange(bins + 2) * step + low_mel) / 2595) - 1)
    edges = (((dft_length + 1) * hertz) // rate).astype(np.int64)
    out = np.zeros((spectrogram_bins, bins))
    for i in range(bins):
        low, center, high = (int(e) for e in edges[i : i + 3])
        if center == low:
            out[center, i] = 1
        else:
            j = np.arange(low, center + 1)
            out[j, i] = (j - low) / (center - low)
        if high > center:
            j = np.arange(center, high)
            out[j, i] = (high - j) / (high - center)
    return out


@converter("MelWeightMatrix")
def _mel_weight_matrix(node: Node) -> list[Output]:
    names = ("num_mel_bins", "dft_length", "sample_rate")
    bins, length, rate = (
        int(node.required_constant(i, n)) for i, n in enumerate(names)
    )
    lower = float(node.required_constant(3, "lower_edge_hertz"))
    upper = float(node.required_constant(4, "upper_edge_hertz"))
    if bins < 1 or length < 1 or rate < 1 or not 0 <= lower < upper:
        raise node.error("expects positive sizes and 0 <= lower_edge < upper_edge")
    dtype: np.dtype[Any] = onnx_dtype(int(node.attr("output_datatype", 1)))
    try:
        matrix = mel_weight_matrix(bins, length, rate, lower, upper)
    except IndexError:
        raise node.error("upper_edge_hertz lies beyond the spectrogram") from None
    return [matrix.astype(dtype)]


@converter("Det")
def _det(node: Node) -> list[Output]:
    a = node.input(0)
    shape = value_shape(a)
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise node.error(f"expects [..., n, n] matrices, got {list(shape)}")
    dtype: np.dtype[Any] = value_dtype(a)
    if dtype.kind != "f":
        raise node.error(f"expects floats, got {dtype}")
    n, lead = shape[-1], shape[:-2]
    batch = prod(lead)
    a = node.emit(graph.ReshapeOp(a, (batch, n, n)))
    sign: SSAValue = node.const(np.ones((batch, 1, 1), dtype))
    pivots: list[SSAValue] = []
    for k in range(n):
        column = node.emit(graph.SliceOp(a, [k, k], [n, k + 1], [1, 2]))
        if k < n - 1:
            a, sign = _swap_pivot(node, a, column, k, sign)
        pivot = node.emit(graph.SliceOp(a, [k, k], [k + 1, k + 1], [1, 2]))
        pivots.append(pivot)
        if k < n - 1:
            a = _eliminate(node, a, pivot, k)
    det = sign
    for pivot in pivots:
        det = node.emit(graph.MulOp(det, pivot))
    return [node.emit(graph.ReshapeOp(det, lead))]


def _swap_pivot(
    node: Node, a: SSAValue, column: SSAValue, k: int, sign: SSAValue
) -> tuple[SSAValue, SSAValue]:
    """Rows k and k + argmax|column| swapped by `(I - v vᵀ) a`; the sign updated."""
    _, n, _ = value_shape(a)
    dtype = value_dtype(a)
    where = compose.arg_extreme(node, node.emit(graph.AbsOp(column)), 1, True, False)
    rows = node.const(np.arange(n - k, dtype=np.int64).reshape(1, n - k, 1))
    picked = compose.cast(node, compose.equal(node, rows, where), dtype)
    if k:
        picked = node.emit(graph.PadOp(picked, [0, k, 0, 0, 0, 0]))
    e_k = np.zeros((1, n, 1), dtype)
    e_k[0, k, 0] = 1
    v = node.emit(graph.SubOp(node.const(e_k), picked))  # [batch, n, 1]
    v_t = node.emit(graph.TransposeOp(v, (0, 2, 1)))
    reflect = node.emit(graph.MatmulOp(v, v_t))
    identity = node.const(np.eye(n, dtype=dtype).reshape(1, n, n))
    swapped = node.emit(graph.MatmulOp(node.emit(graph.SubOp(identity, reflect)), a))
    # v·v is 2 when the rows differ, else 0: the sign is multiplied by 1 - v·v.
    norm = node.emit(graph.MatmulOp(v_t, v))
    flip = node.emit(graph.SubOp(node.scalar(1, dtype), norm))
    return swapped, node.emit(graph.MulOp(sign, flip))


def _eliminate(node: Node, a: SSAValue, pivot: SSAValue, k: int) -> SSAValue:
    """Rows below k minus their multiple of row k (a zero pivot eliminates nothing)."""
    _, n, _ = value_shape(a)
    dtype = value_dtype(a)
    zero, one = node.scalar(0, dtype), node.scalar(1, dtype)
    is_zero = compose.equal(node, pivot, zero)
    safe = node.emit(graph.WhereOp(is_zero, one, pivot))
    below = node.emit(graph.SliceOp(a, [k + 1, k], [n, k + 1], [1, 2]))
    factors = node.emit(graph.DivOp(below, safe))
    factors = node.emit(graph.WhereOp(is_zero, zero, factors))  # [batch, n-k-1, 1]
    row = node.emit(graph.SliceOp(a, [k], [k + 1], [1]))  # [batch, 1, n]
    update = node.emit(graph.MatmulOp(factors, row))
    rest = node.emit(graph.SliceOp(a, [k + 1], [n], [1]))
    top = node.emit(graph.SliceOp(a, [0], [k + 1], [1]))
    rest = node.emit(graph.SubOp(rest, update))
    return node.emit(graph.ConcatOp([top, rest], 1))
