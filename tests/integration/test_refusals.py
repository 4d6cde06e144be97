"""Para 12 on a fixed calendar: confirmed plain refusals within the window produce one
notice to the quality-control body, due 3 working days after the one that reached the
threshold (16 December, Independence Day, skipped)."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.app import App
from bot.notify.quality import notice_documents
from knowledge import escalations, refusals
from knowledge.agencies import edit_agency
from knowledge.errors import InvalidInput
from knowledge.onboarding import Deadlines
from knowledge.refusals import add_months, windows_for
from knowledge.staff import AccessDenied, Actor, Signatory
from tests.escalation_helpers import OPERATOR, PASSPORT, clock_at, deadlines, escalate, seed


async def refused(
    app: App, actor: Actor, day: date, ground: str = "plain", *, confirm: bool = True,
    rules: Deadlines | None = None, chat: int = 1001,
) -> refusals.Notice | None:
    clock = clock_at(day.year, day.month, day.day)
    ref = await escalate(app, f"Вопрос {day} {ground} {chat}", register_no=PASSPORT,
                         clock=clock, chat=chat)
    async with app.uow() as uow:
        refusal = await escalations.refuse(uow, ref, ground=ground,
                                           reason="Не наша компетенция", actor=actor,
                                           clock=clock, deadlines=rules or deadlines())
        notice = None
        if confirm:
            _, notice = await refusals.confirm(uow, refusal.id, actor=OPERATOR, clock=clock,
                                               deadlines=rules or deadlines())
        await uow.commit()
    return notice


async def all_notices(app: App) -> list[refusals.Notice]:
    async with app.uow() as uow:
        return await refusals.notices(uow, OPERATOR)


async def test_two_confirmed_plain_refusals_in_a_month_make_one_notice_due_in_3_working_days(
    app: App,
) -> None:
    mvd, _ = await seed(app)
    assert await refused(app, mvd, date(2026, 12, 1)) is None
    notice = await refused(app, mvd, date(2026, 12, 15))
    assert notice is not None
    assert (notice.reached_on, notice.due_on) == (date(2026, 12, 15), date(2026, 12, 21))
    assert len(notice.refusals) == 2
    later = await refused(app, mvd, date(2026, 12, 22))  # joins the open notice
    assert later is not None and later.id == notice.id
    [only] = await all_notices(app)
    assert len(only.refusals) == 3 and only.due_on == date(2026, 12, 21)


async def test_a_lawful_withholding_is_kept_but_does_not_count(app: App) -> None:
    mvd, _ = await seed(app)
    await refused(app, mvd, date(2026, 12, 1), "state_secret")
    await refused(app, mvd, date(2026, 12, 2), "commercial_secret")
    assert await refused(app, mvd, date(2026, 12, 3)) is None
    assert await all_notices(app) == []
    async with app.uow() as uow:
        kept = await refusals.refusals(uow, OPERATOR)
    assert [r.ground for r in kept] == ["state_secret", "commercial_secret", "plain"]


async def test_unconfirmed_refusals_do_not_count(app: App) -> None:
    mvd, _ = await seed(app)
    await refused(app, mvd, date(2026, 12, 1), confirm=False)
    await refused(app, mvd, date(2026, 12, 2), confirm=False)
    assert await all_notices(app) == []
    async with app.uow() as uow:
        pending = await refusals.refusals(uow, OPERATOR, status="pending")
        _, notice = await refusals.confirm(uow, pending[0].id, actor=OPERATOR,
                                           clock=clock_at(2026, 12, 3), deadlines=deadlines())
        assert notice is None
        _, notice = await refusals.confirm(uow, pending[1].id, actor=OPERATOR,
                                           clock=clock_at(2026, 12, 3), deadlines=deadlines())
        assert notice is not None and notice.due_on == date(2026, 12, 7)


async def test_a_lawful_withholding_counts_when_the_policy_says_so(app: App) -> None:
    mvd, _ = await seed(app)
    counting = deadlines({"refusal_withholding_counts": 1})
    assert await refused(app, mvd, date(2026, 12, 1), "state_secret", rules=counting) is None
    notice = await refused(app, mvd, date(2026, 12, 15), "commercial_secret", rules=counting)
    assert notice is not None and notice.due_on == date(2026, 12, 21)
    assert [r.ground for r in notice.refusals] == ["state_secret", "commercial_secret"]


async def test_without_confirmation_a_refusal_counts_as_the_agency_refuses(app: App) -> None:
    mvd, _ = await seed(app)
    unconfirmed = deadlines({"refusal_confirmation": 0})
    await refused(app, mvd, date(2026, 12, 1), "state_secret", confirm=False,
                  rules=unconfirmed)  # still not counted: a lawful withholding
    assert await refused(app, mvd, date(2026, 12, 2), confirm=False, rules=unconfirmed) is None
    assert await all_notices(app) == []
    await refused(app, mvd, date(2026, 12, 15), confirm=False, rules=unconfirmed)
    [notice] = await all_notices(app)
    assert (notice.reached_on, notice.due_on) == (date(2026, 12, 15), date(2026, 12, 21))
    assert [r.refused_on for r in notice.refusals] == [date(2026, 12, 2), date(2026, 12, 15)]
    async with app.uow() as uow:
        kept = await refusals.refusals(uow, OPERATOR)
        assert await refusals.refusals(uow, OPERATOR, status="pending") == []
        with pytest.raises(refusals.RefusalError, match="confirmed already"):
            await refusals.confirm(uow, kept[-1].id, actor=OPERATOR,
                                   clock=clock_at(2026, 12, 15), deadlines=unconfirmed)
    assert [r.status for r in kept] == ["confirmed"] * 3


async def provider_not_a_state_body(app: App, code: str = "mvd") -> None:
    async with app.uow() as uow:
        await edit_agency(uow, code, kind="provider")
        await uow.commit()


async def test_a_provider_that_is_not_a_state_body_refusing_gets_no_para_12_notice(
    app: App,
) -> None:
    mvd, _ = await seed(app)
    await provider_not_a_state_body(app)  # e.g. a joint-stock company: p.12 names only
    assert await refused(app, mvd, date(2026, 12, 1)) is None  # state and local bodies
    assert await refused(app, mvd, date(2026, 12, 15)) is None
    assert await all_notices(app) == []
    async with app.uow() as uow:
        kept = await refusals.refusals(uow, OPERATOR)
    assert [(r.status, r.notice_id) for r in kept] == [("confirmed", None)] * 2


async def test_a_providers_refusals_make_a_notice_when_the_policy_binds_providers(
    app: App,
) -> None:
    mvd, _ = await seed(app)
    await provider_not_a_state_body(app)
    binding = deadlines({"refusal_binds_provider": 1})
    assert await refused(app, mvd, date(2026, 12, 1), rules=binding) is None
    notice = await refused(app, mvd, date(2026, 12, 15), rules=binding)
    assert notice is not None and notice.due_on == date(2026, 12, 21)


async def test_a_central_body_stops_counting_only_when_the_policy_says_so(app: App) -> None:
    mvd, _ = await seed(app)
    async with app.uow() as uow:
        await edit_agency(uow, "mvd", kind="central")
        await uow.commit()
    free = deadlines({"refusal_binds_central": 0})
    await refused(app, mvd, date(2026, 12, 1), rules=free)
    assert await refused(app, mvd, date(2026, 12, 15), rules=free) is None
    assert await refused(app, mvd, date(2026, 12, 16)) is not None  # the default binds


async def test_refusals_in_two_calendar_months_do_not_trigger_under_calendar_month(
    app: App,
) -> None:
    mvd, _ = await seed(app)
    monthly = deadlines(refusal_window="calendar_month")
    await refused(app, mvd, date(2026, 11, 30), rules=monthly)
    assert await refused(app, mvd, date(2026, 12, 1), rules=monthly) is None
    assert await all_notices(app) == []


async def test_the_same_dates_trigger_under_the_rolling_month(app: App) -> None:
    mvd, _ = await seed(app)
    await refused(app, mvd, date(2026, 11, 30))
    notice = await refused(app, mvd, date(2026, 12, 1))
    assert notice is not None and notice.window_start == date(2026, 11, 30)


async def test_refusals_more_than_a_month_apart_do_not_trigger(app: App) -> None:
    mvd, _ = await seed(app)
    await refused(app, mvd, date(2026, 10, 14))
    assert await refused(app, mvd, date(2026, 11, 16)) is None


async def test_another_agencys_staff_cannot_confirm_or_see_the_notice(app: App) -> None:
    mvd, mju = await seed(app)
    await refused(app, mvd, date(2026, 12, 1), confirm=False)
    async with app.uow() as uow:
        with pytest.raises(AccessDenied):
            await refusals.confirm(uow, 1, actor=mju, clock=clock_at(2026, 12, 1),
                                   deadlines=deadlines())
        assert await refusals.refusals(uow, mju) == []


async def test_the_notice_has_a_letter_in_both_languages_and_its_documents(app: App) -> None:
    mvd, _ = await seed(app)
    await refused(app, mvd, date(2026, 12, 1))
    notice = await refused(app, mvd, date(2026, 12, 15))
    assert notice is not None
    files = {f.filename.rsplit("-", 1)[1]: f
             for f in notice_documents(notice, date(2026, 12, 16), signatory=None)}
    letter = "\n".join(p.text for p in Document(BytesIO(files["letter.docx"].data)).paragraphs)
    assert "бас тартты" in letter and "отказал" in letter and "МВД" in letter
    book = load_workbook(BytesIO(files["refusals.xlsx"].data))
    assert book.sheetnames == ["Қазақша", "Русский"]
    assert book["Русский"].max_row == 3
    assert "Не наша компетенция" in files["refusals.csv"].data.decode("utf-8-sig")


async def test_an_unsent_notice_is_flagged_late_once_and_stops_when_sent(app: App) -> None:
    mvd, _ = await seed(app)
    await refused(app, mvd, date(2026, 12, 1))
    notice = await refused(app, mvd, date(2026, 12, 15))
    assert notice is not None
    rules = deadlines()
    clock = clock_at(2026, 12, 22)
    async with app.uow() as uow:
        late = await refusals.fire_notice_reminders(uow, date(2026, 12, 22), rules.calendar,
                                                    clock)
        again = await refusals.fire_notice_reminders(uow, date(2026, 12, 23), rules.calendar,
                                                     clock)
        sent = await refusals.mark_sent(uow, notice.id, via="by_hand", on=date(2026, 12, 23),
                                        actor=OPERATOR, clock=clock)
        await uow.commit()
    assert [r.kind for r in late] == ["overdue"] and again == []
    assert sent.status == "sent"


def test_a_rolling_month_runs_to_the_same_date_next_month() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert windows_for(date(2026, 12, 1), [date(2026, 11, 30)], "rolling_month", 1) == [
        (date(2026, 11, 30), date(2026, 12, 30))]
    assert windows_for(date(2026, 12, 1), [], "calendar_month", 1) == [
        (date(2026, 12, 1), date(2026, 12, 31))]


SIGNATORY = Signatory("Серікова Айгүл Нұрланқызы", "бас маман")


def letter_of(notice: refusals.Notice, today: date,
              signatory: Signatory | None = SIGNATORY) -> dict[str, str]:
    """The letter's text in each language, as its .docx prints it."""
    [docx] = [f for f in notice_documents(notice, today, signatory=signatory)
              if f.filename.endswith("letter.docx")]
    text = "\n".join(p.text for p in Document(BytesIO(docx.data)).paragraphs)
    kk, ru = _halves(text)
    return {"kk": kk, "ru": ru}


