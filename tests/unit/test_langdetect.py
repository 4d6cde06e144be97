"""Language of short questions: the frame words decide, nouns of the other language don't."""

from __future__ import annotations

import pytest

from knowledge.text.analyse import split_words
from knowledge.text.langdetect import detect_language


def lang(text: str, fallback: str = "kk") -> str:
    return detect_language(split_words(text), fallback=fallback)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Төлқұжат қанша тұрады?", "kk"),
        ("Сколько стоит паспорт?", "ru"),
        ("балабакша кезеги акылы ма", "kk"),  # Kazakh without its letters
        ("balabaksha kezegi akyly ma", "kk"),  # chat Latin
        ("skolko stoit pasport", "ru"),  # translit
        ("выписка ЕНПФ алу тегін бе?", "kk"),  # Russian nouns in a Kazakh frame
        ("бала күтімі жәрдемақысы для оформления какие документы?", "ru"),  # and back
        ("пенсионные отчисления қайдан көруге болады?", "kk"),
        ("где взять справку о несудимости", "ru"),
        ("ЭЦҚ қайдан алу", "kk"),
    ],
)
def test_detects_the_language_of_short_and_mixed_questions(text: str, expected: str) -> None:
    assert lang(text) == expected


def test_falls_back_when_the_words_give_no_evidence() -> None:
    assert lang("ЦОН", fallback="ru") == "ru"
    assert lang("ЦОН", fallback="kk") == "kk"
