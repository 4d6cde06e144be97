"""Several instances on one PostgreSQL base share the work and never do it twice: the same
update delivered to two instances is processed once, a chat's updates keep their order,
no outbox row is sent twice, a periodic job runs in one instance at a time, and two
people taking the same question never both get it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from aiogram import Bot
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.app import App, create_app
from bot.channels.telegram.dispatcher import create_dispatcher
from bot.channels.telegram.processor import BATCH, UpdateProcessor
from bot.channels.telegram.receivers import (
    SECRET_HEADER,
    WEBHOOK_PATH,
    InboxWriter,
    add_webhook_route,
)
from bot.channels.telegram.replies import CHANNEL
from bot.channels.telegram.sender import TelegramSender
from bot.config import Settings
from bot.jobs import run_job
from bot.jobs.onboarding import OnboardingJob
from bot.runners.telegram import create_bot
from knowledge import escalations, inbox, onboarding, outbox
from knowledge.agencies import add_agency
from knowledge.citizens import citizen_for
from knowledge.clock import FixedClock
from knowledge.db.locks import CHATS, JOBS, try_lock, try_lock_many
from knowledge.db.tables import ConversationRow, InboxRow, OutboxRow
from knowledge.pack.io import import_pack
from knowledge.pack.validate import parse_pack
from knowledge.staff import Actor, Role
from tests.conftest import PRODUCT_DEMO_PACK
from tests.escalation_helpers import PASSPORT, seed
from tests.fakes.bot_api import FakeBotAPI, message_update
from tests.services import admin_sql, fresh_postgres_database, postgres_url

CLOCK = FixedClock(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
ADMIN = Actor("admin", Role.ADMIN)
INSTANCES = 2


@pytest.fixture
async def instances() -> AsyncIterator[list[App]]:
    """Two applications (instances) on one fresh PostgreSQL database."""
    async with fresh_postgres_database() as url:
        apps = [await create_app(Settings(database_url=url, flood_messages=1000,
                                          _env_file=None), CLOCK)  # type: ignore[call-arg]
                for _ in range(INSTANCES)]
        try:
            yield apps
        finally:
            for app in apps:
                await app.close()


def processor(app: App, bot: Bot, flood_messages: int = 1000) -> UpdateProcessor:
    dispatcher = create_dispatcher(app)
    return UpdateProcessor(app, bot, dispatcher, app.clock, flood_messages=flood_messages,
                           flood_window_s=60.0)


async def demo(app: App) -> None:
    async with app.uow() as uow:
        await import_pack(uow, parse_pack(PRODUCT_DEMO_PACK.read_bytes()),
                          draft=False)


def update(update_id: int, chat: int, text: str) -> dict[str, Any]:
    return {"update_id": update_id, **message_update(chat, text, language_code="ru")}


async def drain(processors: list[UpdateProcessor]) -> None:
    """Every instance processes at the same time until nothing is left."""
    while True:
        done = await asyncio.gather(*(p.process_pending() for p in processors))
        if not any(done):
            return


async def test_the_same_update_delivered_to_two_instances_is_processed_once(
    instances: list[App],
) -> None:
    await demo(instances[0])
    bot = create_bot("123:fake", "http://127.0.0.1:9")
    try:
        same = update(500, 9001, "Сколько стоит паспорт?")
        writers = [InboxWriter(app, app.clock) for app in instances]
        stored = await asyncio.gather(*(w.store_batch([same]) for w in writers))
        assert sorted(len(new) for new in stored) == [0, 1]
        await drain([processor(app, bot) for app in instances])
    finally:
        await bot.session.close()
    async with instances[0].uow() as uow:
        inbox_rows = (await uow.session.execute(
            select(InboxRow.status, InboxRow.attempts))).tuples().all()
        replies = await uow.session.scalar(select(func.count()).select_from(OutboxRow))
        logged_in = await uow.session.scalar(select(func.count()).select_from(
            ConversationRow).where(ConversationRow.direction == "in"))
    assert inbox_rows == [("processed", 1)]
    assert replies == 1 and logged_in == 1


async def test_two_instances_share_a_stream_each_update_once_each_chat_in_order(
    instances: list[App],
) -> None:
    await demo(instances[0])
    chats = range(9100, 9110)
    questions = ["Сколько стоит паспорт?", "Какие документы нужны на удостоверение?",
                 "Как прописаться?", "Сколько стоит ЭЦП?", "пенсия выписка"]
    updates = [update(1000 + n * 10 + c % 10, chat, f"{q} ({n})")
               for n, q in enumerate(questions) for c, chat in enumerate(chats)]
    # each update reaches one instance or the other (a load balancer), some reach both
    async def deliver(app: App, batch: list[dict[str, Any]]) -> None:
        await InboxWriter(app, app.clock).store_batch(batch)
    await asyncio.gather(deliver(instances[0], updates[::2] + updates[:10]),
                         deliver(instances[1], updates[1::2] + updates[:10]))
    bot = create_bot("123:fake", "http://127.0.0.1:9")
    try:  # five messages a chat is within the pace: nobody may be asked to wait
        await drain([processor(app, bot, flood_messages=len(questions)) for app in instances])
    finally:
        await bot.session.close()
    async with instances[1].uow() as uow:
        statuses = (await uow.session.scalars(select(InboxRow.status))).all()
        logged = (await uow.session.execute(
            select(ConversationRow.citizen_id, ConversationRow.text)
            .where(ConversationRow.direction == "in").order_by(ConversationRow.id))).all()
        replies = await uow.session.scalar(select(func.count()).select_from(OutboxRow))
    assert sorted(statuses) == ["processed"] * len(updates)
    assert len(logged) == len(updates) and replies == len(updates)  # one answer each
    by_citizen: dict[int, list[str]] = {}
    for citizen_id, text in logged:
        by_citizen.setdefault(citizen_id, []).append(text)
    for texts in by_citizen.values():  # each chat's questions in the order asked
        assert texts == sorted(texts, key=lambda t: int(t.rsplit("(", 1)[1].rstrip(")")))


async def test_two_senders_send_every_message_once_and_in_order(instances: list[App]) -> None:
    fake = FakeBotAPI()
    await fake.start()
    bots = [fake.make_bot() for _ in instances]
    senders = [TelegramSender(app, bot, app.clock, per_chat_interval_s=0.0)
               for app, bot in zip(instances, bots, strict=True)]
    try:
        async with instances[0].uow() as uow:
            for n in range(6):
                for chat in range(9200, 9205):
                    outbox.enqueue(uow, outbox.Outgoing(CHANNEL, str(chat), "sendMessage", {
                        "chat_id": chat, "text": f"{chat}-{n}"}), CLOCK)
            await uow.commit()
        for _ in range(200):
            if not sum(await asyncio.gather(*(s.send_due() for s in senders))):
                async with instances[0].uow() as uow:
                    if not await outbox.due(uow, CHANNEL, datetime.now(UTC)):
                        break
        texts = [str(c.params["text"]) for c in fake.calls_of("sendMessage") if c.ok]
    finally:
        for sender, bot in zip(senders, bots, strict=True):
            await sender.close()
            await bot.session.close()
        await fake.stop()
    assert sorted(texts) == sorted(f"{chat}-{n}" for n in range(6) for chat in range(9200, 9205))
    for chat in range(9200, 9205):
        mine = [t for t in texts if t.startswith(f"{chat}-")]
        assert mine == [f"{chat}-{n}" for n in range(6)]


async def test_a_periodic_job_runs_in_one_instance_at_a_time(instances: list[App]) -> None:
    async with instances[0].uow() as uow:
        await add_agency(uow, "mep", name_kk="Экология", name_ru="Экология", kind="central")
        await onboarding.start_case(uow, "701001", "mep", date(2026, 11, 25),
                                    actor=ADMIN, clock=CLOCK, deadlines=instances[0].deadlines,
                                    name_kk="Балық", name_ru="Рыбалка")
        await uow.commit()
    # while one instance holds the job's lock, the other's run does nothing
    async with instances[0].uow() as holder:
        assert await try_lock(holder, JOBS, "onboarding")
        assert await run_job(instances[1], OnboardingJob(instances[1])) is None
    ticked = await run_job(instances[1], OnboardingJob(instances[1]))
    assert ticked is not None
    assert [r.kind for r in ticked.reminders] == ["overdue"]
    again = await asyncio.gather(*(run_job(app, OnboardingJob(app)) for app in instances))
    assert [(t.live, t.reminders) for t in again if t is not None] == [([], [])] * len(
        [t for t in again if t is not None])  # fired once, also when both run at once


async def test_two_people_taking_the_same_question_never_both_get_it(
    instances: list[App],
) -> None:
    mvd, _ = await seed(instances[0])
    colleague = Actor("Дана-2", Role.AGENCY, mvd.agency_id)
    async with instances[0].uow() as uow:
        citizen = await citizen_for(uow, "telegram", "9300", CLOCK)
        reference = await escalations.open_escalation(
            uow, citizen, "Паспорт ребёнку", lang="ru", candidates=(), register_no=PASSPORT,
            clock=CLOCK)
        await uow.commit()

    async def take(app: App, actor: Actor) -> str:
        async with app.uow() as uow:
            try:
                item = await escalations.take(uow, reference, actor=actor, clock=CLOCK)
            except escalations.AlreadyTaken:
                return "refused"
            await uow.commit()
            return str(item.taken_by)

    outcomes = await asyncio.gather(take(instances[0], mvd), take(instances[1], colleague))
    assert sorted(o == "refused" for o in outcomes) == [False, True]


async def test_with_the_database_away_updates_are_refused_and_processed_after_recovery(
    instances: list[App],
) -> None:
    """Proof 4: the webhook answers 5xx while the database is unreachable (Telegram keeps
    the update and delivers it again); nobody is told anything; after recovery the
    redelivered update is stored, processed and answered once."""
    app = instances[0]
    await demo(app)
    writer = InboxWriter(app, app.clock)
    web_app = web.Application()
    add_webhook_route(web_app, writer, "s3cret")
    client: TestClient = TestClient(TestServer(web_app))  # type: ignore[type-arg]
    await client.start_server()
    store = asyncio.create_task(writer.run())
    name = make_url(str(app.engine.url)).database
    the_update = update(800, 9400, "Сколько стоит паспорт?")
    try:
        await _connections(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await _connections(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           f"WHERE datname = '{name}'")
        await app.engine.dispose()
        refused = await client.post(WEBHOOK_PATH, json=the_update,
                                    headers={SECRET_HEADER: "s3cret"})
        assert refused.status >= 500
        await _connections(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        again = await client.post(WEBHOOK_PATH, json=the_update,
                                  headers={SECRET_HEADER: "s3cret"})
        assert again.status == 200
    finally:
        await _connections(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        store.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await store
        await client.close()
    bot = create_bot("123:fake", "http://127.0.0.1:9")
    try:
        await drain([processor(app, bot)])
    finally:
        await bot.session.close()
    async with app.uow() as uow:
        statuses = (await uow.session.scalars(select(InboxRow.status))).all()
        replies = await uow.session.scalar(select(func.count()).select_from(OutboxRow))
    assert statuses == ["processed"] and replies == 1


async def _connections(sql: str) -> None:
    """Run ``sql`` on the server's maintenance database (not the one being cut off)."""
    await admin_sql(postgres_url(), sql)


