"""Signing in, in a real Chromium: the page in the language chosen, a wrong password told in
that language (and the name kept), a one-time link signing its person in once; screenshots
of the sign-in page in kk and ru and on a phone."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from bot.app import App
from bot.console.server import create_console
from bot.texts.i18n import gettext_for
from knowledge.credentials import issue_signin_link
from knowledge.staff import SYSTEM
from tests.browser.conftest import ServeApp
from tests.browser.console import try_sign_in
from tests.browser.harness import PHONE, in_browser, resize, screenshot, wait_for
from tests.console.conftest import PASSWORD, people  # noqa: F401 - the fixture


async def test_a_wrong_password_is_told_in_the_chosen_language(
        people: App, serve_app: ServeApp, browser: WebDriver) -> None:  # noqa: F811
    base = await serve_app(await create_console(people))
    for lang in ("kk", "ru"):
        await in_browser(try_sign_in, browser, base, lang, "Айгүл", "not the password")
        alert = await in_browser(lambda: wait_for(browser, "p.error").text)
        expected = gettext_for(lang).gettext("The name or the password is wrong.")
        assert alert == expected
        kept = await in_browser(
            lambda: browser.find_element(By.NAME, "name").get_attribute("value"))
        assert kept == "Айгүл"
        await in_browser(screenshot, browser, f"signin-{lang}")
    await in_browser(resize, browser, PHONE)
    await in_browser(browser.get, f"{base}/signin")
    await in_browser(screenshot, browser, "signin-phone")


async def test_the_right_password_opens_the_queue(
        people: App, serve_app: ServeApp, browser: WebDriver) -> None:  # noqa: F811
    base = await serve_app(await create_console(people))
    await in_browser(try_sign_in, browser, base, "ru", "Дана", PASSWORD)
    await in_browser(wait_for, browser, "table.queue")
    assert "Дана" in await in_browser(lambda: browser.page_source)


async def test_a_signin_link_signs_in_once(
        people: App, serve_app: ServeApp, browser: WebDriver) -> None:  # noqa: F811
    async with people.uow() as uow:
        token = await issue_signin_link(uow, "Ержан", SYSTEM, people.clock)
        await uow.commit()
    base = await serve_app(await create_console(people))
    await in_browser(browser.get, f"{base}/signin/link/{token}")
    await in_browser(wait_for, browser, "form#choose-password")  # signed in: may choose one
    await in_browser(browser.get, f"{base}/queue")
    await in_browser(wait_for, browser, "table.queue")
    await in_browser(browser.delete_all_cookies)
    await in_browser(browser.get, f"{base}/signin/link/{token}")
    alert = await in_browser(lambda: wait_for(browser, "p.error").text)
    assert alert  # spent: told so, not signed in
    assert "Ержан" not in await in_browser(lambda: browser.page_source)
