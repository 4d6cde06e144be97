"""E-mail through the outbox, against a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import email
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email.message import Message

import pytest
from sqlalchemy import select, update

from bot.app import App
from bot.channels.email.letters import Attachment, queue_email
from bot.channels.email.sender import EmailSender, SmtpSettings
from bot.notify.quality import (
    notice_documents,
    notice_letter,
    queue_notice_email,
    queue_report_emails,
)
from knowledge import escalations, refusals
from knowledge.clock import FixedClock
from knowledge.db.tables import AgencyRow, OutboxRow
from knowledge.outbox import OutboxStatus
from knowledge.reports import generate_monthly_report
from tests.escalation_helpers import (
    MARRIAGE,
    OPERATOR,
    PASSPORT,
    clock_at,
    deadlines,
    escalate,
    seed,
)
from tests.fakes.mailbox import Mailbox, free_port, running_mailbox

CLOCK = FixedClock(datetime(2026, 3, 19, 9, 0, tzinfo=UTC))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    with running_mailbox() as server:
        yield server


async def statuses(app: App) -> list[tuple[str, str, int]]:
    async with app.uow() as uow:
        rows = await uow.session.scalars(select(OutboxRow).where(OutboxRow.channel == "email")
                                         .order_by(OutboxRow.id))
        return [(r.address, r.status, r.attempts) for r in rows]


def payload(part: Message) -> bytes:
    data = part.get_payload(decode=True)
    assert isinstance(data, bytes)
    return data


def attachments_of(letter: Message) -> dict[str, bytes]:
    return {str(p.get_filename()): payload(p) for p in letter.walk() if p.get_filename()}


def body_of(letter: Message) -> str:
    return payload(next(p for p in letter.walk() if p.get_content_type() == "text/plain")
                   ).decode()


def subject_of(letter: Message) -> str:
    return str(email.header.make_header(email.header.decode_header(letter["Subject"])))


async def test_a_letter_with_an_attachment_is_delivered_once(
    app: App, smtp_server: tuple[Mailbox, int],
) -> None:
    mailbox, port = smtp_server
    app.clock = CLOCK
    async with app.uow() as uow:
        queue_email(uow, "info@ecogeo.gov.kz", "Сұрау салу / Запрос", "Құрметті әріптестер!",
                    clock=CLOCK, attachments=(Attachment("annex1.xlsx", XLSX, b"PK\x03\x04"),))
        await uow.commit()
    sender = EmailSender(app, SmtpSettings("127.0.0.1", port, "1414@ucc.kz"))
    assert await sender.send_due() == 1
    assert await sender.send_due() == 0  # never twice
    [letter] = mailbox.received
    assert letter["To"] == "info@ecogeo.gov.kz" and letter["From"] == "1414@ucc.kz"
    assert subject_of(letter) == "Сұрау салу / Запрос"
    assert "Құрметті әріптестер!" in body_of(letter)
    assert attachments_of(letter) == {"annex1.xlsx": b"PK\x03\x04"}
    assert await statuses(app) == [("info@ecogeo.gov.kz", OutboxStatus.SENT, 1)]


async def test_a_refused_address_is_given_up_and_the_others_still_go(
    app: App, smtp_server: tuple[Mailbox, int],
) -> None:
    mailbox, port = smtp_server
    app.clock = CLOCK
    async with app.uow() as uow:
        queue_email(uow, "nobody@gov.kz", "a", "a", clock=CLOCK)
        queue_email(uow, "akimat@almaty.gov.kz", "b", "b", clock=CLOCK)
        await uow.commit()
    assert await EmailSender(app, SmtpSettings("127.0.0.1", port, "1414@ucc.kz")).send_due() == 2
    assert [m["To"] for m in mailbox.received] == ["akimat@almaty.gov.kz"]
    assert await statuses(app) == [("nobody@gov.kz", OutboxStatus.FAILED, 1),
                                   ("akimat@almaty.gov.kz", OutboxStatus.SENT, 1)]


async def test_a_server_that_is_down_means_a_retry_later_not_a_lost_letter(app: App) -> None:
    app.clock = CLOCK
    async with app.uow() as uow:
        queue_email(uow, "info@ecogeo.gov.kz", "a", "a", clock=CLOCK)
        await uow.commit()
    assert await EmailSender(app, SmtpSettings("127.0.0.1", free_port(), "x@y.kz")).send_due() == 0
    assert await statuses(app) == [("info@ecogeo.gov.kz", OutboxStatus.PENDING, 1)]


async def test_the_refusal_notice_reaches_the_quality_control_body_with_its_documents(
    app: App, smtp_server: tuple[Mailbox, int],
) -> None:
    mailbox, port = smtp_server
    mvd, _ = await seed(app)
    notice = None
    for day in (1, 15):
        clock = clock_at(2026, 12, day)
        reference = await escalate(app, f"Вопрос {day}", register_no=PASSPORT, clock=clock,
                                   chat=day)
        async with app.uow() as uow:
            refusal = await escalations.refuse(uow, reference, ground="plain",
                                               reason="Не наша компетенция", actor=mvd,
                                               clock=clock, deadlines=deadlines())
            _, notice = await refusals.confirm(uow, refusal.id, actor=OPERATOR, clock=clock,
                                               deadlines=deadlines())
            await uow.commit()
    assert notice is not None
    today, clock = date(2026, 12, 16), clock_at(2026, 12, 16)
    async with app.uow() as uow:
        queue_notice_email(uow, notice, "qc@kyzmet.gov.kz", today=today, clock=clock,
                           signatory=None)
        await uow.commit()
    app.clock = clock
    assert await EmailSender(app, SmtpSettings("127.0.0.1", port, "1414@ucc.kz")).send_due() == 1

    [letter] = mailbox.received
    assert letter["To"] == "qc@kyzmet.gov.kz"
    subject = subject_of(letter)  # in Kazakh / Russian, the agency by its name in each
    assert "ІІМ" in subject and "МВД" in subject and "mvd" not in subject
    assert notice_letter(notice, "kk", today, signatory=None) in body_of(letter)
    assert notice_letter(notice, "ru", today, signatory=None) in body_of(letter)
    files = attachments_of(letter)
    assert sorted(files) == sorted(
        f.filename for f in notice_documents(notice, today, signatory=None))
    [supporting] = [data for name, data in files.items() if name.endswith(".csv")]
    assert supporting.decode("utf-8-sig").count("Не наша компетенция") == 2


async def test_the_monthly_report_goes_whole_to_the_qc_body_and_each_agency_its_slice(
    app: App, smtp_server: tuple[Mailbox, int],
) -> None:
    mailbox, port = smtp_server
    await seed(app)
    await escalate(app, "Паспорт в другом городе", register_no=PASSPORT,
                   clock=clock_at(2026, 10, 5))
    await escalate(app, "Брак с иностранцем", register_no=MARRIAGE,
                   clock=clock_at(2026, 10, 20), chat=2)
    clock = clock_at(2026, 11, 5)
    async with app.uow() as uow:
        await uow.session.execute(update(AgencyRow).where(AgencyRow.code == "mvd")
                                  .values(email="kense@mvd.gov.kz"))
        await uow.session.execute(update(AgencyRow).where(AgencyRow.code == "mju")
                                  .values(email="info@minjust.gov.kz"))
        report = await generate_monthly_report(uow, date(2026, 10, 1), deadlines=deadlines(),
                                               clock=clock)
        sent_to = (await queue_report_emails(uow, report, "qc@kyzmet.gov.kz",
                                             clock=clock)).sent_to
        await uow.commit()
    app.clock = clock
    assert sent_to == ["qc@kyzmet.gov.kz", "kense@mvd.gov.kz", "info@minjust.gov.kz"]
    assert await EmailSender(app, SmtpSettings("127.0.0.1", port, "1414@ucc.kz")).send_due() == 3

    letters = {m["To"]: m for m in mailbox.received}
    assert sorted(letters) == ["info@minjust.gov.kz", "kense@mvd.gov.kz", "qc@kyzmet.gov.kz"]
    by_recipient = {
        who: {f.filename: f.data for f in report.files if f.recipient == who}
        for who in ("all", "mvd", "mju")
    }
    assert attachments_of(letters["qc@kyzmet.gov.kz"]) == by_recipient["all"]
    assert attachments_of(letters["kense@mvd.gov.kz"]) == by_recipient["mvd"]
    assert attachments_of(letters["info@minjust.gov.kz"]) == by_recipient["mju"]
    assert all("-mvd" in name for name in by_recipient["mvd"])
    assert all("-mju" in name for name in by_recipient["mju"])
    assert len(by_recipient["all"]) == len(by_recipient["mvd"]) == 1  # one workbook each
    subject = subject_of(letters["qc@kyzmet.gov.kz"])
    assert "2026 жылғы қазан" in subject and "октябрь 2026 г." in subject  # written out


async def test_an_agency_without_an_address_gets_no_report_letter_and_the_qc_one_waits(
    app: App,
) -> None:
    await seed(app)
    await escalate(app, "Паспорт в другом городе", register_no=PASSPORT,
                   clock=clock_at(2026, 10, 5))
    clock = clock_at(2026, 11, 5)
    async with app.uow() as uow:
        report = await generate_monthly_report(uow, date(2026, 10, 1), deadlines=deadlines(),
                                               clock=clock)
        letters = await queue_report_emails(uow, report, None, clock=clock)
        await uow.commit()
    assert {f.recipient for f in report.files} >= {"all", "mvd"}
    assert (letters.sent_to, letters.held) == ([], True)
    # no UCC_QC_EMAIL: the body's letter is held in the outbox, never sent nowhere
    assert await statuses(app) == [("quality-control", "held", 0)]
