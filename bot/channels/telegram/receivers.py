"""Receiving updates: long polling or a webhook; either way stored before acknowledged.

Stores are group commits: the updates that arrive while one transaction is being written
go together into the next, and each webhook request is answered once its own is durable.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Callable
from typing import Any, Final

from aiogram import Bot
from aiogram.exceptions import TelegramNetworkError, TelegramServerError
from aiohttp import web

from bot.app import App
from bot.channels.telegram.replies import CHANNEL
from knowledge import inbox
from knowledge.clock import Clock

log = logging.getLogger(__name__)

WEBHOOK_PATH: Final = "/telegram/webhook"
SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"
POLL_TIMEOUT_S: Final = 25
ALLOWED_UPDATES: Final = ["message", "callback_query"]
GROUP_MAX: Final = 256  # updates per inbox transaction at most


class InboxWriter:
    """Stores updates in the inbox, many per transaction."""

    def __init__(
        self, app: App, clock: Clock, *, on_stored: Callable[[], None] = lambda: None
    ) -> None:
        self.app = app
        self.clock = clock
        self.on_stored = on_stored
        self._queue: asyncio.Queue[tuple[str, dict[str, Any], asyncio.Future[bool]]] = (
            asyncio.Queue()
        )

    async def store_batch(self, payloads: list[dict[str, Any]]) -> set[str]:
        """Store updates in one transaction, in Telegram's order (``update_id``); the update
        ids that were new. One order for every instance: two storing the same redelivered
        updates at once take their keys in that order, so neither can hold a key the other
        waits for while it waits for one the other holds (a deadlock: PostgreSQL fails one of
        them, and Telegram must deliver that one's updates again)."""
        ordered = sorted(payloads, key=lambda p: int(p["update_id"]))
        async with self.app.uow() as uow:
            new = await inbox.store_many(
                uow, CHANNEL, [(str(p["update_id"]), p) for p in ordered], self.clock
            )
        self.on_stored()
        return new

    async def store(self, payload: dict[str, Any]) -> bool:
        """Store one update with whatever else is waiting (``run`` must be running);
        False for a duplicate delivery."""
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        await self._queue.put((str(payload["update_id"]), payload, done))
        return await done

    async def run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < GROUP_MAX and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                new = await self.store_batch([payload for _, payload, _ in batch])
            except Exception as exc:  # noqa: BLE001 - each request answers for itself
                log.warning("storing %d updates failed: %s", len(batch), type(exc).__name__)
                for _, _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                continue
            for external_id, _, done in batch:
                if not done.done():
                    done.set_result(external_id in new)
                new.discard(external_id)  # the same update twice in one batch: once new


async def poll(bot: Bot, writer: InboxWriter, stop: asyncio.Event) -> None:
    """Long polling. Telegram counts an update as delivered only when a later getUpdates
    asks for a higher offset, and the offset moves only after the update is stored."""
    await bot.delete_webhook(drop_pending_updates=False)
    offset: int | None = None
    failures = 0
    while not stop.is_set():
        try:
            updates = await bot.get_updates(
                offset=offset, timeout=POLL_TIMEOUT_S, allowed_updates=ALLOWED_UPDATES
            )
            if updates:
                await writer.store_batch([u.model_dump(mode="json", by_alias=True,
                                                       exclude_none=True) for u in updates])
                offset = updates[-1].update_id + 1  # only once they are stored
        except (TelegramNetworkError, TelegramServerError) as exc:
            failures += 1
            log.warning("getUpdates failed (%s); retrying", type(exc).__name__)
            await _sleep_or_stop(stop, min(2.0 ** failures, 60.0))
            continue
        except Exception:  # noqa: BLE001 - e.g. the database locked: the same updates again
            failures += 1
            log.exception("storing polled updates failed; asking for them again")
            await _sleep_or_stop(stop, min(2.0 ** failures, 60.0))
            continue
        failures = 0


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        return


def add_webhook_route(web_app: web.Application, writer: InboxWriter, secret: str) -> None:
    """The webhook endpoint: checks Telegram's secret token, stores, then answers 200.
    A failed store answers 500, and Telegram delivers the update again. There is no
    webhook without a secret: anyone could post updates, as any sender."""
    if not secret:
        raise ValueError("a webhook needs a secret (UCC_WEBHOOK_SECRET)")

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return web.Response(status=401, text="unauthorized")
        try:
            payload = await request.json()
        except ValueError:
            return web.Response(status=400, text="not JSON")
        if not isinstance(payload, dict) or not isinstance(payload.get("update_id"), int):
            return web.Response(status=400, text="not an update")
        try:
            await writer.store(payload)
        except Exception:  # noqa: BLE001 - not stored: Telegram must deliver it again
            return web.Response(status=500, text="not stored, try again")
        return web.Response(status=200)

    web_app.router.add_post(WEBHOOK_PATH, receive)
