"""A stored SMS read as plain JSON: whose number it came from. ``ucc citizen erase
--channel sms`` finds a citizen's stored messages by it."""

from __future__ import annotations

from typing import Any

from knowledge.sms.numbers import e164


def sender_address(payload: dict[str, Any]) -> str | None:
    """The sender's number of a stored message, as the citizen's address (E.164)."""
    return e164(str(payload.get("sender", "")))
