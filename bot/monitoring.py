"""What operations watch: ``GET /healthz`` (the database and Redis reachable, no update
left waiting unprocessed, the outbox's lag, the parked updates) and ``GET /metrics`` for
Prometheus (updates in, answers by decision, the matcher's latency, escalations open and
overdue, the outbox's lag and failures, the inbox's wait and parked updates, the
process's memory: resident and as its allocators see it).

Counters are fed by the domain's observers (``knowledge.observe``); the gauges are read
from the database when Prometheus scrapes, so every instance reports the same totals.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any, Final

from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from sqlalchemy import func, select, text

from bot.app import App
from bot.memory import HeapCollector
from bot.notify.quality import waiting_for_qc_address
from knowledge import inbox, observe
from knowledge.calendar import local_today
from knowledge.clock import as_utc
from knowledge.db.tables import EscalationRow, InboxRow, OutboxRow
from knowledge.escalations import EscalationStatus
from knowledge.inbox import InboxStatus
from knowledge.outbox import OutboxStatus

log = logging.getLogger(__name__)
CHECK_TIMEOUT_S: Final = 3.0
LAG_LIMIT_S: Final = 60.0  # an outbox older than this is reported as lagging
STUCK_S: Final = 120.0  # an update waiting this long: processing has stopped (unhealthy)


class Metrics:
    """One process's metrics, in their own registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)  # resident memory, CPU, open files
        self.registry.register(HeapCollector())
        self.updates_in = Counter("ucc_updates_in", "Updates and messages received (new)",
                                  ["channel"], registry=self.registry)
        self.answers = Counter("ucc_answers", "Citizens' questions by the engine's decision",
                               ["decision"], registry=self.registry)
        self.matcher_seconds = Histogram(
            "ucc_matcher_seconds", "Time to decide on a question",
            buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5),
            registry=self.registry)
        self.escalations_open = Gauge("ucc_escalations_open", "Open escalations",
                                      registry=self.registry)
        self.escalations_overdue = Gauge("ucc_escalations_overdue",
                                         "Open escalations past their due date",
                                         registry=self.registry)
        self.outbox_pending = Gauge("ucc_outbox_pending", "Messages waiting to be sent",
                                    ["channel"], registry=self.registry)
        self.outbox_failed = Gauge("ucc_outbox_failed", "Messages given up", ["channel"],
                                   registry=self.registry)
        self.outbox_lag = Gauge("ucc_outbox_lag_seconds",
                                "Age of the oldest message due and not sent",
                                registry=self.registry)
        self.inbox_parked = Gauge("ucc_inbox_parked",
                                  "Updates and messages parked for operators (failed or "
                                  "malformed)", ["channel"], registry=self.registry)
        self.inbox_waiting = Gauge("ucc_inbox_waiting_seconds",
                                   "Age of the oldest update or message not processed",
                                   registry=self.registry)

    # knowledge.observe.Observer
    def received(self, channel: str, count: int) -> None:
        self.updates_in.labels(channel).inc(count)

    def answered(self, decision: str, seconds: float) -> None:
        self.answers.labels(str(decision)).inc()
        self.matcher_seconds.observe(seconds)

    async def refresh(self, app: App) -> None:
        """The database's figures, at scrape time."""
        now = app.clock.now()
        async with app.uow() as uow:
            session = uow.session
            opened = await session.scalar(select(func.count()).select_from(EscalationRow)
                                          .where(EscalationRow.status == EscalationStatus.OPEN))
            overdue = await session.scalar(select(func.count()).select_from(EscalationRow).where(
                EscalationRow.status == EscalationStatus.OPEN,
                EscalationRow.due_on < local_today(now)))
            by_status = (await session.execute(
                select(OutboxRow.channel, OutboxRow.status, func.count())
                .group_by(OutboxRow.channel, OutboxRow.status))).tuples().all()
            lag = await outbox_lag(app, now)
            parked = (await session.execute(
                select(InboxRow.channel, func.count()).where(
                    InboxRow.status == InboxStatus.PARKED).group_by(InboxRow.channel))
                ).tuples().all()
            waiting = await inbox_wait(app, now)
        self.inbox_parked.clear()
        for channel, count in parked:
            self.inbox_parked.labels(channel).set(count)
        self.inbox_waiting.set(waiting)
        self.escalations_open.set(opened or 0)
        self.escalations_overdue.set(overdue or 0)
        self.outbox_pending.clear()
        self.outbox_failed.clear()
        for channel, status, count in by_status:
            if status == OutboxStatus.PENDING:
                self.outbox_pending.labels(channel).set(count)
            elif status == OutboxStatus.FAILED:
                self.outbox_failed.labels(channel).set(count)
        self.outbox_lag.set(lag)


