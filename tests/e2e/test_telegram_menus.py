"""The command menus Telegram shows: set at start (the citizens' for everyone, the staff's
for each staff chat), given to a chat when an invite binds it, taken back when the person
is removed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiogram.types import BotCommandScopeChat, BotCommandScopeDefault

from bot.texts.menus import CITIZEN_COMMANDS, STAFF_COMMANDS
from knowledge.agencies import add_agency
from knowledge.staff import Role, add_staff
from tests.e2e.conftest import Cli, ok
from tests.e2e.telegram_fixtures import Harness, t

MakeHarness = Callable[..., Awaitable[Harness]]
OPERATOR_ID, AGENCY_ID, CITIZEN_ID = 820_001, 820_002, 820_003
EVERY_LANGUAGE = ("kk", "ru", None)  # None: an app in another language


async def menu_of(h: Harness, chat: int | None, lang: str | None) -> list[dict[str, Any]]:
    """The commands Telegram keeps for this scope and language (as the fake Bot API does)."""
    scope = BotCommandScopeDefault() if chat is None else BotCommandScopeChat(chat_id=chat)
    commands = await h.bot.get_my_commands(scope=scope, language_code=lang)
    return [{"command": c.command, "description": c.description} for c in commands]


def names(menu: list[dict[str, Any]]) -> list[str]:
    return [item["command"] for item in menu]


async def with_staff(h: Harness) -> str:
    """A bound operator, and an invite for a person of an agency; the invite's code."""
    async with h.app.uow() as uow:
        await add_agency(uow, "mep", name_kk="Экология министрлігі",
                         name_ru="Министерство экологии", kind="central")
        await add_staff(uow, "Оператор Айгүл", Role.OPERATOR, h.app.clock,
                        telegram_user_id=OPERATOR_ID)
        person = await add_staff(uow, "Ержан Сапаров", Role.AGENCY, h.app.clock,
                                 agency_code="mep", invite=True)
        await uow.commit()
    assert person.invite_code is not None
    return person.invite_code


async def test_at_start_everyone_gets_the_citizens_menu_and_staff_chats_the_staff_s(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness(receiver="polling")
    await with_staff(h)
    await h.start()
    await h.fake.wait_for("setMyCommands", 2 * len(EVERY_LANGUAGE))

    for lang in EVERY_LANGUAGE:
        assert names(await menu_of(h, None, lang)) == list(CITIZEN_COMMANDS)
        staff = names(await menu_of(h, OPERATOR_ID, lang))
        assert set(staff) == set(CITIZEN_COMMANDS) | set(STAFF_COMMANDS)
    # in the reader's language; another app language gets UCC_DEFAULT_LANG's (kk)
    for lang, menu_lang in (("kk", "kk"), ("ru", "ru"), (None, "kk")):
        [lang_command] = [item for item in await menu_of(h, None, lang)
                          if item["command"] == "lang"]
        assert lang_command["description"] == t(menu_lang, "Change the language")
    assert await menu_of(h, AGENCY_ID, "kk") == []  # invited, not bound yet


async def test_a_redeemed_invite_gives_its_chat_the_staff_menu_and_nobody_else(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness()
    invite = await with_staff(h)
    await h.start()

    await h.ask(AGENCY_ID, f"/start inv-{invite}", lang="kk")
    await h.ask(CITIZEN_ID, "/start", lang="ru", expect=2)

    for lang in EVERY_LANGUAGE:
        assert "queue" in names(await menu_of(h, AGENCY_ID, lang))
        assert await menu_of(h, CITIZEN_ID, lang) == []
    [queue] = [item for item in await menu_of(h, AGENCY_ID, "kk") if item["command"] == "queue"]
    assert queue["description"] == t("kk", "Questions waiting for an answer")


async def test_a_removed_person_s_chat_loses_the_staff_menu(
    make_harness: MakeHarness, tmp_path: Path,
) -> None:
    h = await make_harness()
    await with_staff(h)
    await h.start()
    assert h.runtime is not None
    await h.runtime.set_menus()  # what its start does
    assert "queue" in names(await menu_of(h, OPERATOR_ID, "ru"))

    database = Path(h.app.settings.database_url.removeprefix("sqlite+aiosqlite:///"))
    ok(Cli(cwd=tmp_path, database=database), "users", "remove", "Оператор Айгүл")
    await h.settled()

    for lang in EVERY_LANGUAGE:
        assert await menu_of(h, OPERATOR_ID, lang) == []  # the citizens' menu shows again
    assert names(await menu_of(h, None, "ru")) == list(CITIZEN_COMMANDS)
