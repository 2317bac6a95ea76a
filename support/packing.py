"""
The packed layout of a contraction's weight, in numpy.

`pack-weights` stores a GEMM's B operand (a `linear`'s `W[N, K]`, a matmul's
constant or parameter `B[K, N]`) as the micro-kernel reads it: panels of `nr`
columns, each `K` rows deep, `Wp[ceil(N/nr)][K][nr]` with `Wp[p][k][j] = W(n =
p*nr + j, k)` and zeros past `N`. A convolution's filter `W[F, C, KH, KW]`,
the GEMM's A, is packed the same way as `W[F, C*KH*KW]` (`n` = F, panels of
`mr` rows). The pass folds constants with `pack_weight`;
the runtime packs a bound parameter with it once, at `bind`
(`support/abi.py` `PACKED_ATTR` records `nr` and which dimension is `n`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

Array = np.ndarray[Any, Any]


PACKED_RANKS = (2, 4)
"""Ranks of the weights `pack-weights` packs: a GEMM's B, a convolution's filter."""


def _as_2d(shape: tuple[int, ...], n_dim: int) -> tuple[int, int]:
    """(N, K): a filter `W[F, C, KH, KW]` (n_dim 0) is `W[F, C*KH*KW]`."""
    if len(shape) == 2:
        return shape[n_dim], shape[1 - n_dim]
    if n_dim != 0:
        raise ValueError(f"a {len(shape)}-D weight is packed along dimension 0")
    return shape[0], int(np.prod(shape[1:]))


def packed_shape(shape: tuple[int, ...], nr: int, n_dim: int) -> tuple[int, ...]:
    """
    The packed shape `(ceil(N/nr), K, nr)` of a weight of `shape`; a
    filter's keeps its K dimensions, `(ceil(F/nr), C, KH, KW, nr)`: the same
    bytes, which a convolution can index with plain loop dimensions.
    """
    n, k = _as_2d(shape, n_dim)
    return (-(-n // nr), *(shape[1:] if len(shape) > 2 else (k,)), nr)


def pack_weight(array: Array, nr: int, n_dim: int, out: Array | None = None) -> Array:
    """`array` (`n` its dimension `n_dim`, the rest `k`) packed, into `out` if given."""
    n, k = _as_2d(array.shape, n_dim)
    w = array.reshape(n, k) if n_dim == 0 else array.T  # W[n, k]
    shape = packed_shape(array.shape, nr, n_dim)
    result = np.empty(shape, array.dtype) if out is None else out
    out = result.reshape(shape[0], k, nr)  # a view: `result` is contiguous
    full = n // nr
    out[full:] = 0
    if full:
        out[:full] = w[: full * nr].reshape(full, nr, k).transpose(0, 2, 1)
    if n % nr:
        out[full, :, : n % nr] = w[full * nr :].T
    return result


__all__ = ["PACKED_RANKS", "pack_weight", "packed_shape"]
