"""Staff in Telegram: an invite redeemed, and the onboarding cases with their deadlines.

Every handler that shows or changes staff data carries ``StaffOnly``: it finds the role of
the Telegram account and hands the handler an ``actor``, which the domain checks again
(agency staff see their own agency's cases only). ``PUBLIC`` lists the handlers that are
open to anyone, and why; a test walks every handler to hold this.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, Final

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart, Filter
from aiogram.types import CallbackQuery, Message

from bot.channels.telegram.render import quote
from bot.channels.telegram.replies import Replier
from bot.texts.agencies import CENTER, agency_name
from bot.texts.days import written_day
from bot.texts.i18n import gettext_for
from bot.texts.onboarding import STEP_TITLES
from bot.texts.terms import case_time_left
from handlers.filters import Magic
from handlers.views import Gettext, texts_of
from knowledge import onboarding
from knowledge.agencies import AgencyNames, agency_names
from knowledge.calendar import local_today
from knowledge.clock import Clock
from knowledge.db.uow import UnitOfWork
from knowledge.errors import AlreadyDone, InvalidInput
from knowledge.escalations import ReplyTooLong
from knowledge.model import Lang
from knowledge.onboarding import Deadlines
from knowledge.onboarding.cases import StepOutOfOrder
from knowledge.onboarding.submission import MAX_SUBMISSION_BYTES, Filed, submit_file
from knowledge.staff import AccessDenied, Actor, actor_for_telegram, bind_telegram

log = logging.getLogger(__name__)

INVITE_PREFIX: Final = "inv-"
MAX_PROBLEMS_SHOWN: Final = 30
# Handlers anyone may reach: the invite code is the credential; the refusals show nothing.
PUBLIC: Final = frozenset({"redeem_invite", "not_staff", "not_staff_button"})


class StaffOnly(Filter):
    """Passes staff only, handing the handler their ``actor``."""

    async def __call__(
        self, event: Message | CallbackQuery, uow: UnitOfWork
    ) -> bool | dict[str, Any]:
        user = event.from_user
        if user is None:
            return False
        actor = await actor_for_telegram(uow, user.id)
        return False if actor is None else {"actor": actor}


async def pressed(query: CallbackQuery, replier: Replier, lang: Lang,
                  act: Callable[[], Awaitable[None]]) -> None:
    """A staff button's action, its spinner stopped. Pressed again, the domain finds it
    done (``AlreadyDone``) and the press is answered "Already done." and nothing more."""
    _ = texts_of(lang)
    try:
        await act()
    except AlreadyDone:
        replier.answer_callback(query.id, _("Already done."))
        return
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))
    replier.answer_callback(query.id)


def problem_text(_: Gettext, error: InvalidInput) -> str:
    """Why an action of staff was refused, in their language: the error's message id
    translated, never its English (which the log keeps when there is no id)."""
    if isinstance(error, AccessDenied):
        return _("This is not yours to do.")
    if isinstance(error, ReplyTooLong):
        return _("The reply is too long: {length} characters, at most {limit} (it must reach "
                 "the citizen in one message). Please shorten it and send it again.").format(
            length=error.length, limit=error.limit)
    if isinstance(error, StepOutOfOrder):
        waits = (_("closed: the service is live") if error.waits == onboarding.CLOSED
                 else _(STEP_TITLES.get(error.waits, error.waits)))
        return _("This step cannot be taken now: service {register_no} waits for "
                 "“{step}”.").format(register_no=error.register_no, step=waits)
    told = error.told(_)
    if told is None:
        log.info("a domain error without a message id shown as 'cannot be done': %s", error)
        return _("That cannot be done now.")
    return _("That cannot be done now: {reason}").format(reason=told)


def case_lines(cases: list[onboarding.Case], today: date, deadlines: Deadlines,
               lang: str, names: AgencyNames) -> list[str]:
    _ = texts_of(lang)
    lines = []
    for case in cases:
        step = _(STEP_TITLES.get(case.step, case.step))
        when = ("" if case.due_on is None else
                f"{written_day(case.due_on, lang)}, "
                f"{case_time_left(case, today, deadlines, lang)}")
        agency = agency_name(case.agency_code, names, lang)
        lines.append(quote(f"{case.register_no} · {agency} · {step} · {when}"))
    return lines


class UploadNotRead(RuntimeError):
    """A file a handler needs was not read before the update's transaction: its sender
    became staff within the same batch of updates. The batch fails, and each of its
    updates is processed again on its own, the file read first."""


async def redeem_invite(
    message: Message, command: CommandObject, replier: Replier, uow: UnitOfWork, lang: Lang,
) -> None:
    _ = texts_of(lang)
    code = (command.args or "").removeprefix(INVITE_PREFIX)
    if message.from_user is None:
        return
    try:
        member = await bind_telegram(uow, code, message.from_user.id)
    except AccessDenied:
        replier.send(quote(_(
            "This invitation is not valid: it was used already or withdrawn. Ask the "
            "contact center for a new one.")))
        return
    replier.show_staff_menu()
    replier.send(quote(_(
        "Welcome, {name}! This Telegram account now works for {agency} in the contact "
        "center's system. /onboarding shows your cases and their deadlines."
    ).format(name=member.name, agency=await _employer(uow, member.agency_code, lang))))


async def _employer(uow: UnitOfWork, code: str | None, lang: Lang) -> str:
    """The agency the member works for, by name; the center's own staff, the center."""
    if code is None:
        return gettext_for(lang).gettext(CENTER)
    return agency_name(code, await agency_names(uow), lang)


