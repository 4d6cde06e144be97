"""The refusals page: operators review refusals and see the para 12 notices (agency, month,
count, due date, sent or not), download a notice's files, send it or mark it sent; an
agency sees its own refusals only and no notices, refused by URL too and audited."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.app import App
from knowledge import escalations, refusals
from knowledge.clock import FixedClock
from tests.console.conftest import MakeClient, denied, form_token, sign_in
from tests.escalation_helpers import MARRIAGE, OPERATOR, PASSPORT, clock_at, escalate


async def _refusal(app: App, register_no: str, day: date, chat: int) -> int:
    clock = clock_at(day.year, day.month, day.day)
    reference = await escalate(app, f"Вопрос {chat}", register_no=register_no, clock=clock,
                               chat=chat)
    async with app.uow() as uow:
        item = await escalations.escalation(uow, reference, OPERATOR)
        assert item.agency_code is not None
        agency = next(a for a in await uow.knowledge.agencies()
                      if a.code == item.agency_code)
        staff = escalations_actor(agency.id, agency.code)
        refusal = await escalations.refuse(uow, reference, ground="plain",
                                           reason="Не дадим", actor=staff, clock=clock,
                                           deadlines=app.deadlines)
        await uow.commit()
    return refusal.id


def escalations_actor(agency_id: int, code: str) -> refusals.Actor:
    from knowledge.staff import Actor, Role  # noqa: PLC0415
    return Actor("Дана" if code == "mvd" else "Ержан", Role.AGENCY, agency_id)


async def _confirmed_pair(app: App) -> list[refusals.Notice]:
    for n, day in ((1, date(2026, 11, 27)), (2, date(2026, 11, 30))):
        refusal = await _refusal(app, PASSPORT, day, 700 + n)
        async with app.uow() as uow:
            await refusals.confirm(uow, refusal, actor=OPERATOR, clock=app.clock,
                                   deadlines=app.deadlines)
            await uow.commit()
    async with app.uow() as uow:
        return await refusals.notices(uow, OPERATOR)


async def test_an_operator_confirms_and_rejects_through_the_page(
        new_client: MakeClient, people: App) -> None:
    first = await _refusal(people, PASSPORT, date(2026, 12, 1), 601)
    second = await _refusal(people, PASSPORT, date(2026, 12, 2), 602)
    operator = await sign_in(await new_client(), "Айгүл")
    page = await (await operator.get("/refusals")).text()
    assert f'data-refusal="{first}"' in page and "ІІМ" in page
    token = await form_token(operator, "/refusals")
    for number in (first, second):
        done = await operator.post(f"/refusals/{number}/review", data={
            "csrf_token": token, "decision": "confirm"}, allow_redirects=False)
        assert done.status == 303
    async with people.uow() as uow:
        [notice] = await refusals.notices(uow, OPERATOR)
    assert len(notice.refusals) == 2 and notice.due_on == date(2026, 12, 7)
    page = await (await operator.get("/refusals")).text()
    assert f'data-notice="{notice.id}"' in page
    twice = await operator.post(f"/refusals/{first}/review", data={
        "csrf_token": token, "decision": "reject"})
    assert twice.status == 409


async def test_an_agency_sees_its_own_refusals_and_no_notices(
        new_client: MakeClient, people: App) -> None:
    [notice] = await _confirmed_pair(people)
    theirs = await _refusal(people, MARRIAGE, date(2026, 12, 1), 650)
    dana = await sign_in(await new_client(), "Дана")
    page = await (await dana.get("/refusals")).text()
    assert f'data-refusal="{notice.refusals[0].id}"' in page
    assert f'data-refusal="{theirs}"' not in page and "data-notice" not in page
    assert (await dana.get(f"/refusals/notices/{notice.id}")).status == 403
    assert (await dana.get(f"/refusals/notices/{notice.id}/files/x.docx")).status == 403
    token = await form_token(dana, "/refusals")
    confirmed = await dana.post(f"/refusals/{theirs}/review", data={
        "csrf_token": token, "decision": "confirm"})
    assert confirmed.status == 403
    refused = await denied(people)
    assert refused == ["Дана", "Дана", "Дана"]


async def test_a_notice_overdue_in_red_its_files_and_its_sending(
        new_client: MakeClient, people: App) -> None:
    [notice] = await _confirmed_pair(people)  # due 3 working days after 30 November
    people.clock = FixedClock(datetime(2026, 12, 8, 6, 0, tzinfo=UTC))
    operator = await sign_in(await new_client(), "Айгүл")
    await operator.get("/lang/ru")
    page = await (await operator.get(f"/refusals/notices/{notice.id}")).text()
    # due 3 December: 4, 7 and 8 December are past it
    assert "не отправлено, просрочено на 3 рабочих дня" in page
    assert '<dd class="overdue">' in page
    names = [name for name in ("docx", "xlsx", "csv") if f".{name}" in page]
    assert names == ["docx", "xlsx", "csv"]
    start = page.index(f"/refusals/notices/{notice.id}/files/") + len(
        f"/refusals/notices/{notice.id}/files/")
    name = page[start:page.index('"', start)]
    got = await operator.get(f"/refusals/notices/{notice.id}/files/{name}")
    assert got.status == 200 and (await got.read())[:2] == b"PK"
    token = await form_token(operator, "/refusals")
    held = await operator.post(f"/refusals/notices/{notice.id}/send", data={
        "csrf_token": token, "how": "send"})
    assert "UCC_QC_EMAIL" in await held.text()
    await operator.post(f"/refusals/notices/{notice.id}/send", data={
        "csrf_token": token, "how": "by_hand"})
    async with people.uow() as uow:
        sent = await refusals.notice(uow, notice.id, OPERATOR)
    assert sent.status == "sent" and sent.sent_via == "by_hand"
