"""The monthly analytical report (002 p.14): due by the 5th of the next month (earlier
when that is not a working day), to the quality-control body (all of it) and to each
agency (its own slice), one workbook each. Kept as generated: a month's report is never
rewritten, so a discrepancy can be explained later (002 p.16). Its figures:
``knowledge.reports.figures``; its workbook: ``knowledge.reports.files``.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Final

from sqlalchemy import select

from knowledge.calendar import KAZAKHSTAN
from knowledge.clock import Clock
from knowledge.db.tables import AgencyRow, MonthlyReportFileRow, MonthlyReportRow
from knowledge.db.uow import UnitOfWork
from knowledge.errors import InvalidInput
from knowledge.onboarding import Deadlines
from knowledge.problems import marked
from knowledge.refusals import add_months
from knowledge.reports.figures import (
    TRIAGE,
    AgencyFigures,
    Topic,
    compute_figures,
    month_instants,
)
from knowledge.reports.files import Names, report_xlsx
from knowledge.reports.register import ComplaintSource, RegisterRow, no_complaints
from knowledge.staff import Actor

_ = marked  # errors people can meet: translated when shown (KnowledgeError.said)

ALL: Final = "all"


class ReportError(InvalidInput):
    """A report that cannot be made or read as asked."""


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
        raise ReportError.said(_("{text} is not a month (YYYY-MM)"), text=repr(text)) from None


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
        raise ReportError.said(_("{month} is not over yet"), month=f"{month:%Y-%m}")
    agencies, topics = await compute_figures(uow, month, deadlines.calendar)
    names = {row.code: (row.name_kk, row.name_ru)
             for row in await uow.session.scalars(select(AgencyRow))}
    last = await _stored(uow, add_months(month, -1))
    previous = ([AgencyFigures.stored(a) for a in last.figures["agencies"]]
                if last is not None else None)
    start, end = month_instants(month)
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
        filename, data = _workbook(month, recipient, agency_filter, agencies, topics=topics,
                                   register=register, names=names, previous=previous)
        uow.session.add(MonthlyReportFileRow(
            report_id=row.id, recipient=recipient, filename=filename, content_type=XLSX,
            data=data, sha256=hashlib.sha256(data).hexdigest()))
    await uow.session.flush()
    report = await _stored(uow, month)
    assert report is not None
    return report


def _workbook(
    month: date, recipient: str, agency: str | None, agencies: list[AgencyFigures], *,
    topics: list[Topic], register: list[RegisterRow], names: Names,
    previous: list[AgencyFigures] | None,
) -> tuple[str, bytes]:
    """The recipient's one workbook: the whole, or the agency's slice of every part."""
    if agency is not None:
        agencies = [a for a in agencies if a.agency == agency]
        topics = [t for t in topics if t.agency == agency]
        register = [r for r in register if r.agency == agency]
        if previous is not None:
            previous = [a for a in previous if a.agency == agency]
    stem = f"report-{month:%Y-%m}" + ("" if recipient == ALL else f"-{recipient}")
    return f"{stem}.xlsx", report_xlsx(month, agencies, topics, register, names=names,
                                       previous=previous)


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
        raise ReportError.said(_("no report for {month} yet"), month=f"{month:%Y-%m}")
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

