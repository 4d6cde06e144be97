"""Every date the onboarding protocol tells people, on a fixed clock around Nauryz 2027:
the protocol's start date, reminders said as people say them, the center's own targets
labelled as such, and a change of responsible person on its legal clock (002 p.7)."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime
from io import BytesIO
from typing import Any

import pytest
from docx import Document
from sqlalchemy import select

from bot.app import App
from bot.jobs import run_job
from bot.jobs.onboarding import OnboardingJob
from bot.notify.letters import record_center_step, sign_protocol
from knowledge import onboarding
from knowledge.agencies import add_agency
from knowledge.calendar import WorkCalendar
from knowledge.clock import FixedClock
from knowledge.db.tables import OutboxRow, StaffRow
from knowledge.onboarding import Deadlines, acceptance
from knowledge.policy import Policy
from knowledge.staff import Actor, Role, add_staff
from tests.factories import entry, pack, service

REG = "701001"
CLOCK = FixedClock(datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
OPERATOR = Actor("Айгүл", Role.OPERATOR)
OPERATOR_CHAT = 4440001


@pytest.fixture(scope="module")
def deadlines() -> Deadlines:
    return Deadlines(Policy(), WorkCalendar.kazakhstan())


async def agency_and_operator(app: App) -> None:
    app.clock = CLOCK
    async with app.uow() as uow:
        await add_agency(uow, "mep", name_kk="Экология министрлігі",
                         name_ru="Министерство экологии", kind="central",
                         email="info@ecogeo.gov.kz", region=None)
        await add_staff(uow, "Айгүл", Role.OPERATOR, CLOCK, telegram_user_id=OPERATOR_CHAT)
        await uow.commit()


async def case_at_training(app: App, deadlines: Deadlines) -> None:
    """A case whose information came on 10.03.2027: the training is awaited."""
    await agency_and_operator(app)
    async with app.uow() as uow:
        await onboarding.start_case(uow, REG, "mep", date(2027, 3, 1), actor=OPERATOR,
                                    clock=CLOCK, deadlines=deadlines,
                                    name_kk="Балық аулауға рұқсат", name_ru="Разрешение")
        await onboarding.record_step(uow, REG, "request_sent", on=date(2027, 3, 3),
                                     actor=OPERATOR, clock=CLOCK, deadlines=deadlines)
        await onboarding.appoint_responsible(uow, REG, "Ержан Сапаров", on=date(2027, 3, 5),
                                             actor=OPERATOR, clock=CLOCK,
                                             deadlines=deadlines, position="бас маман")
        await onboarding.submit_information(
            uow, REG, pack(service(REG, "mep", faq=[entry("mep.fishing.how", "Балық?",
                                                          "Рыбалка?")])),
            on=date(2027, 3, 10), actor=OPERATOR, clock=CLOCK, deadlines=deadlines)
        await uow.commit()


async def responsible_actor(app: App) -> Actor:
    """The agency's responsible person of the case, as they act in the bot."""
    async with app.uow() as uow:
        person = await uow.session.scalar(select(StaffRow).where(
            StaffRow.name == "Ержан Сапаров"))
        assert person is not None
        return Actor(person.name, Role.AGENCY, person.agency_id, person.id)


async def outbox(app: App) -> list[tuple[str, dict[str, Any]]]:
    async with app.uow() as uow:
        rows = await uow.session.scalars(select(OutboxRow).order_by(OutboxRow.id))
        return [(row.channel, row.payload) for row in rows]


def docx_text(data: str) -> str:
    document = Document(BytesIO(base64.b64decode(data)))
    return "\n".join(p.text for p in document.paragraphs)


async def test_the_protocol_sent_at_the_training_promises_no_start_date(
    app: App, deadlines: Deadlines,
) -> None:
    await case_at_training(app, deadlines)
    async with app.uow() as uow:
        await record_center_step(uow, REG, "training_held", on=date(2027, 3, 11),
                                 actor=OPERATOR, clock=CLOCK, deadlines=deadlines)
        await uow.commit()
    [letter] = [p for channel, p in await outbox(app) if channel == "email"]
    [attachment] = letter["attachments"]
    text = docx_text(attachment["data"])
    # five working days from the training would be 19.03.2027: not the day it goes live
    assert "19 марта 2027" not in text and "2027 жылғы 19 наурыз" not in text
    assert "19.03.2027" not in letter["text"] and "19 марта" not in letter["text"]
    assert "по истечении пяти рабочих дней со дня подписания протокола" in text

    async with app.uow() as uow:
        case = await onboarding.record_step(uow, REG, "protocol_signed", on=date(2027, 3, 19),
                                            actor=OPERATOR, clock=CLOCK, deadlines=deadlines)
        data = await acceptance.protocol_data(uow, REG, on=date(2027, 3, 26), actor=OPERATOR,
                                              deadlines=deadlines, representative="Айгүл")
        await uow.commit()
    # signed on Friday 19.03; Nauryz (22-24.03) and the weekends do not count
    assert case.activation_on == date(2027, 3, 31)
    assert (data.signed_on, data.activation_on) == (date(2027, 3, 19), date(2027, 3, 31))


