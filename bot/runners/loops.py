"""The loop every channel worker runs: a step while there is work, a nap (or a wake-up)
when there is none, until stopped."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import Final

log = logging.getLogger(__name__)
IDLE_S: Final = 0.2


async def run_loop(
    step: Callable[[], Awaitable[int]], wakeup: asyncio.Event, stop: asyncio.Event, *,
    idle_s: float = IDLE_S, what: str = "a worker",
) -> None:
    while not stop.is_set():
        try:
            busy = await step()
        except Exception:  # noqa: BLE001 - e.g. the database away: log, wait, go on
            log.exception("%s failed; trying again", what)
            busy = 0
            await asyncio.sleep(IDLE_S)
        if not busy:
            wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), idle_s)


def install_stop(stop: asyncio.Event) -> None:
    """SIGINT and SIGTERM set ``stop``: the loops finish their round and drain."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
