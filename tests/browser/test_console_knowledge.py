"""The knowledge and curation pages in a real Chromium, on the shipped demo pack: an
operator searches, tries a question as a citizen and proposes an edited answer (the diff
shown); another operator approves it on the curation page; then ``ucc ask`` gives the new
answer. Every page is photographed in Kazakh and Russian (screenshots/knowledge-*.png,
curation-*.png)."""

from __future__ import annotations

import json
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from bot.app import App
from bot.console.server import create_console
from knowledge import curation, escalations
from knowledge.credentials import set_password
from knowledge.pack.io import import_pack
from knowledge.staff import SYSTEM, Actor, Role, add_staff
from tests.browser.conftest import ServeApp
from tests.browser.harness import (
    PHONE,
    click_and_wait,
    in_browser,
    screenshot,
    viewport,
    wait_for,
    window_size,
)
from tests.e2e.conftest import run_in_process
from tests.escalation_helpers import escalate

DEMO = Path(__file__).resolve().parents[2] / "knowledge" / "demo" / "demo-pack.json"
PASSWORD = "correct horse battery"
SERVICE = "00301002"  # the passport
ENTRY = "mvd.passport.fee"
QUESTION = "Паспорт қанша тұрады?"
NEW_ANSWER = ("Паспорт үшін мемлекеттік баж 5 АЕК құрайды. Балаларға жеңілдік бар. "
              "Бажды eGov немесе банк арқылы төлеуге болады.")
NEW_ANSWER_RU = ("Госпошлина за паспорт — 5 МРП. Для детей есть льготы. Оплатить можно "
                 "в eGov или в банке.")
UNANSWERED = ("Где купить билет на поезд до Алматы?", "Где купить билет на поезд до Алматы?",
              "Алматыға пойызға билетті қайдан аламын?", "Как вырастить помидоры на балконе?")


async def _demo_base(app: App) -> None:
    async with app.uow() as uow:
        await import_pack(uow, json.loads(DEMO.read_text(encoding="utf-8")), draft=False,
                          commit=False)
        for name in ("Айгүл", "Бауыржан"):
            await add_staff(uow, name, Role.OPERATOR, app.clock)
            await set_password(uow, name, PASSWORD, SYSTEM)
        await uow.commit()


def _ucc(app: App, tmp_path: Path, *argv: str) -> str:
    """``ucc argv`` in this process, on the test's base; its output."""
    done = run_in_process(list(argv), stdin=None, cwd=tmp_path,
                          env={"UCC_DATABASE_URL": app.settings.database_url})
    assert done.returncode == 0, done.stderr
    return done.stdout


async def _curation_material(app: App, tmp_path: Path) -> None:
    """What the curation page lists: questions citizens asked that the bot could not answer
    (asked through ``ucc ask``, as on any channel), an agency's answer to curate, and an
    edit waiting for review."""
    for question in UNANSWERED:
        _ucc(app, tmp_path, "ask", question)
    reference = await escalate(app, "Паспорт жоғалса, жаңасын қанша күнде алуға болады?",
                               register_no=SERVICE, lang="kk", chat=777)
    async with app.uow() as uow:
        await escalations.answer(uow, reference, actor=SYSTEM, clock=app.clock,
                                 text_kk="Жоғалған паспорттың орнына жаңасы 15 жұмыс "
                                         "күнінде дайындалады.")
        await curation.propose_edit(
            uow, "mvd.passport.term", actor=Actor("Бауыржан", Role.OPERATOR),
            clock=app.clock,
            questions={"kk": ["Паспорт қанша уақытта жасалады?"],
                       "ru": ["Сколько дней делается паспорт?"]},
            answer_kk="Паспорт 15 жұмыс күні ішінде жасалады.",
            answer_ru="Паспорт делается за 15 рабочих дней.")
        await uow.commit()


def _sign_in(driver: WebDriver, base: str, name: str) -> None:
    driver.get(f"{base}/signin")
    driver.find_element(By.NAME, "name").send_keys(name)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form[action='/signin'] button[type=submit]").click()
    wait_for(driver, "button.link")  # signed in: the sign-out button


def _sign_out(driver: WebDriver) -> None:
    click_and_wait(driver, "form[action='/signout'] button", "input[name=password]")


