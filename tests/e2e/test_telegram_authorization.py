"""The authorization matrix through Telegram: the staff commands of the escalation loop
and of complaints, sent by an operator, by the agency concerned, by another agency and by
a citizen. What a role may do works; what it may not is refused (staff) or gets the
unknown-command reply (a citizen, whose command is never passed on as a question); a
refused attempt changes nothing, and each one is logged."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from knowledge.escalations import escalation, list_escalations
from knowledge.staff import SYSTEM, Actor, Role
from tests.e2e.telegram_fixtures import Harness, t
from tests.e2e.test_telegram_escalations import (
    CITIZEN,
    MJU,
    MVD,
    OPERATOR,
    QUESTION,
    escalate,
    setup,
    text_of,
)
from tests.fakes.bot_api import Call

MakeHarness = Callable[..., Awaitable[Harness]]
OUTSIDER = 830_999  # a citizen who tries the staff's commands
REFUSED = "This is not yours to do."
UNKNOWN = "I do not know this command. Write your question in words, or see /help."

# command: who may (besides them: refused for staff, unknown for a citizen). The first
# group only reads; the second would change the question, so only refusals are tried
# before the agency concerned answers at the end.
READING = {
    "/esc {ref}": {OPERATOR, MVD},
    "/queue mvd": {OPERATOR, MVD},
    "/export mvd": {OPERATOR, MVD},
    "/triage": {OPERATOR},
    "/curation": {OPERATOR},
    "/proposals": {OPERATOR},
    "/complaints mvd": {OPERATOR, MVD},
    "/cexport mvd": {OPERATOR, MVD},
}
CHANGING = {
    "/answer {ref} Да.": {OPERATOR, MVD},
    "/refuse {ref} нет": {OPERATOR, MVD},
    "/oral {ref} Ахметова; 2026-12-01; да": {OPERATOR},
    "/close {ref} Не к нам.": {OPERATOR},
    "/assign {ref} mju": {OPERATOR},
    "/frombase {ref} mvd.id-card.fee": {OPERATOR},
}
PEOPLE = (OPERATOR, MVD, MJU, OUTSIDER)


def documents(h: Harness, chat: int) -> list[Call]:
    return [c for c in h.fake.calls_of("sendDocument") if c.params.get("chat_id") == chat]


async def send(h: Harness, chat: int, command: str) -> list[Call]:
    """The messages and documents the command got, once everything settled."""
    messages, files = len(h.replies(chat)), len(documents(h, chat))
    await h.say(chat, command)
    await h.wait(lambda: len(h.replies(chat)) + len(documents(h, chat)) > messages + files,
                 f"a reply to {command}")
    await h.settled()
    return h.replies(chat)[messages:] + documents(h, chat)[files:]


def refusals_logged(records: list[logging.LogRecord]) -> int:
    return sum("access refused" in r.getMessage() for r in records)


async def test_every_role_against_every_staff_command(
    make_harness: MakeHarness, records: list[logging.LogRecord],
) -> None:
    h = await make_harness()
    await setup(h)
    ref = await escalate(h, CITIZEN, QUESTION, "ru")
    matrix = {**READING, **CHANGING}
    for command, may in matrix.items():
        for who in PEOPLE:
            if command in CHANGING and who in may:
                continue  # tried at the end, once
            logged = refusals_logged(records)
            replies = [text_of(c) for c in await send(h, who, command.format(ref=ref))]
            where = f"{command} by {who}: {replies}"
            if who in may:
                assert replies and t("ru", REFUSED) not in replies, where
                assert t("ru", UNKNOWN) not in replies, where
            elif who == OUTSIDER:
                assert replies == [t("ru", UNKNOWN)], where
            else:
                assert replies == [t("ru", REFUSED)], where
                assert refusals_logged(records) == logged + 1, where
    # nothing a refused command would have changed has changed
    async with h.app.uow() as uow:
        item = await escalation(uow, ref, Actor("admin", Role.ADMIN))
    assert (item.status, item.agency_code) == ("open", "mvd")
    # a citizen's commands were not passed to anyone as questions
    async with h.app.uow() as uow:
        assert [e.reference for e in await list_escalations(uow, SYSTEM)] == [ref]
    # and what the agency concerned may do, it does
    waiting = len(h.replies(CITIZEN))
    [done] = await send(h, MVD, f"/answer {ref} В субботу ЦОНы выдают удостоверения.")
    assert ref in text_of(done)
    await h.wait_replies(CITIZEN, waiting + 1)
    assert "В субботу ЦОНы выдают удостоверения." in text_of(h.replies(CITIZEN)[-1])
