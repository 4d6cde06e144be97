"""The monthly report's figures per agency (002 p.14), counted from what the month recorded.

Questions received (the question log: the agency of the answered entry or of the best
candidate), answered by the bot, clarified; escalated (routed to the agency in the month);
answered by the agency in the month, on time or late against each question's due date;
refused by ground; the median working days from routing to answer; feedback 👍/👎 on the
agency's entries; overdue (questions whose term ran out in the month before the agency
answered); the most frequent unanswered questions.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from typing import Any, Final

from sqlalchemy import select

from knowledge.calendar import KAZAKHSTAN, WorkCalendar
from knowledge.curation import group_unanswered
from knowledge.db.tables import (
    AgencyRow,
    EntryRow,
    EscalationRow,
    FeedbackRow,
    QuestionLogRow,
    RefusalRow,
    ServiceRow,
    UnansweredRow,
)
from knowledge.db.uow import UnitOfWork
from knowledge.refusals import Ground, RefusalStatus, add_months

TRIAGE: Final = "-"  # the row of questions no agency was found for
TOP_TOPICS: Final = 10


@dataclass(slots=True)
class AgencyFigures:
    agency: str
    questions: int = 0
    answered_by_bot: int = 0
    clarified: int = 0
    escalated: int = 0
    answered_on_time: int = 0
    answered_late: int = 0
    overdue: int = 0
    refused: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Ground, 0))
    median_working_days: float | None = None
    feedback_up: int = 0
    feedback_down: int = 0

    @property
    def answered_by_agency(self) -> int:
        return self.answered_on_time + self.answered_late

    @property
    def refused_total(self) -> int:
        return sum(self.refused.values())

    @classmethod
    def stored(cls, figures: dict[str, Any]) -> AgencyFigures:
        """As a stored report keeps them (a figure it predates reads 0)."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in figures.items() if k in known})


@dataclass(frozen=True, slots=True)
class Topic:
    agency: str
    text: str
    count: int


def month_instants(month: date) -> tuple[datetime, datetime]:
    """The month in Kazakhstan's time, as UTC instants (how the times are stored)."""
    start = datetime(month.year, month.month, 1, tzinfo=KAZAKHSTAN)
    nxt = add_months(month, 1)
    end = datetime(nxt.year, nxt.month, 1, tzinfo=KAZAKHSTAN)
    return start.astimezone(UTC), end.astimezone(UTC)


class _Figures:
    """The figures by agency code: every agency in its order, then a row for any other
    code counted (no code: the triage row)."""

    def __init__(self, agencies: dict[int, str]) -> None:
        self.agencies = agencies  # id -> code
        self.rows = {code: AgencyFigures(code) for code in agencies.values()}

    def of(self, code: str | None) -> AgencyFigures:
        key = code or TRIAGE
        return self.rows.setdefault(key, AgencyFigures(key))

    def of_agency(self, agency_id: int | None) -> AgencyFigures:
        return self.of(self.agencies.get(agency_id or 0))

    def ordered(self) -> list[AgencyFigures]:
        """The agencies' rows, the triage row last."""
        ordered = [f for code, f in self.rows.items() if code != TRIAGE]
        if TRIAGE in self.rows:
            ordered.append(self.rows[TRIAGE])
        return ordered


async def compute_figures(
    uow: UnitOfWork, month: date, calendar: WorkCalendar,
) -> tuple[list[AgencyFigures], list[Topic]]:
    """The month's figures per agency (the triage row last, as ``-``) and top topics."""
    month = month.replace(day=1)
    start, end = month_instants(month)
    figures = _Figures({row.id: row.code for row in await uow.session.scalars(
        select(AgencyRow).order_by(AgencyRow.position))})
    await uow.flush_staged()
    await _count_questions(uow, figures, start, end)
    await _count_escalated(uow, figures, start, end)
    await _count_answered(uow, figures, month, calendar)
    await _count_refused(uow, figures, month)
    await _count_overdue(uow, figures, month)
    entry_agency = await _entry_agencies(uow)
    await _count_feedback(uow, figures, entry_agency, start, end)
    topics = await _top_topics(uow, entry_agency, start, end)
    return figures.ordered(), topics


async def _count_questions(
    uow: UnitOfWork, figures: _Figures, start: datetime, end: datetime
) -> None:
    for log in await uow.session.scalars(select(QuestionLogRow).where(
            QuestionLogRow.at >= start, QuestionLogRow.at < end)):
        item = figures.of(log.agency)
        item.questions += 1
        item.answered_by_bot += log.decision == "answer"
        item.clarified += log.decision == "clarify"


