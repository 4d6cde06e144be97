"""The escalation queue from the terminal, end to end: an agency answers its question, the
citizen's reply is queued, the answer is curated into the base and answers the next time;
refusals make a notice; the monthly report is written; agencies stay behind their walls."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import create_app
from bot.cli import main
from bot.config import Settings
from knowledge.citizens import citizen_for
from knowledge.clock import Clock, FixedClock, SystemClock
from knowledge.escalations import open_escalation, refuse
from knowledge.pack.io import import_pack
from knowledge.staff import Actor, Role, add_staff
from tests.e2e.conftest import Cli, ok, refused
from tests.escalation_helpers import clock_at, seed
from tests.escalation_helpers import escalate as escalate_at
from tests.factories import pack, service

EXIT_OK, EXIT_INVALID = 0, 2
PASSPORT = "00301002"
QUESTION = "Можно ли оформить паспорт без постоянной регистрации?"


NAMED = ("--name-kk", "Балық аулауға рұқсат", "--name-ru", "Разрешение на рыбалку")
# "Today" for the tests that date steps: Tuesday 15 December 2026 in Kazakhstan.
TODAY = FixedClock(datetime(2026, 12, 15, 6, 0, tzinfo=UTC))


@pytest.fixture
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> FixedClock:
    """The command line's clock (``create_app``'s default) stopped at ``TODAY``."""
    monkeypatch.setattr("bot.app.SystemClock", lambda: TODAY)
    return TODAY


async def escalate(database: Path, text: str, chat: int, clock: Clock | None = None) -> str:
    """A citizen's question passed to a person (as the bot does in a conversation)."""
    clock = clock or SystemClock()
    app = await create_app(Settings(database_url=f"sqlite+aiosqlite:///{database}",
                                    _env_file=None))  # type: ignore[call-arg]
    try:
        async with app.uow() as uow:
            citizen = await citizen_for(uow, "telegram", str(chat), clock)
            reference = await open_escalation(uow, citizen, text, lang="ru", candidates=(),
                                              register_no=PASSPORT, clock=clock)
            await uow.commit()
    finally:
        await app.close()
    return reference


def telegram_texts(database: Path, chat: int) -> list[str]:
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT payload FROM outbox WHERE channel = 'telegram' AND "
                          "address = ?", (str(chat),))
        return [json.loads(payload)["text"] for (payload,) in rows]


def emails(database: Path) -> list[tuple[str, list[str]]]:
    """The queued letters: address and attached file names."""
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT address, payload FROM outbox WHERE channel = 'email' "
                          "ORDER BY id")
        return [(address, [f["filename"] for f in json.loads(payload)["attachments"]])
                for address, payload in rows]


async def test_an_agency_answer_reaches_the_citizen_and_the_base_through_the_cli(
    cli: Cli, tmp_path: Path,
) -> None:
    pack_file = tmp_path / "pack.json"
    pack_file.write_text(json.dumps(pack(service(PASSPORT, "mvd")), ensure_ascii=False))
    ok(cli, "kb", "import", pack_file)
    ok(cli, "users", "add", "Дана", "--role", "agency", "--agency", "mvd",
       "--telegram-id", "5001")
    ok(cli, "users", "add", "Ержан", "--role", "agency", "--agency", "mju",
       "--telegram-id", "5002")
    ref = await escalate(cli.database, QUESTION, 777)

    assert "the queue is empty" in ok(cli, "escalations", "queue", "--as", "Ержан")
    assert "another agency" in refused(cli, "escalations", "show", ref, "--as", "Ержан")
    assert "another agency" in refused(cli, "escalations", "answer", ref, "--ru", "x",
                                       "--as", "Ержан")
    assert "another agency" in refused(cli, "escalations", "export", "--agency", "mvd",
                                       "--as", "Ержан")
    assert ref in ok(cli, "escalations", "queue", "--as", "Дана")
    assert "taken by agency:Дана" in ok(cli, "escalations", "take", ref, "--as", "Дана")
    out = ok(cli, "escalations", "answer", ref, "--ru", "Да, по месту пребывания.",
             "--as", "Дана")
    assert "1 message(s) to citizens queued" in out
    [text] = telegram_texts(cli.database, 777)
    assert ref in text and "Да, по месту пребывания." in text
    assert ref in ok(cli, "escalations", "list", "--agency", "mvd", "--status", "answered")

    listing = ok(cli, "curation", "list")
    assert "#1 open" in listing and ref in listing
    assert "kk is missing" in refused(cli, "curation", "propose", "1")
    out = ok(cli, "curation", "propose", "1",
             "--question-kk", "Тұрақты тіркеусіз төлқұжат алуға бола ма?",
             "--answer-kk", "Иә, уақытша тұратын жері бойынша.")
    assert "proposal #1" in out
    assert json.loads(ok(cli, "ask", "--json", QUESTION))["entry"] != (
        f"mvd.{PASSPORT}.asked-1")  # not live before the review
    ok(cli, "curation", "approve", "1", "--by", "Бекзат")
    asked = json.loads(ok(cli, "ask", "--json", QUESTION))
    assert (asked["decision"], asked["entry"]) == ("answer", f"mvd.{PASSPORT}.asked-1")


