"""
`mlc.import_torch` of the trigonometric, hyperbolic and rounding functions,
`fmod`/`remainder`, bitwise logic and shifts, `prod` and `cumprod`, against
PyTorch itself: interpreted at the graph level and compiled to native code.
"""

from collections.abc import Callable
from typing import Any

import pytest

torch = pytest.importorskip("torch")

from torch_checks import Lambda, check_against_torch  # noqa: E402

import mlc  # noqa: E402
from mlc.frontend import UnsupportedModelError  # noqa: E402


def check(fn: Callable[..., Any], *inputs: Any, native: bool = True) -> None:
    check_against_torch(fn, inputs, native=native, rtol=2e-5, atol=1e-6)


GEN = torch.Generator().manual_seed(0)
X = torch.randn(3, 4, 5, generator=GEN)
UNIT = torch.rand(3, 4, generator=GEN) * 1.98 - 0.99  # inside (-1, 1)
HALVES = torch.tensor([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49, -3.7])
INTS = torch.tensor([[-128, -1, 0, 7], [1, 127, 5, -6]], dtype=torch.int8)

FUNCTIONS: dict[str, tuple[Callable[..., Any], Any]] = {
    "sin": (torch.sin, X),
    "cos": (torch.cos, X),
    "tan": (torch.tan, X),
    "asin": (torch.asin, UNIT),
    "acos": (torch.acos, UNIT),
    "atan": (torch.atan, X),
    "sinh": (torch.sinh, X),
    "cosh": (torch.cosh, X),
    "asinh": (torch.asinh, X),
    "acosh": (torch.acosh, X.abs() + 1),
    "atanh": (torch.atanh, UNIT),
    "floor": (torch.floor, X * 3),
    "ceil": (torch.ceil, X * 3),
    "trunc": (torch.trunc, X * 3),
    "round": (torch.round, HALVES),
    "round_decimals": (lambda x: torch.round(x, decimals=1), X),
    "round_negative_decimals": (lambda x: torch.round(x * 100, decimals=-1), X),
    "sin_of_ints": (torch.sin, INTS),
    "floor_of_ints": (torch.floor, INTS),
}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_float_functions(name: str) -> None:
    fn, x = FUNCTIONS[name]
    check(fn, x)


def test_fmod_and_remainder() -> None:
    y = torch.tensor([2.0, -2.0, 0.75, -3.0, 1.5])
    check(lambda a, b: (torch.fmod(a, b), torch.remainder(a, b)), X * 4, y)
    check(lambda a: (torch.fmod(a, -1.5), a % 1.5), X * 4)
    b = torch.tensor([3, -3, 2, -5], dtype=torch.int32)
    a = INTS.to(torch.int32)
    check(lambda p, q: (torch.fmod(p, q), torch.remainder(p, q)), a, b)


def test_bitwise_logic() -> None:
    other = torch.tensor([3, -1, 0x55, 9], dtype=torch.int8)
    check(lambda a, b: (a & b, a | b, a ^ b, ~a), INTS, other)
    check(lambda a: (a & 6, a | 1, a ^ -1), INTS)
    p, q = INTS > 0, INTS < 5
    check(lambda a, b: (a & b, a | b, a ^ b, ~a), p, q)
    u = torch.tensor([0, 1, 200, 255], dtype=torch.uint8)
    check(lambda a: (~a, a & 0x0F), u)


def test_shifts() -> None:
    amounts = torch.tensor([[0, 1, 7, 3], [2, 6, 1, 0]], dtype=torch.int8)
    check(lambda a, b: (a << b, a >> b), INTS, amounts)
    check(lambda a: (a << 2, a >> 1), INTS.to(torch.int64))
    # Amounts of the width or more (or negative) shift every bit out.
    a = torch.tensor([1, -1, -128, 100], dtype=torch.int8)
    b = torch.tensor([8, 9, -1, 127], dtype=torch.int8)
    check(lambda p, q: (p << q, p >> q), a, b)
    u = torch.tensor([1, 2, 200, 255], dtype=torch.uint8)
    check(
        lambda a, b: (torch.bitwise_left_shift(a, b), torch.bitwise_right_shift(a, b)),
        u,
        torch.tensor([1, 3, 1, 7], dtype=torch.uint8),
    )


def test_prod_and_cumprod() -> None:
    check(lambda x: (x.prod(), x.prod(1), x.prod(-1, keepdim=True)), X)
    check(lambda x: (torch.cumprod(x, 0), torch.cumprod(x, -1)), X)
    ints = torch.tensor([[1, 2, 3], [-1, 4, 2]], dtype=torch.int32)
    check(lambda x: (x.prod(0), torch.cumprod(x, 1)), ints)
    check(lambda x: x.prod(), INTS > 0)  # bools multiply as int64


def test_shift_of_floats_is_refused_by_pytorch_or_named() -> None:
    with pytest.raises((UnsupportedModelError, RuntimeError, TypeError)):
        mlc.import_torch(Lambda(lambda a: a.bitwise_not()), (X,))
