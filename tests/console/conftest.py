"""The console in-process: its aiohttp application behind aiohttp's test client (cookies
kept per client, like one browser), on a fresh base with two agencies and their staff."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from bot.app import App
from bot.console.server import create_console
from knowledge.clock import FixedClock
from knowledge.credentials import set_password
from knowledge.db.tables import AuditRow
from knowledge.staff import SYSTEM, Role, add_staff
from tests.escalation_helpers import seed

PASSWORD = "correct horse battery"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')

Client = TestClient[web.Request, web.Application]
MakeClient = Callable[[], Awaitable[Client]]


def csrf_of(html: str) -> str:
    found = TOKEN.search(html)
    assert found, "the page has no form token"
    return found.group(1)


async def sign_in(client: Client, name: str, password: str = PASSWORD) -> Client:
    page = await client.get("/signin")
    response = await client.post("/signin", data={
        "name": name, "password": password, "csrf_token": csrf_of(await page.text())},
        allow_redirects=False)
    assert response.status == 303, await response.text()
    return client


async def denied(app: App, column: InstrumentedAttribute[str] = AuditRow.who) -> list[str]:
    """Each refusal of access in the audit log: who was refused (or ``column``)."""
    async with app.uow() as uow:
        return list(await uow.session.scalars(
            select(column).where(AuditRow.outcome == "denied")))


async def form_token(client: Client, path: str) -> str:
    page = await client.get(path)
    assert page.status == 200, await page.text()
    return csrf_of(await page.text())


@pytest.fixture
async def people(app: App) -> App:
    """Дана (mvd) and Ержан (mju) of the agencies, Айгүл an operator, Админ an
    administrator; everyone with the same password."""
    app.clock = FixedClock(datetime(2026, 12, 2, 6, 0, tzinfo=UTC))
    await seed(app)
    async with app.uow() as uow:
        await add_staff(uow, "Айгүл", Role.OPERATOR, app.clock)
        await add_staff(uow, "Админ", Role.ADMIN, app.clock)
        for name in ("Дана", "Ержан", "Айгүл", "Админ"):
            await set_password(uow, name, PASSWORD, SYSTEM)
        await uow.commit()
    return app


@pytest.fixture
async def new_client(people: App) -> AsyncIterator[MakeClient]:
    """Clients of one console (each its own cookie jar: another browser)."""
    web_app = await create_console(people)
    clients: list[Client] = []
    server = TestServer(web_app)
    await server.start_server()

    async def make() -> Client:
        client: Client = TestClient(server)
        await client.start_server()
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()
    await server.close()
