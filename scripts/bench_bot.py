"""Benchmark the Telegram bot end to end through its webhook, against a bare aiogram ceiling.

Two processes on loopback (127.0.0.1) only:

* the harness (a child process): the fake Bot API (``tests/fakes/bot_api.py``) and an aiohttp
  client that posts N updates to whatever URL the bot registered with ``setWebhook``, with
  the secret header, at most ``--concurrency`` requests in flight; it times each update from
  the moment its request starts to the arrival (``Call.at``) of the first ``sendMessage`` to
  its chat at the fake. Every update has its own chat id, so replies match one to one and
  per-chat limits do not come into play.
* the bot (this process): first the product runtime exactly as ``ucc run`` builds it for a
  webhook (``create_app`` on a temporary SQLite file with the demo pack imported,
  ``TelegramRuntime(app, bot).run_webhook(...)``: inbox, processor, outbox, sender), then a
  bare aiogram ``Dispatcher`` whose one handler echoes (``message.answer(message.text)``)
  behind aiogram's ``SimpleRequestHandler``: the ceiling of aiogram + aiohttp on this machine.

Keeping the fake and the load generator out of the bot's process means the bot gets the
machine's cores, as it would in production where Telegram is elsewhere; with ``--workers N``
(default 2) updates are answered in N ``ucc work`` processes as ``ucc run --workers N`` does,
``--workers 0`` answers them in the bot's one process. The sender's Telegram
limits (1 message/s per chat, 30/s overall) are lifted so the pipeline itself is measured.
A warm-up (``--warmup`` updates on other chats, answered before the clock starts) builds the
answer engine's index and opens the connections.

Prints a table and, as the last line, one JSON object with the figures.

    ./scripts/bench-bot [--updates 5000] [--concurrency 32] [--timeout 120] [--stall 15]
                     [--warmup 100] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import json
import logging
import multiprocessing
import os
import pstats
import resource
import socket
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiogram import Bot, Dispatcher, F, Router  # noqa: E402
from aiogram.client.session.aiohttp import AiohttpSession  # noqa: E402
from aiogram.client.telegram import TelegramAPIServer  # noqa: E402
from aiogram.types import Message  # noqa: E402
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application  # noqa: E402
from aiohttp import ClientSession, ClientTimeout, TCPConnector, web  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.app import create_app  # noqa: E402
from bot.channels.telegram.receivers import SECRET_HEADER  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.runners.telegram import TelegramRuntime, create_bot  # noqa: E402
from knowledge.db.tables import InboxRow, OutboxRow  # noqa: E402
from knowledge.pack.io import import_pack  # noqa: E402
from knowledge.pack.validate import parse_pack  # noqa: E402
from tests.fakes.bot_api import TOKEN, FakeBotAPI, message_update  # noqa: E402
from tests.services import admin_sql  # noqa: E402

DEMO_PACK = ROOT / "knowledge" / "demo" / "demo-pack.json"
HOST = "127.0.0.1"
SECRET = "bench-secret-token"
BARE_PATH = "/bare/webhook"
# Goals on the 2-core reference machine.
TARGET_UPDATES_PER_S = 300.0
TARGET_RATIO = 1 / 3
# Chat ids: the warm-up and the measured updates never share one.
WARMUP_CHAT0 = 900_000_000
CHAT0 = 1_000_000_000


# --------------------------------------------------------------------- the harness process


@dataclass(frozen=True, slots=True)
class Load:
    """What the harness sends: one update per chat, and how hard."""

    warmup: list[tuple[int, bytes]]
    measured: list[tuple[int, bytes]]
    concurrency: int
    timeout_s: float
    stall_s: float
    instances: int = 1  # webhooks to spread the load over (round robin by chat)


def harness_main(conn: Connection) -> None:
    """Child process: serves fake Bot APIs and runs loads on request, over ``conn``."""
    asyncio.run(_harness(conn))


async def _harness(conn: Connection) -> None:
    loop = asyncio.get_running_loop()
    fake: FakeBotAPI | None = None
    while True:
        request = await loop.run_in_executor(None, conn.recv)
        kind = request[0]
        if kind == "fake":
            fake = FakeBotAPI()
            await fake.start()
            conn.send(fake.base_url)
        elif kind == "load":
            assert fake is not None
            try:
                result = await _run_load(fake, request[1])
            except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails
                result = {"error": f"{type(exc).__name__}: {exc}"}
            await fake.stop()
            fake = None
            conn.send(result)
        else:
            if fake is not None:
                await fake.stop()
            return


class ReplyWatch:
    """Follows the fake's calls (an append-only list) for the first sendMessage per chat."""

    def __init__(self, fake: FakeBotAPI) -> None:
        self.fake = fake
        self.seen = 0
        self.first: dict[int, float] = {}
        self.send_messages = 0

    def scan(self) -> None:
        calls = self.fake.calls
        for call in calls[self.seen:]:
            if call.ok and call.is_("sendMessage"):
                self.send_messages += 1
                chat = call.params.get("chat_id")
                if isinstance(chat, int) and chat not in self.first:
                    self.first[chat] = call.at
        self.seen = len(calls)

    async def wait(self, chats: list[int], deadline: float, stall_s: float) -> None:
        """Until every chat has its reply, ``deadline``, or no new reply for ``stall_s``."""
        answered, progress = -1, time.monotonic()
        while True:
            self.scan()
            now = time.monotonic()
            count = sum(1 for chat in chats if chat in self.first)
            if count != answered:
                answered, progress = count, now
            if count == len(chats) or now >= deadline or now - progress >= stall_s:
                return
            await asyncio.sleep(0.005)


