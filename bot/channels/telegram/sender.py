"""Deliver the Telegram outbox: in order per chat, within Telegram's limits, never twice.

About one message a second per chat and 30 a second overall; a 429 pauses sending for
``retry_after``; 5xx and network errors back off exponentially; a 403 (the citizen
blocked the bot) marks the chat unreachable and gives up its pending messages.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta
from typing import Any, Final

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import AnswerCallbackQuery, SendMessage, TelegramMethod

from bot.app import App
from bot.channels.telegram.replies import CHANNEL
from knowledge import outbox
from knowledge.citizens import mark_unreachable
from knowledge.clock import Clock

log = logging.getLogger(__name__)

METHODS: Final[dict[str, type[TelegramMethod[Any]]]] = {
    "sendMessage": SendMessage,
    "answerCallbackQuery": AnswerCallbackQuery,
}
PER_CHAT_INTERVAL_S: Final = 1.0
GLOBAL_PER_SECOND: Final = 30


class TelegramSender:
    def __init__(
        self,
        app: App,
        bot: Bot,
        clock: Clock,
        *,
        per_chat_interval_s: float = PER_CHAT_INTERVAL_S,
        global_per_second: int = GLOBAL_PER_SECOND,
    ) -> None:
        self.app = app
        self.bot = bot
        self.clock = clock
        self.per_chat_interval_s = per_chat_interval_s
        self.global_interval_s = 1.0 / global_per_second
        self._last_to_chat: dict[str, float] = {}
        self._last_sent = 0.0
        self.paused_until = 0.0

    async def send_due(self) -> int:
        """Send what is due now; the number of rows settled (sent or given up)."""
        if time.monotonic() < self.paused_until:
            return 0
        async with self.app.uow() as uow:
            items = await outbox.due(uow, CHANNEL, self.clock.now())
        settled = 0
        held: set[str] = set()
        for item in items:
            if item.address in held:
                continue
            wait = self._last_to_chat.get(item.address, -1e9) + self.per_chat_interval_s
            if item.method == "sendMessage" and wait > time.monotonic():
                held.add(item.address)  # its later messages wait too, to keep their order
                continue
            gap = self._last_sent + self.global_interval_s - time.monotonic()
            if gap > 0:
                await asyncio.sleep(gap)
            outcome = await self._send(item)
            if outcome == "pause":
                break
            if outcome in ("held", "gone"):
                held.add(item.address)  # the batch is stale for this chat now
            if outcome != "held":
                settled += 1
        return settled

    async def _send(self, item: outbox.OutboxItem) -> str:
        method_type = METHODS.get(item.method)
        async with self.app.uow() as uow:
            if method_type is None:
                await outbox.mark_failed(uow, item.id, f"unknown method {item.method}")
                return "settled"
            try:
                method = method_type.model_validate(item.payload)
                self._last_sent = time.monotonic()
                if item.method == "sendMessage":
                    self._last_to_chat[item.address] = self._last_sent
                result = await self.bot(method)
            except TelegramRetryAfter as exc:
                self.paused_until = time.monotonic() + exc.retry_after
                await outbox.mark_retry(uow, item.id, "429", self.clock,
                                        wait=timedelta(seconds=exc.retry_after))
                return "pause"
            except TelegramForbiddenError as exc:
                await mark_unreachable(uow, CHANNEL, item.address)
                await outbox.fail_pending_for(uow, CHANNEL, item.address, "403 unreachable")
                await outbox.mark_failed(uow, item.id, f"403: {exc.message}")
                return "gone"
            except (TelegramServerError, TelegramNetworkError) as exc:
                await outbox.mark_retry(uow, item.id, f"{type(exc).__name__}: {exc}", self.clock)
                return "held"
            except TelegramBadRequest as exc:
                log.warning("outbox %s refused by Telegram: %s", item.id, exc.message)
                await outbox.mark_failed(uow, item.id, f"400: {exc.message}")
                return "settled"
            message_id = getattr(result, "message_id", None)
            await outbox.mark_sent(uow, item.id, None if message_id is None else str(message_id),
                                   self.clock)
            return "settled"
