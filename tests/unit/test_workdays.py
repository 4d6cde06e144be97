"""Kazakhstan's working days on real dates, and a data file that is refused when wrong."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from knowledge.calendar import CalendarDataError, WorkCalendar, load_calendar_data
from knowledge.calendar.workdays import DEFAULT_TRANSFERS_PATH


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return WorkCalendar.kazakhstan()


def calendar_with(tmp_path: Path, toml: str) -> WorkCalendar:
    path = tmp_path / "transfers.toml"
    path.write_text(toml, encoding="utf-8")
    return WorkCalendar.kazakhstan(path)


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2025, 1, 1), "New Year"),
        (date(2025, 1, 2), "New Year, second day"),
        (date(2025, 1, 3), "Friday made a day off by decree, moved from Sunday 5 January"),
        (date(2025, 1, 7), "Orthodox Christmas"),
        (date(2025, 3, 10), "8 March 2025 was a Saturday: Monday off"),
        (date(2026, 3, 9), "8 March 2026 is a Sunday: Monday off"),
        (date(2025, 5, 1), "Kazakhstan People's Unity Day"),
        (date(2025, 5, 7), "Defender of the Fatherland Day"),
        (date(2025, 5, 9), "Victory Day"),
        (date(2026, 5, 11), "9 May 2026 is a Saturday: Monday off"),
        (date(2025, 6, 6), "Kurban ait 2025"),
        (date(2026, 5, 27), "Kurban ait 2026"),
        (date(2026, 7, 6), "Capital Day"),
        (date(2025, 7, 7), "6 July 2025 was a Sunday: Monday off"),
        (date(2024, 8, 30), "Constitution Day on its old date"),
        (date(2025, 9, 1), "30 August 2025 was a Saturday: Monday off"),
        (date(2024, 10, 25), "Republic Day"),
        (date(2025, 10, 27), "25 October 2025 was a Saturday: Monday off"),
        (date(2026, 10, 26), "25 October 2026 is a Sunday: Monday off"),
        (date(2025, 12, 16), "Independence Day"),
        (date(2026, 12, 16), "Independence Day"),
        (date(2027, 3, 15), "Constitution Day on its new date"),
        (date(2026, 2, 7), "an ordinary Saturday"),
        (date(2026, 2, 8), "an ordinary Sunday"),
    ],
)
def test_holidays_and_weekends_are_not_working_days(
    calendar: WorkCalendar, day: date, why: str
) -> None:
    assert not calendar.is_working_day(day), why


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2025, 1, 5), "Sunday worked for the 3 January transfer"),
        (date(2024, 5, 4), "Saturday worked for the 8 May 2024 transfer"),
        (date(2024, 6, 17), "Kurban ait 2024 fell on a Sunday and religious holidays do not move"),
        (date(2024, 1, 8), "Christmas 2024 fell on a Sunday and religious holidays do not move"),
        (date(2026, 1, 5), "New Year 2026 needed no transfer"),
        (date(2026, 3, 26), "the first day after Nauryz 2026"),
        (date(2026, 8, 31), "30 August is no longer Constitution Day in 2026"),
        (date(2026, 2, 4), "an ordinary Wednesday"),
    ],
)
def test_working_days_include_worked_weekends_and_unmoved_holidays(
    calendar: WorkCalendar, day: date, why: str
) -> None:
    assert calendar.is_working_day(day), why


def test_nauryz_2026_on_a_weekend_moves_its_days_off_to_the_next_working_days(
    calendar: WorkCalendar,
) -> None:
    off = [date(2026, 3, d) for d in range(21, 26)]  # Sat 21 .. Wed 25

    assert [calendar.is_working_day(day) for day in off] == [False] * 5
    assert calendar.is_working_day(date(2026, 3, 20))
    assert calendar.is_working_day(date(2026, 3, 26))
    assert "Наурыз" in (calendar.reason(date(2026, 3, 24)) or "")


def test_the_weekend_rule_comes_from_the_package_without_any_data_file(tmp_path: Path) -> None:
    package_only = calendar_with(tmp_path, "")

    assert not package_only.is_working_day(date(2026, 3, 24))
    assert not package_only.is_working_day(date(2026, 3, 25))
    assert package_only.is_working_day(date(2026, 3, 26))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 2, 2), 1, date(2026, 2, 3)),  # Monday -> Tuesday: the start never counts
        (date(2026, 2, 2), 5, date(2026, 2, 9)),  # a plain week
        (date(2026, 2, 6), 1, date(2026, 2, 9)),  # Friday -> Monday over the weekend
        (date(2026, 3, 20), 1, date(2026, 3, 26)),  # over Nauryz and its weekend
        (date(2025, 12, 15), 1, date(2025, 12, 17)),  # over Independence Day
        (date(2024, 12, 31), 1, date(2025, 1, 5)),  # New Year 2025: the worked Sunday
        (date(2025, 1, 2), 1, date(2025, 1, 5)),  # a start on a holiday still never counts
        (date(2026, 5, 6), 3, date(2026, 5, 13)),  # 7 May, weekend and moved 9 May
        (date(2026, 3, 21), 0, date(2026, 3, 21)),  # n == 0 is the start itself
    ],
)
def test_add_working_days_counts_only_working_days_after_the_start(
    calendar: WorkCalendar, start: date, n: int, expected: date
) -> None:
    assert calendar.add_working_days(start, n) == expected


def test_a_negative_number_of_working_days_is_refused(calendar: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="n must be >= 0"):
        calendar.add_working_days(date(2026, 2, 2), -1)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 2, 2), date(2026, 2, 9), 5),
        (date(2026, 3, 20), date(2026, 3, 26), 1),
        (date(2026, 3, 26), date(2026, 3, 20), -1),
        (date(2026, 2, 9), date(2026, 2, 2), -5),
        (date(2026, 2, 4), date(2026, 2, 4), 0),
        (date(2026, 3, 20), date(2026, 3, 25), 0),  # nothing but days off in between
    ],
)
def test_working_days_between_counts_both_directions(
    calendar: WorkCalendar, start: date, end: date, expected: int
) -> None:
    assert calendar.working_days_between(start, end) == expected


@pytest.mark.parametrize("n", [0, 1, 3, 5, 10])
@pytest.mark.parametrize(
    "start", [date(2024, 12, 30), date(2025, 12, 12), date(2026, 3, 18), date(2026, 5, 6)]
)
def test_working_days_between_undoes_add_working_days(
    calendar: WorkCalendar, start: date, n: int
) -> None:
    due = calendar.add_working_days(start, n)

    assert calendar.working_days_between(start, due) == n
    assert calendar.working_days_between(due, start) == -n


def test_next_working_day_is_strictly_after_the_day(calendar: WorkCalendar) -> None:
    assert calendar.next_working_day(date(2026, 2, 2)) == date(2026, 2, 3)
    assert calendar.next_working_day(date(2026, 3, 20)) == date(2026, 3, 26)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 5), date(2026, 3, 5)),  # a working Thursday is itself
        (date(2026, 4, 5), date(2026, 4, 3)),  # Sunday -> Friday
        (date(2026, 3, 25), date(2026, 3, 20)),  # back over Nauryz
        (date(2025, 1, 4), date(2024, 12, 31)),  # back over New Year and its transfer
    ],
)
def test_previous_working_day_on_or_before_delivers_earlier(
    calendar: WorkCalendar, day: date, expected: date
) -> None:
    assert calendar.previous_working_day_on_or_before(day) == expected


def test_reason_names_the_holiday_or_the_transfer(calendar: WorkCalendar) -> None:
    assert calendar.reason(date(2025, 12, 16)) == "Тәуелсіздік күні"
    assert "ауыстырылды" in (calendar.reason(date(2025, 1, 3)) or "")
    assert calendar.reason(date(2025, 1, 5)) == calendar.reason(date(2025, 1, 3))
    assert calendar.reason(date(2026, 2, 4)) is None


def test_reason_speaks_the_language_asked_for() -> None:
    english = WorkCalendar.kazakhstan(language="en_US")

    assert english.reason(date(2025, 12, 16)) == "Independence Day"


def test_the_shipped_data_file_is_valid() -> None:
    data = load_calendar_data(DEFAULT_TRANSFERS_PATH)

    assert data.days_off[date(2025, 1, 3)] == data.working_days[date(2025, 1, 5)]
    assert date(2026, 8, 30) in data.not_holidays


VALID_WORKING_SATURDAY = """
[[transfer]]
day_off = 2026-02-13
working_day = 2026-02-07
source = "test decree No. 1"
confidence = "unverified"
note = "test transfer"
"""


def test_a_working_saturday_from_the_data_file_counts(tmp_path: Path) -> None:
    calendar = calendar_with(tmp_path, VALID_WORKING_SATURDAY)

    assert calendar.is_working_day(date(2026, 2, 7))
    assert not calendar.is_working_day(date(2026, 2, 13))
    assert calendar.add_working_days(date(2026, 2, 6), 1) == date(2026, 2, 7)
    assert calendar.working_days_between(date(2026, 2, 6), date(2026, 2, 16)) == 6
    assert calendar.reason(date(2026, 2, 7)) == "test transfer"


def test_data_file_holidays_are_added_and_removed(tmp_path: Path) -> None:
    calendar = calendar_with(
        tmp_path,
        """
