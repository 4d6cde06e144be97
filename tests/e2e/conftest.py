"""End-to-end helpers: the ``ucc`` command run in-process on a private database,
and the Telegram bot on a fresh base driven over HTTP by the fake Bot API."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import io
import json
import logging
import os
import subprocess
import sys
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.app import create_app
from bot.cli import main
from bot.config import Settings
from bot.logs import mask_records
from bot.runners.sms import SmsRuntime, gateway_from
from bot.runners.telegram import create_bot
from knowledge.pack.io import import_pack
from knowledge.pack.validate import parse_pack
from tests.conftest import PRODUCT_DEMO_PACK, copy_sqlite
from tests.e2e.processes import warm_up
from tests.e2e.sms_fixtures import PATH_TOKEN, SmsHarness
from tests.e2e.telegram_fixtures import WEBHOOK_SECRET, Harness, free_port, wire_problems
from tests.fakes import jasmin as jasmin_fake
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.jasmin import FakeJasmin

MakeHarness = Callable[..., Awaitable[Harness]]

@dataclass(frozen=True, slots=True)
class Cli:
    """Runs ``ucc ...`` in this process (``bot.cli.main(argv)``) in ``cwd`` (so no .env is
    read) against ``database``, its input, output and exit status captured as a
    subprocess's would be. ``tests/e2e/test_entry_points.py`` runs the real processes."""

    cwd: Path
    database: Path

    def __call__(
        self, *args: str | Path, stdin: str | None = None, database: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        db = database or self.database
        argv = [str(a) for a in args]
        return run_in_process(argv, stdin=stdin, cwd=self.cwd,
                              env={"UCC_DATABASE_URL": f"sqlite+aiosqlite:///{db}"})


def run_in_process(
    argv: list[str], *, stdin: str | None, cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """``ucc argv`` as ``main`` runs it, with ``env`` over the environment: the exit status,
    and what it wrote to stdout and stderr (an uncaught exception's traceback included)."""
    out, err = io.StringIO(), io.StringIO()
    saved_env = {key: os.environ.get(key) for key in env}
    saved_cwd = Path.cwd()
    os.environ.update(env)
    os.chdir(cwd)
    try:
        with (contextlib.redirect_stdout(out), contextlib.redirect_stderr(err),
              _stdin(stdin)):
            code = _main_off_the_loop(argv)
    finally:
        os.chdir(saved_cwd)
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return subprocess.CompletedProcess(["ucc", *argv], code, out.getvalue(), err.getvalue())


def _main(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exit_:  # argparse: usage errors, --help
        return exit_.code if isinstance(exit_.code, int) else 1
    except Exception:  # noqa: BLE001 - a crash is what a subprocess would print
        traceback.print_exc()
        return 1


def _main_off_the_loop(argv: list[str]) -> int:
    """``main`` runs its own event loop: from an async test, in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _main(argv)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(_main, argv).result()


@contextlib.contextmanager
def _stdin(text: str | None) -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = io.StringIO(text or "")
    try:
        yield
    finally:
        sys.stdin = saved


def describe(result: subprocess.CompletedProcess[str]) -> str:
    """Everything a failed assertion should show about a run."""
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


def ok(cli: Cli, *args: str | Path) -> str:
    """Run a command that must succeed; its output."""
    result = cli(*args)
    assert result.returncode == 0, describe(result)
    return result.stdout


def refused(cli: Cli, *args: str | Path) -> str:
    """Run a command that must be refused (exit 2); what it said."""
    result = cli(*args)
    assert result.returncode == 2, describe(result)  # noqa: PLR2004 - the CLI's "invalid"
    return result.stderr


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """The command line on an empty (freshly migrated on first use) database."""
    return Cli(cwd=tmp_path, database=tmp_path / "ucc.sqlite3")


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the product demo pack imported, made once through the CLI itself."""
    folder = tmp_path_factory.mktemp("seeded")
    runner = Cli(cwd=folder, database=folder / "template.sqlite3")
    result = runner("kb", "import", PRODUCT_DEMO_PACK)
    assert result.returncode == 0, describe(result)
    return runner.database


@pytest.fixture
def seeded_cli(cli: Cli, seeded_template: Path) -> Cli:
    """The command line on a private copy of the seeded database."""
    copy_sqlite(seeded_template, cli.database)
    return cli


@pytest.fixture(scope="session")
def product_pack() -> dict[str, Any]:
    return json.loads(PRODUCT_DEMO_PACK.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def product_answers(product_pack: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Entry id -> its answer by language."""
    return {e["id"]: e["answer"] for s in product_pack["services"] for e in s["faq"]}


@pytest.fixture(scope="session")
def entry_by_title(product_pack: dict[str, Any]) -> Callable[[str, str], str | None]:
    """The entry whose first question in ``lang`` (or the other language) is ``title``."""

    def find(title: str, lang: str) -> str | None:
        other = "ru" if lang == "kk" else "kk"
        for service in product_pack["services"]:
            for entry in service["faq"]:
                questions = entry["questions"]
                first = (questions.get(lang) or questions.get(other) or [None])[0]
                if first == title:
                    return str(entry["id"])
        return None

    return find


# ---- Telegram: the bot on a fresh base, driven over HTTP by the fake Bot API

@pytest.fixture
async def fake() -> AsyncIterator[FakeBotAPI]:
    # a short long-poll keeps stopping the polling bot quick
    async with FakeBotAPI(poll_cap=0.1) as server:
        yield server


@pytest.fixture(scope="session")
def demo_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated base with the product demo pack imported, made once and copied per test."""
    path = tmp_path_factory.mktemp("telegram") / "demo.sqlite3"

    async def build() -> None:
        app = await create_app(Settings(database_url=f"sqlite+aiosqlite:///{path}",
                                        _env_file=None))  # type: ignore[call-arg]
        try:
            async with app.uow() as uow:
                await import_pack(uow, parse_pack(PRODUCT_DEMO_PACK.read_bytes()), draft=False)
        finally:
            await app.close()

    asyncio.run(build())
    return path


@pytest.fixture
async def make_harness(
    fake: FakeBotAPI, tmp_path: Path, demo_base: Path
) -> AsyncIterator[MakeHarness]:
    """Builds the bot on a fresh base (the product demo pack, or ``pack_doc``).

    Flood control is off (``flood_messages=1000``) unless a test sets it: a whole scripted
    conversation from one chat takes less than the real flood window. A webhook bot gets a
    free port and a secret.
    """
    made: list[Harness] = []

    async def make(
        *, receiver: str = "steps", pack_doc: dict[str, Any] | None = None, **overrides: Any
    ) -> Harness:
        path = tmp_path / f"ucc-{len(made)}.sqlite3"
        if pack_doc is None:
            copy_sqlite(demo_base, path)
        options: dict[str, Any] = {"flood_messages": 1000, "http_port": free_port(),
                                   "webhook_secret": WEBHOOK_SECRET, **overrides}
        settings = Settings(database_url=f"sqlite+aiosqlite:///{path}", _env_file=None,
                            **options)  # type: ignore[call-arg]
        app = await create_app(settings)
        if pack_doc is not None:
            async with app.uow() as uow:
                await import_pack(uow, parse_pack(json.dumps(pack_doc)), draft=False)
        harness = Harness(fake, app, create_bot(fake.token, fake.base_url), receiver=receiver)
        made.append(harness)
        return harness

    yield make
    for harness in made:
        await harness.close()
    # Whatever a test did: Telegram's limits held and no pending update was ever dropped.
    assert wire_problems(fake.calls) == []


@pytest.fixture
async def harness(make_harness: MakeHarness) -> Harness:
    return await make_harness()


# ---- SMS: the bot's SMS channel on a fresh base, driven over HTTP by the fake Jasmin

@pytest.fixture
async def jasmin() -> AsyncIterator[FakeJasmin]:
    async with FakeJasmin() as server:
        yield server


MakeSms = Callable[..., Awaitable[SmsHarness]]


@pytest.fixture
async def make_sms(
    jasmin: FakeJasmin, tmp_path: Path, demo_base: Path
) -> AsyncIterator[MakeSms]:
    """Builds and starts the SMS channel (Jasmin) on a copy of the demo base."""
    made: list[SmsHarness] = []

    async def make(*, alone: bool = False, **overrides: Any) -> SmsHarness:
        """``alone``: as ``ucc run`` with SMS and no Telegram (the jobs run here too)."""
        path = tmp_path / f"sms-{len(made)}.sqlite3"
        copy_sqlite(demo_base, path)
        options: dict[str, Any] = {
            "sms_gateway": "jasmin", "jasmin_url": jasmin.base_url,
            "jasmin_user": jasmin_fake.USERNAME, "jasmin_password": jasmin_fake.PASSWORD,
            "sms_path_token": PATH_TOKEN, "http_port": free_port(), **overrides}
        settings = Settings(database_url=f"sqlite+aiosqlite:///{path}", _env_file=None,
                            **options)  # type: ignore[call-arg]
        app = await create_app(settings)
        harness = SmsHarness(jasmin, app)
        made.append(harness)
        gateway = gateway_from(settings)
        assert gateway is not None
        await harness.start(SmsRuntime(app, gateway, alone=alone))
        return harness

    yield make
    for harness in made:
        await harness.close()


@pytest.fixture
async def sms(make_sms: MakeSms) -> SmsHarness:
    return await make_sms()


# ---- real processes, forked from a server that imported the bot once


@pytest.fixture(scope="session")
def fork_server() -> None:
    """Start the fork server of ``tests.e2e.processes`` (a few seconds, once per worker)."""
    warm_up()


# ---- logs

@pytest.fixture
def records() -> Iterator[list[logging.LogRecord]]:
    """Every log record of the test, from every logger, at every level."""
    captured: list[logging.LogRecord] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            captured.append(record)

    handler, root = Capture(logging.DEBUG), logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield captured
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@pytest.fixture
def masked_records(records: list[logging.LogRecord]) -> Iterator[list[logging.LogRecord]]:
    """Every log record of the test as ``ucc run`` makes them: masked when made (its
    ``configure_logging``), so whatever handler gets them."""
    undo = mask_records()
    try:
        yield records
    finally:
        undo()
