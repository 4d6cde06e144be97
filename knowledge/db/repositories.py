"""Repositories: load and stage rows; they never commit (the unit of work's caller does)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge.db.tables import AgencyRow, EntryRow, KbRevisionRow, ServiceRow, UnansweredRow


class KnowledgeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def agencies(self) -> Sequence[AgencyRow]:
        return (await self.session.scalars(select(AgencyRow).order_by(AgencyRow.position))).all()

    async def services(self, *, state: str | None = None) -> Sequence[ServiceRow]:
        query = select(ServiceRow).order_by(ServiceRow.position)
        if state is not None:
            query = query.where(ServiceRow.state == state)
        return (await self.session.scalars(query)).all()

    async def entries(self, service_ids: Sequence[int] | None = None) -> Sequence[EntryRow]:
        query = select(EntryRow).order_by(EntryRow.position)
        if service_ids is not None:
            query = query.where(EntryRow.service_id.in_(service_ids))
        return (await self.session.scalars(query)).all()

    async def next_position(self, table: type[AgencyRow | ServiceRow | EntryRow]) -> int:
        current = await self.session.scalar(select(func.max(table.position)))
        return (current or 0) + 1

    def add(self, row: AgencyRow | ServiceRow | EntryRow) -> None:
        self.session.add(row)

    async def flush(self) -> None:
        await self.session.flush()

    async def revision(self) -> int:
        value = await self.session.scalar(
            select(KbRevisionRow.revision).where(KbRevisionRow.id == 1)
        )
        return value or 0

    async def bump_revision(self) -> None:
        await self.session.execute(
            update(KbRevisionRow).where(KbRevisionRow.id == 1)
            .values(revision=KbRevisionRow.revision + 1)
        )

    async def is_empty(self) -> bool:
        return (await self.session.scalar(select(func.count(EntryRow.id)))) == 0


class UnansweredRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: UnansweredRow) -> None:
        self.session.add(row)

    async def latest(self, limit: int, since: datetime | None = None) -> Sequence[UnansweredRow]:
        query = select(UnansweredRow).order_by(UnansweredRow.id.desc()).limit(limit)
        if since is not None:
            query = query.where(UnansweredRow.created_at >= since)
        return (await self.session.scalars(query)).all()
