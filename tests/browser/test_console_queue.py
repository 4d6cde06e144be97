"""The queue, one question's page and a citizen's conversation in a real Chromium: an
agency's staff answer in Kazakh and the reply reaches the citizen through the fake Bot
API (the sender driven by the test once the page has woken it); another agency's question
refused by URL; a form without its CSRF token refused; a new question appearing in the
open queue without a reload. Screenshots of each page in kk and ru, the queue on a phone.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from aiohttp import web
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from sqlalchemy import select

from bot.app import App
from bot.channels.telegram.sender import TelegramSender
from bot.console.server import create_console
from bot.texts.i18n import gettext_for
from knowledge.clock import FixedClock
from knowledge.conversation import log_message
from knowledge.db.tables import EscalationRow
from tests.browser.conftest import ServeApp
from tests.browser.console import sign_in
from tests.browser.harness import (
    LAPTOP,
    click_and_wait,
    in_browser,
    resize,
    screenshot,
    wait_for,
    wait_for_text,
)
from tests.console.conftest import PASSWORD, denied, people  # noqa: F401 - the fixture
from tests.escalation_helpers import MARRIAGE, PASSPORT, deadlines, escalate
from tests.fakes.bot_api import FakeBotAPI

ANSWER_KK = "Жаңа төлқұжат алу үшін ХҚКО-ға жеке куәлігіңізбен барыңыз."


class Wake:
    """The console's call to the running bot's sender: counted; the test drives it."""

    def __init__(self) -> None:
        self.times = 0

    def __call__(self) -> None:
        self.times += 1


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI() as server:
        yield server


async def _console(app: App, serve_app: ServeApp, wake: Wake) -> str:
    web_app: web.Application = await create_console(app, wake_sender=wake)
    return await serve_app(web_app)


def _choose_language(driver: WebDriver, base: str, lang: str, path: str) -> None:
    driver.get(f"{base}/lang/{lang}?next={path}")


async def _citizen_said(app: App, chat: int, text: str) -> None:
    """The citizen's message in the conversation log, as the bot keeps it."""
    from knowledge.citizens import citizen_for  # noqa: PLC0415

    clock = FixedClock(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
    async with app.uow() as uow:
        citizen = await citizen_for(uow, "telegram", str(chat), clock)
        log_message(uow, citizen.id, direction="in", channel="telegram", lang="kk",
                    text=text, clock=clock)
        log_message(uow, citizen.id, direction="out", channel="telegram", lang="kk",
                    text="Сұрағыңыз маманға жіберілді. Нөмірі: …", clock=clock)
        await uow.commit()


async def test_an_agency_answers_in_kazakh_and_the_citizen_receives_it(
        browser: WebDriver, serve_app: ServeApp, people: App,  # noqa: F811
        fake: FakeBotAPI) -> None:
    question = "Паспортымды жоғалттым, не істеуім керек?"
    await _citizen_said(people, 501, question)
    passport = await escalate(people, question, register_no=PASSPORT, lang="kk", chat=501,
                              with_deadlines=deadlines())
    await escalate(people, "Паспортымды жоғалттым не істеуім керек", register_no=PASSPORT,
                   lang="kk", chat=502, with_deadlines=deadlines())
    marriage = await escalate(people, "Можно ли зарегистрировать брак за один день?",
                              register_no=MARRIAGE, chat=503, with_deadlines=deadlines())
    wake = Wake()
    base = await _console(people, serve_app, wake)
    bot = fake.make_bot()
    sender = TelegramSender(people, bot, people.clock, global_per_second=30)
    try:
        await in_browser(sign_in, browser, base, "kk", "Дана", "table.queue")
        for lang in ("kk", "ru"):
            await in_browser(_choose_language, browser, base, lang, "/queue")
            await in_browser(wait_for, browser, f"tr[data-reference='{passport}']")
            await in_browser(screenshot, browser, f"queue-{lang}")
            await in_browser(_choose_language, browser, base, lang, f"/queue/{passport}")
            await in_browser(wait_for, browser, "form#answer")
            await in_browser(screenshot, browser, f"queue-item-{lang}")
            await in_browser(_choose_language, browser, base, lang,
                             f"/conversations?q={passport}")
            await in_browser(wait_for, browser, "ol.chat")
            await in_browser(screenshot, browser, f"conversation-{lang}")
        # another agency's question, by URL: refused and audited
        await in_browser(browser.get, f"{base}/queue/{marriage}")
        body = await in_browser(lambda: browser.find_element(By.TAG_NAME, "body").text)
        assert gettext_for("ru").gettext("This is not yours to see.") in body, body
        # the answer in Kazakh, saved through the page
        await in_browser(_choose_language, browser, base, "kk", f"/queue/{passport}")
        await in_browser(lambda: browser.find_element(
            By.CSS_SELECTOR, "form#answer textarea[name=kk]").send_keys(ANSWER_KK))
        await in_browser(click_and_wait, browser, "form#answer button[type=submit]",
                         "p.done")
        assert wake.times == 1
        assert await sender.send_due() == 2  # the running bot's sender, woken: one round
        for chat in (501, 502):  # the group: both citizens told, in Kazakh
            [sent] = fake.sent_messages(chat)
            assert ANSWER_KK in str(sent.params["text"]), sent.params
    finally:
        await sender.close()
        await bot.session.close()
    assert await denied(people) == ["Дана"]


def _post_without_token(driver: WebDriver) -> str:
    driver.execute_script(
        "var form = document.querySelector('form#answer');"
        "form.querySelector('input[name=csrf_token]').remove();"
        "form.querySelector('textarea[name=ru]').value = 'Ответ без токена';"
        "form.submit();")
    wait_for(driver, "body")
    return str(driver.find_element(By.TAG_NAME, "body").text)


async def test_a_form_without_its_csrf_token_is_refused(
        browser: WebDriver, serve_app: ServeApp, people: App) -> None:  # noqa: F811
    passport = await escalate(people, "Паспорт жоғалды", register_no=PASSPORT, lang="kk",
                              chat=501, with_deadlines=deadlines())
    base = await _console(people, serve_app, Wake())
    await in_browser(sign_in, browser, base, "ru", "Дана", "table.queue")
    await in_browser(browser.get, f"{base}/queue/{passport}")
    await in_browser(wait_for, browser, "form#answer")
    body = await in_browser(_post_without_token, browser)
    # said in the reader's language, inside the layout (no English "CSRF")
    assert gettext_for("ru").gettext("The form was too old or came from elsewhere: reload "
                                     "the page and send it again.") in body
    assert "CSRF" not in body
    async with people.uow() as uow:
        status = await uow.session.scalar(
            select(EscalationRow.status).where(EscalationRow.reference == passport))
    assert status == "open"


async def test_a_new_question_appears_in_the_open_queue_without_a_reload(
        browser: WebDriver, serve_app: ServeApp, people: App) -> None:  # noqa: F811
    await escalate(people, "Паспорт жоғалды", register_no=PASSPORT, lang="kk", chat=501,
                   with_deadlines=deadlines())
    base = await _console(people, serve_app, Wake())
    await in_browser(sign_in, browser, base, "kk", "Айгүл", "table.queue")
    await in_browser(browser.execute_script, "window.notReloaded = true;")
    new = await escalate(people, "Неке қию үшін қандай құжаттар керек?",
                         register_no=MARRIAGE, lang="kk", chat=777,
                         with_deadlines=deadlines())
    await in_browser(wait_for_text, browser, "#queue-rows", new)
    assert await in_browser(browser.execute_script, "return window.notReloaded === true;")
    # the operator's page of the question, every form on it (a tall window)
    await in_browser(resize, browser, (1280, 2400))
    try:
        for lang in ("kk", "ru"):
            await in_browser(_choose_language, browser, base, lang, f"/queue/{new}")
            await in_browser(wait_for, browser, "form#oral")
            await in_browser(screenshot, browser, f"queue-item-operator-{lang}")
    finally:
        await in_browser(resize, browser, LAPTOP)


async def test_the_queue_on_a_phone(
        phone_browser: WebDriver, serve_app: ServeApp, people: App) -> None:  # noqa: F811
    for n, text in enumerate(("Паспорт жоғалды, не істеймін?",
                              "Как получить паспорт ребёнку?")):
        await escalate(people, text, register_no=PASSPORT, lang="kk", chat=600 + n,
                       with_deadlines=deadlines())
    base = await _console(people, serve_app, Wake())
    await in_browser(sign_in, phone_browser, base, "kk", "Дана", "table.queue")
    width = await in_browser(phone_browser.execute_script,
                             "return document.documentElement.scrollWidth")
    await in_browser(screenshot, phone_browser, "queue-phone")
    assert width <= 390  # nothing wider than the phone's screen
