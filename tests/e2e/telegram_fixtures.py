"""Helpers of the Telegram end-to-end tests: the bot's runtime driven over HTTP by the fake.

A :class:`Harness` holds the fake Bot API, the application (its own SQLite base), a real
aiogram ``Bot`` pointed at the fake, and a ``TelegramRuntime``. Tests speak as a citizen
(:meth:`Harness.say`, :meth:`Harness.press`) and read what Telegram received.

By default (``receiver="steps"``) the runtime is driven step by step, as its loops would
drive it: an update is stored in the inbox as a receiver stores it, then settling
processes the inbox and sends the outbox (real aiogram calls to the fake over HTTP) until
nothing is left — no background tasks, no sleeping, no waiting on the wall clock. The
proofs about receiving itself run the real runtime: ``receiver="polling"`` (the fake
serves ``getUpdates``) or ``"webhook"`` (the test POSTs as Telegram would).
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace
from typing import Any, Final

from aiogram import Bot
from aiohttp import ClientSession, web
from sqlalchemy import func, select

from bot.app import App
from bot.channels.status.http import status_http_wanted
from bot.channels.telegram.receivers import SECRET_HEADER, WEBHOOK_PATH, InboxWriter
from bot.channels.telegram.replies import CHANNEL
from bot.jobs import run_job
from bot.runners.telegram import TelegramRuntime
from bot.runners.workers import Launch, launch_ucc
from bot.texts.i18n import gettext_for
from knowledge import inbox, outbox
from knowledge.citizens import Citizen, citizen_for
from knowledge.clock import FixedClock
from knowledge.db.tables import InboxRow, OutboxRow
from knowledge.outbox import OutboxStatus
from tests.conftest import PRODUCT_DEMO_PACK
from tests.fakes.bot_api import (
    Call,
    FakeBotAPI,
    callback_update,
    command_update,
    message_update,
)

CALLBACK_DATA_LIMIT: Final = 64  # bytes (Bot API: callback_data 1-64 bytes)
MESSAGE_LIMIT: Final = 4096
REFERENCE: Final = re.compile(r"Q-\d{6}-\d{5}")
WAIT_S: Final = 6.0
WEBHOOK_SECRET: Final = "s3cret-Token_1414"
STEP_S: Final = 0.02

_PACK: Final[dict[str, Any]] = json.loads(PRODUCT_DEMO_PACK.read_text(encoding="utf-8"))


# --------------------------------------------------------------------- the product demo pack


def demo_entry(key: str) -> dict[str, Any]:
    for service in _PACK["services"]:
        for entry in service["faq"]:
            if entry["id"] == key:
                return dict(entry)
    raise KeyError(key)


def demo_entry_asked(shown: str, lang: str) -> dict[str, Any]:
    """The demo entry one of whose questions in ``lang`` a choice shows (cut with "…")."""
    start = shown.rstrip("…")
    found = [entry for service in _PACK["services"] for entry in service["faq"]
             if any(q.startswith(start) for q in entry["questions"].get(lang, ()))]
    assert len(found) == 1, shown
    return dict(found[0])


def demo_service_of(key: str) -> dict[str, Any]:
    for service in _PACK["services"]:
        if any(entry["id"] == key for entry in service["faq"]):
            return dict(service)
    raise KeyError(key)


def answer_html(key: str, lang: str) -> str:
    """What the citizen must read: the pack's answer, escaped for parse_mode=HTML."""
    return html.escape(demo_entry(key)["answer"][lang], quote=False)


def t(lang: str, msgid: str) -> str:
    """An interface text as the citizen sees it (translated, then escaped)."""
    return html.escape(gettext_for(lang).gettext(msgid), quote=False)


# --------------------------------------------------------------------- reading the wire


def inline_buttons(call: Call) -> list[dict[str, Any]]:
    markup = call.params.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def callback_datas(call: Call) -> list[str]:
    return [str(b["callback_data"]) for b in inline_buttons(call) if "callback_data" in b]


def button(call: Call, *, text: str | None = None, prefix: str | None = None) -> str:
    """The callback data of the one button of ``call`` with this text or data prefix."""
    found = [
        str(b["callback_data"]) for b in inline_buttons(call)
        if (text is None or b["text"] == text)
        and (prefix is None or str(b.get("callback_data", "")).startswith(prefix))
    ]
    assert len(found) == 1, (text, prefix, inline_buttons(call))
    return found[0]


def reply_labels(call: Call) -> list[str]:
    markup = call.params.get("reply_markup") or {}
    return [b["text"] for row in markup.get("keyboard", []) for b in row]


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*)?)>")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);")
_TELEGRAM_TAGS: Final = frozenset({
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
    "tg-emoji", "code", "pre", "blockquote",
})


