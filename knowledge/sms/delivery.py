"""Delivery reports: the outbox row of a sent SMS learns what became of it, monotonically.

A gateway reports a message's state one or more times, not always in order (a late
"accepted by the SMSC" may arrive after "delivered"): a report only ever moves the row
forward, and a final state is never replaced.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import select

from knowledge.clock import Clock
from knowledge.db.tables import OutboxRow
from knowledge.db.uow import UnitOfWork

# SMPP message states (as Jasmin reports them) by how far along they are.
ENROUTE: Final = "ENROUTE"
ACCEPTED: Final = "ACCEPTD"
DELIVERED: Final = "DELIVRD"
FINAL: Final = frozenset({DELIVERED, "UNDELIV", "EXPIRED", "DELETED", "REJECTD", "UNKNOWN"})
_RANK: Final = {ENROUTE: 1, ACCEPTED: 2} | dict.fromkeys(FINAL, 3)


def state_of(status: str) -> str | None:
    """A gateway's status as a known state: SMPP states as they are; a level-1 report
    (the SMSC's answer) ESME_ROK as accepted, another ESME_* as rejected."""
    status = status.strip().upper()
    if status in _RANK:
        return status
    if status == "ESME_ROK":
        return ACCEPTED
    if status.startswith("ESME_"):
        return "REJECTD"
    return None


def advances(current: str | None, new: str) -> bool:
    """Whether a report of ``new`` moves a message in ``current`` forward."""
    if current in FINAL:
        return False
    return _RANK.get(new, 0) > _RANK.get(current or "", 0)


async def record_report(
    uow: UnitOfWork, channel: str, message_id: str, status: str, clock: Clock
) -> bool:
    """Apply one delivery report (staged); False when it is unknown or changes nothing."""
    state = state_of(status)
    if state is None:
        return False
    row = await uow.session.scalar(
        select(OutboxRow).where(OutboxRow.channel == channel, OutboxRow.external_id == message_id)
    )
    if row is None or not advances(row.delivery, state):
        return False
    row.delivery = state
    row.delivery_at = clock.now()
    return True
