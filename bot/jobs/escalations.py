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
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Final

from bot.app import App
from bot.channels.email.sender import queue_email
from bot.channels.telegram.render import quote
from bot.channels.telegram.replies import plain_message
from bot.notify.escalations import deliver_pending, enqueue_deliveries
from bot.notify.quality import queue_report_emails
from bot.texts.i18n import in_both_languages, marked
from knowledge.calendar import local_today
from knowledge.clock import Clock
from knowledge.complaints import complaint_register
from knowledge.db.locks import JOBS, try_lock
from knowledge.db.uow import UnitOfWork
from knowledge.escalations import EscalationReminder, fire_escalation_reminders
from knowledge.onboarding.notices import Recipient, center_staff
from knowledge.outbox import enqueue
from knowledge.privacy import purge_older_than
from knowledge.refusals import NoticeReminder, fire_notice_reminders
from knowledge.reports import MonthlyReport, produce_due_report

log = logging.getLogger(__name__)
TICK_S: Final = 60.0
PURGE_EVERY: Final = timedelta(hours=1)

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


async def run_ticks(
    tick: Callable[[], Awaitable[bool]], stop: asyncio.Event, wakeup: asyncio.Event,
    what: str,
) -> None:
    """Run ``tick`` every TICK_S until stopped; wake the sender when it queued messages."""
    while not stop.is_set():
        try:
            if await tick():
                wakeup.set()
        except Exception:  # noqa: BLE001 - a failed run is tried again next time
            log.exception("the %s scheduler failed; trying again", what)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), TICK_S)


def tell_staff(uow: UnitOfWork, people: Sequence[Recipient], text: str, clock: Clock) -> None:
    """A text for staff in their Telegram chat and by e-mail (each person once)."""
    subject = text.split("\n", 1)[0][:150]
    for person in dict.fromkeys(people):
        if person.telegram_user_id is not None:
            enqueue(uow, plain_message(person.telegram_user_id, quote(text)), clock)
        if person.email:
            queue_email(uow, person.email, subject, text, clock=clock)


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
        self._purged_at: datetime | None = None

    async def tick(self, today: date | None = None) -> TickResult:
        clock, deadlines = self.app.clock, self.app.deadlines
        today = today or local_today(clock.now())
        result = TickResult()
        async with self.app.uow() as uow:
            if not await try_lock(uow, JOBS, "escalations"):
                return result  # another instance is running it now
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
                                                     clock=clock,
                                                     complaints=complaint_register)
            if result.report is not None:
                result.report_sent_to = await queue_report_emails(
                    uow, result.report, self.app.settings.qc_email, clock=clock)
            await uow.commit()
        if result.report is not None:
            log.info("monthly report %s made, sent to %d address(es)",
                     f"{result.report.month:%Y-%m}", len(result.report_sent_to))
        return result

    async def purge(self) -> dict[str, int]:
        """The retention job: conversations older than ``UCC_RETENTION_DAYS`` lose their
        words (at most once an hour)."""
        now = self.app.clock.now()
        if self._purged_at is not None and now - self._purged_at < PURGE_EVERY:
            return {}
        self._purged_at = now
        async with self.app.uow() as uow:
            if not await try_lock(uow, JOBS, "retention"):
                return {}
            done = await purge_older_than(
                uow, now - timedelta(days=self.app.settings.retention_days))
            await uow.commit()
        return done

    def _tell(self, uow: UnitOfWork, people: Sequence[Recipient], text: str) -> None:
        tell_staff(uow, people, text, self.app.clock)

    async def run(self, stop: asyncio.Event, wakeup: asyncio.Event) -> None:
        async def tick() -> bool:
            result = await self.tick()
            await self.purge()
            return bool(result.delivered or result.reminders or result.notices)

        await run_ticks(tick, stop, wakeup, "escalation")
