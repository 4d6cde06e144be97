"""``UCC_SMS_MAX_PARTS`` holds on every path to a citizen who wrote by SMS, not only for the
replies of the conversation: the agency's answer and a complaint's response settled by
staff in Telegram, and an application's stage change fed by a provider.

The limit is the lowest allowed, two segments: the agency's answer and the complaint's
response here take four, the stage notice two (it comes whole)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.channels.sms import texts
from bot.channels.status.feed import feed
from bot.runners.telegram import create_bot
from bot.texts.complaints import DELIVERIES
from bot.texts.i18n import gettext_for
from bot.texts.status import STAGE_CHANGED
from knowledge.clock import FixedClock
from knowledge.sms.segments import segments
from knowledge.staff import Role, add_staff
from knowledge.status import load_stages, parse_csv
from knowledge.status.providers import add_provider
from tests.e2e.conftest import MakeSms
from tests.e2e.sms_fixtures import SmsHarness
from tests.e2e.telegram_fixtures import REFERENCE, Harness
from tests.fakes.bot_api import FakeBotAPI

ASKER, COMPLAINANT = "+77771234567", "+77011234567"
ADMIN = 830_901  # a staff member in Telegram
# Tuesday 1 December 2026, 11:00 in Astana.
CLOCK = FixedClock(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
NUMBER = "KZ-1001"
IIN = "951212400158"
COMPLAINT_NUMBER = re.compile(r"C-\d{6}-\d{5}")
LONG = "Верблюдов на Марсе не регистрируют, обратитесь в ЦОН. " * 4
LIMIT = 2


@pytest.fixture
async def one_part(make_sms: MakeSms, fake: FakeBotAPI) -> AsyncIterator[
        tuple[SmsHarness, Harness]]:
    """The SMS channel with a two-segment limit, and Telegram beside it on the same base
    (polling, serving no HTTP: the SMS channel has the port)."""
    sms = await make_sms(sms_max_parts=LIMIT, sms_quota_hour=30, serve_http=False,
                         status={"serve_http": False})
    sms.app.clock = CLOCK  # before Telegram starts: its routers keep the clock
    async with sms.app.uow() as uow:
        await add_staff(uow, "Админ", Role.ADMIN, CLOCK, telegram_user_id=ADMIN)
        await add_provider(uow, "egov", CLOCK)
        await uow.commit()
    telegram = Harness(fake, sms.app, create_bot(fake.token, fake.base_url))
    await telegram.start()
    try:
        yield sms, telegram
    finally:
        await telegram.stop()
        await telegram.bot.session.close()


async def sms_after(sms: SmsHarness, number: str, before: int) -> str:
    """The SMS the citizen got after ``before`` others, queued outside the conversation."""
    sms.runtime.replies.set()  # type: ignore[union-attr]
    await sms.wait(lambda: len(sms.fake.sent_to(number)) > before, f"an SMS to {number}")
    return sms.fake.sent_to(number)[before].text


async def test_every_path_to_an_sms_citizen_keeps_the_segment_limit(
    one_part: tuple[SmsHarness, Harness],
) -> None:
    sms, telegram = one_part

    # the agency's answer, given in Telegram
    [escalated] = await sms.ask(ASKER, "Какие документы нужны?")
    assert segments(escalated.text) <= LIMIT
    found = REFERENCE.search(escalated.text)
    assert found is not None
    reference = found.group()
    await telegram.ask(ADMIN, f"/answer {reference} {LONG}")
    answer = await sms_after(sms, ASKER, 1)
    assert segments(answer) <= LIMIT
    # too long for one SMS: not cut, it comes in parts, each on the citizen's "1"
    assert reference in answer
    assert answer.endswith(gettext_for("ru").gettext(texts.CONTINUED))

    # a complaint's response, given in Telegram
    for text in ("ЖАЛОБА", "удостоверение личности", "1", "Астана", "1",
                 "В ЦОНе потребовали справку с места жительства, её нет в списке.",
                 "Иванов Иван Иванович"):
        await sms.ask(COMPLAINANT, text)
    registered, _route = await sms.ask(COMPLAINANT, "1", expect=2)
    [complaint] = COMPLAINT_NUMBER.findall(registered.text)
    await telegram.ask(ADMIN, f"/cresp {complaint} {LONG}")
    response = await sms_after(sms, COMPLAINANT, 9)
    assert segments(response) <= LIMIT
    # too long for one SMS: not cut, it comes in parts as an agency's answer does
    continued = gettext_for("ru").gettext(texts.CONTINUED)
    assert response.endswith(continued)
    head = " ".join(response.removesuffix(continued).split())
    assert head and " ".join(gettext_for("ru").gettext(DELIVERIES["answered"]).format(
        number=complaint, text=LONG).split()).startswith(head)

    # a stage change fed by the provider
    await feed(sms.app, parse_csv(
        "application_no,provider,stage,iin,updated_at\n"
        f"{NUMBER},egov,received,{IIN},2026-12-01T10:00:00+05:00\n".encode(),
        sms.app.status_desk.stages))
    await sms.ask(ASKER, f"СТАТУС {NUMBER}")
    await sms.ask(ASKER, IIN)
    await feed(sms.app, parse_csv(
        b"application_no,provider,stage,iin,updated_at\n"
        b"KZ-1001,egov,documents_requested,,2026-12-02T09:30:00+05:00\n",
        sms.app.status_desk.stages))
    notice = await sms_after(sms, ASKER, 4)
    whole = gettext_for("ru").gettext(STAGE_CHANGED).format(
        number=NUMBER, stage=load_stages()["documents_requested"].text("ru"))
    assert notice == whole
