"""The whole onboarding protocol through Telegram, across Nauryz 2026: an operator records the
steps with buttons and commands, the responsible person joins by invite, uploads the
information, gets the operators' questions, and both sides sign the protocol; the service
answers citizens on its activation date and not before."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from email.message import Message
from io import BytesIO

from docx import Document
from openpyxl import load_workbook

from bot.jobs import run_job
from bot.jobs.onboarding import OnboardingJob
from bot.notify.letters import request_documents
from knowledge import onboarding
from knowledge.agencies import add_agency
from knowledge.clock import FixedClock
from knowledge.onboarding.documents import SHEET_TITLES
from knowledge.staff import Actor, Role, add_staff
from tests.e2e.telegram_fixtures import Harness, button, inline_buttons
from tests.fakes.bot_api import Call, callback_update, document_update
from tests.fakes.mailbox import Mailbox, running_mailbox

MakeHarness = Callable[..., Awaitable[Harness]]
OPERATOR_ID, AGENCY_ID, OTHER_AGENCY_ID, CITIZEN_ID = 820_001, 820_002, 820_003, 820_004
OTHER_OPERATOR_ID = 820_005
# Thursday 19 March 2026, 14:00 in Astana; Nauryz is 21-25 March (with the moved days).
CLOCK = FixedClock(datetime(2026, 3, 19, 9, 0, tzinfo=UTC))
ADMIN = Actor("admin", Role.ADMIN)
QUESTION = "Балық аулауға рұқсатты қалай аламын?"
AGENCY_EMAIL = "info@ecogeo.gov.kz"


async def setup(h: Harness) -> None:
    async with h.app.uow() as uow:
        for code, kk, ru, address in (
            ("mep", "Экология министрлігі", "Министерство экологии", AGENCY_EMAIL),
            ("akimat", "Алматы әкімдігі", "Акимат Алматы", None),
        ):
            await add_agency(uow, code, name_kk=kk, name_ru=ru, kind="central", email=address)
        await add_staff(uow, "Оператор Айгүл", Role.OPERATOR, CLOCK,
                        telegram_user_id=OPERATOR_ID)
        await add_staff(uow, "Әкімдік маманы", Role.AGENCY, CLOCK, agency_code="akimat",
                        telegram_user_id=OTHER_AGENCY_ID)
        for reg, code in (("701001", "mep"), ("702002", "akimat")):
            await onboarding.start_case(uow, reg, code, date(2026, 3, 17), actor=ADMIN,
                                        clock=CLOCK, deadlines=h.app.deadlines,
                                        name_kk=f"Балық аулау {reg}", name_ru=f"Рыбалка {reg}")
        await uow.commit()


def filled_template(h: Harness, case: onboarding.Case) -> bytes:
    documents = request_documents(case, executor=None, on=CLOCK.now().date(),
                                  deadlines=h.app.deadlines)
    book = load_workbook(BytesIO(documents[-1].data))
    book[SHEET_TITLES["faq"]]["A2"] = "mep.fishing.how"
    book[SHEET_TITLES["faq"]]["B2"] = QUESTION
    book[SHEET_TITLES["faq"]]["D2"] = "egov.kz арқылы, тегін."
    out = BytesIO()
    book.save(out)
    return out.getvalue()


async def send_file(h: Harness, chat: int, data: bytes, name: str,
                    caption: str | None = None) -> list[Call]:
    before = len(h.replies(chat))
    file_id = h.fake.add_file(data)
    await h.deliver(document_update(chat, file_id, name, size=len(data), caption=caption,
                                       language_code="kk"))
    await h.wait_replies(chat, before + 1)
    await h.settled()
    return h.replies(chat)[before:]


def attachments(letter: Message) -> dict[str, bytes]:
    """A received letter's attached files by name."""
    return {str(part.get_filename()): data for part in letter.walk()
            if part.get_filename() and isinstance(data := part.get_payload(decode=True), bytes)}


def documents_to(h: Harness, chat: int) -> list[Call]:
    return [c for c in h.fake.calls_of("sendDocument")
            if c.ok and str(c.params.get("chat_id")) == str(chat)]


async def test_the_protocol_from_request_to_live_is_run_in_telegram(
    make_harness: MakeHarness,
) -> None:
    with running_mailbox() as (mailbox, port):
        h = await make_harness(smtp_host="127.0.0.1", smtp_port=port)
        await run_the_protocol(h, mailbox)


