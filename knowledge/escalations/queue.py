"""The queues: an agency's open questions, oldest first, and the operators' triage.

Agency staff see their own agency's queue only; the center sees every queue and may
filter by agency. A question is taken by one person: the claim is a conditional update,
so two people pressing "take" at once never both get it.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import cast

from sqlalchemy import CursorResult, func, select, update

from knowledge.clock import Clock
from knowledge.db.tables import EscalationRow
from knowledge.db.uow import UnitOfWork
from knowledge.escalations.access import (
    agency_codes,
    log_event,
    readable_agency,
    require_open,
    row_for,
)
from knowledge.escalations.model import (
    Escalation,
    EscalationDone,
    EscalationError,
    EscalationStatus,
    stamp,
    taker,
    view,
)
from knowledge.onboarding import Deadlines
from knowledge.problems import marked
from knowledge.staff import Actor

_ = marked  # errors people can meet: translated when shown (KnowledgeError.said)


class AlreadyTaken(EscalationError):
    """Somebody else took the question first."""


async def list_escalations(
    uow: UnitOfWork, actor: Actor, status: str | None = None, limit: int = 100, *,
    agency_code: str | None = None,
) -> list[Escalation]:
    """The escalations the actor may see, every status, oldest first: the center's log, or
    an agency's own (never the triage)."""
    query = select(EscalationRow).order_by(EscalationRow.id).limit(limit)
    if status is not None:
        query = query.where(EscalationRow.status == status)
    agency_id = await readable_agency(uow, actor, agency_code)
    if agency_id is not None:
        query = query.where(EscalationRow.agency_id == agency_id)
    codes = await agency_codes(uow)
    return [view(row, codes.get(row.agency_id or 0)) for row in await uow.session.scalars(query)]


async def queue(
    uow: UnitOfWork, actor: Actor, *, agency_code: str | None = None, triage: bool = False,
    deadlines: Deadlines | None = None,
) -> list[Escalation]:
    """Open questions the actor may work, one line a group, oldest first.

    ``triage``: the questions no agency was found for (the center only). Due dates not set
    yet are counted with ``deadlines`` for display.
    """
    query = select(EscalationRow).where(EscalationRow.status == EscalationStatus.OPEN)
    if triage:
        actor.require_center()
        query = query.where(EscalationRow.agency_id.is_(None))
    else:
        agency_id = await readable_agency(uow, actor, agency_code)
        query = query.where(EscalationRow.group_id == EscalationRow.id)
        if agency_id is not None:
            query = query.where(EscalationRow.agency_id == agency_id)
    rows = (await uow.session.scalars(
        query.order_by(EscalationRow.routed_on, EscalationRow.id))).all()
    sizes: Counter[int] = Counter()
    leaders = [row.id for row in rows if row.group_id is not None]
    if leaders:
        counted = await uow.session.execute(
            select(EscalationRow.group_id, func.count()).where(
                EscalationRow.group_id.in_(leaders),
                EscalationRow.status == EscalationStatus.OPEN,
            ).group_by(EscalationRow.group_id))
        sizes.update({group: count for group, count in counted.tuples() if group is not None})
    codes = await agency_codes(uow)
    items = []
    for row in rows:
        if row.due_on is None and row.routed_on is not None and deadlines is not None:
            row.due_on = deadlines.policy.due("escalation_answer", row.routed_on,
                                              deadlines.calendar)
        items.append(view(row, codes.get(row.agency_id or 0), sizes.get(row.id, 1)))
    return items


async def escalation(uow: UnitOfWork, reference: str, actor: Actor) -> Escalation:
    """One escalation, if the actor may see it (AccessDenied otherwise, forged ids too)."""
    row = await row_for(uow, reference, actor)
    codes = await agency_codes(uow)
    return view(row, codes.get(row.agency_id or 0))


async def take(uow: UnitOfWork, reference: str, *, actor: Actor, clock: Clock) -> Escalation:
    """Claim a question (its group) to answer it (staged). The claim is one conditional
    UPDATE: whoever comes second is told who has it."""
    row = await row_for(uow, reference, actor)
    require_open(row)
    if row.agency_id is None:
        raise EscalationError.said(_("{reference} is in triage: assign it to an agency first"),
                                  reference=row.reference)
    leader_id = row.group_id or row.id
    result = cast(CursorResult[tuple[()]], await uow.session.execute(
        update(EscalationRow)
        .where(EscalationRow.id == leader_id, EscalationRow.taken_by.is_(None),
               EscalationRow.status == EscalationStatus.OPEN)
        .values(taken_by=stamp(actor), taken_at=clock.now())
        .execution_options(synchronize_session=False)))
    if result.rowcount != 1:
        leader = await uow.session.get(EscalationRow, leader_id, populate_existing=True)
        holder = leader.taken_by if leader is not None else None
        if holder != stamp(actor):
            raise AlreadyTaken(f"{row.reference} is taken already (by {holder or 'nobody'}"
                               f", status {leader.status if leader else '?'})").saying(
                _("{reference} is taken already"), reference=row.reference)
        raise EscalationDone(f"{row.reference} is taken by {holder} already").saying(
            _("{reference} is taken by {who} already"), reference=row.reference,
            who=taker(holder))
    leader = await uow.session.get(EscalationRow, leader_id, populate_existing=True)
    assert leader is not None
    log_event(uow, leader, "taken", actor, clock)
    codes = await agency_codes(uow)
    return view(leader, codes.get(leader.agency_id or 0))


EXPORT_COLUMNS = ("reference", "created_at", "agency", "register_no", "lang", "status",
                  "due_on", "taken_by", "question", "reply_kk", "reply_ru", "resolved_on")


async def export_csv(
    uow: UnitOfWork, actor: Actor, *, agency_code: str | None = None,
) -> bytes:
    """The escalations the actor may see, every status, as CSV (UTF-8 with BOM for Excel)."""
    agency_id = await readable_agency(uow, actor, agency_code)
    query = select(EscalationRow).order_by(EscalationRow.id)
    if agency_id is not None:
        query = query.where(EscalationRow.agency_id == agency_id)
    codes = await agency_codes(uow)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for row in await uow.session.scalars(query):
        writer.writerow([
            row.reference, row.created_at.isoformat(), codes.get(row.agency_id or 0, ""),
            row.register_no or "", row.lang, row.status,
            row.due_on.isoformat() if row.due_on else "", row.taken_by or "", row.text,
            row.reply_kk or "", row.reply_ru or "",
            row.resolved_on.isoformat() if row.resolved_on else "",
        ])
    return out.getvalue().encode("utf-8-sig")
