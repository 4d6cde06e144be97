"""Routing: an escalation goes to the agency of its service, or to the operators' triage.

A question whose service is known (the best candidate's, or the citizen's choice) lands
in that agency's queue, due by the center's own policy (``escalation_answer``, working
days from the day it was routed); near-identical open questions to one agency join one
group, so one answer reaches every waiting citizen. From triage an operator answers from
the base, assigns an agency, or closes the question as out of scope with a reply.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Final

from rapidfuzz import fuzz
from sqlalchemy import select

from knowledge.citizens import Citizen
from knowledge.clock import Clock
from knowledge.db.tables import EntryRow, EscalationRow, ServiceRow
from knowledge.db.uow import UnitOfWork
from knowledge.escalations.access import (
    agency_by_code,
    group_of,
    log_event,
    require_open,
    row_for,
)
from knowledge.escalations.model import (
    Escalation,
    EscalationError,
    EscalationStatus,
    check_reply_length,
    local_day,
    reference_for,
    stamp,
    view,
)
from knowledge.iin import redact
from knowledge.model import Candidate, Lang
from knowledge.onboarding import Deadlines
from knowledge.problems import marked
from knowledge.staff import Actor, Role
from knowledge.text.analyse import query_tokens

_ = marked  # errors people can meet: translated when shown (KnowledgeError.said)

# rapidfuzz's ratio (0-100) of two normalised questions at which they are one question.
GROUP_SIMILARITY: Final = 90.0
ROUTER: Final = Actor("router", Role.ADMIN)


def normalise(text: str) -> str:
    """The question's meaningful words, folded (script, case, stop-words and greetings out)."""
    return " ".join(token.folded for token in query_tokens(text))


def similar(a: str, b: str) -> bool:
    return bool(a) and fuzz.ratio(a, b) >= GROUP_SIMILARITY


async def agency_of_service(uow: UnitOfWork, register_no: str | None) -> int | None:
    if register_no is None:
        return None
    agency_id: int | None = await uow.session.scalar(
        select(ServiceRow.agency_id).where(ServiceRow.register_no == register_no))
    return agency_id


async def open_escalation(
    uow: UnitOfWork,
    citizen: Citizen,
    text: str,
    *,
    lang: Lang,
    candidates: tuple[Candidate, ...],
    register_no: str | None,
    clock: Clock,
    deadlines: Deadlines | None = None,
    question_id: int | None = None,
) -> str:
    """Stage an escalation, route it, and return its reference number.

    Without ``deadlines`` (a citizen's turn does not carry them) the due date is set by
    the next reminder run (``fill_due_dates``). ``question_id``: the citizen's message it
    passes on (the conversation log's line), which no other escalation may pass on.
    """
    text = redact(text)  # an IIN written in a question is never kept in clear
    row = EscalationRow(
        citizen_id=citizen.id, channel=citizen.channel, lang=lang, text=text,
        register_no=register_no, candidates=[asdict(c) for c in candidates],
        status=EscalationStatus.OPEN, created_at=clock.now(), normalized=normalise(text),
        question_id=question_id,
    )
    uow.session.add(row)
    await uow.session.flush()
    row.reference = reference_for(row.id, row.created_at)
    await route(uow, [row], await agency_of_service(uow, register_no), clock=clock,
                deadlines=deadlines)
    return row.reference


async def passed_on(uow: UnitOfWork, question_id: int) -> str | None:
    """The reference of the escalation that passed this message on, if one did."""
    reference: str | None = await uow.session.scalar(
        select(EscalationRow.reference).where(EscalationRow.question_id == question_id))
    return reference


async def with_agency(uow: UnitOfWork, reference: str) -> bool:
    """Whether the escalation waits in an agency's queue, not in the operators' triage:
    the citizen is told which (a question in triage is with no agency)."""
    agency_id = await uow.session.scalar(
        select(EscalationRow.agency_id).where(EscalationRow.reference == reference))
    return agency_id is not None


async def route(
    uow: UnitOfWork, rows: list[EscalationRow], agency_id: int | None, *, clock: Clock,
    deadlines: Deadlines | None,
) -> None:
    """Put escalations (a group) in an agency's queue, or in triage; due from today."""
    today = local_day(clock.now())
    due = (deadlines.policy.due("escalation_answer", today, deadlines.calendar)
           if deadlines is not None else None)
    leader = rows[0]
    group_id = await matching_group(uow, leader, agency_id) if agency_id is not None else None
    if agency_id is not None and group_id is None:
        group_id = leader.id
    for row in rows:
        row.agency_id, row.routed_on, row.due_on = agency_id, today, due
        row.group_id, row.taken_by, row.taken_at = group_id, None, None
    await uow.session.flush()