def html_problem(text: str) -> str | None:
    """Why Telegram would refuse ``text`` with parse_mode=HTML, or None when it is fine."""
    stack: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "<":
            tag = _TAG.match(text, i)
            if tag is None:
                return f"a bare '<' at {i}: {text[i:i + 30]!r}"
            closing, name = tag.group(1) == "/", tag.group(2).lower()
            if name not in _TELEGRAM_TAGS:
                return f"unsupported tag <{name}> at {i}"
            if closing:
                if not stack or stack.pop() != name:
                    return f"unbalanced </{name}> at {i}"
            else:
                stack.append(name)
            i = tag.end()
        elif char == "&":
            entity = _ENTITY.match(text, i)
            if entity is None:
                return f"a bare '&' at {i}: {text[i:i + 30]!r}"
            i = entity.end()
        elif char == ">":
            return f"a bare '>' at {i}: {text[max(0, i - 30):i + 1]!r}"
        else:
            i += 1
    return f"unclosed tags {stack}" if stack else None


def wire_problems(calls: list[Call]) -> list[str]:
    """What every test's traffic must respect: Telegram's limits and the never-drop rule."""
    problems = []
    for call in calls:
        if call.is_("sendMessage"):
            text = str(call.params.get("text", ""))
            if not 0 < len(text) <= MESSAGE_LIMIT:
                problems.append(f"sendMessage of {len(text)} characters")
            if call.params.get("parse_mode") == "HTML" and (why := html_problem(text)):
                problems.append(f"invalid HTML ({why}) in {text[:80]!r}")
        for data in callback_datas(call):
            if not 1 <= len(data.encode()) <= CALLBACK_DATA_LIMIT:
                problems.append(f"callback_data {data!r} is {len(data.encode())} bytes")
        if any(call.is_(m) for m in ("getUpdates", "setWebhook", "deleteWebhook")) and (
            call.params.get("drop_pending_updates") is True
        ):
            problems.append(f"{call.method} with drop_pending_updates=True")
    return problems


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


Check = Callable[[], Awaitable[bool] | bool]


async def wait_until(check: Check, what: str, timeout: float = WAIT_S) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = check()
        if not isinstance(result, bool):
            result = await result
        if result:
            return
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(STEP_S)


# --------------------------------------------------------------------- the harness

PUBLIC_URL: Final = "https://ucc.example.kz"


