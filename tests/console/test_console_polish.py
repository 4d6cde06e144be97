"""Refusals and errors as pages in the reader's language (inside the layout, the status
codes kept), domain reasons translated (no English shown to people), the administrators'
audit log and people pages."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from datetime import date

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.app import App
from bot.console.server import create_console
from knowledge import audit, curation
from knowledge.db.tables import AuditRow, StaffRow
from knowledge.staff import SYSTEM
from tests.console.boards_data import MVD_CASE, complaint, refusal, start_cases
from tests.console.conftest import Client, MakeClient, form_token, sign_in
from tests.escalation_helpers import PASSPORT, deadlines, escalate

SENTENCE = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z']{2,}){3,}")  # four English words in a row


def english_in(html: str) -> list[str]:
    """English sentences people would read: the page's text, not its markup."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return SENTENCE.findall(text)


async def _kk(client: Client) -> Client:
    await client.get("/lang/kk", allow_redirects=False)
    return client


async def _denied(app: App, action: str) -> list[str]:
    async with app.uow() as uow:
        return list(await uow.session.scalars(select(AuditRow.who).where(
            AuditRow.outcome == audit.DENIED, AuditRow.action == action)))


# --- 1. error pages ---------------------------------------------------------------------

async def test_a_missing_item_is_a_404_page_in_the_layout_with_the_way_back(
        new_client: MakeClient) -> None:
    operator = await _kk(await sign_in(await new_client(), "Айгүл"))
    missing = await operator.get("/queue/Q-999999")
    page = await missing.text()
    assert missing.status == 404
    assert "<nav>" in page and 'href="/queue"' in page and "Айгүл" in page
    assert "Мұндай сұрақ жоқ." in page  # the page's own words, in Kazakh
    assert "Not Found" not in page and english_in(page) == []
    nowhere = await operator.get("/nowhere")
    assert nowhere.status == 404 and "Not Found" not in await nowhere.text()


async def test_a_refusal_is_a_403_page_in_russian_too(new_client: MakeClient) -> None:
    dana = await sign_in(await new_client(), "Дана")
    await dana.get("/lang/ru", allow_redirects=False)
    refused = await dana.get("/audit")
    page = await refused.text()
    assert refused.status == 403 and "<nav>" in page and 'lang="ru"' in page
    assert "только администратор" in page and english_in(page) == []


async def test_a_form_without_its_token_gets_a_readable_page(new_client: MakeClient) -> None:
    operator = await _kk(await sign_in(await new_client(), "Айгүл"))
    refused = await operator.post("/signout", data={})
    page = await refused.text()
    assert refused.status == 403 and "CSRF" not in page and english_in(page) == []


@pytest.fixture
async def failing(people: App) -> AsyncIterator[Client]:
    """A console with a page that breaks (a bug's stand-in)."""
    web_app = await create_console(people)

    async def broken(request: web.Request) -> web.StreamResponse:
        raise RuntimeError("secret internals: table xyz exploded")

    web_app.router.add_get("/queue/broken", broken)
    client: Client = TestClient(TestServer(web_app))
    await client.start_server()
    yield client
    await client.close()


async def test_an_unexpected_error_is_a_500_page_without_the_traceback(
        failing: Client, caplog: pytest.LogCaptureFixture) -> None:
    await _kk(await sign_in(failing, "Айгүл"))
    with caplog.at_level(logging.ERROR, logger="bot.console.errors"):
        broken = await failing.get("/queue/broken")
    page = await broken.text()
    assert broken.status == 500 and "<nav>" in page
    assert "exploded" not in page and "Traceback" not in page and english_in(page) == []
    assert any("exploded" in (r.exc_text or str(r.exc_info)) for r in caplog.records)


# --- 2. domain reasons in the reader's language ------------------------------------------

async def test_a_queue_reason_is_told_in_kazakh_not_english(new_client: MakeClient,
                                                            people: App) -> None:
    passport = await escalate(people, "Кто выдал паспорт?", register_no=PASSPORT, chat=501,
                              with_deadlines=deadlines())
    dana = await _kk(await sign_in(await new_client(), "Дана"))
    token = await form_token(dana, f"/queue/{passport}")
    refused = await dana.post(f"/queue/{passport}/refuse", data={
        "csrf_token": token, "ground": "state_secret", "on": "2026-01-05"})
    page = await refused.text()
    assert refused.status == 409 and passport in page
    assert "reached the agency" not in page and english_in(page) == []
    assert "мемлекеттік органға" in page


