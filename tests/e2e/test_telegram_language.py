"""A language the citizen chose (/lang, its buttons, or "/lang ru") is the one they are
answered in until they choose again: a message in the other language does not switch it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from tests.e2e.telegram_fixtures import Harness, answer_html, t

MakeHarness = Callable[..., Awaitable[Harness]]
KINDERGARTEN = "edu.kindergarten-queue.documents"
KAZAKH_QUESTION = "Балабақша кезегіне тұру үшін не керек?"


async def test_a_citizen_who_chose_russian_is_answered_in_russian_when_writing_kazakh(
    make_harness: MakeHarness,
) -> None:
    h, chat = await make_harness(), 740_001
    await h.start()

    [changed] = await h.ask(chat, "/lang ru", lang="kk")
    assert changed.params["text"] == t("ru", "Language changed.")
    assert (await h.citizen(chat)).lang == "ru"

    for _ in range(2):  # the next Kazakh message, and the one after it
        [answer] = await h.ask(chat, KAZAKH_QUESTION, lang="kk")
        assert answer.params["text"] == answer_html(KINDERGARTEN, "ru")
    assert (await h.citizen(chat)).lang == "ru"

    [changed] = await h.ask(chat, "/lang kk", lang="kk")  # until they change it
    assert changed.params["text"] == t("kk", "Language changed.")
    [answer] = await h.ask(chat, KAZAKH_QUESTION, lang="kk")
    assert answer.params["text"] == answer_html(KINDERGARTEN, "kk")


async def test_without_a_choice_each_message_is_answered_in_its_own_language(
    make_harness: MakeHarness,
) -> None:
    h, chat = await make_harness(), 740_002
    await h.start()

    [answer] = await h.ask(chat, KAZAKH_QUESTION, lang="ru")
    assert answer.params["text"] == answer_html(KINDERGARTEN, "kk")
    assert (await h.citizen(chat)).lang is None


async def test_lang_without_a_language_still_offers_the_two_buttons(
    make_harness: MakeHarness,
) -> None:
    h, chat = await make_harness(), 740_003
    await h.start()
    for text in ("/lang", "/lang en"):
        [choose] = await h.ask(chat, text, lang="ru")
        assert choose.params["text"] == t("ru", "Choose your language:")
    assert (await h.citizen(chat)).lang is None
