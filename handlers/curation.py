"""Curation in Telegram: operators turn agency answers and unanswered questions into
knowledge, and another operator reviews each proposal before it goes live.

``/curation`` lists what waits; ``/propose`` and ``/variant`` make proposals, written one
language a line (``kk: question = answer``); ``/proposals`` shows them with approve and
reject buttons. The domain refuses agency staff and an operator approving their own.
"""

from __future__ import annotations

import re
from typing import Final

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.channels.telegram.render import quote
from bot.channels.telegram.replies import Replier
from handlers.staff import StaffOnly, not_staff_button, pressed, problem_text
from handlers.views import Gettext, shorten, texts_of
from knowledge import curation
from knowledge.clock import Clock
from knowledge.db.uow import UnitOfWork
from knowledge.errors import InvalidInput
from knowledge.model import Lang
from knowledge.staff import Actor

SHOWN: Final = 15
LINE: Final = re.compile(r"^\s*(kk|ru|қаз|каз|рус)\s*:\s*(.+?)\s*(?:=\s*(.+?)\s*)?$",
                         re.IGNORECASE)
LANGS: Final[dict[str, Lang]] = {"kk": "kk", "қаз": "kk", "каз": "kk", "ru": "ru", "рус": "ru"}


class ProposalAction(CallbackData, prefix="cu"):
    action: str  # approve, reject
    proposal_id: int


def written_lines(text: str) -> dict[Lang, tuple[str, str | None]]:
    """``kk: question = answer`` lines, by language (the answer may be left out)."""
    found: dict[Lang, tuple[str, str | None]] = {}
    for line in text.splitlines():
        match = LINE.match(line)
        if match:
            found[LANGS[match.group(1).lower()]] = (match.group(2), match.group(3))
    return found


def source_of(word: str) -> tuple[int | None, list[int]] | None:
    """``3`` (an agency answer to curate) or ``u12,15`` (unanswered questions)."""
    if word.isdigit():
        return int(word), []
    if word.lower().startswith("u"):
        ids = [p for p in word[1:].split(",") if p]
        if ids and all(p.isdigit() for p in ids):
            return None, [int(p) for p in ids]
    return None


def proposal_text(_: Gettext, proposal: curation.Proposal, *, waiting: bool = False) -> str:
    kind = {curation.NEW_ENTRY: _("new entry"), curation.EDIT: _("entry edited")}.get(
        proposal.kind, _("more questions"))
    lines = [f"#{proposal.id} · {kind} · {proposal.entry_key} · "
             f"{_('by {who}').format(who=proposal.proposed_by.split(':')[-1])}"]
    for lang, questions in proposal.questions.items():
        lines += [f"{lang}? {q}" for q in questions]
    for lang, answer in (("kk", proposal.answer_kk), ("ru", proposal.answer_ru)):
        if answer:
            lines.append(f"{lang}: {shorten(answer, 300)}")
    if waiting:
        lines.append(_("Proposal #{id} waits for another operator's review (/proposals).")
                     .format(id=proposal.id))
    return quote("\n".join(lines))


async def waiting(message: Message, *, replier: Replier, uow: UnitOfWork, lang: Lang,
                  actor: Actor) -> None:
    _ = texts_of(lang)
    try:
        items = await curation.curation_list(uow, actor)
        groups = await curation.unanswered_groups(uow, actor, limit=SHOWN)
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))
        return
    lines = [quote(_("Agency answers to curate ({n}):").format(n=len(items)))]
    for item in items[:SHOWN]:
        answer = item.answer_kk if item.lang == "kk" and item.answer_kk else (
            item.answer_ru or item.answer_kk or "")
        lines.append(quote(f"#{item.id} · {item.reference or '—'} · "
                           f"{item.register_no or '—'} · {item.lang}: "
                           f"{shorten(item.question, 80)} → {shorten(answer, 80)}"))
    lines.append(quote(_("Unanswered questions, most frequent first:")))
    for group in groups:
        ids = ",".join(map(str, group.ids))
        lines.append(quote(f"u{ids} ×{group.count} · {group.lang}: "
                           f"{shorten(group.text, 80)}"
                           + (f" ({group.best_entry})" if group.best_entry else "")))
    lines.append(quote(_(
        "A new entry: /propose 3 (or u12,15) [service number], then a line a language: "
        "«kk: question = answer», «ru: question = answer». More questions of an entry: "
        "/variant ENTRY 3 (or u12,15), with «kk: question» lines if needed.")))
    replier.send("\n".join(lines))