async def test_a_complaint_reason_is_told_in_kazakh_not_english(
        new_client: MakeClient, people: App) -> None:
    number = await complaint(people, PASSPORT, 801, "Требуют справку")
    dana = await _kk(await sign_in(await new_client(), "Дана"))
    token = await form_token(dana, f"/complaints/{number}")
    too_long = await dana.post(f"/complaints/{number}/act", data={
        "csrf_token": token, "action": "extend", "days": "99", "reason": "Архив"})
    page = await too_long.text()
    assert too_long.status == 409 and "99" in page
    assert "working days, not" not in page and english_in(page) == []
    await dana.post(f"/complaints/{number}/act", data={
        "csrf_token": token, "action": "extend", "days": "5", "reason": "Архив"})
    again = await dana.post(f"/complaints/{number}/act", data={
        "csrf_token": token, "action": "extend", "days": "2", "reason": "Ещё"})
    page = await again.text()
    assert again.status == 409 and number in page
    assert "extended already" not in page and english_in(page) == []


async def test_an_onboarding_step_out_of_order_is_told_in_kazakh(
        new_client: MakeClient, people: App) -> None:
    await start_cases(people)
    operator = await _kk(await sign_in(await new_client(), "Айгүл"))
    token = await form_token(operator, f"/onboarding/{MVD_CASE}")
    refused = await operator.post(f"/onboarding/{MVD_CASE}/act", data={
        "csrf_token": token, "action": "training_held"})
    page = await refused.text()
    assert refused.status == 409 and MVD_CASE in page
    assert "waits for" not in page and "'request_sent'" not in page
    assert english_in(page) == []


# --- 3. the audit log and the people ------------------------------------------------------

async def test_the_audit_log_is_the_administrators_and_filters(
        new_client: MakeClient, people: App) -> None:
    stranger = await new_client()
    token = await form_token(stranger, "/signin")
    await stranger.post("/signin", data={"name": "Дана", "password": "wrong wrong wrong",
                                         "csrf_token": token})
    dana = await sign_in(await new_client(), "Дана")
    assert (await dana.get("/audit")).status == 403
    operator = await sign_in(await new_client(), "Айгүл")
    assert (await operator.get("/audit")).status == 403
    assert await _denied(people, "audit") == ["Дана", "Айгүл"]

    admin = await _kk(await sign_in(await new_client(), "Админ"))
    everything = await admin.get("/audit")
    page = await everything.text()
    assert everything.status == 200
    rows = re.findall(r'data-audit="(\d+)"', page)
    assert rows == sorted(rows, key=int, reverse=True) and len(rows) >= 5  # newest first
    assert "only an administrator" not in page and english_in(page) == []  # no English
    failed = await (await admin.get("/audit?outcome=failed")).text()
    assert failed.count("data-audit=") == 1 and "Сәтсіз кіру" in failed
    assert "Айгүл" not in re.sub(r"<header.*?</header>", "", failed, flags=re.S)
    by_person = await (await admin.get("/audit?who=Айгүл")).text()
    assert by_person.count("data-audit=") == 2  # signed in, refused


async def test_the_audit_log_pages_by_id(new_client: MakeClient, people: App) -> None:
    async with people.uow() as uow:
        for n in range(60):
            audit.record(uow, people.clock, who=f"robot{n}", action="queue",
                         outcome=audit.DENIED, subject=f"/queue/Q-{n}")
        await uow.commit()
    admin = await sign_in(await new_client(), "Админ")
    first = await (await admin.get("/audit?outcome=denied")).text()
    assert first.count("data-audit=") == 50 and "robot59" in first and "robot9<" not in first
    older = re.search(r'href="(/audit\?[^"]*before=\d+)"', first)
    assert older
    second = await (await admin.get(older.group(1).replace("&amp;", "&"))).text()
    assert second.count("data-audit=") == 10 and "robot0<" in second