async def outbox_lag(app: App, now: datetime) -> float:
    """Seconds the oldest due message has waited (0 when none is due)."""
    async with app.uow() as uow:
        oldest = await uow.session.scalar(select(func.min(OutboxRow.not_before)).where(
            OutboxRow.status == OutboxStatus.PENDING, OutboxRow.not_before <= now))
    return max((now - as_utc(oldest)).total_seconds(), 0.0) if oldest is not None else 0.0


async def inbox_wait(app: App, now: datetime) -> float:
    """Seconds the oldest update not yet processed has waited (0 when none waits)."""
    async with app.uow() as uow:
        oldest = await uow.session.scalar(select(func.min(InboxRow.received_at)).where(
            InboxRow.status == InboxStatus.RECEIVED))
    return max((now - as_utc(oldest)).total_seconds(), 0.0) if oldest is not None else 0.0


async def health(app: App) -> tuple[bool, dict[str, Any]]:
    """(healthy, the report): the database and Redis must answer; the lag is reported."""
    report: dict[str, Any] = {}

    async def database() -> None:
        async with app.uow() as uow:
            await uow.session.execute(text("SELECT 1"))

    try:
        await asyncio.wait_for(database(), CHECK_TIMEOUT_S)
        report["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure is "down", said with its kind
        report["database"] = f"down: {type(error).__name__}"
    ping = getattr(app.limits, "ping", None)
    if ping is not None:
        try:
            await asyncio.wait_for(ping(), CHECK_TIMEOUT_S)
            report["redis"] = "ok"
        except Exception as error:  # noqa: BLE001
            report["redis"] = f"down: {type(error).__name__}"
    if report["database"] == "ok":
        now = app.clock.now()
        lag = await outbox_lag(app, now)
        report["outbox_lag_s"] = round(lag, 3)
        report["outbox"] = "ok" if lag <= LAG_LIMIT_S else "lagging"
        waiting = await inbox_wait(app, now)
        report["inbox_wait_s"] = round(waiting, 3)
        report["inbox"] = "ok" if waiting <= STUCK_S else "stuck"
        async with app.uow() as uow:
            report["inbox_parked"] = (await inbox.count_by_status(uow)).get(
                InboxStatus.PARKED, 0)
            # Not unhealthy (citizens are served), but the quality-control body gets
            # nothing by e-mail until the address is set: said, with what waits for it.
            report["qc_recipient"] = "ok" if app.settings.qc_email else "missing"
            if not app.settings.qc_email:
                report["qc_waiting"] = await waiting_for_qc_address(uow)
    # Updates that nobody processes mean citizens waiting for ever: unhealthy.
    healthy = all(report.get(k, "ok") == "ok" for k in ("database", "redis", "inbox"))
    return healthy, report


def add_monitoring_routes(web_app: web.Application, app: App, metrics: Metrics) -> None:
    """``/healthz`` (200 or 503 with a JSON report) and ``/metrics`` on the bot's server."""

    async def healthz(_request: web.Request) -> web.Response:
        healthy, report = await health(app)
        return web.json_response({"status": "ok" if healthy else "down", **report},
                                 status=200 if healthy else 503)

    async def scrape(_request: web.Request) -> web.Response:
        try:
            await metrics.refresh(app)
        except Exception:  # noqa: BLE001 - the counters are still worth serving
            log.warning("metrics: the database's figures could not be read", exc_info=True)
        return web.Response(body=generate_latest(metrics.registry),
                            headers={"Content-Type": CONTENT_TYPE_LATEST})

    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", scrape)


def start_metrics() -> Metrics:
    """This process's metrics, fed by the domain from now on."""
    metrics = Metrics()
    observe.watch(metrics)
    return metrics
