"""
The runtime's allocator (`runtime/memory.ll`): aligned blocks, and large
freed blocks kept for the next allocation of the same size.
"""

import ctypes
import threading
from typing import Any

import pytest

from mlc.runtime.parallel import MAX_KEPT_BYTES, MIN_KEPT_BYTES, ensure_jit_runtime
from mlc.support.abi import RUNTIME_ALLOC, RUNTIME_FREE

Alloc = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_int64, ctypes.c_int64)
Free = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
Allocator = tuple[Any, Any]
"""(mlc_alloc, mlc_free) as ctypes functions."""


@pytest.fixture(scope="module")
def allocator() -> Allocator:
    engine = ensure_jit_runtime().engine
    return (
        Alloc(engine.get_function_address(RUNTIME_ALLOC)),
        Free(engine.get_function_address(RUNTIME_FREE)),
    )


def test_blocks_are_aligned_and_writable(allocator: Allocator) -> None:
    alloc, free = allocator
    for align, size in ((64, 64), (128, 4096), (64, MIN_KEPT_BYTES), (256, 1 << 20)):
        p = alloc(align, size)
        assert p % align == 0
        ctypes.memset(p, 0x5A, size)
        assert ctypes.string_at(p + size - 4, 4) == b"ZZZZ"
        free(p)
    free(None)


def test_a_large_freed_block_comes_back_for_the_same_size(allocator: Allocator) -> None:
    alloc, free = allocator
    size = 3 * MIN_KEPT_BYTES + 64  # a size no other test uses
    p = alloc(64, size)
    free(p)
    assert alloc(64, size) == p  # kept, handed back
    other = alloc(64, size)  # the kept one is taken: a fresh block
    assert other != p
    free(other)
    free(p)
    q = alloc(128, size)  # another alignment: not that block
    assert q % 128 == 0
    free(q)


def test_small_and_huge_blocks_are_not_kept(allocator: Allocator) -> None:
    alloc, free = allocator
    for size in (MIN_KEPT_BYTES - 64, MAX_KEPT_BYTES + 64):
        p = alloc(64, size)
        assert p
        free(p)  # to libc: whatever comes next, nothing reads a kept header
        q = alloc(64, size)
        assert q
        free(q)


def test_threads_share_the_kept_blocks(allocator: Allocator) -> None:
    alloc, free = allocator
    sizes = [MIN_KEPT_BYTES * k for k in (5, 6, 7, 8)]
    failures: list[str] = []

    def churn(size: int, tag: int) -> None:
        for _ in range(2000):
            p = alloc(64, size)
            ctypes.memset(p, tag, size)
            ends = ctypes.string_at(p, 1) + ctypes.string_at(p + size - 1, 1)
            if ends != bytes([tag, tag]):
                failures.append(f"block of {size} bytes shared by two threads")
            free(p)

    work = [(size, tag) for tag, size in enumerate(sizes * 2, start=1)]
    threads = [threading.Thread(target=churn, args=args) for args in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
