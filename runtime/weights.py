"""
mlc's weights file: named tensors in a small binary format plain C can read.

A model's weights are parameters, not text in the code (DESIGN.md, "Runtime
contract"): a shared library exported by mlc loads them from this file at
start-up, and a `.mlir` file names one with its `mlc.weights` module
attribute. The format needs no library to read, only `fread` or `mmap`; all
integers are little-endian and unsigned.

    header (16 bytes)
      0   char[4]  magic "MLCW"
      4   u32      version (1)
      8   u32      number of tensors N
      12  u32      reserved, 0
    table: N entries, one after the other
      u32          name length L (bytes, at most 65535)
      char[L]      name, UTF-8, not NUL-terminated
      u32          dtype code (see DTYPE_CODES)
      u32          rank R (at most 32)
      u64[R]       dims, outermost first
      u64          byte offset of the data from the start of the file
      u64          byte size of the data (product of dims times element size)
    data blocks: each tensor's elements, row-major (C order), little-endian,
      starting at a multiple of 64 bytes (zero padding between blocks)

Booleans are one byte each (0 or 1); f16 is IEEE binary16. The 64-byte
alignment of every block lets a reader map or read the file into one
64-byte-aligned buffer and hand out pointers into it, which is what mlc's
compiled code asks of its arguments. `load_weights` does exactly that: the
arrays it returns are 64-byte aligned views of one buffer.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

import numpy as np

from mlc.support.abi import ALIGNMENT

MAGIC = b"MLCW"
VERSION = 1
MAX_RANK = 32
MAX_NAME_BYTES = 0xFFFF

DTYPE_CODES: dict[np.dtype[np.generic], int] = {
    np.dtype(np.float16): 1,
    np.dtype(np.float32): 2,
    np.dtype(np.float64): 3,
    np.dtype(np.int8): 4,
    np.dtype(np.int16): 5,
    np.dtype(np.int32): 6,
    np.dtype(np.int64): 7,
    np.dtype(np.uint8): 8,
    np.dtype(np.uint16): 9,
    np.dtype(np.uint32): 10,
    np.dtype(np.uint64): 11,
    np.dtype(np.bool_): 12,
}
"""The dtype code written for each supported element type (native order)."""

CODE_DTYPES = {code: dtype for dtype, code in DTYPE_CODES.items()}

_HEADER = struct.Struct("<4sIII")
_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")

PathLike = str | os.PathLike[str]


class WeightsError(ValueError):
    """A weights file that cannot be read or written; the message names it."""


def _aligned(offset: int) -> int:
    return -(-offset // ALIGNMENT) * ALIGNMENT


def _entry(name: str, array: np.ndarray, offset: int) -> bytes:
    encoded = name.encode("utf-8")
    code = DTYPE_CODES[array.dtype.newbyteorder("=")]
    parts = [_U32.pack(len(encoded)), encoded, _U32.pack(code), _U32.pack(array.ndim)]
    parts += [_U64.pack(dim) for dim in array.shape]
    parts += [_U64.pack(offset), _U64.pack(array.nbytes)]
    return b"".join(parts)


def _checked_array(path: PathLike, name: object, value: object) -> np.ndarray:
    """`value` as a C-ordered little-endian array, or a `WeightsError`."""
    if not isinstance(name, str) or not name:
        raise WeightsError(f"{path}: tensor name must be a non-empty string: {name!r}")
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise WeightsError(f"{path}: tensor name '{name[:40]}...' is too long")
    if not isinstance(value, np.ndarray):
        raise WeightsError(
            f"{path}: tensor '{name}' must be a numpy array, not {type(value).__name__}"
        )
    array = cast(np.ndarray[Any, Any], value)
    if array.dtype.newbyteorder("=") not in DTYPE_CODES:
        supported = ", ".join(str(d) for d in DTYPE_CODES)
        raise WeightsError(
            f"{path}: tensor '{name}' has unsupported dtype {array.dtype} "
            f"(supported: {supported})"
        )
    if array.ndim > MAX_RANK:
        raise WeightsError(f"{path}: tensor '{name}' has rank {array.ndim} > 32")
    little = array.dtype.newbyteorder("<")
    # Not np.ascontiguousarray, which makes a 0-d array 1-d.
    return np.asarray(array, dtype=little, order="C")


def save_weights(path: PathLike, params: Mapping[str, np.ndarray]) -> None:
    """
    Write `params` to `path` in the format above, in the mapping's order.

    Arrays of any strides and byte order are accepted; the file holds them
    C-ordered and little-endian. Raises `WeightsError` for a name that is not
    a non-empty string, an unsupported dtype or an unwritable path.
    """
    arrays = {name: _checked_array(path, name, value) for name, value in params.items()}
    # Offsets depend on the table size, which does not depend on the offsets.
    table_size = sum(len(_entry(name, a, 0)) for name, a in arrays.items())
    offset = _aligned(_HEADER.size + table_size)
    table: list[bytes] = []
    offsets: list[int] = []
    for name, array in arrays.items():
        table.append(_entry(name, array, offset))
        offsets.append(offset)
        offset = _aligned(offset + array.nbytes)
    try:
        with open(path, "wb") as file:
            file.write(_HEADER.pack(MAGIC, VERSION, len(arrays), 0))
            file.write(b"".join(table))
            for start, array in zip(offsets, arrays.values(), strict=True):
                file.write(b"\0" * (start - file.tell()))
                file.write(array.tobytes())
    except OSError as error:
        reason = error.strerror or str(error)
        raise WeightsError(f"{path}: cannot write weights file: {reason}") from None


class _Reader:
    """Bounds-checked little-endian reads from a weights file's bytes."""

    def __init__(self, path: PathLike, data: memoryview) -> None:
        self.path = path
        self.data = data
        self.pos = 0

    def fail(self, message: str) -> WeightsError:
        return WeightsError(f"{self.path}: invalid weights file: {message}")

    def take(self, size: int, what: str) -> memoryview:
        if self.pos + size > len(self.data):
            raise self.fail(f"truncated ({what} at byte {self.pos})")
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk

    def u32(self, what: str) -> int:
        return _U32.unpack(self.take(4, what))[0]

    def u64(self, what: str) -> int:
        return _U64.unpack(self.take(8, what))[0]


