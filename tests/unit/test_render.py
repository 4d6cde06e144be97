"""Telegram rendering: long texts split at boundaries, outside text escaped."""

from __future__ import annotations

from bot.channels.telegram.render import MESSAGE_LIMIT, quote, split_message


def test_a_short_text_is_one_message() -> None:
    assert split_message("Сәлем") == ["Сәлем"]


def test_a_long_text_splits_at_paragraphs_and_loses_nothing() -> None:
    paragraphs = [f"Абзац {n}. " + "сөз " * 300 for n in range(12)]
    text = "\n\n".join(paragraphs)
    parts = split_message(text)
    assert len(parts) >= 3
    assert all(len(p) <= MESSAGE_LIMIT for p in parts)
    assert " ".join(parts).split() == text.split()
    assert all(p.startswith("Абзац") for p in parts)


def test_a_paragraph_longer_than_a_message_splits_at_sentences() -> None:
    text = " ".join(f"Сөйлем {n} мұнда аяқталады." for n in range(600))
    parts = split_message(text)
    assert all(len(p) <= MESSAGE_LIMIT for p in parts)
    assert all(p.endswith(".") for p in parts)
    assert " ".join(parts).split() == text.split()


def test_a_single_enormous_word_is_cut_without_loss() -> None:
    text = "x" * (MESSAGE_LIMIT * 2 + 10)
    parts = split_message(text)
    assert [len(p) for p in parts] == [MESSAGE_LIMIT, MESSAGE_LIMIT, 10]


def test_citizen_and_knowledge_texts_are_escaped_for_html() -> None:
    assert quote('<b>ЦОН</b> & "1414"') == '&lt;b&gt;ЦОН&lt;/b&gt; &amp; "1414"'
