"""Another process holding SQLite's write lock longer than the busy timeout: waited out and
retried, never a second copy of a reply, never the end of the process."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App
from bot.channels.telegram.receivers import InboxWriter, poll
from bot.channels.telegram.replies import plain_message
from bot.channels.telegram.sender import TelegramSender
from knowledge import outbox
from knowledge.db import engine as db_engine
from knowledge.db.tables import InboxRow, OutboxRow
from tests.fakes.bot_api import FakeBotAPI, message_update

HELD_S = 0.8  # several busy timeouts long


@pytest.fixture(autouse=True)
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lock held past the busy timeout, in a fraction of a second."""
    monkeypatch.setattr(db_engine, "SQLITE_BUSY_TIMEOUT_MS", 100)


def database_of(app: App) -> Path:
    return Path(str(app.engine.url.database))


@contextmanager
def write_lock_held(database: Path, seconds: float) -> Iterator[threading.Event]:
    """Another connection (as another process would) takes the write lock and keeps it."""
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        other = sqlite3.connect(database, isolation_level=None, timeout=10)
        other.execute("BEGIN IMMEDIATE")
        taken.set()
        release.wait(seconds)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait(5)
    try:
        yield release
    finally:
        release.set()
        thread.join()


async def test_a_lock_while_recording_a_sent_reply_is_waited_out_and_it_is_sent_once(
    app: App,
) -> None:
    async with app.uow() as uow:
        outbox.enqueue(uow, plain_message(42, "Жауап."), app.clock)
        await uow.commit()
    async with FakeBotAPI() as fake:
        bot = fake.make_bot()
        sender = TelegramSender(app, bot, app.clock, per_chat_interval_s=0)
        try:
            fake.hang_next("sendMessage", HELD_S / 4)  # the lock is taken while it is out
            sending = asyncio.create_task(sender.send_due())
            await fake.wait_for("sendMessage", 1)
            with write_lock_held(database_of(app), HELD_S):
                assert await sending == 1  # recorded once the lock was gone, not raised
            assert await sender.send_due() == 0  # nothing left to send again
        finally:
            await sender.close()
            await bot.session.close()
        assert len(fake.sent_messages(42)) == 1
    async with app.uow() as uow:
        assert (await uow.session.scalars(select(OutboxRow.status))).all() == ["sent"]


async def test_long_polling_outlives_a_lock_and_moves_the_offset_only_once_stored(
    app: App,
) -> None:
    async with FakeBotAPI(poll_cap=0.05) as fake:
        bot = fake.make_bot()
        stop = asyncio.Event()
        writer = InboxWriter(app, app.clock)
        try:
            with write_lock_held(database_of(app), HELD_S):
                fake.push_update(message_update(43, "Сколько стоит паспорт?"))
                polling = asyncio.create_task(poll(bot, writer, stop))
                await fake.wait_for("getUpdates", 1)
                await asyncio.sleep(HELD_S * 0.6)  # its store has failed on the lock by now
                assert not polling.done()  # the lock did not end it
                # the update was not stored, so the offset did not move past it
                offsets = [c.params.get("offset") for c in fake.calls_of("getUpdates")]
                assert all(offset is None for offset in offsets), offsets
            for _ in range(200):  # stored once the lock is gone
                async with app.uow() as uow:
                    if (await uow.session.scalars(select(InboxRow.id))).all():
                        break
                await asyncio.sleep(0.05)
        finally:
            stop.set()
            await asyncio.wait_for(polling, 5)
            await bot.session.close()
    async with app.uow() as uow:
        assert len((await uow.session.scalars(select(InboxRow.id))).all()) == 1
