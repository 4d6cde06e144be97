"""The onboarding protocol from the terminal, end to end: the request e-mailed with its
documents, the agency's filled template submitted, the draft live on its activation date."""

from __future__ import annotations

import base64
import json
import re
import sqlite3
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from bot.app import create_app
from bot.config import Settings
from knowledge import onboarding
from knowledge.agencies import add_agency
from knowledge.clock import FixedClock
from knowledge.onboarding.documents import SHEET_TITLES
from knowledge.staff import Actor, Role
from tests.e2e.conftest import Cli, describe, ok

EXIT_OK, EXIT_INVALID = 0, 2
REG = "701001"
QUESTION = "Как получить разрешение на любительскую рыбалку?"
CLOCK = FixedClock(datetime(2026, 3, 17, 9, 0, tzinfo=UTC))
ADMIN = Actor("Айгүл", Role.ADMIN)


def letters(database: Path) -> list[dict[str, object]]:
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT address, payload FROM outbox WHERE channel = 'email'")
        return [{"to": to, **json.loads(payload)} for to, payload in rows]


def fill(template: Path, target: Path, *, question: str) -> Path:
    book = load_workbook(template)
    book[SHEET_TITLES["faq"]]["A2"] = "mep.fishing.how"
    book[SHEET_TITLES["faq"]]["B2"] = "Әуесқой балық аулауға рұқсатты қалай алуға болады?"
    book[SHEET_TITLES["faq"]]["C2"] = question
    book[SHEET_TITLES["faq"]]["D2"] = "egov.kz арқылы, тегін."
    book[SHEET_TITLES["faq"]]["E2"] = "Через egov.kz, бесплатно."
    book.save(target)
    return target


