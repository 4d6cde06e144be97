"""The complaints page: the register with due dates in working days, an agency's own only
(list, URL, export; refusals audited), the response reaching the applicant, an extension,
and the operators' triage."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.app import App
from knowledge import complaints
from knowledge.clock import FixedClock
from knowledge.db.tables import OutboxRow
from knowledge.staff import SYSTEM
from tests.console.boards_data import complaint
from tests.console.conftest import MakeClient, denied, form_token, sign_in
from tests.escalation_helpers import MARRIAGE, PASSPORT


async def test_an_agency_sees_its_own_complaints_only(
        new_client: MakeClient, people: App) -> None:
    ours = await complaint(people, PASSPORT, 801, "В ЦОНе требуют справку")
    theirs = await complaint(people, MARRIAGE, 802, "ЗАГС не регистрирует")
    dana = await sign_in(await new_client(), "Дана")
    page = await (await dana.get("/complaints")).text()
    assert ours in page and theirs not in page
    assert theirs not in await (await dana.get("/complaints?agency=mju")).text()
    assert (await dana.get(f"/complaints/{theirs}")).status == 403
    token = await form_token(dana, "/complaints")
    responded = await dana.post(f"/complaints/{theirs}/act", data={
        "csrf_token": token, "action": "respond", "ru": "Нет"})
    assert responded.status == 403
    exported = await dana.get("/complaints.csv")
    assert ours in await exported.text() and theirs not in await exported.text()
    assert (await dana.get("/complaints.csv?agency=mju")).status == 403
    assert await denied(people) == ["Дана", "Дана", "Дана"]
    operator = await sign_in(await new_client(), "Айгүл")
    everything = await (await operator.get("/complaints")).text()
    assert ours in everything and theirs in everything


async def test_an_overdue_complaint_is_red_with_its_working_days(
        new_client: MakeClient, people: App) -> None:
    number = await complaint(people, PASSPORT, 801, "Требуют справку")
    people.clock = FixedClock(datetime(2026, 12, 14, 6, 0, tzinfo=UTC))
    dana = await sign_in(await new_client(), "Дана")
    page = await (await dana.get("/complaints")).text()
    assert f'<tr class="overdue" data-complaint="{number}">' in page


async def test_a_response_reaches_the_applicant(
        new_client: MakeClient, people: App) -> None:
    number = await complaint(people, PASSPORT, 801, "Требуют справку")
    dana = await sign_in(await new_client(), "Дана")
    token = await form_token(dana, f"/complaints/{number}")
    done = await dana.post(f"/complaints/{number}/act", data={
        "csrf_token": token, "action": "respond", "ru": "Справка не нужна, мы разобрались."},
        allow_redirects=False)
    assert done.status == 303
    async with people.uow() as uow:
        item = await complaints.complaint(uow, number, SYSTEM)
        sent = list(await uow.session.scalars(select(OutboxRow.address).where(
            OutboxRow.channel == "telegram")))
    assert item.status == "answered" and sent == ["801"]


async def test_an_extension_and_the_triage(new_client: MakeClient, people: App) -> None:
    number = await complaint(people, PASSPORT, 801, "Требуют справку")
    lost = await complaint(people, None, 803, "Непонятно куда")
    dana = await sign_in(await new_client(), "Дана")
    token = await form_token(dana, f"/complaints/{number}")
    extended = await dana.post(f"/complaints/{number}/act", data={
        "csrf_token": token, "action": "extend", "days": "5", "reason": "Запрос в архив"},
        allow_redirects=False)
    assert extended.status == 303
    again = await dana.post(f"/complaints/{number}/act", data={
        "csrf_token": token, "action": "extend", "days": "2", "reason": "Ещё"})
    assert again.status == 409
    assert (await dana.get(f"/complaints/{lost}")).status == 403  # the triage is the center's
    operator = await sign_in(await new_client(), "Айгүл")
    triage = await (await operator.get("/complaints?triage=1")).text()
    assert lost in triage and number not in triage
    token = await form_token(operator, f"/complaints/{lost}")
    await operator.post(f"/complaints/{lost}/act", data={
        "csrf_token": token, "action": "assign", "agency": "mvd"})
    async with people.uow() as uow:
        item = await complaints.complaint(uow, lost, SYSTEM)
    assert item.agency_code == "mvd" and item.handled_by == "Айгүл"
    assert lost in await (await dana.get("/complaints")).text()