async def onboarding_status(
    message: Message, *, replier: Replier, uow: UnitOfWork, lang: Lang, actor: Actor,
    clock: Clock, deadlines: Deadlines,
) -> None:
    _ = texts_of(lang)
    cases = await onboarding.cases(uow, actor)
    if not cases:
        replier.send(quote(_("No open onboarding cases.")))
        return
    today = local_today(clock.now())
    lines = case_lines(cases, today, deadlines, lang, await agency_names(uow))
    replier.send(quote(_("Onboarding cases:")) + "\n" + "\n".join(lines))


async def information_file(
    message: Message, *, replier: Replier, uow: UnitOfWork, lang: Lang, actor: Actor,
    clock: Clock, deadlines: Deadlines, upload: bytes | None = None,
) -> None:
    """The responsible person's filled template (or pack): a draft of the service.

    ``upload``: the document's content, read before the update's transaction by the
    update processor (bot/channels/telegram/uploads.py); None when it was not read (too
    large, or not sent by staff when the batch began).
    """
    document = message.document
    assert document is not None
    size = document.file_size or 0
    if upload is None and size <= MAX_SUBMISSION_BYTES:
        raise UploadNotRead(f"document {document.file_unique_id} was not read")
    filed = await submit_file(uow, (message.caption or "").strip(), upload or b"", size=size,
                              on=local_today(clock.now()), actor=actor, clock=clock,
                              deadlines=deadlines)
    replier.send(_filed_text(texts_of(lang), filed, lang))


def _filed_text(_: Gettext, filed: Filed, lang: str) -> str:
    if filed.outcome == "unclear":
        numbers = ", ".join(filed.waiting) or "—"
        return quote(_(
            "Which service is this file for? Send it again with the service's number "
            "as the caption. Services waiting for information: {numbers}."
        ).format(numbers=numbers))
    if filed.outcome == "too_large":
        return quote(_("The file is too large (at most 20 MB)."))
    if filed.outcome == "update":
        return quote(_(
            "Thank you! The update of service {register_no} is kept for the contact "
            "center's review; citizens get the current answers until it is accepted."
        ).format(register_no=filed.register_no))
    if filed.outcome == "refused":
        shown = filed.problems[:MAX_PROBLEMS_SHOWN]
        more = len(filed.problems) - len(shown)
        lines = [quote(_("The file was not accepted; nothing was changed. Problems "
                         "({count}):").format(count=len(filed.problems)))]
        lines += [quote(f"• {problem.render(_)}") for problem in shown]
        if more:
            lines.append(quote(_("…and {n} more.").format(n=more)))
        return "\n".join(lines)
    if filed.outcome == "not_waiting":
        return quote(_(
            "The information could not be stored: service {register_no} is not waiting "
            "for it any more. Please contact the contact center."
        ).format(register_no=filed.register_no))
    return quote(_(
        "Thank you! The information on service {register_no} is stored as a draft "
        "({count} questions and answers); citizens will see it after the protocol. "
        "Training is due by {due}."
    ).format(register_no=filed.register_no, count=filed.entries,
             due=written_day(filed.due_on, lang) if filed.due_on else "—"))


async def not_staff(message: Message, replier: Replier, lang: Lang) -> None:
    _ = texts_of(lang)
    replier.send(quote(_("This command is for the contact center's staff and agencies.")))


async def not_staff_button(query: CallbackQuery, replier: Replier, lang: Lang) -> None:
    """A staff button pressed by someone who is not staff (any more: a removed person's
    old messages keep their buttons): refused, so the spinner stops and nothing is done.
    Each staff router registers it after its ``StaffOnly`` handler of the same buttons."""
    _ = texts_of(lang)
    replier.answer_callback(query.id, _(
        "This button is for the contact center's staff and agencies."))


def create_router() -> Router:
    router = Router(name="staff")
    router.message(CommandStart(deep_link=True, magic=F.args.startswith(INVITE_PREFIX)))(
        redeem_invite)
    router.message(Command("onboarding"), StaffOnly())(onboarding_status)
    router.message(Magic(F.document), StaffOnly())(information_file)
    router.message(Command("onboarding"))(not_staff)
    return router
