"""The inbox: every incoming update is stored before it is acknowledged, and processed once.

A duplicate delivery (same channel and external id) is recognised and ignored; an update
whose handler fails is retried a bounded number of times, then parked for operators.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import Insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from knowledge.clock import Clock
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
    statement = _insert_ignoring_duplicates(uow).returning(InboxRow.external_id)
    new = set((await uow.session.scalars(statement, rows)).all())
    await uow.commit()
    return new


def _insert_ignoring_duplicates(uow: UnitOfWork) -> Insert:
    dialect = uow.session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(InboxRow).on_conflict_do_nothing(
            index_elements=["channel", "external_id"])
    if dialect == "sqlite":
        return sqlite.insert(InboxRow).on_conflict_do_nothing(
            index_elements=["channel", "external_id"])
    raise NotImplementedError(f"inbox storage on {dialect}")


async def pending(uow: UnitOfWork, limit: int = 100, *, channel: str | None = None
                  ) -> list[InboxItem]:
    """Updates waiting to be processed, oldest first (of one channel, when given)."""
    query = select(InboxRow).where(InboxRow.status == InboxStatus.RECEIVED)
    if channel is not None:
        query = query.where(InboxRow.channel == channel)
    rows = await uow.session.scalars(query.order_by(InboxRow.id).limit(limit))
    return [
        InboxItem(r.id, r.channel, r.external_id, r.payload, r.attempts, r.received_at)
        for r in rows
    ]


async def mark_processed(uow: UnitOfWork, item_ids: list[int], clock: Clock) -> None:
    """Staged with the handlers' own changes, so both land in one transaction."""
    await uow.session.execute(
        update(InboxRow).where(InboxRow.id.in_(item_ids))
        .values(status=InboxStatus.PROCESSED, attempts=InboxRow.attempts + 1,
                processed_at=clock.now())
    )


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


async def count_by_status(uow: UnitOfWork) -> dict[str, int]:
    rows = await uow.session.execute(select(InboxRow.status))
    counts: dict[str, int] = {}
    for (status,) in rows:
        counts[status] = counts.get(status, 0) + 1
    return counts
