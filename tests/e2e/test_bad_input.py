"""Hostile and odd questions through the engine in-process, on the product demo pack."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import inspect

from bot.app import App
from knowledge.asking import ask, unanswered
from knowledge.model import Answer, Decision
from knowledge.pack.io import dump_pack, export_pack, import_pack
from knowledge.pack.validate import parse_pack
from knowledge.staff import SYSTEM
from tests.conftest import PRODUCT_DEMO_PACK

QUICK_S = 1.0  # a chat bot must not sit on one question longer than this


@pytest.fixture
async def demo(app: App) -> App:
    async with app.uow() as uow:
        await import_pack(uow, parse_pack(PRODUCT_DEMO_PACK.read_bytes()), draft=False)
    await ask_one(app, "паспорт")  # build the index outside any timing
    return app


async def ask_one(app: App, text: str) -> Answer:
    async with app.uow() as uow:
        return await ask(uow, app.matchers, text, channel="test", fallback_lang="kk",
                         clock=app.clock)


async def unanswered_texts(app: App) -> list[str]:
    async with app.uow() as uow:
        return [row.text for row in await unanswered(uow, SYSTEM, 1000)]


async def snapshot(app: App) -> tuple[Any, ...]:
    """The tables of the database and the whole knowledge base as a pack."""
    async with app.uow() as uow:
        connection = await uow.session.connection()
        tables = sorted(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
        return tables, dump_pack(await export_pack(uow, SYSTEM))


def candidate_keys(answer: Answer) -> list[str]:
    return [c.entry for c in answer.candidates]


async def test_an_empty_or_blank_question_is_escalated_as_empty(demo: App) -> None:
    for text in ["", "   ", "\n\t \u3000 \r\n"]:
        answer = await ask_one(demo, text)
        assert (answer.decision, answer.reason, answer.entry) == (
            Decision.ESCALATE, "empty", None
        ), (text, answer)


async def test_a_question_of_emoji_or_punctuation_only_is_escalated_as_having_no_words(
    demo: App,
) -> None:
    for text in ["👍👍👍", "😀 🇰🇿 ❤️", "???!!!", "... --- ...", "«»—–()[]{}!?;:"]:
        answer = await ask_one(demo, text)
        assert (answer.decision, answer.reason, answer.entry) == (
            Decision.ESCALATE, "no_words", None
        ), (text, answer)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(("паспорт қанша тұрады? " * 5000)[:100_000], id="repeated-question"),
        pytest.param(
            ("Здравствуйте, подскажите пожалуйста, сколько стоит паспорт и какие документы "
             "нужны, если я живу в другом городе. ") * 1000,
            id="pasted-letter",
        ),
        pytest.param("ыы" * 50_000, id="one-letter-repeated"),
        pytest.param(
            ("https://egov.kz/cms/ru/services/" + "a1b2c3d4e5f6g7h8" * 6300)[:100_000],
            id="one-long-url",
        ),
    ],
)
async def test_a_question_of_a_hundred_thousand_characters_gets_a_result_quickly(
    demo: App, text: str
) -> None:
    assert len(text) >= 100_000
    started = time.perf_counter()
    answer = await ask_one(demo, text)
    elapsed = time.perf_counter() - started
    assert answer.decision in set(Decision)
    assert 0.0 <= answer.score <= 1.0
    assert elapsed < QUICK_S, f"took {elapsed:.2f} s"


async def test_control_and_zero_width_characters_do_not_hide_the_entry(demo: App) -> None:
    for text in [
        "\x00паспорт\tқанша\x1bтұрады?\r\n\x07",  # control characters between words
        "пас\u200bпорт қан\u200dша тұ\ufeffрады?",  # zero-width inside words
        "\ufeffпаспорт\u200e қанша\u2060 тұрады\u200c?",  # format marks around words
        "пас\u00adпорт қанша тұ\u00adрады?",  # soft hyphens
    ]:
        answer = await ask_one(demo, text)
        assert answer.decision in {Decision.ANSWER, Decision.CLARIFY}, (text, answer)
        assert "mvd.passport.fee" in candidate_keys(answer), (text, answer)
        if answer.decision == Decision.ANSWER:
            assert answer.entry == "mvd.passport.fee", (text, answer)


HOSTILE = [
    "'; DROP TABLE entries; --",
    "Robert'); DROP TABLE unanswered_questions;--",
    "1 OR 1=1; DELETE FROM services WHERE '1'='1",
    "паспорт\"; UPDATE entries SET answer_ru = NULL; --",
    "<b>паспорт</b> &amp;",
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)> %s %d {0} ${jndi:ldap://x}",
]


async def test_sql_and_html_in_a_question_break_nothing_and_are_kept_verbatim(
    demo: App,
) -> None:
    before = await snapshot(demo)
    answers = [await ask_one(demo, text) for text in HOSTILE]
    assert await snapshot(demo) == before

    escalated = [text for text, a in zip(HOSTILE, answers, strict=True)
                 if a.decision == Decision.ESCALATE]
    assert escalated, "expected at least the bare SQL fragment to be escalated"
    stored = await unanswered_texts(demo)
    for text in escalated:
        assert text in stored, f"{text!r} not stored verbatim among {stored!r}"
    assert set(stored) <= set(HOSTILE) | {"паспорт"}
    # The HTML-wrapped word still reaches the passport service.
    html = answers[HOSTILE.index("<b>паспорт</b> &amp;")]
    assert html.candidates and html.candidates[0].entry.startswith("mvd.passport."), html


async def test_an_english_question_is_not_answered_confidently_about_another_service(
    demo: App,
) -> None:
    for text in ["how much is a passport", "How much does a passport cost?"]:
        answer = await ask_one(demo, text)
        if answer.decision == Decision.ESCALATE:
            continue
        assert answer.candidates[0].entry.startswith("mvd.passport."), (text, answer)
        if answer.decision == Decision.ANSWER:
            assert answer.entry is not None
            assert answer.entry.startswith("mvd.passport."), (text, answer)


async def test_a_word_with_latin_look_alike_letters_still_matches(demo: App) -> None:
    for text in [
        "пaспорт қанша тұрады",  # Latin a
        "сколько стоит пaспoрт",  # Latin a and o
        "Пaспорт қaншa тұрaды?",  # every а Latin
        "сколько стоит загранпаспорт".replace("о", "o"),  # every о Latin
    ]:
        assert any("a" <= ch <= "z" for ch in text.lower())
        answer = await ask_one(demo, text)
        assert answer.decision in {Decision.ANSWER, Decision.CLARIFY}, (text, answer)
        assert "mvd.passport.fee" in candidate_keys(answer), (text, answer)
        if answer.decision == Decision.ANSWER:
            assert answer.entry == "mvd.passport.fee", (text, answer)
