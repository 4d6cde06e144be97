"""Staff on Telegram: invites, /onboarding by role, reminders from the scheduler; and a walk
over every handler proving that staff data sits behind the role check."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from io import BytesIO

from aiogram import Router
from aiogram.filters.callback_data import CallbackQueryFilter
from openpyxl import load_workbook

from bot.app import App
from bot.channels.telegram.dispatcher import create_dispatcher, create_routers
from bot.channels.telegram.processor import UpdateProcessor
from bot.channels.telegram.receivers import InboxWriter
from bot.notify.letters import request_documents
from handlers.staff import PUBLIC, StaffOnly
from knowledge import onboarding
from knowledge.agencies import add_agency
from knowledge.clock import FixedClock
from knowledge.onboarding.documents import SHEET_TITLES
from knowledge.staff import Actor, Role, add_staff
from tests.e2e.telegram_fixtures import Harness, t
from tests.fakes.bot_api import Call, command_update, document_update

MakeHarness = Callable[..., Awaitable[Harness]]
OPERATOR_ID, AGENCY_ID, CITIZEN_ID = 810_001, 810_002, 810_003
RUSSIAN_AGENCY_ID = 810_004
# 14:00 in Astana on Thursday 19 March 2026: the requests of cases approved on the 17th
# are due on Friday the 20th.
CLOCK = FixedClock(datetime(2026, 3, 19, 9, 0, tzinfo=UTC))
FAQ = f"'{SHEET_TITLES['faq']}'!"  # a cell of the questions' sheet, as Excel names it


async def setup_cases(h: Harness) -> str:
    """Two agencies with a case each; a bound operator; an invite for mep's person."""
    admin = Actor("admin", Role.ADMIN)
    async with h.app.uow() as uow:
        for code, kk, ru in (("mep", "Экология министрлігі", "Министерство экологии"),
                             ("akimat", "Алматы әкімдігі", "Акимат Алматы")):
            await add_agency(uow, code, name_kk=kk, name_ru=ru, kind="central")
        await add_staff(uow, "Оператор Айгүл", Role.OPERATOR, CLOCK,
                        telegram_user_id=OPERATOR_ID)
        for reg, code in (("701001", "mep"), ("702002", "akimat")):
            await onboarding.start_case(uow, reg, code, date(2026, 3, 17), actor=admin,
                                        clock=CLOCK, deadlines=h.app.deadlines,
                                        name_kk=f"Қызмет {reg}", name_ru=f"Услуга {reg}")
        await uow.commit()
    async with h.app.uow() as uow:
        await onboarding.record_step(uow, "701001", "request_sent", on=date(2026, 3, 18),
                                     actor=admin, clock=CLOCK, deadlines=h.app.deadlines)
        _case, person = await onboarding.appoint_responsible(
            uow, "701001", "Ержан Сапаров", on=date(2026, 3, 18), actor=admin, clock=CLOCK,
            deadlines=h.app.deadlines)
        await uow.commit()
    assert person.invite_code is not None
    return person.invite_code


async def started(make_harness: MakeHarness) -> tuple[Harness, str]:
    """The bot on the fixed clock with the two cases; the invite of mep's person."""
    h = await make_harness()
    h.app.clock = CLOCK
    invite = await setup_cases(h)
    await h.start()
    return h, invite


