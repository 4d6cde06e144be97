"""A new question announced, then its deadlines: the working day before, the due day, and
one overdue flag, each fired once (a row per escalation and kind), also across restarts.

The agency's staff hear of their questions; operators hear of triage and of every overdue
one; the waiting citizens of an overdue question get one status message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from knowledge.clock import Clock
from knowledge.db.tables import DeadlineFlagRow, EscalationRow, StaffRow
from knowledge.db.uow import UnitOfWork
from knowledge.escalations.access import agency_codes, group_of
from knowledge.escalations.deliveries import overdue_deliveries
from knowledge.escalations.model import Delivery, Escalation, EscalationStatus, view
from knowledge.escalations.routing import fill_due_dates
from knowledge.onboarding import Deadlines
from knowledge.onboarding.cases import reminder_kind
from knowledge.onboarding.notices import Recipient, center_staff
from knowledge.staff import Role

SUBJECT = "escalation"


@dataclass(frozen=True, slots=True)
class EscalationReminder:
    escalation: Escalation
    kind: str  # new, day_before, due_day, overdue
    due_on: date
    staff: tuple[Recipient, ...]  # who to tell
    deliveries: tuple[Delivery, ...] = ()  # overdue: the citizens' status messages


async def agency_staff(uow: UnitOfWork, agency_id: int) -> list[Recipient]:
    rows = await uow.session.scalars(select(StaffRow).where(
        StaffRow.agency_id == agency_id, StaffRow.role == Role.AGENCY,
        StaffRow.active.is_(True)).order_by(StaffRow.id))
    return [Recipient(r.id, r.name, r.telegram_user_id, r.email) for r in rows]


async def fire_escalation_reminders(
    uow: UnitOfWork, today: date, deadlines: Deadlines, clock: Clock,
) -> list[EscalationReminder]:
    """Today's reminders and overdue flags of open questions, one line a group (staged)."""
    await fill_due_dates(uow, deadlines)
    rows = (await uow.session.scalars(select(EscalationRow).where(
        EscalationRow.status == EscalationStatus.OPEN, EscalationRow.due_on.is_not(None),
    ).order_by(EscalationRow.id))).all()
    codes = await agency_codes(uow)
    center = await center_staff(uow)
    fired = []
    for row in rows:
        if row.group_id is not None and row.group_id != row.id:
            continue  # the group's leader speaks for it
        assert row.due_on is not None
        kinds = [kind for kind in ("new", reminder_kind(row.due_on, today, deadlines.calendar))
                 if kind is not None and not await flag_fired(uow, SUBJECT, row.id, kind)]
        for kind in kinds:
            uow.session.add(DeadlineFlagRow(subject=SUBJECT, subject_id=row.id, kind=kind,
                                            due_on=row.due_on, fired_at=clock.now()))
            staff = await agency_staff(uow, row.agency_id) if row.agency_id is not None else []
            if row.agency_id is None or kind == "overdue":
                staff = [*staff, *center]
            members = await group_of(uow, row)
            citizens = await overdue_deliveries(uow, members) if kind == "overdue" else []
            fired.append(EscalationReminder(
                view(row, codes.get(row.agency_id or 0), len(members)), kind, row.due_on,
                tuple(staff), tuple(citizens)))
    await uow.session.flush()
    return fired


async def flag_fired(uow: UnitOfWork, subject: str, subject_id: int, kind: str) -> bool:
    """Whether the flag ``kind`` of this escalation (complaint, …) has fired already."""
    return await uow.session.scalar(select(DeadlineFlagRow.id).where(
        DeadlineFlagRow.subject == subject, DeadlineFlagRow.subject_id == subject_id,
        DeadlineFlagRow.kind == kind)) is not None
