"""
`math-approximate`: the f32 vector expansions of exp, tanh, erf, log, sin and
cos, run
natively through the pipeline (`linalg-vectorize` makes the ops vector ops),
stay within `ULP_BOUNDS` of numpy's float64 functions rounded to f32 on a
sample of every float32 bit pattern (subnormals and the largest magnitudes
included) and a dense grid, and give libm's results for NaN, ±inf and ±0.
The full measurement (2^22 points per function) is in the pass docstring.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import mlc
from mlc.passes.math_approximate import TRIG_LIMIT, ULP_BOUNDS
from mlc.support.target import TARGET_ENV

Array = np.ndarray[Any, Any]

REFERENCES: dict[str, Callable[[Array], Array]] = {
    "exp": np.exp,
    "tanh": np.tanh,
    "erf": np.vectorize(math.erf, otypes=[np.float64]),
    "log": np.log,
    "sin": np.sin,
    "cos": np.cos,
}
GRIDS = {
    "exp": (-105, 90),
    "tanh": (-10, 10),
    "erf": (-5, 5),
    "log": (0, 50),
    "sin": (-TRIG_LIMIT, TRIG_LIMIT),
    "cos": (-TRIG_LIMIT, TRIG_LIMIT),
}

SPECIALS = np.array(
    [np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-45, -1e-45, 3.4e38, -3.4e38],
    np.float32,
)


def run(name: str, x: Array, target: str) -> Array:
    n = x.size
    text = (
        f"func.func @{name}_{target}(%x: tensor<{n}xf32>) -> tensor<{n}xf32> {{\n"
        f"  %y = graph.{name} %x : tensor<{n}xf32>\n"
        f"  func.return %y : tensor<{n}xf32>\n}}\n"
    )
    result = mlc.compile(text, opt_level=3)(x)
    assert isinstance(result, np.ndarray)
    return result


def ordered(a: Array) -> Array:
    """f32 bit patterns as integers ordered like the floats they encode."""
    bits = a.view(np.int32).astype(np.int64)
    return np.where(bits < 0, -(bits & 0x7FFFFFFF), bits)


def sample(name: str) -> Array:
    rng = np.random.default_rng(1)
    bits = rng.integers(0, 1 << 32, 1 << 15, dtype=np.uint64).astype(np.uint32)
    x = np.concatenate(
        [bits.view(np.float32), np.linspace(*GRIDS[name], 1 << 15, dtype=np.float32)]
    )
    x = x[np.isfinite(x)]
    if name in ("sin", "cos"):  # the expansion's range; libm's beyond (SPECIALS)
        x = x[np.abs(x) <= TRIG_LIMIT]
    return np.abs(x) if name == "log" else x


@pytest.mark.parametrize("target", ["host", "avx2"])
@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_error_within_the_stated_ulp_bound(
    name: str, target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TARGET_ENV, target)
    x = np.concatenate([sample(name), SPECIALS])
    got = run(name, x, target)
    with np.errstate(all="ignore"):
        want = REFERENCES[name](x.astype(np.float64)).astype(np.float32)
    both_nan = np.isnan(got) & np.isnan(want)
    ulps = np.where(both_nan, 0, np.abs(ordered(got) - ordered(want)))
    worst = int(np.argmax(ulps))
    assert ulps[worst] <= ULP_BOUNDS[name], (
        f"{name}({x[worst]!r}) = {got[worst]!r}, want {want[worst]!r}"
    )


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_special_values_as_libm(name: str) -> None:
    got = run(name, SPECIALS, "host")
    with np.errstate(all="ignore"):
        want = REFERENCES[name](SPECIALS.astype(np.float64)).astype(np.float32)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    finite = ~np.isnan(want)
    np.testing.assert_array_equal(got[finite], want[finite])
    # signed zeros keep their sign (tanh(-0) = -0, erf(-0) = -0, exp(-0) = 1)
    np.testing.assert_array_equal(np.signbit(got[finite]), np.signbit(want[finite]))


@pytest.mark.parametrize("name", ["sin", "cos"])
def test_sin_and_cos_keep_signed_zeros_and_take_libm_past_the_limit(name: str) -> None:
    """
    Zeros and subnormals through the polynomial; a lane past the limit (or
    a NaN) sends its whole vector to libm, which reduces exactly."""
    small = np.array([-0.0, 0.0, 1e-45, -1e-45, 1e-30, -3.0, TRIG_LIMIT], np.float32)
    large = np.array([1.0, 2.5, -TRIG_LIMIT * 4, 3.4e38, 1e10], np.float32)
    for x in (small, large, np.concatenate([small, [np.nan]]).astype(np.float32)):
        got = run(name, x, "host")
        with np.errstate(all="ignore"):
            want = REFERENCES[name](x.astype(np.float64)).astype(np.float32)
        ulps = np.abs(ordered(got) - ordered(want))
        ulps = np.where(np.isnan(got) & np.isnan(want), 0, ulps)
        assert ulps.max() <= ULP_BOUNDS[name], (x, got, want)
        np.testing.assert_array_equal(np.signbit(got), np.signbit(want))
