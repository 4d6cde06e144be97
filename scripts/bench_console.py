"""Benchmark the console's queue and conversation search on a real month's data.

A temporary SQLite base (migrated as ``ucc`` migrates it) with the demo knowledge pack,
then bulk inserts: ``--open`` open escalations (default 10,000; a fifth of them grouped
with an identical question, spread over the last six weeks so some are overdue, a third
taken), ``--settled`` answered ones, one citizen per question, and ``--messages``
conversation lines (default 100,000) spread over those citizens.

The console application (``create_console``) is served in this process by aiohttp's test
server; an operator and an agency's staff sign in with their passwords; each scenario is
requested ``--requests`` times (default 50) after ``--warmup`` requests. The time is the
server's: a middleware placed first times each request from its arrival to its response
(sessions, CSRF, the query, the template), not the client. Prints a table, then one JSON
object; exits 1 when a scenario's p95 is over ``--target-ms`` (default 200).

    ./scripts/bench-console [--open 10000] [--settled 5000] [--messages 100000]
                            [--requests 50] [--warmup 5] [--target-ms 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiohttp import web  # noqa: E402
from aiohttp.test_utils import TestClient, TestServer  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from bot.app import App, create_app  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.console.server import create_console  # noqa: E402
from knowledge.calendar import local_today  # noqa: E402
from knowledge.clock import FixedClock  # noqa: E402
from knowledge.credentials import set_password  # noqa: E402
from knowledge.db.tables import (  # noqa: E402
    CitizenRow,
    ConversationRow,
    EscalationRow,
    ServiceRow,
)
from knowledge.escalations.routing import normalise  # noqa: E402
from knowledge.pack.io import import_pack  # noqa: E402
from knowledge.pack.validate import parse_pack  # noqa: E402
from knowledge.staff import SYSTEM, Role, add_staff  # noqa: E402

DEMO_PACK = ROOT / "knowledge" / "demo" / "demo-pack.json"
PASSWORD = "bench password 1414"
NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
WORDS = ("паспорт", "жеке куәлік", "неке", "зейнетақы", "жәрдемақы", "тіркеу", "анықтама",
         "справка", "регистрация", "пособие", "пенсия", "адрес", "мекенжай", "бала", "ребёнок",
         "мектеп", "школа", "салық", "налог", "жер", "земля", "көлік", "машина", "права")
BATCH = 5000


def question(rng: random.Random, n: int) -> str:
    words = rng.sample(WORDS, 4)
    return f"{' '.join(words).capitalize()} — сұрақ {n}, қалай алуға болады?"


async def build(app: App, args: argparse.Namespace) -> dict[str, Any]:
    """The base: the demo pack, staff, citizens, escalations and conversation lines."""
    rng = random.Random(1414)
    clock = FixedClock(NOW)
    async with app.uow() as uow:
        await import_pack(uow, parse_pack(DEMO_PACK.read_bytes()), draft=False, commit=False)
        await add_staff(uow, "bench-operator", Role.OPERATOR, clock)
        await add_staff(uow, "bench-mvd", Role.AGENCY, clock, agency_code="mvd")
        for name in ("bench-operator", "bench-mvd"):
            await set_password(uow, name, PASSWORD, SYSTEM)
        await uow.commit()
    async with app.uow() as uow:
        services = list((await uow.session.execute(
            select(ServiceRow.register_no, ServiceRow.agency_id))).tuples())
    total = args.open + args.settled
    started = time.perf_counter()
    async with app.uow() as uow:
        citizens = [{"id": n, "channel": "telegram" if n % 4 else "sms",
                     "address": str(700_000_000 + n) if n % 4 else f"+7701{n:07d}",
                     "lang": "kk" if n % 2 else "ru", "unreachable": False,
                     "created_at": NOW - timedelta(days=60)} for n in range(1, total + 1)]
        for start in range(0, len(citizens), BATCH):
            await uow.session.execute(insert(CitizenRow), citizens[start:start + BATCH])
        rows: list[dict[str, Any]] = []
        leaders: list[tuple[int, str, int]] = []  # (id, text, agency)
        today = local_today(NOW)
        for n in range(1, total + 1):
            register_no, agency_id = services[n % len(services)]
            created = NOW - timedelta(days=42) + timedelta(seconds=n * 42 * 86400 // total)
            routed: date = local_today(created)
            grouped = leaders and n % 5 == 0
            if grouped:
                leader_id, text, agency_id = leaders[rng.randrange(len(leaders))]
                register_no = next(r for r, a in services if a == agency_id)
                group_id = leader_id
            else:
                text, group_id = question(rng, n), n
                leaders.append((n, text, agency_id))
            settled = n > args.open
            rows.append({
                "id": n, "reference": f"Q-{created:%y%m%d}-{n:05d}", "citizen_id": n,
                "channel": citizens[n - 1]["channel"], "lang": citizens[n - 1]["lang"],
                "text": text, "register_no": register_no, "candidates": [],
                "status": "answered" if settled else "open", "created_at": created,
                "agency_id": agency_id, "routed_on": routed,
                "due_on": routed + timedelta(days=7), "group_id": group_id,
                "normalized": normalise(text) if not grouped else None,
                "taken_by": "agency:bench-mvd" if n % 3 == 0 else None,
                "reply_kk": "Жауап." if settled else None,
                "resolved_at": NOW if settled else None,
                "resolved_on": today if settled else None,
            })
        for start in range(0, len(rows), BATCH):
            await uow.session.execute(insert(EscalationRow), rows[start:start + BATCH])
        lines = []
        for n in range(args.messages):
            citizen = rows[n % total]
            at = citizen["created_at"] + timedelta(minutes=n // total)
            lines.append({"citizen_id": citizen["citizen_id"],
                          "direction": "in" if n % 2 == 0 else "out",
                          "channel": citizen["channel"], "lang": citizen["lang"],
                          "text": citizen["text"] if n % 2 == 0 else "Жауап / ответ " * 5,
                          "at": at, "original_length": None})
        for start in range(0, len(lines), BATCH):
            await uow.session.execute(insert(ConversationRow), lines[start:start + BATCH])
        await uow.commit()
    mvd_service = next(r for r, a in services if a == rows[0]["agency_id"])
    return {"seconds": round(time.perf_counter() - started, 1),
            "references": [row["reference"] for row in rows[: args.open]],
            "mvd_reference": next(row["reference"] for row in rows
                                  if row["register_no"].startswith("003")),
            "service": mvd_service}


TIMES = web.AppKey("bench_times", list[float])


@web.middleware
async def server_time(request: web.Request, handler: Any) -> web.StreamResponse:
    started = time.perf_counter()
    try:
        response: web.StreamResponse = await handler(request)
        return response
    finally:
        request.app[TIMES].append((time.perf_counter() - started) * 1000)


async def sign_in(client: TestClient[web.Request, web.Application], name: str) -> None:
    page = await (await client.get("/signin")).text()
    found = TOKEN.search(page)
    assert found is not None
    response = await client.post("/signin", data={
        "name": name, "password": PASSWORD, "csrf_token": found.group(1)},
        allow_redirects=False)
    assert response.status == 303, await response.text()


Request = Callable[[int], Awaitable[None]]


async def measure(web_app: web.Application, request: Request, n: int,
                  warmup: int) -> list[float]:
    for i in range(warmup):
        await request(i)
    web_app[TIMES].clear()
    for i in range(n):
        await request(i)
    return web_app[TIMES].copy()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


async def main(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "bench.sqlite3"
        settings = Settings(database_url=f"sqlite+aiosqlite:///{path}",
                            _env_file=None)  # type: ignore[call-arg]
        app = await create_app(settings, FixedClock(NOW))
        try:
            data = await build(app, args)
            print(f"base: {args.open} open escalations, {args.settled} settled, "
                  f"{args.messages} conversation lines ({data['seconds']} s to insert)")
            web_app = await create_console(app)
            web_app[TIMES] = []
            web_app.middlewares.insert(0, server_time)
            server = TestServer(web_app)
            operator: TestClient[web.Request, web.Application] = TestClient(server)
            agency: TestClient[web.Request, web.Application] = TestClient(server)
            await operator.start_server()
            await agency.start_server()
            try:
                await sign_in(operator, "bench-operator")
                await sign_in(agency, "bench-mvd")
                references: list[str] = data["references"]

                def pick(n: int) -> str:
                    return references[n % len(references)]

                def get(client: TestClient[web.Request, web.Application],
                        path: Callable[[int], str], status: int = 200) -> Request:
                    async def go(i: int) -> None:
                        response = await client.get(path(i), allow_redirects=False)
                        await response.read()
                        assert response.status == status, (path(i), response.status)
                    return go

                scenarios: list[tuple[str, Request]] = [
                    ("queue, first page (operator)", get(operator, lambda i: "/queue")),
                    ("queue, live refresh rows", get(operator,
                                                     lambda i: "/queue?fragment=1")),
                    ("queue, page 100", get(operator, lambda i: "/queue?page=100")),
                    ("queue filtered: agency+service+untaken", get(
                        operator, lambda i: f"/queue?agency=mvd&service={data['service']}"
                                            "&status=untaken")),
                    ("queue filtered: overdue", get(operator,
                                                    lambda i: "/queue?status=overdue")),
                    ("queue filtered: answered", get(operator,
                                                     lambda i: "/queue?status=answered")),
                    ("queue, agency staff", get(agency, lambda i: "/queue")),
                    ("one question's page", get(
                        operator, lambda i: "/queue/" + pick(i * 197))),
                    ("conversation search (Q-number)", get(
                        operator, lambda i: "/conversations?q=" + pick(i * 211), 303)),
                    ("conversation page (operator)", get(
                        operator, lambda i: f"/conversations/{(i * 223) % args.open + 1}")),
                    ("conversation search, agency staff", get(
                        agency, lambda i: f"/conversations?q={data['mvd_reference']}", 303)),
                ]
                results: dict[str, dict[str, float]] = {}
                print(f"{'scenario':45} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
                for name, request in scenarios:
                    times = await measure(web_app, request, args.requests, args.warmup)
                    results[name] = {"p50_ms": round(statistics.median(times), 1),
                                     "p95_ms": round(percentile(times, 95), 1),
                                     "max_ms": round(max(times), 1), "n": len(times)}
                    r = results[name]
                    print(f"{name:45} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['max_ms']:8.1f}")
            finally:
                await operator.close()
                await agency.close()
        finally:
            await app.close()
    over = [name for name, r in results.items() if r["p95_ms"] > args.target_ms]
    print(json.dumps({"open": args.open, "settled": args.settled, "messages": args.messages,
                      "requests": args.requests, "target_ms": args.target_ms,
                      "over_target": over, "results": results}, ensure_ascii=False))
    return 1 if over else 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--open", type=int, default=10_000)
    parser.add_argument("--settled", type=int, default=5_000)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--target-ms", type=float, default=200.0)
    parser.add_argument("--keep", type=Path, help="build the base in this (new) file and "
                                                  "keep it, to look at its query plans")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
