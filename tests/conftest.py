"""Shared fixtures: a fresh migrated SQLite base per test, and the paths of shared data."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import App, create_app
from bot.config import Settings
from tests.services import fresh_postgres_database

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SHARED_DEMO_PACK = SHARED / "packs" / "demo.json"
PRODUCT_DEMO_PACK = ROOT / "knowledge" / "demo" / "demo-pack.json"


@pytest.fixture
async def database_url(tmp_path: Path) -> AsyncIterator[str]:
    """A fresh base per test: SQLite, or PostgreSQL with ``UCC_TEST_BACKEND=postgres``
    (the whole suite on the production database)."""
    if os.environ.get("UCC_TEST_BACKEND") == "postgres":
        async with fresh_postgres_database() as url:
            yield url
        return
    yield f"sqlite+aiosqlite:///{tmp_path / 'ucc.sqlite3'}"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    application = await create_app(settings)
    yield application
    await application.close()
