"""
Out of memory is an error, not a crash: every allocation of generated code
is checked, a call that cannot allocate raises `mlc.OutOfMemoryError` (a
`MemoryError`) naming the size, and what can never fit is refused at compile
time. The exported library's `_run` returns `ERR_MEMORY` (test_export.py).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import mlc
from mlc.runtime.signature import CompileError, OutOfMemoryError


def outer_product_sum(n: int, m: int) -> str:
    """A model whose n-by-m f32 intermediate is a heap temporary."""
    return f"""
func.func @f(%x: tensor<{n}x1xf32>, %y: tensor<1x{m}xf32>) -> tensor<1x1xf32> {{
  %0 = graph.matmul %x, %y : (tensor<{n}x1xf32>, tensor<1x{m}xf32>) \
-> tensor<{n}x{m}xf32>
  %1 = graph.reduce_sum %0 {{axes = array<i64: 0, 1>, keepdims = true}} : \
(tensor<{n}x{m}xf32>) -> tensor<1x1xf32>
  func.return %1 : tensor<1x1xf32>
}}
"""


def test_a_16_tib_intermediate_is_a_memory_error_not_a_crash():
    n, m = 2**20, 2**22  # 16 TiB of f32: more than this machine has
    compiled = mlc.compile(outer_product_sum(n, m))
    x, y = np.ones((n, 1), np.float32), np.ones((1, m), np.float32)
    with pytest.raises(OutOfMemoryError, match=f"{n * m * 4} bytes") as error:
        compiled(x, y)
    assert isinstance(error.value, MemoryError)
    assert error.value.nbytes == n * m * 4
    # The process is fine, and a model that fits still runs.
    small = mlc.compile(outer_product_sum(3, 4))
    np.testing.assert_allclose(
        small(np.ones((3, 1), np.float32), np.ones((1, 4), np.float32)), [[12.0]]
    )


def test_what_can_never_fit_is_refused_at_compile_time():
    with pytest.raises(CompileError, match="can never fit in the address space"):
        mlc.compile(outer_product_sum(2**23, 2**23))  # 256 TiB


def test_the_error_is_an_mlc_error():
    assert issubclass(mlc.OutOfMemoryError, MemoryError)


def test_mlc_run_reports_it_in_one_line(tmp_path: Path):
    model = tmp_path / "big.mlir"
    n, m = 2**20, 2**22
    model.write_text(outer_product_sum(n, m))
    done = subprocess.run(
        [sys.executable, "-m", "mlc.tools.mlc_run", str(model), "--random-inputs"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    # The last line is the error (progress lines of the compile come first).
    assert done.stderr.splitlines()[-1] == (
        f"mlc-run: error: @f: out of memory: could not allocate a buffer of "
        f"{n * m * 4} bytes (1.64e+04 GiB)"
    )
