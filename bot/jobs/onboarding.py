"""The onboarding protocol's clockwork: services go live on their activation date, and
reminders of each step's deadline go out (the day before, on the day, once overdue).

Idempotent: activation closes the case, and a reminder row is written once per case, step
and kind.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from bot.app import App
from bot.texts.agencies import agency_in_each_language
from bot.texts.i18n import in_both_languages
from bot.texts.onboarding import LIVE_TEXT, REMINDER_TEXTS, STEP_TITLES, TARGET_TEXTS
from knowledge import onboarding
from knowledge.agencies import agency_names
from knowledge.db.uow import UnitOfWork
from knowledge.onboarding import Reminder
from knowledge.onboarding.notices import center_staff, recipients
from knowledge.onboarding.steps import own_target

log = logging.getLogger(__name__)


@dataclass(slots=True)
class OnboardingTick:
    live: list[onboarding.Case] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)

    @property
    def queued(self) -> bool:
        return bool(self.live or self.reminders)


class OnboardingJob:
    name = "onboarding"

    def __init__(self, app: App) -> None:
        self.app = app

    async def tick(self, uow: UnitOfWork, today: date) -> OnboardingTick:
        clock, notifier = self.app.clock, self.app.notifier
        done = OnboardingTick(
            live=await onboarding.activate_due(uow, today, clock),
            reminders=await onboarding.fire_reminders(uow, today,
                                                      self.app.deadlines.calendar, clock))
        done.reminders += await onboarding.fire_departure_reminders(
            uow, today, self.app.deadlines.calendar, clock)
        policy = self.app.deadlines.policy
        names = await agency_names(uow)
        for reminder in done.reminders:
            texts = TARGET_TEXTS if own_target(reminder.step, policy) else REMINDER_TEXTS
            notifier.staff(uow, await recipients(uow, reminder), in_both_languages(
                texts[reminder.kind], translated={"step"}, days={"due": reminder.due_on},
                register_no=reminder.case.register_no, step=STEP_TITLES[reminder.step],
                per_language={"agency": agency_in_each_language(reminder.case.agency_code,
                                                                names)}))
        staff = await center_staff(uow) if done.live else []
        for case in done.live:
            log.info("service %s goes live (onboarding case %s closed)", case.register_no,
                     case.id)
            notifier.staff(uow, staff, in_both_languages(
                LIVE_TEXT, register_no=case.register_no,
                per_language={"agency": agency_in_each_language(case.agency_code, names)}),
                by_email=False)
        return done
