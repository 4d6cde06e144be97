"""Refusals in Telegram: an operator confirms or rejects each refusal of an agency, and
sends the notice to the quality-control body that repeated refusals make due (002 p.12).

``/refusals`` lists the refusals waiting for review and the open notices, with buttons;
the notice's files (the letter in Kazakh and Russian, the supporting documents) come to
the operator's chat, go by e-mail when the quality-control body's address is set, or are
marked sent by hand.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from aiogram import Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.channels.telegram.render import quote
from bot.channels.telegram.replies import Replier
from bot.notify.quality import notice_agency, notice_documents, queue_notice_email
from bot.texts.agencies import agency_name
from bot.texts.days import written_day
from bot.texts.i18n import gettext_for
from handlers.escalations import ground_title
from handlers.staff import StaffOnly, not_staff_button, pressed
from handlers.views import Gettext, shorten, texts_of
from knowledge import refusals
from knowledge.agencies import agency_names
from knowledge.calendar import local_today
from knowledge.clock import Clock
from knowledge.db.uow import UnitOfWork
from knowledge.model import Lang
from knowledge.onboarding import Deadlines
from knowledge.staff import Actor, signatory_of

SHOWN: Final = 15


class RefusalAction(CallbackData, prefix="rf"):
    action: str  # confirm, reject, files, email, sent
    number: int  # the refusal's or the notice's


def notice_line(lang: str, notice: refusals.Notice) -> str:
    """The notice in one line, its refusals counted in the plural ``lang`` forms."""
    catalog = gettext_for(lang)
    return quote(catalog.ngettext(
        "Notice #{id} on {agency}: {n} refusal from {start} to {end}, due {due}, {status}.",
        "Notice #{id} on {agency}: {n} refusals from {start} to {end}, due {due}, {status}.",
        len(notice.refusals),
    ).format(id=notice.id, agency=notice_agency(notice)[lang], n=len(notice.refusals),
             start=written_day(notice.window_start, lang),
             end=written_day(notice.window_end, lang), due=written_day(notice.due_on, lang),
             status=_notice_status(catalog.gettext, notice, lang)))


def _notice_status(_: Gettext, notice: refusals.Notice, lang: str) -> str:
    if notice.late and notice.sent_on is not None:
        return _("sent late, on {day}").format(day=written_day(notice.sent_on, lang))
    return _("sent") if notice.status == "sent" else _("not sent yet")


def _today(clock: Clock) -> date:
    return local_today(clock.now())


async def waiting(message: Message, *, replier: Replier, uow: UnitOfWork, lang: Lang,
                  actor: Actor, qc_email: str | None) -> None:
    _ = texts_of(lang)
    pending = await refusals.refusals(uow, actor, status=refusals.RefusalStatus.PENDING)
    if not pending:
        replier.send(quote(_("No refusals wait for review.")))
    names = await agency_names(uow)
    for refusal in pending[:SHOWN]:
        text = quote(_("Refusal #{id} · {agency} · {day} · {ground}\n{reference}: "
                       "{request}\n→ {reply}").format(
            id=refusal.id, agency=agency_name(refusal.agency_code, names, lang),
            day=written_day(refusal.refused_on, lang),
            ground=ground_title(_, refusal.ground), reference=refusal.reference,
            request=shorten(refusal.request_text, 200),
            reply=shorten(refusal.reply_text or "—", 200)))
        buttons = [[
            InlineKeyboardButton(text=_("Confirm"), callback_data=RefusalAction(
                action="confirm", number=refusal.id).pack()),
            InlineKeyboardButton(text=_("Not a refusal"), callback_data=RefusalAction(
                action="reject", number=refusal.id).pack()),
        ]] if actor.of_center else []
        replier.send(text, markup=InlineKeyboardMarkup(inline_keyboard=buttons)
                     if buttons else None)
    if actor.of_center:
        for notice in await refusals.notices(uow, actor, open_only=True):
            _send_notice_card(replier, notice, lang, qc_email)


def _send_notice_card(replier: Replier, notice: refusals.Notice, lang: Lang,
                      qc_email: str | None) -> None:
    _ = texts_of(lang)
    actions = [("files", _("The files")), ("sent", _("Sent by hand"))]
    if qc_email:
        actions.insert(1, ("email", _("Send by e-mail")))
    replier.send(notice_line(lang, notice), markup=InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text=text, callback_data=RefusalAction(
            action=action, number=notice.id).pack()) for action, text in actions]]))


async def _act(replier: Replier, uow: UnitOfWork, action: RefusalAction, actor: Actor,
               lang: Lang, *, clock: Clock, deadlines: Deadlines, qc_email: str | None) -> None:
    number = action.number
    _ = texts_of(lang)
    if action.action == "confirm":
        refusal, notice = await refusals.confirm(uow, number, actor=actor, clock=clock,
                                                 deadlines=deadlines)
        replier.send(quote(_("Refusal #{id} confirmed.").format(id=refusal.id)))
        if notice is not None:
            _send_notice_card(replier, notice, lang, qc_email)
    elif action.action == "reject":
        refusal = await refusals.reject(uow, number, actor=actor, clock=clock)
        replier.send(quote(_("Refusal #{id} does not count.").format(id=refusal.id)))
    elif action.action == "files":
        notice = await refusals.notice(uow, number, actor)
        signatory = await signatory_of(uow, actor)
        for item in notice_documents(notice, _today(clock), signatory=signatory):
            replier.send_document(item.filename, item.content_type, item.data)
    elif action.action == "email" and qc_email:
        notice = await refusals.mark_sent(uow, number, via="email", on=_today(clock),
                                          actor=actor, clock=clock)
        queue_notice_email(uow, notice, qc_email, today=_today(clock), clock=clock,
                           signatory=await signatory_of(uow, actor))
        replier.send(notice_line(lang, notice))
    elif action.action == "sent":
        notice = await refusals.mark_sent(uow, number, via="by_hand", on=_today(clock),
                                          actor=actor, clock=clock)
        replier.send(notice_line(lang, notice))


async def button(query: CallbackQuery, *, callback_data: RefusalAction, replier: Replier,
                 uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock,
                 deadlines: Deadlines, qc_email: str | None) -> None:
    async def act() -> None:
        await _act(replier, uow, callback_data, actor, lang, clock=clock, deadlines=deadlines,
                   qc_email=qc_email)

    await pressed(query, replier, lang, act)


def create_router() -> Router:
    router = Router(name="staff.refusals")
    router.message(Command("refusals"), StaffOnly())(waiting)
    router.callback_query(RefusalAction.filter(), StaffOnly())(button)
    router.callback_query(RefusalAction.filter())(not_staff_button)
    return router
