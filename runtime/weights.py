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

Booleans are one byte each (0 or 1); f16 is IEEE binary16; bf16 (code 13) the
high half of an IEEE binary32. The 64-byte
alignment of every block lets a reader map or read the file into one
64-byte-aligned buffer and hand out pointers into it, which is what mlc's
compiled code asks of its arguments. `load_weights` does exactly that: the
arrays it returns are 64-byte aligned views of one buffer.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import stat
import struct
import tempfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, NamedTuple, cast

import numpy as np

from mlc.dialects.graph.base import BFLOAT16
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
    BFLOAT16: 13,
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
    if isinstance(value, np.ma.MaskedArray):
        raise WeightsError(
            f"{path}: tensor '{name}' is a masked array: the file has no mask; "
            "pass np.ma.filled(value, fill) or value.data"
        )
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


@dataclass(frozen=True)
class Digest:
    """What ties a library to its weights file: its size and CRC-32."""

    size: int
    crc32: int


def save_weights(path: PathLike, params: Mapping[str, np.ndarray]) -> Digest:
    """
    Write `params` to `path` in the format above, in the mapping's order.

    Arrays of any strides and byte order are accepted; the file holds them
    C-ordered and little-endian. The file is replaced atomically (see
    `StagedFile`): a killed writer leaves the old file. Returns the file's
    size and CRC-32. Raises `WeightsError` for a name that is not a non-empty
    string, an unsupported dtype, a masked array or an unwritable path.
    """
    staged = stage_weights(path, params)
    staged.commit()
    return staged.digest


def stage_weights(path: PathLike, params: Mapping[str, np.ndarray]) -> StagedFile:
    """`save_weights`' file, written but not yet renamed into place."""
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
    header = _HEADER.pack(MAGIC, VERSION, len(arrays), 0) + b"".join(table)

    def chunks() -> Iterator[bytes]:
        yield header
        position = len(header)
        for start, array in zip(offsets, arrays.values(), strict=True):
            yield b"\0" * (start - position)
            data = array.tobytes()
            yield data
            position = start + len(data)

    try:
        return StagedFile.write(path, chunks())
    except OSError as error:
        reason = error.strerror or str(error)
        raise WeightsError(f"{path}: cannot write weights file: {reason}") from None


@dataclass
class StagedFile:
    """
    A file written beside its destination, renamed into place by `commit`.

    The bytes go to a temporary file in the destination's folder and are
    flushed to disk; `commit` renames it over the destination (atomic on
    POSIX), so a reader sees the old file or the new one, never a partial
    one, even if the writer is killed; `discard` removes it.
    """

    temporary: Path
    destination: Path
    digest: Digest

    @classmethod
    def write(
        cls, path: PathLike, chunks: Iterable[bytes], mode: int = 0o644
    ) -> StagedFile:
        target = Path(path)
        fd, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
        temporary = Path(name)
        size, crc = 0, 0
        try:
            with os.fdopen(fd, "wb") as file:
                for chunk in chunks:
                    file.write(chunk)
                    size += len(chunk)
                    crc = zlib.crc32(chunk, crc)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, mode & ~_umask())
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        return cls(temporary, target, Digest(size, crc))

    def commit(self) -> None:
        try:
            os.replace(self.temporary, self.destination)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self.temporary)


def _umask() -> int:
    """The process's umask, read without changing it where Linux says it."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)  # elsewhere: set and restore (not thread-safe)
    os.umask(mask)
    return mask


def _open_regular(path: PathLike) -> tuple[io.BufferedReader, int]:
    """
    The opened file and its size; a `WeightsError` unless it is a regular file.

    Opened non-blocking, so a FIFO or a device named as weights cannot hang
    the reader; checked with `fstat` on the open file, so what is read is
    what was checked.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        reason = error.strerror or str(error)
        raise WeightsError(f"{path}: cannot open weights file: {reason}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise WeightsError(f"{path}: not a weights file (not a regular file)")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb"), info.st_size


def _read_exactly(file: BinaryIO, size: int, path: PathLike, what: str) -> bytes:
    data = file.read(size)
    if len(data) != size:
        raise WeightsError(f"{path}: invalid weights file: truncated ({what})")
    return data


class _Entry(NamedTuple):
    name: str
    dtype: np.dtype[np.generic]
    shape: tuple[int, ...]
    offset: int
    nbytes: int


def _read_table(file: BinaryIO, path: PathLike, size: int) -> list[_Entry]:
    """
    The header and the table, read with small bounded reads and checked.

    Every tensor's data must lie after the table, inside the file; the file
    may not be longer than its last block (plus alignment padding). So the
    size of what `load_weights` allocates is known to be right before any
    large read.
    """
    header = file.read(_HEADER.size)
    if header[:4] != MAGIC:
        raise WeightsError(f"{path}: not an mlc weights file (bad magic number)")
    if len(header) != _HEADER.size:
        raise _invalid(path, "truncated (header)")
    _, version, count, _ = _HEADER.unpack(header)
    if version != VERSION:
        raise WeightsError(
            f"{path}: unsupported weights file version {version} (expected {VERSION})"
        )
    entries: list[_Entry] = []
    names: set[str] = set()
    for index in range(count):
        entry = _read_entry(file, path, index, size)
        if entry.name in names:
            raise _invalid(path, f"tensor '{entry.name}' appears twice")
        names.add(entry.name)
        entries.append(entry)
    table_end = file.tell()
    end = table_end
    for entry in entries:
        if entry.offset < table_end:
            raise _invalid(
                path,
                f"tensor '{entry.name}' data offset {entry.offset} lies inside "
                f"the header (which ends at byte {table_end})",
            )
        end = max(end, entry.offset + entry.nbytes)
    if size > _aligned(end):
        raise _invalid(
            path,
            f"the file has {size} bytes, its table describes {end} (trailing data)",
        )
    return entries