async def test_staff_see_their_cases_by_role_and_citizens_are_refused(
    make_harness: MakeHarness,
) -> None:
    h, invite = await started(make_harness)

    [refusal] = await h.ask(CITIZEN_ID, "/onboarding", lang="ru")
    assert refusal.params["text"] == t(
        "ru", "This command is for the contact center's staff and agencies.")

    [welcome] = await h.ask(AGENCY_ID, f"/start inv-{invite}", lang="kk")
    assert "Ержан Сапаров" in welcome.params["text"]
    assert "Ұйым: Экология министрлігі." in welcome.params["text"]  # its name, not "mep"
    [again] = await h.ask(CITIZEN_ID, f"/start inv-{invite}", lang="ru")  # used up
    assert "недействительно" in again.params["text"]

    [mine] = await h.ask(AGENCY_ID, "/onboarding", lang="kk")
    assert "701001" in mine.params["text"] and "702002" not in mine.params["text"]
    assert "жауапты тұлға" not in mine.params["text"]  # its step now: information
    assert "ақпарат ұсынылды" in mine.params["text"]

    operator_messages = len(h.replies(OPERATOR_ID))  # the scheduler's reminders came first
    [everything] = await h.ask(OPERATOR_ID, "/onboarding", lang="ru")
    assert "701001" in everything.params["text"] and "702002" in everything.params["text"]
    assert operator_messages >= 1


async def test_reminders_reach_the_party_that_owes_the_step_once_across_restarts(
    make_harness: MakeHarness,
) -> None:
    h, _invite = await started(make_harness)
    # 702002 waits for the center's request, due tomorrow: the operator is reminded.
    # 701001 waits for the agency's information (due 25 March): nobody yet.
    await h.wait_replies(OPERATOR_ID, 1)
    await h.settled()
    # (beside it, the held monthly report's notice: no UCC_QC_EMAIL here)
    [reminder] = [r for r in h.replies(OPERATOR_ID) if "Еске салу" in r.params["text"]]
    assert "702002" in reminder.params["text"]
    assert "Еске салу" in reminder.params["text"] and "Напоминание" in reminder.params["text"]
    await h.stop()
    await h.start()
    await h.settled()
    sent = [r for r in h.replies(OPERATOR_ID) if "Еске салу" in r.params["text"]]
    assert sent == [reminder]  # fired once, though the bot started again
    assert len(h.replies(OPERATOR_ID)) <= 2  # and the held report's notice once too


def all_handlers(router: Router) -> list[tuple[str, str, object]]:
    found: list[tuple[str, str, object]] = []
    for observer in router.observers.values():
        for handler in observer.handlers:
            found.append((router.name, handler.callback.__name__, handler))
    for sub in router.sub_routers:
        found.extend(all_handlers(sub))
    return found


def test_every_handler_that_can_reach_staff_data_checks_the_role() -> None:
    dispatcher = Router()
    dispatcher.include_routers(*create_routers())
    handlers = all_handlers(dispatcher)
    assert len(handlers) > 10
    for router, name, handler in handlers:
        filters = [f.callback for f in handler.filters or []]  # type: ignore[attr-defined]
        params = inspect.signature(handler.callback).parameters  # type: ignore[attr-defined]
        guarded = any(isinstance(f, StaffOnly) for f in filters)
        if router.startswith("staff"):
            assert guarded or name in PUBLIC, f"staff handler {name} has no role check"
        if "actor" in params:  # staff data is reached through the actor only
            assert guarded, f"{router}.{name} takes an actor without StaffOnly"
        if name in PUBLIC:
            assert "actor" not in params


def test_every_staff_button_is_refused_to_anyone_not_staff() -> None:
    """A removed person's earlier messages keep their buttons: a press must be answered
    (the spinner stops) by a refusal, not left to no handler at all."""
    dispatcher = Router()
    dispatcher.include_routers(*create_routers())
    guarded: set[type] = set()
    refused: set[type] = set()
    for _router, name, handler in all_handlers(dispatcher):
        filters = [f.callback for f in handler.filters or []]  # type: ignore[attr-defined]
        buttons = {f.callback_data for f in filters if isinstance(f, CallbackQueryFilter)}
        if any(isinstance(f, StaffOnly) for f in filters):
            guarded |= buttons
        elif name == "not_staff_button":
            refused |= buttons
    assert len(guarded) >= 5
    assert guarded == refused


