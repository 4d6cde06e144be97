"""The monthly analytical report (002 p.14): made once, on its due working day, and mailed
to the quality-control body (all of it) and to each agency (its slice). Without the body's
address (``UCC_QC_EMAIL``) its letter waits in the outbox, operators and administrators are
told once, and it goes on the first run after the address is set."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from bot.app import App
from bot.notify.quality import queue_report_emails, release_held_letters, report_held_text
from knowledge.complaints import complaint_register
from knowledge.db.uow import UnitOfWork
from knowledge.onboarding.notices import center_staff
from knowledge.reports import MonthlyReport, produce_due_report

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ReportTick:
    report: MonthlyReport | None = None
    sent_to: list[str] = field(default_factory=list)
    held: bool = False  # the quality-control body's letter waits for UCC_QC_EMAIL
    released: int = 0  # letters that waited for UCC_QC_EMAIL, due now

    @property
    def queued(self) -> bool:
        return bool(self.sent_to or self.held or self.released)


class MonthlyReportJob:
    name = "monthly-report"

    def __init__(self, app: App) -> None:
        self.app = app

    async def tick(self, uow: UnitOfWork, today: date) -> ReportTick:
        qc_email, clock = self.app.settings.qc_email, self.app.clock
        released = await release_held_letters(uow, qc_email, clock=clock) if qc_email else 0
        if released:
            log.info("%d letter(s) to the quality-control body that waited for UCC_QC_EMAIL "
                     "queued for sending", released)
        report = await produce_due_report(uow, today, deadlines=self.app.deadlines,
                                          clock=clock, complaints=complaint_register)
        if report is None:
            return ReportTick(released=released)
        letters = await queue_report_emails(uow, report, qc_email, clock=clock)
        month = f"{report.month:%Y-%m}"
        if letters.held:
            log.warning("monthly report %s made; UCC_QC_EMAIL is not set: its letter to the "
                        "quality-control body waits in the outbox", month)
            self.app.notifier.staff(uow, await center_staff(uow), report_held_text(report))
        log.info("monthly report %s made, queued for %d address(es)", month,
                 len(letters.sent_to))
        return ReportTick(report, letters.sent_to, letters.held, released)
