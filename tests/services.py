"""The shared services of the scale-out tests: PostgreSQL and Redis, found through
``UCC_TEST_POSTGRES_URL`` and ``UCC_TEST_REDIS_URL``.

Where one is not reachable its tests are skipped with the reason — except when
``UCC_REQUIRE_SERVICES=1`` (CI), where a missing service fails the run.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Final

import pytest
from sqlalchemy.engine import make_url

POSTGRES_ENV: Final = "UCC_TEST_POSTGRES_URL"
REDIS_ENV: Final = "UCC_TEST_REDIS_URL"
REQUIRE_ENV: Final = "UCC_REQUIRE_SERVICES"


def _missing(what: str, why: str) -> None:
    message = f"{what} not reachable ({why})"
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{message}, and {REQUIRE_ENV}=1 requires it")
    pytest.skip(message)


def postgres_url() -> str:
    """The server's URL (asyncpg driver), or the test is skipped (failed in CI)."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        _missing("PostgreSQL", f"{POSTGRES_ENV} is not set")
        raise AssertionError  # unreachable
    return str(make_url(url).set(drivername="postgresql+asyncpg"))


def redis_url() -> str:
    url = os.environ.get(REDIS_ENV)
    if not url:
        _missing("Redis", f"{REDIS_ENV} is not set")
        raise AssertionError
    return url


async def admin_sql(url: str, sql: str) -> None:
    """Run ``sql`` on the server's database of ``url`` (creating and dropping bases)."""
    import asyncpg  # noqa: PLC0415 - only the PostgreSQL tests need it

    parsed = make_url(url)
    connection = await asyncpg.connect(
        host=parsed.host, port=parsed.port or 5432, user=parsed.username,
        password=parsed.password, database=parsed.database)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@asynccontextmanager
async def fresh_postgres_database() -> AsyncIterator[str]:
    """A new, empty database on the test server for one test; dropped after."""
    server = postgres_url()
    name = f"ucc_test_{uuid.uuid4().hex[:12]}"
    try:
        await asyncio.wait_for(admin_sql(server, f'CREATE DATABASE "{name}"'), 10)
    except (OSError, TimeoutError) as error:
        _missing("PostgreSQL", str(error))
    try:
        yield str(make_url(server).set(database=name))
    finally:
        await admin_sql(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
