"""Complaints in Telegram: the citizen's intake, and the staff's list, card and response.

The citizen starts from the menu ("📝 Complaint"), with /complaint, or by writing that
they want to complain; every step of the domain's intake comes with buttons (and takes a
typed answer or number too), and Cancel on each. While a draft is open the citizen's
texts go to it; a command or another menu item drops it, unsent, and is served as usual.

Staff use ``/complaints`` (their agency's, oldest first; operators: all, ``triage`` or
``repeats``), ``/complaint N`` (the card), ``/cresp N text`` (the agency's response,
``kk:`` / ``ru:`` parts), ``/cext N DAYS reason`` (the agency extends the term),
``/cassign N AGENCY`` (triage) and ``/cexport`` (CSV). Every
staff handler carries ``StaffOnly`` and every use case checks the actor again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from aiogram import F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, CommandObject, Filter
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.channels.telegram.render import quote
from bot.channels.telegram.replies import Replier
from bot.texts.agencies import agency_name
from bot.texts.complaints import CANCELLED, START, option_label, prompt_text, registered_text
from bot.texts.days import spoken_day, written_day
from bot.texts.i18n import gettext_for
from handlers.escalations import status_title
from handlers.filters import Magic
from handlers.staff import StaffOnly, not_staff_button, pressed, problem_text
from handlers.views import menu_buttons, menu_keyboard, shorten, texts_of
from knowledge import complaints
from knowledge.agencies import AgencyNames, agency_names
from knowledge.asking import MatcherCache
from knowledge.calendar import local_today
from knowledge.citizens import Citizen
from knowledge.clock import Clock
from knowledge.complaints import Complaint, Draft, IntakeTurn, Reply, Step
from knowledge.complaints.categories import NATURE_BY_CODE, REGION_BY_CODE
from knowledge.complaints.lodging import NAME_IN_LOG
from knowledge.db.uow import UnitOfWork
from knowledge.errors import InvalidInput
from knowledge.model import Lang
from knowledge.onboarding import Deadlines
from knowledge.staff import Actor
from knowledge.text.langdetect import language_of

if TYPE_CHECKING:
    from bot.notify.notifier import Notifier

LIST_SHOWN: Final = 20
WIDE_STEPS: Final = frozenset({Step.REGION})  # short labels: two buttons a row


class ComplaintChoice(CallbackData, prefix="cp"):
    value: str  # an option's value: a region or nature code, a register number, dk…


class ComplaintAction(CallbackData, prefix="cm"):
    action: str  # show, take
    number: str


class HasDraft(Filter):
    """Passes a citizen with a complaint in progress, handing the handler the ``draft``."""

    async def __call__(
        self, event: Message | CallbackQuery, uow: UnitOfWork, citizen: Citizen, clock: Clock,
    ) -> bool | dict[str, Any]:
        draft = await complaints.active_draft(uow, citizen.id, clock)
        return False if draft is None else {"draft": draft}


def _menu_labels(action: str | None = None) -> set[str]:
    return {label for lang in ("kk", "ru") for key, label in menu_buttons(lang).items()
            if action is None or key == action}


def intake_keyboard(turn: IntakeTurn) -> InlineKeyboardMarkup | None:
    if turn.prompt is None or not turn.prompt.options:
        return None
    buttons = [InlineKeyboardButton(text=shorten(option_label(option, turn.lang)),
                                    callback_data=ComplaintChoice(value=option.value).pack())
               for option in turn.prompt.options]
    width = 2 if turn.prompt.step in WIDE_STEPS else 1
    rows = [buttons[n:n + width] for n in range(0, len(buttons) - 1, width)]
    rows.append(buttons[-1:])  # Cancel alone, last
    return InlineKeyboardMarkup(inline_keyboard=rows)


def render_turn(replier: Replier, turn: IntakeTurn) -> None:
    replier.lang = turn.lang
    _ = texts_of(turn.lang)
    if turn.cancelled:
        replier.send(quote(_(CANCELLED)), menu_keyboard(turn.lang))
    elif turn.registered is not None:
        replier.send(quote(registered_text(turn.registered, turn.lang)),
                     menu_keyboard(turn.lang))
    elif turn.prompt is not None and turn.draft is not None:
        html = quote(prompt_text(turn.prompt, turn.draft))
        applicant = turn.draft.applicant
        # The summary before the consent names the applicant: the log keeps a placeholder.
        log_text = html.replace(quote(applicant), NAME_IN_LOG) if applicant else None
        replier.send(html, intake_keyboard(turn), log_text=log_text)


async def _begin(replier: Replier, uow: UnitOfWork, matchers: MatcherCache, citizen: Citizen,
                 lang: Lang, *, clock: Clock, text: str | None = None) -> None:
    await complaints.discard_draft(uow, citizen.id)
    turn = await complaints.start_intake(uow, matchers, citizen, lang=lang, clock=clock,
                                         text=text)
    replier.lang = lang
    replier.send(quote(texts_of(lang)(START)))
    render_turn(replier, turn)


async def complaint_menu(message: Message, *, replier: Replier, uow: UnitOfWork,
                         matchers: MatcherCache, citizen: Citizen, lang: Lang,
                         clock: Clock) -> None:
    await _begin(replier, uow, matchers, citizen, lang, clock=clock)


async def intake_reply(message: Message, *, draft: Draft, replier: Replier, uow: UnitOfWork,
                       matchers: MatcherCache, citizen: Citizen, clock: Clock,
                       deadlines: Deadlines) -> None:
    text = message.text or ""
    if text.startswith("/") and text.split()[0] != "/cancel" or text in _menu_labels():
        await complaints.discard_draft(uow, citizen.id)  # dropped, unsent
        raise SkipHandler
    turn = await complaints.continue_intake(uow, matchers, citizen, draft, Reply(text=text),
                                            clock=clock, deadlines=deadlines)
    render_turn(replier, turn)


async def intake_choice(query: CallbackQuery, *, callback_data: ComplaintChoice,
                        replier: Replier, uow: UnitOfWork, matchers: MatcherCache,
                        citizen: Citizen, lang: Lang, clock: Clock,
                        deadlines: Deadlines) -> None:
    replier.answer_callback(query.id)
    draft = await complaints.active_draft(uow, citizen.id, clock)
    if draft is None:
        _ = texts_of(lang)
        replier.send(quote(_("This complaint form is closed (cancelled, sent or left too "
                             "long). Start again from the menu.")), menu_keyboard(lang))
        return
    turn = await complaints.continue_intake(uow, matchers, citizen, draft,
                                            Reply(choice=callback_data.value), clock=clock,
                                            deadlines=deadlines)
    render_turn(replier, turn)


async def wants_to_complain(message: Message, *, replier: Replier, uow: UnitOfWork,
                            matchers: MatcherCache, citizen: Citizen, lang: Lang,
                            clock: Clock) -> None:
    text = message.text or ""
    await _begin(replier, uow, matchers, citizen, language_of(text, lang), clock=clock,
                 text=text)


def create_router() -> Router:
    """The citizen's side: placed before the greeting and the questions."""
    router = Router(name="complaints")
    router.message(Magic(F.text.in_(_menu_labels("complaint"))))(complaint_menu)
    router.message(Command("complaint"))(complaint_menu)
    router.message(Magic(F.text), HasDraft())(intake_reply)
    router.callback_query(ComplaintChoice.filter())(intake_choice)
    router.message(Magic(~F.text.startswith("/")),
                   Magic(F.text.func(complaints.is_complaint_request)))(wants_to_complain)
    return router