def _invalid(path: PathLike, message: str) -> WeightsError:
    return WeightsError(f"{path}: invalid weights file: {message}")


def _read_entry(file: BinaryIO, path: PathLike, index: int, size: int) -> _Entry:
    what = f"entry {index}"
    (length,) = _U32.unpack(_read_exactly(file, 4, path, f"{what} name length"))
    if length > MAX_NAME_BYTES:
        raise _invalid(path, f"{what}: name length {length} > {MAX_NAME_BYTES}")
    raw_name = _read_exactly(file, length, path, f"{what} name")
    try:
        name = raw_name.decode("utf-8")
    except UnicodeDecodeError:
        raise _invalid(path, f"{what}: name is not UTF-8") from None
    shown = name if name.isprintable() and len(name) <= 80 else f"#{index}"
    code, rank = struct.unpack("<II", _read_exactly(file, 8, path, f"{what} dtype"))
    dtype = CODE_DTYPES.get(code)
    if dtype is None:
        raise _invalid(path, f"tensor '{shown}' has unknown dtype code {code}")
    if rank > MAX_RANK:
        raise _invalid(path, f"tensor '{shown}' has rank {rank} > {MAX_RANK}")
    dims = _read_exactly(file, 8 * rank + 16, path, f"tensor '{shown}' dims")
    *shape, offset, nbytes = struct.unpack(f"<{rank + 2}Q", dims)
    expected = math.prod(shape) * dtype.itemsize  # Python ints: no overflow
    if nbytes != expected:
        raise _invalid(
            path,
            f"tensor '{shown}' of shape {tuple(shape)} and dtype {dtype} needs "
            f"{expected} bytes, the table says {nbytes}",
        )
    if offset % ALIGNMENT:
        raise _invalid(path, f"tensor '{shown}' data offset {offset} is not 64-aligned")
    if offset + nbytes > size:
        raise _invalid(
            path,
            f"truncated (tensor '{shown}' data ends at byte {offset + nbytes}, "
            f"the file has {size})",
        )
    return _Entry(name, dtype, tuple(shape), offset, nbytes)


def load_weights(path: PathLike) -> dict[str, np.ndarray]:
    """
    The named tensors in the weights file at `path`, in the file's order.

    The arrays are writable, C-contiguous, in native byte order, and (on a
    little-endian host) 64-byte aligned views of one buffer. Raises
    `WeightsError` naming the file for a missing file or one that is not a
    regular file, a bad magic number or version, a truncated file, trailing
    data or an inconsistent table; the header and table are checked against
    the file's size before the data is read, and no message shows the file's
    bytes.
    """
    file, size = _open_regular(path)
    with file:
        entries = _read_table(file, path, size)
        try:
            raw = np.empty(size + ALIGNMENT, dtype=np.uint8)
        except MemoryError:
            raise WeightsError(
                f"{path}: out of memory reading {size} bytes of weights"
            ) from None
        start = -raw.ctypes.data % ALIGNMENT
        buffer = raw[start : start + size]
        file.seek(0)
        try:
            read = file.readinto(buffer.data)
        except OSError as error:
            reason = error.strerror or str(error)
            raise WeightsError(f"{path}: cannot read weights file: {reason}") from None
    if read != size:
        raise WeightsError(f"{path}: cannot read weights file: short read")
    params: dict[str, np.ndarray] = {}
    for entry in entries:
        data = buffer[entry.offset : entry.offset + entry.nbytes]
        array = data.view(entry.dtype.newbyteorder("<")).reshape(entry.shape)
        params[entry.name] = array.astype(entry.dtype, copy=False)
    return params


def resolve_weights_name(model_path: PathLike, name: str) -> Path:
    """
    The file a model's `mlc.weights = "<name>"` names, confined to its folder.

    A model file is not trusted to read the machine: `name` must be a
    relative path without `..` and, symbolic links resolved, must stay inside
    the folder of `model_path`. Anything else is a `WeightsError` that says
    so without touching or describing the file it names.
    """
    folder = Path(model_path).parent
    shown = name if name.isprintable() and len(name) <= 200 else "<unprintable>"
    where = f"{model_path}: mlc.weights '{shown}'"
    relative = PurePosixPath(name)
    if (
        not name
        or "\0" in name
        or relative.is_absolute()
        or ".." in relative.parts
        or "\\" in name
    ):
        raise WeightsError(
            f"{where} must be a relative path inside the model's folder, without '..'"
        )
    candidate = folder / relative
    real_folder = os.path.realpath(folder)
    real = os.path.realpath(candidate)
    if os.path.commonpath([real_folder, real]) != real_folder or real == real_folder:
        raise WeightsError(f"{where} leaves the model's folder (a symbolic link)")
    return candidate


def weights_path_beside(path: PathLike) -> Path:
    """`dir/name.weights` for `dir/name.<ext>` (the file beside a model)."""
    return Path(path).with_suffix(".weights")
