"""Helpers of the SMS end-to-end tests: the SMS runtime on its HTTP server, driven by the
fake Jasmin over real HTTP on 127.0.0.1.

Tests speak as a citizen (:meth:`SmsHarness.ask`: an MO posted like Jasmin) and read the
MT Jasmin received.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Final

from sqlalchemy import func, select

from bot.app import App
from bot.runners.sms import SmsRuntime
from knowledge import inbox
from knowledge.db.tables import InboxRow, OutboxRow
from knowledge.outbox import OutboxStatus
from knowledge.sms.state import CHANNEL
from tests.e2e.telegram_fixtures import WAIT_S, wait_until
from tests.fakes.jasmin import MT, FakeJasmin, MoResult

PATH_TOKEN: Final = "mo-Path_token-1414"


@dataclass
class SmsHarness:
    fake: FakeJasmin
    app: App
    runtime: SmsRuntime | None = None
    task: asyncio.Task[None] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.app.settings.http_port}"

    @property
    def mo_url(self) -> str:
        return f"{self.base}/sms/jasmin/mo/{PATH_TOKEN}"

    @property
    def dlr_url(self) -> str:
        return f"{self.base}/sms/jasmin/dlr/{PATH_TOKEN}"

    async def start(self, runtime: SmsRuntime) -> None:
        self.runtime = runtime
        self.task = asyncio.create_task(runtime.serve())

        async def listening() -> bool:
            self.check_alive()
            try:
                _reader, writer = await asyncio.open_connection(
                    "127.0.0.1", self.app.settings.http_port)
            except OSError:
                return False
            writer.close()
            await writer.wait_closed()
            return True

        await wait_until(listening, "the SMS endpoints to listen")

    def check_alive(self) -> None:
        task = self.task
        if task is not None and task.done() and not task.cancelled() and task.exception():
            raise AssertionError(f"the SMS runtime died: {task.exception()!r}")

    async def stop(self) -> None:
        task, self.task = self.task, None
        if task is None or self.runtime is None:
            return
        self.runtime.stop.set()
        await asyncio.wait_for(task, 20)

    async def close(self) -> None:
        try:
            await self.stop()
        finally:
            await self.app.close()

    # ---- speaking as a citizen
    async def post(self, number: str, text: str, **options: object) -> MoResult:
        result = await self.fake.post_mo(self.mo_url, number, text, **options)  # type: ignore[arg-type]
        assert result.acknowledged, result
        return result

    async def ask(self, number: str, text: str, *, expect: int = 1) -> list[MT]:
        """Send an SMS; the MT it got once everything settled."""
        before = len(self.fake.sent_to(number))
        await self.post(number, text)
        await self.wait(lambda: len(self.fake.sent_to(number)) >= before + expect,
                        f"{before + expect} SMS to {number}")
        await self.settled()
        return self.fake.sent_to(number)[before:]

    async def wait(self, check: object, what: str, timeout: float = WAIT_S) -> None:
        def alive_and() -> object:
            self.check_alive()
            return check()  # type: ignore[operator]

        await wait_until(alive_and, what, timeout)  # type: ignore[arg-type]

    # ---- the base
    async def counts(self) -> tuple[int, int]:
        """(SMS waiting in the inbox, SMS pending or being sent)."""
        async with self.app.uow() as uow:
            waiting = await uow.session.scalar(
                select(func.count()).select_from(InboxRow)
                .where(InboxRow.channel == CHANNEL,
                       InboxRow.status == inbox.InboxStatus.RECEIVED))
            pending = await uow.session.scalar(
                select(func.count()).select_from(OutboxRow)
                .where(OutboxRow.channel == CHANNEL,
                       OutboxRow.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])))
        return int(waiting or 0), int(pending or 0)

    async def settled(self, timeout: float = WAIT_S) -> None:
        quiet = 0

        async def idle() -> bool:
            nonlocal quiet
            quiet = 0 if await self.counts() != (0, 0) else quiet + 1
            return quiet >= 3

        await self.wait(idle, "the SMS channel to settle", timeout)

    async def rows(self, table: type[InboxRow] | type[OutboxRow]) -> list[SimpleNamespace]:
        async with self.app.uow() as uow:
            found = await uow.session.scalars(
                select(table).where(table.channel == CHANNEL).order_by(table.id))
            return [SimpleNamespace(**{c.key: getattr(r, c.key) for c in r.__table__.columns})
                    for r in found]
