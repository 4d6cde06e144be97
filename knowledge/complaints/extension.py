"""An agency extends the term of a complaint (004 art.25(4)): by at most the policy's
working days (10), once, before the term ends, with a reason; the applicant is told at
once, which is within the 3 working days the law allows for the notice when the extension
is recorded the day it is made. One recorded later keeps its own day: the term is judged
on it, and the notice's 3 working days run from it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select

from knowledge.calendar import day_it_happened
from knowledge.clock import Clock
from knowledge.complaints.followup import SUBJECT, ComplaintDelivery, citizen_delivery
from knowledge.complaints.handling import (
    complaint_event,
    handled,
    require_open,
    row_for,
    view_of,
)
from knowledge.complaints.model import Complaint, ComplaintError
from knowledge.db.tables import ComplaintEventRow, DeadlineFlagRow
from knowledge.db.uow import UnitOfWork
from knowledge.model import Lang
from knowledge.onboarding import Deadlines
from knowledge.problems import marked
from knowledge.staff import Actor

_ = marked  # errors people can meet: translated when shown (KnowledgeError.said)

EXTENDED = "extended"


async def extend(
    uow: UnitOfWork, reference: str, days: int, *, reason: str, actor: Actor, clock: Clock,
    deadlines: Deadlines, on: date | None = None,
) -> tuple[Complaint, ComplaintDelivery | None]:
    """Move the agency's due date ``days`` working days on (staged); the complaint and
    the notice owed to the applicant (None when their data was erased). ``on``: the day
    the agency extended it, when recorded later (default today; never in the future)."""
    row = await row_for(uow, reference, actor)
    require_open(row)
    if row.agency_id is None or row.due_on is None:
        raise ComplaintError.said(_("{number} is in triage: forward it to an agency first"),
                                  number=row.number)
    limit = deadlines.policy.rule("complaint_extension").value
    if not 1 <= days <= limit:
        raise ComplaintError.said(
            _("an extension is of 1 to {limit} working days, not {days}"),
            limit=int(limit), days=days)
    if not reason.strip():
        raise ComplaintError.said(_("an extension needs its reason: the applicant is told it"))
    if await uow.session.scalar(select(ComplaintEventRow.id).where(
            ComplaintEventRow.complaint_id == row.id, ComplaintEventRow.kind == EXTENDED)):
        raise ComplaintError.said(_("the term of {number} was extended already"),
                                  number=row.number)
    day = day_it_happened(on, clock.now())
    if day > row.due_on:
        raise ComplaintError.said(
            _("the term of {number} ended on {due_on}: too late to extend it"),
            number=row.number, due_on=str(row.due_on))
    row.due_on = deadlines.calendar.add_working_days(row.due_on, days)
    # the reminders of the old date fire again for the new one
    await uow.session.execute(delete(DeadlineFlagRow).where(
        DeadlineFlagRow.subject == SUBJECT, DeadlineFlagRow.subject_id == row.id,
        DeadlineFlagRow.kind.in_(["day_before", "due_day"])))
    handled(row, actor)  # an operator recording the agency's extension
    complaint_event(uow, row, EXTENDED, actor, clock, note=f"{days} on {day}: {reason.strip()}")
    lang: Lang = "kk" if row.lang == "kk" else "ru"  # the reason is passed on as written
    notice = await citizen_delivery(uow, row, EXTENDED, (lang, reason.strip()), days=days)
    return await view_of(uow, row), notice
