"""Shared fixtures: a fresh migrated SQLite base per test (a copy of one migrated once per
session), and the paths of shared data."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from bot.app import App, create_app
from bot.config import Settings
from knowledge import credentials
from tests.services import fresh_postgres_database

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SHARED_DEMO_PACK = SHARED / "packs" / "demo.json"
SHARED_LOOKALIKES_PACK = SHARED / "packs" / "lookalikes.json"
PRODUCT_DEMO_PACK = ROOT / "knowledge" / "demo" / "demo-pack.json"
# The product's password hasher, before the tests swap it (tests/unit/test_credentials_cost.py)
PRODUCT_HASHER: PasswordHasher = credentials._HASHER


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashing() -> Iterator[None]:
    """Argon2 at the product's cost takes about 0.2 s a hash on this machine, and the console
    tests hash and verify hundreds of passwords: the same code with argon2's cheapest
    parameters (a hash carries its own, so one made either way verifies either way)."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(credentials, "_HASHER", cheap)
        patch.setattr(credentials, "_DUMMY_HASH", cheap.hash("not a password of anybody's"))
        yield


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite base at the newest revision, made once (per test process)."""
    path = tmp_path_factory.mktemp("migrated") / "template.sqlite3"

    async def build() -> None:
        app = await create_app(Settings(database_url=f"sqlite+aiosqlite:///{path}",
                                        _env_file=None))  # type: ignore[call-arg]
        await app.close()

    asyncio.run(build())
    return path


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite base (its WAL included)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


@pytest.fixture
async def empty_database_url(tmp_path: Path) -> AsyncIterator[str]:
    """A base with no tables yet (for the migrations' own tests): SQLite, or PostgreSQL with
    ``UCC_TEST_BACKEND=postgres``."""
    if os.environ.get("UCC_TEST_BACKEND") == "postgres":
        async with fresh_postgres_database() as url:
            yield url
        return
    yield f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}"


@pytest.fixture
async def database_url(tmp_path: Path, migrated_template: Path) -> AsyncIterator[str]:
    """A fresh migrated base per test: a copy of the migrated SQLite template, or a new
    PostgreSQL database with ``UCC_TEST_BACKEND=postgres`` (the whole suite on the
    production database)."""
    if os.environ.get("UCC_TEST_BACKEND") == "postgres":
        async with fresh_postgres_database() as url:
            yield url
        return
    copy_sqlite(migrated_template, tmp_path / "ucc.sqlite3")
    yield f"sqlite+aiosqlite:///{tmp_path / 'ucc.sqlite3'}"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    application = await create_app(settings)
    yield application
    await application.close()
