"""The escalation queue on real SQLite: routing, grouping, claiming, the agencies' walls,
and the answer back to the citizen in their language."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.app import App
from bot.notify.notifier import Notifier
from bot.texts.escalations import render
from knowledge import escalations
from knowledge.asking import MatcherCache
from knowledge.catalog import live_services
from knowledge.citizens import citizen_for
from knowledge.db.tables import EscalationEventRow, ServiceRow
from knowledge.dialogue import ServiceNotLive
from knowledge.dialogue import escalate as citizen_escalates
from knowledge.escalations import AlreadyTaken, EscalationStatus
from knowledge.model import Lang
from knowledge.outbox import due
from knowledge.pack.io import import_pack
from knowledge.pack.validate import parse_pack
from knowledge.staff import SYSTEM, AccessDenied
from tests.conftest import PRODUCT_DEMO_PACK
from tests.escalation_helpers import (
    MARRIAGE,
    OPERATOR,
    PASSPORT,
    agency_id,
    clock_at,
    deadlines,
    escalate,
    seed,
)
from tests.factories import entry, pack, service

CLOCK = clock_at(2026, 12, 15)
NOTIFIER = Notifier(CLOCK, sms_max_parts=3)


async def test_a_question_of_a_known_service_goes_to_its_agency_due_in_three_working_days(
    app: App,
) -> None:
    await seed(app)
    ref = await escalate(app, "Можно ли получить паспорт без прописки?", register_no=PASSPORT,
                         clock=CLOCK, with_deadlines=deadlines())
    async with app.uow() as uow:
        item = await escalations.escalation(uow, ref, OPERATOR)
    assert item.agency_code == "mvd"
    assert item.routed_on == date(2026, 12, 15)
    assert item.due_on == date(2026, 12, 21)  # 16 December, Independence Day, skipped


async def test_a_question_of_no_known_service_goes_to_the_operators_triage(app: App) -> None:
    await seed(app)
    ref = await escalate(app, "Где мой сосед?", register_no=None)
    ref2 = await escalate(app, "Вопрос", register_no="999")  # a service the base lacks
    async with app.uow() as uow:
        triage = await escalations.queue(uow, OPERATOR, triage=True)
    assert [i.reference for i in triage] == [ref, ref2]
    assert all(i.in_triage for i in triage)


async def test_the_citizens_choice_of_service_routes_to_its_agency_not_the_best_guess(
    app: App,
) -> None:
    await seed(app)
    async with app.uow() as uow:  # a service still in onboarding: not live
        await import_pack(uow, pack(service("00909001", "mju", faq=[
            entry("mju.draft.fee", "Апостиль қанша тұрады?", "Сколько стоит апостиль?")])),
            draft=True)
    matchers = MatcherCache()
    question = "Сколько стоит регистрация брака?"  # the best guess: mju's marriage
    async with app.uow() as uow:
        ids = {s.register_no: s.id for s in await live_services(uow)}
        draft_id = await uow.session.scalar(
            select(ServiceRow.id).where(ServiceRow.register_no == "00909001"))
        citizen = await citizen_for(uow, "telegram", "4242", CLOCK)
        guessed = await citizen_escalates(uow, matchers, citizen, question, lang="ru",
                                          clock=CLOCK)
        chosen = await citizen_escalates(uow, matchers, citizen, question, lang="ru",
                                         clock=CLOCK, service_id=ids[PASSPORT])
        for not_live in (draft_id, 99_999):
            with pytest.raises(ServiceNotLive):
                await citizen_escalates(uow, matchers, citizen, question, lang="ru",
                                        clock=CLOCK, service_id=not_live)
        await uow.commit()
        routed = {e.reference: e for e in await escalations.list_escalations(uow, SYSTEM)}
    assert draft_id is not None and draft_id not in ids.values()
    assert (routed[guessed].agency_code, routed[guessed].register_no) == ("mju", MARRIAGE)
    assert (routed[chosen].agency_code, routed[chosen].register_no) == ("mvd", PASSPORT)
    assert len(routed) == 2  # a service not live opened nothing


async def test_a_question_whose_service_is_in_doubt_goes_to_triage_not_the_best_guess(
    app: App,
) -> None:
    """Issue 18 (2): on the demo base the weather's best candidate is the labour
    ministry's childcare allowance (0.13) and an archive's the police's address
    certificate (0.23, the prosecutor's office close behind): neither service is
    identified as an answer would need, so both wait in triage. A pension question
    identifies its service and goes to its agency."""
    async with app.uow() as uow:
        await import_pack(uow, parse_pack(PRODUCT_DEMO_PACK.read_bytes()), draft=False)
    matchers = MatcherCache()
    async with app.uow() as uow:
        citizen = await citizen_for(uow, "telegram", "4242", CLOCK)
        references = [await citizen_escalates(uow, matchers, citizen, question, lang="ru",
                                              clock=CLOCK)
                      for question in ("Какая завтра погода в Астане?",
                                       "Как получить справку из архива?",
                                       "Как получить пенсию?")]
        await uow.commit()
        routed = {e.reference: e for e in await escalations.list_escalations(uow, SYSTEM)}
    weather, archive, pension = (routed[r] for r in references)
    assert (weather.agency_code, weather.register_no) == (None, None)
    assert (archive.agency_code, archive.register_no) == (None, None)
    assert pension.agency_code == "mtszn"


async def test_triage_assigns_answers_from_the_base_and_closes_out_of_scope(app: App) -> None:
    mvd, _ = await seed(app)
    a = await escalate(app, "Про паспорт", register_no=None, clock=CLOCK)
    b = await escalate(app, "Сколько стоит брак?", register_no=None, clock=CLOCK, chat=1002)
    c = await escalate(app, "Найдите мне работу", register_no=None, clock=CLOCK, chat=1003)
    async with app.uow() as uow:
        with pytest.raises(AccessDenied):
            await escalations.assign(uow, a, "mvd", actor=mvd, clock=CLOCK,
                                     deadlines=deadlines())
        assigned = await escalations.assign(uow, a, "mvd", actor=OPERATOR, clock=CLOCK,
                                            deadlines=deadlines())
        await escalations.answer_from_base(uow, b, "mju.marriage.fee", actor=OPERATOR,
                                           clock=CLOCK)
        await escalations.close_out_of_scope(uow, c, reply_ru="Это не вопрос о госуслуге.",
                                             actor=OPERATOR, clock=CLOCK)
        await uow.commit()
        queue = await escalations.queue(uow, mvd)
        done = {e.reference: e for e in await escalations.list_escalations(uow, SYSTEM)}
    assert assigned.due_on == date(2026, 12, 21)
    assert [i.reference for i in queue] == [a]
    assert done[b].status == EscalationStatus.ANSWERED and done[b].reply_ru == "Ответ."
    assert done[c].status == EscalationStatus.CLOSED


async def test_actions_typed_in_one_message_read_their_languages_and_grounds(
    app: App,
) -> None:
    mvd, _ = await seed(app)
    rules = deadlines()
    answered = await escalate(app, "Можно ли получить паспорт без прописки?",
                              register_no=PASSPORT, chat=901)
    withheld = await escalate(app, "Где хранятся бланки?", register_no=PASSPORT, chat=902)
    refused = await escalate(app, "Какая зарплата у паспортистов?", register_no=PASSPORT,
                             chat=903)
    closed = await escalate(app, "Найдите мне работу", register_no=None, chat=904)
    async with app.uow() as uow:
        a = await escalations.answer_typed(uow, answered, "kk: Иә, болады.\nru: Да, можно.",
                                           actor=mvd, clock=CLOCK)
        w = await escalations.refuse_typed(uow, withheld, "state_secret", actor=mvd,
                                           clock=CLOCK, deadlines=rules)
        r = await escalations.refuse_typed(uow, refused, "Не наш вопрос.", actor=mvd,
                                           clock=CLOCK, deadlines=rules)
        c = await escalations.close_typed(uow, closed, "Это не вопрос о госуслуге.",
                                          actor=OPERATOR, clock=CLOCK)
    assert (a.status, a.reply_kk, a.reply_ru) == ("answered", "Иә, болады.", "Да, можно.")
    assert (w.status, w.reply_kk, w.reply_ru) == ("refused", None, None)
    assert (r.status, r.reply_ru) == ("refused", "Не наш вопрос.")
    assert (c.status, c.reply_ru) == ("closed", "Это не вопрос о госуслуге.")


async def test_near_identical_questions_are_grouped_and_one_answer_reaches_every_citizen(
    app: App,
) -> None:
    mvd, _ = await seed(app)
    first = await escalate(app, "Можно ли получить паспорт без прописки?",
                           register_no=PASSPORT, chat=1001)
    await escalate(app, "можно ли получить паспорт без прописки", register_no=PASSPORT,
                   chat=1002)
    await escalate(app, "Паспортты тіркеусіз алуға бола ма?", register_no=PASSPORT, chat=1003,
                   lang="kk")
    async with app.uow() as uow:
        queue = await escalations.queue(uow, mvd)
    assert [(i.reference, i.group_size) for i in queue][0] == (first, 2)
    assert len(queue) == 2  # the Kazakh wording is another question

    async with app.uow() as uow:
        await escalations.answer(uow, first, text_ru="Да, по месту пребывания.", actor=mvd,
                                 clock=CLOCK)
        queued = await NOTIFIER.pending_escalation_outcomes(uow)
        await uow.commit()
        answered = await escalations.list_escalations(uow, SYSTEM, EscalationStatus.ANSWERED)
    assert queued == 2
    assert {e.reference for e in answered} == {first, answered[1].reference}
    assert len(answered) == 2


async def test_two_people_taking_one_question_at_once_only_one_gets_it(app: App) -> None:
    mvd, _ = await seed(app)
    ref = await escalate(app, "Паспорт ребёнку", register_no=PASSPORT)
    colleague = type(mvd)("Бауыржан", mvd.role, mvd.agency_id, None)
    async with app.uow() as first, app.uow() as second:
        seen = await escalations.escalation(second, ref, colleague)  # both read it free
        assert seen.taken_by is None
        await escalations.take(first, ref, actor=mvd, clock=CLOCK)
        await first.commit()
        with pytest.raises(AlreadyTaken, match="Дана"):
            await escalations.take(second, ref, actor=colleague, clock=CLOCK)
    async with app.uow() as uow:
        with pytest.raises(escalations.EscalationError, match="taken by"):
            await escalations.answer(uow, ref, text_ru="...", actor=colleague, clock=CLOCK)


async def test_an_agency_cannot_read_answer_refuse_or_export_another_agencys_questions(
    app: App,
) -> None:
    mvd, mju = await seed(app)
    ref = await escalate(app, "Паспорт ребёнку", register_no=PASSPORT)
    escalation_id = ref.rsplit("-", 1)[1].lstrip("0")
    async with app.uow() as uow:
        for forged in (ref, escalation_id):
            with pytest.raises(AccessDenied):
                await escalations.escalation(uow, forged, mju)
            with pytest.raises(AccessDenied):
                await escalations.take(uow, forged, actor=mju, clock=CLOCK)
            with pytest.raises(AccessDenied):
                await escalations.answer(uow, forged, text_ru="x", actor=mju, clock=CLOCK)
            with pytest.raises(AccessDenied):
                await escalations.refuse(uow, forged, ground="plain", reason="нет",
                                         actor=mju, clock=CLOCK, deadlines=deadlines())
        with pytest.raises(AccessDenied):
            await escalations.export_csv(uow, mju, agency_code="mvd")
        with pytest.raises(AccessDenied):
            await escalations.queue(uow, mju, agency_code="mvd")
        with pytest.raises(AccessDenied):
            await escalations.queue(uow, mju, triage=True)
        assert await escalations.queue(uow, mju) == []
        own = (await escalations.export_csv(uow, mju)).decode("utf-8-sig")
        theirs = (await escalations.export_csv(uow, mvd)).decode("utf-8-sig")
    assert ref not in own and ref in theirs


async def test_the_answer_reaches_the_citizen_in_their_language_with_the_reference(
    app: App,
) -> None:
    mvd, _ = await seed(app)
    ref = await escalate(app, "Паспортты қайдан аламын?", register_no=PASSPORT, lang="kk",
                         chat=555)
    async with app.uow() as uow:
        await escalations.take(uow, ref, actor=mvd, clock=CLOCK)
        await escalations.answer(uow, ref, text_kk="ХҚО-дан аласыз.", text_ru="В ЦОНе.",
                                 actor=mvd, clock=CLOCK)
        deliveries = await escalations.take_deliveries(uow, CLOCK)
        await uow.commit()
    [delivery] = deliveries
    assert (delivery.lang, delivery.text, delivery.reference) == ("kk", "ХҚО-дан аласыз.", ref)
    text = render(delivery)
    assert ref in text and "ХҚО-дан аласыз." in text and "сұрағыңызға жауап" in text
    async with app.uow() as uow:
        assert await escalations.take_deliveries(uow, CLOCK) == []  # passed on once


async def test_an_answer_only_in_the_other_language_says_so_and_goes_to_the_outbox(
    app: App,
) -> None:
    mvd, _ = await seed(app)
    ref = await escalate(app, "Паспорт қанша тұрады?", register_no=PASSPORT, lang="kk",
                         chat=777)
    async with app.uow() as uow:
        await escalations.answer(uow, ref, text_ru="Бесплатно.", actor=mvd, clock=CLOCK)
        assert await NOTIFIER.pending_escalation_outcomes(uow) == 1
        await uow.commit()
    async with app.uow() as uow:
        [message] = await due(uow, "telegram", CLOCK.now())
    assert message.address == "777"
    assert "Бесплатно." in message.payload["text"] and ref in message.payload["text"]
    assert "басқа тілде" in message.payload["text"]


async def test_a_lawful_withholding_is_explained_to_the_citizen_without_a_reason(
    app: App,
) -> None:
    mvd, _ = await seed(app)
    ref = await escalate(app, "Где хранятся бланки паспортов?", register_no=PASSPORT)
    async with app.uow() as uow:
        refusal = await escalations.refuse(uow, ref, ground="state_secret", actor=mvd,
                                           clock=CLOCK, deadlines=deadlines())
        [delivery] = await escalations.take_deliveries(uow, CLOCK)
    assert refusal.status == "pending"
    assert delivery.kind == "refused" and delivery.ground == "state_secret"
    assert "государственные секреты" in render(delivery)
    async with app.uow() as uow:
        with pytest.raises(escalations.EscalationError, match="reason"):
            await escalations.refuse(uow, ref, ground="plain", actor=mvd, clock=CLOCK,
                                     deadlines=deadlines())


async def test_a_plain_refusal_and_an_overdue_status_reach_the_citizen_as_written(
    app: App,
) -> None:
    mvd, _ = await seed(app)
    rules = deadlines()
    asked: list[tuple[Lang, str, int]] = [
        ("kk", "Төлқұжат бланкілері қайда басылады?", 801),
        ("ru", "Где печатают бланки паспортов?", 802),
        ("kk", "Балаға төлқұжатты шетелде ала ма?", 803),
        ("ru", "Можно ли получить паспорт ребёнку за границей?", 804),
    ]
    references = [await escalate(app, text, register_no=PASSPORT, lang=lang, chat=chat,
                                 clock=CLOCK, with_deadlines=rules)
                  for lang, text, chat in asked]
    refused = {"kk": references[0], "ru": references[1]}
    late = {"kk": references[2], "ru": references[3]}
    async with app.uow() as uow:
        for lang, reason in (("kk", "Мәлімет қызметтік."), ("ru", "Сведения служебные.")):
            await escalations.refuse(uow, refused[lang], ground="plain", reason=reason,
                                     actor=mvd, clock=CLOCK, deadlines=rules)
        await NOTIFIER.pending_escalation_outcomes(uow)
        reminders = await escalations.fire_escalation_reminders(uow, date(2026, 12, 22), rules,
                                                                CLOCK)
        await NOTIFIER.escalation_outcomes(uow, [d for r in reminders for d in r.deliveries])
        await uow.commit()
    async with app.uow() as uow:
        sent = {m.address: m.payload["text"] for m in await due(uow, "telegram", CLOCK.now())}
    assert sent == {
        "801": f"Сіздің {refused['kk']} сұрағыңыз бойынша: мемлекеттік орган ақпарат "
               "бермеді. Оның жауабы: Мәлімет қызметтік.\nБайланыс орталығы бас тартуды "
               "тіркеді. Сондай-ақ органға тікелей хабарласуға немесе 1414 нөміріне қоңырау "
               "шалуға болады.",
        "802": f"По вашему вопросу {refused['ru']}: государственный орган не предоставил "
               "информацию. Его ответ: Сведения служебные.\nКонтакт-центр зарегистрировал "
               "отказ. Вы также можете обратиться в орган напрямую или позвонить по номеру "
               "1414.",
        "803": f"Сіздің {late['kk']} сұрағыңыз әлі мемлекеттік органда: жауап "
               "жоспарланғаннан ұзағырақ дайындалып жатыр. Жауап келген бойда оны осы чатқа "
               "жібереміз.",
        "804": f"Ваш вопрос {late['ru']} всё ещё в государственном органе: ответ готовится "
               "дольше, чем планировалось. Мы пришлём его в этот чат, как только он "
               "поступит.",
    }


async def test_oral_help_is_recorded_by_an_operator_and_answers_the_citizen(app: App) -> None:
    mvd, _ = await seed(app)
    ref = await escalate(app, "Можно ли подать на брак онлайн?", register_no=MARRIAGE)
    async with app.uow() as uow:
        with pytest.raises(AccessDenied):
            await escalations.record_oral_help(uow, ref, who="x", on=CLOCK.now().date(),
                                               what="y", actor=mvd, clock=CLOCK)
        item = await escalations.record_oral_help(
            uow, ref, who="Главный специалист Ахметова", on=date(2026, 12, 15),
            what="Да, через egov.kz.", actor=OPERATOR, clock=CLOCK)
        await uow.commit()
    assert item.status == EscalationStatus.ANSWERED and item.reply_ru == "Да, через egov.kz."
    async with app.uow() as uow:  # who gave it, when, and who recorded it, are kept
        [event] = await uow.session.scalars(select(EscalationEventRow).where(
            EscalationEventRow.kind == "oral_help"))
        recorded = (event.who, event.on, event.note, event.by, event.at.replace(tzinfo=None))
    assert recorded == ("Главный специалист Ахметова", date(2026, 12, 15), "Да, через egov.kz.",
                        "operator:Айгүл", CLOCK.now().replace(tzinfo=None))


async def test_reminders_and_the_overdue_flag_fire_once_with_a_status_to_the_citizen(
    app: App,
) -> None:
    mvd, _ = await seed(app)
    ref = await escalate(app, "Паспорт ребёнку", register_no=PASSPORT, clock=CLOCK)  # no due yet
    d = deadlines()
    async with app.uow() as uow:
        before = await escalations.fire_escalation_reminders(uow, date(2026, 12, 18), d, CLOCK)
        overdue = await escalations.fire_escalation_reminders(uow, date(2026, 12, 22), d,
                                                              CLOCK)
        again = await escalations.fire_escalation_reminders(uow, date(2026, 12, 23), d, CLOCK)
        await uow.commit()
    assert [(r.kind, r.due_on) for r in before] == [("new", date(2026, 12, 21)),
                                                    ("day_before", date(2026, 12, 21))]
    assert [s.name for s in before[0].staff] == [mvd.name]
    assert [r.kind for r in overdue] == ["overdue"]
    assert [(c.kind, c.reference) for c in overdue[0].deliveries] == [("overdue_status", ref)]
    assert again == []
    assert await agency_id(app, "mvd") == mvd.agency_id
