"""
`mlc.import_torch` of comparisons, boolean logic, predicates and the min/max
and arg reductions composed from graph ops, against PyTorch itself.
"""

from collections.abc import Callable
from typing import Any

import pytest

torch = pytest.importorskip("torch")

from torch import nn  # noqa: E402
from torch_checks import check_against_torch  # noqa: E402


def check(fn: Callable[..., Any], *inputs: Any) -> None:
    check_against_torch(fn, inputs, native=False, rtol=1e-5, atol=1e-6)


SPECIAL = torch.tensor(
    [0.0, -0.0, 1.0, -1.0, float("inf"), float("-inf"), float("nan")]
)
A, B = torch.meshgrid(SPECIAL, SPECIAL, indexing="ij")
X = torch.randn(3, 4, 5, generator=torch.Generator().manual_seed(0))
INTS = torch.tensor([[-128, -1, 0], [1, 127, 5]], dtype=torch.int8)

COMPARISONS: dict[str, Callable[..., Any]] = {
    "eq": torch.eq,
    "ne": torch.ne,
    "lt": torch.lt,
    "le": torch.le,
    "gt": torch.gt,
    "ge": torch.ge,
}


@pytest.mark.parametrize("name", COMPARISONS)
def test_comparisons_of_tensors_and_scalars(name: str) -> None:
    op = COMPARISONS[name]
    check(op, A, B)
    check(lambda x: op(x, 0.5), X)
    check(lambda x, y: op(x, y), INTS, INTS.flip(1))
    check(lambda x: op(x, 0.5), INTS)  # an integer tensor against a float


def test_logic() -> None:
    check(lambda x, y: ((x > 0) & (y > 0)) | ~(x > y), A, B)
    check(lambda x, y: torch.logical_xor(x > 0, y) & torch.logical_not(x < 1), A, B)
    check(lambda x: torch.where(x > 0, x, 0.0) + x.masked_fill(x < -1, 2.0), X)


def test_predicates() -> None:
    check(lambda x: (torch.isnan(x), torch.isinf(x), torch.sign(x)), SPECIAL)
    check(torch.sign, INTS)
    check(torch.special.erfc, X)


def test_min_max_and_arg_reductions() -> None:
    ties = torch.tensor([[1.0, 5.0, 5.0, 0.0], [2.0, 2.0, -1.0, -1.0]])
    check(lambda x: torch.min(x, 1), ties)
    check(lambda x: torch.max(x, 0, keepdim=True), ties)
    check(lambda x: (torch.argmax(x), torch.argmin(x, 1)), ties)
    check(lambda x: torch.amin(x, (0, 2)), X)
    check(lambda x: torch.amin(x, 1), INTS)
    check(lambda x: ((x > 0).any(1), (x > 0).all(), (x > -3).all(2)), X)


def test_gather_flip_var_mean() -> None:
    index = torch.tensor([[[0, 2, -1, 1, 0]] * 4] * 3)
    check(lambda x: torch.gather(x, 1, index.remainder(4)), X)
    check(lambda x: torch.flip(x, [0, 2]), X)
    check(lambda x: (torch.cumsum(x, 1), torch.cumsum(x, -1)), X)
    check(lambda x: torch.cumsum(x, 1), INTS.to(torch.int64))
    check(lambda x: torch.var_mean(x, 1), X)
    check(torch.nn.functional.hardshrink, X)
    check(lambda x: torch.nn.functional.threshold(x, 0.1, 2.0), X)
    check(lambda x: torch.logsumexp(x, 1), X)


def test_convolution_1d() -> None:
    x = torch.randn(2, 4, 9, generator=torch.Generator().manual_seed(1))
    check(nn.Conv1d(4, 6, 3, stride=2, padding=1, dilation=2).eval(), x)
    check(nn.Conv1d(4, 4, 3, padding="same", dilation=2, groups=2).eval(), x)


def test_advanced_indexing() -> None:
    """`aten.index.Tensor`: where PyTorch puts the broadcast index dims."""
    x = torch.randn(3, 4, 5, 6, generator=torch.Generator().manual_seed(2))
    i, j = torch.tensor([[0, 2], [1, -1]]), torch.tensor([3, -2])
    check(lambda x, i: x[i], x, i)  # leading
    check(lambda x, i, j: x[i, j], x, i, j)  # broadcast together
    check(lambda x, i, j: x[:, i, j], x, i, j)  # adjacent: in place
    check(lambda x, i, j: x[i, :, j], x, i, j)  # apart: in front
    check(lambda x, i, j: x[:, i, :, j], x, i, j)
    mask = torch.tensor([[1, 1, 0]])
    check(lambda m: m[torch.arange(1)[:, None], torch.arange(3)[None, :]], mask)
