"""Time comes from an injected clock, so rules and tests never read the wall clock directly."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes (stored as UTC): make them aware again."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class FixedClock:
    """A clock for tests and replays: it says what it is told."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at
