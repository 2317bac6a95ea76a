"""
Reading weights a model file names is confined and bounded: `mlc.weights`
stays inside the model's folder (no absolute path, no `..`, no symbolic link
out), only regular files are read (a FIFO cannot hang), sizes are checked
against the header before anything large is allocated, and no message shows
the file's bytes. Writing is atomic: a killed writer leaves the old file.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import mlc
from mlc.runtime.signature import CompileError, InputError
from mlc.runtime.weights import WeightsError, load_weights, save_weights

MODEL = """
module attributes {{mlc.weights = "{weights}"}} {{
  func.func @f(%x: tensor<2xf32>, %w: tensor<2xf32>) -> tensor<2xf32> {{
    %0 = graph.add %x, %w : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    func.return %0 : tensor<2xf32>
  }}
}}
"""


def model_naming(folder: Path, weights: str) -> Path:
    path = folder / "model.mlir"
    path.write_text(MODEL.format(weights=weights))
    return path


def test_weights_inside_the_folder_are_bound(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    save_weights(tmp_path / "sub" / "w.weights", {"w": np.ones(2, np.float32)})
    compiled = mlc.compile(model_naming(tmp_path, "sub/w.weights"))
    np.testing.assert_array_equal(compiled(np.ones(2, np.float32)), [2.0, 2.0])


@pytest.mark.parametrize(
    "name", ["/etc/passwd", "../outside.weights", "sub/../../outside.weights", ""]
)
def test_weights_outside_the_folder_are_refused(tmp_path: Path, name: str):
    folder = tmp_path / "model"
    folder.mkdir()
    save_weights(tmp_path / "outside.weights", {"w": np.ones(2, np.float32)})
    with pytest.raises(CompileError, match="relative path inside the model's folder"):
        mlc.compile(model_naming(folder, name))


def test_a_symbolic_link_out_of_the_folder_is_refused(tmp_path: Path):
    folder = tmp_path / "model"
    folder.mkdir()
    save_weights(tmp_path / "outside.weights", {"w": np.ones(2, np.float32)})
    (folder / "w.weights").symlink_to(tmp_path / "outside.weights")
    with pytest.raises(CompileError, match="leaves the model's folder"):
        mlc.compile(model_naming(folder, "w.weights"))
    # A missing target outside says the same: nothing about what exists.
    (folder / "gone.weights").symlink_to(tmp_path / "no-such-file")
    with pytest.raises(CompileError, match="leaves the model's folder"):
        mlc.compile(model_naming(folder, "gone.weights"))


def test_a_symbolic_link_inside_the_folder_is_followed(tmp_path: Path):
    save_weights(tmp_path / "real.weights", {"w": np.ones(2, np.float32)})
    (tmp_path / "w.weights").symlink_to("real.weights")
    mlc.compile(model_naming(tmp_path, "w.weights"))


def test_a_fifo_is_refused_without_blocking(tmp_path: Path):
    fifo = tmp_path / "w.weights"
    os.mkfifo(fifo)
    start = time.monotonic()
    with pytest.raises(WeightsError, match="not a regular file"):
        load_weights(fifo)
    with pytest.raises(CompileError, match="not a regular file"):
        mlc.compile(model_naming(tmp_path, "w.weights"))
    assert time.monotonic() - start < 30


def test_a_directory_is_refused(tmp_path: Path):
    with pytest.raises(WeightsError, match="not a regular file"):
        load_weights(tmp_path)


def test_errors_never_show_the_files_bytes(tmp_path: Path):
    secret = tmp_path / "secret.weights"
    secret.write_bytes(b"xyzzy:SECRET-HASH:19000:0:99999:7:::\n")
    with pytest.raises(WeightsError) as error:
        load_weights(secret)
    assert "xyzz" not in str(error.value)
    assert "SECRET" not in str(error.value)


def test_a_huge_file_is_refused_before_allocating(tmp_path: Path):
    path = tmp_path / "w.weights"
    save_weights(path, {"w": np.ones(2, np.float32)})
    os.truncate(path, 20 * 2**30)  # sparse: 20 GiB on paper
    with pytest.raises(WeightsError, match="trailing data"):
        load_weights(path)


def _one_tensor_file(dims: list[int], offset: int, nbytes: int) -> bytes:
    name = b"w"
    entry = struct.pack("<I", len(name)) + name + struct.pack("<II", 2, len(dims))
    entry += b"".join(struct.pack("<Q", d) for d in dims)
    entry += struct.pack("<QQ", offset, nbytes)
    return struct.pack("<4sIII", b"MLCW", 1, 1, 0) + entry


def test_dims_whose_product_overflows_are_a_clear_error(tmp_path: Path):
    path = tmp_path / "w.weights"
    path.write_bytes(_one_tensor_file([2**40, 2**40], 64, 0).ljust(128, b"\0"))
    with pytest.raises(WeightsError, match=r"needs \d+ bytes, the table says 0"):
        load_weights(path)


def test_a_data_offset_inside_the_header_is_refused(tmp_path: Path):
    path = tmp_path / "w.weights"
    path.write_bytes(_one_tensor_file([2], 0, 8).ljust(64, b"\0"))
    with pytest.raises(WeightsError, match="lies inside the header"):
        load_weights(path)


def test_masked_arrays_are_refused(tmp_path: Path):
    masked = np.ma.masked_array(np.ones(2, np.float32), mask=[True, False])
    with pytest.raises(WeightsError, match="masked array"):
        save_weights(tmp_path / "w.weights", {"w": masked})
    compiled = mlc.compile(MODEL.format(weights="unused"))
    with pytest.raises(InputError, match="masked array"):
        compiled(masked, np.ones(2, np.float32))
    with pytest.raises(InputError, match="masked array"):
        compiled.bind(w=masked)


WRITER = """
import sys, numpy as np
from mlc.runtime import weights
real = weights.os.replace
def killed(*args):
    weights.os._exit(9)
weights.os.replace = killed
weights.save_weights(sys.argv[1], {"w": np.full(2, 7, np.float32)})
"""


def test_a_killed_writer_leaves_the_old_weights(tmp_path: Path):
    path = tmp_path / "w.weights"
    save_weights(path, {"w": np.ones(2, np.float32)})
    done = subprocess.run(
        [sys.executable, "-c", WRITER, str(path)], check=False, timeout=120
    )
    assert done.returncode == 9
    np.testing.assert_array_equal(load_weights(path)["w"], [1.0, 1.0])
    assert sorted(p.name for p in tmp_path.iterdir()) != []
