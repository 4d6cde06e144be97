"""The monthly analytical report (002 p.14): due by the 5th of the next month (earlier
when that is not a working day), to the quality-control body (all of it) and to each
agency (its own slice). Kept as generated: a month's report is never rewritten, so a
discrepancy can be explained later (002 p.16).

The figures per agency: questions received (the question log: the agency of the answered
entry or of the best candidate), answered by the bot, clarified; escalated (routed to the
agency in the month); answered by the agency in the month, on time or late against each
question's due date; refused by ground; the median working days from routing to answer;
feedback 👍/👎 on the agency's entries; the most frequent unanswered questions.
"""

from __future__ import annotations

import hashlib
import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Final

from sqlalchemy import select

from knowledge.calendar import KAZAKHSTAN, WorkCalendar
from knowledge.clock import Clock
from knowledge.curation import group_unanswered
from knowledge.db.tables import (
    AgencyRow,
    EntryRow,
    EscalationRow,
    FeedbackRow,
    MonthlyReportFileRow,
    MonthlyReportRow,
    QuestionLogRow,
    RefusalRow,
    ServiceRow,
    UnansweredRow,
)
from knowledge.db.uow import UnitOfWork
from knowledge.errors import InvalidInput
from knowledge.onboarding import Deadlines
from knowledge.refusals import Ground, RefusalStatus, add_months
from knowledge.reports.files import report_csv_files, report_xlsx
from knowledge.reports.register import ComplaintSource, RegisterRow, no_complaints
from knowledge.staff import Actor

TRIAGE: Final = "-"  # the row of questions no agency was found for
TOP_TOPICS: Final = 10
ALL: Final = "all"


class ReportError(InvalidInput):
    """A report that cannot be made or read as asked."""


@dataclass(slots=True)
class AgencyFigures:
    agency: str
    questions: int = 0
    answered_by_bot: int = 0
    clarified: int = 0
    escalated: int = 0
    answered_on_time: int = 0
    answered_late: int = 0
    refused: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Ground, 0))
    median_working_days: float | None = None
    feedback_up: int = 0
    feedback_down: int = 0


@dataclass(frozen=True, slots=True)
class Topic:
    agency: str
    text: str
    count: int


@dataclass(frozen=True, slots=True)
class ReportFile:
    recipient: str  # "all" (the quality-control body) or an agency's code
    filename: str
    content_type: str
    data: bytes
    sha256: str


@dataclass(frozen=True, slots=True)
class MonthlyReport:
    id: int
    month: date
    due_on: date
    generated_on: date
    figures: dict[str, Any]
    files: tuple[ReportFile, ...]

    @property
    def late(self) -> bool:
        return self.generated_on > self.due_on


def month_of(text: str) -> date:
    """'2026-10' -> 1 October 2026."""
    try:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        raise ReportError(f"{text!r} is not a month (YYYY-MM)") from None


def _bounds(month: date) -> tuple[datetime, datetime]:
    """The month in Kazakhstan's time, as UTC instants (how the times are stored)."""
    start = datetime(month.year, month.month, 1, tzinfo=KAZAKHSTAN)
    nxt = add_months(month, 1)
    end = datetime(nxt.year, nxt.month, 1, tzinfo=KAZAKHSTAN)
    return start.astimezone(UTC), end.astimezone(UTC)


async def compute_figures(
    uow: UnitOfWork, month: date, calendar: WorkCalendar,
) -> tuple[list[AgencyFigures], list[Topic]]:
    """The month's figures per agency (the triage row last, as ``-``) and top topics."""
    month = month.replace(day=1)
    start, end = _bounds(month)
    last_day = add_months(month, 1)
    agencies = {row.id: row.code for row in await uow.session.scalars(
        select(AgencyRow).order_by(AgencyRow.position))}
    figures = {code: AgencyFigures(code) for code in agencies.values()}

    def of(code: str | None) -> AgencyFigures:
        key = code or TRIAGE
        return figures.setdefault(key, AgencyFigures(key))

    await uow.flush_staged()
    for log in await uow.session.scalars(select(QuestionLogRow).where(
            QuestionLogRow.at >= start, QuestionLogRow.at < end)):
        item = of(log.agency)
        item.questions += 1
        item.answered_by_bot += log.decision == "answer"
        item.clarified += log.decision == "clarify"
    for row in await uow.session.scalars(select(EscalationRow).where(
            EscalationRow.created_at >= start, EscalationRow.created_at < end)):
        of(agencies.get(row.agency_id or 0)).escalated += 1
    days: dict[str, list[int]] = defaultdict(list)
    for row in await uow.session.scalars(select(EscalationRow).where(
            EscalationRow.status == "answered", EscalationRow.agency_id.is_not(None),
            EscalationRow.entry_key.is_(None), EscalationRow.resolved_on >= month,
            EscalationRow.resolved_on < last_day)):
        item = of(agencies.get(row.agency_id or 0))
        assert row.resolved_on is not None
        if row.due_on is None or row.resolved_on <= row.due_on:
            item.answered_on_time += 1
        else:
            item.answered_late += 1
        if row.routed_on is not None:
            days[item.agency].append(calendar.working_days_between(row.routed_on,
                                                                   row.resolved_on))
    for code, values in days.items():
        figures[code].median_working_days = float(statistics.median(values))
    for refusal in await uow.session.scalars(select(RefusalRow).where(
            RefusalRow.refused_on >= month, RefusalRow.refused_on < last_day,
            RefusalRow.status != RefusalStatus.REJECTED)):
        refused = of(agencies.get(refusal.agency_id)).refused
        refused[refusal.ground] = refused.get(refusal.ground, 0) + 1
    entry_agency = await _entry_agencies(uow)
    for fb in await uow.session.scalars(select(FeedbackRow).where(
            FeedbackRow.at >= start, FeedbackRow.at < end)):
        item = of(entry_agency.get(fb.entry_key))
        item.feedback_up += fb.helpful
        item.feedback_down += not fb.helpful
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
    ordered = [f for code, f in figures.items() if code != TRIAGE]
    if TRIAGE in figures:
        ordered.append(figures[TRIAGE])
    return ordered, topics


