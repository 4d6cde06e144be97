"""The complaints' clockwork, beside the escalations': responses passed on to citizens, the
request announced to the agency, reminders and overdue flags (each once, across restarts),
a status message to the citizen of an overdue complaint, and drafts past their time limit
dropped. ``ucc complaints tick`` runs the same from cron."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from bot.app import App
from bot.jobs.escalations import run_ticks, tell_staff
from bot.notify.complaints import deliver_complaints, enqueue_complaint_deliveries
from bot.texts.complaints import STAFF_REPEAT, STAFF_TEXTS
from bot.texts.i18n import gettext_for
from knowledge.calendar import local_today
from knowledge.complaints import ComplaintReminder, drop_expired_drafts, fire_complaint_reminders
from knowledge.db.locks import JOBS, try_lock

TRIAGE: Final = "triage"


@dataclass(slots=True)
class ComplaintTick:
    delivered: int = 0
    reminders: list[ComplaintReminder] = field(default_factory=list)
    drafts_dropped: int = 0


def staff_text(reminder: ComplaintReminder) -> str:
    """The announcement or reminder in Kazakh, then Russian (staff's language is unknown)."""
    key = "new_triage" if reminder.kind == "new" and reminder.agency_code is None \
        else reminder.kind
    parts = []
    for lang in ("kk", "ru"):
        tr = gettext_for(lang).gettext
        text = tr(STAFF_TEXTS[key]).format(
            number=reminder.number, agency=reminder.agency_code or TRIAGE,
            request=reminder.request_no,
            due=reminder.due_on.isoformat() if reminder.due_on else "—")
        if reminder.repeat_of is not None and reminder.kind == "new":
            text += "\n" + tr(STAFF_REPEAT).format(number=reminder.repeat_of)
        parts.append(text)
    return "\n\n".join(parts)


class ComplaintScheduler:
    def __init__(self, app: App) -> None:
        self.app = app

    async def tick(self, today: date | None = None) -> ComplaintTick:
        clock, deadlines = self.app.clock, self.app.deadlines
        today = today or local_today(clock.now())
        result = ComplaintTick()
        async with self.app.uow() as uow:
            if not await try_lock(uow, JOBS, "complaints"):
                return result  # another instance is running it now
            result.delivered = await deliver_complaints(
                uow, clock, sms_max_parts=self.app.settings.sms_max_parts)
            result.reminders = await fire_complaint_reminders(uow, today, deadlines, clock)
            for reminder in result.reminders:
                tell_staff(uow, reminder.staff, staff_text(reminder), clock)
                result.delivered += enqueue_complaint_deliveries(
                    uow, list(reminder.deliveries), clock,
                    sms_max_parts=self.app.settings.sms_max_parts)
            result.drafts_dropped = await drop_expired_drafts(uow, clock)
            await uow.commit()
        return result

    async def run(self, stop: asyncio.Event, wakeup: asyncio.Event) -> None:
        async def tick() -> bool:
            result = await self.tick()
            return bool(result.delivered or result.reminders)

        await run_ticks(tick, stop, wakeup, "complaint")
