"""Signing in to the console: passwords, one-time links, throttling, CSRF, sign-out, and
sessions that end when the person is removed or their password changes."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import App
from knowledge.clock import FixedClock
from knowledge.credentials import issue_signin_link, set_password
from knowledge.db.tables import AuditRow, StaffRow
from knowledge.staff import SYSTEM, remove_staff
from tests.console.conftest import PASSWORD, MakeClient, csrf_of, form_token, sign_in


async def test_a_page_needs_a_signed_in_person(new_client: MakeClient) -> None:
    client = await new_client()
    response = await client.get("/queue", allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"].startswith("/signin?next=")


async def test_the_right_password_signs_in_and_the_page_names_the_person(
        new_client: MakeClient) -> None:
    client = await sign_in(await new_client(), "Айгүл")
    page = await client.get("/queue")
    assert page.status == 200
    assert "Айгүл" in await page.text()


async def test_a_wrong_password_or_name_is_refused_alike_and_audited(
        new_client: MakeClient, people: App) -> None:
    client = await new_client()
    token = csrf_of(await (await client.get("/signin")).text())
    wrong_password = await client.post("/signin", data={
        "name": "Айгүл", "password": "not it at all", "csrf_token": token})
    wrong_name = await client.post("/signin", data={
        "name": "Нобади", "password": PASSWORD, "csrf_token": token})
    assert wrong_password.status == wrong_name.status == 401
    assert (await client.get("/queue", allow_redirects=False)).status == 303
    async with people.uow() as uow:
        outcomes = list(await uow.session.scalars(
            select(AuditRow.outcome).where(AuditRow.action == "sign-in")))
    assert outcomes == ["failed", "failed"]


async def test_after_five_failures_even_the_right_password_waits(
        new_client: MakeClient, people: App) -> None:
    client = await new_client()
    token = csrf_of(await (await client.get("/signin")).text())
    for _ in range(5):
        await client.post("/signin", data={"name": "Дана", "password": "guess guess",
                                           "csrf_token": token})
    locked = await client.post("/signin", data={"name": "Дана", "password": PASSWORD,
                                                "csrf_token": token})
    assert locked.status == 429
    assert "15" in await locked.text()  # minutes to wait, in the reader's language
    assert isinstance(people.clock, FixedClock)
    people.clock.at += timedelta(minutes=16)
    await sign_in(client, "Дана")


async def test_a_form_without_its_token_is_refused_and_audited(
        new_client: MakeClient, people: App) -> None:
    client = await sign_in(await new_client(), "Айгүл")
    response = await client.post("/signout", data={})
    assert response.status == 403
    forged = await client.post("/signout", data={"csrf_token": "forged"})
    assert forged.status == 403
    assert (await client.get("/queue")).status == 200  # still signed in
    async with people.uow() as uow:
        denied = list(await uow.session.scalars(
            select(AuditRow.who).where(AuditRow.action == "csrf")))
    assert denied == ["Айгүл", "Айгүл"]


async def test_sign_out_ends_the_session(new_client: MakeClient) -> None:
    client = await sign_in(await new_client(), "Айгүл")
    token = await form_token(client, "/queue")
    out = await client.post("/signout", data={"csrf_token": token}, allow_redirects=False)
    assert out.status == 303
    assert (await client.get("/queue", allow_redirects=False)).status == 303


async def test_removal_ends_the_session_at_the_next_request(
        new_client: MakeClient, people: App) -> None:
    client = await sign_in(await new_client(), "Дана")
    assert (await client.get("/queue")).status == 200
    async with people.uow() as uow:
        await remove_staff(uow, "Дана", SYSTEM)
        await uow.commit()
    assert (await client.get("/queue", allow_redirects=False)).status == 303


async def test_another_role_ends_the_session(new_client: MakeClient, people: App) -> None:
    client = await sign_in(await new_client(), "Айгүл")
    async with people.uow() as uow:
        row = await uow.session.scalar(select(StaffRow).where(StaffRow.name == "Айгүл"))
        assert row is not None
        row.role = "agency"  # demoted
        await uow.commit()
    assert (await client.get("/queue", allow_redirects=False)).status == 303


async def test_a_new_password_ends_every_open_session(
        new_client: MakeClient, people: App) -> None:
    client = await sign_in(await new_client(), "Айгүл")
    async with people.uow() as uow:
        await set_password(uow, "Айгүл", "another long password", SYSTEM)
        await uow.commit()
    assert (await client.get("/queue", allow_redirects=False)).status == 303


async def test_a_signin_link_works_once_and_not_after_a_day(
        new_client: MakeClient, people: App) -> None:
    async with people.uow() as uow:
        token = await issue_signin_link(uow, "Ержан", SYSTEM, people.clock)
        late = await issue_signin_link(uow, "Ержан", SYSTEM, people.clock)
        await uow.commit()
    client = await new_client()
    first = await client.get(f"/signin/link/{token}", allow_redirects=False)
    assert first.status == 303
    assert (await client.get("/queue")).status == 200
    again = await (await new_client()).get(f"/signin/link/{token}", allow_redirects=False)
    assert again.status == 410
    assert isinstance(people.clock, FixedClock)
    people.clock.at += timedelta(hours=25)
    expired = await (await new_client()).get(f"/signin/link/{late}", allow_redirects=False)
    assert expired.status == 410


async def test_the_password_is_kept_as_an_argon2_hash_only(people: App) -> None:
    async with people.uow() as uow:
        stored = await uow.session.scalar(
            select(StaffRow.password_hash).where(StaffRow.name == "Дана"))
    assert stored is not None and stored.startswith("$argon2id$")
    assert PASSWORD not in stored


async def test_the_language_is_the_readers_choice(new_client: MakeClient) -> None:
    client = await new_client()
    kk = await (await client.get("/signin")).text()
    await client.get("/lang/ru?next=/signin")
    ru = await (await client.get("/signin")).text()
    assert 'lang="kk"' in kk and 'lang="ru"' in ru
    assert kk != ru


async def test_after_sign_in_only_a_path_of_this_site_is_followed(
        new_client: MakeClient) -> None:
    client = await new_client()
    token = csrf_of(await (await client.get("/signin")).text())
    response = await client.post("/signin", data={
        "name": "Айгүл", "password": PASSWORD, "csrf_token": token,
        "next": "//evil.example/x"}, allow_redirects=False)
    assert response.headers["Location"] == "/"
