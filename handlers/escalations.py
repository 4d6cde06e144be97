"""The escalation queue in Telegram: agencies take, answer or refuse their questions;
operators triage what no agency was found for.

``/queue`` lists the questions the viewer may work, oldest first, each with a button that
opens it; ``/esc REF`` shows one with the actions its viewer may take. Every handler
carries ``StaffOnly`` and every use case checks the actor again, so another agency's
question stays closed even to a forged button. What settles a question is passed on to the
waiting citizens in the same transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import TYPE_CHECKING, Final

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.channels.telegram.render import quote
from bot.channels.telegram.replies import Replier
from bot.texts.agencies import agency_name
from bot.texts.days import written_day
from bot.texts.escalations import LANGUAGE_NAMES
from bot.texts.i18n import gettext_for
from bot.texts.terms import working_days_text
from handlers.staff import StaffOnly, not_staff_button, pressed, problem_text
from handlers.views import Gettext, shorten, texts_of
from knowledge import escalations, onboarding
from knowledge.agencies import AgencyNames, agency_names
from knowledge.calendar import local_today
from knowledge.clock import Clock
from knowledge.db.uow import UnitOfWork
from knowledge.errors import InvalidInput
from knowledge.escalations import Escalation
from knowledge.model import Lang
from knowledge.onboarding import Deadlines
from knowledge.refusals import Ground
from knowledge.staff import Actor

if TYPE_CHECKING:
    from bot.notify.notifier import Notifier

QUEUE_SHOWN: Final = 20
LAWFUL_GROUNDS: Final = (Ground.STATE_SECRET, Ground.COMMERCIAL_SECRET, Ground.OTHER_SECRET)


class EscalationAction(CallbackData, prefix="es"):
    action: str  # show, take, withhold
    reference: str
    ground: str = ""


def ground_title(_: Gettext, ground: str) -> str:
    titles = {
        Ground.STATE_SECRET: _("State secret"),
        Ground.COMMERCIAL_SECRET: _("Commercial secret"),
        Ground.OTHER_SECRET: _("Other secret protected by law"),
        Ground.PLAIN: _("Refusal"),
    }
    return titles.get(Ground(ground), ground) if ground in set(Ground) else ground


def status_title(_: Gettext, status: str) -> str:
    titles = {"open": _("open"), "answered": _("answered"), "refused": _("refused"),
              "closed": _("closed")}
    return titles.get(status, status)


def due_text(lang: str, item: Escalation, today: date, deadlines: Deadlines) -> str:
    if item.due_on is None:
        return "—"
    left = onboarding.working_days_left(item.due_on, today, deadlines.calendar)
    return f"{written_day(item.due_on, lang)}, {working_days_text(lang, left)}"


def _today(clock: Clock) -> date:
    return local_today(clock.now())


def queue_lines(items: list[Escalation], names: AgencyNames, lang: str, *, today: date,
                deadlines: Deadlines) -> list[str]:
    """One line a question: who has it, by name, and its term."""
    lines = []
    for item in items:
        group = f" ×{item.group_size}" if item.group_size > 1 else ""
        lines.append(quote(
            f"{item.reference}{group} · {agency_name(item.agency_code, names, lang)} · "
            f"{due_text(lang, item, today, deadlines)}\n   {shorten(item.text, 90)}"))
    return lines


def escalation_title(_: Gettext, item: Escalation, names: AgencyNames, lang: str) -> str:
    """The card's first line: the reference, who has the question, by name, its status."""
    return quote(f"{item.reference} · {agency_name(item.agency_code, names, lang)} · "
                 f"{status_title(_, item.status)}")


def _queue_reply(replier: Replier, items: list[Escalation], names: AgencyNames, lang: Lang,
                 title: str, *, today: date, deadlines: Deadlines) -> None:
    _ = texts_of(lang)
    if not items:
        replier.send(quote(_("No open questions.")))
        return
    shown = items[:QUEUE_SHOWN]
    lines = [quote(title.format(n=len(items)))]
    lines += queue_lines(shown, names, lang, today=today, deadlines=deadlines)
    buttons = [[InlineKeyboardButton(text=item.reference, callback_data=EscalationAction(
        action="show", reference=item.reference).pack())] for item in shown]
    replier.send("\n".join(lines), markup=InlineKeyboardMarkup(inline_keyboard=buttons))


