"""The monthly analytical report (002 p.14): made once, on its due working day, and mailed
to the quality-control body (all of it) and to each agency (its slice)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from bot.app import App
from bot.notify.quality import queue_report_emails
from knowledge.complaints import complaint_register
from knowledge.db.uow import UnitOfWork
from knowledge.reports import MonthlyReport, produce_due_report

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ReportTick:
    report: MonthlyReport | None = None
    sent_to: list[str] = field(default_factory=list)

    @property
    def queued(self) -> bool:
        return bool(self.sent_to)


class MonthlyReportJob:
    name = "monthly-report"

    def __init__(self, app: App) -> None:
        self.app = app

    async def tick(self, uow: UnitOfWork, today: date) -> ReportTick:
        report = await produce_due_report(uow, today, deadlines=self.app.deadlines,
                                          clock=self.app.clock, complaints=complaint_register)
        if report is None:
            return ReportTick()
        sent_to = await queue_report_emails(uow, report, self.app.settings.qc_email,
                                            clock=self.app.clock)
        log.info("monthly report %s made, sent to %d address(es)", f"{report.month:%Y-%m}",
                 len(sent_to))
        return ReportTick(report, sent_to)