def _halves(text: str) -> tuple[str, str]:
    start = text.index("В уполномоченный орган")
    return text[:start], text[start:]


def dates_in(text: str) -> list[date]:
    return [date(int(y), int(m), int(d))
            for d, m, y in re.findall(r"\b(\d\d)\.(\d\d)\.(\d{4})\b", text)]


async def test_the_letter_states_the_refusals_period_never_one_ending_after_its_date(
    app: App,
) -> None:
    mvd, _ = await seed(app)
    await refused(app, mvd, date(2026, 12, 10))
    notice = await refused(app, mvd, date(2026, 12, 15))
    assert notice is not None and notice.window_end == date(2027, 1, 10)
    letter = letter_of(notice, date(2026, 12, 17))
    for lang in ("kk", "ru"):
        assert dates_in(letter[lang]), letter[lang]
        assert max(dates_in(letter[lang])) <= date(2026, 12, 17), letter[lang]
    assert "с 10.12.2026 по 15.12.2026" in letter["ru"]
    assert "в течение одного месяца, исчисляемого с 10.12.2026" in letter["ru"]
    assert "10.12.2026 – 15.12.2026" in letter["kk"]


async def test_the_letter_names_the_body_and_counts_its_refusals_after_a_colon(app: App) -> None:
    mvd, _ = await seed(app)
    await refused(app, mvd, date(2026, 12, 1), chat=1)
    notice = await refused(app, mvd, date(2026, 12, 2), chat=2)
    assert notice is not None
    two = letter_of(notice, date(2026, 12, 3))
    assert "государственный орган «МВД» отказал" in two["ru"]
    assert "«ІІМ» мемлекеттік органы" in two["kk"]
    assert "(число отказов: 2)" in two["ru"] and "(бас тартулар саны: 2)" in two["kk"]
    for chat, day in ((3, 3), (4, 4), (5, 7)):
        notice = await refused(app, mvd, date(2026, 12, day), chat=chat)
    assert notice is not None and len(notice.refusals) == 5
    five = letter_of(notice, date(2026, 12, 8))
    assert "(число отказов: 5)" in five["ru"] and "(бас тартулар саны: 5)" in five["kk"]
    for text in (*two.values(), *five.values()):
        assert "(а)" not in text and "(о)" not in text


