"""Work that one process at a time may do, among several instances on one database.

On PostgreSQL a transaction-scoped advisory lock (released at commit or rollback, also
when the process dies); SQLite has one writer at a time and one process running the
bot, so there the lock is always had.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from typing import Final

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import BigInteger, Integer

from knowledge.db.uow import UnitOfWork

JOBS: Final = 1415  # the advisory-lock namespace of periodic jobs
CHATS: Final = 1414  # … and of chats whose updates are being processed


def _key(name: str) -> int:
    return zlib.crc32(name.encode()) % 2**31


def _number(key: int | str) -> int:
    """The lock's number in its namespace (advisory locks take a 32-bit int)."""
    return _key(key) if isinstance(key, str) else key % 2**31


async def try_lock(uow: UnitOfWork, namespace: int, key: int | str) -> bool:
    """Whether this transaction now holds the lock (False: another one does)."""
    if uow.session.get_bind().dialect.name != "postgresql":
        return True
    return bool(await uow.session.scalar(
        select(func.pg_try_advisory_xact_lock(namespace, _number(key)))))


_TRY_MANY = text(
    "SELECT k FROM unnest(:keys, :numbers) AS t(k, n) WHERE pg_try_advisory_xact_lock(:ns, n)"
).bindparams(bindparam("keys", type_=ARRAY(BigInteger)),
             bindparam("numbers", type_=ARRAY(Integer)))


async def try_lock_many(uow: UnitOfWork, namespace: int, keys: Iterable[int]) -> set[int]:
    """The keys whose locks this transaction now holds, taken in one round trip (a batch
    of updates from many chats must not cost a query a chat)."""
    wanted = sorted(set(keys))
    if not wanted or uow.session.get_bind().dialect.name != "postgresql":
        return set(wanted)
    result = await uow.session.execute(
        _TRY_MANY, {"keys": wanted, "numbers": [_number(k) for k in wanted], "ns": namespace})
    return {int(k) for (k,) in result}
