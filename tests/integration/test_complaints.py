"""Complaints on a real SQLite base: lodged through the domain's intake with numbered replies
(as an SMS dialogue will), registered and forwarded, answered by the agency, passed back;
cancelled and expired drafts leave nothing; repeats are flagged; another agency sees
nothing; the month's register has a row per complaint; the erasure keeps the counts."""

from __future__ import annotations

import io
import logging
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.app import App, create_app, payload_address
from bot.config import Settings
from bot.jobs import run_job
from bot.jobs.complaints import ComplaintJob
from bot.notify.notifier import Notifier
from knowledge import complaints
from knowledge.citizens import Citizen, citizen_for
from knowledge.clock import FixedClock
from knowledge.complaints import ComplaintError, Reply
from knowledge.complaints.followup import fire_complaint_reminders
from knowledge.complaints.lodging import DRAFT_TTL, NAME_IN_LOG, drop_expired_drafts
from knowledge.conversation import conversation, log_message
from knowledge.db.tables import ComplaintDraftRow, ComplaintEventRow, ComplaintRow, OutboxRow
from knowledge.errors import InvalidInput
from knowledge.privacy import erase_citizen
from knowledge.reports import ANNEX2_COLUMNS, generate_monthly_report
from knowledge.staff import AccessDenied, Actor, Role, add_staff
from tests.escalation_helpers import MARRIAGE, PASSPORT, clock_at, deadlines, seed

PHONE = "+77011234567"
RULES = deadlines()
ADMIN = Actor("admin", Role.ADMIN)
OPERATOR_CHAT = 5005
KAZAKH_REPLIES = ("төлқұжат", "1", "18", "1", "ХҚКО-да тұрғылықты жерінен анықтама талап етті",
                  "Серікова Әлия Маратқызы", "1")
STANDARD_REPLIES = ("паспорт", "1", "18", "1", "В ЦОНе потребовали справку с места жительства",
                    "Иванов Иван Иванович", "1")


async def citizen(app: App, channel: str = "sms", address: str = PHONE,
                  clock: FixedClock | None = None) -> Citizen:
    async with app.uow() as uow:
        found = await citizen_for(uow, channel, address, clock or clock_at(2026, 10, 5))
        await uow.commit()
    return found


async def lodge(app: App, who: Citizen, replies: tuple[str, ...], clock: FixedClock,
                lang: str = "ru") -> complaints.IntakeTurn:
    """The citizen's SMS dialogue: the keyword, then one numbered reply a message."""
    async with app.uow() as uow:
        turn = await complaints.start_intake(uow, app.matchers, who, lang=lang,  # type: ignore[arg-type]
                                             clock=clock)
        await uow.commit()
    for text in replies:
        async with app.uow() as uow:
            log_message(uow, who.id, direction="in", channel=who.channel, lang=None, text=text,
                        clock=clock)
            draft = await complaints.active_draft(uow, who.id, clock)
            assert draft is not None, text
            turn = await complaints.continue_intake(uow, app.matchers, who, draft,
                                                    Reply(text), clock=clock,
                                                    deadlines=RULES)
            await uow.commit()
    return turn


async def count(app: App, table: type[ComplaintRow] | type[ComplaintDraftRow]) -> int:
    async with app.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(table)) or 0)


