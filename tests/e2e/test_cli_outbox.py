"""``ucc outbox list|retry``: operators see what did not get through and send it again;
agency staff see none of it (a message's address is a citizen's)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from bot.app import create_app
from bot.config import Settings
from knowledge import inbox, outbox
from knowledge.clock import SystemClock
from tests.e2e.conftest import Cli, describe
from tests.factories import pack, service

EXIT_OK, EXIT_INVALID = 0, 2


async def seed(database: Path) -> dict[str, int]:
    """A message sent, one given up, one of unknown fate, an update parked."""
    app = await create_app(Settings(database_url=f"sqlite+aiosqlite:///{database}",
                                    _env_file=None))  # type: ignore[call-arg]
    clock = SystemClock()
    try:
        async with app.uow() as uow:
            for chat in ("101", "102", "103"):
                outbox.enqueue(uow, outbox.Outgoing("telegram", chat, "sendMessage",
                                                    {"chat_id": int(chat), "text": "ИИН"}),
                               clock)
            await uow.commit()
        async with app.uow() as uow:
            sent, failed, uncertain = await outbox.due(uow, "telegram", clock.now())
            await outbox.mark_sent(uow, [(sent.id, "1")], clock)
            await outbox.mark_failed(uow, failed.id, "400: Bad Request: chat not found")
            for _send in range(2):
                await outbox.mark_uncertain(uow, uncertain.id, "network: TimeoutError", clock)
            await uow.commit()
        async with app.uow() as uow:
            await inbox.store(uow, "telegram", "77", {"update_id": 77}, clock)
        async with app.uow() as uow:
            [update] = await inbox.pending(uow)
            await inbox.park(uow, update.id, "invalid update: message.chat.id: int_type")
            await uow.commit()
    finally:
        await app.close()
    return {"sent": sent.id, "failed": failed.id, "uncertain": uncertain.id,
            "update": update.id}


def statuses(database: Path) -> dict[str, str]:
    with sqlite3.connect(database) as db:
        out = {f"message {i}": s for i, s in db.execute("SELECT id, status FROM outbox")}
        out |= {f"update {i}": s for i, s in db.execute("SELECT id, status FROM inbox")}
        return out


async def test_an_operator_lists_what_did_not_get_through_and_sends_it_again(
    cli: Cli, tmp_path: Path,
) -> None:
    assert cli("kb", "stats").returncode == EXIT_OK  # the base made
    ids = await seed(cli.database)
    listed = cli("outbox", "list")
    assert listed.returncode == EXIT_OK, describe(listed)
    lines = listed.stdout.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["message", f"#{ids['failed']}"], ["message", f"#{ids['uncertain']}"],
        ["update", f"#{ids['update']}"]]
    assert "failed" in lines[0] and "chat not found" in lines[0]
    assert "uncertain" in lines[1] and "parked" in lines[2]
    assert "ИИН" not in listed.stdout  # the texts are not shown

    # a delivered message is not sent again by a typo: refused whole, nothing changed
    before = statuses(cli.database)
    wrong = cli("outbox", "retry", str(ids["failed"]), str(ids["sent"]))
    assert wrong.returncode == EXIT_INVALID and f"#{ids['sent']}" in wrong.stderr
    assert statuses(cli.database) == before

    again = cli("outbox", "retry", "--all")
    assert again.returncode == EXIT_OK, describe(again)
    assert "2 message(s) to send again" in again.stdout
    updates = cli("outbox", "retry", "--updates", str(ids["update"]))
    assert updates.returncode == EXIT_OK, describe(updates)
    after = statuses(cli.database)
    assert after[f"message {ids['failed']}"] == after[f"message {ids['uncertain']}"] == "pending"
    assert after[f"message {ids['sent']}"] == "sent"
    assert after[f"update {ids['update']}"] == "received"
    assert cli("outbox", "list").stdout.strip() == "nothing failed, uncertain, held or parked"
    with sqlite3.connect(cli.database) as db:
        [(uncertain, attempts)] = db.execute(
            "SELECT uncertain, attempts FROM outbox WHERE id = ?", (ids["uncertain"],))
    assert (uncertain, attempts) == (0, 0)  # its policy counted afresh


async def test_agency_staff_may_neither_list_nor_retry(cli: Cli, tmp_path: Path) -> None:
    pack_file = tmp_path / "pack.json"
    pack_file.write_text(json.dumps(pack(service("00301002", "mvd")), ensure_ascii=False))
    assert cli("kb", "import", pack_file).returncode == EXIT_OK
    added = cli("users", "add", "Дана", "--role", "agency", "--agency", "mvd")
    assert added.returncode == EXIT_OK, describe(added)
    ids = await seed(cli.database)
    for argv in (("outbox", "list"), ("outbox", "retry", "--all"),
                 ("outbox", "retry", str(ids["failed"]))):
        result = cli(*argv, "--as", "Дана")
        assert result.returncode == EXIT_INVALID, describe(result)
        assert "only the contact center's staff" in result.stderr
        assert str(ids["failed"]) not in result.stdout
    assert statuses(cli.database)[f"message {ids['failed']}"] == "failed"
