"""The conversation log and feedback: what was said (an IIN never in clear), and whether
an answer helped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from knowledge.clock import Clock
from knowledge.db.tables import CONVERSATION, ConversationRow, FeedbackRow
from knowledge.db.uow import UnitOfWork
from knowledge.iin import redact
from knowledge.length import kept


@dataclass(frozen=True, slots=True)
class Question:
    """A citizen's message as the log keeps it; its line's id names it."""

    id: int
    text: str


@dataclass(frozen=True, slots=True)
class LoggedMessage:
    citizen_id: int
    direction: str
    channel: str
    lang: str | None
    text: str
    at: datetime
    original_length: int | None = None  # over the limit: ``text`` is its beginning


def log_message(
    uow: UnitOfWork,
    citizen_id: int,
    *,
    direction: str,
    channel: str,
    lang: str | None,
    text: str,
    clock: Clock,
    max_chars: int | None = None,
) -> None:
    """Stage one message of the log; one over ``max_chars`` is kept cut, with its length."""
    stored, original_length = kept(redact(text), max_chars)  # an IIN is never kept in clear
    uow.stage(CONVERSATION, {
        "citizen_id": citizen_id, "direction": direction, "channel": channel, "lang": lang,
        "text": stored, "at": clock.now(), "original_length": original_length,
    })


async def conversation(uow: UnitOfWork, citizen_id: int) -> list[LoggedMessage]:
    await uow.flush_staged()
    rows = await uow.session.scalars(
        select(ConversationRow).where(ConversationRow.citizen_id == citizen_id)
        .order_by(ConversationRow.id)
    )
    return [LoggedMessage(r.citizen_id, r.direction, r.channel, r.lang, r.text, r.at,
                          r.original_length) for r in rows]


async def messages_since(uow: UnitOfWork, citizen_id: int, since: datetime) -> int:
    """Messages the citizen sent since ``since`` (an SMS number's quota counts them)."""
    await uow.flush_staged()
    count = await uow.session.scalar(
        select(func.count()).select_from(ConversationRow).where(
            ConversationRow.citizen_id == citizen_id, ConversationRow.direction == "in",
            ConversationRow.at >= since)
    )
    return int(count or 0)


def record_feedback(
    uow: UnitOfWork, citizen_id: int, entry_key: str, helpful: bool, clock: Clock
) -> None:
    uow.session.add(FeedbackRow(
        citizen_id=citizen_id, entry_key=entry_key, helpful=helpful, at=clock.now()
    ))


async def give_feedback(
    uow: UnitOfWork, citizen_id: int, entry_key: str, helpful: bool, clock: Clock, *,
    message_id: int,
) -> bool:
    """The citizen's verdict on the answer shown in ``message_id``: one per answer, so a
    second press counts nothing (False); the other button replaces the verdict."""
    row = await uow.session.scalar(select(FeedbackRow).where(
        FeedbackRow.citizen_id == citizen_id, FeedbackRow.message_id == message_id))
    if row is None:
        uow.session.add(FeedbackRow(citizen_id=citizen_id, entry_key=entry_key,
                                    helpful=helpful, at=clock.now(), message_id=message_id))
        return True
    if (row.entry_key, row.helpful) == (entry_key, helpful):
        return False
    row.entry_key, row.helpful, row.at = entry_key, helpful, clock.now()
    return True


async def feedback_counts(uow: UnitOfWork) -> dict[str, tuple[int, int]]:
    """entry -> (helpful, not helpful)."""
    counts: dict[str, tuple[int, int]] = {}
    for row in await uow.session.scalars(select(FeedbackRow)):
        yes, no = counts.get(row.entry_key, (0, 0))
        counts[row.entry_key] = (yes + row.helpful, no + (not row.helpful))
    return counts


async def last_question(uow: UnitOfWork, citizen_id: int) -> Question | None:
    """The citizen's last message (for "none of these": the question that was not answered)."""
    await uow.flush_staged()
    row = await uow.session.scalar(
        select(ConversationRow)
        .where(ConversationRow.citizen_id == citizen_id, ConversationRow.direction == "in")
        .order_by(ConversationRow.id.desc()).limit(1)
    )
    return Question(row.id, row.text) if row is not None else None
