"""Working days in Kazakhstan: what "N working days after D" means for every deadline."""

from __future__ import annotations

from knowledge.calendar.workdays import (
    CalendarData,
    CalendarDataError,
    PackageHolidays,
    PublicHolidays,
    WorkCalendar,
    load_calendar_data,
    parse_calendar_data,
)

__all__ = [
    "CalendarData",
    "CalendarDataError",
    "PackageHolidays",
    "PublicHolidays",
    "WorkCalendar",
    "load_calendar_data",
    "parse_calendar_data",
]