async def test_the_letter_lists_each_refusals_date_and_reference(app: App) -> None:
    mvd, _ = await seed(app)
    await refused(app, mvd, date(2026, 12, 10))
    notice = await refused(app, mvd, date(2026, 12, 15))
    assert notice is not None
    letter = letter_of(notice, date(2026, 12, 17))
    for refusal in notice.refusals:
        assert refusal.reference
        for lang in ("kk", "ru"):
            line = next(line for line in letter[lang].splitlines()
                        if refusal.reference in line)
            assert f"{refusal.refused_on:%d.%m.%Y}" in line, line


async def test_the_letter_is_signed_by_a_named_person_with_their_position(app: App) -> None:
    mvd, _ = await seed(app)
    await refused(app, mvd, date(2026, 12, 10))
    notice = await refused(app, mvd, date(2026, 12, 15))
    assert notice is not None
    signed = letter_of(notice, date(2026, 12, 17))
    for lang in ("kk", "ru"):
        assert "Серікова Айгүл Нұрланқызы" in signed[lang]
        assert "бас маман" in signed[lang]
    blank = letter_of(notice, date(2026, 12, 17), signatory=None)
    assert "______" in blank["ru"] and "Айгүл" not in blank["ru"]


async def test_a_notice_sent_after_its_due_day_is_marked_late(app: App) -> None:
    mvd, _ = await seed(app)
    await refused(app, mvd, date(2026, 12, 10))
    notice = await refused(app, mvd, date(2026, 12, 15))
    assert notice is not None and notice.due_on == date(2026, 12, 21)
    on_time = letter_of(notice, date(2026, 12, 21))
    assert "срок" not in on_time["ru"] and "мерзім" not in on_time["kk"]
    async with app.uow() as uow:
        sent = await refusals.mark_sent(uow, notice.id, via="by_hand", on=date(2026, 12, 23),
                                        actor=OPERATOR, clock=clock_at(2026, 12, 23))
        await uow.commit()
    assert sent.late and not notice.late
    late = letter_of(sent, date(2026, 12, 23))
    assert "с пропуском срока" in late["ru"] and "21.12.2026" in late["ru"]
    assert "мерзімі өткеннен кейін" in late["kk"] and "21.12.2026" in late["kk"]


