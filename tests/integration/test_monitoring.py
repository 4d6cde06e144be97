"""Health and metrics: /healthz says whether the database and Redis answer and how late
the outbox is; /metrics gives Prometheus the counters and the database's figures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import App
from bot.config import Settings
from bot.monitoring import Metrics, add_monitoring_routes, start_metrics
from knowledge import inbox, observe, outbox
from knowledge.asking import MatcherCache
from knowledge.clock import FixedClock
from knowledge.db.engine import create_engine, create_session_factory
from tests.escalation_helpers import PASSPORT, escalate, seed

NOW = datetime(2026, 12, 10, 6, 0, tzinfo=UTC)


@pytest.fixture
async def metrics() -> AsyncIterator[Metrics]:
    watching = start_metrics()
    yield watching
    observe.unwatch(watching)


async def client_for(app: App, metrics: Metrics) -> TestClient:  # type: ignore[type-arg]
    web_app = web.Application()
    add_monitoring_routes(web_app, app, metrics)
    client: TestClient = TestClient(TestServer(web_app))  # type: ignore[type-arg]
    await client.start_server()
    return client


async def test_metrics_count_updates_answers_escalations_and_the_outbox(
    app: App, metrics: Metrics,
) -> None:
    app.clock = FixedClock(NOW)
    await seed(app)
    await escalate(app, "Паспорт ребёнку", register_no=PASSPORT,
                   clock=FixedClock(NOW - timedelta(days=10)),
                   with_deadlines=app.deadlines)
    async with app.uow() as uow:
        await inbox.store_many(uow, "telegram", [("1", {"update_id": 1}),
                                                 ("1", {"update_id": 1})], app.clock)
    async with app.uow() as uow:
        outbox.enqueue(uow, outbox.Outgoing("telegram", "5", "sendMessage", {"text": "x"}),
                       FixedClock(NOW - timedelta(seconds=90)))
        await uow.commit()
    observe.answered("answer", 0.0012)
    client = await client_for(app, metrics)
    try:
        body = await (await client.get("/metrics")).text()
        health = await client.get("/healthz")
        report = await health.json()
    finally:
        await client.close()
    assert 'ucc_updates_in_total{channel="telegram"} 1.0' in body
    assert 'ucc_answers_total{decision="answer"} 1.0' in body
    assert "ucc_matcher_seconds_count 1.0" in body
    assert "ucc_escalations_open 1.0" in body and "ucc_escalations_overdue 1.0" in body
    assert 'ucc_outbox_pending{channel="telegram"} 1.0' in body
    assert "ucc_outbox_lag_seconds 90.0" in body
    # the process's memory: resident, and the heap as the allocators see it
    assert "process_resident_memory_bytes" in body and "ucc_python_allocated_blocks" in body
    assert health.status == 200
    assert report["database"] == "ok" and report["outbox"] == "lagging"
    assert report["outbox_lag_s"] == 90.0


async def test_health_is_down_when_the_database_or_redis_does_not_answer(
    app: App, metrics: Metrics,
) -> None:
    engine = create_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    broken = App(settings=app.settings, engine=engine,
                 session_factory=create_session_factory(engine), matchers=MatcherCache(),
                 clock=FixedClock(NOW))
    no_redis = App(settings=Settings(database_url=app.settings.database_url,
                                     redis_url="redis://127.0.0.1:1/0",
                                     _env_file=None),  # type: ignore[call-arg]
                   engine=app.engine, session_factory=app.session_factory,
                   matchers=MatcherCache(), clock=FixedClock(NOW))
    reports = []
    for which in (broken, no_redis):
        client = await client_for(which, metrics)
        try:
            response = await client.get("/healthz")
            reports.append((response.status, await response.json()))
        finally:
            await client.close()
    await engine.dispose()
    await no_redis.limits.close()
    (status_db, db), (status_redis, redis) = reports
    assert status_db == 503 and db["status"] == "down" and db["database"].startswith("down")
    assert status_redis == 503 and redis["database"] == "ok"
    assert redis["redis"].startswith("down")
