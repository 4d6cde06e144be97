"""A stored Telegram update read as plain JSON, before (or without) aiogram: whose chat it
came from. ``ucc citizen erase`` finds a citizen's stored updates by it."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def chat_of(payload: dict[str, Any]) -> tuple[int | None, str | None]:
    """(chat id, the sender's language code) of a raw update; (None, None) when the
    update has no chat we can answer (it is still processed, never dropped). Whatever the
    payload holds, the answer is an int and a string or None: an update is stored as it
    came, before anything checked it."""
    try:
        message = payload.get("message") or payload.get("edited_message")
        if message:
            chat, sender = message["chat"]["id"], message.get("from") or {}
        else:
            query = payload.get("callback_query")
            if not query:
                return None, None
            sender = query.get("from") or {}
            chat = (query.get("message") or {}).get("chat", {}).get("id", sender.get("id"))
        lang = sender.get("language_code")
    except (AttributeError, KeyError, TypeError):
        log.warning("update without a readable chat: %s", sorted(map(str, payload)))
        return None, None
    if not isinstance(chat, int) or isinstance(chat, bool):
        log.warning("update whose chat id is not a number (%s)", type(chat).__name__)
        return None, None
    return chat, lang if isinstance(lang, str) else None


def chat_address(payload: dict[str, Any]) -> str | None:
    """The chat of a stored update, as the citizen's address."""
    chat, _lang = chat_of(payload)
    return None if chat is None else str(chat)
