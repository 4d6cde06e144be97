"""Unit of work: one session, rolled back unless a service function commits it."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge.db.repositories import KnowledgeRepository, UnansweredRepository


class UnitOfWork:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory
        self._session: AsyncSession | None = None
        # What this transaction has read already (the base's revision, citizens): cleared at
        # commit, so a later transaction reads afresh.
        self.memo: dict[str, Any] = {}
        self._staged: dict[Table, list[dict[str, Any]]] = {}

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("unit of work used outside 'async with'")
        return self._session

    async def __aenter__(self) -> UnitOfWork:
        self._session = self._session_factory()
        self.memo = {}
        self._staged = {}
        self.knowledge = KnowledgeRepository(self._session)
        self.unanswered = UnansweredRepository(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._session = self.session, None
        try:
            await session.rollback()
        finally:
            await session.close()

    def stage(self, table: Table, row: dict[str, Any]) -> None:
        """Insert a row at commit, with the other rows of its table in one statement.

        For append-only rows nobody needs the id of (log lines, outgoing messages): a batch
        of updates writes them in a few statements instead of one each. Readers of such
        tables call ``flush_staged`` first.
        """
        self._staged.setdefault(table, []).append(row)

    async def flush_staged(self) -> None:
        staged, self._staged = self._staged, {}
        for table, rows in staged.items():
            await self.session.execute(insert(table), rows)

    async def commit(self) -> None:
        await self.flush_staged()
        self.memo.clear()
        await self.session.commit()
