"""The aiogram dispatcher: routers composed, long-lived dependencies as workflow data."""

from __future__ import annotations

from aiogram import Dispatcher, Router

from bot.app import App
from bot.channels.telegram.context import ContextMiddleware
from bot.notify.notifier import Notifier
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
from knowledge.clock import Clock
from knowledge.onboarding import Deadlines


def create_routers(deadlines: Deadlines, clock: Clock, notifier: Notifier,
                   qc_email: str | None = None) -> list[Router]:
    """Every router, in the order updates try them."""
    # Staff first: "/start inv-…" is an invite, not a citizen's greeting.
    # Status before questions: in an open status inquiry the next message is the IIN.
    # The protocol's scans (captioned documents) before the staff's information files.
    return [onboarding.create_router(deadlines, clock),
            escalations.create_router(deadlines, clock, notifier),
            curation.create_router(clock),
            refusals.create_router(deadlines, clock, qc_email),
            complaints.create_staff_router(deadlines, clock, notifier),
            staff.create_router(deadlines, clock),
            # a complaint in progress takes the citizen's texts first
            complaints.create_router(deadlines, clock),
            start.create_router(), browse.create_router(),
            status.create_router(),
            questions.create_router()]


def create_dispatcher(app: App) -> Dispatcher:
    # No FSM: conversation state lives in the database, in the update's transaction.
    dispatcher = Dispatcher(disable_fsm=True, matchers=app.matchers,
                            status_desk=app.status_desk)
    dispatcher.update.outer_middleware(ContextMiddleware(app.clock, app.settings.default_lang))
    dispatcher.include_routers(*create_routers(app.deadlines, app.clock, app.notifier,
                                               app.settings.qc_email))
    return dispatcher
