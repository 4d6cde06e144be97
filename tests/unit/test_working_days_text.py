"""A count of working days reads as people say it: one day, two days, five days."""

from __future__ import annotations

from datetime import date

from bot.texts.terms import working_days_text
from handlers.staff import case_lines
from knowledge.calendar import WorkCalendar
from knowledge.onboarding import Case, Deadlines
from knowledge.policy import Policy


def test_one_working_day_left_is_singular_in_russian() -> None:
    assert working_days_text("ru", 1) == "остался 1 рабочий день"
    assert working_days_text("ru", 2) == "осталось 2 рабочих дня"
    assert working_days_text("ru", 5) == "осталось 5 рабочих дней"
    assert working_days_text("ru", 21) == "остался 21 рабочий день"


def test_overdue_by_one_working_day_is_singular_in_russian() -> None:
    assert working_days_text("ru", -1) == "просрочено на 1 рабочий день"
    assert working_days_text("ru", -3) == "просрочено на 3 рабочих дня"
    assert working_days_text("ru", -11) == "просрочено на 11 рабочих дней"


def test_kazakh_says_the_count_with_one_form() -> None:
    assert working_days_text("kk", 1) == "1 жұмыс күні қалды"
    assert working_days_text("kk", 4) == "4 жұмыс күні қалды"
    assert working_days_text("kk", -1) == "мерзімі 1 жұмыс күніне өтті"


def _protocol_case(due: date) -> Case:
    return Case(1, "701001", "Разрешение", 1, "mep", "protocol_signed", due, None, None)


def test_the_centers_own_target_counts_working_days_in_the_plural_the_language_wants() -> None:
    deadlines = Deadlines(Policy(), WorkCalendar.kazakhstan())
    due = date(2027, 3, 17)  # a Wednesday: the protocol's own target, no legal term
    [past_one] = case_lines([_protocol_case(due)], date(2027, 3, 18), deadlines, "ru", {})
    assert "1 рабочий день" in past_one and "раб. дн." not in past_one
    [to_two] = case_lines([_protocol_case(due)], date(2027, 3, 15), deadlines, "ru", {})
    assert "2 рабочих дня" in to_two
    [past_five] = case_lines([_protocol_case(due)], date(2027, 3, 29), deadlines, "ru", {})
    assert "5 рабочих дней" in past_five  # Nauryz, 22-24.03, does not count
    [kk] = case_lines([_protocol_case(due)], date(2027, 3, 18), deadlines, "kk", {})
    assert "1 жұмыс күні" in kk and "орталықтың өз мерзім" in kk
    [en] = case_lines([_protocol_case(due)], date(2027, 3, 18), deadlines, "en", {})
    assert "1 working day past the center's own target" in en
