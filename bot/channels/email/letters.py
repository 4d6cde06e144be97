"""An e-mail as an outbox row: the recipient, subject, text and attachments (base64), staged
in the transaction of what it reports and sent by ``bot.channels.email.sender``."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Final

from knowledge.clock import Clock
from knowledge.db.uow import UnitOfWork
from knowledge.outbox import Outgoing, enqueue

CHANNEL: Final = "email"
METHOD: Final = "send"


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str  # e.g. application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
    data: bytes


def queue_email(
    uow: UnitOfWork, to: str, subject: str, text: str, *, clock: Clock,
    attachments: tuple[Attachment, ...] = (), held: bool = False, tag: str | None = None,
) -> None:
    """Stage a letter; it is sent once the transaction commits (``held``: once released).
    ``tag`` names what the letter carries (e.g. a notice), for whoever releases it."""
    payload = {
        "to": to, "subject": subject, "text": text,
        "attachments": [
            {"filename": a.filename, "content_type": a.content_type,
             "data": base64.b64encode(a.data).decode("ascii")}
            for a in attachments
        ],
    }
    if tag is not None:
        payload["tag"] = tag
    enqueue(uow, Outgoing(CHANNEL, to, METHOD, payload), clock, held=held)
