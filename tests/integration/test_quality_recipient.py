"""Without ``UCC_QC_EMAIL`` the quality-control body must not silently get nothing: the
monthly report's letter waits in the outbox, operators and administrators are told once,
/healthz says what waits, and the letter goes once the address is set."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from sqlalchemy import select

from bot.app import App
from bot.jobs import run_job
from bot.jobs.reports import MonthlyReportJob
from bot.monitoring import health
from knowledge import escalations, refusals
from knowledge.db.tables import OutboxRow
from knowledge.staff import Actor, Role, add_staff
from tests.escalation_helpers import OPERATOR, PASSPORT, clock_at, deadlines, escalate, seed

OPERATOR_CHAT = 7001


async def outbox_rows(app: App) -> list[tuple[str, str, str]]:
    """(channel, address, status) of every queued message."""
    async with app.uow() as uow:
        rows = await uow.session.scalars(select(OutboxRow).order_by(OutboxRow.id))
        return [(r.channel, r.address, r.status) for r in rows]


async def with_operator(app: App) -> Actor:
    mvd, _ = await seed(app)
    async with app.uow() as uow:
        await add_staff(uow, "Айгүл", Role.OPERATOR, clock_at(2026, 10, 1),
                        telegram_user_id=OPERATOR_CHAT)
        await uow.commit()
    await escalate(app, "Паспорт в другом городе", register_no=PASSPORT,
                   clock=clock_at(2026, 10, 5))
    return mvd


async def refused_twice(app: App, agency: Actor) -> None:
    """Two plain refusals confirmed in October: a para 12 notice, open."""
    for day in (6, 7):
        clock = clock_at(2026, 10, day)
        ref = await escalate(app, f"Сколько бланков на складе {day}?", register_no=PASSPORT,
                             clock=clock, chat=day)
        async with app.uow() as uow:
            refusal = await escalations.refuse(uow, ref, ground="plain", reason="Служебное",
                                               actor=agency, clock=clock,
                                               deadlines=deadlines())
            await refusals.confirm(uow, refusal.id, actor=OPERATOR, clock=clock,
                                   deadlines=deadlines())
            await uow.commit()


async def test_without_a_qc_address_the_report_waits_in_the_outbox_and_operators_are_told_once(
    app: App, caplog: pytest.LogCaptureFixture,
) -> None:
    await with_operator(app)
    assert app.settings.qc_email is None
    app.clock = clock_at(2026, 11, 5)
    with caplog.at_level(logging.INFO, logger="bot.jobs.reports"):
        made = await run_job(app, MonthlyReportJob(app), date(2026, 11, 5))
    assert made is not None and made.report is not None and made.sent_to == []
    rows = await outbox_rows(app)
    assert ("email", "quality-control", "held") in rows
    told = [r for r in rows if r[:2] == ("telegram", str(OPERATOR_CHAT))]
    assert len(told) == 1
    async with app.uow() as uow:
        [text] = [r.payload["text"] for r in await uow.session.scalars(
            select(OutboxRow).where(OutboxRow.channel == "telegram"))]
    assert "2026 жылғы қазан" in text and "октябрь 2026 г." in text and "UCC_QC_EMAIL" in text
    assert "sent to" not in caplog.text and "UCC_QC_EMAIL is not set" in caplog.text

    await run_job(app, MonthlyReportJob(app), date(2026, 11, 6))  # made once, told once
    assert len([r for r in await outbox_rows(app) if r[0] == "telegram"]) == 1


async def test_health_shows_the_missing_qc_address_and_what_waits_for_it(app: App) -> None:
    mvd = await with_operator(app)
    await refused_twice(app, mvd)  # a para 12 notice, open
    app.clock = clock_at(2026, 11, 5)
    await run_job(app, MonthlyReportJob(app), date(2026, 11, 5))
    healthy, report = await health(app)
    assert healthy
    assert report["qc_recipient"] == "missing"
    assert report["qc_waiting"] == {"report_letters": 1, "notices": 1}


async def test_a_held_report_goes_once_the_qc_address_is_set(app: App) -> None:
    await with_operator(app)
    app.clock = clock_at(2026, 11, 5)
    await run_job(app, MonthlyReportJob(app), date(2026, 11, 5))
    app.settings = app.settings.model_copy(update={"qc_email": "qc@kyzmet.gov.kz"})
    released = await run_job(app, MonthlyReportJob(app), date(2026, 11, 6))
    assert released is not None and released.released == 1
    rows = await outbox_rows(app)
    assert ("email", "qc@kyzmet.gov.kz", "pending") in rows
    assert not [r for r in rows if r[2] == "held"]
    async with app.uow() as uow:
        letter = await uow.session.scalar(select(OutboxRow).where(
            OutboxRow.address == "qc@kyzmet.gov.kz"))
        assert letter is not None and letter.payload["to"] == "qc@kyzmet.gov.kz"
    _, report = await health(app)
    assert report["qc_recipient"] == "ok" and "qc_waiting" not in report
