"""The staff's actions on a question typed in one message (the Telegram commands): the
languages of an answer or a reply marked, or told by its words; a refusal's ground as its
first word. Each returns the question as it now stands, for the reply to the staff."""

from __future__ import annotations

from knowledge.clock import Clock
from knowledge.db.uow import UnitOfWork
from knowledge.escalations.model import Escalation
from knowledge.escalations.queue import escalation
from knowledge.escalations.replies import (
    NOT_COMPETENT,
    answer,
    not_competent,
    refuse,
    texts_by_language,
)
from knowledge.escalations.routing import close_out_of_scope
from knowledge.onboarding import Deadlines
from knowledge.refusals import Ground
from knowledge.staff import Actor


async def answer_typed(
    uow: UnitOfWork, reference: str, text: str, *, actor: Actor, clock: Clock,
) -> Escalation:
    """The agency's answer; an unmarked text is in the language its words tell, else the
    question's (staged)."""
    item = await escalation(uow, reference, actor)
    texts = texts_by_language(text, item.lang)  # type: ignore[arg-type]
    return await answer(uow, reference, text_kk=texts.get("kk"), text_ru=texts.get("ru"),
                        actor=actor, clock=clock)


async def close_typed(
    uow: UnitOfWork, reference: str, text: str, *, actor: Actor, clock: Clock,
) -> Escalation:
    """Out of the center's scope, with the reply to the citizen (staged)."""
    item = await escalation(uow, reference, actor)
    texts = texts_by_language(text, item.lang)  # type: ignore[arg-type]
    return await close_out_of_scope(uow, reference, reply_kk=texts.get("kk"),
                                    reply_ru=texts.get("ru"), actor=actor, clock=clock)


async def withhold(
    uow: UnitOfWork, reference: str, *, ground: str, reason: str | None = None, actor: Actor,
    clock: Clock, deadlines: Deadlines,
) -> Escalation:
    """Refused on ``ground`` (see ``refuse``), or not the agency's competence (see
    ``not_competent``); staged."""
    if ground == NOT_COMPETENT:
        return await not_competent(uow, reference, reason=reason, actor=actor, clock=clock,
                                   deadlines=deadlines)
    await refuse(uow, reference, ground=ground, reason=reason, actor=actor, clock=clock,
                 deadlines=deadlines)
    return await escalation(uow, reference, actor)


async def refuse_typed(
    uow: UnitOfWork, reference: str, text: str, *, actor: Actor, clock: Clock,
    deadlines: Deadlines,
) -> Escalation:
    """``state_secret`` (or another ground, or ``not_competent``) and an optional reason,
    or a plain refusal's reason (staged)."""
    first = text.split(maxsplit=1)[0] if text else ""
    lawful = first in set(Ground) or first == NOT_COMPETENT
    return await withhold(
        uow, reference, ground=first if lawful else Ground.PLAIN.value,
        reason=(text[len(first):] if lawful else text).strip() or None, actor=actor,
        clock=clock, deadlines=deadlines)
