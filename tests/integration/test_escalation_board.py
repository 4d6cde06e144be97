"""The queue a page at a time: filters, paging, group sizes and the same scoping as the
queue itself (an agency's own questions; the triage the center's alone)."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from bot.app import App
from knowledge import escalations
from knowledge.escalations.board import (
    QueueQuery,
    View,
    group_questions,
    queue_page,
    services_to_filter,
)
from knowledge.staff import AccessDenied
from tests.escalation_helpers import MARRIAGE, OPERATOR, PASSPORT, deadlines, escalate, seed

TODAY = date(2026, 12, 2)


async def test_pages_of_fifty_oldest_first_with_the_count(app: App) -> None:
    dana, _ = await seed(app)
    references = [await escalate(app, f"паспорт {hashlib.sha256(bytes([n])).hexdigest()}",
                                 register_no=PASSPORT, chat=100 + n) for n in range(55)]
    async with app.uow() as uow:
        first = await queue_page(uow, dana, QueueQuery(), today=TODAY)
        second = await queue_page(uow, dana, QueueQuery(page=2), today=TODAY)
    assert (first.total, first.pages, len(first.items), len(second.items)) == (55, 2, 50, 5)
    assert [i.reference for i in first.items + second.items] == references


async def test_identical_questions_are_one_line_with_the_groups_size(app: App) -> None:
    dana, _ = await seed(app)
    leader = await escalate(app, "Паспорт жоғалды, не істеймін?", register_no=PASSPORT,
                            lang="kk", chat=1)
    other = await escalate(app, "Паспорт жоғалды не істеймін", register_no=PASSPORT,
                           lang="kk", chat=2)
    async with app.uow() as uow:
        found = await queue_page(uow, dana, QueueQuery(), today=TODAY)
        group = await group_questions(uow, other, dana)
    assert [(i.reference, i.group_size) for i in found.items] == [(leader, 2)]
    assert [i.reference for i in group] == [leader, other]


async def test_filters_by_status_and_service(app: App) -> None:
    dana, _ = await seed(app)
    passport = await escalate(app, "Паспорт жоғалды", register_no=PASSPORT, lang="kk",
                              chat=1, with_deadlines=deadlines())
    marriage = await escalate(app, "Сколько стоит брак?", register_no=MARRIAGE, chat=2,
                              with_deadlines=deadlines())
    async with app.uow() as uow:
        await escalations.take(uow, passport, actor=dana, clock=app.clock)
        await uow.commit()

    async def refs(query: QueueQuery, today: date = TODAY) -> list[str]:
        async with app.uow() as uow:
            page = await queue_page(uow, OPERATOR, query, today=today)
        return [i.reference for i in page.items]

    assert await refs(QueueQuery(View.TAKEN)) == [passport]
    assert await refs(QueueQuery(View.UNTAKEN)) == [marriage]
    assert await refs(QueueQuery(register_no=MARRIAGE)) == [marriage]
    assert await refs(QueueQuery(agency_code="mvd")) == [passport]
    assert await refs(QueueQuery(View.OVERDUE)) == []
    assert await refs(QueueQuery(View.OVERDUE), today=date(2027, 2, 1)) == [passport, marriage]
    async with app.uow() as uow:
        await escalations.answer(uow, passport, text_kk="Жауап", actor=dana, clock=app.clock)
        await uow.commit()
    assert await refs(QueueQuery(View.ANSWERED)) == [passport]
    assert await refs(QueueQuery()) == [marriage]


async def test_agency_staff_read_their_own_only(app: App) -> None:
    dana, _ = await seed(app)
    await escalate(app, "Что-то непонятное", register_no=None, chat=3)
    marriage = await escalate(app, "Сколько стоит брак?", register_no=MARRIAGE, chat=2)
    async with app.uow() as uow:
        assert (await queue_page(uow, dana, QueueQuery(), today=TODAY)).items == []
        for query in (QueueQuery(View.TRIAGE), QueueQuery(agency_code="mju")):
            with pytest.raises(AccessDenied):
                await queue_page(uow, dana, query, today=TODAY)
        with pytest.raises(AccessDenied):
            await group_questions(uow, marriage, dana)
        services = await services_to_filter(uow, dana)
        triage = await queue_page(uow, OPERATOR, QueueQuery(View.TRIAGE), today=TODAY)
    assert [s.register_no for s in services] == [PASSPORT]
    assert [i.text for i in triage.items] == ["Что-то непонятное"]
