"""Migrations: the stairway (up, down, up every revision) and the schema matching the models."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from knowledge.db.engine import (
    alembic_config,
    create_engine,
    downgrade,
    migrate,
    report_sqlite,
)
from knowledge.db.tables import Base
from tests.services import fresh_postgres_database


def revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


@pytest.fixture(params=["sqlite", "postgresql"])
async def backend_url(request: pytest.FixtureRequest,
                      empty_database_url: str) -> AsyncIterator[str]:
    """The same migrations on the embedded default and on the production database."""
    if request.param == "sqlite" or not empty_database_url.startswith("sqlite"):
        yield empty_database_url
        return
    async with fresh_postgres_database() as url:
        yield url


async def test_stairway_upgrades_and_downgrades_every_revision(backend_url: str) -> None:
    engine = create_engine(backend_url)
    previous = "base"
    for revision in revisions():
        await migrate(engine, revision)
        await downgrade(engine, previous)
        await migrate(engine, revision)
        previous = revision
    await engine.dispose()


async def test_migrated_schema_matches_the_models(backend_url: str) -> None:
    engine = create_engine(backend_url)
    await migrate(engine)
    async with engine.connect() as conn:
        diff = await conn.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
        )
    await engine.dispose()
    assert diff == []


async def test_sqlite_runs_with_wal_busy_timeout_and_foreign_keys(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's own settings (the suite runs on PostgreSQL)")
    engine = create_engine(database_url)
    async with engine.connect() as conn:
        assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() == 5000
        assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
    await engine.dispose()


async def test_sqlite_is_durable_and_says_which_library_runs_it(
    database_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    """synchronous=FULL (an acknowledged update survives a power cut), and the library's
    version logged at start, with a warning before the WAL-reset fix (3.51.3)."""
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's own settings (the suite runs on PostgreSQL)")
    engine = create_engine(database_url)
    async with engine.connect() as conn:
        assert (await conn.execute(text("PRAGMA synchronous"))).scalar() == 2  # FULL
    caplog.set_level(logging.INFO, "knowledge.db.engine")
    for version, warned in (((3, 40, 1), True), ((3, 51, 3), False)):
        caplog.clear()
        monkeypatch.setattr(sqlite3, "sqlite_version_info", version)
        report_sqlite(engine)
        assert any("SQLite" in r.getMessage() and r.levelno == logging.INFO
                   for r in caplog.records)
        assert any(r.levelno == logging.WARNING and "3.51.3" in r.getMessage()
                   for r in caplog.records) is warned
    await engine.dispose()
