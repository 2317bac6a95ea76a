"""
The packed layout of a contraction's weight, in numpy.

`pack-weights` stores a GEMM's B operand (a `linear`'s `W[N, K]`, a matmul's
constant or parameter `B[K, N]`) as the micro-kernel reads it: panels of `nr`
columns, each `K` rows deep, `Wp[ceil(N/nr)][K][nr]` with `Wp[p][k][j] = W(n =
p*nr + j, k)` and zeros past `N`. The pass folds constants with `pack_weight`;
the runtime packs a bound parameter with it once, at `bind`
(`support/abi.py` `PACKED_ATTR` records `nr` and which dimension is `n`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

Array = np.ndarray[Any, Any]


def packed_shape(shape: tuple[int, ...], nr: int, n_dim: int) -> tuple[int, int, int]:
    """The packed shape `(ceil(N/nr), K, nr)` of a 2-D weight of `shape`."""
    n, k = shape[n_dim], shape[1 - n_dim]
    return (-(-n // nr), k, nr)


def pack_weight(array: Array, nr: int, n_dim: int, out: Array | None = None) -> Array:
    """`array` (2-D, `n` its dimension `n_dim`) packed, into `out` if given."""
    w = array if n_dim == 0 else array.T  # W[n, k]
    n, k = w.shape
    shape = packed_shape(array.shape, nr, n_dim)
    out = np.empty(shape, array.dtype) if out is None else out
    full = n // nr
    out[full:] = 0
    if full:
        out[:full] = w[: full * nr].reshape(full, nr, k).transpose(0, 2, 1)
    if n % nr:
        out[full, :, : n % nr] = w[full * nr :].T
    return out


__all__ = ["pack_weight", "packed_shape"]
