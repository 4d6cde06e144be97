"""Issue 17: a question no service of the base covers (the weather, a phone to buy) gets an
honest reply on every channel (Telegram driven step by step, SMS through the fake Jasmin,
the terminal chat and ``ucc ask``): what the bot answers and that the 1414 line takes
other questions, never "passed to …" with a reference; it is logged as a question and kept
for operators as a gap (``ucc unanswered list``)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select

from bot.texts.scope import OUT_OF_SCOPE_REPLY
from knowledge.db.tables import EscalationRow, QuestionLogRow, UnansweredRow
from tests.e2e.conftest import Cli, describe
from tests.e2e.sms_fixtures import SmsHarness
from tests.e2e.telegram_fixtures import REFERENCE, Harness, t

MakeHarness = Callable[..., Awaitable[Harness]]
MATCH_RU = "кто выиграл футбольный матч"
WEATHER_KK = "ертеңгі ауа райы"


async def kept(app: Any) -> tuple[int, list[str], int]:
    """Escalations, the unanswered questions' decisions, and logged questions."""
    async with app.uow() as uow:
        escalations = len((await uow.session.scalars(select(EscalationRow))).all())
        gaps = list(await uow.session.scalars(select(UnansweredRow.decision)))
        logged = len((await uow.session.scalars(select(QuestionLogRow))).all())
    return escalations, gaps, logged


async def test_telegram_tells_what_it_answers_and_passes_nothing_on(
    make_harness: MakeHarness,
) -> None:
    h, chat = await make_harness(), 730_001
    await h.start()

    [ru] = await h.ask(chat, MATCH_RU, lang="kk")
    [kk] = await h.ask(chat, WEATHER_KK, lang="ru")

    assert ru.params["text"] == t("ru", OUT_OF_SCOPE_REPLY)
    assert kk.params["text"] == t("kk", OUT_OF_SCOPE_REPLY)
    for call in (ru, kk):
        assert not REFERENCE.search(str(call.params["text"]))
    assert await kept(h.app) == (0, ["out_of_scope", "out_of_scope"], 2)


async def test_sms_tells_what_it_answers_and_passes_nothing_on(sms: SmsHarness) -> None:
    [reply] = await sms.ask("+77011234567", MATCH_RU)

    assert reply.text == t("ru", OUT_OF_SCOPE_REPLY)
    assert await kept(sms.app) == (0, ["out_of_scope"], 1)


def test_the_terminal_chat_and_ucc_ask_keep_it_as_a_gap_for_operators(
    seeded_cli: Cli,
) -> None:
    chat = seeded_cli("chat", "--lang", "kk", stdin=f"{MATCH_RU}\n/quit\n")
    asked = seeded_cli("ask", "--json", "--lang", "ru", MATCH_RU)
    printed = seeded_cli("ask", "--lang", "ru", "какой смартфон купить")

    assert chat.returncode == 0, describe(chat)
    assert t("ru", OUT_OF_SCOPE_REPLY) in chat.stdout
    assert t("ru", OUT_OF_SCOPE_REPLY) in printed.stdout
    for out in (chat.stdout, printed.stdout):
        assert not REFERENCE.search(out), out
    verdict = json.loads(asked.stdout)
    assert verdict["decision"] == "escalate" and verdict["reason"] == "out_of_scope"
    assert "reference" not in verdict, asked.stdout
    assert "Q-" not in seeded_cli("escalations", "list").stdout
    listed = seeded_cli("unanswered", "list").stdout.splitlines()
    assert len(listed) == 3 and all(line.endswith("gap: out of scope") for line in listed), listed
