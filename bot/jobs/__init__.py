"""The clockwork every running bot has, whichever channels it serves.

A job is one idempotent piece of it: ``tick(uow, today)`` does what is due on ``today``
and stages its messages in ``uow``. ``run_job`` runs it under the job's lock (one instance
at a time) and commits, so a restart or a second instance sends nothing twice; ``ucc …
tick`` runs one from cron the same way. ``Clockwork`` runs every job once a minute and,
beside them, the e-mail sender and the memory trim.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Sequence
from datetime import date
from typing import Final, Protocol, TypeVar

from bot.app import App
from bot.channels.email.sender import EmailSender, smtp_settings
from bot.jobs.complaints import ComplaintJob
from bot.jobs.escalations import EscalationJob
from bot.jobs.onboarding import OnboardingJob
from bot.jobs.reports import MonthlyReportJob
from bot.jobs.retention import RetentionJob
from bot.memory import trim_until
from bot.runners.loops import run_loop
from knowledge.calendar import local_today
from knowledge.db.locks import JOBS, try_lock
from knowledge.db.uow import UnitOfWork

log = logging.getLogger(__name__)
TICK_S: Final = 60.0


class Outcome(Protocol):
    @property
    def queued(self) -> bool:
        """Whether the run queued messages (the senders are woken)."""
        ...


Outcome_co = TypeVar("Outcome_co", bound=Outcome, covariant=True)


class Job(Protocol[Outcome_co]):
    name: str  # its lock among instances, and its name in the logs

    async def tick(self, uow: UnitOfWork, today: date) -> Outcome_co: ...


async def run_job(app: App, job: Job[Outcome_co], today: date | None = None) -> Outcome_co | None:
    """One run of ``job`` in its own transaction; None while another instance runs it."""
    today = today or local_today(app.clock.now())
    async with app.uow() as uow:
        if not await try_lock(uow, JOBS, job.name):
            return None
        outcome = await job.tick(uow, today)
        await uow.commit()
    return outcome


def every_job(app: App) -> list[Job[Outcome]]:
    return [OnboardingJob(app), EscalationJob(app), ComplaintJob(app), MonthlyReportJob(app),
            RetentionJob(app)]


async def run_jobs(app: App, jobs: Sequence[Job[Outcome]], stop: asyncio.Event,
                   wakeup: asyncio.Event, every_s: float = TICK_S) -> None:
    """Run each job every ``every_s`` until ``stop``; wake the senders when one queued
    messages. A failed run is logged and tried again next time."""
    while not stop.is_set():
        for job in jobs:
            try:
                outcome = await run_job(app, job)
            except Exception:  # noqa: BLE001 - e.g. the database away: next time
                log.exception("the %s job failed; trying again", job.name)
                continue
            if outcome is not None and outcome.queued:
                wakeup.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_s)


class Clockwork:
    """The jobs' loop, the e-mail sender and the memory trim of a running bot."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.jobs = every_job(app)
        smtp = smtp_settings(app)
        self.email = EmailSender(app, smtp) if smtp is not None else None
        self.letters = asyncio.Event()  # a letter was queued

    def loops(self, stop: asyncio.Event, replies: asyncio.Event) -> list[Awaitable[None]]:
        """The loops until ``stop``; ``replies`` wakes the channels' senders."""
        loops: list[Awaitable[None]] = [run_jobs(self.app, self.jobs, stop, replies),
                                        trim_until(stop)]
        if self.email is not None:
            loops.append(run_loop(self.email.send_due, self.letters, stop,
                                  what="the e-mail sender"))
        return loops
