"""Fixtures of the real-browser tests (see ``harness.py`` for the why of each choice).

- ``browser``: one headless Chromium per test process (per xdist worker), laptop-sized,
  quit when the session ends. Each test starts from a blank page with no cookies.
- ``phone_browser``: the same Chromium at a phone's size (390×844) for one test.
- ``serve_app``: ``base_url = await serve_app(web_app)`` serves an aiohttp application on
  127.0.0.1 at a free port in the test's own event loop, until the test ends.

The browser is blocking and the app runs in the test's loop: drive it with
``await in_browser(browser.get, url)`` and friends from ``harness``. Every test here is
marked ``browser``. Without Chromium the tests skip with the reason, and fail with
``UCC_REQUIRE_SERVICES=1`` (CI), as the PostgreSQL and Redis ones do.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from aiohttp import web
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser.harness import (
    LAPTOP,
    PHONE,
    chromium_missing,
    resize,
    start_chromium,
    window_size,
)
from tests.services import _missing

HERE = Path(__file__).resolve().parent

ServeApp = Callable[[web.Application], Awaitable[str]]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium() -> Iterator[WebDriver]:
    """The test process's one Chromium (started on first use, quit at the end)."""
    if (why := chromium_missing()) is not None:
        _missing("Chromium", why)
    driver = start_chromium(LAPTOP)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def browser(chromium: WebDriver) -> Iterator[WebDriver]:
    """The shared Chromium, laptop-sized, on a blank page with no cookies; left so after."""
    resize(chromium, LAPTOP)
    chromium.get("about:blank")
    chromium.delete_all_cookies()
    yield chromium
    chromium.get("about:blank")
    chromium.delete_all_cookies()


@pytest.fixture
def phone_browser(browser: WebDriver) -> Iterator[WebDriver]:
    """The shared Chromium at a phone's size for this test."""
    with window_size(browser, PHONE):
        yield browser


@pytest.fixture
async def serve_app() -> AsyncIterator[ServeApp]:
    """``await serve_app(web_app)`` → ``http://127.0.0.1:PORT``, served until the test ends."""
    runners: list[web.AppRunner] = []

    async def serve(application: web.Application) -> str:
        runner = web.AppRunner(application, access_log=None, handle_signals=False,
                               shutdown_timeout=1.0)
        await runner.setup()
        runners.append(runner)
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        return f"http://{host}:{port}"

    yield serve
    for runner in reversed(runners):
        await runner.cleanup()
