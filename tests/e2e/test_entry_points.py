"""The real entry points, as a shell runs them: ``python -m bot`` and the ``ucc`` script,
their exit status and where their output goes. Everything else drives ``bot.cli.main`` in
the test's process; these are the few that need a process of their own."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from aiohttp import ClientSession

from tests.conftest import SHARED_DEMO_PACK, copy_sqlite
from tests.e2e.conftest import describe
from tests.e2e.processes import wait_healthy
from tests.e2e.telegram_fixtures import free_port, post_update
from tests.fakes.bot_api import FakeBotAPI, message_update

UCC = Path(sys.executable).with_name("ucc")
TIMEOUT_S = 60


def run(*argv: str | Path, cwd: Path, python_flags: tuple[str, ...] = ()
        ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "UCC_DATABASE_URL": f"sqlite+aiosqlite:///{cwd / 'ucc.sqlite3'}"}
    return subprocess.run([sys.executable, *python_flags, "-m", "bot", *map(str, argv)],
                          capture_output=True, text=True, encoding="utf-8", env=env, cwd=cwd,
                          timeout=TIMEOUT_S, check=False)


def test_a_command_that_does_not_talk_to_telegram_never_imports_aiogram(tmp_path: Path) -> None:
    result = run("kb", "validate", SHARED_DEMO_PACK, cwd=tmp_path, python_flags=("-X",
                                                                                "importtime"))
    assert result.returncode == 0, describe(result)
    assert ": valid (" in result.stdout
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()
                if line.startswith("import time:")]
    assert "bot.app" in imported  # the timing did list the imports
    assert not [name for name in imported if name.startswith("aiogram")]


def test_invalid_input_exits_2_with_the_problems_on_stderr_and_no_traceback(
    tmp_path: Path,
) -> None:
    (tmp_path / "bad.json").write_text("{\n  \"format\": 1,\n", encoding="utf-8")
    result = run("kb", "validate", tmp_path / "bad.json", cwd=tmp_path)
    assert result.returncode == 2, describe(result)
    assert result.stdout == ""
    assert "line" in result.stderr and "Traceback" not in result.stderr


def test_a_command_line_mistake_exits_2_with_the_usage(tmp_path: Path) -> None:
    result = run("kb", "no-such-command", cwd=tmp_path)
    assert result.returncode == 2, describe(result)
    assert "usage: ucc kb" in result.stderr and "Traceback" not in result.stderr


def test_the_ucc_script_answers_help_with_every_command_group(tmp_path: Path) -> None:
    result = subprocess.run([UCC, "--help"], capture_output=True, text=True, cwd=tmp_path,
                            timeout=TIMEOUT_S, check=False)
    assert result.returncode == 0, describe(result)
    for group in ("kb", "ask", "run", "escalations", "onboarding", "complaints", "status"):
        assert group in result.stdout


SECRET = "entry-Secret_1414"
IIN_WRITTEN = ("880101 300123", "880101300123", "8801-0130-0123")
FORGED = "2026-12-07 07:00:00,000 ERROR bot.admin every staff member removed"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc/<pid>/environ")
async def test_ucc_run_restarts_in_place_logs_nothing_secret_and_stops_on_sigterm(
    tmp_path: Path, demo_base: Path,
) -> None:
    """``ucc run`` re-executes itself (same pid) with PYTHONMALLOC=malloc and serves. Its
    own log output, at DEBUG (the SQL and its parameters: citizens' raw messages), shows no
    IIN however written, no token, no secret, and no line a citizen's text forged. It exits
    0 on SIGTERM."""
    copy_sqlite(demo_base, tmp_path / "ucc.sqlite3")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    environ = {key: value for key, value in os.environ.items() if key != "PYTHONMALLOC"}
    async with FakeBotAPI(poll_cap=0.1) as fake, ClientSession() as http:
        env = {**environ, "UCC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'ucc.sqlite3'}",
               "UCC_TELEGRAM_TOKEN": fake.token, "UCC_TELEGRAM_API_URL": fake.base_url,
               "UCC_WEBHOOK_SECRET": SECRET, "UCC_HTTP_PORT": str(port),
               "UCC_LOG_LEVEL": "DEBUG"}
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--webhook", base,
            env=env, cwd=tmp_path, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE)
        assert bot.stderr is not None
        reading = asyncio.create_task(bot.stderr.read())  # read as it comes: a full pipe blocks
        try:
            await wait_healthy(http, base)
            restarted = Path(f"/proc/{bot.pid}/environ").read_bytes().split(b"\0")
            assert b"PYTHONMALLOC=malloc" in restarted
            assert fake.calls_of("setWebhook")
            texts = [f"Мой ИИН {iin}, какой статус?" for iin in IIN_WRITTEN]
            texts.append(f"Сколько стоит паспорт?\r\n{FORGED}\nи ещё")
            for n, text in enumerate(texts, 1):
                update = {"update_id": 5000 + n, **message_update(790_100 + n, text,
                                                                  language_code="ru")}
                assert await post_update(http, base, update, SECRET) == 200
            await fake.wait_for("sendMessage", len(texts), timeout=30)
            bot.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(bot.wait(), TIMEOUT_S) == 0
        finally:
            if bot.returncode is None:
                bot.kill()
                await bot.wait()
        logged = (await reading).decode()
    assert "88********23" in logged  # the messages did reach the log, masked
    for iin in IIN_WRITTEN:
        assert iin not in logged
    assert fake.token not in logged and SECRET not in logged
    assert not [line for line in logged.splitlines() if line.startswith(FORGED)]
    assert "Traceback" not in logged
