"""The escalation loop through Telegram: a citizen's question goes to the agency of its
service, the agency answers in the bot, the citizen gets the answer in their language,
an operator curates it, another approves, and the bot answers the next citizen itself.
Refusals are reviewed by operators and the para 12 notice's files come to their chat.
Another agency sees none of it, not even with a forged button."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from sqlalchemy import select, update

from bot.jobs import run_job
from bot.jobs.escalations import EscalationJob
from bot.notify.quality import notice_documents
from handlers.callbacks import AskAbout
from handlers.escalations import EscalationAction
from knowledge.catalog import live_services
from knowledge.clock import FixedClock
from knowledge.db.tables import OutboxRow, ServiceRow
from knowledge.escalations import list_escalations
from knowledge.refusals import notices, refusals
from knowledge.staff import SYSTEM, Actor, Role, add_staff
from tests.e2e.telegram_fixtures import REFERENCE, Harness, button, callback_datas, t
from tests.fakes.bot_api import Call, callback_update

MakeHarness = Callable[..., Awaitable[Harness]]
OPERATOR, REVIEWER, MVD, MJU, GP = 830_001, 830_002, 830_003, 830_004, 830_005
CITIZEN, NEXT_CITIZEN, KK_CITIZEN = 830_101, 830_102, 830_103
# Tuesday 1 December 2026, 11:00 in Astana.
CLOCK = FixedClock(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
# Questions the base cannot answer whose service the engine identifies (the ID card, the
# passport): they go to mvd's queue. One that only weakly matches the ID card ("в
# выходные дни", 0.18) would wait in the operators' triage (issue 18, item 2).
QUESTION = "Выдают ли удостоверение личности в субботу?"
SECOND_QUESTION = "Выдают ли паспорт в субботу?"
KK_QUESTION = "Жеке куәлікті сенбіде бере ме?"
ANSWER = "Да, в субботу ЦОНы выдают удостоверения с 9:00 до 13:00."
# Questions the demo base does not answer: a service named, nothing asked that its entries
# tell apart, so the citizen is offered the service's entries and can pass the question on.
SATURDAY_QUESTION = "Выдают ли паспорт в субботу?"
SATURDAY_ANSWER = "Да, по субботам ЦОНы выдают готовые паспорта с 9:00 до 13:00."
ADMIN = Actor("admin", Role.ADMIN)


async def setup(h: Harness) -> None:
    h.app.clock = CLOCK
    async with h.app.uow() as uow:
        await add_staff(uow, "Оператор Айгүл", Role.OPERATOR, CLOCK, telegram_user_id=OPERATOR)
        await add_staff(uow, "Оператор Бекзат", Role.OPERATOR, CLOCK,
                        telegram_user_id=REVIEWER)
        await add_staff(uow, "Дана (ІІМ)", Role.AGENCY, CLOCK, agency_code="mvd",
                        telegram_user_id=MVD)
        await add_staff(uow, "Ержан (ӘМ)", Role.AGENCY, CLOCK, agency_code="mju",
                        telegram_user_id=MJU)
        await uow.commit()
    await h.start()


async def escalate(h: Harness, chat: int, text: str, lang: str) -> str:
    """The citizen asks, is offered choices, presses "none of these": the reference."""
    [choices] = await h.ask(chat, text, lang=lang)
    [passed] = await h.press(chat, "none", choices, lang=lang, expect=1)
    found = REFERENCE.findall(str(passed.params["text"]))
    assert len(found) == 1, passed.params["text"]
    return str(found[0])


async def forged(h: Harness, chat: int, data: str) -> Call:
    before = len(h.replies(chat))
    await h.deliver(callback_update(chat, data, message_id=1, language_code="ru"))
    await h.wait_replies(chat, before + 1)
    await h.settled()
    return h.replies(chat)[-1]


def text_of(call: Call) -> str:
    return str(call.params.get("text") or call.params.get("caption") or "")


def csv_text(call: Call) -> str:
    return bytes(call.params["document"].data).decode("utf-8-sig")


def documents_to(h: Harness, chat: int) -> list[Call]:
    return [c for c in h.fake.calls_of("sendDocument")
            if c.ok and str(c.params.get("chat_id")) == str(chat)]


async def test_an_escalated_question_answered_by_the_agency_is_curated_and_answered_by_the_bot(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness()
    await setup(h)
    reference = await escalate(h, CITIZEN, QUESTION, "ru")

    # the agency of the service hears of it; the other agency does not
    before = {chat: len(h.replies(chat)) for chat in (MVD, MJU)}
    await run_job(h.app, EscalationJob(h.app))
    await h.wait_replies(MVD, before[MVD] + 1)
    await h.settled()
    assert reference in text_of(h.replies(MVD)[-1])
    assert len(h.replies(MJU)) == before[MJU]

    # another agency can neither read, take, answer nor export it
    [closed] = await h.ask(MJU, f"/esc {reference}")
    assert text_of(closed) == t("ru", "This is not yours to do.")
    assert text_of(await forged(
        h, MJU, EscalationAction(action="take", reference=reference).pack())) == t(
        "ru", "This is not yours to do.")
    [refused] = await h.ask(MJU, f"/answer {reference} Не знаем.")
    assert text_of(refused) == t("ru", "This is not yours to do.")
    [nothing] = await h.ask(MJU, "/queue")
    assert text_of(nothing) == t("ru", "No open questions.")
    [not_theirs] = await h.ask(MJU, "/queue mvd")
    assert text_of(not_theirs) == t("ru", "This is not yours to do.")
    before_docs = len(documents_to(h, MJU))
    await h.ask(MJU, "/export", expect=0)
    await h.wait(lambda: len(documents_to(h, MJU)) > before_docs, "the export")
    assert reference not in csv_text(documents_to(h, MJU)[-1])

    # the agency takes it from its queue and answers in Russian
    [queue] = await h.ask(MVD, "/queue")
    assert reference in text_of(queue)
    [card] = await h.press(MVD, button(queue, prefix=f"es:show:{reference}"), queue, expect=1)
    assert QUESTION in text_of(card)
    [taken] = await h.press(MVD, button(card, prefix="es:take:"), card, expect=1)
    assert reference in text_of(taken)
    waiting = len(h.replies(CITIZEN))
    [done] = await h.ask(MVD, f"/answer {reference} {ANSWER}")
    assert reference in text_of(done)
    await h.wait_replies(CITIZEN, waiting + 1)
    delivered = text_of(h.replies(CITIZEN)[-1])
    assert reference in delivered and ANSWER in delivered
    assert delivered.startswith(t("ru", "The answer to your question {reference}:\n\n{text}")
                                .split("{reference}")[0])
    async with h.app.uow() as uow:
        [row] = [e for e in await list_escalations(uow, SYSTEM) if e.reference == reference]
    assert (row.status, row.reply_ru, row.reply_kk) == ("answered", ANSWER, None)
    await h.ask(MVD, "/export", expect=0)
    await h.wait(lambda: bool(documents_to(h, MVD)), "the agency's export")
    exported = list(csv.reader(io.StringIO(csv_text(documents_to(h, MVD)[-1]))))
    assert [r[0] for r in exported[1:]] == [reference]

    # an operator proposes it as an entry in both languages; only another one approves
    [listing] = await h.ask(OPERATOR, "/curation")
    assert reference in text_of(listing) and "#1 " in text_of(listing)
    [proposed] = await h.ask(OPERATOR, (
        "/propose 1\n"
        "kk: Жеке куәлікті демалыс күндері бере ме? = Иә, сенбі күні ХҚКО жеке куәлікті "
        "9:00-ден 13:00-ге дейін береді."))
    assert "#1" in text_of(proposed)
    [pending] = await h.ask(OPERATOR, "/proposals")
    [own] = await h.press(OPERATOR, button(pending, prefix="cu:approve:"), pending, expect=1)
    assert t("ru", "proposal #{id} is yours: another operator reviews it").format(id=1) in (
        text_of(own)) and "another operator" not in text_of(own)  # the reason, not English
    [pending] = await h.ask(REVIEWER, "/proposals")
    [approved] = await h.press(REVIEWER, button(pending, prefix="cu:approve:"), pending,
                               expect=1)
    assert text_of(approved).startswith(
        t("ru", "Proposal #{id} approved: {key} answers citizens now.").split("{key}")[0]
        .format(id=1))

    # the next citizen asking the same gets the answer from the bot at once
    [answered] = await h.ask(NEXT_CITIZEN, QUESTION)
    assert ANSWER in text_of(answered)
    async with h.app.uow() as uow:
        assert len(await list_escalations(uow, SYSTEM)) == 1
    [answered_kk] = await h.ask(KK_CITIZEN, "Жеке куәлікті демалыс күндері бере ме?",
                                lang="kk")
    assert "сенбі күні" in text_of(answered_kk)


async def test_refusals_are_explained_reviewed_and_the_notice_files_reach_the_operator(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness()
    await setup(h)
    withheld = await escalate(h, KK_CITIZEN, KK_QUESTION, "kk")
    plain = [await escalate(h, chat, text, "ru")
             for chat, text in ((CITIZEN, QUESTION), (NEXT_CITIZEN, SECOND_QUESTION))]

    # a lawful withholding by the button: the Kazakh citizen is told why, in Kazakh
    [card] = await h.ask(MVD, f"/esc {withheld}")
    waiting = len(h.replies(KK_CITIZEN))
    await h.press(MVD, button(card, prefix=f"es:withhold:{withheld}:state_secret"), card,
                  expect=1)
    await h.wait_replies(KK_CITIZEN, waiting + 1)
    told = text_of(h.replies(KK_CITIZEN)[-1])
    assert withheld in told and t("kk", "state secrets") in told

    # two plain refusals; the other agency cannot refuse for them
    [refused] = await h.ask(MJU, f"/refuse {plain[0]} Нет данных.")
    assert text_of(refused) == t("ru", "This is not yours to do.")
    for reference in plain:
        await h.ask(MVD, f"/refuse {reference} Сведения не предоставляем.")
    async with h.app.uow() as uow:
        found = await refusals(uow, ADMIN)
    assert sorted((r.reference, r.ground, r.status) for r in found) == sorted(
        [(withheld, "state_secret", "pending")]
        + [(reference, "plain", "pending") for reference in plain])

    # agency staff see their refusals, without the buttons that confirm them
    listed = await h.ask(MVD, "/refusals", expect=3)
    assert all(not c.params.get("reply_markup") for c in listed)

    # the operator confirms the two plain ones: a notice, due 3 working days later
    listed = await h.ask(OPERATOR, "/refusals", expect=3)
    notice_card: Call | None = None
    for call in listed:
        if any(r in text_of(call) for r in plain):
            replies = await h.press(OPERATOR, button(call, prefix="rf:confirm:"), call,
                                    expect=1)
            notice_card = next((c for c in replies if "rf:files:" in str(
                c.params.get("reply_markup"))), notice_card)
    assert notice_card is not None
    assert "срок: 4 декабря 2026" in text_of(notice_card)  # Tue 1 Dec + 3 working days
    await h.press(OPERATOR, button(notice_card, prefix="rf:files:"), notice_card)
    await h.wait(lambda: len(documents_to(h, OPERATOR)) >= 3, "the notice's files")
    names = {c.params["document"].filename for c in documents_to(h, OPERATOR)}
    assert {n.rsplit(".", 1)[1] for n in names} == {"docx", "xlsx", "csv"}
    [sent] = await h.press(OPERATOR, button(notice_card, prefix="rf:sent:"), notice_card,
                           expect=1)
    assert text_of(sent).endswith(t("ru", "sent") + ".")


async def test_the_citizen_chooses_the_service_and_the_question_goes_to_its_agency(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness()
    await setup(h)
    async with h.app.uow() as uow:
        await add_staff(uow, "Асель (БП)", Role.AGENCY, CLOCK, agency_code="gp",
                        telegram_user_id=GP)
        await uow.commit()
        ids = {s.register_no: s.id for s in await live_services(uow)}
    certificate, criminal_record = ids["00302003"], ids["01501001"]  # mvd's, gp's

    # the bot is unsure between two services' answers: the citizen may name the service
    [choices] = await h.ask(CITIZEN, "Сколько стоит справка?")
    offered = [d for d in callback_datas(choices) if d.startswith("about:")]
    assert offered == [AskAbout(service=certificate).pack(),
                       AskAbout(service=criminal_record).pack()]
    [passed] = await h.press(CITIZEN, AskAbout(service=criminal_record).pack(), choices,
                             expect=1)
    [reference] = REFERENCE.findall(text_of(passed))
    async with h.app.uow() as uow:
        [item] = await list_escalations(uow, SYSTEM)
    assert (item.reference, item.agency_code, item.register_no) == (
        reference, "gp", "01501001")  # not mvd's certificate, the best guess
    [queue] = await h.ask(GP, "/queue")
    assert reference in text_of(queue)
    [theirs] = await h.ask(MVD, "/queue")
    assert reference not in text_of(theirs)

    # a service withdrawn since, or a forged one, is refused politely and opens nothing
    [choices] = await h.ask(NEXT_CITIZEN, "Сколько стоит справка?")
    async with h.app.uow() as uow:
        await uow.session.execute(update(ServiceRow).where(ServiceRow.id == criminal_record)
                                  .values(state="draft"))
        await uow.commit()
    [stale] = await h.press(NEXT_CITIZEN, AskAbout(service=criminal_record).pack(), choices,
                            expect=1)
    assert text_of(stale) == t("ru", "This service is not available now.")
    assert text_of(await forged(h, NEXT_CITIZEN, AskAbout(service=99_999).pack())) == t(
        "ru", "This service is not available now.")
    async with h.app.uow() as uow:
        assert [e.reference for e in await list_escalations(uow, SYSTEM)] == [reference]


async def test_the_operator_mails_the_notice_with_its_documents_from_the_chat(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness(qc_email="qc@kyzmet.gov.kz")
    await setup(h)
    plain = [await escalate(h, chat, text, "ru")
             for chat, text in ((CITIZEN, QUESTION), (NEXT_CITIZEN, SECOND_QUESTION))]
    for reference in plain:
        await h.ask(MVD, f"/refuse {reference} Сведения не предоставляем.")
    notice_card: Call | None = None
    for call in await h.ask(OPERATOR, "/refusals", expect=2):
        replies = await h.press(OPERATOR, button(call, prefix="rf:confirm:"), call, expect=1)
        notice_card = next((c for c in replies if "rf:email:" in str(
            c.params.get("reply_markup"))), notice_card)
    assert notice_card is not None
    # pressed by hand: the letter waits in the outbox for the e-mail sender, so the bot
    # never "settles" as press() expects
    before = len(h.replies(OPERATOR))
    await h.deliver(callback_update(OPERATOR, button(notice_card, prefix="rf:email:"),
                                    message_id=h.message_id(OPERATOR, notice_card),
                                    language_code="ru"))
    await h.wait_replies(OPERATOR, before + 1)
    assert text_of(h.replies(OPERATOR)[-1]).endswith(t("ru", "sent") + ".")
    async with h.app.uow() as uow:
        letters = [(r.address, [a["filename"] for a in r.payload["attachments"]])
                   for r in await uow.session.scalars(select(OutboxRow).where(
                       OutboxRow.channel == "email"))]
        [notice] = await notices(uow, ADMIN)
    assert letters == [
        ("qc@kyzmet.gov.kz", [f.filename for f in notice_documents(notice, CLOCK.now().date(),
                                                                signatory=None)])]
    assert (notice.status, notice.sent_via) == ("sent", "email")


async def test_an_entry_proposed_from_the_unanswered_log_answers_the_next_citizen(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness()
    await setup(h)
    for chat in (CITIZEN, KK_CITIZEN):
        await escalate(h, chat, SATURDAY_QUESTION, "ru")

    [listing] = await h.ask(OPERATOR, "/curation")
    [group] = re.findall(r"(u[\d,]+) ×2 · ru: " + re.escape(SATURDAY_QUESTION), text_of(listing))
    [proposed] = await h.ask(OPERATOR, (
        f"/propose {group} 00301002\n"
        "kk: Төлқұжатты сенбіде бере ме? = Иә, сенбі сайын ХҚКО дайын төлқұжаттарды "
        "9:00-ден 13:00-ге дейін береді.\n"
        f"ru: Выдача паспорта в субботу = {SATURDAY_ANSWER}"))
    assert SATURDAY_QUESTION in text_of(proposed)  # the citizens' wording, from the log
    [pending] = await h.ask(REVIEWER, "/proposals")
    await h.press(REVIEWER, button(pending, prefix="cu:approve:"), pending, expect=1)

    [answered] = await h.ask(NEXT_CITIZEN, SATURDAY_QUESTION)  # not clarified any more
    assert SATURDAY_ANSWER in text_of(answered)
    [listing] = await h.ask(OPERATOR, "/curation")
    assert group not in text_of(listing)  # the log's questions are used up


async def test_an_agency_answer_too_long_for_one_message_is_refused_with_what_to_do(
    make_harness: MakeHarness,
) -> None:
    """Telegram lets the staff send 4,096 characters; the citizen's message adds the
    reference and the question: an answer over 3,500 characters is refused, in the
    staff's language, with its length, and the citizen waits for a shorter one."""
    h = await make_harness()
    await setup(h)
    reference = await escalate(h, CITIZEN, QUESTION, "ru")
    waiting = len(h.replies(CITIZEN))
    long_answer = (ANSWER + " ") * (3501 // len(ANSWER))
    long_answer = (long_answer + ANSWER)[:3501]

    [refused] = await h.ask(MVD, f"/answer {reference} {long_answer}")

    assert text_of(refused) == t("ru", (
        "The reply is too long: {length} characters, at most {limit} (it must reach the "
        "citizen in one message). Please shorten it and send it again.")).format(
        length=3501, limit=3500)
    [done] = await h.ask(MVD, f"/answer {reference} {long_answer[:3500]}")
    assert reference in text_of(done)
    await h.wait_replies(CITIZEN, waiting + 1)
    assert long_answer[:3500].strip() in text_of(h.replies(CITIZEN)[-1])


async def test_a_question_whose_service_is_not_identified_is_said_to_go_to_the_staff(
    make_harness: MakeHarness,
) -> None:
    """Issue 18, item 2: a question in the operators' triage is not said to be with an
    agency; one whose service is identified is."""
    h = await make_harness()
    await setup(h)
    [triaged] = await h.ask(CITIZEN, "Какие документы нужны?")
    said = text_of(triaged)
    assert REFERENCE.search(said) is not None
    assert "сотрудникам контакт-центра" in said and "государственный орган" not in said
    await escalate(h, NEXT_CITIZEN, QUESTION, "ru")
    routed = text_of(h.replies(NEXT_CITIZEN)[-1])
    assert "государственный орган" in routed and "сотрудникам" not in routed
