"""The onboarding protocol run in Telegram: operators record steps, agencies sign and update.

``/case N`` shows a case with the actions its viewer may take as buttons; the commands
take the same actions by typing. Every handler carries ``StaffOnly`` and every use case
checks the actor again, so a forged button of another agency's case is refused.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.channels.telegram.render import quote
from bot.channels.telegram.replies import Replier
from bot.notify.letters import queue_question_list, record_center_step, sign_protocol
from bot.texts.agencies import agency_name
from bot.texts.days import written_day
from bot.texts.i18n import gettext_for
from bot.texts.onboarding import STEP_TITLES
from handlers.filters import Magic
from handlers.staff import StaffOnly, case_lines, not_staff_button, pressed, problem_text
from handlers.views import Gettext, texts_of
from knowledge import onboarding
from knowledge.agencies import AgencyNames, agency_names
from knowledge.calendar import local_today
from knowledge.clock import Clock
from knowledge.db.uow import UnitOfWork
from knowledge.errors import InvalidInput
from knowledge.model import Lang
from knowledge.onboarding import Case, CaseCard, Deadlines, acceptance, maintenance
from knowledge.staff import Actor

HISTORY_SHOWN: Final = 8


class CaseAction(CallbackData, prefix="ob"):
    action: str  # request_sent, training_held, send_questions, sign, accept
    register_no: str


def _action_label(_: Gettext, action: str, card: CaseCard) -> str:
    """The button of an action the viewer may take on the case now."""
    if action == "send_questions":
        return _("Send the questions ({n})").format(n=card.questions)
    if action == "sign":
        return _("Sign the protocol")
    if action == "accept":
        return _("Accept the update")
    return _("Done: {step}").format(step=_(STEP_TITLES[action]))  # the step awaited


def _today(clock: Clock) -> date:
    return local_today(clock.now())


def case_title(case: Case, names: AgencyNames, lang: str) -> str:
    """The card's first line: the service's number and name, its agency by name."""
    return quote(f"{case.register_no} · {case.name_kk if lang == 'kk' else case.name_ru}"
                 f" · {agency_name(case.agency_code, names, lang)}")


async def _show(replier: Replier, uow: UnitOfWork, register_no: str, actor: Actor, lang: Lang,
                *, today: date, deadlines: Deadlines) -> None:
    _ = texts_of(lang)
    card = await onboarding.case_card(uow, register_no, actor)
    case = card.case
    names = await agency_names(uow)
    lines = [case_title(case, names, lang)]
    lines += case_lines([case], today, deadlines, lang, names)
    if case.responsible:
        lines.append(quote(_("Responsible person: {name}").format(name=case.responsible)))
    for entry in card.history[-HISTORY_SHOWN:]:
        line = f"{written_day(entry.done_on, lang)} · {_(STEP_TITLES.get(entry.step, entry.step))}"
        late = entry.working_days_late(deadlines.calendar)
        if late:
            line += " · " + gettext_for(lang).ngettext(
                "{n} working day late (due {due})", "{n} working days late (due {due})", late,
            ).format(n=late, due=written_day(entry.due_on, lang) if entry.due_on else "—")
        lines.append(quote(line))
    buttons = [[InlineKeyboardButton(
        text=_action_label(_, action, card), callback_data=CaseAction(
            action=action, register_no=register_no).pack())]
        for action in card.actions]
    replier.send("\n".join(lines),
                 markup=InlineKeyboardMarkup(inline_keyboard=buttons) if buttons else None)


def _request_mailed(_: Gettext, address: str, *, smtp_configured: bool) -> str:
    """Where the request's letter is: e-mailed, or waiting in the outbox for an SMTP server
    (not said to be sent when it is not)."""
    if not smtp_configured:
        return _(
            "The request and the information template are queued for {address}: they go "
            "as soon as an SMTP server is configured (UCC_SMTP_HOST)."
        ).format(address=address)
    return _(
        "The request and the information template were e-mailed to {address}."
    ).format(address=address)


async def _act(replier: Replier, uow: UnitOfWork, *, action: str, register_no: str,
               actor: Actor, lang: Lang, clock: Clock, deadlines: Deadlines,
               effective: date | None = None, smtp_configured: bool = True) -> None:
    """``smtp_configured``: only the request's letter tells whether it went."""
    _ = texts_of(lang)
    on = _today(clock)
    if action in ("request_sent", "training_held"):
        case, mailed = await record_center_step(uow, register_no, action, on=on,
                                                actor=actor, clock=clock,
                                                deadlines=deadlines)
        lines = [_("Recorded. Next: {step}, due {due}.").format(
            step=_(STEP_TITLES.get(case.step, case.step)),
            due=written_day(case.due_on, lang) if case.due_on else "—")]
        if action == "request_sent":
            lines.append(_request_mailed(_, mailed, smtp_configured=smtp_configured)
                         if mailed else _(
                "The agency has no official e-mail in the registry: send it the request "
                "and the template another way (ucc onboarding documents {register_no})."
            ).format(register_no=register_no))
        replier.send(quote("\n".join(lines)))
    elif action == "send_questions":
        questions = await acceptance.send_questions(uow, register_no, on=on, actor=actor,
                                                    clock=clock)
        ways = queue_question_list(uow, questions, clock=clock)
        replier.send(quote(_("{n} questions sent to the responsible person.").format(
            n=len(questions.questions)) if ways else _(
            "The responsible person has neither Telegram nor e-mail: send the questions "
            "another way.")))
    elif action == "sign":
        case, signed = await sign_protocol(
            uow, register_no, on=on, actor=actor, clock=clock, deadlines=deadlines)
        replier.send(quote(_(
            "The protocol is signed by both sides. The service goes live on {day}."
        ).format(day=written_day(case.activation_on, lang) if case.activation_on else "—")
            if signed else _("Your signature is recorded; waiting for the other side.")))
    elif action == "accept":
        case = await maintenance.accept_update(uow, register_no, on=on, actor=actor,
                                               clock=clock, effective_on=effective)
        replier.send(quote(_("The update is accepted; it is live from {day}.").format(
            day=written_day(case.activation_on or on, lang))))


