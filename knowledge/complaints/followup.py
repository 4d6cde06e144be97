"""After registration: the request announced to the agency, reminders and overdue flags,
and the agency's response owed back to the citizen.

Each flag is a row written once (subject ``complaint``), also across restarts, like the
escalations'. The agency's staff (and its official e-mail) hear of the request; operators
hear of the triage, of each repeat appeal and of every overdue complaint, whose citizen
gets one status message. The domain says what to tell whom; the bot layer renders it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from knowledge.clock import Clock
from knowledge.complaints.model import ComplaintStatus
from knowledge.db.tables import AgencyRow, CitizenRow, ComplaintRow, DeadlineFlagRow
from knowledge.db.uow import UnitOfWork
from knowledge.escalations.model import in_language
from knowledge.escalations.reminders import agency_staff, flag_fired
from knowledge.model import Lang
from knowledge.onboarding import Deadlines
from knowledge.onboarding.cases import reminder_kind
from knowledge.onboarding.notices import Recipient, center_staff

SUBJECT = "complaint"


@dataclass(frozen=True, slots=True)
class ComplaintDelivery:
    """A message the citizen is owed, on their channel, in the language they complained in."""

    complaint_id: int
    citizen_id: int
    channel: str
    address: str
    lang: Lang
    number: str
    kind: str  # answered, overdue_status, extended
    text: str | None = None
    text_lang: Lang | None = None  # ``lang``, or the other when the response lacks it
    due_on: date | None = None  # extended: the new date
    days: int | None = None  # extended: by how many working days


@dataclass(frozen=True, slots=True)
class ComplaintReminder:
    number: str
    request_no: str
    agency_code: str | None
    kind: str  # new, day_before, due_day, overdue
    due_on: date | None
    repeat_of: str | None  # a repeat appeal: the earlier complaint's number
    staff: tuple[Recipient, ...]
    deliveries: tuple[ComplaintDelivery, ...] = ()


def _lang(value: str) -> Lang:
    return "kk" if value == "kk" else "ru"


async def citizen_delivery(
    uow: UnitOfWork, row: ComplaintRow, kind: str, text: tuple[Lang, str] | None = None,
    *, days: int | None = None,
) -> ComplaintDelivery | None:
    """What the applicant is owed about this complaint (None when their data was erased)."""
    citizen = (await uow.session.get(CitizenRow, row.citizen_id)
               if row.citizen_id is not None else None)
    if citizen is None:
        return None  # erased: nobody to tell
    return ComplaintDelivery(row.id, citizen.id, citizen.channel, citizen.address,
                             _lang(row.lang), row.number or "", kind,
                             text[1] if text else None, text[0] if text else None,
                             row.due_on, days)


async def take_deliveries(
    uow: UnitOfWork, clock: Clock, limit: int = 500,
) -> list[ComplaintDelivery]:
    """The agencies' responses not yet passed on, marked passed on (staged)."""
    rows = (await uow.session.scalars(select(ComplaintRow).where(
        ComplaintRow.status == ComplaintStatus.ANSWERED, ComplaintRow.delivered_at.is_(None),
    ).order_by(ComplaintRow.id).limit(limit))).all()
    out = []
    for row in rows:
        row.delivered_at = clock.now()
        delivery = await citizen_delivery(uow, row, "answered",
                                   in_language(row.lang, row.reply_kk, row.reply_ru))
        if delivery is not None:
            out.append(delivery)
    return out


async def fire_complaint_reminders(
    uow: UnitOfWork, today: date, deadlines: Deadlines, clock: Clock,
) -> list[ComplaintReminder]:
    """Today's announcements, reminders and overdue flags of open complaints (staged)."""
    rows = (await uow.session.scalars(select(ComplaintRow).where(
        ComplaintRow.status == ComplaintStatus.OPEN).order_by(ComplaintRow.id))).all()
    agencies = {a.id: a for a in await uow.session.scalars(select(AgencyRow))}
    center = await center_staff(uow)
    fired = []
    for row in rows:
        due_kind = (reminder_kind(row.due_on, today, deadlines.calendar)
                    if row.due_on is not None else None)
        # A complaint forwarded later (from triage) is announced to its agency again.
        new_kind = "new" if row.agency_id is None else f"new:{row.agency_id}"
        for kind in (new_kind, due_kind):
            if kind is None or await flag_fired(uow, SUBJECT, row.id, kind):
                continue
            uow.session.add(DeadlineFlagRow(subject=SUBJECT, subject_id=row.id, kind=kind,
                                            due_on=row.due_on or today, fired_at=clock.now()))
            agency = agencies.get(row.agency_id or 0)
            staff: list[Recipient] = []
            if agency is not None:
                staff = await agency_staff(uow, agency.id)
                if kind.startswith("new") and agency.email:
                    staff.append(Recipient(0, agency.code, None, agency.email))
            if agency is None or kind == "overdue" or row.repeat_of is not None:
                staff += center
            citizen = (await citizen_delivery(uow, row, "overdue_status")
                       if kind == "overdue" else None)
            earlier = (await uow.session.get(ComplaintRow, row.repeat_of)
                       if row.repeat_of is not None else None)
            fired.append(ComplaintReminder(
                row.number or "", row.request_no or "", agency.code if agency else None,
                kind.split(":")[0], row.due_on, earlier.number if earlier else None, tuple(staff),
                (citizen,) if citizen is not None else ()))
    await uow.session.flush()
    return fired
