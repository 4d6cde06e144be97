"""The browser harness itself, on a tiny aiohttp page: a form whose button leads to a page
the server renders, a button whose script changes the page, the phone size, screenshots."""

from __future__ import annotations

import html

import pytest
from aiohttp import web
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.selenium_manager import SeleniumManager
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser.conftest import ServeApp
from tests.browser.harness import (
    LAPTOP,
    PHONE,
    LoopBlockingCall,
    click_and_wait,
    in_browser,
    screenshot,
    viewport,
    wait_for,
    wait_for_text,
)

NAMES = web.AppKey("names", list[str])

PAGE = """<!doctype html>
<html lang="kk"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title></head>
<body><h1>{title}</h1>{body}</body></html>"""

FORM = """<form method="post" action="/greet">
<input name="name" id="name"><button type="submit" id="send">Жіберу</button></form>
<button type="button" id="local"
 onclick="document.getElementById('out').textContent = 'Өзгерді'">Өзгерту</button>
<p id="out">Бастапқы</p>"""


async def _form(_request: web.Request) -> web.Response:
    return web.Response(text=PAGE.format(title="Сынақ", body=FORM), content_type="text/html")


async def _greet(request: web.Request) -> web.Response:
    name = str((await request.post())["name"])
    request.app[NAMES].append(name)
    body = f'<p id="result">Сәлем, {html.escape(name)}!</p>'
    return web.Response(text=PAGE.format(title="Жауап", body=body), content_type="text/html")


LIVE = """<p id="count">…</p><script>
async function refresh() {
  const response = await fetch("/count");
  document.getElementById("count").textContent = await response.text();
  setTimeout(refresh, 100);
}
refresh();
</script>"""


async def _live(_request: web.Request) -> web.Response:
    return web.Response(text=PAGE.format(title="Тірі", body=LIVE), content_type="text/html")


async def _count(request: web.Request) -> web.Response:
    return web.Response(text=str(len(request.app[NAMES])))


def tiny_app() -> web.Application:
    application = web.Application()
    application[NAMES] = []
    application.router.add_get("/", _form)
    application.router.add_post("/greet", _greet)
    application.router.add_get("/live", _live)
    application.router.add_get("/count", _count)
    return application


def _fill_and_send(driver: WebDriver, base_url: str, name: str) -> str:
    driver.get(f"{base_url}/")
    driver.find_element(By.ID, "name").send_keys(name)
    return click_and_wait(driver, "#send", "#result").text


async def test_a_form_is_sent_and_the_servers_page_shown(
        browser: WebDriver, serve_app: ServeApp) -> None:
    application = tiny_app()
    base_url = await serve_app(application)

    shown = await in_browser(_fill_and_send, browser, base_url, "Әсел")

    assert shown == "Сәлем, Әсел!"
    assert application[NAMES] == ["Әсел"]  # the server had the post, in the test's loop
    assert await in_browser(lambda: browser.title) == "Жауап"
    path = await in_browser(screenshot, browser, "harness-form-laptop")
    assert path.read_bytes().startswith(b"\x89PNG")


async def test_a_script_changes_the_page(browser: WebDriver, serve_app: ServeApp) -> None:
    base_url = await serve_app(tiny_app())
    await in_browser(browser.get, f"{base_url}/")
    out = await in_browser(browser.find_element, By.ID, "out")
    assert await in_browser(lambda: out.text) == "Бастапқы"

    await in_browser(lambda: browser.find_element(By.ID, "local").click())

    assert await in_browser(lambda: out.text) == "Өзгерді"


async def test_a_page_refreshing_by_itself_sees_a_change_made_in_the_tests_loop(
        browser: WebDriver, serve_app: ServeApp) -> None:
    # how the console's live queue is tested: the page polls, the test changes the state
    application = tiny_app()
    base_url = await serve_app(application)
    await in_browser(browser.get, f"{base_url}/live")
    await in_browser(wait_for_text, browser, "#count", "0")

    application[NAMES].append("Нұрлан")

    await in_browser(wait_for_text, browser, "#count", "1")


async def test_the_phone_size(phone_browser: WebDriver, serve_app: ServeApp) -> None:
    base_url = await serve_app(tiny_app())
    await in_browser(phone_browser.get, f"{base_url}/")
    await in_browser(wait_for, phone_browser, "#name")

    assert await in_browser(viewport, phone_browser) == PHONE
    await in_browser(screenshot, phone_browser, "harness-form-phone")


def test_the_laptop_size_is_back_after_a_phone_test(browser: WebDriver) -> None:
    assert viewport(browser) == LAPTOP


async def test_a_selenium_call_on_the_loop_is_refused(browser: WebDriver) -> None:
    # it would block the server under test, which runs in this very loop
    with pytest.raises(LoopBlockingCall, match="in_browser"):
        browser.get("about:blank")


def test_selenium_manager_cannot_run(browser: WebDriver) -> None:
    # the browser started with explicit paths; a download would have to go through here
    with pytest.raises(WebDriverException, match="SE_MANAGER_PATH"):
        SeleniumManager().binary_paths(["--browser", "chrome"])
