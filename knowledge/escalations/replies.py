"""The agency's side: answer a question, refuse it with a ground, say it is not its
competence, or (an operator on the agency's behalf) record the oral or telephone help it
gave (002 p.11).

Every answer lands in the operators' curation list; every refusal is kept with the request,
the reply, the dates and the ground, and counts under para 12 once an operator confirms it.
"Not our competence" is no refusal to provide information: the question goes back to the
operators' triage to be routed again, and nothing counts against the agency.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from knowledge.calendar import day_it_happened
from knowledge.clock import Clock
from knowledge.db.tables import CurationItemRow, EscalationRow
from knowledge.db.uow import UnitOfWork
from knowledge.escalations.access import group_of, log_event, require_open, row_for
from knowledge.escalations.model import (
    Escalation,
    EscalationError,
    EscalationStatus,
    stamp,
    taker,
    view,
)
from knowledge.escalations.routing import resolve, route
from knowledge.model import Lang
from knowledge.onboarding import Deadlines
from knowledge.problems import marked
from knowledge.refusals import Ground, Refusal, record_refusal
from knowledge.staff import Actor
from knowledge.text.langdetect import language_of

_ = marked  # errors people can meet: translated when shown (KnowledgeError.said)


async def _workable(uow: UnitOfWork, reference: str, actor: Actor, *,
                    done: EscalationStatus | None = None) -> EscalationRow:
    """An open escalation of the actor's agency, not taken by somebody else (``done``:
    see ``require_open``)."""
    row = await row_for(uow, reference, actor)
    require_open(row, done=done)
    if row.agency_id is None and not actor.of_center:
        raise EscalationError.said(_("{reference} is not routed to an agency"),
                                  reference=row.reference)
    leader = row
    if row.group_id is not None and row.group_id != row.id:
        found = await uow.session.get(EscalationRow, row.group_id)
        leader = found if found is not None else row
    if leader.taken_by not in (None, stamp(actor)) and not actor.of_center:
        raise EscalationError(f"{row.reference} is taken by {leader.taken_by}").saying(
            _("{reference} is taken by {who}"), reference=row.reference,
            who=taker(leader.taken_by))
    return row


# Given where a refusal's ground is asked for, it is not one: see ``not_competent``.
NOT_COMPETENT: Final = "not_competent"


def _day_of(row: EscalationRow, on: date | None, clock: Clock) -> date:
    """The day the agency acted (``on``, when recorded later; default today): not in the
    future, nor before the question reached it."""
    day = day_it_happened(on, clock.now())
    if row.routed_on is not None and day < row.routed_on:
        raise EscalationError.said(
            _("{day} is before {reference} reached the agency ({routed_on})"),
            day=str(day), reference=row.reference, routed_on=str(row.routed_on))
    return day


LANGUAGE_MARK: Final = re.compile(r"^\s*(kk|ru|қаз|каз|рус)\s*:\s*", re.IGNORECASE | re.MULTILINE)
MARKED_LANGS: Final[dict[str, Lang]] = {"kk": "kk", "қаз": "kk", "каз": "kk", "ru": "ru",
                                        "рус": "ru"}


def texts_by_language(text: str, fallback: Lang) -> dict[Lang, str]:
    """An answer typed in one message: parts marked ``kk:`` / ``ru:`` (``қаз:`` / ``рус:``)
    are those languages; an unmarked text is in the language its words tell."""
    marks = list(LANGUAGE_MARK.finditer(text))
    if not marks:
        return {language_of(text, fallback): text.strip()} if text.strip() else {}
    found: dict[Lang, str] = {}
    for n, mark in enumerate(marks):
        end = marks[n + 1].start() if n + 1 < len(marks) else len(text)
        part = text[mark.end():end].strip()
        lang = MARKED_LANGS[mark.group(1).lower()]
        if part:
            found[lang] = f"{found[lang]}\n{part}" if lang in found else part
    return found


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


async def answer(
    uow: UnitOfWork, reference: str, *, text_kk: str | None = None,
    text_ru: str | None = None, actor: Actor, clock: Clock, on: date | None = None,
) -> Escalation:
    """The agency's answer (Kazakh, Russian or both) to the question and its group
    (staged); it goes to each citizen in their language, and to curation. ``on``: the
    day it was given, when recorded later."""
    text_kk, text_ru = _text(text_kk), _text(text_ru)
    if text_kk is None and text_ru is None:
        raise EscalationError.said(_("an answer needs a text in Kazakh or Russian"))
    row = await _workable(uow, reference, actor)
    rows = await group_of(uow, row)
    resolve(rows, EscalationStatus.ANSWERED, actor=actor, clock=clock, reply_kk=text_kk,
            reply_ru=text_ru, on=_day_of(row, on, clock))
    for member in rows:
        log_event(uow, member, "answered", actor, clock)
    _to_curation(uow, row, text_kk, text_ru, clock)
    return view(row, None, len(rows))


async def refuse(
    uow: UnitOfWork, reference: str, *, ground: str, reason: str | None = None,
    actor: Actor, clock: Clock, deadlines: Deadlines, on: date | None = None,
) -> Refusal:
    """The agency refuses the information (staged): a lawful withholding (state,
    commercial or other protected secret, 002 p.11) or a plain refusal, which needs its
    reason. The citizen is told politely; the refusal counts once an operator confirms
    it, or at once when the policy asks no confirmation. ``on``: the day the agency
    refused (a letter received earlier), from which para 12's month and notice run."""
    if ground == NOT_COMPETENT:
        raise EscalationError.said(_(
            "not our competence is not a refusal to provide information: the question "
            "goes back to the operators' triage"))
    try:
        kind = Ground(ground)
    except ValueError:
        raise EscalationError(
            f"unknown ground {ground!r}: one of {', '.join(g.value for g in Ground)}"
        ) from None
    reason = _text(reason)
    if kind == Ground.PLAIN and reason is None:
        raise EscalationError.said(_("a plain refusal needs its reason"))
    row = await _workable(uow, reference, actor, done=EscalationStatus.REFUSED)
    if row.agency_id is None:
        raise EscalationError.said(_("{reference} is not routed to an agency: nobody refused"),
                                  reference=row.reference)
    day = _day_of(row, on, clock)
    rows = await group_of(uow, row)
    reply: dict[str, str | None] = {"kk": None, "ru": None}
    reply[row.lang if row.lang in reply else "ru"] = reason
    resolve(rows, EscalationStatus.REFUSED, actor=actor, clock=clock, reply_kk=reply["kk"],
            reply_ru=reply["ru"], on=day)
    for member in rows:
        log_event(uow, member, "refused", actor, clock, note=kind.value, on=day)
    return await record_refusal(uow, row, kind, reason, by=stamp(actor), on=day,
                                clock=clock, deadlines=deadlines)