async def matching_group(uow: UnitOfWork, row: EscalationRow, agency_id: int) -> int | None:
    """The open group of the agency asking the same question, if any."""
    normalized = row.normalized if row.normalized is not None else normalise(row.text)
    leaders = await uow.session.scalars(select(EscalationRow).where(
        EscalationRow.agency_id == agency_id, EscalationRow.status == EscalationStatus.OPEN,
        EscalationRow.group_id == EscalationRow.id, EscalationRow.id != row.id,
    ).order_by(EscalationRow.id))
    for leader in leaders:
        if similar(normalized, leader.normalized or ""):
            return leader.id
    return None


async def fill_due_dates(uow: UnitOfWork, deadlines: Deadlines) -> int:
    """Date the routed escalations opened in a citizen's turn (staged); how many."""
    rows = (await uow.session.scalars(select(EscalationRow).where(
        EscalationRow.status == EscalationStatus.OPEN, EscalationRow.due_on.is_(None),
        EscalationRow.routed_on.is_not(None)))).all()
    for row in rows:
        assert row.routed_on is not None
        row.due_on = deadlines.policy.due("escalation_answer", row.routed_on,
                                          deadlines.calendar)
    return len(rows)


# ---- triage: the center's own actions


async def assign(
    uow: UnitOfWork, reference: str, agency_code: str, *, actor: Actor, clock: Clock,
    deadlines: Deadlines,
) -> Escalation:
    """Send an escalation (with its group) to an agency's queue, due from today (staged)."""
    actor.require_center()
    row = await row_for(uow, reference, actor)
    require_open(row)
    agency = await agency_by_code(uow, agency_code)
    rows = await group_of(uow, row)
    await route(uow, rows, agency.id, clock=clock, deadlines=deadlines)
    for member in rows:
        log_event(uow, member, "assigned", actor, clock, note=agency.code)
    return view(row, agency.code, len(rows))


async def answer_from_base(
    uow: UnitOfWork, reference: str, entry_key: str, *, actor: Actor, clock: Clock,
) -> Escalation:
    """The base had the answer after all: the entry's answer goes to the citizen (staged)."""
    actor.require_center()
    row = await row_for(uow, reference, actor)
    require_open(row)
    entry = await uow.session.scalar(select(EntryRow).where(EntryRow.key == entry_key))
    if entry is None:
        raise EscalationError.said(_("no entry {key} in the knowledge base"), key=repr(entry_key))
    rows = await group_of(uow, row)
    resolve(rows, EscalationStatus.ANSWERED, actor=actor, clock=clock,
            reply_kk=entry.answer_kk, reply_ru=entry.answer_ru, entry_key=entry.key)
    for member in rows:
        log_event(uow, member, "answered_from_base", actor, clock, note=entry.key)
    return view(row, None, len(rows))


async def close_out_of_scope(
    uow: UnitOfWork, reference: str, *, reply_kk: str | None = None,
    reply_ru: str | None = None, actor: Actor, clock: Clock,
) -> Escalation:
    """Not a question for the center (a complaint, a private matter): closed with a reply."""
    actor.require_center()
    if not (reply_kk or "").strip() and not (reply_ru or "").strip():
        raise EscalationError.said(_("a closed question needs a reply to the citizen (kk or ru)"))
    row = await row_for(uow, reference, actor)
    require_open(row)
    rows = await group_of(uow, row)
    resolve(rows, EscalationStatus.CLOSED, actor=actor, clock=clock, reply_kk=reply_kk,
            reply_ru=reply_ru)
    for member in rows:
        log_event(uow, member, "closed", actor, clock)
    return view(row, None, len(rows))


def resolve(
    rows: list[EscalationRow], status: EscalationStatus, *, actor: Actor, clock: Clock,
    reply_kk: str | None = None, reply_ru: str | None = None, entry_key: str | None = None,
    on: date | None = None,
) -> None:
    """Settle every member of a group alike; the replies wait for delivery. A reply too
    long for one message is refused (``ReplyTooLong``) before anything changes. ``on``:
    the day it happened, when recorded later (default today)."""
    check_reply_length({"kk": reply_kk, "ru": reply_ru})
    now = clock.now()
    resolved_on = on or local_day(now)
    for row in rows:
        row.status = status
        row.reply_kk = (reply_kk or "").strip() or None
        row.reply_ru = (reply_ru or "").strip() or None
        row.entry_key = entry_key
        row.resolved_by, row.resolved_at, row.resolved_on = stamp(actor), now, resolved_on
        row.delivered_at = None
