"""The aiogram dispatcher: routers composed, long-lived dependencies as workflow data."""

from __future__ import annotations

from aiogram import Dispatcher, Router

from bot.app import App
from bot.channels.telegram.context import ContextMiddleware
from handlers import (
    browse,
    complaints,
    curation,
    escalations,
    length,
    onboarding,
    questions,
    refusals,
    staff,
    start,
    status,
)


def create_routers() -> list[Router]:
    """Every router, in the order updates try them."""
    # Staff first: "/start inv-…" is an invite, not a citizen's greeting.
    # Status before questions: in an open status inquiry the next message is the IIN.
    # The protocol's scans (captioned documents) before the staff's information files.
    return [onboarding.create_router(),
            escalations.create_router(),
            curation.create_router(),
            refusals.create_router(),
            complaints.create_staff_router(),
            staff.create_router(),
            # a citizen's text over the limit is read by nobody: a complaint's step neither
            length.create_router(),
            # a complaint in progress takes the citizen's texts first
            complaints.create_router(),
            start.create_router(), browse.create_router(),
            status.create_router(),
            questions.create_router()]


def create_dispatcher(app: App) -> Dispatcher:
    """The handlers' long-lived dependencies go in as workflow data, which aiogram hands
    each handler by the name of its parameter; the per-update ones (``uow``, ``citizen``,
    ``lang``, ``replier``, ``clock``) come from ``ContextMiddleware``."""
    # No FSM: conversation state lives in the database, in the update's transaction.
    dispatcher = Dispatcher(disable_fsm=True, matchers=app.matchers,
                            status_desk=app.status_desk, deadlines=app.deadlines,
                            notifier=app.notifier, qc_email=app.settings.qc_email,
                            smtp_configured=app.settings.smtp_host is not None)
    dispatcher.update.outer_middleware(ContextMiddleware(
        app.clock, app.settings.default_lang, max_chars=app.settings.message_max_chars))
    dispatcher.include_routers(*create_routers())
    return dispatcher
