"""The inbox: every incoming update is stored before it is acknowledged, and processed once.

A duplicate delivery (same channel and external id) is recognised and ignored; an update
whose handler fails is retried a bounded number of times, then parked for operators.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import select, update

from knowledge import observe
from knowledge.clock import Clock
from knowledge.db.inserts import insert_ignoring_duplicates
from knowledge.db.locks import CHATS, try_lock_many
from knowledge.db.tables import InboxRow
from knowledge.db.uow import UnitOfWork

MAX_ATTEMPTS: Final = 3


class InboxStatus(StrEnum):
    RECEIVED = "received"
    PROCESSED = "processed"
    PARKED = "parked"  # failed MAX_ATTEMPTS times: an operator looks at it


@dataclass(frozen=True, slots=True)
class InboxItem:
    id: int
    channel: str
    external_id: str
    payload: dict[str, Any]
    attempts: int
    received_at: datetime


async def store(
    uow: UnitOfWork, channel: str, external_id: str, payload: dict[str, Any], clock: Clock
) -> bool:
    """Store one update and commit; False when it was stored before (a duplicate delivery)."""
    return external_id in await store_many(uow, channel, [(external_id, payload)], clock)


async def store_many(
    uow: UnitOfWork, channel: str, updates: list[tuple[str, dict[str, Any]]], clock: Clock
) -> set[str]:
    """Store updates in one transaction and commit (group commit: one disk flush for many
    deliveries); the external ids that were new. Duplicates are ignored, not errors."""
    if not updates:
        return set()
    now = clock.now()
    rows = [
        {"channel": channel, "external_id": external_id, "payload": payload,
         "status": InboxStatus.RECEIVED, "attempts": 0, "received_at": now}
        for external_id, payload in updates
    ]
    statement = insert_ignoring_duplicates(
        uow, InboxRow, ("channel", "external_id")).returning(InboxRow.external_id)
    new = set((await uow.session.scalars(statement, rows)).all())
    await uow.commit()
    observe.received(channel, len(new))
    return new


async def pending(uow: UnitOfWork, limit: int = 100, *, channel: str | None = None,
                  skip_taken: bool = False) -> list[InboxItem]:
    """Updates waiting to be processed, oldest first (of one channel, when given).

    ``skip_taken``: leave out the rows another instance's processing transaction holds
    (PostgreSQL, ``SKIP LOCKED``), so a second instance takes the next batch instead of
    queueing behind the first one's."""
    query = select(InboxRow).where(InboxRow.status == InboxStatus.RECEIVED)
    if channel is not None:
        query = query.where(InboxRow.channel == channel)
    if skip_taken and uow.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = await uow.session.scalars(query.order_by(InboxRow.id).limit(limit))
    return [
        InboxItem(r.id, r.channel, r.external_id, r.payload, r.attempts, r.received_at)
        for r in rows
    ]


async def claim(
    uow: UnitOfWork, items: list[tuple[int, int | None]], *,
    chat_of: Callable[[dict[str, Any]], int | None] | None = None,
) -> set[int]:
    """In the processing transaction: which of these (id, chat) updates are this process's
    to handle — still unprocessed, and, on PostgreSQL, of no chat another instance is
    processing now (a transaction-scoped advisory lock per chat keeps a chat's updates in
    order) and not locked by another (``FOR UPDATE SKIP LOCKED``). SQLite has one writer
    at a time; there the check of the status is enough.

    ``chat_of`` (how a stored payload names its chat), on PostgreSQL: an update is not
    taken while an earlier update of its chat waits and is not taken too — outside these
    items (a list read while another instance held the queue's head,
    ``pending(skip_taken=True)``, may start in a chat's middle), or among them but its row
    held for a moment by another transaction (another instance's list read, a failure being
    counted), which ``SKIP LOCKED`` passes over. SQLite's list reads skip nothing and it has
    one writer, so there this costs no query."""
    if not items:
        return set()
    ids = [item_id for item_id, _chat in items]
    query = select(InboxRow.id).where(InboxRow.status == InboxStatus.RECEIVED)
    if uow.session.get_bind().dialect.name != "postgresql":
        return set((await uow.session.scalars(query.where(InboxRow.id.in_(ids)))).all())
    locked = await try_lock_many(uow, CHATS, (chat for _id, chat in items if chat is not None))
    ids = [item_id for item_id, chat in items if chat is None or chat in locked]
    query = query.where(InboxRow.id.in_(ids)).with_for_update(skip_locked=True)
    mine = set((await uow.session.scalars(query)).all())
    if chat_of is None or not mine:
        return mine
    return mine - await _overtaking(uow, items, mine, chat_of)


