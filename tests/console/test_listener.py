"""The console's own listener: served beside the bot on UCC_CONSOLE_HOST:PORT (never the
webhook's), switched off by UCC_SERVE_CONSOLE, and a taken port does not stop the bot."""

from __future__ import annotations

import logging
import socket

import aiohttp
import pytest

from bot.app import App
from bot.console.server import FIRST_START, first_start_hint, serve_beside_bot
from knowledge.credentials import set_password
from knowledge.staff import SYSTEM, Role, add_staff


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_console_listens_on_its_own_port(app: App) -> None:
    port = _free_port()
    app.settings = app.settings.model_copy(update={"console_port": port})
    runner = await serve_beside_bot(app)
    assert runner is not None
    try:
        async with aiohttp.ClientSession() as http, \
                http.get(f"http://127.0.0.1:{port}/signin") as page:
            assert page.status == 200
            assert 'name="csrf_token"' in await page.text()
    finally:
        await runner.cleanup()


async def test_switched_off_it_is_not_served(app: App) -> None:
    app.settings = app.settings.model_copy(update={"serve_console": False})
    assert await serve_beside_bot(app) is None


async def test_a_taken_port_is_reported_and_the_bot_goes_on(
        app: App, caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        app.settings = app.settings.model_copy(
            update={"console_port": taken.getsockname()[1]})
        with caplog.at_level(logging.WARNING):
            assert await serve_beside_bot(app) is None
    assert "web console not served" in caplog.text


async def test_the_first_start_says_how_to_create_an_administrator(app: App) -> None:
    assert await first_start_hint(app) == FIRST_START
    async with app.uow() as uow:
        await add_staff(uow, "Админ", Role.ADMIN, app.clock)
        await uow.commit()
    assert await first_start_hint(app) == FIRST_START  # no password yet
    async with app.uow() as uow:
        await set_password(uow, "Админ", "a long enough secret", SYSTEM)
        await uow.commit()
    assert await first_start_hint(app) is None
