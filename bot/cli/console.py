"""``ucc console``: the web console alone (``ucc run`` serves it beside the bot), and how
its first administrator comes to be."""

from __future__ import annotations

import argparse
import asyncio
import logging

from bot.app import App
from bot.cli.common import EXIT_OK, say
from bot.logs import configure_logging


async def cmd_console(app: App, args: argparse.Namespace) -> int:
    """Serve the console until stopped (Ctrl+C)."""
    from bot.console.server import (  # noqa: PLC0415 - aiohttp at run
        base_url,
        first_start_hint,
        serve_console,
    )
    from bot.runners.loops import install_stop  # noqa: PLC0415

    configure_logging(getattr(logging, app.settings.log_level), [])
    hint = await first_start_hint(app)
    if hint:
        say(hint)
    runner = await serve_console(app)
    say(f"web console: {base_url(app)}")
    stop = asyncio.Event()
    install_stop(stop)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
    return EXIT_OK


def add_parsers(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(func=cmd_console, long_running=True)