async def test_chat_locks_for_a_batch_are_taken_at_once_and_only_where_free(
    instances: list[App],
) -> None:
    """A batch locks its chats in one query: a chat another instance is processing is left
    out (negative group ids and ids past 2**31 included), the rest are this batch's."""
    chats = [-1001234567890, 7, 2**31 + 7, 42]
    async with instances[0].uow() as first, instances[1].uow() as second:
        assert await try_lock(first, CHATS, 42)
        assert await try_lock_many(first, CHATS, [-1001234567890]) == {-1001234567890}
        # 2**31 + 7 and 7 share a lock number: one batch gets both, like try_lock would
        assert await try_lock_many(second, CHATS, chats) == {7, 2**31 + 7}
        assert await try_lock_many(second, CHATS, []) == set()
    async with instances[1].uow() as later:  # the first transaction ended: all free again
        assert await try_lock_many(later, CHATS, chats) == set(chats)


async def test_a_second_instance_takes_the_next_batch_not_the_one_in_hand(
    instances: list[App],
) -> None:
    """While one instance's transaction holds a whole batch, the other processes what comes
    after it and reports only what it did (0 when nothing else is left: it waits, it does
    not spin on the held batch)."""
    await demo(instances[0])
    total = BATCH + 3
    await InboxWriter(instances[0], CLOCK).store_batch(
        [update(3000 + n, 9300 + n, "Сколько стоит паспорт?") for n in range(total)])
    bot = create_bot("123:fake", "http://127.0.0.1:9")
    try:
        async with instances[0].uow() as holder:  # the first instance, mid-batch
            first = await inbox.pending(holder, limit=BATCH, skip_taken=True)
            held = await inbox.claim(holder, [(i.id, 9300 + n) for n, i in enumerate(first)])
            assert len(held) == BATCH
            second = processor(instances[1], bot)
            assert await second.process_pending() == 3  # the three after the held batch
            assert await second.process_pending() == 0
        assert await second.process_pending() == BATCH  # released: now they are its
    finally:
        await bot.session.close()
    async with instances[1].uow() as uow:
        statuses = (await uow.session.scalars(select(InboxRow.status))).all()
    assert statuses == ["processed"] * total


