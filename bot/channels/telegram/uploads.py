"""Files sent to the bot, downloaded before the update's transaction.

A download takes as long as Telegram and the network do; inside the transaction of a batch
of updates it would keep the database waiting the while (SQLite's one writer, PostgreSQL's
locks on the batch's chats and rows). So the update processor downloads first, here, and
hands each update's handlers its file's content as ``upload``.

Only what a handler reads is downloaded: the documents of active staff (an agency's
information file), up to ``MAX_SUBMISSION_BYTES``; not a protocol's signed scan, which is
kept by its Telegram file id. A citizen's file is never fetched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiogram import Bot

from knowledge.db.uow import UnitOfWork
from knowledge.inbox import InboxItem
from knowledge.onboarding.acceptance import names_protocol_scan
from knowledge.onboarding.submission import MAX_SUBMISSION_BYTES
from knowledge.staff import telegram_staff


@dataclass(frozen=True, slots=True)
class Document:
    file_id: str
    size: int  # as Telegram declares it; 0 when it does not
    sender: int | None  # the Telegram user


def document_of(payload: dict[str, Any]) -> Document | None:
    """The document a stored update's message carries, if any."""
    message = payload.get("message")
    if not isinstance(message, dict):
        return None
    document = message.get("document")
    if not isinstance(document, dict) or not document.get("file_id"):
        return None
    caption = message.get("caption")
    if names_protocol_scan(caption if isinstance(caption, str) else None):
        return None
    sender = (message.get("from") or {}).get("id")
    return Document(str(document["file_id"]), int(document.get("file_size") or 0),
                    sender if isinstance(sender, int) else None)


async def read_uploads(bot: Bot, uow_factory: Callable[[], UnitOfWork],
                       items: Sequence[InboxItem]) -> dict[int, bytes]:
    """The content of each staff document within the limit, by inbox item id. A failed
    download raises, as it did in the handler: the update is retried, then parked."""
    documents = {item.id: found for item in items
                 if (found := document_of(item.payload)) is not None
                 and found.sender is not None and found.size <= MAX_SUBMISSION_BYTES}
    if not documents:
        return {}
    async with uow_factory() as uow:  # a short read, before the batch's transaction
        staff = await telegram_staff(uow, {d.sender for d in documents.values()
                                           if d.sender is not None})
    uploads: dict[int, bytes] = {}
    for item_id, document in documents.items():
        if document.sender in staff:
            downloaded = await bot.download(document.file_id)
            uploads[item_id] = downloaded.read() if downloaded is not None else b""
    return uploads
