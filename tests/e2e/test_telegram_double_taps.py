"""Double taps act once: a button pressed again (another update, the same callback data)
is answered "already done" and changes nothing, whatever its ``update_id``.

Issue 16 item 7: three presses of "none of these" made three escalations with three
references, and the agency's answer reached the citizen three times.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from bot.texts.i18n import gettext_for
from handlers.callbacks import AskAbout
from knowledge.catalog import live_services
from knowledge.db.tables import (
    CurationItemRow,
    EscalationEventRow,
    FeedbackRow,
    KbProposalRow,
    RefusalNoticeRow,
    RefusalRow,
)
from knowledge.escalations import list_escalations
from knowledge.staff import SYSTEM
from tests.e2e.telegram_fixtures import REFERENCE, Harness, button, callback_datas
from tests.e2e.test_telegram_escalations import (
    ANSWER,
    CITIZEN,
    MVD,
    NEXT_CITIZEN,
    OPERATOR,
    QUESTION,
    REVIEWER,
    SECOND_QUESTION,
    escalate,
    text_of,
)
from tests.e2e.test_telegram_escalations import setup as with_staff
from tests.fakes.bot_api import Call

MakeHarness = Callable[..., Awaitable[Harness]]


def toast(h: Harness) -> str:
    """The text of the bot's last answer to a button press (shown over the chat)."""
    [*_earlier, last] = [c for c in h.fake.calls_of("answerCallbackQuery") if c.ok]
    return str(last.params.get("text") or "")


def ru(msgid: str) -> str:
    return gettext_for("ru").gettext(msgid)


async def count(h: Harness, table: type, *where: object) -> int:
    async with h.app.uow() as uow:
        return int(await uow.session.scalar(
            select(func.count()).select_from(table).where(*where)) or 0)