def test_the_protocol_from_register_to_live_through_the_command_line(
    cli: Cli, tmp_path: Path,
) -> None:
    ok(cli, "agency", "add", "mep", "--name-kk", "Экология министрлігі",
       "--name-ru", "Министерство экологии", "--kind", "central",
       "--email", "info@ecogeo.gov.kz")
    out = ok(cli, "onboarding", "start", REG, "--agency", "mep", "--approved", "2026-03-17",
             "--name-kk", "Әуесқой балық аулауға рұқсат",
             "--name-ru", "Разрешение на любительское рыболовство", "--by", "Айгүл")
    assert "due 2026-03-20" in out

    out = ok(cli, "onboarding", "request-sent", REG, "--on", "2026-03-20", "--by", "Айгүл")
    # no SMTP server is configured here: the letter waits in the outbox, and is said to
    assert ("request queued for info@ecogeo.gov.kz: no SMTP server configured "
            "(UCC_SMTP_HOST)") in out
    assert "due 2026-03-30" in out  # three working days, Nauryz and its weekend skipped
    [letter] = letters(cli.database)
    assert letter["to"] == "info@ecogeo.gov.kz"
    assert "Разрешение на любительское рыболовство" in str(letter["text"])
    attachments = letter["attachments"]
    assert isinstance(attachments, list)
    assert [a["filename"] for a in attachments] == [f"request-{REG}.docx", f"request-{REG}.xlsx",
                                                    f"information-{REG}.xlsx"]
    request = Document(BytesIO(base64.b64decode(attachments[0]["data"])))
    text = "\n".join(p.text for p in request.paragraphs)
    assert "Разрешение на любительское рыболовство" in text
    assert "назначается не позднее 30 марта 2026 г. включительно" in text
    assert "Жауапты тұлғаны тағайындаудың соңғы күні – 2026 жылғы 30 наурыз." in text
    form = load_workbook(BytesIO(base64.b64decode(attachments[1]["data"])))
    assert form.sheetnames == ["Қазақша", "Русский"]

    out = ok(cli, "onboarding", "appoint", REG, "Ержан Сапаров", "--on", "2026-03-26")
    assert "?start=inv-" in out

    folder = tmp_path / "docs"
    ok(cli, "onboarding", "documents", REG, "--out", folder)
    template = folder / f"information-{REG}.xlsx"

    broken = fill(template, tmp_path / "broken.xlsx", question="")
    book = load_workbook(broken)
    book[SHEET_TITLES["faq"]]["B2"] = None
    book.save(broken)
    refused = cli("onboarding", "submit", REG, broken, "--on", "2026-04-01")
    assert refused.returncode == EXIT_INVALID, describe(refused)
    assert f"'{SHEET_TITLES['faq']}'!B2" in refused.stderr

    filled = fill(template, tmp_path / "filled.xlsx", question=QUESTION)
    out = ok(cli, "onboarding", "submit", REG, filled, "--on", "2026-04-01")
    assert "draft stored: 1 entries added" in out
    asked = json.loads(ok(cli, "ask", "--json", QUESTION))
    assert asked["entry"] != "mep.fishing.how"  # a draft answers nobody

    out = ok(cli, "onboarding", "question", REG, "Рұқсат неше күнде беріледі?",
             "--on", "2026-04-02")
    assert "1 question(s)" in out
    out = ok(cli, "onboarding", "send-questions", REG, "--on", "2026-04-02")
    assert "nobody to send them to" in out  # the person has no Telegram or e-mail yet

    ok(cli, "onboarding", "training", REG, "--on", "2026-04-10")
    [protocol_letter] = letters(cli.database)[1:]  # to the agency, with the .docx
    attached = protocol_letter["attachments"]
    assert isinstance(attached, list)
    [attachment] = attached
    assert attachment["filename"] == f"protocol-{REG}.docx"
    out = ok(cli, "onboarding", "protocol-document", REG, "--out", folder,
             "--on", "2026-04-10")
    assert (folder / f"protocol-{REG}.docx").stat().st_size > 0
    out = ok(cli, "onboarding", "protocol", REG, "--on", "2026-04-10")
    assert "goes live on 2026-04-17" in out
    assert "live:" not in ok(cli, "onboarding", "tick", "--on", "2026-04-16")
    assert f"live: service {REG}" in ok(cli, "onboarding", "tick", "--on", "2026-04-17")
    asked = json.loads(ok(cli, "ask", "--json", QUESTION))
    assert (asked["decision"], asked["entry"]) == ("answer", "mep.fishing.how")
    assert "Ашық қосылу істері жоқ." in ok(cli, "onboarding", "status")

    # the act changed: the update is due in 3 working days, live once accepted
    out = ok(cli, "onboarding", "update", REG, "--act-date", "2026-05-04")
    assert "due 2026-05-08" in out  # 7 May, Defender of the Fatherland Day, does not count
    updated = fill(template, tmp_path / "updated.xlsx", question=QUESTION)
    book = load_workbook(updated)
    book[SHEET_TITLES["faq"]]["E2"] = "Через egov.kz, 1 МРП."
    book.save(updated)
    assert "review" in ok(cli, "onboarding", "submit", REG, updated, "--on", "2026-05-05")
    assert "1 МРП" not in ok(cli, "kb", "export", "-")  # kept aside until accepted
    assert "accepted and live" in ok(cli, "onboarding", "accept", REG, "--on", "2026-05-06")
    assert "1 МРП" in ok(cli, "kb", "export", "-")


