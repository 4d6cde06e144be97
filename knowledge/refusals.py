"""Agencies refusing the center information (002 p.11-12), and the notice it triggers.

Three "refusals" live in this domain; this is only the one where an agency refuses the
center the information it needs (not a provider refusing a citizen the service, nor a
refusal to accept documents: those are card content).

Every refusal is kept with the original request, the reply, the dates and the ground.
Silence is not a refusal. By default (the policy table; each is a setting) a lawful
withholding (state, commercial or other protected secret) is recorded but does not count
(``refusal_withholding_counts``), and an operator confirms a refusal before it counts
(``refusal_confirmation``; when off, it counts as the agency refuses). When one
agency's counted refusals within the window (``refusal_window``: a rolling month from a
date to the same date next month, or the calendar month) reach ``refusal_threshold``, one
notice to the quality-control body is due ``refusal_notice`` working days after the
refusal that reached it; later refusals in that window join the open notice. Para 12
binds central state bodies and local executive bodies; a provider that is not a state body
is held to it only as ``refusal_binds_provider`` says (each kind has its switch).
"""

from __future__ import annotations

import calendar as months
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

from sqlalchemy import select

from knowledge.calendar import WorkCalendar
from knowledge.clock import Clock
from knowledge.db.tables import (
    AgencyRow,
    DeadlineFlagRow,
    EscalationRow,
    RefusalNoticeRow,
    RefusalRow,
)
from knowledge.db.uow import UnitOfWork
from knowledge.errors import AlreadyDone, InvalidInput, state
from knowledge.onboarding import Deadlines
from knowledge.onboarding.cases import reminder_kind
from knowledge.policy import Policy
from knowledge.problems import marked
from knowledge.staff import Actor

_ = marked  # errors people can meet: translated when shown (KnowledgeError.said)


class Ground(StrEnum):
    STATE_SECRET = "state_secret"
    COMMERCIAL_SECRET = "commercial_secret"
    OTHER_SECRET = "other_secret"  # another secret protected by law
    PLAIN = "plain"  # no lawful ground: a reason is given


LAWFUL_WITHHOLDING: Final = frozenset({Ground.STATE_SECRET, Ground.COMMERCIAL_SECRET,
                                       Ground.OTHER_SECRET})


def bound_by_para_12(policy: Policy, kind: str | None) -> bool:
    """Whether an agency of this kind is held to para 12 under the policy; one whose kind
    the registry does not know is taken for a state body (the Rules' usual case)."""
    return policy.switched_on(f"refusal_binds_{kind or 'central'}")


def counted_grounds(policy: Policy) -> frozenset[Ground]:
    """The grounds that count towards para 12's threshold under the policy."""
    if policy.switched_on("refusal_withholding_counts"):
        return frozenset(Ground)
    return frozenset({Ground.PLAIN})


class RefusalStatus(StrEnum):
    PENDING = "pending"  # waits for an operator
    CONFIRMED = "confirmed"
    REJECTED = "rejected"  # the operator found it was not a refusal


class NoticeStatus(StrEnum):
    OPEN = "open"
    SENT = "sent"


class RefusalError(InvalidInput):
    """A refusal or a notice that cannot be acted on as asked."""


class RefusalDone(RefusalError, AlreadyDone):
    """The review or the sending was recorded already (a button pressed twice)."""


@dataclass(frozen=True, slots=True)
class Refusal:
    id: int
    reference: str
    agency_id: int
    agency_code: str
    ground: str
    request_text: str
    reply_text: str | None
    requested_on: date | None
    refused_on: date
    refused_by: str
    status: str
    notice_id: int | None


@dataclass(frozen=True, slots=True)
class Notice:
    id: int
    agency_id: int
    agency_code: str
    agency_name_kk: str | None
    agency_name_ru: str | None
    window_start: date
    window_end: date
    reached_on: date
    due_on: date
    status: str
    sent_on: date | None
    sent_via: str | None
    refusals: tuple[Refusal, ...]
    agency_kind: str | None = None  # the registry's kind: "provider" is not a state body

    @property
    def late(self) -> bool:
        """Sent after its due day: the rule's three working days were missed."""
        return self.sent_on is not None and self.sent_on > self.due_on

    def overdue(self, today: date) -> bool:
        """Not sent, and its due day has passed."""
        return self.sent_on is None and today > self.due_on


