"""The complaints' clockwork: responses passed on to citizens, the request announced to the
agency, reminders and overdue flags (each once, across restarts), a status message to the
citizen of an overdue complaint, and drafts past their time limit dropped."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.app import App
from bot.texts.complaints import staff_text
from knowledge.agencies import agency_names
from knowledge.complaints import ComplaintReminder, drop_expired_drafts, fire_complaint_reminders
from knowledge.db.uow import UnitOfWork


@dataclass(slots=True)
class ComplaintTick:
    delivered: int = 0
    reminders: list[ComplaintReminder] = field(default_factory=list)
    drafts_dropped: int = 0

    @property
    def queued(self) -> bool:
        return bool(self.delivered or self.reminders)


class ComplaintJob:
    name = "complaints"

    def __init__(self, app: App) -> None:
        self.app = app

    async def tick(self, uow: UnitOfWork, today: date) -> ComplaintTick:
        notifier = self.app.notifier
        done = ComplaintTick(delivered=await notifier.pending_complaint_outcomes(uow))
        done.reminders = await fire_complaint_reminders(uow, today, self.app.deadlines,
                                                        self.app.clock)
        names = await agency_names(uow)
        for reminder in done.reminders:
            notifier.staff(uow, reminder.staff, staff_text(reminder, names))
            done.delivered += await notifier.complaint_outcomes(uow, list(reminder.deliveries))
        done.drafts_dropped = await drop_expired_drafts(uow, self.app.clock)
        return done
