"""The aiogram dispatcher: routers composed, long-lived dependencies as workflow data."""

from __future__ import annotations

from aiogram import Dispatcher

from bot.channels.telegram.context import ContextMiddleware
from handlers import (
    browse,
    complaints,
    curation,
    escalations,
    onboarding,
    questions,
    refusals,
    staff,
    start,
    status,
)
from knowledge.asking import MatcherCache
from knowledge.clock import Clock
from knowledge.model import Lang
from knowledge.onboarding import Deadlines
from knowledge.status import StatusDesk, load_stages


def create_dispatcher(
    matchers: MatcherCache, clock: Clock, default_lang: Lang, deadlines: Deadlines,
    qc_email: str | None = None, *, sms_max_parts: int, status_desk: StatusDesk | None = None,
) -> Dispatcher:
    """``sms_max_parts`` (``UCC_SMS_MAX_PARTS``) fits what staff send to SMS citizens."""
    # No FSM: conversation state lives in the database, in the update's transaction.
    dispatcher = Dispatcher(matchers=matchers, disable_fsm=True,
                            status_desk=status_desk or StatusDesk(load_stages()))
    dispatcher.update.outer_middleware(ContextMiddleware(clock, default_lang))
    # Staff first: "/start inv-…" is an invite, not a citizen's greeting.
    # Status before questions: in an open status inquiry the next message is the IIN.
    # The protocol's scans (captioned documents) before the staff's information files.
    dispatcher.include_routers(onboarding.create_router(deadlines, clock),
                               escalations.create_router(deadlines, clock,
                                                         sms_max_parts=sms_max_parts),
                               curation.create_router(clock),
                               refusals.create_router(deadlines, clock, qc_email),
                               complaints.create_staff_router(deadlines, clock,
                                                              sms_max_parts=sms_max_parts),
                               staff.create_router(deadlines, clock),
                               # a complaint in progress takes the citizen's texts first
                               complaints.create_router(deadlines, clock),
                               start.create_router(), browse.create_router(),
                               status.create_router(),
                               questions.create_router())
    return dispatcher