@dataclass(frozen=True, slots=True)
class NoticeReminder:
    notice: Notice
    kind: str  # day_before, due_day, overdue
    due_on: date


# ---- months


def add_months(day: date, n: int) -> date:
    """The same date ``n`` months later (or earlier), on the month's last day when shorter."""
    index = day.year * 12 + day.month - 1 + n
    year, month = divmod(index, 12)
    last = months.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_bounds(day: date, n: int = 1) -> tuple[date, date]:
    """The calendar month of ``day`` (and the ``n - 1`` after it): first and last day."""
    first = day.replace(day=1)
    return first, add_months(first, n) - timedelta(days=1)


# ---- recording and reviewing


async def record_refusal(
    uow: UnitOfWork, escalation: EscalationRow, ground: Ground, reason: str | None, *,
    by: str, on: date, clock: Clock, deadlines: Deadlines,
) -> Refusal:
    """Keep a refusal with its request and reply (staged): pending an operator, or, when
    the policy asks no confirmation, counted at once and para 12 evaluated (the notice it
    made or joined is the refusal's ``notice_id``)."""
    assert escalation.agency_id is not None
    confirming = deadlines.policy.switched_on("refusal_confirmation")
    row = RefusalRow(
        escalation_id=escalation.id, agency_id=escalation.agency_id, ground=ground,
        request_text=escalation.text, reply_text=reason, requested_on=escalation.routed_on,
        refused_on=on, refused_by=by, created_at=clock.now(),
        status=RefusalStatus.PENDING if confirming else RefusalStatus.CONFIRMED)
    uow.session.add(row)
    await uow.session.flush()
    if not confirming:
        await evaluate(uow, row, deadlines, clock)
    return await _refusal_view(uow, row)


async def refusals(
    uow: UnitOfWork, actor: Actor, *, status: str | None = None,
    agency_code: str | None = None, newest_first: bool = False, limit: int | None = None,
) -> list[Refusal]:
    """Refusals the actor may see (an agency its own), oldest first (or newest first), at
    most ``limit``."""
    query = select(RefusalRow).order_by(RefusalRow.refused_on, RefusalRow.id)
    if newest_first:
        query = select(RefusalRow).order_by(RefusalRow.refused_on.desc(),
                                            RefusalRow.id.desc())
    if limit is not None:
        query = query.limit(limit)
    if status is not None:
        query = query.where(RefusalRow.status == status)
    if agency_code is not None:
        agency = await _agency(uow, agency_code)
        actor.require_agency(agency.id)
        query = query.where(RefusalRow.agency_id == agency.id)
    elif not actor.of_center:
        query = query.where(RefusalRow.agency_id == actor.agency_id)
    return [await _refusal_view(uow, row) for row in await uow.session.scalars(query)]


async def confirm(
    uow: UnitOfWork, refusal_id: int, *, actor: Actor, clock: Clock, deadlines: Deadlines,
) -> tuple[Refusal, Notice | None]:
    """An operator confirms a refusal: from now on it counts, and para 12 is evaluated
    (staged). The notice it created or joined, if any."""
    actor.require_center()
    row = await _refusal_row(uow, refusal_id)
    _require_pending(row, done=RefusalStatus.CONFIRMED)
    row.status, row.reviewed_by, row.reviewed_at = (RefusalStatus.CONFIRMED,
                                                    f"{actor.role}:{actor.name}", clock.now())
    await uow.session.flush()
    notice = await evaluate(uow, row, deadlines, clock)
    return await _refusal_view(uow, row), notice


async def reject(uow: UnitOfWork, refusal_id: int, *, actor: Actor, clock: Clock) -> Refusal:
    """The operator finds it was not a refusal (kept, never counted)."""
    actor.require_center()
    row = await _refusal_row(uow, refusal_id)
    _require_pending(row, done=RefusalStatus.REJECTED)
    row.status, row.reviewed_by, row.reviewed_at = (RefusalStatus.REJECTED,
                                                    f"{actor.role}:{actor.name}", clock.now())
    return await _refusal_view(uow, row)