async def test_a_russian_complaint_by_numbered_replies_is_registered_answered_and_passed_on(
    app: App, caplog: pytest.LogCaptureFixture,
) -> None:
    mvd, mju = await seed(app)
    async with app.uow() as uow:
        await add_staff(uow, "Оператор Айгүл", Role.OPERATOR, clock_at(2026, 10, 1))
        await uow.commit()
    sms = await citizen(app)
    clock = clock_at(2026, 10, 5)  # Monday 5 October 2026, 11:00 in Astana
    caplog.set_level(logging.INFO)

    turn = await lodge(app, sms, STANDARD_REPLIES, clock)

    registered = turn.registered
    assert registered is not None
    assert registered.number == "C-261005-00001" and registered.request_no == "R-261005-00001"
    assert registered.agency_code == "mvd" and registered.repeat_of is None
    assert registered.route.agency_by == date(2026, 10, 12)
    assert "Иванов" not in caplog.text and "И. И. И." in caplog.text
    assert await count(app, ComplaintDraftRow) == 0
    async with app.uow() as uow:
        logged = [m.text for m in await conversation(uow, sms.id)]
        item = await complaints.complaint(uow, registered.number, mvd)
    assert "Иванов Иван Иванович" not in logged and NAME_IN_LOG in logged
    assert (item.agency_code, item.region, item.nature, item.category) == (
        "mvd", "astana", "extra_documents", "standard")
    assert (item.applicant, item.handled_by, item.due_on) == (
        "Иванов Иван Иванович", "Оператор Айгүл", date(2026, 10, 12))

    # the agency hears of the request; the other agency does not
    async with app.uow() as uow:
        reminders = await fire_complaint_reminders(uow, date(2026, 10, 5), RULES, clock)
        await uow.commit()
    [new] = reminders
    assert (new.kind, new.request_no) == ("new", registered.request_no)
    assert [p.name for p in new.staff] == [mvd.name]

    # another agency can neither see, respond to nor export it
    async with app.uow() as uow:
        with pytest.raises(AccessDenied):
            await complaints.complaint(uow, registered.number, mju)
        with pytest.raises(AccessDenied):
            await complaints.respond(uow, registered.request_no, text_ru="Нет.", actor=mju,
                                     clock=clock)
        with pytest.raises(AccessDenied):
            await complaints.list_complaints(uow, mju, agency_code="mvd")
        assert await complaints.list_complaints(uow, mju) == []
        exported = (await complaints.export_csv(uow, mju)).decode("utf-8-sig")
    assert registered.number not in exported and "Иванов" not in exported

    # the agency responds; the SMS citizen gets it by SMS, fitted, once
    answered_at = clock_at(2026, 10, 8)
    async with app.uow() as uow:
        await complaints.respond(uow, registered.number, text_ru="Справку требовать не будут.",
                                 actor=mvd, clock=answered_at)
        queued = await Notifier(answered_at, 3).pending_complaint_outcomes(uow)
        await uow.commit()
    assert queued == 1
    async with app.uow() as uow:
        row = await uow.session.scalar(select(ComplaintRow))
        assert row is not None and row.delivered_at is not None and row.status == "answered"
        [sent] = (await uow.session.scalars(select(OutboxRow))).all()
        assert (sent.channel, sent.address) == ("sms", PHONE)
        assert "Справку требовать не будут." in sent.payload["text"]
        assert registered.number in sent.payload["text"]
        again = await complaints.take_deliveries(uow, answered_at)
    assert again == []


async def test_a_cancelled_or_expired_intake_leaves_nothing(app: App) -> None:
    await seed(app)
    sms = await citizen(app)
    clock = clock_at(2026, 10, 5)

    cancelled = await lodge(app, sms, ("паспорт", "1", "18", "отмена"), clock)

    assert cancelled.cancelled
    assert (await count(app, ComplaintDraftRow), await count(app, ComplaintRow)) == (0, 0)

    await lodge(app, sms, ("паспорт", "1"), clock)
    assert await count(app, ComplaintDraftRow) == 1
    later = FixedClock(clock.now() + DRAFT_TTL)
    async with app.uow() as uow:
        assert await drop_expired_drafts(uow, later) == 1
        await uow.commit()
    assert (await count(app, ComplaintDraftRow), await count(app, ComplaintRow)) == (0, 0)