async def test_three_presses_of_none_of_these_pass_the_question_on_once(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness()
    await with_staff(h)
    [choices] = await h.ask(CITIZEN, QUESTION)
    [passed] = await h.press(CITIZEN, "none", choices, expect=1)
    [reference] = REFERENCE.findall(text_of(passed))

    for _again in range(2):  # two more presses, each its own update
        assert await h.press(CITIZEN, "none", choices) == []
        assert toast(h) == ru("Your question has already been passed on: {reference}."
                              ).format(reference=reference)

    async with h.app.uow() as uow:
        assert [e.reference for e in await list_escalations(uow, SYSTEM)] == [reference]
    waiting = len(h.replies(CITIZEN))
    await h.ask(MVD, f"/answer {reference} {ANSWER}")
    await h.settled()
    delivered = [text_of(c) for c in h.replies(CITIZEN)[waiting:]]
    assert len(delivered) == 1 and ANSWER in delivered[0], delivered


async def test_a_service_chosen_after_none_of_these_does_not_pass_the_question_again(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness()
    await with_staff(h)
    async with h.app.uow() as uow:
        ids = {s.register_no: s.id for s in await live_services(uow)}
    [choices] = await h.ask(CITIZEN, "Сколько стоит справка?")
    [passed] = await h.press(CITIZEN, "none", choices, expect=1)
    [reference] = REFERENCE.findall(text_of(passed))

    assert await h.press(CITIZEN, AskAbout(service=ids["01501001"]).pack(), choices) == []
    assert reference in toast(h)
    async with h.app.uow() as uow:
        assert [e.reference for e in await list_escalations(uow, SYSTEM)] == [reference]

    # a new question is a new one: passed on with its own reference
    [choices] = await h.ask(CITIZEN, SECOND_QUESTION)
    [passed] = await h.press(CITIZEN, "none", choices, expect=1)
    [second] = REFERENCE.findall(text_of(passed))
    assert second != reference


async def test_feedback_pressed_twice_on_one_answer_counts_once(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness()
    await with_staff(h)
    [answer] = await h.ask(CITIZEN, "Сколько стоит паспорт?")
    helpful = button(answer, text="👍")
    await h.press(CITIZEN, helpful, answer)
    assert toast(h) == ru("Thank you for your feedback!")

    assert await h.press(CITIZEN, helpful, answer) == []
    assert toast(h) == ru("Your feedback on this answer is recorded already.")
    assert await count(h, FeedbackRow) == 1

    # the citizen changes their mind: still one verdict on this answer, the new one
    await h.press(CITIZEN, button(answer, text="👎"), answer)
    async with h.app.uow() as uow:
        assert [r.helpful for r in await uow.session.scalars(select(FeedbackRow))] == [False]


# ---- staff's buttons: the second press is answered "already done" and changes nothing


@dataclass(frozen=True)
class StaffButton:
    chat: int
    card: Call


Arrange = Callable[[Harness], Awaitable[StaffButton]]
Measure = Callable[[Harness], Awaitable[int]]


async def escalation_card(h: Harness) -> StaffButton:
    reference = await escalate(h, CITIZEN, QUESTION, "ru")
    [card] = await h.ask(MVD, f"/esc {reference}")
    return StaffButton(MVD, card)


async def withhold_card(h: Harness) -> StaffButton:
    found = await escalation_card(h)
    return StaffButton(MVD, found.card)


async def proposal_card(h: Harness) -> StaffButton:
    reference = await escalate(h, CITIZEN, QUESTION, "ru")
    await h.ask(MVD, f"/answer {reference} {ANSWER}")
    await h.ask(OPERATOR, (
        "/propose 1\n"
        "kk: Жеке куәлікті демалыс күндері бере ме? = Иә, сенбі күні ХҚКО жеке куәлікті "
        f"9:00-ден 13:00-ге дейін береді.\nru: Выдают ли удостоверение в выходные? = {ANSWER}"))
    [pending] = await h.ask(REVIEWER, "/proposals")
    return StaffButton(REVIEWER, pending)


async def refusal_card(h: Harness) -> StaffButton:
    for chat, text in ((CITIZEN, QUESTION), (NEXT_CITIZEN, SECOND_QUESTION)):
        reference = await escalate(h, chat, text, "ru")
        await h.ask(MVD, f"/refuse {reference} Сведения не предоставляем.")
    [first, _second] = await h.ask(OPERATOR, "/refusals", expect=2)
    return StaffButton(OPERATOR, first)


async def notice_card(h: Harness) -> StaffButton:
    await refusal_card(h)
    for refusal in await h.ask(OPERATOR, "/refusals", expect=2):
        replies = await h.press(OPERATOR, button(refusal, prefix="rf:confirm:"), refusal,
                                expect=1)
    [*_confirmed, notice] = replies  # the second confirmed makes the notice due
    return StaffButton(OPERATOR, notice)


async def taken_events(h: Harness) -> int:
    return await count(h, EscalationEventRow, EscalationEventRow.kind == "taken")


async def refusal_events(h: Harness) -> int:
    return await count(h, EscalationEventRow, EscalationEventRow.kind == "refused")


async def reviewed_proposals(h: Harness) -> int:
    return await count(h, KbProposalRow, KbProposalRow.reviewed_at.is_not(None)) + (
        await count(h, CurationItemRow, CurationItemRow.status == "done"))


async def reviewed_refusals(h: Harness) -> int:
    return await count(h, RefusalRow, RefusalRow.reviewed_at.is_not(None)) + (
        await count(h, RefusalNoticeRow))


async def sent_notices(h: Harness) -> int:
    return await count(h, RefusalNoticeRow, RefusalNoticeRow.sent_at.is_not(None))


CASES: dict[str, tuple[Arrange, str, Measure]] = {
    "take a question": (escalation_card, "es:take:", taken_events),
    "withhold an answer": (withhold_card, "es:withhold:", refusal_events),
    "approve a proposal": (proposal_card, "cu:approve:", reviewed_proposals),
    "reject a proposal": (proposal_card, "cu:reject:", reviewed_proposals),
    "confirm a refusal": (refusal_card, "rf:confirm:", reviewed_refusals),
    "reject a refusal": (refusal_card, "rf:reject:", reviewed_refusals),
    "mark a notice sent": (notice_card, "rf:sent:", sent_notices),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_a_staff_button_pressed_twice_acts_once(
    make_harness: MakeHarness, case: str,
) -> None:
    arrange, prefix, measure = CASES[case]
    h = await make_harness()
    await with_staff(h)
    found = await arrange(h)
    data = next(d for d in callback_datas(found.card) if d.startswith(prefix))
    first = await h.press(found.chat, data, found.card)
    assert first, f"the first press of {data} said nothing"
    done = await measure(h)
    assert done > 0

    again = await h.press(found.chat, data, found.card)
    assert again == [], [text_of(c) for c in again]
    assert toast(h) == ru("Already done.")
    assert await measure(h) == done