# What a handler may ask for by name, besides the dispatcher's workflow data: the Bot and
# what the Command and CallbackData filters parse (aiogram); what StaffOnly and HasDraft
# find; the update's unit of work and its file (the update processor); the context
# (ContextMiddleware).
HANDED_BY_AIOGRAM = {"bot", "command", "callback_data"}
HANDED_BY_FILTERS = {"actor", "draft"}
HANDED_PER_UPDATE = {"uow", "upload", "citizen", "lang", "replier", "clock"}


async def test_every_handler_asks_only_for_what_the_dispatcher_hands_it(app: App) -> None:
    dispatcher = create_dispatcher(app)
    handed = {*dispatcher.workflow_data, *HANDED_BY_AIOGRAM, *HANDED_BY_FILTERS,
              *HANDED_PER_UPDATE}
    handlers = all_handlers(dispatcher)
    assert len(handlers) > 10
    for router, name, handler in handlers:
        event, *params = inspect.signature(
            handler.callback).parameters.values()  # type: ignore[attr-defined]
        required = {p.name for p in params if p.default is inspect.Parameter.empty
                    and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
        assert required <= handed, f"{router}.{name} asks for {required - handed}"


async def test_the_responsible_person_uploads_the_filled_template_to_the_bot(
    make_harness: MakeHarness,
) -> None:
    h, invite = await started(make_harness)
    await h.ask(AGENCY_ID, f"/start inv-{invite}", lang="kk")
    async with h.app.uow() as uow:
        case = await onboarding.case_of(uow, "701001", Actor("t", Role.ADMIN))
    documents = request_documents(case, executor="t", on=CLOCK.now().date(),
                                  deadlines=h.app.deadlines)
    template = load_workbook(BytesIO(documents[-1].data))

    # an invalid template: the question cell left empty; each problem named by its cell
    template[SHEET_TITLES["faq"]]["A2"] = "mep.fishing.how"
    template[SHEET_TITLES["faq"]]["D2"] = "egov.kz арқылы."
    bad = saved(template)
    [refused] = await upload(h, bad, "information.xlsx")
    assert f"'{SHEET_TITLES['faq']}'!B2" in refused.params["text"]  # as Excel names a cell
    assert "Файл қабылданбады" in refused.params["text"]

    template[SHEET_TITLES["faq"]]["B2"] = "Балық аулауға рұқсатты қалай аламын?"
    [accepted] = await upload(h, saved(template), "information.xlsx")
    assert "701001" in accepted.params["text"] and "Рақмет" in accepted.params["text"]
    async with h.app.uow() as uow:
        [waiting] = [c for c in await onboarding.cases(uow, Actor("t", Role.ADMIN))
                     if c.register_no == "701001"]
    assert waiting.step == "training_held"

    # a citizen's file is not an upload of information: no staff handler takes it
    file_id = h.fake.add_file(b"{}")
    await h.deliver(document_update(CITIZEN_ID, file_id, "x.json", size=2))
    await h.settled()
    assert all("701001" not in c.params["text"] for c in h.replies(CITIZEN_ID))


async def test_each_agency_user_reads_the_template_s_problems_in_their_language_by_cell(
    make_harness: MakeHarness,
) -> None:
    h, invite = await started(make_harness)
    await h.ask(AGENCY_ID, f"/start inv-{invite}", lang="kk")
    async with h.app.uow() as uow:  # a Russian-speaking colleague at the same agency
        await add_staff(uow, "Дана Ким", Role.AGENCY, CLOCK, agency_code="mep",
                        telegram_user_id=RUSSIAN_AGENCY_ID)
        await uow.commit()
        case = await onboarding.case_of(uow, "701001", Actor("t", Role.ADMIN))
    documents = request_documents(case, executor="t", on=CLOCK.now().date(),
                                  deadlines=h.app.deadlines)
    template = load_workbook(BytesIO(documents[-1].data))
    template[SHEET_TITLES["faq"]]["A2"] = "mep.fishing.how"  # the question B2 left empty
    template[SHEET_TITLES["faq"]]["D2"] = "egov.kz арқылы."
    template[SHEET_TITLES["faq"]]["A3"] = "Bad Id"  # not an id's form: a pack's own rule
    template[SHEET_TITLES["faq"]]["B3"] = "Қанша тұрады?"
    template[SHEET_TITLES["faq"]]["D3"] = "Тегін."
    bad = saved(template)

    [kazakh] = await upload(h, bad, "information.xlsx")
    [russian] = await upload(h, bad, "information.xlsx", chat=RUSSIAN_AGENCY_ID, lang="ru")

    assert "Файл қабылданбады" in kazakh.params["text"]
    assert (f"{FAQ}B2: жазбада сұрақ жоқ: оны қазақша (B) немесе орысша (C) жазыңыз"
            in kazakh.params["text"])
    assert f"{FAQ}A3: 'Bad Id' талап етілген" in kazakh.params["text"]
    assert (f"{FAQ}B2: в записи нет вопроса: напишите его на казахском (B) или русском (C)"
            in russian.params["text"])
    assert f"{FAQ}A3: 'Bad Id' не соответствует требуемому виду" in russian.params["text"]
    assert "the entry has no question" not in kazakh.params["text"] + russian.params["text"]


async def test_a_file_is_read_before_its_batch_and_only_when_staff_sent_it(
    make_harness: MakeHarness,
) -> None:
    """The invite and the file in one batch: its sender was not staff when the batch began,
    so the file was not read; the batch is processed again an update at a time, the file
    read first. A citizen's file is never downloaded."""
    h = await make_harness()
    h.app.clock = CLOCK
    invite = await setup_cases(h)
    async with h.app.uow() as uow:
        case = await onboarding.case_of(uow, "701001", Actor("t", Role.ADMIN))
    template = load_workbook(BytesIO(request_documents(
        case, executor="t", on=CLOCK.now().date(), deadlines=h.app.deadlines)[-1].data))
    template[SHEET_TITLES["faq"]]["A2"] = "mep.fishing.how"
    template[SHEET_TITLES["faq"]]["B2"] = "Балық аулауға рұқсатты қалай аламын?"
    template[SHEET_TITLES["faq"]]["D2"] = "egov.kz арқылы."
    data = saved(template)
    citizen_file, agency_file = h.fake.add_file(b"{}"), h.fake.add_file(data)
    await InboxWriter(h.app, CLOCK).store_batch([
        {"update_id": 1, **document_update(CITIZEN_ID, citizen_file, "x.json", size=2)},
        {"update_id": 2, **command_update(AGENCY_ID, f"/start inv-{invite}")},
        {"update_id": 3, **document_update(AGENCY_ID, agency_file, "information.xlsx",
                                           size=len(data))},
    ])
    processor = UpdateProcessor(h.app, h.bot, create_dispatcher(h.app), CLOCK,
                                flood_messages=1000, flood_window_s=60.0)

    assert await processor.process_pending() == 3

    assert [call.params["file_id"] for call in h.fake.calls_of("getFile")] == [agency_file]
    welcome, accepted = [row.payload["text"] for row in await h.outbox_rows()
                         if row.address == str(AGENCY_ID)]
    assert "Ержан Сапаров" in welcome
    assert "701001" in accepted and "Рақмет" in accepted


def saved(book: object) -> bytes:
    out = BytesIO()
    book.save(out)  # type: ignore[attr-defined]
    return out.getvalue()


async def upload(h: Harness, data: bytes, name: str, *, chat: int = AGENCY_ID,
                 lang: str = "kk") -> list[Call]:
    before = len(h.replies(chat))
    file_id = h.fake.add_file(data)
    await h.deliver(document_update(chat, file_id, name, size=len(data),
                                       language_code=lang))
    await h.wait_replies(chat, before + 1)
    await h.settled()
    return h.replies(chat)[before:]