[[holiday]]
date = "2026-02-04"
source = "test law"
confidence = "likely"
note = "test holiday"

[[not_holiday]]
date = 2025-12-16
source = "test law"
confidence = "unverified"
note = "not a holiday in this test"
""",
    )

    assert not calendar.is_working_day(date(2026, 2, 4))
    assert calendar.reason(date(2026, 2, 4)) == "test holiday"
    assert calendar.is_working_day(date(2025, 12, 16))


ENTRY = 'source = "s"\nconfidence = "likely"\nnote = "n"\n'


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (
            f"[[transfer]]\nday_of = 2026-02-13\n{ENTRY}",
            ["[[transfer]] #1", "unknown key 'day_of'"],
        ),
        (
            f'[[holiday]]\ndate = "2026-02-30"\n{ENTRY}',
            ["[[holiday]] #1 (2026-02-30)", "'date' must be a date"],
        ),
        (
            f"[[holiday]]\ndate = 2026-02-30\n{ENTRY}",
            ["not valid TOML", "line 2", "'date = 2026-02-30'"],
        ),
        (
            f"[[holiday]]\ndate = 2026-02-07\n{ENTRY}"
            f"[[transfer]]\nworking_day = 2026-02-07\n{ENTRY}",
            ["[[transfer]] #1 (2026-02-07)", "both a working day and a holiday", "[[holiday]] #1"],
        ),
        (
            f"[[holiday]]\ndate = 2026-02-04\n{ENTRY}[[holiday]]\ndate = 2026-02-04\n{ENTRY}",
            ["[[holiday]] #2 (2026-02-04)", "listed twice"],
        ),
        (f"[[transfers]]\nday_off = 2026-02-13\n{ENTRY}", ["unknown table 'transfers'"]),
        (
            f"[[transfer]]\nworking_day = 2026-02-11\n{ENTRY}",
            ["[[transfer]] #1 (2026-02-11)", "Wednesday, already a working day"],
        ),
        (
            f"[[transfer]]\nday_off = 2026-02-08\n{ENTRY}",
            ["[[transfer]] #1 (2026-02-08)", "Sunday, already a day off"],
        ),
        (f"[[transfer]]\n{ENTRY}", ["[[transfer]] #1", "missing key 'day_off' or 'working_day'"]),
        (
            '[[holiday]]\ndate = 2026-02-04\nconfidence = "sure"\nnote = "n"\n',
            ["[[holiday]] #1", "missing key 'source'", "confidence must be one of"],
        ),
        ('holiday = "2026-02-04"\n', ["'holiday' must be written as [[holiday]] entries"]),
    ],
)
def test_a_data_file_with_a_bad_entry_is_refused_naming_it(
    tmp_path: Path, toml: str, expected: list[str]
) -> None:
    path = tmp_path / "transfers.toml"
    path.write_text(toml, encoding="utf-8")

    with pytest.raises(CalendarDataError) as caught:
        WorkCalendar.kazakhstan(path)

    message = str(caught.value)
    assert message.startswith(str(path))
    for part in expected:
        assert part in message


def test_every_bad_entry_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "transfers.toml"
    path.write_text(
        f"[[holiday]]\ndate = 2026-02-04\nsource = 1\nconfidence = 'likely'\nnote = 'n'\n"
        f"[[not_holiday]]\ndate = 'someday'\n{ENTRY}",
        encoding="utf-8",
    )

    with pytest.raises(CalendarDataError) as caught:
        load_calendar_data(path)

    assert len(caught.value.problems) == 2
    assert caught.value.problems[0].startswith("[[holiday]] #1")
    assert caught.value.problems[1].startswith("[[not_holiday]] #1 (someday)")


def test_a_missing_data_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CalendarDataError, match="cannot be read"):
        WorkCalendar.kazakhstan(tmp_path / "missing.toml")