# ---- the staff's side


def card_text(_: Callable[[str], str], item: Complaint, lang: Lang,
              names: AgencyNames) -> str:
    region = REGION_BY_CODE.get(item.region)
    nature = NATURE_BY_CODE.get(item.nature)
    lines = [
        " · ".join((item.number, agency_name(item.agency_code, names, lang),
                    status_title(_, item.status))),
        _("Request No. {request}, registered {day}, response due {due} (the center's own "
          "term)").format(
            request=item.request_no, day=written_day(item.registered_on, lang),
            due=written_day(item.due_on, lang) if item.due_on else "—"),
        _("Service: {service}").format(service=item.service_name or item.register_no or "—"),
        _("Region: {region}").format(region=region.name(lang) if region else item.region),
        _("Nature: {nature}").format(nature=nature.name(lang) if nature else item.nature),
        _("Applicant: {name}").format(name=item.applicant),
        _("Complaint: {text}").format(text=item.content),
        _("Responsible operator: {who}").format(who=item.handled_by or "—"),
    ]
    if item.repeat_of:
        lines.append(_("A repeat appeal: see {number}.").format(number=item.repeat_of))
    if item.status == complaints.ComplaintStatus.OPEN and item.in_triage:
        lines.append(_("Forward: /cassign {number} AGENCY.").format(number=item.number))
    elif item.status == complaints.ComplaintStatus.OPEN:
        lines.append(_("Respond: /cresp {number} text (mark parts «kk:» and «ru:» to give "
                       "both languages).").format(number=item.number))
        lines.append(_("Extend the term: /cext {number} DAYS reason.").format(
            number=item.number))
    for text in (item.reply_kk, item.reply_ru):
        if text:
            lines.append(_("Response: {text}").format(text=text))
    return quote("\n".join(lines))


