"""Staff in Telegram: an invite redeemed, and the onboarding cases with their deadlines.

Every handler that shows or changes staff data carries ``StaffOnly``: it finds the role of
the Telegram account and hands the handler an ``actor``, which the domain checks again
(agency staff see their own agency's cases only). ``PUBLIC`` lists the handlers that are
open to anyone, and why; a test walks every handler to hold this.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart, Filter
from aiogram.types import CallbackQuery, Message

from bot.channels.telegram.render import quote
from bot.channels.telegram.replies import Replier
from bot.texts.onboarding import STEP_TITLES
from handlers.filters import Magic
from handlers.views import Gettext, texts_of
from knowledge import onboarding
from knowledge.calendar import local_today
from knowledge.clock import Clock
from knowledge.db.uow import UnitOfWork
from knowledge.errors import InvalidInput, InvalidPack
from knowledge.model import Lang
from knowledge.onboarding import Deadlines, OnboardingError, maintenance
from knowledge.onboarding.submission import MAX_SUBMISSION_BYTES, read_submission
from knowledge.staff import AccessDenied, Actor, actor_for_telegram, bind_telegram

INVITE_PREFIX: Final = "inv-"
MAX_PROBLEMS_SHOWN: Final = 30
# Handlers anyone may reach: the invite code is the credential; the refusal shows nothing.
PUBLIC: Final = frozenset({"redeem_invite", "not_staff"})


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


def problem_text(_: Gettext, error: InvalidInput) -> str:
    """Why an action of staff was refused, in their language."""
    if isinstance(error, AccessDenied):
        return _("This is not yours to do.")
    return _("That cannot be done now: {reason}").format(reason=str(error))


def case_lines(cases: list[onboarding.Case], today: date, deadlines: Deadlines,
               lang: str) -> list[str]:
    _ = texts_of(lang)
    lines = []
    for case in cases:
        step = _(STEP_TITLES.get(case.step, case.step))
        if case.due_on is None:
            when = ""
        else:
            left = onboarding.working_days_left(case.due_on, today, deadlines.calendar)
            if left < 0:
                when = _("overdue by {n} working days").format(n=-left)
            else:
                when = _("{n} working days left").format(n=left)
            when = f"{case.due_on.isoformat()}, {when}"
        lines.append(quote(f"{case.register_no} · {case.agency_code} · {step} · {when}"))
    return lines


def create_router(deadlines: Deadlines, clock: Clock) -> Router:
    router = Router(name="staff")

    @router.message(CommandStart(deep_link=True, magic=F.args.startswith(INVITE_PREFIX)))
    async def redeem_invite(
        message: Message, command: CommandObject, replier: Replier, uow: UnitOfWork,
        lang: Lang,
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
        replier.send(quote(_(
            "Welcome, {name}! This Telegram account now works for {agency} in the contact "
            "center's system. /onboarding shows your cases and their deadlines."
        ).format(name=member.name, agency=member.agency_code or "1414")))

    @router.message(Command("onboarding"), StaffOnly())
    async def onboarding_status(
        message: Message, replier: Replier, uow: UnitOfWork, lang: Lang, actor: Actor,
    ) -> None:
        _ = texts_of(lang)
        cases = await onboarding.cases(uow, actor)
        if not cases:
            replier.send(quote(_("No open onboarding cases.")))
            return
        today = local_today(clock.now())
        lines = case_lines(cases, today, deadlines, lang)
        replier.send(quote(_("Onboarding cases:")) + "\n" + "\n".join(lines))

    @router.message(Magic(F.document), StaffOnly())
    async def information_file(
        message: Message, *, bot: Bot, replier: Replier, uow: UnitOfWork, lang: Lang,
        actor: Actor,
    ) -> None:
        """The responsible person's filled template (or pack): a draft of the service."""
        _ = texts_of(lang)
        waiting = [c for c in await onboarding.cases(uow, actor)
                   if c.step in ("information_provided", "update_provided")]
        caption = (message.caption or "").strip()
        chosen = [c for c in waiting if c.register_no == caption] or (
            waiting if len(waiting) == 1 else [])
        if not chosen:
            numbers = ", ".join(c.register_no for c in waiting) or "—"
            replier.send(quote(_(
                "Which service is this file for? Send it again with the service's number "
                "as the caption. Services waiting for information: {numbers}."
            ).format(numbers=numbers)))
            return
        [case] = chosen
        document = message.document
        assert document is not None
        if (document.file_size or 0) > MAX_SUBMISSION_BYTES:
            replier.send(quote(_("The file is too large (at most 20 MB).")))
            return
        downloaded = await bot.download(document)
        data = downloaded.read() if downloaded is not None else b""
        try:
            pack = await read_submission(uow, case, data)
            if case.kind == "update":
                case = await maintenance.submit_update(
                    uow, case.register_no, pack, on=local_today(clock.now()), actor=actor,
                    clock=clock)
                replier.send(quote(_(
                    "Thank you! The update of service {register_no} is kept for the contact "
                    "center's review; citizens get the current answers until it is accepted."
                ).format(register_no=case.register_no)))
                return
            case, report = await onboarding.submit_information(
                uow, case.register_no, pack, on=local_today(clock.now()), actor=actor,
                clock=clock, deadlines=deadlines)
        except InvalidPack as refused:
            shown = refused.problems[:MAX_PROBLEMS_SHOWN]
            more = len(refused.problems) - len(shown)
            lines = [quote(_("The file was not accepted; nothing was changed. Problems "
                             "({count}):").format(count=len(refused.problems)))]
            lines += [quote(f"• {problem.render(_)}") for problem in shown]
            if more:
                lines.append(quote(_("…and {n} more.").format(n=more)))
            replier.send("\n".join(lines))
            return
        except OnboardingError:  # the case moved on meanwhile, or the service is live
            replier.send(quote(_(
                "The information could not be stored: service {register_no} is not waiting "
                "for it any more. Please contact the contact center."
            ).format(register_no=case.register_no)))
            return
        replier.send(quote(_(
            "Thank you! The information on service {register_no} is stored as a draft "
            "({count} questions and answers); citizens will see it after the protocol. "
            "Training is due by {due}."
        ).format(register_no=case.register_no,
                 count=report.entries_added + report.entries_updated,
                 due=case.due_on.isoformat() if case.due_on else "—")))

    @router.message(Command("onboarding"))
    async def not_staff(message: Message, replier: Replier, lang: Lang) -> None:
        _ = texts_of(lang)
        replier.send(quote(_("This command is for the contact center's staff and agencies.")))

    return router
