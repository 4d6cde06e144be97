"""Run the Telegram bot: a receiver (polling or webhook), the processor and the sender."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Awaitable, Callable
from typing import Final

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramAPIError
from aiogram.methods import SetMyCommands
from aiohttp import web
from sqlalchemy.exc import OperationalError

from bot.app import App
from bot.channels.sms.gateway import Gateway
from bot.channels.status.http import add_status_routes, status_http_wanted
from bot.channels.telegram.dispatcher import create_dispatcher
from bot.channels.telegram.processor import UpdateProcessor
from bot.channels.telegram.receivers import WEBHOOK_PATH, InboxWriter, add_webhook_route, poll
from bot.channels.telegram.replies import CHANNEL, menu_payloads
from bot.channels.telegram.sender import TelegramSender
from bot.console.server import serve_beside_bot
from bot.jobs import Clockwork
from bot.monitoring import add_monitoring_routes, start_metrics
from bot.runners.loops import install_stop, run_loop
from bot.runners.sms import SmsRuntime
from bot.runners.workers import Launch, WorkerProcesses, launch_ucc
from knowledge import outbox
from knowledge.staff import bound_telegram_accounts

log = logging.getLogger(__name__)
IDLE_S: Final = 0.2
WORKER_POLL_S: Final = 0.05  # replies written by worker processes wake nobody here
DRAIN_S: Final = 10.0


def create_bot(token: str, api_url: str) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url))
    return Bot(token, session=session, default=DefaultBotProperties(parse_mode="HTML"))


class TelegramRuntime:
    """Everything of one running bot; tests start and stop it around a fake Bot API.

    The processor and the sender run side by side: replies of one batch go out while the
    next batch is processed.
    """

    def __init__(self, app: App, bot: Bot, *, workers: int = 0,
                 worker_env: dict[str, str] | None = None, sms: Gateway | None = None,
                 launch_worker: Launch = launch_ucc) -> None:
        settings = app.settings
        self.app = app
        self.bot = bot
        self.dispatcher = create_dispatcher(app)
        self.processor = UpdateProcessor(
            app, bot, self.dispatcher, app.clock,
            flood_messages=settings.flood_messages, flood_window_s=settings.flood_window_s,
        )
        self.sender = TelegramSender(app, bot, app.clock,
                                     global_per_second=settings.telegram_per_second)
        self.stop = asyncio.Event()
        self.wakeup = asyncio.Event()  # an update was stored
        self.replies = asyncio.Event()  # a reply was queued
        self.processor.on_processed = self.replies.set
        self.inbox = InboxWriter(app, app.clock, on_stored=self.wakeup.set)
        self.metrics = start_metrics()
        self.jobs = Clockwork(app)
        # With workers, other processes process the updates (bot/runners/workers.py).
        self.workers = (WorkerProcesses(workers, env=worker_env, launch=launch_worker)
                        if workers else None)
        # The SMS channel beside Telegram: its endpoints on the webhook's server, or on
        # their own when polling.
        self.sms = SmsRuntime(app, sms, stop=self.stop) if sms is not None else None

    async def work(self) -> None:
        """Process stored updates and send due messages until stopped, then drain."""
        if self.app.engine.dialect.name == "sqlite":  # the only instance: no claim is alive
            await self._release_claims()
        if self.workers is not None:
            self.workers.start()
        try:
            await self._work()
        finally:
            if self.workers is not None:
                await self.workers.stop()

    async def _release_claims(self) -> None:
        """Rows a killed process had claimed are due again at once. A write lock held by
        another process (a backup, an operator's command) is waited out: a bot restarted
        after a crash must not die of it at start."""
        for attempt in itertools.count():
            try:
                async with self.app.uow() as uow:
                    released = await outbox.release_claims(uow, CHANNEL, self.app.clock.now())
                    await uow.commit()
                break
            except OperationalError:
                if attempt == 0:
                    log.warning("the database is locked by another process; waiting for it "
                                "to release the claims of a crash")
                if self.stop.is_set():
                    return
                await asyncio.sleep(IDLE_S)
        if released:
            log.warning("%d message(s) claimed before a crash are sent again", released)

    async def set_menus(self) -> None:
        """The command menus as this code has them, at every start: the citizens' for
        everyone, the staff's for the chat of each person in a role. A failure is logged
        and the bot answers anyway (the menus are only a help)."""
        async with self.app.uow() as uow:
            chats = await bound_telegram_accounts(uow)
        default_lang = self.app.settings.default_lang
        payloads = [*menu_payloads(default_lang),
                    *(p for chat in chats for p in menu_payloads(default_lang, chat))]
        try:
            for payload in payloads:
                await self.bot(SetMyCommands.model_validate(payload))
        except TelegramAPIError as error:
            log.warning("the command menus were not set: %s", error)

    async def _work(self) -> None:
        loops = [
            self.set_menus(),
            self._loop(self.sender.send_due, self.replies,
                       idle_s=IDLE_S if self.workers is None else WORKER_POLL_S),
            *self.jobs.loops(self.stop, self.replies),
        ]
        if self.workers is None:
            loops.append(self._loop(self.processor.process_pending, self.wakeup))
        await asyncio.gather(*loops)
        await self._drain()

    async def _loop(self, step: Callable[[], Awaitable[int]], wakeup: asyncio.Event, *,
                    idle_s: float = IDLE_S) -> None:
        await run_loop(step, wakeup, self.stop, idle_s=idle_s, what="the Telegram worker")

    async def _drain(self) -> None:
        deadline = asyncio.get_running_loop().time() + DRAIN_S
        while asyncio.get_running_loop().time() < deadline:
            processed = 0 if self.workers else await self.processor.process_pending()
            if not processed and not await self.sender.send_due():
                return
            await asyncio.sleep(IDLE_S)

    def http_app(self) -> web.Application:
        """The bot's HTTP server: the providers' status endpoint, /healthz and /metrics (and
        the webhook, added by ``run_webhook``)."""
        web_app = web.Application()
        add_status_routes(web_app, self.app, on_queued=self.replies.set)
        add_monitoring_routes(web_app, self.app, self.metrics)
        if self.sms is not None:
            self.sms.add_routes(web_app)
        return web_app

    async def _serve(self, web_app: web.Application) -> web.AppRunner:
        settings = self.app.settings
        runner = web.AppRunner(web_app)
        await runner.setup()
        await web.TCPSite(runner, settings.http_host, settings.http_port).start()
        log.info("HTTP server on %s:%s", settings.http_host, settings.http_port)
        return runner

    async def run_polling(self) -> None:
        # No webhook, but health, metrics, the providers' endpoint and SMS are still served.
        wanted = (self.app.settings.serve_http or self.sms is not None
                  or await status_http_wanted(self.app))
        runner = await self._serve(self.http_app()) if wanted else None
        sms = [self.sms.work()] if self.sms is not None else []
        try:
            await asyncio.gather(poll(self.bot, self.inbox, self.stop), self.work(), *sms)
        finally:
            await self.sender.close()
            if runner is not None:
                await runner.cleanup()

    async def run_webhook(self, public_base_url: str) -> None:
        settings = self.app.settings
        if settings.webhook_secret is None:
            raise ValueError("a webhook needs a secret (UCC_WEBHOOK_SECRET)")
        secret = settings.webhook_secret.get_secret_value()
        writer = asyncio.create_task(self.inbox.run())
        web_app = self.http_app()
        add_webhook_route(web_app, self.inbox, secret)
        runner = await self._serve(web_app)
        try:
            await self.bot.set_webhook(
                public_base_url.rstrip("/") + WEBHOOK_PATH, secret_token=secret,
                allowed_updates=["message", "callback_query"], drop_pending_updates=False,
            )
            await asyncio.gather(self.work(),
                                 *([self.sms.work()] if self.sms is not None else []))
        finally:
            await self.sender.close()
            await runner.cleanup()
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await writer


async def run_telegram(app: App, webhook_base_url: str | None, *, workers: int = 0,
                       sms: Gateway | None = None) -> None:
    settings = app.settings
    assert settings.telegram_token is not None
    bot = create_bot(settings.telegram_token.get_secret_value(), settings.telegram_api_url)
    runtime = TelegramRuntime(app, bot, workers=workers, sms=sms)
    install_stop(runtime.stop)
    console = await serve_beside_bot(app, wake_sender=runtime.replies.set)
    try:
        if webhook_base_url:
            log.info("Telegram bot: webhook on %s:%s", settings.http_host, settings.http_port)
            await runtime.run_webhook(webhook_base_url)
        else:
            log.info("Telegram bot: long polling")
            await runtime.run_polling()
    finally:
        await bot.session.close()
        if console is not None:
            await console.cleanup()
