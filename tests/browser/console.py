"""The console's browser tests' common steps: signing in (in a chosen language) and a
screenshot of a whole page. Every call goes through ``in_browser`` like any Selenium call."""

from __future__ import annotations

from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser.harness import LAPTOP, resize, screenshot, wait_for
from tests.console.conftest import PASSWORD

SIGNED_IN = "form[action='/signout']"  # the sign-out button: every signed-in page has it


def try_sign_in(driver: WebDriver, base: str, lang: str, name: str,
                password: str = PASSWORD) -> None:
    """A fresh browser (no cookies) chooses ``lang`` and sends the sign-in form."""
    driver.delete_all_cookies()
    driver.get(f"{base}/lang/{lang}?next=/signin")
    driver.find_element(By.NAME, "name").send_keys(name)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form[action='/signin'] button").click()


def sign_in(driver: WebDriver, base: str, lang: str, name: str,
            until: str = SIGNED_IN) -> None:
    """Signed in as ``name`` (the people fixture's password) reading ``lang``, once the
    page shows ``until``."""
    try_sign_in(driver, base, lang, name)
    wait_for(driver, until)


def whole_page(driver: WebDriver, name: str, width: int = LAPTOP[0]) -> Path:
    """A screenshot of the whole page (its full height) at ``width``."""
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    resize(driver, (width, max(height, 600)))
    try:
        return screenshot(driver, name)
    finally:
        resize(driver, LAPTOP)
