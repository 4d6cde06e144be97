"""Inbox and outbox rules: duplicates once, bounded retries, backoff, unreachable chats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from bot.app import App
from bot.channels.telegram.receivers import InboxWriter
from knowledge import inbox, outbox
from knowledge.clock import FixedClock

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_an_update_delivered_twice_is_stored_once(app: App) -> None:
    clock = FixedClock(NOW)
    async with app.uow() as uow:
        assert await inbox.store(uow, "telegram", "42", {"update_id": 42}, clock)
    async with app.uow() as uow:
        assert not await inbox.store(uow, "telegram", "42", {"update_id": 42}, clock)
    async with app.uow() as uow:
        assert [i.external_id for i in await inbox.pending(uow)] == ["42"]


async def test_a_failing_update_is_parked_after_the_last_attempt(app: App) -> None:
    clock = FixedClock(NOW)
    async with app.uow() as uow:
        await inbox.store(uow, "telegram", "7", {"update_id": 7}, clock)
    async with app.uow() as uow:
        item = (await inbox.pending(uow))[0]
    results = []
    for _ in range(inbox.MAX_ATTEMPTS):
        async with app.uow() as uow:
            results.append(await inbox.mark_failed(uow, item.id, "boom"))
    assert results == [False] * (inbox.MAX_ATTEMPTS - 1) + [True]
    async with app.uow() as uow:
        assert await inbox.pending(uow) == []
        assert await inbox.count_by_status(uow) == {"parked": 1}


def test_backoff_doubles_and_is_capped() -> None:
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert outbox.backoff(40) == timedelta(seconds=outbox.BACKOFF_MAX_S)


async def test_a_message_waits_for_its_retry_time_and_is_sent_once(app: App) -> None:
    clock = FixedClock(NOW)
    async with app.uow() as uow:
        outbox.enqueue(uow, outbox.Outgoing("telegram", "1", "sendMessage", {"text": "a"}), clock)
        await uow.commit()
    async with app.uow() as uow:
        item = (await outbox.due(uow, "telegram", NOW))[0]
        await outbox.mark_retry(uow, item.id, "429", clock, wait=timedelta(seconds=5))
        await uow.commit()
    async with app.uow() as uow:
        assert await outbox.due(uow, "telegram", NOW + timedelta(seconds=4)) == []
        assert len(await outbox.due(uow, "telegram", NOW + timedelta(seconds=5))) == 1
        await outbox.mark_sent(uow, [(item.id, "100")], clock)
        await uow.commit()
    async with app.uow() as uow:
        assert await outbox.due(uow, "telegram", NOW + timedelta(days=1)) == []


async def test_an_unreachable_chat_gives_up_its_pending_messages(app: App) -> None:
    clock = FixedClock(NOW)
    async with app.uow() as uow:
        for text in ("a", "b"):
            outbox.enqueue(uow, outbox.Outgoing("telegram", "9", "sendMessage", {"text": text}),
                           clock)
        outbox.enqueue(uow, outbox.Outgoing("telegram", "8", "sendMessage", {"text": "c"}), clock)
        await uow.commit()
    async with app.uow() as uow:
        assert await outbox.fail_pending_for(uow, "telegram", "9", "403") == 2
        await uow.commit()
    async with app.uow() as uow:
        assert [i.address for i in await outbox.due(uow, "telegram", NOW)] == ["8"]


async def test_a_restart_releases_claims_but_keeps_backoffs(app: App) -> None:
    """The embedded instance restarted after a crash: a row claimed by the dead process is
    due at once; a row waiting out a backoff keeps its time; other channels are untouched."""
    clock = FixedClock(NOW)
    async with app.uow() as uow:
        for address in ("1", "2"):
            outbox.enqueue(uow, outbox.Outgoing("telegram", address, "sendMessage",
                                                {"text": "a"}), clock)
        outbox.enqueue(uow, outbox.Outgoing("sms", "+77010000000", "send", {"text": "b"}), clock)
        await uow.commit()
    async with app.uow() as uow:
        claimed, backed_off, sms = await outbox.due(uow, "telegram", NOW) + await outbox.due(
            uow, "sms", NOW)
        assert await outbox.claim(uow, [claimed.id, backed_off.id, sms.id], NOW) == {
            claimed.id, backed_off.id, sms.id}
        await outbox.mark_retry(uow, backed_off.id, "5xx", clock, wait=timedelta(seconds=30))
        await uow.commit()
    async with app.uow() as uow:
        assert await outbox.due(uow, "telegram", NOW) == []
        assert await outbox.release_claims(uow, "telegram", NOW) == 1
        await uow.commit()
    async with app.uow() as uow:
        assert [i.id for i in await outbox.due(uow, "telegram", NOW)] == [claimed.id]
        assert await outbox.due(uow, "sms", NOW) == []


async def test_a_restart_releases_a_claim_on_a_row_that_had_failed_before(app: App) -> None:
    """A reply that met a 502, then was claimed again by a process killed mid-send, is due
    at once after the restart (found by scripts/soak --faults: it waited out the lease)."""
    clock = FixedClock(NOW)
    async with app.uow() as uow:
        outbox.enqueue(uow, outbox.Outgoing("telegram", "1", "sendMessage", {"text": "a"}),
                       clock)
        await uow.commit()
    async with app.uow() as uow:
        [item] = await outbox.due(uow, "telegram", NOW)
        await outbox.claim(uow, [item.id], NOW)
        await outbox.mark_retry(uow, item.id, "502", clock)  # a backoff of 1 s
        await uow.commit()
    later = NOW + timedelta(seconds=2)
    async with app.uow() as uow:
        assert await outbox.claim(uow, [item.id], later) == {item.id}  # then killed
        await uow.commit()
    async with app.uow() as uow:
        assert await outbox.due(uow, "telegram", later) == []
        assert await outbox.release_claims(uow, "telegram", later) == 1
        await uow.commit()
    async with app.uow() as uow:
        assert [i.id for i in await outbox.due(uow, "telegram", later)] == [item.id]


async def test_on_sqlite_a_claim_is_one_query_and_reads_no_other_chat_s_updates(
    app: App,
) -> None:
    """SQLite has one writer and its list reads skip nothing, so a list never starts in a
    chat's middle: the claim checks the status only — no query of the updates waiting
    outside the batch, which PostgreSQL needs (tests/integration/test_instances.py)."""
    if app.engine.dialect.name != "sqlite":
        pytest.skip("the PostgreSQL claim is tested with two instances")
    clock = FixedClock(NOW)
    async with app.uow() as uow:
        for update_id, chat in ((1, 7), (2, 8), (3, 7)):
            await inbox.store(uow, "telegram", str(update_id),
                              {"update_id": update_id, "chat": chat}, clock)
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    async with app.uow() as uow:
        _first, other, later = [item.id for item in await inbox.pending(uow)]
        event.listen(app.engine.sync_engine, "before_cursor_execute", count)
        try:
            taken = await inbox.claim(uow, [(other, 8), (later, 7)], chat_of=_chat)
        finally:
            event.remove(app.engine.sync_engine, "before_cursor_execute", count)
    assert taken == {other, later}  # chat 7's first update waits outside: no matter
    assert len(statements) == 1, statements


def _chat(payload: dict[str, object]) -> int | None:
    chat = payload.get("chat")
    return chat if isinstance(chat, int) else None


async def test_a_group_of_deliveries_is_stored_in_telegram_s_order(app: App) -> None:
    """Whatever order the requests came in, a group is written in update_id order: two
    instances storing the same redelivered updates then take their keys in one order and
    do not deadlock, and a chat's updates are processed in the order Telegram numbered them."""
    writer = InboxWriter(app, FixedClock(NOW))
    assert await writer.store_batch([{"update_id": n} for n in (12, 9, 100, 10)]) == {
        "9", "10", "12", "100"}
    async with app.uow() as uow:
        assert [i.external_id for i in await inbox.pending(uow)] == ["9", "10", "12", "100"]
