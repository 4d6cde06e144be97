"""A responsible person who left before the agency named another (002 p.7).

The agency owes the center notice of its new responsible person within the policy's days
(``responsible_replaced``) of the change. The change may be known before the new person
is: the departure is recorded on its day, the person loses access, and the clock runs with
reminders like any step's (the working day before, the due day, one overdue flag) until
an appointment closes it; that appointment is then judged late or on time against it.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from sqlalchemy import select

from knowledge.calendar import WorkCalendar
from knowledge.clock import Clock
from knowledge.db.tables import DeadlineFlagRow, OnboardingCaseRow, OnboardingEventRow
from knowledge.db.uow import UnitOfWork
from knowledge.onboarding.cases import (
    LEFT,
    Case,
    Deadlines,
    OnboardingError,
    Reminder,
    case_row_for,
    case_view,
    pending_departure,
    reminder_kind,
    stamp,
)
from knowledge.problems import marked
from knowledge.staff import Actor, deactivate

_ = marked  # errors people can meet: translated when shown (KnowledgeError.said)

REPLACED: Final = "responsible_replaced"
SUBJECT: Final = "responsible_change"  # deadline flags: one per departure and kind


async def record_departure(
    uow: UnitOfWork, register_no: str, *, on: date, actor: Actor, clock: Clock,
    deadlines: Deadlines,
) -> Case:
    """The responsible person left on ``on`` and nobody is named yet: they lose access, and
    the new person's notice is due by p.7 (staged)."""
    actor.require_center()
    row = await case_row_for(uow, register_no, actor, closed_too=True)
    if row.responsible_id is None:
        raise OnboardingError.said(
            _("service {register_no} has no responsible person who could leave"),
            register_no=register_no)
    if on < row.approved_on:
        raise OnboardingError.said(_("{on} is before the standard's approval ({approved_on})"),
                                   on=str(on), approved_on=str(row.approved_on))
    await deactivate(uow, row.responsible_id)
    row.responsible_id = None
    stamp(uow, row, LEFT, on, deadlines.policy.due(REPLACED, on, deadlines.calendar),
          actor, clock)
    await uow.session.flush()
    return await case_view(uow, row)


async def fire_departure_reminders(
    uow: UnitOfWork, today: date, calendar: WorkCalendar, clock: Clock,
) -> list[Reminder]:
    """Reminders of the new person's notice due today, each once across restarts (staged);
    also for a service already live."""
    fired = []
    for event in (await uow.session.scalars(select(OnboardingEventRow).where(
            OnboardingEventRow.step == LEFT).order_by(OnboardingEventRow.id))).all():
        pending = await pending_departure(uow, event.case_id)
        if pending is None or pending.id != event.id or event.due_on is None:
            continue
        kind = reminder_kind(event.due_on, today, calendar)
        if kind is None or await _fired(uow, event.id, kind):
            continue
        uow.session.add(DeadlineFlagRow(subject=SUBJECT, subject_id=event.id, kind=kind,
                                        due_on=event.due_on, fired_at=clock.now()))
        row = await uow.session.get(OnboardingCaseRow, event.case_id)
        assert row is not None
        fired.append(Reminder(await case_view(uow, row), kind, event.due_on, about=REPLACED))
    await uow.session.flush()
    return fired


async def _fired(uow: UnitOfWork, event_id: int, kind: str) -> bool:
    found = await uow.session.scalar(select(DeadlineFlagRow.id).where(
        DeadlineFlagRow.subject == SUBJECT, DeadlineFlagRow.subject_id == event_id,
        DeadlineFlagRow.kind == kind))
    return found is not None
