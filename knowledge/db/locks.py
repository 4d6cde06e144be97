"""Work that one process at a time may do, among several instances on one database.

On PostgreSQL a transaction-scoped advisory lock (released at commit or rollback, also
when the process dies); SQLite has one writer at a time and one process running the
bot, so there the lock is always had.
"""

from __future__ import annotations

import zlib
from typing import Final

from sqlalchemy import func, select

from knowledge.db.uow import UnitOfWork

JOBS: Final = 1415  # the advisory-lock namespace of periodic jobs
CHATS: Final = 1414  # … and of chats whose updates are being processed


def _key(name: str) -> int:
    return zlib.crc32(name.encode()) % 2**31


async def try_lock(uow: UnitOfWork, namespace: int, key: int | str) -> bool:
    """Whether this transaction now holds the lock (False: another one does)."""
    if uow.session.get_bind().dialect.name != "postgresql":
        return True
    number = _key(key) if isinstance(key, str) else key % 2**31
    return bool(await uow.session.scalar(
        select(func.pg_try_advisory_xact_lock(namespace, number))))
