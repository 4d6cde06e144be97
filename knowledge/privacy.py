"""Personal data kept no longer than needed: one citizen's data erased on request (their
conversation, questions, complaints, status inquiries), and conversations older than the
retention period removed by a job.

What the reports count stays, anonymised: an escalation keeps its dates, agency, status
and language, the question log its decisions; the words and the address go.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, cast

from sqlalchemy import CursorResult, Result, delete, func, select, update

from knowledge.db.tables import (
    CitizenRow,
    ComplaintDraftRow,
    ComplaintRow,
    ConversationRow,
    CurationItemRow,
    EscalationRow,
    FeedbackRow,
    InboxRow,
    OutboxRow,
    RefusalRow,
    StatusFailureRow,
    StatusInquiryRow,
    StatusWatcherRow,
)
from knowledge.db.uow import UnitOfWork

ERASED: Final = "[erased]"
ERASED_PAYLOAD: Final[dict[str, Any]] = {"erased": True}

# The chat or number an inbox payload comes from (its channel knows the payload's shape).
PayloadAddress = Callable[[dict[str, Any]], str | None]


@dataclass(frozen=True, slots=True)
class Erased:
    citizen_id: int
    messages: int  # conversation log lines removed
    inbox: int  # stored updates emptied
    outbox: int
    escalations: int  # anonymised, kept for the counts
    complaints: int = 0  # anonymised, kept for the register's counts


async def erase_citizen(uow: UnitOfWork, channel: str, address: str,
                        address_of: PayloadAddress | None) -> Erased | None:
    """Remove what one citizen said and where they can be reached (staged); None when the
    address is unknown. The citizen's row stays, anonymised, for the counts. ``address_of``
    tells whose a stored update of the channel is (None: the channel stores none)."""
    citizen = await uow.session.scalar(select(CitizenRow).where(
        CitizenRow.channel == channel, CitizenRow.address == address))
    if citizen is None:
        return None
    messages = _count(await uow.session.execute(
        delete(ConversationRow).where(ConversationRow.citizen_id == citizen.id)))
    await uow.session.execute(delete(FeedbackRow).where(FeedbackRow.citizen_id == citizen.id))
    inbox_ids = await _inbox_of(uow, channel, address, address_of)
    if inbox_ids:
        await uow.session.execute(update(InboxRow).where(InboxRow.id.in_(inbox_ids))
                                  .values(payload=ERASED_PAYLOAD))
    outbox_count = _count(await uow.session.execute(
        update(OutboxRow).where(OutboxRow.channel == channel, OutboxRow.address == address)
        .values(payload=ERASED_PAYLOAD, address=f"erased-{citizen.id}")))
    escalation_ids = list(await uow.session.scalars(select(EscalationRow.id).where(
        EscalationRow.citizen_id == citizen.id)))
    if escalation_ids:
        await uow.session.execute(update(EscalationRow).where(
            EscalationRow.id.in_(escalation_ids)).values(text=ERASED, normalized=None,
                                                          question_id=None))
        await uow.session.execute(update(RefusalRow).where(
            RefusalRow.escalation_id.in_(escalation_ids)).values(request_text=ERASED))
        await uow.session.execute(update(CurationItemRow).where(
            CurationItemRow.escalation_id.in_(escalation_ids)).values(question=ERASED))
    complaints = _count(await uow.session.execute(
        update(ComplaintRow).where(ComplaintRow.citizen_id == citizen.id)
        .values(citizen_id=None, applicant=None, content=None, reply_kk=None, reply_ru=None,
                erased_at=func.now())))
    for table in (ComplaintDraftRow, StatusInquiryRow, StatusFailureRow, StatusWatcherRow):
        await uow.session.execute(delete(table).where(table.citizen_id == citizen.id))
    citizen.address = f"erased-{citizen.id}"
    citizen.lang = None
    citizen.unreachable = True
    return Erased(citizen.id, messages, len(inbox_ids), outbox_count, len(escalation_ids),
                  complaints)


def _count(result: Result[Any]) -> int:
    return int(cast(CursorResult[Any], result).rowcount or 0)


async def _inbox_of(uow: UnitOfWork, channel: str, address: str,
                    address_of: PayloadAddress | None) -> list[int]:
    if address_of is None:
        return []
    rows = await uow.session.execute(
        select(InboxRow.id, InboxRow.payload).where(InboxRow.channel == channel))
    return [row_id for row_id, payload in rows.tuples() if address_of(payload) == address]


async def purge_older_than(uow: UnitOfWork, before: datetime) -> dict[str, int]:
    """The retention job (staged): conversation lines, stored updates and sent messages
    older than ``before`` lose their words; the counts of the reports stay."""
    lines = _count(await uow.session.execute(
        delete(ConversationRow).where(ConversationRow.at < before)))
    # an escalation names the line it passed on: a line gone, a reused id is not it
    await uow.session.execute(update(EscalationRow).where(
        EscalationRow.question_id.is_not(None),
        ~select(ConversationRow.id).where(ConversationRow.id == EscalationRow.question_id)
        .exists()).values(question_id=None))
    return {
        "conversation_log": lines,
        "inbox": _count(await uow.session.execute(
            update(InboxRow).where(InboxRow.received_at < before, InboxRow.status != "received")
            .values(payload=ERASED_PAYLOAD))),
        "outbox": _count(await uow.session.execute(
            update(OutboxRow).where(OutboxRow.created_at < before,
                                    OutboxRow.status != "pending")
            .values(payload=ERASED_PAYLOAD))),
    }

