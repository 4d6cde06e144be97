"""The retention of personal data: conversations older than ``UCC_RETENTION_DAYS`` lose
their words, at most once an hour (``ucc privacy purge`` does it at once)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Final

from bot.app import App
from knowledge.db.uow import UnitOfWork
from knowledge.privacy import purge_older_than

PURGE_EVERY: Final = timedelta(hours=1)


@dataclass(slots=True)
class PurgeTick:
    removed: dict[str, int] = field(default_factory=dict)

    @property
    def queued(self) -> bool:
        return False


class RetentionJob:
    name = "retention"

    def __init__(self, app: App) -> None:
        self.app = app
        self._purged_at: datetime | None = None

    async def tick(self, uow: UnitOfWork, today: date) -> PurgeTick:
        now = self.app.clock.now()
        if self._purged_at is not None and now - self._purged_at < PURGE_EVERY:
            return PurgeTick()
        self._purged_at = now
        return PurgeTick(await purge_older_than(
            uow, now - timedelta(days=self.app.settings.retention_days)))
