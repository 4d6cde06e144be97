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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Kazakh nouns (with Kazakh letters, endings, base evidence) in a Russian frame.
        ("мектепке құжат тапсыру бесплатно?", "ru"),  # a predicative adverb in -но
        ("бірінші сынып құжаттары қабылдау платно?", "ru"),
        ("жер учаскесіне құжаттарды кто принимает?", "ru"),  # a question word, a verb
        ("тұрғын үй кезегіне тұру оформляют?", "ru"),  # a finite verb, not a listed one
        ("жәрдемақы тағайындау почём?", "ru"),  # an interrogative adverb
        # ... and a Kazakh predicate makes it Kazakh, whatever the nouns.
        ("мектепке құжат тапсыру тегін бе?", "kk"),
        ("временная регистрация ақылы ма?", "kk"),
        ("снять с регистрации машину ақылы ма?", "kk"),
    ],
)
def test_the_frame_decides_over_nouns_of_the_other_language(text: str, expected: str) -> None:
    assert lang(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # бар / жоқ inside a noun phrase ("a child who has…") is no predicate: Kazakh ends
        # its clause with the predicate, so only a closing one counts as such.
        "баласы бар отбасына жәрдемақы сколько дней оформляется?",
        "үйі жоқ азаматтарға пособие положено?",
        "ата-анасы жоқ бала туралы справка за деньги или даром?",
    ],
)
def test_a_kazakh_predicate_word_inside_a_noun_phrase_is_no_frame(text: str) -> None:
    assert lang(text) == "ru"
