"""A count of working days reads as people say it: one day, two days, five days."""

from __future__ import annotations

from handlers.views import working_days_text


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