async def test_a_reminder_the_working_day_before_a_monday_names_the_monday(
    app: App, deadlines: Deadlines,
) -> None:
    await agency_and_operator(app)
    async with app.uow() as uow:  # the request is due Monday 29.03.2027
        case = await onboarding.start_case(uow, REG, "mep", date(2027, 3, 19), actor=OPERATOR,
                                           clock=CLOCK, deadlines=deadlines)
        await uow.commit()
    assert case.due_on == date(2027, 3, 29)
    [reminder] = (await run_job(app, OnboardingJob(app), date(2027, 3, 26))).reminders  # type: ignore[union-attr]
    assert reminder.kind == "day_before"
    [(channel, message)] = await outbox(app)
    text = message["text"]
    assert "понедельник, 29.03.2027" in text and "дүйсенбі, 29.03.2027" in text
    assert "завтра" not in text and "ертең" not in text
    assert "2027-03-29" not in text


async def test_the_protocol_past_the_centers_target_is_not_flagged_as_legally_overdue(
    app: App, deadlines: Deadlines,
) -> None:
    await case_at_training(app, deadlines)
    async with app.uow() as uow:
        case = await onboarding.record_step(uow, REG, "training_held", on=date(2027, 3, 11),
                                            actor=OPERATOR, clock=CLOCK, deadlines=deadlines)
        await uow.commit()
    # 002 p.8 sets the protocol no term: the date is the center's own target
    assert (case.step, case.due_on) == ("protocol_signed", date(2027, 3, 17))
    [reminder] = (await run_job(app, OnboardingJob(app), date(2027, 3, 18))).reminders  # type: ignore[union-attr]
    assert reminder.kind == "overdue"
    [(_channel, message)] = await outbox(app)
    text = message["text"]
    assert "Просрочено" not in text and "Мерзімі өтті" not in text
    assert "собственный срок центра" in text
    assert "орталықтың өз мерзімі" in text.lower()
    assert "среда, 17.03.2027" in text


async def test_a_late_change_of_responsible_person_is_dated_by_p7_and_shown_late(
    app: App, deadlines: Deadlines,
) -> None:
    await case_at_training(app, deadlines)
    async with app.uow() as uow:  # the agency replaced its person on Friday 12.03.2027
        await onboarding.appoint_responsible(
            uow, REG, "Дана Омарова", on=date(2027, 3, 26), actor=OPERATOR, clock=CLOCK,
            deadlines=deadlines, changed_on=date(2027, 3, 12))
        await uow.commit()
    async with app.uow() as uow:
        steps = await onboarding.history(uow, REG, OPERATOR)
    replaced = steps[-1]
    assert replaced.step == "responsible_replaced"
    # five working days after 12.03: 15.03 (Constitution Day) and Nauryz skipped
    assert (replaced.done_on, replaced.due_on) == (date(2027, 3, 26), date(2027, 3, 25))
    assert replaced.working_days_late(deadlines.calendar) == 1
    assert replaced.by == "operator:Айгүл" and replaced.note == "Дана Омарова"
    assert steps[0].step == "started" and steps[0].working_days_late(deadlines.calendar) == 0


async def test_the_request_letter_cites_p5_for_the_appointment_it_asks_for(
    app: App, deadlines: Deadlines,
) -> None:
    await agency_and_operator(app)
    async with app.uow() as uow:
        await onboarding.start_case(uow, REG, "mep", date(2027, 3, 1), actor=OPERATOR,
                                    clock=CLOCK, deadlines=deadlines,
                                    name_kk="Балық аулауға рұқсат", name_ru="Разрешение")
        await record_center_step(uow, REG, "request_sent", on=date(2027, 3, 3),
                                 actor=OPERATOR, clock=CLOCK, deadlines=deadlines)
        await uow.commit()
    [(_channel, letter)] = await outbox(app)
    kk, ru = letter["text"].split("\n\n\n")
    # 002 p.4: the center sends the request; p.5: the agency appoints within 3 working days
    assert "пунктом 5 Правил" in ru and "(пункт 4) просим" not in ru
    assert "5-тармағына" in kk


async def trained(app: App, deadlines: Deadlines) -> int:
    """A case whose training was held on 11 March 2027 (the undated protocol sent): how
    many messages the outbox holds by then."""
    await case_at_training(app, deadlines)
    async with app.uow() as uow:
        await record_center_step(uow, REG, "training_held", on=date(2027, 3, 11),
                                 actor=OPERATOR, clock=CLOCK, deadlines=deadlines)
        await uow.commit()
    return len(await outbox(app))


