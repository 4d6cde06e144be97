"""An agency's answer too long for one SMS: the citizen gets the first part and "1 —
продолжение" (the rest kept for their "1", however late it comes), and the agency is told
how its answer reached an SMS citizen."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import App
from bot.notify.notifier import Notifier
from knowledge import complaints, escalations
from knowledge.citizens import citizen_for
from knowledge.db.tables import OutboxRow, SmsNumberRow
from knowledge.escalations import open_escalation
from knowledge.sms.segments import segments, split
from knowledge.sms.state import current_menu
from knowledge.staff import Role, add_staff
from tests.escalation_helpers import PASSPORT, clock_at, seed
from tests.integration.test_complaints import STANDARD_REPLIES, lodge

NUMBER = "+77771234567"
AGENCY_CHAT = 8001
LONG = " ".join(f"Пункт {n}: паспорт выдают по месту пребывания." for n in range(10))


def test_a_text_split_for_sms_keeps_every_word_and_each_part_fits() -> None:
    parts, rest = [], LONG
    while rest:
        first, rest = split(rest, 2, more="1 — продолжение")
        parts.append(first)
    assert len(parts) > 1 and all(segments(p) <= 2 for p in parts)
    assert all(p.endswith("\n1 — продолжение") for p in parts[:-1])
    assert " ".join(p.removesuffix("1 — продолжение") for p in parts).split() == LONG.split()
    assert split("Коротко.", 1, more="1 — продолжение") == ("Коротко.", "")


async def test_a_long_answer_reaches_an_sms_citizen_in_parts_and_the_agency_is_told(
    app: App,
) -> None:
    mvd, _ = await seed(app)
    clock = clock_at(2026, 12, 1)
    async with app.uow() as uow:
        await add_staff(uow, "Бекзат", Role.AGENCY, clock, agency_code="mvd",
                        telegram_user_id=AGENCY_CHAT)
        citizen = await citizen_for(uow, "sms", NUMBER, clock)
        reference = await open_escalation(uow, citizen, "Паспорт без прописки?", lang="ru",
                                          candidates=(), register_no=PASSPORT, clock=clock)
        await uow.commit()
    async with app.uow() as uow:
        await escalations.answer(uow, reference, text_ru=LONG, actor=mvd, clock=clock)
        assert await Notifier(clock, 3).pending_escalation_outcomes(uow) == 1
        await uow.commit()

    async with app.uow() as uow:
        [sms] = (await uow.session.scalars(select(OutboxRow).where(
            OutboxRow.channel == "sms"))).all()
        [told] = (await uow.session.scalars(select(OutboxRow).where(
            OutboxRow.channel == "telegram", OutboxRow.address == str(AGENCY_CHAT)))).all()
        state = await uow.session.get(SmsNumberRow, citizen.id)
        assert state is not None
        # the rest waits for the citizen's "1", even a day later
        menu = current_menu(state, clock.now() + timedelta(days=1), timedelta(minutes=30))
        text, notice = sms.payload["text"], told.payload["text"]
    assert text.endswith("1 — продолжение") and segments(text) <= 3
    assert reference in text and "Пункт 0" in text and "Пункт 9" not in text
    assert menu is not None and [item.kind for item in menu.items] == ["more"]
    assert "Пункт 9" in menu.items[0].ref
    assert reference in notice and "SMS" in notice


async def test_a_long_complaint_response_reaches_an_sms_citizen_in_parts_and_the_agency_is_told(
    app: App,
) -> None:
    """As an escalation's answer: not cut to UCC_SMS_MAX_PARTS but sent in parts, and the
    agency told how its response reached the complainant."""
    mvd, _ = await seed(app)
    clock = clock_at(2026, 10, 5)  # Monday 5 October 2026, 11:00 in Astana
    async with app.uow() as uow:
        await add_staff(uow, "Бекзат", Role.AGENCY, clock, agency_code="mvd",
                        telegram_user_id=AGENCY_CHAT)
        citizen = await citizen_for(uow, "sms", NUMBER, clock)
        await uow.commit()
    registered = (await lodge(app, citizen, STANDARD_REPLIES, clock)).registered
    assert registered is not None and registered.agency_code == "mvd"
    answered_at = clock_at(2026, 10, 8)
    async with app.uow() as uow:
        await complaints.respond(uow, registered.number, text_ru=LONG, actor=mvd,
                                 clock=answered_at)
        assert await Notifier(answered_at, 3).pending_complaint_outcomes(uow) == 1
        await uow.commit()

    async with app.uow() as uow:
        [sms] = (await uow.session.scalars(select(OutboxRow).where(
            OutboxRow.channel == "sms"))).all()
        told = [r.payload["text"] for r in await uow.session.scalars(select(OutboxRow).where(
            OutboxRow.channel == "telegram", OutboxRow.address == str(AGENCY_CHAT)))]
        state = await uow.session.get(SmsNumberRow, citizen.id)
        menu = current_menu(state, answered_at.now() + timedelta(days=1),
                            timedelta(minutes=30)) if state is not None else None
        text = sms.payload["text"]
    assert text.endswith("1 — продолжение") and segments(text) <= 3
    assert registered.number in text and "Пункт 0" in text and "Пункт 9" not in text
    assert menu is not None and [item.kind for item in menu.items] == ["more"]
    assert "Пункт 9" in menu.items[0].ref
    assert [t for t in told if registered.number in t and "SMS" in t]
