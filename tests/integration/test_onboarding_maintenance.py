"""After the draft: operators' questions, both signatures on the protocol, updates of a live
service when its act changes, and a change of the responsible person on the legal clock."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.app import App
from knowledge import onboarding
from knowledge.asking import MatcherCache
from knowledge.calendar import WorkCalendar
from knowledge.db.tables import StaffRow
from knowledge.model import Decision
from knowledge.onboarding import Deadlines, OnboardingError, acceptance, maintenance
from knowledge.policy import Policy
from knowledge.staff import AccessDenied, Actor, Role
from tests.factories import entry, pack, service
from tests.integration.test_onboarding import CLOCK, OPERATOR, fishing_pack, setup_agencies

REG = "701001"


@pytest.fixture(scope="module")
def deadlines() -> Deadlines:
    return Deadlines(Policy(), WorkCalendar.kazakhstan())


async def drafted(app: App, deadlines: Deadlines) -> Actor:
    """Case 701001 with its information in: waiting for the training. The agency's actor."""
    await setup_agencies(app)
    async with app.uow() as uow:
        await onboarding.start_case(uow, REG, "mep", date(2026, 3, 17), actor=OPERATOR,
                                    clock=CLOCK, deadlines=deadlines)
        await onboarding.record_step(uow, REG, "request_sent", on=date(2026, 3, 18),
                                     actor=OPERATOR, clock=CLOCK, deadlines=deadlines)
        case, person = await onboarding.appoint_responsible(
            uow, REG, "Ержан Сапаров", on=date(2026, 3, 18), actor=OPERATOR, clock=CLOCK,
            deadlines=deadlines, email="e.saparov@ecogeo.gov.kz")
        agency = Actor(person.name, Role.AGENCY, case.agency_id, person.id)
        await onboarding.submit_information(uow, REG, fishing_pack(), on=date(2026, 3, 19),
                                            actor=agency, clock=CLOCK, deadlines=deadlines)
        await uow.commit()
    return agency


async def live(app: App, deadlines: Deadlines) -> Actor:
    agency = await drafted(app, deadlines)
    async with app.uow() as uow:
        await onboarding.record_step(uow, REG, "training_held", on=date(2026, 3, 20),
                                     actor=OPERATOR, clock=CLOCK, deadlines=deadlines)
        await onboarding.record_step(uow, REG, "protocol_signed", on=date(2026, 3, 20),
                                     actor=OPERATOR, clock=CLOCK, deadlines=deadlines)
        await onboarding.activate_due(uow, date(2026, 4, 1), CLOCK)
        await uow.commit()
    return agency


async def test_questions_on_the_draft_are_collected_and_sent_once(
    app: App, deadlines: Deadlines,
) -> None:
    agency = await drafted(app, deadlines)
    async with app.uow() as uow:
        for text in ("Рұқсат неше күнде беріледі?", "Есть ли ограничения по возрасту?"):
            await acceptance.add_question(uow, REG, text, on=date(2026, 3, 20),
                                          actor=OPERATOR, clock=CLOCK)
        with pytest.raises(AccessDenied):  # the agency answers questions, it does not ask
            await acceptance.add_question(uow, REG, "?", on=date(2026, 3, 20), actor=agency,
                                          clock=CLOCK)
        sent = await acceptance.send_questions(uow, REG, on=date(2026, 3, 20),
                                               actor=OPERATOR, clock=CLOCK)
        await uow.commit()
    assert sent.questions == ("Рұқсат неше күнде беріледі?",
                              "Есть ли ограничения по возрасту?")
    assert sent.responsible_email == "e.saparov@ecogeo.gov.kz"
    async with app.uow() as uow:
        assert await acceptance.pending_questions(uow, REG, OPERATOR) == []
        with pytest.raises(OnboardingError):
            await acceptance.send_questions(uow, REG, on=date(2026, 3, 20), actor=OPERATOR,
                                            clock=CLOCK)


async def test_the_protocol_is_signed_when_both_sides_have_on_the_later_day(
    app: App, deadlines: Deadlines,
) -> None:
    agency = await drafted(app, deadlines)
    async with app.uow() as uow:
        await onboarding.record_step(uow, REG, "training_held", on=date(2026, 3, 20),
                                     actor=agency, clock=CLOCK, deadlines=deadlines)
        case, signed = await acceptance.confirm_protocol(
            uow, REG, on=date(2026, 3, 20), actor=agency, clock=CLOCK, deadlines=deadlines)
        assert not signed and case.step == "protocol_signed"
        # signing twice changes nothing
        case, signed = await acceptance.confirm_protocol(
            uow, REG, on=date(2026, 3, 26), actor=agency, clock=CLOCK, deadlines=deadlines)
        assert not signed
        other = Actor("other", Role.AGENCY, agency_id=(agency.agency_id or 0) + 1)
        with pytest.raises(AccessDenied):
            await acceptance.confirm_protocol(uow, REG, on=date(2026, 3, 26), actor=other,
                                              clock=CLOCK, deadlines=deadlines)
        case, signed = await acceptance.confirm_protocol(
            uow, REG, on=date(2026, 3, 26), actor=OPERATOR, clock=CLOCK, deadlines=deadlines,
            scan="telegram:file-1")
        await uow.commit()
    assert signed
    # signed on Thursday 26 March: five working days on is Thursday 2 April
    assert (case.step, case.activation_on) == ("live", date(2026, 4, 2))
    async with app.uow() as uow:
        data = await acceptance.protocol_data(uow, REG, on=date(2026, 3, 26), actor=OPERATOR,
                                              deadlines=deadlines, representative="Айгүл")
    assert (data.entries, data.training_on, data.activation_on) == (
        1, date(2026, 3, 20), date(2026, 4, 2))
    assert data.responsible_name == "Ержан Сапаров"


