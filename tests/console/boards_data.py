"""Data for the boards' pages (onboarding, refusals, complaints, reports), shared by the
in-process tests and the real-browser ones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.app import App
from knowledge import escalations, onboarding, refusals
from knowledge.agencies import edit_agency
from knowledge.citizens import citizen_for
from knowledge.complaints.intake import Draft
from knowledge.complaints.lodging import register
from knowledge.db.tables import QuestionLogRow
from knowledge.reports import generate_monthly_report
from knowledge.staff import SYSTEM, Actor, Role
from tests.escalation_helpers import OPERATOR, clock_at, escalate

MVD_CASE = "00301099"
MJU_CASE = "00501099"


async def start_cases(app: App, approved: date = date(2026, 12, 1)) -> None:
    """A case for each agency, opened on ``approved``: the request to each is due."""
    async with app.uow() as uow:
        await edit_agency(uow, "mvd", email="kense@mvd.example.kz")
        for register_no, agency, kk, ru in (
                (MVD_CASE, "mvd", "Жүргізуші куәлігі", "Водительское удостоверение"),
                (MJU_CASE, "mju", "Неке туралы анықтама", "Справка о браке")):
            await onboarding.start_case(uow, register_no, agency, approved, actor=SYSTEM,
                                        clock=app.clock, deadlines=app.deadlines,
                                        name_kk=kk, name_ru=ru)
        await uow.commit()


async def refusal(app: App, register_no: str, day: date, chat: int, *,
                  confirm: bool = False) -> int:
    """An agency's plain refusal of a citizen's question asked on ``day``."""
    clock = clock_at(day.year, day.month, day.day)
    reference = await escalate(app, f"Вопрос {chat}: сколько стоит и сколько ждать?",
                               register_no=register_no, clock=clock, chat=chat)
    async with app.uow() as uow:
        item = await escalations.escalation(uow, reference, OPERATOR)
        agency = next(a for a in await uow.knowledge.agencies()
                      if a.code == item.agency_code)
        staff = Actor("Дана" if agency.code == "mvd" else "Ержан", Role.AGENCY, agency.id)
        refused = await escalations.refuse(uow, reference, ground="plain",
                                           reason="Не будем отвечать", actor=staff,
                                           clock=clock, deadlines=app.deadlines)
        if confirm:
            await refusals.confirm(uow, refused.id, actor=OPERATOR, clock=app.clock,
                                   deadlines=app.deadlines)
        await uow.commit()
    return refused.id


async def complaint(app: App, register_no: str | None, chat: int, text: str,
                    day: date = date(2026, 12, 1)) -> str:
    """A registered complaint (forwarded to the service's agency, or in the triage)."""
    clock = clock_at(day.year, day.month, day.day)
    async with app.uow() as uow:
        citizen = await citizen_for(uow, "telegram", str(chat), clock)
        done = await register(uow, citizen, Draft(
            lang="ru", register_no=register_no, service_name="Выдача паспорта",
            region="astana", nature="extra_documents", content=text,
            applicant="Иванов Иван"), clock=clock, deadlines=app.deadlines)
        await uow.commit()
    return done.number


async def questions(app: App, month: date, counts: dict[str | None, tuple[int, int]]) -> None:
    """Questions asked in ``month``: per agency (None: nothing close), (asked, answered)."""
    at = datetime(month.year, month.month, 3, 6, 0, tzinfo=UTC)
    async with app.uow() as uow:
        for agency, (asked, answered) in counts.items():
            for n in range(asked):
                uow.session.add(QuestionLogRow(
                    channel="telegram", lang="ru", agency=agency, at=at + timedelta(minutes=n),
                    decision="answer" if n < answered else "escalate", entry_key=None))
        await uow.commit()


async def report_of(app: App, month: date) -> None:
    """The month's report, made as the scheduler makes it."""
    async with app.uow() as uow:
        await generate_monthly_report(uow, month, deadlines=app.deadlines, clock=app.clock)
        await uow.commit()
