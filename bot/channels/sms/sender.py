"""Deliver the SMS outbox through the gateway: never twice, never to a number opted out.

Due rows are claimed (status "sending") and committed before anything is sent, and
settled after: a crash in between leaves them claimed, not sent again. A gateway that
surely did not take a message (a refused connection, a 5xx) is retried with backoff for
as long as the delivery policy keeps a message (24 h by default), with a warning while the
outage lasts; an unknown outcome (a timeout after the request went out) is sent again
only as the policy allows (once by default), then left "uncertain". A send still running
after ``ROUND_WAIT_S`` is settled on its own when it ends: one slow request does not hold
the next round. The gateway's message id is kept for its delivery reports.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Final

import aiohttp
from sqlalchemy.exc import OperationalError

from bot.app import App
from bot.channels.outage import OutageWatch
from bot.channels.sms.gateway import Gateway, SendFailed
from bot.channels.sms.replies import OPT_OUT_NOTICE
from knowledge import outbox
from knowledge.sms.state import CHANNEL, opted_out_addresses

log = logging.getLogger(__name__)
BATCH: Final = 50
CONCURRENCY: Final = 8
SETTLE_ATTEMPTS: Final = 20
ROUND_WAIT_S: Final = 2.0


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
        self.round_wait_s = ROUND_WAIT_S
        self._late: set[asyncio.Task[None]] = set()  # sends that outlived their round
        self.outage = OutageWatch("the SMS gateway", app.clock)

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
        sends = [asyncio.create_task(self._send(i)) for i in items if i.id in claimed]
        if not sends:
            return len(given_up)
        done, slow = await asyncio.wait(sends, timeout=self.round_wait_s)
        for task in slow:  # claimed ("sending"): never picked again meanwhile
            late = asyncio.create_task(self._settle_late(task))
            self._late.add(late)
            late.add_done_callback(self._late.discard)
        return len(given_up) + await self._settle([t.result() for t in sends if t in done])

    async def _settle_late(self, send: asyncio.Task[Result]) -> None:
        await self._settle([await send])

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
        self.outage.note(
            failed=sum(r.error is not None and (r.error.retry or r.error.uncertain)
                       for r in results),
            delivered=sum(r.error is None for r in results))
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
                policy = self.app.delivery
                if error.retry:
                    if await outbox.mark_retry(uow, result.item.id, str(error), clock,
                                               policy=policy):
                        continue  # pending again, after a backoff
                elif error.uncertain:
                    if await outbox.mark_uncertain(uow, result.item.id, str(error), clock,
                                                   policy=policy):
                        continue  # sent again once (by default), after a backoff
                else:
                    await outbox.mark_failed(uow, result.item.id, str(error))
                log.warning("SMS outbox %s given up: %s", result.item.id, error)
                settled += 1
            await uow.commit()
        return settled

    async def close(self) -> None:
        """Settle the sends still running (they end within the request timeout)."""
        if self._late:
            await asyncio.gather(*self._late, return_exceptions=True)
        if self._http is not None:
            await self._http.close()
