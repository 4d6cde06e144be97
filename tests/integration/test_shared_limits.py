"""Rate limits shared through Redis: what one instance counted, the others see, so N
instances keep a citizen's flood pacing and Telegram's limits as one would."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import App, create_app
from bot.channels.telegram.dispatcher import create_dispatcher
from bot.channels.telegram.processor import UpdateProcessor
from bot.channels.telegram.receivers import InboxWriter
from bot.config import Settings
from bot.limits import LocalLimits, RedisLimits
from bot.runners.telegram import create_bot
from knowledge.clock import FixedClock
from knowledge.db.tables import InboxRow
from tests.fakes.bot_api import message_update
from tests.services import redis_url

CLOCK = FixedClock(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
FLOOD = 3


def unique(name: str) -> str:
    return f"test:{name}:{random.getrandbits(48)}"


async def test_two_clients_share_counts_and_only_one_gets_a_turn() -> None:
    url = redis_url()
    clock = FixedClock(CLOCK.at)
    one, two = RedisLimits(url, clock), RedisLimits(url, clock)
    try:
        key = unique("hits")
        for limits in (one, two, one):
            await limits.note(key, 5.0)
        assert await two.recent(key, 5.0) == 3 and await one.recent(key, 5.0) == 3
        turn = unique("turn")
        taken = await asyncio.gather(*(c.once_per(turn, 5.0) for c in (one, two) * 5))
        assert sum(taken) == 1
        # the windows are the clock's: five seconds on, the hits and the turn are over
        clock.at += timedelta(seconds=5.1)
        assert await one.recent(key, 5.0) == 0
        assert await two.once_per(turn, 5.0) and not await one.once_per(turn, 5.0)
    finally:
        await one.close()
        await two.close()


async def test_local_limits_count_and_give_one_turn_in_this_process() -> None:
    clock = FixedClock(CLOCK.at)
    limits = LocalLimits(clock)
    await limits.note("k", 5.0)
    clock.at += timedelta(seconds=4)
    await limits.note("k", 5.0)
    assert await limits.recent("k", 5.0) == 2 and await limits.recent("other", 5.0) == 0
    assert await limits.once_per("t", 5.0) and not await limits.once_per("t", 5.0)
    clock.at += timedelta(seconds=2)  # the first hit left the window, the turn is not over
    assert await limits.recent("k", 5.0) == 1 and not await limits.once_per("t", 5.0)
    clock.at += timedelta(seconds=3.1)
    assert await limits.recent("k", 5.0) == 0 and await limits.once_per("t", 5.0)


async def test_local_limits_forget_quiet_chats(monkeypatch: pytest.MonkeyPatch) -> None:
    """A million citizens over a year must not stay in memory: a key whose window is empty
    is dropped when counted, and expired turns are dropped once many are held."""
    clock = FixedClock(CLOCK.at)
    limits = LocalLimits(clock)
    monkeypatch.setattr("bot.limits.PRUNE_AT", 100)
    for chat in range(1000):
        await limits.note(f"flood:{chat}", 1.0)
        await limits.once_per(f"tg:chat:{chat}", 1.0)
        clock.at += timedelta(seconds=2)
    for chat in range(1000):
        assert await limits.recent(f"flood:{chat}", 1.0) == 0
    assert limits.size() <= 100


@pytest.fixture
async def instances(tmp_path: Path) -> AsyncIterator[list[App]]:
    """Two instances on one base and one Redis."""
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'ucc.sqlite3'}",
                        redis_url=redis_url(), _env_file=None)  # type: ignore[call-arg]
    apps = [await create_app(settings, CLOCK) for _ in range(2)]
    yield apps
    for app in apps:
        await app.close()


async def test_a_flooding_chat_is_paced_by_every_instance_not_only_the_one_it_hit(
    instances: list[App],
) -> None:
    chat = random.randint(10**8, 10**9)
    first, second = instances
    await InboxWriter(first, CLOCK).store_batch([
        {"update_id": 700 + n, **message_update(chat, f"вопрос {n}", language_code="ru")}
        for n in range(FLOOD + 2)])
    bot = create_bot("123:fake", "http://127.0.0.1:9")
    try:
        processors = [UpdateProcessor(
            app, bot, create_dispatcher(app), CLOCK,
            flood_messages=FLOOD, flood_window_s=30.0) for app in instances]
        assert await processors[0].process_pending() == FLOOD
        assert await processors[1].process_pending() == 0  # the chat's share is used up
    finally:
        await bot.session.close()
    async with first.uow() as uow:
        waiting = await uow.session.scalar(select(func.count()).select_from(InboxRow).where(
            InboxRow.status == "received"))
    assert waiting == 2  # stored, answered later at the chat's pace: nothing dropped
