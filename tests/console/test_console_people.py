"""The People page adds and edits people as ``ucc users add`` / ``edit`` do (the same use
cases): administrators only, every form with its token, domain refusals told in the
reader's language, each change a line of the audit log; a new person gets a Telegram
invitation and a one-time sign-in link through which they choose their own password."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from sqlalchemy import select

from bot.app import App
from knowledge import audit
from knowledge.credentials import check_password
from knowledge.db.tables import AgencyRow, AuditRow, StaffRow
from tests.console.conftest import Client, MakeClient, denied, form_token, sign_in

NEW_PASSWORD = "a river in spring"


async def _ru(client: Client) -> Client:
    await client.get("/lang/ru", allow_redirects=False)
    return client


async def _admin(new_client: MakeClient) -> Client:
    return await _ru(await sign_in(await new_client(), "Админ"))


@dataclass(frozen=True)
class Staff:
    id: int
    role: str
    agency_id: int | None
    full_name: str | None
    position: str | None
    invite_code: str | None
    password_hash: str | None


async def _staff(app: App, name: str) -> Staff | None:
    """The person's record as saved (read in a unit of work of its own)."""
    async with app.uow() as uow:
        row = await uow.session.scalar(select(StaffRow).where(StaffRow.name == name))
        return None if row is None else Staff(
            row.id, row.role, row.agency_id, row.full_name, row.position, row.invite_code,
            row.password_hash)


async def _changes(app: App) -> list[tuple[str, str, str | None]]:
    async with app.uow() as uow:
        rows = await uow.session.scalars(
            select(AuditRow).where(AuditRow.outcome == audit.CHANGED).order_by(AuditRow.id))
        return [(row.who, row.action, row.subject) for row in rows]


def _alert(page: str) -> str:
    """Why the action was not done: the page's error notice."""
    found = re.search(r'<p class="error" role="alert">([^<]*)</p>', page)
    assert found, page
    return html.unescape(found.group(1))


def _links(page: str) -> tuple[str, str]:
    invitation = re.search(r'class="link-once invitation" value="([^"]+)"', page)
    signin = re.search(r'class="link-once signin" value="[^"]*(/signin/link/[\w-]+)"', page)
    assert invitation and signin, page
    return html.unescape(invitation.group(1)), signin.group(1)


async def test_an_administrator_adds_agency_staff_who_then_choose_their_password(
        new_client: MakeClient, people: App) -> None:
    admin = await _admin(new_client)
    added = await admin.post("/people", data={
        "csrf_token": await form_token(admin, "/people"), "name": "Марат",
        "role": "agency", "agency": "mvd", "full_name": "Марат Сейітов",
        "position": "  главный   специалист "})
    page = await added.text()
    assert added.status == 200, page
    invitation, signin = _links(page)
    row = await _staff(people, "Марат")
    assert row is not None and row.invite_code and row.password_hash is None
    assert invitation.endswith(f"?start=inv-{row.invite_code}")
    assert (row.full_name, row.position) == ("Марат Сейітов", "главный специалист")
    async with people.uow() as uow:
        mvd = await uow.session.scalar(select(AgencyRow.id).where(AgencyRow.code == "mvd"))
    assert row.role == "agency" and row.agency_id == mvd
    listing = await (await admin.get("/people")).text()
    assert f'data-person="{row.id}"' in listing and "Марат Сейітов" in listing
    assert "/signin/link/" not in listing and "inv-" not in listing  # the links shown once
    assert await _changes(people) == [("Админ", "add-person", f"#{row.id} Марат")]

    marat = await _ru(await new_client())
    opened = await marat.get(signin, allow_redirects=False)
    assert (opened.status, opened.headers["Location"]) == (303, "/password")
    token = await form_token(marat, "/password")
    differ = await marat.post("/password", data={
        "csrf_token": token, "password": NEW_PASSWORD, "again": NEW_PASSWORD + "!"})
    assert differ.status == 409 and "не совпадают" in _alert(await differ.text())
    short = await marat.post("/password", data={
        "csrf_token": token, "password": "Марат", "again": "Марат"})
    assert short.status == 409 and "10" in _alert(await short.text())  # the CLI's rules
    chosen = await marat.post("/password", data={
        "csrf_token": token, "password": NEW_PASSWORD, "again": NEW_PASSWORD})
    assert chosen.status == 200, await chosen.text()
    assert (await marat.get("/queue", allow_redirects=False)).status == 200  # still in
    async with people.uow() as uow:
        assert await check_password(uow, "Марат", NEW_PASSWORD) is not None
    assert 'id="choose-password"' not in await (await marat.get("/password")).text()
    assert (await _changes(people))[-1] == ("Марат", "password", f"#{row.id} Марат")