async def test_two_confirmed_refusals_make_a_notice_whose_files_are_written(
    cli: Cli, tmp_path: Path,
) -> None:
    pack_file = tmp_path / "pack.json"
    pack_file.write_text(json.dumps(pack(service(PASSPORT, "mvd")), ensure_ascii=False))
    ok(cli, "kb", "import", pack_file)
    ok(cli, "users", "add", "Дана", "--role", "agency", "--agency", "mvd",
       "--telegram-id", "5001")
    first = await escalate(cli.database, "Сколько бланков паспортов на складе?", 1)
    second = await escalate(cli.database, "Кто подписывает паспорта в Астане?", 2)
    assert "needs its reason" in refused(cli, "escalations", "refuse", first,
                                         "--ground", "plain", "--as", "Дана")
    ok(cli, "escalations", "refuse", first, "--ground", "plain", "--reason", "Служебное",
       "--as", "Дана")
    ok(cli, "escalations", "refuse", second, "--ground", "plain", "--reason", "Не скажем",
       "--as", "Дана")
    assert "only the contact center" in refused(cli, "refusals", "confirm", "1",
                                                "--as", "Дана")
    assert "notice" not in ok(cli, "refusals", "confirm", "1")
    assert "notice #1 to the quality-control body: mvd, 2 refusals from" in ok(
        cli, "refusals", "confirm", "2")
    listed = ok(cli, "refusals", "notices")
    assert "mvd 2 refusals" in listed and "(s)" not in listed
    folder = tmp_path / "notice"
    out = ok(cli, "refusals", "notice", "1", "--out", folder, "--sent")
    assert "notice #1 sent" in out
    assert sorted(p.name for p in folder.iterdir()) == [
        "refusal-notice-1-mvd-letter.docx", "refusal-notice-1-mvd-refusals.csv",
        "refusal-notice-1-mvd-refusals.xlsx"]


async def refused_four_times(database: Path, clock: Clock | None = None) -> None:
    """Four plain refusals by mvd (in process: the command line is tested on its own)."""
    app = await create_app(Settings(database_url=f"sqlite+aiosqlite:///{database}",
                                    _env_file=None))  # type: ignore[call-arg]
    clock = clock or SystemClock()
    try:
        async with app.uow() as uow:
            await import_pack(uow, pack(service(PASSPORT, "mvd")), draft=False)
            dana = await add_staff(uow, "Дана", Role.AGENCY, clock, agency_code="mvd")
            agency = next(a for a in await uow.knowledge.agencies() if a.code == "mvd")
            await uow.commit()
        actor = Actor(dana.name, Role.AGENCY, agency.id, dana.id)
        for n in range(1, 5):
            reference = await escalate(database, f"Вопрос о бланках паспортов №{n}", n, clock)
            async with app.uow() as uow:
                await refuse(uow, reference, ground="plain", reason=f"Служебное {n}",
                             actor=actor, clock=clock, deadlines=app.deadlines)
                await uow.commit()
    finally:
        await app.close()


