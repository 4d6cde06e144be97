"""Staff's side of complaints: the list, one complaint, the agency's response, the operators'
triage (forward to an agency, take over responsibility), the CSV export and the erasure.

An agency's staff reach their own agency's complaints only — by number, request number
or id, a forged button included; the triage is the center's. The applicant's name and
contact are shown to these people only; the erasure removes them for good and keeps an
anonymised row, so the month's counts and the register stay whole.
"""

from __future__ import annotations

import csv
import io
import logging

from sqlalchemy import delete, or_, select, update

from knowledge.calendar import local_today
from knowledge.clock import Clock
from knowledge.complaints.lodging import discard_draft, forward
from knowledge.complaints.model import (
    ERASED,
    Complaint,
    ComplaintDone,
    ComplaintError,
    ComplaintStatus,
    masked,
    view,
)
from knowledge.db.tables import ComplaintEventRow, ComplaintRow, ConversationRow
from knowledge.db.uow import UnitOfWork
from knowledge.errors import state
from knowledge.escalations.access import (
    agency_by_code,
    agency_codes,
    check_access,
    readable_agency,
)
from knowledge.escalations.model import stamp
from knowledge.escalations.replies import texts_by_language
from knowledge.onboarding import Deadlines
from knowledge.problems import marked
from knowledge.staff import Actor

_ = marked  # errors people can meet: translated when shown (KnowledgeError.said)

log = logging.getLogger(__name__)


async def find_row(uow: UnitOfWork, reference: str) -> ComplaintRow:
    """By the complaint's number (C-…), its request's number (R-…) or its id."""
    key = reference.strip()
    query = select(ComplaintRow).where(or_(ComplaintRow.number == key,
                                           ComplaintRow.request_no == key))
    if key.isdigit():
        query = select(ComplaintRow).where(ComplaintRow.id == int(key))
    row: ComplaintRow | None = await uow.session.scalar(query)
    if row is None:
        raise ComplaintError.said(_("no complaint {reference}"), reference=repr(reference))
    return row


async def row_for(uow: UnitOfWork, reference: str, actor: Actor) -> ComplaintRow:
    row = await find_row(uow, reference)
    check_access(row, actor)
    return row


async def view_of(uow: UnitOfWork, row: ComplaintRow) -> Complaint:
    codes = await agency_codes(uow)
    earlier = (await uow.session.get(ComplaintRow, row.repeat_of)
               if row.repeat_of is not None else None)
    return view(row, codes.get(row.agency_id or 0), earlier.number if earlier else None)


def complaint_event(uow: UnitOfWork, row: ComplaintRow, kind: str, actor: Actor, clock: Clock,
                    *, note: str | None = None) -> None:
    uow.session.add(ComplaintEventRow(complaint_id=row.id, kind=kind, by=stamp(actor),
                                      note=note, at=clock.now()))


def handled(row: ComplaintRow, actor: Actor) -> None:
    """Annex 2, column 3 names the center's person who last acted on the complaint; the
    operator picked at registration stands until one does. An agency's staff never do."""
    if actor.of_center:
        row.handled_by = actor.name


async def complaint(uow: UnitOfWork, reference: str, actor: Actor) -> Complaint:
    """One complaint, if the actor may see it (AccessDenied otherwise)."""
    return await view_of(uow, await row_for(uow, reference, actor))


async def list_complaints(
    uow: UnitOfWork, actor: Actor, *, agency_code: str | None = None,
    status: str | None = None, triage: bool = False, repeats: bool = False, limit: int = 200,
) -> list[Complaint]:
    """The complaints the actor may see, oldest first: an agency's own, or (the center)
    all, the triage, or the repeat appeals."""
    query = select(ComplaintRow).order_by(ComplaintRow.id).limit(limit)
    if triage:
        actor.require_center()
        query = query.where(ComplaintRow.agency_id.is_(None))
    else:
        agency_id = await readable_agency(uow, actor, agency_code)
        if agency_id is not None:
            query = query.where(ComplaintRow.agency_id == agency_id)
    if status is not None:
        query = query.where(ComplaintRow.status == status)
    if repeats:
        query = query.where(ComplaintRow.repeat_of.is_not(None))
    return [await view_of(uow, row) for row in await uow.session.scalars(query)]


def require_open(row: ComplaintRow) -> None:
    if row.status != ComplaintStatus.OPEN:
        raise ComplaintError.said(_("{number} is {status} already"), number=row.number,
                                  status=state(row.status))


