"""Database engine factory and migrations: SQLite by default, any SQLAlchemy async URL later."""

from __future__ import annotations

import logging
import re
import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000
# SQLite before 3.51.3 can lose committed data when WAL is reset while another connection
# writes (the "WAL-reset" bug, fixed in 3.51.3).
SQLITE_WAL_RESET_FIXED = (3, 51, 3)
log = logging.getLogger(__name__)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # We begin transactions ourselves (``_lock_before_writing``), not the driver.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL, not WAL's common NORMAL: an update acknowledged to Telegram or a gateway must
    # survive a power cut too, not only a crash of the process (group commits keep the
    # cost to one flush per batch).
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


_WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.IGNORECASE)


def _lock_before_writing(
    conn: Connection, cursor: Any, statement: str, *_args: Any
) -> None:
    """Take SQLite's write lock at the first write of a transaction, not at its start.

    Reads run without holding anything (each sees the latest committed data), so a long
    transaction that mostly reads and computes (a batch of updates) keeps other writers
    waiting only for its writes; and a transaction that reads, then writes, never fails
    with "database is locked" on upgrading, because BEGIN IMMEDIATE waits ``busy_timeout``.
    """
    if not _WRITES.match(statement):
        return
    dbapi: Any = conn.connection.dbapi_connection
    raw: Any = getattr(dbapi, "_connection", dbapi)  # aiosqlite's connection, or sqlite3's
    if not raw.in_transaction:
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            # Raised in an event hook, the driver's error would escape SQLAlchemy's own
            # (``sqlalchemy.exc.OperationalError``), which callers wait out and retry.
            raise OperationalError("BEGIN IMMEDIATE", None, error) from error


def create_engine(url: str) -> AsyncEngine:
    """An async engine; for SQLite the file's folder is made and WAL/busy/fk pragmas set."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "before_cursor_execute", _lock_before_writing)
        return engine
    return create_async_engine(url, pool_pre_ping=True)


def report_sqlite(engine: AsyncEngine) -> None:
    """Log the SQLite library in use, with a warning when it predates the WAL-reset fix
    (called where a long-running process starts, once its logging is set up)."""
    if engine.dialect.name != "sqlite":
        return
    version = sqlite3.sqlite_version_info
    log.info("SQLite %s (WAL, synchronous=FULL, busy_timeout %d ms)", sqlite3.sqlite_version,
             SQLITE_BUSY_TIMEOUT_MS)
    if version < SQLITE_WAL_RESET_FIXED:
        log.warning("SQLite %s predates 3.51.3, which fixes the WAL-reset bug (committed "
                    "data may be lost when WAL is reset while another connection writes): "
                    "use a newer SQLite library, or PostgreSQL", sqlite3.sqlite_version)


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def _upgrade(connection: Connection, revision: str) -> None:
    command.upgrade(alembic_config(connection), revision)


def _downgrade(connection: Connection, revision: str) -> None:
    command.downgrade(alembic_config(connection), revision)


async def migrate(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the database to ``revision``; every command calls this first."""
    async with engine.begin() as conn:
        await conn.run_sync(_upgrade, revision)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(_downgrade, revision)
