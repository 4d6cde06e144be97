"""What did not get through, for operators: messages given up or of unknown fate, and
updates parked; listed and sent (or processed) again on an operator's word.

Only the center sees them (a message's address is a citizen's chat or number; its text is
not shown here at all)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

from sqlalchemy import select, update

from knowledge.clock import Clock, as_utc
from knowledge.db.tables import InboxRow, OutboxRow
from knowledge.db.uow import UnitOfWork
from knowledge.errors import InvalidInput
from knowledge.inbox import InboxStatus
from knowledge.outbox import OutboxStatus
from knowledge.staff import Actor

Kind = Literal["message", "update"]
STUCK_MESSAGES: Final = (OutboxStatus.FAILED, OutboxStatus.UNCERTAIN)
# A held letter is listed with why, but only setting the address releases it.
HELD_WHY: Final = "waits for the quality-control body's address (UCC_QC_EMAIL)"


@dataclass(frozen=True, slots=True)
class Undelivered:
    kind: Kind  # an outgoing message (outbox) or an incoming update (inbox)
    id: int
    channel: str
    address: str  # the chat or number; "" for an update
    status: str
    attempts: int
    at: datetime  # created / received
    error: str


async def undelivered(
    uow: UnitOfWork, actor: Actor, *, channel: str | None = None, limit: int = 200
) -> list[Undelivered]:
    """Messages failed, uncertain or held, then updates parked; oldest first."""
    actor.require_center()
    messages = select(OutboxRow).where(
        OutboxRow.status.in_((*STUCK_MESSAGES, OutboxStatus.HELD)))
    updates = select(InboxRow).where(InboxRow.status == InboxStatus.PARKED)
    if channel is not None:
        messages = messages.where(OutboxRow.channel == channel)
        updates = updates.where(InboxRow.channel == channel)
    found = [
        Undelivered("message", r.id, r.channel, r.address, r.status, r.attempts,
                    as_utc(r.created_at),
                    r.last_error or (HELD_WHY if r.status == OutboxStatus.HELD else ""))
        for r in await uow.session.scalars(messages.order_by(OutboxRow.id).limit(limit))
    ]
    found += [
        Undelivered("update", r.id, r.channel, "", r.status, r.attempts,
                    as_utc(r.received_at), r.last_error or "")
        for r in await uow.session.scalars(updates.order_by(InboxRow.id).limit(limit))
    ]
    return found


async def retry(
    uow: UnitOfWork, actor: Actor, kind: Kind, ids: list[int], clock: Clock
) -> list[int]:
    """Send these messages again (now, the retry period counted afresh), or process these
    parked updates again (staged). The ids retried; an id that is not stuck is an error,
    so an operator never re-sends a delivered message by a typo."""
    actor.require_center()
    table = OutboxRow if kind == "message" else InboxRow
    stuck_statuses = STUCK_MESSAGES if kind == "message" else (InboxStatus.PARKED,)
    found = set((await uow.session.scalars(
        select(table.id).where(table.id.in_(ids), table.status.in_(stuck_statuses)))).all())
    if kind == "message":
        await _refuse_held(uow, ids)
    missing = sorted(set(ids) - found)
    if missing:
        raise InvalidInput(f"not failed, uncertain or parked: {kind} "
                           + ", ".join(f"#{i}" for i in missing))
    now = clock.now()
    if kind == "message":
        await uow.session.execute(
            update(OutboxRow).where(OutboxRow.id.in_(found))
            .values(status=OutboxStatus.PENDING, not_before=now, retry_from=now,
                    attempts=0, uncertain=0, claimed_at=None))
    else:
        await uow.session.execute(
            update(InboxRow).where(InboxRow.id.in_(found))
            .values(status=InboxStatus.RECEIVED, attempts=0))
    return sorted(found)


async def _refuse_held(uow: UnitOfWork, ids: list[int]) -> None:
    """A held letter has nowhere to go until its address is set: never sent by a retry."""
    held = sorted((await uow.session.scalars(select(OutboxRow.id).where(
        OutboxRow.id.in_(ids), OutboxRow.status == OutboxStatus.HELD))).all())
    if held:
        raise InvalidInput("held, not sent: message " + ", ".join(f"#{i}" for i in held)
                           + f" {HELD_WHY}; set it and the scheduler sends it")


async def all_stuck(uow: UnitOfWork, actor: Actor, kind: Kind) -> list[int]:
    """The ids of every message (or update) that can be retried (not a held letter)."""
    return [item.id for item in await undelivered(uow, actor, limit=100_000)
            if item.kind == kind and item.status != OutboxStatus.HELD]
