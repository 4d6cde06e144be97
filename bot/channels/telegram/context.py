"""The per-update context handlers receive: the citizen, their language, and the replier."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update, User

from bot.channels.telegram.replies import CHANNEL, Replier
from knowledge.citizens import citizen_for, mark_reachable
from knowledge.clock import Clock
from knowledge.conversation import log_message
from knowledge.db.uow import UnitOfWork
from knowledge.model import Lang


def _chat_and_user(update: Update) -> tuple[int | None, User | None, str | None]:
    if update.message is not None:
        message = update.message
        return message.chat.id, message.from_user, message.text or message.caption
    if update.callback_query is not None:
        query = update.callback_query
        chat = query.message.chat.id if query.message is not None else query.from_user.id
        return chat, query.from_user, None
    return None, None, None


class ContextMiddleware(BaseMiddleware):
    """Outer middleware: ties the update to its citizen within the update's unit of work.

    The unit of work comes from the inbox worker (``feed_update(..., uow=...)``), which
    commits the handler's changes together with the update's inbox mark.
    """

    def __init__(self, clock: Clock, default_lang: Lang, *, max_chars: int | None = None) -> None:
        self.clock = clock
        self.default_lang = default_lang
        self.max_chars = max_chars  # a longer text is logged cut, with its length

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        assert isinstance(event, Update)
        uow: UnitOfWork = data["uow"]
        chat_id, user, text = _chat_and_user(event)
        if chat_id is None:
            return None  # an update kind the bot does not serve (edited message, poll…)
        citizen = await citizen_for(uow, CHANNEL, str(chat_id), self.clock)
        await mark_reachable(uow, citizen.id)
        hint = user.language_code if user is not None else None
        lang: Lang = citizen.lang or (hint if hint in ("kk", "ru") else self.default_lang)  # type: ignore[assignment]
        if text is not None:  # the log redacts an IIN (sent for a status, or anywhere)
            log_message(uow, citizen.id, direction="in", channel=CHANNEL, lang=None,
                        text=text, clock=self.clock, max_chars=self.max_chars)
        replier = Replier(uow, citizen, lang, self.clock)
        data.update(citizen=citizen, lang=lang, replier=replier, clock=self.clock)
        return await handler(event, data)
