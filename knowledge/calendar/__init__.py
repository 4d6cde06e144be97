"""Working days in Kazakhstan: what "N working days after D" means for every deadline."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Final

from knowledge.calendar.workdays import (
    CalendarData,
    CalendarDataError,
    PackageHolidays,
    PublicHolidays,
    WorkCalendar,
    load_calendar_data,
    parse_calendar_data,
)
from knowledge.errors import InvalidInput
from knowledge.problems import marked

_ = marked  # errors people can meet: translated when shown (KnowledgeError.said)

# One zone for the whole country since 1 March 2024; a fixed offset needs no tz database.
KAZAKHSTAN: Final = timezone(timedelta(hours=5), "KZ")

__all__ = [
    "KAZAKHSTAN",
    "CalendarData",
    "CalendarDataError",
    "FutureDay",
    "PackageHolidays",
    "PublicHolidays",
    "WorkCalendar",
    "day_it_happened",
    "load_calendar_data",
    "local_today",
    "parse_calendar_data",
]


def local_today(now: datetime) -> date:
    """The date in Kazakhstan (UTC+5 since 1 March 2024) of a UTC time: deadlines are days
    there, whatever the server's zone."""
    return now.astimezone(KAZAKHSTAN).date()


class FutureDay(InvalidInput):
    """A step dated after today: what is recorded has happened."""


def day_it_happened(on: date | None, now: datetime) -> date:
    """The day a step happened: ``on`` (a letter received earlier, recorded today) or today
    in Kazakhstan. A later day is refused: the legal clocks it starts run from it."""
    today = local_today(now)
    if on is None:
        return today
    if on > today:
        raise FutureDay.said(_("{on} is in the future (today is {today} in Kazakhstan)"),
                             on=str(on), today=str(today))
    return on
