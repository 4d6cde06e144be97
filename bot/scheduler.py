"""The bot's clockwork: services go live on their activation date, and reminders go out.

Runs inside the bot process (``ucc onboarding tick`` does the same from cron). Each run is
idempotent: activation closes the case, and a reminder row is written once per case, step
and kind, so a restart or a second run on the same day sends nothing twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
from typing import Final

from bot.app import App
from bot.channels.email.sender import queue_email
from bot.channels.telegram.render import quote
from bot.channels.telegram.replies import CHANNEL
from bot.i18n import gettext_for
from knowledge import onboarding
from knowledge.calendar import local_today
from knowledge.db.uow import UnitOfWork
from knowledge.onboarding import Deadlines, Reminder
from knowledge.onboarding.notices import recipients
from knowledge.outbox import Outgoing, enqueue

log = logging.getLogger(__name__)
TICK_S: Final = 60.0


def _(message: str) -> str:
    """Mark a text for extraction; translated when sent."""
    return message


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
}


def bilingual(message: str, **values: str) -> str:
    """Staff notices go in both languages: a person's language is not known to the system."""
    parts = []
    for lang in ("kk", "ru"):
        tr = gettext_for(lang).gettext
        fields = dict(values)
        if "step" in fields:
            fields["step"] = tr(STEP_TITLES[fields["step"]])
        parts.append(quote(tr(message).format(**fields)))
    return "\n\n".join(parts)


class OnboardingScheduler:
    def __init__(self, app: App, deadlines: Deadlines) -> None:
        self.app = app
        self.deadlines = deadlines

    async def tick(self) -> tuple[list[onboarding.Case], list[Reminder]]:
        """One run: activate what is due, fire today's reminders, queue their messages."""
        clock = self.app.clock
        today = local_today(clock.now())
        async with self.app.uow() as uow:
            live = await onboarding.activate_due(uow, today, clock)
            reminders = await onboarding.fire_reminders(uow, today, self.deadlines.calendar,
                                                        clock)
            for reminder in reminders:
                text = bilingual(REMINDER_TEXTS[reminder.kind],
                                 register_no=reminder.case.register_no,
                                 agency=reminder.case.agency_code, step=reminder.case.step,
                                 due=reminder.due_on.isoformat())
                plain = html.unescape(text)
                subject = plain.split("\n", 1)[0][:150]
                for person in await recipients(uow, reminder):
                    if person.telegram_user_id is not None:
                        self._send(uow, person.telegram_user_id, text)
                    if person.email:
                        queue_email(uow, person.email, subject, plain, clock=clock)
            await uow.commit()
        for case in live:
            log.info("service %s is live (onboarding case %s closed)", case.register_no,
                     case.id)
        return live, reminders

    def _send(self, uow: UnitOfWork, telegram_user_id: int, text: str) -> None:
        enqueue(uow, Outgoing(CHANNEL, str(telegram_user_id), "sendMessage",
                              {"chat_id": telegram_user_id, "text": text,
                               "parse_mode": "HTML"}), self.app.clock)

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