async def test_without_an_smtp_server_the_request_is_said_to_wait_not_to_be_e_mailed(
    make_harness: MakeHarness,
) -> None:
    """Small (issue 18): with UCC_SMTP_HOST unset the letter waits in the outbox, and the
    operator is told so, in Russian and in Kazakh."""
    h = await make_harness()
    assert h.app.settings.smtp_host is None
    h.app.clock = CLOCK
    await setup(h)
    async with h.app.uow() as uow:
        await add_staff(uow, "Оператор Бекзат", Role.OPERATOR, CLOCK,
                        telegram_user_id=OTHER_OPERATOR_ID)
        await onboarding.start_case(uow, "703003", "mep", date(2026, 3, 17), actor=ADMIN,
                                    clock=CLOCK, deadlines=h.app.deadlines,
                                    name_kk="Балық аулау 703003", name_ru="Рыбалка 703003")
        await uow.commit()
    await h.start()
    for chat, register_no, lang, waits in (
        (OPERATOR_ID, "701001", "ru", "SMTP"), (OTHER_OPERATOR_ID, "703003", "kk", "SMTP"),
    ):
        [card] = await h.ask(chat, f"/case {register_no}", lang=lang)
        [recorded] = await h.press(chat, button(card, prefix="ob:request_sent"), card,
                                   lang=lang, expect=1)
        said = str(recorded.params["text"])
        assert AGENCY_EMAIL in said and waits in said, said
        assert "отправлены по электронной почте" not in said
        assert "электрондық поштамен жіберілді" not in said


