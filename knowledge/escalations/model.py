"""What an escalation is: a question the base could not answer, passed to a person with a
reference number, and what its outcome tells the citizen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from knowledge.calendar import local_today
from knowledge.clock import as_utc
from knowledge.db.tables import EscalationRow
from knowledge.errors import AlreadyDone, InvalidInput
from knowledge.length import ANSWER_MAX_CHARS
from knowledge.model import Candidate, Lang
from knowledge.staff import Actor


class EscalationStatus(StrEnum):
    OPEN = "open"  # in an agency's queue, or the operators' triage
    ANSWERED = "answered"  # by the agency (text or oral help), or from the base
    REFUSED = "refused"  # the agency refused the information (002 p.11-12)
    CLOSED = "closed"  # out of the center's scope, with a reply


FINAL_STATUSES = frozenset({EscalationStatus.ANSWERED, EscalationStatus.REFUSED,
                            EscalationStatus.CLOSED})


class EscalationError(InvalidInput):
    """An escalation that cannot be acted on as asked (unknown, closed, taken by another)."""


class EscalationDone(EscalationError, AlreadyDone):
    """The action was taken on the question already (a button pressed twice)."""
class ReplyTooLong(EscalationError):
    """A reply to the citizen longer than one message carries (``ANSWER_MAX_CHARS``)."""

    def __init__(self, lang: str, length: int, limit: int) -> None:
        self.lang, self.length, self.limit = lang, length, limit
        super().__init__(f"the reply in {lang} is {length} characters, at most {limit}: "
                         "shorten it")


def check_reply_length(replies: dict[str, str | None], limit: int = ANSWER_MAX_CHARS) -> None:
    """Refuse a reply the citizen's channel could not carry whole."""
    for lang, text in replies.items():
        if text is not None and len(text) > limit:
            raise ReplyTooLong(lang, len(text), limit)


@dataclass(frozen=True, slots=True)
class Escalation:
    id: int
    reference: str
    channel: str
    lang: str
    text: str
    register_no: str | None
    candidates: tuple[Candidate, ...]
    status: str
    created_at: datetime
    agency_id: int | None = None  # None: the operators' triage queue
    agency_code: str | None = None
    routed_on: date | None = None
    due_on: date | None = None
    group_id: int | None = None  # the group leader's id
    group_size: int = 1
    taken_by: str | None = None
    reply_kk: str | None = None
    reply_ru: str | None = None
    resolved_on: date | None = None

    @property
    def in_triage(self) -> bool:
        return self.agency_id is None


@dataclass(frozen=True, slots=True)
class Delivery:
    """A message the citizen is owed: rendered and queued by the channel's bot layer."""

    escalation_id: int
    citizen_id: int
    channel: str
    address: str
    lang: Lang  # the language the citizen asked in
    reference: str
    kind: str  # answered, refused, closed, overdue_status
    text: str | None = None  # the reply, in ``text_lang``
    text_lang: Lang | None = None  # ``lang``, or the other when the reply lacks it
    ground: str | None = None  # a refusal's ground


def reference_for(escalation_id: int, created_at: datetime) -> str:
    """A number a citizen can read out on the phone: Q-YYMMDD-NNNNN."""
    return f"Q-{created_at:%y%m%d}-{escalation_id:05d}"



def local_day(moment: datetime) -> date:
    return local_today(as_utc(moment))


def stamp(actor: Actor) -> str:
    return f"{actor.role}:{actor.name}"


def taker(stamped: str | None) -> str:
    """The person's name of a stamp ("agency:Дана" -> "Дана"): the role code is not for
    people to read."""
    return (stamped or "").partition(":")[2] or (stamped or "")


def view(row: EscalationRow, agency_code: str | None = None, group_size: int = 1) -> Escalation:
    return Escalation(
        row.id, row.reference or "", row.channel, row.lang, row.text, row.register_no,
        tuple(Candidate(c["entry"], c["score"]) for c in row.candidates), row.status,
        row.created_at, row.agency_id, agency_code, row.routed_on, row.due_on, row.group_id,
        group_size, row.taken_by, row.reply_kk, row.reply_ru, row.resolved_on,
    )


def in_language(lang: str, kk: str | None, ru: str | None) -> tuple[Lang, str] | None:
    """A reply in ``lang``, else in the other language; None when there is none."""
    first: Lang = "kk" if lang == "kk" else "ru"
    texts: dict[Lang, str | None] = {"kk": kk, "ru": ru}
    for chosen in (first, "ru" if first == "kk" else "kk"):
        text = texts[chosen]
        if text:
            return chosen, text
    return None