async def test_a_refusal_received_earlier_counts_on_the_day_it_happened(app: App) -> None:
    """Issue 18 (4): a refusal received by letter on 10 December and recorded on the 15th
    falls in the rolling month of 10 December, and the notice is due 3 working days after
    the 10th, not after the day it was typed in."""
    mvd, _ = await seed(app)
    await refused(app, mvd, date(2026, 11, 12))
    typed_on = clock_at(2026, 12, 15)
    ref = await escalate(app, "Сколько бланков на складе?", register_no=PASSPORT,
                         clock=clock_at(2026, 12, 1), chat=2002)
    async with app.uow() as uow:
        refusal = await escalations.refuse(uow, ref, ground="plain", reason="Служебное",
                                           actor=mvd, clock=typed_on, deadlines=deadlines(),
                                           on=date(2026, 12, 10))
        _, notice = await refusals.confirm(uow, refusal.id, actor=OPERATOR, clock=typed_on,
                                           deadlines=deadlines())
        await uow.commit()
    assert refusal.refused_on == date(2026, 12, 10)
    assert notice is not None
    assert (notice.window_start, notice.reached_on, notice.due_on) == (
        date(2026, 11, 12), date(2026, 12, 10), date(2026, 12, 15))


async def test_a_refusal_cannot_be_dated_in_the_future_or_before_the_question_reached_it(
    app: App,
) -> None:
    mvd, _ = await seed(app)
    ref = await escalate(app, "Сколько бланков на складе?", register_no=PASSPORT,
                         clock=clock_at(2026, 12, 7))
    async with app.uow() as uow:
        for on, problem in ((date(2026, 12, 16), "in the future"),
                            (date(2026, 12, 4), "before")):
            with pytest.raises(InvalidInput, match=problem):
                await escalations.refuse(uow, ref, ground="plain", reason="Служебное",
                                         actor=mvd, clock=clock_at(2026, 12, 15),
                                         deadlines=deadlines(), on=on)
        assert await refusals.refusals(uow, OPERATOR) == []


