"""Kazakhstan's working days: the five-day week, public holidays and the days moved by decree.

The public holidays come from the ``holidays`` package, which also applies the Law "On
holidays in the Republic of Kazakhstan" (No. 267-II of 13.12.2001, art. 5): a holiday on
a Saturday or Sunday makes the next working day a day off — except the religious
holidays (7 January, the first day of Kurban ait), which are days off but never move
(Labour Code art. 84 p.5). What changes every year — the Government's decrees moving
days off (Labour Code art. 85 p.3) and corrections to the package — lives in a TOML file
(``kz_transfers.toml`` beside this module) that is validated on load.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Final, Protocol

import holidays

from knowledge.errors import KnowledgeError

DEFAULT_TRANSFERS_PATH: Final = Path(__file__).with_name("kz_transfers.toml")
CONFIDENCE_LEVELS: Final = ("confirmed", "likely", "unverified")

_ONE_DAY: Final = timedelta(days=1)
_SATURDAY: Final = 5
# English names whatever the process locale, for error messages.
_WEEKDAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# No real calendar has a year without a working day; a longer run means broken data.
_MAX_DAYS_WITHOUT_WORK: Final = 366

_COMMON_KEYS: Final = frozenset({"source", "confidence", "note"})
_TABLE_KEYS: Final[Mapping[str, frozenset[str]]] = {
    "transfer": _COMMON_KEYS | {"day_off", "working_day"},
    "holiday": _COMMON_KEYS | {"date"},
    "not_holiday": _COMMON_KEYS | {"date"},
}
# What each date key makes of its day, as named in error messages.
_ROLES: Final[Mapping[str, str]] = {
    "day_off": "day off",
    "working_day": "working day",
    "holiday": "holiday",
    "not_holiday": "non-holiday",
}
_TOML_POSITION: Final = re.compile(r"at line (\d+), column \d+")


class CalendarDataError(KnowledgeError):
    """A calendar data file refused whole; ``problems`` name each bad entry."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


@dataclass(frozen=True, slots=True)
class CalendarData:
    """The data file's corrections, each date mapped to the note shown for it."""

    days_off: Mapping[date, str]
    working_days: Mapping[date, str]
    holidays: Mapping[date, str]
    not_holidays: Mapping[date, str]


class PublicHolidays(Protocol):
    """What the calendar needs from a list of public holidays."""

    def name(self, day: date) -> str | None: ...

    def is_weekend_workday(self, day: date) -> bool: ...


class PackageHolidays:
    """Kazakhstan's holidays from the ``holidays`` package, observed days included."""

    def __init__(self, language: str = "kk") -> None:
        # observed=True (the default) is the Law on holidays' weekend rule.
        self._holidays = holidays.country_holidays("KZ", language=language)

    def name(self, day: date) -> str | None:
        return self._holidays.get(day)

    def is_weekend_workday(self, day: date) -> bool:
        self._holidays.get(day)  # a lookup fills in the day's year, moved days included
        return day in self._holidays.weekend_workdays


class WorkCalendar:
    """Answers "is it a working day" and counts working days; the caller passes every date."""

    def __init__(self, public_holidays: PublicHolidays, data: CalendarData) -> None:
        self._public = public_holidays
        self._data = data

    @classmethod
    def kazakhstan(
        cls, transfers_path: Path | None = None, *, language: str = "kk"
    ) -> WorkCalendar:
        """The package's holidays in ``language`` plus the data file (default: the shipped one)."""
        data = load_calendar_data(transfers_path or DEFAULT_TRANSFERS_PATH)
        return cls(PackageHolidays(language), data)

    def is_working_day(self, day: date) -> bool:
        data = self._data
        if day in data.working_days:
            return True
        if day in data.days_off or day in data.holidays:
            return False
        weekend = day.weekday() >= _SATURDAY
        if day in data.not_holidays:
            return not weekend
        if weekend:
            return self._public.is_weekend_workday(day)
        return self._public.name(day) is None

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start``, never counting ``start`` itself."""
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        day = start
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when end < start."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(1 for day in _days_after(start, end) if self.is_working_day(day))

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        return self._walk(day, _ONE_DAY)

    def previous_working_day_on_or_before(self, day: date) -> date:
        """``day`` when it is a working day, else the last working day before it."""
        if self.is_working_day(day):
            return day
        return self._walk(day, -_ONE_DAY)

    def reason(self, day: date) -> str | None:
        """Why ``day`` is not an ordinary day: the data file's note or the holiday's name."""
        data = self._data
        for notes in (data.working_days, data.days_off, data.holidays, data.not_holidays):
            if day in notes:
                return notes[day]
        return self._public.name(day)

    def _walk(self, day: date, step: timedelta) -> date:
        for _ in range(_MAX_DAYS_WITHOUT_WORK):
            day += step
            if self.is_working_day(day):
                return day
        raise CalendarDataError(
            "calendar", [f"no working day within {_MAX_DAYS_WITHOUT_WORK} days of {day}"]
        )


def _days_after(start: date, end: date) -> Iterator[date]:
    day = start + _ONE_DAY
    while day <= end:
        yield day
        day += _ONE_DAY


def load_calendar_data(path: Path) -> CalendarData:
    """Read and validate a data file; every problem is reported at once, naming its entry."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CalendarDataError(str(path), [f"cannot be read: {exc.strerror}"]) from exc
    return parse_calendar_data(text, source=str(path))


