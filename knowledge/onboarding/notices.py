"""Who hears of a deadline: the party that owes the step, and operators when it is late."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from knowledge.db.tables import OnboardingCaseRow, StaffRow
from knowledge.db.uow import UnitOfWork
from knowledge.onboarding.cases import Reminder
from knowledge.staff import Role


@dataclass(frozen=True, slots=True)
class Recipient:
    staff_id: int
    name: str
    telegram_user_id: int | None
    email: str | None


async def recipients(uow: UnitOfWork, reminder: Reminder) -> list[Recipient]:
    """A step the agency owes: its responsible person; one the center owes, or any step
    overdue: the center's operators and administrators (and the responsible person too
    when the agency is late)."""
    people: list[StaffRow] = []
    agency_owes = reminder.case.owed_by == "agency"
    if agency_owes:
        row = await uow.session.get(OnboardingCaseRow, reminder.case.id)
        if row is not None and row.responsible_id is not None:
            person = await uow.session.get(StaffRow, row.responsible_id)
            if person is not None and person.active:
                people.append(person)
    recipients = [_recipient(p) for p in people]
    if not agency_owes or reminder.kind == "overdue":
        recipients.extend(await center_staff(uow))
    return recipients


async def center_staff(uow: UnitOfWork) -> list[Recipient]:
    """The center's operators and administrators: they hear of every late step."""
    rows = await uow.session.scalars(select(StaffRow).where(
        StaffRow.role.in_([Role.OPERATOR, Role.ADMIN]), StaffRow.active.is_(True)
    ).order_by(StaffRow.id))
    return [_recipient(row) for row in rows]


def _recipient(row: StaffRow) -> Recipient:
    return Recipient(row.id, row.name, row.telegram_user_id, row.email)
