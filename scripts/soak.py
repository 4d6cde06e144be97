"""Soak: two bot instances on one PostgreSQL (and Redis, when given) under steady mixed
traffic for a bounded time, loopback only. Prints memory, outbox lag and losses.

Each instance is its own ``ucc run --webhook`` process (inbox, processor, outbox sender,
schedulers, shared limits), on its own port, as behind a load balancer; this process is
the fake Bot API (``tests/fakes/bot_api.py``) and a load generator that posts updates
alternately to the two webhooks at ``--rate`` a second: questions in Kazakh and Russian
from the demo pack, greetings, commands, and every 50th update delivered to both
instances at once.

At the end every update must have been processed once and answered, no outbox row may be
left unsent, both instances must stop cleanly on SIGTERM, and memory must be flat (each
instance's RSS grows by at most 3 % after the first five minutes); the figures are each
instance's RSS and heap over time (Python's live blocks, the C allocator's bytes in use
and kept free: the heap tells a leak from fragmentation), the outbox lag sampled every
``--sample`` seconds, and the duplicates explained (a redelivered update is stored once).

    ./scripts/soak [--minutes 30] [--rate 50] [--postgres URL] [--redis URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.app import create_app  # noqa: E402
from bot.channels.telegram.receivers import SECRET_HEADER, WEBHOOK_PATH  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.monitoring import outbox_lag  # noqa: E402
from knowledge.db.tables import InboxRow, OutboxRow  # noqa: E402
from knowledge.pack.io import import_pack  # noqa: E402
from knowledge.pack.validate import parse_pack  # noqa: E402
from tests.fakes.bot_api import FakeBotAPI, command_update, message_update  # noqa: E402
from tests.services import admin_sql  # noqa: E402

HOST = "127.0.0.1"
SECRET = "soak-secret"
DEMO_PACK = ROOT / "knowledge" / "demo" / "demo-pack.json"
CHATS = 2000  # distinct citizens
FLAT_SHARE = 0.03  # flat memory: RSS grows by at most this share after the first five minutes
WINDOW_S = 300  # RSS is compared as medians over five-minute windows: a sample taken while a
# burst is in flight (a few MB of requests and rows) must not read as growth
TELEGRAM_LIMITS = "--telegram-limits" in sys.argv


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def traffic(questions: list[tuple[str, str]], seed: int) -> Any:
    """An endless mix: mostly questions, some greetings and commands."""
    rng = random.Random(seed)
    update_id = 10_000_000
    while True:
        update_id += 1
        chat = 900_000 + rng.randrange(CHATS)
        roll = rng.random()
        if roll < 0.8:
            lang, text = rng.choice(questions)
            update = message_update(chat, text, language_code=lang)
        elif roll < 0.9:
            update = command_update(chat, "/start", language_code=rng.choice(["kk", "ru"]))
        else:
            update = message_update(chat, rng.choice(["сәлем", "привет", "рахмет", "спасибо",
                                                      "👍", "?"]), language_code="ru")
        yield {**update, "update_id": update_id}


HEAP_METRICS = {"ucc_python_allocated_blocks": "py_kblocks",
                "ucc_malloc_in_use_bytes": "malloc_mb", "ucc_malloc_free_bytes": "malloc_free_mb"}


async def heap_of(http: aiohttp.ClientSession, metrics_url: str) -> dict[str, float]:
    """An instance's heap as its /metrics says: Python's live blocks (thousands) and the C
    allocator's bytes in use and kept free (MB): growing RSS over a flat heap is
    fragmentation, not a leak."""
    try:
        async with http.get(metrics_url) as response:
            body = await response.text()
    except aiohttp.ClientError:
        return {}
    figures = {}
    for line in body.splitlines():
        name, _, value = line.partition(" ")
        if name in HEAP_METRICS:
            scale = 1e3 if name == "ucc_python_allocated_blocks" else 2**20
            figures[HEAP_METRICS[name]] = round(float(value) / scale, 1)
    return figures


async def instance(fake: FakeBotAPI, url: str, redis_url: str | None
                   ) -> tuple[asyncio.subprocess.Process, str, str]:
    """One ``ucc run --webhook`` process: (process, webhook URL, health URL)."""
    port = free_port()
    base = f"http://{HOST}:{port}"
    env = {**os.environ, "UCC_DATABASE_URL": url, "UCC_TELEGRAM_TOKEN": fake.token,
           "UCC_TELEGRAM_API_URL": fake.base_url, "UCC_WEBHOOK_SECRET": SECRET,
           "UCC_HTTP_HOST": HOST, "UCC_HTTP_PORT": str(port), "UCC_FLOOD_MESSAGES": "1000"}
    env.pop("UCC_REDIS_URL", None)
    if redis_url:
        env["UCC_REDIS_URL"] = redis_url
    # Telegram allows ~30 messages a second overall: 50 updates a second cannot be answered
    # within it by any number of instances, so the soak lifts it (as bench-bot does) and
    # measures the pipeline; ``--telegram-limits`` keeps it. One a second per chat stays.
    if not TELEGRAM_LIMITS:
        env["UCC_TELEGRAM_PER_SECOND"] = str(10**9)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--webhook", base, "--workers", "0", cwd=ROOT,
        env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    return process, base + WEBHOOK_PATH, base + "/healthz"


def median_rss(samples: list[dict[str, Any]]) -> list[float] | None:
    """Each instance's median resident size (MB) over ``samples``."""
    if not samples:
        return None
    return [round(statistics.median(s["rss_mb"][i] for s in samples), 1) for i in range(2)]


