"""
`dense_resource` constants parse into their own blobs every time: a second
parse of the same text in one process (a second `mlc.compile`, the second
parse inside `mlc-run`) and two models that use the same handle name.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

import mlc

MODEL = """
func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %c = arith.constant dense_resource<blob_0> : tensor<2xf32>
  %0 = graph.add %x, %c : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      blob_0: "0x04000000BLOB"
    }
  }
#-}
"""

ONE_TWO = MODEL.replace("BLOB", "0000803F00000040")  # [1.0, 2.0]
THREE_FOUR = MODEL.replace("BLOB", "0000404000008040")  # [3.0, 4.0]


def test_the_same_text_compiles_twice():
    x = np.zeros(2, np.float32)
    for _ in range(2):
        np.testing.assert_array_equal(mlc.compile(ONE_TWO)(x), [1.0, 2.0])


def test_two_models_with_the_same_handle_keep_their_own_blobs():
    x = np.zeros(2, np.float32)
    first = mlc.compile(ONE_TWO)
    second = mlc.compile(THREE_FOUR)
    np.testing.assert_array_equal(first(x), [1.0, 2.0])
    np.testing.assert_array_equal(second(x), [3.0, 4.0])


def test_mlc_run_runs_a_dense_resource_model(tmp_path: Path):
    model = tmp_path / "m.mlir"
    model.write_text(ONE_TWO)
    inputs = tmp_path / "x.npy"
    np.save(inputs, np.zeros(2, np.float32))
    done = subprocess.run(
        [sys.executable, "-m", "mlc.tools.mlc_run", str(model), "--input", str(inputs)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "[1. 2.]" in done.stdout
