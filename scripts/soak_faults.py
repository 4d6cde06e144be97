"""Soak under faults: one ``ucc run --webhook`` on the embedded SQLite default while its Bot
API fails, hangs, the process is killed and the database locked, on a schedule; loopback
only, not part of the test command. Prints what was lost, doubled and left uncertain.

This process is the fake Bot API (``tests/fakes/bot_api.py``) and a load generator that
posts webhook updates at ``--rate`` a second (questions in Kazakh and Russian from the demo
pack, greetings, /start; every 20th update delivered twice), each to a chat of its own, so
that each acknowledged update can be matched with the reply that reached its chat. Each
POST is repeated until it gets 200, as Telegram does. The schedule, in minutes of a
10-minute run (scaled to ``--minutes``):

- 1 to 4: the Bot API answers 502 to a share of sendMessage calls and holds some for 35 s,
  past the sender's 30 s request timeout (the send's fate is unknown: it did arrive);
- 5: ``kill -9`` of the bot, started again on the same database and port;
- 7: another connection holds SQLite's write lock for 10 s (``BEGIN IMMEDIATE``);

then the posting stops, the outbox drains (bounded) and the bot gets SIGTERM.

Lost is an acknowledged update whose chat got no reply (or whose reply the outbox does not
record as sent); duplicated is a reply the fake received more often than the outbox holds
it. A duplicate is explained by a send whose fate was unknown (the row's ``uncertain``
count, re-sent as the delivery policy allows) or by the kill: rows claimed by the killed
process are sent again after the restart, as the bot logs ("message(s) claimed before a
crash are sent again"). The run passes (exit 0) when nothing is lost, every update was
processed once and every duplicate is within those two counts.

    ./scripts/soak --faults [--minutes 10] [--rate 10] [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import socket
import sqlite3
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from bot.app import create_app  # noqa: E402
from bot.channels.telegram.receivers import SECRET_HEADER, WEBHOOK_PATH  # noqa: E402
from bot.channels.telegram.sender import REQUEST_TIMEOUT_S  # noqa: E402
from bot.config import Settings  # noqa: E402
from knowledge.pack.io import import_pack  # noqa: E402
from knowledge.pack.validate import parse_pack  # noqa: E402
from tests.fakes.bot_api import FakeBotAPI, command_update, message_update  # noqa: E402

HOST = "127.0.0.1"
SECRET = "soak-secret"
DEMO_PACK = ROOT / "knowledge" / "demo" / "demo-pack.json"
CHAT_BASE = 700_000_000  # update n comes from chat CHAT_BASE + n
UPDATE_BASE = 20_000_000
REDELIVER_EVERY = 20  # every 20th update is delivered twice, at once
FAIL_SHARE = 0.3  # of sendMessage calls answered 502 during the faults
HANG_SHARE = 0.02  # of sendMessage calls held past the sender's timeout
HANG_S = REQUEST_TIMEOUT_S + 5
LOCK_S = 10.0
POST_TIMEOUT_S = 30.0
POST_GIVE_UP_S = 300.0  # a POST is repeated until 200 for this long at most
DRAIN_S = 300.0  # the longest wait for the outbox to drain (a backoff reaches 5 minutes)
CRASH_LINE = re.compile(r"(\d+) message\(s\) claimed before a crash are sent again")


@dataclass(frozen=True, slots=True)
class Schedule:
    """The fault schedule of a 10-minute run, scaled to the run's length."""

    length_s: float

    def at(self, minute: float) -> float:
        return self.length_s * minute / 10

    @property
    def faults(self) -> tuple[float, float]:
        return self.at(1), self.at(4)

    @property
    def kill(self) -> float:
        return self.at(5)

    @property
    def lock(self) -> float:
        return self.at(7)


