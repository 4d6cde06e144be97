"""The bot's clockwork: services go live on their activation date, and reminders go out.

Runs inside the bot process (``ucc onboarding tick`` does the same from cron). Each run is
idempotent: activation closes the case, and a reminder row is written once per case, step
and kind, so a restart or a second run on the same day sends nothing twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import date
from typing import Final

from bot.app import App
from bot.channels.email.sender import queue_email
from bot.channels.telegram.render import quote
from bot.channels.telegram.replies import plain_message
from bot.texts.i18n import in_both_languages, marked
from knowledge import onboarding
from knowledge.calendar import local_today
from knowledge.db.locks import JOBS, try_lock
from knowledge.onboarding import Reminder
from knowledge.onboarding.notices import center_staff, recipients
from knowledge.outbox import enqueue

log = logging.getLogger(__name__)
TICK_S: Final = 60.0


_ = marked  # translated when sent


REMINDER_TEXTS: Final = {
    "day_before": _("Reminder: service {register_no} ({agency}), step «{step}» is due "
                    "tomorrow, {due}."),
    "due_day": _("Reminder: service {register_no} ({agency}), step «{step}» is due today, "
                 "{due}."),
    "overdue": _("Overdue: service {register_no} ({agency}), step «{step}» was due {due}."),
}
LIVE_TEXT: Final = _("Service {register_no} ({agency}) is now live: citizens get its answers.")
STEP_TITLES: Final = {
    "request_sent": _("request sent to the agency"),
    "responsible_appointed": _("responsible person appointed"),
    "information_provided": _("information submitted"),
    "training_held": _("training held"),
    "protocol_signed": _("protocol signed"),
    "live": _("service live"),
    "update_provided": _("updated information submitted"),
    "update_accepted": _("update accepted"),
    "update_started": _("update opened: the act changed"),
    "update_returned": _("update returned for correction"),
    "responsible_replaced": _("responsible person replaced"),
    "question": _("operator's question on the draft"),
    "questions_sent": _("questions sent to the agency"),
    "protocol_confirmed": _("protocol signed by one side"),
    "started": _("case opened"),
}


class OnboardingScheduler:
    def __init__(self, app: App) -> None:
        self.app = app

    async def tick(
        self, today: date | None = None
    ) -> tuple[list[onboarding.Case], list[Reminder]]:
        """One run: activate what is due, fire today's reminders, queue their messages
        (sent by the running bot; ``ucc onboarding tick`` calls this too)."""
        clock = self.app.clock
        today = today or local_today(clock.now())
        async with self.app.uow() as uow:
            if not await try_lock(uow, JOBS, "onboarding"):
                return [], []  # another instance is running it now
            live = await onboarding.activate_due(uow, today, clock)
            reminders = await onboarding.fire_reminders(uow, today, self.app.deadlines.calendar,
                                                        clock)
            for reminder in reminders:
                plain = in_both_languages(
                    REMINDER_TEXTS[reminder.kind], translated={"step"},
                    register_no=reminder.case.register_no, agency=reminder.case.agency_code,
                    step=STEP_TITLES[reminder.case.step], due=reminder.due_on.isoformat())
                subject = plain.split("\n", 1)[0][:150]
                for person in await recipients(uow, reminder):
                    if person.telegram_user_id is not None:
                        enqueue(uow, plain_message(person.telegram_user_id, quote(plain)),
                                clock)
                    if person.email:
                        queue_email(uow, person.email, subject, plain, clock=clock)
            staff = await center_staff(uow) if live else []
            for case in live:
                text = in_both_languages(LIVE_TEXT, register_no=case.register_no,
                                         agency=case.agency_code)
                for person in staff:
                    if person.telegram_user_id is not None:
                        enqueue(uow, plain_message(person.telegram_user_id, quote(text)),
                                clock)
            await uow.commit()
        for case in live:
            log.info("service %s is live (onboarding case %s closed)", case.register_no,
                     case.id)
        return live, reminders

    async def run(self, stop: asyncio.Event, wakeup: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                _live, reminders = await self.tick()
                if reminders:
                    wakeup.set()
            except Exception:  # noqa: BLE001 - a failed run is tried again next time
                log.exception("the onboarding scheduler failed; trying again")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), TICK_S)