async def _post_all(
    session: ClientSession, urls: list[str], headers: dict[str, str], *,
    items: list[tuple[int, bytes]], concurrency: int, sent_at: dict[int, float],
    statuses: Counter[int],
) -> None:
    pending = iter(items)

    async def worker() -> None:
        for chat, body in pending:
            sent_at[chat] = time.monotonic()
            try:
                url = urls[chat % len(urls)]
                async with session.post(url, data=body, headers=headers) as response:
                    await response.read()
                    statuses[response.status] += 1
            except Exception:  # noqa: BLE001 - counted; its reply will be missing
                statuses[0] += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def _run_load(fake: FakeBotAPI, load: Load) -> dict[str, Any]:
    deadline = time.monotonic() + 60

    def registered() -> list[str]:
        return sorted({str(c.params.get("url")) for c in fake.calls_of("setWebhook") if c.ok})

    while len(registered()) < load.instances and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    if len(registered()) < load.instances:
        return {"error": f"{len(registered())} of {load.instances} instances called setWebhook"}
    urls = registered()
    headers = {"Content-Type": "application/json"}
    if fake.webhook_secret:
        headers[SECRET_HEADER] = fake.webhook_secret
    watch = ReplyWatch(fake)
    connector = TCPConnector(limit=load.concurrency)
    async with ClientSession(connector=connector, timeout=ClientTimeout(total=30)) as session:
        warm_sent: dict[int, float] = {}
        warm_status: Counter[int] = Counter()
        await _post_all(session, urls, headers, items=load.warmup, concurrency=load.concurrency,
                        sent_at=warm_sent, statuses=warm_status)
        await watch.wait([chat for chat, _ in load.warmup], time.monotonic() + load.timeout_s,
                         load.stall_s)
        warm_missing = sum(1 for chat, _ in load.warmup if chat not in watch.first)

        sent_at: dict[int, float] = {}
        statuses: Counter[int] = Counter()
        usage0 = resource.getrusage(resource.RUSAGE_SELF)
        start = time.monotonic()
        await _post_all(session, urls, headers, items=load.measured,
                        concurrency=load.concurrency, sent_at=sent_at, statuses=statuses)
        posted = time.monotonic()
        chats = [chat for chat, _ in load.measured]
        await watch.wait(chats, posted + load.timeout_s, load.stall_s)
        end = time.monotonic()
        usage1 = resource.getrusage(resource.RUSAGE_SELF)
    latencies = [watch.first[chat] - sent_at[chat] for chat in chats if chat in watch.first]
    last = max((watch.first[chat] for chat in chats if chat in watch.first), default=end)
    cpu = (usage1.ru_utime - usage0.ru_utime) + (usage1.ru_stime - usage0.ru_stime)
    return {
        "answered": len(latencies),
        "missing": len(chats) - len(latencies),
        "latencies": latencies,
        "start": start,
        "posted": posted,
        "last_reply": last,
        "statuses": dict(statuses),
        "warmup_missing": warm_missing,
        "warmup_statuses": dict(warm_status),
        "send_messages": watch.send_messages,
        "harness_cpu_s": cpu,
    }


# --------------------------------------------------------------------- the bot process


