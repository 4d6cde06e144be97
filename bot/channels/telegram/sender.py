"""Deliver the Telegram outbox: in order per chat, within Telegram's limits, never twice.

Each round sends the oldest due message of every chat at once (different chats do not
wait for each other; one chat's messages go one after another; a chat with thousands
queued takes one place of a round), then settles the round in one transaction; a request
still running after ``ROUND_WAIT_S`` is settled on its own when it ends, so one slow send
does not hold the next round. About one message a second per chat and 30 a second
overall; a 429 pauses that chat for ``retry_after`` (and everything, when most of a round
got one); 5xx and network errors back off exponentially for as long as the delivery
policy keeps a message (24 h by default), with a warning while the outage lasts; a send
whose fate is unknown (a timeout after the request left) goes again only as the policy
allows; a 403 (the citizen blocked the bot) marks the chat unreachable and gives up its
pending messages.

The outbox rows are already Bot API parameters, so they are posted as JSON as they are:
building aiogram's method and reply models for every message would cost more than the
rest of the delivery, and nothing here needs them (only the message's id is kept).
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final, Literal

import aiohttp
from aiogram import Bot
from sqlalchemy.exc import OperationalError

from bot.app import App
from bot.channels.outage import OutageWatch
from bot.channels.telegram.replies import CHANNEL
from knowledge import outbox
from knowledge.citizens import mark_unreachable
from knowledge.clock import Clock

log = logging.getLogger(__name__)

METHODS: Final = frozenset({"sendMessage", "answerCallbackQuery", "sendDocument",
                            "setMyCommands", "deleteMyCommands"})
REQUEST_TIMEOUT_S: Final = 30.0
HTTP_TOO_MANY: Final = 429
HTTP_FORBIDDEN: Final = 403
HTTP_SERVER_ERROR: Final = 500
SETTLE_ATTEMPTS: Final = 20
ROUND_WAIT_S: Final = 2.0  # a round settles what finished by then; the rest on their own
THROTTLED_ROUND: Final = 3  # 429s in one round that pause every chat
PER_CHAT_INTERVAL_S: Final = 1.0
GLOBAL_PER_SECOND: Final = 30
GLOBAL_KEY: Final = "tg:global"  # the messages of the last second, all instances


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one message, to be settled in the round's transaction."""

    item: outbox.OutboxItem
    kind: Literal["sent", "retry", "pause", "uncertain", "gone", "refused"]
    detail: str = ""
    retry_after_s: float | None = None
    message_id: str | None = None


