"""Onboarding cases: one service's way through the protocol, step by step, on the legal clock.

Every step is stamped with who recorded it and when; the next step's deadline is set
from the policy table in working days. After the protocol, the service goes live by itself
on its activation date (``activate_due``, run by the bot's scheduler or ``ucc onboarding
tick``). Every use case checks the actor's role: agency staff see and act only on their
own agency's cases.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from sqlalchemy import select

from knowledge.calendar import WorkCalendar
from knowledge.clock import Clock
from knowledge.db.tables import (
    AgencyRow,
    OnboardingCaseRow,
    OnboardingEventRow,
    ReminderRow,
    ServiceRow,
    StaffRow,
)
from knowledge.db.uow import UnitOfWork
from knowledge.errors import InvalidInput
from knowledge.model import ServiceState
from knowledge.onboarding.steps import CLOSED, STEPS, due_date, next_step, step
from knowledge.pack.io import ImportReport, import_pack
from knowledge.policy import Policy
from knowledge.problems import marked
from knowledge.staff import Actor, Role, StaffMember, add_staff, deactivate

_ = marked  # errors people can meet: translated when shown (KnowledgeError.said)

LEFT: Final = "responsible_left"  # the responsible person left; nobody named yet


class OnboardingError(InvalidInput):
    """A step that cannot be taken now (wrong order, unknown case, a pack for another service)."""


class StepOutOfOrder(OnboardingError):
    """The case waits for another step: ``waits`` is the step it waits for (a key a page
    names in the reader's language); the English text is the command line's."""

    def __init__(self, message: str, *, register_no: str, waits: str) -> None:
        super().__init__(message)
        self.register_no = register_no
        self.waits = waits


@dataclass(frozen=True, slots=True)
class Case:
    id: int
    register_no: str
    service_name: str | None
    agency_id: int
    agency_code: str
    step: str  # the step awaited, or "closed"
    due_on: date | None
    activation_on: date | None
    responsible: str | None
    name_kk: str | None = None
    name_ru: str | None = None
    agency_email: str | None = None
    kind: str = "onboarding"  # or "update": the act behind the service changed
    agency_name_kk: str | None = None
    agency_name_ru: str | None = None

    @property
    def owed_by(self) -> str | None:
        return None if self.step == CLOSED else step(self.step).owed_by


@dataclass(frozen=True, slots=True)
class Reminder:
    case: Case
    kind: str  # day_before, due_day, overdue
    due_on: date
    # The step reminded of when it is not the one the case awaits: a new responsible
    # person's notice (002 p.7) runs beside the steps, also after the service went live.
    about: str | None = None

    @property
    def step(self) -> str:
        return self.about or self.case.step

    @property
    def owed_by(self) -> str | None:
        return None if self.step == CLOSED else step(self.step).owed_by


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """A step of a case as it was done: when, by whom, and against which due date."""

    step: str
    done_on: date
    due_on: date | None
    by: str  # "role:name"
    note: str | None = None

    def working_days_late(self, calendar: WorkCalendar) -> int:
        """Working days after its due date the step was done; 0 when on time or undated."""
        if self.due_on is None or self.done_on <= self.due_on:
            return 0
        return calendar.working_days_between(self.due_on, self.done_on)


@dataclass(frozen=True, slots=True)
class Deadlines:
    """What the dates are counted with."""

    policy: Policy
    calendar: WorkCalendar


async def start_case(
    uow: UnitOfWork, register_no: str, agency_code: str, approved_on: date, *,
    actor: Actor, clock: Clock, deadlines: Deadlines, registered_on: date | None = None,
    name_kk: str | None = None, name_ru: str | None = None,
) -> Case:
    """A service entered the Register with an approved standard: the request is due within
    the policy's days of the later of the two dates (staged)."""
    actor.require_center()
    agency = await uow.session.scalar(select(AgencyRow).where(AgencyRow.code == agency_code))
    if agency is None:
        raise OnboardingError.said(_("no agency with code {code} (add it: ucc agency add)"),
                                   code=repr(agency_code))
    if await open_case_row(uow, register_no) is not None:
        raise OnboardingError.said(
            _("service {register_no} has an open onboarding case already"),
            register_no=register_no)
    start = max(approved_on, registered_on or approved_on)
    row = OnboardingCaseRow(
        register_no=register_no, name_kk=name_kk, name_ru=name_ru, agency_id=agency.id,
        approved_on=approved_on,
        step=STEPS[0].key, due_on=due_date(STEPS[0].key, start, deadlines.policy,
                                           deadlines.calendar),
        opened_at=clock.now(),
    )
    uow.session.add(row)
    await uow.session.flush()
    stamp(uow, row, "started", start, None, actor, clock)
    return await case_view(uow, row)


def require_named(register_no: str, name_kk: str | None, name_ru: str | None) -> None:
    """Nothing goes to an agency about a service without its name in the Register: the
    request form's column 3 and the letters name it, in both languages."""
    if not (name_kk and name_kk.strip() and name_ru and name_ru.strip()):
        raise OnboardingError.said(_(
            "service {register_no} has no name in the Register: give it first (ucc "
            "onboarding name {register_no} --name-kk … --name-ru …)"), register_no=register_no)


async def name_case(
    uow: UnitOfWork, register_no: str, *, name_kk: str, name_ru: str, actor: Actor,
) -> Case:
    """The service's name as in the Register, for a case opened without it (staged)."""
    actor.require_center()
    require_named(register_no, name_kk, name_ru)
    row = await case_row_for(uow, register_no, actor)
    row.name_kk, row.name_ru = name_kk.strip(), name_ru.strip()
    await uow.session.flush()
    return await case_view(uow, row)


async def record_step(
    uow: UnitOfWork, register_no: str, key: str, *, on: date, actor: Actor, clock: Clock,
    deadlines: Deadlines, note: str | None = None,
) -> Case:
    """Mark the awaited step done on ``on``; the next is due by the policy (staged)."""
    row = await case_row_for(uow, register_no, actor)
    if key not in {s.key for s in STEPS} or key == "live":
        raise OnboardingError.said(_("unknown step {key}"), key=repr(key))
    if row.step != key:
        raise StepOutOfOrder(f"service {register_no} waits for {row.step!r}, not {key!r}",
                             register_no=register_no, waits=row.step)
    if step(key).owed_by == "center" or key == "responsible_appointed":
        actor.require_center()
    return await advance(uow, row, key, on=on, actor=actor, clock=clock, deadlines=deadlines,
                         note=note)


async def advance(
    uow: UnitOfWork, row: OnboardingCaseRow, key: str, *, on: date, actor: Actor,
    clock: Clock, deadlines: Deadlines, note: str | None = None,
) -> Case:
    """Stamp step ``key`` done and set the next one's deadline; the caller checked the role."""
    if on < row.approved_on:
        raise OnboardingError.said(_("{on} is before the standard's approval ({approved_on})"),
                                   on=str(on), approved_on=str(row.approved_on))
    stamp(uow, row, key, on, row.due_on, actor, clock, note)
    following = next_step(key)
    assert following is not None
    due = due_date(following.key, on, deadlines.policy, deadlines.calendar)
    row.step, row.due_on = following.key, due
    if following.key == "live":
        row.activation_on = due
    return await case_view(uow, row)


async def appoint_responsible(
    uow: UnitOfWork, register_no: str, name: str, *, on: date, actor: Actor, clock: Clock,
    deadlines: Deadlines, position: str | None = None, phone: str | None = None,
    email: str | None = None, changed_on: date | None = None,
) -> tuple[Case, StaffMember]:
    """The agency named its responsible person: they get agency staff access through a
    one-time invite. A later appointment (also after the service went live) replaces the
    person and re-binds the role; the agency owes that notice within the policy's days of
    the change (002 p.7): the replacement's due date is kept in the case's history, so a
    late notice shows as late. The change is dated ``changed_on``, else the departure
    recorded before (``departures.record_departure``), else ``on``."""
    actor.require_center()
    row = await case_row_for(uow, register_no, actor, closed_too=True)
    agency = await uow.session.get(AgencyRow, row.agency_id)
    assert agency is not None
    member = await add_staff(uow, name, Role.AGENCY, clock, agency_code=agency.code,
                             position=position, phone=phone, email=email, invite=True)
    left = await pending_departure(uow, row.id)
    if row.responsible_id is not None or left is not None:
        if row.responsible_id is not None:
            await deactivate(uow, row.responsible_id)
        changed = changed_on or (left.done_on if left is not None else on)
        if changed > on:
            raise OnboardingError.said(
                _("the replacement ({changed}) is after its notice ({on})"),
                changed=str(changed), on=str(on))
        due = deadlines.policy.due("responsible_replaced", changed, deadlines.calendar)
        stamp(uow, row, "responsible_replaced", on, due, actor, clock, name)
    elif row.step == CLOSED:
        raise OnboardingError.said(
            _("service {register_no} has no responsible person to replace"),
            register_no=register_no)
    row.responsible_id = member.id
    if row.step == "responsible_appointed":
        case = await record_step(uow, register_no, "responsible_appointed", on=on, actor=actor,
                                 clock=clock, deadlines=deadlines, note=name)
    else:
        case = await case_view(uow, row)
    return case, member


async def submit_information(
    uow: UnitOfWork, register_no: str, pack: Mapping[str, Any], *, on: date, actor: Actor,
    clock: Clock, deadlines: Deadlines,
) -> tuple[Case, ImportReport]:
    """The responsible person's information (a valid knowledge pack) becomes a draft of the
    service: not visible to citizens until the activation date (staged)."""
    row = await case_row_for(uow, register_no, actor)
    if row.step != "information_provided":
        raise StepOutOfOrder(f"service {register_no} waits for {row.step!r}, not information",
                             register_no=register_no, waits=row.step)
    await check_pack_of_case(uow, row, pack)
    live = await uow.session.scalar(select(ServiceRow).where(
        ServiceRow.register_no == register_no, ServiceRow.state == ServiceState.LIVE))
    if live is not None:
        raise OnboardingError.said(
            _("service {register_no} is live already; send an update instead"),
            register_no=register_no)
    report = await import_pack(uow, pack, draft=True, commit=False)
    case = await record_step(uow, register_no, "information_provided", on=on, actor=actor,
                             clock=clock, deadlines=deadlines)
    return case, report


async def activate_due(uow: UnitOfWork, today: date, clock: Clock) -> list[Case]:
    """Make live every service whose activation date has come, and close its case (staged).
    Nobody presses a button: the scheduler runs this."""
    rows = (await uow.session.scalars(select(OnboardingCaseRow).where(
        OnboardingCaseRow.step == "live", OnboardingCaseRow.activation_on <= today))).all()
    done = []
    for row in rows:
        if row.kind == "update" and row.pending_pack is not None:
            await import_pack(uow, row.pending_pack, draft=False, commit=False)
            row.pending_pack = None
        service = await uow.session.scalar(
            select(ServiceRow).where(ServiceRow.register_no == row.register_no))
        if service is None:
            continue  # no information in the base: nothing can answer yet
        service.state = ServiceState.LIVE
        stamp(uow, row, "live", today, row.activation_on,
               Actor("scheduler", Role.ADMIN), clock)
        row.step, row.due_on, row.closed_at = CLOSED, None, clock.now()
        done.append(await case_view(uow, row))
    if done:
        await uow.knowledge.bump_revision()
    return done


async def fire_reminders(
    uow: UnitOfWork, today: date, calendar: WorkCalendar, clock: Clock
) -> list[Reminder]:
    """Reminders due today: the working day before a deadline, on the day, and one overdue
    flag. Each fires once (a row per case, step and kind), also across restarts (staged)."""
    rows = (await uow.session.scalars(select(OnboardingCaseRow).where(
        OnboardingCaseRow.step.notin_([CLOSED, "live"]),
        OnboardingCaseRow.due_on.is_not(None)))).all()
    fired = []
    for row in rows:
        assert row.due_on is not None
        kind = reminder_kind(row.due_on, today, calendar)
        if kind is None:
            continue
        exists = await uow.session.scalar(select(ReminderRow.id).where(
            ReminderRow.case_id == row.id, ReminderRow.step == row.step,
            ReminderRow.kind == kind))
        if exists is not None:
            continue
        uow.session.add(ReminderRow(case_id=row.id, step=row.step, kind=kind,
                                    due_on=row.due_on, fired_at=clock.now()))
        fired.append(Reminder(await case_view(uow, row), kind, row.due_on))
    await uow.session.flush()
    return fired


def reminder_kind(due: date, today: date, calendar: WorkCalendar) -> str | None:
    if today > due:
        return "overdue"
    if today == due:
        return "due_day"
    if calendar.is_working_day(today) and calendar.next_working_day(today) == due:
        return "day_before"
    return None


def working_days_left(due: date, today: date, calendar: WorkCalendar) -> int:
    """Working days from today to the deadline; negative when overdue."""
    if due >= today:
        return calendar.working_days_between(today, due)
    return -calendar.working_days_between(due, today)


async def cases(uow: UnitOfWork, actor: Actor, *, closed: bool = False) -> list[Case]:
    """The cases the actor may see: all for the center, the own agency's for its staff."""
    query = select(OnboardingCaseRow).order_by(OnboardingCaseRow.due_on, OnboardingCaseRow.id)
    if not closed:
        query = query.where(OnboardingCaseRow.step != CLOSED)
    if not actor.of_center:
        query = query.where(OnboardingCaseRow.agency_id == actor.agency_id)
    return [await case_view(uow, row) for row in await uow.session.scalars(query)]


async def case_of(uow: UnitOfWork, register_no: str, actor: Actor) -> Case:
    """The open case of a service (or its last one), if the actor may see it."""
    return await case_view(uow, await case_row_for(uow, register_no, actor, closed_too=True))


async def history(uow: UnitOfWork, register_no: str, actor: Actor) -> list[HistoryEntry]:
    """The steps of a case (its last one, when closed), oldest first."""
    row = await case_row_for(uow, register_no, actor, closed_too=True)
    events = await uow.session.scalars(select(OnboardingEventRow).where(
        OnboardingEventRow.case_id == row.id).order_by(OnboardingEventRow.id))
    return [HistoryEntry(e.step, e.done_on, e.due_on, e.by, e.note) for e in events]


# ---- helpers

async def pending_departure(uow: UnitOfWork, case_id: int) -> OnboardingEventRow | None:
    """The case's departure of its responsible person (``departures``) that no appointment
    has answered yet, if any."""
    last: OnboardingEventRow | None = await uow.session.scalar(
        select(OnboardingEventRow).where(
            OnboardingEventRow.case_id == case_id,
            OnboardingEventRow.step.in_([LEFT, "responsible_replaced"]),
        ).order_by(OnboardingEventRow.id.desc()).limit(1))
    return last if last is not None and last.step == LEFT else None


async def open_case_row(uow: UnitOfWork, register_no: str) -> OnboardingCaseRow | None:
    row: OnboardingCaseRow | None = await uow.session.scalar(select(OnboardingCaseRow).where(
        OnboardingCaseRow.register_no == register_no, OnboardingCaseRow.step != CLOSED))
    return row


async def case_row_for(
    uow: UnitOfWork, register_no: str, actor: Actor, *, closed_too: bool = False
) -> OnboardingCaseRow:
    row = await open_case_row(uow, register_no)
    if row is None and closed_too:
        row = await uow.session.scalar(select(OnboardingCaseRow).where(
            OnboardingCaseRow.register_no == register_no).order_by(
            OnboardingCaseRow.id.desc()).limit(1))
    if row is None:
        raise OnboardingError.said(_("no open onboarding case for service {register_no}"),
                                   register_no=register_no)
    actor.require_agency(row.agency_id)
    return row


async def check_pack_of_case(
    uow: UnitOfWork, row: OnboardingCaseRow, pack: Mapping[str, Any]
) -> None:
    """The pack an agency sent for a case holds that service of that agency and no other;
    ``OnboardingError`` names every service that is not."""
    register_no = row.register_no
    agency = await uow.session.get(AgencyRow, row.agency_id)
    assert agency is not None
    problems = [
        f"services[{n}]: {item.get('register_no')!r} of {item.get('agency')!r} is not "
        f"service {register_no} of {agency.code}"
        for n, item in enumerate(pack.get("services", []))
        if item.get("register_no") != register_no or item.get("agency") != agency.code
    ]
    if not pack.get("services"):
        problems.append(f"services: the pack has no service {register_no}")
    if problems:
        raise OnboardingError("; ".join(problems)).saying(
            _("the file is not the knowledge pack of service {register_no} of this agency"),
            register_no=register_no)


def stamp(  # noqa: PLR0917 - one event row: its fields
    uow: UnitOfWork, row: OnboardingCaseRow, key: str, on: date, due: date | None,
    actor: Actor, clock: Clock, note: str | None = None,
) -> None:
    uow.session.add(OnboardingEventRow(case_id=row.id, step=key, done_on=on, due_on=due,
                                       by=f"{actor.role}:{actor.name}", note=note,
                                       at=clock.now()))


async def case_view(uow: UnitOfWork, row: OnboardingCaseRow) -> Case:
    agency = await uow.session.get(AgencyRow, row.agency_id)
    service = await uow.session.scalar(
        select(ServiceRow).where(ServiceRow.register_no == row.register_no))
    responsible = (await uow.session.get(StaffRow, row.responsible_id)
                   if row.responsible_id is not None else None)
    name_kk = (service.name_kk if service else None) or row.name_kk
    name_ru = (service.name_ru if service else None) or row.name_ru
    return Case(row.id, row.register_no, name_ru or name_kk, row.agency_id,
                agency.code if agency else "?", row.step, row.due_on, row.activation_on,
                responsible.name if responsible else None, name_kk, name_ru,
                agency.email if agency else None, row.kind,
                agency.name_kk if agency else None, agency.name_ru if agency else None)
