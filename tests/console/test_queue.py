"""The queue page: each agency sees its own questions only (by list and by URL, refusals
audited), due dates in working days, and an answer saved here reaches the citizen."""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from knowledge import outbox
from knowledge.clock import FixedClock
from tests.console.conftest import MakeClient, denied, form_token, sign_in
from tests.escalation_helpers import MARRIAGE, PASSPORT, deadlines, escalate


async def _two_questions(app: App) -> tuple[str, str]:
    passport = await escalate(app, "Паспорт жоғалды, не істеймін?", register_no=PASSPORT,
                              lang="kk", chat=501, with_deadlines=deadlines())
    marriage = await escalate(app, "Можно ли зарегистрировать брак за один день?",
                              register_no=MARRIAGE, chat=502, with_deadlines=deadlines())
    return passport, marriage


async def test_an_agency_sees_its_own_questions_only(
        new_client: MakeClient, people: App) -> None:
    passport, marriage = await _two_questions(people)
    dana = await sign_in(await new_client(), "Дана")
    page = await (await dana.get("/queue")).text()
    assert passport in page and marriage not in page
    operator = await sign_in(await new_client(), "Айгүл")
    everything = await (await operator.get("/queue")).text()
    assert passport in everything and marriage in everything


async def test_another_agencys_question_is_refused_by_url_and_audited(
        new_client: MakeClient, people: App) -> None:
    _, marriage = await _two_questions(people)
    dana = await sign_in(await new_client(), "Дана")
    assert (await dana.get(f"/queue/{marriage}")).status == 403
    token = await form_token(dana, "/queue")
    answered = await dana.post(f"/queue/{marriage}/answer",
                               data={"csrf_token": token, "ru": "Да"})
    assert answered.status == 403
    refused = await denied(people)
    assert refused == ["Дана", "Дана"]


async def test_an_agency_cannot_filter_itself_into_another_queue(
        new_client: MakeClient, people: App) -> None:
    _, marriage = await _two_questions(people)
    dana = await sign_in(await new_client(), "Дана")
    page = await (await dana.get("/queue?agency=mju")).text()
    assert marriage not in page


async def test_an_answer_in_kazakh_is_queued_for_the_citizen(
        new_client: MakeClient, people: App) -> None:
    passport, _ = await _two_questions(people)
    dana = await sign_in(await new_client(), "Дана")
    token = await form_token(dana, f"/queue/{passport}")
    answered = await dana.post(f"/queue/{passport}/answer", data={
        "csrf_token": token, "kk": "Жаңа паспорт үшін ХҚКО-ға өтініш беріңіз."},
        allow_redirects=False)
    assert answered.status == 303
    async with people.uow() as uow:
        queued = await outbox.due(uow, "telegram", people.clock.now() + timedelta(hours=1))
    assert [item.address for item in queued] == ["501"]
    assert "ХҚКО" in str(queued[0].payload)
    page = await (await dana.get("/queue")).text()
    assert passport not in page  # answered: no longer waiting


async def test_an_empty_answer_is_refused_with_a_reason(
        new_client: MakeClient, people: App) -> None:
    passport, _ = await _two_questions(people)
    dana = await sign_in(await new_client(), "Дана")
    token = await form_token(dana, f"/queue/{passport}")
    response = await dana.post(f"/queue/{passport}/answer",
                               data={"csrf_token": token, "kk": " ", "ru": ""})
    assert response.status == 409


async def test_an_overdue_question_is_marked(new_client: MakeClient, people: App) -> None:
    passport, _ = await _two_questions(people)
    assert isinstance(people.clock, FixedClock)
    people.clock.at += timedelta(days=30)
    dana = await sign_in(await new_client(), "Дана")
    page = await (await dana.get("/queue")).text()
    row = page[page.index(f'data-reference="{passport}"') - 40:]
    assert 'class="overdue"' in row[:80]


async def test_the_live_refresh_gives_the_rows_only(
        new_client: MakeClient, people: App) -> None:
    passport, _ = await _two_questions(people)
    dana = await sign_in(await new_client(), "Дана")
    rows = await (await dana.get("/queue?fragment=1")).text()
    assert passport in rows and "<html" not in rows
