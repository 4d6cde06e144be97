"""A citizen's text over the length limit, whatever conversation it would belong to (a
question, a complaint's step, a status inquiry): not read, a polite "too long" in the
message's language. Staff's commands (an agency's long answer) are taken before this."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Filter
from aiogram.types import Message

from bot.channels.telegram.render import quote
from bot.channels.telegram.replies import Replier
from bot.texts.length import too_long_text
from knowledge.asking import MatcherCache
from knowledge.citizens import Citizen
from knowledge.clock import Clock
from knowledge.db.uow import UnitOfWork
from knowledge.dialogue import refuse_too_long
from knowledge.model import Lang


class TooLong(Filter):
    """A text longer than the engine reads (``UCC_MESSAGE_MAX_CHARS``)."""

    async def __call__(self, message: Message, matchers: MatcherCache) -> bool:
        return message.text is not None and len(message.text) > matchers.max_chars


async def too_long(
    message: Message, *, replier: Replier, uow: UnitOfWork, citizen: Citizen, lang: Lang,
    matchers: MatcherCache, clock: Clock,
) -> None:
    turn = refuse_too_long(uow, matchers, citizen, message.text or "", fallback_lang=lang,
                           clock=clock)
    if turn is None or turn.too_long is None:  # the filter let only a long text in
        return
    replier.lang = turn.lang
    replier.send(quote(too_long_text(turn.too_long, turn.lang)))


def create_router() -> Router:
    router = Router(name="length")
    router.message(TooLong())(too_long)
    return router