class TelegramSender:
    def __init__(
        self,
        app: App,
        bot: Bot,
        clock: Clock,
        *,
        per_chat_interval_s: float = PER_CHAT_INTERVAL_S,
        global_per_second: int = GLOBAL_PER_SECOND,
    ) -> None:
        self.app = app
        self.bot = bot
        self.clock = clock
        self.per_chat_interval_s = per_chat_interval_s
        self.global_per_second = global_per_second
        self.limits = app.limits  # shared by the instances when Redis is configured
        self.round_wait_s = ROUND_WAIT_S
        self.request_timeout_s = REQUEST_TIMEOUT_S
        self.paused_until = 0.0
        self._http: aiohttp.ClientSession | None = None
        self._late: set[asyncio.Task[None]] = set()  # sends that outlived their round
        self.outage = OutageWatch("Telegram", clock)

    async def _budget(self) -> int:
        """How many messages may start now under the overall limit (a one-second window)."""
        return max(self.global_per_second - await self.limits.recent(GLOBAL_KEY, 1.0), 0)

    async def _chat_free(self, item: outbox.OutboxItem) -> bool:
        """A chat gets a message a ``per_chat_interval_s`` at most (its turn taken now)."""
        if item.method != "sendMessage" or self.per_chat_interval_s <= 0:
            return True
        return await self.limits.once_per(f"tg:chat:{item.address}", self.per_chat_interval_s)

    async def send_due(self) -> int:
        """Send one round of what is due now; the number of rows settled (sent or given up)."""
        if self.clock.now().timestamp() < self.paused_until:
            return 0
        async with self.app.uow() as uow:
            items = await outbox.due(uow, CHANNEL, self.clock.now(), limit=500)
        budget = await self._budget()
        round_: list[outbox.OutboxItem] = []
        seen: set[str] = set()
        for item in items:
            if len(round_) >= budget:
                break
            if item.address in seen:
                continue  # the chat's later messages wait for this one
            seen.add(item.address)
            if not await self._chat_free(item):
                continue
            round_.append(item)
        if not round_:
            return 0
        async with self.app.uow() as uow:
            claimed = await outbox.claim(uow, [item.id for item in round_], self.clock.now())
            await uow.commit()
        round_ = [item for item in round_ if item.id in claimed]
        if not round_:  # another instance was faster
            return 0
        for _item in round_:
            await self.limits.note(GLOBAL_KEY, 1.0)
        sends = [asyncio.create_task(self._deliver(item)) for item in round_]
        done, slow = await asyncio.wait(sends, timeout=self.round_wait_s)
        for task in slow:  # its chat's next message waits: the row stays claimed
            late = asyncio.create_task(self._settle_late(task))
            self._late.add(late)
            late.add_done_callback(self._late.discard)
        return await self._settle([task.result() for task in sends if task in done])

    async def _settle_late(self, send: asyncio.Task[Outcome]) -> None:
        await self._settle([await send])

    async def _deliver(self, item: outbox.OutboxItem) -> Outcome:
        if item.method not in METHODS:
            return Outcome(item, "refused", f"unknown method {item.method}")
        try:
            status, answer = await self._post(item.method, item.payload)
        except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as exc:
            return Outcome(item, "retry", self._network(exc))  # surely never left
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            # the request left and no readable answer came: it may have been delivered
            return Outcome(item, "uncertain", self._network(exc))
        if answer.get("ok"):
            result = answer.get("result")
            message_id = result.get("message_id") if isinstance(result, dict) else None
            return Outcome(item, "sent",
                           message_id=None if message_id is None else str(message_id))
        code = int(answer.get("error_code") or status)
        detail = f"{code}: {answer.get('description', '')}"
        if code == HTTP_TOO_MANY:
            wait = float((answer.get("parameters") or {}).get("retry_after") or 1)
            return Outcome(item, "pause", "429", retry_after_s=wait)
        if code == HTTP_FORBIDDEN:
            return Outcome(item, "gone", detail)
        if code >= HTTP_SERVER_ERROR:
            return Outcome(item, "retry", detail)
        log.warning("outbox %s refused by Telegram: %s", item.id, detail)
        return Outcome(item, "refused", detail)

    def _network(self, exc: BaseException) -> str:
        reason = str(exc).replace(self.bot.token, "<token>")  # URLs carry the token
        return f"network: {type(exc).__name__}: {reason}"

    async def _post(self, method: str, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.request_timeout_s))
        url = self.bot.session.api.api_url(token=self.bot.token, method=method)
        body: dict[str, Any] = {"json": payload}
        if method == "sendDocument":
            body = {"data": _document_form(payload)}
        async with self._http.post(url, **body) as response:
            answer = await response.json(content_type=None)
        if not isinstance(answer, dict):
            raise ValueError("not a Bot API answer")
        return response.status, answer

    async def close(self) -> None:
        """Settle the sends still running (they end within the request timeout)."""
        if self._late:
            await asyncio.gather(*self._late, return_exceptions=True)
        if self._http is not None:
            await self._http.close()

    async def _settle(self, outcomes: list[Outcome]) -> int:
        """Record the round; the messages are out already, so a failed transaction (the
        database busy) is tried again rather than left to send them twice."""
        self._pause_if_throttled(outcomes)
        self.outage.note(failed=sum(o.kind in ("retry", "uncertain") for o in outcomes),
                         delivered=sum(o.kind == "sent" for o in outcomes))
        for attempt in range(1, SETTLE_ATTEMPTS + 1):
            try:
                return await self._settle_once(outcomes)
            except OperationalError:
                if attempt == SETTLE_ATTEMPTS:
                    raise
                log.warning("settling %d sent messages failed; trying again", len(outcomes))
                await asyncio.sleep(0.1 * attempt)
        return 0

    def _pause_if_throttled(self, outcomes: list[Outcome]) -> None:
        """A 429 holds back its own chat (its row waits ``retry_after``); when most of a
        round got one, the bot as a whole is over its limit: everything pauses."""
        throttled = [o for o in outcomes if o.kind == "pause"]
        if len(throttled) >= max(THROTTLED_ROUND, len(outcomes) // 2 + 1):
            wait = max(o.retry_after_s or 1.0 for o in throttled)
            self.paused_until = self.clock.now().timestamp() + wait

    async def _settle_once(self, outcomes: list[Outcome]) -> int:
        settled = 0
        async with self.app.uow() as uow:
            sent = [(o.item.id, o.message_id) for o in outcomes if o.kind == "sent"]
            await outbox.mark_sent(uow, sent, self.clock)
            settled += len(sent)
            for o in outcomes:
                item = o.item
                if o.kind == "sent":
                    continue
                policy = self.app.delivery
                if o.kind in ("pause", "retry"):
                    wait = None if o.retry_after_s is None else timedelta(seconds=o.retry_after_s)
                    if await outbox.mark_retry(uow, item.id, o.detail, self.clock, wait=wait,
                                               policy=policy):
                        continue
                    log.warning("outbox %s given up after %s of retries: %s", item.id,
                                policy.retry_for, o.detail)
                elif o.kind == "uncertain":
                    if await outbox.mark_uncertain(uow, item.id, o.detail, self.clock,
                                                   policy=policy):
                        continue
                    log.warning("outbox %s left uncertain (not sent again): %s", item.id,
                                o.detail)
                elif o.kind == "gone":
                    await mark_unreachable(uow, CHANNEL, item.address)
                    await outbox.fail_pending_for(uow, CHANNEL, item.address, "403 unreachable")
                    await outbox.mark_failed(uow, item.id, o.detail)
                else:
                    await outbox.mark_failed(uow, item.id, o.detail)
                settled += 1
            await uow.commit()
        return settled


def _document_form(payload: dict[str, Any]) -> aiohttp.FormData:
    """A document kept in the outbox (base64, see ``replies.document_message``) as the
    multipart upload the Bot API expects."""
    form = aiohttp.FormData()
    for key, value in payload.items():
        if key != "document":
            form.add_field(key, value if isinstance(value, str) else json.dumps(value))
    document = payload["document"]
    form.add_field("document", base64.b64decode(document["data"]),
                   filename=document["filename"], content_type=document["content_type"])
    return form
