"""``ucc run`` (the bot: Telegram and/or SMS, or the terminal chat while neither is
configured) and ``ucc work`` (a processing worker ``ucc run --workers N`` starts).

aiogram is imported here, where the Telegram runtime starts, not by the commands that never
talk to Telegram."""

from __future__ import annotations

import argparse
import asyncio
import logging

from bot.app import App
from bot.cli.ask import cmd_chat
from bot.cli.common import EXIT_OK
from bot.cli.kb import seed_demo
from bot.logs import configure_logging
from knowledge.db.engine import report_sqlite
from knowledge.errors import InvalidInput


async def cmd_run(app: App, args: argparse.Namespace) -> int:
    """Start the bot: Telegram and/or SMS; with neither configured, the terminal chat."""
    from bot.runners.sms import gateway_from, run_sms

    if args.demo:
        await seed_demo(app)
    settings = app.settings
    sms = gateway_from(settings)
    if settings.telegram_token is None and sms is None:
        print("UCC_TELEGRAM_TOKEN is not set: starting the terminal chat instead of Telegram.")
        from bot.console.server import serve_beside_bot  # noqa: PLC0415 - aiohttp at run

        console = await serve_beside_bot(app)
        try:
            return await cmd_chat(app, args)
        finally:
            if console is not None:
                await console.cleanup()
    webhook = args.webhook or settings.webhook_base_url
    if settings.telegram_token is not None and webhook and settings.webhook_secret is None:
        # unsigned updates would be executed, staff commands by a forged sender included
        raise InvalidInput("a webhook needs a secret: set UCC_WEBHOOK_SECRET (Telegram sends "
                           "it with every update; letters, digits, _ and -, up to 256)")
    configure_logging(getattr(logging, settings.log_level), [
        s.get_secret_value() for s in (settings.telegram_token, settings.webhook_secret,
                                       settings.jasmin_password, settings.sms_path_token,
                                       settings.sms_webhook_secret) if s is not None])
    report_sqlite(app.engine)
    if settings.telegram_token is None:
        assert sms is not None
        await run_sms(app, sms)
        return EXIT_OK
    from bot.runners.telegram import run_telegram

    workers = settings.workers if args.workers is None else args.workers
    await run_telegram(app, webhook, workers=workers, sms=sms)
    return EXIT_OK


async def cmd_work(app: App, args: argparse.Namespace) -> int:
    """A processing worker of ``ucc run --workers N`` (started by it, not by hand)."""
    from bot.runners.loops import install_stop
    from bot.runners.telegram import create_bot
    from bot.runners.workers import Partition, run_worker

    if app.settings.telegram_token is None:
        raise InvalidInput("UCC_TELEGRAM_TOKEN is not set")
    token = app.settings.telegram_token.get_secret_value()
    configure_logging(getattr(logging, app.settings.log_level), [token])
    try:
        partition = Partition.parse(args.partition)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    bot = create_bot(token, app.settings.telegram_api_url)
    stop = asyncio.Event()
    install_stop(stop)
    try:
        await run_worker(app, bot, partition, stop)
    finally:
        await bot.session.close()
    return EXIT_OK


def add_run_parsers(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=["kk", "ru"],
                        help="the terminal chat's first language (when Telegram and SMS "
                             "are not set up)")
    parser.add_argument("--webhook", metavar="URL",
                        help="the bot's public address: Telegram sends messages to "
                             "URL/telegram/webhook instead of the bot asking for them")
    parser.add_argument("--workers", type=int, metavar="N",
                        help="answer messages in N helper processes (0: in this one; "
                             "default UCC_WORKERS)")
    parser.add_argument("--demo", action="store_true",
                        help="first load the demo answers that come with the bot, if it "
                             "has none")
    parser.set_defaults(func=cmd_run, long_running=True)


def add_work_parsers(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--partition", required=True, metavar="K/N",
                        help="answer the chats whose number divided by N leaves K")
    parser.set_defaults(func=cmd_work, long_running=True)