async def _count_escalated(
    uow: UnitOfWork, figures: _Figures, start: datetime, end: datetime
) -> None:
    for row in await uow.session.scalars(select(EscalationRow).where(
            EscalationRow.created_at >= start, EscalationRow.created_at < end)):
        figures.of_agency(row.agency_id).escalated += 1


async def _count_answered(
    uow: UnitOfWork, figures: _Figures, month: date, calendar: WorkCalendar
) -> None:
    """Answered by the agency in the month: on time or late, and the median working days
    from routing to answer."""
    days: dict[str, list[int]] = defaultdict(list)
    for row in await uow.session.scalars(select(EscalationRow).where(
            EscalationRow.status == "answered", EscalationRow.agency_id.is_not(None),
            EscalationRow.entry_key.is_(None), EscalationRow.resolved_on >= month,
            EscalationRow.resolved_on < add_months(month, 1))):
        item = figures.of_agency(row.agency_id)
        assert row.resolved_on is not None
        if row.due_on is None or row.resolved_on <= row.due_on:
            item.answered_on_time += 1
        else:
            item.answered_late += 1
        if row.routed_on is not None:
            days[item.agency].append(calendar.working_days_between(row.routed_on,
                                                                   row.resolved_on))
    for code, values in days.items():
        figures.rows[code].median_working_days = float(statistics.median(values))


async def _count_refused(uow: UnitOfWork, figures: _Figures, month: date) -> None:
    for refusal in await uow.session.scalars(select(RefusalRow).where(
            RefusalRow.refused_on >= month, RefusalRow.refused_on < add_months(month, 1),
            RefusalRow.status != RefusalStatus.REJECTED)):
        refused = figures.of_agency(refusal.agency_id).refused
        refused[refusal.ground] = refused.get(refusal.ground, 0) + 1


async def _count_overdue(uow: UnitOfWork, figures: _Figures, month: date) -> None:
    """Questions whose due day fell in the month and passed with no answer or refusal
    from the agency (late, or none yet)."""
    for row in await uow.session.scalars(select(EscalationRow).where(
            EscalationRow.agency_id.is_not(None), EscalationRow.due_on >= month,
            EscalationRow.due_on < add_months(month, 1))):
        assert row.due_on is not None
        if row.resolved_on is None or row.resolved_on > row.due_on:
            figures.of_agency(row.agency_id).overdue += 1


async def _count_feedback(
    uow: UnitOfWork, figures: _Figures, entry_agency: dict[str, str], start: datetime,
    end: datetime,
) -> None:
    for fb in await uow.session.scalars(select(FeedbackRow).where(
            FeedbackRow.at >= start, FeedbackRow.at < end)):
        item = figures.of(entry_agency.get(fb.entry_key))
        item.feedback_up += fb.helpful
        item.feedback_down += not fb.helpful


async def _top_topics(
    uow: UnitOfWork, entry_agency: dict[str, str], start: datetime, end: datetime
) -> list[Topic]:
    """The most frequent unanswered questions of each agency (of the best candidate)."""
    unanswered = (await uow.session.scalars(select(UnansweredRow).where(
        UnansweredRow.created_at >= start, UnansweredRow.created_at < end))).all()
    by_agency: dict[str, list[UnansweredRow]] = defaultdict(list)
    for question in unanswered:
        best = question.candidates[0]["entry"] if question.candidates else None
        by_agency[entry_agency.get(best or "") or TRIAGE].append(question)
    topics = [Topic(code, group.text, group.count)
              for code, rows in by_agency.items()
              for group in group_unanswered(rows)[:TOP_TOPICS]]
    topics.sort(key=lambda t: (-t.count, t.agency, t.text))
    return topics


async def _entry_agencies(uow: UnitOfWork) -> dict[str, str]:
    rows = await uow.session.execute(
        select(EntryRow.key, AgencyRow.code)
        .join(ServiceRow, ServiceRow.id == EntryRow.service_id)
        .join(AgencyRow, AgencyRow.id == ServiceRow.agency_id))
    return dict(rows.tuples().all())


def counts(figures: list[AgencyFigures]) -> Counter[str]:
    """Totals over agencies (for the summary's last line)."""
    total: Counter[str] = Counter()
    for item in figures:
        for key in ("questions", "answered_by_bot", "clarified", "escalated",
                    "answered_on_time", "answered_late", "overdue", "feedback_up",
                    "feedback_down"):
            total[key] += getattr(item, key)
        for ground, n in item.refused.items():
            total[f"refused_{ground}"] += n
    return total
