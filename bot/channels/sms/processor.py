"""Process stored SMS: one message in, one reply out, one transaction each.

The turn's changes, its reply (outbox) and the message's "processed" mark commit together.
A message whose processing fails is retried (the inbox counts attempts), then parked for
operators, and the citizen gets one apology: nothing a citizen sent is dropped silently.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Final

from bot.app import App
from bot.channels.sms.inbound import sender_address
from bot.channels.sms.replies import OPT_OUT_NOTICE, sms_message
from bot.channels.sms.texts import apology, continued, loggable, replies
from knowledge import inbox
from knowledge.citizens import citizen_for
from knowledge.conversation import log_message
from knowledge.db.uow import UnitOfWork
from knowledge.iin import redact
from knowledge.length import cut
from knowledge.model import Lang
from knowledge.outbox import enqueue
from knowledge.sms.dialogue import Kind, SmsRules, handle_sms
from knowledge.sms.flows import SmsFlows
from knowledge.sms.state import CHANNEL, number_state, save_continuation

log = logging.getLogger(__name__)
BATCH: Final = 64


class SmsProcessor:
    def __init__(self, app: App, rules: SmsRules, *, max_parts: int) -> None:
        self.app = app
        self.rules = rules
        self.max_parts = max_parts
        self.on_processed: Callable[[], None] = lambda: None  # a reply may be waiting

    def _kept(self, text: str) -> str:
        """What a handled message keeps of a text: no IIN, no more than the length limit."""
        return cut(redact(text), self.app.settings.message_max_chars)

    async def process_pending(self) -> int:
        """Process waiting messages; how many this instance handled (another instance's
        are skipped, so 0 means wait rather than spin)."""
        async with self.app.uow() as uow:
            items = await inbox.pending(uow, limit=BATCH, channel=CHANNEL, skip_taken=True)
        return sum([await self.process(item) for item in items])

    async def process(self, item: inbox.InboxItem) -> bool:
        """Handle one message; False when another instance has it."""
        try:
            async with self.app.uow() as uow:
                # another instance may be handling it (or that number's earlier message)
                if not await inbox.claim(uow, [(item.id, _number_key(item))]):
                    return False
                await self._handle(uow, item)
                # an IIN sent for a status check is not kept in the stored message, nor
                # more than the length limit (the conversation log has the length)
                await inbox.redact_payloads(uow, [item], self._kept)
                await inbox.mark_processed(uow, [item.id], self.app.clock)
                await uow.commit()
        except Exception as exc:  # noqa: BLE001 - any failure is counted, not lost
            log.error("SMS %s failed (attempt %d)", item.external_id, item.attempts + 1,
                      exc_info=exc)
            async with self.app.uow() as uow:
                parked = await inbox.mark_failed(uow, item.id,
                                                 redact(f"{type(exc).__name__}: {exc}"))
                if parked:  # kept for operators, without an IIN it may carry
                    await inbox.redact_payloads(uow, [item], self._kept)
                    await uow.commit()
            if parked:
                await self._apologise(item)
        self.on_processed()
        return True

    async def _handle(self, uow: UnitOfWork, item: inbox.InboxItem) -> None:
        number = sender_address(item.payload)
        if number is None:  # a short code or a name: nobody to answer
            log.warning("SMS %s: the sender is not a phone number; not answered",
                        item.external_id)
            return
        settings, app = self.app.settings, self.app
        turn = await handle_sms(uow, app.matchers, number, str(item.payload.get("text", "")),
                                rules=self.rules,
                                flows=SmsFlows(app.status_desk, app.deadlines),
                                default_lang=settings.default_lang, clock=app.clock)
        notice = OPT_OUT_NOTICE if turn.kind == Kind.STOPPED else None
        if turn.kind == Kind.MORE and turn.more_text is not None:  # what is left, for "1"
            _part, rest = continued(turn.more_text, turn.lang, self.max_parts)
            save_continuation(await number_state(uow, turn.citizen.id), rest, turn.lang,
                              app.clock.now())
        for text in replies(turn, self.max_parts):
            self._reply(uow, turn.citizen.id, number, text, lang=turn.lang, notice=notice,
                        logged=loggable(turn, text))

    def _reply(self, uow: UnitOfWork, citizen_id: int, number: str, text: str, *, lang: Lang,
               notice: str | None = None, logged: str | None = None) -> None:
        enqueue(uow, sms_message(number, text, notice=notice), self.app.clock)
        log_message(uow, citizen_id, direction="out", channel=CHANNEL, lang=lang,
                    text=text if logged is None else logged, clock=self.app.clock)

    async def _apologise(self, item: inbox.InboxItem) -> None:
        number = sender_address(item.payload)
        if number is None:
            return
        async with self.app.uow() as uow:
            citizen = await citizen_for(uow, CHANNEL, number, self.app.clock)
            lang = citizen.lang or self.app.settings.default_lang
            self._reply(uow, citizen.id, number, apology(lang, self.max_parts), lang=lang)
            await uow.commit()


def _number_key(item: inbox.InboxItem) -> int | None:
    """The sender's digits, as the per-number lock of several instances."""
    digits = "".join(ch for ch in str(item.payload.get("sender", "")) if ch.isdigit())
    return int(digits[-15:]) if digits else None
