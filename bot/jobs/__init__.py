"""The background jobs every running bot has, whichever channels it serves: the
onboarding, escalation and complaint schedulers (reminders, overdue flags, deliveries, the
monthly report, the retention purge), the e-mail sender, and the memory trim."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from bot.app import App
from bot.channels.email.sender import EmailSender, smtp_settings
from bot.jobs.complaints import ComplaintScheduler
from bot.jobs.escalations import EscalationScheduler
from bot.jobs.onboarding import OnboardingScheduler
from bot.memory import trim_until
from bot.runners.loops import run_loop


class BackgroundJobs:
    def __init__(self, app: App) -> None:
        self.onboarding = OnboardingScheduler(app)
        self.escalations = EscalationScheduler(app)
        self.complaints = ComplaintScheduler(app)
        smtp = smtp_settings(app)
        self.email = EmailSender(app, smtp) if smtp is not None else None
        self.letters = asyncio.Event()  # a letter was queued

    def loops(self, stop: asyncio.Event, replies: asyncio.Event) -> list[Awaitable[None]]:
        """The jobs' loops until ``stop``; ``replies`` wakes the channels' senders."""
        loops: list[Awaitable[None]] = [
            self.onboarding.run(stop, replies),
            self.escalations.run(stop, replies),
            self.complaints.run(stop, replies),
            trim_until(stop),
        ]
        if self.email is not None:
            loops.append(run_loop(self.email.send_due, self.letters, stop,
                                  what="the e-mail sender"))
        return loops
