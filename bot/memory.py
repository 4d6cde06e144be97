"""The process's memory as its allocators see it, for /metrics and the soak: a resident
size that grows while the heap in use stays flat is the C allocator keeping freed pages
(fragmentation), not a leak; ``trim`` hands such pages back to the system.

The C allocator's figures come from glibc (``mallinfo2``, ``malloc_trim``); elsewhere
(musl, macOS) they are absent and ``trim`` does nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

TRIM_EVERY_S: Final = 60.0
# glibc's mallopt parameters (malloc.h)
M_MMAP_THRESHOLD: Final = -3
M_ARENA_MAX: Final = -8
MMAP_THRESHOLD: Final = 128 * 1024  # glibc's initial value, kept fixed
ARENA_MAX: Final = 2
ALLOCATOR_ENV: Final = "PYTHONMALLOC"  # read by the interpreter at start only


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    if not hasattr(libc, "mallinfo2") or not hasattr(libc, "malloc_trim"):
        return None  # not glibc, or older than 2.33
    libc.mallinfo2.restype = _MallInfo2
    libc.malloc_trim.argtypes = [ctypes.c_size_t]
    libc.malloc_trim.restype = ctypes.c_int
    libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    libc.mallopt.restype = ctypes.c_int
    return libc


_LIBC: Final = _glibc()


@dataclass(frozen=True)
class HeapFigures:
    python_blocks: int  # objects and buffers Python has allocated and not freed
    malloc_in_use: int | None  # bytes the C allocator has handed out (None: not glibc)
    malloc_free: int | None  # bytes it holds freed, not returned to the system


def heap() -> HeapFigures:
    if _LIBC is None:
        return HeapFigures(sys.getallocatedblocks(), None, None)
    info = _LIBC.mallinfo2()
    return HeapFigures(sys.getallocatedblocks(), info.uordblks + info.hblkhd, info.fordblks)


def tune_allocator() -> bool:
    """At the start of a long-running process: glibc raises its mmap threshold each time a
    large block is freed, after which large buffers (request bodies, result sets) come
    from the heap and leave holes between long-lived objects; a fixed threshold keeps them
    in mmap, returned whole when freed. Two arenas for the few threads (thread pools,
    BLAS) instead of eight per core. Whether the allocator took both."""
    if _LIBC is None:
        return False
    return bool(_LIBC.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        _LIBC.mallopt(M_ARENA_MAX, ARENA_MAX))


def on_c_allocator(
    argv: Sequence[str], environ: Mapping[str, str]
) -> tuple[str, list[str], dict[str, str]] | None:
    """The ``os.execve`` arguments that restart a long-running command with Python's objects
    on the C allocator, or None when the allocator is already chosen (by an earlier restart
    or by the operator: ``PYTHONMALLOC=pymalloc`` keeps Python's own).

    Python's own allocator returns a 1 MiB arena only when every object in it is gone, so
    a few long-lived objects (caches, prepared statements) pin arenas and the resident
    size creeps for hours; on glibc's allocator the trim job returns every free page."""
    if ALLOCATOR_ENV in environ or _LIBC is None:
        return None
    return (sys.executable, [sys.executable, "-m", "bot", *argv],
            {**environ, ALLOCATOR_ENV: "malloc"})


def trim() -> bool:
    """Give the C allocator's free pages back to the system; whether any were."""
    if _LIBC is None:
        return False
    return bool(_LIBC.malloc_trim(0))


async def trim_until(stop: asyncio.Event, every_s: float = TRIM_EVERY_S) -> None:
    """The trimming job (``bot.jobs``): a long-running process's freed pages go back every
    ``every_s``, so its resident size follows what it holds; ends at once on ``stop``."""
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_s)
        trim()


class HeapCollector(Collector):
    """``ucc_python_allocated_blocks``, ``ucc_malloc_in_use_bytes``,
    ``ucc_malloc_free_bytes``, read at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        figures = heap()
        yield GaugeMetricFamily("ucc_python_allocated_blocks",
                                "Memory blocks Python has allocated and not freed",
                                value=figures.python_blocks)
        if figures.malloc_in_use is not None:
            yield GaugeMetricFamily("ucc_malloc_in_use_bytes",
                                    "Bytes the C allocator has handed out",
                                    value=figures.malloc_in_use)
        if figures.malloc_free is not None:
            yield GaugeMetricFamily("ucc_malloc_free_bytes",
                                    "Bytes the C allocator keeps freed, not returned",
                                    value=figures.malloc_free)