async def test_not_our_competence_sends_the_question_back_to_triage_and_never_counts(
    app: App,
) -> None:
    """Issue 18 (2): "not our competence" is not a refusal to provide information (002
    p.12): nothing is kept as a refusal, no notice follows, and the question waits in the
    operators' triage to be routed again."""
    mvd, _ = await seed(app)
    for day in (date(2026, 12, 1), date(2026, 12, 2)):
        ref = await escalate(app, f"Какая погода {day}?", register_no=PASSPORT,
                             clock=clock_at(day.year, day.month, day.day), chat=day.day)
        async with app.uow() as uow:
            back = await escalations.withhold(
                uow, ref, ground="not_competent", reason="Не наша компетенция", actor=mvd,
                clock=clock_at(2026, 12, 3), deadlines=deadlines())
            await uow.commit()
        assert back.status == "open" and back.in_triage
    async with app.uow() as uow:
        triage = await escalations.queue(uow, OPERATOR, triage=True)
        kept = await refusals.refusals(uow, OPERATOR)
        with pytest.raises(escalations.EscalationError, match="not a refusal"):
            await escalations.refuse(uow, triage[0].reference, ground="not_competent",
                                     actor=OPERATOR, clock=clock_at(2026, 12, 3),
                                     deadlines=deadlines())
    assert len(triage) == 2 and kept == []
    assert await all_notices(app) == []


def supporting_texts(notice: refusals.Notice, today: date) -> dict[str, str]:
    """What the supporting .xlsx says on each sheet, and the .csv, as text."""
    files = {f.filename.rsplit(".", 1)[1]: f.data
             for f in notice_documents(notice, today, signatory=SIGNATORY)}
    book = load_workbook(BytesIO(files["xlsx"]))
    sheets = {name: "\n".join(" ".join(str(c) for c in row if c is not None)
                              for row in book[name].iter_rows(values_only=True))
              for name in book.sheetnames}
    return {"kk": sheets["Қазақша"], "ru": sheets["Русский"],
            "csv": files["csv"].decode("utf-8-sig")}


async def test_the_supporting_files_of_a_late_notice_say_it_went_late_and_when(
    app: App,
) -> None:
    mvd, _ = await seed(app)
    await refused(app, mvd, date(2026, 12, 10))
    notice = await refused(app, mvd, date(2026, 12, 15))
    assert notice is not None and notice.due_on == date(2026, 12, 21)
    on_time = supporting_texts(notice, date(2026, 12, 21))
    assert "срок" not in on_time["ru"] + on_time["csv"] and "мерзім" not in on_time["kk"]
    overdue = supporting_texts(notice, date(2026, 12, 22))  # unsent, going out today
    assert "с пропуском срока" in overdue["ru"] and "22.12.2026" in overdue["ru"]
    async with app.uow() as uow:
        sent = await refusals.mark_sent(uow, notice.id, via="by_hand", on=date(2026, 12, 23),
                                        actor=OPERATOR, clock=clock_at(2026, 12, 23))
        await uow.commit()
    late = supporting_texts(sent, date(2026, 12, 28))
    for text in (late["ru"], late["csv"]):
        assert "с пропуском срока" in text and "23.12.2026" in text and "21.12.2026" in text
    assert "мерзімі өткен соң" in late["kk"] and "23.12.2026" in late["kk"]
    assert "(соңғы күні – 21.12.2026)" in late["kk"] and "дейін" not in late["kk"]
    assert "21.12.2026" in late["kk"] and "28.12.2026" not in late["ru"]


async def test_a_providers_notice_names_it_a_service_provider_not_a_state_body(
    app: App,
) -> None:
    mvd, _ = await seed(app)
    await provider_not_a_state_body(app)  # held to para 12 only because the policy says so
    binding = deadlines({"refusal_binds_provider": 1})
    await refused(app, mvd, date(2026, 12, 10), rules=binding)
    notice = await refused(app, mvd, date(2026, 12, 15), rules=binding)
    assert notice is not None
    letter = letter_of(notice, date(2026, 12, 17))
    assert "Услугодатель:" in letter["ru"] and "услугодатель «МВД» отказал" in letter["ru"]
    assert "Көрсетілетін қызметті беруші:" in letter["kk"]
    assert "«ІІМ» көрсетілетін қызметті берушісі" in letter["kk"]
    assert "государственный орган" not in letter["ru"].lower()
    assert "мемлекеттік орган" not in letter["kk"].lower()
    async with app.uow() as uow:  # a state body's letter still names a state body
        await edit_agency(uow, "mvd", kind="central")
        await uow.commit()
        central = await refusals.notice(uow, notice.id, OPERATOR)
    assert "Государственный орган:" in letter_of(central, date(2026, 12, 17))["ru"]
