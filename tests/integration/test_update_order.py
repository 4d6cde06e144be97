"""A chat's updates are handled in the order they came, also when one of them fails: the
failed batch is processed again one update a transaction, and the chat's later updates wait
for the failed one's retry instead of overtaking it (on SQLite too, where the claim does not
look at what waits outside the batch)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot
from sqlalchemy import select

import handlers.questions
from bot.app import App
from bot.channels.telegram.dispatcher import create_dispatcher
from bot.channels.telegram.processor import UpdateProcessor
from bot.channels.telegram.receivers import InboxWriter
from bot.runners.telegram import create_bot
from knowledge import dialogue
from knowledge.db.tables import ConversationRow, InboxRow
from tests.fakes.bot_api import message_update

CHAT, OTHER = 760_001, 760_002
FRAGILE = "Сколько стоит паспорт?"


@pytest.fixture
async def bot() -> AsyncIterator[Bot]:
    """Never called: replies go to the outbox (nothing listens on port 9)."""
    bot = create_bot("123:fake", "http://127.0.0.1:9")
    yield bot
    await bot.session.close()


def fail_on(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    async def fragile(uow: Any, matchers: Any, citizen: Any, asked: str, **kw: Any) -> Any:
        if asked == text:
            raise RuntimeError("the knowledge base is on fire")
        return await dialogue.respond(uow, matchers, citizen, asked, **kw)

    monkeypatch.setattr(handlers.questions, "respond", fragile)


async def test_a_chat_s_later_update_waits_for_its_failed_one_instead_of_overtaking_it(
    app: App, bot: Bot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    await InboxWriter(app, app.clock).store_batch([
        {"update_id": 1, **message_update(CHAT, FRAGILE, language_code="ru")},
        {"update_id": 2, **message_update(OTHER, "Как прописаться?", language_code="ru")},
        {"update_id": 3, **message_update(CHAT, "Как закрыть ИП?", language_code="ru")},
    ])
    processor = UpdateProcessor(app, bot, create_dispatcher(app), app.clock,
                                flood_messages=1000, flood_window_s=60.0)
    fail_on(monkeypatch, FRAGILE)
    assert await processor.process_pending() == 2  # the failure counted, the other chat done
    assert await states(app) == {"1": ("received", 1), "2": ("processed", 1),
                                 "3": ("received", 0)}  # waits for 1's retry

    monkeypatch.undo()  # the retry succeeds: then the chat's next one, in turn
    assert await processor.process_pending() == 2
    async with app.uow() as uow:
        logged = (await uow.session.scalars(
            select(ConversationRow.text).where(ConversationRow.direction == "in")
            .order_by(ConversationRow.id))).all()
    assert logged == ["Как прописаться?", FRAGILE, "Как закрыть ИП?"]


async def states(app: App) -> dict[str, tuple[str, int]]:
    async with app.uow() as uow:
        rows = await uow.session.execute(
            select(InboxRow.external_id, InboxRow.status, InboxRow.attempts))
        return {external_id: (status, attempts) for external_id, status, attempts in rows}
