"""The People page in a real Chromium: an administrator adds a person by the form (in
Russian), gets the two one-use links, and the person opens the sign-in link, chooses a
password and signs in with it (screenshots ``people-added-ru.png``, ``password-ru.png``)."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select

from bot.app import App
from bot.console.server import create_console
from bot.texts.i18n import gettext_for
from tests.browser.conftest import ServeApp
from tests.browser.console import sign_in, try_sign_in, whole_page
from tests.browser.harness import in_browser, wait_for
from tests.console.conftest import people  # noqa: F401 - the fixture

CHOSEN = "a river in spring"


def _add(driver: WebDriver) -> None:
    driver.find_element(By.CSS_SELECTOR, "details.add-person summary").click()
    form = driver.find_element(By.CSS_SELECTOR, "details.add-person form")
    form.find_element(By.NAME, "name").send_keys("Марат")
    Select(form.find_element(By.NAME, "role")).select_by_value("agency")
    Select(form.find_element(By.NAME, "agency")).select_by_value("mvd")
    form.find_element(By.NAME, "full_name").send_keys("Марат Сейітов")
    form.find_element(By.NAME, "position").send_keys("главный специалист")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def _choose(driver: WebDriver) -> None:
    form = driver.find_element(By.ID, "choose-password")
    form.find_element(By.NAME, "password").send_keys(CHOSEN)
    form.find_element(By.NAME, "again").send_keys(CHOSEN)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


async def test_an_added_person_signs_in_by_the_link_and_chooses_a_password(
        browser: WebDriver, serve_app: ServeApp, people: App) -> None:  # noqa: F811
    _ = gettext_for("ru").gettext
    base = await serve_app(await create_console(people))
    await in_browser(sign_in, browser, base, "ru", "Админ")
    await in_browser(browser.get, f"{base}/people")
    await in_browser(_add, browser)
    signin = await in_browser(lambda: wait_for(browser, "input.link-once.signin")
                              .get_attribute("value"))
    invitation = await in_browser(lambda: browser.find_element(
        By.CSS_SELECTOR, "input.link-once.invitation").get_attribute("value"))
    assert signin and "/signin/link/" in signin and invitation and "start=inv-" in invitation
    assert "Марат Сейітов, главный специалист" in await in_browser(
        lambda: browser.find_element(By.TAG_NAME, "main").text)
    await in_browser(whole_page, browser, "people-added-ru")

    await in_browser(browser.delete_all_cookies)  # the person, in their own browser
    await in_browser(browser.get, f"{base}/lang/ru?next=/signin")
    # the link names the configured address (UCC_CONSOLE_BASE_URL): here, the test's server
    await in_browser(browser.get, base + signin[signin.index("/signin/link/"):])
    await in_browser(wait_for, browser, "form#choose-password")
    await in_browser(whole_page, browser, "password-ru")
    await in_browser(_choose, browser)
    done = await in_browser(lambda: wait_for(browser, "p.done").text)
    assert done == _("Your password is set. Sign in with your name and this password "
                     "from now on.")
    await in_browser(try_sign_in, browser, base, "ru", "Марат", CHOSEN)
    await in_browser(wait_for, browser, "table.queue")