def _propose(driver: WebDriver, base: str) -> str:
    driver.get(f"{base}/knowledge/services/{SERVICE}/entries/{ENTRY}/edit")
    for field, text in (("answer_kk", NEW_ANSWER), ("answer_ru", NEW_ANSWER_RU)):
        answer = driver.find_element(By.NAME, field)
        answer.clear()
        answer.send_keys(text)
    click_and_wait(driver, "#propose", ".diff ins")
    return str(driver.current_url).split("?")[0]


def _ask_as_citizen(driver: WebDriver, base: str, question: str, lang: str) -> None:
    driver.get(f"{base}/knowledge")
    driver.find_element(By.ID, "kb-ask").send_keys(question)
    driver.find_element(By.CSS_SELECTOR, f"input[name=lang_as][value={lang}]").click()
    click_and_wait(driver, "#kb-ask-go", "#trial-decision")


def _photograph(driver: WebDriver, base: str, lang: str, proposal: str) -> None:
    """Each page of the knowledge and curation menus in ``lang``."""
    driver.get(f"{base}/lang/{lang}?next=/knowledge")
    driver.get(f"{base}/knowledge?q=" + ("паспорт қанша" if lang == "kk"
                                         else "сколько стоит паспорт"))
    wait_for(driver, "#results table.scores")
    screenshot(driver, f"knowledge-search-{lang}")
    driver.get(f"{base}/knowledge/services/{SERVICE}")
    wait_for(driver, f"article[id='{ENTRY}']")
    screenshot(driver, f"knowledge-service-{lang}")
    _ask_as_citizen(driver, base, QUESTION if lang == "kk" else "Сколько стоит загранпаспорт?",
                    lang)
    screenshot(driver, f"knowledge-ask-{lang}")
    driver.get(f"{base}/knowledge/services/{SERVICE}/entries/{ENTRY}/edit")
    wait_for(driver, "#propose")
    screenshot(driver, f"knowledge-edit-{lang}")
    driver.get(proposal)
    wait_for(driver, ".diff del")
    screenshot(driver, f"curation-proposal-{lang}")
    driver.get(f"{base}/curation")
    wait_for(driver, "#unanswered .gap")
    screenshot(driver, f"curation-{lang}")
    click_and_wait(driver, "#unanswered a.button", "#new-entry")
    screenshot(driver, f"curation-propose-{lang}")
    with window_size(driver, PHONE):  # a phone: nothing wider than the screen
        _ask_as_citizen(driver, base, QUESTION, lang)
        width = driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= viewport(driver)[0], f"the page is {width}px wide on a phone"
        screenshot(driver, f"knowledge-ask-phone-{lang}")


async def test_an_edited_answer_proposed_approved_and_given_by_ucc_ask(
        browser: WebDriver, serve_app: ServeApp, app: App, tmp_path: Path) -> None:
    await _demo_base(app)
    base = await serve_app(await create_console(app))
    await in_browser(browser.get, f"{base}/lang/kk?next=/signin")
    await in_browser(_sign_in, browser, base, "Айгүл")
    proposal = await in_browser(_propose, browser, base)
    removed = await in_browser(lambda: [e.text for e in browser.find_elements(
        By.CSS_SELECTOR, ".diff del")])
    added = await in_browser(lambda: [e.text for e in browser.find_elements(
        By.CSS_SELECTOR, ".diff ins")])
    assert "4" in removed and "5" in added  # the old fee struck out, the new one marked
    assert not await in_browser(browser.find_elements, By.ID, "approve")  # not its author
    before = _ucc(app, tmp_path, "ask", QUESTION, "--lang", "kk")
    assert "4 АЕК" in before and NEW_ANSWER not in before  # not live yet
    await in_browser(_sign_out, browser)
    await in_browser(_sign_in, browser, base, "Бауыржан")
    await in_browser(browser.get, f"{base}/curation")
    await in_browser(click_and_wait, browser, f"a[href='{proposal[len(base):]}']", "#approve")
    await in_browser(click_and_wait, browser, "#approve", ".done")
    status = await in_browser(lambda: browser.find_element(By.ID, "proposal-status").text)
    assert "Бауыржан" in status
    assert NEW_ANSWER in _ucc(app, tmp_path, "ask", QUESTION, "--lang", "kk")
    assert NEW_ANSWER_RU in _ucc(app, tmp_path, "ask", "Сколько стоит загранпаспорт?",
                                 "--lang", "ru")
    await _curation_material(app, tmp_path)
    for lang in ("kk", "ru"):
        await in_browser(_photograph, browser, base, lang, proposal)
