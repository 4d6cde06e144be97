"""Small talk is recognised only when it is the whole message (issue 17)."""

from __future__ import annotations

import pytest

from knowledge.smalltalk import SmallTalk, Talk, small_talk


@pytest.mark.parametrize(("text", "expected"), [
    ("салем", SmallTalk(Talk.GREETING, "kk")),
    ("Сәлеметсіз бе!", SmallTalk(Talk.GREETING, "kk")),
    ("salemetsiz be", SmallTalk(Talk.GREETING, "kk")),
    ("Привет", SmallTalk(Talk.GREETING, "ru")),
    ("Здравствуйте!!!", SmallTalk(Talk.GREETING, "ru")),
    ("добрый день", SmallTalk(Talk.GREETING, "ru")),
    ("Рахмет!", SmallTalk(Talk.THANKS, "kk")),
    ("көп рахмееет", SmallTalk(Talk.THANKS, "kk")),
    ("rakhmet", SmallTalk(Talk.THANKS, "kk")),
    ("Спасибо большое)", SmallTalk(Talk.THANKS, "ru")),
    ("спасибо, понятно", SmallTalk(Talk.THANKS, "ru")),
    ("ок", SmallTalk(Talk.OK, None)),
    ("OK 👍", SmallTalk(Talk.OK, None)),
    ("жақсы", SmallTalk(Talk.OK, "kk")),
    ("жаксы", SmallTalk(Talk.OK, "kk")),
    ("Понятно.", SmallTalk(Talk.OK, "ru")),
    ("до свидания", SmallTalk(Talk.GOODBYE, "ru")),
])
def test_a_message_of_small_talk_alone_is_recognised(text: str, expected: SmallTalk) -> None:
    assert small_talk(text) == expected


@pytest.mark.parametrize("text", [
    "Здравствуйте, сколько стоит паспорт?",
    "Сәлеметсіз бе, жеке куәлік қанша тұрады?",
    "спасибо, а сколько ждать?",
    "привет как получить справку о несудимости",
    "жақсы мектеп",
    "ок 12345",
    "добрый",  # half a greeting is a word to match, not a greeting
    "статус",
    "",
    "?",
    "👍👍👍",  # no words: the engine's "write in words" reply
])
def test_a_question_or_anything_else_is_not_small_talk(text: str) -> None:
    assert small_talk(text) is None
