"""Soak: two bot instances on one PostgreSQL (and Redis, when given) under steady mixed
traffic for a bounded time, loopback only. Prints memory, outbox lag and losses.

Both instances run in this process as ``ucc run --webhook`` builds them (inbox, processor,
outbox sender, schedulers, shared limits), each on its own port; a load generator posts
updates alternately to the two webhooks at ``--rate`` a second: questions in Kazakh and
Russian from the demo pack, greetings, commands, repeated deliveries of the same update
to both instances. The fake Bot API (``tests/fakes/bot_api.py``) receives the replies.

At the end every update must have been processed once and answered, no outbox row may be
left unsent; the figures are the RSS over time (flat memory), the outbox lag sampled every
``--sample`` seconds, and the duplicates explained (a redelivered update is stored once).

    ./scripts/soak [--minutes 30] [--rate 50] [--postgres URL] [--redis URL]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import socket
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

from bot.app import App, create_app  # noqa: E402
from bot.channels.telegram.receivers import SECRET_HEADER, WEBHOOK_PATH  # noqa: E402
from bot.channels.telegram.runner import TelegramRuntime, create_bot  # noqa: E402
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
TELEGRAM_LIMITS = "--telegram-limits" in sys.argv


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
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


async def instance(fake: FakeBotAPI, url: str, redis_url: str | None) -> tuple[App, Any, Any]:
    port = free_port()
    settings = Settings(  # type: ignore[call-arg]
        database_url=url, redis_url=redis_url, _env_file=None, http_host=HOST, http_port=port,
        webhook_secret=SECRET, telegram_token=fake.token, telegram_api_url=fake.base_url,
        flood_messages=1000)
    app = await create_app(settings)
    bot = create_bot(fake.token, fake.base_url)
    runtime = TelegramRuntime(app, bot)
    # Telegram allows ~30 messages a second overall: 50 updates a second cannot be answered
    # within it by any number of instances, so the soak lifts it (as bench-bot does) and
    # measures the pipeline; ``--telegram-limits`` keeps it.
    if not TELEGRAM_LIMITS:
        runtime.sender.per_chat_interval_s = 0.0
        runtime.sender.global_per_second = 10**9
    task = asyncio.create_task(runtime.run_webhook(f"http://{HOST}:{port}"))
    return app, (runtime, bot, task), f"http://{HOST}:{port}{WEBHOOK_PATH}"


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
    instances = []
    try:
        first = await create_app(Settings(database_url=url, _env_file=None))  # type: ignore[call-arg]
        async with first.uow() as uow:
            await import_pack(uow, parse_pack(DEMO_PACK.read_bytes()), draft=False)
        await first.close()
        instances = [await instance(fake, url, args.redis) for _ in range(2)]
        await asyncio.sleep(1.0)
        sent, redelivered, failures, samples = 0, 0, 0, []
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
                    targets = [instances[sent % 2][2]]
                    if sent % 50 == 0:  # the same update to both instances at once
                        targets.append(instances[(sent + 1) % 2][2])
                        redelivered += 1
                    for target in targets:
                        task = asyncio.create_task(post(target, update))
                        pending.add(task)
                        task.add_done_callback(pending.discard)
                    sent += 1
                if tick >= next_sample:
                    lag = await outbox_lag(instances[0][0], instances[0][0].clock.now())
                    samples.append({"t_s": round(tick - started), "rss_mb": round(rss_mb(), 1),
                                    "outbox_lag_s": round(lag, 2)})
                    print(json.dumps(samples[-1]), flush=True)
                    next_sample = tick + args.sample
                await asyncio.sleep(max(0.1 - (time.monotonic() - tick), 0))
            await asyncio.gather(*pending, return_exceptions=True)
        # drain: every stored update processed, every reply sent
        app = instances[0][0]
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
        rss = [s["rss_mb"] for s in samples]
        lags = [s["outbox_lag_s"] for s in samples]
        return {
            "minutes": args.minutes, "rate_per_s": args.rate, "updates_sent": sent,
            "redelivered_to_both": redelivered, "http_failures": failures,
            "inbox": inbox, "outbox": outbox, "replies_received": replies,
            "lost": sent - int(inbox.get("processed", 0)),
            "rss_mb_first": rss[0] if rss else None, "rss_mb_last": rss[-1] if rss else None,
            "rss_mb_max": max(rss) if rss else None,
            "outbox_lag_s_max": max(lags) if lags else None,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    finally:
        for app, (runtime, bot, task), _url in instances:
            runtime.stop.set()
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(task, 30)
            await bot.session.close()
            await app.close()
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
    ok = result["lost"] == 0 and not result["outbox"].get("pending") and (
        result["outbox_lag_s_max"] or 0) < 5
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
