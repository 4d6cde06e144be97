"""The onboarding board, the refusals, the complaints and the reports in a real Chromium:
each page opens signed in, in Kazakh and in Russian (a screenshot of each in
``screenshots/``: ``onboarding-kk.png``, ``refusals-ru.png``…), the board and the reports on
a phone too; the board shows a new case without a reload; an agency's staff member opening
another agency's onboarding case by its URL is refused, and the refusal audited.
"""

from __future__ import annotations

from datetime import date

from aiohttp import web
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from sqlalchemy import select

from bot.app import App
from bot.console.server import create_console
from bot.texts.i18n import gettext_for
from knowledge import onboarding
from knowledge.db.tables import AuditRow
from knowledge.staff import SYSTEM
from tests.browser.conftest import ServeApp
from tests.browser.console import sign_in, whole_page
from tests.browser.harness import (
    LAPTOP,
    PHONE,
    in_browser,
    resize,
    screenshot,
    wait_for,
    wait_for_text,
)
from tests.console.boards_data import (
    MJU_CASE,
    MVD_CASE,
    complaint,
    questions,
    refusal,
    report_of,
    start_cases,
)
from tests.console.conftest import PASSWORD, people  # noqa: F401 - the fixture
from tests.escalation_helpers import MARRIAGE, PASSPORT

PAGES = {  # page → what shows it has drawn
    "onboarding": ".board a.case",
    "refusals": "tr[data-notice]",
    "complaints": "tr[data-complaint]",
    "reports": "svg.chart rect",
}


async def _data(app: App) -> str:
    """A month of work: cases on several steps (one overdue), a notice and a pending
    refusal, complaints (one in the triage), three months of questions and two reports."""
    await start_cases(app, approved=date(2026, 11, 16))
    async with app.uow() as uow:
        await onboarding.record_step(uow, MVD_CASE, "request_sent", on=date(2026, 11, 18),
                                     actor=SYSTEM, clock=app.clock, deadlines=app.deadlines)
        await onboarding.appoint_responsible(uow, MVD_CASE, "Асқар Бекұлы",
                                             on=date(2026, 11, 20), actor=SYSTEM,
                                             clock=app.clock, deadlines=app.deadlines)
        await onboarding.start_case(uow, "00301120", "mvd", date(2026, 12, 1), actor=SYSTEM,
                                    clock=app.clock, deadlines=app.deadlines,
                                    name_kk="Мекенжай анықтамасы", name_ru="Адресная справка")
        await uow.commit()
    for n, day in ((1, date(2026, 11, 27)), (2, date(2026, 11, 30))):
        await refusal(app, PASSPORT, day, 700 + n, confirm=True)
    await refusal(app, MARRIAGE, date(2026, 12, 1), 710)
    number = await complaint(app, PASSPORT, 801,
                             "В ЦОНе потребовали справку с места жительства",
                             day=date(2026, 11, 23))
    await complaint(app, MARRIAGE, 802, "ЗАГС отказал в регистрации без объяснения причин")
    await complaint(app, None, 803, "Не знаю, куда жаловаться: в акимате не отвечают")
    await questions(app, date(2026, 10, 1), {"mvd": (48, 35), "mju": (21, 17), None: (6, 0)})
    await questions(app, date(2026, 11, 1), {"mvd": (61, 49), "mju": (25, 18), None: (4, 0)})
    await questions(app, date(2026, 12, 1), {"mvd": (12, 9), "mju": (5, 3)})
    await report_of(app, date(2026, 10, 1))
    await report_of(app, date(2026, 11, 1))
    return number


async def _console(app: App, serve_app: ServeApp) -> str:
    web_app: web.Application = await create_console(app)
    return await serve_app(web_app)


def _open(driver: WebDriver, base: str, lang: str, page: str) -> str:
    driver.get(f"{base}/lang/{lang}?next=/{page}")
    wait_for(driver, PAGES[page])
    return driver.find_element(By.TAG_NAME, "main").text