async def _show(replier: Replier, uow: UnitOfWork, reference: str, actor: Actor, lang: Lang,
                *, today: date, deadlines: Deadlines) -> None:
    _ = texts_of(lang)
    item = await escalations.escalation(uow, reference, actor)
    lines = [
        escalation_title(_, item, await agency_names(uow), lang),
        quote(_("Asked {day} in {lang}: {text}").format(
            day=written_day(item.created_at.date(), lang), lang=_(LANGUAGE_NAMES[item.lang]),
            text=item.text)),
        quote(_("Due: {due}").format(due=due_text(lang, item, today, deadlines))),
    ]
    if item.register_no:
        lines.append(quote(_("Service: {register_no}").format(register_no=item.register_no)))
    if item.taken_by:
        lines.append(quote(_("Taken by {who}").format(who=item.taken_by.split(":")[-1])))
    buttons: list[list[InlineKeyboardButton]] = []
    if item.status == escalations.EscalationStatus.OPEN:
        if item.in_triage:
            lines.append(quote(_(
                "Triage: /assign {ref} AGENCY, /frombase {ref} ENTRY, or /close {ref} "
                "reply to the citizen.").format(ref=item.reference)))
        else:
            lines.append(quote(_(
                "Answer: /answer {ref} text (mark parts «kk:» and «ru:» to give both "
                "languages). Refuse: /refuse {ref} reason.").format(ref=item.reference)))
            if item.taken_by is None:
                buttons.append([InlineKeyboardButton(
                    text=_("Take it"), callback_data=EscalationAction(
                        action="take", reference=item.reference).pack())])
            buttons += [[InlineKeyboardButton(
                text=_("Withhold: {ground}").format(ground=ground_title(_, ground)),
                callback_data=EscalationAction(action="withhold", reference=item.reference,
                                               ground=ground.value).pack())]
                for ground in LAWFUL_GROUNDS]
    else:
        for text in (item.reply_kk, item.reply_ru):
            if text:
                lines.append(quote(_("Reply: {text}").format(text=text)))
    replier.send("\n".join(lines),
                 markup=InlineKeyboardMarkup(inline_keyboard=buttons) if buttons else None)


async def _settled(replier: Replier, uow: UnitOfWork, lang: Lang, item: Escalation,
                   notifier: Notifier) -> None:
    """Pass the outcome on to the waiting citizens, and tell the staff member."""
    sent = await notifier.pending_escalation_outcomes(uow)
    _ = texts_of(lang)
    replier.send(quote(gettext_for(lang).ngettext(
        "Done: {reference} is {status}; {n} message to citizens queued.",
        "Done: {reference} is {status}; {n} messages to citizens queued.", sent).format(
        reference=item.reference, status=status_title(_, item.status), n=sent)))


def _words(command: CommandObject, replier: Replier, usage: str) -> tuple[str, str] | None:
    """The reference and the rest of a command, or None (usage told)."""
    reference, _sep, rest = (command.args or "").strip().partition(" ")
    if not reference:
        replier.send(quote(usage))
        return None
    return reference, rest.strip()


async def _settle(command: CommandObject, replier: Replier, uow: UnitOfWork, lang: Lang,
                  notifier: Notifier, *, usage: str,
                  act: Callable[[str, str], Awaitable[Escalation]]) -> None:
    """``/command REF rest``: act on the question, then pass the outcome on."""
    _ = texts_of(lang)
    parts = _words(command, replier, usage)
    if parts is None:
        return
    try:
        item = await act(*parts)
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))
        return
    await _settled(replier, uow, lang, item, notifier)


async def agency_queue(message: Message, *, command: CommandObject, replier: Replier,
                       uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock,
                       deadlines: Deadlines) -> None:
    _ = texts_of(lang)
    code = (command.args or "").strip() or None
    try:
        items = await escalations.queue(uow, actor, agency_code=code, deadlines=deadlines)
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))
        return
    _queue_reply(replier, items, await agency_names(uow), lang,
                 _("Open questions, oldest first ({n}):"),
                 today=_today(clock), deadlines=deadlines)


async def triage(message: Message, *, replier: Replier, uow: UnitOfWork, lang: Lang,
                 actor: Actor, clock: Clock, deadlines: Deadlines) -> None:
    _ = texts_of(lang)
    try:
        items = await escalations.queue(uow, actor, triage=True, deadlines=deadlines)
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))
        return
    _queue_reply(replier, items, await agency_names(uow), lang,
                 _("Questions without an agency ({n}):"),
                 today=_today(clock), deadlines=deadlines)


async def card(message: Message, *, command: CommandObject, replier: Replier,
               uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock,
               deadlines: Deadlines) -> None:
    _ = texts_of(lang)
    reference = (command.args or "").strip()
    if not reference:
        replier.send(quote(_("Send /esc and the question's number, e.g. /esc "
                             "Q-261201-00001.")))
        return
    try:
        await _show(replier, uow, reference, actor, lang, today=_today(clock),
                    deadlines=deadlines)
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))


async def button(query: CallbackQuery, *, callback_data: EscalationAction,
                 replier: Replier, uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock,
                 deadlines: Deadlines, notifier: Notifier) -> None:
    _ = texts_of(lang)
    reference = callback_data.reference

    async def act() -> None:
        if callback_data.action == "take":
            await escalations.take(uow, reference, actor=actor, clock=clock)
            replier.send(quote(_("{reference} is yours: answer it with /answer {reference} "
                                 "text.").format(reference=reference)))
        elif callback_data.action == "withhold":
            item = await escalations.withhold(uow, reference, ground=callback_data.ground,
                                              actor=actor, clock=clock, deadlines=deadlines)
            await _settled(replier, uow, lang, item, notifier)
        else:
            await _show(replier, uow, reference, actor, lang, today=_today(clock),
                        deadlines=deadlines)

    await pressed(query, replier, lang, act)


