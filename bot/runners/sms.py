"""Run the SMS channel: the gateway's endpoints on the bot's HTTP server, the processor of
stored messages and the sender of the SMS outbox, until stopped (SIGTERM)."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Final

from aiohttp import web

from bot.app import App
from bot.channels.sms.access import parse_networks, parse_proxies
from bot.channels.sms.gateway import Gateway, SmsReceiver
from bot.channels.sms.jasmin import DLR_PATH, JasminGateway
from bot.channels.sms.processor import SmsProcessor
from bot.channels.sms.sender import SmsSender
from bot.channels.sms.webhook import WebhookGateway
from bot.channels.status.http import add_status_routes
from bot.config import Settings
from bot.console.server import serve_beside_bot
from bot.jobs import Clockwork
from bot.monitoring import add_monitoring_routes, start_metrics
from bot.runners.loops import IDLE_S, install_stop, run_loop
from knowledge.errors import InvalidInput
from knowledge.sms.dialogue import SmsRules

log = logging.getLogger(__name__)
DRAIN_S: Final = 10.0


def gateway_from(settings: Settings) -> Gateway | None:
    """The configured adapter (None when SMS is off); InvalidInput names what is missing."""
    if settings.sms_gateway == "jasmin":
        if settings.sms_path_token is None or not settings.jasmin_user:
            raise InvalidInput("UCC_SMS_GATEWAY=jasmin needs UCC_SMS_PATH_TOKEN and "
                               "UCC_JASMIN_USER (and UCC_JASMIN_PASSWORD)")
        try:
            networks = parse_networks(settings.sms_allow_ips)
        except ValueError as exc:
            raise InvalidInput(f"UCC_SMS_ALLOW_IPS: {exc}") from None
        try:
            proxies = parse_proxies(settings.trusted_proxies)
        except ValueError as exc:
            raise InvalidInput(f"UCC_TRUSTED_PROXIES: {exc}") from None
        token = settings.sms_path_token.get_secret_value()
        base = settings.sms_callback_url or f"http://{settings.http_host}:{settings.http_port}"
        password = settings.jasmin_password.get_secret_value() if settings.jasmin_password else ""
        return JasminGateway(settings.jasmin_url, settings.jasmin_user, password,
                             path_token=token, networks=networks,
                             dlr_url=base.rstrip("/") + DLR_PATH.format(token=token),
                             proxies=proxies, sender=settings.sms_from)
    if settings.sms_gateway == "webhook":
        if settings.sms_webhook_secret is None:
            raise InvalidInput("UCC_SMS_GATEWAY=webhook needs UCC_SMS_WEBHOOK_SECRET")
        return WebhookGateway(settings.sms_webhook_secret.get_secret_value(),
                              settings.sms_webhook_send_url, sender=settings.sms_from)
    return None


def rules_from(settings: Settings) -> SmsRules:
    return SmsRules(per_hour=settings.sms_quota_hour, per_day=settings.sms_quota_day,
                    choice_window=timedelta(minutes=settings.sms_choice_window_min))


class SmsRuntime:
    """Everything of the running SMS channel; tests start and stop it around a fake Jasmin.

    ``alone``: no Telegram runtime beside it, so this one also runs the background jobs
    (schedulers, e-mail) and serves /healthz, /metrics and the providers' status endpoint.
    """

    def __init__(self, app: App, gateway: Gateway, *, stop: asyncio.Event | None = None,
                 alone: bool = False) -> None:
        settings = app.settings
        self.app = app
        self.gateway = gateway
        self.stop = stop or asyncio.Event()
        self.wakeup = asyncio.Event()  # a message was stored
        self.replies = asyncio.Event()  # a reply was queued
        self.receiver = SmsReceiver(app, on_stored=self.wakeup.set)
        self.processor = SmsProcessor(app, rules_from(settings),
                                      max_parts=settings.sms_max_parts)
        self.processor.on_processed = self.replies.set
        self.sender = SmsSender(app, gateway)
        self.jobs = Clockwork(app) if alone else None

    def add_routes(self, web_app: web.Application) -> None:
        web_app.add_routes(self.gateway.routes(self.receiver))

    async def work(self) -> None:
        """Process stored messages and send due ones until stopped, then drain."""
        try:
            await asyncio.gather(
                run_loop(self.processor.process_pending, self.wakeup, self.stop,
                         what="the SMS processor"),
                run_loop(self.sender.send_due, self.replies, self.stop,
                         what="the SMS sender"),
                *(self.jobs.loops(self.stop, self.replies) if self.jobs else ()),
            )
            await self._drain()
        finally:
            await self.sender.close()

    async def _drain(self) -> None:
        deadline = asyncio.get_running_loop().time() + DRAIN_S
        while asyncio.get_running_loop().time() < deadline:
            if not await self.processor.process_pending() and not await self.sender.send_due():
                return
            await asyncio.sleep(IDLE_S)

    async def serve(self) -> None:
        """The SMS endpoints on their own HTTP server (when no Telegram webhook serves them),
        and the work."""
        settings = self.app.settings
        web_app = web.Application()
        self.add_routes(web_app)
        if self.jobs is not None:
            add_status_routes(web_app, self.app, on_queued=self.replies.set)
            add_monitoring_routes(web_app, self.app, start_metrics())
        runner = web.AppRunner(web_app)
        await runner.setup()
        site = web.TCPSite(runner, settings.http_host, settings.http_port)
        await site.start()
        log.info("SMS (%s): listening on %s:%s", self.gateway.name, settings.http_host,
                 settings.http_port)
        try:
            await self.work()
        finally:
            await runner.cleanup()


async def run_sms(app: App, gateway: Gateway) -> None:
    """SMS alone (no Telegram token): serve and work until SIGTERM."""
    runtime = SmsRuntime(app, gateway, alone=True)
    install_stop(runtime.stop)
    console = await serve_beside_bot(app)
    try:
        await runtime.serve()
    finally:
        if console is not None:
            await console.cleanup()