class Harness:
    """The parent's end of the pipe to the harness process."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    async def ask(self, *request: Any) -> Any:
        self.conn.send(request)
        return await asyncio.get_running_loop().run_in_executor(None, self.conn.recv)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def questions_of(pack: dict[str, Any]) -> list[tuple[str, str]]:
    """(language, text) of every question variant of the pack, both languages."""
    out = []
    for service in pack["services"]:
        for entry in service["faq"]:
            for lang in ("kk", "ru"):
                out.extend((lang, text) for text in entry["questions"].get(lang, []))
    return out


def build_updates(
    questions: list[tuple[str, str]], first: int, count: int, chat0: int, update0: int
) -> list[tuple[int, bytes]]:
    """``count`` updates cycling through the questions from number ``first`` (languages
    alternate), one chat each: chat ids and update ids count up from ``chat0``/``update0``."""
    by_lang = {lang: [q for q_lang, q in questions if q_lang == lang] for lang in ("kk", "ru")}
    out = []
    for n in range(count):
        i = first + n
        lang = ("kk", "ru")[i % 2]
        pool = by_lang[lang]
        text = pool[(i // 2) % len(pool)]
        chat = chat0 + n
        update = message_update(chat, text, language_code=lang, update_id=update0 + n)
        out.append((chat, json.dumps(update, ensure_ascii=False).encode()))
    return out


@dataclass(slots=True)
class Outcome:
    label: str
    result: dict[str, Any]
    bot_cpu_s: float
    extra: dict[str, Any]

    @property
    def answered(self) -> int:
        return int(self.result.get("answered", 0))

    @property
    def updates_per_s(self) -> float:
        span = self.result["last_reply"] - self.result["start"]
        return self.answered / span if span > 0 else 0.0

    def percentile_ms(self, q: float) -> float:
        latencies = sorted(self.result["latencies"])
        if not latencies:
            return float("nan")
        if len(latencies) == 1:
            return latencies[0] * 1000
        cuts = statistics.quantiles(latencies, n=100, method="inclusive")
        return cuts[round(q) - 1] * 1000

    @property
    def span_s(self) -> float:
        return float(self.result["last_reply"] - self.result["start"])


async def _measured(
    label: str, harness: Harness, load: Load, profiler: cProfile.Profile | None,
    extra: dict[str, Any],
) -> Outcome:
    usage0 = resource.getrusage(resource.RUSAGE_SELF)
    if profiler is not None:
        profiler.enable()
    try:
        result = await harness.ask("load", load)
    finally:
        if profiler is not None:
            profiler.disable()
    usage1 = resource.getrusage(resource.RUSAGE_SELF)
    if "error" in result:
        raise SystemExit(f"{label}: {result['error']}")
    cpu = (usage1.ru_utime - usage0.ru_utime) + (usage1.ru_stime - usage0.ru_stime)
    return Outcome(label, result, cpu, extra)


async def run_product(
    harness: Harness, load: Load, workdir: Path, profiler: cProfile.Profile | None,
    workers: int = 0, *, postgres: str | None = None,
) -> Outcome:
    base_url = await harness.ask("fake")
    port = free_port()
    database = f"ucc_bench_{os.getpid()}"
    database_url = f"sqlite+aiosqlite:///{workdir / 'ucc.sqlite3'}"
    if postgres is not None:
        await admin_sql(postgres, f'CREATE DATABASE "{database}"')
        database_url = str(make_url(postgres).set(drivername="postgresql+asyncpg",
                                                  database=database))
    settings = Settings(  # type: ignore[call-arg]
        database_url=database_url,
        _env_file=None,
        http_host=HOST,
        http_port=port,
        webhook_secret=SECRET,
        telegram_token=TOKEN,
        telegram_api_url=base_url,
    )
    app = await create_app(settings)
    bot = create_bot(TOKEN, base_url)
    others: list[asyncio.subprocess.Process] = []
    try:
        async with app.uow() as uow:
            await import_pack(uow, parse_pack(DEMO_PACK.read_bytes()), draft=False)
        worker_env = {**os.environ, "UCC_DATABASE_URL": settings.database_url,
                      "UCC_TELEGRAM_TOKEN": TOKEN, "UCC_TELEGRAM_API_URL": base_url}
        for _ in range(load.instances - 1):  # more instances: ``ucc run`` in its own process
            other = free_port()
            others.append(await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", "--webhook", f"http://{HOST}:{other}",
                "--workers", "0", cwd=workdir, stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL, env={
                    **worker_env, "UCC_WEBHOOK_SECRET": SECRET, "UCC_HTTP_HOST": HOST,
                    "UCC_HTTP_PORT": str(other), "UCC_TELEGRAM_PER_SECOND": str(10**9)}))
        runtime = TelegramRuntime(app, bot, workers=workers, worker_env=worker_env)
        # Lift Telegram's limits (1/s per chat, 30/s overall) to measure the pipeline itself.
        runtime.sender.per_chat_interval_s = 0.0
        runtime.sender.global_per_second = 10**9
        task = asyncio.create_task(runtime.run_webhook(f"http://{HOST}:{port}"))
        try:
            outcome = await _measured("product", harness, load, profiler, {})
        finally:
            runtime.stop.set()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, 30)
        async with app.uow() as uow:
            for name, row in (("inbox", InboxRow), ("outbox", OutboxRow)):
                rows = await uow.session.execute(
                    select(row.status, func.count()).group_by(row.status)
                )
                outcome.extra[name] = {str(status): int(n) for status, n in rows}
        return outcome
    finally:
        for other_process in others:
            other_process.terminate()
            await other_process.wait()
        await bot.session.close()
        await app.close()
        if postgres is not None and not os.environ.get("UCC_BENCH_KEEP_DB"):
            await admin_sql(postgres, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


async def run_bare(harness: Harness, load: Load) -> Outcome:
    base_url = await harness.ask("fake")
    port = free_port()
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(base_url)))
    router = Router()

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    web_app = web.Application()
    SimpleRequestHandler(dispatcher=dispatcher, bot=bot, secret_token=SECRET).register(
        web_app, path=BARE_PATH
    )
    setup_application(web_app, dispatcher, bot=bot)
    runner = web.AppRunner(web_app)
    await runner.setup()
    try:
        await web.TCPSite(runner, HOST, port).start()
        await bot.set_webhook(f"http://{HOST}:{port}{BARE_PATH}", secret_token=SECRET)
        return await _measured("bare aiogram", harness, load, None, {})
    finally:
        await runner.cleanup()  # closes the bot's session through setup_application
        await bot.session.close()


# --------------------------------------------------------------------- report


def table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(cell.rjust(w) if i else cell.ljust(w)
                               for i, (cell, w) in enumerate(zip(row, widths, strict=True))))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def report(product: Outcome, bare: Outcome, args: argparse.Namespace) -> dict[str, Any]:
    header = ["run", "answered", "missing", "updates/s", "p50 ms", "p99 ms", "max ms",
              "posting s", "total s", "bot CPU", "harness CPU"]
    rows = [header]
    for o in (product, bare):
        r = o.result
        rows.append([
            o.label, str(o.answered), str(r["missing"]), f"{o.updates_per_s:.0f}",
            f"{o.percentile_ms(50):.1f}", f"{o.percentile_ms(99):.1f}",
            f"{max(r['latencies'], default=float('nan')) * 1000:.0f}",
            f"{r['posted'] - r['start']:.2f}", f"{o.span_s:.2f}",
            f"{o.bot_cpu_s / max(o.span_s, 1e-9):.0%}",
            f"{r['harness_cpu_s'] / max(o.span_s, 1e-9):.0%}",
        ])
    print(table(rows))
    print()
    print(f"updates: {args.updates} measured (+{args.warmup} warm-up), one chat each, "
          f"{args.concurrency} requests in flight, loopback only")
    print("product: webhook -> inbox (SQLite, temp file) -> dispatcher + answer engine (demo "
          "pack) -> outbox -> sender -> fake Bot API; sender limits lifted "
          "(per_chat_interval_s=0, global_per_second=10**9: no 30/s cap) to measure the pipeline")
    print(f"product processing: {args.workers} worker process(es), as 'ucc run --workers "
          f"{args.workers}'" if args.workers else "product processing: in the bot's process "
          "('ucc run', no workers)")
    if args.workers:
        print("  (bot CPU below counts the receiving and sending process, not the workers)")
    print("bare: aiogram Dispatcher + echo handler behind SimpleRequestHandler "
          "(handle_in_background) -> same fake")
    print("latency: request start -> first sendMessage to that chat at the fake (Call.at); "
          "updates/s = answered / (first request -> last reply)")
    print("CPU: share of one core used by each process over the measured span (bot = this "
          "process incl. its SQLite threads, counted with the warm-up; harness = fake + load "
          "client)")
    for o in (product, bare):
        bad = {k: v for k, v in o.result["statuses"].items() if int(k) != 200}
        if bad or o.result["warmup_missing"]:
            print(f"{o.label}: non-200 webhook answers {bad} "
                  f"(0 = connection error), warm-up missing {o.result['warmup_missing']}")
        print(f"{o.label}: sendMessage calls at the fake during the measured run "
              f"(warm-up included): {o.result['send_messages']}")
    print(f"product database: {'PostgreSQL' if args.postgres else 'SQLite'}, "
          f"{args.instances} instance(s)")
    if product.extra:
        print(f"product database after the run: inbox {product.extra.get('inbox')}, "
              f"outbox {product.extra.get('outbox')}")
    ratio = product.updates_per_s / bare.updates_per_s if bare.updates_per_s else 0.0
    met_rate = product.updates_per_s >= TARGET_UPDATES_PER_S
    met_ratio = ratio >= TARGET_RATIO
    print(f"goal: >= {TARGET_UPDATES_PER_S:.0f} updates/s: "
          f"{'met' if met_rate else 'MISSED'} ({product.updates_per_s:.0f}); "
          f">= 1/3 of the bare ceiling: {'met' if met_ratio else 'MISSED'} ({ratio:.2f})"
          + (" [profiled run: figures are slowed by cProfile]" if args.profile else ""))
    return {
        "updates": args.updates,
        "updates_per_s": round(product.updates_per_s, 1),
        "p50_ms": round(product.percentile_ms(50), 2),
        "p99_ms": round(product.percentile_ms(99), 2),
        "missing": int(product.result["missing"]),
        "bare_updates_per_s": round(bare.updates_per_s, 1),
        "bare_p50_ms": round(bare.percentile_ms(50), 2),
        "bare_p99_ms": round(bare.percentile_ms(99), 2),
        "ratio": round(ratio, 3),
        "database": "postgresql" if args.postgres else "sqlite",
        "instances": args.instances,
    }


def print_profile(profiler: cProfile.Profile, top: int) -> None:
    for key, title in (("tottime", "own time"), ("cumulative", "cumulative time")):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(key).print_stats(top)
        text = out.getvalue()
        start = text.find("   ncalls")
        print(f"--- product run, bot process main thread, top {top} by {title}")
        print(text[start:].rstrip() if start >= 0 else text.rstrip())
        print()


# --------------------------------------------------------------------- main


async def amain(args: argparse.Namespace, harness: Harness) -> dict[str, Any]:
    questions = questions_of(json.loads(DEMO_PACK.read_text(encoding="utf-8")))

    def load() -> Load:
        warm = build_updates(questions, 0, args.warmup, WARMUP_CHAT0, 1)
        measured = build_updates(questions, args.warmup, args.updates, CHAT0, args.warmup + 1)
        return Load(warm, measured, args.concurrency, args.timeout, args.stall,
                    instances=args.instances)

    profiler = cProfile.Profile() if args.profile else None
    with tempfile.TemporaryDirectory(prefix="bench-bot-") as tmp:
        product = await run_product(harness, load(), Path(tmp), profiler, args.workers,
                                    postgres=args.postgres)
    bare = await run_bare(harness, replace(load(), instances=1))
    if profiler is not None:
        print_profile(profiler, args.profile_top)
    return report(product, bare, args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=5000, help="measured updates (>= 1)")
    parser.add_argument("--concurrency", type=int, default=32, help="requests in flight")
    parser.add_argument("--warmup", type=int, default=100, help="unmeasured updates first")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds to wait for replies after the last request")
    parser.add_argument("--stall", type=float, default=15.0,
                        help="give up waiting when no new reply came for this many seconds")
    parser.add_argument("--workers", type=int, default=2,
                        help="process updates in N worker processes, as 'ucc run --workers N' "
                             "(default 2: this machine's cores; 0: all in the bot's process)")
    parser.add_argument("--postgres", nargs="?", const=os.environ.get(
        "UCC_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"), default=None,
        metavar="URL", help="the product on PostgreSQL (a fresh database on this server)")
    parser.add_argument("--instances", type=int, default=1,
                        help="bot instances sharing the base (the others as 'ucc run' "
                             "processes; the load is spread over their webhooks)")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the bot process during the product run")
    parser.add_argument("--profile-top", type=int, default=30)
    args = parser.parse_args(argv)
    if args.updates < 1 or args.concurrency < 1 or args.warmup < 0:
        parser.error("--updates and --concurrency must be >= 1, --warmup >= 0")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    context = multiprocessing.get_context("spawn")
    parent_end, child_end = context.Pipe()
    child = context.Process(target=harness_main, args=(child_end,), daemon=True)
    child.start()
    try:
        figures = asyncio.run(amain(args, Harness(parent_end)))
    finally:
        with contextlib.suppress(OSError, BrokenPipeError):
            parent_end.send(("stop",))
        child.join(10)
        if child.is_alive():
            child.terminate()
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