async def test_the_notice_and_the_report_are_mailed_to_the_quality_control_body(
    cli: Cli, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("UCC_QC_EMAIL", "qc@kyzmet.gov.kz")
    ok(cli, "escalations", "list")  # the base, migrated
    await refused_four_times(cli.database)
    files = ["refusal-notice-{n}-mvd-letter.docx", "refusal-notice-{n}-mvd-refusals.xlsx",
             "refusal-notice-{n}-mvd-refusals.csv"]

    ok(cli, "refusals", "confirm", "1")
    assert "sent" in ok(cli, "refusals", "confirm", "2", "--send")
    assert emails(cli.database) == [("qc@kyzmet.gov.kz", [f.format(n=1) for f in files])]

    ok(cli, "refusals", "confirm", "3")
    ok(cli, "refusals", "confirm", "4")  # notice #1 went: the next two make notice #2
    assert len(emails(cli.database)) == 1
    assert "notice #2 sent" in ok(cli, "refusals", "notice", "2", "--send")
    assert emails(cli.database)[1] == ("qc@kyzmet.gov.kz", [f.format(n=2) for f in files])

    ok(cli, "report", "monthly", "2026-10", "--send")  # no agency has an address
    address, attached = emails(cli.database)[2]
    assert address == "qc@kyzmet.gov.kz" and "report-2026-10.xlsx" in attached
    assert all(not name.startswith("report-2026-10-mvd") for name in attached)
    assert len(emails(cli.database)) == 3


async def test_without_a_qc_address_a_notice_sent_is_held_listed_not_retried_then_released(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, fixed_today: FixedClock,
) -> None:
    """Issue 18, item 9: the para 12 notice waits in the outbox like the report's letter
    (operators told once), `outbox list` shows it held and why, `outbox retry` will not
    send it while the address is missing, and it goes (the notice sent that day) once
    UCC_QC_EMAIL is set."""
    monkeypatch.delenv("UCC_QC_EMAIL", raising=False)
    ok(cli, "escalations", "list")  # the base, migrated
    ok(cli, "users", "add", "Айгүл", "--role", "operator", "--telegram-id", "7001")
    await refused_four_times(cli.database, fixed_today)
    ok(cli, "refusals", "confirm", "1")
    ok(cli, "refusals", "confirm", "2")
    files = ["refusal-notice-1-mvd-letter.docx", "refusal-notice-1-mvd-refusals.xlsx",
             "refusal-notice-1-mvd-refusals.csv"]

    out = ok(cli, "refusals", "notice", "1", "--send")
    assert "held" in out and "UCC_QC_EMAIL" in out and "notice #1 open" in out
    assert emails(cli.database) == [("quality-control", files)]
    def told() -> list[str]:
        return [t for t in telegram_texts(cli.database, 7001) if "UCC_QC_EMAIL" in t]

    assert len(told()) == 1
    again = ok(cli, "refusals", "notice", "1", "--send")  # already waiting: not twice
    assert "already" in again and len(emails(cli.database)) == 1 and len(told()) == 1

    [line] = ok(cli, "outbox", "list").splitlines()
    assert line.startswith("message #") and " email " in line and " held " in line
    assert "UCC_QC_EMAIL" in line
    held_id = line.split()[1].removeprefix("#")
    assert "UCC_QC_EMAIL" in refused(cli, "outbox", "retry", held_id)
    assert "0 message(s)" in ok(cli, "outbox", "retry", "--all")
    assert emails(cli.database) == [("quality-control", files)]

    monkeypatch.setenv("UCC_QC_EMAIL", "qc@kyzmet.gov.kz")
    ok(cli, "escalations", "tick")  # the scheduler's run releases it
    assert ("qc@kyzmet.gov.kz", files) in emails(cli.database)
    assert "quality-control" not in [address for address, _ in emails(cli.database)]
    [notice] = ok(cli, "refusals", "notices").splitlines()
    assert " sent 2026-12-15 by email" in notice


async def test_a_letter_is_said_queued_not_e_mailed_while_no_smtp_server_is_configured(
    cli: Cli, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("UCC_QC_EMAIL", "qc@kyzmet.gov.kz")
    monkeypatch.delenv("UCC_SMTP_HOST", raising=False)
    ok(cli, "escalations", "list")  # the base, migrated
    await refused_four_times(cli.database)
    ok(cli, "refusals", "confirm", "1")
    queued = "queued for qc@kyzmet.gov.kz: no SMTP server configured (UCC_SMTP_HOST)"
    out = ok(cli, "refusals", "confirm", "2", "--send")
    assert queued in out and "e-mailed" not in out
    out = ok(cli, "report", "monthly", "2026-10", "--send")
    assert queued in out and "sent to" not in out


def test_a_report_piped_into_a_reader_that_has_gone_ends_without_a_traceback(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    ok(cli, "escalations", "list")  # the base, migrated
    monkeypatch.setenv("UCC_DATABASE_URL", f"sqlite+aiosqlite:///{cli.database}")
    monkeypatch.chdir(tmp_path)
    read_end, write_end = os.pipe()
    os.close(read_end)  # `| head` has read what it wanted and left
    pipe = io.TextIOWrapper(io.FileIO(write_end, "w"), encoding="utf-8")
    errors = io.StringIO()
    try:
        with contextlib.redirect_stdout(pipe), contextlib.redirect_stderr(errors):
            code = main(["report", "monthly", "2026-10", "--out", str(tmp_path / "r")])
            pipe.flush()  # what the interpreter does at exit
    finally:
        with contextlib.suppress(BrokenPipeError):
            pipe.close()
    assert (code, errors.getvalue()) == (1, "")


def test_the_monthly_report_is_written_and_a_bad_month_is_refused(
    cli: Cli, tmp_path: Path,
) -> None:
    folder = tmp_path / "report"
    out = ok(cli, "report", "monthly", "2026-10", "--out", folder)
    assert "report 2026-10: due 2026-11-05" in out
    assert [path.name for path in folder.iterdir()] == ["report-2026-10.xlsx"]  # one workbook
    assert "not a month" in refused(cli, "report", "monthly", "2026-13")


async def test_a_citizen_is_erased_on_request_and_old_conversations_are_purged(
    cli: Cli, tmp_path: Path,
) -> None:
    doc = tmp_path / "pack.json"
    doc.write_text(json.dumps(pack(service(PASSPORT, "mvd"))), encoding="utf-8")
    ok(cli, "kb", "import", doc)
    reference = await escalate(cli.database, QUESTION, 5151)
    out = ok(cli, "citizen", "erase", "5151")
    assert "1 escalation(s) kept anonymised" in out
    assert reference in ok(cli, "escalations", "list")  # counted still
    with sqlite3.connect(cli.database) as db:
        [(text,)] = db.execute("SELECT text FROM escalations").fetchall()
        addresses = [a for (a,) in db.execute("SELECT address FROM citizens")]
    assert text == "[erased]" and "5151" not in addresses
    assert "no citizen 5151" in refused(cli, "citizen", "erase", "5151")
    # another citizen's line of 60 days ago goes with the purge; today's stays
    with sqlite3.connect(cli.database) as db:
        [(citizen,)] = db.execute("SELECT id FROM citizens").fetchall()
        for days in (60, 0):
            db.execute("INSERT INTO conversation_log (citizen_id, direction, channel, lang,"
                       " text, at) VALUES (?, 'in', 'telegram', 'ru', ?,"
                       " datetime('now', ?))", (citizen, f"{days} days ago", f"-{days} days"))
    assert "conversation_log 1" in ok(cli, "privacy", "purge", "--days", "30")
    with sqlite3.connect(cli.database) as db:
        assert db.execute("SELECT text FROM conversation_log").fetchall() == [("0 days ago",)]


async def test_an_agency_answer_longer_than_one_message_is_refused_one_at_the_limit_passes(
    cli: Cli, tmp_path: Path,
) -> None:
    """An answer must reach the citizen whole in one Telegram message (4,096 characters
    with its heading): up to 3,500 characters a language."""
    pack_file = tmp_path / "pack.json"
    pack_file.write_text(json.dumps(pack(service(PASSPORT, "mvd")), ensure_ascii=False))
    ok(cli, "kb", "import", pack_file)
    ok(cli, "users", "add", "Дана", "--role", "agency", "--agency", "mvd",
       "--telegram-id", "5001")
    ref = await escalate(cli.database, QUESTION, 778)
    sentence = "Да, паспорт оформляют по месту пребывания. "
    at_limit = (sentence * 100)[:3499] + "."

    problem = refused(cli, "escalations", "answer", ref, "--ru", at_limit + "!",
                      "--as", "Дана")
    assert "3501 characters" in problem and "3500" in problem, problem
    assert telegram_texts(cli.database, 778) == []
    assert ref in ok(cli, "escalations", "list", "--status", "open")

    ok(cli, "escalations", "answer", ref, "--ru", at_limit, "--as", "Дана")
    [text] = telegram_texts(cli.database, 778)
    assert at_limit in text


async def test_a_notice_sent_after_its_due_day_stays_marked_late(cli: Cli, tmp_path: Path) -> None:
    ok(cli, "escalations", "list")  # the base, migrated
    app = await create_app(Settings(database_url=f"sqlite+aiosqlite:///{cli.database}",
                                    _env_file=None))  # type: ignore[call-arg]
    try:
        mvd, _ = await seed(app)
        for day in (10, 15):  # the second reaches the threshold: due Monday 21.12
            clock = clock_at(2026, 12, day)
            reference = await escalate_at(app, f"Вопрос {day}", register_no=PASSPORT,
                                          clock=clock, chat=day)
            async with app.uow() as uow:
                await refuse(uow, reference, ground="plain", reason="Служебное", actor=mvd,
                             clock=clock, deadlines=app.deadlines)
                await uow.commit()
    finally:
        await app.close()
    ok(cli, "refusals", "confirm", "1", "--on", "2026-12-10")
    ok(cli, "refusals", "confirm", "2", "--on", "2026-12-15")
    [line] = ok(cli, "refusals", "notices", "--on", "2026-12-22").splitlines()
    assert line.endswith("due 2026-12-21 OVERDUE (due 2026-12-21)"), line
    out = ok(cli, "refusals", "notice", "1", "--sent", "--on", "2026-12-23")
    assert "notice #1 sent, due 2026-12-21 LATE (sent 2026-12-23, due 2026-12-21)" in out
    [line] = ok(cli, "refusals", "notices").splitlines()
    assert "sent 2026-12-23 by by_hand LATE (sent 2026-12-23, due 2026-12-21)" in line, line


async def test_a_refusal_and_an_answer_recorded_later_keep_the_day_they_happened(
    cli: Cli, tmp_path: Path, fixed_today: FixedClock,
) -> None:
    """Issue 18 (4): a refusal received by letter on 2 December is recorded on the 15th
    with ``--on``; a day in the future, or before the question reached the agency, is
    refused (exit 2) and nothing is recorded."""
    pack_file = tmp_path / "pack.json"
    pack_file.write_text(json.dumps(pack(service(PASSPORT, "mvd")), ensure_ascii=False))
    ok(cli, "kb", "import", pack_file)
    ok(cli, "users", "add", "Дана", "--role", "agency", "--agency", "mvd")
    sent_on = FixedClock(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
    first = await escalate(cli.database, "Сколько бланков паспортов на складе?", 1, sent_on)
    second = await escalate(cli.database, "Кто подписывает паспорта в Астане?", 2, sent_on)
    refusal = ("escalations", "refuse", first, "--ground", "plain", "--reason", "Служебное",
               "--as", "Дана")

    assert "2026-12-16 is in the future" in refused(cli, *refusal, "--on", "2026-12-16")
    assert "before" in refused(cli, *refusal, "--on", "2026-11-30")
    assert "no refusals" in ok(cli, "refusals", "list")
    ok(cli, *refusal, "--on", "2026-12-02")
    assert " 2026-12-02 mvd plain " + first in ok(cli, "refusals", "list")
    assert "in the future" in refused(cli, "escalations", "answer", second, "--ru", "Нет.",
                                      "--on", "2026-12-16", "--as", "Дана")
    ok(cli, "escalations", "answer", second, "--ru", "Начальник.", "--on", "2026-12-03",
       "--as", "Дана")
    rows = csv.DictReader(io.StringIO(ok(cli, "escalations", "export")))
    assert {row["reference"]: row["resolved_on"] for row in rows} == {
        first: "2026-12-02", second: "2026-12-03"}


def test_steps_that_start_a_legal_clock_refuse_a_day_in_the_future(
    cli: Cli, fixed_today: FixedClock,
) -> None:
    """Issue 18 (4): every step that starts a legal clock takes the day it happened,
    never a day after today in Kazakhstan (exit 2, checked before anything is looked up)."""
    tomorrow = "2026-12-16"
    for step in (("complaints", "extend", "C-261215-00001", "--days", "3", "--reason", "r",
                  "--on", tomorrow),
                 ("onboarding", "start", "701001", "--agency", "mep", "--approved", tomorrow,
                  *NAMED),
                 ("onboarding", "start", "701001", "--agency", "mep", "--approved",
                  "2026-12-01", "--registered", tomorrow, *NAMED),
                 ("onboarding", "request-sent", "701001", "--on", tomorrow),
                 ("onboarding", "appoint", "701001", "Ержан", "--on", tomorrow),
                 ("onboarding", "training", "701001", "--on", tomorrow),
                 ("onboarding", "protocol", "701001", "--on", tomorrow),
                 ("onboarding", "update", "701001", "--act-date", tomorrow),
                 ("escalations", "oral", "Q-261201-00001", "--who", "Дана", "--what", "Да",
                  "--on", tomorrow)):
        assert f"{tomorrow} is in the future" in refused(cli, *step), step
