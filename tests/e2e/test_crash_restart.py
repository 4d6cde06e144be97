"""Proof 2: ``ucc run`` killed with SIGKILL at random moments of a load, ten times, and
restarted each time. Afterwards SQLite's integrity check is ok, every update the webhook
acknowledged was processed and answered, every committed outbox row was sent, and the
duplicates (a reply sent, then the process killed before it was marked sent) are counted
and bounded by the replies claimed for sending at the moments of the kills. And the
graceful stop: SIGTERM finishes and sends what was acknowledged, then exits."""

from __future__ import annotations

import asyncio
import random
import signal
import sqlite3
from pathlib import Path

import pytest
from aiohttp import ClientError, ClientSession

from tests.conftest import copy_sqlite
from tests.e2e.conftest import free_port
from tests.e2e.processes import UccProcess, start_ucc, wait_healthy
from tests.e2e.telegram_fixtures import post_update
from tests.fakes.bot_api import FakeBotAPI, message_update

KILLS = 10
CONNECTIONS = 8  # webhook requests in flight at once (Telegram allows up to 40)
SECRET = "crash-Secret_1414"
ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ["Сколько стоит паспорт?", "Жеке куәлік қанша тұрады?", "Как прописаться?",
             "ЭЦҚ қалай алуға болады?", "справка о несудимости"]


async def start_bot(database: Path, fake: FakeBotAPI, port: int) -> UccProcess:
    """``ucc run --webhook`` as a process of its own (forked, see ``processes``)."""
    env = {"UCC_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
           "UCC_TELEGRAM_TOKEN": fake.token, "UCC_TELEGRAM_API_URL": fake.base_url,
           "UCC_WEBHOOK_SECRET": SECRET, "UCC_HTTP_PORT": str(port),
           "UCC_HTTP_HOST": "127.0.0.1", "UCC_FLOOD_MESSAGES": "1000"}
    return start_ucc(["run", "--webhook", f"http://127.0.0.1:{port}"], env, database.parent)


async def post(http: ClientSession, base: str, payload: dict[str, object]) -> int:
    try:
        return await post_update(http, base, payload, SECRET)
    except (ClientError, OSError):
        return 0  # refused: the bot is down (Telegram would deliver it again)


async def post_all(http: ClientSession, base: str, payloads: list[dict[str, object]]
                   ) -> list[int]:
    """Each update posted, up to ``CONNECTIONS`` at a time; their statuses in order."""
    slots = asyncio.Semaphore(CONNECTIONS)

    async def one(payload: dict[str, object]) -> int:
        async with slots:
            return await post(http, base, payload)

    return list(await asyncio.gather(*(one(p) for p in payloads)))


def unsent_rows(database: Path) -> int:
    with sqlite3.connect(database) as db:
        # the citizens' replies (the monthly report's letter waits for UCC_QC_EMAIL)
        return int(db.execute("SELECT count(*) FROM outbox WHERE status != 'sent' "
                              "AND channel = 'telegram'").fetchone()[0])


def in_flight_rows(database: Path) -> int:
    """Rows claimed for sending and not recorded sent (their ``not_before`` pushed a lease
    ahead): read after a kill, the replies that may have gone out already."""
    with sqlite3.connect(database) as db:
        return int(db.execute(
            "SELECT count(*) FROM outbox WHERE status = 'pending' AND attempts = 0"
            " AND not_before > created_at").fetchone()[0])


