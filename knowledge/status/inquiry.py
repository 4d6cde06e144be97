"""A citizen asks for the stage of their application: the same conversation on every channel.

"статус заявки 12345" (or the menu button, then the number) → the bot asks for the
applicant's IIN ("951212400158", "мой ИИН …"; or it came with the number) → the IIN is
checked (control digit, then the provider's salted hash) → the stage, in the citizen's
language. An unknown number and an IIN that does not match get the same neutral answer (no
oracle); after ``max_failures`` of them within ``failure_window`` the citizen must wait.
Other text ends the inquiry and is answered as a question; an IIN nobody waits for (the
inquiry timed out, or a lockout ended it) is not: it is neither checked nor passed on.

Channels call :func:`status_turn` with the citizen's text and render the
:class:`StatusAnswer`; nothing here commits and nothing keeps or returns the IIN.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from sqlalchemy import delete, select

from knowledge.citizens import Citizen
from knowledge.clock import Clock, as_utc
from knowledge.db.tables import StatusFailureRow, StatusInquiryRow, StatusWatcherRow
from knowledge.db.uow import UnitOfWork
from knowledge.iin import LENGTH, is_valid_iin, normalise
from knowledge.model import Lang
from knowledge.status.feed import normalise_number
from knowledge.status.monitoring import LocalMonitoring, MonitoringIS
from knowledge.status.stages import Stage, Stages

_KK_LETTERS = {"ә": "[әа]", "ө": "[өо]", "і": "[іи]", "ү": "[үу]", "ұ": "[ұу]", "қ": "[қк]",
               "ғ": "[ғг]", "ң": "[ңн]"}


def _kk(pattern: str) -> str:
    """A Kazakh pattern that also matches the text typed without Kazakh letters."""
    return "".join(_KK_LETTERS.get(c, c) for c in pattern)


RU_REQUEST: Final = (r"статус(?:\s+мо(?:ей|его))?(?:\s+(?:заявки|заявления|обращения|услуги))?"
                     r"|где\s+(?:моя\s+)?заявка|где\s+мо[её]\s+заявление")
KK_REQUEST: Final = (_kk(r"(?:менің\s+)?өтінім(?:ім|нің|імнің)?\s+мәртебесі|мәртебе(?:сі)?"
                         r"|өтінім(?:ім)?\s+қайда")
                     # the same in Latin letters (the 2021 alphabet, or chat Latin)
                     + r"|(?:[oö]t[iı]n[iı]m\w*\s+)?m[aä]rtebe(?:s[iı])?"
                     + r"|[oö]t[iı]n[iı]m\w*\s+qayda")
NUMBER_PART: Final = (r"(?:\s*(?:№|#|no\.?|номер|нөмірі|нөмір)?\s*[:.-]?\s*"
                      r"(?P<number>[^\s?!,;]+?))?")
# The IIN named ("ИИН", "мой ИИН:", "ЖСН-ым", "iin") or not, its digits in groups or not.
IIN_NAME: Final = (r"(?:(?:мой|моё|менің|my)\s+)?(?:иин|жсн|iin|zhsn|jsn)(?:-?\w{0,3})?"
                   r"\s*[:.-]?\s*")
IIN_DIGITS: Final = r"\d(?:[ \u00a0-]?\d){11}"
IIN_PART: Final = rf"(?:(?:\s*[,;]\s*|\s+)(?:{IIN_NAME})?(?P<iin>{IIN_DIGITS}))?"
REQUEST: Final = re.compile(
    rf"^\s*(?:(?P<ru>{RU_REQUEST})|(?P<kk>{KK_REQUEST})|(?P<any>status)){NUMBER_PART}"
    rf"{IIN_PART}[.,;]?\s*[?.!]*\s*$", re.IGNORECASE)
TYPED_IIN: Final = re.compile(
    rf"^\s*(?:{IIN_NAME}(?P<named>\d[\d \u00a0-]*)|(?P<bare>{IIN_DIGITS}))\s*[.!]*\s*$",
    re.IGNORECASE)
NUMBER: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}")
CANCEL: Final = re.compile(r"^\s*/?(?:cancel|отмена|отменить|стоп|болдырмау|бас\s+тарту|тоқта)"
                           r"\s*[.!]*\s*$", re.IGNORECASE)
DIGITS_ONLY: Final = re.compile(r"^[\d\s\u00a0-]+$")


class Reply(StrEnum):
    ASK_NUMBER = "ask_number"  # which application?
    ASK_IIN = "ask_iin"  # the applicant's IIN, please
    INVALID_IIN = "invalid_iin"  # not 12 digits with the right control digit: type it again
    STAGE = "stage"  # the stage
    NOT_FOUND = "not_found"  # unknown number or IIN not matching: one neutral text
    LOCKED = "locked"  # too many failed tries: wait ``wait_minutes``
    CANCELLED = "cancelled"
    UNEXPECTED_IIN = "unexpected_iin"  # an IIN nobody waits for: not checked, not kept


@dataclass(frozen=True, slots=True)
class StatusAnswer:
    reply: Reply
    lang: Lang
    number: str | None = None
    stage: Stage | None = None
    updated_at: datetime | None = None
    wait_minutes: int = 0


@dataclass(frozen=True, slots=True)
class StatusPolicy:
    max_failures: int = 5
    failure_window: timedelta = timedelta(hours=1)
    inquiry_ttl: timedelta = timedelta(minutes=10)  # how long the bot waits for the IIN


@dataclass(frozen=True, slots=True)
class StatusDesk:
    """What the conversation needs: the vocabulary, the policy, the Monitoring IS."""

    stages: Stages
    policy: StatusPolicy = field(default_factory=StatusPolicy)
    monitoring: Callable[[UnitOfWork], MonitoringIS] = LocalMonitoring


@dataclass(frozen=True, slots=True)
class Request:
    number: str | None
    lang: Lang | None
    iin: str | None = field(default=None, repr=False)  # given with the number; never kept


def recognise(text: str) -> Request | None:
    """A request for an application's status ("статус заявки 12345", "мәртебе 12345.",
    "СТАТУС 12345" by SMS), with its number when given, and the IIN when it came along
    ("статус 12345 ИИН …"); None for any other text."""
    found = REQUEST.match(text)
    if found is None:
        return None
    number = found.group("number")
    if number is not None and not (NUMBER.fullmatch(number) and any(c.isdigit() for c in number)):
        return None  # "статус услуги паспорт": a question, not an application
    lang: Lang | None = "ru" if found.group("ru") else "kk" if found.group("kk") else None
    iin = found.group("iin")
    return Request(normalise_number(number) if number else None, lang,
                   normalise(iin) if iin and number else None)


def typed_iin(text: str) -> str | None:
    """The digits of an IIN sent alone ("951212400158", "9512 1240 0158") or named ("ИИН
    …", "мой ИИН: …"; then whatever its digits, to be checked); None for other text."""
    found = TYPED_IIN.match(text)
    if found is None:
        return None
    return normalise(found.group("named") or found.group("bare")).strip()


async def start_inquiry(
    uow: UnitOfWork, desk: StatusDesk, citizen: Citizen, *, lang: Lang, clock: Clock,
    number: str | None = None,
) -> StatusAnswer:
    """The citizen wants a status (the menu button, or a recognised request)."""
    wait = await _wait_minutes(uow, desk.policy, citizen.id, clock)
    if wait:
        await _forget(uow, citizen.id)
        return StatusAnswer(Reply.LOCKED, lang, wait_minutes=wait)
    step = "number" if number is None else "iin"
    await _remember(uow, citizen.id, step, number, lang=lang,
                    expires_at=clock.now() + desk.policy.inquiry_ttl)
    return StatusAnswer(Reply.ASK_NUMBER if number is None else Reply.ASK_IIN, lang, number)


async def status_turn(
    uow: UnitOfWork, desk: StatusDesk, citizen: Citizen, text: str, *, lang: Lang,
    clock: Clock,
) -> StatusAnswer | None:
    """One message of the conversation; None when the text is not part of it (the
    channel then answers it as a question)."""
    request = recognise(text)
    if request is not None:
        started = await start_inquiry(uow, desk, citizen, lang=request.lang or lang,
                                      clock=clock, number=request.number)
        if request.iin is None or request.number is None or started.reply != Reply.ASK_IIN:
            return started
        return await _check(uow, desk, citizen, request.number, request.iin,
                            lang=started.lang, clock=clock)
    inquiry = await uow.session.scalar(
        select(StatusInquiryRow).where(StatusInquiryRow.citizen_id == citizen.id))
    if inquiry is not None and as_utc(inquiry.expires_at) <= clock.now():
        await _forget(uow, citizen.id)
        inquiry = None
    if inquiry is None:
        return await _unexpected_iin(uow, desk, citizen, text, lang=lang, clock=clock)
    asked_in: Lang = "kk" if inquiry.lang == "kk" else "ru"
    if CANCEL.match(text):
        await _forget(uow, citizen.id)
        return StatusAnswer(Reply.CANCELLED, asked_in)
    if inquiry.step == "number":
        number = text.strip()
        if NUMBER.fullmatch(number) and any(c.isdigit() for c in number):
            return await start_inquiry(uow, desk, citizen, lang=asked_in, clock=clock,
                                       number=normalise_number(number))
    elif inquiry.number is not None:
        iin = typed_iin(text) or (normalise(text) if DIGITS_ONLY.match(text) else None)
        if iin is not None:
            return await _check(uow, desk, citizen, inquiry.number, iin, lang=asked_in,
                                clock=clock)
    await _forget(uow, citizen.id)
    return None


async def _unexpected_iin(
    uow: UnitOfWork, desk: StatusDesk, citizen: Citizen, text: str, *, lang: Lang,
    clock: Clock,
) -> StatusAnswer | None:
    """An IIN when no inquiry waits for it (it timed out, or a lockout ended it): not
    checked, and not a question to pass on; None for any other text."""
    if typed_iin(text) is None:
        return None
    wait = await _wait_minutes(uow, desk.policy, citizen.id, clock)
    if wait:
        return StatusAnswer(Reply.LOCKED, lang, wait_minutes=wait)
    return StatusAnswer(Reply.UNEXPECTED_IIN, lang)


async def _check(
    uow: UnitOfWork, desk: StatusDesk, citizen: Citizen, number: str, iin: str, *,
    lang: Lang, clock: Clock,
) -> StatusAnswer:
    if len(iin) != LENGTH or not is_valid_iin(iin):
        return StatusAnswer(Reply.INVALID_IIN, lang, number)  # still waiting for it
    wait = await _wait_minutes(uow, desk.policy, citizen.id, clock)
    await _forget(uow, citizen.id)
    if wait:
        return StatusAnswer(Reply.LOCKED, lang, wait_minutes=wait)
    found = await desk.monitoring(uow).stage_of(number, iin)
    if found is None or found.stage not in desk.stages:
        uow.session.add(StatusFailureRow(citizen_id=citizen.id, at=clock.now()))
        return StatusAnswer(Reply.NOT_FOUND, lang, number)
    await _watch(uow, citizen.id, number, lang, clock)
    return StatusAnswer(Reply.STAGE, lang, number, desk.stages[found.stage],
                        as_utc(found.updated_at))


async def _wait_minutes(
    uow: UnitOfWork, policy: StatusPolicy, citizen_id: int, clock: Clock
) -> int:
    """Minutes until the citizen may try again; 0 when they may now."""
    now = clock.now()
    await uow.session.flush()
    times = sorted(as_utc(at) for at in await uow.session.scalars(
        select(StatusFailureRow.at).where(StatusFailureRow.citizen_id == citizen_id,
                                          StatusFailureRow.at > now - policy.failure_window)))
    if len(times) < policy.max_failures:
        return 0
    until = times[len(times) - policy.max_failures] + policy.failure_window
    return max(1, math.ceil((until - now).total_seconds() / 60))


async def _remember(
    uow: UnitOfWork, citizen_id: int, step: str, number: str | None, *, lang: Lang,
    expires_at: datetime,
) -> None:
    row = await uow.session.scalar(
        select(StatusInquiryRow).where(StatusInquiryRow.citizen_id == citizen_id))
    if row is None:
        uow.session.add(StatusInquiryRow(citizen_id=citizen_id, step=step, number=number,
                                         lang=lang, expires_at=expires_at))
    else:
        row.step, row.number, row.lang, row.expires_at = step, number, lang, expires_at


async def end_inquiry(uow: UnitOfWork, citizen_id: int) -> None:
    """Drop the citizen's open inquiry, if any (another conversation begins; staged)."""
    await _forget(uow, citizen_id)


async def _forget(uow: UnitOfWork, citizen_id: int) -> None:
    await uow.session.execute(
        delete(StatusInquiryRow).where(StatusInquiryRow.citizen_id == citizen_id))


async def _watch(
    uow: UnitOfWork, citizen_id: int, number: str, lang: Lang, clock: Clock
) -> None:
    row = await uow.session.scalar(select(StatusWatcherRow).where(
        StatusWatcherRow.application_no == number, StatusWatcherRow.citizen_id == citizen_id))
    if row is None:
        uow.session.add(StatusWatcherRow(application_no=number, citizen_id=citizen_id,
                                         lang=lang, created_at=clock.now()))
    else:
        row.lang = lang
