"""The error page, the audit log and the people page in a real Chromium, in Kazakh and in
Russian (screenshots ``error-kk.png``, ``audit-ru.png``, ``people-kk.png``…); a refusal
waiting for review appears on the open refusals page without a reload."""

from __future__ import annotations

from datetime import date

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from bot.app import App
from bot.console.server import create_console
from bot.texts.i18n import gettext_for
from knowledge import audit
from tests.browser.conftest import ServeApp
from tests.browser.console import sign_in, whole_page
from tests.browser.harness import in_browser, wait_for, wait_for_text
from tests.console.boards_data import refusal
from tests.console.conftest import PASSWORD, people  # noqa: F401 - the fixture
from tests.escalation_helpers import MARRIAGE, PASSPORT


def _click(driver: WebDriver, css: str) -> None:
    driver.find_elements(By.CSS_SELECTOR, css)[-1].click()


def _main(driver: WebDriver) -> str:
    return driver.find_element(By.TAG_NAME, "main").text


async def _log(app: App) -> None:
    async with app.uow() as uow:
        for who, action, outcome, subject, detail in (
                ("Дана", "sign-in", audit.SIGNED_IN, "ip:127.0.0.1", None),
                ("Ержан", "sign-in", audit.FAILED, "ip:10.0.0.7", None),
                ("Дана", "onboarding case", audit.DENIED, "/onboarding/00501001",
                 "Дана: this belongs to another agency")):
            audit.record(uow, app.clock, who=who, action=action, outcome=outcome,
                         subject=subject, detail=detail)
        await uow.commit()


async def test_the_error_audit_and_people_pages_in_kazakh_and_russian(
        browser: WebDriver, serve_app: ServeApp, people: App) -> None:  # noqa: F811
    await _log(people)
    base = await serve_app(await create_console(people))
    for lang in ("kk", "ru"):
        _ = gettext_for(lang).gettext
        await in_browser(sign_in, browser, base, lang, "Дана")
        await in_browser(browser.get, f"{base}/audit")
        text = await in_browser(_main, browser)
        assert _("Only an administrator may open this page.") in text
        assert _("Back to the list") in text
        await in_browser(whole_page, browser, f"error-{lang}")
        await in_browser(browser.get, f"{base}/queue/Q-404404")
        assert _("No such question.") in await in_browser(_main, browser)
        await in_browser(whole_page, browser, f"error-404-{lang}")

        await in_browser(sign_in, browser, base, lang, "Админ")
        await in_browser(browser.get, f"{base}/audit")
        await in_browser(wait_for, browser, "tr[data-audit]")
        text = await in_browser(_main, browser)
        assert _("Failed sign-in") in text and _("Refused") in text
        await in_browser(whole_page, browser, f"audit-{lang}")
        await in_browser(browser.get, f"{base}/people")
        await in_browser(wait_for, browser, "tr[data-person]")
        await in_browser(_click, browser, "tr[data-person] form[action$='/signin-link'] button")
        await in_browser(wait_for, browser, "input.link-once")
        text = await in_browser(_main, browser)
        assert "МВД" in text or "ІІМ" in text  # the agency by name, not its code
        await in_browser(whole_page, browser, f"people-{lang}")


async def test_a_new_refusal_appears_on_the_open_refusals_page(
        browser: WebDriver, serve_app: ServeApp, people: App) -> None:  # noqa: F811
    await refusal(people, PASSPORT, date(2026, 12, 1), 901)
    base = await serve_app(await create_console(people))
    await in_browser(sign_in, browser, base, "ru", "Айгүл")
    await in_browser(browser.get, f"{base}/refusals")
    await in_browser(wait_for, browser, "tr[data-refusal]")
    later = await refusal(people, MARRIAGE, date(2026, 12, 1), 902)
    await in_browser(wait_for, browser, f"tr[data-refusal='{later}']")
    await in_browser(wait_for_text, browser, "table[data-live]", "№ " + str(later))