async def healthy(http: aiohttp.ClientSession, url: str) -> bool:
    try:
        async with http.get(url) as response:
            return response.status == 200
    except aiohttp.ClientError:
        return False


async def amain(args: argparse.Namespace) -> dict[str, Any]:
    server = args.postgres
    database = f"ucc_soak_{uuid.uuid4().hex[:8]}"
    await admin_sql(server, f'CREATE DATABASE "{database}"')
    url = str(make_url(server).set(drivername="postgresql+asyncpg", database=database))
    fake = FakeBotAPI()
    await fake.start()
    pack = json.loads(DEMO_PACK.read_text(encoding="utf-8"))
    questions = [(lang, q) for s in pack["services"] for e in s["faq"]
                 for lang in ("kk", "ru") for q in e["questions"].get(lang, [])]
    instances: list[tuple[asyncio.subprocess.Process, str, str]] = []
    monitor = None
    try:
        settings = Settings(database_url=url, _env_file=None)  # type: ignore[call-arg]
        first = await create_app(settings)
        async with first.uow() as uow:
            await import_pack(uow, parse_pack(DEMO_PACK.read_bytes()), draft=False)
        await first.close()
        instances = [await instance(fake, url, args.redis) for _ in range(2)]
        monitor = await create_app(settings)
        async with aiohttp.ClientSession() as http:
            for _ in range(600):
                if all([await healthy(http, health) for _p, _w, health in instances]):
                    break
                await asyncio.sleep(0.1)
            else:
                raise RuntimeError("the instances did not come up")
        sent, redelivered, failures = 0, 0, 0
        samples: list[dict[str, Any]] = []
        started = time.monotonic()
        deadline = started + args.minutes * 60
        next_sample = started
        stream = traffic(questions, seed=7)
        async with aiohttp.ClientSession() as http:
            async def post(target: str, update: dict[str, Any]) -> None:
                nonlocal failures
                async with http.post(target, json=update, headers={SECRET_HEADER: SECRET}) as r:
                    if r.status != 200:
                        failures += 1

            pending: set[asyncio.Task[None]] = set()
            while time.monotonic() < deadline:
                tick = time.monotonic()
                for _ in range(max(int(args.rate / 10), 1)):
                    update = next(stream)
                    targets = [instances[sent % 2][1]]
                    if sent % 50 == 0:  # the same update to both instances at once
                        targets.append(instances[(sent + 1) % 2][1])
                        redelivered += 1
                    for target in targets:
                        task = asyncio.create_task(post(target, update))
                        pending.add(task)
                        task.add_done_callback(pending.discard)
                    sent += 1
                if tick >= next_sample:
                    lag = await outbox_lag(monitor, monitor.clock.now())
                    samples.append({"t_s": round(tick - started),
                                    "rss_mb": [round(rss_mb(p.pid), 1)
                                               for p, _w, _h in instances],
                                    "heap": [await heap_of(http, h.replace("/healthz",
                                                                           "/metrics"))
                                             for _p, _w, h in instances],
                                    "outbox_lag_s": round(lag, 2)})
                    print(json.dumps(samples[-1]), flush=True)
                    next_sample = tick + args.sample
                await asyncio.sleep(max(0.1 - (time.monotonic() - tick), 0))
            await asyncio.gather(*pending, return_exceptions=True)
        # drain: every stored update processed, every reply sent
        app = monitor
        for _ in range(600):
            async with app.uow() as uow:
                left_in = await uow.session.scalar(select(func.count()).select_from(InboxRow)
                                                   .where(InboxRow.status == "received"))
                left_out = await uow.session.scalar(select(func.count()).select_from(OutboxRow)
                                                    .where(OutboxRow.status == "pending"))
            if not left_in and not left_out:
                break
            await asyncio.sleep(0.5)
        async with app.uow() as uow:
            inbox = dict((await uow.session.execute(
                select(InboxRow.status, func.count()).group_by(InboxRow.status))).tuples().all())
            outbox = dict((await uow.session.execute(
                select(OutboxRow.status, func.count()).group_by(OutboxRow.status))).tuples().all())
        replies = len([c for c in fake.calls_of("sendMessage") if c.ok])
        lags = [sample["outbox_lag_s"] for sample in samples]
        warm = min(WINDOW_S, args.minutes * 30)
        settled = [sample for sample in samples if warm <= sample["t_s"] < warm + WINDOW_S]
        late = [sample for sample in samples if samples and sample["t_s"] >= max(
            warm, samples[-1]["t_s"] - WINDOW_S)]
        exits = []
        for process, _w, _h in instances:  # a graceful stop: SIGTERM, then exit 0
            process.send_signal(signal.SIGTERM)
            exits.append(await asyncio.wait_for(process.wait(), 60))
        return {
            "minutes": args.minutes, "rate_per_s": args.rate, "updates_sent": sent,
            "redelivered_to_both": redelivered, "http_failures": failures,
            "inbox": inbox, "outbox": outbox, "replies_received": replies,
            "lost": sent - int(inbox.get("processed", 0)),
            "rss_mb_first": samples[0]["rss_mb"] if samples else None,
            "rss_mb_settled": median_rss(settled),  # minutes 5-10
            "rss_mb_late": median_rss(late),  # the last five minutes
            "rss_mb_last": samples[-1]["rss_mb"] if samples else None,
            "rss_mb_max": [max(s["rss_mb"][i] for s in samples) for i in range(2)]
            if samples else None,
            "rss_mb_growth_settled": [round(b - a, 1) for a, b in zip(
                median_rss(settled) or [], median_rss(late) or [], strict=True)] or None,
            "heap_settled": settled[0]["heap"] if settled else None,
            "heap_last": samples[-1]["heap"] if samples else None,
            "outbox_lag_s_max": max(lags) if lags else None,
            "outbox_lag_s_mean": round(sum(lags) / len(lags), 2) if lags else None,
            "exit_codes": exits,
        }
    finally:
        for process, _w, _h in instances:
            if process.returncode is None:
                process.kill()
                await process.wait()
        if monitor is not None:
            await monitor.close()
        await fake.stop()
        await admin_sql(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=50.0, help="updates a second")
    parser.add_argument("--sample", type=float, default=10.0, help="seconds between samples")
    parser.add_argument("--postgres", default=os.environ.get(
        "UCC_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--redis", default=os.environ.get("UCC_TEST_REDIS_URL"))
    parser.add_argument("--telegram-limits", action="store_true",
                        help="keep Telegram's 30 messages/s overall (the lag then grows)")
    result = asyncio.run(amain(parser.parse_args()))
    print(json.dumps(result, ensure_ascii=False))
    settled, growth = result["rss_mb_settled"], result["rss_mb_growth_settled"]
    flat = settled is None or growth is None or all(
        g <= FLAT_SHARE * s for g, s in zip(growth, settled, strict=True))
    ok = result["lost"] == 0 and not result["outbox"].get("pending") and (
        result["outbox_lag_s_max"] or 0) < 5 and result["exit_codes"] == [0, 0] and flat
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