async def test_an_update_is_due_by_the_law_s_days_and_goes_live_when_accepted(
    app: App, deadlines: Deadlines,
) -> None:
    agency = await live(app, deadlines)
    matchers = MatcherCache()
    new_answer = {"ru": "Через egov.kz, 1 МРП.", "kk": "egov.kz арқылы, 1 АЕК."}
    update = fishing_pack()
    update["services"][0]["faq"][0]["answer"] = new_answer
    async with app.uow() as uow:
        # the act changed on Friday 8 May 2026; 3 working days: 11 May is a holiday
        # (Victory Day moved from Saturday 9 May), so Tuesday 12, Wednesday 13, Thursday 14
        case = await maintenance.start_update(uow, REG, date(2026, 5, 8), actor=agency,
                                              clock=CLOCK, deadlines=deadlines)
        assert (case.kind, case.step) == ("update", "update_provided")
        assert case.due_on == deadlines.policy.due("info_update", date(2026, 5, 8),
                                                   deadlines.calendar)
        case = await maintenance.submit_update(uow, REG, update, on=date(2026, 5, 12),
                                               actor=agency, clock=CLOCK)
        await uow.commit()
    assert case.step == "update_accepted"

    async def answer_text() -> str:
        async with app.uow() as uow:
            matcher = await matchers.get(uow)
        result = matcher.ask("Как получить разрешение на любительскую рыбалку?", "ru")
        assert result.decision == Decision.ANSWER and result.entry is not None
        return matcher.entries_by_key[result.entry].answer["ru"]

    assert await answer_text() == "Через egov.kz, бесплатно."  # not before it is accepted
    async with app.uow() as uow:
        with pytest.raises(AccessDenied):
            await maintenance.accept_update(uow, REG, on=date(2026, 5, 13), actor=agency,
                                            clock=CLOCK)
        case = await maintenance.accept_update(uow, REG, on=date(2026, 5, 13), actor=OPERATOR,
                                               clock=CLOCK, effective_on=date(2026, 6, 1))
        await uow.commit()
    assert (case.step, case.activation_on) == ("live", date(2026, 6, 1))
    async with app.uow() as uow:
        assert await onboarding.activate_due(uow, date(2026, 5, 29), CLOCK) == []
        await uow.commit()
    assert await answer_text() == "Через egov.kz, бесплатно."
    async with app.uow() as uow:
        [closed] = await onboarding.activate_due(uow, date(2026, 6, 1), CLOCK)
        await uow.commit()
    assert closed.step == onboarding.CLOSED
    assert await answer_text() == new_answer["ru"]


async def test_an_update_of_another_service_is_refused_and_a_returned_one_is_due_again(
    app: App, deadlines: Deadlines,
) -> None:
    agency = await live(app, deadlines)
    foreign = pack(service("999999", "mep", faq=[entry("mep.x", "Қалай?", "Как?")]),
                   agencies=[{"code": "mep", "name": {"kk": "М", "ru": "М"}}])
    async with app.uow() as uow:
        await maintenance.start_update(uow, REG, date(2026, 5, 4), actor=OPERATOR,
                                       clock=CLOCK, deadlines=deadlines)
        with pytest.raises(OnboardingError, match="999999"):
            await maintenance.submit_update(uow, REG, foreign, on=date(2026, 5, 5),
                                            actor=agency, clock=CLOCK)
        await maintenance.submit_update(uow, REG, fishing_pack(), on=date(2026, 5, 5),
                                        actor=agency, clock=CLOCK)
        case = await maintenance.return_update(uow, REG, "нет казахского текста",
                                               on=date(2026, 5, 6), actor=OPERATOR,
                                               clock=CLOCK, deadlines=deadlines)
        await uow.commit()
    assert case.step == "update_provided"
    assert case.due_on == deadlines.policy.due("info_update", date(2026, 5, 6),
                                               deadlines.calendar)


async def test_a_new_responsible_person_after_live_rebinds_and_a_late_notice_is_marked(
    app: App, deadlines: Deadlines,
) -> None:
    await live(app, deadlines)
    async with app.uow() as uow:
        # changed on Monday 4 May; 5 working days: due Monday 11 May ... but the 11th is a
        # moved day off, so Tuesday 12 May. Notified on the 14th: late.
        case, person = await onboarding.appoint_responsible(
            uow, REG, "Дана Ахметова", on=date(2026, 5, 14), actor=OPERATOR, clock=CLOCK,
            deadlines=deadlines, changed_on=date(2026, 5, 4))
        await uow.commit()
    assert person.invite_code and case.responsible == "Дана Ахметова"
    due = deadlines.policy.due("responsible_replaced", date(2026, 5, 4), deadlines.calendar)
    assert due < date(2026, 5, 14)
    async with app.uow() as uow:
        replaced = (await onboarding.history(uow, REG, OPERATOR))[-1]
        active = {row.name: row.active for row in await uow.session.scalars(select(StaffRow))}
    assert (replaced.step, replaced.note, replaced.due_on) == (
        "responsible_replaced", "Дана Ахметова", due)
    assert replaced.working_days_late(deadlines.calendar) > 0
    assert active == {"Ержан Сапаров": False, "Дана Ахметова": True}
