"""``ucc console``: the web console alone (``ucc run`` serves it beside the bot), and how
its first administrator comes to be."""

from __future__ import annotations

import argparse
import asyncio
import logging

from sqlalchemy import func, select

from bot.app import App
from bot.cli.common import EXIT_OK, say
from bot.logs import configure_logging
from knowledge.db.tables import StaffRow
from knowledge.staff import Role


async def first_start_hint(app: App) -> str | None:
    """How to create the first administrator, while nobody can sign in yet."""
    async with app.uow() as uow:
        admins = await uow.session.scalar(
            select(func.count()).select_from(StaffRow).where(
                StaffRow.role == Role.ADMIN.value, StaffRow.active.is_(True),
                StaffRow.password_hash.is_not(None)))
    if admins:
        return None
    return ("Nobody can sign in to the console yet. Create the first administrator:\n"
            "  ucc users add NAME --role admin\n"
            "  ucc users passwd NAME        (or: ucc users signin-link NAME)")


async def cmd_console(app: App, args: argparse.Namespace) -> int:
    """Serve the console until stopped (Ctrl+C)."""
    from bot.console.server import base_url, serve_console  # noqa: PLC0415 - aiohttp at run
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