async def test_a_second_complaint_on_the_same_service_within_the_window_is_a_repeat(
    app: App,
) -> None:
    await seed(app)
    sms = await citizen(app)
    first = await lodge(app, sms, STANDARD_REPLIES, clock_at(2026, 10, 5))
    other_service = await lodge(app, sms, ("брак", "1", "2", "5", "Грубо разговаривали в ЗАГСе",
                                           "Иванов Иван", "да"), clock_at(2026, 10, 6))
    repeat = await lodge(app, sms, STANDARD_REPLIES, clock_at(2026, 10, 20))
    late = await lodge(app, sms, STANDARD_REPLIES, clock_at(2026, 12, 1))

    assert first.registered and other_service.registered and repeat.registered
    assert late.registered is not None
    assert other_service.registered.agency_code == "mju"
    assert other_service.registered.repeat_of is None
    assert repeat.registered.repeat_of == first.registered.number
    assert late.registered.repeat_of is None  # more than 30 days after the last one
    async with app.uow() as uow:
        flagged = await complaints.list_complaints(uow, ADMIN, repeats=True)
        reminders = await fire_complaint_reminders(uow, date(2026, 10, 20), RULES,
                                                   clock_at(2026, 10, 20))
    assert [c.number for c in flagged] == [repeat.registered.number]
    [told] = [r for r in reminders if r.number == repeat.registered.number and r.kind == "new"]
    assert told.repeat_of == first.registered.number


async def test_the_monthly_register_has_a_row_per_complaint_with_nine_columns(
    app: App,
) -> None:
    """Column 3 names the operator who last acted on the complaint (Бекзат forwarded the
    second one, picked for Айгүл at registration); an agency's response does not change
    it, and a complaint nobody at the center acted on keeps the operator picked for it."""
    mvd, _mju = await seed(app)
    async with app.uow() as uow:
        await add_staff(uow, "Оператор Айгүл", Role.OPERATOR, clock_at(2026, 10, 1))
        await uow.commit()
    sms = await citizen(app)
    telegram = await citizen(app, "telegram", "777")
    # 30 Sep 20:00 UTC is 1 Oct 01:00 in Astana: October's; 31 Oct 20:00 UTC is November's
    first = await lodge(app, sms, STANDARD_REPLIES, clock_at(2026, 9, 30, 20))
    staff = await lodge(app, telegram, ("1", "3", "5", "Сотрудник ЦОНа грубил и не принял "
                                        "документы", "Серікова Әлия", "1"),
                        clock_at(2026, 10, 14))
    await lodge(app, sms, STANDARD_REPLIES, clock_at(2026, 10, 31, 20))
    assert first.registered and staff.registered
    async with app.uow() as uow:
        await complaints.assign(uow, staff.registered.number, "mju",
                                actor=Actor("Оператор Бекзат", Role.OPERATOR),
                                clock=clock_at(2026, 10, 15), deadlines=RULES)
        await complaints.respond(uow, first.registered.number, text_ru="Справку не требуют.",
                                 actor=mvd, clock=clock_at(2026, 10, 6))
        report = await generate_monthly_report(
            uow, date(2026, 10, 1), deadlines=RULES, clock=clock_at(2026, 11, 5),
            complaints=complaints.complaint_register)
        await uow.commit()

    [whole] = [f for f in report.files if f.filename == "report-2026-10.xlsx"]
    body = register_rows(whole.data)
    assert len(ANNEX2_COLUMNS) == 9
    assert [len(r) for r in body] == [9, 9]
    assert all(all(cell for cell in r[:5]) and r[7] and r[8] for r in body)
    assert body[0][:5] == ["1", "2026-10-01 01:00", "Оператор Айгүл",
                           "Астана қаласы / Город Астана", "Иванов Иван Иванович"]
    assert body[0][5:7] == ["+", ""] and body[0][8] == first.registered.request_no
    assert "Выдача паспорта" in body[0][7] and "справку" in body[0][7]
    assert body[1][2:7] == ["Оператор Бекзат", "Ақтөбе облысы / Актюбинская область",
                            "Серікова Әлия", "", "+"]
    assert body[1][8] == staff.registered.request_no
    slices = {f.recipient: register_rows(f.data) for f in report.files}
    assert [r[8] for r in slices["mvd"]] == [first.registered.request_no]
    assert [r[8] for r in slices["mju"]] == [staff.registered.request_no]