@dataclass
class Harness:
    """The bot under test. ``receiver`` is how updates reach it: stored directly and
    processed step by step (``"steps"``), Telegram's long polling (the fake serves
    ``getUpdates``) or the webhook (the test POSTs as Telegram would)."""

    fake: FakeBotAPI
    app: App
    bot: Bot
    receiver: str = "steps"
    runtime: TelegramRuntime | None = None
    task: asyncio.Task[None] | None = None
    presses: dict[str, str] = field(default_factory=dict)  # callback id -> data
    http: ClientSession | None = None
    workers: int = 0  # processing in N `ucc work` processes (ucc run --workers N)
    worker_env: dict[str, str] | None = None
    launch_worker: Launch = launch_ucc
    _crash_reported: bool = False
    _http_runner: web.AppRunner | None = None  # the HTTP server a stepped bot serves
    _update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(900_001))

    @property
    def webhook_base(self) -> str:
        return f"http://127.0.0.1:{self.app.settings.http_port}"

    @property
    def secret(self) -> str | None:
        secret = self.app.settings.webhook_secret
        return secret.get_secret_value() if secret is not None else None

    # ---- life
    def _new_runtime(self, per_chat_interval_s: float) -> TelegramRuntime:
        assert self.task is None, "stop the running runtime first"
        runtime = TelegramRuntime(self.app, self.bot, workers=self.workers,
                                  worker_env=self.worker_env, launch_worker=self.launch_worker)
        runtime.sender.per_chat_interval_s = per_chat_interval_s
        self.runtime = runtime
        return runtime

    async def start(self, *, per_chat_interval_s: float = 0.0) -> TelegramRuntime:
        if self.receiver == "steps":
            return await self.start_steps(per_chat_interval_s=per_chat_interval_s)
        if self.receiver == "webhook":
            return await self.start_webhook(PUBLIC_URL, per_chat_interval_s=per_chat_interval_s)
        return await self.start_polling(per_chat_interval_s=per_chat_interval_s)

    @property
    def stepping(self) -> bool:
        """Driven step by step: started, and no runtime task running."""
        return self.receiver == "steps" and self.runtime is not None and self.task is None

    async def start_steps(self, *, per_chat_interval_s: float = 0.0) -> TelegramRuntime:
        """The runtime, not running: what its start does (the clockwork's first round),
        then each step on demand (:meth:`settled`)."""
        runtime = self._new_runtime(per_chat_interval_s)
        if self.app.settings.serve_http or await status_http_wanted(self.app):
            self._http_runner = await runtime._serve(runtime.http_app())
        for job in runtime.jobs.jobs:
            await run_job(self.app, job)
        await self.settled()
        return runtime

    async def start_polling(self, *, per_chat_interval_s: float = 0.0) -> TelegramRuntime:
        runtime = self._new_runtime(per_chat_interval_s)
        count = len(self.fake.calls_of("getUpdates"))
        self.task = asyncio.create_task(runtime.run_polling())
        await self.fake.wait_for("getUpdates", count + 1)
        return runtime

    async def start_webhook(
        self, public_base_url: str, *, per_chat_interval_s: float = 0.0
    ) -> TelegramRuntime:
        runtime = self._new_runtime(per_chat_interval_s)
        count = len(self.fake.calls_of("setWebhook"))
        self.task = asyncio.create_task(runtime.run_webhook(public_base_url))
        # setWebhook is called once the HTTP site listens
        await self.fake.wait_for("setWebhook", count + 1)
        return runtime

    def crash(self) -> BaseException | None:
        """The exception that ended the runtime while it should be running, if any."""
        task = self.task
        if task is None or not task.done() or task.cancelled():
            return None
        return task.exception()

    def check_alive(self) -> None:
        error = self.crash()
        if error is not None:
            self._crash_reported = True
            raise AssertionError(f"the bot's runtime died: {error!r}") from error

    async def stop(self) -> None:
        if self.stepping:
            assert self.runtime is not None
            await self.settled()  # what a stopping runtime drains
            await self.runtime.sender.close()
            if self._http_runner is not None:
                await self._http_runner.cleanup()
                self._http_runner = None
            self.runtime = None
            return
        task, self.task = self.task, None
        if task is None:
            return
        assert self.runtime is not None
        self.runtime.stop.set()
        try:
            await asyncio.wait_for(task, 20)
        except Exception:
            if not self._crash_reported:
                raise
            await _cancel_orphaned_polls()

    async def close(self) -> None:
        try:
            await self.stop()
        finally:
            if self.http is not None:
                await self.http.close()
            await self.bot.session.close()
            await self.app.close()

    async def wait(self, check: Check, what: str, timeout: float = WAIT_S) -> None:
        """Like :func:`wait_until`, failing at once if the bot's runtime died. Driven step
        by step, the bot settles first and the check must then hold: nothing is left to
        wait for."""
        if self.stepping:
            await self.settled()
            result = check()
            if not isinstance(result, bool):
                result = await result
            assert result, f"{what}: not so once the bot settled"
            return

        def alive_and(check: Check = check) -> bool | Awaitable[bool]:
            self.check_alive()
            return check()

        await wait_until(alive_and, what, timeout)

    # ---- speaking as a citizen
    async def deliver(self, update: dict[str, Any]) -> int:
        """Hand an update to the bot the way its receiver gets them; the update id."""
        if self.receiver == "steps":  # stored as a receiver stores it, started or not
            update = {"update_id": next(self._update_ids), **update}
            await InboxWriter(self.app, self.app.clock).store_batch([update])
            return int(update["update_id"])
        if self.receiver == "polling":
            return self.fake.push_update(update)
        update = {"update_id": next(self._update_ids), **update}
        if self.http is None:
            self.http = ClientSession()
        status = await post_update(self.http, self.webhook_base, update, self.secret)
        assert status == 200, status
        return int(update["update_id"])

    async def say(self, chat: int, text: str, *, lang: str | None = "ru") -> int:
        """Write ``text`` (a command when it starts with "/"); the update id."""
        build = command_update if text.startswith("/") else message_update
        return await self.deliver(build(chat, text, language_code=lang))

    async def ask(self, chat: int, text: str, *, lang: str | None = "ru",
                  expect: int = 1) -> list[Call]:
        """Send ``text`` and return the messages it got, once everything settled."""
        before = len(self.replies(chat))
        await self.say(chat, text, lang=lang)
        await self.wait_replies(chat, before + expect)
        await self.settled()
        return self.replies(chat)[before:]

    async def press(
        self, chat: int, data: str, under: Call, *, lang: str | None = "ru", expect: int = 0
    ) -> list[Call]:
        """Press the button ``data`` under the bot's message ``under``; the new messages.

        Waits for Telegram's ``answerCallbackQuery`` for this press (the spinner stops).
        """
        assert data in callback_datas(under), (data, callback_datas(under))
        before = len(self.replies(chat))
        update = callback_update(chat, data, message_id=self.message_id(chat, under),
                                 language_code=lang,
                                 message_text=str(under.params.get("text", ""))[:100])
        callback_id = update["callback_query"]["id"]
        self.presses[callback_id] = data
        await self.deliver(update)
        await self.wait(lambda: bool(self.callback_answers(callback_id)),
                        f"answerCallbackQuery for {data}")
        await self.wait_replies(chat, before + expect)
        await self.settled()
        return self.replies(chat)[before:]

    # ---- what Telegram received
    def replies(self, chat: int) -> list[Call]:
        return self.fake.sent_messages(chat)

    def callback_answers(self, callback_id: str) -> list[Call]:
        return [c for c in self.fake.calls_of("answerCallbackQuery")
                if c.ok and c.params.get("callback_query_id") == callback_id]

    def message_id(self, chat: int, call: Call) -> int:
        """The id the fake gave the message of ``call`` (it numbers each chat's from 1)."""
        sent = [c for c in self.fake.calls if c.ok and c.is_("sendMessage")
                and c.params.get("chat_id") == chat]
        return next(n for n, c in enumerate(sent, 1) if c is call)

    async def wait_replies(self, chat: int, count: int, timeout: float = WAIT_S) -> list[Call]:
        await self.wait(lambda: len(self.replies(chat)) >= count,
                        f"{count} message(s) to chat {chat}", timeout)
        return self.replies(chat)

    # ---- the base
    async def counts(self) -> tuple[int, int]:
        """(inbox updates waiting, outbox messages pending)."""
        async with self.app.uow() as uow:
            waiting = await uow.session.scalar(
                select(func.count()).select_from(InboxRow)
                .where(InboxRow.status == inbox.InboxStatus.RECEIVED))
            pending = await uow.session.scalar(
                select(func.count()).select_from(OutboxRow)
                .where(OutboxRow.status == OutboxStatus.PENDING))
        return int(waiting or 0), int(pending or 0)

    async def settled(self, timeout: float = WAIT_S) -> None:
        """Every update fetched, stored and processed, every reply sent (twice in a row)."""
        if self.stepping:
            await self._steps()
            return
        quiet = 0

        async def idle() -> bool:
            nonlocal quiet
            busy = self.fake.pending_updates or await self.counts() != (0, 0)
            quiet = 0 if busy else quiet + 1
            return quiet >= 3

        await self.wait(idle, "the bot to settle", timeout)

    async def _steps(self) -> None:
        """Process the inbox and send the outbox, as the runtime's loops do, until a round
        does nothing (replies not due yet — a backoff, a chat's pacing — stay pending)."""
        runtime = self.runtime
        assert runtime is not None
        email = runtime.jobs.email
        for _round in range(1000):
            processed = await runtime.processor.process_pending()
            sent = await runtime.sender.send_due()
            mailed = await email.send_due() if email is not None else 0
            if processed or sent or mailed:
                continue
            if not await self._waiting_for_the_rate_limit():
                return
            # Telegram's limits hold replies that are due: a second passes, as it would
            clock = self.app.clock
            if isinstance(clock, FixedClock):
                clock.at += timedelta(seconds=1)
            else:
                await asyncio.sleep(0.1)
        raise AssertionError("the bot never settled: 1000 rounds of work")

    async def _waiting_for_the_rate_limit(self) -> bool:
        """Replies due now that the sender held back (its budget, a chat's pacing)."""
        async with self.app.uow() as uow:
            return bool(await outbox.due(uow, CHANNEL, self.app.clock.now(), limit=1))

    async def inbox_rows(self) -> list[SimpleNamespace]:
        async with self.app.uow() as uow:
            rows = await uow.session.scalars(select(InboxRow).order_by(InboxRow.id))
            return [_snapshot(row) for row in rows]

    async def outbox_rows(self) -> list[SimpleNamespace]:
        async with self.app.uow() as uow:
            rows = await uow.session.scalars(select(OutboxRow).order_by(OutboxRow.id))
            return [_snapshot(row) for row in rows]

    async def citizen(self, chat: int) -> Citizen:
        async with self.app.uow() as uow:
            return await citizen_for(uow, CHANNEL, str(chat), self.app.clock)


async def _cancel_orphaned_polls() -> None:
    """run_polling gathers poll() and work(): when work() dies, poll() goes on alone."""
    orphans = [task for task in asyncio.all_tasks()
               if getattr(task.get_coro(), "__qualname__", "") == "poll"]
    for task in orphans:
        task.cancel()
    await asyncio.gather(*orphans, return_exceptions=True)


def _snapshot(row: InboxRow | OutboxRow) -> SimpleNamespace:
    """A row's columns, readable after its session is gone."""
    return SimpleNamespace(**{c.key: getattr(row, c.key) for c in row.__table__.columns})


async def post_update(
    session: ClientSession, base: str, payload: dict[str, Any], secret: str | None
) -> int:
    """POST an update to the bot's webhook as Telegram does; the HTTP status."""
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    async with session.post(base + WEBHOOK_PATH, json=payload, headers=headers) as response:
        await response.read()
        return response.status