async def respond(
    uow: UnitOfWork, reference: str, *, text_kk: str | None = None,
    text_ru: str | None = None, actor: Actor, clock: Clock,
) -> Complaint:
    """The agency's response (Kazakh, Russian or both), passed on to the citizen in their
    language (staged)."""
    text_kk, text_ru = (text_kk or "").strip() or None, (text_ru or "").strip() or None
    if text_kk is None and text_ru is None:
        raise ComplaintError.said(_("a response needs a text in Kazakh or Russian"))
    row = await row_for(uow, reference, actor)
    require_open(row)
    if row.agency_id is None:
        raise ComplaintError.said(_("{number} is in triage: forward it to an agency first"),
                                  number=row.number)
    now = clock.now()
    row.status = ComplaintStatus.ANSWERED
    row.reply_kk, row.reply_ru = text_kk, text_ru
    row.responded_by, row.responded_at, row.responded_on = stamp(actor), now, local_today(now)
    row.delivered_at = None
    handled(row, actor)  # an operator recording a response given by phone or on paper
    complaint_event(uow, row, "responded", actor, clock)
    return await view_of(uow, row)


async def respond_typed(
    uow: UnitOfWork, reference: str, text: str, *, actor: Actor, clock: Clock,
) -> Complaint:
    """The response typed in one message: parts marked ``kk:`` / ``ru:``, or an unmarked
    text in the language its words tell, else the complaint's (staged)."""
    item = await complaint(uow, reference, actor)
    texts = texts_by_language(text, "kk" if item.lang == "kk" else "ru")
    return await respond(uow, reference, text_kk=texts.get("kk"), text_ru=texts.get("ru"),
                         actor=actor, clock=clock)


async def assign(
    uow: UnitOfWork, reference: str, agency_code: str, *, actor: Actor, clock: Clock,
    deadlines: Deadlines,
) -> Complaint:
    """Triage: forward the complaint to an agency with its request (staged); the operator
    who does it becomes the one who handled it."""
    actor.require_center()
    row = await row_for(uow, reference, actor)
    require_open(row)
    agency = await agency_by_code(uow, agency_code)
    forward(uow, row, agency.id, by=stamp(actor), clock=clock, deadlines=deadlines)
    handled(row, actor)
    return await view_of(uow, row)


async def take(uow: UnitOfWork, reference: str, *, actor: Actor, clock: Clock) -> Complaint:
    """An operator takes over responsibility for a complaint (Annex 2, column 3)."""
    actor.require_center()
    row = await row_for(uow, reference, actor)
    if row.handled_by == actor.name:
        raise ComplaintDone.said(_("{number} is {name}'s already"), number=row.number,
                                 name=actor.name)
    handled(row, actor)
    complaint_event(uow, row, "taken", actor, clock)
    return await view_of(uow, row)


async def erase(uow: UnitOfWork, reference: str, *, actor: Actor, clock: Clock) -> Complaint:
    """Remove the applicant's name, contact and the texts they wrote (the complaint, the
    response, their lines in the conversation log); the anonymised row stays for the
    counts (staged). A month's report made before keeps what it said (002 p.16)."""
    actor.require_center()
    row = await row_for(uow, reference, actor)
    if row.citizen_id is not None:
        texts = [t for t in (row.content, row.applicant) if t]
        if texts:
            await uow.flush_staged()
            await uow.session.execute(update(ConversationRow).where(
                ConversationRow.citizen_id == row.citizen_id,
                ConversationRow.text.in_(texts)).values(text=ERASED))
        await discard_draft(uow, row.citizen_id)
    log.info("complaint %s: applicant %s erased by %s", row.number, masked(row.applicant),
             stamp(actor))
    row.citizen_id = row.applicant = row.content = row.reply_kk = row.reply_ru = None
    row.erased_at = clock.now()
    await uow.session.execute(delete(ComplaintEventRow).where(
        ComplaintEventRow.complaint_id == row.id, ComplaintEventRow.kind == "responded"))
    complaint_event(uow, row, "erased", actor, clock)
    return await view_of(uow, row)


EXPORT_COLUMNS = ("number", "request_no", "created_at", "agency", "register_no", "service",
                  "region", "nature", "category", "applicant", "content", "status", "due_on",
                  "handled_by", "repeat_of", "reply_kk", "reply_ru")


async def export_csv(uow: UnitOfWork, actor: Actor, *, agency_code: str | None = None) -> bytes:
    """The complaints the actor may see, every status, as CSV (UTF-8 with BOM for Excel)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for item in await list_complaints(uow, actor, agency_code=agency_code, limit=100_000):
        writer.writerow([
            item.number, item.request_no, item.created_at.isoformat(), item.agency_code or "",
            item.register_no or "", item.service_name or "", item.region, item.nature,
            item.category, item.applicant, item.content, item.status,
            item.due_on.isoformat() if item.due_on else "", item.handled_by or "",
            item.repeat_of or "", item.reply_kk or "", item.reply_ru or "",
        ])
    return out.getvalue().encode("utf-8-sig")
