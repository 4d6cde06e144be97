"""SMS replies as outbox rows: one text to one number."""

from __future__ import annotations

from typing import Final

from knowledge.outbox import Outgoing
from knowledge.sms.state import CHANNEL

METHOD: Final = "sms"
OPT_OUT_NOTICE: Final = "opt_out"  # the one message sent to a number that just opted out


def sms_message(number: str, text: str, *, notice: str | None = None) -> Outgoing:
    payload: dict[str, str] = {"to": number, "text": text}
    if notice is not None:
        payload["notice"] = notice
    return Outgoing(CHANNEL, number, METHOD, payload)
