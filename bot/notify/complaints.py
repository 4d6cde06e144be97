"""Complaints back to the citizen: the agency's response (and an overdue status message) as
outbox rows, on the citizen's channel, in the language they complained in, with the
complaint's number; written in the transaction that recorded the response."""

from __future__ import annotations

from bot.notify.citizens import send_text
from bot.texts.complaints import delivery_text
from knowledge.clock import Clock
from knowledge.complaints import ComplaintDelivery, take_deliveries
from knowledge.db.uow import UnitOfWork


def enqueue_complaint_deliveries(
    uow: UnitOfWork, deliveries: list[ComplaintDelivery], clock: Clock, *, sms_max_parts: int,
) -> int:
    """Queue each delivery; how many were queued (SMS and the terminal are skipped and
    logged until their senders exist)."""
    return sum(send_text(uow, citizen_id=d.citizen_id, channel=d.channel, address=d.address,
                         lang=d.lang, text=delivery_text(d), clock=clock,
                         sms_max_parts=sms_max_parts)
               for d in deliveries)


async def deliver_complaints(uow: UnitOfWork, clock: Clock, *, sms_max_parts: int) -> int:
    """Pass on every response not yet passed on (staged; commit with the rest)."""
    return enqueue_complaint_deliveries(uow, await take_deliveries(uow, clock), clock,
                                        sms_max_parts=sms_max_parts)