async def test_status_shows_each_open_case_with_working_days_left_or_overdue(cli: Cli) -> None:
    app = await create_app(Settings(database_url=f"sqlite+aiosqlite:///{cli.database}",
                                    _env_file=None))  # type: ignore[call-arg]
    try:
        async with app.uow() as uow:
            for code, kk, ru in (("mep", "Экология министрлігі", "Министерство экологии"),
                                 ("akimat", "Әкімдік", "Акимат")):
                await add_agency(uow, code, name_kk=kk, name_ru=ru, kind="central")
            for reg, code in (("701001", "mep"), ("702002", "akimat")):
                await onboarding.start_case(uow, reg, code, date(2026, 3, 17), actor=ADMIN,
                                            clock=CLOCK, deadlines=app.deadlines)
            await onboarding.record_step(uow, "702002", "request_sent", on=date(2026, 3, 20),
                                         actor=ADMIN, clock=CLOCK, deadlines=app.deadlines)
            await uow.commit()
    finally:
        await app.close()

    # Thursday 26 March, the first working day after Nauryz (21-25 March)
    out = ok(cli, "onboarding", "status", "--on", "2026-03-26", "--lang", "ru")
    header, *rows = (re.split(r"\s{2,}", line) for line in out.splitlines())
    assert header == ["Услуга", "Срок", "Ожидаемый этап", "Оставшееся время",
                      "Государственный орган"]
    assert rows == [
        # due Friday 20 March: six calendar days ago, one working day
        ["701001", "20 марта 2026", "запрос направлен госоргану",
         "просрочено на 1 рабочий день", "Министерство экологии"],
        # due Monday 30 March: Friday 27 and Monday 30 left
        ["702002", "30 марта 2026", "назначено ответственное лицо",
         "осталось 2 рабочих дня", "Акимат"],
    ]
    # the reader's language by default (UCC_DEFAULT_LANG: kk): no codes, no English
    out = ok(cli, "onboarding", "status", "--on", "2026-03-26")
    assert out.splitlines()[0].split("  ")[0] == "Қызмет"
    assert "мерзімі 1 жұмыс күніне өтті" in out and "Экология министрлігі" in out
    assert not re.search(r"[A-Za-z]", out)


def test_operators_and_administrators_are_added_bound_at_once_or_with_an_invite(
    cli: Cli,
) -> None:
    out = ok(cli, "users", "add", "Айгүл Серікова", "--role", "operator",
             "--telegram-id", "5550001")
    assert out.splitlines() == ["operator #1 Айгүл Серікова added"]  # bound: no invite
    out = ok(cli, "users", "add", "Нұрлан Әбенов", "--role", "admin", "--email",
             "admin@1414.kz")
    added, invite = out.splitlines()
    assert added == "admin #2 Нұрлан Әбенов added"
    assert invite.startswith("invite (one use): https://t.me/<bot>?start=inv-")
    refused = cli("users", "add", "Дана", "--role", "operator", "--agency", "mep")
    assert refused.returncode == EXIT_INVALID, describe(refused)
    assert "belong to no agency" in refused.stderr

    listing = ok(cli, "users", "list").splitlines()
    assert [line.split() for line in listing] == [
        ["#1", "operator", "-", "telegram", "Айгүл", "Серікова"],
        ["#2", "admin", "-", "invited", "Нұрлан", "Әбенов"],
    ]


def test_an_agency_user_cannot_be_made_without_a_known_agency(cli: Cli) -> None:
    refused = cli("users", "add", "Дана", "--role", "agency", "--agency", "nowhere")
    assert refused.returncode == EXIT_INVALID, describe(refused)
    assert "no agency with code 'nowhere'" in refused.stderr


def test_an_agency_is_added_edited_and_listed(cli: Cli) -> None:
    ok(cli, "agency", "add", "akimat.almaty", "--name-kk", "Алматы қаласының әкімдігі",
       "--name-ru", "Акимат города Алматы", "--kind", "local", "--region", "Алматы")
    assert "updated" in ok(cli, "agency", "edit", "akimat.almaty",
                           "--email", "akimat@almaty.gov.kz")
    listing = ok(cli, "agency", "list")
    assert "akimat.almaty" in listing and "akimat@almaty.gov.kz" in listing
    assert "local" in listing and "Акимат города Алматы" in listing
    twice = cli("agency", "add", "akimat.almaty", "--name-kk", "x", "--name-ru", "y",
                "--kind", "local")
    assert twice.returncode == EXIT_INVALID and "exists already" in twice.stderr
    bad = cli("agency", "edit", "akimat.almaty", "--email", "not-an-address")
    assert bad.returncode == EXIT_INVALID and "not an e-mail address" in bad.stderr