def register_rows(workbook: bytes) -> list[list[str]]:
    """The rows of a report's Annex 2 sheet, below its title and headings, as text."""
    sheet = load_workbook(io.BytesIO(workbook))["2-қосымша · Приложение 2"]
    return [["" if v is None else str(v) for v in row]
            for row in sheet.iter_rows(min_row=3, values_only=True)]


async def test_the_operator_who_last_acts_on_a_complaint_handled_it(app: App) -> None:
    """Recording the agency's response or its extension on its behalf, or taking the
    complaint over, makes an operator the one who handled it; the agency's own staff do
    not."""
    mvd, _mju = await seed(app)
    async with app.uow() as uow:
        await add_staff(uow, "Оператор Айгүл", Role.OPERATOR, clock_at(2026, 10, 1))
        await uow.commit()
    sms = await citizen(app)
    turns = [await lodge(app, sms, STANDARD_REPLIES, clock_at(2026, 10, 5, hour))
             for hour in (6, 7, 8)]
    extended, answered, by_agency = (t.registered.number for t in turns if t.registered)
    bekzat, dana = Actor("Оператор Бекзат", Role.OPERATOR), Actor("Оператор Дана",
                                                                    Role.OPERATOR)
    at = clock_at(2026, 10, 7)
    async with app.uow() as uow:
        await complaints.extend(uow, extended, 5, reason="запрос в архив", actor=bekzat,
                                clock=at, deadlines=RULES)
        await complaints.take(uow, answered, actor=dana, clock=at)
        await complaints.respond(uow, answered, text_ru="Справку не требуют.", actor=bekzat,
                                 clock=at)
        await complaints.respond(uow, by_agency, text_ru="Справку не требуют.", actor=mvd,
                                 clock=at)
        handlers = [(await complaints.complaint(uow, n, ADMIN)).handled_by
                    for n in (extended, answered, by_agency)]
    assert handlers == ["Оператор Бекзат", "Оператор Бекзат", "Оператор Айгүл"]


async def test_erasure_removes_the_applicant_and_keeps_an_anonymous_row(app: App) -> None:
    mvd, _mju = await seed(app)
    sms = await citizen(app)
    turn = await lodge(app, sms, STANDARD_REPLIES, clock_at(2026, 10, 5))
    assert turn.registered is not None
    async with app.uow() as uow:
        with pytest.raises(AccessDenied):
            await complaints.erase(uow, turn.registered.number, actor=mvd,
                                   clock=clock_at(2026, 10, 6))
        await complaints.erase(uow, turn.registered.number, actor=ADMIN,
                               clock=clock_at(2026, 10, 6))
        await uow.commit()
    async with app.uow() as uow:
        row = await uow.session.scalar(select(ComplaintRow))
        assert row is not None
        assert (row.applicant, row.citizen_id, row.content) == (None, None, None)
        assert (row.number, row.region, row.nature, row.request_no) == (
            turn.registered.number, "astana", "extra_documents", turn.registered.request_no)
        texts = " ".join(m.text for m in await conversation(uow, sms.id))
        register = await complaints.complaint_register(
            uow, clock_at(2026, 10, 1).now(), clock_at(2026, 11, 1).now())
    assert "справку с места" not in texts and "Иванов" not in texts
    [line] = register
    assert line.applicant == "—" and line.request_no == turn.registered.request_no
    assert MARRIAGE and PASSPORT  # the seeded services


