"""The queue page's filters, paging and groups, and one question's actions — assign,
refuse with its ground (or "not our competence"), oral help, an answer from the base —
through the same use cases as ``ucc escalations``: citizens told at once (the sender
woken), other agencies' items refused by URL and audited."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.app import App
from bot.console.server import create_console
from knowledge import outbox
from knowledge.db.tables import AuditRow, EscalationRow, RefusalRow
from tests.console.conftest import Client, MakeClient, denied, form_token, sign_in
from tests.escalation_helpers import MARRIAGE, PASSPORT, deadlines, escalate


class Woken:
    def __init__(self) -> None:
        self.times = 0

    def __call__(self) -> None:
        self.times += 1


@pytest.fixture
async def woken(people: App) -> AsyncIterator[tuple[Woken, MakeClient]]:
    """A console whose sender's wake-up is counted."""
    wake = Woken()
    server = TestServer(await create_console(people, wake_sender=wake))
    await server.start_server()
    clients: list[Client] = []

    async def make() -> Client:
        client: Client = TestClient(server)
        await client.start_server()
        clients.append(client)
        return client

    yield wake, make
    for client in clients:
        await client.close()
    await server.close()


async def _queued(app: App) -> list[str]:
    async with app.uow() as uow:
        items = await outbox.due(uow, "telegram", app.clock.now() + timedelta(hours=1))
    return [f"{item.address}:{item.payload}" for item in items]


async def _status(app: App, reference: str) -> tuple[str, int | None]:
    async with app.uow() as uow:
        row = await uow.session.scalar(
            select(EscalationRow).where(EscalationRow.reference == reference))
        assert row is not None
        return row.status, row.agency_id


async def _post(client: Client, path: str, **data: str) -> int:
    token = await form_token(client, path.rsplit("/", 1)[0])
    response = await client.post(path, data={"csrf_token": token, **data},
                                 allow_redirects=False)
    return response.status


async def test_filters_paging_and_groups(new_client: MakeClient, people: App) -> None:
    refs = [await escalate(people, f"паспорт {hashlib.sha256(bytes([n])).hexdigest()}",
                           register_no=PASSPORT, chat=100 + n) for n in range(51)]
    marriage = await escalate(people, "Можно ли зарегистрировать брак за один день?",
                              register_no=MARRIAGE, chat=2)
    again = await escalate(people, "Можно ли зарегистрировать брак за один день",
                           register_no=MARRIAGE, chat=3)
    aigul = await sign_in(await new_client(), "Айгүл")
    first = await (await aigul.get("/queue?agency=mvd")).text()
    assert refs[49] in first and refs[50] not in first and marriage not in first
    assert "/queue?agency=mvd&amp;page=2" in first
    second = await (await aigul.get("/queue?agency=mvd&page=2")).text()
    assert refs[50] in second and refs[0] not in second
    by_service = await (await aigul.get(f"/queue?service={MARRIAGE}")).text()
    assert marriage in by_service and refs[0] not in by_service
    assert again not in by_service  # one line a group …
    assert "тағы 1 осындай сұрақ" in by_service  # … with its size
    item = await (await aigul.get(f"/queue/{marriage}")).text()
    assert again in item  # the group's questions listed on the item page
    taken = await (await aigul.get("/queue?status=taken")).text()
    assert marriage not in taken and refs[0] not in taken


async def test_an_agency_has_no_triage_and_no_other_agencys_filter(
        new_client: MakeClient, people: App) -> None:
    await escalate(people, "Что-то совсем непонятное", register_no=None, chat=9)
    dana = await sign_in(await new_client(), "Дана")
    assert (await dana.get("/queue?status=triage")).status == 403
    page = await (await dana.get("/queue")).text()
    assert "непонятное" not in page and 'value="triage"' not in page
    assert await denied(people, AuditRow.action) == ["queue"]


async def test_an_operator_assigns_a_triage_question_and_an_agency_may_not(
        new_client: MakeClient, people: App) -> None:
    unsure = await escalate(people, "Куда обращаться по поводу паспорта?", register_no=None,
                            chat=9)
    dana = await sign_in(await new_client(), "Дана")
    assert (await dana.get(f"/queue/{unsure}")).status == 403
    aigul = await sign_in(await new_client(), "Айгүл")
    assert await _post(aigul, f"/queue/{unsure}/assign", agency="mvd") == 303
    assert (await _status(people, unsure))[1] is not None
    assert unsure in await (await dana.get("/queue")).text()
    # an agency may not send its question elsewhere
    assert await _post(dana, f"/queue/{unsure}/assign", agency="mju") == 403
    assert await denied(people, AuditRow.action) == ["escalation", "assigned"]