async def run_the_protocol(h: Harness, mailbox: Mailbox) -> None:
    h.app.clock = CLOCK
    await setup(h)
    await h.start()
    await h.wait_replies(OPERATOR_ID, 2)  # the scheduler's reminders: both requests due
    await h.settled()

    # the operator records the request with the case's button: the agency gets it by e-mail
    [card] = await h.ask(OPERATOR_ID, "/case 701001", lang="ru")
    assert "701001" in card.params["text"]
    [recorded] = await h.press(OPERATOR_ID, button(card, prefix="ob:request_sent"), card,
                               expect=1)
    assert "срок 27 марта 2026" in recorded.params["text"]  # 3 working days, Nauryz out
    assert AGENCY_EMAIL in recorded.params["text"]
    def requests() -> list[dict[str, bytes]]:  # the agency gets the monthly report too
        return [files for files in map(attachments, mailbox.to(AGENCY_EMAIL))
                if "request-701001.xlsx" in files]

    await h.wait(lambda: bool(requests()), "the request e-mailed to the agency")
    [attached] = requests()
    assert list(attached) == ["request-701001.docx", "request-701001.xlsx",
                              "information-701001.xlsx"]
    form = load_workbook(BytesIO(attached["request-701001.xlsx"]))
    assert form.sheetnames == ["Қазақша", "Русский"]
    assert "Рыбалка 701001" in [c.value for c in form["Русский"]["C"]]
    template = load_workbook(BytesIO(attached["information-701001.xlsx"]))
    assert template[SHEET_TITLES["service"]]["B2"].value == "701001"

    # ... appoints the responsible person, whose invite binds their account
    [invited] = await h.ask(
        OPERATOR_ID, "/appoint 701001; Ержан Сапаров; бас маман; +77010000000;", lang="ru")
    code = re.search(r"start=inv-([\w-]+)", invited.params["text"])
    assert code is not None, invited.params["text"]
    [welcome] = await h.ask(AGENCY_ID, f"/start inv-{code.group(1)}", lang="kk")
    assert "Ержан Сапаров" in welcome.params["text"]

    # the responsible person sends the filled template: a draft, invisible to citizens
    async with h.app.uow() as uow:
        case = await onboarding.case_of(uow, "701001", ADMIN)
    [stored] = await send_file(h, AGENCY_ID, filled_template(h, case), "information.xlsx")
    assert "Рақмет" in stored.params["text"]

    # operators' questions on the draft go to the responsible person
    [kept] = await h.ask(OPERATOR_ID, "/question 701001 Рұқсат неше күнде беріледі?",
                         lang="ru")
    assert "1" in kept.params["text"]
    [card] = await h.ask(OPERATOR_ID, "/case 701001", lang="ru")
    before = len(h.replies(AGENCY_ID))
    await h.press(OPERATOR_ID, button(card, prefix="ob:send_questions"), card, expect=1)
    await h.wait_replies(AGENCY_ID, before + 1)
    assert "Рұқсат неше күнде беріледі?" in h.replies(AGENCY_ID)[-1].params["text"]

    # the training held: the protocol (kk and ru) goes to both sides to sign
    [card] = await h.ask(OPERATOR_ID, "/case 701001", lang="ru")
    await h.press(OPERATOR_ID, button(card, prefix="ob:training_held"), card, expect=1)
    await h.wait(lambda: bool(documents_to(h, AGENCY_ID) and documents_to(h, OPERATOR_ID)),
                 "the protocol sent to both sides")
    upload = documents_to(h, AGENCY_ID)[0].params["document"]
    text = "\n".join(p.text for p in Document(BytesIO(upload.data)).paragraphs)
    assert "хаттама" in text.lower() and "протокол" in text.lower() and "701001" in text

    # another agency's person cannot sign it, not even with a forged button
    before = len(h.replies(OTHER_AGENCY_ID))
    await h.deliver(callback_update(OTHER_AGENCY_ID, "ob:sign:701001", message_id=1,
                                    language_code="ru"))
    await h.wait_replies(OTHER_AGENCY_ID, before + 1)
    assert "не разрешено" in h.replies(OTHER_AGENCY_ID)[-1].params["text"].lower()

    # the agency signs in the bot, the center by the signed scan
    [waiting] = await h.ask(AGENCY_ID, "/sign 701001", lang="kk")
    assert "екінші тарап" in waiting.params["text"].lower()
    [signed] = await send_file(h, OPERATOR_ID, b"%PDF-1.4 scan", "protocol.pdf",
                               caption="protocol 701001")
    # five working days after Thursday 19 March, Nauryz and the weekends skipped
    assert "болатын күн: 2026\u202fж. 31 наурыз." in signed.params["text"]

    async with h.app.uow() as uow:
        case = await onboarding.case_of(uow, "701001", ADMIN)
    assert (case.step, case.activation_on) == ("live", date(2026, 3, 31))
    job = OnboardingJob(h.app)
    before = await run_job(h.app, job, date(2026, 3, 30))
    assert before is not None and before.live == []
    on_the_day = await run_job(h.app, job, date(2026, 3, 31))
    assert on_the_day is not None
    [live] = on_the_day.live
    assert live.register_no == "701001"
    [answer] = await h.ask(CITIZEN_ID, QUESTION, lang="kk")
    assert "egov.kz арқылы, тегін." in answer.params["text"]


async def test_a_refusal_reaches_staff_in_their_language_not_in_english(
    make_harness: MakeHarness,
) -> None:
    """Issue 20: a domain refusal (an unknown case, a step the case does not wait for) is
    told to staff in Kazakh or Russian, never in the command line's English."""
    h = await make_harness()
    h.app.clock = CLOCK
    await setup(h)
    await h.start()
    await h.wait_replies(OPERATOR_ID, 2)  # the scheduler's reminders: both requests due
    await h.settled()
    english = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z']{2,}){3,}")  # four English words
    for lang, no_case, waits in (("kk", "ашық қосылу ісі жоқ", "Күтілетін қадам"),
                                 ("ru", "нет открытого дела", "Ожидаемый шаг")):
        [missing] = await h.ask(OPERATOR_ID, "/case 799999", lang=lang)
        text = str(missing.params["text"])
        assert "799999" in text and no_case in text, text
        assert "open onboarding case" not in text and english.findall(text) == [], text
        [card] = await h.ask(OPERATOR_ID, "/case 701001", lang=lang)
        # a stale or forged button: a step the case does not wait for
        for pressable in inline_buttons(card):
            if str(pressable.get("callback_data", "")).startswith("ob:request_sent"):
                pressable["callback_data"] = "ob:training_held:701001"
        [refused] = await h.press(OPERATOR_ID, "ob:training_held:701001", card, lang=lang,
                                  expect=1)
        text = str(refused.params["text"])
        assert "701001" in text and waits in text, text
        assert "request_sent" not in text and english.findall(text) == [], text
