"""The weights file: round trips of every dtype, the documented layout, errors."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mlc.runtime.weights import (
    CODE_DTYPES,
    DTYPE_CODES,
    MAGIC,
    WeightsError,
    load_weights,
    save_weights,
    weights_path_beside,
)
from mlc.support.abi import ALIGNMENT

DTYPES = list(DTYPE_CODES)


def _sample(dtype: np.dtype[np.generic], shape: tuple[int, ...]) -> np.ndarray:
    rng = np.random.default_rng(0)
    if dtype == np.bool_:
        return rng.integers(0, 2, shape).astype(np.bool_)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return rng.integers(info.min, info.max, shape, dtype=dtype, endpoint=True)
    return rng.standard_normal(shape).astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_round_trip_of_each_dtype(tmp_path: Path, dtype: np.dtype[np.generic]):
    params = {
        "matrix": _sample(dtype, (3, 5)),
        "scalar": _sample(dtype, ()),
        "empty": _sample(dtype, (0, 4)),
        "cube": _sample(dtype, (2, 3, 4)),
    }
    path = tmp_path / "m.weights"
    save_weights(path, params)
    loaded = load_weights(path)
    assert list(loaded) == list(params)
    for name, array in params.items():
        got = loaded[name]
        assert got.dtype == array.dtype
        assert got.shape == array.shape
        np.testing.assert_array_equal(got, array)
        assert got.flags.c_contiguous
        assert got.flags.writeable
        assert got.ctypes.data % ALIGNMENT == 0


def test_special_float_values_survive(tmp_path: Path):
    values = np.array([np.nan, np.inf, -np.inf, -0.0, 65504.0, 6e-8], np.float16)
    save_weights(tmp_path / "w", {"x": values})
    got = load_weights(tmp_path / "w")["x"]
    assert got.tobytes() == values.tobytes()


def test_strided_and_big_endian_arrays_are_stored_c_ordered_little_endian(
    tmp_path: Path,
):
    transposed = np.arange(12, dtype=np.float32).reshape(3, 4).T
    big = np.arange(5, dtype=">i4")
    save_weights(tmp_path / "w", {"t": transposed, "big": big})
    loaded = load_weights(tmp_path / "w")
    np.testing.assert_array_equal(loaded["t"], transposed)
    np.testing.assert_array_equal(loaded["big"], big)
    assert loaded["big"].dtype == np.dtype(np.int32)


def test_layout_is_the_documented_one(tmp_path: Path):
    path = tmp_path / "w"
    save_weights(path, {"ab": np.array([[1.0, 2.0]], np.float32)})
    data = path.read_bytes()
    assert data[:4] == MAGIC
    assert struct.unpack_from("<III", data, 4) == (1, 1, 0)
    assert struct.unpack_from("<I", data, 16) == (2,)
    assert data[20:22] == b"ab"
    code, rank = struct.unpack_from("<II", data, 22)
    assert (CODE_DTYPES[code], rank) == (np.dtype(np.float32), 2)
    dims = struct.unpack_from("<QQ", data, 30)
    offset, size = struct.unpack_from("<QQ", data, 46)
    assert dims == (1, 2)
    assert (offset % ALIGNMENT, size) == (0, 8)
    assert struct.unpack_from("<ff", data, offset) == (1.0, 2.0)
    assert data[62:offset] == b"\0" * (offset - 62)


def test_every_block_is_64_byte_aligned(tmp_path: Path):
    params = {f"p{i}": np.ones(i, np.int8) for i in range(1, 6)}
    save_weights(tmp_path / "w", params)
    data = tmp_path.joinpath("w").read_bytes()
    pos = 16
    for _ in params:
        (length,) = struct.unpack_from("<I", data, pos)
        pos += 4 + length
        _, rank = struct.unpack_from("<II", data, pos)
        pos += 8 + 8 * rank
        offset, _ = struct.unpack_from("<QQ", data, pos)
        pos += 16
        assert offset % ALIGNMENT == 0


def test_no_tensors_and_unicode_names(tmp_path: Path):
    save_weights(tmp_path / "empty", {})
    assert load_weights(tmp_path / "empty") == {}
    save_weights(tmp_path / "u", {"poids.ü/0": np.zeros(2, np.float64)})
    assert list(load_weights(tmp_path / "u")) == ["poids.ü/0"]


@settings(max_examples=25, deadline=None)
@given(
    arrays=st.lists(
        hnp.arrays(
            # hypothesis draws numpy's own dtypes (bfloat16 is ml_dtypes').
            st.sampled_from([d for d in DTYPES if d.kind != "V"]),
            hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
        ),
        max_size=4,
    )
)
def test_random_round_trips(tmp_path_factory: pytest.TempPathFactory, arrays):
    path = tmp_path_factory.mktemp("w") / "random.weights"
    params = {f"t{i}": a for i, a in enumerate(arrays)}
    save_weights(path, params)
    loaded = load_weights(path)
    for name, array in params.items():
        assert loaded[name].dtype == array.dtype
        assert loaded[name].tobytes() == np.ascontiguousarray(array).tobytes()


# -- errors ---------------------------------------------------------------------- #


def test_missing_file_names_it(tmp_path: Path):
    path = tmp_path / "nope.weights"
    with pytest.raises(WeightsError, match=r"nope\.weights: cannot open weights file"):
        load_weights(path)


def test_bad_magic_names_the_file(tmp_path: Path):
    path = tmp_path / "bad.weights"
    path.write_bytes(b"GGUF" + b"\0" * 60)
    with pytest.raises(WeightsError, match=r"bad\.weights: not an mlc weights file"):
        load_weights(path)


def test_empty_file_is_not_a_weights_file(tmp_path: Path):
    path = tmp_path / "zero.weights"
    path.write_bytes(b"")
    with pytest.raises(WeightsError, match="not an mlc weights file"):
        load_weights(path)


def test_unsupported_version(tmp_path: Path):
    path = tmp_path / "v.weights"
    save_weights(path, {})
    data = bytearray(path.read_bytes())
    data[4] = 9
    path.write_bytes(bytes(data))
    with pytest.raises(WeightsError, match="unsupported weights file version 9"):
        load_weights(path)


@pytest.mark.parametrize("keep", [10, 20, 40, 70, 100])
def test_truncated_file_names_the_file(tmp_path: Path, keep: int):
    path = tmp_path / "cut.weights"
    save_weights(path, {"w": np.ones((4, 4), np.float32)})
    path.write_bytes(path.read_bytes()[:keep])
    with pytest.raises(WeightsError, match=r"cut\.weights: invalid weights file: "):
        load_weights(path)


def test_table_size_must_match_shape(tmp_path: Path):
    path = tmp_path / "w"
    save_weights(path, {"w": np.ones(4, np.float32)})
    data = bytearray(path.read_bytes())
    struct.pack_into("<Q", data, 16 + 4 + 1 + 8 + 8 + 8, 12)  # size field
    path.write_bytes(bytes(data))
    with pytest.raises(WeightsError, match="needs 16 bytes, the table says 12"):
        load_weights(path)


def test_unknown_dtype_code(tmp_path: Path):
    path = tmp_path / "w"
    save_weights(path, {"w": np.ones(4, np.float32)})
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, 16 + 4 + 1, 99)
    path.write_bytes(bytes(data))
    with pytest.raises(WeightsError, match="unknown dtype code 99"):
        load_weights(path)


def test_duplicate_names_are_rejected(tmp_path: Path):
    path = tmp_path / "w"
    save_weights(path, {"a": np.ones(1, np.int8), "b": np.ones(1, np.int8)})
    data = path.read_bytes().replace(b"\x01\0\0\0b", b"\x01\0\0\0a")
    path.write_bytes(data)
    with pytest.raises(WeightsError, match="'a' appears twice"):
        load_weights(path)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"c": np.ones(2, np.complex64)}, "unsupported dtype complex64"),
        ({"o": np.array([object()])}, "unsupported dtype object"),
        ({"": np.ones(1)}, "non-empty string"),
        ({"l": [1.0, 2.0]}, "must be a numpy array, not list"),
    ],
)
def test_save_rejects_bad_params(tmp_path: Path, params: dict, message: str):
    with pytest.raises(WeightsError, match=message):
        save_weights(tmp_path / "w", params)
    assert not (tmp_path / "w").exists()


def test_save_into_missing_directory_names_the_file(tmp_path: Path):
    with pytest.raises(WeightsError, match=r"no/such\.weights: cannot write"):
        save_weights(tmp_path / "no" / "such.weights", {"a": np.ones(1)})


def test_weights_path_beside():
    assert weights_path_beside("dir/model.mlir") == Path("dir/model.weights")
