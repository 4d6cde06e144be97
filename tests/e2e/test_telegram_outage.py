"""Proof 3: the Bot API answering 5xx, or slowly, for a while. Replies are delayed, not
lost; the sender backs off (each failed row waits its backoff); when Telegram recovers the
backlog drains within its limits — one message a second a chat, 30 a second overall."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import pytest
from sqlalchemy import select

from bot.app import App
from bot.channels.telegram.replies import plain_message
from bot.channels.telegram.sender import TelegramSender
from knowledge import outbox
from knowledge.db.tables import OutboxRow
from tests.fakes.bot_api import FakeBotAPI

CHATS = 45
PER_CHAT = 2
OUTAGE = 30  # calls answered 502 in a row


@pytest.mark.slow
async def test_an_outage_delays_the_replies_backs_off_and_drains_within_the_limits(
    app: App,
) -> None:
    async with app.uow() as uow:
        for n in range(PER_CHAT):
            for chat in range(1, CHATS + 1):
                outbox.enqueue(uow, plain_message(chat, f"{chat}:{n}"), app.clock)
        await uow.commit()
    async with FakeBotAPI() as fake:
        fake.fail_next("sendMessage", status=502, times=OUTAGE)
        fake.hang_next("sendMessage", 0.5, times=5)  # slow, then well again
        bot = fake.make_bot()
        sender = TelegramSender(app, bot, app.clock)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                await sender.send_due()
                async with app.uow() as uow:
                    left = (await uow.session.scalars(select(OutboxRow.status).where(
                        OutboxRow.status != "sent"))).all()
                if not left:
                    break
                await asyncio.sleep(0.05)
        finally:
            await sender.close()
            await bot.session.close()
        calls = list(fake.calls_of("sendMessage"))
    delivered = [c for c in calls if c.ok]
    failed = [c for c in calls if not c.ok]
    texts = [str(c.params["text"]) for c in delivered]
    assert len(failed) == OUTAGE
    assert sorted(texts) == sorted(f"{chat}:{n}" for chat in range(1, CHATS + 1)
                                   for n in range(PER_CHAT))  # each once, none lost
    for chat in range(1, CHATS + 1):  # in order within a chat, a second apart at least
        mine = [c for c in delivered if c.params["chat_id"] == chat]
        assert [str(c.params["text"]) for c in mine] == [f"{chat}:{n}" for n in range(PER_CHAT)]
        assert all(b.at - a.at >= 0.9 for a, b in zip(mine, mine[1:], strict=False))
    per_second = Counter(int(c.at) for c in delivered)
    assert max(per_second.values()) <= 30 + 5  # a window straddling two seconds
    async with app.uow() as uow:
        attempts = (await uow.session.scalars(select(OutboxRow.attempts))).all()
    assert sum(a > 1 for a in attempts) >= OUTAGE // 2  # the failed ones were retried later
