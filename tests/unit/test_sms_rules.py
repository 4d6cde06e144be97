"""SMS rules: UCS-2 segments, fitting at sentence and word ends, keywords, numbers, reports."""

from __future__ import annotations

import random
import re

import pytest

from knowledge.sms.delivery import advances, state_of
from knowledge.sms.keywords import Keyword, bare_number, command
from knowledge.sms.numbers import e164
from knowledge.sms.segments import ELLIPSIS, fit, segments, shorten, units

WORDS = ("құжат", "удостоверение", "ЦОН", "мемлекеттік", "за", "15", "рабочих", "дней",
         "төлем", "квитанция", "и", "қызмет", "😀", "e-gov")


@pytest.mark.parametrize(("length", "expected"), [
    (1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4),
])
def test_segments_count_ucs2_single_and_multipart(length: int, expected: int) -> None:
    assert segments("ә" * length) == expected


def test_an_emoji_takes_two_units_and_is_never_split() -> None:
    assert units("😀") == 2
    assert segments("ә" * 69 + "😀") == 2  # 71 units
    assert segments("ә" * 66 + "😀" + "ә" * 67) == 3  # the emoji moves to the second part


def _random_text(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(1, 12)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(1, 20))]
        sentences.append(" ".join(words) + rng.choice(".!?"))
    return " ".join(sentences)


@pytest.mark.parametrize("max_parts", [1, 2, 3, 5])
def test_a_fitted_text_is_never_over_the_limit_and_never_cut_inside_a_word(
    max_parts: int,
) -> None:
    rng = random.Random(1414 + max_parts)
    footer = "Ответьте цифрой: 1 — документы, 2 — стоимость."
    for _ in range(300):
        body = _random_text(rng)
        out = fit(body, max_parts, footer=footer if max_parts > 1 else "")
        assert segments(out) <= max_parts
        head = out[: -len(footer) - 1] if max_parts > 1 and out.endswith(footer) else out
        if head == body:
            continue
        kept = head.removesuffix(ELLIPSIS)
        assert body.startswith(kept)
        rest = body[len(kept):]
        assert rest == "" or rest[0].isspace() or rest[0] in ",;:", (kept, rest)
        if not head.endswith(ELLIPSIS):
            assert re.search(r"[.!?]$", kept), kept  # cut at a sentence end


def test_fit_prefers_a_sentence_end_and_says_how_to_learn_more() -> None:
    body = "Первое предложение короткое. " + "Второе очень длинное " * 20 + "."
    out = fit(body, 1, more="Подробнее: 1414.")
    assert out == "Первое предложение короткое.\nПодробнее: 1414."


def test_shorten_cuts_after_a_whole_word() -> None:
    assert shorten("Сколько платить за удостоверение личности?", 25) == "Сколько платить за…"


@pytest.mark.parametrize(("text", "keyword", "lang"), [
    ("STOP", Keyword.STOP, None), (" стоп! ", Keyword.STOP, "ru"), ("Тоқта", Keyword.STOP, "kk"),
    ("start", Keyword.START, None), ("СТАРТ", Keyword.START, "ru"),
    ("баста", Keyword.START, "kk"), ("HELP", Keyword.HELP, None),
    ("КӨМЕК", Keyword.HELP, "kk"), ("помощь?", Keyword.HELP, "ru"),
])
def test_keywords_are_recognised_in_both_languages(
    text: str, keyword: Keyword, lang: str | None,
) -> None:
    found = command(text)
    assert found is not None and (found.keyword, found.lang) == (keyword, lang)


def test_a_sentence_with_a_keyword_is_a_question() -> None:
    assert command("стоп, а сколько стоит паспорт?") is None


def test_bare_numbers() -> None:
    assert [bare_number(t) for t in ("2", " 3. ", "1)", "12345", "2 паспорт")] == [
        2, 3, 1, None, None]


@pytest.mark.parametrize("raw", ["87011234567", "+7 701 123 45 67", "77011234567",
                                 "8 (701) 123-45-67"])
def test_numbers_are_normalised_to_e164(raw: str) -> None:
    assert e164(raw) == "+77011234567"


def test_a_short_code_or_name_is_not_a_number() -> None:
    assert e164("1414") is None and e164("KCELL") is None


def test_delivery_states_only_move_forward() -> None:
    assert state_of("ESME_ROK") == "ACCEPTD" and state_of("ESME_RINVNUMDESTS") == "REJECTD"
    assert advances(None, "ACCEPTD") and advances("ACCEPTD", "DELIVRD")
    assert not advances("DELIVRD", "ACCEPTD") and not advances("DELIVRD", "UNDELIV")
    assert not advances("ACCEPTD", "ACCEPTD")
