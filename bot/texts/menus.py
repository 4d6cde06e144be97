"""Telegram's command menus (the "/" button): the citizens' for everyone, the staff's for
the chats of staff only, each in Kazakh and Russian.

Every command a router handles is in a menu or in ``UNLISTED`` with why; every command of a
menu has a handler (tests/unit/test_command_menus.py holds this).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from bot.texts.i18n import gettext_for, marked

_ = marked  # translated when the menu is set

MENU_LANGS: Final = ("kk", "ru")

CITIZEN_COMMANDS: Final[Mapping[str, str]] = {
    "start": _("Main menu"),
    "lang": _("Change the language"),
    "help": _("How to ask a question"),
    "services": _("Public services by state body"),
    "complaint": _("Complain about a public service"),
}
# Shown to staff after the citizens' commands (which they keep); a name in both menus is
# described as staff use it.
STAFF_COMMANDS: Final[Mapping[str, str]] = {
    "queue": _("Questions waiting for an answer"),
    "triage": _("Questions without a state body (contact center)"),
    "esc": _("A question's card: /esc number"),
    "answer": _("Answer a question: /answer number text"),
    "refuse": _("Decline a question: /refuse number reason"),
    "assign": _("Send a question to a state body: /assign number code"),
    "frombase": _("Answer from the knowledge base: /frombase number entry"),
    "close": _("Close a question with a reply: /close number text"),
    "oral": _("Record oral help: /oral number who; date; what"),
    "export": _("Questions as a CSV file"),
    "complaints": _("Open complaints"),
    "complaint": _("A complaint's card: /complaint number"),
    "cresp": _("Respond to a complaint: /cresp number text"),
    "cext": _("Extend a complaint's term: /cext number days reason"),
    "cassign": _("Send a complaint to a state body: /cassign number code"),
    "cexport": _("Complaints as a CSV file"),
    "onboarding": _("Onboarding cases and their deadlines"),
    "case": _("An onboarding case: /case number"),
    "appoint": _("Appoint the responsible person: /appoint number; full name; position; "
                 "phone; e-mail"),
    "question": _("A question on the draft protocol: /question number text"),
    "sign": _("Sign the protocol: /sign number"),
    "accept": _("Accept the submitted information: /accept number"),
    "update": _("Open an update of a service's information: /update number date"),
    "refusals": _("Refusals waiting for confirmation"),
    "curation": _("Answers of state bodies to curate"),
    "propose": _("Propose a knowledge base entry: /propose number"),
    "variant": _("Add a wording to an entry: /variant entry number"),
    "proposals": _("Proposals waiting for approval"),
    "dismiss": _("Take an answer off the curation list: /dismiss number"),
}
# Handled, but in no menu.
UNLISTED: Final[Mapping[str, str]] = {}


def menu(lang: str, *, staff: bool = False) -> list[dict[str, str]]:
    """The menu in ``lang`` as ``setMyCommands`` takes it."""
    tr = gettext_for(lang).gettext
    commands = dict(CITIZEN_COMMANDS) | (dict(STAFF_COMMANDS) if staff else {})
    return [{"command": name, "description": tr(text)} for name, text in commands.items()]