def _read_aligned(path: PathLike) -> np.ndarray:
    """The file's bytes in a 64-byte-aligned uint8 buffer."""
    try:
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            raw = np.empty(size + ALIGNMENT, dtype=np.uint8)
            start = -raw.ctypes.data % ALIGNMENT
            buffer = raw[start : start + size]
            read = file.readinto(buffer.data)
    except OSError as error:
        reason = error.strerror or str(error)
        raise WeightsError(f"{path}: cannot open weights file: {reason}") from None
    if read != size:
        raise WeightsError(f"{path}: cannot read weights file: short read")
    return buffer


def _read_entry(
    reader: _Reader, buffer: np.ndarray, index: int
) -> tuple[str, np.ndarray]:
    what = f"entry {index}"
    length = reader.u32(f"{what} name length")
    try:
        name = bytes(reader.take(length, f"{what} name")).decode("utf-8")
    except UnicodeDecodeError:
        raise reader.fail(f"{what}: name is not UTF-8") from None
    code = reader.u32(f"'{name}' dtype")
    dtype = CODE_DTYPES.get(code)
    if dtype is None:
        raise reader.fail(f"tensor '{name}' has unknown dtype code {code}")
    rank = reader.u32(f"'{name}' rank")
    if rank > MAX_RANK:
        raise reader.fail(f"tensor '{name}' has rank {rank} > {MAX_RANK}")
    shape = tuple(reader.u64(f"'{name}' dims") for _ in range(rank))
    offset = reader.u64(f"'{name}' offset")
    nbytes = reader.u64(f"'{name}' size")
    expected = int(np.prod(shape, dtype=np.uint64)) * dtype.itemsize
    if nbytes != expected:
        raise reader.fail(
            f"tensor '{name}' of shape {shape} and dtype {dtype} needs "
            f"{expected} bytes, the table says {nbytes}"
        )
    if offset % ALIGNMENT:
        raise reader.fail(f"tensor '{name}' data offset {offset} is not 64-aligned")
    if offset + nbytes > buffer.size:
        raise reader.fail(
            f"truncated (tensor '{name}' data ends at byte {offset + nbytes}, "
            f"the file has {buffer.size})"
        )
    array = buffer[offset : offset + nbytes].view(dtype.newbyteorder("<"))
    return name, array.reshape(shape).astype(dtype, copy=False)


def load_weights(path: PathLike) -> dict[str, np.ndarray]:
    """
    The named tensors in the weights file at `path`, in the file's order.

    The arrays are writable, C-contiguous, in native byte order, and (on a
    little-endian host) 64-byte aligned views of one buffer. Raises
    `WeightsError` naming the file for a missing file, a bad magic number or
    version, a truncated file or an inconsistent table.
    """
    buffer = _read_aligned(path)
    reader = _Reader(path, buffer.data)
    if len(buffer) < 4 or bytes(buffer[:4]) != MAGIC:
        raise WeightsError(
            f"{path}: not an mlc weights file (bad magic "
            f"{bytes(buffer[:4])!r}, expected {MAGIC!r})"
        )
    _, version, count, _ = _HEADER.unpack(reader.take(_HEADER.size, "header"))
    if version != VERSION:
        raise WeightsError(
            f"{path}: unsupported weights file version {version} (expected {VERSION})"
        )
    params: dict[str, np.ndarray] = {}
    for index in range(count):
        name, array = _read_entry(reader, buffer, index)
        if name in params:
            raise reader.fail(f"tensor '{name}' appears twice")
        params[name] = array
    return params


def weights_path_beside(path: PathLike) -> Path:
    """`dir/name.weights` for `dir/name.<ext>` (the file beside a model)."""
    return Path(path).with_suffix(".weights")
