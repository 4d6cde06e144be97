"""Receiving updates: long polling or a webhook; either way stored before acknowledged."""

from __future__ import annotations

import asyncio
import hmac
import logging
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


async def store_update(app: App, payload: dict[str, Any], clock: Clock) -> bool:
    """Store one raw update; False for a duplicate delivery."""
    async with app.uow() as uow:
        return await inbox.store(uow, CHANNEL, str(payload["update_id"]), payload, clock)


async def poll(
    app: App, bot: Bot, clock: Clock, stop: asyncio.Event, wakeup: asyncio.Event
) -> None:
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
        except (TelegramNetworkError, TelegramServerError) as exc:
            failures += 1
            log.warning("getUpdates failed (%s); retrying", type(exc).__name__)
            await _sleep_or_stop(stop, min(2.0 ** failures, 60.0))
            continue
        failures = 0
        for update in updates:
            payload = update.model_dump(mode="json", by_alias=True, exclude_none=True)
            await store_update(app, payload, clock)
            offset = update.update_id + 1
        if updates:
            wakeup.set()


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        return


def webhook_app(
    app: App, clock: Clock, secret: str | None, wakeup: asyncio.Event
) -> web.Application:
    """The webhook endpoint: checks Telegram's secret token, stores, then answers 200."""

    async def receive(request: web.Request) -> web.Response:
        if secret is not None:
            given = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode(), secret.encode()):
                return web.Response(status=401, text="unauthorized")
        try:
            payload = await request.json()
        except ValueError:
            return web.Response(status=400, text="not JSON")
        if not isinstance(payload, dict) or not isinstance(payload.get("update_id"), int):
            return web.Response(status=400, text="not an update")
        await store_update(app, payload, clock)
        wakeup.set()
        return web.Response(status=200)

    web_app = web.Application()
    web_app.router.add_post(WEBHOOK_PATH, receive)
    return web_app