async def _show(replier: Replier, uow: UnitOfWork, number: str, actor: Actor,
                lang: Lang) -> None:
    _ = texts_of(lang)
    item = await complaints.complaint(uow, number, actor)
    buttons = []
    if actor.of_center and item.handled_by != actor.name:
        buttons.append([InlineKeyboardButton(
            text=_("Take responsibility"),
            callback_data=ComplaintAction(action="take", number=item.number).pack())])
    replier.send(card_text(_, item, lang, await agency_names(uow)),
                 InlineKeyboardMarkup(inline_keyboard=buttons) if buttons else None)


def listing_line(_: Callable[[str], str], item: Complaint, names: AgencyNames,
                 lang: str) -> str:
    """One line a complaint: who has it, by name, its term, whether it is a repeat."""
    repeat = " · " + _("repeat") if item.repeat_of else ""
    return quote(f"{item.number} · {agency_name(item.agency_code, names, lang)} · "
                 f"{written_day(item.due_on, lang) if item.due_on else '—'}"
                 f"{repeat}\n   {shorten(item.content, 90)}")


async def listing(message: Message, *, command: CommandObject, replier: Replier,
                  uow: UnitOfWork, lang: Lang, actor: Actor) -> None:
    _ = texts_of(lang)
    arg = (command.args or "").strip()
    try:
        items = await complaints.list_complaints(
            uow, actor, status=complaints.ComplaintStatus.OPEN, triage=arg == "triage",
            repeats=arg == "repeats",
            agency_code=arg if arg not in ("", "triage", "repeats") else None)
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))
        return
    if not items:
        replier.send(quote(_("No open complaints.")))
        return
    shown = items[:LIST_SHOWN]
    lines = [quote(_("Open complaints, oldest first ({n}):").format(n=len(items)))]
    names = await agency_names(uow)
    lines += [listing_line(_, i, names, lang) for i in shown]
    buttons = [[InlineKeyboardButton(text=i.number, callback_data=ComplaintAction(
        action="show", number=i.number).pack())] for i in shown]
    replier.send("\n".join(lines), InlineKeyboardMarkup(inline_keyboard=buttons))


async def card(message: Message, *, command: CommandObject, replier: Replier,
               uow: UnitOfWork, lang: Lang, actor: Actor) -> None:
    _ = texts_of(lang)
    number = (command.args or "").strip()
    if not number:
        raise SkipHandler  # a member of staff may lodge a complaint too
    try:
        await _show(replier, uow, number, actor, lang)
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))


async def button(query: CallbackQuery, *, callback_data: ComplaintAction,
                 replier: Replier, uow: UnitOfWork, lang: Lang, actor: Actor,
                 clock: Clock) -> None:
    _ = texts_of(lang)

    async def act() -> None:
        if callback_data.action == "take":
            item = await complaints.take(uow, callback_data.number, actor=actor, clock=clock)
            replier.send(quote(_("You are responsible for {number} now.").format(
                number=item.number)))
        else:
            await _show(replier, uow, callback_data.number, actor, lang)

    await pressed(query, replier, lang, act)


