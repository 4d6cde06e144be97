"""Personal data: one citizen erased on request (their words and address gone, the counts
kept), and the retention job removing old conversations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

import bot.channels.telegram.processor  # noqa: F401 - a chat's updates are found by it
from bot.app import App, payload_address
from knowledge import inbox, outbox
from knowledge.citizens import citizen_for
from knowledge.clock import FixedClock
from knowledge.conversation import log_message
from knowledge.db.tables import (
    CitizenRow,
    ConversationRow,
    EscalationRow,
    InboxRow,
    OutboxRow,
)
from knowledge.privacy import ERASED, ERASED_PAYLOAD, erase_citizen, purge_older_than
from tests.escalation_helpers import PASSPORT, escalate, seed
from tests.fakes.bot_api import message_update

NOW = datetime(2026, 12, 10, 6, 0, tzinfo=UTC)
CLOCK = FixedClock(NOW)
CHAT, OTHER = 4242, 4343


async def talk(app: App, chat: int, text: str, clock: FixedClock = CLOCK) -> None:
    async with app.uow() as uow:
        await inbox.store_many(uow, "telegram", [(f"{chat}-{text}", {
            "update_id": chat, **message_update(chat, text, language_code="ru")})], clock)
    async with app.uow() as uow:
        citizen = await citizen_for(uow, "telegram", str(chat), clock)
        log_message(uow, citizen.id, direction="in", channel="telegram", lang="ru", text=text,
                    clock=clock)
        outbox.enqueue(uow, outbox.Outgoing("telegram", str(chat), "sendMessage",
                                            {"chat_id": chat, "text": "ответ"}), clock)
        await uow.commit()


async def test_erasing_a_citizen_removes_their_words_and_address_and_keeps_the_counts(
    app: App,
) -> None:
    await seed(app)
    await talk(app, CHAT, "Меня зовут Айгерим Садыкова, паспорт ребёнку")
    await talk(app, OTHER, "Сколько стоит паспорт?")
    await escalate(app, "Айгерим Садыкова: паспорт ребёнку", register_no=PASSPORT, chat=CHAT)
    async with app.uow() as uow:
        erased = await erase_citizen(uow, "telegram", str(CHAT), payload_address("telegram"))
        await uow.commit()
    assert erased is not None and (erased.messages, erased.inbox, erased.outbox,
                                   erased.escalations, erased.complaints) == (1, 1, 1, 1, 0)
    async with app.uow() as uow:
        session = uow.session
        texts = (await session.scalars(select(ConversationRow.text))).all()
        payloads = (await session.scalars(select(InboxRow.payload).order_by(InboxRow.id))).all()
        addresses = (await session.scalars(select(OutboxRow.address))).all()
        escalation = (await session.execute(
            select(EscalationRow.text, EscalationRow.status, EscalationRow.agency_id))).one()
        citizens = (await session.scalars(select(CitizenRow.address))).all()
    assert texts == ["Сколько стоит паспорт?"]  # the other citizen's stays
    assert payloads[0] == ERASED_PAYLOAD and payloads[1] != ERASED_PAYLOAD
    assert str(CHAT) not in addresses and str(OTHER) in addresses
    assert escalation[0] == ERASED and escalation[1] == "open" and escalation[2] is not None
    assert str(CHAT) not in citizens and len(citizens) == 2  # counted still, anonymised
    async with app.uow() as uow:
        assert await erase_citizen(uow, "telegram", str(CHAT), payload_address("telegram")) is None


async def test_the_retention_job_removes_old_conversations_only(app: App) -> None:
    await talk(app, CHAT, "старый вопрос", FixedClock(NOW - timedelta(days=200)))
    await talk(app, OTHER, "новый вопрос")
    async with app.uow() as uow:
        await inbox.mark_processed(uow, [1, 2], CLOCK)
        await uow.commit()
    async with app.uow() as uow:
        done = await purge_older_than(uow, NOW - timedelta(days=180))
        await uow.commit()
    assert done["conversation_log"] == 1 and done["inbox"] == 1
    async with app.uow() as uow:
        texts = (await uow.session.scalars(select(ConversationRow.text))).all()
        payloads = (await uow.session.scalars(select(InboxRow.payload).order_by(InboxRow.id))
                    ).all()
    assert texts == ["новый вопрос"]
    assert payloads[0] == ERASED_PAYLOAD and payloads[1] != ERASED_PAYLOAD


async def test_an_iin_written_in_a_question_is_kept_nowhere_in_clear(app: App) -> None:
    iin = "880101300123"
    await seed(app)
    await talk(app, CHAT, f"Мой ИИН {iin}, где мой паспорт?")
    await escalate(app, f"Мой ИИН {iin}, где мой паспорт?", register_no=PASSPORT, chat=CHAT)
    async with app.uow() as uow:
        texts = (await uow.session.scalars(select(ConversationRow.text))).all()
        escalated = (await uow.session.scalars(select(EscalationRow.text))).all()
    assert texts and escalated
    assert all(iin not in t for t in [*texts, *escalated])