class BotProcess:
    """One ``ucc run --webhook`` on a fixed port, its log appended to one file."""

    def __init__(self, env: dict[str, str], base: str, log: TextIO) -> None:
        self.env = env
        self.base = base
        self.log = log
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--webhook", self.base, "--workers", "0",
            cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log)
        async with aiohttp.ClientSession() as http:
            for _ in range(600):
                if await serving(http, self.base + "/healthz"):
                    return
                await asyncio.sleep(0.1)
        raise RuntimeError("the bot did not come up")

    async def kill(self) -> None:
        """``kill -9``: no chance to settle what it was sending."""
        assert self.process is not None
        self.process.kill()
        await self.process.wait()

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def terminate(self) -> int | None:
        """A graceful stop; its exit code (None when it did not stop within a minute).
        One that died on its own answers with the code it died with."""
        if self.process is None:
            return None
        if self.process.returncode is not None:
            return self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.process.wait(), 60)
        except TimeoutError:
            return None

    async def ensure_stopped(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()


async def serving(http: aiohttp.ClientSession, url: str) -> bool:
    """Any answer will do: /healthz says 503 while the outbox lags, which it may."""
    try:
        async with http.get(url) as response:
            return response.status > 0
    except aiohttp.ClientError:
        return False


def demo_questions() -> list[tuple[str, str]]:
    pack = json.loads(DEMO_PACK.read_text(encoding="utf-8"))
    return [(lang, q) for s in pack["services"] for e in s["faq"]
            for lang in ("kk", "ru") for q in e["questions"].get(lang, [])]


def make_update(n: int, rng: random.Random, questions: list[tuple[str, str]]) -> dict[str, Any]:
    """Update n: mostly a question, some /start and greetings, from a chat of its own."""
    chat = CHAT_BASE + n
    roll = rng.random()
    if roll < 0.8:
        lang, text = rng.choice(questions)
        update = message_update(chat, text, language_code=lang)
    elif roll < 0.9:
        update = command_update(chat, "/start", language_code=rng.choice(["kk", "ru"]))
    else:
        update = message_update(chat, rng.choice(["сәлем", "привет", "рахмет", "спасибо"]),
                                language_code=rng.choice(["kk", "ru"]))
    return {**update, "update_id": UPDATE_BASE + n}


@dataclass
class Load:
    """The load generator's account: what was posted and what the webhook acknowledged."""

    url: str
    posted: dict[int, int] = field(default_factory=dict)  # update_id -> chat
    acknowledged: set[int] = field(default_factory=set)
    abandoned: set[int] = field(default_factory=set)
    requests: int = 0
    refused: int = 0  # answered other than 200, or not answered: posted again
    redelivered: int = 0

    async def post(self, http: aiohttp.ClientSession, update: dict[str, Any]) -> None:
        """Post until 200, as Telegram repeats a webhook delivery that failed."""
        update_id = int(update["update_id"])
        give_up = time.monotonic() + POST_GIVE_UP_S
        while time.monotonic() < give_up:
            self.requests += 1
            try:
                async with http.post(self.url, json=update, headers={SECRET_HEADER: SECRET},
                                     timeout=aiohttp.ClientTimeout(total=POST_TIMEOUT_S)) as r:
                    if r.status == 200:
                        self.acknowledged.add(update_id)
                        return
            except (aiohttp.ClientError, TimeoutError):
                pass
            self.refused += 1
            await asyncio.sleep(0.5)
        self.abandoned.add(update_id)


class Faults:
    """Scripts the fake: a share of the sendMessage calls that arrived in the last second
    is owed as 502s and hangs for the next ones (the fake fails the next calls, in order)."""

    def __init__(self, fake: FakeBotAPI) -> None:
        self.fake = fake
        self.seen = 0
        self.owed_fail = 0.0
        self.owed_hang = 0.0
        self.failed = 0
        self.hung = 0

    def tick(self) -> None:
        calls = self.fake.calls
        arrived = sum(1 for call in calls[self.seen:] if call.is_("sendMessage"))
        self.seen = len(calls)
        self.owed_fail += arrived * FAIL_SHARE
        self.owed_hang += arrived * HANG_SHARE
        if (fail := int(self.owed_fail)) > 0:
            self.fake.fail_next("sendMessage", status=502, times=fail)
            self.owed_fail -= fail
            self.failed += fail
        if (hang := int(self.owed_hang)) > 0:
            self.fake.hang_next("sendMessage", HANG_S, times=hang)
            self.owed_hang -= hang
            self.hung += hang


def hold_write_lock(path: Path, seconds: float) -> float:
    """Hold SQLite's write lock from another connection; how long taking it waited."""
    connection = sqlite3.connect(path, timeout=60, isolation_level=None)
    try:
        asked = time.monotonic()
        connection.execute("BEGIN IMMEDIATE")
        waited = time.monotonic() - asked
        time.sleep(seconds)
        connection.execute("COMMIT")
        return waited
    finally:
        connection.close()


def read_db(path: Path, query: str) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return connection.execute(query).fetchall()
    finally:
        connection.close()


def backlog(path: Path) -> tuple[int, int]:
    """Updates waiting to be processed, replies waiting to be sent."""
    [(received,)] = read_db(path, "SELECT count(*) FROM inbox WHERE status = 'received'")
    [(pending,)] = read_db(path, "SELECT count(*) FROM outbox WHERE status = 'pending'")
    return int(received), int(pending)


async def drain(path: Path, bot: BotProcess) -> float:
    """Wait (bounded) until every update is processed and every reply settled."""
    started = time.monotonic()
    while time.monotonic() - started < DRAIN_S and bot.alive and any(backlog(path)):
        await asyncio.sleep(1.0)
    return round(time.monotonic() - started, 1)


@dataclass
class Soak:
    """One run: the bot, the fake, the load and the schedule, with a log of what happened."""

    args: argparse.Namespace
    db: Path
    bot: BotProcess
    fake: FakeBotAPI
    load: Load
    faults: Faults
    started: float = field(default_factory=time.monotonic)
    killed_at: float = 0.0
    events: list[dict[str, Any]] = field(default_factory=list)

    def event(self, what: str, **figures: Any) -> None:
        self.events.append({"t_s": round(time.monotonic() - self.started, 1), "event": what,
                            **figures})
        print(json.dumps(self.events[-1], ensure_ascii=False), flush=True)

    async def kill_and_restart(self) -> None:
        await self.bot.kill()
        self.event("killed (SIGKILL)")
        await self.bot.start()
        self.event("started again")

    async def hold_lock(self) -> None:
        self.event("write lock taken by another connection")
        waited = await asyncio.to_thread(hold_write_lock, self.db, LOCK_S)
        self.event("write lock released", waited_to_take_s=round(waited, 2))

    async def traffic(self) -> None:
        """Post at a steady rate through the fault schedule."""
        schedule = Schedule(self.args.minutes * 60)
        rng = random.Random(7)
        questions = demo_questions()
        pending: set[asyncio.Task[Any]] = set()
        killed = locked = faults_on = False
        owed = 0.0
        n = 0
        next_fault_tick = next_sample = self.started
        fault_from, fault_until = schedule.faults

        def spawn(coroutine: Any) -> None:
            task = asyncio.create_task(coroutine)
            pending.add(task)
            task.add_done_callback(pending.discard)

        async with aiohttp.ClientSession() as http:
            while (now := time.monotonic()) - self.started < schedule.length_s:
                elapsed = now - self.started
                owed += self.args.rate / 10
                while owed >= 1:
                    owed -= 1
                    n += 1
                    update = make_update(n, rng, questions)
                    self.load.posted[int(update["update_id"])] = CHAT_BASE + n
                    spawn(self.load.post(http, update))
                    if n % REDELIVER_EVERY == 0:
                        self.load.redelivered += 1
                        spawn(self.load.post(http, update))
                in_window = fault_from <= elapsed < fault_until
                if in_window != faults_on:
                    faults_on = in_window
                    self.event("Bot API faults on" if in_window else "Bot API faults off")
                if faults_on and now >= next_fault_tick:
                    self.faults.tick()
                    next_fault_tick = now + 1.0
                if not killed and elapsed >= schedule.kill:
                    killed, self.killed_at = True, now
                    spawn(self.kill_and_restart())
                if not locked and elapsed >= schedule.lock:
                    locked = True
                    spawn(self.hold_lock())
                if now >= next_sample:
                    received, waiting = backlog(self.db)
                    self.event("sample", posted=n, acknowledged=len(self.load.acknowledged),
                               inbox_waiting=received, outbox_pending=waiting,
                               sends_ok=len(self.fake.sent_messages()))
                    next_sample = now + self.args.sample
                await asyncio.sleep(max(0.1 - (time.monotonic() - now), 0))
            await asyncio.gather(*pending, return_exceptions=True)


async def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    db = workdir / "ucc.sqlite3"
    url = f"sqlite+aiosqlite:///{db}"
    settings = Settings(database_url=url, _env_file=None)  # type: ignore[call-arg]
    app = await create_app(settings)
    async with app.uow() as uow:
        await import_pack(uow, parse_pack(DEMO_PACK.read_bytes()), draft=False)
    await app.close()

    fake = FakeBotAPI()
    await fake.start()
    port = free_port()
    base = f"http://{HOST}:{port}"
    env = {key: value for key, value in os.environ.items()
           if key not in ("UCC_REDIS_URL", "UCC_DATABASE_URL")}
    env.update({"UCC_DATABASE_URL": url, "UCC_TELEGRAM_TOKEN": fake.token,
                "UCC_TELEGRAM_API_URL": fake.base_url, "UCC_WEBHOOK_SECRET": SECRET,
                "UCC_HTTP_HOST": HOST, "UCC_HTTP_PORT": str(port)})
    log_path = workdir / "bot.log"
    with log_path.open("a", encoding="utf-8") as log:
        bot = BotProcess(env, base, log)
        soak = Soak(args, db, bot, fake, Load(base + WEBHOOK_PATH), Faults(fake))
        try:
            await bot.start()
            soak.started = time.monotonic()
            await soak.traffic()
            soak.event("posting stopped", posted=len(soak.load.posted),
                       acknowledged=len(soak.load.acknowledged))
            drained_s = await drain(db, bot)
            soak.event("drained" if not any(backlog(db)) else "not drained",
                       waited_s=drained_s)
            exit_code = await bot.terminate()
            soak.event("stopped", exit_code=exit_code)
        finally:
            await bot.ensure_stopped()
            await fake.stop()
    log_text = log_path.read_text(encoding="utf-8", errors="replace")
    result = account(db, fake, soak.load, soak.killed_at, log_text)
    return {"minutes": args.minutes, "rate_per_s": args.rate,
            "faults": {"scripted_502": soak.faults.failed,
                       "scripted_hangs": soak.faults.hung, "hang_s": HANG_S,
                       "lock_s": LOCK_S},
            **result, "exit_code": exit_code, "events": soak.events}


def account(db: Path, fake: FakeBotAPI, load: Load, killed_at: float,
            log_text: str) -> dict[str, Any]:
    """Match every acknowledged update with the reply that reached its chat, and every
    reply the fake received with the outbox row it came from."""
    inbox = dict(read_db(db, "SELECT status, count(*) FROM inbox GROUP BY status"))
    stored = {int(external_id) for (external_id,) in read_db(
        db, "SELECT external_id FROM inbox WHERE channel = 'telegram'")}
    outbox_status = dict(read_db(db, "SELECT status, count(*) FROM outbox GROUP BY status"))
    rows = read_db(db, "SELECT address, payload, status, uncertain, attempts FROM outbox "
                       "WHERE method = 'sendMessage' ORDER BY id")
    copies: Counter[tuple[str, str]] = Counter()
    arrivals: dict[tuple[str, str], list[float]] = defaultdict(list)
    for call in fake.sent_messages():
        key = (str(call.params.get("chat_id")), str(call.params.get("text")))
        copies[key] += 1
        arrivals[key].append(call.at)

    held: Counter[tuple[str, str]] = Counter()  # outbox rows of each (chat, text)
    attempts: dict[tuple[str, str], list[int]] = defaultdict(list)
    uncertain_keys: set[tuple[str, str]] = set()
    confirmed_chats: set[str] = set()  # a row 'sent' and the fake has it
    reached_chats: set[str] = set()  # the fake has a reply of the chat's
    uncertain_rows = uncertain_resends = 0
    for address, payload, status, uncertain, tries in rows:
        text = json.loads(payload).get("text")
        key = (str(address), str(text))
        held[key] += 1
        attempts[key].append(int(tries))
        if copies[key]:
            reached_chats.add(key[0])
            if status == "sent":
                confirmed_chats.add(key[0])
        if uncertain or status == "uncertain":
            uncertain_rows += 1
            uncertain_keys.add(key)
            # each send after one whose fate was unknown is a re-send
            uncertain_resends += uncertain if status == "sent" else max(uncertain - 1, 0)

    duplicated: dict[str, list[dict[str, Any]]] = {"uncertain": [], "crash": [],
                                                   "unexplained": []}
    for key, count in copies.items():
        extra = count - held[key]
        if extra <= 0:
            continue
        times = arrivals[key]
        if key in uncertain_keys:
            cause = "uncertain"
        elif killed_at and min(times) < killed_at <= max(times):
            cause = "crash"
        else:
            cause = "unexplained"
        # a row that had failed before its claim (attempts > 1) is not released at the
        # restart, so the bot's log line does not count it: it goes after the lease
        duplicated[cause].append({"chat": key[0], "copies": count, "rows": held[key],
                                  "attempts": attempts[key], "text": key[1][:60]})
    orphans = sum(max(count - held[key], 0) for key, count in copies.items() if not held[key])

    acknowledged = load.acknowledged
    chats = {load.posted[u] for u in acknowledged}
    answered = {c for c in chats if str(c) in confirmed_chats}
    reached_uncertain = {c for c in chats if str(c) in reached_chats} - answered
    lost = sorted(chats - answered - reached_uncertain)
    crash_resends = sum(int(m) for m in CRASH_LINE.findall(log_text))
    duplicates = sum(d["copies"] - d["rows"] for group in duplicated.values() for d in group)
    return {
        "updates_posted": len(load.posted), "posts_with_retries": load.requests,
        "posts_refused_or_unanswered": load.refused,
        "redelivered_twice": load.redelivered, "acknowledged": len(acknowledged),
        "abandoned": len(load.abandoned),
        "acknowledged_not_stored": len(acknowledged - stored),
        "inbox": inbox, "outbox": outbox_status,
        "replies_expected": sum(held[k] for k in held if int(k[0]) in chats),
        "replies_delivered": len(fake.sent_messages()),
        "updates_answered": len(answered),
        "updates_reached_but_left_uncertain": len(reached_uncertain),
        "lost": len(lost), "lost_chats": lost[:20],
        "uncertain_rows": uncertain_rows, "uncertain_resends": uncertain_resends,
        "resent_after_crash_logged": crash_resends,
        "duplicated": duplicates,
        "duplicated_by_uncertain": sum(d["copies"] - d["rows"] for d in duplicated["uncertain"]),
        "duplicated_after_crash": sum(d["copies"] - d["rows"] for d in duplicated["crash"]),
        "duplicated_unexplained": sum(d["copies"] - d["rows"]
                                      for d in duplicated["unexplained"]),
        "duplicates": duplicated, "replies_matching_no_row": orphans,
        "errors_in_log": sum(1 for line in log_text.splitlines() if " ERROR " in line
                             or line.startswith("Traceback")),
    }


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def passed(result: dict[str, Any]) -> bool:
    """Nothing lost, every update processed once, no duplicate beyond the counted ones."""
    inbox = result["inbox"]
    processed_once = (not inbox.get("received") and not result["acknowledged_not_stored"]
                      and result["acknowledged"] == result["updates_posted"])
    allowed = result["uncertain_resends"] + result["resent_after_crash_logged"]
    return (result["lost"] == 0 and processed_once and not result["outbox"].get("pending")
            and not result["duplicated_unexplained"] and result["duplicated"] <= allowed
            and result["exit_code"] == 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=10.0, help="updates a second")
    parser.add_argument("--sample", type=float, default=10.0, help="seconds between samples")
    parser.add_argument("--json", type=Path, help="write the report here too")
    parser.add_argument("--keep", action="store_true",
                        help="keep the database and the bot's log (their folder is printed)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="ucc-soak-faults-"))
    result = asyncio.run(run(args, workdir))
    result["passed"] = passed(result)
    report = json.dumps(result, ensure_ascii=False)
    print(report)
    if args.json:
        args.json.write_text(report + "\n", encoding="utf-8")
    if args.keep:
        print(f"database and log kept in {workdir}", file=sys.stderr)
    else:
        for path in sorted(workdir.iterdir()):
            path.unlink()
        workdir.rmdir()
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