def parse_calendar_data(text: str, *, source: str = "calendar data") -> CalendarData:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CalendarDataError(source, [_describe_toml_error(text, exc)]) from exc
    return _Validator(source).validate(document)


def _describe_toml_error(text: str, exc: tomllib.TOMLDecodeError) -> str:
    # tomllib names only a position; quoting the line names the entry for a person.
    message = f"not valid TOML (dates are written 2025-01-03 and must exist): {exc}"
    found = _TOML_POSITION.search(str(exc))
    lines = text.splitlines()
    if found and 0 < int(found.group(1)) <= len(lines):
        message += f": {lines[int(found.group(1)) - 1].strip()!r}"
    return message


class _Validator:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []
        self.first_entry_of: dict[date, tuple[str, str]] = {}
        self._by_role: dict[str, dict[date, str]] = {role: {} for role in _ROLES.values()}

    def validate(self, document: Mapping[str, object]) -> CalendarData:
        for table, entries in document.items():
            if table not in _TABLE_KEYS:
                known = ", ".join(f"[[{name}]]" for name in _TABLE_KEYS)
                self.problems.append(f"unknown table {table!r} (known: {known})")
                continue
            if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
                self.problems.append(f"{table!r} must be written as [[{table}]] entries")
                continue
            for index, entry in enumerate(entries, start=1):
                self._entry(table, index, entry)
        if self.problems:
            raise CalendarDataError(self.source, self.problems)
        by_role = self._by_role
        return CalendarData(
            days_off=by_role["day off"],
            working_days=by_role["working day"],
            holidays=by_role["holiday"],
            not_holidays=by_role["non-holiday"],
        )

    def _entry(self, table: str, index: int, entry: Mapping[str, object]) -> None:
        label = f"[[{table}]] #{index}"
        dated = entry.get("date", entry.get("day_off", entry.get("working_day")))
        if dated is not None:
            label += f" ({dated})"
        problems_before = len(self.problems)

        date_keys = ["day_off", "working_day"] if table == "transfer" else ["date"]
        self._check_keys(label, table, entry, date_keys)
        days = {key: self._date(label, key, entry[key]) for key in date_keys if key in entry}
        if len(self.problems) > problems_before:
            return

        note = str(entry["note"])
        for key, day in days.items():
            if day is not None:
                self._day(label, _ROLES[key if table == "transfer" else table], key, day, note)

    def _check_keys(
        self, label: str, table: str, entry: Mapping[str, object], date_keys: list[str]
    ) -> None:
        allowed = _TABLE_KEYS[table]
        for key in sorted(set(entry) - allowed):
            self.problems.append(f"{label}: unknown key {key!r} (allowed: {sorted(allowed)})")
        for key in sorted(_COMMON_KEYS - set(entry)):
            self.problems.append(f"{label}: missing key {key!r}")
        if not any(key in entry for key in date_keys):
            self.problems.append(f"{label}: missing key {' or '.join(map(repr, date_keys))}")
        for key in ("source", "note"):
            value = entry.get(key)
            if key in entry and (not isinstance(value, str) or not value.strip()):
                self.problems.append(f"{label}: {key!r} must be a non-empty string")
        confidence = entry.get("confidence")
        if "confidence" in entry and confidence not in CONFIDENCE_LEVELS:
            self.problems.append(
                f"{label}: confidence must be one of {', '.join(CONFIDENCE_LEVELS)},"
                f" got {confidence!r}"
            )

    def _day(self, label: str, role: str, key: str, day: date, note: str) -> None:
        self._claim(label, role, day)
        if key == "day_off" and day.weekday() >= _SATURDAY:
            self.problems.append(
                f"{label}: day_off {day} is a {_WEEKDAYS[day.weekday()]}, already a day off"
            )
        if key == "working_day" and day.weekday() < _SATURDAY:
            self.problems.append(
                f"{label}: working_day {day} is a {_WEEKDAYS[day.weekday()]},"
                " already a working day"
            )
        self._by_role[role][day] = note

    def _date(self, label: str, key: str, value: object) -> date | None:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.problems.append(f"{label}: {key!r} must be a date like 2025-01-03, got {value!r}")
        return None

    def _claim(self, label: str, role: str, day: date) -> None:
        # One date, one entry: a day both off and worked (or listed twice) is a typo to fix.
        earlier = self.first_entry_of.setdefault(day, (label, role))
        if earlier == (label, role):
            return
        earlier_label, earlier_role = earlier
        if earlier_role == role:
            self.problems.append(f"{label}: {day} is listed twice, also in {earlier_label}")
        else:
            self.problems.append(
                f"{label}: {day} cannot be both a {role} and a {earlier_role}"
                f" (as in {earlier_label})"
            )
