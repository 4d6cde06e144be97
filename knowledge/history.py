"""One citizen's history as staff may read it: their messages and the bot's replies, the
questions passed to agencies and their complaints — with personal data as the role
allows.

- An administrator reads everything, the address (a phone number, a chat) in clear.
- An operator reads everything, the address and phone numbers in the messages masked but
  for their last digits.
- An agency's staff read a citizen only behind a question passed to their own agency:
  the conversation of the days those questions were asked, those questions and
  complaints only, and no address or phone number at all.

An IIN is never kept in clear (the log redacts it as it is written); what is shown is
redacted again, so no role ever reads one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from sqlalchemy import or_, select

from knowledge.calendar import KAZAKHSTAN
from knowledge.clock import as_utc
from knowledge.db.tables import CitizenRow, ComplaintRow, ConversationRow, EscalationRow
from knowledge.db.uow import UnitOfWork
from knowledge.errors import InvalidInput
from knowledge.escalations.access import agency_codes, check_access
from knowledge.escalations.model import local_day
from knowledge.iin import redact
from knowledge.problems import marked
from knowledge.staff import AccessDenied, Actor, Role

_ = marked  # errors people can meet: translated when shown (KnowledgeError.said)

LINES_SHOWN: Final = 200
KEPT_DIGITS: Final = 4  # an address or phone number masked keeps its last digits
MASK: Final = "•"
# a Kazakhstan phone number written in a message: +7 / 8, then ten digits, spaced or not
PHONE: Final = re.compile(r"(?<!\d)(?:\+7|8|7)[\s\-()]*\d{3}[\s\-()]*\d{3}[\s\-]*\d{2}"
                          r"[\s\-]*\d{2}(?!\d)")


class NoSuchCitizen(InvalidInput):
    """Nobody is found by what was searched."""


def mask_digits(text: str, keep: int = KEPT_DIGITS) -> str:
    """Every digit but the last ``keep`` hidden."""
    digits = sum(ch.isdigit() for ch in text)
    seen = 0
    out = []
    for ch in text:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > digits - keep else MASK)
        else:
            out.append(ch)
    return "".join(out)


def shown_text(text: str, actor: Actor) -> str:
    """A message as the reader may see it: IINs never, phone numbers as the role allows."""
    text = redact(text)
    if actor.role == Role.ADMIN:
        return text
    keep = KEPT_DIGITS if actor.of_center else 0
    return PHONE.sub(lambda m: mask_digits(m.group(0), keep), text)


def shown_address(address: str, actor: Actor) -> str | None:
    if actor.role == Role.ADMIN:
        return address
    return mask_digits(address) if actor.of_center else None


@dataclass(frozen=True, slots=True)
class Line:
    id: int
    at: datetime
    direction: str  # in, out
    channel: str
    lang: str | None
    text: str
    original_length: int | None


@dataclass(frozen=True, slots=True)
class Asked:
    """A question passed to a person, or a complaint, in the history."""

    reference: str
    created_at: datetime
    status: str
    agency_code: str | None
    text: str
    kind: str  # escalation, complaint


@dataclass(frozen=True, slots=True)
class History:
    citizen_id: int
    channel: str
    address: str | None  # as the role allows (None: not for this reader)
    lang: str | None
    lines: list[Line]
    asked: list[Asked]
    earlier: int | None  # the id to read older lines before, when there are more
    only_days: tuple[date, ...] | None  # an agency's reader: the days shown


async def find_citizen(uow: UnitOfWork, actor: Actor, query: str) -> int:
    """The citizen behind a reference number (a question Q-…, a complaint C-…), a citizen
    number (#N or N), or (the center) an address — as the actor may read them."""
    key = query.strip()
    if not key:
        raise NoSuchCitizen.said(_("nothing to search"))
    upper = key.upper()
    if upper.startswith("Q-"):
        row = await uow.session.scalar(
            select(EscalationRow).where(EscalationRow.reference == upper))
        if row is None:
            raise NoSuchCitizen.said(_("no question {key}"), key=key)
        check_access(row, actor)
        return row.citizen_id
    if upper.startswith(("C-", "R-")):
        complaint = await uow.session.scalar(select(ComplaintRow).where(
            or_(ComplaintRow.number == upper, ComplaintRow.request_no == upper)))
        if complaint is None or complaint.citizen_id is None:
            raise NoSuchCitizen.said(_("no complaint {key}"), key=key)
        check_access(complaint, actor)
        return complaint.citizen_id
    number = key.removeprefix("#")
    if number.isdigit() and (key.startswith("#") or len(number) < 7):
        await _readable(uow, actor, int(number))
        return int(number)
    actor.require_center()  # an address is the center's to search
    digits = re.sub(r"[\s\-()]", "", key)
    wanted = {key, digits, digits.lstrip("+")}
    if digits.startswith("8") and len(digits) == 11:
        wanted.add("7" + digits[1:])
        wanted.add("+7" + digits[1:])
    found = await uow.session.scalar(
        select(CitizenRow.id).where(CitizenRow.address.in_(wanted)).order_by(CitizenRow.id))
    if found is None:
        raise NoSuchCitizen.said(_("nobody at {number}"), number=mask_digits(key))
    return int(found)


async def _readable(uow: UnitOfWork, actor: Actor, citizen_id: int) -> CitizenRow:
    citizen = await uow.session.get(CitizenRow, citizen_id)
    if citizen is None:
        raise NoSuchCitizen.said(_("no citizen #{id}"), id=citizen_id)
    if not actor.of_center:
        behind = await uow.session.scalar(select(EscalationRow.id).where(
            EscalationRow.citizen_id == citizen_id,
            EscalationRow.agency_id == actor.agency_id).limit(1))
        if actor.agency_id is None or behind is None:
            raise AccessDenied.said(_("{name}: citizen #{id} asked their agency nothing"),
                                    name=actor.name, id=citizen_id)
    return citizen


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=KAZAKHSTAN).astimezone(UTC)
    return start, start + timedelta(days=1) - timedelta(microseconds=1)