async def test_agency_staff_without_their_agency_are_refused_and_nothing_is_saved(
        new_client: MakeClient, people: App) -> None:
    admin = await _admin(new_client)
    refused = await admin.post("/people", data={
        "csrf_token": await form_token(admin, "/people"), "name": "Марат",
        "role": "agency", "agency": "", "position": "специалист"})
    page = await refused.text()
    assert refused.status == 409
    said = _alert(page)
    assert "нужно указать его государственный орган" in said  # told in Russian
    assert "--agency" not in page and "need" not in page
    assert 'value="Марат"' in page and 'value="специалист"' in page  # the form kept
    assert "/signin/link/" not in page
    assert await _staff(people, "Марат") is None and await _changes(people) == []

    center = await admin.post("/people", data={
        "csrf_token": await form_token(admin, "/people"), "name": "Марат",
        "role": "operator", "agency": "mvd"})
    assert center.status == 409
    assert "не привязываются к государственному органу" in _alert(await center.text())
    assert await _staff(people, "Марат") is None


async def test_an_administrator_edits_how_documents_name_a_person(
        new_client: MakeClient, people: App) -> None:
    admin = await _admin(new_client)
    dana = await _staff(people, "Дана")
    assert dana is not None and dana.full_name is None
    edited = await admin.post(f"/people/{dana.id}/edit", data={
        "csrf_token": await form_token(admin, "/people"), "full_name": "Дана Ахметова",
        "position": "руководитель отдела"}, allow_redirects=False)
    assert edited.status == 303
    after = await (await admin.get(edited.headers["Location"])).text()
    assert "Дана Ахметова, руководитель отдела" in after
    row = await _staff(people, "Дана")
    assert row is not None
    assert (row.full_name, row.position) == ("Дана Ахметова", "руководитель отдела")
    assert await _changes(people) == [("Админ", "edit-person", f"#{dana.id} Дана")]

    nothing = await admin.post(f"/people/{dana.id}/edit", data={
        "csrf_token": await form_token(admin, "/people"), "full_name": " ", "position": ""})
    assert nothing.status == 409 and "нечего менять" in _alert(await nothing.text())


async def test_operators_and_agency_staff_are_refused_by_url_and_audited(
        new_client: MakeClient, people: App) -> None:
    dana = await _staff(people, "Дана")
    assert dana is not None
    for name in ("Айгүл", "Ержан"):
        someone = await sign_in(await new_client(), name)
        token = await form_token(someone, "/queue")
        add = await someone.post("/people", data={
            "csrf_token": token, "name": "Чужой", "role": "operator"})
        edit = await someone.post(f"/people/{dana.id}/edit", data={
            "csrf_token": token, "full_name": "Кто-то другой"})
        assert add.status == edit.status == 403
    assert await _staff(people, "Чужой") is None
    row = await _staff(people, "Дана")
    assert row is not None and row.full_name is None
    async with people.uow() as uow:
        refusals = list(await uow.session.execute(select(AuditRow.who, AuditRow.action).where(
            AuditRow.outcome == audit.DENIED)))
    assert sorted(refusals) == [("Айгүл", "add-person"), ("Айгүл", "edit-person"),
                                ("Ержан", "add-person"), ("Ержан", "edit-person")]
    assert await _changes(people) == []


async def test_a_form_without_its_token_is_refused(new_client: MakeClient,
                                                   people: App) -> None:
    admin = await _admin(new_client)
    dana = await _staff(people, "Дана")
    assert dana is not None
    add = await admin.post("/people", data={"name": "Марат", "role": "operator"})
    edit = await admin.post(f"/people/{dana.id}/edit", data={
        "csrf_token": "forged", "full_name": "Кто-то другой"})
    assert add.status == edit.status == 403
    assert await _staff(people, "Марат") is None
    row = await _staff(people, "Дана")
    assert row is not None and row.full_name is None
    assert await denied(people, AuditRow.action) == ["csrf", "csrf"]


async def test_a_password_is_chosen_only_in_a_session_opened_by_a_link(
        new_client: MakeClient, people: App) -> None:
    aigul = await _ru(await sign_in(await new_client(), "Айгүл"))
    page = await (await aigul.get("/password")).text()
    assert 'id="choose-password"' not in page and "ссылк" in page
    tried = await aigul.post("/password", data={
        "csrf_token": await form_token(aigul, "/queue"), "password": NEW_PASSWORD,
        "again": NEW_PASSWORD})
    assert tried.status == 403
    async with people.uow() as uow:
        assert await check_password(uow, "Айгүл", NEW_PASSWORD) is None
    assert await denied(people, AuditRow.action) == ["password"]
