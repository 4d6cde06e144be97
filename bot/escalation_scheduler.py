"""The escalation queue's clockwork: replies passed on, reminders and overdue flags, the
citizens' status messages, late refusal notices, and the monthly report on its due day.

Idempotent like the onboarding scheduler: every flag is a row written once, a reply is
marked passed on in the transaction that queues it, and a month's report is made once.
``ucc escalations tick`` runs the same from cron; the bot's runner may run ``run``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from bot.app import App
from bot.channels.email.sender import queue_email
from bot.channels.telegram.render import quote
from bot.channels.telegram.replies import plain_message
from bot.escalation_delivery import deliver_pending, enqueue_deliveries
from bot.i18n import in_both_languages, marked
from bot.quality_mail import queue_report_emails
from knowledge.calendar import local_today
from knowledge.db.uow import UnitOfWork
from knowledge.escalations import EscalationReminder, fire_escalation_reminders
from knowledge.onboarding.notices import Recipient, center_staff
from knowledge.outbox import enqueue
from knowledge.refusals import NoticeReminder, fire_notice_reminders
from knowledge.reports import MonthlyReport, produce_due_report

log = logging.getLogger(__name__)
TICK_S: Final = 60.0

_ = marked

ESCALATION_TEXTS: Final = {
    "new": _("New question {reference} in the queue of {agency}, due {due}: /esc {reference}"),
    "day_before": _("Reminder: question {reference} ({agency}) is due tomorrow, {due}."),
    "due_day": _("Reminder: question {reference} ({agency}) is due today, {due}."),
    "overdue": _("Overdue: question {reference} ({agency}) was due {due}."),
}
NOTICE_TEXTS: Final = {
    "day_before": _("Reminder: the refusal notice on {agency} to the quality-control body is "
                    "due tomorrow, {due}."),
    "due_day": _("Reminder: the refusal notice on {agency} to the quality-control body is "
                 "due today, {due}."),
    "overdue": _("Late: the refusal notice on {agency} to the quality-control body was due "
                 "{due} and is not sent."),
}


@dataclass(slots=True)
class TickResult:
    delivered: int = 0
    reminders: list[EscalationReminder] = field(default_factory=list)
    notices: list[NoticeReminder] = field(default_factory=list)
    report: MonthlyReport | None = None
    report_sent_to: list[str] = field(default_factory=list)


class EscalationScheduler:
    def __init__(self, app: App) -> None:
        self.app = app

    async def tick(self, today: date | None = None) -> TickResult:
        clock, deadlines = self.app.clock, self.app.deadlines
        today = today or local_today(clock.now())
        result = TickResult()
        async with self.app.uow() as uow:
            result.delivered = await deliver_pending(
                uow, clock, sms_max_parts=self.app.settings.sms_max_parts)
            result.reminders = await fire_escalation_reminders(uow, today, deadlines, clock)
            for reminder in result.reminders:
                text = in_both_languages(
                    ESCALATION_TEXTS[reminder.kind], reference=reminder.escalation.reference,
                    agency=reminder.escalation.agency_code or "triage",
                    due=reminder.due_on.isoformat())
                self._tell(uow, reminder.staff, text)
                result.delivered += enqueue_deliveries(
                    uow, list(reminder.deliveries), clock,
                    sms_max_parts=self.app.settings.sms_max_parts)
            result.notices = await fire_notice_reminders(uow, today, deadlines.calendar, clock)
            staff = await center_staff(uow) if result.notices else []
            for notice in result.notices:
                text = in_both_languages(NOTICE_TEXTS[notice.kind],
                                         agency=notice.notice.agency_code,
                                         due=notice.due_on.isoformat())
                self._tell(uow, staff, text)
            result.report = await produce_due_report(uow, today, deadlines=deadlines,
                                                     clock=clock)
            if result.report is not None:
                result.report_sent_to = await queue_report_emails(
                    uow, result.report, self.app.settings.qc_email, clock=clock)
            await uow.commit()
        if result.report is not None:
            log.info("monthly report %s made, sent to %d address(es)",
                     f"{result.report.month:%Y-%m}", len(result.report_sent_to))
        return result

    def _tell(self, uow: UnitOfWork, people: Sequence[Recipient], text: str) -> None:
        clock = self.app.clock
        subject = text.split("\n", 1)[0][:150]
        for person in dict.fromkeys(people):
            if person.telegram_user_id is not None:
                enqueue(uow, plain_message(person.telegram_user_id, quote(text)), clock)
            if person.email:
                queue_email(uow, person.email, subject, text, clock=clock)

    async def run(self, stop: asyncio.Event, wakeup: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                result = await self.tick()
                if result.delivered or result.reminders or result.notices:
                    wakeup.set()
            except Exception:  # noqa: BLE001 - a failed run is tried again next time
                log.exception("the escalation scheduler failed; trying again")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), TICK_S)