async def respond(message: Message, *, command: CommandObject, replier: Replier,
                  uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock,
                  notifier: Notifier) -> None:
    """``/cresp N text``: the agency's response; ``kk:`` / ``ru:`` mark the languages."""
    _ = texts_of(lang)
    number, _sep, text = (command.args or "").strip().partition(" ")
    if not number or not text.strip():
        replier.send(quote(_("Send: /cresp, the complaint's number and the response (mark "
                             "parts «kk:» and «ru:» to give both languages).")))
        return
    try:
        item = await complaints.respond_typed(uow, number, text, actor=actor, clock=clock)
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))
        return
    sent = await notifier.pending_complaint_outcomes(uow)
    replier.send(quote(gettext_for(lang).ngettext(
        "Done: the response to {number} is recorded; {n} message to citizens queued.",
        "Done: the response to {number} is recorded; {n} messages to citizens queued.",
        sent).format(number=item.number, n=sent)))


async def extend(message: Message, *, command: CommandObject, replier: Replier,
                 uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock,
                 deadlines: Deadlines, notifier: Notifier) -> None:
    """``/cext N DAYS reason``: the agency extends the term; the applicant is told."""
    _ = texts_of(lang)
    parts = (command.args or "").split(maxsplit=2)
    if len(parts) != 3 or not parts[1].isdigit():  # noqa: PLR2004 - number, days, reason
        replier.send(quote(_("Send: /cext, the complaint's number, the working days (up "
                             "to {days}) and the reason, which the applicant is told.")
                           .format(days=deadlines.policy.rule("complaint_extension")
                                   .value)))
        return
    try:
        item, notice = await complaints.extend(
            uow, parts[0], int(parts[1]), reason=parts[2], actor=actor, clock=clock,
            deadlines=deadlines)
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))
        return
    sent = await notifier.complaint_outcomes(uow, [notice] if notice else [])
    replier.send(quote(gettext_for(lang).ngettext(
        "Done: the response to {number} is now due {date}; {n} message to the applicant "
        "queued.",
        "Done: the response to {number} is now due {date}; {n} messages to the applicant "
        "queued.", sent).format(
        number=item.number, date=spoken_day(item.due_on, lang) if item.due_on else "",
        n=sent)))


async def assign(message: Message, *, command: CommandObject, replier: Replier,
                 uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock,
                 deadlines: Deadlines) -> None:
    _ = texts_of(lang)
    parts = (command.args or "").split()
    if len(parts) != 2:  # noqa: PLR2004 - the number and the agency
        replier.send(quote(_("Send: /cassign, the complaint's number and the agency's "
                             "code.")))
        return
    try:
        item = await complaints.assign(uow, parts[0], parts[1], actor=actor, clock=clock,
                                       deadlines=deadlines)
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))
        return
    agency = agency_name(item.agency_code, await agency_names(uow), lang)
    replier.send(quote(_("{number} is forwarded to {agency} with request No. "
                         "{request}.").format(number=item.number, agency=agency,
                                              request=item.request_no)))


async def export(message: Message, *, command: CommandObject, replier: Replier,
                 uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock) -> None:
    _ = texts_of(lang)
    code = (command.args or "").strip() or None
    try:
        data = await complaints.export_csv(uow, actor, agency_code=code)
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))
        return
    today = local_today(clock.now()).isoformat()
    replier.send_document(f"complaints-{code or 'mine'}-{today}.csv", "text/csv", data,
                          quote(_("Complaints as CSV ({day}).").format(day=today)))


def create_staff_router() -> Router:
    router = Router(name="staff.complaints")
    router.message(Command("complaints"), StaffOnly())(listing)
    router.message(Command("complaint"), StaffOnly())(card)
    router.callback_query(ComplaintAction.filter(), StaffOnly())(button)
    router.callback_query(ComplaintAction.filter())(not_staff_button)
    router.message(Command("cresp"), StaffOnly())(respond)
    router.message(Command("cext"), StaffOnly())(extend)
    router.message(Command("cassign"), StaffOnly())(assign)
    router.message(Command("cexport"), StaffOnly())(export)
    return router