def _require_pending(row: RefusalRow, *, done: RefusalStatus) -> None:
    """Waiting for review; ``done``: the review asked for, recorded already."""
    if row.status == done:
        raise RefusalDone.said(_("refusal #{id} is {status} already"), id=row.id,
                               status=state(row.status))
    if row.status != RefusalStatus.PENDING:
        raise RefusalError.said(_("refusal #{id} is {status} already"), id=row.id,
                                status=state(row.status))


# ---- the rule of para 12


def windows_for(day: date, starts: list[date], unit: str, value: int) -> list[tuple[date, date]]:
    """The windows a refusal on ``day`` may fall in, earliest first: each rolling month that
    starts on a counted refusal's date and reaches ``day``, or the calendar month."""
    if unit == "calendar_month":
        return [month_bounds(day, value)]
    return [(start, add_months(start, value)) for start in sorted(set(starts))
            if start <= day <= add_months(start, value)]


async def evaluate(
    uow: UnitOfWork, refusal: RefusalRow, deadlines: Deadlines, clock: Clock,
) -> Notice | None:
    """Para 12 for one newly counted refusal: join the agency's open notice covering it, or
    open one when the refusals of a window reach the threshold (staged)."""
    policy = deadlines.policy
    grounds = counted_grounds(policy)
    if refusal.ground not in grounds or refusal.status != RefusalStatus.CONFIRMED:
        return None
    agency = await uow.session.get(AgencyRow, refusal.agency_id)
    if not bound_by_para_12(policy, agency.kind if agency is not None else None):
        return None
    day = refusal.refused_on
    open_notice = await uow.session.scalar(select(RefusalNoticeRow).where(
        RefusalNoticeRow.agency_id == refusal.agency_id,
        RefusalNoticeRow.status == NoticeStatus.OPEN,
        RefusalNoticeRow.window_start <= day, RefusalNoticeRow.window_end >= day,
    ).order_by(RefusalNoticeRow.id).limit(1))
    if open_notice is not None:
        refusal.notice_id = open_notice.id
        await uow.session.flush()
        return await notice_view(uow, open_notice)
    window = policy.rule("refusal_window")
    threshold = policy.rule("refusal_threshold").value
    counted = (await uow.session.scalars(select(RefusalRow).where(
        RefusalRow.agency_id == refusal.agency_id, RefusalRow.ground.in_(grounds),
        RefusalRow.status == RefusalStatus.CONFIRMED, RefusalRow.notice_id.is_(None),
        RefusalRow.refused_on >= add_months(day, -window.value - 1),
        RefusalRow.refused_on <= add_months(day, window.value + 1),
    ).order_by(RefusalRow.refused_on, RefusalRow.id))).all()
    for start, end in windows_for(day, [r.refused_on for r in counted], window.unit,
                                  window.value):
        inside = [r for r in counted if start <= r.refused_on <= end]
        if len(inside) < threshold or refusal not in inside:
            continue
        reached = inside[threshold - 1].refused_on
        notice = RefusalNoticeRow(
            agency_id=refusal.agency_id, window_start=start, window_end=end,
            reached_on=reached, due_on=policy.due("refusal_notice", reached, deadlines.calendar),
            status=NoticeStatus.OPEN, created_at=clock.now())
        uow.session.add(notice)
        await uow.session.flush()
        for row in inside:
            row.notice_id = notice.id
        await uow.session.flush()
        return await notice_view(uow, notice)
    return None


# ---- notices


async def notices(uow: UnitOfWork, actor: Actor, *, open_only: bool = False) -> list[Notice]:
    actor.require_center()
    query = select(RefusalNoticeRow).order_by(RefusalNoticeRow.due_on, RefusalNoticeRow.id)
    if open_only:
        query = query.where(RefusalNoticeRow.status == NoticeStatus.OPEN)
    return [await notice_view(uow, row) for row in await uow.session.scalars(query)]