async def not_competent(
    uow: UnitOfWork, reference: str, *, reason: str | None = None, actor: Actor,
    clock: Clock, deadlines: Deadlines,
) -> Escalation:
    """The agency says the question is not its competence (staged): no refusal is kept
    (002 p.12 counts refusals to provide information, and the agency's monthly figures
    with it), the question and its group go back to the operators' triage to be routed
    again, and the citizen keeps waiting for the answer."""
    row = await _workable(uow, reference, actor)
    if row.agency_id is None:
        raise EscalationError.said(_("{reference} is not routed to an agency"),
                                  reference=row.reference)
    agency_id = row.agency_id
    rows = await group_of(uow, row)
    await route(uow, rows, None, clock=clock, deadlines=deadlines)
    for member in rows:
        log_event(uow, member, NOT_COMPETENT, actor, clock,
                  note=f"agency #{agency_id}: {_text(reason) or '-'}")
    return view(row, None, len(rows))


async def record_oral_help(
    uow: UnitOfWork, reference: str, *, who: str, on: date, what: str, actor: Actor,
    clock: Clock,
) -> Escalation:
    """An operator records the agency's oral or telephone help (who gave it, when, what);
    what was said answers the citizen in their language, and goes to curation (staged)."""
    actor.require_center()
    if not who.strip() or not what.strip():
        raise EscalationError.said(_("oral help needs who gave it and what was said"))
    row = await _workable(uow, reference, actor)
    rows = await group_of(uow, row)
    text_kk, text_ru = (what, None) if row.lang == "kk" else (None, what)
    resolve(rows, EscalationStatus.ANSWERED, actor=actor, clock=clock, reply_kk=text_kk,
            reply_ru=text_ru)
    for member in rows:
        log_event(uow, member, "oral_help", actor, clock, who=who.strip(), on=on,
                  note=what.strip())
    _to_curation(uow, row, text_kk, text_ru, clock)
    return view(row, None, len(rows))


def _to_curation(
    uow: UnitOfWork, row: EscalationRow, text_kk: str | None, text_ru: str | None,
    clock: Clock,
) -> None:
    uow.session.add(CurationItemRow(
        escalation_id=row.id, register_no=row.register_no, question=row.text, lang=row.lang,
        answer_kk=text_kk, answer_ru=text_ru, status="open", created_at=clock.now()))
