"""A person removed by ``ucc users remove`` loses their role on their very next update: a
staff command gets a citizen's answer, the buttons under the bot's earlier messages do
nothing and say so, and an invitation not yet redeemed stops working."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from knowledge.escalations import escalation
from knowledge.staff import Role, add_staff
from tests.e2e.conftest import describe, run_in_process
from tests.e2e.telegram_fixtures import Harness, button, callback_datas, t
from tests.e2e.test_telegram_authorization import UNKNOWN
from tests.e2e.test_telegram_escalations import (
    ADMIN,
    CITIZEN,
    CLOCK,
    MVD,
    QUESTION,
    escalate,
    setup,
    text_of,
)
from tests.fakes.bot_api import callback_update

MakeHarness = Callable[..., Awaitable[Harness]]
MVD_NAME = "Дана (ІІМ)"  # MVD's Telegram account, bound by setup()
INVITED = 830_201
NOT_STAFF_BUTTON = "This button is for the contact center's staff and agencies."


def remove(h: Harness, name: str, cwd: Path) -> str:
    """``ucc users remove NAME`` on the bot's base, in this process: what it printed."""
    result = run_in_process(["users", "remove", name], stdin=None, cwd=cwd,
                            env={"UCC_DATABASE_URL": h.app.settings.database_url})
    assert result.returncode == 0, describe(result)
    return result.stdout


async def press_old(h: Harness, chat: int, data: str, message_id: int) -> str:
    """Press a button under an earlier message; what the press was answered."""
    update = callback_update(chat, data, message_id=message_id, language_code="ru")
    callback_id = update["callback_query"]["id"]
    await h.deliver(update)
    await h.wait(lambda: bool(h.callback_answers(callback_id)), f"an answer to {data}")
    [answered] = h.callback_answers(callback_id)
    return str(answered.params.get("text") or "")


async def test_a_removed_agency_member_gets_a_citizens_answer_and_dead_buttons_at_once(
    make_harness: MakeHarness, tmp_path: Path,
) -> None:
    h = await make_harness()
    await setup(h)
    reference = await escalate(h, CITIZEN, QUESTION, "ru")
    [queue] = await h.ask(MVD, "/queue")
    assert reference in text_of(queue)
    [card] = await h.press(MVD, button(queue, prefix=f"es:show:{reference}"), queue, expect=1)
    old_buttons = callback_datas(card)
    assert f"es:take:{reference}:" in old_buttons and len(old_buttons) > 1
    async with h.app.uow() as uow:
        before = await escalation(uow, reference, ADMIN)

    printed = remove(h, MVD_NAME, tmp_path)
    assert f"{MVD_NAME} removed" in printed, printed

    # the very next update: the staff command is a citizen's unknown command
    [after] = await h.ask(MVD, "/queue")
    assert text_of(after) == t("ru", UNKNOWN)
    # every button under the card is answered with a refusal and changes nothing
    replies = len(h.replies(MVD))
    for data in old_buttons:
        answer = await press_old(h, MVD, data, h.message_id(MVD, card))
        assert answer == t("ru", NOT_STAFF_BUTTON), data
    await h.settled()
    assert len(h.replies(MVD)) == replies
    async with h.app.uow() as uow:
        assert await escalation(uow, reference, ADMIN) == before
    assert (before.status, before.taken_by) == ("open", None)


async def test_a_removed_persons_invitation_no_longer_binds_their_account(
    make_harness: MakeHarness, tmp_path: Path,
) -> None:
    h = await make_harness()
    h.app.clock = CLOCK
    async with h.app.uow() as uow:
        member = await add_staff(uow, "Сәуле (ІІМ)", Role.AGENCY, CLOCK, agency_code="mvd",
                                 invite=True)
        await uow.commit()
    await h.start()
    assert member.invite_code is not None

    remove(h, "Сәуле (ІІМ)", tmp_path)

    [refused] = await h.ask(INVITED, f"/start inv-{member.invite_code}")
    assert text_of(refused) == t("ru", "This invitation is not valid: it was used already or "
                                       "withdrawn. Ask the contact center for a new one.")
    [after] = await h.ask(INVITED, "/queue")
    assert text_of(after) == t("ru", UNKNOWN)