async def _overtaking(
    uow: UnitOfWork, items: list[tuple[int, int | None]], mine: set[int],
    chat_of: Callable[[dict[str, Any]], int | None],
) -> set[int]:
    """Those of ``mine`` with an earlier update of their chat still waiting and not
    ``mine``: outside the items, or among them but skipped because another transaction
    held its row (another instance's list read locks the rows it reads for a moment)."""
    earlier = await uow.session.execute(
        select(InboxRow.id, InboxRow.payload).where(
            InboxRow.status == InboxStatus.RECEIVED, InboxRow.id < max(mine),
            InboxRow.id.not_in(mine)))
    first_waiting: dict[int, int] = {}
    for row_id, payload in earlier.tuples():
        chat = chat_of(payload)
        if chat is not None:
            first_waiting[chat] = min(row_id, first_waiting.get(chat, row_id))
    return {item_id for item_id, chat in items
            if item_id in mine and chat in first_waiting and first_waiting[chat] < item_id}


async def mark_processed(
    uow: UnitOfWork, item_ids: list[int], clock: Clock, *, note: str | None = None
) -> None:
    """Staged with the handlers' own changes, so both land in one transaction; ``note``:
    why nothing was done for them (kept as the rows' last error)."""
    await uow.session.execute(
        update(InboxRow).where(InboxRow.id.in_(item_ids))
        .values(status=InboxStatus.PROCESSED, attempts=InboxRow.attempts + 1,
                processed_at=clock.now(),
                **({"last_error": note} if note is not None else {}))
    )


async def redact_payloads(
    uow: UnitOfWork, items: list[InboxItem], redact: Callable[[str], str]
) -> int:
    """Rewrite the stored updates whose texts ``redact`` changes (an IIN a citizen sent is
    not kept once handled); staged with the handlers' changes. How many were rewritten."""
    rewritten = 0
    for item in items:
        clean = _redacted(item.payload, redact)
        if clean != item.payload:
            await uow.session.execute(
                update(InboxRow).where(InboxRow.id == item.id).values(payload=clean))
            rewritten += 1
    return rewritten


def _redacted(value: Any, redact: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redacted(item, redact) for key, item in value.items()}
    if isinstance(value, list):
        return [_redacted(item, redact) for item in value]
    return value


async def mark_failed(uow: UnitOfWork, item_id: int, error: str) -> bool:
    """Count a failed attempt and commit; True when the update is now parked."""
    row = await uow.session.get(InboxRow, item_id)
    if row is None:
        return False
    row.attempts += 1
    row.last_error = error[:2000]
    if row.attempts >= MAX_ATTEMPTS:
        row.status = InboxStatus.PARKED
    await uow.commit()
    return row.status == InboxStatus.PARKED


async def park(uow: UnitOfWork, item_id: int, reason: str) -> None:
    """Park an update at once, with the reason, for operators: it can never be processed
    (it is malformed), so trying it again would only hold the others (staged)."""
    await uow.session.execute(
        update(InboxRow).where(InboxRow.id == item_id)
        .values(status=InboxStatus.PARKED, attempts=InboxRow.attempts + 1,
                last_error=reason[:2000]))


async def count_by_status(uow: UnitOfWork) -> dict[str, int]:
    rows = await uow.session.execute(select(InboxRow.status))
    counts: dict[str, int] = {}
    for (status,) in rows:
        counts[status] = counts.get(status, 0) + 1
    return counts
