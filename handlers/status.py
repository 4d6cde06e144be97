"""The status of a citizen's application: the menu button, "статус заявки 12345", the IIN.

The conversation is the domain's (knowledge/status/inquiry.py); this only translates. Text
that is not part of it falls through to the question router.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.types import Message

from bot.channels.telegram.render import quote
from bot.channels.telegram.replies import Replier
from bot.texts.status import render_status
from handlers.filters import Magic
from handlers.views import menu_labels
from knowledge.citizens import Citizen
from knowledge.clock import Clock
from knowledge.db.uow import UnitOfWork
from knowledge.model import Lang
from knowledge.status import StatusAnswer, StatusDesk, start_inquiry, status_turn


def _reply(replier: Replier, answer: StatusAnswer) -> None:
    replier.lang = answer.lang
    replier.send(quote(render_status(answer)))


async def status_button(
    message: Message, *, replier: Replier, uow: UnitOfWork, citizen: Citizen, lang: Lang,
    clock: Clock, status_desk: StatusDesk,
) -> None:
    _reply(replier, await start_inquiry(uow, status_desk, citizen, lang=lang, clock=clock))


async def status_text(
    message: Message, *, replier: Replier, uow: UnitOfWork, citizen: Citizen, lang: Lang,
    clock: Clock, status_desk: StatusDesk,
) -> None:
    answer = await status_turn(uow, status_desk, citizen, message.text or "", lang=lang,
                               clock=clock)
    if answer is None:
        raise SkipHandler  # not about a status: the question router answers it
    _reply(replier, answer)


def create_router() -> Router:
    router = Router(name="status")
    router.message(Magic(F.text.in_(menu_labels("status"))))(status_button)
    router.message(Magic(F.text))(status_text)
    return router