@pytest.mark.slow
async def test_killed_ten_times_under_load_nothing_acknowledged_is_lost(
    tmp_path: Path, demo_base: Path, fork_server: None,
) -> None:
    database = tmp_path / "ucc.sqlite3"
    copy_sqlite(demo_base, database)
    rng = random.Random(1414)
    acknowledged: dict[int, int] = {}  # update id -> chat
    pending: dict[int, dict[str, object]] = {}  # not yet acknowledged: delivered again
    next_id = 1
    in_flight = 0  # claimed rows found after the kills: the only replies that may go twice
    async with FakeBotAPI(poll_cap=0.1) as fake, ClientSession() as http:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        for kill in range(KILLS + 1):
            bot = await start_bot(database, fake, port)
            try:
                await wait_healthy(http, base)
                burst = rng.randint(10, 30) if kill < KILLS else 20
                for _ in range(burst):
                    chat = 70_000 + next_id
                    pending[next_id] = {**message_update(
                        chat, rng.choice(QUESTIONS), language_code="ru"), "update_id": next_id}
                    next_id += 1
                # Telegram's (re)delivery, several connections at once as it does
                statuses = await post_all(http, base, list(pending.values()))
                for update_id, status in zip(list(pending), statuses, strict=True):
                    if status == 200:
                        acknowledged[update_id] = 70_000 + update_id
                        del pending[update_id]
                if kill < KILLS:
                    await asyncio.sleep(rng.uniform(0.0, 0.6))  # a random point of the work
                    bot.send_signal(signal.SIGKILL)
                    await bot.wait()
                    in_flight += in_flight_rows(database)
                else:  # the last run: let everything be answered and recorded sent
                    for _ in range(300):  # 30 s at most
                        answered = {int(c.params["chat_id"]) for c in fake.calls_of("sendMessage")
                                    if c.ok}
                        if all(chat in answered for chat in acknowledged.values()) and (
                                not unsent_rows(database)):
                            break
                        await asyncio.sleep(0.1)
            finally:
                if bot.returncode is None:
                    bot.send_signal(signal.SIGTERM)
                    await asyncio.wait_for(bot.wait(), 30)
        replies = [(int(c.params["chat_id"]), str(c.params["text"]))
                   for c in fake.calls_of("sendMessage") if c.ok]
    assert not pending
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        statuses = dict(db.execute("SELECT status, count(*) FROM inbox GROUP BY status"))
        unsent = db.execute("SELECT count(*) FROM outbox WHERE status != 'sent' "
                            "AND channel = 'telegram'").fetchone()[0]
    assert statuses == {"processed": len(acknowledged)}  # each once, none lost or parked
    assert unsent == 0  # every committed reply went out
    answered = {chat for chat, _text in replies}
    assert all(chat in answered for chat in acknowledged.values())
    duplicates = len(replies) - len(set(replies))
    # a reply is sent twice only when the process died between sending it and recording it
    # sent: it was claimed then (a round goes out at once, so up to a round per kill)
    assert duplicates <= in_flight, f"{duplicates} duplicate replies, {in_flight} in flight"


@pytest.mark.slow
async def test_sigterm_stops_finishes_what_it_can_and_a_restart_loses_nothing(
    tmp_path: Path, demo_base: Path, fork_server: None,
) -> None:
    """Graceful stop: after SIGTERM the bot drains for a bounded time and exits 0; what
    it acknowledged and could not answer in time is answered after a restart."""
    database = tmp_path / "ucc.sqlite3"
    copy_sqlite(demo_base, database)
    updates = range(1, 41)
    async with FakeBotAPI(poll_cap=0.1) as fake, ClientSession() as http:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        codes = []
        for run in range(2):
            bot = await start_bot(database, fake, port)
            try:
                await wait_healthy(http, base)
                if run == 0:
                    statuses = [await post(http, base, {**message_update(
                        80_000 + n, QUESTIONS[n % len(QUESTIONS)], language_code="ru"),
                        "update_id": n}) for n in updates]
                else:
                    for _ in range(600):
                        if not unsent_rows(database) and _all_processed(database):
                            break
                        await asyncio.sleep(0.1)
                bot.send_signal(signal.SIGTERM)
                codes.append(await asyncio.wait_for(bot.wait(), 30))
            finally:
                if bot.returncode is None:
                    bot.kill()
                    await bot.wait()
        answered = {int(c.params["chat_id"]) for c in fake.calls_of("sendMessage") if c.ok}
    assert statuses == [200] * len(updates) and codes == [0, 0]
    assert answered == {80_000 + n for n in updates}
    with sqlite3.connect(database) as db:
        assert dict(db.execute("SELECT status, count(*) FROM inbox GROUP BY status")) == {
            "processed": len(updates)}
    assert unsent_rows(database) == 0


def _all_processed(database: Path) -> bool:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT count(*) FROM inbox WHERE status != 'processed'"
                          ).fetchone() == (0,)