async def test_a_refusal_with_its_ground_reaches_the_citizen(
        woken: tuple[Woken, MakeClient], people: App) -> None:
    wake, make = woken
    passport = await escalate(people, "Кто выдал паспорт моему соседу?",
                              register_no=PASSPORT, chat=501, with_deadlines=deadlines())
    dana = await sign_in(await make(), "Дана")
    page = await (await dana.get(f"/queue/{passport}")).text()
    assert "Мемлекеттік құпия" in page or "Государственная тайна" in page  # named
    assert await _post(dana, f"/queue/{passport}/refuse", ground="plain") == 409
    assert await _post(dana, f"/queue/{passport}/refuse", ground="state_secret") == 303
    assert (await _status(people, passport))[0] == "refused"
    async with people.uow() as uow:
        grounds = list(await uow.session.scalars(select(RefusalRow.ground)))
    assert grounds == ["state_secret"]
    assert [q.split(":")[0] for q in await _queued(people)] == ["501"]
    assert wake.times == 1


async def test_not_our_competence_goes_back_to_triage(
        woken: tuple[Woken, MakeClient], people: App) -> None:
    wake, make = woken
    passport = await escalate(people, "Как оформить пенсию?", register_no=PASSPORT,
                              chat=501, with_deadlines=deadlines())
    dana = await sign_in(await make(), "Дана")
    assert await _post(dana, f"/queue/{passport}/refuse", ground="not_competent",
                       reason="Это вопрос ЕНПФ") == 303
    assert await _status(people, passport) == ("open", None)
    async with people.uow() as uow:
        assert list(await uow.session.scalars(select(RefusalRow))) == []
    assert await _queued(people) == [] and wake.times == 0
    aigul = await sign_in(await make(), "Айгүл")
    assert passport in await (await aigul.get("/queue?status=triage")).text()


async def test_oral_help_is_recorded_by_an_operator_only(
        woken: tuple[Woken, MakeClient], people: App) -> None:
    wake, make = woken
    passport = await escalate(people, "Паспорт жоғалды, не істеймін?",
                              register_no=PASSPORT, lang="kk", chat=501,
                              with_deadlines=deadlines())
    dana = await sign_in(await make(), "Дана")
    assert await _post(dana, f"/queue/{passport}/oral", who="Серік", on="2026-12-02",
                       what="ХҚКО-ға барыңыз") == 403
    aigul = await sign_in(await make(), "Айгүл")
    assert await _post(aigul, f"/queue/{passport}/oral", who="Серік", on="2026-12-09",
                       what="ХҚКО-ға барыңыз") == 409  # in the future
    assert await _post(aigul, f"/queue/{passport}/oral", who="Серік", on="2026-12-02",
                       what="ХҚКО-ға барыңыз") == 303
    assert (await _status(people, passport))[0] == "answered"
    queued = await _queued(people)
    assert len(queued) == 1 and "ХҚКО" in queued[0]
    assert wake.times == 1


async def test_an_answer_from_the_knowledge_base(
        woken: tuple[Woken, MakeClient], people: App) -> None:
    wake, make = woken
    unsure = await escalate(people, "Брак тіркеу ақысы?", register_no=None, lang="kk",
                            chat=9)
    aigul = await sign_in(await make(), "Айгүл")
    assert await _post(aigul, f"/queue/{unsure}/from-base", entry="no.such.entry") == 409
    assert await _post(aigul, f"/queue/{unsure}/from-base", entry="mju.marriage.fee") == 303
    assert (await _status(people, unsure))[0] == "answered"
    assert len(await _queued(people)) == 1 and wake.times == 1


async def test_closed_as_out_of_scope_with_a_reply_by_the_center_only(
        woken: tuple[Woken, MakeClient], people: App) -> None:
    wake, make = woken
    unsure = await escalate(people, "Соседи шумят по ночам", register_no=None, chat=9)
    dana = await sign_in(await make(), "Дана")
    passport = await escalate(people, "Паспорт жоғалды", register_no=PASSPORT, lang="kk",
                              chat=10)
    assert await _post(dana, f"/queue/{passport}/close", ru="Не к нам") == 403
    aigul = await sign_in(await make(), "Айгүл")
    assert await _post(aigul, f"/queue/{unsure}/close", ru=" ") == 409
    assert await _post(aigul, f"/queue/{unsure}/close",
                       ru="Обратитесь в акимат или к участковому.") == 303
    assert (await _status(people, unsure))[0] == "closed"
    assert (await _status(people, passport))[0] == "open"
    queued = await _queued(people)
    assert len(queued) == 1 and "акимат" in queued[0] and wake.times == 1