async def _guarded(replier: Replier, uow: UnitOfWork, *, action: str, register_no: str,
                   actor: Actor, lang: Lang, clock: Clock, deadlines: Deadlines,
                   effective: date | None = None) -> None:
    try:
        await _act(replier, uow, action=action, register_no=register_no, actor=actor,
                   lang=lang, clock=clock, deadlines=deadlines, effective=effective)
    except InvalidInput as error:
        replier.send(quote(problem_text(texts_of(lang), error)))


async def case_card(message: Message, *, command: CommandObject, replier: Replier,
                    uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock,
                    deadlines: Deadlines) -> None:
    _ = texts_of(lang)
    register_no = (command.args or "").strip()
    if not register_no:
        replier.send(quote(_("Send /case and the service's number, e.g. /case 701001.")))
        return
    try:
        await _show(replier, uow, register_no, actor, lang, today=_today(clock),
                    deadlines=deadlines)
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))


async def case_button(query: CallbackQuery, *, callback_data: CaseAction, replier: Replier,
                      uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock,
                      deadlines: Deadlines, smtp_configured: bool) -> None:
    async def act() -> None:
        await _act(replier, uow, action=callback_data.action,
                   register_no=callback_data.register_no, actor=actor, lang=lang, clock=clock,
                   deadlines=deadlines, smtp_configured=smtp_configured)

    await pressed(query, replier, lang, act)


async def sign(message: Message, *, command: CommandObject, replier: Replier,
               uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock,
               deadlines: Deadlines) -> None:
    await _guarded(replier, uow, action="sign", register_no=(command.args or "").strip(),
                   actor=actor, lang=lang, clock=clock, deadlines=deadlines)


async def accept(message: Message, *, command: CommandObject, replier: Replier,
                 uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock,
                 deadlines: Deadlines) -> None:
    _ = texts_of(lang)
    register_no, _sep, rest = (command.args or "").strip().partition(" ")
    try:
        effective = date.fromisoformat(rest.strip()) if rest.strip() else None
    except ValueError:
        replier.send(quote(_("The date must look like 2026-12-31.")))
        return
    await _guarded(replier, uow, action="accept", register_no=register_no, actor=actor,
                   lang=lang, clock=clock, deadlines=deadlines, effective=effective)


