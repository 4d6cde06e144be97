"""The outbox: every reply and notification, written in the transaction of what it reports.

A channel's sender delivers due rows, honouring the channel's limits, and settles what it
sent in one transaction (the functions here stage, the sender commits); here are only the
rows' life and the rules for retrying.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import bindparam, func, or_, select, update

from knowledge.clock import Clock, as_utc
from knowledge.db.tables import OUTBOX, OutboxRow
from knowledge.db.uow import UnitOfWork

BACKOFF_BASE_S: Final = 1.0
BACKOFF_MAX_S: Final = 300.0
CLAIM_LEASE: Final = timedelta(seconds=60)  # longer than any send takes


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a sender that does not resend (an SMS costs money)
    SENT = "sent"
    FAILED = "failed"  # given up: a permanent error, or retried for as long as it was useful
    UNCERTAIN = "uncertain"  # its sends' fate unknown as often as the policy re-sends: not again
    HELD = "held"  # waits for an address the settings lack (the quality-control body's)


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """How long a message is worth retrying through an outage (a reply to a question is
    still wanted the next day; an acknowledged message must not die of a 2-minute
    outage), and how often a send whose fate is unknown (a timeout after the request left)
    is repeated: each repeat may reach the citizen twice."""

    retry_for: timedelta = timedelta(hours=24)
    resend_uncertain: int = 1


DEFAULT_POLICY: Final = DeliveryPolicy()


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message to one address on one channel: a channel method and its parameters."""

    channel: str
    address: str
    method: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    channel: str
    address: str
    method: str
    payload: dict[str, Any]
    attempts: int



def enqueue(
    uow: UnitOfWork, message: Outgoing, clock: Clock, *, held: bool = False
) -> None:
    """Stage a message: due at once, or ``held`` (no sender takes it) until released."""
    now = clock.now()
    uow.stage(OUTBOX, {
        "channel": message.channel, "address": message.address, "method": message.method,
        "payload": message.payload,
        "status": OutboxStatus.HELD if held else OutboxStatus.PENDING, "attempts": 0,
        "not_before": now, "created_at": now, "last_error": None, "sent_at": None,
        "external_id": None, "uncertain": 0, "retry_from": None,
        "claimed_at": None,
    })


async def due(uow: UnitOfWork, channel: str, now: datetime, limit: int = 100) -> list[OutboxItem]:
    """The next pending row of each address whose time has come, oldest first.

    Fair between addresses: each address offers only its oldest pending row, however many
    it has queued (a chat with thousands of rows waiting takes one place of the round, not
    the round). An address whose next row is not due yet (waiting out a backoff, or
    claimed by another sender) is skipped whole, so its messages keep their order.
    """
    await uow.flush_staged()
    heads = (
        select(func.min(OutboxRow.id))
        .where(OutboxRow.channel == channel, OutboxRow.status == OutboxStatus.PENDING)
        .group_by(OutboxRow.address)
    )
    rows = await uow.session.scalars(
        select(OutboxRow)
        .where(OutboxRow.id.in_(heads), OutboxRow.not_before <= now)
        .order_by(OutboxRow.id).limit(limit)
    )
    return [OutboxItem(r.id, r.channel, r.address, r.method, r.payload, r.attempts)
            for r in rows]


async def backlog(uow: UnitOfWork, channel: str, address: str) -> int:
    """How many messages wait for one address."""
    await uow.flush_staged()
    count = await uow.session.scalar(
        select(func.count()).select_from(OutboxRow)
        .where(OutboxRow.channel == channel, OutboxRow.address == address,
               OutboxRow.status == OutboxStatus.PENDING))
    return int(count or 0)


async def claim(
    uow: UnitOfWork, item_ids: list[int], now: datetime, lease: timedelta = CLAIM_LEASE
) -> set[int]:
    """Take rows to send (committed by the caller before sending): each is pushed
    ``lease`` into the future by one conditional update, so another sender — another
    instance — never takes the same row; one that dies while sending leaves it to be sent
    again after the lease."""
    if not item_ids:
        return set()
    table = OUTBOX
    result = await uow.session.execute(
        update(table)
        .where(table.c.id.in_(item_ids), table.c.status == OutboxStatus.PENDING,
               table.c.not_before <= now)
        .values(not_before=now + lease, claimed_at=now)
        .returning(table.c.id)
    )
    return {row_id for (row_id,) in result}


async def release_claims(uow: UnitOfWork, channel: str, now: datetime) -> int:
    """At the start of the only instance (the embedded SQLite default): rows a killed
    process had claimed are due again at once rather than when their lease ends (they may
    have gone out already: such a duplicate is the price of never losing one). Rows
    waiting out a backoff keep their time: a claim is told from a backoff by the claim's
    mark, which every settling clears."""
    table = OUTBOX
    result = await uow.session.execute(
        update(table)
        .where(table.c.channel == channel, table.c.status == OutboxStatus.PENDING,
               table.c.claimed_at.is_not(None))
        .values(not_before=now, claimed_at=None)
        .returning(table.c.id)
    )
    return len(result.all())


