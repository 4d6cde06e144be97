"""A citizen's conversations: found from a question or by search; the address and phone
numbers as the role allows (an administrator in clear, an operator masked but for the
last digits, an agency's staff never), an IIN never, and an agency's staff only behind
their own agency's questions — by URL too, each refusal audited."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import App
from knowledge.citizens import citizen_for
from knowledge.clock import FixedClock
from knowledge.conversation import log_message
from knowledge.db.tables import AuditRow
from knowledge.escalations import open_escalation
from tests.console.conftest import MakeClient, denied, sign_in
from tests.escalation_helpers import MARRIAGE, PASSPORT

PHONE = "+77011234567"
IIN = "900101300123"


async def _citizen(app: App) -> tuple[int, str, str]:
    """A citizen on SMS: a passport question on 1 December (mvd), a marriage question on
    3 December (mju), each with its messages."""
    references = []
    citizen_id = 0
    for day, text, register_no in (
            (1, f"Паспорт жоғалды, ИИН {IIN}, телефоным 8 701 765 43 21", PASSPORT),
            (3, "Сколько стоит регистрация брака?", MARRIAGE)):
        clock = FixedClock(datetime(2026, 12, day, 6, 0, tzinfo=UTC))
        async with app.uow() as uow:
            citizen = await citizen_for(uow, "sms", PHONE, clock)
            citizen_id = citizen.id
            log_message(uow, citizen.id, direction="in", channel="sms", lang="kk", text=text,
                        clock=clock)
            log_message(uow, citizen.id, direction="out", channel="sms", lang="kk",
                        text=f"reply of day {day}", clock=clock)
            references.append(await open_escalation(
                uow, citizen, text, lang="kk", candidates=(), register_no=register_no,
                clock=clock))
            await uow.commit()
    return citizen_id, references[0], references[1]


async def test_found_from_a_question_and_masked_for_an_operator(
        new_client: MakeClient, people: App) -> None:
    citizen_id, passport, _ = await _citizen(people)
    aigul = await sign_in(await new_client(), "Айгүл")
    item = await (await aigul.get(f"/queue/{passport}")).text()
    assert f"/conversations?q={passport}" in item
    found = await aigul.get(f"/conversations?q={passport}", allow_redirects=False)
    assert found.headers["Location"] == f"/conversations/{citizen_id}"
    page = await (await aigul.get(f"/conversations/{citizen_id}")).text()
    assert "reply of day 1" in page and "reply of day 3" in page
    assert "•••••••4567" in page and "7011234567" not in page
    assert "• ••• ••• 43 21" in page and "765" not in page  # a number in the text
    assert IIN not in page
    for query in (f"#{citizen_id}", PHONE, "8 701 123 45 67"):
        found = await aigul.get("/conversations", params={"q": query},
                                allow_redirects=False)
        assert found.headers["Location"] == f"/conversations/{citizen_id}", query


async def test_an_administrator_reads_the_number_in_clear(
        new_client: MakeClient, people: App) -> None:
    citizen_id, _, _ = await _citizen(people)
    admin = await sign_in(await new_client(), "Админ")
    page = await (await admin.get(f"/conversations/{citizen_id}")).text()
    assert PHONE in page and "8 701 765 43 21" in page and IIN not in page


async def test_an_agency_reads_only_behind_its_own_questions(
        new_client: MakeClient, people: App) -> None:
    citizen_id, passport, marriage = await _citizen(people)
    dana = await sign_in(await new_client(), "Дана")
    found = await dana.get(f"/conversations?q={passport}", allow_redirects=False)
    assert found.headers["Location"] == f"/conversations/{citizen_id}"
    page = await (await dana.get(f"/conversations/{citizen_id}")).text()
    assert "reply of day 1" in page and passport in page
    assert "reply of day 3" not in page and marriage not in page  # mju's day and question
    assert "4567" not in page and "4321" not in page and IIN not in page
    assert (await dana.get(f"/conversations?q={marriage}")).status == 403
    assert (await dana.get("/conversations", params={"q": PHONE})).status == 403
    assert await denied(people, AuditRow.action) == ["conversation", "conversation"]


async def test_an_agency_is_refused_a_citizen_who_never_asked_it(
        new_client: MakeClient, people: App) -> None:
    citizen_id, _, _ = await _citizen(people)
    clock = FixedClock(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
    async with people.uow() as uow:
        other = await citizen_for(uow, "telegram", "777", clock)
        await open_escalation(uow, other, "Брак?", lang="ru", candidates=(),
                              register_no=MARRIAGE, clock=clock)
        await uow.commit()
    dana = await sign_in(await new_client(), "Дана")
    assert (await dana.get(f"/conversations/{other.id}")).status == 403
    assert (await dana.get(f"/conversations?q=%23{other.id}")).status == 403
    assert (await dana.get(f"/conversations/{citizen_id}")).status == 200
    assert await denied(people, AuditRow.action) == ["conversation", "conversation"]
