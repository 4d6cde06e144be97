"""The para 12 notice as operators see it in Telegram: its refusals counted in the plural
the language wants, on a fixed date (no "refusal(s)")."""

from __future__ import annotations

from datetime import date

from handlers.refusals import notice_line
from knowledge.refusals import Notice, Refusal


def notice_of(count: int, *, sent_on: date | None = None) -> Notice:
    refusals = tuple(
        Refusal(n, f"Q-261201-{n:05d}", 1, "mvd", "plain", "Вопрос", "Нет", date(2026, 12, 1),
                date(2026, 12, n), "agency:mvd", "confirmed", 7)
        for n in range(1, count + 1))
    return Notice(7, 1, "mvd", "ІІМ", "МВД", date(2026, 12, 1), date(2027, 1, 1),
                  date(2026, 12, 2), date(2026, 12, 7), "sent" if sent_on else "open", sent_on,
                  "by_hand" if sent_on else None, refusals)


def test_the_notice_card_counts_refusals_in_russian_plural_forms() -> None:
    assert "1 отказ " in notice_line("ru", notice_of(1))
    assert "2 отказа " in notice_line("ru", notice_of(2))
    assert "5 отказов " in notice_line("ru", notice_of(5))
    assert "21 отказ " in notice_line("ru", notice_of(21))


def test_the_notice_card_counts_refusals_in_kazakh() -> None:
    """(The card is for staff, in Kazakh or Russian: the languages agency names come in.)"""
    assert "2 бас тарту" in notice_line("kk", notice_of(2))
    for lang in ("kk", "ru"):
        assert "(s)" not in notice_line(lang, notice_of(2))


def test_the_notice_card_says_a_late_notice_was_sent_late() -> None:
    line = notice_line("ru", notice_of(2, sent_on=date(2026, 12, 9)))
    assert "с опозданием, 9 декабря 2026" in line and "7 декабря 2026" in line
