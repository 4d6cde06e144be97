"""A citizen's message over the length limit (``UCC_MESSAGE_MAX_CHARS``, 2000 by default)
on every channel: a polite "too long" in the message's language, nothing matched or
passed on, and the message kept cut to the limit with its original length, so operators
see it. A message of exactly the limit is answered as any other."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Awaitable, Callable

from sqlalchemy import select

from bot.texts.i18n import gettext_for
from knowledge.conversation import conversation
from knowledge.db.tables import ConversationRow, InboxRow
from knowledge.escalations import list_escalations
from knowledge.sms.segments import fit
from knowledge.staff import SYSTEM
from tests.e2e.conftest import Cli, describe
from tests.e2e.sms_fixtures import SmsHarness
from tests.e2e.telegram_fixtures import Harness, answer_html

MakeHarness = Callable[..., Awaitable[Harness]]
LIMIT = 2000  # the documented default
HUGE = 100_000
RU = "Здравствуйте, подскажите, сколько стоит загранпаспорт и какие нужны документы. "
KK = "Сәлеметсіз бе, жеке куәлік алу үшін қандай құжаттар керек екенін айтып беріңізші. "
PASSPORT_FEE = "Сколько стоит загранпаспорт?"
TOO_LONG = ("Your message is too long: {length} characters, and I read up to {limit}. "
            "Please write your question briefly, in a few sentences.")
CHAT = 880_001
NUMBER = "+77011234567"


def repeated(sentence: str, length: int) -> str:
    """``sentence`` over and over, ``length`` characters that end with a question mark."""
    return (sentence * (length // len(sentence) + 1))[:length - 1] + "?"


def padded(question: str, length: int) -> str:
    """The question, then spaces up to ``length`` characters."""
    return question + " " * (length - len(question))


def too_long(lang: str, length: int) -> str:
    return gettext_for(lang).gettext(TOO_LONG).format(length=length, limit=LIMIT)


# ---- Telegram


async def test_telegram_a_huge_message_is_refused_in_its_language_and_kept_cut_and_flagged(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness()
    await h.start()
    text = repeated(RU, HUGE)
    # the client is set to Kazakh; the message is Russian, so is the reply
    [reply] = await h.ask(CHAT, text, lang="kk")
    assert reply.params["text"] == too_long("ru", HUGE)

    citizen = await h.citizen(CHAT)
    async with h.app.uow() as uow:
        assert await list_escalations(uow, SYSTEM) == []
        said = [m for m in await conversation(uow, citizen.id) if m.direction == "in"]
    assert [(m.text, m.original_length) for m in said] == [(text[:LIMIT], HUGE)]
    [stored] = await h.inbox_rows()
    assert stored.payload["message"]["text"] == text[:LIMIT]


async def test_telegram_a_message_of_exactly_the_limit_is_answered_one_more_is_refused(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness()
    await h.start()
    [answered] = await h.ask(CHAT, padded(PASSPORT_FEE, LIMIT))
    assert answered.params["text"] == answer_html("mvd.passport.fee", "ru")
    [refused] = await h.ask(CHAT, padded(PASSPORT_FEE, LIMIT + 1))
    assert refused.params["text"] == too_long("ru", LIMIT + 1)

    citizen = await h.citizen(CHAT)
    async with h.app.uow() as uow:
        said = [m for m in await conversation(uow, citizen.id) if m.direction == "in"]
    assert [m.original_length for m in said] == [None, LIMIT + 1]
    assert [len(m.text) for m in said] == [LIMIT, LIMIT]


# ---- SMS (Jasmin's MO)


async def test_sms_a_huge_message_is_refused_in_its_language_and_kept_cut_and_flagged(
    sms: SmsHarness,
) -> None:
    text = repeated(KK, HUGE)
    [reply] = await sms.ask(NUMBER, text)
    assert reply.text == fit(too_long("kk", HUGE), sms.app.settings.sms_max_parts)

    async with sms.app.uow() as uow:
        assert await list_escalations(uow, SYSTEM) == []
        said = (await uow.session.execute(
            select(ConversationRow.text, ConversationRow.original_length)
            .where(ConversationRow.direction == "in"))).all()
    assert [tuple(row) for row in said] == [(text[:LIMIT], HUGE)]
    [stored] = await sms.rows(InboxRow)
    assert stored.payload["text"] == text[:LIMIT]


async def test_sms_a_message_of_exactly_the_limit_is_answered_one_more_is_refused(
    sms: SmsHarness,
) -> None:
    [answered] = await sms.ask(NUMBER, padded(PASSPORT_FEE, LIMIT))
    assert "МРП" in answered.text
    [refused] = await sms.ask(NUMBER, padded(PASSPORT_FEE, LIMIT + 1))
    assert refused.text == fit(too_long("ru", LIMIT + 1), sms.app.settings.sms_max_parts)


# ---- the terminal: ``ucc ask`` and ``ucc chat``


def unanswered_rows(cli: Cli) -> list[tuple[str, int | None]]:
    with sqlite3.connect(cli.database) as db:
        return list(db.execute(
            "SELECT text, original_length FROM unanswered_questions ORDER BY id"))


def test_ask_a_huge_question_is_refused_in_its_language_and_kept_cut_and_flagged(
    seeded_cli: Cli,
) -> None:
    text = repeated(KK, HUGE)
    result = seeded_cli("ask", text)
    assert result.returncode == 0, describe(result)
    assert too_long("kk", HUGE) in result.stdout.splitlines()
    assert unanswered_rows(seeded_cli) == [(text[:LIMIT], HUGE)]
    listed = seeded_cli("unanswered", "list").stdout
    assert f"(cut from {HUGE} chars)" in listed, listed

    as_json = json.loads(seeded_cli("ask", "--json", text).stdout)
    assert (as_json["decision"], as_json["reason"], as_json["lang"]) == (
        "escalate", "too_long", "kk")


def test_ask_a_question_of_exactly_the_limit_is_answered_one_more_is_refused(
    seeded_cli: Cli,
) -> None:
    answered = json.loads(seeded_cli("ask", "--json", padded(PASSPORT_FEE, LIMIT)).stdout)
    assert (answered["decision"], answered["entry"]) == ("answer", "mvd.passport.fee")
    refused = seeded_cli("ask", padded(PASSPORT_FEE, LIMIT + 1))
    assert too_long("ru", LIMIT + 1) in refused.stdout.splitlines(), describe(refused)


def test_chat_a_huge_line_is_refused_in_its_language_and_the_chat_goes_on(
    seeded_cli: Cli,
) -> None:
    text = repeated(RU, HUGE)
    result = seeded_cli("chat", "--lang", "kk", stdin=f"{text}\n{PASSPORT_FEE}\n/quit\n")
    assert result.returncode == 0, describe(result)
    out = result.stdout
    assert too_long("ru", HUGE) in out
    assert unanswered_rows(seeded_cli) == [(text[:LIMIT], HUGE)]
    assert "МРП" in out.split(too_long("ru", HUGE), 1)[1]  # the next question is answered
