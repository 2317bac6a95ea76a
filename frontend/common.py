"""
What the ONNX and PyTorch importers share.

Names (an SSA-name-safe, unique form of a model's names), element types (the
numpy dtypes mlc supports), static types of imported values, the one error
listing every unsupported op of a model at once, and the window arithmetic of
convolutions and pooling (`graph.nn.Window` is the one definition of a
pooled size).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from math import prod
from typing import Any

import numpy as np
from xdsl.dialects.builtin import TensorType
from xdsl.ir import Attribute, SSAValue
from xdsl.utils.hints import isa

from mlc.dialects.graph.base import Tensor, from_numpy_dtype, to_numpy_dtype
from mlc.dialects.graph.nn import Window
from mlc.frontend.model import UnsupportedModelError

# --------------------------------------------------------------------------- #
# Names
# --------------------------------------------------------------------------- #

_NOT_NAME = re.compile(r"[^A-Za-z0-9_]")
_NUMBERED = re.compile(r"_+(\d+)$")


def sanitize(name: str) -> str:
    """
    An SSA-name-safe form of a model's name (letters, digits and `_`).

    xDSL drops a trailing `_<digits>` from name hints, so `layers_0` becomes
    `layers0`; a name that does not start with a letter or `_` gets `v_`.
    """
    out = _NOT_NAME.sub("_", name)
    if not out or not (out[0].isalpha() or out[0] == "_"):
        out = "v_" + out
    while (match := _NUMBERED.search(out)) is not None:
        out = out[: match.start()] + match[1]
    return out


def unique_name(name: str, taken: set[str]) -> str:
    """`sanitize(name)`, made unused by a `v<i>` suffix; recorded in `taken`."""
    base = sanitize(name)
    out, i = base, 1
    while out in taken:
        out, i = f"{base}v{i}", i + 1
    taken.add(out)
    return out


# --------------------------------------------------------------------------- #
# Element types and static types
# --------------------------------------------------------------------------- #


def supported_dtype(dtype: np.dtype[Any], what: str) -> np.dtype[Any]:
    """`dtype` when mlc's graph dialect has it, else an error naming `what`."""
    try:
        from_numpy_dtype(dtype)
    except (KeyError, ValueError, TypeError):
        raise UnsupportedModelError(
            f"{what} has element type {dtype}, which mlc does not support"
        ) from None
    return dtype


def tensor_type(dtype: np.dtype[Any], shape: Sequence[int]) -> Tensor:
    return TensorType(from_numpy_dtype(dtype), list(shape))


def value_type(value: SSAValue) -> Tensor:
    type_ = value.type
    assert isa(type_, TensorType[Attribute])
    return type_


def value_shape(value: SSAValue) -> tuple[int, ...]:
    return tuple(value_type(value).get_shape())


def value_rank(value: SSAValue) -> int:
    return len(value_type(value).get_shape())


def value_dtype(value: SSAValue) -> np.dtype[Any]:
    return to_numpy_dtype(value_type(value).element_type)


MAX_ELEMENTS = 1 << 31
"""The most elements one tensor of an imported model may have (static shapes)."""


def check_elements(shape: Sequence[int], what: str) -> None:
    """Refuse a shape with a negative dim or too many elements, before allocating."""
    if any(d < 0 for d in shape):
        raise UnsupportedModelError(f"{what} has a negative dimension {list(shape)}")
    count = prod(shape)  # exact: Python integers do not overflow
    if count > MAX_ELEMENTS:
        raise UnsupportedModelError(
            f"{what} has {count} elements (shape {list(shape)}); mlc imports "
            f"tensors of at most 2^31 elements"
        )


def first_line(error: BaseException) -> str:
    """`Type: first line of the message` of a foreign exception."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__


# --------------------------------------------------------------------------- #
# Every unsupported op at once
# --------------------------------------------------------------------------- #


def check_all_supported(
    source: str, kind: str, nodes: Iterable[tuple[str, str]]
) -> None:
    """
    Raise one error listing every unsupported op type, with its count and
    first node: `nodes` are the (op type, node name) of the unsupported nodes.
    """
    counts: Counter[str] = Counter()
    first: dict[str, str] = {}
    for op_type, name in nodes:
        counts[op_type] += 1
        first.setdefault(op_type, name)
    if counts:
        listed = ", ".join(
            f"{op} ({count} node{'s' if count > 1 else ''}, first '{first[op]}')"
            for op, count in counts.items()
        )
        raise UnsupportedModelError(f"{source}: unsupported {kind} ops: {listed}")


# --------------------------------------------------------------------------- #
# Windows
# --------------------------------------------------------------------------- #


def pooled_size(
    size: int, k: int, s: int, d: int, pads: tuple[int, int], ceil: bool
) -> int:
    """The output size of one window axis (`graph.nn.Window`'s rule)."""
    window = Window((k, 1), (s, 1), (pads[0], 0, pads[1], 0), (d, 1), ceil)
    return window.out_size(0, size)


def same_pads(
    sizes: Sequence[int],
    kernel: Sequence[int],
    strides: Sequence[int],
    dilations: Sequence[int],
    upper: bool,
) -> list[int]:
    """
    The begins then ends of "same" padding: the output size is the input size
    divided by the stride, rounded up; an odd total puts the extra pad at the
    end (`upper`) or the beginning.
    """
    begins: list[int] = []
    ends: list[int] = []
    for size, k, s, d in zip(sizes, kernel, strides, dilations, strict=True):
        out = -(-size // s)
        total = max(0, (out - 1) * s + (k - 1) * d + 1 - size)
        small, large = total // 2, total - total // 2
        begins.append(small if upper else large)
        ends.append(large if upper else small)
    return begins + ends
