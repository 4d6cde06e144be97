"""Between the draft and the protocol: the operators' questions, and both sides' signatures.

Before the training the operators read the draft and collect their questions; the list
goes to the responsible person so the training answers them (002 p.8). The protocol of
acceptance is signed by both sides, in the bot or by a signed scan; the later signature
dates it, and the service goes live the policy's working days after (002 p.9).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from sqlalchemy import select

from knowledge.clock import Clock
from knowledge.db.tables import AgencyRow, EntryRow, OnboardingEventRow, ServiceRow, StaffRow
from knowledge.db.uow import UnitOfWork
from knowledge.onboarding.cases import (
    Case,
    Deadlines,
    OnboardingError,
    StepOutOfOrder,
    advance,
    case_row_for,
    case_view,
    require_named,
    stamp,
)
from knowledge.onboarding.notices import center_staff
from knowledge.onboarding.protocol import ProtocolData
from knowledge.problems import marked
from knowledge.staff import Actor, Role

_ = marked  # errors people can meet: translated when shown (KnowledgeError.said)

QUESTION: Final = "question"
QUESTIONS_SENT: Final = "questions_sent"
CONFIRMED: Final = "protocol_confirmed"
MAX_QUESTION_CHARS: Final = 2000
SCAN_WORDS: Final = frozenset({"protocol", "хаттама", "протокол"})


def names_protocol_scan(caption: str | None) -> bool:
    """A file captioned "protocol N" (хаттама, протокол) is a side's signed scan of the
    protocol, not the service's information."""
    words = (caption or "").split(maxsplit=1)
    return bool(words) and words[0].lower() in SCAN_WORDS


@dataclass(frozen=True, slots=True)
class QuestionList:
    """Questions on a draft, to be sent to the responsible person."""

    case: Case
    questions: tuple[str, ...]
    responsible_telegram: int | None
    responsible_email: str | None


async def add_question(
    uow: UnitOfWork, register_no: str, text: str, *, on: date, actor: Actor, clock: Clock,
) -> Case:
    """An operator's question on the draft, kept until the list is sent (staged)."""
    actor.require_center()
    text = text.strip()
    if not text:
        raise OnboardingError.said(_("the question is empty"))
    if len(text) > MAX_QUESTION_CHARS:
        raise OnboardingError.said(_("the question is longer than {limit} characters"),
                                   limit=MAX_QUESTION_CHARS)
    row = await case_row_for(uow, register_no, actor)
    if row.step != "training_held":
        raise StepOutOfOrder(
            f"service {register_no} waits for {row.step!r}: questions are collected on the "
            "draft, before the training", register_no=register_no, waits=row.step)
    stamp(uow, row, QUESTION, on, None, actor, clock, text)
    return await case_view(uow, row)


async def pending_questions(uow: UnitOfWork, register_no: str, actor: Actor) -> list[str]:
    """The questions collected since the last list was sent, oldest first."""
    row = await case_row_for(uow, register_no, actor)
    events = (await uow.session.scalars(select(OnboardingEventRow).where(
        OnboardingEventRow.case_id == row.id,
        OnboardingEventRow.step.in_([QUESTION, QUESTIONS_SENT]),
    ).order_by(OnboardingEventRow.id))).all()
    pending: list[str] = []
    for event in events:
        if event.step == QUESTIONS_SENT:
            pending.clear()
        elif event.note:
            pending.append(event.note)
    return pending


async def send_questions(
    uow: UnitOfWork, register_no: str, *, on: date, actor: Actor, clock: Clock,
) -> QuestionList:
    """Close the list of questions and say whom it goes to (staged; the caller delivers)."""
    actor.require_center()
    questions = await pending_questions(uow, register_no, actor)
    if not questions:
        raise OnboardingError.said(_("no questions collected on service {register_no}"),
                                   register_no=register_no)
    row = await case_row_for(uow, register_no, actor)
    stamp(uow, row, QUESTIONS_SENT, on, None, actor, clock, str(len(questions)))
    person = (await uow.session.get(StaffRow, row.responsible_id)
              if row.responsible_id is not None else None)
    active = person is not None and person.active
    return QuestionList(
        await case_view(uow, row), tuple(questions),
        person.telegram_user_id if active and person else None,
        person.email if active and person else None,
    )


async def confirm_protocol(
    uow: UnitOfWork, register_no: str, *, on: date, actor: Actor, clock: Clock,
    deadlines: Deadlines, scan: str | None = None,
) -> tuple[Case, bool]:
    """One side signs the protocol (the center's staff or the agency's person), in the bot
    or by a signed scan (``scan``: where it is kept). When both have, the protocol is
    signed on the later day and the activation date is set. (case, signed now) (staged)."""
    row = await case_row_for(uow, register_no, actor)
    if row.step != "protocol_signed":
        raise StepOutOfOrder(f"service {register_no} waits for {row.step!r}, not the protocol",
                             register_no=register_no, waits=row.step)
    side = "center" if actor.of_center else "agency"
    signed = {e.note.split(" ", 1)[0]: e.done_on for e in await uow.session.scalars(
        select(OnboardingEventRow).where(OnboardingEventRow.case_id == row.id,
                                         OnboardingEventRow.step == CONFIRMED)) if e.note}
    if side not in signed:
        stamp(uow, row, CONFIRMED, on, row.due_on, actor, clock,
              side + (f" scan {scan}" if scan else ""))
        signed[side] = on
    if {"center", "agency"} <= signed.keys():
        case = await advance(uow, row, "protocol_signed", on=max(signed.values()),
                             actor=actor, clock=clock, deadlines=deadlines)
        return case, True
    return await case_view(uow, row), False