async def test_erasing_the_citizen_erases_their_complaints_and_keeps_the_rows(
    app: App,
) -> None:
    await seed(app)
    sms = await citizen(app)
    turn = await lodge(app, sms, STANDARD_REPLIES, clock_at(2026, 10, 5))
    assert turn.registered is not None
    async with app.uow() as uow:
        erased = await erase_citizen(uow, "sms", PHONE, payload_address("sms"))
        await uow.commit()
    assert erased is not None and erased.complaints == 1
    async with app.uow() as uow:
        row = await uow.session.scalar(select(ComplaintRow))
        assert row is not None and row.erased_at is not None
        assert (row.applicant, row.citizen_id, row.content) == (None, None, None)
        assert row.request_no == turn.registered.request_no


async def test_the_agency_extends_the_term_once_and_the_applicant_is_told(app: App) -> None:
    """Art. 25(4): up to 10 working days, once, before the term ends, with a reason; the
    new date counts working days (Republic Day, moved to Monday 26 October 2026, is not
    one); the reminders of the old date fire again for the new one; another agency may
    not extend it."""
    mvd, mju = await seed(app)
    sms = await citizen(app)
    turn = await lodge(app, sms, STANDARD_REPLIES, clock_at(2026, 10, 5))
    assert turn.registered is not None
    number = turn.registered.number
    async with app.uow() as uow:  # the reminder of the day before the old date fires
        fired = await fire_complaint_reminders(uow, date(2026, 10, 9), RULES,
                                               clock_at(2026, 10, 9))
        await uow.commit()
    assert [r.kind for r in fired] == ["new", "day_before"]
    at = clock_at(2026, 10, 12)  # the last day of the term
    async with app.uow() as uow:
        for days, reason, actor, problem in (
                (11, "много работы", mvd, ComplaintError), (0, "—", mvd, ComplaintError),
                (5, "  ", mvd, ComplaintError), (5, "запрос в архив", mju, AccessDenied)):
            with pytest.raises(problem):
                await complaints.extend(uow, number, days, reason=reason, actor=actor,
                                        clock=at, deadlines=RULES)
        item, notice = await complaints.extend(uow, number, 10, reason="запрос в архив",
                                               actor=mvd, clock=at, deadlines=RULES)
        queued = await Notifier(at, 3).complaint_outcomes(uow, [notice] if notice else [])
        await uow.commit()
    assert item.due_on == date(2026, 10, 27) and queued == 1
    async with app.uow() as uow:
        [told] = (await uow.session.scalars(select(OutboxRow))).all()
        channel, address, text = told.channel, told.address, told.payload["text"]
        with pytest.raises(ComplaintError, match="extended already"):
            await complaints.extend(uow, number, 1, reason="ещё", actor=mvd, clock=at,
                                    deadlines=RULES)
        fired = await fire_complaint_reminders(uow, date(2026, 10, 23), RULES,
                                               clock_at(2026, 10, 23))
    assert (channel, address) == ("sms", PHONE)
    # the new date as Babel writes it in the applicant's language
    assert all(part in text for part in (number, "27 октября 2026", "10", "запрос в архив"))
    assert [(r.kind, r.due_on) for r in fired] == [("day_before", date(2026, 10, 27))]


