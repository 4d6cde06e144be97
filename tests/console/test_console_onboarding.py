"""The onboarding board: each agency sees its own cases only (board and URL, refusals
audited), due dates in working days with the overdue in red, the step actions through the
same use cases as ``ucc onboarding``, and the documents to download."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from bot.app import App
from knowledge import onboarding
from knowledge.db.tables import OutboxRow
from knowledge.onboarding.board import arrange
from knowledge.staff import SYSTEM
from tests.console.boards_data import MJU_CASE, MVD_CASE, start_cases
from tests.console.conftest import MakeClient, denied, form_token, sign_in


async def test_an_agency_sees_its_own_cases_on_the_board(
        new_client: MakeClient, people: App) -> None:
    await start_cases(people)
    dana = await sign_in(await new_client(), "Дана")
    board = await (await dana.get("/onboarding")).text()
    assert MVD_CASE in board and MJU_CASE not in board
    assert "ІІМ" in board and "mvd" not in board.split("<main>")[1].replace(
        'data-register-no', '')  # the agency by name, not by code
    live = await (await dana.get("/onboarding?fragment=1")).text()
    assert MVD_CASE in live and "<html" not in live and MJU_CASE not in live
    operator = await sign_in(await new_client(), "Айгүл")
    everything = await (await operator.get("/onboarding")).text()
    assert MVD_CASE in everything and MJU_CASE in everything


async def test_another_agencys_case_is_refused_by_url_and_audited(
        new_client: MakeClient, people: App) -> None:
    await start_cases(people)
    dana = await sign_in(await new_client(), "Дана")
    assert (await dana.get(f"/onboarding/{MJU_CASE}")).status == 403
    assert (await dana.get(f"/onboarding/{MJU_CASE}/files/request-{MJU_CASE}.xlsx")
            ).status == 403
    token = await form_token(dana, "/onboarding")
    signed = await dana.post(f"/onboarding/{MJU_CASE}/act",
                             data={"csrf_token": token, "action": "sign"})
    assert signed.status == 403
    assert await denied(people) == ["Дана", "Дана", "Дана"]
    assert (await dana.get(f"/onboarding/{MVD_CASE}")).status == 200


async def test_a_due_date_in_the_reader_language_and_the_overdue_in_red(
        new_client: MakeClient, people: App) -> None:
    await start_cases(people, approved=date(2026, 11, 2))  # the request was due in November
    operator = await sign_in(await new_client(), "Айгүл")
    await operator.get("/lang/ru")
    page = await (await operator.get("/onboarding")).text()
    assert 'class="case overdue"' in page
    assert "ноября 2026" in page and "просрочено на" in page
    await operator.get("/lang/kk")
    page = await (await operator.get("/onboarding")).text()
    assert "қараша" in page


async def test_the_request_step_is_recorded_and_its_letter_queued(
        new_client: MakeClient, people: App) -> None:
    await start_cases(people)
    operator = await sign_in(await new_client(), "Айгүл")
    token = await form_token(operator, f"/onboarding/{MVD_CASE}")
    done = await operator.post(f"/onboarding/{MVD_CASE}/act", data={
        "csrf_token": token, "action": "request_sent"}, allow_redirects=False)
    assert done.status == 303
    async with people.uow() as uow:
        case = await onboarding.case_of(uow, MVD_CASE, SYSTEM)
        letters = list(await uow.session.scalars(
            select(OutboxRow.address).where(OutboxRow.channel == "email")))
    assert case.step == "responsible_appointed"
    assert letters == ["kense@mvd.example.kz"]
    # the agency cannot record the center's step
    dana = await sign_in(await new_client(), "Дана")
    token = await form_token(dana, f"/onboarding/{MVD_CASE}")
    refused = await dana.post(f"/onboarding/{MVD_CASE}/act", data={
        "csrf_token": token, "action": "appoint", "name": "Самозванец"})
    assert refused.status == 403


async def test_an_appointment_gives_the_invite_link_once(
        new_client: MakeClient, people: App) -> None:
    await start_cases(people)
    operator = await sign_in(await new_client(), "Айгүл")
    token = await form_token(operator, f"/onboarding/{MVD_CASE}")
    await operator.post(f"/onboarding/{MVD_CASE}/act", data={
        "csrf_token": token, "action": "request_sent"})
    page = await operator.post(f"/onboarding/{MVD_CASE}/act", data={
        "csrf_token": token, "action": "appoint", "name": "Асқар Бекұлы",
        "position": "бас маман"})
    text = await page.text()
    assert page.status == 200 and "?start=inv-" in text
    async with people.uow() as uow:
        case = await onboarding.case_of(uow, MVD_CASE, SYSTEM)
    assert (case.step, case.responsible) == ("information_provided", "Асқар Бекұлы")


async def test_a_step_out_of_order_is_refused_with_a_reason(
        new_client: MakeClient, people: App) -> None:
    await start_cases(people)
    operator = await sign_in(await new_client(), "Айгүл")
    token = await form_token(operator, f"/onboarding/{MVD_CASE}")
    refused = await operator.post(f"/onboarding/{MVD_CASE}/act", data={
        "csrf_token": token, "action": "training_held"})
    assert refused.status == 409
    assert 'class="error"' in await refused.text()


async def test_the_documents_download_as_the_command_line_writes_them(
        new_client: MakeClient, people: App) -> None:
    await start_cases(people)
    dana = await sign_in(await new_client(), "Дана")
    page = await (await dana.get(f"/onboarding/{MVD_CASE}")).text()
    assert f"/onboarding/{MVD_CASE}/files/request-{MVD_CASE}.xlsx" in page
    got = await dana.get(f"/onboarding/{MVD_CASE}/files/information-{MVD_CASE}.xlsx")
    assert got.status == 200
    assert "attachment" in got.headers["Content-Disposition"]
    load_workbook(BytesIO(await got.read()))  # a real workbook
    assert (await dana.get(f"/onboarding/{MVD_CASE}/files/other.xlsx")).status == 404


async def test_the_protocol_downloads_once_the_training_is_held(
        new_client: MakeClient, people: App) -> None:
    await start_cases(people)
    async with people.uow() as uow:
        for key in ("request_sent",):
            await onboarding.record_step(uow, MVD_CASE, key, on=date(2026, 12, 1),
                                         actor=SYSTEM, clock=people.clock,
                                         deadlines=people.deadlines)
        await onboarding.appoint_responsible(uow, MVD_CASE, "Асқар", on=date(2026, 12, 1),
                                             actor=SYSTEM, clock=people.clock,
                                             deadlines=people.deadlines)
        row = await onboarding.cases(uow, SYSTEM)
        await uow.commit()
    assert any(c.step == "information_provided" for c in row)
    async with people.uow() as uow:
        from knowledge.db.tables import OnboardingCaseRow  # noqa: PLC0415
        case_row = await uow.session.scalar(select(OnboardingCaseRow).where(
            OnboardingCaseRow.register_no == MVD_CASE))
        assert case_row is not None
        case_row.step = "protocol_signed"  # the draft and the training, as done
        await uow.commit()
    operator = await sign_in(await new_client(), "Айгүл")
    got = await operator.get(f"/onboarding/{MVD_CASE}/files/protocol-{MVD_CASE}.docx")
    assert got.status == 200
    text = "\n".join(p.text for p in Document(BytesIO(await got.read())).paragraphs)
    assert MVD_CASE in text


def test_the_board_puts_each_case_in_its_step_most_pressing_first(people: App) -> None:
    cases = [onboarding.Case(n, f"0{n}", None, 1, "mvd", step, due, None, None)
             for n, step, due in ((1, "request_sent", date(2026, 12, 10)),
                                  (2, "request_sent", date(2026, 12, 3)),
                                  (3, "training_held", date(2026, 12, 4)))]
    columns = arrange(cases, date(2026, 12, 7), people.deadlines.calendar, per_column=1)
    by_step = {c.step: c for c in columns}
    assert [c.case.id for c in by_step["request_sent"].cards] == [2]
    assert by_step["request_sent"].more == 1 and by_step["request_sent"].cards[0].overdue
    assert "update_provided" not in by_step  # shown only when a case waits there
    assert [c.step for c in columns][:2] == ["request_sent", "responsible_appointed"]


async def _at_step(app: App, register_no: str, step: str) -> None:
    """The case moved on to ``step`` (the steps before it as done)."""
    from knowledge.db.tables import OnboardingCaseRow  # noqa: PLC0415
    async with app.uow() as uow:
        row = await uow.session.scalar(select(OnboardingCaseRow).where(
            OnboardingCaseRow.register_no == register_no))
        assert row is not None
        row.step = step
        if step == onboarding.CLOSED:
            row.due_on = None
        await uow.commit()


async def test_a_departure_and_a_replacement(new_client: MakeClient, people: App) -> None:
    await start_cases(people)
    operator = await sign_in(await new_client(), "Айгүл")
    token = await form_token(operator, f"/onboarding/{MVD_CASE}")
    for data in ({"action": "request_sent"}, {"action": "appoint", "name": "Асқар"}):
        await operator.post(f"/onboarding/{MVD_CASE}/act", data={"csrf_token": token, **data})
    future = await operator.post(f"/onboarding/{MVD_CASE}/act", data={
        "csrf_token": token, "action": "left", "on": "2027-01-10"})
    assert future.status == 409  # a day that has not come
    left = await operator.post(f"/onboarding/{MVD_CASE}/act", data={
        "csrf_token": token, "action": "left", "on": "2026-12-01"}, allow_redirects=False)
    assert left.status == 303
    replaced = await operator.post(f"/onboarding/{MVD_CASE}/act", data={
        "csrf_token": token, "action": "appoint", "name": "Гүлнар"})
    assert replaced.status == 200 and "?start=inv-" in await replaced.text()
    async with people.uow() as uow:
        case = await onboarding.case_of(uow, MVD_CASE, SYSTEM)
        steps = [e.step for e in await onboarding.history(uow, MVD_CASE, SYSTEM)]
    assert case.responsible == "Гүлнар"
    assert steps[-2:] == [onboarding.LEFT, "responsible_replaced"]


async def test_the_protocol_signed_on_paper_and_the_closed_cases(
        new_client: MakeClient, people: App) -> None:
    await start_cases(people)
    await _at_step(people, MVD_CASE, "protocol_signed")
    operator = await sign_in(await new_client(), "Айгүл")
    token = await form_token(operator, f"/onboarding/{MVD_CASE}")
    signed = await operator.post(f"/onboarding/{MVD_CASE}/act", data={
        "csrf_token": token, "action": "protocol_signed"}, allow_redirects=False)
    assert signed.status == 303
    async with people.uow() as uow:
        case = await onboarding.case_of(uow, MVD_CASE, SYSTEM)
    assert case.step == "live" and case.activation_on == date(2026, 12, 9)
    await _at_step(people, MVD_CASE, onboarding.CLOSED)
    assert MVD_CASE not in await (await operator.get("/onboarding")).text()
    assert MVD_CASE in await (await operator.get("/onboarding?closed=1")).text()


async def test_an_agency_opens_an_update_of_its_live_service(
        new_client: MakeClient, people: App) -> None:
    from tests.escalation_helpers import PASSPORT  # noqa: PLC0415 - live in the seed
    async with people.uow() as uow:
        await onboarding.start_case(uow, PASSPORT, "mvd", date(2026, 11, 2), actor=SYSTEM,
                                    clock=people.clock, deadlines=people.deadlines,
                                    name_kk="Төлқұжат", name_ru="Паспорт")
        await uow.commit()
    await _at_step(people, PASSPORT, onboarding.CLOSED)
    dana = await sign_in(await new_client(), "Дана")
    token = await form_token(dana, f"/onboarding/{PASSPORT}")
    opened = await dana.post(f"/onboarding/{PASSPORT}/act", data={
        "csrf_token": token, "action": "update", "on": "2026-12-01",
        "note": "бұйрық № 12"}, allow_redirects=False)
    assert opened.status == 303
    async with people.uow() as uow:
        case = await onboarding.case_of(uow, PASSPORT, SYSTEM)
    assert (case.kind, case.step) == ("update", "update_provided")
    erzhan = await sign_in(await new_client(), "Ержан")
    token = await form_token(erzhan, "/onboarding")
    refused = await erzhan.post(f"/onboarding/{PASSPORT}/act", data={
        "csrf_token": token, "action": "update", "on": "2026-12-01"})
    assert refused.status == 403


async def test_the_board_reads_the_cases_as_the_command_line_does(people: App) -> None:
    from knowledge.onboarding.board import board_cases  # noqa: PLC0415
    from knowledge.staff import Actor, Role  # noqa: PLC0415
    from tests.escalation_helpers import PASSPORT, agency_id  # noqa: PLC0415
    await start_cases(people)
    async with people.uow() as uow:
        await onboarding.start_case(uow, PASSPORT, "mvd", date(2026, 11, 2), actor=SYSTEM,
                                    clock=people.clock, deadlines=people.deadlines)
        await onboarding.record_step(uow, MVD_CASE, "request_sent", on=date(2026, 12, 1),
                                     actor=SYSTEM, clock=people.clock,
                                     deadlines=people.deadlines)
        await onboarding.appoint_responsible(uow, MVD_CASE, "Асқар", on=date(2026, 12, 1),
                                             actor=SYSTEM, clock=people.clock,
                                             deadlines=people.deadlines)
        await uow.commit()
    await _at_step(people, MJU_CASE, onboarding.CLOSED)
    dana = Actor("Дана", Role.AGENCY, await agency_id(people, "mvd"))
    for actor in (SYSTEM, dana):
        for closed in (False, True):
            async with people.uow() as uow:
                assert await board_cases(uow, actor, closed=closed) == await onboarding.cases(
                    uow, actor, closed=closed)


async def test_the_agency_sends_its_information_as_a_file(
        new_client: MakeClient, people: App) -> None:
    import json  # noqa: PLC0415

    from aiohttp import FormData  # noqa: PLC0415

    from tests.factories import pack, service  # noqa: PLC0415
    await start_cases(people)
    await _at_step(people, MVD_CASE, "information_provided")
    dana = await sign_in(await new_client(), "Дана")
    token = await form_token(dana, f"/onboarding/{MVD_CASE}")

    def upload(doc: dict[str, object]) -> FormData:
        form = FormData()
        form.add_field("csrf_token", token)
        form.add_field("file", json.dumps(doc).encode(), filename="pack.json",
                       content_type="application/json")
        return form

    wrong = await dana.post(f"/onboarding/{MVD_CASE}/submit",
                            data=upload(pack(service("00501001", "mju"))))
    assert wrong.status == 409 and 'class="error"' in await wrong.text()
    sent = await dana.post(f"/onboarding/{MVD_CASE}/submit",
                           data=upload(pack(service(MVD_CASE, "mvd"))), allow_redirects=False)
    assert sent.status == 303
    async with people.uow() as uow:
        case = await onboarding.case_of(uow, MVD_CASE, SYSTEM)
    assert case.step == "training_held"


async def test_the_history_names_the_bot_not_its_account(
        new_client: MakeClient, people: App) -> None:
    """A step the scheduler or the command line recorded reads "the bot, by itself" in the
    reader's language, never the account name "system"; the files are listed under a
    heading that says they are to download."""
    await start_cases(people)
    operator = await sign_in(await new_client(), "Айгүл")
    await operator.get("/lang/ru")
    page = await (await operator.get(f"/onboarding/{MVD_CASE}")).text()
    history = page.split("История")[1]
    assert "бот (автоматически)" in history and ">system<" not in history
    assert "Документы для скачивания" in page
    await operator.get("/lang/kk")
    page = await (await operator.get(f"/onboarding/{MVD_CASE}")).text()
    assert "бот (автоматты түрде)" in page.split("Тарих")[1]
