"""Processing in other processes: the second core does the answering.

``ucc run --workers N`` keeps receiving, sending and the scheduler in the main process and
starts N processes (``ucc work --partition K/N``) that process the stored updates, each
the chats whose id modulo N is K, so one chat's updates stay in order in one process and
every update is still processed exactly once (its inbox mark commits with its replies).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

from aiogram import Bot

from bot.app import App
from bot.channels.telegram.dispatcher import create_dispatcher
from bot.channels.telegram.processor import UpdateProcessor

log = logging.getLogger(__name__)
IDLE_S: Final = 0.05
STOP_WAIT_S: Final = 15.0


@dataclass(frozen=True, slots=True)
class Partition:
    """This process's share of the chats: those whose id modulo ``of`` is ``index``."""

    index: int
    of: int

    @classmethod
    def parse(cls, text: str) -> Partition:
        index, _, of = text.partition("/")
        try:
            partition = cls(int(index), int(of))
        except ValueError:
            raise ValueError(f"a partition is K/N, e.g. 0/2, not {text!r}") from None
        if not 0 <= partition.index < partition.of:
            raise ValueError(f"a partition is K/N with 0 <= K < N, not {text!r}")
        return partition

    def owns(self, chat: int | None) -> bool:
        return (chat or 0) % self.of == self.index


async def run_worker(app: App, bot: Bot, partition: Partition, stop: asyncio.Event) -> None:
    """Process this partition's stored updates until stopped."""
    settings = app.settings
    processor = UpdateProcessor(
        app, bot, create_dispatcher(app),
        app.clock, flood_messages=settings.flood_messages,
        flood_window_s=settings.flood_window_s, partition=partition.owns,
    )
    while not stop.is_set():
        try:
            busy = await processor.process_pending()
        except Exception:  # noqa: BLE001 - e.g. the database away: log, wait, go on
            log.exception("the processing worker failed; trying again")
            busy = 0
        if not busy:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), IDLE_S)


class WorkerProcess(Protocol):
    """What is needed of a started worker (``subprocess.Popen`` has it)."""

    def poll(self) -> int | None: ...

    def terminate(self) -> None: ...

    def kill(self) -> None: ...

    def wait(self, timeout: float | None = None) -> int: ...


Launch = Callable[[list[str], dict[str, str] | None], WorkerProcess]


def launch_ucc(argv: list[str], env: dict[str, str] | None) -> WorkerProcess:
    """``python -m bot ARGV`` with ``env`` (None: this process's environment)."""
    return subprocess.Popen([sys.executable, "-m", "bot", *argv], env=env)  # noqa: S603


class WorkerProcesses:
    """The ``ucc work`` processes of a ``ucc run --workers N``."""

    def __init__(self, count: int, extra_args: Sequence[str] = (),
                 env: dict[str, str] | None = None, launch: Launch = launch_ucc) -> None:
        self.count = count
        self.extra_args = list(extra_args)
        self.env = env  # None: this process's environment (and so its settings)
        self.launch = launch
        self.processes: list[WorkerProcess] = []

    def start(self) -> None:
        for index in range(self.count):
            self.processes.append(self.launch(
                ["work", "--partition", f"{index}/{self.count}", *self.extra_args], self.env))

    async def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                await asyncio.to_thread(process.wait, STOP_WAIT_S)
            except subprocess.TimeoutExpired:
                process.kill()