async def citizen_history(
    uow: UnitOfWork, actor: Actor, citizen_id: int, *, before: int | None = None,
    limit: int = LINES_SHOWN,
) -> History:
    """What the citizen said and was told, newest ``limit`` lines (before the line
    ``before``), with their questions and complaints, as the actor may read them."""
    citizen = await _readable(uow, actor, citizen_id)
    await uow.flush_staged()
    questions = select(EscalationRow).where(EscalationRow.citizen_id == citizen_id)
    complaints = select(ComplaintRow).where(ComplaintRow.citizen_id == citizen_id)
    lines = select(ConversationRow).where(ConversationRow.citizen_id == citizen_id)
    only_days: tuple[date, ...] | None = None
    if not actor.of_center:
        questions = questions.where(EscalationRow.agency_id == actor.agency_id)
        complaints = complaints.where(ComplaintRow.agency_id == actor.agency_id)
        asked_rows = (await uow.session.scalars(questions)).all()
        only_days = tuple(sorted({local_day(row.created_at) for row in asked_rows}))
        lines = lines.where(or_(*(ConversationRow.at.between(*_day_bounds(day))
                                  for day in only_days)))
    if before is not None:
        lines = lines.where(ConversationRow.id < before)
    rows = list((await uow.session.scalars(
        lines.order_by(ConversationRow.id.desc()).limit(limit + 1))).all())
    earlier = rows[limit - 1].id if len(rows) > limit else None
    rows = list(reversed(rows[:limit]))
    codes = await agency_codes(uow)
    asked: list[Asked] = [
        Asked(row.reference or "", row.created_at, row.status,
              codes.get(row.agency_id or 0), shown_text(row.text, actor), "escalation")
        for row in await uow.session.scalars(questions.order_by(EscalationRow.id))]
    asked += [
        Asked(row.number or "", row.created_at, row.status, codes.get(row.agency_id or 0),
              shown_text(row.content or "", actor), "complaint")
        for row in await uow.session.scalars(complaints.order_by(ComplaintRow.id))]
    asked.sort(key=lambda a: as_utc(a.created_at))
    return History(
        citizen.id, citizen.channel, shown_address(citizen.address, actor), citizen.lang,
        [Line(r.id, r.at, r.direction, r.channel, r.lang, shown_text(r.text, actor),
              r.original_length) for r in rows],
        asked, earlier, only_days)
