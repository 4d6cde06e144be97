"""Issue 17: greetings, thanks and "ok" get a short polite reply on every channel (Telegram
driven step by step, SMS through the fake Jasmin, the terminal chat and ``ucc ask``), never
a reference number, an escalation or an unanswered question; a greeting in front of a
question leaves it a question."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import func, select

from bot.texts.small_talk import REPLIES
from knowledge.db.tables import EscalationRow, QuestionLogRow, UnansweredRow
from knowledge.smalltalk import Talk
from tests.e2e.conftest import Cli, describe
from tests.e2e.sms_fixtures import SmsHarness
from tests.e2e.telegram_fixtures import REFERENCE, Harness, answer_html, t

MakeHarness = Callable[..., Awaitable[Harness]]


def reply(lang: str, talk: Talk) -> str:
    """The reply as sent: escaped for Telegram (the texts have nothing to escape)."""
    return t(lang, REPLIES[talk])


async def kept(app: Any) -> tuple[int, int, int]:
    """Escalations, unanswered questions and logged questions in the base."""
    async with app.uow() as uow:
        counts = [await uow.session.scalar(select(func.count()).select_from(table))
                  for table in (EscalationRow, UnansweredRow, QuestionLogRow)]
    return counts[0] or 0, counts[1] or 0, counts[2] or 0


async def test_telegram_greetings_thanks_and_ok_get_a_polite_reply_and_no_reference(
    make_harness: MakeHarness,
) -> None:
    h, chat = await make_harness(), 720_001
    await h.start()

    [hello_kk] = await h.ask(chat, "Сәлеметсіз бе!", lang="ru")
    [thanks_ru] = await h.ask(chat, "Спасибо большое", lang="ru")
    [ok] = await h.ask(chat, "ок", lang="ru")
    [question] = await h.ask(chat, "Здравствуйте, сколько стоит загранпаспорт?", lang="ru")

    assert hello_kk.params["text"] == reply("kk", Talk.GREETING)
    assert thanks_ru.params["text"] == reply("ru", Talk.THANKS)
    assert ok.params["text"] == reply("ru", Talk.OK)
    for call in (hello_kk, thanks_ru, ok):
        assert not REFERENCE.search(str(call.params["text"]))
        assert "reply_markup" not in call.params or not call.params["reply_markup"]
    assert question.params["text"] == answer_html("mvd.passport.fee", "ru")
    assert await kept(h.app) == (0, 0, 1)  # only the question was logged as one


async def test_sms_thanks_and_a_greeting_get_a_polite_sms_and_no_reference(
    sms: SmsHarness,
) -> None:
    [thanks] = await sms.ask("+77011234567", "рахмет")
    [hello] = await sms.ask("+77771234567", "Добрый день!")

    assert thanks.text == reply("kk", Talk.THANKS)
    assert hello.text == reply("ru", Talk.GREETING)
    assert await kept(sms.app) == (0, 0, 0)


def test_the_terminal_chat_and_ucc_ask_reply_to_small_talk_without_passing_it_on(
    seeded_cli: Cli,
) -> None:
    chat = seeded_cli("chat", "--lang", "ru", stdin="привет\nрахмет\n/quit\n")
    asked = seeded_cli("ask", "--json", "--lang", "ru", "ок, понятно")

    assert chat.returncode == 0, describe(chat)
    assert reply("ru", Talk.GREETING) in chat.stdout
    assert reply("kk", Talk.THANKS) in chat.stdout
    assert not REFERENCE.search(chat.stdout)
    verdict = json.loads(asked.stdout)
    assert verdict["reason"] == "ok" and "reference" not in verdict, asked.stdout
    unanswered = seeded_cli("unanswered", "list")
    assert "привет" not in unanswered.stdout and "понятно" not in unanswered.stdout