async def appoint(message: Message, *, command: CommandObject, bot: Bot, replier: Replier,
                  uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock,
                  deadlines: Deadlines) -> None:
    """``/appoint N; name; position; phone; e-mail``: the agency's responsible person."""
    _ = texts_of(lang)
    parts = [p.strip() for p in (command.args or "").split(";")]
    if len(parts) < 2 or not parts[0] or not parts[1]:  # noqa: PLR2004 - number and name
        replier.send(quote(_(
            "Send: /appoint service number; full name; position; phone; e-mail "
            "(the last three may be left empty).")))
        return
    register_no, name, *rest = parts
    position, phone, email = [*(p or None for p in rest), None, None, None][:3]
    try:
        case, member = await onboarding.appoint_responsible(
            uow, register_no, name, on=_today(clock), actor=actor, clock=clock,
            deadlines=deadlines, position=position, phone=phone, email=email)
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))
        return
    me = await bot.me()
    link = f"https://t.me/{me.username}?start=inv-{member.invite_code}"
    replier.send(quote(_(
        "{name} is the responsible person of {agency} for service {register_no}. Send "
        "them this one-time link: {link}"
    ).format(name=member.name, register_no=register_no,
             agency=agency_name(case.agency_code, await agency_names(uow), lang),
             link=link)))


async def question(message: Message, *, command: CommandObject, replier: Replier,
                   uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock) -> None:
    """``/question N text``: an operator's question on the draft, sent before training."""
    _ = texts_of(lang)
    register_no, _sep, text = (command.args or "").strip().partition(" ")
    try:
        await acceptance.add_question(uow, register_no, text, on=_today(clock), actor=actor,
                                      clock=clock)
        pending = await acceptance.pending_questions(uow, register_no, actor)
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))
        return
    replier.send(quote(_(
        "Question kept ({n} waiting). /case {register_no} sends them to the agency."
    ).format(n=len(pending), register_no=register_no)))


async def update(message: Message, *, command: CommandObject, replier: Replier,
                 uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock,
                 deadlines: Deadlines) -> None:
    """``/update N YYYY-MM-DD``: the act behind a live service changed on that day."""
    _ = texts_of(lang)
    register_no, _sep, day = (command.args or "").strip().partition(" ")
    try:
        act_on = date.fromisoformat(day.strip())
    except ValueError:
        replier.send(quote(_(
            "Send: /update service number and the act's date, e.g. /update 701001 "
            "2026-12-01.")))
        return
    try:
        case = await maintenance.start_update(uow, register_no, act_on, actor=actor,
                                              clock=clock, deadlines=deadlines)
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))
        return
    replier.send(quote(_(
        "Update of service {register_no} opened: the new information is due {due}. Send "
        "the filled template to this chat."
    ).format(register_no=register_no,
             due=written_day(case.due_on, lang) if case.due_on else "—")))


async def protocol_scan(message: Message, *, replier: Replier, uow: UnitOfWork, lang: Lang,
                        actor: Actor, clock: Clock, deadlines: Deadlines) -> None:
    """A signed scan of the protocol, captioned "protocol N": that side's signature."""
    _ = texts_of(lang)
    words = (message.caption or "").split()
    if len(words) < 2:  # noqa: PLR2004 - the word and the number
        replier.send(quote(_("Caption the scan «protocol» and the service's number.")))
        return
    document = message.document
    assert document is not None
    try:
        case, signed = await sign_protocol(
            uow, words[1], on=_today(clock), actor=actor, clock=clock, deadlines=deadlines,
            scan=f"telegram:{document.file_id}")
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))
        return
    replier.send(quote(_(
        "The protocol is signed by both sides. The service goes live on {day}."
    ).format(day=written_day(case.activation_on, lang) if case.activation_on else "—")
        if signed else _("Your signature is recorded; waiting for the other side.")))


def create_router() -> Router:
    router = Router(name="staff.onboarding")
    router.message(Command("case"), StaffOnly())(case_card)
    router.callback_query(CaseAction.filter(), StaffOnly())(case_button)
    router.callback_query(CaseAction.filter())(not_staff_button)
    router.message(Command("sign"), StaffOnly())(sign)
    router.message(Command("accept"), StaffOnly())(accept)
    router.message(Command("appoint"), StaffOnly())(appoint)
    router.message(Command("question"), StaffOnly())(question)
    router.message(Command("update"), StaffOnly())(update)
    router.message(Magic(F.document), Magic(F.caption.func(acceptance.names_protocol_scan)),
                   StaffOnly())(protocol_scan)
    return router
