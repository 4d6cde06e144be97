"""The Monitoring Information System, seen through one operation: the stage of an
application by its number, for the applicant whose IIN is given.

Providers enter stages into the Monitoring IS (002 p.13); the product relays them and never
guesses. The embedded default, :class:`LocalMonitoring`, reads the table that providers
feed (``ucc status import``, ``POST /status/updates``); an adapter to the state system is
another class with the same method.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import select

from knowledge.db.tables import ApplicationRow, StatusProviderRow
from knowledge.db.uow import UnitOfWork
from knowledge.iin import IinHash, matches


@dataclass(frozen=True, slots=True)
class ApplicationStage:
    number: str
    stage: str  # a code of the stage vocabulary
    provider: str
    updated_at: datetime


class MonitoringIS(Protocol):
    async def stage_of(self, number: str, iin: str) -> ApplicationStage | None:
        """The application's stage; None when there is no such application *or* it is
        not this applicant's (callers must not tell the two apart)."""
        ...


class LocalMonitoring:
    """The table service providers feed, read in the caller's unit of work."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    async def stage_of(self, number: str, iin: str) -> ApplicationStage | None:
        found = (await self.uow.session.execute(
            select(ApplicationRow, StatusProviderRow.name)
            .join(StatusProviderRow, StatusProviderRow.id == ApplicationRow.provider_id)
            .where(ApplicationRow.number == number))).first()
        if found is None:
            # The same slow hash as for a real record, so that time tells nothing either.
            await asyncio.to_thread(matches, iin, IinHash(b"\0" * 16, b""))
            return None
        row, provider = found
        if not await asyncio.to_thread(matches, iin, IinHash(row.iin_salt, row.iin_hash)):
            return None
        return ApplicationStage(row.number, row.stage, provider, row.updated_at)