async def _entry_agencies(uow: UnitOfWork) -> dict[str, str]:
    rows = await uow.session.execute(
        select(EntryRow.key, AgencyRow.code)
        .join(ServiceRow, ServiceRow.id == EntryRow.service_id)
        .join(AgencyRow, AgencyRow.id == ServiceRow.agency_id))
    return dict(rows.tuples().all())


async def generate_monthly_report(
    uow: UnitOfWork, month: date, *, deadlines: Deadlines, clock: Clock,
    complaints: ComplaintSource = no_complaints,
) -> MonthlyReport:
    """The month's report: the stored one when it exists, else made and stored (staged).
    Only a month that is over can be reported."""
    month = month.replace(day=1)
    stored = await _stored(uow, month)
    if stored is not None:
        return stored
    now = clock.now()
    today = now.astimezone(KAZAKHSTAN).date()
    if add_months(month, 1) > today:
        raise ReportError(f"{month:%Y-%m} is not over yet")
    agencies, topics = await compute_figures(uow, month, deadlines.calendar)
    start, end = _bounds(month)
    register = await complaints(uow, start, end)
    due = deadlines.policy.monthly_due("monthly_report", month, deadlines.calendar)
    figures = {"agencies": [asdict(a) for a in agencies],
               "topics": [asdict(t) for t in topics]}
    row = MonthlyReportRow(month=month, due_on=due, generated_at=now, generated_on=today,
                           figures=figures)
    uow.session.add(row)
    await uow.session.flush()
    for recipient, agency_filter in [(ALL, None), *((a.agency, a.agency) for a in agencies
                                                    if a.agency != TRIAGE)]:
        for filename, content_type, data in _files(month, recipient, agency_filter, agencies,
                                                   topics=topics, register=register):
            uow.session.add(MonthlyReportFileRow(
                report_id=row.id, recipient=recipient, filename=filename,
                content_type=content_type, data=data,
                sha256=hashlib.sha256(data).hexdigest()))
    await uow.session.flush()
    report = await _stored(uow, month)
    assert report is not None
    return report


def _files(
    month: date, recipient: str, agency: str | None, agencies: list[AgencyFigures], *,
    topics: list[Topic], register: list[RegisterRow],
) -> list[tuple[str, str, bytes]]:
    if agency is not None:
        agencies = [a for a in agencies if a.agency == agency]
        topics = [t for t in topics if t.agency == agency]
        register = [r for r in register if r.agency == agency]
    stem = f"report-{month:%Y-%m}" + ("" if recipient == ALL else f"-{recipient}")
    return [(f"{stem}.xlsx", XLSX, report_xlsx(month, agencies, topics, register)),
            *((f"{stem}-{part}.csv", "text/csv", data)
              for part, data in report_csv_files(agencies, topics, register))]


XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _stored(uow: UnitOfWork, month: date) -> MonthlyReport | None:
    row = await uow.session.scalar(select(MonthlyReportRow).where(
        MonthlyReportRow.month == month))
    if row is None:
        return None
    files = await uow.session.scalars(select(MonthlyReportFileRow).where(
        MonthlyReportFileRow.report_id == row.id).order_by(MonthlyReportFileRow.id))
    return MonthlyReport(row.id, row.month, row.due_on, row.generated_on, dict(row.figures),
                         tuple(ReportFile(f.recipient, f.filename, f.content_type, f.data,
                                          f.sha256) for f in files))


async def report_files(uow: UnitOfWork, month: date, actor: Actor) -> list[ReportFile]:
    """A generated report's files the actor may have: all for the center, an agency's
    own slice for its staff."""
    report = await _stored(uow, month.replace(day=1))
    if report is None:
        raise ReportError(f"no report for {month:%Y-%m} yet")
    if actor.of_center:
        return list(report.files)
    agency = await uow.session.get(AgencyRow, actor.agency_id or 0)
    code = agency.code if agency else None
    return [f for f in report.files if f.recipient == code]


async def produce_due_report(
    uow: UnitOfWork, today: date, *, deadlines: Deadlines, clock: Clock,
    complaints: ComplaintSource = no_complaints,
) -> MonthlyReport | None:
    """The scheduler's part: on the due day (or later, when it was missed) the previous
    month's report is made, once. The new report, or None."""
    month = add_months(today.replace(day=1), -1)
    due = deadlines.policy.monthly_due("monthly_report", month, deadlines.calendar)
    if today < due or await _stored(uow, month) is not None:
        return None
    return await generate_monthly_report(uow, month, deadlines=deadlines, clock=clock,
                                         complaints=complaints)


def counts(figures: list[AgencyFigures]) -> Counter[str]:
    """Totals over agencies (for the summary's last line)."""
    total: Counter[str] = Counter()
    for item in figures:
        for key in ("questions", "answered_by_bot", "clarified", "escalated",
                    "answered_on_time", "answered_late", "feedback_up", "feedback_down"):
            total[key] += getattr(item, key)
        for ground, n in item.refused.items():
            total[f"refused_{ground}"] += n
    return total
