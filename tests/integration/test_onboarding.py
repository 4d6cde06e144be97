"""The onboarding protocol on a fixed clock: from the Register to live, across Nauryz 2026."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import App
from bot.jobs import run_job
from bot.jobs.onboarding import OnboardingJob, OnboardingTick
from knowledge import onboarding
from knowledge.agencies import AgencyError, add_agency, list_agencies
from knowledge.asking import MatcherCache
from knowledge.calendar import WorkCalendar
from knowledge.clock import FixedClock
from knowledge.db.tables import OutboxRow
from knowledge.model import Decision
from knowledge.onboarding import Case, Deadlines, OnboardingError
from knowledge.policy import Policy
from knowledge.staff import SYSTEM, AccessDenied, Actor, Role, bind_telegram, staff_by_telegram
from tests.factories import entry, pack, service

REG = "701001"
CLOCK = FixedClock(datetime(2026, 3, 17, 9, 0, tzinfo=UTC))
OPERATOR = Actor("Айгүл", Role.OPERATOR)
QUESTION = "Как получить разрешение на любительскую рыбалку?"


@pytest.fixture(scope="module")
def deadlines() -> Deadlines:
    return Deadlines(Policy(), WorkCalendar.kazakhstan())


def fishing_pack(register_no: str = REG, agency: str = "mep") -> dict[str, Any]:
    return pack(
        service(
            register_no, agency,
            name={"kk": "Әуесқой балық аулауға рұқсат", "ru": "Разрешение на рыбалку"},
            keywords={"kk": ["балық"], "ru": ["рыбалка"]},
            faq=[entry(f"mep.fishing.{register_no}.how",
                       "Әуесқой балық аулауға рұқсатты қалай алуға болады?", QUESTION,
                       {"ru": "Через egov.kz, бесплатно.", "kk": "egov.kz арқылы, тегін."})],
        ),
        agencies=[{"code": agency, "name": {"kk": "Экология министрлігі",
                                            "ru": "Министерство экологии"}}],
    )


async def setup_agencies(app: App) -> None:
    async with app.uow() as uow:
        await add_agency(uow, "mep", name_kk="Экология министрлігі",
                         name_ru="Министерство экологии", kind="central",
                         email="info@ecogeo.gov.kz", region=None)
        await add_agency(uow, "akimat.almaty", name_kk="Алматы қаласының әкімдігі",
                         name_ru="Акимат города Алматы", kind="local",
                         email="akimat@almaty.gov.kz", region="Алматы")
        await uow.commit()


async def answers(app: App, matchers: MatcherCache, text: str) -> bool:
    async with app.uow() as uow:
        matcher = await matchers.get(uow)
    return matcher.ask(text, "ru").decision == Decision.ANSWER


async def test_a_whole_protocol_run_across_nauryz_goes_live_on_its_activation_date(
    app: App, deadlines: Deadlines,
) -> None:
    await setup_agencies(app)
    matchers = MatcherCache()
    async with app.uow() as uow:
        case = await onboarding.start_case(uow, REG, "mep", date(2026, 3, 17), actor=OPERATOR,
                                           clock=CLOCK, deadlines=deadlines)
        await uow.commit()
    assert (case.step, case.due_on) == ("request_sent", date(2026, 3, 20))

    async def done(key: str, on: date, actor: Actor = OPERATOR) -> onboarding.Case:
        async with app.uow() as uow:
            result = await onboarding.record_step(uow, REG, key, on=on, actor=actor,
                                                  clock=CLOCK, deadlines=deadlines)
            await uow.commit()
        return result

    case = await done("request_sent", date(2026, 3, 20))
    # 3 working days from Friday 20 March: Nauryz (21-25) and the weekend do not count
    assert (case.step, case.due_on) == ("responsible_appointed", date(2026, 3, 30))

    async with app.uow() as uow:
        case, person = await onboarding.appoint_responsible(
            uow, REG, "Ержан Сапаров", on=date(2026, 3, 26), actor=OPERATOR, clock=CLOCK,
            deadlines=deadlines, position="бас маман", phone="+77010000000",
            email="e.saparov@ecogeo.gov.kz")
        await uow.commit()
    assert (case.step, case.due_on) == ("information_provided", date(2026, 4, 2))
    assert person.invite_code

    # the invite binds the person's Telegram account to the agency role, once
    async with app.uow() as uow:
        await bind_telegram(uow, person.invite_code, 5550001)
        await uow.commit()
    async with app.uow() as uow:
        bound = await staff_by_telegram(uow, 5550001)
        with pytest.raises(AccessDenied):
            await bind_telegram(uow, person.invite_code, 5550002)
    assert bound is not None and bound.role == Role.AGENCY and bound.agency_code == "mep"
    agency_actor = Actor(bound.name, Role.AGENCY, case.agency_id, bound.id)

    async with app.uow() as uow:
        case, report = await onboarding.submit_information(
            uow, REG, fishing_pack(), on=date(2026, 4, 1), actor=agency_actor, clock=CLOCK,
            deadlines=deadlines)
        await uow.commit()
    assert report.services_added == 1
    assert (case.step, case.due_on) == ("training_held", date(2026, 4, 15))
    assert not await answers(app, matchers, QUESTION)  # a draft: citizens do not see it

    case = await done("training_held", date(2026, 4, 10), agency_actor)
    assert (case.step, case.due_on) == ("protocol_signed", date(2026, 4, 15))
    case = await done("protocol_signed", date(2026, 4, 10))
    assert (case.step, case.activation_on) == ("live", date(2026, 4, 17))

    async with app.uow() as uow:
        assert await onboarding.activate_due(uow, date(2026, 4, 16), CLOCK) == []
        await uow.commit()
    assert not await answers(app, matchers, QUESTION)
    async with app.uow() as uow:
        [closed] = await onboarding.activate_due(uow, date(2026, 4, 17), CLOCK)
        await uow.commit()
    assert closed.step == onboarding.CLOSED
    assert await answers(app, matchers, QUESTION)

    async with app.uow() as uow:
        steps = [(s.step, s.by) for s in await onboarding.history(uow, REG, OPERATOR)]
    assert steps == [
        ("started", "operator:Айгүл"), ("request_sent", "operator:Айгүл"),
        ("responsible_appointed", "operator:Айгүл"),
        ("information_provided", "agency:Ержан Сапаров"),
        ("training_held", "agency:Ержан Сапаров"), ("protocol_signed", "operator:Айгүл"),
        ("live", "admin:scheduler"),
    ]


async def test_a_late_step_is_reminded_the_day_before_on_the_day_and_flagged_overdue_once(
    app: App, deadlines: Deadlines,
) -> None:
    await setup_agencies(app)
    async with app.uow() as uow:
        await onboarding.start_case(uow, REG, "mep", date(2026, 3, 17), actor=OPERATOR,
                                    clock=CLOCK, deadlines=deadlines)
        await uow.commit()
    fired: dict[date, list[str]] = {}
    for day in (date(2026, 3, 18), date(2026, 3, 19), date(2026, 3, 19), date(2026, 3, 20),
                date(2026, 3, 23), date(2026, 3, 26), date(2026, 3, 27)):
        async with app.uow() as uow:
            reminders = await onboarding.fire_reminders(uow, day, deadlines.calendar, CLOCK)
            await uow.commit()
        fired.setdefault(day, []).extend(r.kind for r in reminders)
    assert fired == {
        date(2026, 3, 18): [],
        date(2026, 3, 19): ["day_before"],  # once, though the scheduler ran twice
        date(2026, 3, 20): ["due_day"],
        date(2026, 3, 23): ["overdue"],
        date(2026, 3, 26): [],
        date(2026, 3, 27): [],
    }
    async with app.uow() as uow:
        [case] = await onboarding.cases(uow, OPERATOR)
    assert case.due_on is not None
    assert onboarding.working_days_left(case.due_on, date(2026, 3, 26), deadlines.calendar) == -1


async def queued(app: App) -> list[tuple[str, str]]:
    """(channel, address) of every message in the outbox, in order."""
    async with app.uow() as uow:
        rows = await uow.session.scalars(select(OutboxRow).order_by(OutboxRow.id))
        return [(row.channel, row.address) for row in rows]


async def request_sent_on_friday(app: App, deadlines: Deadlines) -> Case:
    """A case whose request went out on 20 March 2026: the agency owes an appointment."""
    await setup_agencies(app)
    app.clock = CLOCK
    async with app.uow() as uow:
        await onboarding.start_case(uow, REG, "mep", date(2026, 3, 17), actor=OPERATOR,
                                    clock=CLOCK, deadlines=deadlines)
        case = await onboarding.record_step(uow, REG, "request_sent", on=date(2026, 3, 20),
                                            actor=OPERATOR, clock=CLOCK, deadlines=deadlines)
        await uow.commit()
    return case



async def ticked(run: Awaitable[OnboardingTick | None]) -> OnboardingTick:
    """The run's outcome (no other instance holds the job's lock here)."""
    outcome = await run
    assert outcome is not None
    return outcome

async def test_the_agency_is_reminded_at_its_official_address_until_a_person_is_appointed(
    app: App, deadlines: Deadlines,
) -> None:
    case = await request_sent_on_friday(app, deadlines)
    assert (case.step, case.due_on) == ("responsible_appointed", date(2026, 3, 30))
    job = OnboardingJob(app)

    # nobody is appointed yet: the day before, the agency hears of it at its official address
    [reminder] = (await ticked(run_job(app, job, date(2026, 3, 27)))).reminders
    assert (reminder.kind, reminder.case.step) == ("day_before", "responsible_appointed")
    assert await queued(app) == [("email", "info@ecogeo.gov.kz")]
    async with app.uow() as uow:
        [letter] = [row.payload for row in await uow.session.scalars(select(OutboxRow))]
    assert REG in letter["subject"] and "жауапты" in letter["text"].lower()

    # once appointed (bound to Telegram, with an e-mail), the person is reminded, not the box
    async with app.uow() as uow:
        case, person = await onboarding.appoint_responsible(
            uow, REG, "Ержан Сапаров", on=date(2026, 3, 27), actor=OPERATOR, clock=CLOCK,
            deadlines=deadlines, email="e.saparov@ecogeo.gov.kz")
        assert person.invite_code
        await bind_telegram(uow, person.invite_code, 5550001)
        await uow.commit()
    assert (case.step, case.due_on) == ("information_provided", date(2026, 4, 3))
    [reminder] = (await ticked(run_job(app, job, date(2026, 4, 2)))).reminders
    assert (reminder.kind, reminder.case.step) == ("day_before", "information_provided")
    assert (await queued(app))[1:] == [("telegram", "5550001"),
                                       ("email", "e.saparov@ecogeo.gov.kz")]


async def test_a_responsible_person_nobody_can_reach_is_reminded_through_the_agency(
    app: App, deadlines: Deadlines,
) -> None:
    await request_sent_on_friday(app, deadlines)
    async with app.uow() as uow:
        await onboarding.appoint_responsible(  # no e-mail, the invite not redeemed yet
            uow, REG, "Ержан Сапаров", on=date(2026, 3, 27), actor=OPERATOR, clock=CLOCK,
            deadlines=deadlines)
        await uow.commit()
    [reminder] = (await ticked(run_job(app, OnboardingJob(app), date(2026, 4, 2)))).reminders
    assert reminder.case.step == "information_provided"
    assert await queued(app) == [("email", "info@ecogeo.gov.kz")]


async def test_agency_staff_see_and_act_on_their_own_agency_only(
    app: App, deadlines: Deadlines,
) -> None:
    await setup_agencies(app)
    async with app.uow() as uow:
        await onboarding.start_case(uow, REG, "mep", date(2026, 3, 17), actor=OPERATOR,
                                    clock=CLOCK, deadlines=deadlines)
        await onboarding.start_case(uow, "702002", "akimat.almaty", date(2026, 3, 17),
                                    actor=OPERATOR, clock=CLOCK, deadlines=deadlines)
        await uow.commit()
        agencies = {a.code: a.id for a in await list_agencies(uow, SYSTEM)}
    akimat = Actor("Дана", Role.AGENCY, agencies["akimat.almaty"])
    async with app.uow() as uow:
        assert [c.register_no for c in await onboarding.cases(uow, akimat)] == ["702002"]
        assert len(await onboarding.cases(uow, OPERATOR)) == 2
        with pytest.raises(AccessDenied):
            await onboarding.history(uow, REG, akimat)
        with pytest.raises(AccessDenied):
            await onboarding.record_step(uow, "702002", "request_sent", on=date(2026, 3, 18),
                                         actor=akimat, clock=CLOCK, deadlines=deadlines)
        with pytest.raises(AccessDenied):
            await onboarding.start_case(uow, "703003", "akimat.almaty", date(2026, 3, 17),
                                        actor=akimat, clock=CLOCK, deadlines=deadlines)


async def test_steps_are_taken_in_order_and_information_must_be_the_case_s_own(
    app: App, deadlines: Deadlines,
) -> None:
    await setup_agencies(app)
    async with app.uow() as uow:
        await onboarding.start_case(uow, REG, "mep", date(2026, 3, 17), actor=OPERATOR,
                                    clock=CLOCK, deadlines=deadlines)
        await uow.commit()
        with pytest.raises(OnboardingError, match="waits for 'request_sent'"):
            await onboarding.record_step(uow, REG, "training_held", on=date(2026, 3, 18),
                                         actor=OPERATOR, clock=CLOCK, deadlines=deadlines)
        with pytest.raises(OnboardingError, match="open onboarding case already"):
            await onboarding.start_case(uow, REG, "mep", date(2026, 3, 17), actor=OPERATOR,
                                        clock=CLOCK, deadlines=deadlines)
        with pytest.raises(OnboardingError, match="no agency"):
            await onboarding.start_case(uow, "709", "nobody", date(2026, 3, 17),
                                        actor=OPERATOR, clock=CLOCK, deadlines=deadlines)
    for key in ("request_sent",):
        async with app.uow() as uow:
            await onboarding.record_step(uow, REG, key, on=date(2026, 3, 18), actor=SYSTEM,
                                         clock=CLOCK, deadlines=deadlines)
            await onboarding.appoint_responsible(uow, REG, "Ержан", on=date(2026, 3, 19),
                                                 actor=SYSTEM, clock=CLOCK,
                                                 deadlines=deadlines)
            await uow.commit()
    async with app.uow() as uow:
        with pytest.raises(OnboardingError, match=r"services\[0\]: '799' of 'mep'"):
            await onboarding.submit_information(
                uow, REG, fishing_pack("799"), on=date(2026, 3, 20), actor=OPERATOR,
                clock=CLOCK, deadlines=deadlines)


async def test_a_policy_override_moves_the_deadline(app: App) -> None:
    await setup_agencies(app)
    strict = Deadlines(Policy.from_overrides({"request_sent": 1}),
                       WorkCalendar.kazakhstan())
    async with app.uow() as uow:
        case = await onboarding.start_case(uow, REG, "mep", date(2026, 3, 20), actor=OPERATOR,
                                           clock=CLOCK, deadlines=strict)
    assert case.due_on == date(2026, 3, 26)  # the first working day after Nauryz


async def test_an_agency_needs_both_names_a_known_kind_and_a_real_address(app: App) -> None:
    async with app.uow() as uow:
        with pytest.raises(AgencyError) as refused:
            await add_agency(uow, "Bad Code", name_kk="", name_ru="Ведомство",
                             kind="federal", email="not-an-address")
    assert len(refused.value.problems) == 4