async def test_the_due_day_reminder_and_the_overdue_flag_fire_once_on_working_days(
    app: App, settings: Settings,
) -> None:
    """Registered on Wednesday 21 October 2026: Republic Day (25 October, a Sunday) moves
    to Monday 26 October, so the 5 working days end on Thursday 29 October, not on the
    26th. The scheduler runs every day and twice on some; the overdue day's run repeats
    after a restart: the operator hears of the overdue complaint once, and the applicant
    gets one status message, in Kazakh as they complained."""
    await seed(app)
    async with app.uow() as uow:
        await add_staff(uow, "Оператор Айгүл", Role.OPERATOR, clock_at(2026, 10, 1),
                        telegram_user_id=OPERATOR_CHAT)
        await uow.commit()
    telegram = await citizen(app, "telegram", "777")
    turn = await lodge(app, telegram, KAZAKH_REPLIES, clock_at(2026, 10, 21), lang="kk")
    assert turn.registered is not None
    number = turn.registered.number
    assert turn.registered.route.agency_by == date(2026, 10, 29)

    fired: dict[date, list[str]] = {}
    for n in (21, 22, 23, 26, 27, 28, 29, 29, 30, 30):
        result = await run_job(app, ComplaintJob(app), date(2026, 10, n))
        assert result is not None
        fired.setdefault(date(2026, 10, n), []).extend(r.kind for r in result.reminders)
    restarted = await create_app(settings)
    try:
        for today in (date(2026, 10, 30), date(2026, 11, 2)):
            after = await run_job(restarted, ComplaintJob(restarted), today)
            assert after is not None
            fired.setdefault(today, []).extend(r.kind for r in after.reminders)
    finally:
        await restarted.close()

    assert fired == {
        date(2026, 10, 21): ["new"], date(2026, 10, 22): [], date(2026, 10, 23): [],
        date(2026, 10, 26): [], date(2026, 10, 27): [], date(2026, 10, 28): ["day_before"],
        date(2026, 10, 29): ["due_day"], date(2026, 10, 30): ["overdue"],
        date(2026, 11, 2): []}
    async with app.uow() as uow:
        sent = (await uow.session.scalars(select(OutboxRow).order_by(OutboxRow.id))).all()
        to_operator = [r.payload["text"] for r in sent if r.address == str(OPERATOR_CHAT)]
        to_citizen = [r.payload["text"] for r in sent if r.address == "777"]
    assert [t for t in to_operator if "өз мерзімі" in t and "өтті" in t] == [
        f"Орталықтың өз мерзімі (бейсенбі, 29.10.2026) өтті: {number} шағымына (ІІМ) жауап "
        f"жоқ.\n\nПрошёл собственный срок центра (четверг, 29.10.2026): ответа на жалобу "
        f"{number} (МВД) нет."]
    assert [t for t in to_citizen if "әлі мемлекеттік органда" in t] == [
        f"Сіздің {number} шағымыңыз әлі мемлекеттік органда: жауап жоспарланғаннан ұзағырақ "
        "дайындалып жатыр. Ол келген бойда осында жібереміз."]


async def test_a_term_that_has_ended_cannot_be_extended(app: App) -> None:
    mvd, _mju = await seed(app)
    turn = await lodge(app, await citizen(app), STANDARD_REPLIES, clock_at(2026, 10, 5))
    assert turn.registered is not None
    async with app.uow() as uow:
        with pytest.raises(ComplaintError, match="too late"):
            await complaints.extend(uow, turn.registered.number, 3, reason="поздно",
                                    actor=mvd, clock=clock_at(2026, 10, 13), deadlines=RULES)


async def test_an_extension_made_before_the_term_ended_is_recorded_on_its_day(
    app: App,
) -> None:
    """Issue 18 (4): the agency extended the term on its last day, 12 October; the
    operator records it on the 14th with the day it happened. A day after the term or in
    the future is refused."""
    mvd, _mju = await seed(app)
    turn = await lodge(app, await citizen(app), STANDARD_REPLIES, clock_at(2026, 10, 5))
    assert turn.registered is not None
    number, typed_on = turn.registered.number, clock_at(2026, 10, 14)
    async with app.uow() as uow:
        for on, problem in ((date(2026, 10, 13), "too late"),
                            (date(2026, 10, 15), "in the future")):
            with pytest.raises(InvalidInput, match=problem):
                await complaints.extend(uow, number, 3, reason="запрос в архив", actor=mvd,
                                        clock=typed_on, deadlines=RULES, on=on)
        item, _notice = await complaints.extend(uow, number, 3, reason="запрос в архив",
                                                actor=mvd, clock=typed_on, deadlines=RULES,
                                                on=date(2026, 10, 12))
        await uow.commit()
        [note] = (await uow.session.scalars(select(ComplaintEventRow.note).where(
            ComplaintEventRow.kind == "extended"))).all()
    assert item.due_on == date(2026, 10, 15)
    assert note is not None and "2026-10-12" in note