async def test_the_people_page_gives_a_link_once_and_removes(
        new_client: MakeClient, people: App) -> None:
    operator = await sign_in(await new_client(), "Айгүл")
    assert (await operator.get("/people")).status == 403
    admin = await _kk(await sign_in(await new_client(), "Админ"))
    listing = await (await admin.get("/people")).text()
    assert "Ержан" in listing and ">mvd<" not in listing and ">mju<" not in listing
    async with people.uow() as uow:
        ids = {row.name: row.id for row in await uow.session.scalars(select(StaffRow))}
    token = await form_token(admin, "/people")
    given = await admin.post(f"/people/{ids['Ержан']}/signin-link",
                             data={"csrf_token": token})
    link = re.search(r"/signin/link/([\w-]+)", await given.text())
    assert given.status == 200 and link
    assert "/signin/link/" not in await (await admin.get("/people")).text()  # once
    taken = await operator.post(f"/people/{ids['Ержан']}/signin-link",
                                data={"csrf_token": await form_token(operator, "/queue")})
    assert taken.status == 403 and "/signin/link/" not in await taken.text()
    assert await _denied(people, "signin-link") == ["Айгүл"]

    erzhan = await sign_in(await new_client(), "Ержан")
    removed = await admin.post(f"/people/{ids['Ержан']}/remove", data={"csrf_token": token},
                               allow_redirects=False)
    assert removed.status == 303
    after = await admin.get("/people")
    assert f'data-person="{ids["Ержан"]}"' not in await after.text()
    assert (await erzhan.get("/queue", allow_redirects=False)).status == 303  # signed out
    someone = await new_client()
    await someone.get(f"/signin/link/{link.group(1)}", allow_redirects=False)
    assert (await someone.get("/queue", allow_redirects=False)).status == 303  # link void


# --- 4. live lists ------------------------------------------------------------------------

def rows_only(html: str) -> bool:
    return "<html" not in html and "<thead" not in html and "<nav" not in html


async def test_the_complaints_list_refreshes_its_rows(new_client: MakeClient,
                                                      people: App) -> None:
    dana = await sign_in(await new_client(), "Дана")
    page = await (await dana.get("/complaints?repeats=0")).text()
    live = re.search(r'data-live="([^"]+)"', page)
    assert live and "fragment=1" in live.group(1) and "repeats=0" in live.group(1)
    number = await complaint(people, PASSPORT, 801, "Требуют справку")  # arrives later
    rows = await (await dana.get(live.group(1).replace("&amp;", "&"))).text()
    assert rows_only(rows) and f'data-complaint="{number}"' in rows
    theirs = await complaint(people, "00501001", 802, "Не отвечают")
    assert theirs not in await (await dana.get("/complaints?fragment=1")).text()


async def test_the_refusals_waiting_for_review_refresh(new_client: MakeClient,
                                                       people: App) -> None:
    operator = await sign_in(await new_client(), "Айгүл")
    assert 'data-live="/refusals?fragment=pending"' in await (
        await operator.get("/refusals")).text()
    refused = await refusal(people, PASSPORT, date(2026, 12, 1), 901)
    rows = await (await operator.get("/refusals?fragment=pending")).text()
    assert rows_only(rows) and f'data-refusal="{refused}"' in rows
    assert 'name="csrf_token"' in rows  # the rows' forms still work


async def test_the_proposals_refresh_and_stay_the_centers(new_client: MakeClient,
                                                          people: App) -> None:
    operator = await sign_in(await new_client(), "Айгүл")
    assert 'data-live="/curation?fragment=proposals"' in await (
        await operator.get("/curation")).text()
    async with people.uow() as uow:
        made = await curation.propose_entry(
            uow, actor=SYSTEM, clock=people.clock, register_no=PASSPORT,
            question_kk="Паспорт қанша күнде дайын болады?",
            question_ru="Через сколько дней готов паспорт?",
            answer_kk="Он жұмыс күнінде.", answer_ru="За десять рабочих дней.")
        await uow.commit()
    rows = await (await operator.get("/curation?fragment=proposals")).text()
    assert rows_only(rows) and f"/curation/proposals/{made.id}" in rows
    dana = await sign_in(await new_client(), "Дана")
    assert (await dana.get("/curation?fragment=proposals")).status == 403
