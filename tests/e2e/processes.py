"""``ucc`` as real processes, started in a fraction of a second: each is forked from a
server process that imported the bot once (multiprocessing's forkserver), so a proof that
kills and restarts the bot ten times pays Python's and aiogram's start-up once, not ten
times. Each bot is a process of its own, with its own pid, environment and file
descriptors: SIGKILL kills it as it kills ``ucc run``. (What only the real entry point does
— the in-place restart on the C allocator — is proved by ``test_entry_points``.)"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import subprocess
import sys
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Final

from aiohttp import ClientError, ClientSession

PRELOAD: Final = ["bot.cli", "bot.cli.run", "bot.runners.telegram", "bot.runners.sms"]


async def healthy(http: ClientSession, base: str) -> bool:
    """Whether the bot at ``base`` answers ``/healthz`` with 200."""
    try:
        async with http.get(base + "/healthz") as response:
            return response.status == 200
    except (ClientError, OSError):
        return False


async def wait_healthy(http: ClientSession, base: str, tries: int = 600) -> None:
    """Until the bot at ``base`` is up (its HTTP server answers healthy)."""
    for _ in range(tries):
        if await healthy(http, base):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the bot at {base} did not come up")


def _serve(argv: list[str], env: dict[str, str], cwd: str) -> None:
    """The child: ``ucc argv`` in ``cwd`` with ``env``, its output discarded."""
    os.chdir(cwd)
    os.environ.update(env)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    from bot.cli import main  # noqa: PLC0415 - preloaded by the server: already imported

    sys.exit(main(argv))


class UccProcess:
    """A running ``ucc`` with the parts of ``asyncio.subprocess.Process`` the proofs use."""

    def __init__(self, process: BaseProcess) -> None:
        self._process = process

    @property
    def pid(self) -> int:
        assert self._process.pid is not None
        return self._process.pid

    @property
    def returncode(self) -> int | None:
        return self._process.exitcode

    def send_signal(self, signal: int) -> None:
        os.kill(self.pid, signal)

    def kill(self) -> None:
        self._process.kill()

    async def wait(self) -> int:
        await asyncio.to_thread(self._process.join)
        code = self._process.exitcode
        assert code is not None
        return code


class ForkedWorker:
    """A started ``ucc work`` as ``bot.runners.workers`` needs it (like ``Popen``)."""

    def __init__(self, process: BaseProcess) -> None:
        self._process = process

    def poll(self) -> int | None:
        return self._process.exitcode

    def terminate(self) -> None:
        self._process.terminate()

    def kill(self) -> None:
        self._process.kill()

    def wait(self, timeout: float | None = None) -> int:
        self._process.join(timeout)
        if self._process.exitcode is None:
            raise subprocess.TimeoutExpired("ucc work", timeout or 0)
        return self._process.exitcode


def launch_forked(argv: list[str], env: dict[str, str] | None) -> ForkedWorker:
    """``bot.runners.workers.Launch`` through the fork server: a worker up at once."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    process = context.Process(target=_serve, args=(argv, dict(env or {}), os.getcwd()),
                              daemon=True)
    process.start()
    return ForkedWorker(process)


def _ready() -> None:
    """A process that does nothing: starting it starts (and preloads) the server."""


def warm_up() -> None:
    """Start the fork server now (it imports the bot: a few seconds, once per process)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    process = context.Process(target=_ready, daemon=True)
    process.start()
    process.join()


def start_ucc(argv: list[str], env: dict[str, str], cwd: Path) -> UccProcess:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    process = context.Process(target=_serve, args=(argv, env, str(cwd)), daemon=True)
    process.start()
    return UccProcess(process)