async def center_signer(uow: UnitOfWork, register_no: str, actor: Actor) -> Actor | None:
    """Who signed the protocol for the center (as recorded), if anyone has."""
    row = await case_row_for(uow, register_no, actor, closed_too=True)
    events = await uow.session.scalars(select(OnboardingEventRow).where(
        OnboardingEventRow.case_id == row.id, OnboardingEventRow.step == CONFIRMED
    ).order_by(OnboardingEventRow.id))
    for event in events:
        role, _, name = event.by.partition(":")
        if (event.note or "").startswith("center") and role in (Role.OPERATOR, Role.ADMIN):
            return Actor(name, Role(role))
    return None


async def protocol_confirmations(uow: UnitOfWork, register_no: str, actor: Actor) -> set[str]:
    """The sides that signed the protocol so far: "center", "agency"."""
    row = await case_row_for(uow, register_no, actor, closed_too=True)
    notes = await uow.session.scalars(select(OnboardingEventRow.note).where(
        OnboardingEventRow.case_id == row.id, OnboardingEventRow.step == CONFIRMED))
    return {note.split(" ", 1)[0] for note in notes if note}


async def protocol_data(
    uow: UnitOfWork, register_no: str, *, on: date, actor: Actor, deadlines: Deadlines,
    representative: str,
) -> ProtocolData:
    """What the protocol of acceptance says, drawn up on ``on`` by the center, its
    ``representative`` named in it (full name and position; empty: a blank to fill). Until
    both sides have signed it has no date, and says only when the service will go live
    (002 p.9); once signed, the day it does."""
    actor.require_center()
    row = await case_row_for(uow, register_no, actor, closed_too=True)
    agency = await uow.session.get(AgencyRow, row.agency_id)
    person = (await uow.session.get(StaffRow, row.responsible_id)
              if row.responsible_id is not None else None)
    service = await uow.session.scalar(
        select(ServiceRow).where(ServiceRow.register_no == register_no))
    entries = 0
    if service is not None:
        entries = len((await uow.session.scalars(
            select(EntryRow.id).where(EntryRow.service_id == service.id))).all())
    training = await _last_done(uow, row.id, "training_held")
    signed = await _last_done(uow, row.id, "protocol_signed")
    name_kk = (service.name_kk if service else None) or row.name_kk or ""
    name_ru = (service.name_ru if service else None) or row.name_ru or ""
    require_named(register_no, name_kk, name_ru)
    return ProtocolData(
        number=f"{row.id}/{register_no}",
        signed_on=signed,
        register_no=register_no,
        service_name_kk=name_kk,
        service_name_ru=name_ru,
        agency_name_kk=(agency.name_kk if agency else None) or "",
        agency_name_ru=(agency.name_ru if agency else None) or "",
        responsible_name=((person.full_name or person.name) if person else ""),
        responsible_position=(person.position if person else None) or "",
        training_on=training or on,
        entries=entries,
        activation_on=(row.activation_on or deadlines.policy.due(
            "activation", signed, deadlines.calendar)) if signed else None,
        center_representative=representative,
        activation_days=deadlines.policy.rule("activation").value,
    )


async def _last_done(uow: UnitOfWork, case_id: int, key: str) -> date | None:
    """The day step ``key`` of the case was last done, if it was."""
    done: date | None = await uow.session.scalar(select(OnboardingEventRow.done_on).where(
        OnboardingEventRow.case_id == case_id, OnboardingEventRow.step == key
    ).order_by(OnboardingEventRow.id.desc()).limit(1))
    return done


async def signatories(
    uow: UnitOfWork, register_no: str, actor: Actor
) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Who signs the protocol: the responsible person and the center's staff, as
    (Telegram accounts, e-mail addresses of the responsible person)."""
    row = await case_row_for(uow, register_no, actor, closed_too=True)
    person = (await uow.session.get(StaffRow, row.responsible_id)
              if row.responsible_id is not None else None)
    chats: list[int] = []
    emails: list[str] = []
    if person is not None and person.active:
        if person.telegram_user_id is not None:
            chats.append(person.telegram_user_id)
        if person.email:
            emails.append(person.email)
    chats += [p.telegram_user_id for p in await center_staff(uow)
              if p.telegram_user_id is not None]
    return tuple(chats), tuple(emails)