async def test_once_both_sides_have_signed_the_dated_protocol_goes_again_to_both(
    app: App, deadlines: Deadlines,
) -> None:
    undated = await trained(app, deadlines)
    async with app.uow() as uow:  # `ucc onboarding protocol 701001 --on 2027-03-19`
        case, _mailed = await record_center_step(uow, REG, "protocol_signed",
                                                 on=date(2027, 3, 19), actor=OPERATOR,
                                                 clock=CLOCK, deadlines=deadlines)
        await uow.commit()
    assert case.activation_on == date(2027, 3, 31)
    sent = (await outbox(app))[undated:]
    letters = [p for channel, p in sent if channel == "email"]
    chats = [p for channel, p in sent if channel == "telegram"]
    assert [letter["to"] for letter in letters] == ["info@ecogeo.gov.kz"]
    assert [chat["chat_id"] for chat in chats] == [OPERATOR_CHAT]
    [attachment] = letters[0]["attachments"]
    text = docx_text(attachment["data"])
    assert "Протокол подписан 19 марта 2027 г.; с 31 марта 2027 г." in text
    assert "күн – 2027 жылғы 31 наурыз" in text
    # the letter, the caption and the document write the day out (Babel)
    assert "31 марта 2027" in letters[0]["text"] and "/sign" not in letters[0]["text"]
    assert "31 марта 2027" in chats[0]["caption"]


async def test_the_dated_protocol_goes_again_when_the_last_side_signs_in_the_bot(
    app: App, deadlines: Deadlines,
) -> None:
    undated = await trained(app, deadlines)
    async with app.uow() as uow:
        _case, signed = await sign_protocol(uow, REG, on=date(2027, 3, 18), actor=OPERATOR,
                                            clock=CLOCK, deadlines=deadlines)
        await uow.commit()
    assert not signed and len(await outbox(app)) == undated  # one side: nothing goes yet
    agency = await responsible_actor(app)
    async with app.uow() as uow:
        _case, signed = await sign_protocol(uow, REG, on=date(2027, 3, 19), actor=agency,
                                            clock=CLOCK, deadlines=deadlines)
        await uow.commit()
    assert signed
    [letter] = [p for channel, p in (await outbox(app))[undated:] if channel == "email"]
    text = docx_text(letter["attachments"][0]["data"])
    assert "Протокол подписан 19 марта 2027 г.; с 31 марта 2027 г." in text


async def test_a_person_who_left_starts_the_p7_clock_and_is_reminded_until_a_new_one_is_named(
    app: App, deadlines: Deadlines,
) -> None:
    await case_at_training(app, deadlines)
    async with app.uow() as uow:  # the responsible person left on Friday 12.03.2027
        await onboarding.record_departure(uow, REG, on=date(2027, 3, 12), actor=OPERATOR,
                                          clock=CLOCK, deadlines=deadlines)
        await uow.commit()

    async def change_reminders(day: date) -> list[onboarding.Reminder]:
        tick = await run_job(app, OnboardingJob(app), day)
        assert tick is not None
        return [r for r in tick.reminders if r.step == "responsible_replaced"]

    before = len(await outbox(app))
    assert await change_reminders(date(2027, 3, 18)) == []
    # due 25.03 (5 working days; 15.03 and Nauryz skipped): the working day before is 19.03
    [day_before] = await change_reminders(date(2027, 3, 19))
    assert (day_before.kind, day_before.due_on) == ("day_before", date(2027, 3, 25))
    assert day_before.owed_by == "agency"
    [letter] = [p for channel, p in (await outbox(app))[before:] if channel == "email"]
    assert letter["to"] == "info@ecogeo.gov.kz"  # the person left: the agency's address
    assert "четверг, 25.03.2027" in letter["text"]
    assert [r.kind for r in await change_reminders(date(2027, 3, 25))] == ["due_day"]
    assert [r.kind for r in await change_reminders(date(2027, 3, 26))] == ["overdue"]
    assert await change_reminders(date(2027, 3, 26)) == []  # each once

    async with app.uow() as uow:  # the new person named on Monday 29.03
        await onboarding.appoint_responsible(uow, REG, "Дана Омарова", on=date(2027, 3, 29),
                                             actor=OPERATOR, clock=CLOCK, deadlines=deadlines)
        await uow.commit()
        steps = await onboarding.history(uow, REG, OPERATOR)
    assert [s.step for s in steps[-2:]] == ["responsible_left", "responsible_replaced"]
    replaced = steps[-1]
    assert (replaced.done_on, replaced.due_on) == (date(2027, 3, 29), date(2027, 3, 25))
    assert replaced.working_days_late(deadlines.calendar) == 2
    assert await change_reminders(date(2027, 3, 30)) == []
