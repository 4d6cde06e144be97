"""The Telegram menus and the routers in step: every handled command is offered (or left out
on purpose), every offered command is handled, staff commands only to staff, in both
languages and within Telegram's limits."""

from __future__ import annotations

import re
from typing import Final

from aiogram.filters import Command

from bot.channels.telegram.dispatcher import create_routers
from bot.texts.menus import CITIZEN_COMMANDS, STAFF_COMMANDS, UNLISTED, menu
from handlers.staff import StaffOnly

COMMAND_NAME: Final = re.compile(r"[a-z0-9_]{1,32}")
DESCRIPTION_MAX: Final = 256


def handled_commands() -> dict[str, list[bool]]:
    """Each command a router handles, with whether each of its handlers is for staff only."""
    found: dict[str, list[bool]] = {}
    for router in create_routers():
        for handler in router.message.handlers:
            callbacks = [f.callback for f in handler.filters or []]
            staff_only = any(isinstance(c, StaffOnly) for c in callbacks)
            for command in (c for c in callbacks if isinstance(c, Command)):
                for name in command.commands:
                    assert isinstance(name, str), f"a command as a pattern: {name!r}"
                    found.setdefault(name, []).append(staff_only)
    return found


def test_every_command_a_router_handles_is_in_a_menu_or_left_out_on_purpose() -> None:
    offered = set(CITIZEN_COMMANDS) | set(STAFF_COMMANDS) | set(UNLISTED)
    assert sorted(set(handled_commands()) - offered) == []


def test_every_command_of_a_menu_has_a_handler() -> None:
    handled = handled_commands()
    assert sorted(set(CITIZEN_COMMANDS) - set(handled)) == []
    assert sorted(set(STAFF_COMMANDS) - set(handled)) == []


def test_citizens_are_offered_only_what_they_may_use_and_staff_what_is_theirs() -> None:
    handled = handled_commands()
    for_anyone = {name for name, guards in handled.items() if not all(guards)}
    for_staff = {name for name, guards in handled.items() if any(guards)}
    assert sorted(set(CITIZEN_COMMANDS) - for_anyone) == []
    assert sorted(set(STAFF_COMMANDS) - set(CITIZEN_COMMANDS) - for_staff) == []


def test_staff_keep_the_citizens_commands_after_their_own() -> None:
    names = [item["command"] for item in menu("ru", staff=True)]
    assert names[:len(CITIZEN_COMMANDS)] == list(CITIZEN_COMMANDS)
    assert set(names) == set(CITIZEN_COMMANDS) | set(STAFF_COMMANDS)
    assert len(names) == len(set(names))


def test_both_menus_are_translated_and_within_telegram_s_limits() -> None:
    for staff in (False, True):
        kk, ru = menu("kk", staff=staff), menu("ru", staff=staff)
        source = dict(CITIZEN_COMMANDS) | (dict(STAFF_COMMANDS) if staff else {})
        for item_kk, item_ru in zip(kk, ru, strict=True):
            name = item_kk["command"]
            assert COMMAND_NAME.fullmatch(name), name
            for item in (item_kk, item_ru):
                assert 0 < len(item["description"]) <= DESCRIPTION_MAX, item
                assert item["description"] != source[name], f"untranslated: {item}"
            assert item_kk["description"] != item_ru["description"], name
