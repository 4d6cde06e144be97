"""Deliver the Telegram outbox: in order per chat, within Telegram's limits, never twice.

Each round sends the oldest due message of every chat at once (different chats do not
wait for each other; one chat's messages go one after another), then settles the round
in one transaction. About one message a second per chat and 30 a second overall; a 429
pauses sending for ``retry_after``; 5xx and network errors back off exponentially; a 403
(the citizen blocked the bot) marks the chat unreachable and gives up its pending messages.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final, Literal

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


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one message, to be settled in the round's transaction."""

    item: outbox.OutboxItem
    kind: Literal["sent", "retry", "pause", "gone", "refused"]
    detail: str = ""
    retry_after_s: float | None = None
    message_id: str | None = None


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
        self.global_per_second = global_per_second
        self._last_to_chat: dict[str, float] = {}
        self._window_start = 0.0
        self._sent_in_window = 0
        self.paused_until = 0.0

    def _budget(self) -> int:
        """How many messages may start now under the overall limit (a one-second window)."""
        now = time.monotonic()
        if now - self._window_start >= 1.0:
            self._window_start, self._sent_in_window = now, 0
        return max(self.global_per_second - self._sent_in_window, 0)

    async def send_due(self) -> int:
        """Send one round of what is due now; the number of rows settled (sent or given up)."""
        if time.monotonic() < self.paused_until:
            return 0
        async with self.app.uow() as uow:
            items = await outbox.due(uow, CHANNEL, self.clock.now(), limit=500)
        budget = self._budget()
        now = time.monotonic()
        round_: list[outbox.OutboxItem] = []
        seen: set[str] = set()
        for item in items:
            if len(round_) >= budget:
                break
            if item.address in seen:
                continue  # the chat's later messages wait for this one
            seen.add(item.address)
            wait = self._last_to_chat.get(item.address, -1e9) + self.per_chat_interval_s
            if item.method == "sendMessage" and wait > now:
                continue
            round_.append(item)
        if not round_:
            return 0
        self._sent_in_window += len(round_)
        outcomes = await asyncio.gather(*(self._deliver(item) for item in round_))
        return await self._settle(outcomes)

    async def _deliver(self, item: outbox.OutboxItem) -> Outcome:
        method_type = METHODS.get(item.method)
        if method_type is None:
            return Outcome(item, "refused", f"unknown method {item.method}")
        try:
            method = method_type.model_validate(item.payload)
            if item.method == "sendMessage":
                self._last_to_chat[item.address] = time.monotonic()
            result = await self.bot(method)
        except TelegramRetryAfter as exc:
            self.paused_until = time.monotonic() + exc.retry_after
            return Outcome(item, "pause", "429", retry_after_s=exc.retry_after)
        except TelegramForbiddenError as exc:
            return Outcome(item, "gone", f"403: {exc.message}")
        except (TelegramServerError, TelegramNetworkError) as exc:
            return Outcome(item, "retry", f"{type(exc).__name__}: {exc}")
        except TelegramBadRequest as exc:
            log.warning("outbox %s refused by Telegram: %s", item.id, exc.message)
            return Outcome(item, "refused", f"400: {exc.message}")
        message_id = getattr(result, "message_id", None)
        return Outcome(item, "sent", message_id=None if message_id is None else str(message_id))

    async def _settle(self, outcomes: list[Outcome]) -> int:
        settled = 0
        async with self.app.uow() as uow:
            sent = [(o.item.id, o.message_id) for o in outcomes if o.kind == "sent"]
            await outbox.mark_sent(uow, sent, self.clock)
            settled += len(sent)
            for o in outcomes:
                item = o.item
                if o.kind == "sent":
                    continue
                if o.kind in ("pause", "retry"):
                    wait = None if o.retry_after_s is None else timedelta(seconds=o.retry_after_s)
                    await outbox.mark_retry(uow, item.id, o.detail, self.clock, wait=wait)
                    continue
                if o.kind == "gone":
                    await mark_unreachable(uow, CHANNEL, item.address)
                    await outbox.fail_pending_for(uow, CHANNEL, item.address, "403 unreachable")
                    await outbox.mark_failed(uow, item.id, o.detail)
                else:
                    await outbox.mark_failed(uow, item.id, o.detail)
                settled += 1
            await uow.commit()
        return settled
