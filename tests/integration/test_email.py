"""E-mail through the outbox, against a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import email
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.app import App
from bot.channels.email.sender import Attachment, EmailSender, SmtpSettings, queue_email
from knowledge.clock import FixedClock
from knowledge.db.tables import OutboxRow
from knowledge.outbox import OutboxStatus
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
    assert str(email.header.make_header(email.header.decode_header(letter["Subject"]))) == \
        "Сұрау салу / Запрос"
    parts = list(letter.walk())
    body = next(p for p in parts if p.get_content_type() == "text/plain")
    text = body.get_payload(decode=True)
    assert isinstance(text, bytes) and "Құрметті әріптестер!" in text.decode()
    [attached] = [p for p in parts if p.get_filename() == "annex1.xlsx"]
    assert attached.get_payload(decode=True) == b"PK\x03\x04"
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