def executor_of(form: bytes) -> dict[str, object]:
    """Annex 1's "Орындаушы / Исполнитель" line on each sheet."""
    book = load_workbook(BytesIO(form))
    found = {}
    for sheet in book.worksheets:
        for label, value in sheet.iter_rows(min_col=2, max_col=3, values_only=True):
            if label in ("Орындаушы", "Исполнитель"):
                found[label] = value
    return found


def test_the_request_form_and_the_protocol_name_the_person_and_position_never_the_login(
    cli: Cli, tmp_path: Path,
) -> None:
    ok(cli, "agency", "add", "mep", "--name-kk", "Экология министрлігі",
       "--name-ru", "Министерство экологии", "--kind", "central",
       "--email", "info@ecogeo.gov.kz")
    ok(cli, "users", "add", "aigul", "--role", "operator", "--telegram-id", "5550001",
       "--full-name", "Серікова Айгүл Нұрланқызы", "--position", "бас маман")
    ok(cli, "onboarding", "start", REG, "--agency", "mep", "--approved", "2026-03-17",
       "--name-kk", "Әуесқой балық аулауға рұқсат",
       "--name-ru", "Разрешение на любительское рыболовство", "--by", "aigul")
    ok(cli, "onboarding", "request-sent", REG, "--on", "2026-03-20", "--by", "aigul")
    [letter] = letters(cli.database)
    attachments = letter["attachments"]
    assert isinstance(attachments, list)
    person = "Серікова Айгүл Нұрланқызы, бас маман"
    assert executor_of(base64.b64decode(attachments[1]["data"])) == {
        "Орындаушы": person, "Исполнитель": person}
    request = Document(BytesIO(base64.b64decode(attachments[0]["data"])))
    text = "\n".join(p.text for p in request.paragraphs)
    assert text.count(person) == 2 and "aigul" not in text

    out = ok(cli, "onboarding", "protocol-document", REG, "--out", tmp_path / "p",
             "--as", "aigul")
    text = "\n".join(p.text for p in Document(out.strip()).paragraphs)
    assert person in text and "aigul" not in text


def test_someone_with_no_full_name_leaves_a_blank_to_fill_not_their_login(
    cli: Cli, tmp_path: Path,
) -> None:
    ok(cli, "agency", "add", "mep", "--name-kk", "Экология министрлігі",
       "--name-ru", "Министерство экологии", "--kind", "central")
    ok(cli, "onboarding", "start", REG, "--agency", "mep", "--approved", "2026-03-17",
       "--name-kk", "Әуесқой балық аулауға рұқсат",
       "--name-ru", "Разрешение на любительское рыболовство")
    out = ok(cli, "onboarding", "documents", REG, "--out", tmp_path, "--by", "root")
    assert "no full name and position for root" in out
    executors = executor_of((tmp_path / f"request-{REG}.xlsx").read_bytes())
    assert set(executors) == {"Орындаушы", "Исполнитель"}
    assert all("root" not in str(v) and "____" in str(v) for v in executors.values())
    request = Document(tmp_path / f"request-{REG}.docx")
    text = "\n".join(p.text for p in request.paragraphs)
    assert "root" not in text and "(фамилия, имя, отчество, должность)" in text


def test_a_case_is_not_opened_without_the_services_name_in_both_languages(cli: Cli) -> None:
    ok(cli, "agency", "add", "mep", "--name-kk", "Экология министрлігі",
       "--name-ru", "Министерство экологии", "--kind", "central")
    result = cli("onboarding", "start", REG, "--agency", "mep", "--approved", "2026-03-17",
                 "--name-ru", "Разрешение на любительское рыболовство")
    assert result.returncode == EXIT_INVALID, describe(result)
    assert "--name-kk" in result.stderr
    assert "Ашық қосылу істері жоқ." in ok(cli, "onboarding", "status")


