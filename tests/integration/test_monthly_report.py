"""The monthly report for October 2026 on seeded figures, counted by hand."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.app import App
from knowledge import escalations, reports
from knowledge.asking import record_unanswered
from knowledge.citizens import citizen_for
from knowledge.conversation import record_feedback
from knowledge.db.tables import QUESTION_LOG
from knowledge.model import Answer, Candidate, Decision
from knowledge.reports import ReportError, generate_monthly_report, produce_due_report
from knowledge.staff import Actor
from tests.escalation_helpers import (
    MARRIAGE,
    OPERATOR,
    PASSPORT,
    clock_at,
    deadlines,
    escalate,
    seed,
)

OCTOBER = date(2026, 10, 1)


def at(month: int, day: int, hour: int = 6) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


async def seed_october(app: App) -> tuple[Actor, Actor]:
    mvd, mju = await seed(app)
    rules = deadlines()
    async with app.uow() as uow:
        # The question log: 1 Oct 01:00 in Kazakhstan counts, 1 Nov 01:00 does not.
        for agency, decision, moment in [
            ("mvd", "answer", at(9, 30, 20)), ("mvd", "answer", at(10, 3)),
            ("mvd", "answer", at(10, 4)), ("mvd", "clarify", at(10, 5)),
            ("mju", "answer", at(10, 6)), (None, "escalate", at(10, 7)),
            ("mvd", "answer", at(10, 31, 20)),
        ]:
            uow.stage(QUESTION_LOG, {"channel": "telegram", "lang": "ru",
                                     "decision": decision, "entry_key": None,
                                     "agency": agency, "at": moment})
        citizen = await citizen_for(uow, "telegram", "42", clock_at(2026, 10, 1))
        for helpful, moment in [(True, at(10, 2)), (True, at(10, 3)), (False, at(10, 4)),
                                (True, at(11, 2))]:
            record_feedback(uow, citizen.id, "mvd.passport.fee", helpful,
                            clock_at(2026, moment.month, moment.day))
        for text in ("Паспорт для ребенка срочно", "паспорт для ребёнка срочно?"):
            record_unanswered(uow, text, Answer(Decision.ESCALATE, "ru", None, 0.1,
                                                (Candidate("mvd.passport.fee", 0.1),)),
                              "telegram", clock_at(2026, 10, 9))
        await uow.commit()
    on_time = await escalate(app, "Паспорт в другом городе", register_no=PASSPORT,
                             clock=clock_at(2026, 10, 5), with_deadlines=rules)
    late = await escalate(app, "Паспорт после смены фамилии", register_no=PASSPORT,
                          clock=clock_at(2026, 10, 5), with_deadlines=rules, chat=2)
    withheld = await escalate(app, "Где печатают паспорта", register_no=PASSPORT,
                              clock=clock_at(2026, 10, 6), with_deadlines=rules, chat=3)
    refused = await escalate(app, "Брак с иностранцем", register_no=MARRIAGE,
                             clock=clock_at(2026, 10, 20), with_deadlines=rules, chat=4)
    await escalate(app, "Что-то непонятное", register_no=None, clock=clock_at(2026, 10, 21),
                   chat=5)
    await escalate(app, "Ноябрьский вопрос", register_no=PASSPORT,
                   clock=clock_at(2026, 11, 2), chat=6)
    async with app.uow() as uow:
        await escalations.answer(uow, on_time, text_ru="Да.", actor=mvd,
                                 clock=clock_at(2026, 10, 7))
        await escalations.answer(uow, late, text_ru="Да.", actor=mvd,
                                 clock=clock_at(2026, 10, 12))
        await escalations.refuse(uow, withheld, ground="state_secret", actor=mvd,
                                 clock=clock_at(2026, 10, 6), deadlines=rules)
        await escalations.refuse(uow, refused, ground="plain", reason="Нет данных",
                                 actor=mju, clock=clock_at(2026, 10, 21), deadlines=rules)
        await uow.commit()
    return mvd, mju


async def test_the_october_figures_match_the_hand_count(app: App) -> None:
    await seed_october(app)
    async with app.uow() as uow:
        agencies, topics = await reports.compute_figures(uow, OCTOBER, deadlines().calendar)
    by = {a.agency: a for a in agencies}
    mvd, mju, triage = by["mvd"], by["mju"], by["-"]
    assert (mvd.questions, mvd.answered_by_bot, mvd.clarified) == (4, 3, 1)
    assert (mju.questions, mju.answered_by_bot) == (1, 1)
    assert triage.questions == 1
    assert (mvd.escalated, mju.escalated, triage.escalated) == (3, 1, 1)
    assert (mvd.answered_on_time, mvd.answered_late) == (1, 1)  # due 8 Oct; 7 and 12 Oct
    assert mvd.median_working_days == 3.5  # 2 and 5 working days
    assert mvd.refused["state_secret"] == 1 and mvd.refused["plain"] == 0
    assert mju.refused["plain"] == 1
    assert (mvd.feedback_up, mvd.feedback_down) == (2, 1)
    assert [(t.agency, t.count) for t in topics] == [("mvd", 2)]


async def test_the_report_is_made_once_kept_and_sliced_per_agency(app: App) -> None:
    mvd, mju = await seed_october(app)
    rules = deadlines()
    async with app.uow() as uow:
        with pytest.raises(ReportError, match="not over"):
            await generate_monthly_report(uow, date(2026, 11, 1), deadlines=rules,
                                          clock=clock_at(2026, 11, 20))
        first = await generate_monthly_report(uow, OCTOBER, deadlines=rules,
                                              clock=clock_at(2026, 11, 3))
        await uow.commit()
    await escalate(app, "Поздний вопрос", register_no=PASSPORT, clock=clock_at(2026, 10, 30))
    async with app.uow() as uow:
        again = await generate_monthly_report(uow, OCTOBER, deadlines=rules,
                                              clock=clock_at(2026, 12, 1))
        own = await reports.report_files(uow, OCTOBER, mju)
    assert first.due_on == date(2026, 11, 5) and not first.late
    assert [f.sha256 for f in again.files] == [f.sha256 for f in first.files]  # immutable
    assert {f.recipient for f in first.files} == {"all", "mvd", "mju"}
    [own_book] = own
    assert own_book.filename == "report-2026-10-mju.xlsx"
    detail = load_workbook(BytesIO(own_book.data))["Көрсеткіштер · Показатели"]
    assert [r[0] for r in cells(detail)[2:]] == ["Әділет министрлігі / Минюст"]
    whole = next(f for f in first.files if f.filename == "report-2026-10.xlsx")
    book = load_workbook(BytesIO(whole.data))
    assert len(book.sheetnames) == 4
    register = book["2-қосымша · Приложение 2"]
    assert register.max_column == 9 and register.max_row == 2  # title, headings, no rows
    assert "Өңір" in str(register.cell(2, 4).value)


async def test_the_scheduler_makes_the_report_on_its_due_day_once(app: App) -> None:
    await seed_october(app)
    rules = deadlines()
    async with app.uow() as uow:
        early = await produce_due_report(uow, date(2026, 11, 4), deadlines=rules,
                                         clock=clock_at(2026, 11, 4))
        made = await produce_due_report(uow, date(2026, 11, 5), deadlines=rules,
                                        clock=clock_at(2026, 11, 5))
        await uow.commit()
        twice = await produce_due_report(uow, date(2026, 11, 6), deadlines=rules,
                                         clock=clock_at(2026, 11, 6))
    assert early is None and twice is None
    assert made is not None and made.month == OCTOBER and made.generated_on == date(2026, 11, 5)
    assert OPERATOR.of_center


SHEET_ORDER = ["Жиынтық · Сводка", "Көрсеткіштер · Показатели", "2-қосымша · Приложение 2",
               "Жауапсыз сұрақтар · Без ответа"]
CODES = {"mvd", "mju", "-"}


async def october_workbooks(app: App, *, september: bool = False) -> dict[str, Workbook]:
    """October's report, one workbook a recipient, opened; September's first if asked."""
    await seed_october(app)
    rules = deadlines()
    async with app.uow() as uow:
        if september:
            await generate_monthly_report(uow, date(2026, 9, 1), deadlines=rules,
                                          clock=clock_at(2026, 10, 5))
        report = await generate_monthly_report(uow, OCTOBER, deadlines=rules,
                                               clock=clock_at(2026, 11, 3))
        await uow.commit()
    by_recipient: dict[str, list[str]] = {}
    for f in report.files:
        by_recipient.setdefault(f.recipient, []).append(f.filename)
    assert by_recipient == {"all": ["report-2026-10.xlsx"], "mvd": ["report-2026-10-mvd.xlsx"],
                            "mju": ["report-2026-10-mju.xlsx"]}
    return {f.recipient: load_workbook(BytesIO(f.data)) for f in report.files}


def cells(sheet: Worksheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


async def test_each_recipient_gets_one_workbook_that_opens_on_a_summary_with_a_chart(
    app: App,
) -> None:
    books = await october_workbooks(app)
    whole = books["all"]
    assert whole.sheetnames == SHEET_ORDER
    summary = whole.worksheets[0]
    rows = {row[0]: tuple(row[1:7]) for row in cells(summary)[2:] if row[0]}
    # questions, answered by the bot, escalated, answered by the agency, refused, overdue
    assert rows["ІІМ / МВД"] == (4, 3, 3, 2, 1, 1)
    assert rows["Әділет министрлігі / Минюст"] == (1, 1, 1, 0, 1, 0)
    assert "Орган анықталмаған / Орган не определён" in rows
    [chart] = summary._charts
    assert len(chart.series) == 6
    assert [r[0] for r in cells(books["mju"].worksheets[0])[2:] if r[0]] == [
        "Әділет министрлігі / Минюст", "Барлығы / Итого"]


async def test_the_workbook_names_agencies_freezes_headers_and_sets_widths(app: App) -> None:
    books = await october_workbooks(app)
    for book in books.values():
        for sheet in book.worksheets:
            assert sheet.freeze_panes == "A3", sheet.title
            assert all(sheet.column_dimensions[letter].width >= 10
                       for letter in "ABC"[:sheet.max_column]), sheet.title
            shown = {str(v) for row in cells(sheet) for v in row if v is not None}
            assert not shown & CODES, (sheet.title, shown & CODES)
            headings = " ".join(str(v) for v in cells(sheet)[1] if v)
            pictures = [c for c in headings if unicodedata.category(c) == "So" and c != "№"]
            assert not pictures, headings
    topics = cells(books["all"]["Жауапсыз сұрақтар · Без ответа"])
    assert topics[2][0] == "ІІМ / МВД" and topics[2][2] == 2


async def test_without_the_previous_months_report_there_is_no_month_over_month(
    app: App,
) -> None:
    without = await october_workbooks(app)
    assert len(without["all"].worksheets[0]._charts) == 1


async def test_month_over_month_compares_with_the_stored_previous_month(app: App) -> None:
    books = await october_workbooks(app, september=True)
    summary = books["all"].worksheets[0]
    assert len(summary._charts) == 2
    assert len(summary._charts[1].series) == 2  # the previous month, this month
    table = cells(summary)
    start = next(n for n, row in enumerate(table)
                 if row[0] == "Алдыңғы аймен салыстыру / Сравнение с предыдущим месяцем")
    # the months written out, Babel's names: never "09.2026"
    assert table[start + 1][1:3] == ["2026 жылғы қыркүйек / сентябрь 2026 г.",
                                     "2026 жылғы қазан / октябрь 2026 г."]
    assert table[start + 2][:3] == ["Түскен сұрақтар / Поступило вопросов", 0, 6]
