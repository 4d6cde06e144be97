"""The SMS keyword flows end to end, the fake Jasmin posting MO to the real endpoints: an
application's status (``СТАТУС 12345`` / ``МӘРТЕБЕ``, then the IIN by SMS, which is kept
nowhere in clear) with the stage change notice, and a complaint (``ЖАЛОБА`` / ``ШАҒЫМ``,
numbered steps, the registration with its appeal route, the agency's response by SMS; ``0``
cancels and leaves nothing)."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.channels.sms import texts
from bot.channels.status.feed import feed
from bot.logs import RedactingFilter
from bot.texts.complaints import CANCELLED, STEPS
from bot.texts.i18n import gettext_for
from bot.texts.status import STAGE_CHANGED, TEXTS
from knowledge import complaints
from knowledge.clock import FixedClock
from knowledge.complaints.intake import Step
from knowledge.db.tables import (
    ComplaintDraftRow,
    ComplaintRow,
    ConversationRow,
    EscalationRow,
    InboxRow,
    OutboxRow,
    UnansweredRow,
)
from knowledge.sms.segments import segments
from knowledge.staff import Actor, Role
from knowledge.status import Reply, StatusAnswer, load_stages, parse_csv
from knowledge.status.providers import add_provider
from tests.e2e.conftest import MakeSms
from tests.e2e.sms_fixtures import SmsHarness

KZ = "+77011234567"
RU = "+77771234567"
GUESSER = "+77051234567"
IIN, OTHER_IIN = "951212400158", "750315400232"
NUMBER = "KZ-1001"
CSV = ("application_no,provider,stage,iin,updated_at\n"
       f"{NUMBER},egov,received,{IIN},2026-12-01T10:00:00+05:00\n")
COMPLAINT_NUMBER = re.compile(r"C-\d{6}-\d{5}")


def tr(lang: str, msgid: str) -> str:
    return gettext_for(lang).gettext(msgid)


def status_text(lang: str, reply: Reply, **values: str) -> str:
    return tr(lang, TEXTS[reply]).format(**{"number": "", "stage": "", "updated": "",
                                            **values})


UPDATED = {"kk": "2026\u202fж. 1 желтоқсан, 10:00", "ru": "1 декабря 2026, 10:00"}


def stage_text(lang: str, stage: str) -> str:
    return status_text(lang, Reply.STAGE, number=NUMBER,
                       stage=load_stages()[stage].text(lang), updated=UPDATED[lang])


async def with_applications(sms: SmsHarness) -> None:
    sms.app.clock = FixedClock(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
    async with sms.app.uow() as uow:
        await add_provider(uow, "egov", sms.app.clock)
    await feed(sms.app, parse_csv(CSV.encode(), sms.app.status_desk.stages))


async def logged_texts(sms: SmsHarness) -> list[str]:
    async with sms.app.uow() as uow:
        return list(await uow.session.scalars(select(ConversationRow.text)))


# ---- the status of an application


async def test_status_by_sms_in_russian_asks_the_iin_tells_the_stage_and_keeps_no_iin(
    sms: SmsHarness, masked_records: list[logging.LogRecord],
) -> None:
    records = masked_records
    await with_applications(sms)

    [asked] = await sms.ask(RU, f"СТАТУС {NUMBER}")
    [told] = await sms.ask(RU, IIN)

    assert asked.text == status_text("ru", Reply.ASK_IIN, number=NUMBER)
    assert told.text == stage_text("ru", "received")
    assert "Заявка принята" in told.text and segments(told.text) <= 3
    # the IIN is in no stored SMS, outgoing SMS, conversation line or log record
    assert not [row for row in await sms.rows(InboxRow)
                if IIN in json.dumps(row.payload, ensure_ascii=False)]
    assert not [row for row in await sms.rows(OutboxRow)
                if IIN in json.dumps(row.payload, ensure_ascii=False)]
    logged = await logged_texts(sms)
    assert "[IIN]" in logged and not [text for text in logged if IIN in text]
    assert records
    assert not [r for r in records if r.levelno >= logging.INFO and IIN in r.getMessage()]
    # at every level, as made (before any filter below): aiosqlite's DEBUG lines of the
    # stored SMS (its SQL parameters) are there, with the IIN masked
    assert [r for r in records if r.name == "aiosqlite" and r.levelno == logging.DEBUG
            and f"{IIN[:2]}********{IIN[-2:]}" in r.getMessage()]
    assert not [r for r in records if IIN in r.getMessage()]
    masking = RedactingFilter()
    assert not [r for r in records if masking.filter(r) and IIN in r.getMessage()]


async def test_status_by_sms_in_kazakh_and_a_stage_change_is_sent_by_sms(
    sms: SmsHarness,
) -> None:
    await with_applications(sms)

    [asked] = await sms.ask(KZ, "мартебе kz-1001")  # without Kazakh letters, lower case
    [told] = await sms.ask(KZ, IIN)
    await feed(sms.app, parse_csv(
        b"application_no,provider,stage,iin,updated_at\n"
        b"KZ-1001,egov,ready,,2026-12-02T09:30:00+05:00\n", sms.app.status_desk.stages))
    sms.runtime.replies.set()  # type: ignore[union-attr]
    await sms.wait(lambda: len(sms.fake.sent_to(KZ)) == 3, "the stage change by SMS")

    # the whole request would not fit in three SMS: its short form, with the way to stop
    assert asked.text == tr("kk", texts.SMS_ASK_IIN).format(number=NUMBER)
    assert "«бас тарту»" in asked.text
    assert told.text == stage_text("kk", "received")
    assert "Өтінім қабылданды" in told.text
    notice = sms.fake.sent_to(KZ)[2].text
    assert notice == tr("kk", STAGE_CHANGED).format(
        number=NUMBER, stage=load_stages()["ready"].text("kk"))
    assert notice == "KZ-1001 өтініміңіздің мәртебесі өзгерді: Нәтиже дайын, оны алуға болады."


async def test_a_wrong_iin_and_an_unknown_number_get_the_same_neutral_sms(
    sms: SmsHarness,
) -> None:
    await with_applications(sms)

    [asked] = await sms.ask(GUESSER, "status")
    [asked_iin] = await sms.ask(GUESSER, NUMBER)  # the number, asked for
    [wrong_iin] = await sms.ask(GUESSER, OTHER_IIN)
    await sms.ask(GUESSER, "status KZ-9999")
    [unknown] = await sms.ask(GUESSER, IIN)

    lang = "kk" if asked.text == status_text("kk", Reply.ASK_NUMBER) else "ru"
    assert asked.text == status_text(lang, Reply.ASK_NUMBER)
    assert asked_iin.text == texts.status_text(StatusAnswer(Reply.ASK_IIN, lang, NUMBER), 3)
    assert wrong_iin.text == unknown.text
    assert wrong_iin.text == texts.status_text(StatusAnswer(Reply.NOT_FOUND, lang), 3)
    assert not [row for row in await sms.rows(InboxRow)
                if {IIN, OTHER_IIN} & set(re.findall(r"\d{12}", json.dumps(row.payload)))]


async def test_five_failures_lock_the_number_out(make_sms: MakeSms) -> None:
    sms = await make_sms(sms_quota_hour=20)  # eleven messages in the hour
    await with_applications(sms)
    for n in range(5):
        await sms.ask(GUESSER, f"СТАТУС KZ-{9000 + n}")
        [failed] = await sms.ask(GUESSER, IIN)
        assert failed.text == status_text("ru", Reply.NOT_FOUND)

    [locked] = await sms.ask(GUESSER, f"СТАТУС {NUMBER}")

    assert locked.text.startswith(gettext_for("ru").ngettext(
        "Too many unsuccessful attempts. Please try again in {minutes} minute.",
        "Too many unsuccessful attempts. Please try again in {minutes} minutes.", 60,
    ).split("{minutes}")[0])


async def test_status_by_sms_as_people_write_it_and_a_late_iin_is_not_passed_on(
    sms: SmsHarness,
) -> None:
    """Issue 17: "СТАТУС KZ-1001." then "ИИН …"; the number and the IIN in one SMS; an IIN
    after the inquiry timed out is neither checked nor escalated, and kept nowhere."""
    await with_applications(sms)
    clock = sms.app.clock
    assert isinstance(clock, FixedClock)

    [asked] = await sms.ask(RU, f"Статус {NUMBER}.")
    [told] = await sms.ask(RU, f"ИИН {IIN}")
    [at_once] = await sms.ask(KZ, f"СТАТУС {NUMBER} {IIN}")
    await sms.ask(GUESSER, f"СТАТУС {NUMBER}")
    clock.at += timedelta(minutes=11)
    [late] = await sms.ask(GUESSER, IIN)

    assert asked.text == status_text("ru", Reply.ASK_IIN, number=NUMBER)
    assert told.text == stage_text("ru", "received")
    assert at_once.text == stage_text("ru", "received")
    assert late.text == status_text("ru", Reply.UNEXPECTED_IIN)
    async with sms.app.uow() as uow:
        for table in (EscalationRow, UnansweredRow):
            assert not list(await uow.session.scalars(select(table)))
    assert not [row for row in await sms.rows(InboxRow)
                if IIN in json.dumps(row.payload, ensure_ascii=False)]
    assert not [text for text in await logged_texts(sms) if IIN in text]


# ---- complaints


async def complaint_rows(sms: SmsHarness) -> tuple[int, int]:
    async with sms.app.uow() as uow:
        drafts = await uow.session.scalar(select(func.count()).select_from(ComplaintDraftRow))
        lodged = await uow.session.scalar(select(func.count()).select_from(ComplaintRow))
    return int(drafts or 0), int(lodged or 0)


async def test_a_russian_complaint_by_sms_is_registered_and_the_response_comes_by_sms(
    make_sms: MakeSms,
) -> None:
    sms = await make_sms(sms_quota_hour=20)  # nine steps and a few slips within the hour
    # Friday 20 March 2026, 11:00 in Astana: Nauryz makes 21-25 March days off.
    sms.app.clock = FixedClock(datetime(2026, 3, 20, 6, 0, tzinfo=UTC))

    [service] = await sms.ask(RU, "ЖАЛОБА")
    [services] = await sms.ask(RU, "удостоверение личности")
    [regions] = await sms.ask(RU, "1")
    [natures] = await sms.ask(RU, "Астана")
    [content] = await sms.ask(RU, "1")
    [name] = await sms.ask(RU, "В ЦОНе потребовали справку с места жительства, её нет в списке.")
    [consent] = await sms.ask(RU, "Иванов Иван Иванович")
    assert await complaint_rows(sms) == (1, 0)  # nothing registered before the consent
    registered, route = await sms.ask(RU, "1", expect=2)

    for step in (service, services, regions, natures, content, name, consent, registered,
                 route):
        assert segments(step.text) <= 3, step.text
    assert tr("ru", STEPS[Step.SERVICE]) in service.text and "1. Не знаю" in service.text
    assert "1. " in services.text and tr("ru", STEPS[Step.SERVICE_PICK]) in services.text
    assert regions.text.startswith(tr("ru", texts.SMS_REGION))
    assert "1 — Потребовали лишние документы, 2 — " in natures.text
    assert content.text == tr("ru", STEPS[Step.CONTENT]) + "\n0 — отмена"
    assert tr("ru", texts.SMS_CONSENT) in consent.text or "Иванов" in consent.text
    [number] = COMPLAINT_NUMBER.findall(registered.text)
    assert "R-260320-00001" in registered.text
    assert number in route.text and "1 апреля 2026" in route.text  # 5 working days
    assert "15 апреля 2026" in route.text and "органе контроля качества" in route.text
    assert await complaint_rows(sms) == (0, 1)
    assert not [t for t in await logged_texts(sms) if "Иванов" in t]  # a placeholder only

    async with sms.app.uow() as uow:
        await complaints.respond(uow, number, text_ru="Справка не требуется; сотруднику "
                                 "сделано замечание.", actor=Actor("Админ", Role.ADMIN),
                                 clock=sms.app.clock)
        assert await sms.app.notifier.pending_complaint_outcomes(uow) == 1
        await uow.commit()
    sms.runtime.replies.set()  # type: ignore[union-attr]
    await sms.wait(lambda: len(sms.fake.sent_to(RU)) == 10, "the agency's response by SMS")
    delivered = sms.fake.sent_to(RU)[-1].text
    assert number in delivered and "Справка не требуется" in delivered
    assert delivered.startswith("Ответ госоргана") or number in delivered.split("\n")[0]
    assert segments(delivered) <= 3


async def test_a_kazakh_complaint_cancelled_with_0_leaves_nothing(sms: SmsHarness) -> None:
    [service] = await sms.ask(KZ, "ШАҒЫМ")
    [regions] = await sms.ask(KZ, "1")  # I don't know the service
    assert await complaint_rows(sms) == (1, 0)
    [cancelled] = await sms.ask(KZ, "0")
    [question] = await sms.ask(KZ, "Төлқұжат қанша тұрады?")  # the engine again

    assert tr("kk", STEPS[Step.SERVICE]) in service.text
    assert regions.text.startswith(tr("kk", texts.SMS_REGION))
    assert cancelled.text == tr("kk", CANCELLED)
    assert await complaint_rows(sms) == (0, 0)
    assert question.text != cancelled.text and tr("kk", STEPS[Step.SERVICE]) not in question.text


async def test_help_and_stop_work_in_the_middle_of_a_complaint(sms: SmsHarness) -> None:
    await sms.ask(RU, "complaint")
    [helped] = await sms.ask(RU, "HELP")
    assert helped.text in (tr("ru", texts.HELP), tr("kk", texts.HELP))
    assert await complaint_rows(sms) == (1, 0)  # help leaves the draft open
    [stopped] = await sms.ask(RU, "СТОП")
    assert stopped.text == tr("ru", texts.STOPPED)
    assert await complaint_rows(sms) == (0, 0)
