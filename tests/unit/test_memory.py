"""The heap figures behind /metrics: Python's live blocks follow what the process holds,
and on glibc the C allocator's bytes in use follow a large buffer's life."""

from __future__ import annotations

import asyncio
import gc
import subprocess
import sys
from pathlib import Path

import pytest

from bot import memory

ROOT = Path(__file__).resolve().parents[2]


def test_python_blocks_follow_the_objects_alive() -> None:
    # The cyclic collector, left on, may run mid-measure and free earlier tests'
    # garbage, which hid the 50 000 new blocks in a full run.
    gc.collect()
    gc.disable()
    try:
        before = memory.heap().python_blocks
        held = [[index] for index in range(50_000)]
        during = memory.heap().python_blocks
        del held
        after = memory.heap().python_blocks
    finally:
        gc.enable()
    assert during - before >= 50_000
    assert after - before < 5_000


@pytest.mark.skipif(memory.heap().malloc_in_use is None, reason="not glibc")
def test_malloc_in_use_follows_a_buffer_and_trim_answers() -> None:
    before = memory.heap().malloc_in_use or 0
    buffer = bytearray(64 * 2**20)
    during = memory.heap().malloc_in_use or 0
    del buffer
    after = memory.heap().malloc_in_use or 0
    assert during - before >= 64 * 2**20
    assert after < during - 60 * 2**20
    assert isinstance(memory.trim(), bool)


def test_the_collector_names_its_gauges() -> None:
    names = {family.name for family in memory.HeapCollector().collect()}
    assert "ucc_python_allocated_blocks" in names
    if sys.platform.startswith("linux") and memory.heap().malloc_in_use is not None:
        assert {"ucc_malloc_in_use_bytes", "ucc_malloc_free_bytes"} <= names


async def test_the_trim_job_trims_on_its_period_and_ends_on_stop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    trims: list[float] = []
    monkeypatch.setattr(memory, "trim", lambda: trims.append(asyncio.get_running_loop().time())
                        or True)
    stop = asyncio.Event()
    job = asyncio.create_task(memory.trim_until(stop, every_s=0.01))
    await asyncio.sleep(0.1)
    assert len(trims) >= 3  # periodic
    stop.set()
    await asyncio.wait_for(job, 1.0)
    stopping = asyncio.Event()
    long_job = asyncio.create_task(memory.trim_until(stopping, every_s=3600))
    await asyncio.sleep(0.01)
    stopping.set()
    await asyncio.wait_for(long_job, 1.0)  # at once on stop, not after its period


FREED_LARGE_BLOCKS = """
import sys
from bot import memory
if sys.argv[1] == "tuned":
    assert memory.tune_allocator()
for _ in range(20):  # large blocks freed: glibc's own rule then raises its mmap threshold
    buffer = bytearray(8 * 2**20)
    del buffer
before = memory.heap().malloc_free or 0
held, kept = [], []
for _ in range(40):  # buffers between long-lived objects: the heap cannot shrink past those
    held.append(bytearray(256 * 1024))
    kept.append(bytearray(1024))
del held
print((memory.heap().malloc_free or 0) - before)
"""


@pytest.mark.skipif(memory.heap().malloc_in_use is None, reason="not glibc")
def test_with_a_fixed_mmap_threshold_freed_buffers_go_back_not_into_the_heap() -> None:
    freed = subprocess.run([sys.executable, "-c", FREED_LARGE_BLOCKS, "tuned"],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    assert int(freed.stdout) < 2**20  # 10 MB freed, none of it kept as free heap


def test_a_long_running_command_restarts_once_on_the_c_allocator() -> None:
    restart = memory.on_c_allocator(["run", "--webhook", "http://x"], {"PATH": "/bin"})
    if memory.heap().malloc_in_use is None:  # not glibc: nothing to trim, no restart
        assert restart is None
        return
    assert restart is not None
    executable, args, env = restart
    assert executable == sys.executable
    assert args == [sys.executable, "-m", "bot", "run", "--webhook", "http://x"]
    assert env == {"PATH": "/bin", "PYTHONMALLOC": "malloc"}
    assert memory.on_c_allocator(["run"], env) is None  # once
    assert memory.on_c_allocator(["run"], {"PYTHONMALLOC": "pymalloc"}) is None  # chosen