async def answer(message: Message, *, command: CommandObject, replier: Replier,
                 uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock,
                 notifier: Notifier) -> None:
    """``/answer REF text``: the agency's answer; ``kk:`` / ``ru:`` mark the languages."""
    async def act(reference: str, text: str) -> Escalation:
        return await escalations.answer_typed(uow, reference, text, actor=actor, clock=clock)

    _ = texts_of(lang)
    await _settle(command, replier, uow, lang, notifier, usage=_(
        "Send: /answer, the question's number and the answer (mark parts «kk:» and "
        "«ru:» to give both languages)."), act=act)


async def refuse(message: Message, *, command: CommandObject, replier: Replier,
                 uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock,
                 deadlines: Deadlines, notifier: Notifier) -> None:
    """``/refuse REF reason`` (a plain refusal), or ``/refuse REF state_secret`` etc."""
    async def act(reference: str, rest: str) -> Escalation:
        return await escalations.refuse_typed(uow, reference, rest, actor=actor, clock=clock,
                                              deadlines=deadlines)

    _ = texts_of(lang)
    await _settle(command, replier, uow, lang, notifier, usage=_(
        "Send: /refuse, the question's number and the reason. Information protected by "
        "law is withheld with the buttons of /esc."), act=act)


async def assign(message: Message, *, command: CommandObject, replier: Replier,
                 uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock,
                 deadlines: Deadlines) -> None:
    _ = texts_of(lang)
    parts = _words(command, replier, _(
        "Send: /assign, the question's number and the agency's code."))
    if parts is None:
        return
    reference, code = parts
    try:
        item = await escalations.assign(uow, reference, code, actor=actor, clock=clock,
                                        deadlines=deadlines)
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))
        return
    names = await agency_names(uow)
    replier.send(quote(_("{reference} is in the queue of {agency}.").format(
        reference=item.reference, agency=agency_name(item.agency_code, names, lang))))


async def from_base(message: Message, *, command: CommandObject, replier: Replier,
                    uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock,
                    notifier: Notifier) -> None:
    async def act(reference: str, key: str) -> Escalation:
        return await escalations.answer_from_base(uow, reference, key, actor=actor,
                                                  clock=clock)

    _ = texts_of(lang)
    await _settle(command, replier, uow, lang, notifier, usage=_(
        "Send: /frombase, the question's number and the entry's id."), act=act)


async def close(message: Message, *, command: CommandObject, replier: Replier,
                uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock,
                notifier: Notifier) -> None:
    """``/close REF reply``: out of the center's scope, with a reply to the citizen."""
    async def act(reference: str, text: str) -> Escalation:
        return await escalations.close_typed(uow, reference, text, actor=actor, clock=clock)

    _ = texts_of(lang)
    await _settle(command, replier, uow, lang, notifier, usage=_(
        "Send: /close, the question's number and the reply to the citizen."), act=act)


async def oral(message: Message, *, command: CommandObject, replier: Replier,
               uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock,
               notifier: Notifier) -> None:
    """``/oral REF who; YYYY-MM-DD; what was said``: the agency's phone or oral help."""
    _ = texts_of(lang)
    usage = _("Send: /oral question number who; date (2026-12-31); what was said.")
    reference, _sep, rest = (command.args or "").strip().partition(" ")
    fields = [p.strip() for p in rest.split(";", 2)]
    if not reference or len(fields) != 3:  # noqa: PLR2004 - who, when, what
        replier.send(quote(usage))
        return
    who, day, what = fields
    try:
        on = date.fromisoformat(day)
    except ValueError:
        replier.send(quote(usage))
        return
    try:
        item = await escalations.record_oral_help(uow, reference, who=who, on=on,
                                                  what=what, actor=actor, clock=clock)
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))
        return
    await _settled(replier, uow, lang, item, notifier)


async def export(message: Message, *, command: CommandObject, replier: Replier,
                 uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock) -> None:
    """The questions the viewer may see, as CSV (an agency: its own)."""
    _ = texts_of(lang)
    code = (command.args or "").strip() or None
    try:
        data = await escalations.export_csv(uow, actor, agency_code=code)
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))
        return
    today = _today(clock)
    name = f"escalations-{code or ('all' if actor.of_center else 'agency')}-{today}.csv"
    replier.send_document(name, "text/csv", data,
                          quote(_("Questions as CSV ({day}).").format(day=today.isoformat())))


def create_router() -> Router:
    router = Router(name="staff.escalations")
    router.message(Command("queue"), StaffOnly())(agency_queue)
    router.message(Command("triage"), StaffOnly())(triage)
    router.message(Command("esc"), StaffOnly())(card)
    router.callback_query(EscalationAction.filter(), StaffOnly())(button)
    router.callback_query(EscalationAction.filter())(not_staff_button)
    router.message(Command("answer"), StaffOnly())(answer)
    router.message(Command("refuse"), StaffOnly())(refuse)
    router.message(Command("assign"), StaffOnly())(assign)
    router.message(Command("frombase"), StaffOnly())(from_base)
    router.message(Command("close"), StaffOnly())(close)
    router.message(Command("oral"), StaffOnly())(oral)
    router.message(Command("export"), StaffOnly())(export)
    return router
