"""Deliver the SMS outbox through the gateway: never twice, never to a number opted out.

Due rows are claimed (status "sending") and committed before anything is sent, and
settled after: a crash in between leaves them claimed, not sent again. A gateway that
surely did not take a message (a refused connection, a 5xx) is retried with backoff; an
unknown outcome (a timeout after the request went out) is given up rather than risk a
second SMS. The gateway's message id is kept for its delivery reports.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Final

import aiohttp
from sqlalchemy.exc import OperationalError

from bot.app import App
from bot.channels.sms.gateway import Gateway, SendFailed
from bot.channels.sms.replies import OPT_OUT_NOTICE
from knowledge import outbox
from knowledge.sms.state import CHANNEL, opted_out_addresses

log = logging.getLogger(__name__)
BATCH: Final = 50
CONCURRENCY: Final = 8
SETTLE_ATTEMPTS: Final = 20


@dataclass(frozen=True, slots=True)
class Result:
    item: outbox.OutboxItem
    message_id: str | None = None
    error: SendFailed | None = None


class SmsSender:
    def __init__(self, app: App, gateway: Gateway) -> None:
        self.app = app
        self.gateway = gateway
        self._http: aiohttp.ClientSession | None = None
        self._slots = asyncio.Semaphore(CONCURRENCY)

    async def send_due(self) -> int:
        """Send what is due now; the number of rows settled (sent or given up)."""
        clock = self.app.clock
        async with self.app.uow() as uow:
            items = await outbox.due(uow, CHANNEL, clock.now(), limit=BATCH)
            if not items:
                return 0
            stopped = await opted_out_addresses(uow, {i.address for i in items})
            given_up = [i for i in items
                        if i.address in stopped and i.payload.get("notice") != OPT_OUT_NOTICE]
            for item in given_up:
                await outbox.mark_failed(uow, item.id, "opted out")
            claimed = set(await outbox.claim_once(uow, [i.id for i in items if i not in given_up]))
            await uow.commit()
        results = await asyncio.gather(*(self._send(i) for i in items if i.id in claimed))
        return len(given_up) + await self._settle(list(results))

    async def _send(self, item: outbox.OutboxItem) -> Result:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession()
        async with self._slots:
            try:
                sent = await self.gateway.send(self._http, item.address,
                                               str(item.payload["text"]))
            except SendFailed as exc:
                return Result(item, error=exc)
        return Result(item, message_id=sent.message_id or None)

    async def _settle(self, results: list[Result]) -> int:
        """Record the round; the SMS are out already, so a busy database is waited for
        rather than left to send them again."""
        for attempt in range(1, SETTLE_ATTEMPTS + 1):
            try:
                return await self._settle_once(results)
            except OperationalError:
                if attempt == SETTLE_ATTEMPTS:
                    raise
                await asyncio.sleep(0.1 * attempt)
        return 0

    async def _settle_once(self, results: list[Result]) -> int:
        settled = 0
        clock = self.app.clock
        async with self.app.uow() as uow:
            sent = [(r.item.id, r.message_id) for r in results if r.error is None]
            await outbox.mark_sent(uow, sent, clock)
            settled += len(sent)
            for result in results:
                error = result.error
                if error is None:
                    continue
                if error.retry:
                    if await outbox.mark_retry(uow, result.item.id, str(error), clock):
                        continue  # pending again, after a backoff
                else:
                    await outbox.mark_failed(uow, result.item.id, str(error))
                log.warning("SMS outbox %s given up: %s", result.item.id, error)
                settled += 1
            await uow.commit()
        return settled

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
