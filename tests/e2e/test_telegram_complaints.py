"""A complaint in Kazakh through Telegram, end to end on the fake Bot API: the menu item,
the steps with their buttons, the consent, the number and the appeal route dated across
Nauryz 2026; the agency's staff see it and respond in the bot; the citizen gets the
response in Kazakh. Another agency sees none of it, not even with a forged button. A
cancelled intake leaves nothing in the base."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.jobs import run_job
from bot.jobs.complaints import ComplaintJob
from handlers.complaints import ComplaintAction
from knowledge.clock import FixedClock
from knowledge.db.tables import ComplaintDraftRow, ComplaintRow
from knowledge.staff import Role, add_staff
from tests.e2e.telegram_fixtures import Harness, button, t
from tests.fakes.bot_api import Call, callback_update

MakeHarness = Callable[..., Awaitable[Harness]]
OPERATOR, MVD, MJU = 840_001, 840_002, 840_003
CITIZEN, QUITTER = 840_101, 840_102
# Friday 20 March 2026, 11:00 in Astana: Nauryz and its transfers make 21-25 March days off.
CLOCK = FixedClock(datetime(2026, 3, 20, 6, 0, tzinfo=UTC))
NUMBER = re.compile(r"C-\d{6}-\d{5}")
CONTENT = "ХҚО-да жеке куәлік үшін тұрғылықты жерінен анықтама талап етті, ол тізімде жоқ."
NAME = "Серікова Әлия Маратқызы"
AGENCY_KK = "Қазақстан Республикасы Ішкі істер министрлігі"
RESPONSE = "Анықтама талап етілмейді; қызметкерге ескерту жасалды."


async def setup(h: Harness) -> None:
    h.app.clock = CLOCK
    async with h.app.uow() as uow:
        await add_staff(uow, "Оператор Айгүл", Role.OPERATOR, CLOCK, telegram_user_id=OPERATOR)
        await add_staff(uow, "Дана (ІІМ)", Role.AGENCY, CLOCK, agency_code="mvd",
                        telegram_user_id=MVD)
        await add_staff(uow, "Ержан (ӘМ)", Role.AGENCY, CLOCK, agency_code="mju",
                        telegram_user_id=MJU)
        await uow.commit()
    await h.start()


def text_of(call: Call) -> str:
    return str(call.params.get("text") or "")


async def rows(h: Harness) -> tuple[int, int]:
    async with h.app.uow() as uow:
        drafts = await uow.session.scalar(select(func.count()).select_from(ComplaintDraftRow))
        lodged = await uow.session.scalar(select(func.count()).select_from(ComplaintRow))
    return int(drafts or 0), int(lodged or 0)


async def test_a_kazakh_complaint_is_lodged_answered_by_the_agency_and_delivered(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness()
    await setup(h)

    # the menu item, then each step with its buttons
    _intro, ask_service = await h.ask(CITIZEN, "📝 Шағым", lang="kk", expect=2)
    assert text_of(ask_service) == t("kk", "Which public service is your complaint about? "
                                          "Describe it in a few words (for example: "
                                          "«passport», «birth certificate»), or choose «I "
                                          "don't know».")
    [services] = await h.ask(CITIZEN, "жеке куәлік", lang="kk")
    [regions] = await h.press(CITIZEN, button(services, prefix="cp:00301001"), services,
                              lang="kk", expect=1)
    assert "Астана қаласы" in str(regions.params["reply_markup"])
    [natures] = await h.press(CITIZEN, button(regions, text="Астана қаласы"), regions,
                              lang="kk", expect=1)
    [content] = await h.press(CITIZEN, button(natures, prefix="cp:extra_documents"), natures,
                              lang="kk", expect=1)
    [name] = await h.ask(CITIZEN, CONTENT, lang="kk")
    [consent] = await h.ask(CITIZEN, NAME, lang="kk")
    assert NAME in text_of(consent) and "Жеке куәлік" not in text_of(content)
    assert await rows(h) == (1, 0)  # a draft only: nothing is sent before the consent
    [registered] = await h.press(CITIZEN, button(consent, prefix="cp:agree"), consent,
                                 lang="kk", expect=1)

    told = text_of(registered)
    [number] = NUMBER.findall(told)
    assert "R-260320-00001" in told and AGENCY_KK in told
    assert "2026\u202fж. 1 сәуір" in told  # 5 working days after 20 March, over Nauryz
    assert "2026\u202fж. 15 сәуір" in told and "2026\u202fж. 22 сәуір" in told  # extended;
    # the quality body
    assert t("kk", "The contact center registers and forwards complaints; it does not "
                   "decide them.") in told
    assert await rows(h) == (0, 1)

    # the agency's staff hear of the request; the other agency does not
    before = {chat: len(h.replies(chat)) for chat in (MVD, MJU)}
    await run_job(h.app, ComplaintJob(h.app))
    await h.wait(lambda: any(number in text_of(c) for c in h.replies(MVD)), "the request")
    await h.settled()
    assert all(number not in text_of(c) for c in h.replies(MJU)[before[MJU]:])

    # another agency can neither read, list nor answer it, not even by a forged button
    [closed] = await h.ask(MJU, f"/complaint {number}")
    assert text_of(closed) == t("ru", "This is not yours to do.")
    seen = len(h.replies(MJU))
    await h.deliver(callback_update(MJU, ComplaintAction(action="show", number=number).pack(),
                                    message_id=1, language_code="ru"))
    await h.wait_replies(MJU, seen + 1)
    await h.settled()
    assert text_of(h.replies(MJU)[-1]) == t("ru", "This is not yours to do.")
    [refused] = await h.ask(MJU, f"/cresp {number} Біз білмейміз.")
    assert text_of(refused) == t("ru", "This is not yours to do.")
    [nothing] = await h.ask(MJU, "/complaints")
    assert text_of(nothing) == t("ru", "No open complaints.")
    [not_theirs] = await h.ask(MJU, f"/cext {number} 3 Архив")
    assert text_of(not_theirs) == t("ru", "This is not yours to do.")

    # the agency extends the term by 3 working days: the applicant is told, in Kazakh
    waiting = len(h.replies(CITIZEN))
    [extended] = await h.ask(MVD, f"/cext {number} 3 Мұрағаттан жауап күтілуде")
    assert number in text_of(extended) and "06.04.2026" in text_of(extended)
    await h.wait_replies(CITIZEN, waiting + 1)
    notice = text_of(h.replies(CITIZEN)[-1])
    assert notice == t("kk", "The agency has extended the term of your complaint {number}: "
                             "the extension {days}, the new last day {date}. The reason "
                             "given: {text}").format(
        number=number, days="3 жұмыс күні", date="2026\u202fж. 6 сәуір",
        text="Мұрағаттан жауап күтілуде")

    # the agency opens it from its list (the applicant's name is there) and responds
    [listing] = await h.ask(MVD, "/complaints")
    [card] = await h.press(MVD, button(listing, prefix=f"cm:show:{number}"), listing, expect=1)
    assert NAME in text_of(card) and "Астана" in text_of(card)
    waiting = len(h.replies(CITIZEN))
    [done] = await h.ask(MVD, f"/cresp {number} {RESPONSE}")
    assert number in text_of(done)
    await h.wait_replies(CITIZEN, waiting + 1)
    delivered = text_of(h.replies(CITIZEN)[-1])
    assert delivered.startswith(t("kk", "The agency's response to your complaint {number}:"
                                        "\n\n{text}").split("{number}")[0])
    assert number in delivered and RESPONSE in delivered


async def test_a_cancelled_complaint_leaves_nothing_and_a_free_text_starts_one(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness()
    await setup(h)

    _intro, ask_service = await h.ask(QUITTER, "хочу пожаловаться", lang="ru", expect=2)
    [regions] = await h.press(QUITTER, button(ask_service, prefix="cp:dk"), ask_service,
                              expect=1)
    assert await rows(h) == (1, 0)
    [cancelled] = await h.press(QUITTER, button(regions, prefix="cp:cancel"), regions, expect=1)

    assert text_of(cancelled) == t("ru", "The complaint is cancelled; nothing was sent.")
    assert await rows(h) == (0, 0)
    [stale] = await h.press(QUITTER, button(regions, prefix="cp:astana"), regions, expect=1)
    assert text_of(stale) == t(
        "ru", "This complaint form is closed (cancelled, sent or left too long). Start again "
              "from the menu.")
    assert await rows(h) == (0, 0)
