"""What an SMS gateway adapter is: it turns the gateway's HTTP requests into stored
messages and delivery reports, and sends a message. Another gateway is one module with a
class like ``JasminGateway``.

Receiving stores before acknowledging: ``SmsReceiver.store`` commits the messages to the
inbox (a duplicate delivery, same gateway message id, is recognised), and only then does
the adapter answer the gateway with its acknowledgement.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Final, Protocol

import aiohttp
from aiohttp import web

from bot.app import App
from knowledge import inbox
from knowledge.sms.delivery import record_report
from knowledge.sms.state import CHANNEL

METHOD: Final = "sms"


@dataclass(frozen=True, slots=True)
class Inbound:
    """One SMS received (MO). ``external_id`` is the gateway's own message id."""

    gateway: str
    external_id: str
    sender: str  # as the gateway gave it; normalised to E.164 when processed
    recipient: str
    text: str


@dataclass(frozen=True, slots=True)
class Sent:
    """The gateway took the message: its id there (for delivery reports)."""

    message_id: str


class SendFailed(Exception):
    """The gateway did not take the message. ``retry``: it surely did not, try again later;
    ``uncertain``: it is unknown whether it took it (a timeout after the request was sent):
    sent again only as the delivery policy allows, as it could send the SMS twice;
    neither: refused for good."""

    def __init__(self, reason: str, *, retry: bool, uncertain: bool = False) -> None:
        super().__init__(reason)
        self.retry = retry
        self.uncertain = uncertain


class Gateway(Protocol):
    name: str

    def routes(self, receiver: SmsReceiver) -> list[web.RouteDef]:
        """The HTTP endpoints the gateway posts to (MO, delivery reports)."""

    async def send(self, http: aiohttp.ClientSession, to: str, text: str) -> Sent:
        """Send one SMS; raises ``SendFailed``."""


class SmsReceiver:
    """Stores what gateways post: messages into the inbox, reports onto the outbox."""

    def __init__(self, app: App, *, on_stored: Callable[[], None] = lambda: None) -> None:
        self.app = app
        self.on_stored = on_stored

    async def store(self, messages: list[Inbound]) -> set[str]:
        """Commit the messages to the inbox; the inbox ids of those that were new."""
        if not messages:
            return set()
        async with self.app.uow() as uow:
            new = await inbox.store_many(
                uow, CHANNEL,
                [(f"{m.gateway}:{m.external_id}", asdict(m)) for m in messages], self.app.clock)
        if new:
            self.on_stored()
        return new

    async def report(self, message_id: str, status: str) -> bool:
        """Apply a delivery report; False when unknown or not a step forward."""
        async with self.app.uow() as uow:
            changed = await record_report(uow, CHANNEL, message_id, status, self.app.clock)
            await uow.commit()
        return changed
