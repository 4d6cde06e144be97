"""A real headless Chromium for the console's end-to-end tests: Debian's ``chromium`` driven
by Selenium through Debian's ``chromedriver`` (both installed by ``scripts/browser-setup``).

Nothing is downloaded at run time: both paths are given explicitly, so Selenium Manager
(which would fetch a browser and a driver) is never asked, and ``SE_MANAGER_PATH`` points
nowhere, so an accidental call fails instead of reaching the network.

**One event loop.** The application under test (the console, the fake Bot API, the
database) runs in the test's own event loop — pytest-asyncio's auto mode — exactly as in
the other end-to-end tests, so it shares engines and fakes with the test. Selenium is
blocking: a call made on the loop's thread would stall the very server it talks to. So
every browser call goes through :func:`in_browser` (``asyncio.to_thread``), and the driver
refuses calls made on a thread that runs an event loop, with a message saying so::

    async def test_x(browser, serve_app):
        base = await serve_app(make_console(...))
        await in_browser(browser.get, f"{base}/queue")
        await in_browser(click_and_wait, browser, "button[type=submit]", "#result")
        await in_browser(wait_for_text, browser, "#queue", "…")  # a page refreshing by itself
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final, ParamSpec, TypeVar

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM: Final = Path("/usr/bin/chromium")
CHROMEDRIVER: Final = Path("/usr/bin/chromedriver")
LAPTOP: Final = (1280, 900)
PHONE: Final = (390, 844)
#: How long a wait for the page to change gives up after (seconds); a guard, not a pace.
WAIT_S: Final = 10.0
ROOT: Final = Path(__file__).resolve().parents[2]
SCREENSHOTS: Final = ROOT / "screenshots"

P = ParamSpec("P")
T = TypeVar("T")


def chromium_missing() -> str | None:
    """Why the browser cannot run here, or ``None`` when Chromium and its driver are there."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    if not missing:
        return None
    return (f"{' and '.join(missing)} missing (scripts/browser-setup installs Debian's "
            "chromium and chromium-driver)")


class LoopBlockingCall(RuntimeError):
    """A Selenium call made on the event loop's thread (it would block the app under test)."""


class GuardedChrome(webdriver.Chrome):
    """Chrome whose every command refuses to run on a thread with a running event loop."""

    def execute(self, driver_command: str, params: dict[str, Any] | None = None) -> Any:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return super().execute(driver_command, params)
        raise LoopBlockingCall(
            f"Selenium's {driver_command!r} called on the event loop's thread: it would block "
            "the server under test; call it through `await in_browser(...)`")


def start_chromium(size: tuple[int, int] = LAPTOP) -> GuardedChrome:
    """A new headless Chromium of ``size`` (width, height in CSS pixels)."""
    # Selenium Manager is never needed (both paths below are explicit); make sure it cannot
    # run, and that nothing would report usage if it did
    os.environ["SE_MANAGER_PATH"] = "/nonexistent/selenium-manager"
    os.environ["SE_AVOID_STATS"] = "true"
    os.environ["SE_OFFLINE"] = "true"
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        f"--window-size={size[0]},{size[1]}", "--lang=kk", "--no-first-run",
        "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--metrics-recording-only",
        "--password-store=basic",
    ):
        options.add_argument(argument)
    driver = GuardedChrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(WAIT_S * 3)
    return driver


async def in_browser(call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a blocking Selenium call off the event loop (the app keeps serving meanwhile)."""
    return await asyncio.to_thread(functools.partial(call, *args, **kwargs))


def viewport(driver: WebDriver) -> tuple[int, int]:
    """The page's inner width and height in CSS pixels."""
    width, height = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    return int(width), int(height)


def resize(driver: WebDriver, size: tuple[int, int]) -> None:
    """Make the viewport ``size`` (headless Chromium: the window is the viewport)."""
    driver.set_window_size(*size)
    width, height = viewport(driver)
    # some builds still count a frame: correct by the difference once
    if (width, height) != size:
        driver.set_window_size(2 * size[0] - width, 2 * size[1] - height)


@contextlib.contextmanager
def window_size(driver: WebDriver, size: tuple[int, int]) -> Iterator[WebDriver]:
    """The driver at ``size`` inside the block, at the laptop size again after it."""
    resize(driver, size)
    try:
        yield driver
    finally:
        resize(driver, LAPTOP)


def wait_for(driver: WebDriver, css: str, timeout: float = WAIT_S) -> WebElement:
    """The first element matching ``css`` once it is on the page (a new page, a JS update)."""
    element: WebElement = WebDriverWait(driver, timeout).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css)))
    return element


def wait_for_text(driver: WebDriver, css: str, text: str, timeout: float = WAIT_S) -> None:
    """Wait until the element at ``css`` shows ``text`` (a page refreshing by itself)."""
    WebDriverWait(driver, timeout).until(
        expected_conditions.text_to_be_present_in_element((By.CSS_SELECTOR, css), text))


def click_and_wait(driver: WebDriver, click_css: str, result_css: str,
                   timeout: float = WAIT_S) -> WebElement:
    """Click the element at ``click_css`` and wait for ``result_css`` to appear on the page
    the click leads to (a submitted form's answer, or the same page changed by script)."""
    driver.find_element(By.CSS_SELECTOR, click_css).click()
    return wait_for(driver, result_css, timeout)


_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def screenshot(driver: WebDriver, name: str) -> Path:
    """Save the page as ``screenshots/<name>.png`` at the repository root; its path."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{_NAME.sub('-', name).strip('-')}.png"
    if not driver.save_screenshot(str(path)):
        raise OSError(f"Chromium did not save the screenshot {path}")
    return path