async def notice(uow: UnitOfWork, notice_id: int, actor: Actor) -> Notice:
    actor.require_center()
    return await notice_view(uow, await _notice_row(uow, notice_id))


async def mark_sent(
    uow: UnitOfWork, notice_id: int, *, via: str, on: date, actor: Actor, clock: Clock,
) -> Notice:
    """The notice went to the quality-control body (by e-mail, or by hand); staged."""
    actor.require_center()
    row = await _notice_row(uow, notice_id)
    if row.status == NoticeStatus.SENT:
        raise RefusalDone.said(_("notice #{id} was sent already on {day}"), id=notice_id,
                               day=str(row.sent_on))
    row.status, row.sent_on, row.sent_via = NoticeStatus.SENT, on, via
    row.sent_at, row.sent_by = clock.now(), f"{actor.role}:{actor.name}"
    return await notice_view(uow, row)


async def fire_notice_reminders(
    uow: UnitOfWork, today: date, calendar: WorkCalendar, clock: Clock,
) -> list[NoticeReminder]:
    """Unsent notices: the working day before, the due day, and one late flag; each once."""
    rows = (await uow.session.scalars(select(RefusalNoticeRow).where(
        RefusalNoticeRow.status == NoticeStatus.OPEN))).all()
    fired = []
    for row in rows:
        kind = reminder_kind(row.due_on, today, calendar)
        if kind is None or await _fired(uow, "refusal_notice", row.id, kind):
            continue
        uow.session.add(DeadlineFlagRow(subject="refusal_notice", subject_id=row.id,
                                        kind=kind, due_on=row.due_on, fired_at=clock.now()))
        fired.append(NoticeReminder(await notice_view(uow, row), kind, row.due_on))
    await uow.session.flush()
    return fired


async def _fired(uow: UnitOfWork, subject: str, subject_id: int, kind: str) -> bool:
    found = await uow.session.scalar(select(DeadlineFlagRow.id).where(
        DeadlineFlagRow.subject == subject, DeadlineFlagRow.subject_id == subject_id,
        DeadlineFlagRow.kind == kind))
    return found is not None


# ---- views


async def _agency(uow: UnitOfWork, code: str) -> AgencyRow:
    row: AgencyRow | None = await uow.session.scalar(
        select(AgencyRow).where(AgencyRow.code == code))
    if row is None:
        raise RefusalError.said(_("no agency with code {code}"), code=repr(code))
    return row


async def _refusal_row(uow: UnitOfWork, refusal_id: int) -> RefusalRow:
    row = await uow.session.get(RefusalRow, refusal_id)
    if row is None:
        raise RefusalError.said(_("no refusal #{id}"), id=refusal_id)
    return row


async def _notice_row(uow: UnitOfWork, notice_id: int) -> RefusalNoticeRow:
    row = await uow.session.get(RefusalNoticeRow, notice_id)
    if row is None:
        raise RefusalError.said(_("no notice #{id}"), id=notice_id)
    return row


async def _refusal_view(uow: UnitOfWork, row: RefusalRow) -> Refusal:
    agency = await uow.session.get(AgencyRow, row.agency_id)
    escalation = await uow.session.get(EscalationRow, row.escalation_id)
    return Refusal(
        row.id, (escalation.reference or "") if escalation else "", row.agency_id,
        agency.code if agency else "?", row.ground, row.request_text, row.reply_text,
        row.requested_on, row.refused_on, row.refused_by, row.status, row.notice_id)


async def notice_view(uow: UnitOfWork, row: RefusalNoticeRow) -> Notice:
    agency = await uow.session.get(AgencyRow, row.agency_id)
    members = await uow.session.scalars(select(RefusalRow).where(
        RefusalRow.notice_id == row.id).order_by(RefusalRow.refused_on, RefusalRow.id))
    return Notice(
        row.id, row.agency_id, agency.code if agency else "?",
        agency.name_kk if agency else None, agency.name_ru if agency else None,
        row.window_start, row.window_end, row.reached_on, row.due_on, row.status,
        row.sent_on, row.sent_via, tuple([await _refusal_view(uow, r) for r in members]),
        agency.kind if agency else None)