async def test_a_case_without_the_services_name_sends_nothing(cli: Cli, tmp_path: Path) -> None:
    """A case opened before names were required (or by the domain alone): the request and
    its documents are refused, not sent with an empty column 3 and «701001 «701001»»."""
    app = await create_app(Settings(database_url=f"sqlite+aiosqlite:///{cli.database}",
                                    _env_file=None))  # type: ignore[call-arg]
    try:
        async with app.uow() as uow:
            await add_agency(uow, "mep", name_kk="Экология министрлігі",
                             name_ru="Министерство экологии", kind="central",
                             email="info@ecogeo.gov.kz")
            await onboarding.start_case(uow, REG, "mep", date(2026, 3, 17), actor=ADMIN,
                                        clock=CLOCK, deadlines=app.deadlines)
            await uow.commit()
    finally:
        await app.close()
    for command in (("request-sent", REG, "--on", "2026-03-20"),
                    ("documents", REG, "--out", tmp_path)):
        result = cli("onboarding", *command)
        assert result.returncode == EXIT_INVALID, describe(result)
        assert f"service {REG} has no name in the Register" in result.stderr, result.stderr
    assert letters(cli.database) == []
    assert list(tmp_path.glob("*.xlsx")) == []


def test_a_provider_that_is_not_a_state_body_is_registered_with_its_kind(cli: Cli) -> None:
    out = ok(cli, "agency", "add", "kazpost", "--name-kk", "«Қазпошта» АҚ",
             "--name-ru", "АО «Казпочта»", "--kind", "provider")
    assert "agency kazpost added" in out
    [line] = ok(cli, "agency", "list").splitlines()
    assert line.split()[:2] == ["kazpost", "provider"]
    assert "updated" in ok(cli, "agency", "edit", "kazpost", "--kind", "central")
    assert ok(cli, "agency", "list").split()[:2] == ["kazpost", "central"]


def test_a_responsible_person_who_left_starts_the_p7_clock_before_anyone_is_named(
    cli: Cli,
) -> None:
    ok(cli, "agency", "add", "mep", "--name-kk", "Экология министрлігі",
       "--name-ru", "Министерство экологии", "--kind", "central")
    ok(cli, "onboarding", "start", REG, "--agency", "mep", "--approved", "2026-03-02",
       "--name-kk", "Балық аулауға рұқсат", "--name-ru", "Разрешение на рыболовство")
    ok(cli, "onboarding", "appoint", REG, "Ержан Сапаров", "--on", "2026-03-04")
    out = ok(cli, "onboarding", "responsible-left", REG, "--on", "2026-03-13")
    assert "the agency names the new one by 2026-03-20 (002 p.7)" in out
    assert "responsible_replaced" not in ok(cli, "onboarding", "tick", "--on", "2026-03-18")
    assert ("day_before: service 701001 step responsible_replaced due 2026-03-20 (owed by "
            "agency)") in ok(cli, "onboarding", "tick", "--on", "2026-03-19")
    history = ok(cli, "onboarding", "history", REG, "--lang", "ru")
    header, *rows = (re.split(r"\s{2,}", line) for line in history.splitlines())
    assert header == ["Дата выполнения", "Этап", "Срок", "Соблюдение срока", "Кто отметил"]
    assert rows[-1][:4] == ["13 марта 2026", "ответственное лицо выбыло, новое ещё не назначено",
                            "20 марта 2026",
                            "срок назначения нового ответственного лица: 20 марта 2026"]
    assert rows[-1][4].endswith("(администратор)")
    # named on Thursday 26.03, the first working day after Nauryz: one working day late
    out = ok(cli, "onboarding", "appoint", REG, "Дана Омарова", "--on", "2026-03-26")
    assert "change of responsible person: 1 working day late (due 2026-03-20)" in out
    assert "responsible_replaced" not in ok(cli, "onboarding", "tick", "--on", "2026-03-27")