def _chat(payload: dict[str, Any]) -> int | None:
    chat = payload.get("chat")
    return chat if isinstance(chat, int) else None


async def _store(app: App, *updates: tuple[int, int]) -> list[int]:
    """Store (update id, chat) updates; their inbox ids, oldest first."""
    async with app.uow() as uow:
        for update_id, chat in updates:
            await inbox.store(uow, "telegram", str(update_id),
                              {"update_id": update_id, "chat": chat}, CLOCK)
    async with app.uow() as uow:
        return [item.id for item in await inbox.pending(uow)]


async def test_a_chat_s_later_update_does_not_overtake_an_earlier_one_waiting_elsewhere(
    instances: list[App],
) -> None:
    """A list read while another instance held the queue's head may start in the middle of
    a chat: its later updates are not taken while the earlier one waits."""
    first, other, later = await _store(instances[0], (1, 7), (2, 8), (3, 7))
    async with instances[0].uow() as uow:
        suffix = [(other, 8), (later, 7)]  # chat 7's first update is not in this list
        assert await inbox.claim(uow, suffix, chat_of=_chat) == {other}
    async with instances[0].uow() as uow:
        assert await inbox.claim(uow, [(first, 7), *suffix], chat_of=_chat) == {
            first, other, later}
    async with instances[0].uow() as uow:
        assert await inbox.claim(uow, suffix) == {other, later}  # no chat_of: no check


async def test_a_chat_s_update_a_list_read_holds_for_a_moment_is_not_overtaken(
    instances: list[App],
) -> None:
    """Another instance's list read (``SKIP LOCKED``) locks the rows it reads until its
    transaction ends: a claim at that moment skips the chat's earlier update although its
    own batch lists it. The chat's later updates then wait too; the other chats do not."""
    first, later, other = await _store(instances[0], (1, 7), (2, 7), (3, 8))
    batch = [(first, 7), (later, 7), (other, 8)]
    async with instances[1].uow() as reader:  # the other instance, reading its list
        assert [i.id for i in await inbox.pending(reader, limit=1, skip_taken=True)] == [first]
        async with instances[0].uow() as uow:
            assert await inbox.claim(uow, batch, chat_of=_chat) == {other}
    async with instances[0].uow() as uow:  # the list read ended: the chat's turn now
        assert await inbox.claim(uow, batch, chat_of=_chat) == {first, later, other}