async def propose(message: Message, *, command: CommandObject, replier: Replier,
                  uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock) -> None:
    _ = texts_of(lang)
    head, _sep, body = (command.args or "").partition("\n")
    words = head.split()
    source = source_of(words[0]) if words else None
    if source is None:
        replier.send(quote(_(
            "Send: /propose 3 (an answer to curate) or u12,15 (unanswered questions), "
            "the service's number if needed, then a line a language: «kk: question = "
            "answer».")))
        return
    item_id, unanswered = source
    lines = written_lines(body)
    kk, ru = lines.get("kk", ("", None)), lines.get("ru", ("", None))
    try:
        proposal = await curation.propose_entry(
            uow, actor=actor, clock=clock, item_id=item_id, unanswered_ids=unanswered,
            register_no=words[1] if len(words) > 1 else None,
            question_kk=kk[0] or None, answer_kk=kk[1], question_ru=ru[0] or None,
            answer_ru=ru[1])
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))
        return
    replier.send(proposal_text(_, proposal, waiting=True))


async def variant(message: Message, *, command: CommandObject, replier: Replier,
                  uow: UnitOfWork, lang: Lang, actor: Actor, clock: Clock) -> None:
    _ = texts_of(lang)
    head, _sep, body = (command.args or "").partition("\n")
    words = head.split()
    source = source_of(words[1]) if len(words) > 1 else None
    if source is None:
        replier.send(quote(_(
            "Send: /variant, the entry's id and 3 (an answer to curate) or u12,15 "
            "(unanswered questions); «kk: question» lines add wording.")))
        return
    item_id, unanswered = source
    lines = written_lines(body)
    try:
        proposal = await curation.propose_variant(
            uow, words[0], actor=actor, clock=clock, item_id=item_id,
            unanswered_ids=unanswered,
            question_kk=lines["kk"][0] if "kk" in lines else None,
            question_ru=lines["ru"][0] if "ru" in lines else None)
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))
        return
    replier.send(proposal_text(_, proposal, waiting=True))


async def pending(message: Message, *, replier: Replier, uow: UnitOfWork, lang: Lang,
                  actor: Actor) -> None:
    _ = texts_of(lang)
    try:
        found = await curation.proposals(uow, actor)
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))
        return
    if not found:
        replier.send(quote(_("No proposals wait for review.")))
        return
    for proposal in found[:SHOWN]:
        replier.send(proposal_text(_, proposal), markup=InlineKeyboardMarkup(
            inline_keyboard=[[
                InlineKeyboardButton(text=_("Approve"), callback_data=ProposalAction(
                    action="approve", proposal_id=proposal.id).pack()),
                InlineKeyboardButton(text=_("Reject"), callback_data=ProposalAction(
                    action="reject", proposal_id=proposal.id).pack()),
            ]]))


async def review(query: CallbackQuery, *, callback_data: ProposalAction,
                 replier: Replier, uow: UnitOfWork, lang: Lang, actor: Actor,
                 clock: Clock) -> None:
    _ = texts_of(lang)

    async def act() -> None:
        if callback_data.action == "approve":
            proposal = await curation.approve(uow, callback_data.proposal_id,
                                              actor=actor, clock=clock)
            replier.send(quote(_("Proposal #{id} approved: {key} answers citizens "
                                 "now.").format(id=proposal.id, key=proposal.entry_key)))
        else:
            proposal = await curation.reject(uow, callback_data.proposal_id, actor=actor,
                                             clock=clock)
            replier.send(quote(_("Proposal #{id} rejected.").format(id=proposal.id)))

    await pressed(query, replier, lang, act)


async def dismiss(message: Message, *, command: CommandObject, replier: Replier,
                  uow: UnitOfWork, lang: Lang, actor: Actor) -> None:
    """An agency answer that teaches nothing general (a personal case): off the list."""
    _ = texts_of(lang)
    number = (command.args or "").strip()
    if not number.isdigit():
        replier.send(quote(_("Send /dismiss and the number of the answer to curate.")))
        return
    try:
        await curation.dismiss(uow, int(number), actor=actor)
    except InvalidInput as error:
        replier.send(quote(problem_text(_, error)))
        return
    replier.send(quote(_("#{n} is off the curation list.").format(n=number)))


def create_router() -> Router:
    router = Router(name="staff.curation")
    router.message(Command("curation"), StaffOnly())(waiting)
    router.message(Command("propose"), StaffOnly())(propose)
    router.message(Command("variant"), StaffOnly())(variant)
    router.message(Command("proposals"), StaffOnly())(pending)
    router.callback_query(ProposalAction.filter(), StaffOnly())(review)
    router.callback_query(ProposalAction.filter())(not_staff_button)
    router.message(Command("dismiss"), StaffOnly())(dismiss)
    return router