async def test_each_page_opens_signed_in_in_kazakh_and_russian(
        browser: WebDriver, serve_app: ServeApp, people: App) -> None:  # noqa: F811
    complaint_no = await _data(people)
    base = await _console(people, serve_app)
    await in_browser(sign_in, browser, base, "kk", "Айгүл")
    for lang in ("kk", "ru"):
        _ = gettext_for(lang).gettext
        for page in PAGES:
            text = await in_browser(_open, browser, base, lang, page)
            assert _({"onboarding": "Services being connected",
                      "refusals": "Refusals to give information",
                      "complaints": "Citizens' complaints",
                      "reports": "Per agency"}[page]) in text
            path = await in_browser(whole_page, browser, f"{page}-{lang}", LAPTOP[0])
            assert path.stat().st_size > 10_000
        # one case and one complaint, with their actions
        for page, path, css in (("onboarding-case", f"/onboarding/{MVD_CASE}", "table.list"),
                                ("complaint", f"/complaints/{complaint_no}", "dl.facts")):
            await in_browser(browser.get, f"{base}/lang/{lang}?next={path}")
            await in_browser(wait_for, browser, css)
            await in_browser(whole_page, browser, f"{page}-{lang}", LAPTOP[0])
    # the board: each case under its step, the overdue one marked; the agencies by name
    text = await in_browser(_open, browser, base, "ru", "onboarding")
    assert "МВД" in text and "Минюст" in text
    overdue = await in_browser(browser.find_elements, By.CSS_SELECTOR,
                               f".board a.case.overdue[data-register-no='{MJU_CASE}']")
    assert overdue
    # on a phone: the board's columns stacked, the charts scaled to the screen
    for page in ("onboarding", "reports"):
        await in_browser(_open, browser, base, "kk", page)
        await in_browser(whole_page, browser, f"{page}-phone-kk", PHONE[0])
    await in_browser(resize, browser, PHONE)
    await in_browser(_open, browser, base, "kk", "reports")
    width = await in_browser(browser.execute_script,
                             "return document.querySelector('svg.chart')"
                             ".getBoundingClientRect().width")
    scroll = await in_browser(browser.execute_script,
                              "return document.documentElement.scrollWidth")
    await in_browser(resize, browser, LAPTOP)
    assert 250 < width <= PHONE[0] and scroll <= PHONE[0]  # no sideways scrolling


async def test_another_agencys_case_is_refused_by_url(
        browser: WebDriver, serve_app: ServeApp, people: App) -> None:  # noqa: F811
    await start_cases(people)
    base = await _console(people, serve_app)
    await in_browser(sign_in, browser, base, "kk", "Дана")
    board = await in_browser(_open, browser, base, "kk", "onboarding")
    assert MVD_CASE in board and MJU_CASE not in board
    await in_browser(browser.get, f"{base}/onboarding/{MJU_CASE}")
    refused = await in_browser(lambda: browser.find_element(By.TAG_NAME, "body").text)
    assert gettext_for("kk").gettext("This is not yours to see.") in refused
    assert "Неке" not in refused  # nothing of the case shown
    await in_browser(screenshot, browser, "onboarding-refused-kk")
    async with people.uow() as uow:
        audited = list(await uow.session.execute(
            select(AuditRow.who, AuditRow.subject).where(AuditRow.outcome == "denied")))
    assert audited == [("Дана", f"/onboarding/{MJU_CASE}")]


async def test_a_new_case_appears_on_the_open_board(
        browser: WebDriver, serve_app: ServeApp, people: App) -> None:  # noqa: F811
    await start_cases(people)
    base = await _console(people, serve_app)
    await in_browser(sign_in, browser, base, "ru", "Айгүл")
    await in_browser(_open, browser, base, "ru", "onboarding")
    async with people.uow() as uow:
        await onboarding.start_case(uow, "00301777", "mvd", date(2026, 12, 1), actor=SYSTEM,
                                    clock=people.clock, deadlines=people.deadlines,
                                    name_kk="Жаңа қызмет", name_ru="Новая услуга")
        await uow.commit()
    await in_browser(wait_for_text, browser, "#board-columns", "00301777")
