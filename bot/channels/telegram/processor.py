"""Process stored updates through the dispatcher, exactly once.

The handlers' changes, their replies (outbox) and the updates' "processed" marks commit
together: updates that wait together are processed in one transaction (one disk flush for
the lot). When anything in such a batch fails, the batch is rolled back whole and its
updates are processed again one transaction each, so one bad update costs only itself (and
its own chat's later updates a wait: they follow it, in order): it is retried a bounded
number of times, then parked for operators, and the citizen gets one apology. A citizen who
floods is answered at a steady pace after one polite "please wait"; nothing is dropped.
Button presses are not paced (a citizen who taps a choice, 👍 and the card in a row is not
flooding), but a chat whose replies already wait ``PRESS_BACKLOG`` deep gets nothing more
for its presses: they are recorded as coalesced into the replies already queued, and the
citizen is asked once to wait. The files of staff are downloaded before the transaction
(uploads.py).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from typing import Any, Final

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from pydantic import ValidationError

from bot.app import App
from bot.channels.telegram.render import quote
from bot.channels.telegram.replies import CHANNEL, plain_message
from bot.channels.telegram.updates import chat_of
from bot.channels.telegram.uploads import read_uploads
from bot.texts.i18n import gettext_for, marked
from knowledge import inbox
from knowledge.citizens import citizen_for, prefetch
from knowledge.clock import Clock
from knowledge.iin import redact
from knowledge.length import cut
from knowledge.outbox import backlog, enqueue

log = logging.getLogger(__name__)
BATCH: Final = 64  # updates per transaction at most
PRESS_BACKLOG: Final = 20  # a chat's replies waiting beyond which its presses add nothing


class UpdateProcessor:
    def __init__(
        self,
        app: App,
        bot: Bot,
        dispatcher: Dispatcher,
        clock: Clock,
        *,
        flood_messages: int,
        flood_window_s: float,
        partition: Callable[[int | None], bool] | None = None,
    ) -> None:
        self.app = app
        self.bot = bot
        self.dispatcher = dispatcher
        self.clock = clock
        self.flood_messages = flood_messages
        self.flood_window_s = flood_window_s
        self.partition = partition  # which chats are this process's (None: all)
        self.limits = app.limits  # shared by the instances when Redis is configured
        self.on_processed: Callable[[], None] = lambda: None  # replies may be waiting

    def _kept(self, text: str) -> str:
        """What a handled update keeps of a text: no IIN, and no more than the length
        limit (the conversation log keeps the original length)."""
        return cut(redact(text), self.app.settings.message_max_chars)

    async def _paced(self, chat: int, taken: int = 0) -> bool:
        """True when this chat has had its share of answers for now (the update waits);
        ``taken``: its messages already picked for this round."""
        return await self.limits.recent(f"flood:{chat}", self.flood_window_s) + taken >= (
            self.flood_messages)

    async def process_pending(self) -> int:
        """Process what is waiting; the number of updates this instance processed or
        parked (0 when another instance took them all: then it waits, it does not spin)."""
        async with self.app.uow() as uow:
            items = await inbox.pending(uow, limit=BATCH if self.partition is None else 4 * BATCH,
                                        channel=CHANNEL, skip_taken=True)
        if self.partition is not None:
            owns = self.partition
            items = [item for item in items if owns(chat_of(item.payload)[0])][:BATCH]
        ready: list[inbox.InboxItem] = []
        coalesced: list[inbox.InboxItem] = []
        deferred: dict[int, dict[str, Any]] = {}
        taken: Counter[int] = Counter()  # messages of each chat in this round
        pressed: Counter[int] = Counter()  # presses of each chat in this round
        backlogs: dict[int, int] = {}
        for item in items:
            chat, _lang = chat_of(item.payload)
            if chat is not None and (chat in deferred or await self._paced(chat, taken[chat])):
                deferred.setdefault(chat, item.payload)  # its later updates wait too
                continue
            if chat is not None and "callback_query" in item.payload:
                if chat not in backlogs:
                    backlogs[chat] = await self._backlog(chat)
                if backlogs[chat] + pressed[chat] >= PRESS_BACKLOG:
                    coalesced.append(item)
                    continue
                pressed[chat] += 1
            if chat is not None and "message" in item.payload:
                taken[chat] += 1  # messages count toward the pace; presses do not
            ready.append(item)
        handled = await self.process(ready) if ready else 0
        if coalesced:
            handled += await self._coalesce(coalesced)
        for chat, payload in deferred.items():  # after the answers already due
            await self._ask_to_wait(chat, payload)
        return handled

    async def _backlog(self, chat: int) -> int:
        async with self.app.uow() as uow:
            return await backlog(uow, CHANNEL, str(chat))

    async def _coalesce(self, items: list[inbox.InboxItem]) -> int:
        """Presses of chats whose replies already wait deep: recorded (not lost: the stored
        update says why nothing more was sent), the citizen asked once to wait."""
        async with self.app.uow() as uow:
            await inbox.mark_processed(uow, [item.id for item in items], self.clock,
                                       note=f"coalesced: {PRESS_BACKLOG}+ replies waiting")
            await uow.commit()
        for payload in {chat_of(i.payload)[0]: i.payload for i in items}.values():
            chat = chat_of(payload)[0]
            assert chat is not None
            await self._ask_to_wait(chat, payload)
        return len(items)

    async def process(self, items: list[inbox.InboxItem]) -> int:
        """Process updates in one transaction; on failure, each again in its own. The
        number processed or parked by this instance. A malformed update is parked first,
        on its own: it can only fail."""
        valid: list[tuple[inbox.InboxItem, Update]] = []
        parked = 0
        for item in items:
            try:
                valid.append((item, Update.model_validate(item.payload,
                                                          context={"bot": self.bot})))
            except ValidationError as error:
                await self._park_invalid(item, error)
                parked += 1
        return parked + (await self._process_valid(valid) if valid else 0)

    async def _process_valid(self, batch: list[tuple[inbox.InboxItem, Update]],
                             failed_chats: set[int] | None = None) -> int:
        items = [item for item, _update in batch]
        chats = [str(c) for c in {chat_of(item.payload)[0] for item in items} if c is not None]
        try:
            # New citizens are registered first, on their own: the batch's transaction then
            # writes only at its end and holds the database's write lock only that long.
            async with self.app.uow() as uow:
                await prefetch(uow, CHANNEL, chats, self.clock)
                await uow.commit()
            # Staff's files are downloaded now, not while the transaction holds the database.
            uploads = await read_uploads(self.bot, self.app.uow, items)
            async with self.app.uow() as uow:
                # Another instance may have taken some of them meanwhile: only ours.
                mine = await inbox.claim(
                    uow, [(item.id, chat_of(item.payload)[0]) for item in items],
                    chat_of=lambda payload: chat_of(payload)[0])
                await prefetch(uow, CHANNEL, chats, self.clock)
                for item, update in batch:
                    if item.id not in mine:
                        continue
                    await self.dispatcher.feed_update(self.bot, update, uow=uow,
                                                      upload=uploads.get(item.id))
                await inbox.redact_payloads(uow, [i for i in items if i.id in mine], self._kept)
                await inbox.mark_processed(uow, sorted(mine), self.clock)
                await uow.commit()
            # What this instance answered counts toward each chat's pace (shared with the
            # others through Redis); what another instance took is counted there.
            for item in items:
                chat = chat_of(item.payload)[0]
                if item.id in mine and chat is not None and "message" in item.payload:
                    await self.limits.note(f"flood:{chat}", self.flood_window_s)
        except Exception as exc:  # noqa: BLE001 - any handler failure is counted, not lost
            if len(items) > 1:
                log.info("a batch of %d updates failed; processing them one by one", len(items))
                return await self._one_by_one(batch)
            await self._failed(items[0], exc)
            if failed_chats is not None and (chat := chat_of(items[0].payload)[0]) is not None:
                failed_chats.add(chat)
            self.on_processed()
            return 1
        self.on_processed()
        return len(mine)

    async def _one_by_one(self, batch: list[tuple[inbox.InboxItem, Update]]) -> int:
        """A failed batch again, one transaction an update. Once an update of a chat has
        failed, the chat's later ones wait: they follow its retry (or its parking), they
        do not overtake it."""
        failed_chats: set[int] = set()
        handled = 0
        for item, update in batch:
            if chat_of(item.payload)[0] in failed_chats:
                continue
            handled += await self._process_valid([(item, update)], failed_chats)
        return handled

    async def _failed(self, item: inbox.InboxItem, exc: Exception) -> None:
        log.error("update %s failed (attempt %d)", item.external_id, item.attempts + 1,
                  exc_info=exc)
        async with self.app.uow() as uow:
            parked = await inbox.mark_failed(uow, item.id, redact(f"{type(exc).__name__}: {exc}"))
            if parked:  # kept for operators, without an IIN it may carry
                await inbox.redact_payloads(uow, [item], self._kept)
                await uow.commit()
        if parked:
            await self._apologise(item.payload)

    async def _park_invalid(self, item: inbox.InboxItem, error: ValidationError) -> None:
        """Park an update aiogram cannot read, with where it is wrong (not its values, which
        may be personal); the citizen, when their chat is known, gets one apology."""
        where = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['type']}"
                          for e in error.errors()[:5])
        log.error("update %s is malformed and parked: %s", item.external_id, where)
        async with self.app.uow() as uow:
            await inbox.park(uow, item.id, f"invalid update: {where}")
            await inbox.redact_payloads(uow, [item], self._kept)
            await uow.commit()
        await self._apologise(item.payload)

    async def _notify(self, payload: dict[str, Any], message: str) -> None:
        chat, hint = chat_of(payload)
        if chat is None:
            return
        async with self.app.uow() as uow:
            citizen = await citizen_for(uow, CHANNEL, str(chat), self.clock)
            default = self.app.settings.default_lang
            lang = citizen.lang or (hint if hint in ("kk", "ru") else default)
            text = quote(gettext_for(lang).gettext(message))
            enqueue(uow, plain_message(chat, text), self.clock)
            await uow.commit()
        self.on_processed()

    async def _apologise(self, payload: dict[str, Any]) -> None:
        await self._notify(payload, APOLOGY)

    async def _ask_to_wait(self, chat: int, payload: dict[str, Any]) -> None:
        if not await self.limits.once_per(f"flood-notice:{chat}", self.flood_window_s * 3):
            return
        await self._notify(payload, PLEASE_WAIT)


_ = marked  # translated when sent, in the citizen's language


APOLOGY = _(
    "Sorry, something went wrong while processing your message. It has been passed to the "
    "contact center's staff. You can also call 1414."
)
PLEASE_WAIT = _(
    "You are sending messages faster than I can answer. Please wait: every message will be "
    "answered in turn."
)
