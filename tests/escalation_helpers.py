"""Builders shared by the escalation-queue tests: two agencies with a live service each,
their staff, and citizens asking on Telegram."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import App
from knowledge.calendar import WorkCalendar
from knowledge.citizens import citizen_for
from knowledge.clock import FixedClock
from knowledge.db.tables import AgencyRow
from knowledge.escalations import open_escalation
from knowledge.model import Lang
from knowledge.onboarding import Deadlines
from knowledge.pack.io import import_pack
from knowledge.policy import Policy
from knowledge.staff import Actor, Role, add_staff
from tests.factories import entry, pack, service

PASSPORT = "00301002"
MARRIAGE = "00501001"
OPERATOR = Actor("Айгүл", Role.OPERATOR)


def clock_at(year: int, month: int, day: int, hour: int = 6) -> FixedClock:
    return FixedClock(datetime(year, month, day, hour, 0, tzinfo=UTC))


def deadlines(overrides: dict[str, int] | None = None, **units: str) -> Deadlines:
    return Deadlines(Policy.from_overrides(overrides or {}, units=units),
                     WorkCalendar.kazakhstan())


async def seed(app: App) -> tuple[Actor, Actor]:
    """Two agencies (mvd: passports, mju: marriage) and one staff member of each."""
    doc = pack(
        service(PASSPORT, "mvd"),
        service(MARRIAGE, "mju", name={"kk": "Неке қию", "ru": "Регистрация брака"},
                keywords={"kk": ["неке"], "ru": ["брак"]},
                faq=[entry("mju.marriage.fee", "Неке қию қанша тұрады?",
                           "Сколько стоит регистрация брака?")]),
    )
    clock = clock_at(2026, 12, 1)
    async with app.uow() as uow:
        await import_pack(uow, doc, draft=False, commit=False)
        mvd = await add_staff(uow, "Дана", Role.AGENCY, clock, agency_code="mvd")
        mju = await add_staff(uow, "Ержан", Role.AGENCY, clock, agency_code="mju")
        await uow.commit()
        ids = {row.code: row.id for row in await uow.knowledge.agencies()}
    return (Actor(mvd.name, Role.AGENCY, ids["mvd"], mvd.id),
            Actor(mju.name, Role.AGENCY, ids["mju"], mju.id))


async def escalate(
    app: App, text: str, *, register_no: str | None, lang: Lang = "ru", chat: int = 1001,
    clock: FixedClock | None = None, with_deadlines: Deadlines | None = None,
) -> str:
    clock = clock or clock_at(2026, 12, 1)
    async with app.uow() as uow:
        citizen = await citizen_for(uow, "telegram", str(chat), clock)
        reference = await open_escalation(uow, citizen, text, lang=lang, candidates=(),
                                          register_no=register_no, clock=clock,
                                          deadlines=with_deadlines)
        await uow.commit()
    return reference


async def agency_id(app: App, code: str) -> int:
    async with app.uow() as uow:
        row = next(a for a in await uow.knowledge.agencies() if a.code == code)
        assert isinstance(row, AgencyRow)
        return row.id
