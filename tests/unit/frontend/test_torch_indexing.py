"""
`mlc.import_torch` of scatters, advanced indexing, top-k and sort, einsum,
masked_scatter and embedding_bag, against PyTorch itself (the graph-level
interpreter, and compiled code for a few).
"""

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from torch.nn import functional  # noqa: E402
from torch_checks import Lambda, check_against_torch  # noqa: E402

import mlc  # noqa: E402
from mlc.frontend import UnsupportedModelError  # noqa: E402
from mlc.interpreters import run_function  # noqa: E402


def check(fn: Callable[..., Any], *inputs: Any, native: bool = False) -> None:
    check_against_torch(fn, inputs, native=native, rtol=1e-5, atol=1e-5)


GEN = torch.Generator().manual_seed(0)
X = torch.randn(4, 5, generator=GEN)
INDEX = torch.tensor([[0, 4, 1], [2, 2, 2], [3, 0, 3], [1, 1, 4]])
SRC = torch.randn(4, 3, generator=GEN)


def test_scatter_src_value_and_add() -> None:
    check(lambda x, i, s: x.scatter(1, i, s), X, INDEX, SRC, native=True)
    check(lambda x, i: x.scatter(1, i, 2.5), X, INDEX)
    check(lambda x, i, s: x.scatter_add(1, i, s), X, INDEX, SRC, native=True)


@pytest.mark.filterwarnings("ignore:The reduce argument of torch.scatter")
def test_scatter_with_the_old_reduce_argument() -> None:
    check(lambda x, i, s: x.scatter(1, i, s, reduce="multiply"), X, INDEX, SRC)
    check(lambda x, i: x.scatter(1, i, 2.0, reduce="add"), X, INDEX)


def test_scatter_with_an_index_smaller_than_src() -> None:
    src = torch.randn(5, 5, generator=GEN)
    index = torch.tensor([[1, 0], [0, 3]])
    check(lambda x, i, s: x.scatter(0, i, s), X, index, src)


@pytest.mark.parametrize("reduce", ["sum", "prod", "amax", "amin", "mean"])
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce(reduce: str, include_self: bool) -> None:
    def fn(x: Any, i: Any, s: Any) -> Any:
        return x.scatter_reduce(1, i, s, reduce, include_self=include_self)

    check(fn, X, INDEX, SRC)


def test_scatter_reduce_of_integers() -> None:
    x = torch.randint(-9, 9, (4, 5), generator=GEN, dtype=torch.int32)
    s = torch.randint(-9, 9, (4, 3), generator=GEN, dtype=torch.int32)
    check(lambda x, i, s: x.scatter_reduce(1, i, s, "amax"), x, INDEX, s, native=True)


@pytest.mark.parametrize(
    "fn",
    [
        lambda x, r, c: x[r],
        lambda x, r, c: x[r, c],
        lambda x, r, c: x[:, c],
        lambda x, r, c: x[r[:, None], c],
    ],
)
def test_advanced_indexing(fn: Callable[..., Any]) -> None:
    rows, cols = torch.tensor([0, -1, 2]), torch.tensor([1, 4, 4])
    check(fn, X, rows, cols)


def test_advanced_indexing_in_the_middle_and_apart() -> None:
    x = torch.randn(2, 3, 4, 5, generator=GEN)
    i, j = torch.tensor([[0, 2]]), torch.tensor([1, 3])
    check(lambda x, i, j: x[:, i, j], x, i, j, native=True)  # adjacent: in place
    check(lambda x, i, j: x[:, i, :, j], x, i, j)  # apart: B first


def test_index_put() -> None:
    rows = torch.tensor([0, 2, 0])
    values = torch.randn(3, 5, generator=GEN)
    check(lambda x, r, v: x.index_put((r,), v, accumulate=True), X, rows, values)
    check(lambda x, r: x.index_put((r,), torch.tensor(7.0)), X, rows)
    cols = torch.tensor([1, 3])
    check(
        lambda x, c, v: torch.ops.aten.index_put(x, [None, c], v),
        X,
        cols,
        torch.randn(4, 2, generator=GEN),
        native=True,
    )


def test_boolean_mask_indexing_is_refused() -> None:
    with pytest.raises(UnsupportedModelError):
        mlc.import_torch(Lambda(lambda x, m: x[m]), (X, X > 0))


@pytest.mark.parametrize("largest", [True, False])
def test_topk(largest: bool) -> None:
    x = torch.randperm(24, generator=GEN).reshape(3, 8).float()
    check(lambda x: torch.topk(x, 3, dim=1, largest=largest), x, native=True)
    check(lambda x: torch.topk(x, 2, dim=0, largest=largest), x)


def test_topk_ties_go_to_the_lower_index() -> None:
    # PyTorch leaves the order of ties unspecified; mlc's is ONNX's.
    x = np.array([[1.0, 3.0, 3.0, 0.0, 3.0]], np.float32)
    imported = mlc.import_torch(Lambda(lambda x: torch.topk(x, 2)), (torch.tensor(x),))
    values, indices = run_function(imported.module, imported.entry, [x])
    np.testing.assert_array_equal(values, [[3.0, 3.0]])
    np.testing.assert_array_equal(indices, [[1, 2]])


@pytest.mark.parametrize("descending", [True, False])
def test_stable_sort(descending: bool) -> None:
    x = torch.randint(0, 5, (2, 7), generator=GEN).float()
    check(lambda x: torch.sort(x, dim=-1, descending=descending, stable=True), x)
    check(lambda x: torch.sort(x, dim=0, descending=descending), x[:, :1] + x[:1])
    long = torch.randint(0, 6, (3, 20), generator=GEN).to(torch.int32)  # ranked
    check(lambda x: torch.sort(x, descending=descending, stable=True), long)


def test_einsum() -> None:
    a = torch.randn(2, 3, 4, generator=GEN)
    b = torch.randn(2, 4, 5, generator=GEN)
    check(lambda a, b: torch.einsum("bij,bjk->bik", a, b), a, b, native=True)
    check(lambda a: torch.einsum("bii->bi", a[:, :, :3]), a)


def test_masked_scatter() -> None:
    source = torch.randn(20, generator=GEN)
    check(lambda x, m, s: x.masked_scatter(m, s), X, X > 0, source, native=True)
    row = torch.tensor([True, False, True, True, False])
    check(lambda x, m, s: x.masked_scatter(m, s), X, row, source)  # broadcast


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag(mode: str) -> None:
    weight = torch.randn(10, 3, generator=GEN)
    indices = torch.tensor([1, 2, 4, 5, 4, 3, 2, 9])
    offsets = torch.tensor([0, 3, 3, 5])  # bag 1 is empty

    def fn(w: Any, i: Any, o: Any) -> Any:
        return functional.embedding_bag(i, w, o, mode=mode)

    check(fn, weight, indices, offsets)

    def padded(w: Any, i: Any, o: Any) -> Any:
        return functional.embedding_bag(i, w, o, mode=mode, padding_idx=4)

    check(padded, weight, indices, offsets)


def test_embedding_bag_with_per_sample_weights() -> None:
    weight = torch.randn(10, 3, generator=GEN)
    indices = torch.tensor([1, 2, 4, 5, 4, 3])
    offsets = torch.tensor([0, 2, 6])
    scale = torch.randn(6, generator=GEN)

    def fn(w: Any, i: Any, o: Any, p: Any) -> Any:
        return functional.embedding_bag(
            i, w, o, mode="sum", per_sample_weights=p, include_last_offset=True
        )

    check(fn, weight, indices, offsets, scale)