async def mark_sent(
    uow: UnitOfWork, sent: list[tuple[int, str | None]], clock: Clock
) -> None:
    """Settle delivered rows (id, the message's id at the channel) in one statement; a row
    given up meanwhile stays given up."""
    if not sent:
        return
    table = OUTBOX
    await uow.session.execute(
        update(table)
        .where(table.c.id == bindparam("row_id"),
               # not IN (...): an expanding parameter cannot run as executemany
               or_(table.c.status == OutboxStatus.PENDING,
                   table.c.status == OutboxStatus.SENDING))
        .values(status=OutboxStatus.SENT, attempts=table.c.attempts + 1,
                sent_at=clock.now(), external_id=bindparam("message_id"), claimed_at=None),
        [{"row_id": row_id, "message_id": message_id} for row_id, message_id in sent],
    )


async def claim_once(uow: UnitOfWork, item_ids: list[int]) -> list[int]:
    """At most once (an SMS costs money): mark due rows as being sent (staged; commit
    before sending); a row claimed is never picked again, so a crash between sending and
    settling cannot send it twice (``claim`` is the at-least-once lease). The ids actually
    claimed (another sender may have been faster)."""
    if not item_ids:
        return []
    claimed = await uow.session.scalars(
        update(OutboxRow)
        .where(OutboxRow.id.in_(item_ids), OutboxRow.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.SENDING)
        .returning(OutboxRow.id)
    )
    return sorted(claimed.all())


def backoff(attempts: int) -> timedelta:
    """Exponential backoff after ``attempts`` failures: 1 s, 2 s, 4 s … at most 5 minutes."""
    return timedelta(seconds=min(BACKOFF_BASE_S * 2 ** max(attempts - 1, 0), BACKOFF_MAX_S))


async def mark_retry(
    uow: UnitOfWork, item_id: int, error: str, clock: Clock, *, wait: timedelta | None = None,
    policy: DeliveryPolicy = DEFAULT_POLICY,
) -> bool:
    """Count an attempt that surely did not deliver (a 5xx, a refused connection, a 429);
    retry after ``wait`` (or the backoff) while the message is younger than the policy's
    ``retry_for``. False when given up."""
    row = await uow.session.get(OutboxRow, item_id)
    if row is None:
        return False
    row.attempts += 1
    row.claimed_at = None
    row.last_error = error[:2000]
    if row.status == OutboxStatus.SENDING:  # surely not sent: it may be claimed again
        row.status = OutboxStatus.PENDING
    now = clock.now()
    if now - as_utc(row.retry_from or row.created_at) >= policy.retry_for:
        row.status = OutboxStatus.FAILED
        row.last_error = f"retried for {policy.retry_for}, given up: {error}"[:2000]
    else:
        row.not_before = now + (wait if wait is not None else backoff(row.attempts))
    return row.status == OutboxStatus.PENDING


async def mark_uncertain(
    uow: UnitOfWork, item_id: int, error: str, clock: Clock, *,
    policy: DeliveryPolicy = DEFAULT_POLICY,
) -> bool:
    """Count a send whose fate is unknown (the request left, no answer came): sent again
    as often as the policy allows, then left ``uncertain`` (it may well have arrived).
    False when it is not sent again."""
    row = await uow.session.get(OutboxRow, item_id)
    if row is None:
        return False
    row.attempts += 1
    row.claimed_at = None
    row.uncertain += 1
    row.last_error = f"uncertain: {error}"[:2000]
    if row.uncertain > policy.resend_uncertain:
        row.status = OutboxStatus.UNCERTAIN
        return False
    row.status = OutboxStatus.PENDING
    row.not_before = clock.now() + backoff(row.attempts)
    return True


async def mark_failed(uow: UnitOfWork, item_id: int, error: str) -> None:
    row = await uow.session.get(OutboxRow, item_id)
    if row is not None:
        row.status = OutboxStatus.FAILED
        row.attempts += 1
        row.claimed_at = None
        row.last_error = error[:2000]


async def fail_pending_for(uow: UnitOfWork, channel: str, address: str, error: str) -> int:
    """Give up every pending message to an address that cannot be reached."""
    await uow.flush_staged()
    rows = await uow.session.scalars(
        select(OutboxRow).where(OutboxRow.channel == channel, OutboxRow.address == address,
                                OutboxRow.status == OutboxStatus.PENDING)
    )
    count = 0
    for row in rows:
        row.status = OutboxStatus.FAILED
        row.last_error = error
        count += 1
    return count
