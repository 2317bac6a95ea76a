"""One shared library with several shape variants, dispatched by shape in C."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import mlc
from mlc.runtime.signature import aligned_empty
from mlc.runtime.specialize import DynamicModule
from mlc.runtime.weights import save_weights

pytestmark = pytest.mark.skipif(
    not any(shutil.which(c) for c in ("cc", "gcc", "clang")), reason="no C compiler"
)

LINEAR_RELU = """
func.func @f(%x: tensor<?x4xf32>, %w: tensor<3x4xf32>, %b: tensor<3xf32>)
    -> tensor<?x3xf32> {
  %0 = graph.linear %x, %w, %b
    : (tensor<?x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  %1 = graph.relu %0 : tensor<?x3xf32>
  func.return %1 : tensor<?x3xf32>
}
"""


def aligned(array: Any) -> Any:
    out = aligned_empty(array.shape, array.dtype)
    out[...] = array
    return out


def check_size_macros(header: Path) -> None:
    """Each variant's dimensions and element counts, as a C program sees them."""
    program = header.with_name("sizes.c")
    program.write_text(
        f'#include "{header.name}"\n'
        '_Static_assert(DYN_NUM_VARIANTS == 2, "variants");\n'
        '_Static_assert(DYN_V0_X_DIM0 == 1 && DYN_V1_X_DIM0 == 3, "dims");\n'
        '_Static_assert(DYN_V0_X_SIZE == 4 && DYN_V1_X_SIZE == 12, "x");\n'
        '_Static_assert(DYN_V0_OUT0_SIZE == 3 && DYN_V1_OUT0_SIZE == 9, "out");\n'
    )
    compiler = next(c for c in ("cc", "gcc", "clang") if shutil.which(c))
    done = subprocess.run(
        [compiler, "-std=c11", "-Wall", "-Werror", "-fsyntax-only", str(program)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_two_variants_in_one_library(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    w = rng.standard_normal((3, 4)).astype(np.float32)
    b = rng.standard_normal(3).astype(np.float32)
    model = mlc.compile(LINEAR_RELU, opt_level=1)
    assert isinstance(model, DynamicModule)
    built = model.bind(w=w, b=b).export_library(
        tmp_path / "libdyn.so", input_shapes=[{"x": (1, 4)}, {"x": (3, 4)}]
    )
    assert built.weights is not None
    assert built.weights.exists()
    header = built.header.read_text()
    assert "int64_t x_dim0,\n    const float *x,\n    float *out0);" in header
    assert "x: [3][4] f32, 12 elements" in header
    check_size_macros(built.header)
    library = ctypes.CDLL(str(built.library))
    library.dyn_error.restype = ctypes.c_char_p
    assert library.dyn_init(None) == 0, library.dyn_error()
    for batch in (1, 3):
        x = aligned(rng.standard_normal((batch, 4)).astype(np.float32))
        y = aligned_empty((batch, 3), np.dtype(np.float32))
        code = library.dyn_run(
            ctypes.c_int64(batch),
            ctypes.c_void_p(x.ctypes.data),
            ctypes.c_void_p(y.ctypes.data),
        )
        assert code == 0, library.dyn_error()
        np.testing.assert_allclose(y, np.maximum(x @ w.T + b, 0), rtol=1e-5, atol=1e-6)
    x = aligned(np.zeros((5, 4), np.float32))
    y = aligned_empty((5, 3), np.dtype(np.float32))
    code = library.dyn_run(
        ctypes.c_int64(5),
        ctypes.c_void_p(x.ctypes.data),
        ctypes.c_void_p(y.ctypes.data),
    )
    assert code == 1
    assert library.dyn_error() == (
        b"dyn_run: no variant for x_dim0=5 (built: x_dim0=1; x_dim0=3)"
    )
    # A variant's own checks still run: a NULL pointer is refused.
    code = library.dyn_run(ctypes.c_int64(1), None, ctypes.c_void_p(y.ctypes.data))
    assert code == 1
    assert b"argument 'x' is NULL" in library.dyn_error()
    library.dyn_free()


def test_one_shape_set_is_an_ordinary_library(tmp_path: Path) -> None:
    model = mlc.compile(LINEAR_RELU, opt_level=0)
    assert isinstance(model, DynamicModule)
    built = model.export_library(tmp_path / "libone.so", input_shapes={"x": (2, 4)})
    header = built.header.read_text()
    assert "int64_t" not in header.split("one_run(")[1].split(");")[0]
    with pytest.raises(mlc.CompileError, match="give its shape with input_shapes"):
        model.export_library(tmp_path / "libnone.so", input_shapes=[{}])


def test_the_variants_refuse_other_weights(tmp_path: Path) -> None:
    """Every variant checks the weights file's digest, as one library does."""
    w = np.ones((3, 4), np.float32)
    b = np.zeros(3, np.float32)
    model = mlc.compile(LINEAR_RELU, opt_level=0)
    assert isinstance(model, DynamicModule)
    built = model.bind(w=w, b=b).export_library(
        tmp_path / "libdw.so", input_shapes=[{"x": (1, 4)}, {"x": (2, 4)}]
    )
    assert "DW_V0_WEIGHTS_CRC32" not in built.header.read_text()  # private
    assert not list(tmp_path.glob("*.tmp*")), "no staged file is left behind"
    library = ctypes.CDLL(str(built.library))
    library.dw_error.restype = ctypes.c_char_p
    other = tmp_path / "other.weights"
    # The file exported holds w packed (pack-weights): the same shape here.
    shape = model.bind(w=w, b=b).specialize({"x": (1, 4)}).packing["w"].shape
    save_weights(other, {"w": np.zeros(shape, np.float32), "b": b})
    assert library.dw_init(str(other).encode()) == 3  # DW_ERR_WEIGHTS
    assert b"not the weights file exported with this library" in library.dw_error()
    assert library.dw_init(None) == 0, library.dw_error()
    library.dw_free()


OUTER_SUM = """
func.func @f(%x: tensor<?x1xf32>, %y: tensor<1x4194304xf32>) -> tensor<1x1xf32> {
  %0 = graph.matmul %x, %y : (tensor<?x1xf32>, tensor<1x4194304xf32>)
    -> tensor<?x4194304xf32>
  %1 = graph.reduce_sum %0 {axes = array<i64: 0, 1>, keepdims = true}
    : (tensor<?x4194304xf32>) -> tensor<1x1xf32>
  func.return %1 : tensor<1x1xf32>
}
"""


def test_a_variant_out_of_memory_is_err_memory(tmp_path: Path) -> None:
    """A variant whose intermediate cannot be allocated returns ERR_MEMORY."""
    model = mlc.compile(OUTER_SUM, opt_level=0)
    assert isinstance(model, DynamicModule)
    n, m = 2**20, 2**22  # the 2**20-row variant needs 16 TiB
    built = model.export_library(
        tmp_path / "libom.so", input_shapes=[{"x": (2, 1)}, {"x": (n, 1)}]
    )
    library = ctypes.CDLL(str(built.library))
    library.om_error.restype = ctypes.c_char_p
    assert library.om_init(None) == 0
    y = aligned(np.ones((1, m), np.float32))
    out = aligned_empty((1, 1), np.dtype(np.float32))
    x = aligned(np.ones((2, 1), np.float32))
    pointers = [ctypes.c_void_p(a.ctypes.data) for a in (x, y, out)]
    assert library.om_run(ctypes.c_int64(2), *pointers) == 0, library.om_error()
    assert out[0, 0] == pytest.approx(2 * m)
    big = aligned(np.ones((n, 1), np.float32))
    pointers[0] = ctypes.c_void_p(big.ctypes.data)
    assert library.om_run(ctypes.c_int64(n), *pointers) == 4  # OM_ERR_MEMORY
    assert library.om_error().decode() == (
        f"om_v1_run: out of memory: could not allocate a buffer of {n * m * 4} bytes"
    )
    library.om_free()
