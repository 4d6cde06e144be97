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
    staff_id: int  # 0: an agency's official address, no person of ours
    name: str
    telegram_user_id: int | None
    email: str | None


async def recipients(uow: UnitOfWork, reminder: Reminder) -> list[Recipient]:
    """A step the agency owes: its responsible person, or, while none can be reached (none
    appointed yet, as for the appointment itself, or one with neither Telegram nor
    e-mail), the agency's official e-mail; one the center owes, or any step overdue: the
    center's operators and administrators (and the agency too when it is late)."""
    found: list[Recipient] = []
    agency_owes = reminder.owed_by == "agency"
    if agency_owes:
        person = await _responsible(uow, reminder.case.id)
        if person is not None and (person.telegram_user_id is not None or person.email):
            found.append(_recipient(person))
        elif reminder.case.agency_email:
            found.append(Recipient(0, reminder.case.agency_code, None,
                                   reminder.case.agency_email))
    if not agency_owes or reminder.kind == "overdue":
        found.extend(await center_staff(uow))
    return found


async def _responsible(uow: UnitOfWork, case_id: int) -> StaffRow | None:
    """The case's active responsible person, if one is appointed."""
    row = await uow.session.get(OnboardingCaseRow, case_id)
    if row is None or row.responsible_id is None:
        return None
    person = await uow.session.get(StaffRow, row.responsible_id)
    return person if person is not None and person.active else None


async def center_staff(uow: UnitOfWork) -> list[Recipient]:
    """The center's operators and administrators: they hear of every late step."""
    rows = await uow.session.scalars(select(StaffRow).where(
        StaffRow.role.in_([Role.OPERATOR, Role.ADMIN]), StaffRow.active.is_(True)
    ).order_by(StaffRow.id))
    return [_recipient(row) for row in rows]


def _recipient(row: StaffRow) -> Recipient:
    return Recipient(row.id, row.name, row.telegram_user_id, row.email)
