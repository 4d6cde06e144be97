"""The escalation queue's clockwork: settled questions passed on to their citizens,
reminders and overdue flags to staff (with a status message to the citizen of an overdue
question), and reminders of refusal notices due to the quality-control body.

Idempotent: every flag is a row written once, and a reply is marked passed on in the
transaction that queues it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.app import App
from bot.texts.agencies import agency_in_each_language
from bot.texts.escalations import ESCALATION_TEXTS, NOTICE_TEXTS
from bot.texts.i18n import in_both_languages
from knowledge.agencies import agency_names
from knowledge.db.uow import UnitOfWork
from knowledge.escalations import EscalationReminder, fire_escalation_reminders
from knowledge.onboarding.notices import center_staff
from knowledge.refusals import NoticeReminder, fire_notice_reminders


@dataclass(slots=True)
class EscalationTick:
    delivered: int = 0
    reminders: list[EscalationReminder] = field(default_factory=list)
    notices: list[NoticeReminder] = field(default_factory=list)

    @property
    def queued(self) -> bool:
        return bool(self.delivered or self.reminders or self.notices)


class EscalationJob:
    name = "escalations"

    def __init__(self, app: App) -> None:
        self.app = app

    async def tick(self, uow: UnitOfWork, today: date) -> EscalationTick:
        clock, deadlines, notifier = self.app.clock, self.app.deadlines, self.app.notifier
        done = EscalationTick(delivered=await notifier.pending_escalation_outcomes(uow))
        done.reminders = await fire_escalation_reminders(uow, today, deadlines, clock)
        names = await agency_names(uow)
        for reminder in done.reminders:
            notifier.staff(uow, reminder.staff, in_both_languages(
                ESCALATION_TEXTS[reminder.kind], reference=reminder.escalation.reference,
                days={"due": reminder.due_on}, per_language={
                    "agency": agency_in_each_language(reminder.escalation.agency_code,
                                                      names)}))
            done.delivered += await notifier.escalation_outcomes(uow,
                                                                list(reminder.deliveries))
        done.notices = await fire_notice_reminders(uow, today, deadlines.calendar, clock)
        staff = await center_staff(uow) if done.notices else []
        for notice in done.notices:
            notifier.staff(uow, staff, in_both_languages(
                NOTICE_TEXTS[notice.kind], days={"due": notice.due_on},
                per_language={"agency": agency_in_each_language(notice.notice.agency_code,
                                                                names)}))
        return done
